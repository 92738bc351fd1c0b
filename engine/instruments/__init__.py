"""Instruments: what each of the eight ways of contracting means in money, for every party.

Modules: ``results`` (result types), ``model`` (payment mechanics over draws), ``finance`` (IRR,
present value, bond, fund), ``contract`` (one contract, expected case), ``checks`` (warnings),
``comparison`` (all eight on the same draws), ``serialise`` (JSON), ``reading`` and ``tables``
(words and table rows), ``charts`` (plotly figures). May import the shared kernel, ``engine.savings``
and ``engine.output``; never storage, the CLI, or another capability's private names.
"""

"""Long-term savings: who pays, who saves and when, against the contract period.

Modules: ``model`` (the deterministic savings model of DESIGN.md), ``uncertainty`` (Monte Carlo and
tornado), ``narrative`` (results in words), ``charts`` (plotly figures). May import the shared
kernel and ``engine.output``; nothing from the other capabilities.
"""

"""Utfallskompassen's domain: importable and testable without Streamlit.

Modules:

* the scenario and the savings model: ``scenario`` (file format v1 and validation), ``savings``
  (the deterministic savings model), ``uncertainty`` (Monte Carlo and tornado), ``narrative``
  (results in words, effect profiles), ``examples`` (the built-in cases);
* instruments: ``instruments`` (payment mechanics of the eight instruments, comparison on the same
  draws, warnings), ``questionnaire`` (instrument choice: scores, knock-outs, legal screens,
  stability), ``catalogue`` (the instrument catalogue);
* effect targets: ``targets`` (power, history CSV, baseline forecast, ITS and DiD, target designs,
  contract annex);
* output: ``chart_style`` (the look and conventions every chart shares), ``charts``,
  ``instrument_charts``, ``questionnaire_chart`` and ``targets.charts`` (plotly figure builders),
  ``export`` (PNG/SVG through kaleido);
* plumbing: ``i18n`` (catalogs and number format), ``errors`` (named failures), ``storage``
  (SQLAlchemy persistence), ``cli`` with ``cli_support`` and the ``*_cli`` command modules
  (``python -m engine``).
"""

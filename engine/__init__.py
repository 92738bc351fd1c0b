"""Utfallskompassen's domain: importable and testable without Streamlit.

Modules: ``scenario`` (file format v1 and validation), ``savings`` (the deterministic savings
model), ``uncertainty`` (Monte Carlo and tornado), ``narrative`` (results in words, effect
profiles), ``charts`` (plotly figure builders), ``export`` (PNG/SVG through kaleido),
``examples`` (the built-in cases), ``i18n`` (catalogs and number format), ``errors`` (named
failures), ``storage`` (SQLAlchemy persistence), ``cli`` (``python -m engine``).
"""

"""Utfallskompassen's domain: importable and testable without Streamlit.

Modules: ``scenario`` (file format v1 and validation), ``i18n`` (catalogs and number format),
``errors`` (named failures), ``storage`` (SQLAlchemy persistence), ``cli`` (``python -m engine``).
"""

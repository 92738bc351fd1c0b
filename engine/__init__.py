"""Utfallskompassen's domain: importable and testable without Streamlit.

One package per capability, over a small shared kernel (the README's "Where things live" has the map):

* kernel: ``scenario`` (file format v1 and validation), ``errors``, ``i18n`` (catalogs and number
  format), ``examples`` (the built-in cases), ``payers`` (budget holders and their names);
* ``output``: the look of every chart and static image export;
* capabilities: ``savings`` (long-term savings and uncertainty), ``instruments`` (payment mechanics of
  the eight instruments), ``questionnaire`` (choosing an instrument), ``targets`` (effect targets and
  their statistics);
* ``storage`` (SQLAlchemy persistence, the only package that imports it) and ``cli``
  (``python -m engine``).

``tests/test_architecture.py`` enforces which package may import which.
"""

"""Reusable pieces of the pages, one module each: a function that draws the piece and returns what the
user chose or typed. Pages compose them; each has its own AppTest in tests/ui/.

* ``scenario_source_picker``: which scenario a page works on (a saved one or an example), as a :class:`Source`.
* ``working_copy``: a page's unsaved copy of a document, kept across reruns and page changes; the open
  scenario's copy is shared by three pages and kept as a draft in the database across reloads.
* ``number_field``: a number typed the Swedish or English way, read by the engine's rules, with a
  message at the field when it cannot be read.
* ``percent_input``: a share 0..1 entered and shown in percent.
* ``problem_list``: validation problems, in one list or each under its field.
* ``chart_with_downloads``: a chart with its PNG and SVG downloads (with a footnote on the images).
* ``table_with_downloads``: a table with its CSV and XLSX downloads.
* ``document_history``: a saved document's versions (look, open, restore), its name and its trash.

May import ``engine`` (never SQLAlchemy), ``streamlit`` and ``ui``'s frame, state and db modules.
"""

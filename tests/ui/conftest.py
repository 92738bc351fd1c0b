"""Each component runs alone in an AppTest script (``AppTest.from_function``); ``app_db`` (tests/conftest.py)
gives it its own SQLite file."""

#: statsmodels or plotly may be imported for the first time inside a script.
TIMEOUT = 30

"""Each component runs alone in an AppTest script (``AppTest.from_function``) on its own SQLite file."""

import pytest

#: statsmodels or plotly may be imported for the first time inside a script.
TIMEOUT = 30


@pytest.fixture
def app_db(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url

"""AppTest helpers: every page test runs the real app on its own SQLite file."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# statsmodels' first import alone can take longer than AppTest's default of 3 s.
TIMEOUT = 30


@pytest.fixture
def open_page(app_db):
    """Start the app at the home page, then switch to ``path`` (pages link back to app.py)."""

    def _open(path: str = "app.py", lang: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if lang:
            at.query_params["lang"] = lang
        at.run()
        if path != "app.py":
            at.switch_page(path).run()
        assert not at.exception, at.exception
        return at

    return _open


@pytest.fixture
def sessions(app_db):
    """Sessions on the app's own SQLite file, to prepare and to read what the pages saved."""
    from engine.storage import open_database, session_factory

    engine = open_database(app_db)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def recorded(monkeypatch) -> list[str | None]:
    """The footnote of every chart export the page prepares, in order (the chart helper is spied on)."""
    from ui.components import chart_with_downloads as module

    notes: list[str | None] = []
    original = module._recorded

    def spy(render, figure, lang, failure_key, footnote=None):
        notes.append(footnote)
        return original(render, figure, lang, failure_key, footnote)

    monkeypatch.setattr(module, "_recorded", spy)
    return notes

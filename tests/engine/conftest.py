"""Fixtures the engine's tests share."""

import os

import pytest

from engine.output.export import chromium_available
from engine.storage import open_database, session_factory


@pytest.fixture
def export_browser():
    """Skip a test that needs a browser for image export where none is installed; in CI, fail it."""
    if not chromium_available():
        reason = "no Chrome/Chromium for image export (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the export, but there is {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def sessions(database_url):
    """Sessions on a fresh database of each kind the suite runs (SQLite file, PostgreSQL)."""
    engine = open_database(database_url)
    yield session_factory(engine)
    engine.dispose()

"""Where the database lives.

``DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/db``) wins.
Otherwise the app uses an SQLite file in ``UTFALLSKOMPASSEN_DATA_DIR``, by default ``var/`` in the
checkout: user-writable, ignored by git, and never inside ``data/`` (which ships with the app).
"""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = _PROJECT_ROOT / "var"
SQLITE_FILE_NAME = "utfallskompassen.sqlite3"


def database_url(environ: dict[str, str] | None = None) -> str:
    """The URL to connect to, from the environment.

    >>> database_url({"DATABASE_URL": "postgresql+psycopg://u@db/app"})
    'postgresql+psycopg://u@db/app'
    >>> database_url({"UTFALLSKOMPASSEN_DATA_DIR": "/srv/uk"})
    'sqlite:////srv/uk/utfallskompassen.sqlite3'
    """
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    if url:
        # Hosting platforms often hand out postgres:// URLs; SQLAlchemy wants a driver name.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    data_dir = Path(env.get("UTFALLSKOMPASSEN_DATA_DIR") or DEFAULT_DATA_DIR)
    return f"sqlite:///{data_dir / SQLITE_FILE_NAME}"

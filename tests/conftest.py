"""Shared fixtures: throwaway databases for storage tests.

Fixtures
--------
postgres_server (session)
    A private PostgreSQL cluster (initdb in a temp dir, pg_ctl on a free loopback port,
    trust auth, fsync off). Yields a ``PostgresServer`` (host, port, user, ...).
postgres_url (function)
    A fresh, empty database in that cluster, as a SQLAlchemy URL
    ``postgresql+psycopg://postgres@127.0.0.1:<port>/<db>``. Dropped after the test.
sqlite_url (function)
    ``sqlite:///<tmp_path>/test.db``: a real file, so behaviour matches the app's default store.
database_url (function, parametrised "sqlite" / "postgresql")
    One of the two above, so one test body covers both back ends.

When no PostgreSQL binaries are found or the cluster will not start, the PostgreSQL tests
are skipped with the reason, except under CI=true where they fail: CI must exercise them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Name of the database superuser created by initdb. Fixed, so URLs look the same everywhere
# (as root the OS user running the cluster is a different one, see _cluster_os_user).
PG_SUPERUSER = "postgres"
# Dedicated OS account for running the cluster when the tests run as root.
PG_OS_USER = "utkpg"
# Seconds allowed for initdb / pg_ctl start; generous because CI shares 2 cores with other work.
PG_START_TIMEOUT = 90


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a skipped PostgreSQL test in CI would hide a broken setup."""
    if _in_ci():
        pytest.fail(f"PostgreSQL unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


# --------------------------------------------------------------------------- PostgreSQL


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    bindir: Path
    datadir: Path
    socket_dir: Path
    logfile: Path
    startup_seconds: float

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres"):
        """A plain psycopg connection in autocommit mode (for admin statements)."""
        import psycopg

        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname=dbname, autocommit=True, connect_timeout=10
        )


def _find_pg_bindir() -> Path | None:
    """Directory holding initdb, pg_ctl and postgres, or None.

    PG_BINDIR wins; then PATH (resolved through symlinks, because initdb looks for the
    postgres binary beside its real location); then Debian's versioned layout, newest first.
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(os.path.realpath(initdb)).parent)

    def version_key(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.name)) or (0,)

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version_key, reverse=True)
    for d in candidates:
        if all(os.access(d / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres")):
            return d
    return None


def _cluster_os_user() -> pwd.struct_passwd | None:
    """The OS account to run initdb/postgres as, or None to run them as ourselves.

    PostgreSQL refuses to run as root, and CI runs as root, so then we switch to an
    unprivileged account: PG_OS_USER, created on first use, else 'nobody'.
    """
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(PG_OS_USER)
    useradd = shutil.which("useradd")
    if useradd:
        # Failure is fine here (e.g. a parallel worker created it first); we look it up again.
        subprocess.run(
            [useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", PG_OS_USER],
            capture_output=True, check=False,
        )
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(PG_OS_USER)
    return pwd.getpwnam("nobody")


def _traversable_by_others(path: Path) -> bool:
    """True if every directory from / down to path has the 'x' bit for others.

    The cluster user is neither owner nor group member of root's directories, so without
    that bit it cannot reach its data dir even if the data dir itself belongs to it.
    """
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop_cluster(run, bindir: Path, datadir: Path) -> None:
    """Stop the postmaster, escalating until it is gone. Never raises."""
    pg_ctl = str(bindir / "pg_ctl")
    for mode in ("fast", "immediate"):
        if not (datadir / "postmaster.pid").exists():
            return
        with contextlib.suppress(Exception):
            run([pg_ctl, "-D", str(datadir), "-m", mode, "-w", "-t", "20", "stop"], timeout=30)
    # Last resort: pg_ctl itself failed (binary gone, hung). Kill the postmaster by pid;
    # its children exit on their own once it is gone.
    with contextlib.suppress(Exception):
        pid = int((datadir / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _find_pg_bindir()
    if bindir is None:
        _unavailable(
            "initdb/pg_ctl/postgres not found on PATH, in PG_BINDIR or in /usr/lib/postgresql/*/bin "
            "(Debian: apt-get install postgresql; `make system-deps` does it)"
        )

    try:
        os_user = _cluster_os_user()
    except KeyError:
        _unavailable(f"running as root and neither '{PG_OS_USER}' could be created nor 'nobody' exists")

    # Not tmp_path_factory: pytest makes its base dir 0700 for the current user, which the
    # cluster user could not enter when we are root. A directory of our own under /tmp is.
    base = Path(tempfile.gettempdir())
    if os_user is not None and not _traversable_by_others(base):
        base = Path("/tmp")
        if not _traversable_by_others(base):
            _unavailable(f"no temp dir the cluster user {os_user.pw_name!r} can reach")
    root = Path(tempfile.mkdtemp(prefix="utk-pg-", dir=base))
    datadir, socket_dir, logfile = root / "data", root / "sock", root / "server.log"

    def run(cmd: list[str], timeout: float = PG_START_TIMEOUT) -> subprocess.CompletedProcess[str]:
        kwargs = {}
        if os_user is not None:
            # subprocess switches uid/gid in the child, so we need neither runuser nor su;
            # extra_groups=[] drops root's supplementary groups too.
            kwargs = {"user": os_user.pw_uid, "group": os_user.pw_gid, "extra_groups": []}
        # cwd=root: the cluster user may not be allowed into our cwd (e.g. /root), and the
        # PostgreSQL tools fail when they cannot resolve the current directory.
        # LC_ALL=C: initdb would otherwise inherit whatever locale the shell has, which may not exist here.
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        env.pop("PGDATA", None)
        return subprocess.run(
            cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout, check=True, **kwargs
        )

    started = time.perf_counter()
    failure: str | None = None
    port = 0
    try:
        try:
            socket_dir.mkdir()
            if os_user is not None:
                for p in (root, socket_dir):
                    os.chown(p, os_user.pw_uid, os_user.pw_gid)
            run([str(bindir / "initdb"), "-D", str(datadir), "-U", PG_SUPERUSER, "-A", "trust",
                 "-E", "UTF8", "--locale=C", "--no-sync"])
        except subprocess.CalledProcessError as e:
            failure = f"initdb failed (exit {e.returncode}):\n{e.stdout}\n{e.stderr}"
        except (OSError, subprocess.SubprocessError) as e:
            failure = f"could not prepare {root} or run initdb: {e}"

        if failure is None:
            # Into postgresql.conf rather than pg_ctl -o: pg_ctl hands -o to /bin/sh, so a temp
            # path with spaces or quotes in it would need shell quoting there.
            with open(datadir / "postgresql.conf", "a") as conf:
                conf.write(
                    "\n# utfallskompassen test cluster\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{socket_dir}'\n"
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                    "max_connections = 50\n"
                )
            # The port is probed free and then released, so another process can grab it in
            # between; a couple of retries with a new port make that race harmless.
            for _attempt in range(3):
                port = _free_port()
                try:
                    run([str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(logfile),
                         "-o", f"-p {port}", "-w", "-t", str(PG_START_TIMEOUT), "start"])
                    failure = None
                    break
                except subprocess.CalledProcessError as e:
                    failure = f"pg_ctl start failed (exit {e.returncode}):\n{e.stdout}\n{e.stderr}\n{_tail(logfile)}"
                    _stop_cluster(run, bindir, datadir)
                    if "already in use" not in _tail(logfile):
                        break
                except (OSError, subprocess.SubprocessError) as e:
                    failure = f"pg_ctl could not run: {e}\n{_tail(logfile)}"
                    _stop_cluster(run, bindir, datadir)
                    break

        server = PostgresServer(
            host="127.0.0.1", port=port, user=PG_SUPERUSER, bindir=bindir, datadir=datadir,
            socket_dir=socket_dir, logfile=logfile, startup_seconds=time.perf_counter() - started,
        )
        if failure is None:
            try:
                with server.connect() as conn:
                    conn.execute("SELECT 1")
            except Exception as e:
                failure = f"server started but does not accept connections: {e}\n{_tail(logfile)}"

        if failure is not None:
            _unavailable(failure)
        yield server
    finally:
        # Runs on normal teardown, on setup failure/skip above and on Ctrl-C alike.
        _stop_cluster(run, bindir, datadir)
        shutil.rmtree(root, ignore_errors=True)


_db_counter = 0


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    global _db_counter
    _db_counter += 1
    # Readable in the server log yet unique and within PostgreSQL's 63-byte identifier limit.
    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:40]
    dbname = f"t{_db_counter:04d}_{slug}"
    with postgres_server.connect() as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    yield postgres_server.url(dbname)
    # FORCE ends connections a test forgot to close (an undisposed engine); dropping keeps a long
    # session from filling the temp dir. Best effort: the whole cluster is deleted at the end anyway.
    with contextlib.suppress(Exception), postgres_server.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


# --------------------------------------------------------------------------- SQLite and both


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    # Four slashes in total for an absolute path: sqlite:/// + /tmp/...
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    # getfixturevalue, not a fixture argument: the sqlite case must not start PostgreSQL.
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that ask for a PostgreSQL fixture directly get the marker too, so
    # `-m "not postgres"` deselects every test that would start the cluster.
    for item in items:
        if {"postgres_url", "postgres_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


# --------------------------------------------------------------------------- CI guard

_PASSED_BY_MARKER: dict[str, int] = {"browser": 0, "postgres": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        for marker in _PASSED_BY_MARKER:
            if marker in report.keywords:
                _PASSED_BY_MARKER[marker] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI a green run must include the browser and PostgreSQL suites: a run in which they were
    # all skipped or deselected proves nothing about the app a user sees or the shared database.
    if not _in_ci() or exitstatus != 0 or session.config.option.collectonly:
        return
    missing = [marker for marker, passed in _PASSED_BY_MARKER.items() if passed == 0]
    if missing:
        session.config.get_terminal_writer().line(
            f"CI: no {' and no '.join(missing)} test passed; failing the run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def app_db(monkeypatch, tmp_path):
    """A fresh SQLite file for the app under test (AppTest pages and components): its URL, also in DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _no_browser(reason: str) -> None:
    """Skip locally, fail in CI: CI must run the browser tests, not quietly skip them."""
    if _in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests cannot run: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium (Debian's) for the whole session, shared by tests/browser and
    tests/hostile: Playwright's sync API allows one running instance per thread, so a second suite
    must not start its own while the first one's lives. Each test opens its own context in it."""
    from tests.browser.helpers import CHROMIUM_ARGS, CHROMIUM_PATH

    if not os.access(CHROMIUM_PATH, os.X_OK):
        _no_browser(f"{CHROMIUM_PATH} not found (Debian: apt-get install chromium; `make system-deps` does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        _no_browser(f"the playwright package is not installed ({e}); pip install -r requirements-dev.txt")

    pw = sync_playwright().start()
    try:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        except Exception as e:
            _no_browser(f"Chromium at {CHROMIUM_PATH} did not launch: {e}")
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()

"""Fixtures for driving the real app in headless Chromium.

app_server (session)  base URL ("http://127.0.0.1:<port>") of `streamlit run app.py`, started
                      from the repo root with DATABASE_URL on a fresh SQLite file. A str;
                      its .log_path is the server's log (for assert_no_exception).
browser (session)     a Playwright Chromium Browser (Debian's /usr/bin/chromium).
page (function)       a Page in a fresh context (1400x900, downloads accepted); a full-page
                      screenshot goes to tests/browser/screenshots/<test name>.png afterwards.
oidc_provider (session)  base URL ("http://127.0.0.1:<port>") of a real OpenID Connect provider
                      (oidc-provider-mock) in a thread of the test process, for st.login();
                      see write_auth_secrets and sign_in in helpers.py.

Every test under tests/browser gets the `browser` marker. Without Chromium or Playwright the
tests are skipped with the reason, except under CI=true where they fail.

Page helpers (wait_for_app, assert_no_exception, goto) are in helpers.py beside this file:
``from tests.browser.helpers import goto, assert_no_exception``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import (
    REPO_ROOT,
    free_port,
    full_page_screenshot,
    log_tail,
    start_streamlit,
    stop_process,
    wait_for_health,
)

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = BROWSER_TESTS_DIR / "screenshots"
APP_START_TIMEOUT = 90.0


# Authlib's deprecation notices about the test provider's own code, which runs in this process:
# nothing the app can act on, and they would bury the warnings that are about the app.
_PROVIDER_WARNINGS = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib",
                                                "ignore::DeprecationWarning:oidc_provider_mock")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item of the session, not only ours: filter by path.
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if "oidc_provider" in getattr(item, "fixturenames", ()):
                item.add_marker(_PROVIDER_WARNINGS)


class AppServer(str):
    """The base URL, as a plain str, that also knows where the server's log is."""

    log_path: Path


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    app = REPO_ROOT / "app.py"
    if not app.is_file():
        pytest.fail(f"{app} does not exist", pytrace=False)
    workdir = tmp_path_factory.mktemp("app_server")
    log_path = workdir / "streamlit.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    proc = start_streamlit(port, f"sqlite:///{workdir / 'app.db'}", log_path, app="app.py", cwd=REPO_ROOT)
    try:
        try:
            wait_for_health(base_url, proc, timeout=APP_START_TIMEOUT)
        except RuntimeError as e:
            pytest.fail(f"{e}\n--- tail of {log_path} ---\n{log_tail(log_path)}", pytrace=False)
        server = AppServer(base_url)
        server.log_path = log_path
        yield server
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    # Imported here, so that Flask is loaded only when a test signs in. Importing Authlib puts an
    # "always" filter for its deprecation notices in front of all others (_PROVIDER_WARNINGS too),
    # so it goes first and our "ignore" in front of it; leaving the block drops both filters.
    with warnings.catch_warnings():
        import authlib.deprecate  # noqa: F401
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import run_server_in_thread

    # The provider names itself (issuer, endpoints) after the host it is reached at, so the URL we
    # hand out decides what the browser and the app see. 127.0.0.1, like app_server: Streamlit
    # accepts its sign-in cookie only from the origin of redirect_uri, and the browser keeps the
    # cookies of "localhost" apart from those of 127.0.0.1.
    # Port 0: the OS picks a free one while binding, so no other process can take it in between.
    with run_server_in_thread(port=0) as server:
        host, port = server.socket.getsockname()[:2]
        if host != "127.0.0.1":  # it binds "localhost", which a machine may resolve otherwise
            pytest.fail(f"the OIDC provider listens on {host}, not 127.0.0.1", pytrace=False)
        yield f"http://127.0.0.1:{port}"


def _screenshot_name(nodename: str) -> str:
    # Parametrised names contain brackets, slashes, spaces...: keep them readable but file-safe.
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", nodename)[:150] + ".png"


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        yield page
        # After the test, pass or fail: the picture of a failure is the useful one.
        try:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            full_page_screenshot(page, SCREENSHOT_DIR / _screenshot_name(request.node.name))
        except Exception as e:
            # A missing screenshot must not turn a result into an error, but should be visible.
            warnings.warn(f"could not save screenshot for {request.node.nodeid}: {e}", stacklevel=1)
    finally:
        context.close()

"""Helpers for the browser tests (and benchmarks/bench_startup.py, which starts the app the same way).

Page helpers
------------
wait_for_app(page)          wait until Streamlit is connected and has finished running the script
assert_no_exception(page)   fail, showing the page text, if the app shows an exception or a traceback
goto(page, base_url, path, lang)   open base_url/path?lang=lang and wait_for_app
full_page_screenshot(page, path)   the whole app, including what is scrolled out of view

How "finished" is detected: Streamlit's root element ``[data-testid="stApp"]`` carries
``data-test-connection-state`` (INITIAL, PINGING_SERVER, CONNECTING, CONNECTED, ...) and
``data-test-script-state`` ("initial" before the first run, then running / rerunRequested /
stopRequested / notRunning / compilationError). These attributes exist for end-to-end tests
and are what Streamlit's own Playwright suite waits on; they flip as the server messages
arrive, unlike the running-man icon (``stStatusWidgetRunningIcon``), which is only shown
after a delay and so can be absent while a short run is still going. We check both.

A finished run is not yet a finished page: Streamlit loads the code of most widgets
(selectbox, button, file uploader, charts, ...) lazily, showing ``[data-testid="stSkeleton"]``
until it arrives. Right after the first page load a selectbox can thus be missing for a
moment after the script is done, so we also wait until no such placeholder is left.

Process helpers
---------------
free_port, start_streamlit, wait_for_health, stop_process, CHROMIUM_PATH, CHROMIUM_ARGS

Sign-in helpers (Streamlit's st.login through a real OpenID Connect provider)
-----------------------------------------------------------------------------
write_auth_secrets(path, app_url=..., provider_url=..., organisations=...)   the secrets.toml
                            that start_streamlit(..., secrets=path) hands to the server
sign_in(page, app_url, provider_url, email, name)   complete the provider's form after the app
                            has sent the page there, and wait until the app is back and done

Playwright is imported lazily so that this module (collected by --doctest-modules) imports
even where Playwright is missing; the conftest then skips or fails with the reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from secrets import token_urlsafe
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]

# Playwright's expect() waits 5 s by default. On a two-core machine running the whole suite (a
# Streamlit server, Chromium and pytest at once) one rerun of a page can take longer than that now
# and then, and the test fails for the machine, not the app. What is awaited does not change.
with contextlib.suppress(ImportError):  # the helpers are also used where Playwright is absent
    from playwright.sync_api import expect as _expect

    _expect.set_options(timeout=20_000)

# Debian's Chromium; UTK_CHROMIUM points elsewhere (e.g. /usr/bin/chromium-browser on Ubuntu).
CHROMIUM_PATH = os.environ.get("UTK_CHROMIUM", "/usr/bin/chromium")
# Root needs --no-sandbox; the rest stop Chromium from calling home, which on a machine
# without internet access only produces refused connections and slows start-up.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Script states in which Streamlit is done until the user does something. compilationError
# counts as done: the app will not get any further, and assert_no_exception reports it.
IDLE_STATES = ("notRunning", "compilationError")

APP_IDLE_JS = """
(idleStates) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (!idleStates.includes(app.getAttribute('data-test-script-state'))) return false;
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
    // Suspense placeholder of a widget whose code is still being fetched (see module doc).
    return !document.querySelector('[data-testid="stSkeleton"]');
}
"""


# --------------------------------------------------------------------------- page helpers


def _describe_app_state(page: Page) -> str:
    try:
        state = page.evaluate(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app ? [app.getAttribute('data-test-connection-state'),
                              app.getAttribute('data-test-script-state')] : null;
            }"""
        )
    except Exception as e:  # the page may be crashed or closed
        return f"(could not read app state: {e})"
    if state is None:
        return 'no [data-testid="stApp"] element'
    return f"connection state {state[0]!r}, script state {state[1]!r}"


def _page_text(page: Page, limit: int = 4000) -> str:
    try:
        text = page.inner_text("body", timeout=5000)
    except Exception as e:
        return f"(could not read page text: {e})"
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters)"


def wait_for_app(page: Page, timeout: float = 60_000, settle_ms: int = 0) -> None:
    """Wait until the app is connected and its script run has finished.

    After a page load the script state starts at "initial", so there is no race. After a
    click or input, Streamlit may not yet have flipped to "running" when this is called;
    pass settle_ms (e.g. 300) there, or better, wait for the element you expect.

    timeout is in milliseconds, like Playwright's own.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    if settle_ms:
        page.wait_for_timeout(settle_ms)
    try:
        page.wait_for_function(APP_IDLE_JS, arg=list(IDLE_STATES), timeout=timeout, polling=100)
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"Streamlit app at {page.url} did not finish within {timeout / 1000:.0f} s: "
            f"{_describe_app_state(page)}.\nPage text:\n{_page_text(page)}"
        ) from None
    # The script-finished message and the last render land in the same tick, but wait two
    # animation frames so that React has committed and the browser has laid out the result.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def assert_no_exception(page: Page, server_log: Path | str | None = None) -> None:
    """Fail if the page shows a Streamlit exception box or the word Traceback.

    The app's config hides error details from users, so the box only says the message was
    redacted; pass server_log (the app_server fixture's ``.log_path``) to get the real
    traceback from the server's log into the failure message.
    """
    exceptions = page.locator('[data-testid="stException"]')
    count = exceptions.count()
    text = _page_text(page, limit=10_000)
    if count or "Traceback" in text:
        details = "\n---\n".join(exceptions.nth(i).inner_text() for i in range(count))
        raise AssertionError(
            f"{page.url} shows {count} exception element(s)"
            + (" and the text 'Traceback'" if "Traceback" in text else "")
            + (f":\n{details}" if details else "")
            + f"\n\nPage text:\n{text}"
            + (f"\n\nTail of the server log {server_log}:\n{log_tail(Path(server_log))}" if server_log else "")
        )


def full_page_screenshot(page: Page, path: Path | str, max_height: int = 16_000) -> None:
    """Screenshot the whole app, not just the viewport.

    Playwright's full_page=True grows the capture to the document's height, but Streamlit
    keeps the document at viewport height and scrolls inside [data-testid="stMain"], so
    that alone gives one screen. Growing the viewport to the content's height first does it
    (capped: Chromium cannot capture much beyond 16k pixels).
    """
    height = page.evaluate(
        """() => Math.max(...[document.documentElement,
                            document.querySelector('[data-testid="stMain"]'),
                            document.querySelector('[data-testid="stSidebarContent"]')]
                           .filter(Boolean).map(e => e.scrollHeight))"""
    )
    viewport = page.viewport_size or {"width": 1400, "height": 900}
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height), max_height)})
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=str(path), full_page=True, timeout=15_000)


def goto(page: Page, base_url: str, path: str = "", lang: str | None = None, timeout: float = 60_000) -> None:
    """Open base_url/path with ?lang=lang (kept alongside any query in path) and wait for the app."""
    base = urlsplit(base_url.rstrip("/") + "/" + path.lstrip("/"))
    query = base.query
    if lang is not None:
        query = "&".join(q for q in (query, urlencode({"lang": lang})) if q)
    url = urlunsplit((base.scheme, base.netloc, base.path, query, base.fragment))
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_for_app(page, timeout=timeout)


# --------------------------------------------------------------------------- process helpers


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(port: int, database_url: str, log_path: Path, app: str | Path = "app.py",
                    cwd: Path = REPO_ROOT, secrets: Path | None = None) -> subprocess.Popen:
    """Start `streamlit run app` on 127.0.0.1:port in its own process group, output to log_path.

    secrets: a secrets.toml (see write_auth_secrets) read instead of Streamlit's usual ones.
    """
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # Loopback only: a test server has no business on the machine's other interfaces.
        "--server.address", "127.0.0.1",
    ]
    if secrets is not None:
        # Replaces the default search (~/.streamlit/ and .streamlit/ under cwd), so a developer's
        # own secrets.toml cannot change what a test signs in with.
        cmd += ["--secrets.files", str(secrets)]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",  # so the log is complete when we show its tail
        # Engineers edit files while tests run; the watcher would only add "source changed"
        # prompts and CPU load on a 2-core machine.
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop_process
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    except BaseException:
        log.close()
        raise
    proc._utk_log = log  # type: ignore[attr-defined]
    return proc


def log_tail(log_path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:]) or "(log is empty)"
    except OSError as e:
        return f"(could not read log: {e})"


def wait_for_health(base_url: str, proc: subprocess.Popen | None = None, timeout: float = 90.0,
                    interval: float = 0.05) -> float:
    """Poll base_url/_stcore/health until it answers "ok"; return the seconds waited.

    Raises RuntimeError on timeout or if proc exits first (no point waiting for a dead server).
    """
    url = base_url.rstrip("/") + "/_stcore/health"
    start = time.perf_counter()
    last_error = "no answer yet"
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                body = resp.read().decode(errors="replace").strip()
                if resp.status == 200 and body == "ok":
                    return time.perf_counter() - start
                last_error = f"HTTP {resp.status}: {body[:200]!r}"
        except (urllib.error.URLError, OSError) as e:
            last_error = str(e)
        time.sleep(interval)
    raise RuntimeError(f"{url} did not answer 'ok' within {timeout:.0f} s (last: {last_error})")


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate proc's whole process group (Streamlit may have spawned helpers), then kill."""
    try:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        # Whatever is left of the group (a hung leader, or children that outlived it).
        # Streamlit was started with start_new_session, so the group is ours alone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    finally:
        log = getattr(proc, "_utk_log", None)
        if log is not None:
            log.close()


# --------------------------------------------------------------------------- sign-in helpers

# What the app is registered as at the test provider (which accepts any client id and secret).
TEST_CLIENT_ID = "utfallskompassen-test"


def _toml_str(value: str) -> str:
    r"""value as a TOML basic string.

    JSON's string escapes are all valid TOML, but TOML also forbids a raw DEL, which JSON keeps.

    >>> import tomllib
    >>> tricky = 'Västerås "stad" \\\t\x7f'
    >>> tomllib.loads(f"x = {_toml_str(tricky)}")["x"] == tricky
    True
    """
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def write_auth_secrets(path: Path, *, app_url: str, provider_url: str, organisations: Mapping[str, str],
                       admins: Iterable[str] = (), claim: str = "email_domain",
                       issuers: Iterable[str] | None = None, cookie_secret: str | None = None) -> Path:
    """Write a secrets.toml that signs the app at app_url in through the provider at provider_url.

    [auth] is what st.login() needs; [organisations] is the app's own sign-in configuration:
    organisations maps the claim's value (an e-mail domain) to the organisation's name, and
    admins lists the e-mail addresses that administer it. issuers, when given, limits sign-in to
    those issuers. A fresh random cookie_secret by default; pass one to keep cookies valid
    across a restart of the app. Use 127.0.0.1 in both URLs, as the browser does: Streamlit only
    accepts its sign-in cookie on a connection from the origin of redirect_uri.
    """
    lines = [
        "[auth]",
        f"redirect_uri = {_toml_str(app_url.rstrip('/') + '/oauth2callback')}",
        f"cookie_secret = {_toml_str(cookie_secret or token_urlsafe(48))}",
        f"client_id = {_toml_str(TEST_CLIENT_ID)}",
        f"client_secret = {_toml_str(token_urlsafe(24))}",
        f"server_metadata_url = {_toml_str(provider_url.rstrip('/') + '/.well-known/openid-configuration')}",
        "",
        "[organisations]",
        f"claim = {_toml_str(claim)}",
        f"admins = {_toml_list(admins)}",
    ]
    if issuers is not None:
        lines.append(f"issuers = {_toml_list(issuers)}")
    lines.append("[organisations.names]")
    lines += [f"{_toml_str(key)} = {_toml_str(name)}" for key, name in organisations.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def serving_with_sign_in(workdir: Path, provider_url: str, *, app: str | Path = "app.py", cwd: Path = REPO_ROOT,
                         organisations: Mapping[str, str], **secrets: Any) -> Iterator[tuple[str, Path]]:
    """``app`` served on a free port with secrets that sign in through ``provider_url`` (the rest of
    ``secrets`` goes to write_auth_secrets), on a fresh SQLite file in ``workdir``; yields the base
    URL and the server's log. A server that does not come up fails the test with its log's tail."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = write_auth_secrets(workdir / "secrets.toml", app_url=url, provider_url=provider_url,
                                      organisations=organisations, **secrets)
    log_path = workdir / "streamlit.log"
    proc = start_streamlit(port, f"sqlite:///{workdir / 'app.db'}", log_path, app=app, cwd=cwd, secrets=secrets_file)
    try:
        try:
            wait_for_health(url, proc, timeout=90)
        except RuntimeError as e:
            import pytest

            pytest.fail(f"{e}\n--- tail of {log_path} ---\n{log_tail(log_path)}", pytrace=False)
        yield url, log_path
    finally:
        stop_process(proc)


def sign_in(page: Page, app_url: str, provider_url: str, email: str, name: str,
            timeout: float = 60_000) -> None:
    """Sign in as email through the test provider and wait until the app has loaded again.

    Starting state: the app has sent page to the provider, i.e. the test has just clicked the
    app's sign-in button (the one that calls st.login()); page is on the provider's authorize
    form, or on its way there. This waits for the form, so the click need not be awaited.

    The provider first learns the user's claims (email, name, email_verified), so the app sees
    what a real provider would send; then the form is submitted for that user. Streamlit sets
    its cookie on /oauth2callback and redirects to the app's root, without the query string or
    page the user signed in from; the app may then take them on to that page
    (ui/sign_in_return.py), so any page of the app counts as back.
    """
    _put_user_claims(provider_url, email, {"email": email, "name": name, "email_verified": True})
    page.wait_for_url(provider_url.rstrip("/") + "/oauth2/authorize?**", timeout=timeout)
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    app_root = app_url.rstrip("/") + "/"
    page.wait_for_url(lambda url: url.startswith(app_root) and "/oauth2callback" not in url, timeout=timeout)
    wait_for_app(page, timeout=timeout)


def _put_user_claims(provider_url: str, sub: str, claims: Mapping[str, object]) -> None:
    """Tell the test provider which claims to issue for sub (oidc-provider-mock's PUT /users/<sub>)."""
    request = urllib.request.Request(
        f"{provider_url.rstrip('/')}/users/{quote(sub, safe='')}",
        data=json.dumps(claims).encode(), method="PUT", headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        if resp.status != 204:
            raise RuntimeError(f"the test provider refused the claims for {sub!r}: HTTP {resp.status}")

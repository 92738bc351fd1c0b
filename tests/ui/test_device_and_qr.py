"""The workshop's QR code (ui/components/qr.py) and the participant's device id (ui/device.py).

The QR code is checked module by module: the SVG's path and the PNG's pixels must both draw segno's
matrix for the text. The device id is checked in a real Chromium, since only a browser runs the
cookie script and sends the cookie back on the next visit.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap

import pytest
import segno
from PIL import Image
from streamlit.testing.v1 import AppTest

from engine.workshop.codes import secret_hash
from tests.browser.helpers import free_port, log_tail, start_streamlit, stop_process, wait_for_app, wait_for_health
from tests.ui.conftest import TIMEOUT
from ui.components.qr import BORDER, qr_png, qr_svg
from ui.device import COOKIE, cookie_script, is_device_id

#: A join link as the shared screen will show it (host and path are examples).
JOIN_LINK = "https://utfallskompassen.example.se/workshop?join=ABCDEFGH"
HOSTILE = '"><script>alert(1)</script>'


def _segno_modules(text: str) -> list[list[bool]]:
    """segno's own matrix for ``text`` with the border, as rows of dark (True) / light."""
    code = segno.make(text, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(border=BORDER)]


def _svg_modules(svg: str) -> list[list[bool]]:
    """Read back the dark modules from the SVG's path (segno draws each run of dark modules as one
    horizontal stroke through the middle of its row: ``M x y+0.5``, ``h<length>``, ``m<dx> <dy>``)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    path = re.search(r'<path[^>]*stroke="[^"]*"[^>]*\bd="([^"]+)"', svg).group(1)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for col in range(int(x), int(x) + int(a)):
                grid[int(y)][col] = True
            x += int(a)
    return grid


def _png_modules(png: bytes, scale: int) -> list[list[bool]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale
    assert image.width == image.height == size * scale
    return [[image.getpixel((c * scale + scale // 2, r * scale + scale // 2)) < 128 for c in range(size)]
            for r in range(size)]


# --------------------------------------------------------------------------- QR code


def test_a_join_link_makes_a_version_4_code_a_phone_reads_easily():
    code = segno.make(JOIN_LINK, error="m", micro=False)
    # 58 bytes need version 4 (33 x 33 modules, 41 with the border) at level M; a large, sparse
    # grid that a phone reads across a room.
    assert (code.version, code.error, code.symbol_size(border=BORDER)) == (4, "M", (41, 41))


def test_the_svg_draws_exactly_segnos_matrix_and_scales():
    svg = qr_svg(JOIN_LINK)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert 'viewBox="0 0 41 41"' in svg
    assert not re.search(r"<svg[^>]*\s(width|height)=", svg)  # no fixed size: its container decides
    assert _svg_modules(svg) == _segno_modules(JOIN_LINK)


def test_the_png_draws_exactly_segnos_matrix():
    assert _png_modules(qr_png(JOIN_LINK, scale=6), scale=6) == _segno_modules(JOIN_LINK)
    assert Image.open(io.BytesIO(qr_png(JOIN_LINK))).size == (410, 410)


def test_colours_are_used():
    svg = qr_svg(JOIN_LINK, dark="#123456", light="#fedcba")
    assert 'stroke="#123456"' in svg
    assert 'fill="#fedcba"' in svg


def test_hostile_text_is_only_encoded():
    svg = qr_svg(HOSTILE)
    assert "<svg" in svg
    assert "<script" not in svg.lower()
    assert "alert" not in svg
    assert HOSTILE not in svg
    assert _svg_modules(svg) == _segno_modules(HOSTILE)


def test_show_qr_escapes_the_caption(app_db):
    def script():
        from ui.components.qr import show_qr

        show_qr('"><script>alert(1)</script>', caption="<b>Gå med</b> & svara", width_px=200)

    at = AppTest.from_function(script).run(timeout=TIMEOUT)
    assert not at.exception
    body = at.get("html")[0].proto.body
    assert body.count("&lt;b&gt;Gå med&lt;/b&gt; &amp; svara") == 2  # caption and alternative text
    assert "<script" not in body
    assert "width:200px" in body
    source = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', body).group(1)
    assert base64.b64decode(source).decode() == qr_svg(HOSTILE)
    assert not at.get("html")[0].proto.unsafe_allow_javascript


# --------------------------------------------------------------------------- device id without a browser


def test_the_cookie_script_takes_only_a_device_id():
    script = cookie_script("a" * 32, secure=False)
    assert script == f'<script data-uk-device-cookie>document.cookie = "{COOKIE}={"a" * 32}; Path=/; Max-Age=31536000; SameSite=Lax";</script>'
    for bad in ('x"; alert(1); "' + "a" * 22, "a" * 21, "a" * 65, "a" * 30 + "</script>", ""):
        assert not is_device_id(bad)
        with pytest.raises(ValueError, match="device id"):
            cookie_script(bad, secure=False)


def test_a_session_without_a_cookie_gets_one_id_and_draws_the_script_once(app_db):
    def script():
        import streamlit as st

        from ui.device import device_hash, device_id

        st.text(f"id={device_id()} hash={device_hash()}")

    at = AppTest.from_function(script).run(timeout=TIMEOUT)
    assert not at.exception
    first = at.session_state["device_id"]
    assert is_device_id(first)
    assert len(first) == 32
    assert at.text[0].value == f"id={first} hash={secret_hash(first)}"
    scripts = [h for h in at.get("html") if h.proto.unsafe_allow_javascript]
    assert len(scripts) == 1
    assert f"{COOKIE}={first};" in scripts[0].proto.body
    at.run(timeout=TIMEOUT)
    assert at.session_state["device_id"] == first
    assert not at.get("html")  # not drawn again in the same session


# --------------------------------------------------------------------------- device id in Chromium

_DEVICE_APP = """
import sys
sys.path.insert(0, {repo!r})

import streamlit as st

from ui.components.qr import show_qr
from ui.device import device_id

st.text(f"device={{device_id()}}")
show_qr({hostile!r}, caption="<i>Skanna</i>", width_px=240)
st.text("end")
"""


@pytest.fixture(scope="module")
def device_app(tmp_path_factory):
    from tests.browser.helpers import REPO_ROOT

    workdir = tmp_path_factory.mktemp("device_app")
    app = workdir / "device_app.py"
    app.write_text(textwrap.dedent(_DEVICE_APP.format(repo=str(REPO_ROOT), hostile=HOSTILE)))
    log_path = workdir / "streamlit.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    proc = start_streamlit(port, f"sqlite:///{workdir / 'app.db'}", log_path, app=app, cwd=REPO_ROOT)
    try:
        try:
            wait_for_health(base_url, proc, timeout=90)
        except RuntimeError as e:
            pytest.fail(f"{e}\n--- tail of {log_path} ---\n{log_tail(log_path)}", pytrace=False)
        yield base_url
    finally:
        stop_process(proc)


def _shown_id(page) -> str:
    wait_for_app(page)
    text = page.get_by_text(re.compile(r"^device=")).inner_text()
    return text.removeprefix("device=")


@pytest.mark.browser
def test_the_device_id_survives_a_reload_but_not_another_browser(browser, device_app):
    phone = browser.new_context()
    other = browser.new_context()
    try:
        page = phone.new_page()
        page.goto(device_app, wait_until="domcontentloaded")
        first = _shown_id(page)
        assert is_device_id(first)
        # The script's element takes no room (no gap that would vanish on the next run).
        holder = page.locator('[data-testid="stElementContainer"]:has([data-uk-device-cookie])')
        assert holder.count() == 1
        assert holder.is_hidden()
        cookies = {c["name"]: c for c in phone.cookies()}
        assert cookies[COOKIE]["value"] == first
        assert cookies[COOKIE]["sameSite"] == "Lax"
        assert cookies[COOKIE]["path"] == "/"
        assert cookies[COOKIE]["expires"] > 0  # kept when the browser closes, not a session cookie

        page.reload(wait_until="domcontentloaded")
        assert _shown_id(page) == first
        assert holder.count() == 0  # the id came from the cookie: nothing to write
        page.close()
        page = phone.new_page()  # a closed tab, opened again
        page.goto(device_app, wait_until="domcontentloaded")
        assert _shown_id(page) == first

        # The QR code is drawn; the hostile text it encodes ran nowhere and the caption is text.
        image = page.locator('[data-testid="stHtml"] img')
        assert image.count() == 1
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
        box = image.bounding_box()
        assert box is not None
        assert abs(box["width"] - 240) < 2
        assert abs(box["height"] - 240) < 2
        assert page.get_by_text("<i>Skanna</i>").count() == 1
        assert page.evaluate("() => document.querySelectorAll('[data-testid=stHtml] script').length") == 0

        elsewhere = other.new_page()
        elsewhere.goto(device_app, wait_until="domcontentloaded")
        second = _shown_id(elsewhere)
        assert is_device_id(second)
        assert second != first
        assert {c["name"]: c["value"] for c in other.cookies()}[COOKIE] == second
    finally:
        phone.close()
        other.close()


@pytest.mark.browser
def test_a_malformed_cookie_is_replaced(browser, device_app):
    context = browser.new_context()
    try:
        context.add_cookies([{"name": COOKIE, "value": "short", "url": device_app}])
        page = context.new_page()
        page.goto(device_app, wait_until="domcontentloaded")
        new = _shown_id(page)
        assert is_device_id(new)
        assert {c["name"]: c["value"] for c in context.cookies()}[COOKIE] == new
    finally:
        context.close()

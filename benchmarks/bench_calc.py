"""Långsiktig kalkyl: how fast the page answers one change, as a ratio to a bare Streamlit page.

A benchmark script, not a test. In headless Chromium against real servers, both measured in this
run: the bare page (benchmarks/bare_app.py, one number input and one heading) and the calculation
page on its default example. For each, from pressing Enter in the field until
  (a) the heading shows the new result ("headline"), and
  (b) the script run has finished and the page is idle ("page ready").
Prints medians in ms and the ratios calculation / bare page. Goals: headline <= 2x, page ready <= 3x.
The field is found by its label whether it is a number box or a text field (typed "11,5" then).

With --floor it also measures benchmarks/floor_app.py: the calculation page's kinds and numbers of
elements with none of its work, i.e. what Streamlit itself needs to redraw that page.

Also prints (c) the calculation page's rerun server side (AppTest), for comparison with earlier runs.

Usage: .venv/bin/python benchmarks/bench_calc.py [--changes 15] [--floor]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from tests.browser.helpers import (
    APP_IDLE_JS,
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    IDLE_STATES,
    free_port,
    start_streamlit,
    stop_process,
    wait_for_app,
    wait_for_health,
)

_HEADING_CHANGED = """(before) => {
    const h = document.querySelector('h4');
    return h && h.innerText !== before;
}"""


def _median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def field_by_label(page, name: str):
    """The input labelled exactly ``name``: a number box (role spinbutton) or a text field (textbox)."""
    return page.get_by_role("spinbutton", name=name, exact=True).or_(
        page.get_by_role("textbox", name=name, exact=True)).first


def typed(value: float, text_field: bool) -> str:
    """``value`` as a user types it: a text field reads Swedish (``11,5``), a number box wants ``11.5``.

    >>> typed(11.5, True), typed(11.5, False), typed(12.0, True)
    ('11,5', '11.5', '12')
    """
    text = f"{value:g}"
    return text.replace(".", ",") if text_field else text


def measure(page, url: str, field_name: str, values: list[float]) -> tuple[list[float], list[float]]:
    """(headline, page ready) seconds for each value typed into the field called ``field_name``."""
    page.goto(url)
    wait_for_app(page)
    field = field_by_label(page, field_name)
    text_field = field.get_attribute("type") != "number"
    headline, ready = [], []
    for value in values:
        before = page.locator("h4").first.inner_text()
        field.fill(typed(value, text_field))
        start = time.perf_counter()
        # fill() left the focus in the field: pressing Enter there, instead of on the locator,
        # keeps Playwright's search of the page for the field out of the measured time.
        page.keyboard.press("Enter")
        page.wait_for_function(_HEADING_CHANGED, arg=before, timeout=60_000, polling="raf")
        headline.append(time.perf_counter() - start)
        # The heading changed, so this run has started; idle now means it has finished.
        page.wait_for_function(APP_IDLE_JS, arg=list(IDLE_STATES), timeout=60_000, polling="raf")
        ready.append(time.perf_counter() - start)
    return headline, ready


#: The pages measured: name -> (script, path and query, label of the field typed into).
PAGES = {
    "bare": (REPO_ROOT / "benchmarks" / "bare_app.py", "", "Värde"),
    "calc": (REPO_ROOT / "app.py", "kalkyl?lang=sv", "Effekt (% minskning)"),
    "floor": (REPO_ROOT / "benchmarks" / "floor_app.py", "", "Effekt (% minskning)"),
}


def in_browser(changes: int, floor: bool) -> None:
    from playwright.sync_api import sync_playwright

    # Half-percent steps: a text field gets a decimal comma to read, and every value changes the heading.
    values = [10.5 + (i % 5) for i in range(changes)]
    names = ["bare", "calc", *(["floor"] if floor else [])]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        servers = {}
        try:
            ports = {}
            for name in names:
                ports[name] = free_port()
                servers[name] = start_streamlit(ports[name], f"sqlite:///{folder}/{name}.db",
                                                Path(folder) / f"{name}.log", app=PAGES[name][0])
            for name, port in ports.items():
                wait_for_health(f"http://127.0.0.1:{port}", servers[name])
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            # Alternate the pages so that a slow moment of the machine hits them alike.
            results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in names}
            for start in range(0, changes, 5):
                chunk = values[start:start + 5]
                for name in names:
                    _, path, field = PAGES[name]
                    headline, ready = measure(page, f"http://127.0.0.1:{ports[name]}/{path}", field, chunk)
                    results[name][0].extend(headline)
                    results[name][1].extend(ready)
            browser.close()
        finally:
            for server in servers.values():
                stop_process(server)
    medians = {name: (_median_ms(h), _median_ms(r)) for name, (h, r) in results.items()}
    print(f"{'':<44}{'bare page':>12}{'kalkyl':>12}{'ratio':>9}   goal" + ("   floor page   ratio" if floor else ""))
    for index, (label, goal) in enumerate((("(a) Enter -> headline updated (median ms)", "<= 2x"),
                                           ("(b) Enter -> page ready (median ms)", "<= 3x"))):
        bare, calc = medians["bare"][index], medians["calc"][index]
        line = f"{label:<44}{bare:12.0f}{calc:12.0f}{calc / bare:8.1f}x   {goal}"
        if floor:
            line += f"{medians['floor'][index]:13.0f}{medians['floor'][index] / bare:7.1f}x"
        print(line)


def server_side(changes: int) -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/calc.db"
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("pages/kalkyl.py").run()
        # The first outcome's effect, a number box or a text field.
        effect = next(w for w in [*at.number_input, *at.text_input] if w.key and w.key.endswith("_o0_effect"))
        timings = []
        for i in range(changes):
            value = 10.5 + (i % 5)
            widget = (at.number_input if effect.type == "number_input" else at.text_input)(key=effect.key)
            widget.set_value(value if effect.type == "number_input" else typed(value, text_field=True))
            start = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    print(f"{'(c) rerun after one change, server side (median ms)':<56}{_median_ms(timings):8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=15)
    parser.add_argument("--floor", action="store_true", help="also measure benchmarks/floor_app.py")
    arguments = parser.parse_args()
    in_browser(arguments.changes, arguments.floor)
    server_side(arguments.changes)

"""Långsiktig kalkyl: how fast the page answers one change, as a ratio to a bare Streamlit page.

A benchmark script, not a test. In headless Chromium against real servers, both measured in this
run: the bare page (benchmarks/bare_app.py, one number input and one heading) and the calculation
page on its default example. For each, from pressing Enter in a number field until
  (a) the heading shows the new result ("headline"), and
  (b) the script run has finished and the page is idle ("page ready").
Prints medians in ms and the ratios calculation / bare page. Goals: headline <= 2x, page ready <= 3x.

Also prints (c) the calculation page's rerun server side (AppTest), for comparison with earlier runs.

Usage: .venv/bin/python benchmarks/bench_calc.py [--changes 15]
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


def measure(page, url: str, field_name: str, values: list[float]) -> tuple[list[float], list[float]]:
    """(headline, page ready) seconds for each value typed into the field called ``field_name``."""
    page.goto(url)
    wait_for_app(page)
    field = page.get_by_role("spinbutton", name=field_name).first
    headline, ready = [], []
    for value in values:
        before = page.locator("h4").first.inner_text()
        field.fill(f"{value:g}")
        start = time.perf_counter()
        field.press("Enter")
        page.wait_for_function(_HEADING_CHANGED, arg=before, timeout=60_000, polling="raf")
        headline.append(time.perf_counter() - start)
        # The heading changed, so this run has started; idle now means it has finished.
        page.wait_for_function(APP_IDLE_JS, arg=list(IDLE_STATES), timeout=60_000, polling="raf")
        ready.append(time.perf_counter() - start)
    return headline, ready


def in_browser(changes: int) -> None:
    from playwright.sync_api import sync_playwright

    values = [11.0 + (i % 5) for i in range(changes)]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        servers = []
        try:
            ports = {}
            for name, app in (("bare", REPO_ROOT / "benchmarks" / "bare_app.py"), ("calc", REPO_ROOT / "app.py")):
                ports[name] = free_port()
                servers.append(start_streamlit(ports[name], f"sqlite:///{folder}/{name}.db",
                                               Path(folder) / f"{name}.log", app=app))
            for name, port in ports.items():
                wait_for_health(f"http://127.0.0.1:{port}", servers[list(ports).index(name)])
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            # Alternate the two pages so that a slow moment of the machine hits both alike.
            results = {"bare": ([], []), "calc": ([], [])}
            for start in range(0, changes, 5):
                chunk = values[start:start + 5]
                for name, url, field in (
                        ("bare", f"http://127.0.0.1:{ports['bare']}/", "Värde"),
                        ("calc", f"http://127.0.0.1:{ports['calc']}/kalkyl?lang=sv", "Effekt (% minskning)")):
                    headline, ready = measure(page, url, field, chunk)
                    results[name][0].extend(headline)
                    results[name][1].extend(ready)
            browser.close()
        finally:
            for server in servers:
                stop_process(server)
    bare_headline, bare_ready = (_median_ms(s) for s in results["bare"])
    calc_headline, calc_ready = (_median_ms(s) for s in results["calc"])
    print(f"{'':<44}{'bare page':>12}{'kalkyl':>12}{'ratio':>9}   goal")
    print(f"{'(a) Enter -> headline updated (median ms)':<44}{bare_headline:12.0f}{calc_headline:12.0f}"
          f"{calc_headline / bare_headline:8.1f}x   <= 2x")
    print(f"{'(b) Enter -> page ready (median ms)':<44}{bare_ready:12.0f}{calc_ready:12.0f}"
          f"{calc_ready / bare_ready:8.1f}x   <= 3x")


def server_side(changes: int) -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/calc.db"
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("pages/kalkyl.py").run()
        effect = next(w.key for w in at.number_input if w.key and w.key.endswith("_o0_effect"))
        timings = []
        for i in range(changes):
            at.number_input(key=effect).set_value(10.0 + (i % 5))
            start = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    print(f"{'(c) rerun after one change, server side (median ms)':<56}{_median_ms(timings):8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=15)
    arguments = parser.parse_args()
    in_browser(arguments.changes)
    server_side(arguments.changes)

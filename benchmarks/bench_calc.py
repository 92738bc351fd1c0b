"""Långsiktig kalkyl: how fast the page answers a change. A benchmark script, not a test.

Prints
  (a) the page's rerun after one input change, server side (AppTest, the effect of outcome 1);
  (b) in headless Chromium against the real server: from pressing Enter in the effect field until
      the headline and the cumulative chart show the new result.

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
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
from helpers import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    free_port,
    start_streamlit,
    stop_process,
    wait_for_app,
    wait_for_health,
)


def report(label: str, seconds: list[float], target: str) -> None:
    ms = sorted(s * 1000 for s in seconds)
    print(f"{label:<52} median {statistics.median(ms):7.1f} ms   max {ms[-1]:7.1f} ms   target {target}")


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
    report("(a) rerun after one input change (server side)", timings, "< 500 ms")


def in_browser(changes: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_streamlit(port, f"sqlite:///{folder}/app.db", Path(folder) / "log.txt")
        try:
            wait_for_health(base, proc)
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/kalkyl?lang=sv")
            wait_for_app(page)
            effect = page.get_by_role("spinbutton", name="Effekt (% minskning)").first
            timings = []
            for i in range(changes):
                before_headline = page.locator("h4").first.inner_text()
                before_chart = page.locator(".js-plotly-plot .scatterlayer").first.inner_html()
                effect.fill(str(11 + (i % 5)))
                start = time.perf_counter()
                effect.press("Enter")
                page.wait_for_function(
                    """([headline, chart]) => {
                        const h = document.querySelector('h4');
                        const c = document.querySelector('.js-plotly-plot .scatterlayer');
                        return h && c && h.innerText !== headline && c.innerHTML !== chart;
                    }""", arg=[before_headline, before_chart], timeout=30_000, polling="raf")
                timings.append(time.perf_counter() - start)
                wait_for_app(page)
            browser.close()
        finally:
            stop_process(proc)
    report("(b) browser: Enter -> headline and chart updated", timings, "< 1 500 ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=15)
    arguments = parser.parse_args()
    server_side(arguments.changes)
    in_browser(arguments.changes)

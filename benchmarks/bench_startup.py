"""How long Utfallskompassen takes to start: a benchmark script, not a test.

Measures, over several fresh launches of `streamlit run app.py` (default 3):
  (a) launch -> /_stcore/health answers "ok"           (the server is up)
  (b) launch -> home page h1 "Utfallskompassen" shown   (what a user waits for)
and prints each run plus the median and max of both.

Each run gets a new port and a new, empty SQLite database (DATABASE_URL), so (b) includes
whatever the app does on first start against a new database. Headless Chromium is launched
once before the runs and is not part of either time; the page is requested the moment the
health check answers, as a user's browser would.

The app is started exactly as the browser tests start it (tests/browser/helpers.py).

Usage:
    .venv/bin/python benchmarks/bench_startup.py [--runs 3] [--app app.py] [--json benchmarks/out/startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Borrow the process helpers of the browser tests, so that both launch the app identically.
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
from helpers import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    free_port,
    log_tail,
    start_streamlit,
    stop_process,
    wait_for_health,
)

TITLE = "Utfallskompassen"
TIMEOUT_S = 90.0


def one_run(browser, app: Path, cwd: Path) -> tuple[float, float]:
    """Launch the app once; return (seconds to health ok, seconds to rendered home page)."""
    with tempfile.TemporaryDirectory(prefix="utk-bench-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        proc = start_streamlit(port, f"sqlite:///{Path(tmp) / 'app.db'}", log_path, app=app, cwd=cwd)
        try:
            # Poll often: the interval is the measurement's resolution.
            wait_for_health(base_url, proc, timeout=TIMEOUT_S, interval=0.02)
            health = time.perf_counter() - t0
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            try:
                page = context.new_page()
                page.goto(base_url + "/", wait_until="commit", timeout=TIMEOUT_S * 1000)
                page.locator("h1", has_text=TITLE).first.wait_for(
                    state="visible", timeout=max(1.0, TIMEOUT_S - (time.perf_counter() - t0)) * 1000
                )
                rendered = time.perf_counter() - t0
            finally:
                context.close()
        except Exception as e:
            raise RuntimeError(f"{e}\n--- tail of the app's log ---\n{log_tail(log_path)}") from e
        finally:
            stop_process(proc)
    return health, rendered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh launches to time (default 3)")
    parser.add_argument("--app", type=Path, default=REPO_ROOT / "app.py",
                        help="Streamlit script to start (default: the repo's app.py)")
    parser.add_argument("--json", type=Path, help="also write the results here (benchmarks/out/ is git-ignored)")
    args = parser.parse_args()

    app = args.app.resolve()
    if not app.is_file():
        print(f"error: {app} does not exist", file=sys.stderr)
        return 2
    if not os.access(CHROMIUM_PATH, os.X_OK):
        print(f"error: {CHROMIUM_PATH} not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("error: playwright is not installed (pip install -r requirements-dev.txt)", file=sys.stderr)
        return 2

    # Run from the repo root, so .streamlit/config.toml applies as it does for `make run`;
    # a script outside the repo (a stand-in while developing) runs from its own folder.
    cwd = REPO_ROOT if app.is_relative_to(REPO_ROOT) else app.parent
    print(f"Start-up of {app.relative_to(cwd)} (from {cwd}), {args.runs} run{'s' if args.runs != 1 else ''}, fresh SQLite database each")
    health_times: list[float] = []
    render_times: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        try:
            for i in range(1, args.runs + 1):
                try:
                    health, rendered = one_run(browser, app, cwd)
                except RuntimeError as e:
                    print(f"run {i}: FAILED: {e}", file=sys.stderr)
                    return 1
                health_times.append(health)
                render_times.append(rendered)
                print(f"  run {i}: health ok after {health:6.2f} s, home page rendered after {rendered:6.2f} s")
        finally:
            browser.close()

    rows = [
        ("(a) launch -> /_stcore/health ok", health_times),
        ("(b) launch -> home page rendered", render_times),
    ]
    for label, times in rows:
        print(f"{label}:  median {statistics.median(times):6.2f} s   max {max(times):6.2f} s")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "runs": args.runs,
            "health_s": health_times,
            "rendered_s": render_times,
            "health_median_s": statistics.median(health_times),
            "health_max_s": max(health_times),
            "rendered_median_s": statistics.median(render_times),
            "rendered_max_s": max(render_times),
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Foundation figures: save and reload of a scenario, and the home page's rerun time.

Run: .venv/bin/python benchmarks/bench_foundation.py
Prints medians and 95th percentiles; it is not a test (the machines are noisy).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.scenario import parse_scenario
from engine.storage import load_scenario, open_database, save_scenario, session_factory

EXAMPLE = ROOT / "data" / "examples" / "sjukfranvaro.json"


def summary(label: str, seconds: list[float], note: str = "") -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{label:<44} median {statistics.median(ms):8.2f} ms   p95 {p95:8.2f} ms" + (f"   ({note})" if note else ""))


def bench_save_and_reload(repeats: int = 200) -> None:
    scenario = parse_scenario(EXAMPLE.read_bytes())
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{folder}/bench.db")
        sessions = session_factory(engine)
        with sessions.begin() as session:
            document = save_scenario(session, scenario).document_id
        saves, loads = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            with sessions.begin() as session:
                save_scenario(session, scenario, document)
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            with sessions.begin() as session:
                load_scenario(session, document)
            loads.append(time.perf_counter() - start)
        engine.dispose()
    summary("save a scenario (new version, SQLite file)", saves, "one transaction, fsync'd")
    summary("reload the latest version (and validate)", loads)


def bench_home_rerun(repeats: int = 20) -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/home.db"
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        start = time.perf_counter()
        app.run()
        first = time.perf_counter() - start
        reruns = []
        for _ in range(repeats):
            start = time.perf_counter()
            app.run()
            reruns.append(time.perf_counter() - start)
    print(f"{'home page, first run (imports, migrations)':<44} {first * 1000:8.1f} ms")
    summary("home page rerun (server side, AppTest)", reruns)


if __name__ == "__main__":
    bench_save_and_reload()
    bench_home_rerun()

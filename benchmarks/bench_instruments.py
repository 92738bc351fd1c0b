"""Timings of the instrument comparison and of one contract's cash flows (a script, not a test).

Run: .venv/bin/python benchmarks/bench_instruments.py [--page]

Targets (from the instruments issue): all eight instruments on 10 000 draws < 1 s. Also printed:
one contract evaluation (contract_cash_flows), peak memory of the comparison, the five example
cases, and with ``--page`` the "Jämför instrument" page's rerun time in AppTest.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_savings import benchmark_scenario
from benchmarks.timing import report_line, timings_ms
from engine.examples import example_ids, load_example
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows
from engine.scenario import Contract, Scenario

_COMPARE_MS = 1000.0
_DRAWS = 10_000


def _contract_scenario() -> Scenario:
    """The savings benchmark (3 outcomes, 4 payers, 20 years) under a social outcomes contract."""
    scenario = benchmark_scenario()
    return scenario.model_copy(update={"contract": Contract(
        instrument="social_outcomes_contract", prices={"Undvikna sjukdagar": 1_500, "Undvikna vårddygn": 6_000},
        fixed_share=0.3, threshold=0.05, cap=30_000_000, payment_window=[1, 5], investor_required_return=0.08)})


def _page_rerun_ms() -> tuple[float, float]:
    """(first run after opening, median of later reruns) of the page in AppTest, in ms. Later reruns
    reuse the cached comparison, as a user's reruns do while editing other inputs."""
    import os
    import tempfile

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    app.run()
    start = time.perf_counter()
    app.switch_page("pages/jamfor_instrument.py").run()
    first = (time.perf_counter() - start) * 1000
    if app.exception:
        raise RuntimeError(app.exception)
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        app.run()
        samples.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(samples)


def main() -> int:
    scenario = _contract_scenario()
    print(f"Scenario: {scenario.name} ({len(scenario.outcomes)} outcomes, {scenario.horizon_years} years, "
          f"{len(scenario.payers)} payers), {scenario.contract.instrument}")

    print(f"\nAll eight instruments (compare_instruments), {_DRAWS:,} draws, 15 repeats")
    samples = timings_ms(lambda: compare_instruments(scenario, draws=_DRAWS), 15)
    report_line("median", statistics.median(samples), "ms", _COMPARE_MS)
    report_line("max", max(samples), "ms", _COMPARE_MS)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    compare_instruments(scenario, draws=_DRAWS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report_line("peak extra memory (tracemalloc)", (peak - before) / 1e6, "MB")
    samples = timings_ms(lambda: compare_instruments(scenario, draws=100_000), 3)
    report_line("median, 100 000 draws", statistics.median(samples), "ms")

    print("\nOne contract (contract_cash_flows), 500 repeats")
    samples = timings_ms(lambda: contract_cash_flows(scenario), 500)
    report_line("median", statistics.median(samples), "ms")

    print(f"\nExample cases, all eight instruments on {_DRAWS:,} draws (median of 5)")
    for example in example_ids():
        case = load_example(example)
        report_line(example, statistics.median(timings_ms(lambda case=case: compare_instruments(case, draws=_DRAWS), 5)),
              "ms", _COMPARE_MS)

    if "--page" in sys.argv:
        print("\nPage (AppTest, pages/jamfor_instrument.py, first example)")
        first, rerun = _page_rerun_ms()
        report_line("first run (comparison not cached)", first, "ms")
        report_line("rerun, median of 5", rerun, "ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

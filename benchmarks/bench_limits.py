"""Work at the scenario limits: peak memory and time of what the pages compute, for a scenario at
every limit and for the default example.

A benchmark script, not a test (tests/hostile/test_limits.py asserts the bounds by counting). Prints:

* (a) Långsiktig kalkyl's work (project_savings, the 10 000-draw Monte Carlo, the tornado) and
  (b) Jämför instrument's work (the contract in the expected case for the chosen instrument, the
  investor and the fund, the suggested prices, and all eight instruments on 10 000 draws), each in a
  fresh subprocess: wall time, the peak of memory numpy and Python allocate (tracemalloc, in a
  second run) and the process's peak resident size (``ru_maxrss``, imports included; the size after
  the imports alone is shown for reference);
* the tornado's time for 1, 5, 10 and 20 outcomes (each outcome valued by 10 budget holders, 60
  years), which grows linearly with the number of bars;
* the AppTest run of pages/kalkyl.py and pages/jamfor_instrument.py with the at-limits scenario
  saved in a temporary SQLite database and opened by ``?scenario=saved:<id>``: the first run
  (which computes) and a rerun (which finds the results cached).

The scenario at the limits: 20 outcomes each valued by 10 budget holders, 30 cost items, a 60-year
horizon with 60 years of intake, 60-year effect profiles, effect ranges, value and cost ranges, a
social outcomes contract pricing every outcome with a cap and a payment window, 200 sources.

Usage: .venv/bin/python benchmarks/bench_limits.py [--no-pages]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from engine.examples import example_ids, load_example
from engine.scenario import (
    FORMAT_ID,
    MAX_COST_ITEMS,
    MAX_HORIZON_YEARS,
    MAX_OUTCOMES,
    MAX_PAYERS,
    MAX_SOURCES,
    Scenario,
    parse_scenario,
)

DRAWS = 10_000


def limits_dict(outcomes: int = MAX_OUTCOMES) -> dict[str, Any]:
    """Scenario data at every limit (see the module docstring), with ``outcomes`` outcomes."""
    years = MAX_HORIZON_YEARS
    payers = [f"Budget {j + 1}" for j in range(MAX_PAYERS)]
    return {
        "format": FORMAT_ID, "name": "Vid alla gränser", "price_year": 2025, "discount_rate": 0.035,
        "horizon_years": years, "contract_years": 10, "intake": [100.0 + i for i in range(years)],
        "costs": [{"name": f"Kostnad {k + 1}", "payer": payers[k % MAX_PAYERS], "kind": "delivery" if k % 3 else "other",
                   **({"per_participant": 5_000.0 + k} if k % 2 else {"per_year": 1e5 + k, "first_year": 1, "last_year": years})}
                  for k in range(MAX_COST_ITEMS)],
        "outcomes": [{"name": f"Utfall {i + 1}", "unit": "dagar", "baseline": 10.0 + i, "effect": 0.2,
                      "effect_range": [0.05, 0.4], "effect_profile": [1.0 - j / years for j in range(years)],
                      "deadweight": 0.1, "values": {p: 100.0 + j for j, p in enumerate(payers)}}
                     for i in range(outcomes)],
        "optimism_bias": 0.1,
        "uncertainty": {"value_range": [0.7, 1.3], "cost_range": [0.9, 1.5]},
        "contract": {"instrument": "social_outcomes_contract", "outcome_payer": payers[0],
                     "prices": {f"Utfall {i + 1}": 50.0 for i in range(outcomes)}, "cap": 1e9, "payment_window": [1, 12]},
        "sources": [{"field": "intake", "text": f"Källa {k + 1}"} for k in range(MAX_SOURCES)],
    }


def scenario_of(name: str) -> Scenario:
    """``limits`` or ``example`` (the example a new session opens first)."""
    return parse_scenario(limits_dict()) if name == "limits" else load_example(example_ids()[0])


def calculation_work(scenario: Scenario) -> None:
    """What Långsiktig kalkyl computes: the projection, the Monte Carlo and the tornado."""
    from engine.savings.model import project_savings
    from engine.savings.uncertainty import DEFAULT_SEED, sensitivity, simulate_savings

    project_savings(scenario)
    simulate_savings(scenario, draws=DRAWS, seed=DEFAULT_SEED)
    sensitivity(scenario)


def comparison_work(scenario: Scenario) -> None:
    """What Jämför instrument computes (pages/jamfor_instrument.py)."""
    from engine.instruments.comparison import compare_instruments
    from engine.instruments.contract import contract_cash_flows
    from engine.instruments.finance import suggested_prices
    from engine.savings.uncertainty import DEFAULT_SEED

    suggested_prices(scenario)
    contract_cash_flows(scenario)
    compare_instruments(scenario, draws=DRAWS, seed=DEFAULT_SEED)
    contract_cash_flows(scenario, "social_outcomes_contract")
    contract_cash_flows(scenario, "social_investment_fund")


WORK: dict[str, Callable[[Scenario], None]] = {"calc": calculation_work, "compare": comparison_work}


def _maxrss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(work: str, scenario_name: str) -> dict[str, float]:
    """Inside the subprocess: time the work (best of two), then its peak traced memory."""
    scenario = scenario_of(scenario_name)
    import numpy  # noqa: F401  (its import is part of the baseline, not of the work)

    baseline = _maxrss_mb()
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        WORK[work](scenario)
        seconds.append(time.perf_counter() - start)
    maxrss = _maxrss_mb()
    tracemalloc.start()
    WORK[work](scenario)
    traced = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return {"seconds": min(seconds), "traced_mb": traced, "maxrss_mb": maxrss, "baseline_mb": baseline}


def in_subprocess(work: str, scenario_name: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--case", work, scenario_name], capture_output=True, text=True,
                          check=False, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise SystemExit(f"case {work} {scenario_name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def tornado_ms(outcomes: int, repeats: int = 40) -> float:
    """The tornado's time in ms, the fastest of ``repeats`` (the least disturbed by other processes)."""
    from engine.savings.uncertainty import sensitivity

    scenario = parse_scenario(limits_dict(outcomes))
    sensitivity(scenario)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        sensitivity(scenario)
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples)


def page_runs(folder: str) -> list[tuple[str, float, float]]:
    """(page, first run s, rerun s) of the two pages with the at-limits scenario open."""
    from streamlit.testing.v1 import AppTest

    from engine.storage import open_database, save_scenario, session_factory

    url = f"sqlite:///{folder}/limits.db"
    os.environ["DATABASE_URL"] = url
    database = open_database(url)
    with session_factory(database).begin() as session:
        document_id = save_scenario(session, parse_scenario(limits_dict())).document_id
    database.dispose()
    rows = []
    for page in ("pages/kalkyl.py", "pages/jamfor_instrument.py"):
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
        at.query_params["scenario"] = f"saved:{document_id}"
        at.run()
        start = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - start
        assert not at.exception, at.exception
        start = time.perf_counter()
        at.run()
        rerun = time.perf_counter() - start
        assert not at.exception, at.exception
        rows.append((page, first, rerun))
    return rows


def main(with_pages: bool) -> None:
    print(f"Scenario at the limits: {MAX_OUTCOMES} outcomes x {MAX_PAYERS} budget holders, {MAX_COST_ITEMS} cost items, "
          f"{MAX_HORIZON_YEARS} years, {MAX_SOURCES} sources; {DRAWS:,} draws.\n")
    print(f"{'work':<36}{'scenario':<12}{'seconds':>9}{'traced MB':>11}{'maxrss MB':>11}{'after imports':>15}")
    for work, label in (("calc", "(a) Långsiktig kalkyl"), ("compare", "(b) Jämför instrument")):
        for scenario_name in ("limits", "example"):
            figures = in_subprocess(work, scenario_name)
            print(f"{label:<36}{scenario_name:<12}{figures['seconds']:9.2f}{figures['traced_mb']:11.1f}"
                  f"{figures['maxrss_mb']:11.0f}{figures['baseline_mb']:15.0f}")
    print("\nTornado (sensitivity) at 10 budget holders and 60 years, fastest of 40")
    print(f"{'outcomes':<12}{'bars':>6}{'NPV evaluations':>17}{'ms':>9}{'ms per evaluation':>19}")
    for outcomes in (1, 5, 10, 20):
        bars = 2 * outcomes + 3
        ms = tornado_ms(outcomes)
        print(f"{outcomes:<12}{bars:>6}{2 * bars + 1:>17}{ms:9.2f}{ms / (2 * bars + 1):19.3f}")
    if with_pages:
        print("\nAppTest with the at-limits scenario open (?scenario=saved:<id>)")
        print(f"{'page':<32}{'first run s':>13}{'rerun s':>10}")
        with tempfile.TemporaryDirectory() as folder:
            for page, first, rerun in page_runs(folder):
                print(f"{page:<32}{first:13.2f}{rerun:10.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs=2, metavar=("WORK", "SCENARIO"), help=argparse.SUPPRESS)
    parser.add_argument("--no-pages", action="store_true", help="skip the AppTest runs of the two pages")
    arguments = parser.parse_args()
    if arguments.case:
        print(json.dumps(run_case(*arguments.case)))
    else:
        main(not arguments.no_pages)

"""Timings of the savings model, its Monte Carlo and the tornado (a script, not a test).

Run: .venv/bin/python benchmarks/bench_savings.py

Prints each figure with its target next to it. Targets (from the savings-model issue):
deterministic evaluation of a 3-outcome, 20-year scenario < 5 ms; 10 000 Monte Carlo draws
< 200 ms and < 100 MB extra memory.
"""

from __future__ import annotations

import statistics
import sys
import tracemalloc
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import report_line, timings_ms
from engine.i18n import format_sek
from engine.savings.model import project_savings, to_json_dict
from engine.savings.uncertainty import sensitivity, simulate_savings, tornado_label
from engine.scenario import FORMAT_ID, Scenario, parse_scenario

_DETERMINISTIC_MS = 5.0
_MONTE_CARLO_MS = 200.0
_MONTE_CARLO_MB = 100.0
_DRAWS = 10_000


def benchmark_scenario() -> Scenario:
    """Three outcomes, four payers, four cohorts, a 20-year horizon and a 4-year contract."""
    profile = [0.5, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2]
    return parse_scenario({
        "format": FORMAT_ID,
        "name": "Benchmark: tre utfall, 20 år",
        "price_year": 2025,
        "discount_rate": 0.035,
        "horizon_years": 20,
        "contract_years": 4,
        "intake": [120, 120, 120, 120],
        "costs": [
            {"name": "Insats", "payer": "kommun", "kind": "delivery", "per_participant": 25_000},
            {"name": "Utvärdering", "payer": "kommun", "kind": "other", "per_year": 300_000, "last_year": 5},
            {"name": "Samordning", "payer": "region", "kind": "other", "per_year": 150_000},
        ],
        "outcomes": [
            {"name": "Undvikna sjukdagar", "unit": "dagar", "baseline": 20.0, "effect": 0.12,
             "effect_range": [0.05, 0.2], "effect_profile": profile, "deadweight": 0.1,
             "values": {"kommun": 2_200, "forsakringskassan": 800}},
            {"name": "Undvikna vårddygn", "unit": "dygn", "baseline": 3.0, "effect": 0.2,
             "effect_range": [0.0, 0.35], "effect_profile": profile + [0.1] * 8, "deadweight": 0.2,
             "values": {"region": 9_000}},
            {"name": "Månader med försörjningsstöd", "unit": "månader", "baseline": 2.0, "effect": 0.15,
             "effect_range": [0.05, 0.3], "effect_profile": [0.3, 0.8, 1.0, 1.0, 1.0, 0.8, 0.6, 0.4],
             "deadweight": 0.15, "values": {"kommun": 11_000, "stat": 2_000}},
        ],
        "optimism_bias": 0.1,
        "uncertainty": {"value_range": [0.8, 1.2], "cost_range": [0.95, 1.3]},
    })


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def main() -> int:
    scenario = benchmark_scenario()
    print(f"Scenario: {scenario.name} ({len(scenario.outcomes)} outcomes, {scenario.horizon_years} years, "
          f"{len(scenario.payers)} payers)")

    print("\nDeterministic evaluation (project_savings), 5 000 repeats")
    samples = timings_ms(lambda: project_savings(scenario), 5_000)
    report_line("median", statistics.median(samples), "ms", _DETERMINISTIC_MS)
    report_line("p95", _p95(samples), "ms", _DETERMINISTIC_MS)
    samples = timings_ms(lambda: to_json_dict(project_savings(scenario)), 2_000)
    report_line("median incl. JSON results (to_json_dict)", statistics.median(samples), "ms", _DETERMINISTIC_MS)

    print(f"\nMonte Carlo (simulate_savings), {_DRAWS:,} draws, 30 repeats")
    samples = timings_ms(lambda: simulate_savings(scenario, draws=_DRAWS), 30)
    report_line("median", statistics.median(samples), "ms", _MONTE_CARLO_MS)
    report_line("p95", _p95(samples), "ms", _MONTE_CARLO_MS)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    simulation = simulate_savings(scenario, draws=_DRAWS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report_line("peak extra memory (tracemalloc)", (peak - before) / 1e6, "MB", _MONTE_CARLO_MB)
    print(f"  NPV P10 / P50 / P90: {format_sek(simulation.npv_p10, 'en', 'mnkr')} / "
          f"{format_sek(simulation.npv_p50, 'en', 'mnkr')} / {format_sek(simulation.npv_p90, 'en', 'mnkr')}; "
          f"P(NPV > 0) = {simulation.p_npv_positive:.3f}; "
          f"P(break-even within contract / horizon) = {simulation.p_break_even_within_contract:.3f} / "
          f"{simulation.p_break_even_within_horizon:.3f}")

    print("\nTornado (sensitivity), 200 repeats")
    samples = timings_ms(lambda: sensitivity(scenario), 200)
    report_line("median", statistics.median(samples), "ms")
    base = project_savings(scenario).npv
    print(f"  base NPV {format_sek(base, 'en', 'mnkr')}")
    for row in sensitivity(scenario):
        print(f"  {tornado_label(row, 'en'):<40} {row.low:>6g} .. {row.high:<6g} "
              f"NPV {format_sek(row.npv_low, 'en', 'mnkr'):>12} .. {format_sek(row.npv_high, 'en', 'mnkr'):>12}  "
              f"swing {format_sek(row.swing, 'en', 'mnkr')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Timings of the effect-target statistics (a script, not a test).

Run: .venv/bin/python benchmarks/bench_targets.py

Prints each figure with its target next to it. Targets (from the effect-target issue): a power answer
< 50 ms; a forecast on 120 monthly points < 500 ms. Also printed: the one-off statsmodels import, the
power curve, ITS and DiD, the `python -m engine power` command end to end, and reading a large CSV
(and refusing one of 100 000 rows).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))

import numpy as np

from engine.errors import InputError
from engine.targets.history import History, Panel, period_label, read_history_csv

_POWER_MS = 50.0
_FORECAST_MS = 500.0


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def line(label: str, value_ms: float, target_ms: float | None = None) -> None:
    verdict = "" if target_ms is None else f"  (target < {target_ms:.0f} ms: {'OK' if value_ms < target_ms else 'MISSED'})"
    print(f"{label:<58} {value_ms:9.1f} ms{verdict}")


def main() -> None:
    started = time.perf_counter()
    from engine.targets.power import PowerQuestion, analyse_power, power_curve

    analyse_power(PowerQuestion("mean", baseline=20, target=17, sd=6, n=50))  # loads statsmodels
    line("first power answer incl. statsmodels import (once)", (time.perf_counter() - started) * 1000)

    from engine.targets.evaluation import difference_in_differences, interrupted_time_series
    from engine.targets.forecast import forecast_baseline

    questions = [PowerQuestion("proportion", baseline=0.45, target=0.38, n=200),
                 PowerQuestion("mean", baseline=3.8, target=3.344, sd=3.8, n=6164),
                 PowerQuestion("paired", baseline=20, target=17, sd=6, n=30)]
    for q in questions:
        line(f"power answer, {q.metric} (n, power, MDE), median of 50", median_ms(lambda q=q: analyse_power(q), 50),
             _POWER_MS)
    line("power curve (about 80 points), median of 20", median_ms(lambda: power_curve(questions[0]), 20))

    rng = np.random.default_rng(1)
    index = tuple(range(2015 * 12, 2015 * 12 + 120))
    history = History(tuple(period_label("month", i) for i in index),
                      tuple(float(v) for v in 50 - 0.2 * np.arange(120) + rng.normal(0, 1, 120)), "month", index)
    for method in ("trend", "holt", "auto"):
        line(f"forecast, 120 monthly points, 4 years, {method}, median of 10",
             median_ms(lambda m=method: forecast_baseline(history, 4, method=m), 10), _FORECAST_MS)

    line("ITS, 120 monthly points, median of 20", median_ms(lambda: interrupted_time_series(history, "2020-01"), 20))
    rows = [(y, g, 10.0 + rng.normal()) for y in range(2016, 2024) for g in ("a", "b") for _ in range(200)]
    panel = Panel(tuple(str(r[0]) for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows), "year",
                  tuple(r[0] for r in rows))
    line(f"DiD, {len(rows)} rows, median of 20", median_ms(lambda: difference_in_differences(panel, "2020", "a"), 20))

    csv = ("period;värde\n" + "".join(f"{period_label('month', 20000 + i)};{i % 97},5\n" for i in range(9_000))).encode()
    line(f"read CSV, 9 000 rows ({len(csv) / 1000:.0f} kB), median of 5", median_ms(lambda: read_history_csv(csv), 5))
    huge = ("period;värde\n" + "2020-01;1\n" * 100_000).encode()

    def refuse() -> None:
        try:
            read_history_csv(huge)
        except InputError:
            return
        raise AssertionError("100 000 rows were accepted")

    line("refuse CSV of 100 000 rows, median of 5", median_ms(refuse, 5))

    def cli() -> None:
        subprocess.run([sys.executable, "-m", "engine", "power", "--metric", "proportion", "--baseline", "0.45",
                        "--target", "0.38", "--n", "200"], cwd=_ROOT, check=True, capture_output=True)

    line("`python -m engine power` end to end (new process), median of 3", median_ms(cli, 3))


if __name__ == "__main__":
    main()

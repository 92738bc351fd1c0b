"""Timings of static image export (a script, not a test).

Run: .venv/bin/python benchmarks/bench_export.py [ROUNDS]

Exports the five savings charts of an example scenario as PNG (print resolution) and SVG,
ROUNDS times (default 3), and prints the first export (which starts the shared browser) and
the later ones. Targets (DESIGN.md "Exports"): first image about 3 s, later ones about 0.3 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.output.export import chromium_available, figure_to_png, figure_to_svg, stop_export_server
from engine.savings.charts import (
    benefits_costs_chart,
    cumulative_chart,
    fan_chart,
    tornado_chart,
    who_pays_who_saves_chart,
)
from engine.savings.model import project_savings
from engine.savings.uncertainty import sensitivity, simulate_savings
from engine.scenario import parse_scenario

_FIRST_TARGET_S = 3.0
_LATER_TARGET_S = 0.3


def _figures():
    scenario = parse_scenario(json.loads((ROOT / "data" / "examples" / "ips.json").read_text(encoding="utf-8")))
    projection = project_savings(scenario)
    return {
        "cumulative": cumulative_chart(projection, "sv"),
        "flows": benefits_costs_chart(projection, "sv"),
        "who_pays": who_pays_who_saves_chart(projection, "sv"),
        "fan": fan_chart(simulate_savings(scenario), "sv"),
        "tornado": tornado_chart(sensitivity(scenario), "sv"),
    }


def _timed(function, *args) -> tuple[float, int]:
    started = time.perf_counter()
    data = function(*args)
    return time.perf_counter() - started, len(data)


def main(rounds: int = 3) -> int:
    if not chromium_available():
        print("No Chrome/Chromium found: install one (Debian: apt-get install chromium).")
        return 1
    figures = _figures()
    first_name, first_figure = next(iter(figures.items()))
    first, size = _timed(figure_to_png, first_figure)
    print(f"first export (starts the browser), PNG {first_name}: {first:6.2f} s  "
          f"({size / 1024:.0f} KiB; target about {_FIRST_TARGET_S:.0f} s)")

    later: dict[str, list[float]] = {"png": [], "svg": []}
    for _ in range(rounds):
        for name, figure in figures.items():
            for kind, export in (("png", figure_to_png), ("svg", figure_to_svg)):
                seconds, size = _timed(export, figure)
                later[kind].append(seconds)
                print(f"  {kind.upper()} {name:<10} {seconds:6.3f} s  {size / 1024:6.0f} KiB")
    for kind, times in later.items():
        print(f"later {kind.upper()} exports: median {statistics.median(times):.3f} s, "
              f"max {max(times):.3f} s over {len(times)} (target about {_LATER_TARGET_S} s)")
    print(f"first / median later PNG: {first / statistics.median(later['png']):.1f}x")

    stop_export_server()
    seconds, _ = _timed(figure_to_png, first_figure)
    print(f"after stop_export_server(), the next export starts a new browser: {seconds:.2f} s")
    stop_export_server()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))

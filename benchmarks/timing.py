"""Timing helpers the benchmark scripts share (figures to print, never assertions)."""

from __future__ import annotations

import time
from collections.abc import Callable


def timings_ms(function: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock milliseconds of ``repeats`` calls of ``function``, after one warm-up call that
    pays for imports and numpy's dispatch caches."""
    function()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report_line(label: str, value: float, unit: str, target: float | None = None) -> None:
    """One aligned line of figures, with the verdict against ``target`` when there is one."""
    verdict = "" if target is None else f"  target < {target:g} {unit}  {'ok' if value < target else 'OVER TARGET'}"
    print(f"  {label:<52} {value:10.3f} {unit}{verdict}")

"""Timings of the decision memo with its six charts (a script, not a test).

Run: .venv/bin/python benchmarks/bench_memo.py [ROUNDS]

Each round starts a new Python process that makes the Word memo of an example case twice:

* cold: the first memo in the process, from importing the engine to the finished DOCX bytes,
  including the start of the shared kaleido browser, which runs while the engine computes, as in
  ``python -m engine memo``;
* warm: a second memo (another example) in the same process, with the browser already running
  (what the app pays on its second download).

It prints each part (imports, the engine's results and figures, the six PNGs and the document)
and the whole process's wall time. Targets (issue 15): under 8 s cold, under 3 s warm. The
figures depend on the machine and on what else it runs: say which when quoting them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_COLD_TARGET_S = 8.0
_WARM_TARGET_S = 3.0
_EXAMPLES = ("ips", "placeringar")


def _child() -> None:
    """One process: a cold memo, then a warm one; the timings as JSON on stdout."""
    started = time.perf_counter()
    from engine.examples import load_example
    from engine.memo.content import build_memo
    from engine.memo.docx import render_docx, start_images_in_background

    imported = time.perf_counter()
    timings: dict[str, float] = {"imports": imported - started}
    for label, example in zip(("cold", "warm"), _EXAMPLES, strict=True):
        begin = time.perf_counter()
        if label == "cold":
            start_images_in_background()  # as python -m engine memo does
        memo = build_memo(load_example(example), lang="sv", version=1)
        built = time.perf_counter()
        result = render_docx(memo)
        done = time.perf_counter()
        if result.images != 6:
            raise SystemExit(f"{label}: {result.images} images instead of 6 ({result.notes})")
        timings[f"{label}_build"] = built - begin
        timings[f"{label}_render"] = done - built
        timings[label] = done - begin
    timings["cold_total"] = timings["imports"] + timings["cold"]
    print(json.dumps(timings))


def main(rounds: int = 2) -> int:
    from engine.output.export import chromium_available

    if not chromium_available():
        print("No Chrome/Chromium found: install one (Debian: apt-get install chromium).")
        return 1
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    runs = []
    for round_number in range(1, rounds + 1):
        started = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True, check=False,
                               cwd=ROOT, timeout=300)
        wall = time.perf_counter() - started
        if child.returncode != 0:
            print(child.stderr or child.stdout)
            return 1
        timings = json.loads(child.stdout.strip().splitlines()[-1])
        timings["process_wall"] = wall
        runs.append(timings)
        print(f"round {round_number}: imports {timings['imports']:.2f} s; "
              f"cold memo {timings['cold']:.2f} s (engine and figures {timings['cold_build']:.2f} s, "
              f"browser start + 6 PNG + DOCX {timings['cold_render']:.2f} s); "
              f"warm memo {timings['warm']:.2f} s (engine and figures {timings['warm_build']:.2f} s, "
              f"6 PNG + DOCX {timings['warm_render']:.2f} s); whole process {wall:.2f} s")
    cold = statistics.median(r["cold_total"] for r in runs)
    warm = statistics.median(r["warm"] for r in runs)
    print(f"cold memo with six charts, imports included (median of {rounds}): {cold:.2f} s  "
          f"target < {_COLD_TARGET_S:g} s  {'ok' if cold < _COLD_TARGET_S else 'OVER TARGET'}")
    print(f"warm memo with six charts (median of {rounds}): {warm:.2f} s  "
          f"target < {_WARM_TARGET_S:g} s  {'ok' if warm < _WARM_TARGET_S else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child()
    else:
        sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2))

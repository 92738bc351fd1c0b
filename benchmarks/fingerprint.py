"""Fingerprint of what the engine says: every CLI command's output and every chart's figure JSON.

A refactoring that claims "no behaviour change" records the fingerprint before it moves anything
and compares after::

    .venv/bin/python benchmarks/fingerprint.py --write /tmp/before.json
    ... move code ...
    .venv/bin/python benchmarks/fingerprint.py --check /tmp/before.json

Each entry is the SHA-256 of the exact bytes (CLI: exit code, stdout and stderr of
``python -m engine ...``; charts: ``fig.to_json()``), so "identical" means byte-identical. Figure
JSON depends on the installed plotly, so compare fingerprints made with the same packages.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Every engine name the fingerprint touches is imported here, so a move changes only this block.
from engine.instruments.charts import fund_chart, investor_chart, payments_chart, public_distribution_chart
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows
from engine.questionnaire.charts import ranking_chart
from engine.questionnaire.scoring import parse_answers, recommend
from engine.savings.charts import (
    benefits_costs_chart,
    cumulative_chart,
    fan_chart,
    tornado_chart,
    who_pays_who_saves_chart,
)
from engine.savings.model import project_savings
from engine.savings.uncertainty import sensitivity, simulate_savings
from engine.scenario import INSTRUMENTS, parse_scenario
from engine.targets.charts import forecast_chart, its_chart, power_curve_chart
from engine.targets.evaluation import interrupted_time_series
from engine.targets.forecast import forecast_baseline, target_line
from engine.targets.history import history_from_rows
from engine.targets.power import PowerQuestion, power_curve

EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.json"))
LANGS = ("sv", "en")
DRAWS = 2_000

# Answer files for `recommend`: one full persona, one partial, one with a knock-out.
ANSWERS = {
    "sib": {"purpose": "test_new_method", "partnership_goal": "finance_only", "evidence_level": "promising",
            "outcome_measurability": "comparison_group", "time_to_effect_years": 3,
            "savings_location": "own_budget", "provider": "ideburen", "partner_own_activity": "our_specification",
            "reserved_qualification": "unknown", "service_kind": "social_service",
            "provider_market": "few_providers", "risk_transfer": "wanted", "own_funds": "none",
            "external_capital": "investor_interested", "capital_market_access": "no", "volume_msek": 10,
            "control_wanted": "outsourced", "org_capacity": "experienced", "timeline_months": 18},
    "partial": {"purpose": "scale_proven_method", "evidence_level": "proven", "volume_msek": 3},
    "iop": {"purpose": "support_civil_society_initiative", "provider": "ideburen",
            "partner_own_activity": "own_activity", "provider_market": "no_market"},
}

POWER_CASES = (
    ["--metric", "proportion", "--baseline", "0.30", "--target", "0.40", "--n", "150"],
    ["--metric", "mean", "--baseline", "12", "--target", "10", "--sd", "6", "--alpha", "0.1", "--power", "0.9"],
    ["--metric", "paired", "--baseline", "20", "--target", "17", "--sd", "8", "--n", "40"],
    ["--metric", "proportion", "--baseline", "0.30", "--target", "0.30"],
    ["--metric", "size", "--baseline", "x", "--target", "0.4"],
)


def _digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _cli(args: list[str], scratch: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, check=False)
    # The scratch folder's name is random; messages that name a file there must not differ by it.
    output = done.stdout + b"\n--stderr--\n" + done.stderr
    return _digest(f"{done.returncode}\n".encode() + output.replace(str(scratch).encode(), b"<scratch>"))


def cli_entries(scratch: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    broken = scratch / "broken.json"
    broken.write_text('{"format": "utfallskompassen.scenario/1", "name": "", "colour": 1}', encoding="utf-8")
    files = [*(str(p.relative_to(ROOT)) for p in EXAMPLES), str(broken)]
    for lang in LANGS:
        for file in files:
            name = Path(file).stem
            yield f"cli/{lang}/validate/{name}", lambda f=file, lg=lang: _cli(["--lang", lg, "validate", f], scratch)
            yield f"cli/{lang}/evaluate/{name}", lambda f=file, lg=lang: _cli(["--lang", lg, "evaluate", f], scratch)
            yield (f"cli/{lang}/evaluate-draws/{name}",
                   lambda f=file, lg=lang: _cli(["--lang", lg, "evaluate", f, "--draws", str(DRAWS), "--seed", "7"], scratch))
            yield (f"cli/{lang}/compare/{name}",
                   lambda f=file, lg=lang: _cli(["--lang", lg, "compare", f, "--draws", str(DRAWS)], scratch))
        yield f"cli/{lang}/evaluate-bad-draws", lambda lg=lang: _cli(["--lang", lg, "evaluate", files[0], "--draws", "0"], scratch)
        yield f"cli/{lang}/missing-file", lambda lg=lang: _cli(["--lang", lg, "validate", "no/such/file.json"], scratch)
        for label, answers in ANSWERS.items():
            path = scratch / f"answers-{label}.json"
            path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
            yield f"cli/{lang}/recommend/{label}", lambda p=str(path), lg=lang: _cli(["--lang", lg, "recommend", p], scratch)
        for number, case in enumerate(POWER_CASES):
            yield f"cli/{lang}/power/{number}", lambda c=case, lg=lang: _cli(["--lang", lg, "power", *c], scratch)


def chart_entries() -> Iterator[tuple[str, Callable[[], str]]]:
    for path in EXAMPLES:
        scenario = parse_scenario(path.read_bytes())
        projection = project_savings(scenario)
        simulation = simulate_savings(scenario, draws=DRAWS, seed=7)
        rows = sensitivity(scenario)
        comparison = compare_instruments(scenario, draws=DRAWS, seed=7)
        results = {i: contract_cash_flows(scenario, i) for i in INSTRUMENTS}
        for lang in LANGS:
            for presenter in (False, True):
                tag = f"{path.stem}/{lang}/{'presenter' if presenter else 'normal'}"
                options = {"presenter": presenter}
                for name, build in (("cumulative", cumulative_chart), ("benefits_costs", benefits_costs_chart),
                                    ("who_pays", who_pays_who_saves_chart)):
                    yield f"chart/{name}/{tag}", lambda b=build, lg=lang, o=options, pr=projection: b(pr, lg, **o).to_json()
                yield f"chart/fan/{tag}", lambda lg=lang, o=options, sim=simulation: fan_chart(sim, lg, **o).to_json()
                yield f"chart/tornado/{tag}", lambda lg=lang, o=options, tr=rows: tornado_chart(tr, lg, **o).to_json()
                yield (f"chart/distribution/{tag}",
                       lambda lg=lang, o=options, c=comparison: public_distribution_chart(c, lg, **o).to_json())
                for instrument, result in results.items():
                    builders = [("payments", payments_chart)]
                    builders += [("investor", investor_chart)] if instrument == "social_outcomes_contract" else []
                    builders += [("fund", fund_chart)] if instrument == "social_investment_fund" else []
                    for name, build in builders:
                        yield (f"chart/{name}/{instrument}/{tag}",
                               lambda b=build, r=result, lg=lang, o=options: b(r, lg, **o).to_json())
    for label, answers in ANSWERS.items():
        rec = recommend(parse_answers({"answers": answers}))
        for lang in LANGS:
            for presenter in (False, True):
                yield (f"chart/ranking/{label}/{lang}/{presenter}",
                       lambda r=rec, lg=lang, p=presenter: ranking_chart(r, lg, presenter=p).to_json())
    questions = (PowerQuestion(metric="proportion", baseline=0.30, target=0.40, n=150),
                 PowerQuestion(metric="mean", baseline=12.0, target=10.0, sd=6.0),
                 PowerQuestion(metric="paired", baseline=20.0, target=17.0, sd=8.0, n=40))
    history = history_from_rows([(str(2010 + i), 50 - 1.5 * i + (i % 3)) for i in range(12)])
    forecast = forecast_baseline(history, 4)
    estimate = interrupted_time_series(history, "2016")
    for lang in LANGS:
        for presenter in (False, True):
            for number, question in enumerate(questions):
                yield (f"chart/power_curve/{number}/{lang}/{presenter}",
                       lambda q=question, lg=lang, p=presenter: power_curve_chart(power_curve(q), lg,
                                                                                 presenter=p).to_json())
            yield (f"chart/forecast/{lang}/{presenter}",
                   lambda lg=lang, p=presenter: forecast_chart(history, forecast, target_line(forecast, reduction=0.1),
                                                               "dagar", lg, presenter=p).to_json())
            yield (f"chart/its/{lang}/{presenter}",
                   lambda lg=lang, p=presenter: its_chart(history, estimate, "2016", "dagar", lg,
                                                          presenter=p).to_json())


def fingerprint() -> dict[str, str]:
    result: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        # Each entry is computed as soon as it is yielded, while the loop that made it is current.
        for key, make in itertools.chain(cli_entries(Path(scratch)), chart_entries()):
            value = make()
            result[key] = value if key.startswith("cli/") else _digest(value)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", metavar="FILE", help="record the fingerprint")
    action.add_argument("--check", metavar="FILE", help="compare with a recorded fingerprint")
    args = parser.parse_args()
    current = fingerprint()
    if args.write:
        Path(args.write).write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"fingerprint: {len(current)} entries written to {args.write}")
        return 0
    recorded = json.loads(Path(args.check).read_text(encoding="utf-8"))
    changed = sorted(k for k in recorded.keys() & current.keys() if recorded[k] != current[k])
    missing, added = sorted(recorded.keys() - current.keys()), sorted(current.keys() - recorded.keys())
    for label, keys in (("changed", changed), ("missing", missing), ("new", added)):
        for key in keys:
            print(f"{label}: {key}")
    same = len(recorded) - len(changed) - len(missing)
    print(f"fingerprint: {same} of {len(recorded)} entries byte-identical, {len(changed)} changed, "
          f"{len(missing)} missing, {len(added)} new")
    return 0 if not (changed or missing or added) else 1


if __name__ == "__main__":
    sys.exit(main())

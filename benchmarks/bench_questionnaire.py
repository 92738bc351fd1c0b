"""Timings of the instrument-choice questionnaire (a script, not a test).

Run: .venv/bin/python benchmarks/bench_questionnaire.py

Prints each figure with its target next to it. Target (from the questionnaire issue): scoring with
the 1 000-perturbation stability under 100 ms. Also shown: the what-would-change search, the whole
recommendation (what the page and the CLI compute) and its JSON in words.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

# Run from anywhere: the engine is imported from the checkout, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import timings_ms
from engine.questionnaire.scoring import (
    load_questionnaire,
    recommend,
    recommendation_to_json,
    score_instruments,
    stability,
    what_would_change,
)

_TARGET_MS = 100.0
_REPEATS = 50

#: All nineteen questions answered, with a close race between three instruments (the slow case for
#: the what-would-change search: many single changes move the first place).
ANSWERS = {
    "purpose": "test_new_method", "partnership_goal": "shared_societal_goal", "evidence_level": "promising",
    "outcome_measurability": "before_after", "time_to_effect_years": 3, "savings_location": "own_budget",
    "provider": "ideburen", "partner_own_activity": "own_activity", "reserved_qualification": "unknown",
    "service_kind": "social_service", "provider_market": "few_providers", "risk_transfer": "neutral",
    "own_funds": "can_be_budgeted", "external_capital": "possible", "capital_market_access": "could_issue",
    "volume_msek": 12, "control_wanted": "shared", "org_capacity": "some", "timeline_months": 10,
}


def _line(label: str, samples: list[float], target: float | None = None) -> None:
    median = statistics.median(samples)
    verdict = "" if target is None else f"   target < {target:g} ms: {'OK' if median < target else 'MISSED'}"
    print(f"  {label:<58} {median:8.2f} ms (max {max(samples):.2f}){verdict}")


def main() -> int:
    questionnaire = load_questionnaire()
    draws = questionnaire.perturbation_draws
    print(f"Questionnaire: {len(questionnaire.questions)} questions, {len(questionnaire.instruments)} instruments, "
          f"{draws:,} perturbations; all questions answered; median of {_REPEATS} runs")
    scoring = timings_ms(lambda: (score_instruments(ANSWERS), stability(ANSWERS)), _REPEATS)
    _line("scores + 1 000-perturbation stability", scoring, _TARGET_MS)
    _line("  of which scores only", timings_ms(lambda: score_instruments(ANSWERS), _REPEATS))
    _line("  of which stability only", timings_ms(lambda: stability(ANSWERS), _REPEATS))
    _line("what-would-change search", timings_ms(lambda: what_would_change(ANSWERS), _REPEATS))
    whole = timings_ms(lambda: recommend(ANSWERS), _REPEATS)
    _line("whole recommendation (scores, stability, changes, legal)", whole, _TARGET_MS)
    _line("  plus JSON in words (as the CLI prints)",
          timings_ms(lambda: recommendation_to_json(recommend(ANSWERS), "sv"), _REPEATS))
    rec = recommend(ANSWERS)
    print(f"  first choice {rec.first}, stability {rec.stability:.3f}, confidence {rec.confidence}, "
          f"{len(rec.changes)} change(s) that would move it")
    return 0 if statistics.median(scoring) < _TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m engine compare FILE [--draws N] [--seed S]``: every instrument on the same draws.

Prints ``{"draws", "seed", "chosen", "instruments": {id: {"public_npv_mean", "public_npv_p10",
"public_npv_p90", "public_npv_std", "p_public_loss", "risk_share", "parties", ...}}}`` for all
eight instrument ids (see :func:`engine.instruments.comparison_to_json_dict`). Amounts are SEK,
present values at the scenario's discount rate; probabilities are shares 0..1.
"""

from __future__ import annotations

import argparse
from typing import Any

from engine.cli.support import MAX_SEED, load_scenario_file, whole_number
from engine.instruments.comparison import compare_instruments
from engine.instruments.serialise import comparison_to_json_dict
from engine.savings.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS


def run_compare(args: argparse.Namespace) -> dict[str, Any]:
    """Compare the eight instruments for the scenario file ``args.file`` (exit 2 on bad input)."""
    # Options first: a typo in --draws should not wait for (or hide behind) the scenario's problems.
    draws = whole_number(args.draws, "--draws", "savings.cli.draws_invalid", 1, MAX_DRAWS, args.lang)
    seed = whole_number(args.seed, "--seed", "savings.cli.seed_invalid", 0, MAX_SEED, args.lang)
    scenario = load_scenario_file(args.file, args.lang)
    comparison = compare_instruments(scenario, draws=DEFAULT_DRAWS if draws is None else draws,
                                     seed=DEFAULT_SEED if seed is None else seed)
    return {"name": scenario.name, **comparison_to_json_dict(comparison)}

"""``python -m engine evaluate FILE [--draws N] [--seed S]``: savings, present values and break-even,
with the Monte Carlo when ``--draws`` is given and the contract's money when the scenario has one."""

from __future__ import annotations

import argparse
from typing import Any

from engine.cli.support import MAX_SEED, load_scenario_file, whole_number
from engine.savings.model import project_savings, to_json_dict
from engine.savings.uncertainty import (
    DEFAULT_SEED,
    MAX_DRAWS,
    sensitivity,
    simulate_savings,
    simulation_to_json_dict,
    tornado_to_json,
)


def run_evaluate(args: argparse.Namespace) -> dict[str, Any]:
    # Options first: a typo in --draws should not wait for (or hide behind) the scenario's problems.
    draws = whole_number(args.draws, "--draws", "savings.cli.draws_invalid", 1, MAX_DRAWS, args.lang)
    seed = whole_number(args.seed, "--seed", "savings.cli.seed_invalid", 0, MAX_SEED, args.lang)
    scenario = load_scenario_file(args.file, args.lang)
    result: dict[str, Any] = {"name": scenario.name}
    result.update(to_json_dict(project_savings(scenario)))
    result["sensitivity"] = tornado_to_json(sensitivity(scenario), args.lang)
    if draws is not None:
        simulation = simulate_savings(scenario, draws=draws, seed=DEFAULT_SEED if seed is None else seed)
        result["uncertainty"] = simulation_to_json_dict(simulation)
    if scenario.contract is not None:
        # Imported here: only scenarios with a contract need the instruments module.
        from engine.instruments.contract import contract_cash_flows
        from engine.instruments.serialise import contract_to_json_dict

        result["contract"] = contract_to_json_dict(contract_cash_flows(scenario))
    return result

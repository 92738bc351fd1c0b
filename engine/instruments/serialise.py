"""The instrument results as JSON-ready data: the CLI's ``compare`` output and the ``contract``
object of ``evaluate`` (DESIGN.md "Command line")."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.instruments.results import ContractResult, InstrumentComparison, Summary
from engine.savings.model import json_number, json_series


def _series(values: np.ndarray | None) -> list[float | None] | None:
    """A per-year array that only some instruments have (null for the others)."""
    return None if values is None else json_series(values)


def _summary_json(summary: Summary) -> dict[str, Any]:
    return {"mean": json_number(summary.mean), "p10": json_number(summary.p10), "p50": json_number(summary.p50),
            "p90": json_number(summary.p90), "std": json_number(summary.std), "p_loss": summary.p_loss}


def comparison_to_json_dict(comparison: InstrumentComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (the CLI's ``compare`` output). Amounts: SEK, PV at the
    scenario's discount rate; probabilities and ``risk_share`` as shares 0..1.

    ``{"draws", "seed", "chosen", "instruments": {id: {"public_npv_mean", "public_npv_p10",
    "public_npv_p50", "public_npv_p90", "public_npv_std", "p_public_loss", "risk_share",
    "outcome_payments_mean", "parties": {party: {"mean", "p10", "p50", "p90", "std", "p_loss"}},
    ...}}}`` with ``investor_irr_p50`` / ``p_investor_irr_defined`` / ``p_investor_total_loss`` (the
    median over every draw in which the investor puts money in, a total loss counted as −100 %),
    ``p_fund_repaid`` and
    ``bond_return_mean`` for the instruments they belong to.
    """
    instruments: dict[str, Any] = {}
    for instrument, outcome in comparison.instruments.items():
        entry: dict[str, Any] = {
            "public_npv_mean": json_number(outcome.public.mean),
            "public_npv_p10": json_number(outcome.public.p10),
            "public_npv_p50": json_number(outcome.public.p50),
            "public_npv_p90": json_number(outcome.public.p90),
            "public_npv_std": json_number(outcome.public.std),
            "p_public_loss": outcome.public.p_loss,
            "risk_share": json_number(outcome.risk_share),
            "outcome_payments_mean": json_number(outcome.outcome_payments_mean),
            "parties": {party: _summary_json(s) for party, s in outcome.parties.items()},
        }
        if instrument == "social_outcomes_contract":
            entry["investor_irr_p50"] = json_number(outcome.investor_irr_p50)
            entry["p_investor_irr_defined"] = outcome.p_investor_irr_defined
            entry["p_investor_total_loss"] = outcome.p_investor_total_loss
        elif instrument == "social_investment_fund":
            entry["p_fund_repaid"] = outcome.p_fund_repaid
        elif instrument == "social_bond":
            entry["bond_return_mean"] = json_number(outcome.bond_return_mean)
        instruments[instrument] = entry
    return {"draws": comparison.draws, "seed": comparison.seed, "chosen": comparison.chosen,
            "instruments": instruments}


def contract_to_json_dict(result: ContractResult) -> dict[str, Any]:
    """The contract's money as JSON-ready data (the ``contract`` object of ``evaluate``).

    Always: ``instrument``, ``outcome_payer``, ``outcome_payments_total`` (SEK, undiscounted),
    ``outcome_payments_by_year``, ``public_npv`` (PV, SEK), ``public_npv_by_payer``, ``parties``
    ({party: {"pv", "total", "by_year"}}), ``warnings`` ([{"code", "params"}]) and the terms
    used. ``investor_irr`` (null when undefined) and ``investor_multiple`` for a social outcomes
    contract; ``fund_repaid_year`` and ``fund_balance_by_year`` for a fund; ``bond_*`` for a bond.
    """
    r = result
    data: dict[str, Any] = {
        "instrument": r.instrument,
        "outcome_payer": r.outcome_payer,
        "payment_window": list(r.payment_window),
        "cap": json_number(r.cap),
        "cap_reached_year": r.cap_reached_year,
        "paid_outcomes": list(r.paid_outcomes),
        "suggested_prices": {k: json_number(v) for k, v in r.suggested_prices.items()},
        "outcome_payments_total": json_number(r.outcome_payments_total),
        "pv_outcome_payments": json_number(r.pv_outcome_payments),
        "outcome_payments_by_year": json_series(r.outcome_payments_by_year),
        "outcome_payments_uncapped_by_year": json_series(r.outcome_payments_uncapped_by_year),
        "outcome_payments_by_outcome": {k: json_series(v) for k, v in r.outcome_payments_by_outcome.items()},
        "fixed_payments_by_year": json_series(r.fixed_payments_by_year),
        "public_npv": json_number(r.public_npv),
        "traditional_public_npv": json_number(r.traditional_public_npv),
        "public_npv_by_payer": {k: json_number(v) for k, v in r.public_npv_by_payer.items()},
        "parties": {
            name: {"pv": json_number(r.party_pv[name]), "total": json_number(r.party_totals[name]),
                   "by_year": json_series(series)}
            for name, series in r.party_flows.items()
        },
        "warnings": [{"code": w.code, "params": {k: json_number(v) if isinstance(v, float) else v
                                                 for k, v in w.params.items()}} for w in r.warnings],
    }
    if r.instrument == "social_outcomes_contract":
        data |= {
            "investor_irr": json_number(r.investor_irr),
            "investor_multiple": json_number(r.investor_multiple),
            "investor_cash_flow_by_year": _series(r.investor_cash_flow_by_year),
            "investor_required_return": r.investor_required_return,
            "investor_npv_at_required": json_number(r.investor_npv_at_required),
            "investor_reaches_required": r.investor_reaches_required,
        }
    elif r.instrument == "social_investment_fund":
        data |= {"fund_repaid_year": r.fund_repaid_year,
                 "fund_balance_by_year": _series(r.fund_balance_by_year),
                 "fund_repayments_by_year": _series(r.fund_repayments_by_year)}
    elif r.instrument == "social_bond":
        data |= {"bond_principal": json_number(r.bond_principal), "bond_achievement": json_number(r.bond_achievement),
                 "bond_return": json_number(r.bond_return), "bond_repayment": json_number(r.bond_repayment),
                 "bond_maturity_year": r.bond_maturity_year}
    elif r.instrument == "iop":
        data["partner_contribution_total"] = json_number(r.partner_contribution_total)
    return data


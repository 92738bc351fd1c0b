"""The instrument comparison as table rows of formatted text, in the user's language."""

from __future__ import annotations

from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, format_probability, translate
from engine.instruments.results import InstrumentComparison

#: Column ids of :func:`comparison_rows`, in display order. A page labels them with
#: ``instruments.column.<id>`` and explains them with ``instruments.column_help.<id>``.
TABLE_COLUMNS: tuple[str, ...] = ("instrument", "expected", "mean", "p10", "p90", "std", "p_loss", "risk_share")

#: Column ids of :func:`party_rows`, in display order.
PARTY_COLUMNS: tuple[str, ...] = ("instrument", "party", "mean", "p_loss")


def table_unit(comparison: InstrumentComparison) -> str:
    """``mnkr`` when any amount in the comparison tables reaches a million kronor, else ``kr``:
    one unit for the whole table, so the columns stay short and comparable.

    >>> from engine.instruments.comparison import compare_instruments
    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [10],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 200}}]})
    >>> table_unit(compare_instruments(s, draws=10))  # 10 000 kr of costs
    'kr'
    """
    amounts = [0.0]
    for outcome in comparison.instruments.values():
        for summary in (outcome.public, *outcome.parties.values()):
            amounts += [summary.mean, summary.p10, summary.p90, summary.std]
    return "mnkr" if max(abs(a) for a in amounts) >= 1_000_000 else "kr"


def table_amount(amount: float, unit: str, lang: str, signed: bool = True) -> str:
    """A table cell: the number alone (the unit is in the column label), millions with one
    decimal, an explicit + for gains when ``signed``.

    >>> table_amount(2_210_000, "mnkr", "sv"), table_amount(-478_055, "kr", "en")
    ('+2,2', '−478,055')
    """
    text = format_number(amount / 1e6, lang, 1) if unit == "mnkr" else format_number(amount, lang, 0)
    gain = signed and text.lstrip("0,.") != "" and amount > 0
    return ("+" + text) if gain else text


def comparison_rows(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """The comparison as table rows of formatted text in ``lang``, one row per instrument in
    :data:`engine.scenario.INSTRUMENTS` order, keyed by :data:`TABLE_COLUMNS`: the instrument's
    short name (with ✓ for the chosen one), the public sector's NPV in the expected case, its
    simulated mean, P10, P90 and standard
    deviation as numbers in :func:`table_unit` (+ = the public side gains), the probability of a
    loss and the risk share (– when there is nothing to compare with).

    >>> from engine.instruments.comparison import compare_instruments
    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [1000],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 300}}]})
    >>> comparison_rows(compare_instruments(s, draws=10), "sv")[0]  # 1 500 000 - 1 000 000 kr
    {'instrument': 'Traditionell upphandling', 'expected': '+0,5', 'mean': '+0,5', 'p10': '+0,5', 'p90': '+0,5', 'std': '0,0', 'p_loss': '0\xa0%', 'risk_share': '–'}
    """
    unit = table_unit(comparison)
    rows = []
    for instrument, outcome in comparison.instruments.items():
        public = outcome.public
        rows.append({
            "instrument": translate(f"instruments.short.{instrument}", lang)
            + (" ✓" if instrument == comparison.chosen else ""),
            "expected": table_amount(outcome.public_npv_expected, unit, lang),
            "mean": table_amount(public.mean, unit, lang),
            "p10": table_amount(public.p10, unit, lang),
            "p90": table_amount(public.p90, unit, lang),
            "std": table_amount(public.std, unit, lang, signed=False),
            "p_loss": format_probability(public.p_loss, lang),
            "risk_share": "–" if outcome.risk_share is None else format_percent(outcome.risk_share, lang, 0),
        })
    return rows


def party_rows(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """Every party other than the public sector as a whole, one row per instrument and party,
    keyed by :data:`PARTY_COLUMNS`: the party's expected result (PV mean in :func:`table_unit`,
    + = the party gains) and its probability of a loss."""
    unit = table_unit(comparison)
    return [
        {"instrument": translate(f"instruments.short.{instrument}", lang),
         "party": translate(f"instruments.party.{party}", lang),
         "mean": table_amount(summary.mean, unit, lang),
         "p_loss": format_probability(summary.p_loss, lang)}
        for instrument, outcome in comparison.instruments.items()
        for party, summary in outcome.parties.items()
    ]


# --- the same tables with numbers, for CSV and XLSX files --------------------------------------------

def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def comparison_export(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> dict[str, list[object]]:
    """:func:`comparison_rows` with numbers instead of formatted text, as columns for a spreadsheet:
    amounts in whole kronor, the probability of a loss and the risk share in percent (empty where
    there is nothing to compare with), and whether the instrument is the scenario's own.

    >>> from engine.instruments.comparison import compare_instruments
    >>> from engine.scenario import parse_scenario
    >>> s = parse_scenario({"format": "utfallskompassen.scenario/1", "name": "x", "price_year": 2025,
    ...     "discount_rate": 0, "horizon_years": 1, "contract_years": 1, "intake": [1000],
    ...     "costs": [{"name": "c", "payer": "kommun", "per_participant": 1000}],
    ...     "outcomes": [{"name": "o", "baseline": 10, "effect": 0.5, "values": {"kommun": 300}}]})
    >>> table = comparison_export(compare_instruments(s, draws=10), "sv")
    >>> list(table)[:3], table["Förväntat fall (kronor)"][0], table["Andel av risken (%)"][0]
    (['Instrument', 'Valt instrument', 'Förväntat fall (kronor)'], 500000.0, None)
    """
    unit = translate("compare.unit.kr", lang)
    outcomes = comparison.instruments

    def column(key: str) -> str:
        return translate(f"exports.col.{key}", lang, unit=unit)

    return {
        column("instrument"): [translate(f"instruments.short.{i}", lang) for i in outcomes],
        column("chosen"): [translate("exports.yes" if i == comparison.chosen else "exports.no", lang) for i in outcomes],
        column("expected"): [round(o.public_npv_expected) + 0.0 for o in outcomes.values()],
        column("mean"): [round(o.public.mean) + 0.0 for o in outcomes.values()],
        column("p10"): [round(o.public.p10) + 0.0 for o in outcomes.values()],
        column("p90"): [round(o.public.p90) + 0.0 for o in outcomes.values()],
        column("std"): [round(o.public.std) + 0.0 for o in outcomes.values()],
        column("p_loss"): [_percent(o.public.p_loss) for o in outcomes.values()],
        column("risk_share"): [_percent(o.risk_share) for o in outcomes.values()],
    }


def parties_export(comparison: InstrumentComparison, lang: str = DEFAULT_LANGUAGE) -> dict[str, list[object]]:
    """:func:`party_rows` with numbers: each party's expected result in whole kronor and its
    probability of a loss in percent."""
    unit = translate("compare.unit.kr", lang)
    rows = [(instrument, party, summary) for instrument, outcome in comparison.instruments.items()
            for party, summary in outcome.parties.items()]
    return {
        translate("exports.col.instrument", lang): [translate(f"instruments.short.{i}", lang) for i, _, _ in rows],
        translate("exports.col.party", lang): [translate(f"instruments.party.{p}", lang) for _, p, _ in rows],
        translate("exports.col.mean", lang, unit=unit): [round(s.mean) + 0.0 for _, _, s in rows],
        translate("exports.col.p_loss", lang): [_percent(s.p_loss) for _, _, s in rows],
    }

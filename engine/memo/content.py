"""The decision memo as plain data: what a beslutsunderlag says, before any file format.

:func:`build_memo` runs the engine on one scenario (the savings projection, a Monte Carlo with a
fixed seed, the tornado, all eight instruments on the same draws, and, when given, the
questionnaire's recommendation and the target designs) and lays the results out in the order a
Swedish beslutsunderlag uses. Every amount in the memo is the engine's own figure, formatted the
way the app formats it (``signed_amount``, ``format_sek`` ...), so the text and the engine cannot
disagree. The renderers (:mod:`engine.memo.docx`, :mod:`engine.memo.markdown`) only lay it out.

Conventions: amounts are real SEK in the scenario's price year and, unless a text says otherwise,
present values at the start of year 1 (year 1 = the first contract year); + means the public side
gains. Probabilities are shown in whole percent (``format_probability``).

The sections, by ``key`` (headings in the memo's language):

>>> SECTION_KEYS[:4]
('summary', 'proposal', 'background', 'alternatives')

A figure's caption names the scenario, the version (when known) and the price year:

>>> caption_text("Diagram 1", "När lönar det sig?", "Placeringar", 3, 2024, "sv")
'Diagram 1. När lönar det sig? Scenario: Placeringar, version 3, fasta priser 2024.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go

from engine.examples import is_assumption, source_label
from engine.i18n import (
    catalog,
    format_number,
    format_percent,
    format_probability,
    format_sek,
    normalise_language,
    translate,
)
from engine.instruments.charts import public_distribution_chart
from engine.instruments.comparison import compare_instruments
from engine.instruments.contract import contract_cash_flows
from engine.instruments.reading import describe_warning, parties_reading, risk_reading
from engine.instruments.results import InstrumentComparison
from engine.instruments.tables import TABLE_COLUMNS, comparison_rows, table_unit
from engine.payers import payer_in_sentence, payer_label
from engine.questionnaire.scoring import (
    Recommendation,
    change_text,
    confidence_text,
    legal_note_params,
    reason_text,
    recommend,
)
from engine.savings.charts import (
    benefits_costs_chart,
    cumulative_chart,
    fan_chart,
    tornado_chart,
    who_pays_who_saves_chart,
)
from engine.savings.model import SavingsProjection, project_savings
from engine.savings.narrative import (
    expected_vs_simulated,
    missing_parts,
    missing_sentence,
    savings_headline,
    signed_amount,
    uncertainty_sentence,
)
from engine.savings.uncertainty import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    SavingsSimulation,
    sensitivity,
    simulate_savings,
    tornado_label,
)
from engine.scenario import INSTRUMENTS, Scenario
from engine.targets.design import TargetDesign, TargetsDocument, power_question, target_checks
from engine.targets.power import PowerAnswer, analyse_power, mde_text

#: Monte Carlo draws behind the memo's uncertainty and instrument comparison: the app's, so that a
#: memo and the page or print view it sits beside give the same probabilities and percentiles
#: (10 000 draws of both cost about 0.2 s).
MEMO_DRAWS = DEFAULT_DRAWS
#: The seed of those draws (the app's default), so the same scenario always gives the same memo.
MEMO_SEED = DEFAULT_SEED

#: Section keys in the order of a beslutsunderlag; ``workshop`` only when a workshop is given.
SECTION_KEYS: tuple[str, ...] = (
    "summary", "proposal", "background", "alternatives", "economics", "targets", "legal", "sources",
    "open_questions", "workshop",
)
#: The charts a memo can hold, in the order they appear; never more than these six.
FIGURE_KEYS: tuple[str, ...] = ("instruments", "cumulative", "flows", "who_pays", "fan", "tornado")


# --------------------------------------------------------------------------- the memo as data


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``placeholder``: text the official replaces before the memo goes to the nämnd."""

    text: str
    placeholder: bool = False


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section (Word's "Heading 2")."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list, one text per item."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells: ``header`` and ``rows`` of the same width, numbers already formatted
    in the memo's language (``1 234 kr``, ``12,5 %``). ``note``: a line under the table (its unit)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True, eq=False)
class Figure:
    """A chart: ``key`` from :data:`FIGURE_KEYS`, the plotly figure, and the caption printed under it."""

    key: str
    figure: go.Figure
    caption: str


Block = Paragraph | Subheading | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    """One part of the memo: ``key`` from :data:`SECTION_KEYS` and its heading in the memo's language."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class WorkshopRecord:
    """What a workshop decided, as plain data (the memo does not read the workshop's storage).

    ``participants``: (role, count) pairs; a role id the app knows (``kommun``, ``ideburen`` ...) is
    shown by its name, any other text as given. ``disagreements``: (question text, share 0..1) with
    the largest first, only for questions at least two roles answered (one role alone has nothing
    to disagree with, and its 0 would read as agreement). ``agreed_answers``: (question text, answer text). ``held_on``: the day.
    """

    title: str
    held_on: date | None = None
    participants: tuple[tuple[str, int], ...] = ()
    disagreements: tuple[tuple[str, float], ...] = ()
    agreed_answers: tuple[tuple[str, str], ...] = ()
    decisions: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Memo:
    """A whole memo. ``title`` is the document's title; ``created`` the day it was made."""

    lang: str
    title: str
    scenario_name: str
    version: int | str | None
    price_year: int
    created: date
    sections: tuple[Section, ...]
    #: The lines above the first heading, as (label, value): date, case number, official, scenario.
    front: tuple[tuple[str, str], ...] = ()
    #: The engine's headline figures as the memo prints them (tests and the CLI read these).
    headline: Mapping[str, str] = field(default_factory=dict)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Figure))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Table))


# --------------------------------------------------------------------------- building


@dataclass(frozen=True, eq=False)
class _Results:
    """The engine's results the memo quotes, computed once."""

    projection: SavingsProjection
    simulation: SavingsSimulation
    comparison: InstrumentComparison
    recommendation: Recommendation | None
    proposed: str


def build_memo(scenario: Scenario, *, lang: str, answers: Mapping[str, str | float] | None = None,
               targets: TargetsDocument | Sequence[TargetDesign] | None = None, version: int | str | None = None,
               workshop: WorkshopRecord | None = None, created: date | None = None) -> Memo:
    """The decision memo for a validated ``scenario`` in ``lang`` (``sv`` or ``en``).

    ``answers``: a valid answer set of the instrument questionnaire (see
    :func:`engine.questionnaire.scoring.parse_answers`); the proposal then follows its
    recommendation and the legal screens are shown. Without it the proposal is the instrument with
    the best expected public result in the comparison. ``targets``: the scenario's target designs
    (a targets document or the designs themselves). ``version``: the scenario version the memo
    quotes, named in every caption. ``created``: the memo's date (default today).

    Monte Carlo results use :data:`MEMO_DRAWS` draws with :data:`MEMO_SEED`, so the same input
    gives the same memo.
    """
    lang = normalise_language(lang)
    projection = project_savings(scenario)
    simulation = simulate_savings(scenario, draws=MEMO_DRAWS, seed=MEMO_SEED)
    comparison = compare_instruments(scenario, draws=MEMO_DRAWS, seed=MEMO_SEED)
    recommendation = recommend(answers) if answers is not None else None
    proposed = recommendation.first if recommendation is not None else _best_by_comparison(comparison)
    results = _Results(projection, simulation, comparison, recommendation, proposed)
    designs = tuple(targets.designs if isinstance(targets, TargetsDocument) else (targets or ()))
    writer = _Writer(scenario, lang, version)

    sections = [
        _summary(writer, results),
        _proposal(writer, results),
        _background(writer),
        _alternatives(writer, results),
        _economics(writer, results),
        _targets(writer, designs),
        _legal(writer, results),
        _sources(writer),
        _open_questions(writer, results, designs),
    ]
    if workshop is not None:
        sections.append(_workshop(writer, workshop))
    day = created or date.today()
    scenario_text = (translate("memo.front.scenario_version", lang, name=scenario.name, version=version)
                     if version is not None else scenario.name)
    front = (
        (translate("memo.front.date", lang), day.isoformat()),
        (translate("memo.front.case", lang), translate("memo.front.fill_in", lang)),
        (translate("memo.front.official", lang), translate("memo.front.fill_in", lang)),
        (translate("memo.front.scenario", lang), scenario_text),
    )
    return Memo(
        lang=lang,
        title=translate("memo.title", lang, name=scenario.name),
        scenario_name=scenario.name,
        version=version,
        price_year=scenario.price_year,
        created=day,
        sections=tuple(sections),
        front=front,
        headline=_headline(results.projection, lang),
    )


def caption_text(label: str, title: str, scenario: str, version: int | str | None, price_year: int, lang: str) -> str:
    """The caption under a chart: its number and title, the scenario, the version, the price year."""
    where = (translate("memo.caption.scenario_version", lang, name=scenario, version=version) if version is not None
             else translate("memo.caption.scenario", lang, name=scenario))
    return translate("memo.caption.text", lang, label=label, title=title, where=where, price_year=price_year)


class _Writer:
    """Translation and numbering for one memo."""

    def __init__(self, scenario: Scenario, lang: str, version: int | str | None):
        self.scenario = scenario
        self.lang = lang
        self.version = version
        self._figures = 0

    def t(self, key: str, **params: object) -> str:
        return translate(f"memo.{key}", self.lang, **params)

    def section(self, key: str, blocks: Sequence[Block]) -> Section:
        return Section(key, self.t(f"section.{key}"), tuple(blocks))

    def figure(self, key: str, figure: go.Figure) -> Figure:
        self._figures += 1
        label = self.t("caption.label", number=self._figures)
        caption = caption_text(label, self.t(f"figure.{key}"), self.scenario.name, self.version,
                               self.scenario.price_year, self.lang)
        return Figure(key, figure, caption)

    def instrument(self, instrument: str) -> str:
        return translate(f"instruments.name.{instrument}", self.lang)


def _best_by_comparison(comparison: InstrumentComparison) -> str:
    """The instrument with the highest expected public result; ties go to the lower risk of a loss,
    then to the order of :data:`engine.scenario.INSTRUMENTS`."""
    outcomes = comparison.instruments
    return min(INSTRUMENTS, key=lambda i: (-round(outcomes[i].public_npv_expected, 6), outcomes[i].public.p_loss,
                                           INSTRUMENTS.index(i)))


def _break_even_text(projection: SavingsProjection, lang: str) -> str:
    if projection.break_even_year is None:
        return translate("memo.break_even.never", lang, years=projection.horizon_years)
    return translate("memo.break_even.year", lang, year=projection.break_even_year)


def _ratio_text(projection: SavingsProjection, lang: str) -> str:
    ratio = projection.benefit_cost_ratio
    return "–" if ratio is None else format_number(ratio, lang, 2)


def _headline(projection: SavingsProjection, lang: str) -> dict[str, str]:
    return {
        "npv_within_contract": signed_amount(projection.npv_within_contract, lang, beside=[projection.npv]),
        "npv": signed_amount(projection.npv, lang, beside=[projection.npv_within_contract]),
        "break_even": _break_even_text(projection, lang),
        "benefit_cost_ratio": _ratio_text(projection, lang),
    }


def _summary(w: _Writer, r: _Results) -> Section:
    s, p = w.scenario, r.projection
    headline = _headline(p, w.lang)
    participants = format_number(sum(s.intake), w.lang)
    rows = (
        (w.t("summary.npv_within_contract", years=s.contract_years), headline["npv_within_contract"]),
        (w.t("summary.npv", years=p.horizon_years), headline["npv"]),
        (w.t("summary.break_even"), headline["break_even"]),
        (w.t("summary.benefit_cost_ratio"), headline["benefit_cost_ratio"]),
        (w.t("summary.p_npv_positive"), format_probability(r.simulation.p_npv_positive, w.lang)),
    )
    return w.section("summary", [
        Paragraph(w.t("summary.lead", name=s.name, participants=participants, contract_years=s.contract_years,
                      years=p.horizon_years, instrument=_mid_sentence(w.instrument(r.proposed)))),
        *([Paragraph(missing_sentence(missing, w.lang))] if (missing := missing_parts(s)) else []),
        Paragraph(savings_headline(p, w.lang)),
        Table((w.t("summary.column.figure"), w.t("summary.column.value")), rows,
              w.t("summary.table_note", price_year=s.price_year)),
    ])


def _mid_sentence(name: str) -> str:
    """An instrument's name inside a sentence: lower-case first letter, acronyms kept.

    >>> _mid_sentence("Socialt utfallskontrakt (SIB)"), _mid_sentence("IOP")
    ('socialt utfallskontrakt (SIB)', 'IOP')
    """
    if len(name) > 1 and name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def _proposal(w: _Writer, r: _Results) -> Section:
    name = w.instrument(r.proposed)
    blocks: list[Block] = []
    rec = r.recommendation
    if rec is not None:
        first = rec.ranking[0]
        blocks.append(Paragraph(w.t("proposal.from_answers", instrument=_mid_sentence(name),
                                    score=format_number(first.score, w.lang))))
        blocks.append(Paragraph(confidence_text(rec, w.lang)))
        if first.reasons_for:
            blocks.append(Subheading(w.t("proposal.why")))
            blocks.append(Bullets(tuple(reason_text(reason, w.lang) for reason in first.reasons_for)))
        if first.reasons_against:
            blocks.append(Subheading(w.t("proposal.against")))
            blocks.append(Bullets(tuple(reason_text(reason, w.lang) for reason in first.reasons_against)))
        if rec.changes:
            blocks.append(Subheading(w.t("proposal.what_would_change")))
            blocks.append(Bullets(tuple(change_text(change, w.lang) for change in rec.changes)))
    else:
        outcome = r.comparison.instruments[r.proposed]
        blocks.append(Paragraph(w.t("proposal.from_comparison", instrument=_mid_sentence(name),
                                    amount=signed_amount(outcome.public_npv_expected, w.lang),
                                    p_loss=format_probability(outcome.public.p_loss, w.lang))))
        blocks.append(Paragraph(w.t("proposal.no_answers")))
    chosen = w.scenario.contract.instrument if w.scenario.contract is not None else None
    if chosen is not None and chosen != r.proposed:
        blocks.append(Paragraph(w.t("proposal.scenario_differs", chosen=_mid_sentence(w.instrument(chosen)),
                                    instrument=_mid_sentence(name))))
    blocks.append(Subheading(w.t("proposal.decision_heading")))
    blocks.append(Paragraph(w.t("proposal.placeholder_decides"), placeholder=True))
    blocks.append(Bullets((w.t("proposal.placeholder_instrument", instrument=_mid_sentence(name)),
                           w.t("proposal.placeholder_financing"), w.t("proposal.placeholder_follow_up"))))
    blocks.append(Paragraph(w.t("proposal.placeholder_note"), placeholder=True))
    return w.section("proposal", blocks)


def _background(w: _Writer) -> Section:
    s, lang = w.scenario, w.lang
    blocks: list[Block] = [Paragraph(text) for text in _paragraphs(s.description)] or [
        Paragraph(w.t("background.no_description"))]
    intake = "; ".join(w.t("background.intake_year", year=year, count=format_number(count, lang))
                       for year, count in enumerate(s.intake, start=1) if count)
    blocks.append(Subheading(w.t("background.target_group")))
    blocks.append(Paragraph(w.t("background.intake", total=format_number(sum(s.intake), lang),
                                per_year=intake or "–")))
    if s.outcomes:
        blocks.append(Subheading(w.t("background.outcomes")))
        blocks.append(Table(
            (w.t("background.col.outcome"), w.t("background.col.baseline"), w.t("background.col.effect"),
             w.t("background.col.deadweight"), w.t("background.col.values")),
            tuple((o.name, f"{format_number(o.baseline, lang, _decimals(o.baseline))} {o.unit}".strip(),
                   format_percent(o.effect, lang), format_percent(o.deadweight, lang),
                   "; ".join(f"{payer_label(p, lang)}: {format_sek(v, lang)}" for p, v in o.values.items()) or "–")
                  for o in s.outcomes),
            w.t("background.outcomes_note")))
    if s.costs:
        blocks.append(Subheading(w.t("background.costs")))
        blocks.append(Table(
            (w.t("background.col.cost"), w.t("background.col.payer"), w.t("background.col.amount")),
            tuple((c.name, payer_label(c.payer, lang), _cost_amount(w, c.per_participant, c.per_year,
                                                                    c.first_year, c.last_year))
                  for c in s.costs)))
    blocks.append(Paragraph(w.t("background.frame", price_year=s.price_year,
                                rate=format_percent(s.discount_rate, lang), horizon=s.horizon_years,
                                contract_years=s.contract_years)))
    return w.section("background", blocks)


def _cost_amount(w: _Writer, per_participant: float | None, per_year: float | None, first: int | None,
                 last: int | None) -> str:
    if per_participant is not None:
        return w.t("background.per_participant", amount=format_sek(per_participant, w.lang))
    if per_year is not None:
        return w.t("background.per_year", amount=format_sek(per_year, w.lang), first=first or 1,
                   last=last or w.scenario.contract_years)
    return "–"


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() or abs(value) >= 100 else 2


def _paragraphs(text: str) -> list[str]:
    """Free text split at blank lines, each paragraph's lines joined (Word and Markdown agree)."""
    return [" ".join(line.strip() for line in part.splitlines() if line.strip())
            for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _alternatives(w: _Writer, r: _Results) -> Section:
    lang, comparison = w.lang, r.comparison
    unit = table_unit(comparison)
    unit_text = "mnkr" if unit == "mnkr" and lang == "sv" else ("SEK m" if unit == "mnkr" else
                                                                 ("kr" if lang == "sv" else "SEK"))
    header = tuple(translate(f"instruments.column.{column}", lang) for column in TABLE_COLUMNS)
    rows = tuple(tuple(row[column] for column in TABLE_COLUMNS) for row in comparison_rows(comparison, lang))
    blocks: list[Block] = [
        Paragraph(w.t("alternatives.lead", draws=format_number(comparison.draws, lang))),
        Table(header, rows, w.t("alternatives.table_note", unit=unit_text)),
        Paragraph(risk_reading(comparison, r.proposed, lang)),
    ]
    parties = parties_reading(comparison, r.proposed, lang)
    if parties:
        blocks.append(Paragraph(parties))
    blocks.append(w.figure("instruments", public_distribution_chart(comparison, lang)))
    blocks.append(Subheading(w.t("alternatives.setup_heading")))
    given = (w.scenario.contract.transaction_costs if w.scenario.contract is not None else None) or {}
    if given:
        blocks.append(Table(
            (w.t("alternatives.col.instrument"), w.t("alternatives.col.setup"), w.t("alternatives.col.per_year")),
            tuple((w.instrument(i), format_sek(costs.setup, lang), format_sek(costs.per_year, lang))
                  for i, costs in sorted(given.items(), key=lambda item: INSTRUMENTS.index(item[0]))),
            w.t("alternatives.setup_note")))
    else:
        blocks.append(Paragraph(w.t("alternatives.no_setup_costs")))
    blocks.append(Bullets(tuple(f"{w.instrument(i)}: {translate(f'catalogue.{i}.setup_cost', lang)}"
                                for i in dict.fromkeys((r.proposed, *_chosen(w.scenario))))))
    return w.section("alternatives", blocks)


def _chosen(scenario: Scenario) -> tuple[str, ...]:
    return (scenario.contract.instrument,) if scenario.contract is not None else ()


def _economics(w: _Writer, r: _Results) -> Section:
    s, p, lang = w.scenario, r.projection, w.lang
    blocks: list[Block] = [
        Subheading(w.t("economics.over_time")),
        Paragraph(w.t("economics.cumulative_lead", contract_years=s.contract_years, years=p.horizon_years)),
        w.figure("cumulative", cumulative_chart(p, lang)),
        w.figure("flows", benefits_costs_chart(p, lang)),
        Subheading(w.t("economics.who_pays")),
        Paragraph(w.t("economics.who_pays_lead")),
    ]
    unit = "mnkr" if max((abs(v) for d in (p.pv_costs_by_payer, p.pv_benefits_by_payer) for v in d.values()),
                         default=0.0) >= 1_000_000 else "kr"
    blocks.append(Table(
        (w.t("economics.col.payer"), w.t("economics.col.costs"), w.t("economics.col.benefits"),
         w.t("economics.col.net")),
        tuple((payer_label(payer, lang), format_sek(p.pv_costs_by_payer[payer], lang, unit=unit),
               format_sek(p.pv_benefits_by_payer[payer], lang, unit=unit), _signed_sek(p.npv_by_payer[payer], unit, lang))
              for payer in p.payers),
        w.t("economics.who_pays_note", years=p.horizon_years)))
    blocks.append(w.figure("who_pays", who_pays_who_saves_chart(p, lang)))
    blocks += [
        Subheading(w.t("economics.uncertainty")),
        Paragraph(uncertainty_sentence(r.simulation, lang)),
        Paragraph(w.t("economics.draws", draws=format_number(r.simulation.draws, lang))
                  + " " + expected_vs_simulated(lang)),
        w.figure("fan", fan_chart(r.simulation, lang)),
    ]
    rows = sensitivity(s)
    if rows:
        top = rows[0]
        blocks.append(Paragraph(w.t("economics.tornado_lead", parameter=tornado_label(top, lang),
                                    low=signed_amount(min(top.npv_low, top.npv_high), lang, beside=[top.npv_high]),
                                    high=signed_amount(max(top.npv_low, top.npv_high), lang, beside=[top.npv_low]))))
    blocks.append(w.figure("tornado", tornado_chart(rows, lang)))
    blocks.append(Subheading(w.t("economics.break_even")))
    if p.break_even_year is None:
        blocks.append(Paragraph(w.t("economics.break_even_never", years=p.horizon_years,
                                    amount=signed_amount(p.npv, lang))))
    else:
        key = "economics.break_even_within" if p.break_even_year <= s.contract_years else "economics.break_even_after"
        blocks.append(Paragraph(w.t(key, year=p.break_even_year, contract_years=s.contract_years)))
    return w.section("economics", blocks)


def _signed_sek(value: float, unit: str, lang: str) -> str:
    """An amount in the table's unit with an explicit + for a gain (the minus comes from the formatter).

    >>> _signed_sek(567_616, "mnkr", "sv"), _signed_sek(-1_200_000, "mnkr", "en"), _signed_sek(0.2, "kr", "sv")
    ('+0,6 mnkr', 'SEK −1.2 m', '0 kr')
    """
    text = format_sek(value, lang, unit=unit)
    if value <= 0 or format_sek(0.0, lang, unit=unit) == text:
        return text
    return text.replace("SEK ", "SEK +", 1) if text.startswith("SEK ") else "+" + text


def _targets(w: _Writer, designs: tuple[TargetDesign, ...]) -> Section:
    lang = w.lang
    if not designs:
        return w.section("targets", [Paragraph(w.t("targets.none"))])
    from engine.targets.annex import annex_rows

    header, *cells = annex_rows(designs, lang)
    blocks: list[Block] = [Paragraph(w.t("targets.lead", count=len(designs))), Table(tuple(header), tuple(cells))]
    answers: list[tuple[TargetDesign, PowerAnswer | None]] = []
    for design in designs:
        try:
            answers.append((design, analyse_power(power_question(design), lang)))
        except Exception:  # a target too close to its baseline to plan for: said in the table
            answers.append((design, None))
    blocks.append(Subheading(w.t("targets.power_heading")))
    blocks.append(Table(
        (w.t("targets.col.outcome"), w.t("targets.col.needed"), w.t("targets.col.planned"),
         w.t("targets.col.achieved"), w.t("targets.col.mde")),
        tuple(_power_row(design, answer, lang) for design, answer in answers),
        w.t("targets.power_note")))
    checks = [f"{design.outcome}: {check.message(lang)}" for design, answer in answers
              for check in target_checks(design, w.scenario, answer, lang)]
    if checks:
        blocks.append(Subheading(w.t("targets.checks_heading")))
        blocks.append(Bullets(tuple(checks)))
    blocks.append(Subheading(w.t("targets.plan_heading")))
    blocks.append(Bullets(tuple(_plan_line(w, design) for design in designs)))
    return w.section("targets", blocks)


def _power_row(design: TargetDesign, answer: PowerAnswer | None, lang: str) -> tuple[str, ...]:
    if answer is None:
        return (design.outcome, "–", "–", "–", "–")
    planned = "–" if design.planned_n is None else format_number(design.planned_n, lang)
    achieved = "–" if answer.achieved_power is None else format_probability(answer.achieved_power, lang)
    return (design.outcome, format_number(answer.n_per_group, lang), planned, achieved,
            mde_text(answer, design.unit, lang))


def _plan_line(w: _Writer, design: TargetDesign) -> str:
    lang = w.lang
    source = translate(f"targets.source.{design.data_source}", lang)
    if design.data_source_note:
        source += f" ({design.data_source_note})"
    return w.t("targets.plan_line", outcome=design.outcome,
               frequency=translate(f"targets.every.{design.frequency}", lang).lower(), source=source,
               counterfactual=_mid_sentence(translate(f"targets.counterfactual.{design.counterfactual}", lang)),
               window=design.measurement_window_months, effect=design.time_to_effect_months,
               validated=design.validated_by or w.t("targets.validated_open"))


def _legal(w: _Writer, r: _Results) -> Section:
    lang = w.lang
    blocks: list[Block] = [Paragraph(translate("questionnaire.disclaimer", lang))]
    rec = r.recommendation
    if rec is None:
        blocks.append(Paragraph(w.t("legal.no_answers")))
    elif not rec.legal_notes:
        blocks.append(Paragraph(w.t("legal.none_raised")))
    else:
        params = legal_note_params(rec.answers, lang)
        for note in rec.legal_notes:
            blocks.append(Subheading(translate(f"questionnaire.legal.{note.id}.title", lang)))
            blocks.append(Paragraph(translate(f"questionnaire.legal.{note.id}.text", lang, **params)))
            if note.sources:
                blocks.append(Bullets(tuple(note.sources)))
    blocks.append(Subheading(w.t("legal.instrument_heading", instrument=_mid_sentence(w.instrument(r.proposed)))))
    blocks.append(Paragraph(translate(f"catalogue.{r.proposed}.legal", lang)))
    return w.section("legal", blocks)


def _sources(w: _Writer) -> Section:
    s, lang = w.scenario, w.lang
    blocks: list[Block] = [Paragraph(w.t("sources.lead"))]
    if s.sources:
        yes, no = w.t("sources.assumption_yes"), w.t("sources.assumption_no")
        blocks.append(Table(
            (w.t("sources.col.field"), w.t("sources.col.source"), w.t("sources.col.url"), w.t("sources.col.assumption")),
            tuple((source_label(source.field, lang), " ".join(source.text.split()) or "–", source.url or "–",
                   yes if is_assumption(source) else no) for source in s.sources)))
        count = sum(1 for source in s.sources if is_assumption(source))
        blocks.append(Paragraph(w.t("sources.count", total=len(s.sources), assumptions=count)))
    else:
        blocks.append(Paragraph(w.t("sources.none")))
    blocks.append(Subheading(w.t("sources.model_heading")))
    blocks.append(Bullets((
        w.t("sources.model.prices", price_year=s.price_year),
        w.t("sources.model.discount", rate=format_percent(s.discount_rate, lang)),
        w.t("sources.model.optimism", share=format_percent(s.optimism_bias, lang)),
        w.t("sources.model.draws", draws=format_number(MEMO_DRAWS, lang), seed=MEMO_SEED),
    )))
    return w.section("sources", blocks)


def _open_questions(w: _Writer, r: _Results, designs: tuple[TargetDesign, ...]) -> Section:
    s, lang = w.scenario, w.lang
    items: list[str] = []
    assumptions = sum(1 for source in s.sources if is_assumption(source))
    if assumptions:
        items.append(w.t("open.assumptions", count=assumptions))
    if not s.sources:
        items.append(w.t("open.no_sources"))
    if r.recommendation is None:
        items.append(w.t("open.no_answers"))
    elif r.recommendation.confidence == "low":
        items.append(w.t("open.low_confidence"))
    if not designs:
        items.append(w.t("open.no_targets"))
    if s.contract is not None:
        items += [describe_warning(warning, lang) for warning in contract_cash_flows(s).warnings]
    if r.projection.break_even_year is None:
        items.append(w.t("open.no_break_even", years=r.projection.horizon_years))
    others = [payer for payer in r.projection.payers
              if r.projection.pv_costs_by_payer.get(payer, 0.0) <= 0 < r.projection.pv_benefits_by_payer.get(payer, 0.0)]
    if others:
        items.append(w.t("open.others_save", payers=", ".join(payer_in_sentence(p, lang) for p in others)))
    blocks: list[Block] = [Bullets(tuple(items))] if items else [Paragraph(w.t("open.none"))]
    blocks.append(Paragraph(w.t("open.placeholder"), placeholder=True))
    return w.section("open_questions", blocks)


def _workshop(w: _Writer, workshop: WorkshopRecord) -> Section:
    lang = w.lang
    known = catalog(lang)
    day = workshop.held_on.isoformat() if workshop.held_on is not None else "–"
    total = sum(count for _, count in workshop.participants)
    blocks: list[Block] = [Paragraph(w.t("workshop.lead", title=workshop.title, day=day,
                                         total=format_number(total, lang)))]
    if workshop.participants:
        blocks.append(Table(
            (w.t("workshop.col.role"), w.t("workshop.col.count")),
            tuple((known.get(f"workshop.role.{role}", role), format_number(count, lang))
                  for role, count in workshop.participants)))
    if workshop.disagreements:
        blocks.append(Subheading(w.t("workshop.disagreements")))
        blocks.append(Table((w.t("workshop.col.question"), w.t("workshop.col.disagreement")),
                            tuple((question, format_percent(share, lang, 0))
                                  for question, share in workshop.disagreements),
                            w.t("workshop.disagreement_note")))
    if workshop.agreed_answers:
        blocks.append(Subheading(w.t("workshop.agreed")))
        blocks.append(Bullets(tuple(f"{question}: {answer}" for question, answer in workshop.agreed_answers)))
    blocks.append(Subheading(w.t("workshop.decisions")))
    blocks.append(Bullets(workshop.decisions) if workshop.decisions else Paragraph(w.t("workshop.no_decisions")))
    if workshop.notes.strip():
        blocks.append(Subheading(w.t("workshop.notes")))
        blocks += [Paragraph(text) for text in _paragraphs(workshop.notes)]
    return w.section("workshop", blocks)

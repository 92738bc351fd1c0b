"""The instrument-choice questionnaire: answers in, a ranked, explained recommendation out.

Questions, weights, knock-outs and legal screens are data (``data/questionnaire/questions.json``
and ``scoring.json``); every text is a catalog key in ``data/i18n/<lang>/questionnaire.json``.
Nothing here knows a particular instrument: change the data, and the advice changes.

**Answers.** ``{question id: value}``; a choice question takes one of its option ids, a number
question a number within its range (years, MSEK or months, as the question says). A question may
be left out (or ``null``): it is *unanswered*, which lowers the confidence shown, never an error.
A number is scored by the *band* it falls in (``time_to_effect_years`` 4.5 is the band ``long``),
so from here on every answered question has one option id.

**Score, 0-100.** Each answer gives each instrument a weight from -3 to +3 (0 when the answer
does not matter for it). All instruments are measured with one yardstick ``R``: the largest
absolute weight sum that any instrument could reach on the questions answered (its lowest or its
highest possible sum). Then::

    score = 50 + 50 * (sum of the instrument's chosen weights) / R

so 50 means "no pull either way", 100 the strongest pull any instrument could get, and the order
of the scores is the order of the weight sums (``scale`` ``"common"`` in ``scoring.json``). Until
issue 13 each instrument was placed between its *own* lowest and highest sum, which could rank an
instrument with a smaller sum first (a known home-care purchase: outcome-based procurement 86.7
with sum 19 ahead of traditional procurement 81.8 with sum 20); ``"per_instrument"`` keeps that rule
available.

Worked example, two answers and the social outcomes contract: ``purpose`` = ``test_new_method``
weighs +3 and ``risk_transfer`` = ``wanted`` +3. Its own range on these two questions is -5..+6,
and no instrument reaches further, so ``R`` = 6 and the score is 50 + 50 * 6 / 6 = 100. With
``risk_transfer`` = ``neutral`` (0) instead: 50 + 50 * 3 / 6 = 75. An instrument on which the
answered questions have no bearing at all scores 50.

>>> rec = recommend({"purpose": "test_new_method", "risk_transfer": "wanted"})
>>> {s.instrument: round(s.score, 1) for s in rec.ranking}["social_outcomes_contract"]
100.0
>>> rec = recommend({"purpose": "test_new_method", "risk_transfer": "neutral"})
>>> {s.instrument: round(s.score, 1) for s in rec.ranking}["social_outcomes_contract"]
75.0

**Knock-outs** exclude an instrument whatever its score (IOP with a private provider). Excluded
instruments are ranked after every other one. Traditional procurement has none: it is the
fallback that is always possible, so the ranking always has a first choice.

**Stability** is the share of 1 000 random perturbations of all weights (each multiplied by an
independent uniform factor in 0.75..1.25) under which the first choice stays strictly first. The
generator is seeded, so the same answers always give the same figure.

**Confidence** combines how many questions were answered with the stability: ``low`` when fewer
than half are answered or the first choice stays first in fewer than half of the perturbations;
``high`` when at least 90 % are answered and the stability is at least 0.8; otherwise ``medium``.

**Reasons in words.** An answer that pulls an instrument up is explained by the catalog key
``questionnaire.q.<question>.why.<option>``, one that pulls it down by ``.whynot.<option>``. Such a
generic text is shown for every instrument the answer moves, so it must fit them all; where it
does not, ``questionnaire.q.<question>.why.<option>.<instrument>`` (or ``.whynot.``) overrides it
for that one instrument. Lookup order: the per-instrument key in the language asked for, then in
Swedish; then the generic key in the language asked for, then in Swedish (see :func:`reason_text`).

**What would change it.** Every single other answer (and, for a number question, a value from
each other band) is tried; the changes that put another instrument first are kept, one per
question: first those under which another instrument overtakes the first choice, then those that
knock the first choice out, each group by the new leader's lead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError, Problem
from engine.i18n import DEFAULT_LANGUAGE, catalog, format_number, translate
from engine.questionnaire.legal import direct_award_limit, legal_params
from engine.scenario import clamped_integer, clamped_real

ANSWERS_FORMAT = "utfallskompassen.answers/1"
MAX_ANSWERS_BYTES = 200_000
_DATA = Path(__file__).resolve().parents[2] / "data" / "questionnaire"
_REASONS_SHOWN = 3
_CHANGES_SHOWN = 2

Answers = dict[str, "str | float"]


class AnswersError(InputError):
    """An answer set that names unknown questions or options, or has bad numbers."""


# --- the questionnaire as data --------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    """Values of a number question from the previous band's bound up to (not including) ``below``.

    A bound may depend on another answer: ``below_by`` maps that question's options to their own
    bound (the direct-award band of ``volume_msek`` ends at the direct-award limit for the kind of
    service answered in ``service_kind``; see :mod:`engine.questionnaire.legal`). ``below`` is the
    bound when that question is unanswered or its answer is not in the map.
    """

    id: str
    below: float | None
    example: float
    depends_on: str | None = None
    below_by: tuple[tuple[str, float], ...] = ()

    def bound(self, answers: Mapping[str, Any] | None = None) -> float | None:
        if self.depends_on and answers:
            return dict(self.below_by).get(str(answers.get(self.depends_on)), self.below)
        return self.below


@dataclass(frozen=True)
class Question:
    id: str
    kind: str                      # "choice" or "number"
    options: tuple[str, ...]       # option ids; for a number question the band ids
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    bands: tuple[Band, ...] = ()
    extra: bool = False            # beyond the sixteen dimensions of the design

    def band_of(self, value: float, answers: Mapping[str, Any] | None = None) -> str:
        """The band a number falls in (given the other ``answers`` where a bound depends on one).

        >>> load_questionnaire().question("time_to_effect_years").band_of(4)
        'long'
        >>> volume = load_questionnaire().question("volume_msek")
        >>> volume.band_of(5), volume.band_of(5, {"service_kind": "social_service"})
        ('small', 'below_direct_award')
        """
        for band in self.bands:
            bound = band.bound(answers)
            if bound is None or value < bound:
                return band.id
        return self.bands[-1].id

    def example_of(self, option: str, answers: Mapping[str, Any] | None = None) -> str | float:
        """The answer that stands for ``option``: the option itself, or a number in that band (its
        example, or the middle of the band where the other ``answers`` move its bounds past it)."""
        if self.kind != "number":
            return option
        index = [b.id for b in self.bands].index(option)
        band = self.bands[index]
        if self.band_of(band.example, answers) == option:
            return band.example
        previous = None if index == 0 else self.bands[index - 1].bound(answers)
        low = previous if previous is not None else (self.minimum or 0.0)
        high = band.bound(answers)
        return low * 2 if high is None else (low + high) / 2


@dataclass(frozen=True)
class Knockout:
    id: str
    instrument: str
    when: Mapping[str, Any]


@dataclass(frozen=True)
class LegalScreen:
    id: str
    when_any: Mapping[str, Any]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[Question, ...]
    instruments: tuple[str, ...]
    #: weights[question index, option index, instrument index]; options beyond a question's own are 0.
    weights: np.ndarray
    #: True where ``weights`` holds a real option.
    valid: np.ndarray
    knockouts: tuple[Knockout, ...]
    legal_screens: tuple[LegalScreen, ...]
    perturbation_share: float
    perturbation_draws: int
    seed: int
    scale: str = "common"          # "common" or "per_instrument" (see _scores)

    def question(self, question_id: str) -> Question:
        return self.questions[self.index(question_id)]

    def index(self, question_id: str) -> int:
        return [q.id for q in self.questions].index(question_id)


@cache
def load_questionnaire() -> Questionnaire:
    """Read and check the questionnaire data once per process (a mistake in it fails loudly)."""
    questions_doc = json.loads((_DATA / "questions.json").read_text(encoding="utf-8"))
    scoring = json.loads((_DATA / "scoring.json").read_text(encoding="utf-8"))
    questions = tuple(_question(q) for q in questions_doc["questions"])
    instruments = tuple(scoring["instruments"])
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError("questions.json: a question id appears twice")
    width = max(len(q.options) for q in questions)
    weights = np.zeros((len(questions), width, len(instruments)))
    valid = np.zeros((len(questions), width), dtype=bool)
    table = scoring["weights"]
    if set(table) != set(ids):
        raise ValueError(f"scoring.json: weights for {sorted(set(table) ^ set(ids))} do not match the questions")
    for qi, question in enumerate(questions):
        if set(table[question.id]) != set(question.options):
            raise ValueError(f"scoring.json: options of {question.id} do not match questions.json")
        for oi, option in enumerate(question.options):
            valid[qi, oi] = True
            for instrument, weight in table[question.id][option].items():
                if instrument not in instruments or not -3 <= weight <= 3:
                    raise ValueError(f"scoring.json: bad weight {question.id}.{option}.{instrument}")
                weights[qi, oi, instruments.index(instrument)] = weight
    knockouts = tuple(Knockout(k["id"], k["instrument"], k["when"]) for k in scoring["knockouts"])
    screens = tuple(LegalScreen(s["id"], s["when_any"], tuple(s["sources"])) for s in scoring["legal_screens"])
    for rule in knockouts:
        if rule.instrument not in instruments or not set(rule.when) <= set(ids):
            raise ValueError(f"scoring.json: knock-out {rule.id} names an unknown instrument or question")
    for screen in screens:
        if not set(screen.when_any) <= set(ids):
            raise ValueError(f"scoring.json: legal screen {screen.id} names an unknown question")
    perturbation = scoring["perturbation"]
    scale = scoring.get("scale", {}).get("kind", "per_instrument")
    if scale not in ("common", "per_instrument"):
        raise ValueError(f"scoring.json: unknown scale {scale!r}")
    weights.setflags(write=False)
    valid.setflags(write=False)
    return Questionnaire(questions, instruments, weights, valid, knockouts, screens,
                         float(perturbation["share"]), int(perturbation["draws"]), int(perturbation["seed"]), scale)


def _question(raw: dict[str, Any]) -> Question:
    if raw["kind"] == "choice":
        return Question(raw["id"], "choice", tuple(raw["options"]), extra=bool(raw.get("extra", False)))
    bands = tuple(_band(b) for b in raw["bands"])
    return Question(raw["id"], "number", tuple(b.id for b in bands), float(raw["min"]), float(raw["max"]),
                    float(raw["step"]), bands, bool(raw.get("extra", False)))


def _band(raw: dict[str, Any]) -> Band:
    below = raw.get("below")
    if not isinstance(below, dict):
        return Band(raw["id"], below, float(raw["example"]))
    # {"legal": "direct_award_limit", "by": "service_kind"}: the limit for each kind of service, in MSEK.
    if below.get("legal") != "direct_award_limit" or below.get("by") != "service_kind":
        raise ValueError(f"questions.json: band {raw['id']} has an unknown bound {below}")
    by = tuple((kind, direct_award_limit(kind).amount_sek / 1e6) for kind in ("social_service", "other_service"))
    return Band(raw["id"], direct_award_limit(None).amount_sek / 1e6, float(raw["example"]), below["by"], by)


# --- reading answers -------------------------------------------------------------------------------

def parse_answers(source: str | bytes | Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> Answers:
    """Check an answer file (``{"answers": {id: value}}``, as JSON text/bytes or decoded).

    Returns the answered questions only (``null`` means unanswered). Raises :class:`AnswersError`
    with one problem per bad answer, at ``answers.<id>``, in ``lang``.

    >>> parse_answers({"answers": {"volume_msek": 12, "provider": None}})
    {'volume_msek': 12.0}
    >>> parse_answers({"answers": {"volume_msek": "tolv", "colour": "red"}}, "en")
    Traceback (most recent call last):
    ...
    engine.questionnaire.scoring.AnswersError: answers.volume_msek: Enter a number (not text), between 0 and 100,000.
    answers.colour: There is no question “colour” in the questionnaire.
    """
    data = _decode(source, lang) if isinstance(source, (str, bytes)) else source
    if not isinstance(data, Mapping):
        raise AnswersError([Problem("", translate("questionnaire.error.not_an_object", lang), "not_an_object")])
    problems = [Problem(str(key), translate("questionnaire.error.unknown_field", lang), "unknown_field")
                for key in data if key not in ("answers", "format")]
    if "format" in data and data["format"] != ANSWERS_FORMAT:
        problems.append(Problem("format", translate("questionnaire.error.format", lang, expected=ANSWERS_FORMAT),
                                "format"))
    raw = data.get("answers")
    if not isinstance(raw, Mapping):
        key = "questionnaire.error.answers_missing" if raw is None else "questionnaire.error.answers_not_object"
        problems.append(Problem("answers", translate(key, lang), "answers"))
        raise AnswersError(problems)
    questionnaire = load_questionnaire()
    known = {q.id: q for q in questionnaire.questions}
    answers: Answers = {}
    for key, value in raw.items():
        path = f"answers.{key}"
        question = known.get(key)
        if question is None:
            problems.append(Problem(path, translate("questionnaire.error.unknown_question", lang,
                                                    question=str(key)[:60]), "unknown_question"))
        elif value is None:
            continue
        elif question.kind == "choice":
            if isinstance(value, str) and value in question.options:
                answers[key] = value
            else:
                problems.append(Problem(path, translate(
                    "questionnaire.error.unknown_option", lang, value=json.dumps(value, ensure_ascii=False)[:60],
                    options=", ".join(question.options)), "unknown_option"))
        else:
            number = _number(value)
            minimum, maximum = question.minimum, question.maximum
            if minimum is None or maximum is None:  # the data test guarantees bounds on every number question
                raise ValueError(f"question {key!r} asks for a number but has no bounds")
            low, high = format_number(minimum, lang), format_number(maximum, lang)
            if number is None:
                problems.append(Problem(path, translate("questionnaire.error.not_a_number", lang, low=low, high=high),
                                        "not_a_number"))
            elif not minimum <= number <= maximum:
                problems.append(Problem(path, translate("questionnaire.error.out_of_range", lang, low=low, high=high,
                                                        value=format_number(number, lang, _decimals(number))),
                                        "out_of_range"))
            else:
                answers[key] = number
    if problems:
        raise AnswersError(problems)
    return answers


def answers_to_dict(answers: Mapping[str, str | float]) -> dict[str, Any]:
    """An answer set as a file: ``parse_answers(answers_to_dict(a)) == a`` for every valid ``a``."""
    return {"format": ANSWERS_FORMAT, "answers": dict(answers)}


def _number(value: Any) -> float | None:
    # bool is an int in Python; true/false in a number field is a mistake, not 1 and 0.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _decimals(number: float) -> int:
    return 0 if number.is_integer() else 2


def _decode(source: str | bytes, lang: str) -> Any:
    if len(source) > MAX_ANSWERS_BYTES:
        raise AnswersError([Problem("", translate("questionnaire.error.too_large", lang,
                                                  limit=format_number(MAX_ANSWERS_BYTES / 1000, lang)), "too_large")])
    try:
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        return json.loads(text, parse_constant=_refuse_constant, parse_float=clamped_real, parse_int=clamped_integer)
    except RecursionError:
        # Lists in lists thousands deep: no answer set looks like that, and the parser gives up.
        raise AnswersError([Problem("", translate("questionnaire.error.too_deep", lang), "not_json")]) from None
    except UnicodeDecodeError:
        raise AnswersError([Problem("", translate("questionnaire.error.not_json", lang, line=1, column=1),
                                    "not_json")]) from None
    except ValueError as exc:
        line, column = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        raise AnswersError([Problem("", translate("questionnaire.error.not_json", lang, line=line, column=column),
                                    "not_json")]) from None


def _refuse_constant(token: str) -> float:
    raise ValueError(token)  # NaN and Infinity are not JSON


# --- scoring ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """One answer's pull on one instrument: ``weight`` -3..3 (never 0); see :func:`reason_text`."""

    question: str
    option: str
    weight: float
    instrument: str = ""  # whose score it moves ("" = any: the generic text only)


@dataclass(frozen=True)
class InstrumentScore:
    instrument: str
    score: float                         # 0..100
    excluded: bool
    exclusion_reasons: tuple[str, ...]   # knock-out ids
    reasons_for: tuple[Reason, ...]      # strongest first
    reasons_against: tuple[Reason, ...]  # strongest first


@dataclass(frozen=True)
class Change:
    """Answering ``question`` with ``answer`` would put ``instrument`` first with ``score``."""

    question: str
    option: str
    answer: str | float
    instrument: str
    score: float
    margin: float    # its lead over the current first choice after the change, in score points
    removes_first: bool = False  # the change knocks the current first choice out rather than overtaking it


@dataclass(frozen=True)
class Recommendation:
    ranking: tuple[InstrumentScore, ...]  # best first; excluded instruments last
    stability: float                      # 0..1
    answered: int
    questions: int
    confidence: str                       # "low", "medium" or "high"
    changes: tuple[Change, ...]
    legal_notes: tuple[LegalScreen, ...]
    answers: Mapping[str, str | float]

    @property
    def first(self) -> str:
        return self.ranking[0].instrument

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions


def _chosen(answers: Mapping[str, str | float], q: Questionnaire) -> dict[str, str]:
    """Each answered question's option id (number answers turned into their band)."""
    chosen: dict[str, str] = {}
    for question in q.questions:
        value = answers.get(question.id)
        if value is not None:
            chosen[question.id] = (question.band_of(float(value), answers) if question.kind == "number"
                                   else str(value))
    return chosen


def _holds(condition: Any, question: Question, answers: Mapping[str, str | float], chosen: Mapping[str, str]) -> bool:
    if question.id not in chosen:
        return False
    if isinstance(condition, Mapping):
        value = float(answers[question.id])
        return value < condition["below"] if "below" in condition else value >= condition["at_least"]
    return chosen[question.id] in condition


def _excluded(answers: Mapping[str, str | float], chosen: Mapping[str, str], q: Questionnaire) -> list[tuple[str, ...]]:
    reasons: list[list[str]] = [[] for _ in q.instruments]
    for rule in q.knockouts:
        if all(_holds(c, q.question(qid), answers, chosen) for qid, c in rule.when.items()):
            reasons[q.instruments.index(rule.instrument)].append(rule.id)
    return [tuple(r) for r in reasons]


def _scores(weights: np.ndarray, valid: np.ndarray, rows: np.ndarray, columns: np.ndarray,
            scale: str = "common") -> np.ndarray:
    """Scores 0..100 of every instrument; works on one weight table or a stack of them (leading axes).

    ``scale`` ``"common"``: one yardstick for all instruments (see the module's docstring), so the
    order of the scores is the order of the weight sums. ``"per_instrument"``: each instrument between
    its own lowest and highest sum (the rule before issue 13).
    """
    if rows.size == 0:
        return np.full((*weights.shape[:-3], weights.shape[-1]), 50.0)
    picked = weights[..., rows, columns, :].sum(axis=-2)
    answered = weights[..., rows, :, :]
    mask = valid[rows][..., None]
    low = np.where(mask, answered, np.inf).min(axis=-2).sum(axis=-2)
    high = np.where(mask, answered, -np.inf).max(axis=-2).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale == "common":
            reach = np.maximum(-low, high).max(axis=-1, keepdims=True)
            return np.where(reach > 0, 50.0 + 50.0 * picked / np.where(reach > 0, reach, 1.0), 50.0)
        span = high - low
        return np.where(span > 0, 100.0 * (picked - low) / np.where(span > 0, span, 1.0), 50.0)


def _index_arrays(chosen: Mapping[str, str], q: Questionnaire) -> tuple[np.ndarray, np.ndarray]:
    rows = [q.index(qid) for qid in chosen]
    columns = [q.questions[r].options.index(chosen[q.questions[r].id]) for r in rows]
    return np.array(rows, dtype=int), np.array(columns, dtype=int)


def _order(scores: np.ndarray, excluded: list[tuple[str, ...]]) -> list[int]:
    # Excluded last; then the higher score; ties keep the catalogue order (a stable, documented rule).
    return sorted(range(len(scores)), key=lambda i: (bool(excluded[i]), -round(float(scores[i]), 9), i))


def score_instruments(answers: Mapping[str, str | float]) -> tuple[InstrumentScore, ...]:
    """Every instrument's score, exclusions and strongest reasons, best first (no stability).

    ``answers`` must already be valid (see :func:`parse_answers`).
    """
    q = load_questionnaire()
    chosen = _chosen(answers, q)
    rows, columns = _index_arrays(chosen, q)
    scores = _scores(q.weights, q.valid, rows, columns, q.scale)
    excluded = _excluded(answers, chosen, q)
    ranked = []
    for i in _order(scores, excluded):
        pulls = [Reason(q.questions[r].id, q.questions[r].options[c], float(q.weights[r, c, i]), q.instruments[i])
                 for r, c in zip(rows, columns, strict=True)]
        # Strongest first; equal weights in question order.
        ups = sorted((p for p in pulls if p.weight > 0), key=lambda p: -p.weight)[:_REASONS_SHOWN]
        downs = sorted((p for p in pulls if p.weight < 0), key=lambda p: p.weight)[:_REASONS_SHOWN]
        ranked.append(InstrumentScore(q.instruments[i], float(scores[i]), bool(excluded[i]), excluded[i],
                                      tuple(ups), tuple(downs)))
    return tuple(ranked)


def stability(answers: Mapping[str, str | float], draws: int | None = None, seed: int | None = None) -> float:
    """Share 0..1 of random +-25 % weight perturbations under which the first choice stays strictly first.

    Only non-excluded instruments compete (knock-outs do not depend on weights). With a single
    possible instrument the answer is 1.0; with nothing answered every score is 50 whatever the
    weights, nothing is ever strictly first, and the answer is 0.0.
    """
    q = load_questionnaire()
    chosen = _chosen(answers, q)
    rows, columns = _index_arrays(chosen, q)
    excluded = _excluded(answers, chosen, q)
    scores = _scores(q.weights, q.valid, rows, columns, q.scale)
    first = _order(scores, excluded)[0]
    open_ = np.array([not e for e in excluded])
    if open_.sum() <= 1:
        return 1.0
    n = q.perturbation_draws if draws is None else draws
    rng = np.random.default_rng(q.seed if seed is None else seed)
    share = q.perturbation_share
    # Only the answered questions' weights matter, so only they are drawn: (n, answered, options, instruments).
    factors = rng.uniform(1.0 - share, 1.0 + share, size=(n, rows.size, *q.weights.shape[1:]))
    local = q.weights[rows] * factors
    perturbed = _scores(local, q.valid[rows], np.arange(rows.size), columns, q.scale)
    others = np.where(open_, perturbed, -np.inf)
    others[:, first] = -np.inf
    return float(np.mean(perturbed[:, first] > others.max(axis=1) + 1e-9))


def _confidence(answered_share: float, stable: float) -> str:
    if answered_share < 0.5 or stable < 0.5:
        return "low"
    if answered_share >= 0.9 and stable >= 0.8:
        return "high"
    return "medium"


def what_would_change(answers: Mapping[str, str | float], limit: int = _CHANGES_SHOWN) -> tuple[Change, ...]:
    """The single answer changes that would put another instrument first, the largest lead first.

    At most one change per question, and at most ``limit``. Empty when no single change moves the
    first choice.
    """
    q = load_questionnaire()
    current = score_instruments(answers)[0].instrument
    found: dict[str, Change] = {}
    chosen = _chosen(answers, q)
    for question in q.questions:
        present = chosen.get(question.id)
        for option in question.options:
            if option == present:
                continue
            trial = dict(answers) | {question.id: question.example_of(option, answers)}
            ranking = score_instruments(trial)
            leader = ranking[0]
            if leader.instrument == current or leader.excluded:
                continue
            previous = next(s for s in ranking if s.instrument == current)
            # A first choice that the change knocks out counts as 0.
            margin = leader.score - (0.0 if previous.excluded else previous.score)
            change = Change(question.id, option, question.example_of(option, answers), leader.instrument, leader.score, margin,
                            previous.excluded)
            if question.id not in found or _rank(change) < _rank(found[question.id]):
                found[question.id] = change
    return tuple(sorted(found.values(), key=lambda c: (*_rank(c), q.index(c.question)))[:limit])


def _rank(change: Change) -> tuple[bool, float]:
    # Overtaking says more than knocking the first choice out ("if you can measure against a
    # comparison group, X moves up"), so those come first; then the larger lead.
    return (change.removes_first, -change.margin)


def legal_screens(answers: Mapping[str, str | float]) -> tuple[LegalScreen, ...]:
    """The legal screens the answers call for (each shown when any of its conditions holds)."""
    q = load_questionnaire()
    chosen = _chosen(answers, q)
    return tuple(s for s in q.legal_screens
                 if any(_holds(c, q.question(qid), answers, chosen) for qid, c in s.when_any.items()))


def recommend(answers: Mapping[str, str | float], *, draws: int | None = None) -> Recommendation:
    """Ranking, stability, confidence, what would change it and the legal screens, for valid answers."""
    q = load_questionnaire()
    ranking = score_instruments(answers)
    stable = stability(answers, draws)
    answered = len(_chosen(answers, q))
    share = answered / len(q.questions)
    return Recommendation(ranking, stable, answered, len(q.questions), _confidence(share, stable),
                          what_would_change(answers), legal_screens(answers), dict(answers))


# --- in words ---------------------------------------------------------------------------------------

def reason_text(reason: Reason, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why an answer pulls an instrument up (``.why.<option>``) or down (``.whynot.<option>``).

    The instrument's own text (``.why.<option>.<instrument>``) wins over the generic one when the
    catalog has it (in ``lang`` or, failing that, in Swedish).

    >>> "social outcomes contract" in reason_text(
    ...     Reason("external_capital", "investor_interested", 3, "social_outcomes_contract"), "en")
    True
    >>> "utfallskontrakt" in reason_text(Reason("external_capital", "investor_interested", 1, "social_bond"))
    False
    """
    generic = f"questionnaire.q.{reason.question}.{'why' if reason.weight > 0 else 'whynot'}.{reason.option}"
    own = f"{generic}.{reason.instrument}"
    has_own = bool(reason.instrument) and (own in catalog(lang) or own in catalog(DEFAULT_LANGUAGE))
    return translate(own if has_own else generic, lang)


def change_text(change: Change, lang: str = DEFAULT_LANGUAGE) -> str:
    """The change as a sentence: 'Om ni kan mäta mot en jämförelsegrupp går ... upp till första plats.'"""
    return translate("questionnaire.change.sentence", lang,
                     condition=translate(f"questionnaire.q.{change.question}.if.{change.option}", lang),
                     instrument=translate(f"catalogue.{change.instrument}.name", lang),
                     score=format_number(change.score, lang))


def legal_note_params(answers: Mapping[str, str | float], lang: str) -> dict[str, str]:
    """Figures a legal text may quote: the effort's size, and the direct-award limits and thresholds
    (SEK) with their periods from :func:`engine.questionnaire.legal.legal_params`."""
    volume = answers.get("volume_msek")
    service = answers.get("service_kind")
    return {
        "volume": "–" if volume is None else format_number(float(volume) * 1e6, lang),
        # data/legal/thresholds.json, with their periods (engine.questionnaire.legal)
        **legal_params(lang, None if service is None else str(service)),
    }


def recommendation_to_json(rec: Recommendation, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The recommendation as the CLI prints it, every explanation in ``lang``."""
    params = legal_note_params(rec.answers, lang)
    return {
        "ranking": [{
            "instrument": s.instrument,
            "name": translate(f"catalogue.{s.instrument}.name", lang),
            "score": round(s.score, 1),
            "excluded": s.excluded,
            "exclusion_reasons": [translate(f"questionnaire.ko.{k}", lang) for k in s.exclusion_reasons],
            "reasons_for": [reason_text(r, lang) for r in s.reasons_for],
            "reasons_against": [reason_text(r, lang) for r in s.reasons_against],
        } for s in rec.ranking],
        "stability": round(rec.stability, 3),
        "confidence": rec.confidence,
        "confidence_text": confidence_text(rec, lang),
        "answered": rec.answered,
        "questions": rec.questions,
        "what_would_change": [change_text(c, lang) for c in rec.changes],
        "legal_notes": [{
            "id": note.id,
            "title": translate(f"questionnaire.legal.{note.id}.title", lang),
            "text": translate(f"questionnaire.legal.{note.id}.text", lang, **params),
            "sources": list(note.sources),
        } for note in rec.legal_notes],
        "disclaimer": translate("questionnaire.disclaimer", lang),
    }


def confidence_text(rec: Recommendation, lang: str = DEFAULT_LANGUAGE) -> str:
    """E.g. 'Medelhög säkerhet: 12 av 19 frågor besvarade; förstahandsvalet står sig i 83 % av ...'."""
    return translate(f"questionnaire.confidence.{rec.confidence}", lang, answered=rec.answered,
                     questions=rec.questions, stability=format_number(rec.stability * 100, lang))

"""The scenario: the unit users save, share between municipalities and export (file format v1).

A scenario describes one intervention for one target group: who starts when (``intake``), what it
costs and who pays (``costs``), which outcomes it reduces and what a unit of each is worth to
which budget holder (``outcomes``), and optionally how it is contracted (``contract``).

Conventions used across the engine:

* Years are numbered 1..H where H is ``horizon_years``; year 1 is the first contract year.
* Amounts are real SEK in ``price_year`` prices. Costs and values are non-negative numbers.
* Shares (effect, deadweight, optimism bias, fixed share ...) are fractions 0..1, never percent.

Validation reports *every* problem with its field path, in the user's language:

>>> from engine.scenario import parse_scenario
>>> parse_scenario('{"format": "utfallskompassen.scenario/1"}', lang="en")
Traceback (most recent call last):
...
engine.errors.ScenarioError: name: This field is required.
price_year: This field is required.
discount_rate: This field is required.
horizon_years: This field is required.
contract_years: This field is required.
intake: This field is required.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from engine.errors import Problem, ScenarioError
from engine.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translate

FORMAT_ID = "utfallskompassen.scenario/1"
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 5_000
MAX_HORIZON_YEARS = 60
MAX_FILE_BYTES = 2_000_000
#: Limits that keep one scenario's work bounded on a shared server, far above what real cases need
#: (the five examples have at most 3 outcomes, 4 cost items and 4 budget holders).
MAX_OUTCOMES = 20
MAX_COST_ITEMS = 30
MAX_PAYERS = 10
MAX_SOURCES = 200
#: The largest amount or count accepted (engine/numbers.py): sums over draws and decades stay finite.
LARGEST_AMOUNT = 1e12
#: Text may hold line breaks and tabs, but no other control character (NUL breaks PostgreSQL; ESC
#: and bidirectional overrides make text look like something else).
_FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

#: Instrument ids (fixed by the design; other tools rely on them).
INSTRUMENTS: tuple[str, ...] = (
    "traditional_procurement", "reserved_procurement", "outcome_based_procurement",
    "internal_outcomes_contract", "social_outcomes_contract", "social_investment_fund",
    "social_bond", "iop",
)

def _printable(text: str) -> str:
    if _FORBIDDEN_CHARACTERS.search(text):
        raise PydanticCustomError("control_character", "control character")
    return text


_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH),
                  AfterValidator(_printable)]
_Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), AfterValidator(_printable)]
#: A name used as a key (a budget holder in values, an outcome in prices): checked, never altered.
_Key = Annotated[str, StringConstraints(max_length=MAX_NAME_LENGTH), AfterValidator(_printable)]
_Share = Annotated[float, Field(ge=0.0, le=1.0)]
_Amount = Annotated[float, Field(ge=0.0, le=LARGEST_AMOUNT)]
_Year = Annotated[int, Field(ge=1, le=MAX_HORIZON_YEARS)]
_Pair = Annotated[list[float], Field(min_length=2, max_length=2)]
_YearPair = Annotated[list[int], Field(min_length=2, max_length=2)]


class _Strict(BaseModel):
    # strict: text is never silently turned into a number; forbid: a misspelt field is an error,
    # not a silently ignored setting; allow_inf_nan=False: NaN and Infinity are refused.
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class CostItem(_Strict):
    """A cost of one payer: ``per_participant`` (SEK per starting participant, charged in the
    intake year) or ``per_year`` (SEK per year from ``first_year`` to ``last_year`` inclusive;
    defaults 1 and ``contract_years``). ``kind`` is ``delivery`` (the service itself) or ``other``."""

    name: _Name
    payer: _Name
    kind: Literal["delivery", "other"] = "delivery"
    per_participant: _Amount | None = None
    per_year: _Amount | None = None
    first_year: _Year | None = None
    last_year: _Year | None = None


class Outcome(_Strict):
    """An outcome the intervention reduces. ``baseline`` is units per participant and year without
    the intervention; ``effect`` the relative reduction 0..1; ``effect_profile[j]`` the share of
    the full effect in the j-th year after intake (j = 0 is the intake year); ``values`` SEK per
    avoided unit for each budget holder."""

    name: _Name
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NAME_LENGTH),
                    AfterValidator(_printable)] = ""
    baseline: _Amount
    effect: _Share
    effect_range: _Pair | None = None
    effect_profile: Annotated[list[_Share], Field(min_length=1, max_length=MAX_HORIZON_YEARS)] = [1.0]
    deadweight: _Share = 0.0
    values: Annotated[dict[_Key, _Amount], Field(max_length=MAX_PAYERS)] = {}


class Uncertainty(_Strict):
    """Multiplicative ranges around 1.0 for all values and all costs (Monte Carlo)."""

    value_range: _Pair | None = None
    cost_range: _Pair | None = None


class TransactionCosts(_Strict):
    """What an instrument costs the public side to set up and run, beyond the service itself:
    ``setup`` (SEK, year 1: legal advice, intermediary, outcome definitions, an issue's
    framework) and ``per_year`` (SEK in each contract year: follow-up, evaluation, reporting)."""

    setup: _Amount = 0.0
    per_year: _Amount = 0.0


class Contract(_Strict):
    """How the intervention is contracted; see DESIGN.md "Instruments and payment mechanics"."""

    instrument: Literal[
        "traditional_procurement", "reserved_procurement", "outcome_based_procurement",
        "internal_outcomes_contract", "social_outcomes_contract", "social_investment_fund",
        "social_bond", "iop",
    ]
    outcome_payer: _Name | None = None
    prices: Annotated[dict[_Key, _Amount], Field(max_length=MAX_OUTCOMES)] = {}
    payment_window: _YearPair | None = None
    threshold: _Share = 0.0
    cap: _Amount | None = None
    fixed_share: _Share = 0.0
    fund_repayment_share: _Share = 0.5
    return_cap: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.10
    return_floor: Annotated[float, Field(ge=-1.0, le=1.0)] = -0.20
    maturity_year: _Year | None = None
    grant_share: _Share = 1.0
    #: The return a social outcomes contract's investor requires, share per year (0..50 %);
    #: the engine reports whether the investor's IRR reaches it. None: not stated.
    investor_required_return: Annotated[float, Field(ge=0.0, le=0.5)] | None = None
    #: Internal outcomes contract only: whether the provider is the public body's own unit
    #: ("utförare i egen regi"), whose result then belongs to the public result. Default: an
    #: external provider that bears the delivery costs, as in Botkyrka and Örnsköldsvik.
    #: None (left out of files) means False.
    provider_in_house: bool | None = None
    #: Set-up and running transaction costs by instrument id, paid by the outcome payer; an
    #: instrument not named costs nothing beyond the service (the app suggests labelled
    #: assumptions, data/instruments/transaction_costs.json).
    transaction_costs: Annotated[dict[
        Literal["traditional_procurement", "reserved_procurement", "outcome_based_procurement",
                "internal_outcomes_contract", "social_outcomes_contract", "social_investment_fund",
                "social_bond", "iop"], TransactionCosts], Field(max_length=8)] | None = None


class Source(_Strict):
    """Where a figure comes from: ``field`` is a field path such as ``outcomes[0].values.kommun``."""

    field: Annotated[str, StringConstraints(max_length=MAX_NAME_LENGTH), AfterValidator(_printable)]
    text: _Text
    url: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class Scenario(_Strict):
    """A whole scenario, format v1. Build one with :func:`parse_scenario`, never directly from
    user input, so that the cross-field rules are checked too."""

    format: Literal["utfallskompassen.scenario/1"]
    name: _Name
    description: _Text = ""
    currency: Literal["SEK"] = "SEK"
    price_year: Annotated[int, Field(ge=1990, le=2100)]
    discount_rate: Annotated[float, Field(ge=0.0, le=0.25)]
    horizon_years: _Year
    contract_years: _Year
    intake: Annotated[list[_Amount], Field(min_length=1, max_length=MAX_HORIZON_YEARS)]
    costs: Annotated[list[CostItem], Field(max_length=MAX_COST_ITEMS)] = []
    outcomes: Annotated[list[Outcome], Field(max_length=MAX_OUTCOMES)] = []
    optimism_bias: _Share = 0.0
    uncertainty: Uncertainty | None = None
    contract: Contract | None = None
    sources: Annotated[list[Source], Field(max_length=MAX_SOURCES)] = []

    @property
    def payers(self) -> tuple[str, ...]:
        """Every budget holder named in costs or values, in order of first mention."""
        seen: dict[str, None] = {}
        for cost in self.costs:
            seen.setdefault(cost.payer)
        for outcome in self.outcomes:
            for payer in outcome.values:
                seen.setdefault(payer)
        return tuple(seen)


# --- parsing -------------------------------------------------------------------------------------

def parse_scenario(source: str | bytes | dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> Scenario:
    """Validate a scenario given as JSON text/bytes or as an already decoded mapping.

    Raises :class:`ScenarioError` listing every problem (field path + message in ``lang``).
    """
    data = _decode_json(source, lang) if isinstance(source, (str, bytes)) else source
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", translate("error.not_an_object", lang), "not_an_object")])
    if data.get("format") != FORMAT_ID:
        # Checked first and alone: a file of another format or version would otherwise drown
        # the user in field-by-field noise that says nothing useful.
        found = data.get("format")
        key = "error.format_missing" if found is None else "error.format_wrong"
        raise ScenarioError([Problem("format", translate(key, lang, expected=FORMAT_ID, found=str(found)[:80]), "format")])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([problem_from_pydantic(error, lang) for error in exc.errors()]) from None
    problems = _cross_field_problems(scenario, lang)
    if problems:
        raise ScenarioError(problems)
    return scenario


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-ready data (fields left at ``None`` are omitted)."""
    return scenario.model_dump(mode="json", exclude_none=True)


def scenario_to_json(scenario: Scenario) -> str:
    """Pretty, stable JSON text; ``parse_scenario(scenario_to_json(s)) == s`` for every valid ``s``."""
    return json.dumps(scenario_to_dict(scenario), ensure_ascii=False, indent=2)


def blank_scenario(name: str) -> Scenario:
    """A valid starting point: 15-year horizon, 4-year contract, 3.5 % real discount rate."""
    return parse_scenario({
        "format": FORMAT_ID,
        "name": name,
        "price_year": 2025,
        "discount_rate": 0.035,
        "horizon_years": 15,
        "contract_years": 4,
        "intake": [10.0],
    })


def new_outcome(name: str) -> dict[str, Any]:
    """The starting point of an outcome a user adds to a scenario, as scenario-file data: one unit per
    participant and year at baseline, a 10 % effect, valued at nothing until the user says to whom
    it is worth what (so a new outcome never changes the result by itself).

    >>> new_outcome("Utfall 2")["values"]
    {'kommun': 0.0}
    """
    return {"name": name, "baseline": 1.0, "effect": 0.1, "values": {"kommun": 0.0}}


def follow_renamed_outcomes(data: dict[str, Any], before: list[str], after: list[str]) -> dict[str, Any]:
    """Scenario-file data in which the contract's prices follow outcomes the user renamed (the
    outcome at each position was called ``before[i]`` and is now ``after[i]``), so a new name
    never leaves a price behind on a name that no longer exists.

    >>> data = {"contract": {"prices": {"Dagar": 500.0, "Annat": 1.0}}}
    >>> follow_renamed_outcomes(data, ["Dagar"], ["Korta dagar"])["contract"]["prices"]
    {'Korta dagar': 500.0, 'Annat': 1.0}
    """
    prices = (data.get("contract") or {}).get("prices")
    renames = {old: new for old, new in zip(before, after, strict=False) if old != new and old in (prices or {})}
    if not prices or not renames:
        return data
    moved = {renames.get(name, name): price for name, price in prices.items()}
    return data | {"contract": data["contract"] | {"prices": moved}}


def widened_effect_range(outcome: dict[str, Any]) -> list[float] | None:
    """The smallest change that makes an outcome's effect range hold its effect again (the obvious
    fix of the ``effect_range_order`` problem): the range stretched to the effect, within 0..1;
    None when the range already holds it or there is no range.

    >>> widened_effect_range({"effect": 0.2, "effect_range": [0.05, 0.15]})
    [0.05, 0.2]
    >>> widened_effect_range({"effect": 0.1, "effect_range": [0.05, 0.15]}) is None
    True
    """
    pair, effect = outcome.get("effect_range"), outcome.get("effect")
    if not isinstance(pair, list | tuple) or len(pair) != 2 or not isinstance(effect, int | float):
        return None
    low, high = (min(max(float(v), 0.0), 1.0) for v in pair)
    wanted = [min(low, float(effect)), max(high, float(effect))]
    return None if wanted == [float(pair[0]), float(pair[1])] else wanted


def check_file_size(size_bytes: int, lang: str = DEFAULT_LANGUAGE) -> None:
    """Refuse a scenario file larger than ``MAX_FILE_BYTES`` before anyone reads it whole."""
    if size_bytes > MAX_FILE_BYTES:
        raise ScenarioError([Problem("", translate(
            "error.file_too_large", lang,
            size=format_number(size_bytes / 1e6, lang, 1), limit=format_number(MAX_FILE_BYTES / 1e6, lang, 0),
        ), "too_large")])


def _decode_json(source: str | bytes, lang: str) -> Any:
    """The JSON value of ``source``. ``NaN`` and ``Infinity`` (which Python's json accepts but JSON
    does not have) are refused with the field where each stands, not only the file's name.

    >>> try:
    ...     _decode_json('{"outcomes": [{"baseline": NaN}]}', "en")
    ... except ScenarioError as error:
    ...     [(p.path, p.code) for p in error.problems]
    [('outcomes[0].baseline', 'finite_number')]
    """
    check_file_size(len(source), lang)
    try:
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        data = json.loads(text, parse_constant=_NonFinite, parse_float=clamped_real, parse_int=clamped_integer)
    except UnicodeDecodeError:
        raise ScenarioError([Problem("", translate("error.not_utf8", lang), "not_json")]) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError([Problem("", translate("error.not_json", lang, line=exc.lineno, column=exc.colno), "not_json")]) from None
    except RecursionError:
        # Lists in lists thousands deep: no scenario looks like that, and the parser gives up.
        raise ScenarioError([Problem("", translate("error.too_deep", lang), "not_json")]) from None
    if found := list(_non_finite(data, ())):
        raise ScenarioError([Problem(field_path(location), translate("error.non_finite_in_file", lang, token=token),
                                     "finite_number") for location, token in found])
    return data


def clamped_real(text: str) -> float:
    """A JSON number as a float; one too large for a float (``1e400``) becomes the largest float of
    its sign, so that the field's own check says it is too large and names the largest accepted
    value, instead of calling a number the user typed "not finite".

    >>> clamped_real("2.5"), clamped_real("-1e400") == -sys.float_info.max
    (2.5, True)
    """
    value = float(text)
    return value if math.isfinite(value) else math.copysign(sys.float_info.max, value)


def clamped_integer(text: str) -> int:
    """A JSON integer; one with more digits than the largest float becomes that float's integer (of
    its sign), without converting it (Python refuses integers of more than 4 300 digits).

    >>> clamped_integer("42"), clamped_integer("9" * 5000) == int(sys.float_info.max)
    (42, True)
    """
    digits = text.lstrip("-")
    if len(digits) > _MOST_DIGITS:
        return -_LARGEST_INTEGER if text.startswith("-") else _LARGEST_INTEGER
    return int(text)


_LARGEST_INTEGER = int(sys.float_info.max)
_MOST_DIGITS = len(str(_LARGEST_INTEGER))


class _NonFinite(str):
    """Where the file had ``NaN``, ``Infinity`` or ``-Infinity``: a marker found by :func:`_non_finite`."""


def _non_finite(value: Any, location: tuple[int | str, ...]) -> Any:
    """(location, token) of every non-finite constant in decoded JSON, depth first. Iterative, so a
    deeply nested file cannot exhaust the stack here."""
    stack = [(value, location)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, _NonFinite):
            yield where, str(item)
        elif isinstance(item, dict):
            stack.extend((child, (*where, key)) for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((child, (*where, index)) for index, child in reversed(list(enumerate(item))))


def field_path(location: tuple[int | str, ...]) -> str:
    """Render a pydantic location as a field path.

    >>> field_path(("outcomes", 0, "values", "kommun"))
    'outcomes[0].values.kommun'
    """
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def changed_fields(before: Any, after: Any, path: str = "") -> list[str]:
    """The field paths where two versions of a document differ, in document order: what someone
    else changed, shown before a user decides whose save to keep. A list whose length changed is
    reported as a whole (its items no longer pair up).

    >>> old = {"name": "A", "outcomes": [{"effect": 0.1, "values": {"kommun": 5}}], "horizon_years": 10}
    >>> changed_fields(old, old | {"horizon_years": 12})
    ['horizon_years']
    >>> changed_fields(old, old | {"outcomes": [{"effect": 0.2, "values": {"kommun": 5, "region": 1}}]})
    ['outcomes[0].effect', 'outcomes[0].values.region']
    >>> changed_fields(old, old | {"outcomes": []}), changed_fields(old, old)
    (['outcomes'], [])
    """
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key in [*before, *(k for k in after if k not in before)]:
            if before.get(key) != after.get(key):
                found += changed_fields(before.get(key), after.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for i, (a, b) in enumerate(zip(before, after, strict=True)) for p in changed_fields(a, b, f"{path}[{i}]")]
    return [] if before == after else [path]


# Pydantic error types -> catalog keys. The context of the error (limits, lengths) fills the text.
_ERROR_KEYS: dict[str, str] = {
    "missing": "error.missing",
    "extra_forbidden": "error.unknown_field",
    "finite_number": "error.finite_number",
    "float_type": "error.number_type",
    "float_parsing": "error.number_type",
    "int_type": "error.integer_type",
    "int_parsing": "error.integer_type",
    "int_from_float": "error.integer_type",
    "string_type": "error.string_type",
    "list_type": "error.list_type",
    "dict_type": "error.object_type",
    "model_type": "error.object_type",
    "model_attributes_type": "error.object_type",
    "greater_than_equal": "error.min_value",
    "greater_than": "error.min_value_exclusive",
    "less_than_equal": "error.max_value",
    "less_than": "error.max_value_exclusive",
    "string_too_short": "error.empty_text",
    "string_too_long": "error.text_too_long",
    "too_short": "error.too_few_items",
    "too_long": "error.too_many_items",
    "literal_error": "error.choice",
    "control_character": "error.control_character",
}


_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def field_label(path: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A problem's field path as a person names the field: ``outcomes[0].effect_range`` is
    "Utfall 1 – Effektens intervall (lägst–högst)". A path the app cannot name reads as "Ett fält",
    never as the internal path; the price of an outcome names the outcome.

    >>> field_label("outcomes[1].effect", "sv"), field_label("contract.prices.Vårddygn", "en")
    ('Utfall 2 – Effekt', 'Contract – Price per outcome – Vårddygn')
    >>> field_label("", "sv"), field_label("outcomes[0].colour", "en")
    ('', 'A field')
    """
    if not path:
        return ""
    parts: list[str] = []
    pieces = path.split(".")
    for position, piece in enumerate(pieces):
        if parts and parts[-1] == translate("fieldname.prices", lang):
            parts.append(".".join(pieces[position:]))  # an outcome's name, which may hold dots
            break
        match = _PATH_PART.fullmatch(piece)
        key = f"fieldname.{match.group(1)}" if match else ""
        label = translate(key, lang) if match else key
        if not match or label == key:
            return translate("fieldname.unknown", lang)
        if match.group(2) is not None:
            label = translate(f"fieldname.item.{match.group(1)}", lang, number=int(match.group(2)) + 1)
        parts.append(label)
    return translate("fieldname.join", lang).join(parts)


def problem_from_pydantic(error: Any, lang: str) -> Problem:
    kind = error["type"]
    context = dict(error.get("ctx") or {})
    params: dict[str, object] = {}
    for bound in ("ge", "gt", "le", "lt"):
        if bound in context:
            params["limit"] = format_number(float(context[bound]), lang, _decimals_of(context[bound]))
    if "min_length" in context:
        params["limit"] = context["min_length"]
    if "max_length" in context:
        params["limit"] = format_number(float(context["max_length"]), lang)
    if "expected" in context:
        params["expected"] = _allowed_values(str(context["expected"]), lang)
    if "actual_length" in context:
        params["actual"] = context["actual_length"]
    key = _ERROR_KEYS.get(kind)
    if kind == "less_than_equal" and context.get("le") == 1 and context.get("ge", 0) >= 0:
        key = "error.max_share"  # every 0..1 field is a share; say so, since users think in per cent
    key = _limit_key(kind, tuple(error["loc"])) or key
    if "actual_length" in context:
        params["count"] = format_number(float(_length_of(context["actual_length"], error.get("input"))), lang)
    message = translate(key, lang, **params) if key else translate("error.generic", lang, detail=error.get("msg", kind))
    return Problem(field_path(tuple(error["loc"])), message, kind)


#: The size limits whose generic message ("at most 20 values") would not say what is limited, by
#: error type and the field names of the location (list positions left out): their own texts
#: (data/i18n/*/limits.json) name the thing counted, the limit and how many there are. The limits
#: on numbers (horizon, years, amounts) keep the generic "Must not be greater than 60.", which
#: already names the limit where the field is.
_LIMIT_KEYS: dict[tuple[str, tuple[str, ...]], str] = {
    ("too_long", ("outcomes",)): "limits.too_many_outcomes",
    ("too_long", ("costs",)): "limits.too_many_costs",
    ("too_long", ("sources",)): "limits.too_many_sources",
    ("too_long", ("contract", "prices")): "limits.too_many_prices",
    ("too_long", ("outcomes", "values")): "limits.too_many_values",
    ("too_long", ("intake",)): "limits.intake_too_long",
    ("too_long", ("outcomes", "effect_profile")): "limits.profile_too_long",
}


def _limit_key(kind: str, location: tuple[int | str, ...]) -> str | None:
    """The catalog key of a size limit's own message, or None for the generic one.

    >>> _limit_key("too_long", ("outcomes",)), _limit_key("too_long", ("outcomes", 2, "values"))
    ('limits.too_many_outcomes', 'limits.too_many_values')
    >>> _limit_key("less_than_equal", ("horizon_years",)) is None
    True
    """
    fields = tuple(part for part in location if isinstance(part, str))
    return _LIMIT_KEYS.get((kind, fields))


def _length_of(reported: int | None, value: Any) -> int:
    """How many items a too-long list or mapping has: pydantic counts a list's items but stops at
    the limit for a mapping (``reported`` is None then), so the mapping is counted here."""
    if reported is not None:
        return int(reported)
    return len(value) if isinstance(value, dict | list) else 0


def _allowed_values(expected: str, lang: str) -> str:
    """Pydantic lists the allowed values as ``'a', 'b' or 'c'``; give the last joiner in ``lang``.

    >>> _allowed_values("'kr' or 'mnkr'", "sv")
    "'kr' eller 'mnkr'"
    """
    head, joiner, last = expected.rpartition(" or ")
    return f"{head} {translate('error.choice_joiner', lang)} {last}" if joiner else expected


def _decimals_of(number: float) -> int:
    return 0 if float(number).is_integer() else 2


def _cross_field_problems(s: Scenario, lang: str) -> list[Problem]:
    """Rules that involve more than one field; every violation is reported."""
    problems: list[Problem] = []

    def add(path: str, code: str, **params: object) -> None:
        problems.append(Problem(path, translate(f"error.{code}", lang, **params), code))

    horizon = s.horizon_years
    if s.contract_years > horizon:
        add("contract_years", "contract_longer_than_horizon", contract=s.contract_years, horizon=horizon)
    if len(s.intake) > horizon:
        add("intake", "intake_past_horizon", years=len(s.intake), horizon=horizon)
    if sum(s.intake) <= 0:
        add("intake", "no_participants")
    if len(s.payers) > MAX_PAYERS:
        add("", "too_many_payers", count=len(s.payers), limit=MAX_PAYERS)

    for i, cost in enumerate(s.costs):
        has_participant, has_year = cost.per_participant is not None, cost.per_year is not None
        if has_participant == has_year:
            add(f"costs[{i}]", "cost_needs_one_amount")
        first = cost.first_year or 1
        last = cost.last_year or min(s.contract_years, horizon)
        if first > last:
            add(f"costs[{i}].first_year", "first_after_last", first=first, last=last)
        if last > horizon:
            add(f"costs[{i}].last_year", "year_past_horizon", year=last, horizon=horizon)

    names: set[str] = set()
    for i, outcome in enumerate(s.outcomes):
        if outcome.name in names:
            add(f"outcomes[{i}].name", "duplicate_outcome", name=outcome.name)
        names.add(outcome.name)
        if outcome.effect_range is not None:
            low, high = outcome.effect_range
            if not 0.0 <= low <= outcome.effect <= high <= 1.0:
                add(f"outcomes[{i}].effect_range", "effect_range_order",
                    low=format_percent(low, lang), high=format_percent(high, lang),
                    effect=format_percent(outcome.effect, lang))
        if len(outcome.effect_profile) > horizon:
            add(f"outcomes[{i}].effect_profile", "profile_longer_than_horizon",
                years=len(outcome.effect_profile), horizon=horizon)
        for payer in outcome.values:
            if not payer.strip():
                add(f"outcomes[{i}].values", "empty_payer")

    if s.uncertainty is not None:
        for field in ("value_range", "cost_range"):
            pair = getattr(s.uncertainty, field)
            if pair is not None and not 0.0 <= pair[0] <= 1.0 <= pair[1]:
                add(f"uncertainty.{field}", "multiplier_range",
                    low=format_number(pair[0], lang, 2), high=format_number(pair[1], lang, 2))

    if s.contract is not None:
        c = s.contract
        for outcome_name in c.prices:
            if outcome_name not in names:
                add(f"contract.prices.{outcome_name}", "price_for_unknown_outcome", name=outcome_name)
        if c.payment_window is not None:
            first, last = c.payment_window
            if not 1 <= first <= last <= horizon:
                add("contract.payment_window", "window_outside_horizon", first=first, last=last, horizon=horizon)
        if c.return_floor > c.return_cap:
            add("contract.return_floor", "floor_above_cap")
        if c.maturity_year is not None and c.maturity_year > horizon:
            add("contract.maturity_year", "year_past_horizon", year=c.maturity_year, horizon=horizon)
    return problems


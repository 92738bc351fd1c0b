"""Legal figures with their validity period: EU procurement thresholds and direct-award limits.

The figures live in ``data/legal/thresholds.json``, each with the period it is confirmed for
(``valid_from`` .. ``valid_to``, both inclusive), its amount in SEK (excluding VAT) and its source.
Everything that shows or uses a threshold (the questionnaire's volume bands and legal screens, the
instrument catalogue) takes it from here, so that a new period means editing one file.

Pure: nothing here reads the clock. Whoever shows a figure passes the date it is shown on, and
:func:`outside_period` says which figures that date is not covered by (the page then warns).

**Kind of service.** Social and other specific services (LOU bilaga 2, ``service_kind`` =
``social_service``) may be bought directly up to the EU threshold for those services; other
services up to the general direct-award limit. When the kind is not known, the general limit is the
one that surely applies.

>>> direct_award_limit("social_service").amount_sek, direct_award_limit("other_service").amount_sek
(8109450, 700000)
>>> direct_award_limit(None).amount_sek
700000
>>> is_valid_on(figure("direct_award_social"), date(2025, 12, 31)), is_valid_on(figure("direct_award_social"), date(2026, 1, 1))
(True, False)
>>> period_text(figure("eu_threshold_social"), "sv")
'2024-01-01–2025-12-31'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from engine.i18n import DEFAULT_LANGUAGE, format_number, translate

_FILE = Path(__file__).resolve().parents[2] / "data" / "legal" / "thresholds.json"
KINDS = ("direct_award_limit", "eu_threshold")
SERVICE_KINDS = ("social_service", "other_service")


@dataclass(frozen=True)
class Source:
    name: str
    year: int
    url: str


@dataclass(frozen=True)
class NextPeriod:
    """What is known of the period after a figure's own: dates, euro amount, SEK amount if found."""

    valid_from: date
    valid_to: date
    amount_eur: int | None
    amount_sek: int | None
    source: str


@dataclass(frozen=True)
class LegalFigure:
    id: str
    kind: str               # "direct_award_limit" or "eu_threshold"
    service_kind: str       # "social_service" (LOU bilaga 2) or "other_service"
    amount_sek: int         # SEK excluding VAT
    valid_from: date        # first day it is confirmed for
    valid_to: date | None   # last day it is confirmed for (None: open-ended)
    source: Source
    amount_eur: int | None = None
    next_period: NextPeriod | None = None


@cache
def legal_figures() -> tuple[LegalFigure, ...]:
    """Every figure in the file, checked once per process (a mistake in the data fails loudly)."""
    data = json.loads(_FILE.read_text(encoding="utf-8"))
    figures = tuple(_figure(raw) for raw in data["figures"])
    ids = [f.id for f in figures]
    if len(set(ids)) != len(ids):
        raise ValueError("thresholds.json: a figure id appears twice")
    for item in figures:
        if item.kind not in KINDS or item.service_kind not in SERVICE_KINDS or item.amount_sek <= 0:
            raise ValueError(f"thresholds.json: {item.id} has an unknown kind or a bad amount")
        if item.valid_to is not None and item.valid_to < item.valid_from:
            raise ValueError(f"thresholds.json: {item.id} ends before it starts")
        if not (item.source.name and item.source.url and item.source.year):
            raise ValueError(f"thresholds.json: {item.id} has no source")
    for kind in KINDS:
        for service in SERVICE_KINDS:
            if not any(f.kind == kind and f.service_kind == service for f in figures):
                raise ValueError(f"thresholds.json: no {kind} for {service}")
    return figures


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _figure(raw: dict[str, Any]) -> LegalFigure:
    source = raw["source"]
    following = raw.get("next_period")
    nxt = None if following is None else NextPeriod(
        date.fromisoformat(following["valid_from"]), date.fromisoformat(following["valid_to"]),
        following.get("amount_eur"), following.get("amount_sek"), following["source"])
    valid_from = _day(raw["valid_from"])
    if valid_from is None:
        raise ValueError(f"thresholds.json: {raw['id']} has no valid_from")
    return LegalFigure(raw["id"], raw["kind"], raw["service_kind"], int(raw["amount_sek"]), valid_from,
                       _day(raw.get("valid_to")), Source(source["name"], int(source["year"]), source["url"]),
                       raw.get("amount_eur"), nxt)


def figure(figure_id: str) -> LegalFigure:
    """One figure by its id (KeyError for an unknown id)."""
    found = next((f for f in legal_figures() if f.id == figure_id), None)
    if found is None:
        raise KeyError(figure_id)
    return found


def is_valid_on(item: LegalFigure, day: date) -> bool:
    """Whether ``day`` lies in the figure's period (both ends included)."""
    return item.valid_from <= day and (item.valid_to is None or day <= item.valid_to)


def _pick(kind: str, service_kind: str | None, day: date | None) -> LegalFigure:
    """The figure of this kind for this kind of service: the one valid on ``day`` if there is one,
    otherwise the latest (the last confirmed figure; :func:`outside_period` then says so)."""
    service = "social_service" if service_kind == "social_service" else "other_service"
    candidates = sorted((f for f in legal_figures() if f.kind == kind and f.service_kind == service),
                        key=lambda f: f.valid_from)
    if day is not None:
        valid = [f for f in candidates if is_valid_on(f, day)]
        if valid:
            return valid[-1]
    return candidates[-1]


def direct_award_limit(service_kind: str | None, day: date | None = None) -> LegalFigure:
    """The direct-award limit for a kind of service (``social_service``: the LOU bilaga 2 threshold;
    anything else, unknown included: the general limit)."""
    return _pick("direct_award_limit", service_kind, day)


def eu_threshold(service_kind: str | None, day: date | None = None) -> LegalFigure:
    """The EU procurement threshold for a kind of service (kommuner and regioner)."""
    return _pick("eu_threshold", service_kind, day)


def in_use(day: date | None = None) -> tuple[LegalFigure, ...]:
    """The figures the app uses on ``day``: one per kind and kind of service."""
    return tuple(_pick(kind, service, day) for kind in KINDS for service in SERVICE_KINDS)


def outside_period(day: date) -> tuple[LegalFigure, ...]:
    """The figures in use whose period does not cover ``day`` (empty when all are current).

    >>> [f.id for f in outside_period(date(2025, 6, 1))]
    []
    >>> sorted(f.id for f in outside_period(date(2026, 3, 1)))
    ['direct_award_general', 'direct_award_social', 'eu_threshold_general', 'eu_threshold_social']
    >>> [f.id for f in outside_period(date(2023, 6, 1))]
    ['direct_award_social', 'eu_threshold_social', 'eu_threshold_general']
    """
    return tuple(f for f in in_use(day) if not is_valid_on(f, day))


# --- in words ---------------------------------------------------------------------------------------

def period_text(item: LegalFigure, lang: str = DEFAULT_LANGUAGE) -> str:
    """The period as ``2024-01-01–2025-12-31`` (ISO dates read the same in both languages)."""
    end = item.valid_to.isoformat() if item.valid_to else translate("legal.period.open", lang)
    return f"{item.valid_from.isoformat()}\u2013{end}"


def legal_params(lang: str = DEFAULT_LANGUAGE, service_kind: str | None = None,
                 day: date | None = None) -> dict[str, str]:
    """The figures a text may quote, formatted for ``lang``: ``general_limit``, ``social_limit``,
    ``general_threshold``, ``social_threshold`` (SEK), their periods ``general_period``,
    ``social_period``, and ``limit`` / ``limit_period`` for the kind of service given."""
    general, social = direct_award_limit("other_service", day), direct_award_limit("social_service", day)
    general_eu, social_eu = eu_threshold("other_service", day), eu_threshold("social_service", day)
    chosen = direct_award_limit(service_kind, day)
    return {
        "general_limit": format_number(general.amount_sek, lang),
        "general_period": period_text(general, lang),
        "social_limit": format_number(social.amount_sek, lang),
        "social_period": period_text(social, lang),
        "general_threshold": format_number(general_eu.amount_sek, lang),
        "social_threshold": format_number(social_eu.amount_sek, lang),
        "threshold_period": period_text(social_eu, lang),
        "limit": format_number(chosen.amount_sek, lang),
        "limit_period": period_text(chosen, lang),
    }


def period_warning(day: date, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """A warning in ``lang`` when ``day`` is outside the period of a figure in use, else None.

    It names the period the figures are confirmed for, what is known of the next one, and where the
    current amounts are published.
    """
    stale = outside_period(day)
    if not stale:
        return None
    first = min(stale, key=lambda f: (f.valid_to or date.max))
    if first.valid_to is not None and day > first.valid_to:
        following = next((f.next_period for f in stale if f.next_period and f.service_kind == "social_service"),
                         None)
        text = translate("legal.warning.after", lang, period=period_text(first, lang), day=day.isoformat(),
                         url=first.source.url)
        if following is not None and following.amount_eur is not None and following.amount_sek is None:
            text += " " + translate("legal.warning.next_eur", lang, start=following.valid_from.isoformat(),
                                    eur=format_number(following.amount_eur, lang))
        return text
    return translate("legal.warning.before", lang, period=period_text(first, lang), day=day.isoformat(),
                     url=first.source.url)


def today() -> date:
    """Today's date: the one impure helper, for pages (tests replace it)."""
    return date.today()

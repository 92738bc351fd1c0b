"""The estimate round on the participant's page (``pages/delta.py``): the box above the questions
while the facilitator has a round open, with a low, a most likely and a high figure.

Each field reads its own figure and shows its own message; that all three are given and that
low <= most likely <= high is checked when the form is sent, with the message under the form. The
write itself is handed back to the caller, to be done once the whole page is drawn (see
``ui.workshop_participant``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.payers import payer_in_sentence
from engine.storage import DocumentNotFound
from engine.storage import workshops as ws
from engine.workshop.rounds import Quantity, figure_text, looks_typed_as_a_fraction, round_quantity
from ui.components.number_field import field_problems, number_field
from ui.db import transaction
from ui.frame import Translator
from ui.text import escape_markdown

_PARTS = ("low", "most_likely", "high")


def quantity(session: Any, workshop: ws.Workshop, current_round: ws.Round) -> Quantity | None:
    """What the round asks about in the workshop's scenario as it is now; None when it cannot be
    answered (no scenario, a scenario that no longer opens, or an outcome taken out since)."""
    if workshop.setup.scenario_id is None:
        return None
    try:
        scenario = ws.workshop_scenario(session, workshop)
        return round_quantity(scenario, current_round.target)
    except (DocumentNotFound, ValueError):  # TargetGone and a scenario failing validation are ValueErrors
        return None


def round_words(t: Translator, lang: str, quantity: Quantity, text: Callable[[str], str] = str) -> tuple[str, str]:
    """What the round asks and the unit its figures are in, in words. ``text`` is applied to the
    scenario's own names (escape_markdown for Streamlit). An outcome without a unit is asked about
    "per enhet" rather than "per enhet ()"."""
    target = quantity.target
    unit = quantity.outcome_unit.strip()
    bare = "_no_unit" if not unit else ""
    params: dict[str, object] = {"outcome": text(quantity.outcome_name), "unit": text(unit)}
    if target.kind == "value":
        params["payer"] = text(payer_in_sentence(str(target.payer), lang))
    asked = t(f"workshop.round.kind.{target.kind}" + (bare if target.kind == "value" else ""), **params)
    return asked, t(f"workshop.round.unit.{quantity.unit}" + (bare if quantity.unit == "sek" else ""), unit=text(unit))


def _asked(t: Translator, lang: str, quantity: Quantity) -> str:
    """What the round asks, with the scenario's own names escaped."""
    return round_words(t, lang, quantity, escape_markdown)[0]


def _figure(t: Translator, lang: str, quantity: Quantity, value: float) -> str:
    """A figure of the round's quantity as text, with the decimals it has (what was typed is never
    shown rounded): a share in per cent, kronor, or years."""
    if quantity.unit in ("share", "sek"):
        return figure_text(value, quantity.unit, lang)
    return t("join.round.years_one" if value == 1 else "join.round.years", years=figure_text(value, "years", lang))


def round_box(t: Translator, lang: str, current_round: ws.Round, quantity: Quantity | None,
              own: ws.GivenEstimate | None, me: ws.Participant) -> Callable[[], None] | None:
    """Draw the open round for participant ``me`` (``own``: what they gave so far, if anything).

    Returns the write to do after the rest of the page is drawn when an estimate was sent or the
    round skipped, else None (nothing sent, or a problem whose message stands in the box). Shares
    are typed in per cent and stored as 0..1."""
    with st.container(border=True):
        heading = f"**{t('join.round.heading', number=current_round.number)}**"
        if quantity is None:
            st.markdown(heading)
            st.info(t("join.round.unavailable"), icon=":material/hourglass_empty:")
            return None
        st.markdown(f"{heading} · {_asked(t, lang, quantity)}")
        unit = round_words(t, lang, quantity, escape_markdown)[1]
        st.caption(t("join.round.context", current=_figure(t, lang, quantity, quantity.current), unit=unit))
        share = quantity.unit == "share"
        rules: dict[str, Any] = {"low": quantity.minimum * (100 if share else 1),
                                 "high": quantity.maximum * (100 if share else 1),
                                 "percent": share, "whole": quantity.unit == "years",
                                 "group": quantity.unit != "years", "required": False}
        given = (None, None, None) if own is None or own.skipped else (own.low, own.most_likely, own.high)
        values: list[float | None] = []
        keys = [f"join_est_{current_round.id}_{me.id}_{part}" for part in _PARTS]
        with st.form(f"join_round_{current_round.id}", border=False, enter_to_submit=False):
            # Side by side on a wide screen; a phone stacks the columns, so each message under a
            # field has the whole width.
            for column, part, key, start in zip(st.columns(3, gap="small"), _PARTS, keys, given, strict=True):
                with column:
                    shown = None if start is None else start * (100 if share else 1)
                    values.append(number_field(t(f"workshop.round.{part}"), shown, key=key, in_form=True, **rules))
            with st.container(horizontal=True, gap="small"):
                send = st.form_submit_button(t("join.round.send"), type="primary", key=f"join_send_{current_round.id}")
                skip = st.form_submit_button(t("join.round.skip"), key=f"join_skip_{current_round.id}")
        if own is not None and not own.skipped:
            low, likely, high = own.low or 0.0, own.most_likely or 0.0, own.high or 0.0
            st.success(t("join.round.saved", low=_figure(t, lang, quantity, low),
                         most_likely=_figure(t, lang, quantity, likely),
                         high=_figure(t, lang, quantity, high)), icon=":material/check:")
            if looks_typed_as_a_fraction(quantity, low, likely, high):
                # A hint only: the estimate stays as typed, the participant decides.
                st.info(t("join.round.fraction_hint", most_likely=_figure(t, lang, quantity, likely),
                          current=_figure(t, lang, quantity, quantity.current),
                          meant=_figure(t, lang, quantity, likely * 100)), icon=":material/lightbulb:")
        elif own is not None:
            st.caption(t("join.round.skipped"))
        slot = st.container()
    if skip:
        return lambda: _write_estimate(t, current_round, me, None, slot)
    if not send or any(key in field_problems() for key in keys):
        return None  # an unreadable figure has its message under its field
    low, likely, high = values
    with slot:
        if low is None or likely is None or high is None:
            st.error(t("join.round.missing"), icon=":material/error:")
            return None
        wrong = [key for key, bad in (("join.round.low_above_likely", low > likely),
                                      ("join.round.likely_above_high", likely > high),
                                      ("join.round.low_above_high", low > high)) if bad]
        if wrong:
            st.error("  \n".join(t(key) for key in wrong), icon=":material/error:")
            return None
    scale = 100 if share else 1
    return lambda: _write_estimate(t, current_round, me, (low / scale, likely / scale, high / scale), slot)


def _write_estimate(t: Translator, current_round: ws.Round, me: ws.Participant,
                    figures: tuple[float, float, float] | None, slot: Any) -> None:
    """Store the estimate (``figures`` None: skipped) and run the page again; a refusal (the round
    closed meanwhile, figures the store will not take) is shown in ``slot`` instead."""
    low, likely, high = figures if figures is not None else (None, None, None)
    with slot:
        try:
            with transaction() as session:
                ws.record_estimate(session, current_round.id, me.id, low, likely, high)
        except ws.RoundNotOpen:
            st.warning(t("join.round.closed_meanwhile"), icon=":material/lock:")
            return
        except ws.WorkshopClosed:
            st.rerun()
        except ValueError:
            st.error(t("join.round.not_saved"), icon=":material/error:")
            return
    st.rerun()

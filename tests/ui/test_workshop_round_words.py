"""What an estimate round asks, in words: the scenario's names where a phrase can hold them (a unit
in plural, 'dagar', never reads 'per dagar'), and an outcome without a unit asked about per unit."""

import pytest

from engine.i18n import translate
from engine.workshop.rounds import Quantity, RoundTarget
from ui.text import escape_markdown
from ui.workshop_round import round_words


def _quantity(kind: str, unit: str, payer: str | None = None) -> Quantity:
    share = kind == "effect"
    return Quantity(RoundTarget(kind, 0, payer), "År utan *arbete*", unit, 0.4 if share else 1000.0, 0.0,
                    1.0 if share else 1e6, "share" if share else "sek" if kind == "value" else "years")


@pytest.mark.parametrize(("lang", "kind", "unit", "asked", "in_unit"), [
    ("sv", "effect", "dagar", "Effekt: År utan *arbete*", "procent minskning"),
    ("sv", "value", "dagar", "Värde för kommunen per enhet (dagar): År utan *arbete*", "kronor per enhet (dagar)"),
    ("sv", "value", " ", "Värde för kommunen per enhet: År utan *arbete*", "kronor per enhet"),
    ("en", "value", "dagar", "Value to the municipality per unit (dagar): År utan *arbete*", "SEK per unit (dagar)"),
    ("en", "value", "", "Value to the municipality per unit: År utan *arbete*", "SEK per unit"),
    ("en", "duration", "", "How long the effect lasts: År utan *arbete*", "years"),
])
def test_a_round_is_asked_in_whole_phrases(lang, kind, unit, asked, in_unit):
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    payer = "kommun" if kind == "value" else None
    assert round_words(t, lang, _quantity(kind, unit, payer)) == (asked, in_unit)


def test_the_names_go_through_the_given_escaping():
    def t(key: str, **params: object) -> str:
        return translate(key, "sv", **params)

    asked, _ = round_words(t, "sv", _quantity("effect", "dagar"), escape_markdown)
    assert asked == "Effekt: " + escape_markdown("År utan *arbete*")

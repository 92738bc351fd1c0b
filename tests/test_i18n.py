"""The catalogs: both languages say everything, and the formatting follows each language."""

import json
import re
from pathlib import Path

import pytest

from engine.i18n import LANGUAGES, catalog, format_percent, format_probability, format_sek, translate

CATALOGS = Path(__file__).resolve().parent.parent / "data" / "i18n"
_PLACEHOLDER = re.compile(r"{(\w+)}")


def test_swedish_and_english_have_exactly_the_same_keys():
    swedish, english = set(catalog("sv")), set(catalog("en"))
    assert sorted(swedish - english) == [], "keys missing in English"
    assert sorted(english - swedish) == [], "keys missing in Swedish"


def test_both_languages_split_their_catalogs_into_the_same_files():
    files = {lang: sorted(p.name for p in (CATALOGS / lang).glob("*.json")) for lang in LANGUAGES}
    assert files["sv"] == files["en"]


@pytest.mark.parametrize("name", sorted(p.name for p in (CATALOGS / "sv").glob("*.json")))
def test_each_catalog_file_has_the_same_keys_in_both_languages(name):
    sv = json.loads((CATALOGS / "sv" / name).read_text(encoding="utf-8"))
    en = json.loads((CATALOGS / "en" / name).read_text(encoding="utf-8"))
    assert set(sv) == set(en)


def test_a_text_uses_the_same_placeholders_in_both_languages():
    mismatched = [key for key, text in catalog("sv").items()
                  if set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(catalog("en")[key]))]
    assert mismatched == []


def test_no_text_is_empty():
    assert [key for lang in LANGUAGES for key, text in catalog(lang).items() if not text.strip()] == []


def test_an_unknown_key_shows_itself_instead_of_failing():
    assert translate("no.such.key", "en") == "no.such.key"


def test_a_missing_parameter_shows_the_template_instead_of_failing():
    assert "{name}" in translate("cli.valid", "sv", wrong=1)


def test_amounts_follow_swedish_conventions():
    assert format_sek(1_234_567, "sv") == "1\u00a0234\u00a0567 kr"
    assert format_sek(-2_100_000, "sv", unit="mnkr") == "\u22122,1 mnkr"
    assert format_percent(0.125, "sv") == "12,5\u00a0%"


def test_amounts_follow_english_conventions():
    assert format_sek(1_234_567, "en") == "SEK 1,234,567"
    assert format_percent(0.125, "en") == "12.5%"


def test_a_tiny_negative_amount_is_not_shown_as_minus_zero():
    assert format_sek(-0.4, "sv") == "0 kr"


@pytest.mark.parametrize(("share", "text"), [
    (0.0, "0%"), (0.003, "<1%"), (0.005, "<1%"), (0.5, "50%"), (0.995, ">99%"), (0.997, ">99%"), (1.0, "100%"),
])
def test_a_probability_is_never_rounded_to_impossible_or_certain(share, text):
    assert format_probability(share, "en") == text

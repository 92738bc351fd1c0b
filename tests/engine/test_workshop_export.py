"""A workshop's record as tables and files: numbers read as the app writes them, in the unit shown
beside them, in Swedish and English, in CSV and Excel."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from engine.workshop.export import (
    ConclusionRecord,
    RoundRecord,
    agreed_words,
    answer_rows,
    conclusion_rows,
    csv_bytes,
    estimate_rows,
    workbook_bytes,
)

AGREED = {"purpose": "test_new_method", "time_to_effect_years": 2.0, "volume_msek": 1.5}


def _conclusions(lang: str):
    return conclusion_rows([ConclusionRecord(2, datetime(2026, 12, 2, 10, 57), "saved", AGREED, "", "")], lang)


@pytest.mark.parametrize(("lang", "years", "volume"), [
    ("sv", "Hur många år tar det innan effekten syns?: 2;", "?: 1,5"),
    ("en", "How many years before the effect shows?: 2;", "?: 1.5"),
])
def test_agreed_numbers_read_as_the_app_writes_them_in_the_conclusions(lang, years, volume):
    [row] = _conclusions(lang)
    agreed = row["Överenskomna svar" if lang == "sv" else "Agreed answers"]
    assert years in agreed
    assert agreed.endswith(volume)
    assert ".0" not in agreed
    text = csv_bytes(_conclusions(lang), lang).decode("utf-8-sig")
    assert years in text
    assert "2.0" not in text
    book = load_workbook(io.BytesIO(workbook_bytes({"S": _conclusions(lang)})))
    assert years in book["S"]["D2"].value


def test_agreed_words_are_in_the_questionnaires_order_with_numbers_in_the_language():
    words = agreed_words(AGREED, "sv")
    assert [answer for _, answer in words] == ["Pröva en ny metod", "2", "1,5"]
    assert agreed_words({"volume_msek": 1234.5}, "sv") == (("Hur stor är satsningen totalt, i miljoner kronor?",
                                                             "1\u00a0234,5"),)


def test_a_number_answer_is_a_real_number_in_the_answers_sheet():
    rows = answer_rows([("Anna", "kommun", {"time_to_effect_years": 1.5})], "sv")
    book = load_workbook(io.BytesIO(workbook_bytes({"Svar": rows})))
    assert book["Svar"]["E2"].value == 1.5
    assert csv_bytes(rows, "sv").decode("utf-8-sig").splitlines()[1].endswith(";1,5;1,5")


_ROUND = RoundRecord(1, "Effekt: År utan arbete", "procent minskning",
                     [("Bengt", "region", 0.15, 0.25, 0.35), ("Cilla", "investerare", None, None, None)],
                     (0.15, 0.25, 0.35), 2, shares=True)


@pytest.mark.parametrize(("lang", "line"), [("sv", ";Bengt;Region;15;25;35;Nej;"),
                                            ("en", ",Bengt,Region,15,25,35,No,")])
def test_a_share_estimate_is_exported_in_per_cent_as_its_unit_says(lang, line):
    rows = estimate_rows([_ROUND], lang)
    assert line in csv_bytes(rows, lang).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(workbook_bytes({"S": rows})))["S"]
    assert [c.value for c in sheet[2]][5:8] == [15, 25, 35]
    assert [c.value for c in sheet[4]][5:8] == [15, 25, 35]  # the group's range too
    assert [c.value for c in sheet[3]][5:8] == [None, None, None]  # a skip stays empty


def test_a_typed_decimal_of_a_per_cent_survives_the_export():
    record = RoundRecord(1, "Effekt", "procent minskning", [("Anna", "kommun", 0.001, 0.0015, 0.1234)], None, None,
                         shares=True)
    text = csv_bytes(estimate_rows([record], "sv"), "sv").decode("utf-8-sig")
    assert ";0,1;0,15;12,34;" in text


def test_kronor_and_years_are_exported_as_they_are():
    record = RoundRecord(1, "Värde", "kr per utfall", [("Anna", "kommun", 800.0, 1000.0, 1500.5)], None, None)
    assert [r["Troligast"] for r in estimate_rows([record], "sv")] == [1000.0]

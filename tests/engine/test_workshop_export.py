"""A workshop's record as tables and files: numbers read as the app writes them, in the unit shown
beside them, in Swedish and English, in CSV and Excel."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from engine.workshop.export import (
    ConclusionRecord,
    agreed_words,
    answer_rows,
    conclusion_rows,
    csv_bytes,
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

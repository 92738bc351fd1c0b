"""Reading a history or a panel from CSV (Swedish Excel and international) and from a table, and every bad case."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.targets.history import (
    check_upload_size,
    history_from_rows,
    panel_from_rows,
    read_history_csv,
    read_panel_csv,
)

YEARS = [str(y) for y in range(2015, 2025)]


def csv_text(rows, header="period;värde", sep=";") -> str:
    return "\n".join([header, *(sep.join(r) for r in rows)]) + "\n"


def refused(data: bytes, lang="sv", **kwargs) -> list[str]:
    with pytest.raises(InputError) as raised:
        read_history_csv(data, lang, **kwargs)
    return [p.message for p in raised.value.problems]


def test_swedish_excel_semicolons_decimal_commas_and_cp1252_are_read():
    text = csv_text([(y, f"{3 + i / 10:.1f}".replace(".", ",")) for i, y in enumerate(YEARS)], header="Period;Värde")
    history = read_history_csv(text.encode("cp1252"))
    assert history.frequency == "year"
    assert history.values[:3] == (3.0, 3.1, 3.2)
    assert history.periods[0] == "2015"


def test_utf8_with_a_byte_order_mark_and_commas_are_read():
    text = csv_text([(y, str(10 - i)) for i, y in enumerate(YEARS)], header="period,value", sep=",")
    history = read_history_csv(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert history.values[0] == 10.0
    assert len(history.values) == 10


def test_quoted_decimal_commas_in_a_comma_separated_file_and_thousands_spaces():
    text = csv_text([(y, f'"1 2{i}0,5"') for i, y in enumerate(YEARS)], header="period,value", sep=",")
    assert read_history_csv(text.encode()).values[0] == 1200.5


def test_months_and_quarters_are_understood_and_sorted():
    months = [(f"2020-{m}", str(m)) for m in range(12, 0, -1)]  # given backwards
    history = read_history_csv(csv_text(months).encode())
    assert history.frequency == "month"
    assert history.periods[0] == "2020-01"
    assert history.values[0] == 1.0
    quarters = [(f"{y}K{q}", "1") for y in (2020, 2021) for q in (1, 2, 3, 4)]
    assert read_history_csv(csv_text(quarters).encode()).periods[-1] == "2021-Q4"


def test_unknown_headings_are_read_by_position_and_say_which_columns_were_used():
    # As a Swede exports it from Excel: own headings, shares in per cent.
    text = csv_text([(y, f"{46 - i} %") for i, y in enumerate(YEARS)], header="År;Andel återfall")
    history = read_history_csv(text.encode("cp1252"), proportion=True)
    assert history.by_position
    assert history.columns == ("År", "Andel återfall")
    assert history.values[:2] == (0.46, 0.45)  # 46 % is the share 0,46


def test_a_file_without_headings_starts_with_its_first_row():
    text = "\n".join(f"{y};{10 + i}" for i, y in enumerate(YEARS)) + "\n"
    history = read_history_csv(text.encode())
    assert history.by_position
    assert history.columns == ("1", "2")
    assert history.periods[0] == "2015"
    assert len(history.values) == len(YEARS)


def test_known_headings_are_found_wherever_they_stand():
    text = csv_text([("x", y, "5") for y in YEARS], header="kommentar;år;värde")
    history = read_history_csv(text.encode())
    assert not history.by_position
    assert history.columns == ("år", "värde")


def test_a_single_column_says_which_columns_were_found():
    text = "\n".join(["antal", *YEARS]) + "\n"
    [message] = refused(text.encode())
    assert "“antal”" in message
    assert "värde" in message


def test_a_percent_value_is_a_share_and_a_doubled_sign_is_refused():
    rows = [(y, "40 %") for y in YEARS]
    rows[2] = (YEARS[2], "12 %%")
    messages = refused(csv_text(rows).encode(), proportion=True)
    assert any("12 %%" in m for m in messages)


def test_text_in_a_number_names_the_row():
    rows = [(y, "1") for y in YEARS]
    rows[3] = (YEARS[3], "abc")
    assert refused(csv_text(rows).encode(), "en") == ["Row 5: the value “abc” is not a number."]


def test_fewer_than_eight_points_are_refused():
    [message] = refused(csv_text([(y, "1") for y in YEARS[:7]]).encode())
    assert "7 perioder" in message
    assert "minst 8" in message


def test_missing_periods_are_named():
    rows = [(y, "1") for y in YEARS if y not in ("2018", "2019")]
    [message] = refused(csv_text(rows).encode())
    assert "2018, 2019" in message
    assert "rad 4" in message
    assert "rad 5" in message


def test_duplicate_periods_name_both_rows():
    rows = [(y, "1") for y in YEARS] + [("2016", "2")]
    [message] = refused(csv_text(rows).encode(), "en")
    assert message == "Row 12: the period 2016 is already on row 3."


def test_a_proportion_above_one_is_refused_with_a_hint():
    rows = [(y, "0,4") for y in YEARS]
    rows[0] = (YEARS[0], "1,7")
    [message] = refused(csv_text(rows).encode(), proportion=True)
    assert message.startswith("Rad 2: andelen 1,70 ligger utanför 0–1")


def test_a_hundred_thousand_rows_are_refused_by_counting_lines_before_parsing():
    # Text in every value: had the rows been parsed, the message would be about the values.
    data = ("period;värde\n" + "2020-01;x\n" * 100_000).encode()
    [message] = refused(data)
    assert message.startswith("Filen har 100\u00a0000 rader; högst 10\u00a0000 rader")


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(InputError) as raised:
        check_upload_size(5_000_000, "en")
    assert "5.0 MB" in raised.value.problems[0].message


def test_mixed_period_kinds_and_unreadable_periods_are_named():
    rows = [(y, "1") for y in YEARS]
    rows[2] = ("2017-03", "1")
    rows[4] = ("våren 2019", "1")
    messages = refused(csv_text(rows).encode(), "en")
    assert any(m.startswith("Row 6: the period “våren 2019” cannot be read") for m in messages)
    assert any(m.startswith("Row 4: the period is a month") for m in messages)


def test_a_table_with_numbers_and_text_cells_and_empty_rows():
    rows = [(2015.0 + i, 3.5 if i % 2 else "3,5") for i in range(9)] + [(None, None)]
    history = history_from_rows(rows)
    assert history.periods[0] == "2015"
    assert set(history.values) == {3.5}


def test_an_empty_file_is_refused():
    assert refused(b"") == ["Filen är tom: första raden ska vara en rubrikrad."]


def test_a_panel_needs_exactly_two_groups_and_reads_swedish_headers():
    text = "period;grupp;värde\n" + "".join(f"{y};{g};{i}\n" for i, y in enumerate(YEARS) for g in ("insats", "jämf"))
    panel = read_panel_csv(text.encode("cp1252"))
    assert panel.group_names == ("insats", "jämf")
    assert len(panel.values) == 20
    with pytest.raises(InputError) as raised:
        panel_from_rows([("2019", "a", "1"), ("2020", "b", "1"), ("2020", "c", "2")], "en")
    assert "found 3: a, b, c" in raised.value.problems[0].message


def test_an_implausibly_large_value_is_refused_before_the_models_overflow():
    rows = [(y, "4,5") for y in YEARS]
    rows[2] = (YEARS[2], "1e300")
    assert refused(csv_text(rows).encode(), "sv") == [
        "Rad 4: värdet “1e300” är orimligt stort; ett värde får ligga mellan −1\u00a0000\u00a0000\u00a0000\u00a0000 "
        "och 1\u00a0000\u00a0000\u00a0000\u00a0000."]

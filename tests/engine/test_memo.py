"""The decision memo: its structure, that its figures are the engine's, and the Word file it becomes.

Only two tests render charts with Chromium (slow: a browser and six images); the rest write the
document with ``images=False`` or a stand-in for the renderer.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.shared import Cm

from engine.examples import load_example
from engine.i18n import format_number, format_probability, translate
from engine.instruments.comparison import compare_instruments
from engine.instruments.tables import TABLE_COLUMNS, comparison_rows
from engine.memo import docx as memo_docx_module
from engine.memo.content import (
    FIGURE_KEYS,
    SECTION_KEYS,
    Table,
    WorkshopRecord,
    build_memo,
)
from engine.memo.docx import clean_text, memo_docx, render_docx
from engine.memo.markdown import markdown_text, memo_markdown
from engine.output.export import ExportUnavailable, chromium_available
from engine.questionnaire.scoring import recommend
from engine.savings.model import project_savings
from engine.savings.narrative import savings_headline, signed_amount, uncertainty_sentence
from engine.savings.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, simulate_savings
from engine.targets.design import default_design

ANSWERS = {"purpose": "test_new_method", "evidence_level": "promising", "risk_transfer": "wanted",
           "external_capital": "investor_interested", "provider": "ideburen", "volume_msek": 12}
WORKSHOP = WorkshopRecord(
    title="Workshop om placerade barn", held_on=date(2026, 11, 20),
    participants=(("kommun", 6), ("ideburen", 3), ("Revisorerna", 1)),
    disagreements=(("Hur säker är effekten?", 0.62), ("Vem bär risken?", 0.31)),
    agreed_answers=(("Syfte", "Pröva en ny metod"),), decisions=("Gå vidare med ett utfallskontrakt.",),
    notes="Investeraren vill se en jämförelsegrupp.\n\nNästa möte i januari.")


def _document(data: bytes):
    return Document(io.BytesIO(data))


def _text(document) -> str:
    """Every paragraph and table cell of the document, one per line."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _tiny_png(*_args, **_kwargs) -> bytes:
    """A 1 x 1 PNG, standing in for kaleido where a test needs no real chart."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_headings_follow_the_shape_of_a_beslutsunderlag(lang):
    memo = build_memo(load_example("placeringar"), lang=lang, workshop=WORKSHOP)
    document = _document(memo_docx(memo, images=False))
    expected = [translate(f"memo.section.{key}", lang) for key in SECTION_KEYS]
    assert _headings(document, 1) == expected
    assert [section.key for section in memo.sections] == list(SECTION_KEYS)
    if lang == "sv":
        assert expected[:3] == ["Ärendet i korthet", "Förslag till beslut", "Bakgrund"]
    # The title is the document's own title, not a section.
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [memo.title]


def test_without_a_workshop_there_is_no_workshop_section():
    memo = build_memo(load_example("ips"), lang="sv")
    assert [section.key for section in memo.sections] == list(SECTION_KEYS[:-1])


def test_a_memo_has_six_charts_in_a_fixed_order_and_real_tables():
    memo = build_memo(load_example("sjukfranvaro"), lang="sv")
    assert [figure.key for figure in memo.figures] == ["instruments", "cumulative", "flows", "who_pays", "fan",
                                                       "tornado"]
    assert set(FIGURE_KEYS) == {figure.key for figure in memo.figures}
    document = _document(memo_docx(memo, images=False))
    assert len(document.tables) == len(memo.tables) >= 5
    assert document.inline_shapes == [] or len(document.inline_shapes) == 0
    for table, word in zip(memo.tables, document.tables, strict=True):
        assert [cell.text for cell in word.rows[0].cells] == list(table.header)
        assert len(word.rows) == 1 + len(table.rows)


def test_the_same_scenario_gives_the_same_memo():
    scenario = load_example("aterfall")
    first = memo_markdown(build_memo(scenario, lang="sv", created=date(2026, 1, 5)))
    assert memo_markdown(build_memo(scenario, lang="sv", created=date(2026, 1, 5))) == first


# --------------------------------------------------------------------------- the engine's figures


@pytest.mark.parametrize("example", ["placeringar", "ips"])
def test_the_figures_in_the_text_are_the_engines(example):
    scenario = load_example(example)
    lang = "sv"
    memo = build_memo(scenario, lang=lang)
    document = _document(memo_docx(memo, images=False))
    text = _text(document)
    projection = project_savings(scenario)
    # The draws and seed of Långsiktig kalkyl and its print view, so a memo beside them agrees.
    simulation = simulate_savings(scenario, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)

    summary = memo.sections[0].blocks[2]
    assert isinstance(summary, Table)
    values = [row[1] for row in summary.rows]
    # The two amounts read together share a unit, as in the headline.
    assert values[0] == signed_amount(projection.npv_within_contract, lang, beside=[projection.npv])
    assert values[1] == signed_amount(projection.npv, lang, beside=[projection.npv_within_contract])
    year = projection.break_even_year
    assert values[2] == (f"År {year}" if year else f"Inte inom {projection.horizon_years} år")
    assert values[3] == format_number(projection.benefit_cost_ratio, lang, 2)
    assert values[4] == format_probability(simulation.p_npv_positive, lang)
    for value in values:
        assert value in text
    assert savings_headline(projection, lang) in text
    assert uncertainty_sentence(simulation, lang) in text
    assert memo.headline["npv"] == signed_amount(projection.npv, lang, beside=[projection.npv_within_contract])

    # The instrument comparison is the engine's table, cell for cell, on the same draws.
    comparison = compare_instruments(scenario, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    rows = [tuple(row[column] for column in TABLE_COLUMNS) for row in comparison_rows(comparison, lang)]
    word = next(t for t in document.tables if t.rows[0].cells[0].text == translate("instruments.column.instrument", lang))
    assert [tuple(cell.text for cell in row.cells) for row in word.rows[1:]] == rows


def test_the_who_pays_table_gives_each_budget_holders_present_values():
    scenario = load_example("ips")
    projection = project_savings(scenario)
    memo = build_memo(scenario, lang="sv")
    table = next(t for t in memo.tables if t.header[0] == "Budgetansvarig")
    assert [row[0] for row in table.rows] == ["Kommunen", "Försäkringskassan"]
    kommun = table.rows[0]
    unit = "mnkr" if max(projection.pv_costs_by_payer.values()) >= 1e6 else "kr"
    from engine.i18n import format_sek

    assert kommun[1] == format_sek(projection.pv_costs_by_payer["kommun"], "sv", unit=unit)
    assert kommun[2] == format_sek(projection.pv_benefits_by_payer["kommun"], "sv", unit=unit)


def test_swedish_numbers_in_swedish_and_english_numbers_in_english():
    scenario = load_example("sjukfranvaro")
    npv = project_savings(scenario).npv_within_contract
    sv = build_memo(scenario, lang="sv").headline["npv_within_contract"]
    en = build_memo(scenario, lang="en").headline["npv_within_contract"]
    assert sv == signed_amount(npv, "sv")
    assert sv.endswith("mnkr")
    assert "," in sv
    assert en == signed_amount(npv, "en")
    assert en.startswith("SEK")
    assert "." in en


# --------------------------------------------------------------------------- answers, targets, workshop


def test_with_answers_the_proposal_follows_the_recommendation_and_the_legal_screens_show():
    scenario = load_example("placeringar")
    memo = build_memo(scenario, lang="sv", answers=ANSWERS)
    recommendation = recommend(ANSWERS)
    text = _text(_document(memo_docx(memo, images=False)))
    proposal = memo_markdown(memo).split("## Förslag till beslut")[1].split("## Bakgrund")[0]
    assert markdown_text(translate(f"instruments.name.{recommendation.first}", "sv")).lower() in proposal.lower()
    assert "[Nämnden beslutar att …]" in text
    assert "vägledning, inte juridisk rådgivning" in text
    for note in recommendation.legal_notes:
        assert translate(f"questionnaire.legal.{note.id}.title", "sv") in text


def test_without_answers_the_proposal_says_it_rests_on_the_calculation_alone():
    memo = build_memo(load_example("ips"), lang="en")
    text = _text(_document(memo_docx(memo, images=False)))
    assert "rests on the calculation alone" in text
    assert "guidance, not legal advice" in text


def test_target_designs_give_the_targets_table_power_and_evaluation_plan():
    scenario = load_example("sjukfranvaro")
    designs = [default_design(scenario, i) for i in range(len(scenario.outcomes))]
    memo = build_memo(scenario, lang="sv", targets=designs)
    section = next(s for s in memo.sections if s.key == "targets")
    tables = [b for b in section.blocks if isinstance(b, Table)]
    assert tables[0].header[0] == "Utfall"
    assert len(tables[0].rows) == len(designs)
    assert tables[1].header[1] == "Deltagare som behövs per grupp"
    text = memo_markdown(memo)
    assert "Uppföljnings\\- och utvärderingsplan" in text
    without = build_memo(scenario, lang="sv")
    assert "Inga effektmål är formulerade" in memo_markdown(without)


def test_the_workshop_section_lists_roles_disagreements_and_decisions():
    memo = build_memo(load_example("placeringar"), lang="sv", workshop=WORKSHOP)
    section = memo.sections[-1]
    assert section.key == "workshop"
    roles = next(b for b in section.blocks if isinstance(b, Table))
    assert roles.rows == (("Kommun", "6"), ("Idéburen organisation", "3"), ("Revisorerna", "1"))
    text = _text(_document(memo_docx(memo, images=False)))
    assert "62\u00a0%" in text
    # 0 % is not called agreement of every role: only roles that answered are compared.
    assert "minst två roller" in text
    assert "alla roller svarade lika" not in text
    assert "Gå vidare med ett utfallskontrakt." in text
    assert "2026-11-20" in text


@pytest.mark.parametrize(("lang", "line"), [("sv", "Hur många år tar det innan effekten syns?: 1,5"),
                                             ("en", "How many years before the effect shows?: 1.5")])
def test_the_workshops_agreed_numbers_read_as_the_app_writes_them(lang, line):
    from engine.workshop.export import agreed_words

    record = WorkshopRecord(title="Workshop", agreed_answers=agreed_words({"time_to_effect_years": 1.5,
                                                                           "timeline_months": 3.0}, lang))
    text = _text(_document(memo_docx(build_memo(load_example("placeringar"), lang=lang, workshop=record),
                                     images=False)))
    assert line in text
    assert "3.0" not in text


# --------------------------------------------------------------------------- the Word file


@pytest.mark.skipif(not chromium_available(), reason="needs Chrome or Chromium for kaleido")
def test_with_chromium_every_chart_is_a_print_resolution_image_with_its_caption():
    scenario = load_example("ips")
    memo = build_memo(scenario, lang="sv", version=7, created=date(2026, 12, 1))
    result = render_docx(memo)
    document = _document(result.data)
    assert result.images == len(memo.figures) == len(document.inline_shapes) == 6
    assert result.notes == ()
    assert len(document.tables) == len(memo.tables)
    for shape in document.inline_shapes:
        assert shape.width == Cm(16)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 6
    for caption in captions:
        assert scenario.name in caption
        assert "version 7" in caption
        assert f"fasta priser {scenario.price_year}" in caption
    # Each picture is directly followed by its caption.
    body = list(document.paragraphs)
    for index, paragraph in enumerate(body):
        if paragraph._p.xpath(".//pic:pic"):
            assert body[index + 1].style.name == "Caption"
    # Print resolution: 2 400 px across the 16 cm column.
    image = next(rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype)
    import struct

    assert struct.unpack(">I", image[16:20])[0] >= 2400


@pytest.mark.skipif(not chromium_available(), reason="needs Chrome or Chromium for kaleido")
def test_an_english_memo_with_chromium_has_english_captions():
    scenario = load_example("placeringar")
    memo = build_memo(scenario, lang="en")
    document = _document(memo_docx(memo))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(document.inline_shapes) == 6
    assert all(f"constant {scenario.price_year} prices" in c and "version" not in c for c in captions)


def test_the_core_properties_carry_title_date_and_language():
    memo = build_memo(load_example("diabetes"), lang="en", created=date(2026, 12, 2))
    properties = _document(memo_docx(memo, images=False)).core_properties
    assert properties.title == memo.title
    assert properties.created.date() == date(2026, 12, 2)
    assert properties.language == "en-GB"
    swedish = _document(memo_docx(build_memo(load_example("diabetes"), lang="sv"), images=False))
    assert swedish.core_properties.language == "sv-SE"


def test_without_chromium_a_note_stands_in_for_each_chart_and_the_document_is_still_written(monkeypatch):
    calls = []

    def unavailable(figure, **kwargs):
        calls.append(figure)
        raise ExportUnavailable(kwargs.get("lang", "sv"))

    monkeypatch.setattr(memo_docx_module, "figure_to_png", unavailable)
    memo = build_memo(load_example("aterfall"), lang="sv")
    result = render_docx(memo)
    document = _document(result.data)
    assert result.images == 0
    assert len(document.inline_shapes) == 0
    assert len(result.notes) == len(memo.figures) == 6
    assert len(calls) == 1  # a missing browser is not looked for six times
    notes = [p.text for p in document.paragraphs if p.text.startswith("Diagrammet kunde inte skapas")]
    assert len(notes) == 6
    assert all("Chromium" in note for note in notes)
    assert len([p for p in document.paragraphs if p.style.name == "Caption"]) == 6


def test_a_stand_in_renderer_gives_one_picture_per_chart(monkeypatch):
    monkeypatch.setattr(memo_docx_module, "figure_to_png", _tiny_png)
    memo = build_memo(load_example("diabetes"), lang="sv")
    result = render_docx(memo)
    assert result.images == len(_document(result.data).inline_shapes) == 6


def test_a_hostile_scenario_name_stays_text_in_word_and_in_the_preview():
    name = 'Plan <b>fet</b> [Logga in](http://evil.example) & $x$ \x01 slut\ud800'
    scenario = load_example("ips").model_copy(update={"name": name})
    memo = build_memo(scenario, lang="sv")
    document = _document(memo_docx(memo, images=False))
    cleaned = clean_text(name)
    assert "\ufffd" in cleaned
    assert "\x01" not in cleaned
    assert document.core_properties.title == clean_text(memo.title)
    assert cleaned in _text(document)  # shown as typed, markup and all
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert all(cleaned in caption for caption in captions)
    preview = memo_markdown(memo)
    assert "](http" not in preview
    assert "<b>" not in preview
    assert "\\[Logga in\\]" in preview


def test_the_preview_is_markdown_with_headings_and_pipe_tables():
    memo = build_memo(load_example("sjukfranvaro"), lang="sv")
    preview = memo_markdown(memo)
    assert preview.startswith("# Beslutsunderlag")
    for section in memo.sections:
        assert f"## {markdown_text(section.heading)}" in preview
    table_lines = [line for line in preview.splitlines() if line.startswith("|")]
    assert len([line for line in table_lines if line.startswith("|---")]) == len(memo.tables)
    assert preview.count(markdown_text("Diagrammet visas i Word-dokumentet.")) == 6


def test_an_unfinished_scenario_says_what_it_lacks_and_every_page_is_numbered():
    from engine.scenario import blank_scenario

    memo = build_memo(blank_scenario("Tomt"), lang="sv")
    document = _document(memo_docx(memo, images=False))
    assert "Lägg till minst ett utfall och minst en kostnad" in _text(document)
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Beslutsunderlag: Tomt")
    assert footer._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"

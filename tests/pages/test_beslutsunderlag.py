"""Beslutsunderlag in AppTest: the memo of the open scenario, with saved answers and target designs,
in the language chosen; the preview quotes the engine's figures; the Word file is built on demand."""

from __future__ import annotations

import io

from docx import Document

from engine.examples import load_example
from engine.memo.content import build_memo
from engine.memo.docx import memo_docx
from engine.storage import save_answers
from engine.storage.database import writing
from ui.memo_views import memo_file_name

PAGE = "pages/beslutsunderlag.py"


def _preview(at) -> str:
    return " ".join(str(m.value) for m in at.markdown)


def test_the_memo_of_the_first_example_is_previewed_with_the_engines_figures(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    memo = build_memo(load_example("sjukfranvaro"), lang="sv", version="exempel")
    text = _preview(at)
    assert "Ärendet i korthet" in text
    assert "Förslag till beslut" in text
    for figure in memo.headline.values():  # the engine's headline figures, as the memo prints them
        assert figure.replace("+", "\\+") in text
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Ladda ner beslutsunderlaget (Word)"]


def test_saved_answers_give_the_proposal_and_the_legal_screens(open_page, sessions):
    with writing(sessions) as session:
        answer_set = save_answers(session, "Vår workshop", {"purpose": "test_new_method", "risk_transfer": "wanted",
                                                            "external_capital": "investor_interested"}).document_id
    at = open_page(PAGE)
    at.selectbox(key="memo_answers").set_value(answer_set).run()
    assert not at.exception, at.exception
    text = _preview(at)
    assert "Juridiska överväganden" in text
    assert "inte juridisk rådgivning" in text


def test_the_memo_speaks_english_when_chosen(open_page):
    at = open_page(PAGE)
    at.button_group(key="memo_lang_sv").set_value("en").run()
    assert not at.exception, at.exception
    assert "The matter in brief" in _preview(at)
    assert "Proposed decision" in _preview(at)
    assert "version example" in _preview(at)  # every word of it in the memo's language


def test_the_memo_follows_the_page_into_english_and_a_swedish_memo_says_exempel(open_page):
    at = open_page(PAGE)
    assert "Ärendet i korthet" in _preview(at)
    at.sidebar.radio(key="frame_language").set_value("en").run()
    assert not at.exception, at.exception
    assert "The matter in brief" in _preview(at)
    at.button_group(key="memo_lang_en").set_value("sv").run()
    assert "Ärendet i korthet" in _preview(at)
    assert "version exempel" in _preview(at)
    assert "version example" not in _preview(at)


def test_the_word_file_has_the_memos_headings_and_a_safe_name():
    memo = build_memo(load_example("ips"), lang="sv", version=3)
    document = Document(io.BytesIO(memo_docx(memo, images=False)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == [s.heading for s in memo.sections][:2]
    assert memo_file_name(memo).startswith("beslutsunderlag-")
    assert memo_file_name(memo).endswith(".docx")

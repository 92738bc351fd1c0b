"""Beslutsunderlag in the real browser: the memo of the open example downloads as a Word file with
its headings, six charts at print resolution and captions, and opens with python-docx."""

import io

from docx import Document
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, goto, wait_for_app

SECTIONS_SV = ["Ärendet i korthet", "Förslag till beslut", "Bakgrund", "Alternativ som övervägts",
               "Ekonomiska konsekvenser", "Effektmål och uppföljning", "Juridiska överväganden",
               "Antaganden och källor", "Öppna frågor"]


def test_the_memo_downloads_from_the_page_and_opens_in_word_form(page, app_server, tmp_path):
    goto(page, app_server, "beslutsunderlag", lang="sv")
    assert_no_exception(page, app_server.log_path)
    expect(page.get_by_text("Ärendet i korthet").first).to_be_visible()
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("button", name="Ladda ner beslutsunderlaget (Word)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("beslutsunderlag-")
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS_SV
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) == 6
    captions = [p.text for p in document.paragraphs if p.text.startswith("Diagram ")]
    assert len(captions) == 6
    assert all("fasta priser" in caption for caption in captions)
    assert document.core_properties.title.startswith("Beslutsunderlag")
    wait_for_app(page)
    assert_no_exception(page, app_server.log_path)

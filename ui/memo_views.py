"""The decision memo on a page: what goes into it, a preview, and the Word file.

The memo is built by the engine (:mod:`engine.memo`) from the scenario open on the analysis pages,
an optional answer set, the scenario's target designs and, from the facilitator's screen, a
workshop. Building it runs the savings, a Monte Carlo and the instrument comparison (about a
second), so it is cached by its inputs; the Word file with its charts is made only when the
download button is pressed (the charts need the export browser, a few seconds).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import streamlit as st

from engine.memo.content import Memo, WorkshopRecord, build_memo
from engine.memo.docx import memo_docx
from engine.memo.markdown import memo_markdown
from engine.scenario import Scenario, parse_scenario, scenario_to_json
from engine.targets.design import TargetsDocument
from ui.scenario_views import download_file_name

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(max_entries=16, show_spinner=False)
def _memo(scenario_json: str, version: int | str | None, answers_json: str | None, targets_json: str | None,
          workshop: WorkshopRecord | None, lang: str, day: str) -> Memo:
    targets = TargetsDocument.model_validate_json(targets_json) if targets_json else None
    return build_memo(parse_scenario(scenario_json, lang), lang=lang, version=version,
                      answers=json.loads(answers_json) if answers_json else None, targets=targets,
                      workshop=workshop, created=date.fromisoformat(day))


def memo_for(scenario: Scenario, *, lang: str, version: int | str | None, answers: dict | None = None,
             targets: TargetsDocument | None = None, workshop: WorkshopRecord | None = None) -> Memo:
    """The memo for these inputs (cached; the same inputs on the same day give the same memo)."""
    return _memo(scenario_to_json(scenario), version, json.dumps(answers, sort_keys=True) if answers else None,
                 targets.model_dump_json() if targets else None, workshop, lang, date.today().isoformat())


def memo_file_name(memo: Memo) -> str:
    """``beslutsunderlag-<scenario>.docx`` (``decision-memo-…`` in English), safe on every system."""
    stem = download_file_name(memo.scenario_name).removesuffix(".json")
    return f"{'beslutsunderlag' if memo.lang == 'sv' else 'decision-memo'}-{stem}.docx"


def memo_download(label: str, memo: Memo, key: str) -> None:
    """A button that makes the Word file when pressed (charts included) and downloads it."""
    st.download_button(label, _docx_maker(memo), file_name=memo_file_name(memo), mime=DOCX_MIME,
                       icon=":material/description:", key=key, on_click="ignore", type="primary")


def _docx_maker(memo: Memo) -> Callable[[], bytes]:
    def make() -> bytes:
        return memo_docx(memo)
    return make


def preview(memo: Memo) -> None:
    """The memo as it will read, charts named by their captions (the engine escapes all user text)."""
    # Headings two levels down, so the memo's title reads as a title inside the page, not above it.
    text = re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", memo_markdown(memo), flags=re.MULTILINE)
    with st.container(border=True, height=640):
        st.markdown(text)

"""Beslutsunderlag: the analysis of one scenario as a Word memo for the nämnd, with a preview.

The scenario is the one open on the analysis pages; an answer set adds the questionnaire's
recommendation and legal screens, and the scenario's target designs add the targets and follow-up.
"""

import streamlit as st

from engine.i18n import translate
from engine.storage import DocumentNotFound, find_targets, list_answer_sets, load_answers
from ui import state
from ui.components.scenario_source_picker import load_source_version, scenario_source_picker
from ui.db import reading
from ui.frame import page_frame
from ui.memo_views import memo_download, memo_for, preview

t = page_frame("nav.memo")
lang = state.language()
st.title(t("nav.memo"))
st.write(t("memo.page.lead"))

source = scenario_source_picker(t, "memo.page.scenario")
scenario, version = load_source_version(t, source, lang)
with reading() as session:
    answer_sets = list_answer_sets(session)
    found = find_targets(session, source.token, lang=lang)
targets = found[1] if found else None

names = {0: t("memo.page.no_answers")} | {a.id: a.name for a in answer_sets}
chosen = st.selectbox(t("memo.page.answers"), list(names), format_func=names.get, key="memo_answers",
                      help=t("memo.page.answers_help"))
answers = None
if chosen:
    try:
        with reading() as session:
            answers = dict(load_answers(session, chosen, lang=lang))
    except (DocumentNotFound, ValueError):
        st.warning(t("memo.page.answers_gone"), icon=":material/link_off:")
with_targets = st.toggle(t("memo.page.targets", count=len(targets.designs) if targets else 0),
                         value=targets is not None, disabled=targets is None, key="memo_targets")
# The memo speaks the page's language until the user picks the other; the key follows the page's
# language, so switching the page starts the choice again from it.
memo_lang = st.segmented_control(t("memo.page.language"), ("sv", "en"), default=lang, key=f"memo_lang_{lang}",
                                 format_func={"sv": "Svenska", "en": "English"}.get) or lang

memo = memo_for(scenario, lang=memo_lang,
                version=version if version is not None else translate("memo.page.example", memo_lang),
                answers=answers, targets=targets if with_targets else None)
st.caption(t("memo.page.contents", figures=len(memo.figures), tables=len(memo.tables)))
memo_download(t("memo.page.download"), memo, key="memo_download")
st.subheader(t("memo.page.preview"))
preview(memo)

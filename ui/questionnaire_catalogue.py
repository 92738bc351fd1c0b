"""One instrument of the catalogue, readable on its own: what it is, roles, fit, law, set-up, examples."""

from __future__ import annotations

import streamlit as st

from engine.questionnaire import legal
from engine.questionnaire.catalogue import CatalogueEntry
from ui import state
from ui.components.scenario_source_picker import Source
from ui.frame import Translator
from ui.text import escape_markdown

CALC_PAGE = "pages/kalkyl.py"


def instrument_section(t: Translator, entry: CatalogueEntry) -> None:
    st.header(entry.name, anchor=entry.instrument)
    st.markdown(f"*{entry.short}*")
    st.markdown(f"**{t('catalogue.page.what')}**")
    st.write(entry.what)
    st.markdown(f"**{t('catalogue.page.roles')}**")
    st.dataframe({t("catalogue.page.role_col"): [r[1] for r in entry.roles],
                  t("catalogue.page.who_col"): [r[2] for r in entry.roles]}, hide_index=True, width="stretch")
    fits, not_fits = st.columns(2)
    fits.markdown(f"**{t('catalogue.page.fits')}**\n\n" + "\n".join(f"- {x}" for x in entry.fits))
    not_fits.markdown(f"**{t('catalogue.page.not_fits')}**\n\n" + "\n".join(f"- {x}" for x in entry.not_fits))
    st.markdown(f"**{t('catalogue.page.legal')}**")
    st.write(entry.legal)
    lang = state.language()
    for item in entry.legal_figures:  # the thresholds quoted: their source and period, and a warning when stale
        st.caption(t("legal.figures.caption", source=escape_markdown(item.source.name), year=item.source.year,
                     period=legal.period_text(item, lang)))
    stale = legal.period_warning(legal.today(), lang) if entry.legal_figures else None
    if stale:
        st.warning(stale, icon=":material/event_busy:")
    st.markdown(f"**{t('catalogue.page.setup')}**")
    st.markdown(f"- {t('catalogue.page.setup_time')}: {entry.setup_time}\n"
                f"- {t('catalogue.page.setup_cost')}: {entry.setup_cost}")
    st.markdown(f"**{t('catalogue.page.examples')}**")
    for example in entry.examples:
        with st.container(border=True):
            st.markdown(f"**{example.title}** ({example.country}, {example.years})")
            st.write(example.text)
            st.markdown(t("catalogue.page.sources") + " " + " · ".join(
                f"[{escape_markdown(s.title)}]({s.url})" for s in example.sources))
            if example.example_case and st.button(t("catalogue.page.open_example"),
                                                  key=f"cat_{entry.instrument}_{example.id}",
                                                  icon=":material/query_stats:"):
                state.set_open_source(Source.example(example.example_case))
                st.switch_page(CALC_PAGE)

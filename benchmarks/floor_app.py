"""The floor for benchmarks/bench_calc.py --floor: what Streamlit itself needs to redraw the
calculation page. Not part of the app.

The same kinds and numbers of elements as Långsiktig kalkyl (pages/kalkyl.py on its default
example: the selector of input parts, the first outcome's part, the results and one chart), with its
labels and help texts and in the same containers, but none of its work: nothing
is read, checked, kept or stored. The heading shows the typed effect, and the chart is the app's
cumulative chart of the example with that effect (cheap to make), so the browser draws the same
figure as on the real page. What the calculation page takes beyond this page is the cost of its own
code. Mirror the page again when it gains or loses many elements.
"""

import copy
import gc

import pandas as pd
import streamlit as st

from engine.examples import example_ids, load_example
from engine.i18n import translate
from engine.savings.charts import cumulative_chart
from engine.savings.model import project_savings
from engine.scenario import parse_scenario, scenario_to_dict


def t(key: str, /, **params: object) -> str:
    return translate(key, "sv", **params)


def text_fields(container, keys: list[str], prefix: str) -> None:
    for index, key in enumerate(keys):
        container.text_input(t(key), "10", key=f"{prefix}_{index}", help=t(f"{key}_help"))


EXAMPLE = scenario_to_dict(load_example(example_ids()[0]))
if not gc.get_freeze_count():
    gc.freeze()  # as the app's page frame does (ui/frame.py), so Streamlit's collection after a run is as short

st.html("<style>[data-testid='stMetricValue'] { font-size: 1.9rem; }</style>")
with st.sidebar:
    st.markdown(f"### {t('app.title')}")
    for number in range(7):
        st.page_link(f"https://example.org/{number}", label=t("nav.savings"), icon=":material/explore:")
    st.divider()
    st.radio(t("frame.language"), ["sv", "en"], horizontal=True, key="language")
    st.toggle(t("frame.presenter"), help=t("frame.presenter_help"), key="presenter")
    st.caption(t("frame.guidance_note"))
st.title(t("calc.title"))
st.write(t("calc.lead"))
st.selectbox(t("calc.source"), ["example"], help=t("calc.source_help"), key="source")
st.info(t("calc.example_note"))
changes_area = st.container()
results_area, inputs_area = st.container(), st.container()

inputs_area.subheader(t("calc.inputs_heading"))
choice_area = inputs_area.container()
inputs = inputs_area.container()
# One group drawn at a time, as on the page: the first outcome's.
effect_text = "10"
for index, outcome in enumerate(EXAMPLE["outcomes"][:1]):
    with inputs:
        left, right = st.columns(2)
        text_fields(left, ["calc.outcome_name"], f"o{index}_name")
        text_fields(right, ["calc.outcome_unit"], f"o{index}_unit")
        text_fields(left, ["calc.baseline"], f"o{index}_baseline")
        text_fields(right, ["calc.deadweight"], f"o{index}_deadweight")
        effect_text = left.text_input(t("calc.effect"), "10", key=f"o{index}_effect", help=t("calc.effect_help"))
        text_fields(right, ["calc.effect_low", "calc.effect_high"], f"o{index}_range")
        st.radio(t("calc.profile_mode"), [t("calc.profile_build"), t("calc.profile_edit")], horizontal=True,
                 index=1, key=f"o{index}_mode", help=t("calc.profile_help"))
        st.data_editor(pd.DataFrame({t("calc.profile_share"): ["100"] * 5}), key="o0_profile",
                       num_rows="dynamic", width="stretch")
        st.markdown(f"**{t('calc.values_heading')}**")
        st.data_editor(pd.DataFrame({"payer": list(outcome["values"]), "value": map(str, outcome["values"].values())}),
                       key=f"o{index}_values", num_rows="dynamic", hide_index=True, width="stretch")
        st.container()
add_column, remove_column = inputs_area.columns(2)
add_column.button(t("calc.add_outcome"), icon=":material/add:", key="add")
remove_column.button(t("calc.remove_outcome"), icon=":material/remove:", key="remove")
groups = [t("calc.group_target"), t("calc.group_costs"), *(t("calc.group_outcome", number=i + 1, name=o["name"][:27])
                                                          for i, o in enumerate(EXAMPLE["outcomes"])),
          t("calc.group_time"), t("calc.group_uncertainty")]
choice_area.segmented_control(t("calc.group_choice"), groups, default=groups[2], required=True, key="group",
                              width="stretch")
with changes_area:
    left, right = st.columns(2)
    left.markdown(t("calc.title"))
    right.button(t("calc.save_new"), key="discard")

scenario = copy.deepcopy(EXAMPLE)
scenario["outcomes"][0]["effect"] = float(effect_text.replace(",", ".") or 0) / 100
scenario["outcomes"][0].pop("effect_range", None)
projection = project_savings(parse_scenario(scenario))
with results_area:
    st.subheader(t("calc.results_heading"))
    with st.container(border=True):
        st.markdown(f"#### {t('calc.effect')}: {effect_text}")
    for column, key in zip(st.columns(4), ["calc.metric_within", "calc.metric_npv", "calc.metric_bcr",
                                           "calc.metric_break_even"], strict=True):
        column.metric(t(key, years=10), effect_text)
    tabs = st.tabs([t("calc.tab_cumulative"), t("calc.tab_flows"), t("calc.tab_payers"), t("calc.tab_fan"),
                    t("calc.tab_tornado")])
    with tabs[0]:
        st.plotly_chart(cumulative_chart(projection, "sv"), width="stretch", key="chart", theme=None,
                        config={"displaylogo": False})
        left, right = st.columns(2)
        left.download_button(t("calc.download_png"), b"", file_name="x.png", key="png", icon=":material/image:",
                             on_click="ignore")
        right.download_button(t("calc.download_svg"), b"", file_name="x.svg", key="svg", icon=":material/draw:",
                              on_click="ignore")
    sources = EXAMPLE.get("sources", [])
    with st.expander(t("calc.sources_heading", count=len(sources))):
        st.dataframe(pd.DataFrame(sources).astype(str), hide_index=True, width="stretch")
    st.divider()
    st.button(t("calc.save_new"), type="primary", key="save", icon=":material/save:")

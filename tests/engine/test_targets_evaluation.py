"""ITS and DiD recover an injected effect within their confidence intervals; the plain-word sentence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from engine.errors import InputError
from engine.targets.evaluation import (
    EffectEstimate,
    difference_in_differences,
    effect_sentence,
    evaluation_warnings,
    inference_sentence,
    interrupted_time_series,
)
from engine.targets.history import History, Panel, period_label


def monthly(values, start=2018 * 12) -> History:
    index = tuple(range(start, start + len(values)))
    return History(tuple(period_label("month", i) for i in index), tuple(float(v) for v in values), "month", index)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_its_recovers_an_injected_step_within_its_interval(seed):
    rng = np.random.default_rng(seed)
    t = np.arange(48)
    effect = -2.0
    values = 30 - 0.05 * t + effect * (t >= 24) + rng.normal(0, 0.8, 48)
    estimate = interrupted_time_series(monthly(values), "2020-01")
    assert estimate.low <= effect <= estimate.high
    assert estimate.high < 0  # 2 units against noise 0.8 over 24 months is clearly detected
    assert estimate.method == "its"
    assert estimate.observations == 48
    assert estimate.inference in {"ols", "ar1"}  # independent noise: either, as the residuals happen to fall
    assert estimate.notes == ()  # 24 + 24 months: long enough, no strong autocorrelation


def test_its_with_a_slope_change_reports_the_average_gap_over_the_follow_up():
    # No noise: y = 10 + 0.1 t before month 12; after, the slope changes by -0.2 per month.
    # Gap at follow-up month j = -0.2 j, j = 0..11: average -0.2 * 5.5 = -1.1.
    t = np.arange(24)
    values = 10 + 0.1 * t - 0.2 * np.maximum(t - 12, 0) * (t >= 12)
    values = values + np.where(t % 2 == 0, 1e-6, -1e-6)  # a hair of noise so that errors exist
    estimate = interrupted_time_series(monthly(values), "2019-01")
    assert estimate.estimate == pytest.approx(-1.1, abs=1e-4)
    assert dict(estimate.details)["slope_change"] == pytest.approx(-0.2, abs=1e-4)
    assert estimate.counterfactual[-1] == pytest.approx(10 + 0.1 * 23, abs=1e-4)


def test_its_needs_three_periods_on_each_side():
    with pytest.raises(InputError) as raised:
        interrupted_time_series(monthly(range(10)), "2018-03", lang="en")
    assert raised.value.problems[0].path == "start"
    assert "there are 2 before and 8 after" in raised.value.problems[0].message


def test_a_start_period_of_the_wrong_kind_is_refused():
    with pytest.raises(InputError):
        interrupted_time_series(monthly(range(10)), "2018")


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_did_recovers_an_injected_effect_within_its_interval(seed):
    rng = np.random.default_rng(seed)
    rows = []
    effect = -1.5
    for year in range(2016, 2024):
        for group, level in (("insats", 12.0), ("jämförelse", 10.0)):
            for _person in range(40):
                value = level + 0.3 * (year - 2016) + (effect if group == "insats" and year >= 2020 else 0.0)
                rows.append((str(year), group, value + rng.normal(0, 3.0)))
    panel = Panel(tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows), "year",
                  tuple(int(r[0]) for r in rows))
    estimate = difference_in_differences(panel, "2020", "insats")
    assert estimate.low <= effect <= estimate.high
    means = dict(estimate.details)
    # The estimate is the difference of the before-after differences of the cell means.
    assert estimate.estimate == pytest.approx((means["treated_after"] - means["treated_before"])
                                              - (means["other_after"] - means["other_before"]))
    # No unit ids, eight years: the interval comes from the year-by-year contrast of the group means.
    assert (estimate.inference, estimate.df, estimate.clusters) == ("group_period", 6.0, 8)
    assert estimate.notes == ("one_comparison_group",)


def test_did_with_unit_ids_clusters_by_unit_and_keeps_the_estimate():
    rng = np.random.default_rng(12)
    rows, units = [], []
    for person in range(60):
        group = "insats" if person < 30 else "jämförelse"
        own = rng.normal(0, 2.0)
        for year in (2018, 2019, 2020, 2021):
            bump = -1.0 if group == "insats" and year >= 2020 else 0.0
            rows.append((str(year), group, 10 + own + bump + rng.normal(0, 1.0)))
            units.append(f"id{person}")
    panel = Panel(tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows), "year",
                  tuple(int(r[0]) for r in rows))
    clustered = difference_in_differences(panel, "2020", "insats", units=units)
    plain = difference_in_differences(panel, "2020", "insats")
    assert (clustered.inference, clustered.clusters, clustered.df) == ("cluster_unit", 60, 59.0)
    assert clustered.estimate == pytest.approx(plain.estimate)  # balanced: the same estimate either way
    assert clustered.low <= -1.0 <= clustered.high
    # Each person's own level cancels in the before-after difference: the clustered interval is narrower
    # than one that treats the rows as independent people.
    rows_only = difference_in_differences(panel, "2020", "insats", units=[f"row{i}" for i in range(len(rows))])
    assert rows_only.inference == "group_period"  # ids that never repeat add nothing to cluster on
    assert clustered.high - clustered.low < 0.8 * (plain.high - plain.low)


def test_did_refuses_an_unknown_group_and_an_empty_cell():
    panel = Panel(("2019", "2019", "2020", "2020"), ("a", "b", "a", "b"), (1.0, 2.0, 3.0, 4.0), "year",
                  (2019, 2019, 2020, 2020))
    with pytest.raises(InputError) as raised:
        difference_in_differences(panel, "2020", "c", lang="en")
    assert raised.value.problems[0].path == "treated"
    with pytest.raises(InputError) as raised:
        difference_in_differences(panel, "2020", "a", lang="en")
    assert "Intervention group: 1 before, 1 after" in raised.value.problems[0].message


def test_the_sentence_gives_the_interval_in_plain_swedish_and_english():
    estimate = EffectEstimate("did", -1.75, -3.1, -0.4, 0.95, 0.01, 100, ())
    sv = effect_sentence(estimate, "sjukdagar per person och år", "sv")
    assert sv.startswith("Effekten är mellan −3,1 och −0,4 sjukdagar per person och år")
    en = effect_sentence(EffectEstimate("its", 0.2, -0.5, 0.9, 0.95, 0.5, 30, ()), "days", "en")
    assert en.startswith("The effect is between −0.50 and 0.90 days")
    assert "cannot be told apart" in en


def test_the_method_and_its_limits_are_said_in_both_languages():
    short = EffectEstimate("its", -1.0, -1.3, -0.7, 0.95, 0.001, 12, (("periods_before", 6.0), ("periods_after", 6.0)),
                           inference="ar1", df=7.0, notes=("short_series", "strong_autocorrelation"),
                           autocorrelation=0.62, autocorrelation_used=0.91)
    assert inference_sentence(short, "sv").startswith("Närliggande perioder hänger ihop (autokorrelation 0,62")
    assert "som om den vore 0,91" in inference_sentence(short, "sv")
    assert "t distribution with 7 degrees of freedom" in inference_sentence(short, "en")
    sv = evaluation_warnings(short, "sv")
    assert sv[0].startswith("Kort serie: 6 perioder före och 6 efter starten. I simuleringar höll intervallen "
                            "sin nivå från 8 perioder")
    assert "Stark autokorrelation (0,62)" in sv[1]
    few = EffectEstimate("did", -1.0, -2.0, 0.0, 0.95, 0.05, 40, (), inference="cluster_unit", df=11.0,
                         notes=("one_comparison_group", "few_units"), clusters=12)
    en = evaluation_warnings(few, "en")
    assert "cannot separate the effect from anything else that happened to only one of the groups" in en[0]
    assert en[1].startswith("Few units (12): with fewer than 20 units")
    assert inference_sentence(EffectEstimate("did", 0, 0, 0, 0.95, 1, 4, ()), "sv") == ""  # made before the field


def test_units_whose_own_level_explains_every_row_give_a_point_not_a_nan():
    # Each person is their level plus the effect, exactly: the clustered variance is zero (rounding may
    # leave it a hair below zero), and the interval is the estimate itself.
    rows, units = [], []
    for person, level in enumerate((4.3, 3.7, 4.1, 3.9, 4.5, 3.9, 4.3, 4.1)):
        for year in (2018, 2019, 2020, 2021):
            treated = person < 4
            rows.append((str(year), "a" if treated else "b", level - (0.8 if treated and year >= 2020 else 0.0)))
            units.append(str(person))
    panel = Panel(tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows), "year",
                  tuple(int(r[0]) for r in rows))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        estimate = difference_in_differences(panel, "2020", "a", units=units)
    assert estimate.inference == "cluster_unit"
    assert estimate.low == estimate.high == pytest.approx(-0.8)

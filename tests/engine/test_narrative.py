"""Results in words and the effect-profile builder."""

from hypothesis import given
from hypothesis import strategies as st

from engine.savings.model import project_savings
from engine.savings.narrative import build_effect_profile, describe_effect_profile, savings_headline, signed_amount
from tests.engine.factories import make_cost, make_outcome, make_scenario


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def test_the_headline_names_both_periods_the_late_share_and_who_benefits():
    # 10 participants x 10 units x 50 % = 50 units a year for three years, 100 kr each to the state:
    # benefits 5 000 a year; costs 10 000 in year 1; no discounting; contract = year 1.
    scenario = make_scenario(horizon_years=3, outcomes=[{"name": "Dagar", "baseline": 10, "effect": 0.5,
                                                         "effect_profile": [1, 1, 1], "values": {"stat": 100}}])
    text = plain(savings_headline(project_savings(scenario), "sv"))
    assert "Inom avtalsperioden: -5 000 kr." in text      # 5 000 - 10 000
    assert "Över 3 år: +5 000 kr." in text                # 15 000 - 10 000
    assert "67 % av nyttan kommer efter avtalets slut." in text  # 10 000 / 15 000
    assert "100 % av nyttan hamnar hos staten, som inte betalar något." in text


def test_the_two_periods_of_the_headline_share_one_unit():
    # 100 participants x 10 units x 50 % x 2 000 kr = 1 000 000 a year for three years; costs
    # 100 x 19 400 = 1 940 000 in year 1, undiscounted: -940 000 within the one-year contract,
    # +1 060 000 over three years.
    scenario = make_scenario(horizon_years=3, intake=[100], costs=[make_cost(per_participant=19_400)],
                             outcomes=[make_outcome(effect_profile=[1, 1, 1], values={"kommun": 2_000})])
    text = plain(savings_headline(project_savings(scenario), "sv"))
    assert "Inom avtalsperioden: -0,9 mnkr." in text  # not "-940 000 kr" beside "+1,1 mnkr"
    assert "Över 3 år: +1,1 mnkr." in text
    assert plain(signed_amount(-940_000, "sv")) == "-940 000 kr"  # alone, an amount under a million stays in kr


def test_when_the_main_beneficiary_also_pays_the_headline_says_its_cost_share():
    scenario = make_scenario(horizon_years=2)  # the kommun pays everything and gets everything
    text = plain(savings_headline(project_savings(scenario), "en"))
    assert "goes to the municipality, which bears 100% of the costs." in text


def test_large_amounts_are_shown_in_millions_with_a_sign():
    assert plain(signed_amount(8_400_000, "sv")) == "+8,4 mnkr"
    assert plain(signed_amount(-2_100_000, "sv")) == "-2,1 mnkr"
    assert plain(signed_amount(-999, "sv")) == "-999 kr"


def test_the_design_example_profile_is_built_from_one_two_and_four_years():
    assert build_effect_profile(1, 2, 4) == [0.5, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2]


@given(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6))
def test_a_built_profile_has_the_stated_length_stays_within_0_and_1_and_is_described_back(ramp, full, fade):
    profile = build_effect_profile(ramp, full, fade)
    assert len(profile) == max(1, ramp + full + fade)
    assert all(0 <= share <= 1 for share in profile)
    if ramp + full + fade:
        assert build_effect_profile(*describe_effect_profile(profile)) == profile

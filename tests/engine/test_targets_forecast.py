"""The baseline forecast on synthetic series with a known trend."""

from __future__ import annotations

import numpy as np
import pytest

from engine.targets.forecast import forecast_baseline, target_line
from engine.targets.history import History, period_label


def series(values, frequency="year", start=2010) -> History:
    index = tuple(range(start, start + len(values)))
    return History(tuple(period_label(frequency, i) for i in index), tuple(float(v) for v in values), frequency, index)


def test_a_straight_line_is_continued_exactly():
    # y = 20 - 0.5 t: the forecast 4 years on is 20 - 0.5 * (10..13) = 15.0, 14.5, 14.0, 13.5.
    history = series([20 - 0.5 * t for t in range(10)])
    forecast = forecast_baseline(history, years=4, method="trend")
    assert forecast.periods == ("2020", "2021", "2022", "2023")
    assert forecast.mean == pytest.approx((15.0, 14.5, 14.0, 13.5))
    assert forecast.slope_per_year == pytest.approx(-0.5)


@pytest.mark.parametrize("method", ["trend", "holt"])
def test_a_noisy_known_trend_is_recovered_within_the_prediction_interval(method):
    rng = np.random.default_rng(7)
    t = np.arange(120)
    history = series(50 - 0.2 * t + rng.normal(0, 1.0, 120), "month", start=2015 * 12)
    forecast = forecast_baseline(history, years=4, method=method)
    truth = 50 - 0.2 * np.arange(120, 168)
    assert len(forecast.mean) == 48
    assert forecast.periods[0] == "2025-01"
    inside = np.mean((np.array(forecast.lower) <= truth) & (truth <= np.array(forecast.upper)))
    assert inside >= 0.9
    # per month -0.2, per year -2.4
    assert forecast.slope_per_year == pytest.approx(-2.4, abs=0.25)


def test_the_interval_widens_with_the_horizon_and_holds_the_mean():
    rng = np.random.default_rng(1)
    history = series(10 + 0.3 * np.arange(12) + rng.normal(0, 0.5, 12))
    forecast = forecast_baseline(history, years=5, method="trend")
    widths = np.array(forecast.upper) - np.array(forecast.lower)
    assert all(np.diff(widths) > 0)
    assert all(lo < m < hi for lo, m, hi in zip(forecast.lower, forecast.mean, forecast.upper, strict=True))


def test_auto_takes_the_line_for_short_series_and_compares_on_a_holdout_for_long_ones():
    short = forecast_baseline(series(range(10)), years=2)
    assert (short.method, short.chosen_by) == ("trend", "rule")
    rng = np.random.default_rng(3)
    # A trend that turns: Holt follows the recent slope, the straight line does not.
    values = np.concatenate([np.full(30, 40.0), 40 - 0.8 * np.arange(1, 31)]) + rng.normal(0, 0.3, 60)
    long = forecast_baseline(series(values, "quarter", start=2000 * 4), years=2)
    assert long.chosen_by == "holdout"
    assert long.method == "holt"
    errors = dict(long.holdout_errors)
    assert errors["holt"] < errors["trend"]


def test_a_relative_target_follows_the_trend_and_an_absolute_one_is_flat():
    forecast = forecast_baseline(series([20 - 0.5 * t for t in range(10)]), years=2, method="trend")
    assert target_line(forecast, reduction=0.1) == pytest.approx((13.5, 13.05))
    assert target_line(forecast, level=12.0) == (12.0, 12.0)


def test_unknown_methods_and_horizons_are_programming_errors():
    with pytest.raises(ValueError, match="unknown method"):
        forecast_baseline(series(range(10)), years=2, method="arima")
    with pytest.raises(ValueError, match="years must be"):
        forecast_baseline(series(range(10)), years=0)

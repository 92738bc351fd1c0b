"""Do the evaluation's 95 % intervals cover the true effect 95 % of the time on series a kommun has?

Seeded simulations with a known effect, through the public functions. Monte Carlo error: with R
replications a coverage near 0.95 has standard error sqrt(0.95 * 0.05 / R), 0.9 pp for R = 600 and
1.0 pp for R = 500. Every design tested here was measured at 0.948-0.977 with 2 000 replications
(numbers by each test; their own standard error is 0.5 pp), so the bound 0.92 is at least 2.5
standard errors of the test below the expected coverage and the seeded tests cannot flip on a small
numerical change; the upper bound 0.99 catches intervals made wide enough to be useless. The Newey-West
errors used before covered 74-87 % on the same ITS designs.

Known answers against statsmodels (and dense matrices) check the pieces the simulations rest on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from scipy.linalg import toeplitz
from statsmodels.tsa.stattools import acf

from engine.errors import InputError
from engine.targets.evaluation import difference_in_differences, interrupted_time_series
from engine.targets.history import History, Panel, period_label
from engine.targets.inference import (
    ar1_times,
    ar1_variance,
    expected_autocorrelation,
    its_design,
    its_fit,
    lag_one_autocorrelation,
    period_contrast,
)
from engine.targets.panel_units import read_panel_with_units

LOWEST, HIGHEST = 0.92, 0.99


def ar1_errors(rng: np.random.Generator, reps: int, n: int, phi: float) -> np.ndarray:
    """``reps`` stationary AR(1) series of length ``n`` with unit innovations."""
    shocks = rng.normal(0.0, 1.0, (reps, n))
    errors = np.empty_like(shocks)
    errors[:, 0] = shocks[:, 0] / math.sqrt(1 - phi * phi)
    for t in range(1, n):
        errors[:, t] = phi * errors[:, t - 1] + shocks[:, t]
    return errors


def series(frequency: str, values: np.ndarray, first: int) -> History:
    index = tuple(range(first, first + len(values)))
    return History(tuple(period_label(frequency, i) for i in index), tuple(float(v) for v in values), frequency, index)


# --------------------------------------------------------------------------- ITS coverage

# Measured with 2 000 replications of this very data (design: independent errors / AR(1) 0.3 / AR(1) 0.5):
# 8+8 0.972 / 0.953 / 0.921; 12+12 0.972 / 0.956 / 0.945; 24+24 0.968 / 0.965 / 0.961 (5+5: 0.972 /
# 0.937 / 0.917, hence the short-series warning below 8 + 8). Plain OLS errors: 0.952 / 0.893 / 0.796
# on 8+8 and 0.948 / 0.860 / 0.768 on 24+24; the old Newey-West errors 0.790 / 0.742 / 0.672 and
# 0.867 / 0.821 / 0.780.
@pytest.mark.parametrize(("before", "after", "frequency", "first"), [
    (8, 8, "year", 2008), (12, 12, "year", 2004), (24, 24, "month", 2018 * 12)])
@pytest.mark.parametrize("phi", [0.0, 0.3])
def test_its_intervals_hold_their_level(before, after, frequency, first, phi):
    reps = 600
    rng = np.random.default_rng(1000 * before + int(10 * phi))
    n = before + after
    time = np.arange(n)
    step, slope = -1.0, -0.05
    truth = step + slope * np.mean(np.arange(after))  # the average gap over the follow-up
    signal = 20 + 0.1 * time + np.where(time >= before, step + slope * (time - before), 0.0)
    draws = signal + ar1_errors(rng, reps, n, phi)
    start = period_label(frequency, first + before)
    covered = [e.low <= truth <= e.high for e in (interrupted_time_series(series(frequency, y, first), start)
                                                  for y in draws)]
    assert LOWEST <= np.mean(covered) <= HIGHEST


# --------------------------------------------------------------------------- DiD coverage


def unit_panel(rng: np.random.Generator, units_per_group: int, years: range, start: int,
               effect: float) -> tuple[Panel, tuple[str, ...]]:
    """The same people followed every year: a level of their own (sd 2) plus noise (sd 1)."""
    people, count = 2 * units_per_group, len(years)
    year = np.tile(np.array(years), people)
    person = np.repeat(np.arange(people), count)
    treated = person < units_per_group
    values = (10 + np.repeat(rng.normal(0, 2.0, people), count) + 0.2 * (year - years[0])
              + np.where(treated & (year >= start), effect, 0.0) + rng.normal(0, 1.0, people * count))
    groups = tuple("insats" if t else "jämförelse" for t in treated)
    return (Panel(tuple(map(str, year.tolist())), groups, tuple(values.tolist()), "year", tuple(year.tolist())),
            tuple(f"p{p}" for p in person.tolist()))


# Measured with 2 000 replications (tests' helpers, seeded): 0.948 with 25 people per group, 0.941 with
# 10. The rows treated as independent (HC1, as before) covered 1.000: intervals far too wide.
def test_did_clustered_by_unit_holds_its_level_when_the_same_people_are_followed():
    rng = np.random.default_rng(7)
    reps, effect = 500, -1.0
    covered = []
    for _ in range(reps):
        panel, ids = unit_panel(rng, 25, range(2016, 2022), 2019, effect)
        estimate = difference_in_differences(panel, "2019", "insats", units=ids)
        covered.append(estimate.low <= effect <= estimate.high)
    assert estimate.inference == "cluster_unit"
    assert estimate.clusters == 50
    assert LOWEST <= np.mean(covered) <= HIGHEST


def group_panel(rng: np.random.Generator, years: range, start: int, rows: int, effect: float) -> Panel:
    """One kommun against another: each group-year has a shock of its own (sd 0.5) shared by its rows,
    and each row noise (sd 2)."""
    periods, groups, values = [], [], []
    for year in years:
        for group, level in (("insats", 12.0), ("jämförelse", 10.0)):
            shock = rng.normal(0, 0.5)
            bump = effect if group == "insats" and year >= start else 0.0
            for value in level + 0.3 * (year - years[0]) + bump + shock + rng.normal(0, 2.0, rows):
                periods.append(year)
                groups.append(group)
                values.append(float(value))
    return Panel(tuple(map(str, periods)), tuple(groups), tuple(values), "year", tuple(periods))


# Measured with 2 000 replications: 0.951 for 5 + 5 years with 30 rows per group-year, 0.952 with 1 row
# (exact under normal errors: the contrasts are independent across years). The rows treated as
# independent (HC1, as before) covered 0.78 with 30 rows; less the larger the shocks are against the rows' noise.
@pytest.mark.parametrize("rows", [1, 30])
def test_did_on_group_level_data_holds_its_level_under_group_year_shocks(rows):
    rng = np.random.default_rng(11 + rows)
    reps, effect = 500, -1.0
    covered = []
    for _ in range(reps):
        estimate = difference_in_differences(group_panel(rng, range(2014, 2024), 2019, rows, effect), "2019",
                                             "insats")
        covered.append(estimate.low <= effect <= estimate.high)
    assert estimate.inference == "group_period"
    assert estimate.df == 8.0  # ten years, two means estimated
    assert "one_comparison_group" in estimate.notes
    assert LOWEST <= np.mean(covered) <= HIGHEST


# --------------------------------------------------------------------------- known answers


def test_its_without_autocorrelation_is_statsmodels_ols():
    rng = np.random.default_rng(3)
    y = 5 + 0.2 * np.arange(20) - 1.5 * (np.arange(20) >= 10) + rng.normal(0, 1, 20)
    estimate = interrupted_time_series(series("year", y, 2004), "2014")
    assert estimate.inference == "ols"
    design, weights = its_design(20, 10)
    test = sm.OLS(y, design).fit().t_test(weights)
    low, high = np.asarray(test.conf_int(alpha=0.05)).ravel()
    assert (estimate.estimate, estimate.low, estimate.high, estimate.p_value) == pytest.approx(
        (float(np.asarray(test.effect).item()), low, high, float(np.asarray(test.pvalue).item())), rel=1e-9)
    assert estimate.df == 16.0


def test_the_lag_one_autocorrelation_is_statsmodels_acf_of_the_residuals():
    rng = np.random.default_rng(4)
    y = rng.normal(0, 1, 30).cumsum()
    residuals = sm.OLS(y, its_design(30, 15)[0]).fit().resid  # mean zero: acf's demeaning changes nothing
    assert lag_one_autocorrelation(residuals) == pytest.approx(acf(residuals, nlags=1, fft=False)[1], rel=1e-12)


@pytest.mark.parametrize("rho", [-0.4, 0.0, 0.3, 0.8])
def test_the_ar1_shortcuts_equal_the_dense_matrices(rho):
    n = 24
    design, weights = its_design(n, 12)
    dense = toeplitz(rho ** np.arange(n))
    assert ar1_times(design, rho) == pytest.approx(dense @ design, abs=1e-12)
    residual_maker = np.eye(n) - design @ np.linalg.pinv(design)
    lag = np.diag(np.full(n - 1, 0.5), 1) + np.diag(np.full(n - 1, 0.5), -1)
    expected = np.trace(residual_maker @ lag @ residual_maker @ dense) / np.trace(residual_maker @ dense)
    assert expected_autocorrelation(design, rho) == pytest.approx(expected, abs=1e-12)
    # The OLS effect's variance under AR(1) errors: sigma^2 w'(X'X)^-1 X'SX (X'X)^-1 w, sigma^2 = e'e / tr(MS).
    residuals = np.random.default_rng(5).normal(0, 1, n)
    inverse = np.linalg.inv(design.T @ design)
    sigma2 = residuals @ residuals / np.trace(residual_maker @ dense)
    sandwich = sigma2 * weights @ inverse @ design.T @ dense @ design @ inverse @ weights
    assert ar1_variance(residuals, design, weights, rho) == pytest.approx(sandwich, rel=1e-10)


def test_a_strongly_autocorrelated_series_gets_the_ar1_errors_and_a_wider_interval():
    rng = np.random.default_rng(6)
    y = 10 + ar1_errors(rng, 1, 40, 0.7)[0]
    fit = its_fit(y, 20)
    assert fit.rho > 0.5
    assert fit.df == 35.0
    design, weights = its_design(40, 20)
    ols_se = math.sqrt(weights @ sm.OLS(y, design).fit().cov_params() @ weights)
    assert fit.se > 1.3 * ols_se


def test_the_clustered_did_is_the_cr1_sandwich_by_hand():
    panel, ids = unit_panel(np.random.default_rng(8), 6, range(2018, 2022), 2020, -1.0)
    estimate = difference_in_differences(panel, "2020", "insats", units=ids)
    y = np.array(panel.values)
    treated = np.array([g == "insats" for g in panel.groups], float)
    post = np.array([p >= 2020 for p in panel.index], float)
    x = np.column_stack([np.ones(len(y)), treated, post, treated * post])
    inverse = np.linalg.inv(x.T @ x)
    beta = inverse @ x.T @ y
    residuals = y - x @ beta
    codes = np.unique(ids, return_inverse=True)[1]
    meat = sum(np.outer(x[codes == c].T @ residuals[codes == c], x[codes == c].T @ residuals[codes == c])
               for c in range(12))
    n, k, g = len(y), 4, 12
    cov = g / (g - 1) * (n - 1) / (n - k) * inverse @ meat @ inverse
    assert estimate.estimate == pytest.approx(beta[3], rel=1e-10)
    half = (estimate.high - estimate.low) / 2
    assert half == pytest.approx(stats.t.ppf(0.975, g - 1) * math.sqrt(cov[3, 3]), rel=1e-9)
    assert estimate.df == 11.0
    assert "few_units" in estimate.notes  # 12 units: fewer than 20


def test_the_group_period_did_is_statsmodels_ols_on_the_period_contrasts():
    panel = group_panel(np.random.default_rng(9), range(2016, 2024), 2020, 5, -1.0)
    estimate = difference_in_differences(panel, "2020", "insats")
    y, years = np.array(panel.values), np.array(panel.index)
    treated = np.array([g == "insats" for g in panel.groups])
    contrasts = [y[(years == t) & treated].mean() - y[(years == t) & ~treated].mean() for t in range(2016, 2024)]
    after = np.array([t >= 2020 for t in range(2016, 2024)], float)
    fit = sm.OLS(np.array(contrasts), sm.add_constant(after)).fit()
    assert (estimate.estimate, estimate.low, estimate.high) == pytest.approx(
        (fit.params[1], *fit.conf_int(alpha=0.05)[1]), rel=1e-9)
    assert estimate.p_value == pytest.approx(fit.pvalues[1], rel=1e-9)
    assert estimate.clusters == 8


def test_two_periods_fall_back_to_robust_errors_per_row_and_say_so():
    rng = np.random.default_rng(10)
    panel = group_panel(rng, range(2019, 2021), 2020, 10, -1.0)
    estimate = difference_in_differences(panel, "2020", "insats")
    y = np.array(panel.values)
    treated = np.array([g == "insats" for g in panel.groups], float)
    post = np.array([p >= 2020 for p in panel.index], float)
    fit = sm.OLS(y, np.column_stack([np.ones(len(y)), treated, post, treated * post])).fit(cov_type="HC1",
                                                                                          use_t=True)
    assert estimate.inference == "rows_hc1"
    assert (estimate.low, estimate.high) == pytest.approx(tuple(fit.conf_int(alpha=0.05)[3]), rel=1e-9)
    assert "two_periods" in estimate.notes


def test_period_contrast_leaves_out_periods_where_one_group_has_no_rows():
    values = np.array([3.0, 1.0, 4.0, 5.0, 2.0, 6.0, 2.5, 7.0, 3.0])
    treated = np.array([1, 0, 1, 1, 0, 1, 0, 1, 0], bool)
    period = np.array([1, 1, 2, 3, 3, 4, 4, 5, 5])  # period 2 has only the treated group
    contrast = period_contrast(values, treated, period, 4)
    assert (contrast.periods_before, contrast.periods_after) == (2, 2)
    assert contrast.estimate == pytest.approx(((6 - 2.5) + (7 - 3)) / 2 - ((3 - 1) + (5 - 2)) / 2)


# --------------------------------------------------------------------------- the unit column


def test_a_unit_column_is_read_and_lined_up_with_the_panel_rows():
    data = ("period;grupp;värde;enhet\n2020;A;1,5;p1\n2020;B;2;p2\n2019;A;1;p1\n2019;B;2,5;p2\n"
            "2021;A;1;p1\n2021;B;2;p2\n2018;A;1;p1\n2018;B;2;p2\n").encode("cp1252")
    panel, units = read_panel_with_units(data, "sv")
    assert panel.periods[:2] == ("2018", "2018")
    assert units == ("p1", "p2", "p1", "p2", "p1", "p2", "p1", "p2")
    assert [v for v, u in zip(panel.values, units, strict=True) if u == "p1"] == [1.0, 1.0, 1.5, 1.0]


def test_a_file_without_a_unit_column_gives_no_ids_and_a_half_filled_one_is_refused():
    plain = b"period,group,value\n2019,a,1\n2019,b,2\n2020,a,1\n2020,b,2\n"
    assert read_panel_with_units(plain, "en")[1] == ()
    half = b"period,group,value,unit\n2019,a,1,x\n2019,b,2,\n2020,a,1,x\n2020,b,2,y\n"
    with pytest.raises(InputError) as raised:
        read_panel_with_units(half, "en")
    assert raised.value.problems[0].message.startswith("The unit column is empty on 1 rows (the first on row 3)")

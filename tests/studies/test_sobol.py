"""Sobol' indices (studies/sobol.py) against the Ishigami function's closed form and against SALib.

The Ishigami function (Ishigami & Homma 1990), x_i ~ U(-pi, pi)::

    f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1

has, with a = 7, b = 0.1, the analytic variances (Sobol' & Levitan 1999;
Saltelli et al., "Global Sensitivity Analysis: The Primer", 2008, sec. 4.9)::

    V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    V1  = (1 + b pi^4/5)^2 / 2,   V2 = a^2/8,   V3 = 0
    V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225,   V12 = V23 = V123 = 0

so S = (V1, V2, 0)/V = (0.3139, 0.4424, 0) and ST = (V1 + V13, V2, V13)/V =
(0.5576, 0.4424, 0.2437).
"""

import math

import numpy as np
import pytest
from SALib.analyze import sobol as salib_sobol

from studies.designs import saltelli
from studies.sobol import sobol_indices

A_ISHIGAMI, B_ISHIGAMI = 7.0, 0.1
N_BASE = 2**14  # 81,920 evaluations for d = 3; Monte Carlo error of each index ~0.005
# The task's bound: each estimate within this of the analytic index (about four
# bootstrap standard errors at N_BASE = 2^14).
ISHIGAMI_TOLERANCE = 0.02
# Same estimators and the same centring as SALib: the only difference is the order
# of floating-point sums over ~2^15 terms (n * eps ~ 4e-12), plus SALib's division
# by the output's standard deviation, which cancels in the ratios up to rounding.
SAME_ESTIMATOR_TOLERANCE = 1e-10


def ishigami(x):
    return (
        np.sin(x[:, 0])
        + A_ISHIGAMI * np.sin(x[:, 1]) ** 2
        + B_ISHIGAMI * x[:, 2] ** 4 * np.sin(x[:, 0])
    )


def ishigami_analytic():
    a, b, pi = A_ISHIGAMI, B_ISHIGAMI, math.pi
    v = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * pi**8 / 225
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


@pytest.fixture(scope="module")
def ishigami_run():
    unit = saltelli(N_BASE, 3, seed=2024)
    y = ishigami(-math.pi + 2 * math.pi * unit)
    return y, sobol_indices(y, 3, resamples=200, seed=7)


def to_salib_rows(y, d):
    """Our block layout (A, B, A_B^0..A_B^{d-1}) to SALib's per-sample rows (A, A_B^i.., B)."""
    blocks = y.reshape(d + 2, -1)
    return np.stack([blocks[0], *blocks[2:], blocks[1]], axis=1).ravel()


def test_the_analytic_values_are_the_published_ones():
    first, total = ishigami_analytic()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_ishigami_indices_match_the_closed_form(ishigami_run):
    _, result = ishigami_run
    first, total = ishigami_analytic()
    np.testing.assert_allclose(result.first, first, atol=ISHIGAMI_TOLERANCE)
    np.testing.assert_allclose(result.total, total, atol=ISHIGAMI_TOLERANCE)
    assert result.dropped == 0 and result.n == N_BASE
    assert result.first.shape == (3,) and result.total_high.shape == (3,)


def test_the_indices_agree_with_salib_on_the_same_samples(ishigami_run):
    y, ours = ishigami_run
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
    theirs = salib_sobol.analyze(
        problem, to_salib_rows(y, 3), calc_second_order=False, num_resamples=200, seed=11
    )
    np.testing.assert_allclose(ours.first, theirs["S1"], rtol=0, atol=SAME_ESTIMATOR_TOLERANCE)
    np.testing.assert_allclose(ours.total, theirs["ST"], rtol=0, atol=SAME_ESTIMATOR_TOLERANCE)
    # SALib's interval is z * (bootstrap sd) from its own draws: the standard errors
    # agree up to the sampling error of a 200-resample sd (~5 % each; 25 % is > 3 sigma).
    z = 1.959963984540054
    np.testing.assert_allclose(ours.first_se, theirs["S1_conf"] / z, rtol=0.25)
    np.testing.assert_allclose(ours.total_se, theirs["ST_conf"] / z, rtol=0.25)


def test_the_intervals_bracket_the_estimates(ishigami_run):
    _, result = ishigami_run
    assert np.all(result.first_low <= result.first) and np.all(result.first <= result.first_high)
    assert np.all(result.total_low <= result.total) and np.all(result.total <= result.total_high)
    assert np.all(result.first_se > 0) and np.all(result.total_se > 0)


def plain_estimates(f_a, f_b, f_ab):
    """Saltelli 2010 (b) and Jansen (f) written out once, for one output and one resample."""
    v = np.var(np.concatenate([f_a, f_b]))
    first = [np.mean(f_b * (f_ab[i] - f_a)) / v for i in range(len(f_ab))]
    total = [0.5 * np.mean((f_a - f_ab[i]) ** 2) / v for i in range(len(f_ab))]
    return np.array(first), np.array(total)


def test_the_vectorised_bootstrap_equals_resampling_one_at_a_time():
    d, n, resamples, seed = 3, 256, 6, 5
    y = ishigami(-math.pi + 2 * math.pi * saltelli(n, d, seed=1))
    result = sobol_indices(y, d, resamples=resamples, seed=seed)
    blocks = (y - y.mean()).reshape(d + 2, n)
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    boot = [plain_estimates(blocks[0, r], blocks[1, r], blocks[2:, r]) for r in draws]
    first = np.array([b[0] for b in boot])
    total = np.array([b[1] for b in boot])
    np.testing.assert_allclose(result.first_se, first.std(axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(result.total_se, total.std(axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(result.first_low, np.percentile(first, 2.5, axis=0), rtol=1e-9)
    np.testing.assert_allclose(result.total_high, np.percentile(total, 97.5, axis=0), rtol=1e-9)


def test_outputs_on_a_trailing_axis_are_analysed_each_as_alone():
    d, n = 3, 512
    y = ishigami(-math.pi + 2 * math.pi * saltelli(n, d, seed=3))
    stacked = np.stack([y, np.cos(y), y**2], axis=-1)
    together = sobol_indices(stacked, d, resamples=20, seed=1)
    assert together.first.shape == (d, 3) and together.dropped.shape == (3,)
    for k in range(3):
        alone = sobol_indices(stacked[:, k], d, resamples=20, seed=1)
        np.testing.assert_allclose(together.first[:, k], alone.first, rtol=1e-12)
        np.testing.assert_allclose(together.total[:, k], alone.total, rtol=1e-12)
        np.testing.assert_allclose(together.first_se[:, k], alone.first_se, rtol=1e-12)


def test_nan_outputs_drop_their_whole_base_sample_and_are_counted():
    d, n = 3, 512
    y = ishigami(-math.pi + 2 * math.pi * saltelli(n, d, seed=4))
    holed = y.copy()
    # base samples 3 (in A), 10 (in B), 40 (in A_B^(2)) and 41 (in A and A_B^(0)) fail to close
    for block, j in ((0, 3), (1, 10), (4, 40), (0, 41), (2, 41)):
        holed[block * n + j] = np.nan
    result = sobol_indices(np.stack([holed, y], axis=-1), d, resamples=10)
    assert list(result.dropped) == [4, 0]
    keep = np.setdiff1d(np.arange(n), [3, 10, 40, 41])
    blocks = y.reshape(d + 2, n)[:, keep]
    blocks = blocks - blocks.mean()
    first, total = plain_estimates(blocks[0], blocks[1], blocks[2:])
    np.testing.assert_allclose(result.first[:, 0], first, rtol=1e-10)
    np.testing.assert_allclose(result.total[:, 0], total, rtol=1e-10)
    assert np.all(np.isfinite(result.first_se))


def test_an_output_that_never_closes_has_nan_indices_not_numbers():
    d, n = 2, 64
    y = np.full(n * (d + 2), np.nan)
    result = sobol_indices(y, d, resamples=5)
    assert result.dropped == n
    assert np.all(np.isnan(result.first)) and np.all(np.isnan(result.total_se))


def test_a_constant_output_has_nan_indices():
    result = sobol_indices(np.ones(64 * 4), 2, resamples=5)
    assert result.variance == 0 and np.all(np.isnan(result.first))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"outputs": np.ones(11), "d": 3}, "outputs have 11 rows: a Saltelli design for d = 3"),
        ({"outputs": np.r_[np.ones(9), np.inf], "d": 3}, "outputs include infinities"),
        ({"outputs": np.r_[np.ones(9), np.nan], "d": 3, "nan_policy": "raise"}, "1 of 2 base"),
        ({"outputs": np.ones(10), "d": 3, "nan_policy": "skip"}, "nan_policy = 'skip'"),
        ({"outputs": np.ones(10), "d": 3, "resamples": 1}, "resamples = 1"),
        ({"outputs": np.ones(10), "d": 3, "confidence": 95}, "confidence = 95"),
        ({"outputs": np.ones(10), "d": 0}, "d = 0"),
    ],
)
def test_bad_arguments_raise_one_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as raised:
        sobol_indices(**kwargs)
    assert "\n" not in str(raised.value)

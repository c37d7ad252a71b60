"""Sampling designs and distributions (studies/designs.py), against their defining properties
and against scipy.stats' own inverse CDFs."""

import numpy as np
import pytest
from scipy import stats

from studies.designs import (
    Choice,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    apply,
    full_factorial,
    latin_hypercube,
    one_at_a_time,
    rank_correlate,
    saltelli,
    sobol_points,
)

# The inverse CDFs are closed forms (or scipy's ndtri): agreement with scipy.stats' ppf
# is to rounding, relative.
PPF_RTOL = 1e-9
# The task's bound on the achieved Spearman rho at 10,000 samples (its sampling sd is
# ~0.01 there, so 0.05 is a wide margin).
RHO_TOLERANCE = 0.05
# Unit grid for quantile checks: avoids exactly 0 and 1, where the laws are unbounded.
U_GRID = np.linspace(0.001, 0.999, 201)


def test_full_factorial_has_every_combination_once():
    levels = {"altitude_km": [500, 550, 600], "planes": range(10, 14), "solar": ["gaas", "si"]}
    grid = full_factorial(levels)
    assert all(len(v) == 3 * 4 * 2 for v in grid.values())
    rows = set(zip(grid["altitude_km"], grid["planes"], grid["solar"], strict=True))
    expected = {(a, p, s) for a in (500, 550, 600) for p in range(10, 14) for s in ("gaas", "si")}
    assert rows == expected
    assert list(grid["solar"][:2]) == ["gaas", "si"]  # the last parameter varies fastest


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_axis():
    n, d = 97, 5
    unit = latin_hypercube(n, d, seed=3)
    assert unit.shape == (n, d)
    for column in unit.T:
        assert sorted(np.floor(column * n).astype(int)) == list(range(n))


@pytest.mark.parametrize("m", [4, 8, 10])
def test_sobol_points_are_balanced_on_every_axis(m):
    n, d = 2**m, 6
    unit = sobol_points(n, d, seed=1)
    assert unit.shape == (n, d) and np.all((unit >= 0) & (unit < 1))
    for k in range(m + 1):
        counts = np.apply_along_axis(np.bincount, 0, np.floor(unit * 2**k).astype(int), None, 2**k)
        assert np.all(counts == n // 2**k), f"2^{k} intervals"


def test_sobol_points_first_two_axes_form_a_zero_net():
    # The first two Sobol' coordinates are a (0, m, 2)-net in base 2 (Sobol' 1967), which
    # Owen scrambling keeps: every elementary box of area 1/n holds exactly one point.
    m = 8
    unit = sobol_points(2**m, 2, seed=9)
    for a in range(m + 1):
        cells = np.floor(unit[:, 0] * 2**a).astype(int) * 2 ** (m - a) + np.floor(
            unit[:, 1] * 2 ** (m - a)
        ).astype(int)
        assert sorted(cells) == list(range(2**m)), f"boxes 2^-{a} x 2^-{m - a}"


def test_seeds_reproduce_and_distinguish_designs():
    for make in (latin_hypercube, sobol_points, saltelli):
        same = make(64, 3, seed=42), make(64, 3, seed=42)
        np.testing.assert_array_equal(*same)
        assert not np.array_equal(make(64, 3, seed=42), make(64, 3, seed=43))


def test_saltelli_blocks_are_a_b_and_a_with_one_column_from_b():
    n, d = 32, 4
    design = saltelli(n, d, seed=0)
    assert design.shape == (n * (d + 2), d)
    blocks = design.reshape(d + 2, n, d)
    a, b = blocks[0], blocks[1]
    assert not np.any(np.isclose(a, b))
    for i in range(d):
        expected = a.copy()
        expected[:, i] = b[:, i]
        np.testing.assert_array_equal(blocks[2 + i], expected)
    # A and B side by side are one 2d-dimensional Sobol' design: balanced on every axis
    for column in np.hstack([a, b]).T:
        assert sorted(np.floor(column * n).astype(int)) == list(range(n))


def test_one_at_a_time_swings_each_parameter_around_the_base():
    points, labels = one_at_a_time(
        {"a": 1.0, "b": 10.0, "c": 5.0}, {"a": (0.5, 2.0), "c": (4.0, 6.0)}
    )
    assert labels == [("base", "base"), ("a", "low"), ("a", "high"), ("c", "low"), ("c", "high")]
    np.testing.assert_array_equal(points["a"], [1.0, 0.5, 2.0, 1.0, 1.0])
    np.testing.assert_array_equal(points["b"], [10.0] * 5)
    np.testing.assert_array_equal(points["c"], [5.0, 5.0, 5.0, 4.0, 6.0])


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (Uniform(2.0, 5.0), stats.uniform(loc=2.0, scale=3.0)),
        (Normal(3.0, 0.5), stats.norm(loc=3.0, scale=0.5)),
        (LogNormal(median=200.0, sigma=0.4), stats.lognorm(s=0.4, scale=200.0)),
        (Triangular(1.0, 2.0, 5.0), stats.triang(c=0.25, loc=1.0, scale=4.0)),
        (Triangular(1.0, 1.0, 5.0), stats.triang(c=0.0, loc=1.0, scale=4.0)),
        (Triangular(1.0, 5.0, 5.0), stats.triang(c=1.0, loc=1.0, scale=4.0)),
    ],
    ids=["uniform", "normal", "lognormal", "triangular", "triangular-left", "triangular-right"],
)
def test_inverse_cdfs_match_scipy(ours, theirs):
    np.testing.assert_allclose(ours.ppf(U_GRID), theirs.ppf(U_GRID), rtol=PPF_RTOL)
    # and a sample through a design follows the law (KS test; seeded, so deterministic)
    values = apply({"x": ours}, latin_hypercube(2000, 1, seed=5))["x"]
    assert stats.kstest(values, theirs.cdf).pvalue > 0.01


def test_lognormal_mean_is_median_times_exp_half_sigma_squared():
    values = apply({"x": LogNormal(100.0, 0.3)}, sobol_points(2**16, 1, seed=2))["x"]
    assert values.mean() == pytest.approx(100.0 * np.exp(0.3**2 / 2), rel=1e-3)


def test_choice_draws_each_value_with_its_weight():
    u = (np.arange(10_000) + 0.5) / 10_000
    picks = Choice(("si", "gaas", "perovskite"), weights=(1, 2, 1)).ppf(u)
    counts = {v: int(np.sum(picks == v)) for v in ("si", "gaas", "perovskite")}
    assert counts == {"si": 2500, "gaas": 5000, "perovskite": 2500}
    assert set(Choice((4, 8)).ppf(u)) == {4, 8}
    assert np.sum(Choice((4, 8)).ppf(u) == 4) == 5000


@pytest.mark.parametrize("target", [0.7, -0.4, 0.2])
def test_rank_correlation_reaches_its_target_and_keeps_the_marginals(target):
    parameters = {
        "launch_usd_per_kg": LogNormal(500.0, 0.5),
        "array_usd_per_w": Triangular(20.0, 50.0, 200.0),
        "pue": Uniform(1.05, 1.5),
    }
    unit = latin_hypercube(10_000, 3, seed=8)
    values = apply(parameters, unit, spearman={("launch_usd_per_kg", "array_usd_per_w"): target})
    rho = stats.spearmanr(values["launch_usd_per_kg"], values["array_usd_per_w"]).statistic
    assert abs(rho - target) < RHO_TOLERANCE
    assert abs(stats.spearmanr(values["launch_usd_per_kg"], values["pue"]).statistic) < 0.05
    law = stats.triang(c=30.0 / 180.0, loc=20.0, scale=180.0)
    assert stats.kstest(values["array_usd_per_w"], law.cdf).pvalue > 0.01
    np.testing.assert_array_equal(
        values["launch_usd_per_kg"], parameters["launch_usd_per_kg"].ppf(unit[:, 0])
    )


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Triangular(0.0, 5.0, 3.0), r"triangular mode = 5.0 must lie in \[low, high\]"),
        (lambda: Triangular(3.0, 3.0, 3.0), "triangular low = 3.0 must be below high"),
        (lambda: Normal(1.0, 0.0), "normal sd = 0.0 must be > 0"),
        (lambda: Normal(1.0, -2.0), "normal sd = -2.0 must be > 0"),
        (lambda: LogNormal(-1.0, 0.3), "lognormal median = -1.0 must be > 0"),
        (lambda: LogNormal(1.0, 0.0), "lognormal sigma = 0.0 must be > 0"),
        (lambda: Uniform(2.0, 1.0), "uniform low = 2.0 must be below high = 1.0"),
        (lambda: Uniform(float("nan"), 1.0), "uniform low = nan: give a finite number"),
        (lambda: Choice(()), "choice values is empty"),
        (lambda: Choice((1, 2), weights=(1,)), "choice weights has 1 entries for 2 values"),
        (lambda: Choice((1, 2), weights=(0, 0)), "not all zero"),
        (lambda: sobol_points(100, 2, seed=0), "n = 100 is not a power of 2"),
        (lambda: saltelli(0, 2, seed=0), "n = 0: give a whole number >= 1"),
        (lambda: latin_hypercube(10, 0, seed=0), "d = 0"),
        (lambda: full_factorial({"planes": []}), "planes: no levels given"),
        (lambda: one_at_a_time({"a": 1.0}, {"b": (0, 1)}), "b: ranged but missing"),
        (lambda: one_at_a_time({"a": 1.0}, {"a": (2, 1)}), "a: low = 2.0 exceeds high"),
        (lambda: rank_correlate(np.full((4, 2), 0.5), {(0, 1): 1.0}), r"must lie in \(-1, 1\)"),
        (lambda: rank_correlate(np.full((4, 2), 0.5), {(0, 0): 0.5}), "two different columns"),
        (
            lambda: rank_correlate(np.full((4, 3), 0.5), {(0, 1): 0.9, (0, 2): 0.9, (1, 2): -0.9}),
            "inconsistent",
        ),
        (lambda: apply({"a": Uniform(0, 1)}, np.full((4, 2), 0.5)), r"shape \(4, 2\)"),
        (lambda: apply({"a": Uniform(0, 1)}, np.full((4, 1), 1.5)), r"must lie in \[0, 1\]"),
        (
            lambda: apply({"a": Uniform(0, 1)}, np.full((4, 1), 0.5), spearman={("a", "z"): 0.1}),
            "correlation names 'z'",
        ),
    ],
)
def test_bad_specs_raise_one_line(make, message):
    with pytest.raises(ValueError, match=message) as raised:
        make()
    assert "\n" not in str(raised.value)

"""The Pareto front (studies/pareto.py) against a brute-force oracle written here and closed forms.

The oracle is the definition, pair by pair: a row is dominated when another row,
both free of NaN, is no worse in every column and better in one.  The closed
forms: every point of a line ``x + y = 1`` (or a plane ``x + y + z = 1``) is
non-dominated when every column is minimised (or every one maximised); a grid's
front is its one best corner.
"""

import time

import numpy as np
import pytest

import studies.pareto as pareto
from studies.pareto import non_dominated

#: 100,000 designs of three outputs take about 0.3 s here; the bound leaves room for a
#: slow shared machine while still failing an accidental O(n^2 k) path (minutes).
LARGE_FRONT_SECONDS = 10.0


def brute_force_front(values, senses):
    """The definition, O(n^2) in plain Python."""
    rows = [list(map(float, row)) for row in np.asarray(values, dtype=float)]
    sign = [1.0 if s == "min" else -1.0 for s in senses]
    rows = [[v * s for v, s in zip(row, sign, strict=True)] for row in rows]
    valid = [not any(np.isnan(v) for v in row) for row in rows]
    front = []
    for i, p in enumerate(rows):
        if not valid[i]:
            front.append(False)
            continue
        dominated = any(
            valid[j]
            and all(a <= b for a, b in zip(q, p, strict=True))
            and any(a < b for a, b in zip(q, p, strict=True))
            for j, q in enumerate(rows)
            if j != i
        )
        front.append(not dominated)
    return np.array(front, dtype=bool)


def random_set(rng, n, k, *, levels, nan_share=0.1, inf_share=0.0):
    """Whole numbers in ``[0, levels)`` (ties and duplicates), some NaN and infinite cells,
    and some rows copied."""
    values = rng.integers(0, levels, size=(n, k)).astype(float)
    copies = rng.integers(0, n, size=n // 10)
    values[rng.integers(0, n, size=copies.size)] = values[copies]
    values[rng.random((n, k)) < nan_share / k] = np.nan
    infinite = rng.random((n, k)) < inf_share
    values[infinite] = rng.choice([-np.inf, np.inf], size=int(infinite.sum()))
    return values


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [2, 3, 4])
def test_random_sets_match_the_brute_force_oracle(seed, k):
    rng = np.random.default_rng(1000 * k + seed)
    n = int(rng.integers(1, 120))
    values = random_set(rng, n, k, levels=int(rng.integers(2, 12)), inf_share=0.02)
    senses = list(rng.choice(["min", "max"], size=k))
    np.testing.assert_array_equal(non_dominated(values, senses), brute_force_front(values, senses))


@pytest.mark.parametrize("k", [2, 3])
def test_continuous_values_match_the_oracle(k):
    rng = np.random.default_rng(7 + k)
    values = rng.normal(size=(300, k))
    values[::17] = np.nan
    senses = ["max"] + ["min"] * (k - 1)
    np.testing.assert_array_equal(non_dominated(values, senses), brute_force_front(values, senses))


def test_many_small_blocks_match_the_oracle(monkeypatch):
    """Blocks of 7 rows compared with the front 5 pairs at a time: every chunk boundary."""
    monkeypatch.setattr(pareto, "_BLOCK_ROWS", 7)
    monkeypatch.setattr(pareto, "_BLOCK_ELEMENTS", 5)
    rng = np.random.default_rng(3)
    for k in (3, 5):
        values = random_set(rng, 150, k, levels=4)
        senses = ["min", "max"] * 2 + ["min"]
        senses = senses[:k]
        np.testing.assert_array_equal(
            non_dominated(values, senses), brute_force_front(values, senses)
        )


def test_points_on_a_line_are_all_non_dominated():
    x = np.linspace(0.0, 1.0, 101)
    line = np.column_stack([x, 1.0 - x])
    assert non_dominated(line, ["min", "min"]).all()
    assert non_dominated(line, ["max", "max"]).all()
    # ... and with one column maximised, only the end that is best in both: x = 0, y = 1
    # maximised in y and minimised in x.
    np.testing.assert_array_equal(np.flatnonzero(non_dominated(line, ["min", "max"])), [0])


def test_points_on_a_plane_are_all_non_dominated():
    rng = np.random.default_rng(5)
    xy = rng.random((2000, 2))
    plane = np.column_stack([xy, 1.0 - xy.sum(axis=1)])
    assert non_dominated(plane, ["min"] * 3).all()
    assert non_dominated(plane, ["max"] * 3).all()


@pytest.mark.parametrize(
    ("senses", "corner"),
    [
        (["min", "min"], (0, 0)),
        (["max", "max"], (4, 9)),
        (["min", "max"], (0, 9)),
        (["max", "min"], (4, 0)),
    ],
)
def test_a_grid_front_is_its_corner(senses, corner):
    a, b = np.meshgrid(np.arange(5.0), np.arange(10.0), indexing="ij")
    grid = np.column_stack([a.ravel(), b.ravel()])
    front = non_dominated(grid, senses)
    assert [tuple(p) for p in grid[front]] == [corner]


def test_a_3d_grid_front_is_its_corner():
    axes = np.meshgrid(np.arange(4.0), np.arange(5.0), np.arange(6.0), indexing="ij")
    grid = np.column_stack([a.ravel() for a in axes])
    front = non_dominated(grid, ["max", "min", "max"])
    assert [tuple(p) for p in grid[front]] == [(3.0, 0.0, 5.0)]


def test_every_copy_of_a_front_point_is_on_the_front():
    values = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0], [2.0, 2.0], [0.0, 3.0]])
    np.testing.assert_array_equal(
        non_dominated(values, ["min", "min"]), [True, True, False, False, True]
    )
    values3 = np.column_stack([values, np.zeros(5)])
    np.testing.assert_array_equal(
        non_dominated(values3, ["min"] * 3), [True, True, False, False, True]
    )


@pytest.mark.parametrize("k", [2, 3])
def test_nan_rows_are_never_on_the_front_and_dominate_nothing(k):
    best = np.zeros(k)
    best[-1] = np.nan  # would dominate everything, were it not NaN
    values = np.vstack([best, np.ones(k), np.full(k, 2.0)])
    np.testing.assert_array_equal(non_dominated(values, ["min"] * k), [False, True, False])
    assert not non_dominated(np.full((4, k), np.nan), ["min"] * k).any()
    assert non_dominated(np.empty((0, k)), ["min"] * k).shape == (0,)


def test_equal_first_column_is_settled_by_the_second():
    """Same first output: the lower second one dominates; an equal second one with a lower
    first output dominates too."""
    values = np.array([[1.0, 5.0], [1.0, 3.0], [0.0, 3.0], [2.0, 1.0]])
    np.testing.assert_array_equal(non_dominated(values, ["min", "min"]), [False, False, True, True])


@pytest.mark.parametrize(
    ("values", "senses", "words"),
    [
        (np.zeros(5), ["min"], "two outputs"),
        (np.zeros((5, 1)), ["min"], "two outputs"),
        (np.zeros((5, 2)), ["min"], "one per column"),
        (np.zeros((5, 2)), "min", "one per column"),
        (np.zeros((5, 2)), ["min", "lower"], "senses[1] = 'lower'"),
    ],
)
def test_bad_arguments_are_refused(values, senses, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        non_dominated(values, senses)


def test_a_large_random_front_is_self_consistent_and_fast():
    """100,000 designs of three outputs: no front point dominates another, every other
    design is dominated by a front point (both checked by broadcasting here), in seconds."""
    rng = np.random.default_rng(11)
    values = rng.random((100_000, 3))
    values[::1000] = np.nan
    start = time.perf_counter()
    front = non_dominated(values, ["min", "max", "min"])
    elapsed = time.perf_counter() - start
    assert elapsed < LARGE_FRONT_SECONDS

    signed = values * np.array([1.0, -1.0, 1.0])
    best, rest = signed[front], signed[~front & ~np.isnan(values).any(axis=1)]
    assert 10 < len(best) < 1000  # a random front of 3 outputs holds ~(ln n)^2 / 2 designs

    def dominated_by_front(points):
        no_worse = (best[None] <= points[:, None]).all(axis=2)
        better = (best[None] < points[:, None]).any(axis=2)
        return (no_worse & better).any(axis=1)

    assert not dominated_by_front(best).any()
    assert all(dominated_by_front(rest[i : i + 5000]).all() for i in range(0, len(rest), 5000))

"""The `nearest` topology's candidates against a brute-force definition and the previous code.

Authorities: the definition written out over every pair (each satellite's others sorted by
distance, ties by index; the first ``nearest_search_depth(k) - 1`` nearer than the range;
of those the first ``k`` whose chord stays above the grazing altitude, the lowest point of
the chord from the closed form: the distance from the Earth's centre to the line when its
foot falls between the two satellites, else the nearer end's radius), and the code as it
was before issue 19, kept below verbatim, on Walker shells whose symmetry makes many equal
distances (where only the same k-d tree gives the same answer).
"""

import numpy as np
import pytest

from orbital.constants import EARTH_RADIUS_IERS_KM
from orbital.links import (
    _each_pair_once,
    links_close,
    nearest_candidates,
    nearest_edges,
    nearest_search_depth,
)

#: A chord this close to a limit (km) would make the closed form and the planner's formula
#: disagree by rounding alone; the random cases are checked to have none.
UNAMBIGUOUS_KM = 1e-6


def lowest_altitude_km(a, b):
    """Lowest altitude of the chords ``a``-``b`` ``(m, 3)``: closed form, see the module."""
    d = b - a
    foot_inside = (np.sum(-a * d, axis=1) > 0) & (np.sum(b * d, axis=1) > 0)
    to_line = np.linalg.norm(np.cross(a, b), axis=1) / np.linalg.norm(d, axis=1)
    ends = np.minimum(np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1))
    return np.where(foot_inside, to_line, ends) - EARTH_RADIUS_IERS_KM


def brute_force_candidates(positions, k, max_range_km, grazing_km):
    """The definition over every pair: ``{(i, j): length}`` with ``i < j``."""
    alive = np.flatnonzero(np.isfinite(positions).all(axis=1))
    p = positions[alive]
    depth = nearest_search_depth(k) - 1
    pairs = {}
    for row, u in enumerate(alive):
        dist = np.linalg.norm(p - p[row], axis=1)
        others = np.flatnonzero((np.arange(len(p)) != row) & (dist < max_range_km))
        others = others[np.lexsort((alive[others], dist[others]))][:depth]
        low = lowest_altitude_km(np.broadcast_to(p[row], (len(others), 3)), p[others])
        limits = np.concatenate([low - grazing_km, max_range_km - dist[others]])
        assert np.all(np.abs(limits) > UNAMBIGUOUS_KM), "a pair on a limit: pick another seed"
        closes = others[(low >= grazing_km) & (dist[others] <= max_range_km)][:k]
        for v in alive[closes]:
            pairs[(min(u, v), max(u, v))] = float(np.linalg.norm(positions[u] - positions[v]))
    return pairs


def random_cloud(rng, n, altitudes_km, failed_share):
    directions = rng.normal(size=(n, 3))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    radii = EARTH_RADIUS_IERS_KM + rng.choice(altitudes_km, size=n)
    positions = directions * radii[:, None]
    positions[rng.random(n) < failed_share] = np.nan
    return positions


def walker_shell(planes, per_plane, altitude_km, inclination_deg, phasing):
    """Circular Walker-delta positions at one instant (exact geometry: many equal distances)."""
    p, s = np.meshgrid(np.arange(planes), np.arange(per_plane), indexing="ij")
    raan = 2 * np.pi * p.ravel() / planes
    u = 2 * np.pi * (s.ravel() / per_plane + phasing * p.ravel() / (planes * per_plane))
    inc = np.radians(inclination_deg)
    r = EARTH_RADIUS_IERS_KM + altitude_km
    x = r * (np.cos(raan) * np.cos(u) - np.sin(raan) * np.sin(u) * np.cos(inc))
    y = r * (np.sin(raan) * np.cos(u) + np.cos(raan) * np.sin(u) * np.cos(inc))
    z = r * np.sin(u) * np.sin(inc)
    return np.column_stack([x, y, z])


def check_against_brute_force(positions, k, max_range_km, grazing_km):
    i, j, length = nearest_candidates(positions, k, max_range_km, grazing_km)
    assert np.all(i < j)
    key = i * len(positions) + j
    assert np.all(np.diff(key) > 0), "not each pair once, in increasing (i, j)"
    expected = brute_force_candidates(positions, k, max_range_km, grazing_km)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(expected)
    # The tree's distance and numpy's norm: the same three squares, summed in one order.
    np.testing.assert_allclose(length, [expected[p] for p in zip(i, j, strict=True)], rtol=1e-15)
    return len(i)


# (seed, n, altitudes km, failed share, k, range km, grazing km): dense and sparse, one or
# several altitudes (the nearest one hidden behind the Earth: a second, deeper query), k
# from 1 to 6, grazing 0 (formation clusters) to 500 km.
RANDOM_CASES = [
    (0, 2, [340.0], 0.0, 1, 20000.0, 80.0),
    (1, 40, [340.0], 0.1, 2, 8000.0, 80.0),
    (2, 300, [340.0, 2000.0], 0.05, 4, 5000.0, 80.0),
    (3, 300, [340.0, 550.0, 1200.0, 8000.0], 0.2, 3, 9000.0, 500.0),
    (4, 1500, [340.0, 550.0], 0.02, 4, 3000.0, 80.0),
    (5, 800, [550.0], 0.0, 6, 2000.0, 0.0),
    (6, 120, [340.0], 0.0, 5, 12000.0, 80.0),
]


@pytest.mark.parametrize("seed, n, altitudes, failed, k, max_range_km, grazing_km", RANDOM_CASES)
def test_candidates_of_random_clouds_match_the_definition(
    seed, n, altitudes, failed, k, max_range_km, grazing_km
):
    positions = random_cloud(np.random.default_rng(seed), n, altitudes, failed)
    check_against_brute_force(positions, k, max_range_km, grazing_km)


def test_candidates_of_a_jittered_shell_with_failures_match_the_definition():
    # A 40 x 50 shell moved by up to a metre (no two distances equal), 3 % failed: the
    # nearest are in-plane and cross-plane neighbours, some Earth-blocked at long range.
    rng = np.random.default_rng(7)
    positions = walker_shell(40, 50, 550.0, 53.0, 1) + rng.uniform(-1e-3, 1e-3, (2000, 3))
    positions[rng.random(2000) < 0.03] = np.nan
    assert check_against_brute_force(positions, 4, 5000.0, 80.0) > 2000


def previous_nearest_candidates(positions_km, k, max_range_km, min_grazing_altitude_km=80.0):
    """``nearest_candidates`` before issue 19, verbatim but for names."""
    from scipy.spatial import cKDTree

    pos = np.asarray(positions_km, dtype=float)
    index = np.flatnonzero(np.isfinite(pos).all(axis=1))
    n = len(index)
    if n < 2:
        return np.array([], int), np.array([], int), np.array([], float)
    points = pos[index]
    tree = cKDTree(points)
    wanted = min(n, max(4 * k, 16) + 1)
    first = min(n, k + 1)

    def first_feasible(rows, wanted):
        dist, nbr = tree.query(
            points[rows], k=wanted, distance_upper_bound=max_range_km, workers=-1
        )
        dist, nbr = dist.reshape(len(rows), -1), nbr.reshape(len(rows), -1)
        own = np.repeat(rows, dist.shape[1]).reshape(dist.shape)
        valid = np.isfinite(dist) & (nbr < len(points)) & (nbr != own)
        safe = np.where(valid, nbr, 0)
        feasible = valid & links_close(
            points[own], points[safe], max_range_km, min_grazing_altitude_km
        )
        rank = np.cumsum(feasible, axis=1)
        chosen = feasible & (rank <= k)
        short = rows[(rank[:, -1] < k) & np.isfinite(dist[:, -1])]
        return own[chosen], nbr[chosen], dist[chosen], short

    a, b, d, short = first_feasible(np.arange(n), first)
    if first < wanted and len(short):
        a2, b2, d2, _ = first_feasible(short, wanted)
        redo = np.isin(a, short)
        a, b, d = (np.concatenate([x[~redo], y]) for x, y in ((a, a2), (b, b2), (d, d2)))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first_seen = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    return index[lo[first_seen]], index[hi[first_seen]], d[first_seen]


# Exact Walker geometry, failures as NaN rows; the largest is 50,000 satellites.
SHELL_CASES = [
    ((20, 20, 550.0, 53.0, 1), 0.0, 4, 5000.0, 80.0),
    ((72, 22, 550.0, 53.0, 17), 0.05, 3, 3000.0, 80.0),
    ((36, 20, 340.0, 97.0, 0), 0.3, 4, 5000.0, 80.0),
    ((250, 200, 340.0, 53.0, 0), 0.02, 4, 5000.0, 80.0),
]


@pytest.mark.parametrize("shell, failed, k, max_range_km, grazing_km", SHELL_CASES)
def test_candidates_of_exact_shells_are_the_previous_code_s(
    shell, failed, k, max_range_km, grazing_km
):
    positions = walker_shell(*shell)
    rng = np.random.default_rng(shell[0])
    positions[rng.random(len(positions)) < failed] = np.nan
    got = nearest_candidates(positions, k, max_range_km, grazing_km)
    before = previous_nearest_candidates(positions, k, max_range_km, grazing_km)
    for now, then in zip(got, before, strict=True):
        assert np.array_equal(now, then)


def test_duplicate_positions_and_tiny_inputs_are_the_previous_code_s():
    # Satellites at one place: one's own row need not come first in the tree's answer.
    rng = np.random.default_rng(11)
    positions = random_cloud(rng, 200, [550.0], 0.0)
    positions[100:140] = positions[:40]
    positions[150:160] = positions[0]
    for cloud, k in (
        (positions, 3),
        (positions, 0),
        (positions[:1], 3),
        (positions[:2], 3),
        (np.full((3, 3), np.nan), 3),
    ):
        got = nearest_candidates(cloud, k, 5000.0)
        before = previous_nearest_candidates(cloud, k, 5000.0)
        for now, then in zip(got, before, strict=True):
            assert np.array_equal(now, then)


@pytest.mark.parametrize("offset_km", [-1e-4, -1e-7, 0.0, 1e-7, 1e-4])
def test_a_chord_on_the_grazing_limit_takes_the_exact_test(offset_km):
    # Two satellites at 550 km whose chord's midpoint (its lowest point) sits offset_km from
    # 80 km: within the sure bound's margin, so links_close decides, as before.
    r = EARTH_RADIUS_IERS_KM + 550.0
    half = np.arccos((EARTH_RADIUS_IERS_KM + 80.0 + offset_km) / r)
    positions = r * np.array([[np.cos(half), np.sin(half), 0.0], [np.cos(half), -np.sin(half), 0]])
    i, _, _ = nearest_candidates(positions, 1, 1e5)
    assert len(i) == int(links_close(positions[0], positions[1], 1e5))
    if abs(offset_km) > 1e-6:
        assert len(i) == (offset_km > 0)


def test_each_pair_once_without_room_to_pack():
    # Indices too large to share an int64 with their place: the argsort way, same answer.
    rng = np.random.default_rng(3)
    n = 2**32
    a, b = rng.integers(0, 50, 500) * 2**25, rng.integers(0, 50, 500) * 2**25
    keep = a != b
    a, b, d = a[keep], b[keep], rng.random(keep.sum())
    lo, hi, length = _each_pair_once(a, b, d, n)
    key = np.minimum(a, b) * n + np.maximum(a, b)
    _, first = np.unique(key, return_index=True)
    assert np.array_equal(lo * n + hi, key[first]) and np.array_equal(length, d[first])


def test_nearest_edges_of_a_shell_keep_within_the_terminals():
    positions = walker_shell(30, 30, 550.0, 53.0, 1)
    i, j = nearest_edges(positions, 4, 5000.0, 3)
    assert np.bincount(np.concatenate([i, j]), minlength=900).max() <= 3
    assert set(zip(i.tolist(), j.tolist(), strict=True)) <= set(
        zip(*[x.tolist() for x in nearest_candidates(positions, 4, 5000.0)[:2]], strict=True)
    )

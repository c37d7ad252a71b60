"""Planar lattices of passive relative orbits: the Suncatcher-like cluster and the refusals.

The 81-member cluster's spacing is checked on a numerical integration of all 81
satellites (point-mass Earth + J2, tests/relative_truth.py), not on the closed form.
Published figures: Suncatcher (arXiv:2511.19468): 81 satellites in the orbital plane,
within 1 km, at about 650 km, neighbours 100-200 m apart.
"""

import time

import numpy as np
import pytest
from relative_truth import integrate_lvlh

from orbital.formation import (
    check_no_collision,
    lattice_neighbour_pairs,
    lattice_points_m,
    lattice_states,
    nearest_neighbours_m,
    pair_distances_m,
    separation_metrics,
    sun_synchronous_inclination_rad,
    suncatcher_cluster,
)
from orbital.relative_motion import (
    EARTH_RADIUS_M,
    J2,
    MU_M3_S2,
    mean_drift_free_states,
    passive_relative_orbit_states,
    relative_positions_m,
    ss_rates,
)

RADIUS_M = EARTH_RADIUS_M + 650e3
INCLINATION_RAD = sun_synchronous_inclination_rad(RADIUS_M)
PERIOD_S = 2 * np.pi / ss_rates(RADIUS_M, INCLINATION_RAD)["frame_rate"]


@pytest.fixture(scope="module")
def cluster():
    states, points = suncatcher_cluster()
    return states, points


def test_sun_synchronous_inclination_at_650_km():
    """Vallado eq. 9-41 at 650 km gives 97.99 deg (Wertz, SMAD 3rd ed., fig. 6-11: ~98 deg)."""
    assert np.degrees(INCLINATION_RAD) == pytest.approx(97.99, abs=0.01)


def test_suncatcher_neighbours_are_100_to_200_m_apart_in_a_j2_integration(cluster):
    """Lattice neighbours' distances over one orbit of the true motion: 100 and 200 m +/- 15.

    Flown with the true field's drift-free velocities (``mean_drift_free_states``) from
    the equator crossing; member 0 is the chief, at the origin.
    """
    states, points = cluster
    assert states.shape == (81, 6)
    assert np.all(states[0] == 0)
    t = np.linspace(0.0, PERIOD_S, 181)
    speed = RADIUS_M * ss_rates(RADIUS_M, INCLINATION_RAD)["frame_rate"]
    truth = integrate_lvlh(
        states[1:],
        t,
        RADIUS_M,
        INCLINATION_RAD,
        speed,
        MU_M3_S2,
        EARTH_RADIUS_M,
        J2,
        u0=np.pi / 4,
    )
    truth = np.concatenate([np.zeros((1, t.size, 3)), truth])
    distances = pair_distances_m(truth, lattice_neighbour_pairs(points))
    assert distances.min() == pytest.approx(100.0, abs=15.0)
    assert distances.max() == pytest.approx(200.0, abs=15.0)
    assert np.linalg.norm(truth, axis=-1).max() <= 1000.0
    smallest, largest_nearest = separation_metrics(truth)
    assert smallest.min() == pytest.approx(100.0, abs=15.0)
    # A hexagonal lattice stretched 2:1: nearest neighbours at 100 m to sqrt(7/4) 100 m.
    assert largest_nearest.max() == pytest.approx(100 * np.sqrt(1.75), abs=15.0)


def test_suncatcher_outer_members_stay_bounded_in_a_two_day_j2_integration(cluster):
    """The 8 outermost members, flown with mean drift-free velocities: their along-track
    centres move under 3 m in two days and none goes beyond 1 km (measured 1.0 m; over
    10 days 8 m and 920 m).  With SS's condition they drift up to 2.5 km in 10 days."""
    states, _ = cluster
    outer = mean_drift_free_states(states[73:], RADIUS_M, INCLINATION_RAD, 0.0)
    step = PERIOD_S / 60
    t = np.arange(0.0, 2 * 86400.0 + step, step)
    speed = RADIUS_M * ss_rates(RADIUS_M, INCLINATION_RAD)["frame_rate"]
    truth = integrate_lvlh(
        outer,
        t,
        RADIUS_M,
        INCLINATION_RAD,
        speed,
        MU_M3_S2,
        EARTH_RADIUS_M,
        J2,
        rtol=1e-10,
        atol=1e-4,
    )
    centre_first = truth[:, :60, 1].mean(axis=1)
    orbits = (t.size - 1) // 60
    centre_last = truth[:, (orbits - 1) * 60 : orbits * 60, 1].mean(axis=1)
    assert np.abs(centre_last - centre_first).max() < 3.0, np.abs(centre_last - centre_first)
    assert np.linalg.norm(truth, axis=-1).max() < 1000.0


def test_suncatcher_is_bounded_over_10_days_in_ss(cluster):
    """No secular drift in SS: the cluster's extent on day 10 equals day 0's within 1 m."""
    states, _ = cluster
    t_first = np.linspace(0, PERIOD_S, 360)
    t_last = 10 * 86400.0 + t_first
    first = relative_positions_m(states, t_first, RADIUS_M, INCLINATION_RAD)
    last = relative_positions_m(states, t_last, RADIUS_M, INCLINATION_RAD)
    assert np.abs(last[..., 1]).max() - np.abs(first[..., 1]).max() < 1.0
    assert np.abs(last[..., 0]).max() - np.abs(first[..., 0]).max() < 1.0


def test_81_members_over_10_days_at_60_s_are_fast(cluster):
    states, _ = cluster
    t = np.arange(0.0, 10 * 86400.0, 60.0)
    start = time.perf_counter()
    positions = relative_positions_m(states, t, RADIUS_M, INCLINATION_RAD)
    elapsed = time.perf_counter() - start
    assert positions.shape == (81, t.size, 3)
    assert elapsed < 1.0


def _brute_nearest(positions):
    n = positions.shape[0]
    d = np.linalg.norm(positions[:, None] - positions[None, :], axis=-1)
    d[np.arange(n), np.arange(n)] = np.inf
    return d, d.min(axis=1)


@pytest.mark.parametrize(
    "positions",
    [
        np.random.default_rng(11).uniform(-500, 500, (30, 1500, 3)),  # three blocks of times
        # A flat cluster whose sweep axis flips, with exact ties (a square grid).
        np.stack(np.meshgrid(np.arange(6.0), np.arange(5.0), [0.0], indexing="ij"), -1)
        .reshape(30, 1, 3)
        .repeat(4, axis=1)
        * np.array([1.0, 3.0, 0.0])[None, None]
        * np.array([1.0, 0.1, 5.0, 1.0])[None, :, None],
        # Points on a line along one axis, plus one far off it.
        np.concatenate(
            [np.column_stack([np.zeros(29), np.zeros(29), np.arange(29.0)]), [[40.0, 0, 3]]]
        )[:, None, :].repeat(2, axis=1),
    ],
)
def test_separation_metrics_match_brute_force(positions):
    """Exact against numpy on every pair (the sweep does the arithmetic in another order:
    a few ulps of 1e3 m)."""
    smallest, largest, pairs = separation_metrics(positions, return_pairs=True)
    d, nearest = _brute_nearest(positions)
    np.testing.assert_allclose(smallest, nearest.min(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(largest, nearest.max(axis=0), rtol=1e-12, atol=1e-12)
    chosen = d[pairs[:, 0], pairs[:, 1], np.arange(positions.shape[1])]
    np.testing.assert_allclose(chosen, smallest, rtol=1e-12, atol=1e-12)
    each, partner = nearest_neighbours_m(positions)
    np.testing.assert_allclose(each, nearest.T, rtol=1e-12, atol=1e-12)
    index = np.arange(positions.shape[0])[None, :]
    t = np.arange(positions.shape[1])[:, None]
    np.testing.assert_allclose(d[index, partner, t], each, rtol=1e-12, atol=1e-12)


def test_rectangular_lattice_pitches_and_radius():
    points = lattice_points_m("rectangular", 200.0, 200.0, cluster_radius_m=1000.0)
    # At t = 0 the members stand 200 m apart radially and along-track within the ellipse
    # x^2 / 500^2 + y^2 / 1000^2 <= 1: 11 + 2 * 9 + 2 * 7 = 43 grid points.
    assert len(points) == 43
    states = lattice_states(points, RADIUS_M, INCLINATION_RAD, keep_out_m=50.0)
    np.testing.assert_allclose(np.unique(np.round(states[:, 0])), [-400, -200, 0, 200, 400])


def test_refusals():
    with pytest.raises(ValueError, match="do not fit a 1000 m cluster radius"):
        lattice_points_m("hexagonal", 100.0, cluster_radius_m=1000.0, n_members=100)
    points = lattice_points_m("hexagonal", 40.0, n_members=19)
    with pytest.raises(ValueError, match="below the keep-out distance"):
        lattice_states(points, RADIUS_M, INCLINATION_RAD, keep_out_m=50.0)
    # Same in-plane ellipse, one with a cross-track oscillation: they meet at z = 0.
    crossing = passive_relative_orbit_states(
        [200.0, 200.0], [0.0, 0.0], [0.0, 80.0], [0.0, 0.0], RADIUS_M, INCLINATION_RAD
    )
    with pytest.raises(ValueError, match="members 0 and 1 come"):
        check_no_collision(crossing, RADIUS_M, INCLINATION_RAD, keep_out_m=20.0)

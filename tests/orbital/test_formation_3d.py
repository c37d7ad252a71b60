"""The 3-D lattice of passive relative orbits (orbital.formation_3d): spacing, shading,
boundedness.

Independent authorities: the HCW motion written out here from the design's own equations
(x = u1, y = sqrt(3) q3 - 2 u2, z = -sqrt(3) u2, u = R(nt) q12); every pair's distance by
brute force (numpy over all pairs); a numerical integration of the satellites in inertial
space with point-mass + J2 (tests/relative_truth.py); the shading of
orbital.formation_shading (itself checked against a ray test in test_formation_shading).
"""

import numpy as np
import pytest
from relative_truth import integrate_lvlh

from orbital.formation import sun_synchronous_inclination_rad
from orbital.formation_3d import (
    DESIGN_MAP,
    design_matrices,
    guaranteed_spacing_m,
    lattice_3d_states,
    lattice_points_3d_m,
)
from orbital.formation_shading import shaded_fraction
from orbital.relative_motion import (
    EARTH_RADIUS_M,
    J2,
    MU_M3_S2,
    passive_relative_orbit_states,
    relative_positions_m,
    ss_rates,
)

RADIUS_M = EARTH_RADIUS_M + 650e3
INCLINATION_RAD = sun_synchronous_inclination_rad(RADIUS_M)
PERIOD_S = 2 * np.pi / ss_rates(RADIUS_M, INCLINATION_RAD)["n"]
SPACING_M = 100.0
SIDE_M = 10.0
#: The 81-member design of the preset suncatcher-81-3d.
BETA_MIN_DEG = 88.0


@pytest.fixture(scope="module")
def design():
    points = lattice_points_3d_m(
        SPACING_M, RADIUS_M, INCLINATION_RAD, 1000.0, 81, SIDE_M, BETA_MIN_DEG
    )
    return points, lattice_3d_states(points, RADIUS_M, INCLINATION_RAD, 50.0)


def brute_force_min_separation(pos):
    """Smallest distance between any two members at each time, over every pair."""
    d = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    d[np.arange(len(pos)), np.arange(len(pos))] = np.inf
    return d.min(axis=(0, 1))


def test_the_design_map_has_singular_values_3_1_1():
    """A^T A = [[1, 0, 0], [0, 7, -2 sqrt 3], [0, -2 sqrt 3, 3]]: eigenvalues 1, 1 and 9."""
    s = np.sqrt(3.0)
    ata = np.array([[1.0, 0, 0], [0, 7.0, -2 * s], [0, -2 * s, 3.0]])
    np.testing.assert_allclose(DESIGN_MAP.T @ DESIGN_MAP, ata, atol=1e-15)
    np.testing.assert_allclose(np.linalg.eigvalsh(ata), [1.0, 1.0, 9.0], atol=1e-12)


def test_no_cross_track_gain_or_along_track_stacking_beats_a_ratio_of_3():
    """``[[1, 0, 0], [0, -2, c], [k1, k2, 0]]`` (any cross-track gains ``k1``, ``k2`` in
    phase with x and y, any stacking ``c``) on a grid over [-4, 4]: condition number never
    below 3, reached at the design's (0, -sqrt 3, sqrt 3) to 1e-9."""
    g = np.linspace(-4.0, 4.0, 41)
    k1, k2, c = (a.ravel() for a in np.meshgrid(g, g, g, indexing="ij"))
    a = np.zeros((k1.size, 3, 3))
    a[:, 0, 0], a[:, 1, 1], a[:, 1, 2], a[:, 2, 0], a[:, 2, 1] = 1.0, -2.0, c, k1, k2
    sigma = np.linalg.svd(a, compute_uv=False)
    with np.errstate(divide="ignore"):
        ratio = sigma[:, 0] / sigma[:, -1]
    assert ratio.min() >= 3.0 - 0.02  # the grid's nearest points to the optimum
    assert np.linalg.cond(DESIGN_MAP) == pytest.approx(3.0, abs=1e-9)


def test_in_hcw_the_states_fly_the_designed_motion():
    """Without J2 each member is ``A R3(nt) q``, written out here, to a micrometre."""
    rng = np.random.default_rng(3)
    q = rng.normal(scale=300.0, size=(5, 3))
    states = lattice_3d_states(q, RADIUS_M, INCLINATION_RAD, 0.0, j2=0.0)
    n = np.sqrt(MU_M3_S2 / RADIUS_M**3)
    t = np.linspace(0.0, 2 * np.pi / n, 50)
    got = relative_positions_m(states, t, RADIUS_M, INCLINATION_RAD, 0.0, j2=0.0)
    c, s = np.cos(n * t), np.sin(n * t)
    u1 = q[:, :1] * c - q[:, 1:2] * s
    u2 = q[:, :1] * s + q[:, 1:2] * c
    want = np.stack([u1, np.sqrt(3) * q[:, 2:] - 2 * u2, -np.sqrt(3) * u2], axis=-1)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_81_members_keep_the_guaranteed_spacing_by_brute_force_over_an_orbit(design):
    points, states = design
    assert points.shape == (81, 3) and np.all(states[0] == 0)  # the chief is a member
    t = np.linspace(0.0, PERIOD_S, 720)
    pos = relative_positions_m(states, t, RADIUS_M, INCLINATION_RAD)
    brute = brute_force_min_separation(pos)
    bound = guaranteed_spacing_m(points, t, RADIUS_M, INCLINATION_RAD)
    # The bound is a bound at every time, and it is the spacing asked (0.1 % margin).
    assert np.all(brute >= bound - 1e-9)
    assert bound.min() >= SPACING_M
    assert brute.min() == pytest.approx(SPACING_M, abs=1.0)  # measured 100.5 m
    # Within the 1 km radius; 81 members reach 665 m (the planar lattice's 917 m).
    assert np.linalg.norm(pos, axis=-1).max() <= 700.0


def test_the_spacing_holds_in_a_j2_integration_over_an_orbit(design):
    """The 12 members nearest the chief and the chief, integrated in the true J2 field:
    no pair closer than the spacing less SS's error (1.2 % of a kilometre offset, see
    docs/design.md: 7.9 m at 650 km).  Measured: 100.5 m, SS within 4.7 m of the
    integration for these members, all within 294 m of the chief."""
    points, states = design
    t = np.linspace(0.0, PERIOD_S, 181)
    speed = RADIUS_M * ss_rates(RADIUS_M, INCLINATION_RAD)["frame_rate"]
    truth = integrate_lvlh(
        states[1:13], t, RADIUS_M, INCLINATION_RAD, speed, MU_M3_S2, EARTH_RADIUS_M, J2
    )
    truth = np.concatenate([np.zeros((1, t.size, 3)), truth])
    assert brute_force_min_separation(truth).min() >= SPACING_M - 8.0


def test_no_array_is_shaded_over_the_designs_beta_range_and_some_are_below_it(design):
    """Sun directions at beta 88, 89 and 90 deg and 12 azimuths, each over an orbit of the
    members' motion: zero.  At beta 60 deg (a dawn-dusk solstice) the same cluster shades."""
    _, states = design
    t = np.linspace(0.0, PERIOD_S, 120, endpoint=False)
    pos = relative_positions_m(states, t, RADIUS_M, INCLINATION_RAD)

    def worst(betas_deg):
        azimuth = np.linspace(0.0, 2 * np.pi, 12, endpoint=False)
        b, a, k = np.meshgrid(np.radians(betas_deg), azimuth, np.arange(t.size), indexing="ij")
        sun = np.stack([np.cos(b) * np.cos(a), np.cos(b) * np.sin(a), np.sin(b)], -1)
        reps = sun.shape[0] * sun.shape[1]
        return shaded_fraction(np.tile(pos, (1, reps, 1)), sun.reshape(-1, 3), SIDE_M).max()

    assert worst([88.0, 89.0, 90.0]) == 0.0
    assert worst([60.0]) > 0.0


def test_the_along_track_centres_stay_within_a_metre_over_10_days(design):
    """Orbit-mean along-track positions of every member, first orbit against the 147th:
    under 1 m (measured 0.05 m).  The same amplitudes as SS's plain PROs, whose cross-track
    inclination difference drifts them along-track, move hundreds of metres."""
    points, states = design
    orbits = int(10 * 86400 / PERIOD_S)
    t = np.arange(orbits * 48) * (PERIOD_S / 48)

    def centre_shift(s):
        y = relative_positions_m(s, t, RADIUS_M, INCLINATION_RAD)[..., 1]
        y = y.reshape(len(s), orbits, 48).mean(axis=-1)
        return np.abs(y[:, -1] - y[:, 0]).max()

    assert centre_shift(states) < 1.0
    amplitude = np.hypot(points[:, 0], points[:, 1])
    phase = np.arctan2(points[:, 1], points[:, 0])
    plain = passive_relative_orbit_states(
        amplitude, phase, np.sqrt(3) * amplitude, phase + np.pi / 2, RADIUS_M,
        INCLINATION_RAD, np.sqrt(3) * points[:, 2],
    )  # fmt: skip
    assert centre_shift(plain) > 100.0


def test_the_bound_holds_over_10_days_as_j2_shears_the_lattice(design):
    """J2's differential nodal regression grows the cross-track motion: the guaranteed
    spacing falls (measured 88 m after a day, 41 m after 5), and stays a lower bound.  The
    bound is the smallest singular value of ``M(t)`` times the lattice pitch."""
    points, states = design
    t = np.linspace(0.0, 10 * 86400.0, 500)
    pos = relative_positions_m(states, t, RADIUS_M, INCLINATION_RAD)
    bound = guaranteed_spacing_m(points, t, RADIUS_M, INCLINATION_RAD)
    assert np.all(brute_force_min_separation(pos) >= bound - 1e-9)
    day = np.searchsorted(t, 86400.0)
    assert 80.0 < bound[day] < SPACING_M
    # Below the 50 m keep-out within the 10 days: the design needs cross-track keeping.
    assert bound.min() < 50.0
    sigma = np.linalg.svd(design_matrices(t, RADIUS_M, INCLINATION_RAD), compute_uv=False)
    np.testing.assert_allclose(bound, sigma[:, -1] * bound[0] / sigma[0, -1], rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(cluster_radius_m=300.0, n_members=81), "only 15 do"),
        (dict(), "give a cluster_radius_m"),
        # 100 km at 100 m: about 6e6 FCC points within reach, over the 2e6 it weighs.
        (dict(cluster_radius_m=100_000.0), "lattice points to weigh"),
    ],
)
def test_refusals(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lattice_points_3d_m(SPACING_M, RADIUS_M, INCLINATION_RAD, **kwargs)


def test_a_spacing_below_keep_out_is_refused():
    points = lattice_points_3d_m(40.0, RADIUS_M, INCLINATION_RAD, n_members=13)
    with pytest.raises(ValueError, match="below the keep-out distance 50"):
        lattice_3d_states(points, RADIUS_M, INCLINATION_RAD, 50.0)


#: plane_keeping_m_s_per_year takes J2's nodal regression alone; SGP4's secular node rate
#: (Satrec.nodedot) adds J2^2 and J4, about 0.1 % of the rate's derivative at 650 km.
J2_ONLY_NODE_RATE = 0.01


def test_plane_keeping_holds_each_members_node_against_sgp4s_differential_regression(design):
    """The delta-v a year that holds each member's plane: v sin(i) |d(node rate)| over a
    Julian year, the node rates SGP4's own at the member's and the chief's inclinations;
    zero for a planar lattice, whose members share the chief's plane."""
    from orbital.constants import EARTH_RADIUS_WGS72_KM, SECONDS_PER_DAY
    from orbital.elements import sgp4_node_rate_rad_min
    from orbital.formation_3d import plane_keeping_m_s_per_year
    from orbital.relative_motion import cross_track_elements

    _, states = design
    dv = plane_keeping_m_s_per_year(states, RADIUS_M, INCLINATION_RAD)
    di, _ = cross_track_elements(states, RADIUS_M, INCLINATION_RAD)
    altitude_km = RADIUS_M / 1e3 - EARTH_RADIUS_WGS72_KM
    chief_deg = np.degrees(INCLINATION_RAD)
    outer = int(np.argmax(np.abs(di)))
    member_deg = chief_deg + np.degrees(di[outer])
    d_rate = (
        sgp4_node_rate_rad_min(altitude_km, member_deg)
        - sgp4_node_rate_rad_min(altitude_km, chief_deg)
    ) / 60.0
    speed = np.sqrt(MU_M3_S2 / RADIUS_M)
    expected = speed * np.sin(INCLINATION_RAD) * abs(d_rate) * 365.25 * SECONDS_PER_DAY
    assert dv[outer] == pytest.approx(expected, rel=J2_ONLY_NODE_RATE)
    assert dv.max() == dv[outer] and 1.0 < dv[outer] < 100.0  # m/s a year, not cm/s or km/s
    planar = passive_relative_orbit_states(
        np.array([100.0, 200.0]), np.array([0.0, 1.0]), 0.0, 0.0, RADIUS_M, INCLINATION_RAD
    )
    np.testing.assert_allclose(
        plane_keeping_m_s_per_year(planar, RADIUS_M, INCLINATION_RAD), 0.0, atol=1e-9
    )

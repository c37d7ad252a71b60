"""Earth's shadow (orbital/shadow.py) against authorities other than the code under test.

Authorities:

* plane geometry of two disks: the closed forms at the edges of the penumbra and where a
  nearly straight limb crosses the Sun's centre (the sliver the limb's curvature leaves);
* a numeric strip integral of the Sun's disk outside the Earth's disk, which knows nothing of
  the two-circle lens formula the code uses;
* :func:`conical_visible_fraction`, once checked against that integral, for the streamed
  :class:`ShadowStream` and for the cylindrical shadow;
* Skyfield's ``is_sunlit`` with JPL's DE421 (``skyfield-data``) along SGP4 orbits of planner
  satellites, for the planner's positions and astropy Sun.
"""

import math

import numpy as np
import pytest
from skyfield.api import EarthSatellite
from skyfield.constants import ERAD

from constellations.io.scenario import load_scenario
from constellations.model.constellation import Constellation, Shell
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital.constants import EARTH_RADIUS_IERS_KM, SUN_RADIUS_KM
from orbital.propagation import collect, propagate_walker
from orbital.shadow import (
    ShadowStream,
    conical_visible_fraction,
    cylindrical_sunlit,
    visible_fraction_from_angles,
)
from orbital.sun import sun_gcrs_km
from orbital.times import TimeGrid

#: Astronomical unit and the Earth's orbit's extremes, km (IAU 2012 B2; perihelion and aphelion
#: distances 0.98329 and 1.01671 au).
AU_KM = 149_597_870.7
PERIHELION_KM = 0.98329 * AU_KM
APHELION_KM = 1.01671 * AU_KM
#: The lowest and highest altitudes a shell may have (orbital/constants.py), km.
LOWEST_KM, HIGHEST_KM = 150.0, 2000.0

#: Apparent radii of the Sun at 1 au and of the Earth at 340 km, rad.
SUN_1AU_RAD = math.asin(SUN_RADIUS_KM / AU_KM)
EARTH_340_RAD = math.asin(EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + 340.0))

#: Strips of the reference integral.  Its own error, measured by doubling the strips, is below
#: 3e-9 (tested below); the lens formula must agree with it to 1e-8 of the disk.
REFERENCE_STRIPS = 200_000
REFERENCE_SELF_TOL = 3e-9
REFERENCE_TOL = 1e-8

#: Where the Sun's centre sits on the Earth's limb (c = b) the limb is not straight: the Earth's
#: disk leaves uncovered a sliver between its limb and the limb's tangent through the Sun's
#: centre, of area integral(s^2 / 2b, s = -a..a) = a^3 / 3b.  So the visible fraction is
#: 0.5 + a / (3 pi b), 3.9e-4 above a half at 340 km.  The next term is smaller by (a/b)^2.
LIMB_SLIVER_TOL = 1e-7

#: The lens formula subtracts terms of size b^2 acos(.) from a lens of size a^2: float rounding
#: near the edges is amplified by (b/a)^2 ~ 7e4.  Measured noise between neighbouring values of
#: c at least 5e-9 rad inside the edges: 3e-7.  A fraction must not decrease by more than this.
MONOTONE_ROUNDING_TOL = 1e-6

#: Continuity at the edges: at c = a + b and c = b - a the fraction must be its edge value, and
#: 1e-10 rad inside the edges it may differ from it only by the true lens there,
#: (4 sqrt 2 / 3 pi) (1e-10 / a)^1.5 < 1e-11.  Allowed: 1e-9 of the disk.
EDGE_DEPTH_RAD = 1e-10
CONTINUITY_TOL = 1e-9

#: Deep in the umbra the fraction is 1 - (a*a*pi) / (pi*a*a): a few units of float rounding.
UMBRA_ROUNDING_TOL = 4.0 * np.finfo(float).eps


def small_lens_fraction(depth_rad, sun_rad):
    """Share of a disk of radius ``sun_rad`` cut off by a nearly straight edge ``depth_rad`` deep.

    Circular segment of height ``w``: (4/3) sqrt(2 a) w^1.5, over pi a^2 (w << a).
    """
    return 4.0 * math.sqrt(2.0) / (3.0 * math.pi) * (depth_rad / sun_rad) ** 1.5


#: ShadowStream's cone test gives the cones the Earth's radius R at the plane through the
#: Earth's centre; the cones tangent to the Earth have R / cos(f) there (f the penumbra
#: half-angle, asin((R_sun + R) / d) = 0.27 deg): the streamed penumbra is 70 m too narrow.
#: Seen from the nearest a LEO satellite can be to the limb, sqrt(2 R h) at h = 150 km, such a
#: point hides a lens of the Sun's disk 70 m / 1383 km = 5e-5 rad deep: 7e-4 of the disk
#: (at aphelion, the smallest Sun).  A 1.5 margin covers the small-lens approximation.
CONE_EDGE_KM = EARTH_RADIUS_IERS_KM * (
    1.0 / math.cos(math.asin((SUN_RADIUS_KM + EARTH_RADIUS_IERS_KM) / PERIHELION_KM)) - 1.0
)
NEAREST_LIMB_KM = math.sqrt(2.0 * EARTH_RADIUS_IERS_KM * LOWEST_KM)
SUN_APHELION_RAD = math.asin(SUN_RADIUS_KM / APHELION_KM)
CONE_TEST_TOL = 1.5 * small_lens_fraction(CONE_EDGE_KM / NEAREST_LIMB_KM, SUN_APHELION_RAD)
#: float32 positions are rounded to half a float32 step at the highest shell (8378 km), in each
#: of three components.  Across the penumbra the fraction changes at most by 2 / (pi a) per rad
#: (a chord through the centre), and a displacement d is d / 1383 km of angle at worst.
FLOAT32_POSITION_KM = (
    0.5 * float(np.spacing(np.float32(EARTH_RADIUS_IERS_KM + HIGHEST_KM))) * 3**0.5
)
FLOAT32_TOL = 2.0 / (math.pi * SUN_APHELION_RAD) * FLOAT32_POSITION_KM / NEAREST_LIMB_KM
CONE_TEST_TOL_32 = 1.5 * small_lens_fraction(
    (CONE_EDGE_KM + FLOAT32_POSITION_KM) / NEAREST_LIMB_KM, SUN_APHELION_RAD
)

#: The cylinder's edge (distance R from the Earth-Sun line) is where the Sun's centre is on the
#: limb for a Sun at infinity, mid-penumbra (fraction 0.5 + 4e-4, see LIMB_SLIVER_TOL).  The
#: Sun at 1 au is seen from the satellite up to (8378 km / 1 au) = 5.7e-5 rad off the
#: Earth-Sun line, 1.2 % of its radius: the fraction at the cylinder's edge is within
#: 2 / pi * 0.012 = 0.008 of a half.  Allowed: 0.02.
CYLINDER_MID_PENUMBRA_TOL = 0.02

#: Skyfield's is_sunlit asks whether the line to the Sun's centre misses the Earth: the angle
#: test c >= b.  The planner's geometry differs from it by astropy's apparent Sun against
#: DE421's geometric one (20.5" of aberration, 1e-4 rad) and 10 m of SGP4/frame rounding,
#: which moves a shadow edge by at most 0.3 s at the beta angles flown.  A sample may disagree
#: with Skyfield only if Skyfield's own answer changes within this many seconds of it.
EDGE_TIMING_TOL_S = 2.0

EPOCH = "2027-01-01T00:00:00Z"


# --------------------------------------------------------------------------- helpers


def visible_fraction_by_strips(a, b, c, strips=REFERENCE_STRIPS):
    """Visible share of a disk of radius ``a`` at the origin behind one of radius ``b`` at (c, 0).

    Integrates, over strips across the line of centres (``v = a sin t``, midpoints in ``t``),
    the length of each strip of the Sun's disk that the Earth's disk covers.
    """
    t = (np.arange(strips) + 0.5) * (np.pi / strips) - 0.5 * np.pi
    v = a * np.sin(t)
    dv = a * np.cos(t) * (np.pi / strips)
    half_sun = np.sqrt(np.maximum(a * a - v * v, 0.0))
    half_earth = np.sqrt(np.maximum(b * b - v * v, 0.0))
    lo = np.maximum(-half_sun, c - half_earth)
    hi = np.minimum(half_sun, c + half_earth)
    covered = np.where(np.abs(v) < b, np.maximum(hi - lo, 0.0), 0.0)
    return 1.0 - np.sum(covered * dv) / (np.pi * a * a)


def sun_frame(sun_km):
    """Unit vectors ``(e_sun, e2, e3)``, each ``(n_t, 3)``, right-handed, e_sun towards the Sun."""
    e1 = sun_km / np.linalg.norm(sun_km, axis=-1, keepdims=True)
    helper = np.where(np.abs(e1[:, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
    e2 = np.cross(e1, helper)
    e2 /= np.linalg.norm(e2, axis=-1, keepdims=True)
    return e1, e2, np.cross(e1, e2)


def random_suns(rng, n_t):
    """Sun positions ``(n_t, 3)`` km: random directions between perihelion and aphelion."""
    direction = rng.normal(size=(n_t, 3))
    direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
    return direction * rng.uniform(PERIHELION_KM, APHELION_KM, n_t)[:, None]


def leo_points(rng, sun_km, n):
    """Positions ``(n, n_t, 3)`` km at 150-2000 km: half within 40 km of the shadow's edge.

    The near-edge half is placed behind the Earth at a distance from the Earth-Sun line of
    R +- 40 km, which spans the penumbra and both sides of it at every LEO altitude.
    """
    n_t = len(sun_km)
    e1, e2, e3 = sun_frame(sun_km)
    radius = EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, (n, n_t))
    near = np.arange(n) < n // 2
    perp = np.where(
        near[:, None],
        EARTH_RADIUS_IERS_KM + rng.uniform(-40.0, 40.0, (n, n_t)),
        radius * rng.uniform(0.0, 1.0, (n, n_t)),
    )
    along = np.sqrt(radius**2 - perp**2) * np.where(
        near[:, None], -1.0, rng.choice([-1.0, 1.0], (n, n_t))
    )
    angle = rng.uniform(0.0, 2.0 * np.pi, (n, n_t))
    side = np.cos(angle)[..., None] * e2 + np.sin(angle)[..., None] * e3
    return along[..., None] * e1 + perp[..., None] * side


def sun_centre_angles(r_km, sun_km):
    """``(c, b)`` rad: the angle between the Earth's and the Sun's centres, the Earth's radius."""
    to_sun = sun_km - r_km
    d_sun = np.linalg.norm(to_sun, axis=-1)
    d_earth = np.linalg.norm(r_km, axis=-1)
    cos_c = -np.sum(r_km * to_sun, axis=-1) / (d_earth * d_sun)
    return np.arccos(np.clip(cos_c, -1.0, 1.0)), np.arcsin(EARTH_RADIUS_IERS_KM / d_earth)


def sun_gcrs_interpolated(grid: TimeGrid, knot_step_s=3600.0):
    """astropy's apparent Sun (orbital.sun) at hourly knots, linear in between, ``(n_t, 3)`` km.

    The Sun moves 0.041 deg an hour: a chord bends its direction by (7.2e-4 rad)^2 / 8 = 6e-8
    rad at most, far below the 1e-4 rad of aberration that separates it from DE421's.
    """
    t0, t1 = float(grid.t_s.min()), float(grid.t_s.max())
    knots = TimeGrid.from_offsets(grid.epoch, np.arange(t0, t1 + knot_step_s, knot_step_s))
    sun = sun_gcrs_km(*knots.sgp4_dates())
    return np.stack([np.interp(grid.t_s, knots.t_s, sun[:, k]) for k in range(3)], axis=-1)


# --------------------------------------------------------------------------- closed forms


def test_full_sun_on_the_day_side_and_beyond_the_penumbra():
    rng = np.random.default_rng(11)
    sun = random_suns(rng, 16)
    e1, e2, _ = sun_frame(sun)
    radius = EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, (500, 16, 1))
    tilt = rng.uniform(0.0, 0.5 * np.pi, (500, 16, 1))  # sunward hemisphere
    day = radius * (np.cos(tilt) * e1 + np.sin(tilt) * e2)
    assert np.all(conical_visible_fraction(day, sun) == 1.0)
    a = np.arcsin(SUN_RADIUS_KM / rng.uniform(PERIHELION_KM, APHELION_KM, 1000))
    b = np.arcsin(
        EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, 1000))
    )
    c = (a + b) * (1.0 + rng.uniform(1e-9, 1.0, 1000))
    assert np.all(visible_fraction_from_angles(a, b, c) == 1.0)


def test_nothing_visible_deep_in_the_umbra():
    rng = np.random.default_rng(12)
    sun = random_suns(rng, 16)
    e1, e2, e3 = sun_frame(sun)
    radius = EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, (500, 16, 1))
    # Within 1000 km of the anti-Sun axis: far inside the umbra cone at any LEO altitude.
    off = rng.uniform(0.0, 1000.0, (500, 16, 1))
    side = rng.uniform(0.0, 2 * np.pi, (500, 16, 1))
    night = -np.sqrt(radius**2 - off**2) * e1 + off * (np.cos(side) * e2 + np.sin(side) * e3)
    fraction = conical_visible_fraction(night, sun)
    assert np.all((0.0 <= fraction) & (fraction <= UMBRA_ROUNDING_TOL))
    a = np.arcsin(SUN_RADIUS_KM / rng.uniform(PERIHELION_KM, APHELION_KM, 1000))
    b = np.arcsin(
        EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, 1000))
    )
    c = (b - a) * rng.uniform(0.0, 1.0 - 1e-9, 1000)
    fraction = visible_fraction_from_angles(a, b, c)
    assert np.all((0.0 <= fraction) & (fraction <= UMBRA_ROUNDING_TOL))


def leo_angle_pairs(n=2000, seed=13):
    rng = np.random.default_rng(seed)
    a = np.arcsin(SUN_RADIUS_KM / rng.uniform(PERIHELION_KM, APHELION_KM, n))
    b = np.arcsin(
        EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + rng.uniform(LOWEST_KM, HIGHEST_KM, n))
    )
    return a, b


@pytest.mark.parametrize("edge", ["penumbra-outer", "umbra"])
def test_fraction_is_continuous_at_the_cone_edges(edge):
    a, b = leo_angle_pairs()
    if edge == "penumbra-outer":
        at_edge = visible_fraction_from_angles(a, b, a + b)
        inside = visible_fraction_from_angles(a, b, a + b - EDGE_DEPTH_RAD)
        expected = 1.0
    else:
        at_edge = visible_fraction_from_angles(a, b, b - a)
        inside = visible_fraction_from_angles(a, b, b - a + EDGE_DEPTH_RAD)
        expected = 0.0
    np.testing.assert_allclose(at_edge, expected, rtol=0, atol=CONTINUITY_TOL)
    np.testing.assert_allclose(inside, expected, rtol=0, atol=CONTINUITY_TOL)


@pytest.mark.parametrize("altitude_km", [LOWEST_KM, 340.0, 1000.0, HIGHEST_KM])
@pytest.mark.parametrize("sun_km", [PERIHELION_KM, APHELION_KM])
def test_half_the_disk_when_the_limb_crosses_the_suns_centre(altitude_km, sun_km):
    a = math.asin(SUN_RADIUS_KM / sun_km)
    b = math.asin(EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + altitude_km))
    sliver = a / (3.0 * math.pi * b)
    fraction = float(visible_fraction_from_angles(a, b, b))
    assert fraction == pytest.approx(0.5 + sliver, abs=LIMB_SLIVER_TOL)
    # The tolerance resolves the limb's curvature: a straight limb (0.5) is outside it.
    assert abs(fraction - 0.5) > 0.5 * sliver > LIMB_SLIVER_TOL


@pytest.mark.parametrize("altitude_km", [LOWEST_KM, 340.0, HIGHEST_KM])
def test_fraction_grows_monotonically_across_the_penumbra(altitude_km):
    a = SUN_1AU_RAD
    b = math.asin(EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + altitude_km))
    c = np.linspace(b - a, b + a, 400_001)[1:-1]  # edges apart: see the continuity test
    fraction = visible_fraction_from_angles(a, b, c)
    assert np.all(np.diff(fraction) >= -MONOTONE_ROUNDING_TOL)
    assert fraction[0] < 1e-6 and fraction[-1] > 1.0 - 1e-6  # it does cross the penumbra
    assert np.all(np.diff(fraction[::1000]) > 0.0)  # and grows, beyond the rounding noise


def overlap_cases():
    a, b = SUN_1AU_RAD, EARTH_340_RAD
    cases = [
        pytest.param(a, b, b - a + 2 * a * q, id=f"leo340-q{q:g}")
        for q in (1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999)
    ]
    a_near = math.asin(SUN_RADIUS_KM / PERIHELION_KM)
    b_high = math.asin(EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + HIGHEST_KM))
    cases += [
        pytest.param(a_near, b_high, b_high + 0.3 * a_near, id="leo2000-perihelion"),
        pytest.param(a, math.asin(EARTH_RADIUS_IERS_KM / 42_164.0), 0.1500, id="geo"),
        pytest.param(a, math.radians(0.95), math.radians(0.95) - 0.4 * a, id="lunar-distance"),
        pytest.param(0.01, 0.01, 0.005, id="equal-disks"),
    ]
    return cases


@pytest.mark.parametrize(("a", "b", "c"), overlap_cases())
def test_overlap_matches_a_numeric_integral_over_the_suns_disk(a, b, c):
    reference = visible_fraction_by_strips(a, b, c)
    finer = visible_fraction_by_strips(a, b, c, strips=2 * REFERENCE_STRIPS)
    assert abs(finer - reference) < REFERENCE_SELF_TOL
    assert 0.0 < reference < 1.0  # a penumbra case, not a clipped one
    assert float(visible_fraction_from_angles(a, b, c)) == pytest.approx(
        reference, abs=REFERENCE_TOL
    )


# Far from the Earth (beyond 1.37 million km) the Sun looks bigger than the Earth: annular.
SUN_BIGGER = [
    (0.01, 0.005, 0.0),
    (0.01, 0.005, 0.002),
    (0.01, 0.005, 0.007),
    (0.01, 0.005, 0.012),
    (0.01, 0.005, 0.02),
]


def test_sun_bigger_than_the_earth_arrays_match_the_integral_and_the_annulus():
    a, b, c = (np.array(v) for v in zip(*SUN_BIGGER, strict=True))
    fraction = visible_fraction_from_angles(a, b, c)
    expected = [visible_fraction_by_strips(*case) for case in SUN_BIGGER]
    np.testing.assert_allclose(fraction, expected, rtol=0, atol=REFERENCE_TOL)
    assert fraction[0] == pytest.approx(1.0 - (0.005 / 0.01) ** 2, abs=1e-15)  # the annulus
    assert fraction[-1] == 1.0  # c > a + b


@pytest.mark.parametrize(
    ("a", "b", "c"), [SUN_BIGGER[1], (np.nan, 1.25, 1.2)], ids=["sun-bigger", "nan"]
)
def test_scalar_angles_work_like_arrays(a, b, c):
    scalar = visible_fraction_from_angles(a, b, c)
    array = visible_fraction_from_angles(np.array([a]), np.array([b]), np.array([c]))
    np.testing.assert_array_equal(np.asarray(scalar).reshape(1), array)


def test_nan_in_nan_out():
    rng = np.random.default_rng(14)
    sun = random_suns(rng, 6)
    r = leo_points(rng, sun, 10)
    r[3] = np.nan
    r[7, 2:] = np.nan  # a satellite that fails part-way
    fraction = conical_visible_fraction(r, sun)
    expected_nan = np.zeros((10, 6), dtype=bool)
    expected_nan[3] = True
    expected_nan[7, 2:] = True
    np.testing.assert_array_equal(np.isnan(fraction), expected_nan)
    angles = visible_fraction_from_angles(np.array([0.0046, np.nan]), np.array([1.25, 1.25]), 1.2)
    assert angles[0] == 0.0 and np.isnan(angles[1])


# --------------------------------------------------------------------------- ShadowStream


@pytest.fixture(scope="module")
def near_edge_points():
    rng = np.random.default_rng(21)
    sun = random_suns(rng, 12)
    r = leo_points(rng, sun, 20_000)
    return sun, r, conical_visible_fraction(r, sun)


def test_tolerances_are_what_the_geometry_says():
    """The derived tolerances, in numbers (so that a change of constants shows here)."""
    assert 0.06 < CONE_EDGE_KM < 0.08
    assert 5e-4 < CONE_TEST_TOL < 1.2e-3
    assert FLOAT32_TOL < 1e-4


def test_stream_equals_the_conical_fraction_in_float64(near_edge_points):
    sun, r, exact = near_edge_points
    stream = ShadowStream(sun, len(r))
    fraction = stream(r)
    assert fraction.dtype == np.float64 and fraction.shape == exact.shape
    penumbra = (exact > 0.0) & (exact < 1.0)
    assert penumbra.mean() > 0.2  # the sample does probe the penumbra
    difference = np.abs(fraction - exact)
    assert difference.max() <= CONE_TEST_TOL
    # Away from the outer edge of the penumbra the stream computes the exact geometry.
    assert np.all(difference[exact < 1.0 - CONE_TEST_TOL] <= 4 * np.finfo(float).eps)
    # What it gets wrong is a sliver of penumbra it reads as full sun.
    wrong = difference > 4 * np.finfo(float).eps
    assert np.all(fraction[wrong] == 1.0)


def test_stream_in_float32_agrees_within_float32_position_rounding(near_edge_points):
    sun, r, exact = near_edge_points
    stream = ShadowStream(sun, len(r), dtype=np.float32)
    fraction = stream(r.astype(np.float32)).astype(float)
    difference = np.abs(fraction - exact)
    assert difference.max() <= CONE_TEST_TOL_32
    inside = exact < 1.0 - CONE_TEST_TOL_32
    assert difference[inside].max() <= FLOAT32_TOL
    assert difference[inside].max() > 0.0  # float32 does round: the test sees it


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stream_gives_nan_for_failed_satellites(near_edge_points, dtype):
    sun, r, _ = near_edge_points
    r = r[:50].copy()
    r[4] = np.nan
    r[9, 5:] = np.nan
    stream = ShadowStream(sun, 64, dtype=dtype)
    fraction = stream(r.astype(dtype))
    expected = np.zeros(fraction.shape, dtype=bool)
    expected[4] = True
    expected[9, 5:] = True
    np.testing.assert_array_equal(np.isnan(fraction), expected)


def walker_chunk(dtype):
    """A component-major chunk from orbital.propagation: 3 planes x 8 satellites, one orbit."""
    shell = resolve(
        Constellation(
            "layout",
            EPOCH,
            shells=(
                Shell.walker(
                    "w", altitude_km=340.0, inclination_deg=53.0, planes=3, sats_per_plane=8
                ),
            ),
        )
    )[0]
    grid = TimeGrid.uniform(EPOCH, 5400.0, 120.0)
    (chunk,) = list(propagate_walker(shell.walker, grid, frame="teme", dtype=dtype))
    return chunk.positions_km


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stream_accepts_any_memory_layout(dtype):
    positions = walker_chunk(dtype)
    n, n_t, _ = positions.shape
    assert positions.base is not None and positions[..., 2].flags.c_contiguous  # component-major
    # The Sun along a fixed direction, so that some satellites pass through the shadow.
    sun = np.tile([[AU_KM * 0.6, AU_KM * 0.8, 0.0]], (n_t, 1))
    exact = conical_visible_fraction(positions.astype(float), sun)
    assert (exact < 1.0).any() and (exact == 1.0).any()
    stream = ShadowStream(sun, 2 * n, dtype=dtype)
    reference = stream(np.ascontiguousarray(positions)).copy()
    tol = CONE_TEST_TOL_32 if dtype == np.float32 else CONE_TEST_TOL
    np.testing.assert_allclose(reference, exact, rtol=0, atol=tol)
    doubled = np.repeat(positions, 2, axis=0)
    layouts = {
        "component-major": positions,
        "fortran": np.asfortranarray(positions),
        "every-other-row": doubled[::2],
        "rows-reversed": np.ascontiguousarray(positions[::-1])[::-1],
        "time-major": np.ascontiguousarray(positions.transpose(1, 0, 2)).transpose(1, 0, 2),
    }
    for name, layout in layouts.items():
        np.testing.assert_array_equal(stream(layout), reference, err_msg=name)
    # Smaller chunks reuse the same buffers.
    np.testing.assert_array_equal(stream(positions[:5]), reference[:5])


# --------------------------------------------------------------------------- cylinder


def test_cylindrical_shadow_lies_between_the_umbra_and_the_penumbra(near_edge_points):
    sun, r, exact = near_edge_points
    lit = cylindrical_sunlit(r, sun)
    assert lit.dtype == bool and lit.shape == exact.shape
    assert np.all(~lit[exact == 0.0])  # the umbra is inside the cylinder
    assert np.all(lit[exact == 1.0])  # full sun is outside it
    penumbra = (exact > 0.0) & (exact < 1.0)
    assert lit[penumbra].any() and (~lit[penumbra]).any()  # the cylinder's edge crosses it
    # ... near its middle, where the Sun's centre is on the limb.
    assert np.all(~lit[exact < 0.5 - CYLINDER_MID_PENUMBRA_TOL])
    assert np.all(lit[exact > 0.5 + CYLINDER_MID_PENUMBRA_TOL])


def test_cylindrical_shadow_of_failed_satellites_is_false():
    sun = np.array([[AU_KM, 0.0, 0.0]])
    r = np.array([[[7000.0, 0.0, 0.0]], [[np.nan] * 3]])
    np.testing.assert_array_equal(cylindrical_sunlit(r, sun), [[True], [False]])


# --------------------------------------------------------------------------- Skyfield


def oracle_constellation():
    """One satellite of the 53-degree kind and one of the dawn-dusk preset, both at 340 km."""
    return Constellation(
        "oracle",
        EPOCH,
        shells=(
            Shell.walker(
                "w53", altitude_km=340.0, inclination_deg=53.0, planes=1, sats_per_plane=1
            ),
            Shell.sun_synchronous(
                "dd340", altitude_km=340.0, ltan_hours=18.0, planes=1, sats_per_plane=1
            ),
        ),
    )


@pytest.fixture(scope="module")
def oracle_case(ts):
    c = oracle_constellation()
    resolved = resolve(c, ts)
    satrecs = [r.walker.satrec(0) for r in resolved]
    # The dawn-dusk satellite is the dawn-dusk-340 preset's first satellite.
    preset = resolve(load_scenario("dawn-dusk-340"), ts)[0].walker.satrec(0)
    jd, fr = TimeGrid.from_offsets(EPOCH, [0.0, 86400.0 * 170]).sgp4_dates()
    np.testing.assert_array_equal(preset.sgp4_array(jd, fr)[1], satrecs[1].sgp4_array(jd, fr)[1])
    return c, resolved, satrecs


def skyfield_sunlit(satrecs, t, ts, de421):
    """Skyfield's is_sunlit ``(n_sat, n_t)``; ``t`` one Time array shared by the satellites."""
    return np.array([EarthSatellite.from_satrec(s, ts).at(t).is_sunlit(de421) for s in satrecs])


def planner_sun_centre_visible(c, resolved, grid, ts, frame="gcrs"):
    """The planner's answer to Skyfield's question, ``(n_sat, n_t)``: is c >= b?"""
    r = collect(
        stream_positions(c, grid, frame=frame, resolved=resolved, ts=ts), c.n_sats, len(grid)
    )
    angle, earth = sun_centre_angles(r, sun_gcrs_interpolated(grid)[None])
    return angle >= earth


def far_from_skyfields_edges(satrecs, grid, planner, oracle, ts, de421):
    """Samples where the planner disagrees with Skyfield and no Skyfield edge is near.

    For each disagreeing sample, Skyfield is asked again EDGE_TIMING_TOL_S before and after:
    if neither answer is the planner's, Skyfield's edge is farther than that.  Returns
    ``(n_disagreeing, [(satellite, t_s), ...] of those far from an edge)``.
    """
    sat_index, time_index = np.nonzero(planner != oracle)
    far = []
    for k in np.unique(sat_index):
        times = grid.t_s[time_index[sat_index == k]]
        shifted = TimeGrid.from_offsets(
            grid.epoch, np.concatenate([times - EDGE_TIMING_TOL_S, times + EDGE_TIMING_TOL_S])
        )
        answers = skyfield_sunlit([satrecs[k]], shifted.skyfield(ts), ts, de421)[0]
        before, after = answers[: len(times)], answers[len(times) :]
        wanted = planner[k, time_index[sat_index == k]]
        far += [
            (int(k), float(t))
            for t, ok in zip(times, (before == wanted) | (after == wanted), strict=True)
            if not ok
        ]
    return len(sat_index), far


def test_planner_and_skyfield_share_the_earths_radius():
    assert EARTH_RADIUS_IERS_KM == ERAD / 1000.0


def test_sun_centre_visibility_matches_skyfield_over_a_day_at_10_s(ts, de421, oracle_case):
    c, resolved, satrecs = oracle_case
    start_s = 171 * 86400.0  # 21 June 2027: the dawn-dusk plane is in its eclipse season
    grid = TimeGrid.from_offsets(c.epoch, start_s + np.arange(0.0, 86400.0 + 1.0, 10.0))
    oracle = skyfield_sunlit(satrecs, grid.skyfield(ts), ts, de421)
    planner = planner_sun_centre_visible(c, resolved, grid, ts)
    edges = np.count_nonzero(np.diff(oracle, axis=1), axis=1)
    assert np.all(edges >= 28)  # two a revolution for both: the test probes shadow edges
    n_disagree, far = far_from_skyfields_edges(satrecs, grid, planner, oracle, ts, de421)
    assert far == [], f"{n_disagree} disagreements, {len(far)} far from an edge: {far[:5]}"
    # Timing errors are well below a step: few samples can disagree.
    assert n_disagree <= edges.sum() * 2 * EDGE_TIMING_TOL_S / 10.0
    # The tolerance is tight enough to catch a frame mix-up (TEME positions, GCRS Sun: 0.36 deg).
    mixed = planner_sun_centre_visible(c, resolved, grid, ts, frame="teme")
    _, far_mixed = far_from_skyfields_edges(satrecs, grid, mixed, oracle, ts, de421)
    assert len(far_mixed) > 0


def test_sun_centre_visibility_matches_skyfield_over_a_year(ts, de421, oracle_case):
    c, resolved, satrecs = oracle_case
    # 1511 s (25 min, not a divisor of the 91-min orbit) samples the whole year in 20,870 steps.
    grid = TimeGrid.uniform(c.epoch, 365 * 86400.0, 1511.0)
    oracle = skyfield_sunlit(satrecs, grid.skyfield(ts), ts, de421)
    planner = planner_sun_centre_visible(c, resolved, grid, ts)
    shadowed = (~oracle).mean(axis=1)
    assert shadowed[0] > 0.3  # the 53-degree orbit: about a third of the time in shadow
    assert 0.02 < shadowed[1] < 0.15  # dawn-dusk: its eclipse season only
    n_disagree, far = far_from_skyfields_edges(satrecs, grid, planner, oracle, ts, de421)
    assert far == [], f"{n_disagree} disagreements, {len(far)} far from an edge: {far[:5]}"

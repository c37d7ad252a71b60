"""Radiators against closed forms: grey-body area, Earth view factors, absorbed environment.

Authorities: the Stefan-Boltzmann law (CODATA 2018 constant), the view factor of a
differential plate to a sphere it sees whole, ``sin^2(rho) cos(tilt)`` (Howell, *A Catalog
of Radiation Heat Transfer Configuration Factors*, case B-18), a Monte-Carlo count of
cosine-weighted rays for a plate that sees only part of the Earth, and orbit averages
of direct sunlight integrated by hand for a cylindrical shadow.
"""

import math

import numpy as np
import pytest

from constellations.io.scenario import parse_scenario
from constellations.planner import plan
from orbital.attitude import RADIATOR_ATTITUDES
from orbital.closure import ArraySpec, BatterySpec, Environment, RadiatorSpec, SatelliteSpec, close
from orbital.thermal import (
    earth_view_factors,
    full_disk_view_factor,
    radiator_area_m2,
    radiator_environment,
    sink_temperature_k,
)

#: Stefan-Boltzmann constant as the issue quotes it (CODATA 2018: 5.670374419e-8).
SIGMA_QUOTED = 5.670374e-8
#: The quoted constant drops the last three digits: 7.4e-8 relative.
SIGMA_QUOTED_RTOL = 1e-6
#: Pure arithmetic on the same numbers: a few ulps.
ARITHMETIC_RTOL = 1e-12
#: WGS-84 equatorial radius; the code uses IERS 6378.1366 km (0.4 m apart).
EARTH_RADIUS_WGS84_KM = 6378.137
#: The 0.4 m between radius conventions moves sin^2(rho) by less than 1e-7 relative;
#: the code's midpoint rule in cos(theta) is exact for a plate that sees the whole disk.
WHOLE_DISK_RTOL = 1e-6
#: A plate that sees part of the disk: the code's 40 x 80 cell quadrature clips the
#: cosine inside cells at the plate's horizon (measured 6.5e-4 relative at 340 km).
PARTIAL_DISK_RTOL = 2e-3
#: Monte-Carlo rays for the vertical plate, and how many standard errors we allow.
MC_RAYS = 1_000_000
MC_SIGMAS = 5.0
#: Orbit samples for the closed-form orbit averages, and the sampling error they leave
#: (eclipse edges fall inside 0.5 deg cells; the conical shadow differs from the cylinder
#: by the Sun's 0.27 deg radius on both sides, which averages out).
N_ORBIT_FINE = 720
ORBIT_SAMPLING_RTOL = 1e-3
#: "No direct sun": what rounding leaves of a zero dot product, in W/m^2.
NO_SUN_ATOL_W_M2 = 1e-9

SOLAR_W_M2 = 1361.0
EARTH_IR_W_M2 = 237.0


def earth_angular_radius_rad(altitude_km):
    return math.asin(EARTH_RADIUS_WGS84_KM / (EARTH_RADIUS_WGS84_KM + altitude_km))


# --- grey-body area ------------------------------------------------------------------------


def test_100_kw_two_faced_radiator_at_300_k_is_121_m2():
    expected_m2 = 100_000 / (2 * 0.9 * SIGMA_QUOTED * 300**4)
    area = radiator_area_m2(100_000.0, 300.0, 0.9, 2)
    assert area == pytest.approx(expected_m2, rel=SIGMA_QUOTED_RTOL)
    assert round(float(area)) == 121


def test_one_face_needs_twice_the_area_of_two():
    two = radiator_area_m2(50_000.0, 330.0, 0.85, 2)
    one = radiator_area_m2(50_000.0, 330.0, 0.85, 1)
    assert one == pytest.approx(2 * two, rel=ARITHMETIC_RTOL)


def test_absorbed_environment_is_subtracted_from_emission():
    emitted_w_m2 = 2 * 0.9 * SIGMA_QUOTED * 320.0**4
    absorbed_w_m2 = 200.0
    area = radiator_area_m2(10_000.0, 320.0, 0.9, 2, absorbed_w_m2)
    assert area == pytest.approx(10_000.0 / (emitted_w_m2 - absorbed_w_m2), rel=SIGMA_QUOTED_RTOL)


def test_area_scales_with_heat_and_broadcasts():
    heat = np.array([1_000.0, 2_000.0, 4_000.0])
    areas = radiator_area_m2(heat, 300.0, 0.9, 2)
    assert areas.shape == (3,)
    np.testing.assert_allclose(areas / areas[0], [1.0, 2.0, 4.0], rtol=ARITHMETIC_RTOL)


def test_sink_temperature_inverts_the_grey_body_law():
    absorbed_w_m2 = 2 * 0.9 * SIGMA_QUOTED * 250.0**4
    assert sink_temperature_k(absorbed_w_m2, 0.9, 2) == pytest.approx(250.0, rel=SIGMA_QUOTED_RTOL)


def test_a_radiator_colder_than_its_sink_is_refused_not_negative():
    absorbed_w_m2 = 300.0
    sink_k = float(sink_temperature_k(absorbed_w_m2, 0.9, 2))
    with pytest.raises(ValueError, match=r"temperature_k=.*sink.*raise temperature_k"):
        radiator_area_m2(1_000.0, sink_k - 1.0, 0.9, 2, absorbed_w_m2)
    just_above = radiator_area_m2(1_000.0, sink_k + 1.0, 0.9, 2, absorbed_w_m2)
    assert np.isfinite(just_above) and just_above > 0


def test_closure_sizes_the_bare_grey_body_for_100_kw():
    """Only compute heat (no bus, no eclipse, lossless distribution): 121 m^2 again."""
    sat = SatelliteSpec(compute_w=100_000.0, compute_mass_kg=1_000.0, distribution_efficiency=1.0)
    radiator = RadiatorSpec(temperature_k=300.0, emissivity=0.9, faces=2, environment=False)
    env = Environment(
        period_min=90.0,
        max_eclipse_min=0.0,
        sunlit_fraction_year=1.0,
        solar_flux_w_m2=SOLAR_W_M2,
        radiator_absorbed_w_m2=500.0,  # ignored: environment = false
    )
    sizing = close(sat, ArraySpec(), BatterySpec(), radiator, env)
    per_satellite_m2 = sizing.radiator_m2_per_tonne * sizing.satellite_mass_kg / 1000.0
    expected_m2 = 100_000 / (2 * 0.9 * SIGMA_QUOTED * 300**4)
    assert per_satellite_m2 == pytest.approx(expected_m2, rel=SIGMA_QUOTED_RTOL)


GREY_BODY_SCENARIO = """
[scenario]
name = "grey-body"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 1

[radiator]
temperature_k = 300
emissivity = 0.9
faces = 2
environment = false
"""


@pytest.fixture(scope="module")
def grey_body_sizing():
    """The shell's closed satellite (a ShellSizing: its Sizing and the environment)."""
    closure = plan(parse_scenario(GREY_BODY_SCENARIO), stages={"closure"}).closure
    (shell,) = closure.shells
    assert shell.closes, shell.not_closed
    return shell.sized


def test_scenario_radiator_is_the_heat_over_the_grey_body_flux(grey_body_sizing):
    s = grey_body_sizing.sizing
    mass_t = s.satellite_mass_kg / 1000.0
    heat_w = s.heat_rejected_kw_per_tonne * mass_t * 1000.0
    flux_w_m2 = 2 * 0.9 * SIGMA_QUOTED * 300**4
    assert s.radiator_m2_per_tonne * mass_t == pytest.approx(
        heat_w / flux_w_m2, rel=SIGMA_QUOTED_RTOL
    )
    # environment = false: the sizing environment carries no radiator load at all.
    assert grey_body_sizing.environment.radiator_absorbed_w_m2 == 0.0


# --- view factors --------------------------------------------------------------------------


@pytest.mark.parametrize("altitude_km", [200.0, 340.0, 1000.0, 35_786.0])
def test_nadir_plate_sees_sin_squared_rho(altitude_km):
    rho = earth_angular_radius_rad(altitude_km)
    f_e, f_a = earth_view_factors(altitude_km, [0.0, 0.0, 1.0])
    assert f_a is None
    assert float(f_e) == pytest.approx(math.sin(rho) ** 2, rel=WHOLE_DISK_RTOL)


@pytest.mark.parametrize("altitude_km", [340.0, 1000.0])
@pytest.mark.parametrize("tilt_share", [0.0, 0.5, 1.0])
def test_tilted_plate_sees_sin_squared_rho_cos_tilt(altitude_km, tilt_share):
    """Howell B-18, valid while the plate still sees the whole disk: tilt <= 90 deg - rho."""
    rho = earth_angular_radius_rad(altitude_km)
    tilt = tilt_share * (math.pi / 2 - rho)
    expected = math.sin(rho) ** 2 * math.cos(tilt)
    normal = [math.sin(tilt), 0.0, math.cos(tilt)]
    f_e, _ = earth_view_factors(altitude_km, normal)
    assert float(f_e) == pytest.approx(expected, rel=WHOLE_DISK_RTOL)
    assert float(full_disk_view_factor(altitude_km, tilt)) == pytest.approx(
        expected, rel=WHOLE_DISK_RTOL
    )
    # The azimuth of the tilt does not matter.
    turned, _ = earth_view_factors(altitude_km, [0.0, math.sin(tilt), math.cos(tilt)])
    assert float(turned) == pytest.approx(expected, rel=WHOLE_DISK_RTOL)


def test_view_factors_broadcast_over_normals():
    normals = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.0]])
    f_e, _ = earth_view_factors(340.0, normals)
    assert f_e.shape == (3,)
    assert f_e[2] == 0.0  # a zenith-facing plate sees no Earth
    assert f_e[0] > f_e[1] > 0.0


def monte_carlo_vertical_plate(altitude_km, n_rays, rng):
    """Share of cosine-weighted rays from a vertical plate that hit the Earth, and its error."""
    # Cosine-weighted directions about the normal +x: (sqrt(u1), sqrt(1-u1) cos phi,
    # sqrt(1-u1) sin phi), +z nadir.  The Earth's centre is at distance r along +z; a ray
    # hits the sphere when it heads nadir-wards and its closest approach is below R.
    u1, u2 = rng.random(n_rays), rng.random(n_rays)
    d_nadir = np.sqrt(1.0 - u1) * np.sin(2.0 * np.pi * u2)
    r = EARTH_RADIUS_WGS84_KM + altitude_km
    closest_sq = r * r * (1.0 - d_nadir**2)
    hits = (d_nadir > 0) & (closest_sq < EARTH_RADIUS_WGS84_KM**2)
    share = float(hits.mean())
    return share, math.sqrt(share * (1.0 - share) / n_rays)


@pytest.mark.parametrize("altitude_km", [340.0, 1000.0])
def test_vertical_plate_against_monte_carlo(altitude_km):
    """A plate with a horizontal normal sees only half the disk: no whole-disk closed form."""
    share, sigma = monte_carlo_vertical_plate(altitude_km, MC_RAYS, np.random.default_rng(20270))
    f_e, _ = earth_view_factors(altitude_km, [1.0, 0.0, 0.0])
    assert float(f_e) == pytest.approx(share, abs=MC_SIGMAS * sigma + PARTIAL_DISK_RTOL * share)
    # The element-to-sphere factor at 90 deg tilt, (atan(1/sqrt(H^2-1)) - sqrt(H^2-1)/H^2)/pi,
    # tends to 1/2 on the ground and 2/(3 pi H^3) far away; the rays agree with it too.
    h = (EARTH_RADIUS_WGS84_KM + altitude_km) / EARTH_RADIUS_WGS84_KM
    closed = (math.atan(1.0 / math.sqrt(h * h - 1.0)) - math.sqrt(h * h - 1.0) / h**2) / math.pi
    assert share == pytest.approx(closed, abs=MC_SIGMAS * sigma)
    assert float(f_e) == pytest.approx(closed, rel=PARTIAL_DISK_RTOL)


NORMALS = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.6, 0.0, 0.8], [0.0, -0.8, 0.6]]


@pytest.mark.parametrize("altitude_km", [200.0, 340.0, 1000.0])
@pytest.mark.parametrize("beyond_deg", [0.5, 20.0, 70.0])
def test_albedo_view_factor_is_zero_when_the_sun_is_behind_the_earth(altitude_km, beyond_deg):
    """The visible cap spans lambda0 = 90 deg - rho about the sub-satellite point; a Sun more
    than 90 deg + lambda0 from the local zenith lights none of it."""
    lambda0 = math.pi / 2 - earth_angular_radius_rad(altitude_km)
    angle = math.pi / 2 + lambda0 + math.radians(beyond_deg)  # from the zenith (-z)
    sun = [math.sin(angle), 0.0, -math.cos(angle)]
    f_e, f_a = earth_view_factors(altitude_km, NORMALS, sun)
    assert np.all(f_e > 0)
    np.testing.assert_array_equal(f_a, 0.0)


@pytest.mark.parametrize("altitude_km", [150.0, 340.0, 1000.0])
def test_albedo_view_factor_approaches_f_e_with_the_sun_at_the_zenith(altitude_km):
    """Sun overhead the sub-satellite point: every visible surface point has a solar
    zenith angle below lambda0, so F_E cos(lambda0) <= F_A <= F_E."""
    lambda0 = math.pi / 2 - earth_angular_radius_rad(altitude_km)
    f_e, f_a = earth_view_factors(altitude_km, NORMALS, [0.0, 0.0, -1.0])
    assert np.all(f_a <= f_e)
    assert np.all(f_a >= f_e * math.cos(lambda0))


def test_albedo_view_factor_never_exceeds_the_earth_view_factor():
    rng = np.random.default_rng(7)
    normals = rng.normal(size=(200, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    suns = rng.normal(size=(200, 3))
    suns /= np.linalg.norm(suns, axis=1, keepdims=True)
    f_e, f_a = earth_view_factors(340.0, normals, suns)
    assert f_e.shape == f_a.shape == (200,)
    assert np.all(f_a >= 0) and np.all(f_a <= f_e)


# --- absorbed environment ------------------------------------------------------------------


def direct_sun_only(beta_deg, attitude, **kwargs):
    """The radiator's absorbed flux with albedo and Earth IR switched off, absorptivity 1."""
    return radiator_environment(
        beta_deg,
        340.0,
        attitude=attitude,
        absorptivity=1.0,
        emissivity=0.9,
        albedo=0.0,
        earth_ir_w_m2=0.0,
        **kwargs,
    )


@pytest.mark.parametrize("beta_deg", [0.0, 20.0, 45.0, 70.0, 85.0])
def test_sun_edge_on_attitude_gets_no_direct_sun(beta_deg):
    env = direct_sun_only(beta_deg, "sun_edge_on")
    assert env.orbit_mean_w_m2 == pytest.approx(0.0, abs=NO_SUN_ATOL_W_M2)
    assert env.peak_w_m2 == pytest.approx(0.0, abs=NO_SUN_ATOL_W_M2)


def test_velocity_radiator_direct_sun_at_beta_0_closed_form():
    """Normal along the velocity, beta 0: |cos(sun angle)| = |sin u|; in a cylindrical
    shadow the eclipse is |u - pi| < rho.  Mean over the orbit, both faces:
    (1/2pi) [4 - 2 (1 - cos rho)] S = S (1 + cos rho) / pi."""
    rho = earth_angular_radius_rad(340.0)
    expected = SOLAR_W_M2 * (1.0 + math.cos(rho)) / math.pi
    env = direct_sun_only(0.0, "velocity", n_orbit=N_ORBIT_FINE)
    assert env.orbit_mean_w_m2 == pytest.approx(expected, rel=ORBIT_SAMPLING_RTOL)
    assert env.peak_w_m2 == pytest.approx(SOLAR_W_M2, rel=ORBIT_SAMPLING_RTOL)


def test_nadir_radiator_direct_sun_at_beta_0_closed_form():
    """Zenith face lit for |u| < pi/2 (integral 2); nadir face only between the terminator
    and the shadow, pi/2 < |u| < pi - rho (integral 2 (1 - sin rho)): S (2 - sin rho) / pi."""
    rho = earth_angular_radius_rad(340.0)
    expected = SOLAR_W_M2 * (2.0 - math.sin(rho)) / math.pi
    env = direct_sun_only(0.0, "nadir", n_orbit=N_ORBIT_FINE)
    assert env.orbit_mean_w_m2 == pytest.approx(expected, rel=ORBIT_SAMPLING_RTOL)


def test_orbit_normal_radiator_at_beta_90_faces_the_sun_all_orbit():
    env = radiator_environment(
        90.0,
        340.0,
        attitude="orbit_normal",
        absorptivity=0.3,
        emissivity=0.9,
        albedo=0.0,
        earth_ir_w_m2=0.0,
    )
    assert env.orbit_mean_w_m2 == pytest.approx(0.3 * SOLAR_W_M2, rel=ARITHMETIC_RTOL)
    assert env.peak_w_m2 == pytest.approx(0.3 * SOLAR_W_M2, rel=ARITHMETIC_RTOL)


def test_nadir_radiator_without_sun_absorbs_eps_ir_sin_squared_rho():
    rho = earth_angular_radius_rad(340.0)
    env = radiator_environment(
        0.0,
        340.0,
        attitude="nadir",
        absorptivity=0.2,
        emissivity=0.9,
        faces=1,
        solar_flux_w_m2=0.0,
    )
    expected = 0.9 * EARTH_IR_W_M2 * math.sin(rho) ** 2
    assert env.orbit_mean_w_m2 == pytest.approx(expected, rel=WHOLE_DISK_RTOL)
    assert env.peak_w_m2 == pytest.approx(expected, rel=WHOLE_DISK_RTOL)


@pytest.mark.parametrize("attitude", RADIATOR_ATTITUDES)
@pytest.mark.parametrize("beta_deg", [0.0, 30.0, 60.0, 75.0, 90.0])
def test_one_faced_radiator_absorbs_at_most_what_a_two_faced_one_does(attitude, beta_deg):
    common = dict(attitude=attitude, absorptivity=0.25, emissivity=0.85)
    one = radiator_environment(beta_deg, 340.0, faces=1, **common)
    two = radiator_environment(beta_deg, 340.0, faces=2, **common)
    assert 0.0 < one.orbit_mean_w_m2 <= two.orbit_mean_w_m2 * (1 + ARITHMETIC_RTOL)
    assert 0.0 < one.peak_w_m2 <= two.peak_w_m2 * (1 + ARITHMETIC_RTOL)
    assert two.orbit_mean_w_m2 <= two.peak_w_m2 * (1 + ARITHMETIC_RTOL)


@pytest.mark.parametrize("attitude", ["velocity", "sun_edge_on"])
def test_mirror_symmetric_faces_each_absorb_half(attitude):
    """At beta 0 the orbit is symmetric about the Sun line, so the +normal and -normal
    faces of a horizontal panel see the same Sun, albedo and IR over an orbit."""
    common = dict(attitude=attitude, absorptivity=0.2, emissivity=0.9, n_orbit=N_ORBIT_FINE)
    one = radiator_environment(0.0, 340.0, faces=1, **common)
    two = radiator_environment(0.0, 340.0, faces=2, **common)
    assert one.orbit_mean_w_m2 == pytest.approx(0.5 * two.orbit_mean_w_m2, rel=ARITHMETIC_RTOL)


def test_nadir_radiator_second_face_adds_only_the_direct_sun_on_its_zenith_side():
    """The zenith face sees no Earth; it is lit for |u| < pi/2 (no eclipse there), so it
    adds alpha * S * (1/2pi) * integral of cos u = alpha * S / pi to the orbit mean."""
    common = dict(attitude="nadir", absorptivity=0.2, emissivity=0.9, n_orbit=N_ORBIT_FINE)
    one = radiator_environment(0.0, 340.0, faces=1, **common)
    two = radiator_environment(0.0, 340.0, faces=2, **common)
    assert two.orbit_mean_w_m2 - one.orbit_mean_w_m2 == pytest.approx(
        0.2 * SOLAR_W_M2 / math.pi, rel=ORBIT_SAMPLING_RTOL
    )


def test_velocity_radiator_environment_is_larger_at_beta_0_than_at_beta_75():
    common = dict(attitude="velocity", absorptivity=0.2, emissivity=0.9)
    low = radiator_environment(0.0, 340.0, **common)
    high = radiator_environment(75.0, 340.0, **common)
    assert low.orbit_mean_w_m2 > high.orbit_mean_w_m2
    assert low.peak_w_m2 > high.peak_w_m2


def test_unknown_attitude_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"attitude='sideways'.*velocity"):
        radiator_environment(0.0, 340.0, attitude="sideways", absorptivity=0.2, emissivity=0.9)


def test_a_plate_fixed_in_the_local_frame_gets_the_view_factors_of_each_sample_alone():
    """Few distinct normals (a nadir or velocity radiator over an orbit) are integrated once
    each; many are integrated sample by sample. Both ways give the same factors."""
    rng = np.random.default_rng(3)
    normals = rng.normal(size=(9, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    suns = rng.normal(size=(40, 3))
    suns /= np.linalg.norm(suns, axis=1, keepdims=True)
    tiled = np.repeat(normals[:, None, :], len(suns), axis=1)  # (9, 40, 3): nine distinct
    f_e, f_a = earth_view_factors(650.0, tiled, suns)
    assert f_e.shape == f_a.shape == (9, 40)
    for k, normal in enumerate(normals):  # one distinct normal a call
        alone_e, alone_a = earth_view_factors(650.0, np.broadcast_to(normal, (40, 3)), suns)
        np.testing.assert_allclose(f_e[k], alone_e, rtol=1e-12)
        np.testing.assert_allclose(f_a[k], alone_a, rtol=1e-12, atol=1e-15)

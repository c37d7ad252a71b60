"""Mean elements of circular orbits (orbital/elements.py) against outside authorities.

Authorities used here, none of them the code under test:

* J2 sun-synchronous inclinations at 330 / 340 / 350 km, 96.78 / 96.81 / 96.85 deg
  (Vallado, *Fundamentals of Astrodynamics*, eq. 9-41, to 0.01 deg);
* python-sgp4's own initialisation (``Satrec.sgp4init``, called directly here), which
  decides what semi-major axis and node rate SGP4 really propagates;
* the mean Sun's motion, 360 degrees per tropical year (365.24219 days, Explanatory
  Supplement to the Astronomical Almanac), and the Astronomical Almanac's rate of the
  Sun's mean longitude, 0.9856474 deg/day (section C, low-precision formulas);
* issue 13's figures at 340 km: SGP4 turns the J2-only plane 0.98229 deg/day, and the
  inclination that keeps pace with the mean Sun is 96.837 deg;
* Kepler's third law with the IAU 2015 nominal Earth GM (astropy.constants) and the
  geostationary radius 42,164 km whose period is one sidereal day (86,164.0905 s).
"""

import math

import numpy as np
import pytest
from astropy import constants as astropy_constants
from sgp4.api import WGS72, Satrec
from sgp4.earth_gravity import wgs72

from orbital.elements import (
    keplerian_period_min,
    kozai_mean_motion_rad_min,
    sgp4_sun_synchronous_inclination_deg,
    sun_synchronous_inclination_deg,
)

#: One metre, in km.
ONE_METER_KM = 1e-3
#: The published inclinations are rounded to 0.01 deg; allow two rounding steps.
PUBLISHED_INCLINATION_TOL_DEG = 0.02
#: SGP4 adds J2-squared and J4 secular terms to the node rate that a J2-only
#: inclination ignores (at 340 km and 96.8 deg they are -0.09 % and -0.25 % of the
#: J2 rate, -0.34 % together, which turns the node 1.2 deg a year slower than the
#: Sun).  Allow 1.5 deg of LTAN drift a year, 6 minutes of local time: enough for
#: those terms, far too little for a wrong inclination (0.1 deg off is 5 deg a year).
SSO_LTAN_DRIFT_TOL_DEG_PER_YEAR = 1.5
#: Length of the tropical year, days (Explanatory Supplement, mean tropical year J2000).
TROPICAL_YEAR_DAYS = 365.24219
#: Rate of the Sun's mean longitude, deg/day (Astronomical Almanac, low-precision formulas).
ALMANAC_MEAN_SUN_DEG_PER_DAY = 0.9856474
#: The Almanac rounds that rate to 1e-7 deg/day (360 / 365.24219 = 0.98564734); a node
#: within 3e-7 deg/day of it drifts less than 1e-4 deg (0.0004 min of local time) a year.
#: The J2-only inclination misses by 3.4e-3 deg/day.
MEAN_SUN_RATE_TOL_DEG_PER_DAY = 3e-7
#: Issue 13's figures are given to 0.001 deg and 0.00001 deg/day; half a last digit.
ISSUE_INCLINATION_TOL_DEG = 0.0005
ISSUE_NODE_RATE_TOL_DEG_PER_DAY = 0.000005
#: Sidereal day, s (IERS Conventions: Earth rotation period with respect to the stars).
SIDEREAL_DAY_S = 86_164.0905
#: Geostationary orbit radius, km (from GM = 398600.4418 km^3/s^2 and the sidereal day).
GEOSTATIONARY_RADIUS_KM = 42_164.17
#: WGS-72 GM (SGP4) and IAU 2015 GM differ by 1e-6 relative: 5e-7 in period.
GM_MODEL_PERIOD_RTOL = 2e-6

R_KM = wgs72.radiusearthkm
SGP4_EPOCH_2027 = 28_125.0  # 2027-01-01 00:00 UTC, days since 1949-12-31 00:00 UTC

ALTITUDES_KM = np.array([150.0, 330.0, 340.0, 350.0, 550.0, 1200.0, 2000.0])
INCLINATIONS_DEG = np.array([0.0, 28.5, 53.0, 96.81, 140.0])


def sgp4_initialised(no_kozai_rad_min, inclination_deg, eccentricity=0.0):
    """A Satrec initialised by python-sgp4 itself from the given Kozai mean motion."""
    satrec = Satrec()
    satrec.sgp4init(
        WGS72,
        "i",
        1,
        SGP4_EPOCH_2027,
        0.0,
        0.0,
        0.0,
        eccentricity,
        0.0,
        math.radians(inclination_deg),
        0.0,
        float(no_kozai_rad_min),
        0.0,
    )
    assert satrec.error == 0
    return satrec


@pytest.mark.parametrize(
    ("altitude_km", "published_deg"), [(330.0, 96.78), (340.0, 96.81), (350.0, 96.85)]
)
def test_sun_synchronous_inclination_matches_published_j2_values(altitude_km, published_deg):
    assert sun_synchronous_inclination_deg(altitude_km) == pytest.approx(
        published_deg, abs=PUBLISHED_INCLINATION_TOL_DEG
    )


def test_sun_synchronous_inclination_array_equals_scalar_calls():
    altitudes = np.array([330.0, 340.0, 350.0])
    published = np.array([96.78, 96.81, 96.85])
    as_array = sun_synchronous_inclination_deg(altitudes)
    assert as_array.shape == (3,)
    np.testing.assert_allclose(as_array, published, atol=PUBLISHED_INCLINATION_TOL_DEG, rtol=0)
    scalars = [float(sun_synchronous_inclination_deg(a)) for a in altitudes]
    np.testing.assert_allclose(as_array, scalars, rtol=1e-14, atol=0)


@pytest.mark.parametrize("altitude_km", [330.0, 340.0, 350.0, 550.0, 1000.0])
def test_sgp4_node_of_a_sun_synchronous_shell_follows_the_mean_sun(altitude_km):
    inclination_deg = float(sun_synchronous_inclination_deg(altitude_km))
    no_kozai = kozai_mean_motion_rad_min(altitude_km, inclination_deg)
    satrec = sgp4_initialised(no_kozai, inclination_deg)
    sun_rad_min = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * 1440.0)
    drift_deg_per_year = math.degrees(satrec.nodedot - sun_rad_min) * TROPICAL_YEAR_DAYS * 1440.0
    assert satrec.nodedot > 0.0  # eastward, with the Sun
    assert abs(drift_deg_per_year) < SSO_LTAN_DRIFT_TOL_DEG_PER_YEAR


def sgp4_node_rate_deg_per_day(altitude_km, inclination_deg):
    """SGP4's ``nodedot`` of the planner's circular orbit, deg/day, from python-sgp4 itself."""
    satrec = sgp4_initialised(
        kozai_mean_motion_rad_min(altitude_km, inclination_deg), inclination_deg
    )
    assert satrec.a * R_KM == pytest.approx(R_KM + altitude_km, abs=ONE_METER_KM)
    return math.degrees(satrec.nodedot) * 1440.0


@pytest.mark.parametrize("altitude_km", ALTITUDES_KM.tolist())
def test_sgp4_sun_synchronous_inclination_turns_sgp4s_node_with_the_mean_sun(altitude_km):
    inclination_deg = sgp4_sun_synchronous_inclination_deg(altitude_km)
    assert sgp4_node_rate_deg_per_day(altitude_km, inclination_deg) == pytest.approx(
        ALMANAC_MEAN_SUN_DEG_PER_DAY, abs=MEAN_SUN_RATE_TOL_DEG_PER_DAY
    )
    assert sgp4_node_rate_deg_per_day(altitude_km, inclination_deg) == pytest.approx(
        360.0 / TROPICAL_YEAR_DAYS, abs=MEAN_SUN_RATE_TOL_DEG_PER_DAY
    )


def test_issue_13_figures_at_340_km():
    j2_deg = float(sun_synchronous_inclination_deg(340.0))
    assert sgp4_node_rate_deg_per_day(340.0, j2_deg) == pytest.approx(
        0.98229, abs=ISSUE_NODE_RATE_TOL_DEG_PER_DAY
    )
    assert sgp4_sun_synchronous_inclination_deg(340.0) == pytest.approx(
        96.837, abs=ISSUE_INCLINATION_TOL_DEG
    )


def test_sgp4_sun_synchronous_inclination_refuses_what_cannot_be_sun_synchronous():
    with pytest.raises(ValueError, match="too high"):
        sgp4_sun_synchronous_inclination_deg(6500.0)


@pytest.mark.parametrize("inclination_deg", INCLINATIONS_DEG.tolist())
@pytest.mark.parametrize("altitude_km", ALTITUDES_KM.tolist())
def test_kozai_mean_motion_gives_sgp4_the_wanted_semi_major_axis(altitude_km, inclination_deg):
    no_kozai = kozai_mean_motion_rad_min(altitude_km, inclination_deg)
    satrec = sgp4_initialised(no_kozai, inclination_deg)
    assert satrec.a * R_KM == pytest.approx(R_KM + altitude_km, abs=ONE_METER_KM)


def test_kozai_mean_motion_array_and_scalar_inputs_agree_and_both_hit_the_altitude():
    grid = kozai_mean_motion_rad_min(ALTITUDES_KM[:, None], INCLINATIONS_DEG[None, :])
    assert grid.shape == (len(ALTITUDES_KM), len(INCLINATIONS_DEG))
    for i, altitude_km in enumerate(ALTITUDES_KM):
        for j, inclination_deg in enumerate(INCLINATIONS_DEG):
            scalar = kozai_mean_motion_rad_min(float(altitude_km), float(inclination_deg))
            assert np.ndim(scalar) == 0
            assert grid[i, j] == pytest.approx(float(scalar), rel=1e-14)
            a_km = sgp4_initialised(grid[i, j], inclination_deg).a * R_KM
            assert a_km == pytest.approx(R_KM + altitude_km, abs=ONE_METER_KM)


@pytest.mark.parametrize("eccentricity", [0.001, 0.01])
def test_kozai_mean_motion_with_eccentricity(eccentricity):
    no_kozai = kozai_mean_motion_rad_min(340.0, 53.0, eccentricity)
    satrec = sgp4_initialised(no_kozai, 53.0, eccentricity)
    assert satrec.a * R_KM == pytest.approx(R_KM + 340.0, abs=ONE_METER_KM)


def test_kozai_correction_is_not_a_no_op():
    """At sun-synchronous inclination the J2 correction is kilometres: skipping it shows."""
    unkozai = wgs72.xke / ((R_KM + 340.0) / R_KM) ** 1.5
    naive_a_km = sgp4_initialised(unkozai, 96.81).a * R_KM
    assert abs(naive_a_km - (R_KM + 340.0)) > 1000 * ONE_METER_KM


def test_keplerian_period_is_keplers_third_law():
    gm_km3_s2 = astropy_constants.GM_earth.to_value("km3 / s2")
    expected_min = 2.0 * np.pi * np.sqrt((R_KM + ALTITUDES_KM) ** 3 / gm_km3_s2) / 60.0
    as_array = keplerian_period_min(ALTITUDES_KM)
    np.testing.assert_allclose(as_array, expected_min, rtol=GM_MODEL_PERIOD_RTOL)
    for altitude_km, period_min in zip(ALTITUDES_KM, as_array, strict=True):
        scalar = keplerian_period_min(float(altitude_km))
        assert float(scalar) == pytest.approx(period_min, rel=1e-14)


def test_keplerian_period_of_the_geostationary_radius_is_one_sidereal_day():
    period_min = keplerian_period_min(GEOSTATIONARY_RADIUS_KM - R_KM)
    assert period_min == pytest.approx(SIDEREAL_DAY_S / 60.0, rel=GM_MODEL_PERIOD_RTOL)


@pytest.mark.parametrize("altitude_km", [6000.0, 10_000.0, np.array([340.0, 7000.0])])
def test_sun_synchronous_altitude_too_high_is_refused(altitude_km):
    with pytest.raises(ValueError, match="too high for a sun-synchronous orbit"):
        sun_synchronous_inclination_deg(altitude_km)


def test_highest_sun_synchronous_altitude_is_near_5970_km():
    """Just below the documented limit an inclination still exists, nearly retrograde-equatorial."""
    assert sun_synchronous_inclination_deg(5900.0) > 160.0

"""The mean Sun (orbital/sun.py) against outside authorities.

Authorities, none of them the code under test:

* the Astronomical Almanac's low-precision mean longitude of the Sun,
  ``L = 280.460 deg + 0.9856474 deg/day * n`` with ``n = JD - 2451545.0`` (section C,
  "Low precision formulas for the Sun"; also Meeus, *Astronomical Algorithms*, ch. 25);
* Skyfield's Greenwich mean sidereal time (IAU 2006, from the Earth rotation angle): by
  the definition of mean solar time the mean Sun's hour angle at Greenwich is UT1 - 12 h,
  so its right ascension is ``GMST - (UT1 - 12 h)``.
"""

import numpy as np
import pytest

from orbital.sun import mean_sun_right_ascension_deg

#: The Almanac's formula rounds its constant to 0.001 deg and its rate to 1e-7 deg/day
#: (0.004 deg a century); within a century of J2000 the two forms agree to this.
ALMANAC_MEAN_SUN_TOL_DEG = 0.005
#: IAU 2006 GMST (Skyfield) and IAU 1982 GMST (the code) differ by a few hundredths of a
#: second of time between 1950 and 2099 (7e-5 deg measured); 0.024 s of time.
GMST_MODEL_TOL_DEG = 1e-4

#: UT1 Julian dates from 1950 to 2099, a few hours off midnight and noon.
JULIAN_DATES_UT1 = [2433282.73, 2448908.5, 2451545.0, 2461347.5, 2469807.21, 2488069.9]


def wrap_deg(angle_deg):
    return (np.asarray(angle_deg) + 180.0) % 360.0 - 180.0


@pytest.mark.parametrize("jd_ut1", JULIAN_DATES_UT1)
def test_mean_sun_follows_the_almanacs_mean_longitude(jd_ut1):
    almanac_deg = (280.460 + 0.9856474 * (jd_ut1 - 2451545.0)) % 360.0
    assert abs(wrap_deg(mean_sun_right_ascension_deg(jd_ut1) - almanac_deg)) < (
        ALMANAC_MEAN_SUN_TOL_DEG
    )


@pytest.mark.parametrize("jd_ut1", JULIAN_DATES_UT1)
def test_mean_sun_is_skyfields_sidereal_time_less_the_mean_suns_hour_angle(ts, jd_ut1):
    t = ts.ut1_jd(jd_ut1)
    hour_angle_deg = 360.0 * ((jd_ut1 - 0.5) % 1.0) - 180.0  # UT1 - 12 h, degrees
    expected_deg = (15.0 * t.gmst - hour_angle_deg) % 360.0
    assert abs(wrap_deg(mean_sun_right_ascension_deg(jd_ut1) - expected_deg)) < (GMST_MODEL_TOL_DEG)


def test_split_dates_and_arrays_give_the_same_mean_sun():
    whole = mean_sun_right_ascension_deg(np.array(JULIAN_DATES_UT1))
    split = mean_sun_right_ascension_deg(
        np.floor(JULIAN_DATES_UT1), np.array(JULIAN_DATES_UT1) - np.floor(JULIAN_DATES_UT1)
    )
    assert whole.shape == (len(JULIAN_DATES_UT1),)
    assert np.all((0.0 <= whole) & (whole < 360.0))
    np.testing.assert_allclose(wrap_deg(whole - split), 0.0, atol=1e-9)

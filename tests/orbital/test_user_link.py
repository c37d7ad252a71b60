"""The user link's slant range against Skyfield's topocentric geometry."""

import numpy as np
import pytest
from skyfield.api import load, wgs84
from skyfield.framelib import itrs
from skyfield.positionlib import build_position
from skyfield.units import Distance

from orbital.constants import EARTH_RADIUS_WGS72_KM, LIGHT_KM_S
from orbital.user_link import one_way_latency_ms, slant_range_km

# Skyfield's observer sits on the WGS-84 ellipsoid; at the equator its radius
# differs from WGS-72's by 2 m, which moves the slant range by less than that.
ELLIPSOID_DIFFERENCE_KM = 0.005


@pytest.mark.parametrize("altitude_km", [340.0, 650.0, 1400.0, 2000.0])
@pytest.mark.parametrize("elevation_deg", [25.0, 40.0, 90.0])
def test_slant_range_matches_skyfield(altitude_km, elevation_deg):
    ts = load.timescale(builtin=True)
    t = ts.tt_jd(2461041.5)
    user = wgs84.latlon(0.0, 0.0)
    r_user = EARTH_RADIUS_WGS72_KM
    r_sat = r_user + altitude_km
    # Brute force: the satellite's Earth-central angle from the user that gives this elevation.
    angles = np.radians(np.linspace(0.0, 40.0, 400_001))
    x = r_sat * np.cos(angles) - r_user
    y = r_sat * np.sin(angles)
    found = np.degrees(np.arctan2(x, y))
    angle = angles[np.argmin(np.abs(found - elevation_deg))]
    itrs_km = np.array([r_sat * np.cos(angle), r_sat * np.sin(angle), 0.0])
    sat = build_position(itrs.rotation_at(t).T @ Distance(km=itrs_km).au, center=399, t=t)
    alt, _, distance = (sat - user.at(t)).altaz()
    # The brute-force search lands within 1e-3 degrees of the elevation asked for; the
    # slant range is then compared at the elevation Skyfield itself finds.
    assert alt.degrees == pytest.approx(elevation_deg, abs=1e-3)
    assert slant_range_km(altitude_km, alt.degrees) == pytest.approx(
        distance.km, abs=ELLIPSOID_DIFFERENCE_KM
    )


def test_zenith_is_the_altitude_and_latency_is_light_time():
    assert slant_range_km(650.0, 90.0) == pytest.approx(650.0, abs=1e-9)
    assert one_way_latency_ms(650.0, 90.0) == pytest.approx(1000 * 650.0 / LIGHT_KM_S)
    # The 25-degree default: a 550 km Starlink-like shell is about 1,100 km away at the edge.
    assert 1050.0 < slant_range_km(550.0) < 1150.0


@pytest.mark.parametrize(("altitude_km", "elevation_deg"), [(-1.0, 25.0), (340.0, 95.0)])
def test_refuses_impossible_geometry(altitude_km, elevation_deg):
    with pytest.raises(ValueError, match="must be"):
        slant_range_km(altitude_km, elevation_deg)

"""orbital.seasons: a year of planes analysed in chunks is the year analysed at once.

The year is split into chunks of planes to keep its temporaries small; these tests hold
the figures to exact equality across chunk sizes, on both penumbra models (the table
that a many-plane shell uses and the quadrature of a few grazing samples), because the
model is chosen once for the whole shell (tests/orbital/test_illumination.py checks
the models themselves).  The Sun here is a plain circular ecliptic
(the physics of the year is checked against SGP4, Skyfield and DE421 in
tests/stages/test_illumination.py).
"""

import dataclasses

import numpy as np
import pytest

from orbital.constants import AU_KM, EARTH_RADIUS_WGS72_KM
from orbital.seasons import planes_year

SAMPLES_PER_DAY = 24
OBLIQUITY_RAD = np.radians(23.44)


def ecliptic_sun_km(t_s: np.ndarray) -> np.ndarray:
    """A Sun on a circular ecliptic orbit at 1 au, a turn a year, ``(n, 3)`` km."""
    longitude = 2.0 * np.pi * t_s / (365.25 * 86400.0)
    return AU_KM * np.stack(
        [
            np.cos(longitude),
            np.sin(longitude) * np.cos(OBLIQUITY_RAD),
            np.sin(longitude) * np.sin(OBLIQUITY_RAD),
        ],
        axis=-1,
    )


def year_of(planes: int, chunk_planes: int, inclination_deg: float = 53.0, days: int = 365):
    t_s = np.arange(days * SAMPLES_PER_DAY) * 3600.0
    return planes_year(
        2027,
        t_s=t_s,
        sun_km=ecliptic_sun_km(t_s),
        samples_per_day=SAMPLES_PER_DAY,
        inclination_rad=np.radians(inclination_deg),
        raan_at_t0_rad=np.radians(np.linspace(0.0, 360.0, planes, endpoint=False)),
        raan_rate_rad_s=np.radians(-4.5) / 86400.0,
        radius_km=EARTH_RADIUS_WGS72_KM + 340.0,
        arg_lat_rate_rad_min=2.0 * np.pi / 91.3,
        chunk_planes=chunk_planes,
    )


def assert_same_year(one, other):
    for field in dataclasses.fields(one):
        np.testing.assert_array_equal(
            getattr(one, field.name), getattr(other, field.name), err_msg=field.name
        )


@pytest.mark.parametrize("chunk_planes", [1, 7, 16])
def test_a_many_plane_year_in_chunks_is_the_year_at_once(chunk_planes):
    whole = year_of(40, chunk_planes=40)
    assert_same_year(year_of(40, chunk_planes=chunk_planes), whole)


@pytest.mark.parametrize("chunk_planes", [1, 2])
def test_a_few_plane_year_in_chunks_is_the_year_at_once(chunk_planes):
    whole = year_of(3, chunk_planes=3, days=40)
    assert_same_year(year_of(3, chunk_planes=chunk_planes, days=40), whole)

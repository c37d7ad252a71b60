"""orbital.seasons: a year of planes analysed in chunks is the year analysed at once.

The year is split into chunks of planes to keep its temporaries small; these tests hold
the figures to exact equality across chunk sizes, on both penumbra models (the table
that a many-plane shell uses and the quadrature of a few grazing samples), because the
model is chosen once for the whole shell.  The Sun here is a plain circular ecliptic
(the physics of the year is checked against SGP4, Skyfield and DE421 in
tests/stages/test_illumination.py).
"""

import dataclasses

import numpy as np
import pytest

from orbital.constants import AU_KM, EARTH_RADIUS_WGS72_KM
from orbital.illumination import (
    TABLE_ABOVE_SAMPLES,
    PenumbraQuadrature,
    PenumbraTable,
    grazing_samples,
    orbit_eclipse,
    penumbra_model,
)
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


def grazing_count(beta, distance_km, radius_km):
    a = np.arcsin(695_700.0 / distance_km)
    b = np.arcsin(6378.1366 / radius_km)
    return int(grazing_samples(np.abs(beta), a, b).sum())


def test_penumbra_model_is_chosen_for_all_chunks_together():
    """Two chunks each under the table's threshold but together above it get one table,
    the one the samples at once would get."""
    rng = np.random.default_rng(7)
    radius_km = EARTH_RADIUS_WGS72_KM + 340.0
    beta = np.radians(rng.uniform(55.0, 75.0, (2, TABLE_ABOVE_SAMPLES)))
    distance = AU_KM * (1.0 + 0.017 * rng.uniform(-1.0, 1.0, TABLE_ABOVE_SAMPLES))
    assert grazing_count(beta[0], distance, radius_km) <= TABLE_ABOVE_SAMPLES
    assert grazing_count(beta, distance, radius_km) > TABLE_ABOVE_SAMPLES
    assert isinstance(penumbra_model([beta[0]], distance, radius_km), PenumbraQuadrature)
    together = penumbra_model([beta[0], beta[1]], distance, radius_km)
    at_once = penumbra_model([beta], distance, radius_km)
    assert isinstance(together, PenumbraTable)
    np.testing.assert_allclose(together.share, at_once.share, rtol=1e-12)
    whole = orbit_eclipse(beta, radius_km, distance, 1.0)
    split = [orbit_eclipse(b, radius_km, distance, 1.0, penumbra=together) for b in beta]
    np.testing.assert_allclose(
        np.stack([s.lit_fraction for s in split]), whole.lit_fraction, rtol=1e-12
    )


def test_the_table_is_the_quadrature_within_its_interpolation():
    """Over a year's grazing geometry the tabulated loss stays close to the quadrature it
    was built from: the lit fraction within 1e-3 of an orbit anywhere, 1e-6 at the median
    (the table is built at the samples' mean Sun radius; the Sun's distance moves it by
    1.7 % over the year)."""
    rng = np.random.default_rng(3)
    radius_km = EARTH_RADIUS_WGS72_KM + 340.0
    beta = np.radians(rng.uniform(50.0, 75.0, 50_000))
    distance = AU_KM * (1.0 + 0.017 * rng.uniform(-1.0, 1.0, 50_000))
    table = penumbra_model([beta], distance, radius_km)
    assert isinstance(table, PenumbraTable)
    by_table = orbit_eclipse(beta, radius_km, distance, 1.0, penumbra=table).lit_fraction
    exact = orbit_eclipse(beta, radius_km, distance, 1.0, penumbra=PenumbraQuadrature())
    error = np.abs(by_table - exact.lit_fraction)
    assert error.max() < 1e-3
    assert np.median(error) < 1e-6

"""orbital.illumination's penumbra models: the table agrees with the quadrature.

The quadrature itself is checked against a brute-force integral over the orbit in
tests/stages/test_illumination.py; here the table a many-sample call reads (and the
choice between the two) is held to it at every beta angle, the ends of the table
included, and over the Sun's yearly range of distance.
"""

import numpy as np
import pytest

from orbital.constants import AU_KM, EARTH_RADIUS_IERS_KM, EARTH_RADIUS_WGS72_KM, SUN_RADIUS_KM
from orbital.illumination import (
    GRAZING_MARGIN_RAD,
    TABLE_ABOVE_SAMPLES,
    PenumbraQuadrature,
    PenumbraTable,
    grazing_samples,
    orbit_eclipse,
    penumbra_model,
)

#: What orbital/illumination.py documents for the orbit-mean lit fraction: within 3e-6 of
#: the orbit of a brute-force integral (the quadrature); the table must not add to it.
DOCUMENTED_ORBIT_MEAN_ACCURACY = 3e-6
RADIUS_340_KM = EARTH_RADIUS_IERS_KM + 340.0


def grazing_count(beta, distance_km, radius_km):
    a = np.arcsin(SUN_RADIUS_KM / distance_km)
    b = np.arcsin(EARTH_RADIUS_IERS_KM / radius_km)
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


def grazing_band(n: int, spread: float, seed: int):
    """``(beta_rad, sun_distance_km)`` over the whole grazing band at 340 km: uniform in
    the normalised depth s from the straight-limb edge to the last graze, plus samples
    crowding both ends of the table (s -> 0 where the umbra vanishes, s -> 1), with the
    Sun's distance ``spread`` about 1 au (0.017: the year's range)."""
    rng = np.random.default_rng(seed)
    distance = AU_KM * (1.0 + spread * rng.uniform(-1.0, 1.0, n))
    a = np.arcsin(SUN_RADIUS_KM / distance)
    b = np.arcsin(EARTH_RADIUS_IERS_KM / RADIUS_340_KM)
    third = n // 3
    s = np.concatenate(
        [
            rng.uniform(-GRAZING_MARGIN_RAD / (2.0 * a[:third]) + 1e-9, 1.0),
            np.sign(rng.uniform(-1.0, 1.0, third)) * np.geomspace(1e-12, 0.05, third),
            1.0 - np.geomspace(1e-12, 0.05, n - 2 * third),
        ]
    )
    return (b - a) + 2.0 * a * s, distance


@pytest.mark.parametrize("spread", [0.0, 0.017])
def test_the_table_path_is_the_direct_path_at_every_beta(spread):
    """Issue reproducer (tabulated path at the critical beta angle): with more grazing
    samples than TABLE_ABOVE_SAMPLES, orbit_eclipse reads a table; it must give what the
    direct quadrature gives at every beta, end points included, within the documented
    3e-6 of the orbit."""
    beta, distance = grazing_band(60_000, spread, seed=11)
    tabulated = orbit_eclipse(beta, RADIUS_340_KM, distance, 1.0)
    direct = orbit_eclipse(beta, RADIUS_340_KM, distance, 1.0, penumbra=PenumbraQuadrature())
    assert isinstance(penumbra_model([beta], distance, RADIUS_340_KM), PenumbraTable)
    error = np.abs(tabulated.lit_fraction - direct.lit_fraction)
    worst = int(np.argmax(error))
    assert error[worst] < DOCUMENTED_ORBIT_MEAN_ACCURACY, np.degrees(beta[worst])


def test_just_inside_the_last_graze_the_orbit_is_fully_lit():
    """Just below beta = b + a the Earth's limb clips a sliver of the Sun for an instant:
    the orbit-mean lit fraction is 1 to far below 3e-6 (the table used to fill its end
    with half the penumbra and gave 0.99968)."""
    beta, distance = grazing_band(30_000, 0.0, seed=5)
    a = np.arcsin(SUN_RADIUS_KM / AU_KM)
    b = np.arcsin(EARTH_RADIUS_IERS_KM / RADIUS_340_KM)
    edge = np.array([(b + a) * (1.0 - 1e-9), (b + a) - 1e-7, (b + a) - 1e-6])
    lit = orbit_eclipse(np.concatenate([beta, edge]), RADIUS_340_KM, AU_KM, 1.0).lit_fraction
    assert np.all(lit[-3:] > 1.0 - DOCUMENTED_ORBIT_MEAN_ACCURACY)

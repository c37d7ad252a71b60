"""The fleet's sunlight by the shells' symmetry (``fleet_powered_fraction(symmetric=True)``).

Authorities:

* the general path (every position streamed through ShadowStream, itself checked against the
  disk-overlap integral and Skyfield in tests/orbital/test_shadow.py) in float64: the same
  figures to rounding, on Walker shells of every kind the propagator's symmetry covers;
* Skyfield's ``is_sunlit`` (JPL's DE421 from ``skyfield-data``) for every satellite of a small
  shell: the count of satellites whose Sun's centre is visible lies between the stage's
  full-sun and any-sun counts at every step;
* SGP4 run satellite by satellite (``SatrecArray``) with DE421's Sun through the exact conical
  fraction: the fleet's mean visible fraction.
"""

import numpy as np
import pytest
from sgp4.api import SatrecArray
from skyfield import sgp4lib
from skyfield.api import EarthSatellite

from constellations.io.scenario import load_scenario
from constellations.model.constellation import Constellation, ElementSet, Shell
from constellations.stages.illumination import fleet_powered_fraction
from constellations.stages.resolve import resolve
from orbital.shadow import conical_visible_fraction
from orbital.times import TimeGrid

#: 53-degree planes cross the Earth's shadow every orbit from 1 January on.
EPOCH = "2027-01-01T00:00:00Z"
#: A dawn-dusk plane at 340 km is in its eclipse season around the June solstice.
JUNE = "2027-06-21T00:00:00Z"
STEPS = 48

#: Symmetric against general (float64): the same dot products up to a rotation's rounding
#: (1e-16 of 7,000 km), and sums of a few thousand terms in another order: 1e-9 relative
#: leaves room for both.  Counts are equal: a satellite would have to sit within 1e-12 km of
#: a cone's edge to be counted on the other side.
FLOAT64_RTOL = 1e-9
#: Against the default float32 positions of the general path: 7,000 km in float32 is held to
#: 0.5 m, and a penumbra fraction moves by at most 1e-4 over the penumbra's 10 km.  A cone
#: edge may move a satellite from one count to the next (one satellite in these fleets).
FLOAT32_VISIBLE_ATOL = 1e-4
#: The stage against SGP4 and DE421 satellite by satellite: ShadowStream's cone test reads
#: full sun up to 1.1e-3 of the disk too high in its 70 m narrow penumbra (derived in
#: tests/orbital/test_shadow.py; tests/stages/test_illumination.py's STREAM_TOL).
STREAM_TOL = 1.2e-3

FIELDS = ("mean_visible_fraction", "full_sun_share", "any_sun_share", "compute_share")


def walker(name, planes, sats, phasing=0, **kw):
    return Shell.walker(
        name,
        altitude_km=kw.pop("altitude_km", 340.0),
        inclination_deg=kw.pop("inclination_deg", 53.0),
        planes=planes,
        sats_per_plane=sats,
        phasing=phasing,
        **kw,
    )


def one_orbit(constellation, resolved, steps=STEPS):
    period_s = 60.0 * max(r.period_min for r in resolved)
    return TimeGrid.from_offsets(constellation.epoch, np.arange(steps) * (period_s / steps))


def both_paths(constellation, ts, weights=None, steps=STEPS):
    resolved = resolve(constellation, ts)
    grid = one_orbit(constellation, resolved, steps)
    run = dict(ts=ts, resolved=resolved, compute_weight_per_shell=weights)
    symmetric = fleet_powered_fraction(constellation, grid, symmetric=True, dtype=np.float64, **run)
    general = fleet_powered_fraction(constellation, grid, symmetric=False, dtype=np.float64, **run)
    return symmetric, general, grid


def assert_same(symmetric, general):
    for name in FIELDS:
        np.testing.assert_allclose(
            getattr(symmetric, name), getattr(general, name), rtol=FLOAT64_RTOL, err_msg=name
        )
    np.testing.assert_array_equal(symmetric.failed, general.failed)
    n = general.failed + 1  # any count: the shares are counts over the working satellites
    for name in ("full_sun_share", "any_sun_share"):
        np.testing.assert_array_equal(
            np.round(getattr(symmetric, name) * n), np.round(getattr(general, name) * n)
        )


SHELLS = {
    "delta F=0": (EPOCH, walker("d0", 20, 100)),
    "gcd(P, F) = 1": (EPOCH, walker("g1", 21, 100, phasing=5)),
    "1 < gcd(P, F) < P": (EPOCH, walker("g6", 24, 100, phasing=6)),
    "star": (EPOCH, walker("star", 20, 100, phasing=3, pattern="star", inclination_deg=87.0)),
    "sun-synchronous 10:30": (
        EPOCH,
        Shell.sun_synchronous(
            "sso", altitude_km=550.0, ltan_hours=10.5, planes=12, sats_per_plane=150
        ),
    ),
    "dawn-dusk in its June eclipse season": (
        JUNE,
        Shell.sun_synchronous(
            "dd",
            altitude_km=340.0,
            ltan_hours=18.0,
            planes=30,
            sats_per_plane=100,
            raan_spread_deg=10.0,
        ),
    ),
}


@pytest.mark.parametrize("case", SHELLS)
def test_symmetric_path_equals_the_general_path(ts, case):
    epoch, shell = SHELLS[case]
    symmetric, general, _ = both_paths(Constellation("c", epoch, shells=(shell,)), ts)
    assert_same(symmetric, general)
    lit = symmetric.mean_visible_fraction
    assert 0.3 < lit.min() and lit.max() <= 1.0
    assert np.any(symmetric.any_sun_share > symmetric.full_sun_share)  # penumbra met


def test_eclipse_season_shell_meets_umbra_and_penumbra(ts):
    """The dawn-dusk shell at the June solstice, its longest eclipses ("up to about 26
    minutes" of a 91.4-minute orbit at 340 km; tests/stages/test_illumination.py holds the
    longest to 20-30 minutes): every plane in shadow part of each orbit, so the fleet's lit
    share stays within 1 - 30/91.4 and 1 - 20/91.4 at every step, with satellites in umbra
    and in penumbra throughout."""
    epoch, shell = SHELLS["dawn-dusk in its June eclipse season"]
    symmetric, _, _ = both_paths(Constellation("c", epoch, shells=(shell,)), ts)
    lit = symmetric.mean_visible_fraction
    assert np.all((1 - 30 / 91.4 < lit) & (lit < 1 - 20 / 91.4))
    assert np.all(symmetric.any_sun_share > symmetric.full_sun_share)  # some in penumbra
    assert np.all(symmetric.any_sun_share < 1.0)  # some in umbra


def test_float32_general_path_agrees_to_float32_rounding(ts):
    c = Constellation("c", EPOCH, shells=(walker("w", 24, 100, phasing=6),))
    resolved = resolve(c, ts)
    grid = one_orbit(c, resolved)
    symmetric = fleet_powered_fraction(c, grid, ts=ts, resolved=resolved, symmetric=True)
    float32 = fleet_powered_fraction(c, grid, ts=ts, resolved=resolved, symmetric=False)
    np.testing.assert_allclose(
        symmetric.mean_visible_fraction, float32.mean_visible_fraction, atol=FLOAT32_VISIBLE_ATOL
    )
    for name in ("full_sun_share", "any_sun_share"):
        moved = np.abs(getattr(symmetric, name) - getattr(float32, name)) * c.n_sats
        assert moved.max() <= 1.0 + 1e-9, name


def test_shells_element_sets_and_formations_mixed_with_weights(ts):
    """Walker shells take the symmetric path, an element set and a formation the general
    one; compute weights per group, decayed satellites counted."""
    formation = load_scenario("suncatcher-81").shells[0]
    falling = walker("falling", 3, 4, phasing=1, bstar=0.5)
    sources = resolve(Constellation("s", EPOCH, shells=(walker("t", 2, 3),)), ts)[0].walker
    tracked = ElementSet("tracked", tuple(sources.satrecs()[0:6]), tuple("ABCDEF"))
    c = Constellation(
        "mixed",
        EPOCH,
        shells=(walker("a", 12, 50, phasing=5), falling, formation),
        element_sets=(tracked,),
    )
    weights = [1.0, 3.0, 0.5, 7.0]
    symmetric, general, grid = both_paths(c, ts, weights, steps=24)
    assert_same(symmetric, general)
    assert symmetric.failed[0] == 0 and 0 < symmetric.failed[-1] <= 12  # the falling shell
    assert np.ptp(symmetric.compute_share - symmetric.mean_visible_fraction) > 1e-3


# --------------------------------------------------------------------------- authorities


def de421_sun(de421, t):
    apparent = de421["earth"].at(t).observe(de421["sun"]).apparent()
    return apparent.frame_xyz(sgp4lib.TEME).km.T


def test_sun_centre_count_lies_between_full_and_any_sun_counts(ts, de421):
    shell = walker("w", 6, 5, phasing=1)
    c = Constellation("c", EPOCH, shells=(shell,))
    resolved = resolve(c, ts)
    grid = one_orbit(c, resolved, 96)
    fleet = fleet_powered_fraction(c, grid, ts=ts, resolved=resolved, symmetric=True)
    t = grid.skyfield(ts)
    satrecs = resolved[0].walker.satrecs()[:]
    sunlit = np.array([EarthSatellite.from_satrec(s, ts).at(t).is_sunlit(de421) for s in satrecs])
    centre = sunlit.sum(axis=0)
    full, partial = fleet.full_sun_share * c.n_sats, fleet.any_sun_share * c.n_sats
    assert np.all(np.round(full) <= centre) and np.all(centre <= np.round(partial))
    assert 0 < centre.min() < c.n_sats  # some satellites in shadow at every step


def test_mean_visible_fraction_against_sgp4_and_de421(ts, de421):
    c = Constellation("c", EPOCH, shells=(walker("w", 12, 25, phasing=1),))
    resolved = resolve(c, ts)
    grid = one_orbit(c, resolved, 96)
    fleet = fleet_powered_fraction(c, grid, ts=ts, resolved=resolved, symmetric=True)
    errors, r, _ = SatrecArray(resolved[0].walker.satrecs()[:]).sgp4(*grid.sgp4_dates())
    assert not errors.any()
    visible = conical_visible_fraction(r, de421_sun(de421, grid.skyfield(ts))[None])
    np.testing.assert_allclose(
        fleet.mean_visible_fraction, visible.mean(axis=0), rtol=0, atol=STREAM_TOL
    )

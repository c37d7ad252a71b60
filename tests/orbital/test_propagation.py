"""Streamed SGP4 propagation of shells (orbital/propagation.py, constellations/propagate.py).

Authorities, none of them the code under test:

* Skyfield's ``EarthSatellite`` with its own TEME, GCRS and ITRS frames, satellite by
  satellite, for the planner's positions in every frame;
* the planner's own full path (python-sgp4 ``SatrecArray`` on every satellite) for the
  symmetric path, which must equal it to rounding error;
* Walker (1984) geometry measured back from propagated positions: orbit normals and
  arguments of latitude, not the formula the code uses;
* the Sun from JPL's DE421 (``skyfield-data``) for the apparent local time of the node,
  and the Astronomical Almanac's low-precision mean longitude of the Sun
  (``280.460 deg + 0.9856474 deg/day * (JD - 2451545.0)``) for its mean local time;
* python-sgp4's own secular node rate (``Satrec.nodedot``) against the mean Sun's
  360 degrees a tropical year;
* python-sgp4's error codes for decayed satellites.
"""

import math

import numpy as np
import pytest
from helpers import FILING_PRESETS, FORMATION_PRESETS
from hypothesis import given, settings
from hypothesis import strategies as st
from sgp4.api import SatrecArray
from sgp4.earth_gravity import wgs72
from skyfield import framelib, sgp4lib
from skyfield.api import EarthSatellite

from constellations.io.scenario import load_scenario, preset_names
from constellations.model.constellation import Constellation, Shell
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital import propagation
from orbital.propagation import collect, propagate_satrecs, propagate_walker_satellites
from orbital.times import TimeGrid

#: One metre and one millimetre, in km.
ONE_METER_KM = 1e-3
ONE_MM_KM = 1e-6
#: A plane's node and inclination, averaged over its satellites, are nearly free of
#: SGP4's short-periodic J2 terms (0.03 deg, as sin 2u and cos 2u: they sum to zero
#: over >= 3 evenly spaced satellites).  What is left is second order: the J3
#: long-period term spaces the osculating phases unevenly by ~2e = 2e-3 rad, which
#: leaves ~4e-3 of the 0.03 deg amplitude (measured: 3e-5 deg at 53 deg).
MEAN_PLANE_TOL_DEG = 1e-4
#: Osculating argument of latitude differs from the mean one by SGP4's J3
#: long-period term (an eccentricity of 0.5 |J3/J2| (R/a) sin i ~ 1.1e-3, up to
#: 2e ~ 0.13 deg along track) and J2 short-period terms (~0.02 deg); a difference of
#: two satellites can carry twice that.  The smallest spacing tested is 8.6 deg.
OSCULATING_PHASE_TOL_DEG = 0.3
#: Node minus Sun right ascension, both in TEME.  0.01 deg is 2.4 s of local time:
#: room for astropy's Sun vs DE421 (0.01") and the astrometric vs apparent Sun
#: (20" = 0.006 deg), or for the Almanac's rounded mean-Sun formula (0.001 deg in 2027),
#: while the other Sun (equation of time, 0.8 deg on Jan 1) or a GCRS/TEME mix-up
#: (0.36 deg of precession in right ascension) fail it.
LTAN_NODE_TOL_DEG = 0.01
#: The mean Sun's motion, deg/day: 360 degrees a tropical year (365.24219 days).
MEAN_SUN_DEG_PER_DAY = 360.0 / 365.24219
#: A sun-synchronous node within this of the mean Sun drifts < 0.001 min of local time a
#: year; the J2-only inclination misses by 3.4e-3 deg/day (-4.9 min a year).
SSO_NODE_RATE_TOL_DEG_PER_DAY = 1e-6
#: 2027-01-01 00:00 UTC as a Julian date (UTC for UT1: < 0.9 s, 1e-5 deg of mean Sun).
EPOCH_JD = 2461406.5
#: Beta angle from the published 96.81 deg inclination at 340 km (rounded to 0.01).
PUBLISHED_INCLINATION_TOL_DEG = 0.02
#: float32 output: the rotation stores an intermediate in the output buffer, so a
#: ~7000 km component carries up to two float32 roundings (1 ulp = 0.49 m there).
FLOAT32_ROUNDING_KM = 2.0 * float(np.spacing(np.float32(7000.0)))

EPOCH = "2027-01-01T00:00:00Z"
FRAMES = ("gcrs", "itrs", "teme")
METHODS = ("symmetry", "full")


def constellation(*shells) -> Constellation:
    return Constellation("test", EPOCH, shells=shells)


def walker(planes, sats_per_plane, phasing=0, **kw) -> Shell:
    kw.setdefault("altitude_km", 340.0)
    kw.setdefault("inclination_deg", 53.0)
    return Shell.walker("w", planes=planes, sats_per_plane=sats_per_plane, phasing=phasing, **kw)


def positions(c, grid, **kw) -> np.ndarray:
    """All positions ``(n_sat, n_t, 3)`` of a stream, copied out of the chunk buffers."""
    dtype = kw.get("dtype", np.float64)
    return collect(stream_positions(c, grid, **kw), c.n_sats, len(grid), dtype=dtype)


def wrap_deg(angle_deg):
    """Angles into (-180, 180]."""
    return -((-np.asarray(angle_deg) + 180.0) % 360.0 - 180.0)


def orbit_angles(c, ts):
    """Measured orbit geometry at the epoch, from TEME positions at t = 0 and t = 1 s.

    Returns ``(normal, node_deg, u_deg)``: unit orbit normals ``(n_sat, 3)``,
    osculating right ascension of the ascending node and argument of latitude,
    each ``(n_sat,)``, degrees.
    """
    grid = TimeGrid.from_offsets(c.epoch, [0.0, 1.0])
    r = positions(c, grid, frame="teme", ts=ts)
    normal = np.cross(r[:, 0], r[:, 1])
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    node = np.stack([-normal[:, 1], normal[:, 0], np.zeros(len(normal))], axis=-1)
    node /= np.linalg.norm(node, axis=-1, keepdims=True)
    r_hat = r[:, 0] / np.linalg.norm(r[:, 0], axis=-1, keepdims=True)
    sin_u = np.einsum("ij,ij->i", np.cross(node, r_hat), normal)
    cos_u = np.einsum("ij,ij->i", node, r_hat)
    node_deg = np.degrees(np.arctan2(normal[:, 0], -normal[:, 1]))
    return normal, node_deg, np.degrees(np.arctan2(sin_u, cos_u))


def plane_mean_nodes_deg(node_deg, planes, sats_per_plane):
    """Circular mean of the osculating nodes of each plane's satellites, ``(planes,)``."""
    unit = np.exp(1j * np.radians(node_deg.reshape(planes, sats_per_plane)))
    return np.degrees(np.angle(unit.mean(axis=1)))


def plane_mean_normals(normal, planes, sats_per_plane):
    mean = normal.reshape(planes, sats_per_plane, 3).mean(axis=1)
    return mean / np.linalg.norm(mean, axis=-1, keepdims=True)


# --------------------------------------------------------------------------- Skyfield


@pytest.fixture(scope="module")
def skyfield_case():
    shells = (
        walker(4, 5, phasing=1),
        Shell.sun_synchronous(
            "sso", altitude_km=340.0, ltan_hours=18.0, planes=3, sats_per_plane=4, phasing=2
        ),
    )
    return constellation(*shells)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("frame", FRAMES)
def test_positions_match_skyfield_satellite_by_satellite(skyfield_case, ts, frame, method):
    c = skyfield_case
    grid = TimeGrid.uniform(c.epoch, 3 * 3600.0, 60.0)
    resolved = resolve(c, ts)
    planner = positions(c, grid, frame=frame, method=method, resolved=resolved, ts=ts, chunk_sats=7)
    t = ts.utc(2027, 1, 1, 0, 0, grid.t_s)
    offset = 0
    for shell in resolved:
        for index in range(shell.n_sats):
            geocentric = EarthSatellite.from_satrec(shell.walker.satrec(index), ts).at(t)
            if frame == "gcrs":
                expected = geocentric.position.km
            elif frame == "itrs":
                expected = geocentric.frame_xyz(framelib.itrs).km
            else:
                expected = geocentric.frame_xyz(sgp4lib.TEME).km
            assert expected.shape == (3, len(grid))
            np.testing.assert_allclose(
                planner[offset + index].T,
                expected,
                rtol=0,
                atol=ONE_METER_KM,
                err_msg=f"satellite {offset + index}, frame {frame}",
            )
        offset += shell.n_sats
    assert offset == c.n_sats


def test_frames_differ_so_the_skyfield_check_can_tell_them_apart(skyfield_case, ts):
    """TEME, GCRS and ITRS positions differ by far more than the 1 m tolerance."""
    c = skyfield_case
    grid = TimeGrid.uniform(c.epoch, 600.0, 60.0)
    teme, gcrs, itrs = (positions(c, grid, frame=f, ts=ts) for f in ("teme", "gcrs", "itrs"))
    assert np.abs(teme - gcrs).max() > 10.0  # ~0.36 deg of precession: ~40 km
    assert np.abs(teme - itrs).max() > 1000.0


# ----------------------------------------------------------------- symmetry == full

SYMMETRY_CASES = [
    # planes, sats_per_plane, phasing, pattern, raan_spread_deg, bstar, chunk_sats
    pytest.param(6, 7, 0, "delta", None, 0.0, 10, id="F0"),
    pytest.param(6, 7, 5, "delta", None, 0.0, 4, id="F-coprime-chunk-below-plane"),
    pytest.param(6, 7, 3, "delta", None, 0.0, 17, id="F-shares-factor-uneven-chunk"),
    pytest.param(6, 7, 4, "star", None, 0.0, 13, id="star"),
    pytest.param(5, 8, 2, "delta", 20.0, 0.0, 11, id="raan-spread"),
    pytest.param(12, 10, 9, "delta", None, 0.0, 25, id="F9-of-12"),
    pytest.param(6, 7, 1, "delta", None, 2e-4, 9, id="bstar"),
]


@pytest.mark.parametrize("frame", ["itrs", "gcrs"])
@pytest.mark.parametrize(
    ("planes", "per_plane", "phasing", "pattern", "spread", "bstar", "chunk"), SYMMETRY_CASES
)
def test_symmetry_path_equals_full_path(
    ts, frame, planes, per_plane, phasing, pattern, spread, bstar, chunk
):
    c = constellation(
        walker(planes, per_plane, phasing, pattern=pattern, raan_spread_deg=spread, bstar=bstar)
    )
    grid = TimeGrid.uniform(c.epoch, 6 * 3600.0, 600.0)
    sym = positions(c, grid, frame=frame, method="symmetry", chunk_sats=chunk, ts=ts)
    full = positions(c, grid, frame=frame, method="full", chunk_sats=chunk + 1, ts=ts)
    assert np.isfinite(full).all()
    np.testing.assert_allclose(sym, full, rtol=0, atol=ONE_MM_KM)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(
    planes=st.integers(1, 9),
    per_plane=st.integers(1, 9),
    phasing_fraction=st.floats(0.0, 0.999),
    pattern=st.sampled_from(["delta", "star"]),
    bstar=st.sampled_from([0.0, 1e-4]),
    chunk=st.integers(1, 90),
)
def test_symmetry_path_equals_full_path_for_any_walker(
    ts, planes, per_plane, phasing_fraction, pattern, bstar, chunk
):
    phasing = int(phasing_fraction * planes)
    c = constellation(walker(planes, per_plane, phasing, pattern=pattern, bstar=bstar))
    grid = TimeGrid.uniform(c.epoch, 2 * 3600.0, 1800.0)
    sym = positions(c, grid, method="symmetry", chunk_sats=chunk, ts=ts)
    full = positions(c, grid, method="full", chunk_sats=chunk, ts=ts)
    np.testing.assert_allclose(sym, full, rtol=0, atol=ONE_MM_KM)


# ----------------------------------------------------------------- Walker geometry

GEOMETRY_CASES = [
    # planes, sats_per_plane, phasing, pattern, raan_spread_deg, raan_deg, inclination_deg
    pytest.param(4, 5, 1, "delta", None, 15.0, 53.0, id="delta-4x5-F1"),
    pytest.param(6, 7, 4, "star", None, 15.0, 53.0, id="star-6x7-F4"),
    pytest.param(5, 8, 2, "delta", 20.0, 200.0, 53.0, id="spread20-5x8-F2"),
    pytest.param(3, 4, 0, "delta", None, 300.0, 97.0, id="delta-3x4-F0-polar"),
]


@pytest.mark.parametrize(
    ("planes", "per_plane", "phasing", "pattern", "spread", "raan0", "inclination"),
    GEOMETRY_CASES,
)
def test_walker_geometry_measured_from_positions(
    ts, planes, per_plane, phasing, pattern, spread, raan0, inclination
):
    shell = walker(
        planes,
        per_plane,
        phasing,
        pattern=pattern,
        raan_spread_deg=spread,
        raan_deg=raan0,
        inclination_deg=inclination,
    )
    c = constellation(shell)
    normal, node_deg, u_deg = orbit_angles(c, ts)
    total = planes * per_plane
    spread_deg = spread if spread is not None else {"delta": 360.0, "star": 180.0}[pattern]

    nodes = plane_mean_nodes_deg(node_deg, planes, per_plane)
    assert abs(wrap_deg(nodes[0] - raan0)) < MEAN_PLANE_TOL_DEG
    np.testing.assert_allclose(
        wrap_deg(np.diff(nodes) - spread_deg / planes), 0.0, atol=MEAN_PLANE_TOL_DEG
    )
    mean_normals = plane_mean_normals(normal, planes, per_plane)
    np.testing.assert_allclose(
        np.degrees(np.arccos(mean_normals[:, 2])), inclination, atol=MEAN_PLANE_TOL_DEG
    )

    u = u_deg.reshape(planes, per_plane)
    assert abs(wrap_deg(u[0, 0])) < OSCULATING_PHASE_TOL_DEG
    in_plane = wrap_deg(np.diff(u, axis=1, append=u[:, :1]) - 360.0 / per_plane)
    np.testing.assert_allclose(in_plane, 0.0, atol=OSCULATING_PHASE_TOL_DEG)
    between_planes = wrap_deg(np.diff(u, axis=0) - phasing * 360.0 / total)
    np.testing.assert_allclose(between_planes, 0.0, atol=OSCULATING_PHASE_TOL_DEG)
    # The phases the walker reports (used by the OMM export) are the ones flown.
    reported = np.degrees(resolve(c, ts)[0].walker.phases_rad())
    assert reported.shape == (planes, per_plane)
    np.testing.assert_allclose(wrap_deg(u - reported), 0.0, atol=OSCULATING_PHASE_TOL_DEG)


# ----------------------------------------------------------------- SSO and the Sun


def sun_teme_unit(de421, ts):
    """Unit vector to the apparent Sun at the epoch in TEME (DE421, via Skyfield)."""
    t = ts.utc(2027, 1, 1)
    apparent = de421["earth"].at(t).observe(de421["sun"]).apparent()
    xyz = apparent.frame_xyz(sgp4lib.TEME).au
    return xyz / np.linalg.norm(xyz)


def almanac_mean_sun_ra_deg(jd_ut1):
    """The Astronomical Almanac's low-precision mean longitude of the Sun, degrees."""
    return (280.460 + 0.9856474 * (jd_ut1 - 2451545.0)) % 360.0


@pytest.mark.parametrize("ltan_hours", [18.0, 12.0, 6.0, 10.5])
def test_sun_synchronous_node_sits_at_the_mean_local_time_asked(ts, ltan_hours):
    shell = Shell.sun_synchronous(
        "sso", altitude_km=340.0, ltan_hours=ltan_hours, planes=2, sats_per_plane=6
    )
    _, node_deg, _ = orbit_angles(constellation(shell), ts)
    nodes = plane_mean_nodes_deg(node_deg, 2, 6)
    expected_deg = almanac_mean_sun_ra_deg(EPOCH_JD) + 15.0 * (ltan_hours - 12.0)
    assert abs(wrap_deg(nodes[0] - expected_deg)) < LTAN_NODE_TOL_DEG


@pytest.mark.parametrize("ltan_hours", [18.0, 10.5])
def test_apparent_ltan_puts_the_node_at_the_apparent_local_time(ts, de421, ltan_hours):
    shell = Shell.sun_synchronous(
        "sso",
        altitude_km=340.0,
        ltan_hours=ltan_hours,
        planes=2,
        sats_per_plane=6,
        ltan_reference="apparent",
    )
    _, node_deg, _ = orbit_angles(constellation(shell), ts)
    sun = sun_teme_unit(de421, ts)
    sun_ra_deg = math.degrees(math.atan2(sun[1], sun[0]))
    nodes = plane_mean_nodes_deg(node_deg, 2, 6)
    assert abs(wrap_deg(nodes[0] - sun_ra_deg - 15.0 * (ltan_hours - 12.0))) < LTAN_NODE_TOL_DEG


def test_sun_synchronous_node_turns_with_the_mean_sun_under_sgp4(ts):
    shell = Shell.sun_synchronous(
        "sso", altitude_km=340.0, ltan_hours=18.0, planes=2, sats_per_plane=3
    )
    (r,) = resolve(constellation(shell), ts)
    for index in range(r.n_sats):
        rate_deg_per_day = math.degrees(r.walker.satrec(index).nodedot) * 1440.0
        assert rate_deg_per_day == pytest.approx(
            MEAN_SUN_DEG_PER_DAY, abs=SSO_NODE_RATE_TOL_DEG_PER_DAY
        )
    assert abs(r.ltan_drift_min_per_year) < 0.001  # minutes a year


def test_dawn_dusk_orbit_normal_points_near_the_sun(ts, de421):
    # the apparent Sun and the J2-only inclination: the published 96.81 deg, node 6 h east
    shell = Shell.sun_synchronous(
        "dd",
        altitude_km=340.0,
        ltan_hours=18.0,
        planes=1,
        sats_per_plane=6,
        ltan_reference="apparent",
        sso_inclination="j2",
    )
    normal, _, _ = orbit_angles(constellation(shell), ts)
    n = plane_mean_normals(normal, 1, 6)[0]
    sun = sun_teme_unit(de421, ts)
    angle_deg = math.degrees(math.acos(np.clip(n @ sun, -1.0, 1.0)))
    assert angle_deg < 30.0  # dawn-dusk: the normal is roughly toward the Sun
    # With the node 6 h east of the Sun, beta = i + declination of the Sun
    # (sin beta = sin i cos dec sin(node - ra) + cos i sin dec).
    declination_deg = math.degrees(math.asin(sun[2]))
    beta_deg = 90.0 - angle_deg
    assert beta_deg == pytest.approx(
        96.81 + declination_deg, abs=PUBLISHED_INCLINATION_TOL_DEG + LTAN_NODE_TOL_DEG
    )


# ----------------------------------------------------------------- decay is data

DECAY_CODE = 6  # python-sgp4: "mrt is less than 1.0 which indicates the satellite has decayed"


@pytest.fixture(scope="module")
def decaying():
    c = constellation(walker(3, 4, phasing=1, bstar=0.5))
    grid = TimeGrid.uniform(c.epoch, 5 * 86400.0, 1800.0)
    satrecs = [resolve(c)[0].walker.satrec(i) for i in range(c.n_sats)]
    errors, _, _ = SatrecArray(satrecs).sgp4(*grid.sgp4_dates())
    return c, grid, errors


@pytest.mark.parametrize("method", METHODS)
def test_decayed_satellites_are_nan_where_sgp4_reports_errors(ts, decaying, method):
    c, grid, errors = decaying
    assert (errors == DECAY_CODE).any(axis=1).all()  # every satellite decays in the window
    r = positions(c, grid, method=method, chunk_sats=5, ts=ts)  # no exception
    nan = np.isnan(r)
    np.testing.assert_array_equal(nan.any(axis=2), nan.all(axis=2))
    # NaN from the first error on: after reporting decay SGP4 can return code 0 again
    # with positions thousands of km off, which must not reappear as data.
    failed = np.logical_or.accumulate(errors != 0, axis=1)
    np.testing.assert_array_equal(nan.any(axis=2), failed)
    assert np.isfinite(r[:, 0]).all()


@pytest.mark.parametrize("method", METHODS)
def test_decayed_satellites_stay_nan_after_sgp4_reports_decay(ts, decaying, method):
    c, grid, errors = decaying
    r = positions(c, grid, method=method, ts=ts)
    decayed = np.logical_or.accumulate(errors == DECAY_CODE, axis=1)
    assert np.isnan(r[decayed]).all()


@pytest.mark.parametrize("frame", FRAMES)
def test_sgp4_blocks_within_a_chunk_change_nothing(ts, decaying, frame, monkeypatch):
    """SGP4 run a few satellites at a time inside each chunk (``SGP4_BLOCK_SATS``): the
    same positions bit for bit, NaN exactly where raw ``SatrecArray`` reported failures."""
    c, grid, errors = decaying
    whole = positions(c, grid, frame=frame, method="full", chunk_sats=10, ts=ts)
    monkeypatch.setattr(propagation, "SGP4_BLOCK_SATS", 3)  # blocks of 3, 3, 3, 1 and 2

    blocked = positions(c, grid, frame=frame, method="full", chunk_sats=10, ts=ts)

    np.testing.assert_array_equal(blocked, whole)
    failed = np.logical_or.accumulate(errors != 0, axis=1)
    np.testing.assert_array_equal(np.isnan(blocked).any(axis=2), failed)


def test_element_sets_are_yielded_block_by_block_and_checked_chunk_by_chunk(
    ts, decaying, monkeypatch
):
    """Chunks of at most ``SGP4_BLOCK_SATS`` in order, each in the one reused buffer; the
    check before the grid over ``chunk_sats`` satellites at a time, as before."""
    c, grid, _ = decaying
    satrecs = [resolve(c)[0].walker.satrec(i) for i in range(c.n_sats)]
    checked = []
    real = propagation.bounds_and_failed_before  # the bounds and the check, read once

    def spy(chunk, jd, fr):
        checked.append(len(chunk))
        return real(chunk, jd, fr)

    monkeypatch.setattr(propagation, "bounds_and_failed_before", spy)
    monkeypatch.setattr(propagation, "SGP4_BLOCK_SATS", 3)
    chunks = propagate_satrecs(satrecs, grid, chunk_sats=10, ts=ts)
    spans, buffers = [], set()
    for chunk in chunks:
        spans.append((chunk.start, chunk.stop))
        buffers.add(chunk.positions_km.base.ctypes.data)
    assert spans == [(0, 3), (3, 6), (6, 9), (9, 10), (10, 12)]
    assert checked == [10, 2] and len(buffers) == 1


# ----------------------------------------------------------------- chunks and buffers


@pytest.fixture(scope="module")
def mixed():
    return constellation(
        walker(6, 7, phasing=5),
        Shell.sun_synchronous(
            "sso", altitude_km=350.0, ltan_hours=18.0, planes=3, sats_per_plane=5, phasing=1
        ),
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("frame", FRAMES)
def test_collected_chunks_equal_one_big_chunk(ts, mixed, frame, method):
    grid = TimeGrid.uniform(mixed.epoch, 3 * 3600.0, 300.0)
    chunks = stream_positions(mixed, grid, frame=frame, method=method, chunk_sats=8, ts=ts)
    spans = []
    collected = np.empty((mixed.n_sats, len(grid), 3))
    for chunk in chunks:
        assert chunk.positions_km.shape == (chunk.stop - chunk.start, len(grid), 3)
        spans.append((chunk.start, chunk.stop))
        collected[chunk.start : chunk.stop] = chunk.positions_km
    assert len(spans) > 2
    assert [s for s, _ in spans] == [0] + [e for _, e in spans[:-1]]
    assert spans[-1][1] == mixed.n_sats
    big = list(stream_positions(mixed, grid, frame=frame, method=method, chunk_sats=10**6, ts=ts))
    assert len(big) == len(mixed.shells)  # one chunk per shell
    whole = np.concatenate([chunk.positions_km for chunk in big])
    np.testing.assert_allclose(collected, whole, rtol=0, atol=ONE_MM_KM)
    via_collect = positions(mixed, grid, frame=frame, method=method, chunk_sats=8, ts=ts)
    np.testing.assert_array_equal(via_collect, collected)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("frame", FRAMES)
def test_float32_output_agrees_with_float64_to_float32_rounding(ts, mixed, frame, method):
    grid = TimeGrid.uniform(mixed.epoch, 3 * 3600.0, 60.0)
    r64 = positions(mixed, grid, frame=frame, method=method, chunk_sats=11, ts=ts)
    first = next(
        iter(stream_positions(mixed, grid, frame=frame, method=method, dtype=np.float32, ts=ts))
    )
    assert first.positions_km.dtype == np.float32
    r32 = positions(mixed, grid, frame=frame, method=method, chunk_sats=11, ts=ts, dtype=np.float32)
    assert r32.dtype == np.float32
    np.testing.assert_allclose(r32, r64, rtol=0, atol=FLOAT32_ROUNDING_KM)


# ----------------------------------------------------------------- presets


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_loads_and_resolves(ts, name):
    c = load_scenario(name)
    resolved = resolve(c, ts)
    assert len(resolved) == len(c.shells) > 0
    assert sum(r.n_sats for r in resolved) == c.n_sats
    first = 0
    for r in resolved:
        assert r.first_id == first
        first += r.n_sats
        assert r.walker.n_sats == r.shell.planes * r.shell.sats_per_plane
        assert r.raan_deg.shape == (r.shell.planes,)
        assert np.all((0.0 <= r.raan_deg) & (r.raan_deg < 360.0))
        if name in FILING_PRESETS + FORMATION_PRESETS:
            # The filings' (and the formations') 300-2,000 km: the nodal period within 1 % of
            # Kepler's (J2 moves it by a few tenths of a percent), python-sgp4's WGS-72.
            a_km = wgs72.radiusearthkm + r.shell.altitude_km
            kepler_min = 2 * np.pi * np.sqrt(a_km**3 / wgs72.mu) / 60.0
            assert r.period_min == pytest.approx(kepler_min, rel=0.01)
        else:
            assert 330.0 <= r.shell.altitude_km <= 350.0
            assert 88.0 < r.period_min < 93.0  # 330-350 km: about 91 minutes
        assert r.walker.satrec(r.n_sats - 1).error == 0


def test_million_preset_has_a_million_satellites():
    assert load_scenario("million-340").n_sats == 1_000_000


def test_dawn_dusk_preset_is_sun_synchronous_at_ltan_18(ts):
    c = load_scenario("dawn-dusk-340")
    (shell,) = c.shells
    assert shell.is_sun_synchronous and shell.ltan_hours == 18.0
    (r,) = resolve(c, ts)
    assert r.j2_inclination_deg == pytest.approx(96.81, abs=PUBLISHED_INCLINATION_TOL_DEG)
    assert math.degrees(r.walker.satrec(0).nodedot) * 1440.0 == pytest.approx(
        MEAN_SUN_DEG_PER_DAY, abs=SSO_NODE_RATE_TOL_DEG_PER_DAY
    )
    _, node_deg, _ = orbit_angles(c, ts)
    node0 = plane_mean_nodes_deg(node_deg, shell.planes, shell.sats_per_plane)[0]
    expected_deg = almanac_mean_sun_ra_deg(EPOCH_JD) + 90.0
    assert abs(wrap_deg(node0 - expected_deg)) < LTAN_NODE_TOL_DEG


def test_a_sample_of_satellites_propagates_alone_as_in_the_stream(ts):
    """The globe's sample (constellations.stages.propagate.sample_positions): Walker shells'
    chosen rows of their reference planes (a star shell of two phase classes among them),
    element sets' and a formation's members, each where the whole stream puts it (the
    symmetric path: within 1 mm) and, for the Walker shells, where raw SatrecArray on
    each satellite's own elements puts it (within 1 mm)."""
    from constellations.model.constellation import ElementSet
    from constellations.stages.propagate import sample_positions

    formation = load_scenario("suncatcher-81")
    shells = (
        walker(6, 7, 4, pattern="star"),
        Shell.walker("v", altitude_km=550.0, inclination_deg=97.6, planes=5, sats_per_plane=3),
        *formation.shells,
    )
    sources = resolve(constellation(walker(2, 3)), ts)[0].walker
    tracked = ElementSet("tracked", tuple(sources.satrecs()[0:6]), tuple("ABCDEF"))
    c = Constellation("sample", EPOCH, shells=shells, element_sets=(tracked,))
    grid = TimeGrid.uniform(c.epoch, 3600.0, 600.0)
    everything = positions(c, grid, ts=ts)
    chosen = np.sort(np.random.default_rng(1).choice(c.n_sats, size=40, replace=False))
    chosen[-1] = c.n_sats - 1  # the element set's last satellite
    alone = sample_positions(c, chosen, grid, ts=ts)
    np.testing.assert_allclose(alone, everything[chosen], rtol=0, atol=ONE_MM_KM)
    with pytest.raises(ValueError, match="must rise"):
        sample_positions(c, chosen[::-1], grid, ts=ts)
    walkers = [r.walker for r in resolve(c, ts)[:2]]
    in_walkers = chosen[chosen < sum(w.n_sats for w in walkers)]
    satrecs = [w.satrec(k) for w in walkers for k in range(w.n_sats)]
    raw = np.concatenate(
        [ch.positions_km.copy() for ch in propagate_satrecs(satrecs, grid, frame="itrs", ts=ts)]
    )
    np.testing.assert_allclose(alone[: len(in_walkers)], raw[in_walkers], rtol=0, atol=ONE_MM_KM)
    with pytest.raises(ValueError, match="indices must lie"):
        propagate_walker_satellites(walkers[0], grid, [walkers[0].n_sats])


@pytest.mark.parametrize("planes,phasing", [(6, 0), (8, 2), (7, 3)])
def test_reference_planes_turned_to_each_node_are_the_full_path(ts, planes, phasing):
    """walker_reference_planes: every plane in one class, and its reference turned by the
    plane's node, satellite s at m = (s + shift) mod S, is SatrecArray's plane."""
    from orbital.walker import PhaseClasses

    c = constellation(walker(planes, 5, phasing))
    shell = resolve(c, ts)[0].walker
    grid = TimeGrid.uniform(c.epoch, 3600.0, 600.0)
    full = positions(c, grid, frame="teme", method="full").reshape(planes, 5, len(grid), 3)
    shift = PhaseClasses.of(planes, phasing).shift
    seen = []
    for members, reference in propagation.walker_reference_planes(shell, grid):
        for p in members:
            m = (np.arange(5) + shift[p]) % 5
            c_, s_ = np.cos(shell.raan_rad[p]), np.sin(shell.raan_rad[p])
            x, y, z = reference[m, :, 0], reference[m, :, 1], reference[m, :, 2]
            turned = np.stack([c_ * x - s_ * y, s_ * x + c_ * y, z], axis=-1)
            np.testing.assert_allclose(turned, full[p], rtol=0, atol=ONE_MM_KM)
        seen.extend(members.tolist())
    assert sorted(seen) == list(range(planes))

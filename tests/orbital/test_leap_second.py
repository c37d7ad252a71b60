"""One clock across a leap second: ``t_s`` is SI seconds from the epoch for SGP4 and rotations.

TAI - UTC went from 36 s to 37 s after 2016-12-31T23:59:60Z.  Authorities, none of
them the code under test:

* Skyfield's ``EarthSatellite`` (sgp4lib, builtin timescale and leap-second table) at
  ``ts.utc(...)`` of the same instants, read in Skyfield's ITRS, GCRS and TEME, for a
  ``Satrec`` made here with python-sgp4's ``sgp4init`` and an epoch from ``jday``;
* python-sgp4 called directly on UTC Julian dates written out by hand;
* astropy's Sun at the same instants written as UTC strings (astropy takes ``23:59:60``).
"""

import json
import math
import warnings

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec, jday
from skyfield import framelib, sgp4lib
from skyfield.api import EarthSatellite

from constellations import ScenarioError, load_scenario, parse_scenario
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital.propagation import CircularWalker, collect, propagate_satrecs, propagate_walker
from orbital.sun import sun_teme_km
from orbital.times import Epoch, TimeGrid

#: The item asks positions within 1 m of Skyfield on the same instants.
ONE_METER_KM = 1e-3
#: The same instant's Sun: it moves 2e-7 rad/s, so this is 10 ms of its motion (a leap second
#: miscounted is a whole second, 2e-7 rad).
SAME_INSTANT_SUN_TOL_RAD = 2e-9
#: Julian dates as float64 pairs hold about 10 us near 2017; compare readings to 20 us.
JD_READING_TOL_S = 2e-5

#: SGP4's epoch convention: days since 1949 December 31 00:00 UTC, as a Julian date.
SGP4_EPOCH_ZERO_JD = 2433281.5
WGS72_MU_KM3_S2 = 398600.8
WGS72_RADIUS_KM = 6378.135

BEFORE = (2016, 12, 31, 23, 59, 0.0)  # a minute before the leap second
LEAP = "2016-12-31T23:59:60Z"
FRAMES = ("itrs", "gcrs", "teme")
#: The issue's grid (10 s for 3 minutes from 23:59:00; 60 s is 23:59:60) and one through the
#: leap second and its neighbours in quarter seconds.
COARSE_T_S = np.arange(19) * 10.0
FINE_T_S = np.arange(58.0, 62.01, 0.25)

SCENARIO = """
[scenario]
name = "leap"
epoch = "{epoch}"

[[shells]]
name = "s"
altitude_km = 550.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 5
phasing = 1
"""


def no_kozai_rad_min(altitude_km: float) -> float:
    a = WGS72_RADIUS_KM + altitude_km
    return math.sqrt(WGS72_MU_KM3_S2 / a**3) * 60.0


def satrec_at(
    epoch_fields, *, inclo, nodeo, mo, no_kozai, satnum=0, ecco=0.0, argpo=0.0, bstar=0.0
):
    """A ``Satrec`` whose SGP4 epoch is ``jday(*epoch_fields)``, made with python-sgp4 only."""
    jd, fr = jday(*epoch_fields)
    satrec = Satrec()
    satrec.sgp4init(
        WGS72,
        "i",
        satnum,
        (jd - SGP4_EPOCH_ZERO_JD) + fr,
        bstar,
        0.0,
        0.0,
        ecco,
        argpo,
        inclo,
        mo,
        no_kozai,
        nodeo,
    )
    return satrec


def skyfield_km(satrec, t, frame: str) -> np.ndarray:
    """Skyfield's positions ``(n_t, 3)`` km of ``satrec`` at the Skyfield Time ``t``."""
    geocentric = EarthSatellite.from_satrec(satrec, t.ts).at(t)
    if frame == "gcrs":
        return geocentric.position.km.T
    return geocentric.frame_xyz(framelib.itrs if frame == "itrs" else sgp4lib.TEME).km.T


ONE_SATELLITE = dict(
    inclo=math.radians(53.0), nodeo=math.radians(40.0), mo=0.0, no_kozai=no_kozai_rad_min(550.0)
)


# --- the reproducer: one satellite at 550 km from 23:59:00 across the leap second -----------


@pytest.mark.parametrize("t_s", [COARSE_T_S, FINE_T_S], ids=["10s-steps", "quarter-seconds"])
@pytest.mark.parametrize("path", ["walker", "satrecs"])
@pytest.mark.parametrize("frame", FRAMES)
def test_one_satellite_across_the_leap_second_is_where_skyfield_puts_it(ts, frame, path, t_s):
    expected = skyfield_km(satrec_at(BEFORE, **ONE_SATELLITE), ts.utc(*BEFORE[:5], t_s), frame)
    epoch = Epoch(*BEFORE)
    grid = TimeGrid.from_offsets(epoch, t_s)
    if path == "walker":
        shell = CircularWalker(
            epoch,
            no_kozai_rad_min=ONE_SATELLITE["no_kozai"],
            inclination_rad=ONE_SATELLITE["inclo"],
            raan_rad=np.array([ONE_SATELLITE["nodeo"]]),
            sats_per_plane=1,
            phasing=0,
        )
        chunks = propagate_walker(shell, grid, frame=frame, ts=ts)
    else:
        satrecs = [satrec_at(BEFORE, **ONE_SATELLITE)]
        chunks = propagate_satrecs(satrecs, grid, frame=frame, ts=ts)
    got = collect(chunks, 1, len(grid))[0]
    error_km = np.linalg.norm(got - expected, axis=-1)
    assert error_km.max() < ONE_METER_KM, (
        f"worst {error_km.max() * 1e3:.1f} m at t_s={t_s[error_km.argmax()]}"
    )


def test_skyfield_gives_sgp4_half_a_second_before_midnight_during_the_leap_second(ts):
    """The reference behaviour the planner follows: at 23:59:60.x sgp4lib reads 23:59:59.5 + x.

    Before the leap second and after it SGP4 is given the UTC of the instant.
    """
    satrec = satrec_at(BEFORE, **ONE_SATELLITE)
    cases = [
        ((2016, 12, 31, 23, 59, 59.75), (2016, 12, 31, 23, 59, 59.75)),
        ((2016, 12, 31, 23, 59, 60.0), (2016, 12, 31, 23, 59, 59.5)),
        ((2016, 12, 31, 23, 59, 60.25), (2016, 12, 31, 23, 59, 59.75)),
        ((2016, 12, 31, 23, 59, 60.75), (2017, 1, 1, 0, 0, 0.25)),
        ((2017, 1, 1, 0, 0, 0.25), (2017, 1, 1, 0, 0, 0.25)),
    ]
    for instant, reading in cases:
        _, expected, _ = satrec.sgp4(*jday(*reading))
        got = skyfield_km(satrec, ts.utc(*instant), "teme")
        assert np.linalg.norm(got - expected) < ONE_METER_KM, instant


@pytest.mark.parametrize(
    ("epoch", "t_s", "readings"),
    [
        (
            "2016-12-31T23:59:00Z",
            [-86400.0, 0.0, 59.0, 59.5, 60.0, 60.5, 61.0, 70.0, 180.0, 86461.0],
            [
                (2016, 12, 30, 23, 59, 0.0),
                (2016, 12, 31, 23, 59, 0.0),
                (2016, 12, 31, 23, 59, 59.0),
                (2016, 12, 31, 23, 59, 59.5),
                (2016, 12, 31, 23, 59, 59.5),  # 23:59:60
                (2017, 1, 1, 0, 0, 0.0),  # 23:59:60.5
                (2017, 1, 1, 0, 0, 0.0),
                (2017, 1, 1, 0, 0, 9.0),
                (2017, 1, 1, 0, 1, 59.0),
                (2017, 1, 2, 0, 0, 0.0),
            ],
        ),
        (
            LEAP,
            [-1.0, -0.5, 0.0, 0.25, 1.0, 3600.0],
            [
                (2016, 12, 31, 23, 59, 59.0),
                (2016, 12, 31, 23, 59, 59.5),
                (2016, 12, 31, 23, 59, 59.5),
                (2016, 12, 31, 23, 59, 59.75),
                (2017, 1, 1, 0, 0, 0.0),
                (2017, 1, 1, 0, 59, 59.0),
            ],
        ),
        (
            "2017-01-01T00:00:10Z",
            [-11.0, -10.5, -10.0, -9.0, 0.0],
            [
                (2016, 12, 31, 23, 59, 59.5),  # 23:59:60
                (2016, 12, 31, 23, 59, 60.0),  # 23:59:60.5, the next midnight
                (2017, 1, 1, 0, 0, 0.0),
                (2017, 1, 1, 0, 0, 1.0),
                (2017, 1, 1, 0, 0, 10.0),
            ],
        ),
    ],
    ids=["from-23:59:00", "from-23:59:60", "from-00:00:10"],
)
def test_sgp4_is_given_the_utc_of_each_instant(epoch, t_s, readings):
    jd, fr = TimeGrid.from_offsets(epoch, t_s).sgp4_dates()
    for k, reading in enumerate(readings):
        expected_jd, expected_fr = jday(*reading)
        off_s = ((jd[k] - expected_jd) + (fr[k] - expected_fr)) * 86400.0
        assert abs(off_s) < JD_READING_TOL_S, (t_s[k], reading, off_s)


def test_the_sun_across_the_leap_second_is_astropys_at_the_same_instants(ts):
    from astropy.coordinates import get_sun
    from astropy.time import Time
    from astropy.utils import iers

    t_s = np.array([0.0, 30.0, 59.0, 60.0, 61.0, 90.0, 180.0])
    written = [
        "2016-12-31T23:59:00",
        "2016-12-31T23:59:30",
        "2016-12-31T23:59:59",
        "2016-12-31T23:59:60",
        "2017-01-01T00:00:00",
        "2017-01-01T00:00:29",
        "2017-01-01T00:01:59",
    ]
    with iers.conf.set_temp("auto_download", False), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy's IERS age notices; no download either way
        sun_gcrs = get_sun(Time(written, scale="utc")).cartesian.xyz.to_value("km").T
    gcrs_to_teme = np.moveaxis(
        np.asarray(sgp4lib.TEME.rotation_at(ts.utc(*BEFORE[:5], t_s))), -1, 0
    )
    expected = np.einsum("tij,tj->ti", gcrs_to_teme, sun_gcrs)
    got = sun_teme_km(TimeGrid.from_offsets(Epoch(*BEFORE), t_s), ts)
    cross = np.linalg.norm(np.cross(got, expected), axis=-1)
    angle = np.arctan2(cross, np.sum(got * expected, axis=-1))
    assert angle.max() < SAME_INSTANT_SUN_TOL_RAD, angle


# --- an epoch of 23:59:60, through the scenario file and the command line ------------------


def leap_oracle_km(satrecs, t_s, frame, ts):
    """Skyfield's positions ``(n_sat, n_t, 3)`` for the planner's elements, epoch 23:59:60.

    Only the mean elements are taken from the planner; the SGP4 epoch is the one Skyfield's
    sgp4lib gives SGP4 at 23:59:60 (23:59:59.5, see the test above).
    """
    t = ts.utc(2016, 12, 31, 23, 59, 60.0 + np.asarray(t_s))
    out = []
    for s in satrecs:
        elements = dict(inclo=s.inclo, nodeo=s.nodeo, mo=s.mo, no_kozai=s.no_kozai)
        elements.update(ecco=s.ecco, argpo=s.argpo, bstar=s.bstar, satnum=s.satnum)
        out.append(skyfield_km(satrec_at((2016, 12, 31, 23, 59, 59.5), **elements), t, frame))
    return np.stack(out)


@pytest.mark.parametrize("method", ["symmetry", "full"])
def test_a_leap_second_epoch_in_a_scenario_propagates_as_skyfield_does(ts, tmp_path, method):
    path = tmp_path / "leap.toml"
    path.write_text(SCENARIO.format(epoch=LEAP))
    constellation = load_scenario(path)
    t_s = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 10.0, 600.0])
    grid = TimeGrid.from_offsets(constellation.epoch, t_s)
    resolved = resolve(constellation, ts)
    satrecs = resolved[0].walker.satrecs()[:]
    for frame in FRAMES:
        stream = stream_positions(constellation, grid, frame=frame, method=method, ts=ts)
        got = collect(stream, constellation.n_sats, len(grid))
        error_km = np.linalg.norm(got - leap_oracle_km(satrecs, t_s, frame, ts), axis=-1)
        assert error_km.max() < ONE_METER_KM, (frame, error_km.max())


def test_the_command_line_propagates_from_a_leap_second_epoch(cli_in_process, ts, tmp_path):
    path = tmp_path / "leap.toml"
    path.write_text(SCENARIO.format(epoch=LEAP))
    out = tmp_path / "positions.npz"
    run = cli_in_process(
        "propagate", str(path), "--hours", "0.05", "--step-s", "10", "--out", str(out), cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    with np.load(out) as data:
        got, t_s, epoch = data["positions_km"], data["t_s"], str(data["epoch"])
    assert Epoch.parse(epoch) == Epoch.parse(LEAP) and t_s[-1] == 180.0
    satrecs = resolve(load_scenario(path), ts)[0].walker.satrecs()[:]
    error_km = np.linalg.norm(got - leap_oracle_km(satrecs, t_s, "itrs", ts), axis=-1)
    assert error_km.max() < ONE_METER_KM


def test_the_command_line_refuses_23_59_60_on_a_day_without_a_leap_second(cli_in_process, tmp_path):
    path = tmp_path / "no-leap.toml"
    path.write_text(SCENARIO.format(epoch="2017-06-30T23:59:60Z"))
    out = tmp_path / "positions.npz"
    run = cli_in_process(
        "propagate", str(path), "--hours", "0.05", "--step-s", "10", "--out", str(out), cwd=tmp_path
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "epoch='2017-06-30T23:59:60Z'" in lines[0]
    assert "2017-06-30 does not end with one" in lines[0] and "write 23:59:59" in lines[0]
    assert not out.exists()


def test_a_bare_toml_leap_second_is_refused_saying_to_quote_it(tmp_path):
    """TOML allows a bare ``23:59:60``; Python's reader cannot hold it, so the message says how."""
    text = SCENARIO.format(epoch=LEAP).replace(f'"{LEAP}"', LEAP)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, origin="leap.toml")
    message = str(caught.value)
    assert message == (
        f"leap.toml: epoch = {LEAP}: Python's TOML reader cannot hold a second of 60 in a bare "
        f'date-time; quote it: epoch = "{LEAP}"'
    )
    quoted = parse_scenario(SCENARIO.format(epoch=LEAP), origin="leap.toml")
    assert quoted.epoch == Epoch.parse(LEAP)


def test_links_at_a_time_after_the_leap_second_count_it(cli_in_process, tmp_path):
    """``--time`` becomes SI seconds from the epoch: 23:59:00 to 00:00:00 across it is 61 s."""
    path = tmp_path / "before.toml"
    path.write_text(SCENARIO.format(epoch="2016-12-31T23:59:00Z"))
    run = cli_in_process(
        "links", str(path), "--time", "2017-01-01T00:00:00Z", "--json", "-", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    network = json.loads(run.stdout)["network"]
    assert network["time_s"] == 61.0 == network["over_orbit"]["time_s"][0]

"""Element sets that failed before the first time asked for, and radii no orbit reaches
(orbital/validity.py, and the propagation that uses it).

Authorities, none of them the code under test:

* python-sgp4's ``Satrec.sgp4_array`` called directly, stepping minute by minute from each
  element set's own epoch: its error codes say whether SGP4 failed before a time;
* Kepler's third law and the conic equation (apoapsis ``a (1 + e) < 2 a``) for the radius
  no orbit of the element set reaches, with ``a`` from the TLE's own mean motion;
* the calendar (``datetime``) for the days between two epochs.
"""

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from helpers import DECAYED_TLE, ISS_TLE
from sgp4.api import WGS72, Satrec

from constellations.model.constellation import Constellation, ElementSet, Shell
from constellations.stages.propagate import stream_positions
from orbital import propagation
from orbital.propagation import collect
from orbital.times import Epoch, TimeGrid
from orbital.validity import check_times_min, epoch_gap_days, failed_before, implausible

# Issue 13, item 1: a Starlink element set (NORAD 55897) that SGP4 decays about a day
# after its epoch (2025 day 58.124); the scenario's epoch is 21.8 days later.
DECAYED_LINE1, DECAYED_LINE2 = DECAYED_TLE
DECAYED_SCENARIO_EPOCH = "2025-03-20T21:39:16Z"
# python-sgp4 README, "Usage": the ISS (ZARYA) element set of 2019-12-09.
ISS_LINE1, ISS_LINE2 = ISS_TLE

DECAY_CODE = 6  # python-sgp4: "mrt is less than 1.0 which indicates the satellite has decayed"
MINUTES_PER_DAY = 1440.0
#: Earth's gravitational parameter, km^3/s^2 (WGS-72, the model SGP4's elements are in).
MU_WGS72_KM3_S2 = 398600.8


def decayed() -> Satrec:
    return Satrec.twoline2rv(DECAYED_LINE1, DECAYED_LINE2)


def dates(epoch: str) -> tuple[float, float]:
    return Epoch.parse(epoch).sgp4_dates()


def errors_minute_by_minute(satrec, end_min: float) -> np.ndarray:
    """SGP4's error codes every minute from the element epoch to ``end_min`` (included)."""
    t_min = np.append(np.arange(0.0, end_min, 1.0), end_min)
    jd = np.full(t_min.shape, satrec.jdsatepoch)
    errors, _, _ = satrec.sgp4_array(jd, satrec.jdsatepochF + t_min / MINUTES_PER_DAY)
    return errors


def minutes_to(satrec, epoch: str) -> float:
    jd, fr = dates(epoch)
    return ((jd - satrec.jdsatepoch) + (fr - satrec.jdsatepochF)) * MINUTES_PER_DAY


# --------------------------------------------------------------------------- the reproducer


def test_reproducer_decays_before_the_scenario_epoch_by_sgp4_itself():
    satrec = decayed()
    errors = errors_minute_by_minute(satrec, minutes_to(satrec, DECAYED_SCENARIO_EPOCH))
    first = np.flatnonzero(errors)[0]
    assert errors[first] == DECAY_CODE and first / MINUTES_PER_DAY < 1.0  # within a day
    assert errors[-1] == 0  # and SGP4 says nothing wrong at the scenario epoch itself
    assert failed_before([satrec], *dates(DECAYED_SCENARIO_EPOCH)).tolist() == [True]


def test_reproducer_is_nan_from_the_start_in_the_stream():
    element_set = ElementSet("tracked", (decayed(),), ("OBJECT A",))
    c = Constellation("decayed", DECAYED_SCENARIO_EPOCH, element_sets=(element_set,))
    grid = TimeGrid.uniform(c.epoch, 5400.0, 60.0)
    r = collect(stream_positions(c, grid, frame="teme"), 1, len(grid))
    assert np.isnan(r).all()


def test_iss_propagated_seven_years_is_not_failed_by_sgp4_nor_by_the_check():
    iss = Satrec.twoline2rv(ISS_LINE1, ISS_LINE2)
    end = minutes_to(iss, "2027-01-01T00:00:00Z")
    assert not errors_minute_by_minute(iss, end).any()
    assert failed_before([iss], *dates("2027-01-01T00:00:00Z")).tolist() == [False]


def test_days_from_the_epoch_follow_the_calendar():
    iss = Satrec.twoline2rv(ISS_LINE1, ISS_LINE2)
    element_epoch = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=343.69339541 - 1.0)
    for scenario in ("2027-01-01T00:00:00Z", "2019-12-01T06:00:00Z"):
        when = datetime.fromisoformat(scenario.replace("Z", "+00:00"))
        expected = (when - element_epoch) / timedelta(days=1)
        (gap,) = epoch_gap_days([iss], *dates(scenario))
        assert gap == pytest.approx(expected, abs=1e-6)  # about 0.1 s


# --------------------------------------------------------------------------- any scenario epoch


@pytest.mark.parametrize("days_after", np.round(np.arange(0.05, 12.0, 0.173), 3).tolist())
def test_every_start_after_the_reproducers_decay_is_failed_as_sgp4_says(days_after):
    """Starts across the error window and past it, where SGP4 is quiet again (r from
    6,389 km at 3.8 days up to 10^11 km): failed exactly when SGP4 failed on the way."""
    satrec = decayed()
    end_min = days_after * MINUTES_PER_DAY
    sgp4_failed = bool(errors_minute_by_minute(satrec, end_min).any())
    fr = satrec.jdsatepochF + days_after
    assert failed_before([satrec], satrec.jdsatepoch, fr).tolist() == [sgp4_failed]


def random_population(seed: int, n: int):
    """``n`` near-circular LEO element sets with drag, each with its own epoch."""
    rng = np.random.default_rng(seed)
    satrecs = []
    for i in range(n):
        altitude_km = rng.uniform(200.0, 600.0)
        a_er = (6378.135 + altitude_km) / 6378.135
        no_kozai = 0.0743669161 / a_er**1.5  # xke / a^1.5, rad/min (WGS-72)
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            i + 1,
            27000.0 + rng.uniform(0.0, 3.0),  # days since 1949-12-31
            10 ** rng.uniform(-4.0, -0.3),  # bstar, 1/earth radii
            0.0,
            0.0,
            rng.uniform(1e-4, 0.02),
            rng.uniform(0.0, 2 * math.pi),
            math.radians(rng.uniform(30.0, 98.0)),
            rng.uniform(0.0, 2 * math.pi),
            no_kozai,
            rng.uniform(0.0, 2 * math.pi),
        )
        satrecs.append(satrec)
    return satrecs


def test_a_population_is_failed_exactly_where_sgp4_fails_minute_by_minute():
    satrecs = random_population(13, 80)
    jd, fr = 2433281.5 + 27000.0, 3.0 + 25.0  # 22 to 25 days after every element epoch
    expected = [bool(errors_minute_by_minute(s, minutes_to_date(s, jd, fr)).any()) for s in satrecs]
    assert 10 < sum(expected) < 70  # both kinds are in the population
    np.testing.assert_array_equal(failed_before(satrecs, jd, fr), expected)


def minutes_to_date(satrec, jd: float, fr: float) -> float:
    return ((jd - satrec.jdsatepoch) + (fr - satrec.jdsatepochF)) * MINUTES_PER_DAY


def test_satellites_sharing_an_epoch_are_checked_together_the_same():
    satrecs = random_population(7, 30)
    shared = [Satrec.twoline2rv(DECAYED_LINE1, DECAYED_LINE2) for _ in range(3)]
    jd, fr = dates(DECAYED_SCENARIO_EPOCH)
    together = failed_before(satrecs + shared, jd, fr)
    alone = [failed_before([s], jd, fr)[0] for s in satrecs + shared]
    np.testing.assert_array_equal(together, alone)
    assert together[-3:].all()


@pytest.mark.parametrize("days_before", [0.2, 0.6, 1.0, 2.0])
def test_a_start_before_the_element_epoch_is_checked_backwards(days_before):
    """Heavy drag run backwards fails too (the radius shrinks below the Earth's within
    about two days): failed exactly when SGP4, stepped back minute by minute, fails."""
    satrec = decayed()
    t_min = -np.append(np.arange(0.0, days_before * MINUTES_PER_DAY), days_before * MINUTES_PER_DAY)
    errors, _, _ = satrec.sgp4_array(
        np.full(t_min.shape, satrec.jdsatepoch), satrec.jdsatepochF + t_min / MINUTES_PER_DAY
    )
    before = failed_before([satrec], satrec.jdsatepoch, satrec.jdsatepochF - days_before)
    assert before.tolist() == [bool(errors.any())]


def test_check_times_double_from_one_minute_and_end_at_the_time_itself():
    np.testing.assert_array_equal(check_times_min(10.0), [1.0, 2.0, 4.0, 8.0, 10.0])
    np.testing.assert_array_equal(check_times_min(-3.0), [-1.0, -2.0, -3.0])
    assert check_times_min(0.0).size == 0
    assert check_times_min(210 * MINUTES_PER_DAY).size == 20  # seven months: 20 propagations


# --------------------------------------------------------------------------- radius bounds


def test_a_radius_beyond_twice_the_semi_major_axis_is_implausible():
    satrec = decayed()
    # a from the TLE's own mean motion (Kepler's third law); no orbit reaches beyond 2a.
    n_rad_s = 15.92146194 * 2.0 * math.pi / 86400.0
    a_km = (MU_WGS72_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    t_min = np.arange(10.0, 11.0, 0.01) * MINUTES_PER_DAY  # 10 days on: SGP4 quiet, far away
    errors, r, _ = satrec.sgp4_array(
        np.full(t_min.shape, satrec.jdsatepoch), satrec.jdsatepochF + t_min / MINUTES_PER_DAY
    )
    radius = np.linalg.norm(r, axis=1)
    assert not errors.any() and (radius > 2.0 * a_km).all()
    low, high = np.array([6378.135]), np.array([2.0 * a_km])
    assert implausible(r[None], low, high).all()
    inside = np.array([[[a_km, 0.0, 0.0], [0.0, 0.0, 6400.0], [0.0, 6300.0, 0.0]]])
    assert implausible(inside, low, high).tolist() == [[False, False, True]]


def test_the_radius_bound_alone_keeps_far_away_positions_out(monkeypatch):
    """With the check from the element epoch switched off, positions SGP4 reports without an
    error code but beyond twice the semi-major axis are still NaN."""
    monkeypatch.setattr(
        propagation, "failed_before", lambda satrecs, jd, fr: np.zeros(len(satrecs), bool)
    )
    satrec = decayed()
    element_set = ElementSet("tracked", (satrec,), ("OBJECT A",))
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=58.12407234 - 1.0 + 10.0)
    c = Constellation("decayed", start.strftime("%Y-%m-%dT%H:%M:%SZ"), element_sets=(element_set,))
    grid = TimeGrid.uniform(c.epoch, 3600.0, 600.0)
    errors, _, _ = satrec.sgp4_array(*grid.sgp4_dates())
    assert not errors.any()  # SGP4 alone would call these valid
    r = collect(stream_positions(c, grid, frame="teme"), 1, len(grid))
    assert np.isnan(r).all()


def test_a_walker_shell_failed_before_a_later_start_is_nan_from_it():
    """The same rule on the symmetric path: a shell with heavy drag, propagated from a
    later start where SGP4 is quiet again for an hour after failing on the way."""
    shell = Shell.walker(
        "w", altitude_km=340.0, inclination_deg=53.0, planes=2, sats_per_plane=3, bstar=0.5
    )
    c = Constellation("w", "2027-01-01T00:00:00Z", shells=(shell,))
    from constellations.stages.resolve import resolve

    satrec = resolve(c)[0].walker.satrec(0)
    errors = errors_minute_by_minute(satrec, 5 * MINUTES_PER_DAY)
    quiet = np.convolve(errors == 0, np.ones(61), mode="valid") == 61  # an hour of error 0
    start_min = int(np.flatnonzero(quiet & (np.arange(quiet.size) > np.argmax(errors)))[0])
    grid = TimeGrid.from_offsets(c.epoch, 60.0 * (start_min + np.arange(0.0, 61.0, 10.0)))
    grid_errors, _, _ = satrec.sgp4_array(*grid.sgp4_dates())
    assert errors[:start_min].any() and not grid_errors.any()
    for method in ("symmetry", "full"):
        r = collect(stream_positions(c, grid, method=method), c.n_sats, len(grid))
        assert np.isnan(r).all(), method

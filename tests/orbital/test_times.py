"""The scenario epoch as an orbital.times.Epoch: parsed, written, compared, and a leap second.

The leap second of 2016-12-31 (TAI - UTC went from 36 s to 37 s at 2017-01-01
00:00 UTC) is in Skyfield's builtin leap-second table; 2017-06-30 had none.
"""

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from sgp4.api import jday

from constellations import ScenarioError, load_scenario, parse_scenario
from constellations.model.scenario import ScenarioFile
from constellations.planner import plan
from constellations.records import epoch_text, plan_record, to_json_text
from orbital.propagation import CircularWalker, sgp4_epoch
from orbital.times import Epoch, TimeGrid, builtin_timescale, julian_date_utc, parse_epoch

LEAP = "2016-12-31T23:59:60Z"
NO_LEAP = "2017-06-30T23:59:60Z"

SCENARIO = """
[scenario]
name = "leap"
epoch = {epoch}

[[shells]]
name = "s"
altitude_km = 550.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 5
phasing = 1
"""


def scenario_text(epoch: str) -> str:
    return SCENARIO.format(epoch=epoch)


# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        ("2027-01-01T00:00:00Z", (2027, 1, 1, 0, 0, 0.0)),
        ("2027-01-01T00:00:00z", (2027, 1, 1, 0, 0, 0.0)),
        ("2027-01-01T02:30:00+02:00", (2027, 1, 1, 0, 30, 0.0)),
        ("2027-01-01T00:15:00-01:00", (2027, 1, 1, 1, 15, 0.0)),
        ("2027-01-01T06:30:00", (2027, 1, 1, 6, 30, 0.0)),
        ("  2027-01-01T06:30:00Z ", (2027, 1, 1, 6, 30, 0.0)),
        ("2027-01-01", (2027, 1, 1, 0, 0, 0.0)),
        ("2027-03-14T15:09:26.535897Z", (2027, 3, 14, 15, 9, 26 + 535897 * 1e-6)),
        ("2027-03-14T15:09:26.5Z", (2027, 3, 14, 15, 9, 26.5)),
        (datetime(2027, 1, 1, 6, 30), (2027, 1, 1, 6, 30, 0.0)),
        (
            datetime(2027, 1, 1, 6, 30, tzinfo=timezone(timedelta(hours=1))),
            (2027, 1, 1, 5, 30, 0.0),
        ),
        (datetime(2027, 1, 1, 6, 30, 1, 250000, tzinfo=UTC), (2027, 1, 1, 6, 30, 1.25)),
    ],
    ids=repr,
)
def test_parse_forms(value, fields):
    epoch = Epoch.parse(value)
    got = (epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, epoch.second)
    assert got == fields
    assert Epoch.parse(epoch) is epoch
    assert parse_epoch(value) == epoch


def test_second_is_the_float_a_datetime_gave():
    """``second`` is ``datetime.second + microsecond * 1e-6``, bit for bit, and is canonical."""
    moment = datetime(2027, 3, 14, 15, 9, 26, 535897, tzinfo=UTC)
    epoch = Epoch.parse(moment)
    assert epoch.second == moment.second + moment.microsecond * 1e-6
    assert epoch.microsecond == 535897
    assert Epoch(2027, 3, 14, 15, 9, 26.5358970000001) == epoch
    assert Epoch(2027, 1, 1, 0, 0, 59.9999999).microsecond == 999999  # never rounds into 60


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("next tuesday", "epoch='next tuesday': not an ISO-8601 time; write it like"),
        ("2027-13-01T00:00:00Z", "not an ISO-8601 time"),
        ("2016-12-31T23:59:61Z", "not an ISO-8601 time"),
        (5, "epoch=5: must be an ISO-8601 time such as '2027-01-01T00:00:00Z'"),
        (None, "must be an ISO-8601 time"),
    ],
)
def test_parse_refuses_with_todays_messages(value, message):
    with pytest.raises(ValueError, match=message):
        Epoch.parse(value)


def test_toml_datetimes_are_taken_through_the_scenario():
    for toml, fields in [
        ("2027-01-01T06:30:00Z", (2027, 1, 1, 6, 30, 0.0)),
        ("2027-01-01T06:30:00+02:00", (2027, 1, 1, 4, 30, 0.0)),
        ("2027-01-01T06:30:00", (2027, 1, 1, 6, 30, 0.0)),
        ("2027-01-01T06:30:00.25Z", (2027, 1, 1, 6, 30, 0.25)),
    ]:
        epoch = parse_scenario(scenario_text(toml)).epoch
        assert isinstance(epoch, Epoch)
        assert (epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute) == fields[:5]
        assert epoch.second == fields[5]


def test_the_scenario_schema_still_says_an_iso_8601_string():
    epoch = ScenarioFile.model_json_schema()["$defs"]["ScenarioTable"]["properties"]["epoch"]
    assert (epoch["type"], epoch["format"]) == ("string", "date-time")


# --- the leap second ----------------------------------------------------------------------


def test_a_leap_second_is_taken_and_round_trips():
    epoch = Epoch.parse(LEAP)
    assert (epoch.hour, epoch.minute, epoch.second) == (23, 59, 60.0)
    assert epoch.is_leap_second
    assert epoch.isoformat() == "2016-12-31T23:59:60+00:00"
    assert epoch.iso_z() == LEAP == epoch_text(epoch)
    assert Epoch.parse(epoch.isoformat()) == epoch == Epoch.parse(epoch.iso_z())
    assert Epoch.parse("2017-01-01T00:59:60+01:00") == epoch
    assert Epoch.parse("20161231T235960Z") == epoch
    assert Epoch(2016, 12, 31, 23, 59, 60) == epoch
    fraction = Epoch.parse("2016-12-31T23:59:60.25Z")
    assert (fraction.second, fraction.iso_z()) == (60.25, "2016-12-31T23:59:60.250000Z")


def test_a_leap_second_writes_60_in_strftime_and_has_a_documented_datetime():
    epoch = Epoch.parse("2016-12-31T23:59:60.5Z")
    assert epoch.strftime("%Y-%m-%dT%H:%M:%S.%f") == "2016-12-31T23:59:60.500000"
    assert epoch.strftime("%%S %S") == "%S 60"
    assert epoch.datetime == datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    with pytest.raises(ValueError, match="%T cannot write the leap second"):
        epoch.strftime("%T")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (NO_LEAP, "2017-06-30 does not end with one in Skyfield's builtin leap-second table"),
        ("2027-01-01T12:00:60Z", "comes only at 23:59:60 UTC"),
    ],
)
def test_a_second_of_60_on_another_day_is_refused_in_one_line(value, why):
    with pytest.raises(ValueError, match=why) as caught:
        Epoch.parse(value)
    message = str(caught.value)
    assert message.startswith(f"epoch={value!r}: ") and "\n" not in message
    assert "leap second" in message
    with pytest.raises(ScenarioError, match=why) as caught:
        parse_scenario(scenario_text(f'"{value}"'))
    assert f"[scenario]: epoch={value!r}: " in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_leap_second_from_the_fields_is_checked_too():
    with pytest.raises(ValueError, match="2017-06-30T23:59:60Z"):
        Epoch(2017, 6, 30, 23, 59, 60.0)
    with pytest.raises(ValueError, match="less than 61"):
        Epoch(2016, 12, 31, 23, 59, 61.0)


def test_elapsed_time_across_the_leap_second_counts_it():
    before = Epoch.parse("2016-12-31T23:59:59Z")
    leap = Epoch.parse(LEAP)
    after = Epoch.parse("2017-01-01T00:00:00Z")
    assert after - before == timedelta(seconds=2)
    assert (leap - before, after - leap) == (timedelta(seconds=1), timedelta(seconds=1))
    assert before - after == timedelta(seconds=-2)
    assert after - datetime(2016, 12, 31, 23, 59, 59) == timedelta(seconds=2)
    assert datetime(2017, 1, 1, tzinfo=UTC) - before == timedelta(seconds=2)
    ts = builtin_timescale()
    t0, t1 = ts.utc(2016, 12, 31, 23, 59, 59.0), ts.utc(2017, 1, 1, 0, 0, 0.0)
    skyfield_s = ((t1.whole - t0.whole) + (t1.tai_fraction - t0.tai_fraction)) * 86400.0
    assert (after - before).total_seconds() == pytest.approx(skyfield_s, abs=1e-6)
    # A day without a leap second is 86400 SI seconds, as datetime arithmetic has it.
    a, b = Epoch.parse("2027-01-01T00:00:00.5Z"), Epoch.parse("2027-07-01T12:00:00Z")
    assert b - a == b.datetime - a.datetime


def test_epochs_order_compare_and_hash_as_instants():
    before, leap = Epoch.parse("2016-12-31T23:59:59.999999Z"), Epoch.parse(LEAP)
    after = Epoch.parse("2017-01-01T00:00:00Z")
    assert before < leap < after and sorted([after, leap, before]) == [before, leap, after]
    assert Epoch.parse("2027-01-01T02:00:00+02:00") == Epoch.parse(datetime(2027, 1, 1))
    assert len({Epoch.parse("2027-01-01T00:00:00Z"), Epoch.parse(datetime(2027, 1, 1))}) == 1
    assert Epoch.parse("2027-01-01T00:00:00Z") != datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2027-03-14T15:09:26.535897Z", LEAP])
def test_epochs_pickle(value):
    epoch = Epoch.parse(value)
    copy = pickle.loads(pickle.dumps(epoch))
    assert copy == epoch and hash(copy) == hash(epoch) and copy.iso_z() == epoch.iso_z()
    grid = pickle.loads(pickle.dumps(TimeGrid.from_offsets(epoch, [0.0, 60.0])))
    assert grid.epoch == epoch


# --- SGP4's and Skyfield's clocks ---------------------------------------------------------


@pytest.mark.parametrize("value", ["2027-01-01T00:00:00Z", "2027-03-14T15:09:26.535897Z"])
def test_sgp4_dates_are_jdays_of_the_fields(value):
    epoch = Epoch.parse(value)
    expected = jday(epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, epoch.second)
    assert epoch.sgp4_dates() == expected == julian_date_utc(value)


@pytest.mark.parametrize(("value", "reading_s"), [(LEAP, 59.5), ("2016-12-31T23:59:60.5Z", 60.0)])
def test_sgp4_takes_the_leap_second_half_a_second_before_midnight(value, reading_s):
    """UTC Julian dates name no leap second: 23:59:60.x is 23:59:59.5 + x, as Skyfield's sgp4lib
    has it (tests/orbital/test_leap_second.py), and elements made then take that epoch."""
    expected = jday(2016, 12, 31, 23, 59, reading_s)
    assert Epoch.parse(value).sgp4_dates() == expected == julian_date_utc(value)
    assert sgp4_epoch(value) == (expected[0] - 2433281.5) + expected[1]


def test_skyfield_places_the_leap_second_between_its_neighbours():
    ts = builtin_timescale()
    t = Epoch.parse(LEAP).skyfield(ts, np.array([0.0, 1.0]))
    assert t.utc_strftime("%Y-%m-%dT%H:%M:%S") == ["2016-12-31T23:59:60", "2017-01-01T00:00:00"]


def old_grid_arrays(moment: datetime, t_s: np.ndarray, ts):
    """The arrays TimeGrid gave when its epoch was a datetime (the code before Epoch)."""
    seconds = moment.second + moment.microsecond * 1e-6
    jd0, fr0 = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute, seconds)
    jd, fr = np.full(len(t_s), jd0), fr0 + t_s / 86400.0
    sky_seconds = moment.second + moment.microsecond * 1e-6 + t_s
    sky = ts.utc(moment.year, moment.month, moment.day, moment.hour, moment.minute, sky_seconds)
    return jd, fr, sky


@pytest.mark.parametrize(
    "moment",
    [datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 3, 14, 15, 9, 26, 535897, tzinfo=UTC)],
    ids=["0h", "odd"],
)
def test_time_grid_arrays_are_bit_identical_to_the_datetime_ones(moment):
    ts = builtin_timescale()
    grid = TimeGrid.uniform(moment.isoformat(), 3 * 86400.0, 61.3)
    jd, fr, sky = old_grid_arrays(moment, grid.t_s, ts)
    new_jd, new_fr = grid.sgp4_dates()
    new_sky = grid.skyfield(ts)
    assert np.array_equal(new_jd, jd) and np.array_equal(new_fr, fr)
    assert np.array_equal(new_sky.whole, sky.whole)
    assert np.array_equal(new_sky.tai_fraction, sky.tai_fraction)
    assert np.array_equal(new_sky.tt_fraction, sky.tt_fraction)
    assert isinstance(grid.epoch, Epoch) and grid.epoch == Epoch.parse(moment)


def test_time_grid_and_walker_take_what_parse_takes():
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    for value in (moment, "2027-01-01T00:00:00Z", Epoch.parse(moment)):
        assert TimeGrid(value, np.zeros(1)).epoch == Epoch.parse(moment)
        walker = CircularWalker(value, 0.07, 0.9, np.zeros(2), 3, 1)
        assert walker.epoch == Epoch.parse(moment)


# --- a leap-second scenario, planned ------------------------------------------------------


def test_a_leap_second_scenario_loads_and_plans(tmp_path):
    path = tmp_path / "leap.toml"
    path.write_text(scenario_text(f'"{LEAP}"'))
    constellation = load_scenario(path)
    assert constellation.epoch == Epoch(2016, 12, 31, 23, 59, 60.0)
    assert json.loads(constellation.model_dump_json(include={"epoch"})) == {"epoch": LEAP}
    record = plan_record(plan(constellation, stages={"resolve"}))
    assert record["epoch"] == LEAP
    assert json.loads(to_json_text(record))["epoch"] == LEAP

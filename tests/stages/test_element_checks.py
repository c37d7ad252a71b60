"""Element sets at the epoch in the plan (constellations/stages/elements.py), the fleet
and the plan JSON.

Authorities, none of them the code under test: python-sgp4 stepped minute by minute from
the element epoch (the reproducer decays within a day, tests/orbital/test_validity.py
shows it), the calendar (``datetime``) for days between epochs, the plan's JSON Schema.
"""

import json
import math
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
from helpers import DECAYED_TLE, ISS_TLE
from sgp4.api import Satrec

from constellations import plan
from constellations.model.constellation import Constellation, ElementSet, Shell
from constellations.records import plan_record, plan_schema, to_json_text

# Issue 13, item 1: NORAD 55897, decayed in SGP4 about a day after its epoch (2025 day 58).
DECAYED_LINES = DECAYED_TLE
# python-sgp4 README, "Usage": the ISS (ZARYA) element set of 2019-12-09.
ISS_LINES = ISS_TLE
EPOCH_2027 = "2027-01-01T00:00:00Z"


def days_since_tle_epoch(year: int, day_of_year: float, scenario: str) -> float:
    element_epoch = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day_of_year - 1.0)
    when = datetime.fromisoformat(scenario.replace("Z", "+00:00"))
    return (when - element_epoch) / timedelta(days=1)


@pytest.fixture(scope="module")
def decayed_plan():
    tracked = ElementSet("tracked", (Satrec.twoline2rv(*DECAYED_LINES),), ("OBJECT A",))
    c = Constellation("decayed", "2025-03-20T21:39:16Z", element_sets=(tracked,))
    return plan(c)


def test_reproducer_counts_as_failed_not_as_working_in_full_sun(decayed_plan):
    fleet = decayed_plan.fleet
    assert fleet.failed.max() == 1 and fleet.failed.min() == 1  # from the first step
    assert math.isnan(fleet.orbit_mean_visible_fraction)  # was 1.0: fully sunlit
    (check,) = decayed_plan.element_set_checks
    assert check.failed_names == ("OBJECT A",)


def test_reproducer_plan_json_names_the_failed_element_set(decayed_plan):
    record = json.loads(to_json_text(plan_record(decayed_plan)))
    jsonschema.validate(record, plan_schema())
    assert record["fleet_illumination"]["failed_sats"] == 1
    (entry,) = record["element_sets"]
    assert entry["n_failed_before_epoch"] == 1
    assert entry["failed_before_epoch"] == ["OBJECT A"]
    expected = days_since_tle_epoch(2025, 58.12407234, "2025-03-20T21:39:16Z")
    assert entry["epoch_gap_days_min"] == pytest.approx(expected, abs=1e-3)
    assert entry["stale"] == []  # 21.8 days: not past 30


def test_old_elements_are_listed_with_their_days_from_the_epoch():
    shell = Shell.walker("w", altitude_km=340.0, inclination_deg=53.0, planes=2, sats_per_plane=2)
    iss = Satrec.twoline2rv(*ISS_LINES)
    fresh = Satrec.twoline2rv(*ISS_LINES)  # the same elements, used near their epoch below
    sets = (ElementSet("old", (iss,), ("ISS (ZARYA)",)),)
    c = Constellation("old", EPOCH_2027, shells=(shell,), element_sets=sets)
    result = plan(c, stages={"fleet"})
    record = json.loads(to_json_text(plan_record(result)))
    jsonschema.validate(record, plan_schema())
    (entry,) = record["element_sets"]
    expected = days_since_tle_epoch(2019, 343.69339541, EPOCH_2027)
    assert expected > 2500
    assert entry["stale"] == [{"name": "ISS (ZARYA)", "epoch_gap_days": round(expected, 3)}]
    assert entry["n_failed_before_epoch"] == 0 and entry["stale_after_days"] == 30.0
    assert result.fleet.failed.max() == 0
    near = Constellation(
        "near", "2019-12-20T00:00:00Z", element_sets=(ElementSet("near", (fresh,), ("ISS",)),)
    )
    (check,) = plan(near, stages={"resolve"}).element_set_checks
    assert not check.stale.any()
    assert check.epoch_gap_days[0] == pytest.approx(
        days_since_tle_epoch(2019, 343.69339541, "2019-12-20T00:00:00Z"), abs=1e-6
    )


def test_a_plan_without_element_sets_has_no_checks():
    shell = Shell.walker("w", altitude_km=340.0, inclination_deg=53.0, planes=1, sats_per_plane=2)
    result = plan(Constellation("w", EPOCH_2027, shells=(shell,)), stages={"resolve"})
    assert result.element_set_checks == ()
    assert plan_record(result)["element_sets"] == []


def test_repeated_sets_are_the_brute_force_copies():
    # Sets drawn from a few distinct ones, in a random order: each set's earlier copy found
    # by comparing it with every set before it, attribute by attribute, in plain Python.
    import numpy as np

    from constellations.stages.elements import IDENTITY_ATTRIBUTES, repeated_sets

    rng = np.random.default_rng(5)
    distinct = [Satrec.twoline2rv(*ISS_LINES), Satrec.twoline2rv(*DECAYED_LINES)]
    other_epoch = Satrec.twoline2rv(ISS_LINES[0].replace("19343.69", "19343.70"), ISS_LINES[1])
    distinct.append(other_epoch)  # the same catalogue number at another epoch: not a copy
    # The same number and epoch with another inclination (numbers wrap in big files).
    line2 = ISS_LINES[1].replace(" 51.6439 ", " 51.6440 ")
    line2 = line2[:-1] + str((int(line2[-1]) + 1) % 10)  # the checksum moves with the digit
    distinct.append(Satrec.twoline2rv(ISS_LINES[0], line2))
    sats = [distinct[k] for k in rng.integers(0, len(distinct), size=40)]
    copy_of = repeated_sets(sats)

    def key(s):
        return tuple(getattr(s, name) for name in IDENTITY_ATTRIBUTES)

    for k, sat in enumerate(sats):
        earlier = [m for m in range(k) if key(sats[m]) == key(sat)]
        assert copy_of[k] == (earlier[0] if earlier else -1), k
    assert repeated_sets(sats[:1]).tolist() == [-1] and repeated_sets([]).shape == (0,)


def test_plan_json_lists_no_repeats_for_a_file_without_copies(decayed_plan):
    record = json.loads(to_json_text(plan_record(decayed_plan)))
    (entry,) = record["element_sets"]
    assert entry["n_repeated"] == 0 and entry["repeated"] == []
    (check,) = decayed_plan.element_set_checks
    assert check.copies == () and not check.repeated.any()

"""A plan's headline numbers by name (what a study records) read the same values as the plan
JSON, and are NaN where the plan cannot give them."""

import json
import math

import pytest
from helpers import shared_plan

from constellations.io.scenario import load_scenario
from constellations.model.study import OUTPUTS
from constellations.outputs import STAGES_FOR, plan_outputs, stages_for
from constellations.planner import plan
from constellations.records import plan_record, to_json_text


@pytest.fixture(scope="module")
def planned():
    return shared_plan(load_scenario("dawn-dusk-340"))


def test_every_output_reads_what_the_plan_json_says(planned):
    record = json.loads(to_json_text(plan_record(planned)))
    values = plan_outputs(planned)
    assert set(values) == set(OUTPUTS) == set(STAGES_FOR)
    cost = record["cost"]
    drag_days = [
        case["lifetime_days_uncontrolled"]
        for shell in record["shells"]
        for case in shell["drag"]["cases"].values()
    ]
    expected = {
        "kw_per_tonne": record["sizing"]["compute_kw_per_tonne"],
        "usd_per_pflop_day": cost["space"]["usd_per_pflop_day"],
        "space_to_ground_ratio": cost["space_to_ground_ratio"],
        "lcoc_usd_per_kw_year": cost["space"]["lcoc_usd_per_kw_year"],
        "installed_gw": record["cadence"]["installed_gw"][-1],
        "uncontrolled_lifetime_days": min(drag_days),
        "longest_eclipse_min": max(
            plane["max_eclipse_min"]
            for shell in record["shells"]
            for plane in shell["illumination"]["planes"]
        ),
        "largest_cluster_mw": record["network"]["largest_cluster_compute_mw"],
    }
    for name, value in expected.items():
        assert values[name] == pytest.approx(value, rel=1e-6), name


def test_a_plan_of_fewer_stages_gives_nan_for_the_rest():
    sized = plan(load_scenario("dawn-dusk-340"), stages=stages_for(["kw_per_tonne"]))
    values = plan_outputs(sized)
    assert values["kw_per_tonne"] > 0
    for name in ("installed_gw", "lcoc_usd_per_kw_year", "largest_cluster_mw"):
        assert math.isnan(values[name]), name


def test_stages_for_names_only_stages_of_the_plan():
    from constellations.planner import STAGES

    assert set(stages_for(OUTPUTS)) <= set(STAGES)
    assert stages_for(["installed_gw"]) == ("cadence",)

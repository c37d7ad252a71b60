"""The report's headline figures and claims table against the plan JSON and the preset.

Each figure's raw number must be the number the plan JSON holds at its key path
(the JSON built here by :func:`constellations.records.plan_record`, the contract);
the claims table must have a row for each claim the preset's TOML states (read here
with tomllib, not through the scenario model) and no other.
"""

import tomllib
from importlib import resources

import pytest
from helpers import LARGE_STAGES, shared_plan

from constellations.io.scenario import load_scenario
from constellations.present.headline import claims, headline, json_path_text, people
from constellations.records import plan_record

PRESETS = {"dawn-dusk-340": None, "claim-1mt-100kw": LARGE_STAGES}


@pytest.fixture(scope="module", params=list(PRESETS))
def planned(request):
    name = request.param
    stages = PRESETS[name]
    return name, shared_plan(load_scenario(name), stages)


def at(record, path):
    for key in path:
        record = record[key]
    return record


def test_every_headline_figure_is_the_plan_json_number_at_its_path(planned):
    name, plan = planned
    record = plan_record(plan)
    figures = headline(plan)
    paths = {json_path_text(h.json_path) for h in figures}
    # The stages run decide the figures: sizing and cost always, the mesh only with it.
    assert "sizing.compute_kw_per_tonne_orbit_average" in paths
    assert "cost.space_to_ground_ratio" in paths
    assert ("network.largest_cluster_compute_mw" in paths) == (plan.network is not None)
    for h in figures:
        assert at(record, h.json_path) == h.value, (name, h.label)
        assert h.text and h.meaning.endswith(".")


def test_claims_rows_are_exactly_the_claims_the_preset_states(planned):
    name, plan = planned
    text = (resources.files("constellations") / "presets" / f"{name}.toml").read_text("utf-8")
    stated = tomllib.loads(text)
    launch, cost = stated.get("launch", {}), stated.get("cost", {})
    expected = []
    if "kw_per_tonne" in launch:
        expected.append("[launch] kw_per_tonne")
    if "cost_per_flight_usd" in launch:
        expected.append("[launch] cost_per_flight_usd")
    if "flights_per_year" in launch:
        expected.append("[launch] flights_per_year")
    if "array_usd_per_w" in cost and cost["array_usd_per_w"] < 10.0:  # the default, $10/W
        expected.append("[cost] array_usd_per_w")
    expected.append("space is the cheapest place for AI compute")  # the cost stage ran
    rows = claims(plan)
    assert [r.claim.split(" =")[0] for r in rows] == expected
    assert all(r.implies and r.finds and r.holds_if for r in rows)


def test_claim_1mt_100kw_states_its_figures_as_given():
    plan = shared_plan(load_scenario("claim-1mt-100kw"), LARGE_STAGES)
    rows = {r.claim.split(" =")[0]: r for r in claims(plan)}
    # 100 kW/t is 100 GW a million tonnes; $1M for 100 t is $10/kg; 10,000 flights of
    # 100 t a million tonnes a year (the preset's own figures).
    assert rows["[launch] kw_per_tonne"].implies.startswith("100 GW of compute per million")
    assert rows["[launch] cost_per_flight_usd"].implies.startswith("$10/kg")
    assert rows["[launch] flights_per_year"].implies.startswith("1,000,000 t a year")
    assert "100 GW a year" in rows["[launch] flights_per_year"].implies


@pytest.mark.parametrize(
    "value, text",
    [
        (1234567.0, "1,230,000"),
        (999.6, "1,000"),
        (96.8137, "96.8"),
        (0.04567, "0.0457"),
        (13.14, "13.1"),
        (0.0, "0"),
        (float("nan"), "-"),
    ],
)
def test_people_keeps_three_significant_figures(value, text):
    assert people(value) == text

"""The plan JSON as a contract: every preset's plan validates against the shipped JSON Schema,
and only constellations/records.py knows the JSON's keys."""

import ast
import dataclasses
import json

import jsonschema
import pytest
from helpers import LARGE, LARGE_STAGES, ROOT, SLOW_PRESETS, shared_plan, thinned

from constellations.io.scenario import load_scenario, preset_names
from constellations.planner import plan
from constellations.records import SCHEMA_VERSION, plan_record, plan_schema, to_json_text
from constellations.stages.cadence import launch_cadence
from constellations.stages.cost import levelised_cost

#: Presets of more than LARGE satellites (helpers.LARGE) run the stages whose sections the
#: small presets cannot exercise with other values (sizing, drag, cadence, cost); the mesh and
#: the fleet over an orbit of a million satellites are left to the benchmarks, to keep the
#: suite within its time.  The plans are the session's (helpers.shared_plan): the tables'
#: widths (tests/cli/test_table_widths.py) are checked on the same ones.


@pytest.fixture(scope="module")
def schema():
    value = plan_schema()
    jsonschema.Draft202012Validator.check_schema(value)
    return value


_CLOSED: dict = {}


def _plan_of(constellation):
    """The preset's plan; the claim presets share one layout and satellite, so the sizing of
    the first stands for the others (their launch plans differ and are simulated each); the
    slow banded filings are planned with each band's lowest level."""
    if constellation.name in SLOW_PRESETS:
        constellation = thinned(constellation)
    if constellation.n_sats <= LARGE:
        return shared_plan(constellation)
    key = (constellation.shells, constellation.satellite, constellation.drag, constellation.epoch)
    if key not in _CLOSED:
        _CLOSED[key] = shared_plan(constellation, LARGE_STAGES)
    shared = _CLOSED[key]
    cadence = launch_cadence(constellation, shared.closure)
    cost = levelised_cost(constellation, shared.closure, cadence)
    return dataclasses.replace(shared, constellation=constellation, cadence=cadence, cost=cost)


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_plan_follows_the_schema(schema, name):
    constellation = load_scenario(name)
    record = json.loads(to_json_text(plan_record(_plan_of(constellation))))
    jsonschema.validate(record, schema)
    assert (
        record["schema_version"]
        == SCHEMA_VERSION
        == schema["properties"]["schema_version"]["const"]
    )


def test_a_partial_plan_follows_the_schema_too(schema):
    constellation = load_scenario("dawn-dusk-340")
    record = json.loads(to_json_text(plan_record(plan(constellation, stages={"resolve"}))))
    jsonschema.validate(record, schema)
    assert record["sizing"] is None and "illumination" not in record["shells"][0]


def test_the_schema_refuses_a_plan_with_a_changed_key(schema):
    constellation = load_scenario("dawn-dusk-340")
    record = json.loads(to_json_text(plan_record(plan(constellation, stages={"closure"}))))
    record["sizing"]["compute_kw_per_ton"] = record["sizing"].pop("compute_kw_per_tonne")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, schema)


def _json_keys(value, keys: set) -> set:
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(key)
            _json_keys(item, keys)
    elif isinstance(value, list):
        for item in value:
            _json_keys(item, keys)
    return keys


#: Words that are plan-JSON keys but, where the planner reads them, name something else:
#: LinkGraph node attributes (orbital.links), battery policies, the scenario's tables (input,
#: read by io/ and model/ before any stage runs), and the satellite's items (the mass
#: breakdown of orbital.closure, priced item by item by stages.cost, whose levelised cost
#: by item, economics' ``Levelised.by_item``, present.headline reads for its launch and array).
OTHER_VOCABULARIES = {"shell", "plane", "slot", "ride_through", "shed", "battery", "radiator"}
OTHER_VOCABULARIES |= {"bus", "structure", "propulsion", "propellant", "compute"}
OTHER_VOCABULARIES |= {"launch", "array"}


def test_no_stage_reads_another_stage_s_output_by_json_key():
    """The plan JSON's keys are read only in records.py (and the tests): stages, the planner,
    the presentation and the commands work on typed results."""
    constellation = load_scenario("dawn-dusk-340")
    keys = _json_keys(json.loads(to_json_text(plan_record(shared_plan(constellation)))), set())
    keys -= OTHER_VOCABULARIES
    found = []
    folders = ("stages", "present", "cli")
    files = [p for f in folders for p in (ROOT / "constellations" / f).rglob("*.py")]
    files.append(ROOT / "constellations" / "planner.py")
    for path in files:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            key = None
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                if isinstance(node.slice, ast.Constant):
                    key = node.slice.value
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get":
                if node.args and isinstance(node.args[0], ast.Constant):
                    key = node.args[0].value
            if key in keys:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} reads {key!r}")
    assert found == []


def test_the_key_finder_sees_a_read(tmp_path):
    tree = ast.parse("x = record['compute_kw_per_tonne']\ny = record.get('sizing')\n")
    reads = [
        n
        for n in ast.walk(tree)
        if (isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load))
        or (isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "get")
    ]
    assert len(reads) == 2

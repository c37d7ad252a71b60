"""``orbital-dc cost``: the levelised cost on the command line, its JSON, and bad [cost] input."""

import json

import jsonschema
import pytest

from constellations.cli import main
from constellations.records import plan_schema

SMALL = """\
[scenario]
name = "small"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "w340"
altitude_km = 340.0
inclination_deg = 53.0
planes = 2
sats_per_plane = 3
"""


def run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


def test_cost_prints_both_sides_and_the_verdict(capsys, small):
    status, out, err = run(capsys, "cost", small)
    assert status == 0, err
    for part in (
        "Levelised cost of compute",
        "USD per kW-year",
        "Where each dollar goes",
        "Spend along the cadence",
        "times the ground",
        "breakeven launch price",
    ):
        assert part in " ".join(out.split()), part


def test_cost_json_follows_the_plan_schema_s_cost_section(capsys, small):
    status, out, err = run(capsys, "cost", small, "--json", "-")
    assert status == 0, err
    record = json.loads(out)
    jsonschema.validate(record["cost"], plan_schema()["properties"]["cost"])
    cost = record["cost"]
    items = cost["space"]["by_item_usd_per_kw_year"]
    assert sum(items.values()) == pytest.approx(cost["space"]["lcoc_usd_per_kw_year"], rel=1e-12)
    assert cost["space_to_ground_ratio"] == pytest.approx(
        cost["space"]["lcoc_usd_per_kw_year"] / cost["ground"]["lcoc_usd_per_kw_year"]
    )
    # Every price used is in the record, with the ground's.
    assert cost["launch_usd_per_kg_by_year"][0] == 300.0  # the vehicle's default price
    assert cost["assumptions"]["ground"]["pue"] == 1.2


@pytest.mark.parametrize(
    ("table", "line", "expected"),
    [
        ("[cost]", "array_usd_per_w = -1.0", "[cost]: array_usd_per_w=-1.0: must not be negative"),
        (
            "[cost]",
            "discount_rate = -1.0",
            "[cost]: discount_rate=-1.0: must be above -1 and at most 1",
        ),
        ("[cost]", "discount_rate = -2.5", "discount_rate=-2.5: must be above -1"),
        ("[cost]", "economic_life_years = 0", "[cost]: economic_life_years=0: must be positive"),
        ("[cost]", "dicount_rate = 0.05", "did you mean 'discount_rate'?"),
        ("[cost]", 'failure_rule = "lost"', 'must be "satellite" or "hardware"'),
        ("[cost]", "progress_ratio = 0.4", "progress_ratio=0.4: must be above 0.5"),
        ("[cost]", 'nre_usd = "cheap"', "nre_usd="),
        ("[cost.ground]", "pue = 0.9", "pue=0.9: must be between 1 and 5"),
        ("[cost.ground]", "electricity_usd_per_kwh = -0.1", "must not be negative"),
        ("[cost.ground]", 'generation = "coal"', '"grid" or "gas"'),
    ],
)
def test_bad_cost_input_is_one_line_exit_2(capsys, tmp_path, table, line, expected):
    path = tmp_path / "s.toml"
    path.write_text(f"{SMALL}\n{table}\n{line}\n")
    status, out, err = run(capsys, "cost", path)
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert expected in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_a_launch_price_a_kg_prices_the_flight(capsys, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f"{SMALL}\n[launch]\ncost_per_kg_usd = 150.0\n")
    status, out, err = run(capsys, "cost", path, "--json", "-")
    assert status == 0, err
    assert json.loads(out)["cost"]["launch_usd_per_kg_by_year"][0] == 150.0
    path.write_text(f"{SMALL}\n[launch]\ncost_per_kg_usd = 150.0\ncost_per_flight_usd = 1.0e6\n")
    status, out, err = run(capsys, "cost", path)
    assert status == 2 and "give the launch price once" in err, err
    assert len(err.strip().splitlines()) == 1

"""Mass closure, per-tonne sizing, the inverse mode, bad input and the plan's "sizing" JSON.

Closed forms: with no mass-proportional term but structure, ``M = fixed / (1 - s)``;
with propulsion dry mass ``p`` kg per tonne as well, ``M = fixed / (1 - s - p/1000)``.
The published figure: a GB200 NVL72 rack is 120 kW and 1.36 t (NVIDIA GTC 2024, as
reported by The Register, March 2024), so 120 / 1.36 = 88.2 kW per tonne is the ceiling
for any satellite built of such racks.
"""

import dataclasses
import json
import math
import tomllib

import numpy as np
import pytest
from helpers import run_cli_in_process as run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from constellations.errors import ScenarioError
from constellations.io.scenario import load_scenario, parse_scenario, preset_names, preset_text
from constellations.model.hardware import DEFAULT_SATELLITE, PAYLOADS
from constellations.model.satellite import SatelliteDesign
from constellations.planner import plan
from constellations.records import plan_record, sizing_record, to_json_text
from constellations.stages.closure import design_as_sized, solve_for
from constellations.stages.resolve import resolve
from orbital.closure import (
    ArraySpec,
    BatterySpec,
    Environment,
    RadiatorSpec,
    SatelliteSpec,
    close,
)
from orbital.thermal import radiator_environment

#: Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018).
SIGMA = 5.670374419e-8
#: The closure stops when an iteration moves the mass by less than 1e-9 of it.
CLOSURE_RTOL = 1e-8
#: A mass breakdown per tonne must add up to 1000 kg; the closure's 1e-9 residual on a
#: tonne is 1e-6 kg.
MASS_SUM_ATOL_KG = 1e-5
#: The inverse mode bisects the parameter to 1e-6 of its value; the kW/t it reaches is
#: that close to the target (kW/t moves slower than temperature near 300-600 K).
SOLVE_RTOL = 1e-5
#: Overheads "made negligible" (micrograms per m^2, no eclipse load) leave the
#: satellite within this share of the bare rack's mass.
NEGLIGIBLE_OVERHEAD_RTOL = 1e-5
#: The published rack: 120 kW, 1.36 t.
GB200_KW_PER_TONNE = 120.0 / 1.36

PLAN_SIZING_KEYS = {
    "compute_kw_per_tonne",
    "compute_kw_per_tonne_orbit_average",
    "array_m2_per_tonne",
    "radiator_m2_per_tonne",
    "battery_kwh_per_tonne",
    "mass_breakdown_kg_per_tonne",
    "satellite_mass_kg",
    "satellite_compute_kw",
    "binding_constraint",
}
BREAKDOWN_KEYS = {"compute", "array", "radiator", "battery", "bus", "structure", "propulsion"}

SMALL_SHELL = """
[scenario]
name = "{name}"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 1
"""


def toml_table(section: str, table: dict) -> str:
    """A flat TOML table (strings, numbers, booleans: JSON spells them as TOML does)."""
    return f"\n[{section}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items())


def per_satellite(sizing, per_tonne_value):
    return per_tonne_value * sizing.satellite_mass_kg / 1000.0


# --- the closure in closed form ------------------------------------------------------------

#: Numbers a reader can follow by hand: no bus, no propulsion, lossless power chain.
HAND_SAT = SatelliteSpec(
    compute_w=100e3,
    compute_mass_kg=1000.0,
    structure_fraction=0.2,
    distribution_efficiency=1.0,
)
HAND_ARRAY = ArraySpec(
    efficiency_bol=0.3,
    degradation_per_year=0.0,
    packing_factor=1.0,
    temperature_loss=0.0,
    areal_density_kg_m2=2.0,
)
HAND_BATTERY = BatterySpec(
    specific_energy_wh_kg=200.0,
    depth_of_discharge=0.5,
    charge_efficiency=1.0,
    discharge_efficiency=1.0,
)
HAND_RADIATOR = RadiatorSpec(
    temperature_k=300.0, emissivity=0.9, faces=2, areal_density_kg_m2=5.0, environment=False
)
HAND_ENV = Environment(
    period_min=90.0, max_eclipse_min=30.0, sunlit_fraction_year=0.9, solar_flux_w_m2=1361.0
)
# Array: 100 kW + 100 kW * 30/60 recharge = 150 kW at 1361 * 0.3 = 408.3 W/m^2: 367.4 m^2.
HAND_ARRAY_KG = 150e3 / (1361.0 * 0.3) * 2.0  # 734.8 kg
# Battery: 100 kW for half an hour at 50 % depth of discharge: 100 kWh at 200 Wh/kg.
HAND_BATTERY_KG = 100e3 * 0.5 / 0.5 / 200.0  # 500 kg
# Radiator: 100 kW at 300 K, two faces, emissivity 0.9: 121.0 m^2 at 5 kg/m^2.
HAND_RADIATOR_KG = 100e3 / (2 * 0.9 * SIGMA * 300.0**4) * 5.0  # 604.8 kg
HAND_FIXED_KG = 1000.0 + HAND_ARRAY_KG + HAND_BATTERY_KG + HAND_RADIATOR_KG  # 2839.5 kg


def test_hand_closure_structure_is_s_times_the_closed_mass():
    sizing = close(HAND_SAT, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)
    mass_kg = HAND_FIXED_KG / (1.0 - 0.2)  # 3549.4 kg
    assert sizing.satellite_mass_kg == pytest.approx(mass_kg, rel=CLOSURE_RTOL)
    breakdown = {k: per_satellite(sizing, v) for k, v in sizing.mass_breakdown_kg_per_tonne.items()}
    assert breakdown["structure"] == pytest.approx(0.2 * sizing.satellite_mass_kg, rel=1e-12)
    assert breakdown["structure"] == pytest.approx(0.2 * mass_kg, rel=CLOSURE_RTOL)
    assert breakdown["array"] == pytest.approx(HAND_ARRAY_KG, rel=CLOSURE_RTOL)
    assert breakdown["battery"] == pytest.approx(HAND_BATTERY_KG, rel=CLOSURE_RTOL)
    assert breakdown["radiator"] == pytest.approx(HAND_RADIATOR_KG, rel=CLOSURE_RTOL)
    assert breakdown["compute"] == pytest.approx(1000.0, rel=CLOSURE_RTOL)
    for name in ("bus", "lasers", "propulsion", "propellant"):
        assert breakdown[name] == 0.0
    assert sizing.binding_constraint == "array"  # 735 kg, the largest overhead


def test_kw_per_tonne_is_compute_kw_over_mass_in_tonnes():
    sizing = close(HAND_SAT, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)
    assert sizing.satellite_compute_kw == 100.0
    assert sizing.compute_kw_per_tonne == pytest.approx(
        100.0 / (sizing.satellite_mass_kg / 1000.0), rel=1e-12
    )
    assert sizing.compute_kw_per_tonne == pytest.approx(
        100.0 / (HAND_FIXED_KG / 0.8 / 1000.0), rel=CLOSURE_RTOL
    )  # 28.17 kW/t


def test_structure_and_propulsion_fractions_close_together():
    sat = dataclasses.replace(HAND_SAT, propulsion_dry_kg_per_tonne=150.0)
    sizing = close(sat, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)
    mass_kg = HAND_FIXED_KG / (1.0 - 0.2 - 0.150)
    assert sizing.satellite_mass_kg == pytest.approx(mass_kg, rel=CLOSURE_RTOL)
    assert sizing.mass_breakdown_kg_per_tonne["propulsion"] == pytest.approx(150.0, rel=1e-12)
    assert sizing.mass_breakdown_kg_per_tonne["structure"] == pytest.approx(200.0, rel=1e-12)


def test_a_heavy_but_closable_structure_still_closes():
    sat = dataclasses.replace(HAND_SAT, structure_fraction=0.95)
    sizing = close(sat, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)
    assert sizing.satellite_mass_kg == pytest.approx(HAND_FIXED_KG / 0.05, rel=CLOSURE_RTOL)


# --- properties ----------------------------------------------------------------------------


@st.composite
def closable_designs(draw):
    """Random valid inputs whose mass closes.

    The mass-proportional share k (structure, propulsion and propellant per tonne, and the
    array, battery and radiator that propulsion power needs) is 0.75 at the worst corner
    of these ranges: 0.2 + 0.05 + 0.1, plus 300 W/t through a 10-year-old 20 % array, a
    280 K one-faced radiator at half its sink and a 50 Wh/kg battery at 10 % depth of
    discharge."""
    f = st.floats
    sat = SatelliteSpec(
        compute_w=draw(f(1e3, 1e6)),
        compute_mass_kg=draw(f(10.0, 1e4)),
        bus_power_w=draw(f(0.0, 5e3)),
        bus_mass_kg=draw(f(0.0, 500.0)),
        laser_terminals=draw(st.integers(0, 6)),
        laser_power_w=draw(f(0.0, 300.0)),
        laser_mass_kg=draw(f(0.0, 50.0)),
        structure_fraction=draw(f(0.0, 0.2)),
        propulsion_dry_kg_per_tonne=draw(f(0.0, 50.0)),
        propellant_kg_per_tonne_year=draw(f(0.0, 10.0)),
        propulsion_power_w_per_tonne=draw(f(0.0, 300.0)),
        propulsion_heat_fraction=draw(f(0.0, 1.0)),
        design_life_years=draw(f(1.0, 10.0)),
        distribution_efficiency=draw(f(0.8, 1.0)),
    )
    array = ArraySpec(
        efficiency_bol=draw(f(0.2, 0.45)),
        degradation_per_year=draw(f(0.0, 0.03)),
        packing_factor=draw(f(0.7, 1.0)),
        temperature_loss=draw(f(0.0, 0.2)),
        pointing_loss_deg=draw(f(0.0, 20.0)),
        areal_density_kg_m2=draw(f(0.2, 5.0)),
        loss_to_radiator_fraction=draw(f(0.0, 0.3)),
    )
    battery = BatterySpec(
        specific_energy_wh_kg=draw(f(50.0, 400.0)),
        depth_of_discharge=draw(f(0.1, 1.0)),
        charge_efficiency=draw(f(0.8, 1.0)),
        discharge_efficiency=draw(f(0.8, 1.0)),
        policy=draw(st.sampled_from(["ride_through", "shed"])),
    )
    radiator = RadiatorSpec(
        temperature_k=draw(f(280.0, 450.0)),
        emissivity=draw(f(0.7, 1.0)),
        absorptivity=draw(f(0.0, 1.0)),
        areal_density_kg_m2=draw(f(0.5, 10.0)),
        faces=draw(st.sampled_from([1, 2])),
        environment=draw(st.booleans()),
    )
    emitted_w_m2 = radiator.faces * radiator.emissivity * SIGMA * radiator.temperature_k**4
    period_min = draw(f(88.0, 120.0))
    env = Environment(
        period_min=period_min,
        max_eclipse_min=draw(f(0.0, 40.0)),
        sunlit_fraction_year=draw(f(0.5, 1.0)),
        solar_flux_w_m2=draw(f(1300.0, 1400.0)),
        # Below the panel's own emission, so the radiator can reject heat.
        radiator_absorbed_w_m2=draw(f(0.0, 0.5)) * emitted_w_m2,
    )
    return sat, array, battery, radiator, env


@settings(max_examples=150, deadline=None)
@given(design=closable_designs(), more=st.floats(0.0, 10.0))
def test_more_compute_never_needs_less_radiator(design, more):
    sat, array, battery, radiator, env = design
    bigger = dataclasses.replace(sat, compute_w=sat.compute_w * (1.0 + more))
    small = close(sat, array, battery, radiator, env)
    large = close(bigger, array, battery, radiator, env)
    small_m2 = per_satellite(small, small.radiator_m2_per_tonne)
    large_m2 = per_satellite(large, large.radiator_m2_per_tonne)
    assert large_m2 >= small_m2 * (1.0 - CLOSURE_RTOL)


@settings(max_examples=150, deadline=None)
@given(design=closable_designs())
def test_mass_breakdown_sums_to_a_tonne_and_every_figure_is_finite(design):
    sizing = close(*design)
    breakdown = sizing.mass_breakdown_kg_per_tonne
    assert BREAKDOWN_KEYS <= set(breakdown)
    assert sum(breakdown.values()) == pytest.approx(1000.0, abs=MASS_SUM_ATOL_KG)
    for name, value in breakdown.items():
        assert math.isfinite(value) and value >= 0.0, name
    for f in dataclasses.fields(sizing):
        value = getattr(sizing, f.name)
        if isinstance(value, float):
            assert math.isfinite(value) and value >= 0.0, f.name
    sat = design[0]
    assert breakdown["structure"] == pytest.approx(1000.0 * sat.structure_fraction, abs=1e-9)
    assert sizing.compute_kw_per_tonne == pytest.approx(
        sat.compute_w / sizing.satellite_mass_kg, rel=1e-12
    )


# --- bad input -----------------------------------------------------------------------------


def sat_kwargs(**changes):
    return {"compute_w": 1e5, "compute_mass_kg": 1.0, **changes}


@pytest.mark.parametrize(
    ("field", "spec", "kwargs", "message"),
    [
        ("radiator", RadiatorSpec, {"emissivity": 1.2}, "[radiator]: emissivity=1.2"),
        ("radiator", RadiatorSpec, {"emissivity": 0.0}, "[radiator]: emissivity=0.0"),
        ("radiator", RadiatorSpec, {"emissivity": -0.5}, "[radiator]: emissivity=-0.5"),
        ("radiator", RadiatorSpec, {"absorptivity": 1.5}, "[radiator]: absorptivity=1.5"),
        ("radiator", RadiatorSpec, {"faces": 3}, "[radiator]: faces=3: must be 1 or 2"),
        ("radiator", RadiatorSpec, {"faces": 0}, "[radiator]: faces=0: must be 1 or 2"),
        ("radiator", RadiatorSpec, {"temperature_k": -10.0}, "[radiator]: temperature_k=-10.0"),
        ("array", ArraySpec, {"efficiency_bol": 1.3}, "[solar_array]: efficiency_bol=1.3"),
        ("battery", BatterySpec, {"policy": "nap"}, "[battery]: policy='nap'"),
        ("spec", SatelliteSpec, sat_kwargs(compute_mass_kg=-1.0), "compute_mass_kg=-1.0"),
        ("spec", SatelliteSpec, sat_kwargs(bus_mass_kg=-5.0), "[satellite]: bus_mass_kg=-5.0"),
        ("spec", SatelliteSpec, sat_kwargs(laser_mass_kg=-2.0), "laser_mass_kg=-2.0"),
        ("spec", SatelliteSpec, sat_kwargs(structure_fraction=1.0), "structure_fraction=1.0"),
        (
            "spec",
            SatelliteSpec,
            sat_kwargs(distribution_efficiency=1.1),
            "[satellite]: distribution_efficiency=1.1",
        ),
    ],
)
def test_a_design_refuses_out_of_range_specs_by_table_and_name(field, spec, kwargs, message):
    """The orbital specs are plain values; the design that holds one checks it."""
    with pytest.raises(ScenarioError) as info:
        SatelliteDesign.default().replace(**{field: spec(**kwargs)})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_structure_plus_propulsion_that_cannot_close_is_a_clear_error():
    sat = dataclasses.replace(HAND_SAT, structure_fraction=0.5, propulsion_dry_kg_per_tonne=600.0)
    with pytest.raises(ValueError, match=r"does not close.*structure_fraction"):
        close(sat, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)


def test_a_radiator_colder_than_its_sink_cannot_close():
    env = dataclasses.replace(HAND_ENV, radiator_absorbed_w_m2=300.0)  # sink 213 K at eps 0.9
    radiator = dataclasses.replace(HAND_RADIATOR, temperature_k=200.0, environment=True)
    with pytest.raises(ValueError, match=r"temperature_k=200.0.*sink"):
        close(HAND_SAT, HAND_ARRAY, HAND_BATTERY, radiator, env)


def test_unknown_payload_suggests_the_closest_preset():
    with pytest.raises(ValueError, match=r"payload='gb200-nvl27'.*did you mean 'gb200-nvl72'"):
        SatelliteDesign.from_tables(satellite={"payload": "gb200-nvl27"})


@pytest.mark.parametrize(
    ("section", "key", "closest"),
    [
        ("satellite", "bus_mass", "bus_mass_kg"),
        ("satellite", "structure_fracton", "structure_fraction"),
        ("radiator", "temprature_k", "temperature_k"),
        ("solar_array", "efficency_bol", "efficiency_bol"),
        ("battery", "depth_of_discharg", "depth_of_discharge"),
    ],
)
def test_unknown_key_suggests_the_closest_key(section, key, closest):
    with pytest.raises(ValueError, match=rf"\[{section}\]: unknown key '{key}'.*'{closest}'"):
        SatelliteDesign.from_tables(**{section: {key: 1.0}})


def test_faces_true_is_not_a_face_count():
    with pytest.raises(ValueError, match="faces"):
        SatelliteDesign.from_tables(radiator={"faces": True})


def test_unknown_attitude_is_refused_at_the_edge():
    with pytest.raises(ValueError, match="attitude"):
        SatelliteDesign.from_tables(radiator={"attitude": "sideways", "environment": False})


def test_runaway_propulsion_mass_is_refused_not_infinite():
    sat = dataclasses.replace(HAND_SAT, propulsion_dry_kg_per_tonne=1e6)
    with pytest.raises(ValueError, match="does not close"):
        close(sat, HAND_ARRAY, HAND_BATTERY, HAND_RADIATOR, HAND_ENV)


BAD_TABLES = [
    ("radiator", {"emissivity": 1.5}, "emissivity=1.5"),
    ("solar_array", {"efficiency_bol": 1.3}, "efficiency_bol=1.3"),
    ("satellite", {"bus_mass_kg": -5.0}, "bus_mass_kg=-5.0"),
    ("satellite", {"compute_mass_kg": -1.0}, "compute_mass_kg=-1.0"),
    ("radiator", {"faces": 3}, "faces=3"),
    ("battery", {"policy": "nap"}, "policy='nap'"),
    ("satellite", {"payload": "gb200-nvl27"}, "did you mean 'gb200-nvl72'"),
    ("radiator", {"temprature_k": 300.0}, "did you mean 'temperature_k'"),
    ("solar_array", {"efficency_bol": 0.3}, "did you mean 'efficiency_bol'"),
    ("battery", {"depth_of_discharg": 0.3}, "did you mean 'depth_of_discharge'"),
    ("satellite", {"bus_mass": 100.0}, "did you mean 'bus_mass_kg'"),
    ("radiator", {"attitude": "sideways"}, "attitude='sideways'"),
]
#: Valid tables whose satellite does not close: a result (exit 0), not bad input, and the
#: size JSON says why (the CLI's exit status: "a design that does not close is a result").
NOT_CLOSING = [
    ("radiator", {"temperature_k": 150.0}, "temperature_k=150.0"),
    (
        "satellite",
        {"structure_fraction": 0.5, "propulsion_dry_kg_per_tonne": 600.0},
        "structure_fraction",
    ),
]


@pytest.mark.parametrize(("section", "table", "message"), BAD_TABLES)
def test_cli_size_refuses_bad_input_with_one_line(tmp_path, section, table, message):
    path = tmp_path / "bad.toml"
    path.write_text(SMALL_SHELL.format(name="bad") + toml_table(section, table))
    result = run_cli("size", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("orbital-dc size: error:")
    assert message in lines[0]


def size_json_of_a_satellite_that_does_not_close(tmp_path, text, message):
    """``orbital-dc size --json -``: exit 0, the shell's record says it does not close and why."""
    path = tmp_path / "open.toml"
    path.write_text(text)
    result = run_cli("size", str(path), "--json", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr and "Traceback" not in result.stderr
    (shell,) = json.loads(result.stdout)["shells"]
    assert shell["shell"] == "dd340" and shell["closes"] is False
    assert message in shell["error"]
    assert "compute_kw_per_tonne" not in shell  # no figures for a design that does not close
    return shell


@pytest.mark.parametrize(("section", "table", "message"), NOT_CLOSING)
def test_cli_size_reports_a_satellite_that_does_not_close(tmp_path, section, table, message):
    text = SMALL_SHELL.format(name="open") + toml_table(section, table)
    size_json_of_a_satellite_that_does_not_close(tmp_path, text, message)


def test_cli_size_reports_a_runaway_propulsion_mass(tmp_path):
    text = SMALL_SHELL.format(name="runaway") + toml_table(
        "satellite", {"propulsion_dry_kg_per_tonne": 1000.0}
    )
    # A tonne of propulsion per tonne of satellite (the most the [satellite] table takes):
    # with any structure or propellant on top, no mass closes.
    shell = size_json_of_a_satellite_that_does_not_close(tmp_path, text, "does not close")
    assert "propulsion 1000 kg/t" in shell["error"]


# --- the planner on the default preset -----------------------------------------------------


@pytest.fixture(scope="module")
def dawn_dusk(ts):
    """The preset as sized (propulsion budget from the drag), its shell, and its plan
    (resolve, illumination and closure)."""
    constellation = load_scenario("dawn-dusk-340")
    result = plan(constellation, stages={"closure"})
    (resolved,) = resolve(constellation, ts)
    as_sized = design_as_sized(constellation.satellite, result.closure.of("dd340"))
    return constellation.replace(satellite=as_sized), resolved, result


def sized(result):
    """The ShellSizing of the plan's one shell (its Sizing, environment and policies)."""
    (shell,) = result.closure.shells
    assert shell.closes, shell.not_closed
    return shell.sized


def sunlight(result):
    """The ShellSunlight of the plan's one shell (its year of sunlight, plane by plane)."""
    (shell,) = result.illumination.shells
    return shell


def test_plan_sizing_contract(dawn_dusk):
    _, _, result = dawn_dusk
    record = plan_record(result)
    sizing = record["sizing"]
    assert PLAN_SIZING_KEYS <= set(sizing)
    breakdown = sizing["mass_breakdown_kg_per_tonne"]
    assert BREAKDOWN_KEYS <= set(breakdown)
    assert sum(breakdown.values()) == pytest.approx(1000.0, abs=MASS_SUM_ATOL_KG)
    assert all(v >= 0 for v in breakdown.values())
    mass_t = sizing["satellite_mass_kg"] / 1000.0
    assert sizing["compute_kw_per_tonne"] == pytest.approx(
        sizing["satellite_compute_kw"] / mass_t, rel=1e-12
    )
    assert sizing["satellite_compute_kw"] == PAYLOADS["gb300-nvl72"].power_w / 1000.0
    overheads = {k: v for k, v in breakdown.items() if k != "compute"}
    assert overheads[sizing["binding_constraint"]] == max(overheads.values())
    # ride_through in the preset: the orbit average is the sunlit figure.
    assert sizing["compute_kw_per_tonne_orbit_average"] == sizing["compute_kw_per_tonne"]
    # The record is the closure's worst (here only) shell, unrounded.
    assert sizing["compute_kw_per_tonne"] == sized(result).sizing.compute_kw_per_tonne
    assert [s["shell"] for s in sizing["by_shell"]] == ["dd340"]
    # The same contract survives the trip through strict JSON.
    again = json.loads(to_json_text(record))["sizing"]
    assert PLAN_SIZING_KEYS <= set(again)
    assert again["compute_kw_per_tonne"] == sizing["compute_kw_per_tonne"]


#: The year's Earth-Sun distance extremes from DE421 hourly against the planner's (astropy's
#: ERFA epv00, hourly): the two ephemerides agree to about 1e-7 au, and hourly sampling
#: misses an extreme by under 1e-9 au.
SUN_DISTANCE_RTOL = 1e-6


def de421_sun_distance_au(de421, year: int) -> np.ndarray:
    """Distance of the Sun from the Earth's centre, au, hourly over ``year`` (DE421)."""
    from skyfield.api import load

    ts = load.timescale(builtin=True)
    hours = np.arange(0.0, (366 if year % 4 == 0 else 365) * 24.0)
    t = ts.utc(year, 1, 1, hours)
    return de421["earth"].at(t).observe(de421["sun"]).distance().au


def test_plan_sizes_the_array_at_the_years_aphelion(de421, dawn_dusk):
    """The arrays see the year's least sunlight: 1361 W/m^2 at the greatest distance."""
    env = sized(dawn_dusk[2]).environment
    aphelion_au = de421_sun_distance_au(de421, dawn_dusk[0].epoch.year).max()
    assert aphelion_au == pytest.approx(1.0167, abs=1e-4)  # a (1 + e), Standish's elements
    assert env.solar_flux_w_m2 == pytest.approx(1361.0 / aphelion_au**2, rel=2 * SUN_DISTANCE_RTOL)


def test_plan_sizes_the_radiator_at_the_years_perihelion(de421, dawn_dusk):
    """The radiator's hot case takes the year's most sunlight (about 1407 W/m^2), the
    largest orbit-mean load over the shell's beta range."""
    constellation, _, result = dawn_dusk
    radiator = constellation.satellite.radiator
    perihelion_au = de421_sun_distance_au(de421, constellation.epoch.year).min()
    flux = 1361.0 / perihelion_au**2
    assert flux == pytest.approx(1407.0, abs=1.0)
    low, high = sunlight(result).beta_range_deg
    betas = np.linspace(low, high, 9)
    hot = sized(result).environment.radiator_absorbed_w_m2
    assert hot >= max(orbit_mean_loads(radiator, betas, flux)) * (1.0 - 2 * SUN_DISTANCE_RTOL)
    assert hot > max(orbit_mean_loads(radiator, betas, 1361.0))


def orbit_mean_loads(radiator, betas_deg, solar_flux_w_m2) -> list[float]:
    """The radiator's orbit-mean absorbed load at 340 km at each beta angle, W/m^2."""
    return [
        radiator_environment(
            b,
            340.0,
            attitude=radiator.attitude,
            absorptivity=radiator.absorptivity,
            emissivity=radiator.emissivity,
            faces=radiator.faces,
            solar_flux_w_m2=solar_flux_w_m2,
        ).orbit_mean_w_m2
        for b in betas_deg
    ]


def test_plan_sizes_the_radiator_for_the_hot_case(dawn_dusk):
    """The absorbed load is the largest over the shell's beta range, never less than at
    either end of it."""
    constellation, _, result = dawn_dusk
    radiator = constellation.satellite.radiator
    planes = sunlight(result).planes
    betas = (
        min(p.min_beta_deg for p in planes),
        max(p.max_beta_deg for p in planes),
    )
    at_ends = [
        radiator_environment(
            b,
            340.0,
            attitude=radiator.attitude,
            absorptivity=radiator.absorptivity,
            emissivity=radiator.emissivity,
            faces=radiator.faces,
        ).orbit_mean_w_m2
        for b in betas
    ]
    assert sized(result).environment.radiator_absorbed_w_m2 >= max(at_ends)


def test_plan_policies_shed_needs_less_battery_and_loses_the_eclipse_hours(dawn_dusk):
    shell = sized(dawn_dusk[2])
    ride, shed = shell.policies["ride_through"], shell.policies["shed"]
    assert shed.battery_kg_per_tonne < ride.battery_kg_per_tonne
    assert ride.lost_compute_kwh_per_tonne_year == 0.0
    sunlit = shell.environment.sunlit_fraction_year
    assert 0.0 < sunlit < 1.0  # the June eclipse season of a dawn-dusk orbit at 340 km
    assert shed.lost_compute_kwh_per_tonne_year == pytest.approx(
        shed.compute_kw_per_tonne * (1.0 - sunlit) * 8766.0, rel=1e-12
    )


def test_every_preset_carries_a_satellite():
    for name in preset_names():
        data = tomllib.loads(preset_text(name))
        assert "satellite" in data, name
        assert data["satellite"]["payload"] in PAYLOADS, name
        assert load_scenario(name).satellite.payload == data["satellite"]["payload"]


# --- the default satellite -----------------------------------------------------------------


@pytest.fixture(scope="module")
def default_plan():
    return plan(parse_scenario(SMALL_SHELL.format(name="no-satellite")), stages={"closure"})


def test_a_scenario_without_satellite_gets_the_documented_default(default_plan):
    bare = parse_scenario(SMALL_SHELL.format(name="no-satellite"))
    spelled_out = parse_scenario(
        SMALL_SHELL.format(name="no-satellite") + toml_table("satellite", DEFAULT_SATELLITE)
    )
    assert bare.satellite == spelled_out.satellite
    payload = PAYLOADS[DEFAULT_SATELLITE["payload"]]
    spec = bare.satellite.spec
    assert spec.compute_w == payload.power_w * DEFAULT_SATELLITE["payload_units"]
    assert spec.bus_mass_kg == DEFAULT_SATELLITE["bus_mass_kg"]
    assert spec.laser_terminals == DEFAULT_SATELLITE["laser_terminals"]
    assert spec.structure_fraction == DEFAULT_SATELLITE["structure_fraction"]
    assert default_plan.closure.design.payload == DEFAULT_SATELLITE["payload"]
    assert sizing_record(default_plan.closure)["payload"] == DEFAULT_SATELLITE["payload"]
    sizing = sized(default_plan).sizing
    assert sizing.satellite_compute_kw == payload.power_w / 1000.0
    assert sizing.mass_breakdown_kg_per_tonne["structure"] == pytest.approx(
        1000.0 * DEFAULT_SATELLITE["structure_fraction"], rel=1e-12
    )


# --- the inverse mode ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reachable_target(dawn_dusk):
    """A target between today's kW/t and what a 600 K radiator verifiably reaches."""
    constellation, _, result = dawn_dusk
    design = constellation.satellite
    env = sized(result).environment
    assert isinstance(env, Environment)
    hotter = dataclasses.replace(design.radiator, temperature_k=600.0)
    at_600_k = close(design.spec, design.array, design.battery, hotter, env).compute_kw_per_tonne
    now = sized(result).sizing.compute_kw_per_tonne
    assert at_600_k > now
    return {"target": 0.5 * (now + at_600_k), "at_600_k": at_600_k, "env": env}


def test_solve_for_radiator_temperature_reaches_the_target(dawn_dusk, reachable_target):
    constellation, _, result = dawn_dusk
    target, env = reachable_target["target"], reachable_target["env"]
    design = constellation.satellite
    radiation = result.radiation.of("dd340")
    solution = solve_for(
        design, sunlight(result), "radiator.temperature_k", target, radiation=radiation
    )
    assert solution.reachable is True
    assert solution.shell == "dd340"
    assert solution.current_value == design.radiator.temperature_k
    assert 320.0 < solution.value < 600.0
    radiator = dataclasses.replace(design.radiator, temperature_k=solution.value)
    reached = close(design.spec, design.array, design.battery, radiator, env)
    assert reached.compute_kw_per_tonne == pytest.approx(target, rel=SOLVE_RTOL)


def test_solve_for_an_unreachable_target_reports_the_range(dawn_dusk, reachable_target):
    constellation, _, result = dawn_dusk
    solution = solve_for(
        constellation.satellite, sunlight(result), "radiator.temperature_k", 1000.0
    )
    assert solution.reachable is False and solution.value is None
    low, high = solution.range_kw_per_tonne
    # A 1200 K radiator (the top of the search) beats the 600 K one, and falls far short.
    assert low < reachable_target["at_600_k"] <= high * (1 + SOLVE_RTOL) < 1000.0


def test_solve_for_refuses_unknown_parameters_and_bad_targets(dawn_dusk):
    constellation, _, result = dawn_dusk
    shell = sunlight(result)
    with pytest.raises(ValueError, match=r"radiator\.temprature_k.*radiator\.temperature_k"):
        solve_for(constellation.satellite, shell, "radiator.temprature_k", 30.0)
    with pytest.raises(ValueError, match=r"-5.*must be a positive finite number"):
        solve_for(constellation.satellite, shell, "radiator.temperature_k", -5.0)


def test_cli_size_solve_for_writes_json(tmp_path, dawn_dusk, reachable_target):
    constellation, _, result = dawn_dusk
    target = reachable_target["target"]
    run = run_cli(
        "size",
        "dawn-dusk-340",
        "--target-kw-per-tonne",
        repr(target),
        "--solve-for",
        "radiator.temperature_k",
        "--json",
        "-",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["scenario"] == "dawn-dusk-340"
    assert out["shells"][0]["compute_kw_per_tonne"] == pytest.approx(
        sized(result).sizing.compute_kw_per_tonne, rel=1e-12
    )
    (solution,) = out["solve_for"]
    assert solution["shell"] == "dd340" and solution["reachable"] is True
    expected = solve_for(
        constellation.satellite,
        sunlight(result),
        "radiator.temperature_k",
        target,
        radiation=result.radiation.of("dd340"),
    )
    assert solution["value"] == pytest.approx(expected.value, rel=SOLVE_RTOL)


@pytest.mark.parametrize(
    "flags", [["--target-kw-per-tonne", "40"], ["--solve-for", "radiator.temperature_k"]]
)
def test_cli_size_needs_both_inverse_flags(tmp_path, flags):
    run = run_cli("size", "dawn-dusk-340", *flags, cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "--target-kw-per-tonne" in lines[0] and "--solve-for" in lines[0]


# --- the published figure: a GB200 NVL72 rack is 88 kW per tonne --------------------------


@pytest.fixture(scope="module")
def million_satellite_table():
    """The [satellite] of the million-340 preset, the 'about 100 kW per tonne' unit."""
    return tomllib.loads(preset_text("million-340"))["satellite"]


def gb200_sizing(satellite, **sections):
    """The closure with the propulsion budget as given (not fed from the drag analysis)."""
    sections.setdefault("drag", {"feed_sizing": False})
    text = SMALL_SHELL.format(name="gb200") + toml_table("satellite", satellite)
    for section, table in sections.items():
        text += toml_table(section, table)
    return plan(parse_scenario(text), stages={"closure"}).closure


def test_gb200_published_figure_is_88_kw_per_tonne():
    rack = PAYLOADS["gb200-nvl72"]
    assert (rack.power_w / 1000.0, rack.mass_kg / 1000.0) == (120.0, 1.36)
    assert GB200_KW_PER_TONNE == pytest.approx(88.24, abs=0.01)


def test_a_satellite_of_gb200_racks_is_below_the_bare_rack(million_satellite_table):
    assert million_satellite_table["payload"] == "gb200-nvl72"
    closure = gb200_sizing(million_satellite_table)
    assert closure.design.payload == "gb200-nvl72"
    sizing = closure.worst.sized.sizing
    assert sizing.satellite_compute_kw == 120.0
    assert sizing.compute_kw_per_tonne < GB200_KW_PER_TONNE


def test_gb200_with_negligible_overheads_approaches_the_bare_rack(million_satellite_table):
    satellite = {
        **million_satellite_table,
        "bus_mass_kg": 0.0,
        "bus_power_w": 0.0,
        "laser_terminals": 0,
        "structure_fraction": 0.0,
        "propulsion_dry_kg_per_tonne": 0.0,
        "propellant_kg_per_tonne_year": 0.0,
        "propulsion_power_w_per_tonne": 0.0,
    }
    sizing = gb200_sizing(
        satellite,
        solar_array={"areal_density_kg_m2": 1e-9},
        radiator={"areal_density_kg_m2": 1e-9},
        # Shedding compute with no bus, lasers or thrusters leaves nothing to carry through
        # an eclipse: no battery (a 1e12 Wh/kg battery is outside the [battery] ranges).
        battery={"policy": "shed"},
        # A payload no trapped dose troubles: no aluminium added around it.
        radiation={"dose_tolerance_krad_si": 10_000.0},
    ).worst.sized.sizing
    assert sizing.compute_kw_per_tonne < GB200_KW_PER_TONNE
    assert sizing.compute_kw_per_tonne == pytest.approx(
        GB200_KW_PER_TONNE, rel=NEGLIGIBLE_OVERHEAD_RTOL
    )
    assert sizing.mass_breakdown_kg_per_tonne["compute"] == pytest.approx(
        1000.0, rel=NEGLIGIBLE_OVERHEAD_RTOL
    )


def test_a_payload_heavier_than_the_satellite_cap_is_refused():
    text = SMALL_SHELL.format(name="heavy") + toml_table(
        "satellite", {"payload": "gb200-nvl72", "max_mass_kg": 1000.0}
    )
    with pytest.raises(ValueError, match="max_mass_kg=1000: the payload, bus and lasers alone"):
        parse_scenario(text)


def test_a_satellite_over_its_mass_cap_is_reported_not_crashed(tmp_path):
    # A GB200 rack alone is 1.36 t; with its array, radiator and battery it cannot close
    # under 2 t (the rack is 88 kW/t, the overheads at least as heavy again).
    text = SMALL_SHELL.format(name="capped") + toml_table(
        "satellite", {"payload": "gb200-nvl72", "max_mass_kg": 2000.0}
    )
    # Every stage but the fleet's sunlight: the mesh runs on, the cadence is skipped.
    result = plan(parse_scenario(text), stages={"closure", "network", "cadence"})
    (shell,) = result.closure.shells
    assert shell.closes is False and result.closure.worst is None
    assert "max_mass_kg=2000: the satellite closes at" in shell.not_closed
    assert result.cadence is None and "cadence" in result.skipped
    assert result.network is not None
    sizing = plan_record(result)["sizing"]
    assert sizing["closes"] is False
    assert "max_mass_kg=2000: the satellite closes at" in sizing["error"]
    size_json_of_a_satellite_that_does_not_close(tmp_path, text, "max_mass_kg=2000")

"""The closure stage's batch pieces against the stage itself, one satellite at a time.

On the dawn-dusk-340 preset's shell (its year of sunlight and its NRLMSIS
atmosphere, found once): the drag-feedback kernel over a batch of hardware
variants equals ``close_shell`` run on each variant; the hot case from the
radiator's two flux components equals ``hot_case_radiator_w_m2``; the
uncontrolled lifetime at a unit ballistic coefficient, divided by any other,
equals the lifetime integrated at that one.
"""

import dataclasses
import re

import numpy as np
import pytest

from constellations.io.scenario import load_scenario
from constellations.planner import plan
from constellations.stages import closure as closure_stage
from constellations.stages.atmosphere import (
    _lifetime_days,
    demand_cases,
    shell_atmosphere,
    unit_ballistic_lifetime_days,
)
from constellations.stages.closure import (
    close_shell,
    drag_feedback_inputs,
    hot_case_components,
    hot_case_from_components,
    hot_case_radiator_w_m2,
    shell_environment_batch,
)
from orbital.closure import (
    CLOSES,
    ECLIPSE,
    NO_MASS,
    OVER_MAX_MASS,
    POLICIES,
    RADIATOR_SINK,
    RadiatorSpec,
)
from orbital.drag_closure import close_with_drag_batch
from orbital.power import solar_flux_w_m2

#: The same sums in another order (the hot case's two components, a lifetime's 1/B).
FLOAT_RTOL = 1e-12
#: Through the drag loop, a hot case a few ulps apart may, rarely, settle one pass apart;
#: a pass moves the figures by at most the loop's 1e-11 stopping threshold.
LOOP_RTOL = 1e-12
#: Variants per batch (each is one close_shell call on the stage's path).
N_VARIANTS = 24
#: ``close_shell``'s one-line reasons, by the kernel's reason codes.
NOT_CLOSED = {
    NO_MASS: "does not close",
    OVER_MAX_MASS: "max_mass_kg=",
    RADIATOR_SINK: "cannot reject heat",
    ECLIPSE: "max_eclipse_min",
}


@pytest.fixture(scope="module")
def shell():
    """The dawn-dusk-340 preset: its design, one year of sunlight, its atmosphere."""
    constellation = load_scenario("dawn-dusk-340")
    (sunlight,) = plan(constellation, stages={"illumination"}).illumination.shells
    atmosphere = shell_atmosphere(sunlight.resolved, constellation.epoch, constellation.drag)
    return constellation, sunlight, atmosphere


def variants(seed: int, base) -> dict:
    """Hardware variants around ``base`` (a SatelliteDesign), inside the schema's bounds."""
    rng = np.random.default_rng(seed)
    n = N_VARIANTS

    def uniform(low, high):
        return rng.uniform(low, high, n)

    spec = {
        "compute_w": uniform(3e4, 2.5e5),
        "compute_mass_kg": uniform(400.0, 2500.0),
        "structure_fraction": uniform(0.05, 0.5),
        "propulsion_dry_kg_per_tonne": uniform(0.0, 100.0),
        "design_life_years": uniform(2.0, 10.0),
    }
    m1 = spec["compute_mass_kg"] + base.spec.bus_mass_kg
    m1 = m1 + base.spec.laser_terminals * base.spec.laser_mass_kg
    spec["max_mass_kg"] = np.where(rng.random(n) < 0.25, m1 * uniform(1.5, 4.0), 1e6)
    array = {"efficiency_bol": uniform(0.2, 0.4), "areal_density_kg_m2": uniform(0.5, 4.0)}
    battery = {"specific_energy_wh_kg": uniform(120.0, 400.0)}
    radiator = {
        "temperature_k": uniform(260.0, 420.0),
        "emissivity": uniform(0.6, 0.98),
        "absorptivity": uniform(0.05, 0.6),
        "areal_density_kg_m2": uniform(1.0, 8.0),
    }
    return {"spec": spec, "array": array, "battery": battery, "radiator": radiator}


def one_design(base, v: dict, i: int):
    """``base`` with variant ``i``'s values (a checked SatelliteDesign)."""
    changes = {
        group: dataclasses.replace(
            getattr(base, group), **{k: float(x[i]) for k, x in fields.items()}
        )
        for group, fields in v.items()
    }
    return base.replace(**changes)


def batch_specs(base, v: dict):
    return [
        dataclasses.replace(getattr(base, group), **v[group])
        for group in ("spec", "array", "battery", "radiator")
    ]


@pytest.mark.parametrize(
    ("attitude", "policy"), [("nadir", "ride_through"), ("sun_edge_on", "shed")]
)
def test_the_batch_kernel_is_close_shell_one_satellite_at_a_time(
    shell, attitude, policy, monkeypatch
):
    constellation, sunlight, atmosphere = shell
    # The stage's hot case from its two components, found once: equal to the direct one to
    # 1e-12 (the test below), and 20 times faster than its view factors for every variant.
    components = {}

    def hot_case(resolved, radiator, beta_range_deg, solar_flux):
        key = (radiator.attitude, radiator.faces, tuple(beta_range_deg), solar_flux)
        if key not in components:
            components[key] = hot_case_components(resolved, radiator, beta_range_deg, solar_flux)
        sun, ir = components[key]
        return float(hot_case_from_components(sun, ir, radiator.absorptivity, radiator.emissivity))

    monkeypatch.setattr(closure_stage, "hot_case_radiator_w_m2", hot_case)
    base = constellation.satellite.replace(
        radiator=dataclasses.replace(constellation.satellite.radiator, attitude=attitude),
        battery=dataclasses.replace(constellation.satellite.battery, policy=policy),
    )
    v = variants(seed=len(attitude), base=base)
    sat, array, battery, radiator = batch_specs(base, v)
    out = close_with_drag_batch(
        sat,
        array,
        battery,
        radiator,
        shell_environment_batch(sunlight, radiator),
        **drag_feedback_inputs(sunlight, attitude, constellation.drag, atmosphere),
        policies=POLICIES,
    )
    closed = 0
    for i in range(N_VARIANTS):
        one = close_shell(one_design(base, v, i), sunlight, constellation.drag, atmosphere)
        reason = int(out.sizing.reason[i])
        if not one.closes:
            assert reason != CLOSES, (i, one.not_closed)
            assert NOT_CLOSED[reason] in one.not_closed, (i, one.not_closed)
            if one.propulsion_demand is not None:  # it failed under its drag's demand
                demand = one.propulsion_demand
                assert out.propulsion_power_w_per_tonne[i] == pytest.approx(
                    demand.propulsion_power_w_per_tonne, rel=LOOP_RTOL
                )
            continue
        closed += 1
        assert reason == CLOSES, (i, reason)
        want = one.sized.sizing
        got = out.sizing.sizing(i)
        for f in dataclasses.fields(want):
            a, b = getattr(got, f.name), getattr(want, f.name)
            if isinstance(b, dict):
                assert a == pytest.approx(b, rel=LOOP_RTOL), (i, f.name)
            elif isinstance(b, float):
                assert a == pytest.approx(b, rel=LOOP_RTOL), (i, f.name)
            else:
                assert a == b, (i, f.name)
        assert out.propulsion_power_w_per_tonne[i] == pytest.approx(
            one.propulsion_power_w_per_tonne, rel=LOOP_RTOL
        )
        assert out.propellant_kg_per_tonne_year[i] == pytest.approx(
            one.propellant_kg_per_tonne_year, rel=LOOP_RTOL
        )
        assert bool(out.converged[i]) == one.converged
        assert out.drag_area_m2_per_tonne[i] == pytest.approx(
            one.drag.case("moderate").drag_area_m2_per_tonne, rel=LOOP_RTOL
        )
    assert N_VARIANTS // 3 < closed < N_VARIANTS, closed  # some close, some do not


@pytest.mark.parametrize(("attitude", "faces"), [("sun_edge_on", 2), ("velocity", 1), ("nadir", 2)])
def test_hot_case_from_its_two_components_is_the_direct_one(shell, attitude, faces):
    _, sunlight, _ = shell
    flux = float(solar_flux_w_m2(sunlight.year.perihelion_au))
    radiator = RadiatorSpec(attitude=attitude, faces=faces)
    sun, ir = hot_case_components(sunlight.resolved, radiator, sunlight.beta_range_deg, flux)
    absorptivity = np.array([0.0, 0.2, 1.0])
    emissivity = np.array([0.9, 0.85, 0.05])
    batch = hot_case_from_components(sun, ir, absorptivity, emissivity)
    for a, e, got in zip(absorptivity, emissivity, batch, strict=True):
        one = dataclasses.replace(radiator, absorptivity=float(a), emissivity=float(e))
        want = hot_case_radiator_w_m2(sunlight.resolved, one, sunlight.beta_range_deg, flux)
        assert got == pytest.approx(want, rel=FLOAT_RTOL)


def test_lifetime_at_a_unit_ballistic_coefficient_scales_as_one_over_b(shell):
    _, _, atmosphere = shell
    unit = unit_ballistic_lifetime_days(atmosphere)
    assert set(unit) == set(atmosphere.cases)
    for ballistic in (0.001, 0.0123, 0.05, 0.4):
        for case, days_m2_kg in unit.items():
            want = _lifetime_days(atmosphere, case, ballistic, None)
            assert days_m2_kg / ballistic == pytest.approx(want, rel=FLOAT_RTOL), case


def test_the_custom_case_is_the_mean_and_sizes_thrusters_only_when_denser_than_high():
    base = {"low": 1e-12, "moderate": 1e-11, "high": 3e-11}
    assert demand_cases(base) == ("high", "moderate")
    assert demand_cases({**base, "custom": 2e-11}) == ("high", "custom")
    assert demand_cases({**base, "custom": 5e-12}) == ("high", "custom")
    assert demand_cases({**base, "custom": 4e-11}) == ("custom", "custom")


def test_close_shell_says_why_in_the_one_sample_paths_words(shell):
    constellation, sunlight, atmosphere = shell
    design = constellation.satellite
    spec = dataclasses.replace(design.spec, structure_fraction=0.99)
    failed = close_shell(design.replace(spec=spec), sunlight, constellation.drag, atmosphere)
    assert not failed.closes and failed.drag is None
    assert re.match(r"the satellite does not close: structure, propulsion", failed.not_closed)

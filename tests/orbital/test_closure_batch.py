"""The batch closure kernel against the closure written out one satellite at a time.

The reference here is the sizing's closed forms in plain Python floats, written
out from their sources (array and battery: Patel, *Spacecraft Power Systems*,
ch. 4; radiator: grey body ``faces * eps * sigma * T^4`` less what it absorbs;
the mass ``M = fixed + k M``), independent of ``orbital.power`` and
``orbital.thermal``.  A seeded batch of hardware variants, some of which do
not close, must give every field of every closing sample to 1e-12 and the
reason of every one that does not, and ``close`` (the one-sample case) must
raise for exactly those.
"""

import math

import numpy as np
import pytest

from orbital.closure import (
    CLOSES,
    CLOSURE_REASONS,
    ECLIPSE,
    EMISSIVITY,
    NEGATIVE_HEAT,
    NO_MASS,
    OVER_MAX_MASS,
    OVERHEADS,
    RADIATOR_SINK,
    ArraySpec,
    BatterySpec,
    Environment,
    RadiatorSpec,
    SatelliteSpec,
    close,
    close_batch,
)
from orbital.drag_closure import close_with_drag_batch
from orbital.thermal import radiator_area_m2, radiator_area_m2_or_nan

#: Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018).
SIGMA = 5.670374419e-8
#: A Julian year in hours (IAU: 365.25 days).
HOURS_PER_YEAR = 365.25 * 24.0
#: The same closed forms in float64, summed in another order: a few ulps apart.
FLOAT_RTOL = 1e-12
#: Variants in the random batch.
N_VARIANTS = 300
#: Words of each reason's message from ``close`` (its existing one-line messages).
MESSAGE_WORDS = {
    NO_MASS: "does not close",
    OVER_MAX_MASS: "max_mass_kg=",
    RADIATOR_SINK: "cannot reject heat",
    ECLIPSE: "max_eclipse_min must be shorter than the orbit period",
    NEGATIVE_HEAT: "must not be negative",
    EMISSIVITY: "need 0 < emissivity <= 1",
}


class Fails(Exception):
    """The reference's own reason for a satellite that does not close."""

    def __init__(self, code):
        self.code = code


def reference_close(v: dict, policy: str, faces: int, environment: bool) -> dict:
    """One satellite closed in plain floats; ``v`` maps ``group.field`` to a float."""

    def masses(mass_kg):
        tonnes = mass_kg / 1000.0
        propulsion_w = v["sat.propulsion_power_w_per_tonne"] * tonnes
        lasers_w = v["sat.laser_terminals"] * v["sat.laser_power_w"]
        housekeeping_w = v["sat.bus_power_w"] + lasers_w + propulsion_w
        sun_w = v["sat.compute_w"] + housekeeping_w
        eclipse_w = sun_w if policy == "ride_through" else housekeeping_w
        eclipse_min = v["env.max_eclipse_min"]
        sunlit_min = v["env.period_min"] - eclipse_min
        if sunlit_min <= 0:
            raise Fails(ECLIPSE)
        eta = v["sat.distribution_efficiency"]
        charge, discharge = v["battery.charge_efficiency"], v["battery.discharge_efficiency"]
        array_w = sun_w / eta + (eclipse_w / eta) * eclipse_min / (sunlit_min * charge * discharge)
        flux = v["env.solar_flux_w_m2"]
        per_m2 = (
            flux
            * v["array.efficiency_bol"]
            * (1.0 - v["array.degradation_per_year"]) ** v["sat.design_life_years"]
            * v["array.packing_factor"]
            * (1.0 - v["array.temperature_loss"])
            * math.cos(math.radians(v["array.pointing_loss_deg"]))
        )
        array_m2 = array_w / per_m2
        battery_wh = (
            (eclipse_w / eta) * (eclipse_min / 60.0) / (v["battery.depth_of_discharge"] * discharge)
        )
        heat_w = (
            v["sat.compute_w"]
            + v["sat.bus_power_w"]
            + lasers_w
            + v["sat.propulsion_heat_fraction"] * propulsion_w
            + (1.0 - eta) * array_w
            + (1.0 - charge) * (array_w - sun_w / eta)
            + v["array.loss_to_radiator_fraction"] * (array_m2 * flux - array_w)
        )
        if heat_w < 0:
            raise Fails(NEGATIVE_HEAT)
        eps = v["radiator.emissivity"]
        if not 0 < eps <= 1:
            raise Fails(EMISSIVITY)
        absorbed = v["env.radiator_absorbed_w_m2"] if environment else 0.0
        net = faces * eps * SIGMA * v["radiator.temperature_k"] ** 4 - absorbed
        if net <= 0:
            raise Fails(RADIATOR_SINK)
        radiator_m2 = heat_w / net
        breakdown = {
            "compute": v["sat.compute_mass_kg"],
            "array": array_m2 * v["array.areal_density_kg_m2"],
            "radiator": radiator_m2 * v["radiator.areal_density_kg_m2"],
            "battery": battery_wh / v["battery.specific_energy_wh_kg"],
            "bus": v["sat.bus_mass_kg"],
            "lasers": v["sat.laser_terminals"] * v["sat.laser_mass_kg"],
            "propulsion": v["sat.propulsion_dry_kg_per_tonne"] * tonnes,
            "propellant": v["sat.propellant_kg_per_tonne_year"]
            * v["sat.design_life_years"]
            * tonnes,
            "structure": v["sat.structure_fraction"] * mass_kg,
        }
        sizes = dict(array_m2=array_m2, array_w=array_w, battery_wh=battery_wh)
        return breakdown, dict(sizes, radiator_m2=radiator_m2, heat_w=heat_w)

    m1 = v["sat.compute_mass_kg"] + v["sat.bus_mass_kg"]
    f1 = sum(masses(m1)[0].values())
    f2 = sum(masses(2.0 * m1)[0].values())
    k = (f2 - f1) / m1
    fixed = f1 - k * m1
    if k >= 1.0 - 1e-12:
        raise Fails(NO_MASS)
    mass = fixed / (1.0 - k)
    if mass > v["sat.max_mass_kg"]:
        raise Fails(OVER_MAX_MASS)
    breakdown, sizes = masses(mass)
    per_tonne = 1000.0 / mass
    compute_kw = v["sat.compute_w"] / 1000.0
    average_kw = compute_kw * (v["env.sunlit_fraction_year"] if policy == "shed" else 1.0)
    overheads = {k: m for k, m in breakdown.items() if k != "compute"}
    return {
        "satellite_mass_kg": mass,
        "satellite_compute_kw": compute_kw,
        "compute_kw_per_tonne": compute_kw * per_tonne,
        "compute_kw_per_tonne_orbit_average": average_kw * per_tonne,
        "pflops_per_tonne": v["sat.compute_pflops"] * per_tonne,
        "array_m2_per_tonne": sizes["array_m2"] * per_tonne,
        "radiator_m2_per_tonne": sizes["radiator_m2"] * per_tonne,
        "battery_kwh_per_tonne": sizes["battery_wh"] / 1000.0 * per_tonne,
        "array_power_kw_per_tonne": sizes["array_w"] / 1000.0 * per_tonne,
        "heat_rejected_kw_per_tonne": sizes["heat_w"] / 1000.0 * per_tonne,
        "lost_compute_kwh_per_tonne_year": (compute_kw - average_kw) * HOURS_PER_YEAR * per_tonne,
        "mass_breakdown_kg_per_tonne": {k: m * per_tonne for k, m in breakdown.items()},
        "binding_constraint": max(overheads, key=overheads.get),
    }


def random_variants(seed: int, n: int = N_VARIANTS) -> dict:
    """``group.field`` -> ``(n,)``: hardware inside the scenario schema's bounds, and a few
    outside them (an emissivity above 1, an array that yields more than the sunlight)."""
    rng = np.random.default_rng(seed)

    def uniform(low, high):
        return rng.uniform(low, high, n)

    v = {
        "sat.compute_w": uniform(5e3, 3e5),
        "sat.compute_mass_kg": uniform(100.0, 3000.0),
        "sat.compute_pflops": uniform(0.0, 1000.0),
        "sat.bus_power_w": uniform(0.0, 5000.0),
        "sat.bus_mass_kg": uniform(0.0, 500.0),
        "sat.laser_terminals": rng.integers(0, 5, n).astype(float),
        "sat.laser_power_w": uniform(0.0, 300.0),
        "sat.laser_mass_kg": uniform(0.0, 50.0),
        "sat.structure_fraction": uniform(0.0, 0.9),
        "sat.propulsion_dry_kg_per_tonne": uniform(0.0, 200.0),
        "sat.propellant_kg_per_tonne_year": uniform(0.0, 30.0),
        "sat.propulsion_power_w_per_tonne": uniform(0.0, 3000.0),
        "sat.propulsion_heat_fraction": uniform(0.0, 1.0),
        "sat.design_life_years": uniform(1.0, 15.0),
        "sat.distribution_efficiency": uniform(0.8, 1.0),
        "array.efficiency_bol": uniform(0.1, 0.45),
        "array.degradation_per_year": uniform(0.0, 0.05),
        "array.packing_factor": uniform(0.7, 1.0),
        "array.temperature_loss": uniform(0.0, 0.2),
        "array.pointing_loss_deg": uniform(0.0, 30.0),
        "array.areal_density_kg_m2": uniform(0.3, 5.0),
        "array.loss_to_radiator_fraction": uniform(0.0, 0.5),
        "battery.specific_energy_wh_kg": uniform(100.0, 500.0),
        "battery.depth_of_discharge": uniform(0.2, 0.9),
        "battery.charge_efficiency": uniform(0.85, 1.0),
        "battery.discharge_efficiency": uniform(0.85, 1.0),
        "radiator.temperature_k": uniform(200.0, 450.0),
        "radiator.emissivity": uniform(0.5, 1.0),
        "radiator.absorptivity": uniform(0.05, 0.5),
        "radiator.areal_density_kg_m2": uniform(1.0, 10.0),
        "env.period_min": uniform(90.5, 92.0),
        "env.max_eclipse_min": uniform(0.0, 36.0),
        "env.sunlit_fraction_year": uniform(0.6, 1.0),
        "env.solar_flux_w_m2": uniform(1316.0, 1408.0),
        "env.radiator_absorbed_w_m2": uniform(0.0, 450.0),
    }
    m1 = v["sat.compute_mass_kg"] + v["sat.bus_mass_kg"]
    v["sat.max_mass_kg"] = np.where(rng.random(n) < 0.2, m1 * uniform(1.0, 4.0), np.inf)
    # A few that fail for the rarer reasons.
    pick = rng.choice(n, 12, replace=False)
    v["env.max_eclipse_min"][pick[:4]] = v["env.period_min"][pick[:4]] + uniform(0.0, 5.0)[:4]
    v["radiator.emissivity"][pick[4:8]] = uniform(1.01, 1.3)[:4]
    v["array.efficiency_bol"][pick[8:12]] = 20.0  # more power than the sunlight carries
    v["array.loss_to_radiator_fraction"][pick[8:12]] = 1.0
    return v


def specs(v: dict, policy: str, faces: int, environment: bool, index=None):
    """The five specs from ``v``: arrays, or plain floats of sample ``index``."""

    def field(name):
        value = v[name]
        if index is None:
            return value
        value = float(value[index])
        if name == "sat.max_mass_kg" and math.isinf(value):
            return None
        if name == "sat.laser_terminals":
            return int(value)
        return value

    def group(prefix, cls, **extra):
        fields = {k.split(".")[1]: field(k) for k in v if k.startswith(prefix + ".")}
        return cls(**fields, **extra)

    radiator = {k.split(".")[1]: field(k) for k in v if k.startswith("radiator.")}
    return (
        group("sat", SatelliteSpec),
        group("array", ArraySpec),
        group("battery", BatterySpec, policy=policy),
        RadiatorSpec(**radiator, faces=faces, environment=environment),
        group("env", Environment),
    )


def sample(v: dict, i: int) -> dict:
    return {k: float(x[i]) for k, x in v.items()}


def assert_close_to(got, want, what):
    assert got == pytest.approx(want, rel=FLOAT_RTOL, abs=1e-300), what


CASES = [
    ("ride_through", 2, True),
    ("shed", 2, True),
    ("ride_through", 1, False),
    ("shed", 1, True),
]


@pytest.mark.parametrize(("policy", "faces", "environment"), CASES)
def test_a_batch_is_the_closure_one_satellite_at_a_time(policy, faces, environment):
    v = random_variants(seed=16 + faces + 2 * environment + (policy == "shed"))
    batch = close_batch(*specs(v, policy, faces, environment))
    assert len(batch) == N_VARIANTS
    reasons = []
    for i in range(N_VARIANTS):
        try:
            want = reference_close(sample(v, i), policy, faces, environment)
        except Fails as failed:
            reasons.append(failed.code)
            assert batch.reason[i] == failed.code, (i, CLOSURE_REASONS[batch.reason[i]])
            assert np.isnan(batch.compute_kw_per_tonne[i]) and batch.binding_constraint[i] == -1
            assert all(np.isnan(m[i]) for m in batch.mass_breakdown_kg_per_tonne.values())
            with pytest.raises(ValueError, match=MESSAGE_WORDS[failed.code].replace("(", r"\(")):
                close(*specs(v, policy, faces, environment, index=i))
            continue
        reasons.append(CLOSES)
        assert batch.reason[i] == CLOSES, (i, CLOSURE_REASONS[batch.reason[i]])
        one = close(*specs(v, policy, faces, environment, index=i))
        assert one == batch.sizing(i)  # the one-sample case is the batch's own numbers
        for name, value in want.items():
            got = getattr(one, name)
            if name == "mass_breakdown_kg_per_tonne":
                for part, mass in value.items():
                    assert_close_to(got[part], mass, (i, part))
                    assert isinstance(got[part], float)
            elif name == "binding_constraint":
                assert (
                    got == value == batch.binding_names[i] == OVERHEADS[batch.binding_constraint[i]]
                )
            else:
                assert_close_to(got, value, (i, name))
                assert isinstance(got, float)
        assert one.policy == policy
    # The batch holds satellites that close and some that fail for each reason.
    counts = {code: reasons.count(code) for code in set(reasons)}
    assert counts.get(CLOSES, 0) > N_VARIANTS // 3, counts
    expected = {NO_MASS, OVER_MAX_MASS, ECLIPSE, EMISSIVITY}
    if environment:
        expected.add(RADIATOR_SINK)
    if policy == "ride_through":  # shedding, the array's surplus is too small to go negative
        expected.add(NEGATIVE_HEAT)
    assert expected <= set(counts), counts


def test_scalars_broadcast_with_arrays_and_make_a_batch_of_one():
    sat = SatelliteSpec(compute_w=np.array([1e5, 2e5, 3e5]), compute_mass_kg=1400.0)
    env = Environment(
        period_min=91.0,
        max_eclipse_min=25.0,
        sunlit_fraction_year=0.9,
        solar_flux_w_m2=1316.0,
        radiator_absorbed_w_m2=150.0,
    )
    batch = close_batch(sat, ArraySpec(), BatterySpec(), RadiatorSpec(), env)
    assert batch.satellite_compute_kw.tolist() == [100.0, 200.0, 300.0]
    assert batch.pflops_per_tonne is None
    one = close_batch(
        SatelliteSpec(compute_w=2e5, compute_mass_kg=1400.0),
        ArraySpec(),
        BatterySpec(),
        RadiatorSpec(),
        env,
    )
    assert len(one) == 1 and one.sizing(0) == batch.sizing(1)


def test_shared_fields_that_make_no_sense_are_refused_for_the_whole_batch():
    sat = SatelliteSpec(compute_w=np.array([1e5, 2e5]), compute_mass_kg=1400.0)
    env = Environment(
        period_min=91.0, max_eclipse_min=25.0, sunlit_fraction_year=0.9, solar_flux_w_m2=1316.0
    )
    with pytest.raises(ValueError, match="policy='none'"):
        close_batch(sat, ArraySpec(), BatterySpec(policy="none"), RadiatorSpec(), env)
    with pytest.raises(ValueError, match="faces=3"):
        close_batch(sat, ArraySpec(), BatterySpec(), RadiatorSpec(faces=3), env)
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        close_batch(
            sat, ArraySpec(efficiency_bol=np.full((2, 2), 0.3)), BatterySpec(), RadiatorSpec(), env
        )


def test_radiator_area_of_arrays_is_nan_where_the_panel_cannot_reject_heat():
    heat = np.array([1000.0, 1000.0, -1.0, 1000.0])
    temperature = np.array([300.0, 150.0, 300.0, 300.0])
    emissivity = np.array([0.9, 0.9, 0.9, 1.5])
    absorbed = 200.0
    area = radiator_area_m2_or_nan(heat, temperature, emissivity, 2, absorbed)
    assert area[0] == pytest.approx(
        1000.0 / (2 * 0.9 * SIGMA * 300.0**4 - absorbed), rel=FLOAT_RTOL
    )
    assert np.isnan(area[1:]).all()
    # The raising path, unchanged for one panel, now takes arrays too.
    assert radiator_area_m2(heat[:1], temperature[:1], emissivity[:1], 2, absorbed) == area[:1]
    with pytest.raises(ValueError, match="cannot reject heat"):
        radiator_area_m2(heat[:2], temperature[:2], emissivity[:2], 2, absorbed)


# --- drag feedback: the kernel against its fixed point in closed form ---------------------

#: SGP4's WGS-72 Earth (km, km^3/s^2), standard gravity (m/s^2), a Julian year (s).
EARTH_RADIUS_WGS72_KM, MU_KM3_S2 = 6378.135, 398600.8
G0_M_S2, JULIAN_YEAR_S = 9.80665, 365.25 * 86400.0
#: The loop stops when the array area moves by 1e-11 of itself between passes; its
#: fixed point is met to about that.
SETTLED_RTOL = 1e-9


def test_drag_feedback_reaches_the_fixed_point_of_drag_and_sizing():
    rng = np.random.default_rng(7)
    n = 50
    sat = SatelliteSpec(
        compute_w=rng.uniform(5e4, 2e5, n),
        compute_mass_kg=rng.uniform(500.0, 2000.0, n),
        structure_fraction=0.15,
        propulsion_dry_kg_per_tonne=20.0,
    )
    env = Environment(
        period_min=91.3,
        max_eclipse_min=20.0,
        sunlit_fraction_year=0.95,
        solar_flux_w_m2=1316.0,
        radiator_absorbed_w_m2=120.0,
    )
    rho = {"thrust": 3e-11, "mean": 1.2e-11, "storm": 3e-11}
    drag = dict(
        array_flow_share=0.3,
        radiator_flow_share=rng.uniform(0.0, 1.0, n),
        body_area_m2_per_tonne=0.5,
        drag_coefficient=2.2,
        altitude_km=340.0,
        thrust_density_kg_m3=rho["thrust"],
        mean_density_kg_m3=rho["mean"],
        storm_density_kg_m3=rho["storm"],
        storm_density_factor=5.0,
        storm_hours_per_year=48.0,
        isp_s=1600.0,
        thrust_mn_per_kw=83.0 / 1.35,
    )
    out = close_with_drag_batch(sat, ArraySpec(), BatterySpec(), RadiatorSpec(), env, **drag)
    assert out.converged.all() and (out.sizing.reason == CLOSES).all()
    s = out.sizing
    area = s.array_m2_per_tonne * 0.3 + s.radiator_m2_per_tonne * drag["radiator_flow_share"] + 0.5
    np.testing.assert_allclose(out.drag_area_m2_per_tonne, area, rtol=FLOAT_RTOL)
    v = math.sqrt(MU_KM3_S2 / (EARTH_RADIUS_WGS72_KM + 340.0)) * 1e3
    force = {k: 0.5 * r * v * v * 2.2 * area for k, r in rho.items()}  # N per tonne
    power = force["thrust"] * 1e3 / drag["thrust_mn_per_kw"] * 1e3
    storms = 4.0 * 48.0 / HOURS_PER_YEAR
    propellant = (force["mean"] + force["storm"] * storms) * JULIAN_YEAR_S / (1600.0 * G0_M_S2)
    np.testing.assert_allclose(out.propulsion_power_w_per_tonne, power, rtol=SETTLED_RTOL)
    np.testing.assert_allclose(out.propellant_kg_per_tonne_year, propellant, rtol=SETTLED_RTOL)
    # The sizing carries that budget: the propellant's mass over the design life.
    np.testing.assert_allclose(
        s.mass_breakdown_kg_per_tonne["propellant"], propellant * 5.0, rtol=SETTLED_RTOL
    )
    # A batch of one is the same satellite.
    one = close_with_drag_batch(
        SatelliteSpec(
            compute_w=float(sat.compute_w[3]),
            compute_mass_kg=float(sat.compute_mass_kg[3]),
            structure_fraction=0.15,
            propulsion_dry_kg_per_tonne=20.0,
        ),
        ArraySpec(),
        BatterySpec(),
        RadiatorSpec(),
        env,
        **{**drag, "radiator_flow_share": float(drag["radiator_flow_share"][3])},
    )
    assert one.sizing.sizing(0) == s.sizing(3)
    assert one.passes[0] == out.passes[3]


def test_a_sample_that_stops_closing_under_its_drag_says_why_and_keeps_its_last_area():
    env = Environment(
        period_min=91.3, max_eclipse_min=20.0, sunlit_fraction_year=0.95, solar_flux_w_m2=1316.0
    )
    # The densest air NRLMSIS gives at 150 km: the drag's propellant takes every tonne.
    sat = SatelliteSpec(
        compute_w=1e5,
        compute_mass_kg=1400.0,
        structure_fraction=0.2,
        max_mass_kg=np.array([1e5, 8000.0]),
    )
    out = close_with_drag_batch(
        sat,
        ArraySpec(),
        BatterySpec(),
        RadiatorSpec(),
        env,
        array_flow_share=0.6,
        radiator_flow_share=1.0,
        body_area_m2_per_tonne=0.5,
        drag_coefficient=2.2,
        altitude_km=150.0,
        thrust_density_kg_m3=2e-9,
        mean_density_kg_m3=2e-9,
        storm_density_kg_m3=2e-9,
        storm_density_factor=5.0,
        storm_hours_per_year=48.0,
        isp_s=1600.0,
        thrust_mn_per_kw=60.0,
    )
    assert set(out.sizing.reason) <= {NO_MASS, OVER_MAX_MASS} and not out.converged.any()
    assert (out.passes >= 1).all() and np.isfinite(out.drag_area_m2_per_tonne).all()
    assert np.isnan(out.sizing.compute_kw_per_tonne).all()
    assert (out.propellant_kg_per_tonne_year > 0).all()

"""Mass closure: how much compute a tonne in orbit carries, and what the rest of the tonne is.

A satellite carries a compute payload, a bus, laser terminals, propulsion
and propellant, and the solar array, battery and radiator those need, held
together by structure.  Array, battery and radiator grow with the power they
serve; propulsion, propellant and structure grow with the satellite's own
mass.  So the total mass solves ``M = fixed + k * M``, found here by fixed
point iteration (it converges when ``k < 1``; otherwise no satellite closes).
Everything is then reported per satellite and per tonne.

Plain numbers in, a :class:`Sizing` out: the planner fills the inputs from
scenario files and the illumination analysis.  The specs are plain values,
not checked here: the caller checks what a user gives (the planner does, where
it reads a scenario).  :func:`close` refuses only what would make its answer
meaningless: an unknown battery policy, an eclipse as long as the orbit.
"""

import dataclasses
import math
from dataclasses import dataclass

from orbital.constants import JULIAN_YEAR_DAYS
from orbital.power import (
    array_power_needed_w,
    array_power_per_area_w_m2,
    battery_capacity_wh,
)
from orbital.thermal import radiator_area_m2

HOURS_PER_YEAR = JULIAN_YEAR_DAYS * 24.0  # 8766 h in a Julian year
POLICIES = ("ride_through", "shed")


@dataclass(frozen=True)
class SatelliteSpec:
    """What the satellite carries besides its power and thermal systems.

    Powers in W and masses in kg per satellite; propulsion per tonne of
    satellite.  ``compute_pflops`` may be None when the payload has no
    published FLOPS.  ``distribution_efficiency`` is the share of array
    output that reaches the loads (the rest is heat in the power electronics).
    """

    compute_w: float
    compute_mass_kg: float
    compute_pflops: float | None = None
    bus_power_w: float = 0.0
    bus_mass_kg: float = 0.0
    laser_terminals: int = 0
    laser_power_w: float = 0.0
    laser_mass_kg: float = 0.0
    structure_fraction: float = 0.0
    propulsion_dry_kg_per_tonne: float = 0.0
    propellant_kg_per_tonne_year: float = 0.0
    propulsion_power_w_per_tonne: float = 0.0
    propulsion_heat_fraction: float = 0.4
    design_life_years: float = 5.0
    distribution_efficiency: float = 0.95
    max_mass_kg: float | None = None  # a cap on the closed satellite (a launcher's slot)


@dataclass(frozen=True)
class ArraySpec:
    """A sun-tracking solar array (defaults: triple-junction cells on a flexible blanket)."""

    efficiency_bol: float = 0.30
    degradation_per_year: float = 0.01
    packing_factor: float = 0.90
    temperature_loss: float = 0.10
    pointing_loss_deg: float = 0.0
    areal_density_kg_m2: float = 1.5
    loss_to_radiator_fraction: float = 0.0


@dataclass(frozen=True)
class BatterySpec:
    """A battery and what it must carry through an eclipse (``policy``)."""

    specific_energy_wh_kg: float = 150.0
    depth_of_discharge: float = 0.30
    charge_efficiency: float = 0.95
    discharge_efficiency: float = 0.95
    policy: str = "ride_through"


@dataclass(frozen=True)
class RadiatorSpec:
    """A deployable radiator panel.  ``environment=False`` sizes the bare grey body.

    ``attitude`` (see :func:`orbital.thermal.radiator_environment`): by default
    the panel turns about the Sun line to stay edge-on to the Sun with the
    nadir in its plane, as the ISS radiators do; a body-fixed panel facing the
    velocity is edge-on to the Sun in a dawn-dusk orbit but face-on to the
    flow, a horizontal one (``"nadir"``) edge-on to both there.
    """

    temperature_k: float = 320.0
    emissivity: float = 0.90
    absorptivity: float = 0.20
    areal_density_kg_m2: float = 3.0
    faces: int = 2
    attitude: str = "sun_edge_on"
    environment: bool = True


@dataclass(frozen=True)
class Environment:
    """What the orbit does to the satellite: eclipses, sunlight, radiator loads.

    ``max_eclipse_min`` and ``period_min`` size the battery and the recharge
    (worst plane, worst season); ``sunlit_fraction_year`` gives the compute
    that survives shedding; ``solar_flux_w_m2`` sizes the array (at aphelion);
    ``radiator_absorbed_w_m2`` is the hot-case environment absorbed per m^2 of
    radiator (all faces), ignored when the radiator's ``environment`` is off.
    """

    period_min: float
    max_eclipse_min: float
    sunlit_fraction_year: float
    solar_flux_w_m2: float
    radiator_absorbed_w_m2: float = 0.0


@dataclass(frozen=True)
class Sizing:
    """A closed satellite design; per-tonne values divide by its mass in tonnes."""

    satellite_mass_kg: float
    satellite_compute_kw: float
    compute_kw_per_tonne: float
    compute_kw_per_tonne_orbit_average: float
    pflops_per_tonne: float | None
    array_m2_per_tonne: float
    radiator_m2_per_tonne: float
    battery_kwh_per_tonne: float
    array_power_kw_per_tonne: float
    heat_rejected_kw_per_tonne: float
    lost_compute_kwh_per_tonne_year: float
    mass_breakdown_kg_per_tonne: dict
    binding_constraint: str
    policy: str


def _masses(sat, array, battery, radiator, env, mass_kg):
    """Masses (kg) and sizes of every subsystem for a satellite of ``mass_kg``."""
    tonnes = mass_kg / 1000.0
    propulsion_w = sat.propulsion_power_w_per_tonne * tonnes
    housekeeping_w = sat.bus_power_w + sat.laser_terminals * sat.laser_power_w + propulsion_w
    sun_load_w = sat.compute_w + housekeeping_w
    eclipse_load_w = sun_load_w if battery.policy == "ride_through" else housekeeping_w
    sunlit_min = env.period_min - env.max_eclipse_min
    if sunlit_min <= 0:
        raise ValueError("max_eclipse_min must be shorter than the orbit period")
    array_w = array_power_needed_w(
        sun_load_w / sat.distribution_efficiency,
        eclipse_load_w / sat.distribution_efficiency,
        sunlit_min,
        env.max_eclipse_min,
        battery.charge_efficiency,
        battery.discharge_efficiency,
    )
    per_m2 = array_power_per_area_w_m2(
        env.solar_flux_w_m2,
        array.efficiency_bol,
        array.degradation_per_year,
        sat.design_life_years,
        array.packing_factor,
        array.temperature_loss,
        array.pointing_loss_deg,
    )
    array_m2 = array_w / per_m2
    battery_wh = battery_capacity_wh(
        eclipse_load_w / sat.distribution_efficiency,
        env.max_eclipse_min,
        battery.depth_of_discharge,
        battery.discharge_efficiency,
    )
    recharge_w = array_w - sun_load_w / sat.distribution_efficiency
    array_waste_w = array_m2 * env.solar_flux_w_m2 - array_w
    heat_w = (
        sat.compute_w
        + sat.bus_power_w
        + sat.laser_terminals * sat.laser_power_w
        + sat.propulsion_heat_fraction * propulsion_w
        + (1.0 - sat.distribution_efficiency) * array_w
        + (1.0 - battery.charge_efficiency) * recharge_w
        + array.loss_to_radiator_fraction * array_waste_w
    )
    absorbed = env.radiator_absorbed_w_m2 if radiator.environment else 0.0
    radiator_m2 = float(
        radiator_area_m2(
            heat_w, radiator.temperature_k, radiator.emissivity, radiator.faces, absorbed
        )
    )
    masses = {
        "compute": sat.compute_mass_kg,
        "array": array_m2 * array.areal_density_kg_m2,
        "radiator": radiator_m2 * radiator.areal_density_kg_m2,
        "battery": battery_wh / battery.specific_energy_wh_kg,
        "bus": sat.bus_mass_kg,
        "lasers": sat.laser_terminals * sat.laser_mass_kg,
        "propulsion": sat.propulsion_dry_kg_per_tonne * tonnes,
        "propellant": sat.propellant_kg_per_tonne_year * sat.design_life_years * tonnes,
        "structure": sat.structure_fraction * mass_kg,
    }
    sizes = {
        "array_m2": array_m2,
        "array_w": array_w,
        "battery_wh": battery_wh,
        "radiator_m2": radiator_m2,
        "heat_w": heat_w,
    }
    return masses, sizes


def close(
    sat: SatelliteSpec,
    array: ArraySpec,
    battery: BatterySpec,
    radiator: RadiatorSpec,
    env: Environment,
) -> Sizing:
    """Close the satellite's mass and report it per tonne.

    Every subsystem's mass is linear in the satellite's own mass, so two
    evaluations give ``M = fixed + k M`` and ``M = fixed / (1 - k)``.  Raises
    ``ValueError`` when no mass closes (``k >= 1``: propulsion, propellant and
    structure take a tonne's worth per tonne or more), when it closes above
    ``max_mass_kg``, and for a battery policy other than :data:`POLICIES`.
    """
    if battery.policy not in POLICIES:
        raise ValueError(
            f'policy={battery.policy!r}: must be "ride_through" (compute runs through '
            'eclipses) or "shed" (compute off in eclipse)'
        )
    # Every subsystem's mass is linear in the satellite's mass: M = fixed + k M.
    m1 = sat.compute_mass_kg + sat.bus_mass_kg
    m2 = 2.0 * m1
    f1 = sum(_masses(sat, array, battery, radiator, env, m1)[0].values())
    f2 = sum(_masses(sat, array, battery, radiator, env, m2)[0].values())
    k = (f2 - f1) / (m2 - m1)
    fixed = f1 - k * m1
    if not (math.isfinite(k) and math.isfinite(fixed)) or k >= 1.0 - 1e-12:
        raise ValueError(
            f"the satellite does not close: structure, propulsion and propellant take "
            f"{1000 * k:.0f} kg of every tonne (structure_fraction={sat.structure_fraction}, "
            f"propulsion {sat.propulsion_dry_kg_per_tonne:g} kg/t, propellant "
            f"{sat.propellant_kg_per_tonne_year:g} kg/t a year for {sat.design_life_years:g} "
            "years, and the power they need); lower them"
        )
    mass_kg = fixed / (1.0 - k)
    if sat.max_mass_kg is not None and mass_kg > sat.max_mass_kg:
        raise ValueError(
            f"max_mass_kg={sat.max_mass_kg:g}: the satellite closes at {mass_kg:,.0f} kg; raise "
            "max_mass_kg or carry fewer payload units"
        )
    masses, sizes = _masses(sat, array, battery, radiator, env, mass_kg)
    per_tonne = 1000.0 / mass_kg
    compute_kw = sat.compute_w / 1000.0
    shed = battery.policy == "shed"
    average_kw = compute_kw * (env.sunlit_fraction_year if shed else 1.0)
    lost_kwh_year = (compute_kw - average_kw) * HOURS_PER_YEAR
    overheads = {k: v for k, v in masses.items() if k != "compute"}
    sizing = Sizing(
        satellite_mass_kg=mass_kg,
        satellite_compute_kw=compute_kw,
        compute_kw_per_tonne=compute_kw * per_tonne,
        compute_kw_per_tonne_orbit_average=average_kw * per_tonne,
        pflops_per_tonne=None if sat.compute_pflops is None else sat.compute_pflops * per_tonne,
        array_m2_per_tonne=sizes["array_m2"] * per_tonne,
        radiator_m2_per_tonne=sizes["radiator_m2"] * per_tonne,
        battery_kwh_per_tonne=sizes["battery_wh"] / 1000.0 * per_tonne,
        array_power_kw_per_tonne=sizes["array_w"] / 1000.0 * per_tonne,
        heat_rejected_kw_per_tonne=sizes["heat_w"] / 1000.0 * per_tonne,
        lost_compute_kwh_per_tonne_year=lost_kwh_year * per_tonne,
        mass_breakdown_kg_per_tonne={k: v * per_tonne for k, v in masses.items()},
        binding_constraint=max(overheads, key=overheads.get),
        policy=battery.policy,
    )
    return _as_python_floats(sizing)


def _as_python_floats(sizing: Sizing) -> Sizing:
    """Plain floats throughout (NumPy scalars leak in from the array maths)."""
    changes = {}
    for f in dataclasses.fields(sizing):
        value = getattr(sizing, f.name)
        if isinstance(value, dict):
            changes[f.name] = {k: float(v) for k, v in value.items()}
        elif f.name not in ("binding_constraint", "policy") and value is not None:
            changes[f.name] = float(value)
    return dataclasses.replace(sizing, **changes)


def replace_parameter(specs: dict, name: str, value):
    """``specs`` (``{"satellite": SatelliteSpec, "array": ..., ...}``) with ``group.field`` set."""
    group, _, field = name.partition(".")
    if (
        group not in specs
        or not field
        or field not in {f.name for f in dataclasses.fields(specs[group])}
    ):
        raise ValueError(
            f"{name!r}: not a sizing parameter; write it as group.field, such as "
            "radiator.temperature_k"
        )
    return {**specs, group: dataclasses.replace(specs[group], **{field: value})}

"""Mass closure: how much compute a tonne in orbit carries, and what the rest of the tonne is.

A satellite carries a compute payload, a bus, laser terminals, propulsion
and propellant, and the solar array, battery and radiator those need, held
together by structure.  Array, battery and radiator grow with the power they
serve; propulsion, propellant and structure grow with the satellite's own
mass.  So the total mass solves ``M = fixed + k * M``, found here by fixed
point iteration (it converges when ``k < 1``; otherwise no satellite closes).
Everything is then reported per satellite and per tonne.

:func:`close_batch` closes many designs at once: any numeric field of the
specs may be an array ``(n,)``, and a design that does not close gets a
reason code (:data:`CLOSURE_REASONS`) and NaN values instead of an exception.
:func:`close` is its one-sample case: plain numbers in, a :class:`Sizing`
out, a ``ValueError`` saying why when it does not close.  The planner fills
the inputs from scenario files and the illumination analysis.  The specs are
plain values, not checked here: the caller checks what a user gives (the
planner does, where it reads a scenario).
"""

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from orbital.constants import JULIAN_YEAR_DAYS
from orbital.power import (
    array_power_needed_w,
    array_power_per_area_w_m2,
    battery_capacity_wh,
)
from orbital.thermal import radiator_net_emission_w_m2, sink_temperature_k

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
    The trapped radiation: ``shielding_kg`` the aluminium added around the
    payload (kg a satellite) to keep its dose within tolerance, and
    ``array_remaining_factor`` the share of the cells' power left by the
    displacement damage of the design life (on top of the array's yearly loss).
    """

    period_min: float
    max_eclipse_min: float
    sunlit_fraction_year: float
    solar_flux_w_m2: float
    radiator_absorbed_w_m2: float = 0.0
    shielding_kg: float = 0.0
    array_remaining_factor: float = 1.0


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


#: Why a satellite does not close, by :attr:`SizingBatch.reason` (0: it closes).
CLOSURE_REASONS = (
    "closes",
    "structure, propulsion and propellant take a tonne per tonne or more",
    "closes above max_mass_kg",
    "the radiator absorbs as much as it can emit (cannot reject heat)",
    "the eclipse is as long as the orbit",
    "the heat to reject is negative",
    "the radiator's emissivity is outside (0, 1]",
)
CLOSES, NO_MASS, OVER_MAX_MASS, RADIATOR_SINK, ECLIPSE, NEGATIVE_HEAT, EMISSIVITY = range(7)
#: The subsystems besides compute, in the order of :attr:`Sizing.mass_breakdown_kg_per_tonne`:
#: what :attr:`SizingBatch.binding_constraint` indexes.
OVERHEADS = (
    "array",
    "radiator",
    "battery",
    "bus",
    "lasers",
    "propulsion",
    "propellant",
    "structure",
    "shielding",
)
#: Fields of the specs that stay scalars in a batch (names and switches, not numbers).
_SCALAR_FIELDS = {"policy", "attitude", "faces", "environment"}


@dataclass(frozen=True, eq=False)
class SizingBatch:
    """Many closed satellites at once: the fields of :class:`Sizing` as arrays ``(n,)``.

    ``reason`` ``(n,)`` int: 0 where the satellite closes, else an index into
    :data:`CLOSURE_REASONS`; every value is NaN where it is not 0.
    ``mass_breakdown_kg_per_tonne`` maps each subsystem to an array;
    ``binding_constraint`` indexes :data:`OVERHEADS` (-1 where it does not
    close); ``pflops_per_tonne`` is None when the payload has no FLOPS.
    """

    satellite_mass_kg: np.ndarray
    satellite_compute_kw: np.ndarray
    compute_kw_per_tonne: np.ndarray
    compute_kw_per_tonne_orbit_average: np.ndarray
    pflops_per_tonne: np.ndarray | None
    array_m2_per_tonne: np.ndarray
    radiator_m2_per_tonne: np.ndarray
    battery_kwh_per_tonne: np.ndarray
    array_power_kw_per_tonne: np.ndarray
    heat_rejected_kw_per_tonne: np.ndarray
    lost_compute_kwh_per_tonne_year: np.ndarray
    mass_breakdown_kg_per_tonne: dict
    binding_constraint: np.ndarray
    policy: str
    reason: np.ndarray

    def __len__(self) -> int:
        return len(self.reason)

    @property
    def closes(self) -> np.ndarray:
        """Boolean ``(n,)``: where the satellite closes."""
        return self.reason == CLOSES

    @property
    def binding_names(self) -> np.ndarray:
        """The binding subsystem's name per sample, ``(n,)`` strings ("" where it fails)."""
        names = np.array(OVERHEADS + ("",))
        return names[self.binding_constraint]

    def sizing(self, i: int) -> Sizing:
        """Sample ``i`` as a :class:`Sizing` of plain floats; ``ValueError`` if it fails."""
        if self.reason[i] != CLOSES:
            raise ValueError(f"sample {i}: {CLOSURE_REASONS[self.reason[i]]}")
        values = {}
        for f in dataclasses.fields(Sizing):
            value = getattr(self, f.name)
            if f.name == "mass_breakdown_kg_per_tonne":
                values[f.name] = {k: float(v[i]) for k, v in value.items()}
            elif f.name == "binding_constraint":
                values[f.name] = OVERHEADS[int(value[i])]
            elif f.name == "policy" or value is None:
                values[f.name] = value
            else:
                values[f.name] = float(value[i])
        return Sizing(**values)

    def take(self, index) -> "SizingBatch":
        """The samples at ``index`` (an integer array or a boolean mask), as a batch."""
        changes = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                changes[f.name] = {k: v[index] for k, v in value.items()}
            elif isinstance(value, np.ndarray):
                changes[f.name] = value[index]
        return dataclasses.replace(self, **changes)


def _arrays(spec, n=None):
    """The numeric fields of a spec as float arrays (a namespace), scalars kept as they are.

    With ``n``, every numeric field is broadcast to ``(n,)``.
    """
    values = {}
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        if f.name in _SCALAR_FIELDS:
            values[f.name] = value
        elif value is None:
            values[f.name] = None
        else:
            array = np.asarray(value, dtype=float)
            values[f.name] = array if n is None else np.broadcast_to(array, (n,))
    return SimpleNamespace(**values)


def _numeric_shapes(*groups):
    for group in groups:
        for name, value in vars(group).items():
            if name not in _SCALAR_FIELDS and value is not None:
                yield np.shape(value)


def _batch_inputs(sat, array, battery, radiator, env):
    """Every spec as a namespace of ``(n,)`` arrays; ``n`` from broadcasting them all."""
    groups = [_arrays(s) for s in (sat, array, battery, radiator, env)]
    shape = np.broadcast_shapes(*_numeric_shapes(*groups))
    if len(shape) > 1:
        raise ValueError(f"spec fields of shape {shape}: give scalars or arrays of shape (n,)")
    n = shape[0] if shape else 1
    groups = [_arrays(s, n) for s in (sat, array, battery, radiator, env)]
    _derive(*groups)
    return n, groups


def _derive(sat, array, battery, radiator, env) -> None:
    """Add to ``env`` what does not change with the satellite's mass or propulsion.

    ``array_w_m2``: the array's end-of-life output per m^2; ``radiator_net_w_m2``:
    what a m^2 of radiator emits less what it absorbs (not positive where it
    cannot reject heat).  Found once, not at every trial mass.
    """
    with np.errstate(all="ignore"):
        env.array_w_m2 = (
            array_power_per_area_w_m2(
                env.solar_flux_w_m2,
                array.efficiency_bol,
                array.degradation_per_year,
                sat.design_life_years,
                array.packing_factor,
                array.temperature_loss,
                array.pointing_loss_deg,
            )
            * env.array_remaining_factor
        )
        absorbed = env.radiator_absorbed_w_m2 if radiator.environment else 0.0
        env.radiator_net_w_m2 = radiator_net_emission_w_m2(
            radiator.temperature_k, radiator.emissivity, radiator.faces, absorbed
        )


def _take(group: SimpleNamespace, index) -> SimpleNamespace:
    return SimpleNamespace(
        **{
            k: v[index] if isinstance(v, np.ndarray) and k not in _SCALAR_FIELDS else v
            for k, v in vars(group).items()
        }
    )


def _masses(sat, array, battery, radiator, env, mass_kg):
    """Masses (kg) and sizes of every subsystem for satellites of ``mass_kg``.

    Arrays throughout (namespaces from :func:`_batch_inputs`); NaN or inf where
    a design cannot be sized (see :func:`_failures`).
    """
    tonnes = mass_kg / 1000.0
    propulsion_w = sat.propulsion_power_w_per_tonne * tonnes
    housekeeping_w = sat.bus_power_w + sat.laser_terminals * sat.laser_power_w + propulsion_w
    sun_load_w = sat.compute_w + housekeeping_w
    eclipse_load_w = sun_load_w if battery.policy == "ride_through" else housekeeping_w
    sunlit_min = env.period_min - env.max_eclipse_min
    array_w = array_power_needed_w(
        sun_load_w / sat.distribution_efficiency,
        eclipse_load_w / sat.distribution_efficiency,
        sunlit_min,
        env.max_eclipse_min,
        battery.charge_efficiency,
        battery.discharge_efficiency,
    )
    array_m2 = array_w / env.array_w_m2
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
    # Meaningless where the radiator cannot reject heat: _close_arrays gives those a reason.
    radiator_m2 = heat_w / env.radiator_net_w_m2
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
        "shielding": env.shielding_kg,
    }
    sizes = {
        "array_m2": array_m2,
        "array_w": array_w,
        "battery_wh": battery_wh,
        "radiator_m2": radiator_m2,
        "heat_w": heat_w,
    }
    return masses, sizes


def _check_scalars(battery, radiator) -> None:
    """The fields a batch shares: an unknown policy or a number of faces is the caller's."""
    if battery.policy not in POLICIES:
        raise ValueError(
            f'policy={battery.policy!r}: must be "ride_through" (compute runs through '
            'eclipses) or "shed" (compute off in eclipse)'
        )
    if radiator.faces not in (1, 2):
        raise ValueError(
            f"emissivity={radiator.emissivity}, faces={radiator.faces}: need 0 < emissivity "
            "<= 1, 1 or 2 faces"
        )


def _close_arrays(sat, array, battery, radiator, env, reason_only=False):
    """The closure of namespaces of ``(n,)`` arrays: the batch, ``k``, the unchecked mass and
    the heat at the first trial mass (for the messages of :func:`close`).

    ``reason_only``: the reasons ``(n,)`` alone, for a policy that must only close.
    """
    with np.errstate(all="ignore"):
        # Every subsystem's mass is linear in the satellite's mass: M = fixed + k M.
        m1 = sat.compute_mass_kg + sat.bus_mass_kg
        m2 = 2.0 * m1
        masses1, sizes1 = _masses(sat, array, battery, radiator, env, m1)
        masses2, sizes2 = _masses(sat, array, battery, radiator, env, m2)
        f1 = sum(masses1.values())
        f2 = sum(masses2.values())
        k = (f2 - f1) / (m2 - m1)
        fixed = f1 - k * m1
        mass_kg = fixed / (1.0 - k)
        reason = np.zeros(np.shape(m1), dtype=np.int64)
        cap = np.inf if sat.max_mass_kg is None else sat.max_mass_kg
        eps = radiator.emissivity
        net = env.radiator_net_w_m2
        # Later entries win: the checks in the order the one-sample path meets them, reversed.
        checks = (
            (mass_kg > cap, OVER_MAX_MASS),
            (~(np.isfinite(k) & np.isfinite(fixed)) | (k >= 1.0 - 1e-12), NO_MASS),
            (~(net > 0), RADIATOR_SINK),
            (~((eps > 0) & (eps <= 1)), EMISSIVITY),
            ((sizes1["heat_w"] < 0) | (sizes2["heat_w"] < 0), NEGATIVE_HEAT),
            (env.period_min - env.max_eclipse_min <= 0, ECLIPSE),
        )
        for failed, code in checks:
            reason = np.where(failed, code, reason)
        masses, sizes = _masses(sat, array, battery, radiator, env, mass_kg)
        # The heat may fall with the mass (an array's negative waste heat growing with the
        # thrusters' power): checked again at the mass found, as the one-sample path sizes it.
        reason = np.where((reason == CLOSES) & (sizes["heat_w"] < 0), NEGATIVE_HEAT, reason)
        if reason_only:
            return reason
        ok = reason == CLOSES

        def valid(values):
            return np.where(ok, values, np.nan)

        per_tonne = valid(1000.0 / mass_kg)
        compute_kw = valid(sat.compute_w / 1000.0)
        shed = battery.policy == "shed"
        average_kw = compute_kw * (env.sunlit_fraction_year if shed else 1.0)
        lost_kwh_year = (compute_kw - average_kw) * HOURS_PER_YEAR
        overheads = np.stack([np.broadcast_to(masses[name], np.shape(m1)) for name in OVERHEADS])
        binding = np.where(ok, np.argmax(overheads, axis=0), -1)
        batch = SizingBatch(
            satellite_mass_kg=valid(mass_kg),
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
            binding_constraint=binding,
            policy=battery.policy,
            reason=reason,
        )
    return batch, k, mass_kg, sizes1["heat_w"]


def close_batch(
    sat: SatelliteSpec,
    array: ArraySpec,
    battery: BatterySpec,
    radiator: RadiatorSpec,
    env: Environment,
) -> SizingBatch:
    """Close many satellites at once: :func:`close` over arrays.

    Every numeric field of the specs and the environment may be a scalar or
    an array of shape ``(n,)`` (broadcast together; ``n`` is 1 when all are
    scalars); ``battery.policy``, ``radiator.attitude``, ``radiator.faces``
    and ``radiator.environment`` stay scalars, and ``max_mass_kg`` and
    ``compute_pflops`` may be None.  A sample that does not close gets its
    reason in :attr:`SizingBatch.reason` and NaN values; nothing is raised
    for it.  Raises ``ValueError`` only for what the batch shares: a policy
    other than :data:`POLICIES`, ``faces`` other than 1 or 2, or fields that
    do not broadcast to ``(n,)``.
    """
    _check_scalars(battery, radiator)
    _, groups = _batch_inputs(sat, array, battery, radiator, env)
    return _close_arrays(*groups)[0]


def close(
    sat: SatelliteSpec,
    array: ArraySpec,
    battery: BatterySpec,
    radiator: RadiatorSpec,
    env: Environment,
) -> Sizing:
    """Close the satellite's mass and report it per tonne: :func:`close_batch` of one.

    Every subsystem's mass is linear in the satellite's own mass, so two
    evaluations give ``M = fixed + k M`` and ``M = fixed / (1 - k)``.  Raises
    ``ValueError`` when no mass closes (``k >= 1``: propulsion, propellant and
    structure take a tonne's worth per tonne or more), when it closes above
    ``max_mass_kg``, when the radiator cannot reject heat, when the eclipse is
    as long as the orbit, and for a battery policy other than :data:`POLICIES`.
    """
    _check_scalars(battery, radiator)
    _, groups = _batch_inputs(sat, array, battery, radiator, env)
    batch, k, mass_kg, heat_w = _close_arrays(*groups)
    reason = int(batch.reason[0])
    if reason != CLOSES:
        raise ValueError(
            _message(reason, sat, radiator, env, float(k[0]), float(mass_kg[0]), float(heat_w[0]))
        )
    return batch.sizing(0)


def _message(reason, sat, radiator, env, k, mass_kg, heat_w) -> str:
    """The one-line message :func:`close` raises for ``reason``."""
    if reason == ECLIPSE:
        return "max_eclipse_min must be shorter than the orbit period"
    if reason == NEGATIVE_HEAT:
        return f"heat_w={heat_w}: must not be negative"
    if reason == EMISSIVITY:
        return (
            f"emissivity={radiator.emissivity}, faces={radiator.faces}: need 0 < emissivity "
            "<= 1, 1 or 2 faces"
        )
    if reason == RADIATOR_SINK:
        absorbed = env.radiator_absorbed_w_m2 if radiator.environment else 0.0
        sink_k = sink_temperature_k(absorbed, radiator.emissivity, radiator.faces)
        return (
            f"temperature_k={radiator.temperature_k}: the radiator is no warmer than its "
            f"environmental sink ({sink_k:.0f} K here) and cannot reject heat; raise "
            "temperature_k"
        )
    if reason == NO_MASS:
        return (
            f"the satellite does not close: structure, propulsion and propellant take "
            f"{1000 * k:.0f} kg of every tonne (structure_fraction={sat.structure_fraction}, "
            f"propulsion {sat.propulsion_dry_kg_per_tonne:g} kg/t, propellant "
            f"{sat.propellant_kg_per_tonne_year:g} kg/t a year for {sat.design_life_years:g} "
            "years, and the power they need); lower them"
        )
    return (
        f"max_mass_kg={sat.max_mass_kg:g}: the satellite closes at {mass_kg:,.0f} kg; raise "
        "max_mass_kg or carry fewer payload units"
    )


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

"""The satellite a scenario flies: payload, bus, lasers, array, battery, radiator.

Built from the scenario's ``[satellite]``, ``[solar_array]``, ``[battery]``
and ``[radiator]`` tables (:class:`SatelliteTable`, :class:`SolarArrayTable`,
:class:`BatteryTable`, :class:`RadiatorTable`: their fields are the tables'
keys, with the ranges a value must keep); any table left out takes the
documented defaults (:data:`constellations.model.hardware.DEFAULT_SATELLITE`
and the defaults of the ``orbital.closure`` specs), so every scenario can be
sized.  A :class:`SatelliteDesign` holds the ``orbital.closure`` inputs, each
checked against the same ranges however it was built.
"""

import dataclasses
from typing import Annotated, ClassVar, Literal

from pydantic import Field, PlainValidator, model_validator

from constellations.model.hardware import DEFAULT_SATELLITE, PAYLOADS
from constellations.model.validation import Design, Hint
from orbital.closure import POLICIES, ArraySpec, BatterySpec, RadiatorSpec, SatelliteSpec
from orbital.thermal import RADIATOR_ATTITUDES

# --- ranges shared by the [satellite] table and the SatelliteSpec it becomes ----------------
# Plausibility bounds, not physics: a hundred payload units of the largest preset (a
# GB300 NVL72 rack, 135 kW and 1.36 t) fit well inside each.

#: Most compute a satellite may carry, W: 100 MW.
MAX_COMPUTE_W = 1e8
#: Heaviest satellite part considered, kg: 1,000 t, five Starship payloads.
MAX_MASS_KG = 1e6
#: Most compute a satellite may carry, PFLOPS: a hundred GB300 NVL72 racks are 110,000.
MAX_PFLOPS = 1e8
#: Most laser terminals a satellite may carry: a plausibility bound, eight times the +Grid's
#: four (the [links] table's terminals too).
MAX_LASER_TERMINALS = 32
#: A design life above 50 years is not plausible for a satellite in low orbit.
MAX_DESIGN_LIFE_YEARS = 50.0

#: Units of a payload preset a satellite may carry.
PayloadUnits = Annotated[int, Field(ge=1, le=100)]
Mass = Annotated[float, Field(ge=0.0, le=MAX_MASS_KG)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Efficiency = Annotated[float, Field(gt=0.0, le=1.0)]
#: Bus and terminal power, W: up to 1 MW, a plausibility bound.
BusPower = Annotated[float, Field(ge=0.0, le=1e6)]
LaserTerminals = Annotated[int, Field(ge=0, le=MAX_LASER_TERMINALS)]
StructureFraction = Annotated[float, Field(ge=0.0, lt=1.0)]
DesignLife = Annotated[float, Field(gt=0.0, le=MAX_DESIGN_LIFE_YEARS)]
#: Dry propulsion per tonne: a tonne or more of it per tonne of satellite cannot close.
PropulsionDry = Annotated[float, Field(ge=0.0, le=1000.0)]
#: Propellant and thruster power per tonne: the drag analysis sets these on the design, so
#: they are bounded only below (a design that cannot close is reported by the closure).
PerTonne = Annotated[float, Field(ge=0.0)]
MaxMass = Annotated[float | None, Field(gt=0.0, le=MAX_MASS_KG)]
Payload = Annotated[
    Literal[tuple(PAYLOADS)], Hint("the presets are in constellations/model/hardware.py")
]


def _default(name: str):
    return DEFAULT_SATELLITE[name]


class SatelliteTable(Design):
    """The scenario's ``[satellite]`` table: the payload preset and the rest of the satellite.

    ``compute_kw``, ``compute_mass_kg`` and ``compute_pflops`` override what
    ``payload_units`` of the preset give; ``max_mass_kg`` caps the closed
    satellite.  Defaults: :data:`constellations.model.hardware.DEFAULT_SATELLITE`.
    """

    table_name = "[satellite]"

    payload: Payload = Field(_default("payload"), description="Compute payload preset.")
    payload_units: PayloadUnits = Field(
        _default("payload_units"), description="Units of the payload preset."
    )
    bus_power_w: BusPower = Field(_default("bus_power_w"), description="Bus power, W.")
    bus_mass_kg: Mass = Field(_default("bus_mass_kg"), description="Bus mass, kg.")
    laser_terminals: LaserTerminals = Field(
        _default("laser_terminals"), description="Laser terminals a satellite."
    )
    laser_terminal_power_w: BusPower = Field(
        _default("laser_terminal_power_w"), description="Power of a laser terminal, W."
    )
    laser_terminal_mass_kg: Mass = Field(
        _default("laser_terminal_mass_kg"), description="Mass of a laser terminal, kg."
    )
    structure_fraction: StructureFraction = Field(
        _default("structure_fraction"), description="Structure and harness, share of the mass."
    )
    design_life_years: DesignLife = Field(
        _default("design_life_years"), description="Design life, years."
    )
    propulsion_dry_kg_per_tonne: PropulsionDry = Field(
        _default("propulsion_dry_kg_per_tonne"),
        description="Thrusters, PPU and tanks, kg per tonne of satellite.",
    )
    propellant_kg_per_tonne_year: PerTonne = Field(
        _default("propellant_kg_per_tonne_year"),
        description="Propellant, kg per tonne a year (the drag analysis sizes it).",
    )
    propulsion_power_w_per_tonne: PerTonne = Field(
        _default("propulsion_power_w_per_tonne"),
        description="Thruster power, W per tonne (the drag analysis sizes it).",
    )
    compute_kw: float | None = Field(
        None,
        gt=0.0,
        le=MAX_COMPUTE_W / 1000.0,
        description="Compute power, kW (default: the payload's times its units).",
    )
    compute_mass_kg: float | None = Field(
        None,
        gt=0.0,
        le=MAX_MASS_KG,
        description="Compute mass, kg (default: the payload's times its units).",
    )
    compute_pflops: float | None = Field(
        None,
        ge=0.0,
        le=MAX_PFLOPS,
        description="Compute, PFLOPS (default: the payload's times its units).",
    )
    max_mass_kg: MaxMass = Field(None, description="Cap on the closed satellite, kg.")

    def spec(self) -> SatelliteSpec:
        """The ``orbital.closure`` input this table describes."""
        payload = PAYLOADS[self.payload]
        units = self.payload_units
        compute_kw = self.compute_kw
        if compute_kw is None:
            compute_kw = payload.power_w * units / 1000.0
        pflops = self.compute_pflops
        if pflops is None and payload.pflops is not None:
            pflops = payload.pflops * units
        return SatelliteSpec(
            compute_w=compute_kw * 1000.0,
            compute_mass_kg=(
                payload.mass_kg * units if self.compute_mass_kg is None else self.compute_mass_kg
            ),
            compute_pflops=pflops,
            bus_power_w=self.bus_power_w,
            bus_mass_kg=self.bus_mass_kg,
            laser_terminals=self.laser_terminals,
            laser_power_w=self.laser_terminal_power_w,
            laser_mass_kg=self.laser_terminal_mass_kg,
            structure_fraction=self.structure_fraction,
            propulsion_dry_kg_per_tonne=self.propulsion_dry_kg_per_tonne,
            propellant_kg_per_tonne_year=self.propellant_kg_per_tonne_year,
            propulsion_power_w_per_tonne=self.propulsion_power_w_per_tonne,
            design_life_years=self.design_life_years,
            max_mass_kg=self.max_mass_kg,
        )


_SPEC = SatelliteSpec(compute_w=1.0, compute_mass_kg=1.0)


class SatelliteSpecCheck(Design):
    """The ranges of an ``orbital.closure.SatelliteSpec`` (its fields, powers in W).

    The spec itself is a plain dataclass; :class:`SatelliteDesign` checks
    every spec it holds against this model.
    """

    table_name = "[satellite]"

    compute_w: Annotated[float, Field(gt=0.0, le=MAX_COMPUTE_W)]
    compute_mass_kg: Annotated[float, Field(gt=0.0, le=MAX_MASS_KG)]
    compute_pflops: float | None = Field(None, ge=0.0, le=MAX_PFLOPS)
    bus_power_w: BusPower = _SPEC.bus_power_w
    bus_mass_kg: Mass = _SPEC.bus_mass_kg
    laser_terminals: LaserTerminals = _SPEC.laser_terminals
    laser_power_w: BusPower = _SPEC.laser_power_w
    laser_mass_kg: Mass = _SPEC.laser_mass_kg
    structure_fraction: StructureFraction = _SPEC.structure_fraction
    propulsion_dry_kg_per_tonne: PropulsionDry = _SPEC.propulsion_dry_kg_per_tonne
    propellant_kg_per_tonne_year: PerTonne = _SPEC.propellant_kg_per_tonne_year
    propulsion_power_w_per_tonne: PerTonne = _SPEC.propulsion_power_w_per_tonne
    propulsion_heat_fraction: Fraction = _SPEC.propulsion_heat_fraction
    design_life_years: DesignLife = _SPEC.design_life_years
    distribution_efficiency: Efficiency = _SPEC.distribution_efficiency
    max_mass_kg: MaxMass = None

    @model_validator(mode="after")
    def _payload_fits_the_cap(self):
        if self.max_mass_kg is not None:
            payload_kg = (
                self.compute_mass_kg + self.bus_mass_kg + self.laser_terminals * self.laser_mass_kg
            )
            if payload_kg > self.max_mass_kg:
                raise ValueError(
                    f"max_mass_kg={self.max_mass_kg:g}: the payload, bus and lasers alone weigh "
                    f"{payload_kg:g} kg; raise max_mass_kg or carry fewer payload units"
                )
        return self


_ARRAY, _BATTERY, _RADIATOR = ArraySpec(), BatterySpec(), RadiatorSpec()

# The array, battery and radiator tables take their defaults from the orbital.closure specs.
# Fractions and efficiencies are bounded by 0 and 1; the other bounds are plausibility
# bounds around the ranges the inverse mode searches (constellations.stages.closure.SOLVABLE):
# areal densities up to 50 kg/m^2 (array) and 100 kg/m^2 (radiator), twice and three times
# its top; specific energy up to 2,000 Wh/kg, its top (Li-ion packs are 150-250); radiator
# temperatures from 100 K (a cryogenic panel) to 1,500 K (a refractory one).


class SolarArrayTable(Design):
    """The scenario's ``[solar_array]`` table: the fields of ``orbital.closure.ArraySpec``.

    Defaults: those of ``ArraySpec`` (triple-junction cells on a flexible blanket).
    """

    table_name = "[solar_array]"

    efficiency_bol: Efficiency = Field(
        _ARRAY.efficiency_bol, description="Cell efficiency at beginning of life."
    )
    degradation_per_year: Annotated[float, Field(ge=0.0, lt=1.0)] = Field(
        _ARRAY.degradation_per_year, description="Share of output lost a year."
    )
    packing_factor: Efficiency = Field(
        _ARRAY.packing_factor, description="Share of the array area that is cells."
    )
    temperature_loss: Annotated[float, Field(ge=0.0, lt=1.0)] = Field(
        _ARRAY.temperature_loss, description="Share of output lost to cell temperature."
    )
    pointing_loss_deg: Annotated[float, Field(ge=0.0, lt=90.0)] = Field(
        _ARRAY.pointing_loss_deg, description="Sun-tracking error, degrees."
    )
    areal_density_kg_m2: Annotated[float, Field(gt=0.0, le=50.0)] = Field(
        _ARRAY.areal_density_kg_m2, description="Array mass per area, kg/m^2."
    )
    loss_to_radiator_fraction: Fraction = Field(
        _ARRAY.loss_to_radiator_fraction,
        description="Share of the array's waste heat the radiator must reject.",
    )

    def spec(self) -> ArraySpec:
        return ArraySpec(**dict(self))


class BatteryTable(Design):
    """The scenario's ``[battery]`` table: the fields of ``orbital.closure.BatterySpec``."""

    table_name = "[battery]"

    specific_energy_wh_kg: Annotated[float, Field(gt=0.0, le=2000.0)] = Field(
        _BATTERY.specific_energy_wh_kg, description="Cell-to-pack specific energy, Wh/kg."
    )
    depth_of_discharge: Efficiency = Field(
        _BATTERY.depth_of_discharge, description="Share of the capacity used in an eclipse."
    )
    charge_efficiency: Efficiency = Field(
        _BATTERY.charge_efficiency, description="Share of charging energy stored."
    )
    discharge_efficiency: Efficiency = Field(
        _BATTERY.discharge_efficiency, description="Share of stored energy delivered."
    )
    policy: Annotated[
        Literal[POLICIES],
        Hint("ride_through: compute runs through eclipses; shed: compute off in eclipse"),
    ] = Field(_BATTERY.policy, description="What the battery carries through an eclipse.")

    def spec(self) -> BatterySpec:
        return BatterySpec(**dict(self))


class RadiatorTable(Design):
    """The scenario's ``[radiator]`` table: the fields of ``orbital.closure.RadiatorSpec``."""

    table_name = "[radiator]"

    temperature_k: Annotated[float, Field(ge=100.0, le=1500.0)] = Field(
        _RADIATOR.temperature_k, description="Radiating temperature, K."
    )
    emissivity: Efficiency = Field(_RADIATOR.emissivity, description="Infrared emissivity.")
    absorptivity: Fraction = Field(_RADIATOR.absorptivity, description="Solar absorptivity.")
    areal_density_kg_m2: Annotated[float, Field(gt=0.0, le=100.0)] = Field(
        _RADIATOR.areal_density_kg_m2, description="Radiator mass per area, kg/m^2."
    )
    faces: Annotated[int, Field(ge=1, le=2)] = Field(
        _RADIATOR.faces, description="Radiating faces: 1 or 2."
    )
    attitude: Literal[RADIATOR_ATTITUDES] = Field(
        _RADIATOR.attitude, description="How the panel is held (orbital.thermal)."
    )
    environment: bool = Field(
        _RADIATOR.environment, description="Size for the Earth's and Sun's heat on the panel."
    )

    def spec(self) -> RadiatorSpec:
        return RadiatorSpec(**dict(self))


def _checked_by(table: type, spec_class: type) -> PlainValidator:
    """A validator that takes a ``spec_class`` instance and checks its fields with ``table``."""

    def check(value):
        if not isinstance(value, spec_class):
            raise ValueError(f"must be an orbital.closure.{spec_class.__name__}")
        table.model_validate({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
        return value

    return PlainValidator(check)


class SatelliteDesign(Design):
    """The hardware of every satellite in the scenario, ready for :func:`orbital.closure.close`.

    ``spec``, ``array``, ``battery`` and ``radiator`` are the plain
    ``orbital.closure`` dataclasses, each checked against its table's ranges
    (:class:`SatelliteSpecCheck`, :class:`SolarArrayTable`,
    :class:`BatteryTable`, :class:`RadiatorTable`).  Build one from the
    tables with :meth:`from_tables`; raises ScenarioError.
    """

    payload: Payload
    payload_units: PayloadUnits = 1
    spec: Annotated[SatelliteSpec, _checked_by(SatelliteSpecCheck, SatelliteSpec)]
    array: Annotated[ArraySpec, _checked_by(SolarArrayTable, ArraySpec)] = _ARRAY
    battery: Annotated[BatterySpec, _checked_by(BatteryTable, BatterySpec)] = _BATTERY
    radiator: Annotated[RadiatorSpec, _checked_by(RadiatorTable, RadiatorSpec)] = _RADIATOR

    field_tables: ClassVar[dict] = {
        "payload": (None, "[satellite]"),
        "payload_units": (None, "[satellite]"),
        "spec": (SatelliteSpecCheck, "[satellite]"),
        "array": (SolarArrayTable, "[solar_array]"),
        "battery": (BatteryTable, "[battery]"),
        "radiator": (RadiatorTable, "[radiator]"),
    }

    @classmethod
    def from_tables(cls, satellite=None, solar_array=None, battery=None, radiator=None):
        """A design from scenario tables (dicts, or the table models); missing ones take defaults.

        Raises ScenarioError naming the table and key.
        """
        satellite = SatelliteTable.from_table(satellite)
        return cls(
            payload=satellite.payload,
            payload_units=satellite.payload_units,
            spec=satellite.spec(),
            array=SolarArrayTable.from_table(solar_array).spec(),
            battery=BatteryTable.from_table(battery).spec(),
            radiator=RadiatorTable.from_table(radiator).spec(),
        )

    @classmethod
    def default(cls) -> "SatelliteDesign":
        return cls.from_tables()

    @property
    def flops_precision(self) -> str | None:
        """The precision of the payload preset's published FLOPS (such as "bf16 dense")."""
        return PAYLOADS[self.payload].flops_precision

    @property
    def it_kw_per_accelerator(self) -> float:
        """The payload preset's IT power per accelerator, kW (GB300 NVL72: 135 kW / 72)."""
        payload = PAYLOADS[self.payload]
        return payload.power_w / 1000.0 / payload.accelerators

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the payload preset's figures come from."""
        return PAYLOADS[self.payload].sources

    def specs(self) -> dict:
        """The closure inputs by scenario section name."""
        return {
            "satellite": self.spec,
            "solar_array": self.array,
            "battery": self.battery,
            "radiator": self.radiator,
        }

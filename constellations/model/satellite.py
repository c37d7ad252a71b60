"""The satellite a scenario flies: payload, bus, lasers, array, battery, radiator.

Built from the scenario's ``[satellite]``, ``[solar_array]``, ``[battery]``
and ``[radiator]`` tables; any table left out takes the documented defaults
(:data:`constellations.model.hardware.DEFAULT_SATELLITE` and the defaults of the
``orbital.closure`` specs), so every scenario can be sized.
"""

import dataclasses
import difflib
from dataclasses import dataclass, field

from constellations.model.hardware import DEFAULT_SATELLITE, PAYLOADS
from constellations.model.keys import check_keys
from orbital.closure import ArraySpec, BatterySpec, RadiatorSpec, SatelliteSpec

SATELLITE_KEYS = tuple(DEFAULT_SATELLITE) + (
    "compute_kw",
    "compute_mass_kg",
    "compute_pflops",
    "max_mass_kg",
)


def _spec_keys(spec_class) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(spec_class))


SECTION_SPECS = {"solar_array": ArraySpec, "battery": BatterySpec, "radiator": RadiatorSpec}


def _check_keys(section: str, table: dict, allowed) -> None:
    check_keys(f"[{section}]", table, allowed)


@dataclass(frozen=True)
class SatelliteDesign:
    """The hardware of every satellite in the scenario, ready for :func:`orbital.closure.close`."""

    payload: str
    payload_units: int
    spec: SatelliteSpec
    array: ArraySpec = field(default_factory=ArraySpec)
    battery: BatterySpec = field(default_factory=BatterySpec)
    radiator: RadiatorSpec = field(default_factory=RadiatorSpec)
    flops_precision: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def from_tables(cls, satellite=None, solar_array=None, battery=None, radiator=None):
        """A design from scenario tables (dicts); missing tables and keys take the defaults."""
        satellite = dict(satellite or {})
        _check_keys("satellite", satellite, SATELLITE_KEYS)
        values = {**DEFAULT_SATELLITE, **satellite}
        name = values["payload"]
        if name not in PAYLOADS:
            close = difflib.get_close_matches(str(name), list(PAYLOADS), n=1, cutoff=0.5)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(PAYLOADS)}"
            )
            raise ValueError(f"[satellite] payload={name!r}: not a payload preset; {hint}")
        payload = PAYLOADS[name]
        units = values["payload_units"]
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"[satellite] payload_units={units!r}: must be a whole number >= 1")
        compute_w = values.get("compute_kw", payload.power_w * units / 1000.0) * 1000.0
        compute_mass_kg = values.get("compute_mass_kg", payload.mass_kg * units)
        pflops = values.get(
            "compute_pflops", None if payload.pflops is None else payload.pflops * units
        )
        try:
            spec = SatelliteSpec(
                compute_w=compute_w,
                compute_mass_kg=compute_mass_kg,
                compute_pflops=pflops,
                bus_power_w=values["bus_power_w"],
                bus_mass_kg=values["bus_mass_kg"],
                laser_terminals=values["laser_terminals"],
                laser_power_w=values["laser_terminal_power_w"],
                laser_mass_kg=values["laser_terminal_mass_kg"],
                structure_fraction=values["structure_fraction"],
                propulsion_dry_kg_per_tonne=values["propulsion_dry_kg_per_tonne"],
                propellant_kg_per_tonne_year=values["propellant_kg_per_tonne_year"],
                propulsion_power_w_per_tonne=values["propulsion_power_w_per_tonne"],
                design_life_years=values["design_life_years"],
                max_mass_kg=values.get("max_mass_kg"),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"[satellite] {exc}") from None
        specs = {}
        for section, table in (
            ("solar_array", solar_array),
            ("battery", battery),
            ("radiator", radiator),
        ):
            table = dict(table or {})
            spec_class = SECTION_SPECS[section]
            _check_keys(section, table, _spec_keys(spec_class))
            try:
                specs[section] = spec_class(**table)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"[{section}] {exc}") from None
        return cls(
            payload=name,
            payload_units=units,
            spec=spec,
            array=specs["solar_array"],
            battery=specs["battery"],
            radiator=specs["radiator"],
            flops_precision=payload.flops_precision,
            sources=payload.sources,
        )

    @classmethod
    def default(cls) -> "SatelliteDesign":
        return cls.from_tables()

    def specs(self) -> dict:
        """The closure inputs by scenario section name."""
        return {
            "satellite": self.spec,
            "solar_array": self.array,
            "battery": self.battery,
            "radiator": self.radiator,
        }

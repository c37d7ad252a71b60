"""The scenario's ``[cost]`` and ``[cost.ground]`` tables: prices, lives and finance, with sources.

Every default is an :class:`Assumption`: its value, a plausible range (low,
high) a trade study may sample, its unit and where it comes from.  Prices are
in US dollars of :data:`DOLLAR_YEAR` (sources from 2024 and 2025 are taken as
2025 dollars without conversion).  Figures marked "assumption" are the
planner's own round numbers within the range the source text gives; change
them in the scenario.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from constellations.model.validation import Design

#: The year of the dollars every default is stated in.
DOLLAR_YEAR = 2025

MCCALIP = (
    "A. McCalip, orbital solar vs natural gas cost calculator, github.com/andrewmccalip/"
    "thoughts static/js/math.js (commit e59571e, 2025)"
)


@dataclass(frozen=True)
class Assumption:
    """A default: value, plausible range (low, high), unit and source."""

    value: float
    low: float
    high: float
    unit: str
    source: str


#: Every ``[cost]`` default (space side and finance), by key.
SPACE = {
    "discount_rate": Assumption(
        0.08, 0.0, 0.15, "per year",
        "assumption: a weighted average cost of capital for a large infrastructure developer "
        "(real terms); 0 reproduces undiscounted analyses",
    ),
    "utilisation": Assumption(
        0.8, 0.5, 0.95, "share",
        "assumption: share of the delivered IT capacity sold as work, the same in orbit and "
        "on the ground",
    ),
    "compute_usd_per_kw": Assumption(
        28_000.0, 20_000.0, 40_000.0, "USD per kW of IT",
        "assumption from 2025 press reports of GB300 NVL72 racks at about $3.7-4 M for about "
        "135 kW of IT",
    ),
    "space_premium": Assumption(
        0.2, 0.0, 1.0, "share of the compute price",
        "assumption: radiation screening, conduction cooling and qualification of commercial "
        "accelerators",
    ),
    "economic_life_years": Assumption(
        5.0, 3.0, 7.0, "years",
        "accelerators are retired when obsolete: hyperscalers depreciate servers over 5-6 "
        "years (2025 annual reports); the same life in orbit and on the ground",
    ),
    "bus_usd_per_kg": Assumption(
        800.0, 400.0, 5000.0, "USD per kg of bus and structure",
        f"about $800/kg to manufacture a Starlink V2 Mini, the estimate in {MCCALIP}",
    ),
    "array_usd_per_w": Assumption(
        10.0, 0.03, 300.0, "USD per W of array power",
        "assumption for a mass-produced silicon array in low orbit; space III-V arrays are "
        "quoted at $100-300/W, the claim of cells at a tenth of ground modules "
        "($0.25-0.30/W) is the low end",
    ),
    "radiator_usd_per_m2": Assumption(
        5000.0, 1000.0, 30000.0, "USD per m^2", "assumption: deployable panel radiators"
    ),
    "battery_usd_per_wh": Assumption(
        0.5, 0.12, 3.0, "USD per Wh",
        "assumption between ground lithium-ion packs (about $0.12/Wh in 2024) and "
        "space-qualified batteries (several $/Wh)",
    ),
    "propulsion_usd_per_kg": Assumption(
        2000.0, 500.0, 10000.0, "USD per kg of propulsion system",
        "assumption: Hall thrusters, tanks and power processing units",
    ),
    "propellant_usd_per_kg": Assumption(
        3000.0, 1000.0, 20000.0, "USD per kg",
        "assumption: xenon, the SPT-100's propellant (2024 market prices of a few thousand "
        "dollars a kg; 2022 peaks near $20,000)",
    ),
    "laser_terminal_usd": Assumption(
        250_000.0, 50_000.0, 1_000_000.0, "USD each",
        "assumption: optical inter-satellite terminals built in volume",
    ),
    "integration_fraction": Assumption(
        0.1, 0.05, 0.3, "share of the hardware price",
        "assumption: assembly, integration and test",
    ),
    "nre_usd": Assumption(
        1.0e9, 2.0e8, 5.0e9, "USD for the fleet", f"non-recurring engineering, $1B in {MCCALIP}"
    ),
    "launch_price_change_per_year": Assumption(
        0.0, -0.3, 0.0, "share per year",
        "assumption: the launch price ([launch] cost_per_flight_usd) held flat; negative "
        "values lower it each year of the cadence",
    ),
    "launch_failure_rate": Assumption(
        0.01, 0.0, 0.05, "share of flights",
        "assumption: a mature reusable launcher (Falcon 9 has lost under 1 % of its flights)",
    ),
    "operations_fraction_per_year": Assumption(
        0.01, 0.005, 0.05, "share of the hardware price per year",
        f"operations, communications and infrastructure, 1 % a year in {MCCALIP}",
    ),
    "insurance_fraction": Assumption(
        0.0, 0.0, 0.1, "share of hardware and launch, once",
        "none by default (a fleet this size self-insures); launch insurance is typically 5-10 %",
    ),
    "disposal_usd": Assumption(
        0.0, 0.0, 100_000.0, "USD per satellite",
        "none by default: the satellite deorbits with its own thrusters and the propellant "
        "is in its mass",
    ),
    "launch_progress_ratio": Assumption(
        1.0, 0.8, 1.0, "price multiple per doubling of flights flown",
        "Wright's law on the launch price over the cadence's cumulative flights; 1 is no "
        "learning",
    ),
    "progress_ratio": Assumption(
        1.0, 0.8, 1.0, "cost multiple per doubling of units built",
        "Wright's law on the satellite hardware (accelerators excluded); 1 is no learning, "
        "0.85-0.95 is usual for aerospace production",
    ),
    "downlink_gbps_per_mw": Assumption(
        1.0, 0.1, 10.0, "Gbit/s per MW of IT",
        "assumption: inference traffic to and from the ground",
    ),
    "ground_station_gbps": Assumption(
        10.0, 1.0, 100.0, "Gbit/s per optical ground station",
        "assumption (NASA's TBIRD downlinked at 200 Gbit/s in 2023)",
    ),
    "ground_station_availability": Assumption(
        0.7, 0.5, 0.95, "share of the time",
        "assumption: cloud-free line of sight with site diversity",
    ),
    "ground_station_usd": Assumption(
        5.0e6, 1.0e6, 2.0e7, "USD each", "assumption: an optical ground station"
    ),
    "ground_station_usd_per_year": Assumption(
        5.0e5, 1.0e5, 2.0e6, "USD each per year", "assumption: staff and upkeep"
    ),
    "it_kw_per_gpu": Assumption(
        135.0 / 72.0, 0.7, 2.5, "kW of IT per accelerator",
        "default: the satellite's payload preset's (GB300 NVL72: 72 accelerators in about "
        "135 kW)",
    ),
}  # fmt: skip

#: Every ``[cost.ground]`` default, by key.
GROUND = {
    "facility_usd_per_w": Assumption(
        12.5, 8.0, 16.0, "USD per W of IT",
        f"electrical $5.25, mechanical $3.00, civil $2.50 and fit-out $1.75 per W in {MCCALIP}",
    ),
    "pue": Assumption(1.2, 1.05, 1.5, "ratio", f"liquid-cooled facility, 1.2 in {MCCALIP}"),
    "electricity_usd_per_kwh": Assumption(
        0.08, 0.04, 0.15, "USD per kWh",
        "about the 2024 US industrial average (EIA Electric Power Monthly, table 5.3)",
    ),
    "gas_usd_per_mmbtu": Assumption(
        4.30, 2.0, 8.0, "USD per MMBtu", f"EIA 2025 Henry Hub forecast, as used in {MCCALIP}"
    ),
    "heat_rate_btu_per_kwh": Assumption(
        6200.0, 6000.0, 7500.0, "Btu per kWh", f"frame combined-cycle turbine, in {MCCALIP}"
    ),
    "generation_usd_per_kw": Assumption(
        1800.0, 1000.0, 2500.0, "USD per kW of generation",
        f"frame combined-cycle plant, in {MCCALIP}",
    ),
    "facility_life_years": Assumption(
        20.0, 15.0, 30.0, "years", "assumption: building, power and cooling plant"
    ),
    "build_years": Assumption(2.0, 1.0, 3.0, "years", "assumption: design and construction"),
    "grid_delay_years": Assumption(
        1.0, 0.0, 5.0, "years", "about a year to connect a 1 GW site to high-voltage lines"
    ),
    "operations_fraction_per_year": Assumption(
        0.03, 0.01, 0.05, "share of the facility price per year",
        "assumption: staff, maintenance and overhead",
    ),
    "land_usd_per_w": Assumption(
        0.0, 0.0, 1.0, "USD per W of IT",
        "left out unless given (McCalip's civil bucket, in the facility price, holds land "
        "at about $244k an acre)",
    ),
    "water_usd_per_mwh": Assumption(
        0.0, 0.0, 10.0, "USD per MWh of IT energy", "left out unless given"
    ),
}  # fmt: skip

FAILURE_RULES = ("satellite", "hardware")
GENERATION = ("grid", "gas")


def _field(table: dict, key: str, *, ge=0.0, le=None, gt=None, lt=None):
    a = table[key]
    bounds = {"gt": gt} if gt is not None else {"ge": ge}
    if le is not None:
        bounds["le"] = le
    if lt is not None:
        bounds["lt"] = lt
    return Field(a.value, description=f"{a.unit}; {a.source}.", **bounds)


class GroundCostDesign(Design):
    """The ``[cost.ground]`` table: the ground data center the orbit is compared with.

    Facility price per W of IT, PUE, energy from the grid (``generation =
    "grid"``, at ``electricity_usd_per_kwh``) or from gas turbines on site
    (``"gas"``: fuel at ``gas_usd_per_mmbtu`` and ``heat_rate_btu_per_kwh``,
    plant at ``generation_usd_per_kw``, and no grid connection to wait for:
    ``grid_delay_years`` applies to ``"grid"`` only), the facility's life, build
    time and grid-connection delay.  The accelerators, their price and economic life are
    ``[cost]``'s.  Land and water are left out.  Raises ScenarioError.
    """

    table_name = "[cost.ground]"

    facility_usd_per_w: float = _field(GROUND, "facility_usd_per_w", le=1000.0)
    pue: float = _field(GROUND, "pue", ge=1.0, le=5.0)
    generation: Literal[GENERATION] = Field(
        "grid", description='"grid": energy bought; "gas": generated on site.'
    )
    electricity_usd_per_kwh: float = _field(GROUND, "electricity_usd_per_kwh", le=10.0)
    gas_usd_per_mmbtu: float = _field(GROUND, "gas_usd_per_mmbtu", le=1000.0)
    heat_rate_btu_per_kwh: float = _field(GROUND, "heat_rate_btu_per_kwh", gt=0.0, le=50_000.0)
    generation_usd_per_kw: float = _field(GROUND, "generation_usd_per_kw", le=100_000.0)
    facility_life_years: float = _field(GROUND, "facility_life_years", gt=0.0, le=100.0)
    build_years: float = _field(GROUND, "build_years", le=20.0)
    grid_delay_years: float = _field(GROUND, "grid_delay_years", le=20.0)
    operations_fraction_per_year: float = _field(GROUND, "operations_fraction_per_year", le=1.0)
    land_usd_per_w: float = _field(GROUND, "land_usd_per_w", le=1000.0)
    water_usd_per_mwh: float = _field(GROUND, "water_usd_per_mwh", le=1e5)


class CostDesign(Design):
    """The scenario's ``[cost]`` table: what the satellites, their launch and their upkeep cost.

    Prices in US dollars of ``dollar_year``; the launch price is ``[launch]``'s
    ``cost_per_flight_usd`` over its payload.  The satellite is priced item by
    item from its sized masses, powers and areas; the accelerators at
    ``compute_usd_per_kw`` times ``1 + space_premium``.  A satellite serves the
    shorter of its physical life (design life, or what its propellant holds)
    and ``economic_life_years``.  ``failure_rule = "satellite"`` (the default)
    loses a failed satellite and buys a new one; ``"hardware"`` repairs it at
    ``[launch] failure_rate_per_year`` of the hardware price a year (spares).
    ``program_years`` spreads the fleet's own costs (engineering, ground
    stations; default: the cadence's years).  Raises ScenarioError.
    """

    table_name = "[cost]"

    dollar_year: int = Field(
        DOLLAR_YEAR, ge=1900, le=2200, description="Year of the dollars the prices are in."
    )
    discount_rate: float = _field(SPACE, "discount_rate", gt=-1.0, le=1.0)
    utilisation: float = _field(SPACE, "utilisation", gt=0.0, le=1.0)
    compute_usd_per_kw: float = _field(SPACE, "compute_usd_per_kw", le=1e7)
    compute_usd_per_gpu: float | None = Field(
        None,
        ge=0.0,
        le=1e8,
        description="USD per accelerator, instead of compute_usd_per_kw (per kW: this over "
        "it_kw_per_gpu).",
    )
    space_premium: float = _field(SPACE, "space_premium", le=100.0)
    economic_life_years: float = _field(SPACE, "economic_life_years", gt=0.0, le=100.0)
    bus_usd_per_kg: float = _field(SPACE, "bus_usd_per_kg", le=1e7)
    array_usd_per_w: float = _field(SPACE, "array_usd_per_w", le=1e5)
    radiator_usd_per_m2: float = _field(SPACE, "radiator_usd_per_m2", le=1e8)
    battery_usd_per_wh: float = _field(SPACE, "battery_usd_per_wh", le=1e5)
    propulsion_usd_per_kg: float = _field(SPACE, "propulsion_usd_per_kg", le=1e8)
    propellant_usd_per_kg: float = _field(SPACE, "propellant_usd_per_kg", le=1e7)
    laser_terminal_usd: float = _field(SPACE, "laser_terminal_usd", le=1e10)
    integration_fraction: float = _field(SPACE, "integration_fraction", le=10.0)
    nre_usd: float = _field(SPACE, "nre_usd", le=1e13)
    launch_price_change_per_year: float = _field(
        SPACE, "launch_price_change_per_year", gt=-1.0, le=1.0
    )
    launch_failure_rate: float = _field(SPACE, "launch_failure_rate", lt=1.0)
    operations_fraction_per_year: float = _field(SPACE, "operations_fraction_per_year", le=1.0)
    insurance_fraction: float = _field(SPACE, "insurance_fraction", le=1.0)
    disposal_usd: float = _field(SPACE, "disposal_usd", le=1e10)
    progress_ratio: float = _field(SPACE, "progress_ratio", gt=0.5, le=1.0)
    launch_progress_ratio: float = _field(SPACE, "launch_progress_ratio", gt=0.5, le=1.0)
    downlink_gbps_per_mw: float = _field(SPACE, "downlink_gbps_per_mw", le=1e6)
    ground_station_gbps: float = _field(SPACE, "ground_station_gbps", gt=0.0, le=1e6)
    ground_station_availability: float = _field(
        SPACE, "ground_station_availability", gt=0.0, le=1.0
    )
    ground_station_usd: float = _field(SPACE, "ground_station_usd", le=1e12)
    ground_station_usd_per_year: float = _field(SPACE, "ground_station_usd_per_year", le=1e12)
    it_kw_per_gpu: float | None = Field(
        None,
        gt=0.0,
        le=1000.0,
        description="kW of IT per accelerator, for USD per GPU-hour and compute_usd_per_gpu "
        "(default: the satellite's payload preset's).",
    )
    failure_rule: Literal[FAILURE_RULES] = Field(
        "satellite",
        description='"satellite": a failed satellite is lost and bought again; "hardware": '
        "repaired in service at the failure rate times the hardware price a year.",
    )
    program_years: float | None = Field(
        None,
        gt=0.0,
        le=100.0,
        description="Years the fleet's own costs are spread over (default: the cadence's).",
    )
    ground: GroundCostDesign = Field(
        default_factory=GroundCostDesign, description="The ground data center compared with."
    )

    @model_validator(mode="after")
    def _one_compute_price(self):
        if self.compute_usd_per_gpu is not None and "compute_usd_per_kw" in self.model_fields_set:
            raise ValueError(
                "compute_usd_per_kw and compute_usd_per_gpu both given; give the price once"
            )
        return self


def compute_price_usd_per_kw(prices, kw_per_gpu: float):
    """The accelerators' price per kW of IT: ``compute_usd_per_gpu`` over ``kw_per_gpu``
    where it is given, else ``compute_usd_per_kw`` (``prices``: a design or its variants)."""
    per_gpu = prices.compute_usd_per_gpu
    return prices.compute_usd_per_kw if per_gpu is None else per_gpu / kw_per_gpu

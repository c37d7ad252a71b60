"""The scenario's ``[launch]`` table and the launch vehicles it can name, with sources."""

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from constellations.model.satellite import MAX_DESIGN_LIFE_YEARS
from constellations.model.validation import Design, Hint
from orbital.seasons import FIRST_YEAR, LAST_YEAR

#: The default launch price, USD per kg of a vehicle's payload to low orbit, and its
#: plausible range: an assumption for a reusable heavy launcher's price.  Payload Research
#: (January 2024) put Starship's cost near $150/kg, with prices about twice cost; $10/kg is
#: the claim of about $1M of propellant for 100 t, $3,000/kg about Falcon 9's list price.
LAUNCH_USD_PER_KG = 300.0
LAUNCH_USD_PER_KG_RANGE = (10.0, 3000.0)


@dataclass(frozen=True)
class Vehicle:
    """A launch vehicle: payload to low orbit and price per flight, with sources."""

    name: str
    payload_t: float
    cost_per_flight_usd: float
    sources: tuple[str, ...] = ()


VEHICLES = {
    v.name: v
    for v in (
        Vehicle(
            "starship-100t",
            100.0,
            100.0e3 * LAUNCH_USD_PER_KG,
            (
                "Starship: 100+ t to low Earth orbit when fully reusable (SpaceX, "
                "spacex.com/vehicles/starship), the payload behind the quoted '10,000 "
                "launches a year of 100 t'.",
                "Price: LAUNCH_USD_PER_KG a kg of payload (an assumption); the claim of "
                "about $1M of propellant a flight (SpaceX statements) is the claim presets' "
                "cost_per_flight_usd.",
            ),
        ),
        Vehicle(
            "starship-150t",
            150.0,
            150.0e3 * LAUNCH_USD_PER_KG,
            ("Starship aspiration of 150 t to orbit (SpaceX statements, 2024-2025).",),
        ),
        Vehicle(
            "starship-200t",
            200.0,
            200.0e3 * LAUNCH_USD_PER_KG,
            ("Starship V3/V4 aspiration of about 200 t to orbit (SpaceX statements, 2025).",),
        ),
    )
}


#: Flights a year: a plausibility bound, twenty times the 50,000 of the claim-1tw-stretch
#: preset (about two launches a minute).
MAX_FLIGHTS_PER_YEAR = 1_000_000.0
#: Longest simulation, years.
MAX_YEARS = 100
#: Heaviest payload a flight, tonnes: a plausibility bound five times Starship's 200 t goal.
MAX_PAYLOAD_T = 1000.0

#: Plausibility bounds: a flight's price up to $10 billion, ten thousand times the
#: Starship presets' $1M; compute up to 10,000 kW a tonne, a hundred times the claim
#: presets' 100 kW a tonne; growth up to +1,000 % a year.
MAX_COST_PER_FLIGHT_USD = 1e10
MAX_KW_PER_TONNE = 1e4
MAX_GROWTH_PER_YEAR = 10.0

Flights = Annotated[float, Field(ge=0.0, le=MAX_FLIGHTS_PER_YEAR)]
_RAMP = ("flights_start", "flights_growth_per_year", "flights_cap")


class LaunchDesign(Design):
    """The scenario's ``[launch]`` table.

    The cadence is ``flights_per_year`` (a number, or a list with one entry a
    simulated year) or a ramp: ``flights_start`` a year, growing by
    ``flights_growth_per_year`` (0.5 is +50 % a year) up to ``flights_cap``.
    ``sso_payload_factor`` is the share of the payload a flight still lifts to
    a sun-synchronous shell (an assumption: the plane change out of a
    low-latitude launch site costs payload).  A list of flights is kept as a
    tuple.  Raises ScenarioError.
    """

    table_name = "[launch]"

    vehicle: Literal[tuple(VEHICLES)] = Field("starship-100t", description="Launch vehicle preset.")
    payload_t: float | None = Field(
        None, gt=0.0, le=MAX_PAYLOAD_T, description="Payload a flight, t (default: the vehicle's)."
    )
    cost_per_flight_usd: float | None = Field(
        None,
        ge=0.0,
        le=MAX_COST_PER_FLIGHT_USD,
        description="Price of a flight, USD (default: the vehicle's).",
    )
    cost_per_kg_usd: float | None = Field(
        None,
        ge=0.0,
        le=MAX_COST_PER_FLIGHT_USD / 1000.0,
        description="Price a kg of payload, USD, instead of cost_per_flight_usd (a flight: "
        "this times payload_t in kg).",
    )
    flights_per_year: Annotated[
        Flights | tuple[Flights, ...] | None,
        Hint("a number of flights, or a list with one a simulated year"),
    ] = Field(None, description="Flights a year: one number, or one a simulated year.")
    flights_start: float | None = Field(
        None, ge=0.0, le=MAX_FLIGHTS_PER_YEAR, description="Ramp: flights in the first year."
    )
    flights_growth_per_year: Annotated[float | None, Hint("0.5 is +50 % a year")] = Field(
        None, gt=-1.0, le=MAX_GROWTH_PER_YEAR, description="Ramp: growth a year."
    )
    flights_cap: float | None = Field(
        None, ge=0.0, le=MAX_FLIGHTS_PER_YEAR, description="Ramp: most flights a year."
    )
    start_year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="First simulated year, from its January; not before the epoch's year "
        "(default: from the epoch's month).",
    )
    years: int = Field(10, ge=1, le=MAX_YEARS, description="Simulated years.")
    design_life_years: float | None = Field(
        None,
        gt=0.0,
        le=MAX_DESIGN_LIFE_YEARS,
        description="Years a satellite flies (default: the satellite's).",
    )
    failure_rate_per_year: float = Field(
        0.0, ge=0.0, lt=1.0, description="Share of satellites failing a year."
    )
    kw_per_tonne: float | None = Field(
        None, gt=0.0, le=MAX_KW_PER_TONNE, description="Compute kW a tonne (default: the sizing's)."
    )
    sso_payload_factor: float = Field(
        0.8, gt=0.0, le=1.0, description="Share of the payload lifted to a sun-synchronous shell."
    )

    @field_validator("flights_per_year", mode="before")
    @classmethod
    def _flights_as_tuple(cls, value):
        if isinstance(value, list):
            value = tuple(value)
        entries = value if isinstance(value, tuple) else () if value is None else (value,)
        for flights in entries:
            number = isinstance(flights, (int, float)) and not isinstance(flights, bool)
            # NaN fails both comparisons, and a whole number too large for a float fails one.
            if not (number and 0 <= flights <= MAX_FLIGHTS_PER_YEAR):
                raise ValueError(
                    f"must be a number of flights from 0 to {MAX_FLIGHTS_PER_YEAR:,.0f}, "
                    "or a list of them with one a simulated year"
                )
        return value

    @model_validator(mode="after")
    def _one_price(self):
        if self.cost_per_flight_usd is not None and self.cost_per_kg_usd is not None:
            raise ValueError(
                "cost_per_flight_usd and cost_per_kg_usd both given; give the launch price once"
            )
        return self

    @model_validator(mode="after")
    def _one_cadence(self):
        ramp = [getattr(self, name) for name in _RAMP]
        if self.flights_per_year is not None:
            if any(v is not None for v in ramp):
                raise ValueError(
                    "give flights_per_year or the ramp (flights_start, flights_growth_per_year, "
                    "flights_cap), not both"
                )
            if isinstance(self.flights_per_year, tuple) and (
                len(self.flights_per_year) != self.years
            ):
                raise ValueError(
                    f"flights_per_year has {len(self.flights_per_year)} "
                    f"{'entry' if len(self.flights_per_year) == 1 else 'entries'} for "
                    f"years={self.years}: give one per simulated year"
                )
        elif any(v is not None for v in ramp) and self.flights_start is None:
            raise ValueError(
                "a ramp needs flights_start (flights_growth_per_year and flights_cap refine it)"
            )
        return self

    @property
    def vehicle_preset(self) -> Vehicle:
        return VEHICLES[self.vehicle]

    @property
    def payload(self) -> float:
        return self.vehicle_preset.payload_t if self.payload_t is None else self.payload_t

    @property
    def cost_per_flight(self) -> float:
        if self.cost_per_kg_usd is not None:
            return self.cost_per_kg_usd * self.payload * 1000.0
        preset = self.vehicle_preset.cost_per_flight_usd
        return preset if self.cost_per_flight_usd is None else self.cost_per_flight_usd

    def flights_by_year(self) -> np.ndarray:
        """Flights available in each simulated year, ``(years,)``; ``(n, years)`` when a
        trade study has set the cadence's keys to arrays ``(n,)``."""
        if isinstance(self.flights_per_year, tuple):
            return np.asarray(self.flights_per_year, dtype=float)
        if self.flights_per_year is not None:
            per = np.asarray(self.flights_per_year, dtype=float)[..., None]
            return per * np.ones(self.years)
        if self.flights_start is not None:
            growth = 1.0 + np.asarray(
                0.0 if self.flights_growth_per_year is None else self.flights_growth_per_year,
                dtype=float,
            )
            start = np.asarray(self.flights_start, dtype=float)
            flights = start[..., None] * growth[..., None] ** np.arange(self.years)
            if self.flights_cap is not None:
                flights = np.minimum(flights, np.asarray(self.flights_cap, dtype=float)[..., None])
            return flights
        return np.full(self.years, 10_000.0)  # the quoted 10,000 flights a year

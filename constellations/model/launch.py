"""The scenario's ``[launch]`` table and the launch vehicles it can name, with sources."""

import math
from dataclasses import dataclass, field

import numpy as np


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
            1.0e6,
            (
                "Starship: 100+ t to low Earth orbit when fully reusable (SpaceX, "
                "spacex.com/vehicles/starship), the payload behind the quoted '10,000 "
                "launches a year of 100 t'.",
                "Cost: about $1M of propellant a flight (SpaceX statements; an assumption "
                "here); an all-in price is the user's to set (cost_per_flight_usd).",
            ),
        ),
        Vehicle(
            "starship-150t",
            150.0,
            1.0e6,
            ("Starship aspiration of 150 t to orbit (SpaceX statements, 2024-2025).",),
        ),
        Vehicle(
            "starship-200t",
            200.0,
            1.0e6,
            ("Starship V3/V4 aspiration of about 200 t to orbit (SpaceX statements, 2025).",),
        ),
    )
}


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"[launch] {message}")


@dataclass(frozen=True)
class LaunchDesign:
    """The scenario's ``[launch]`` table.

    The cadence is ``flights_per_year`` (a number, or a list with one entry a
    simulated year) or a ramp: ``flights_start`` a year, growing by
    ``flights_growth_per_year`` (0.5 is +50 % a year) up to ``flights_cap``.
    ``sso_payload_factor`` is the share of the payload a flight still lifts to
    a sun-synchronous shell (an assumption: the plane change out of a
    low-latitude launch site costs payload).
    """

    vehicle: str = "starship-100t"
    payload_t: float | None = None
    cost_per_flight_usd: float | None = None
    flights_per_year: object = None
    flights_start: float | None = None
    flights_growth_per_year: float | None = None
    flights_cap: float | None = None
    start_year: int | None = None
    years: int = 10
    design_life_years: float | None = None
    failure_rate_per_year: float = 0.0
    kw_per_tonne: float | None = None
    sso_payload_factor: float = 0.8
    sources: tuple = field(default=())

    def __post_init__(self):
        _check(
            self.vehicle in VEHICLES,
            f"vehicle={self.vehicle!r}: choose one of {', '.join(VEHICLES)}",
        )
        _check(
            isinstance(self.years, int) and not isinstance(self.years, bool) and self.years >= 1,
            f"years={self.years!r}: must be a whole number of years >= 1",
        )
        if self.payload_t is not None:
            _check(self.payload_t > 0, f"payload_t={self.payload_t!r}: must be positive")
        if self.cost_per_flight_usd is not None:
            _check(self.cost_per_flight_usd >= 0, "cost_per_flight_usd must not be negative")
        if self.design_life_years is not None:
            _check(
                self.design_life_years > 0,
                f"design_life_years={self.design_life_years!r}: must be positive",
            )
        _check(
            0 <= self.failure_rate_per_year < 1,
            f"failure_rate_per_year={self.failure_rate_per_year!r}: must be at least 0, below 1",
        )
        if self.kw_per_tonne is not None:
            _check(self.kw_per_tonne > 0, f"kw_per_tonne={self.kw_per_tonne!r}: must be positive")
        _check(0 < self.sso_payload_factor <= 1, "sso_payload_factor must be in (0, 1]")
        ramp = (self.flights_start, self.flights_growth_per_year, self.flights_cap)
        if self.flights_per_year is not None:
            _check(
                all(v is None for v in ramp),
                "give flights_per_year or the ramp (flights_start, flights_growth_per_year, "
                "flights_cap), not both",
            )
            if isinstance(self.flights_per_year, list):
                _check(
                    len(self.flights_per_year) == self.years,
                    f"flights_per_year has {len(self.flights_per_year)} entries for "
                    f"years={self.years}: give one per simulated year",
                )
                _check(
                    all(_number(v) and v >= 0 for v in self.flights_per_year),
                    "flights_per_year entries must be numbers >= 0",
                )
            else:
                _check(
                    _number(self.flights_per_year) and self.flights_per_year >= 0,
                    f"flights_per_year={self.flights_per_year!r}: a number >= 0 or a list",
                )
        elif any(v is not None for v in ramp):
            _check(
                self.flights_start is not None,
                "a ramp needs flights_start (flights_growth_per_year and flights_cap refine it)",
            )
            _check(self.flights_start >= 0, "flights_start must not be negative")
            if self.flights_cap is not None:
                _check(
                    self.flights_cap >= 0, f"flights_cap={self.flights_cap!r}: must not be negative"
                )
            _check(
                (self.flights_growth_per_year or 0.0) > -1, "flights_growth_per_year must be > -1"
            )

    @property
    def vehicle_preset(self) -> Vehicle:
        return VEHICLES[self.vehicle]

    @property
    def payload(self) -> float:
        return self.vehicle_preset.payload_t if self.payload_t is None else self.payload_t

    @property
    def cost_per_flight(self) -> float:
        preset = self.vehicle_preset.cost_per_flight_usd
        return preset if self.cost_per_flight_usd is None else self.cost_per_flight_usd

    def flights_by_year(self) -> np.ndarray:
        """Flights available in each simulated year, ``(years,)``."""
        if isinstance(self.flights_per_year, list):
            return np.asarray(self.flights_per_year, dtype=float)
        if self.flights_per_year is not None:
            return np.full(self.years, float(self.flights_per_year))
        if self.flights_start is not None:
            growth = 1.0 + (self.flights_growth_per_year or 0.0)
            flights = self.flights_start * growth ** np.arange(self.years)
            if self.flights_cap is not None:
                flights = np.minimum(flights, self.flights_cap)
            return flights
        return np.full(self.years, 10_000.0)  # the quoted 10,000 flights a year


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

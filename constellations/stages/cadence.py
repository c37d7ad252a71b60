"""Launch cadence: a launch plan turned into satellites, tonnes and gigawatts over the years.

Month by month: satellites retire at the end of their life (the shorter of the
design life and what their propellant sustains) or fail at a yearly rate;
replacing them comes first, the rest of the month's flights grow the shells
in scenario order up to their capacity.  Satellites per flight follow from
the satellite's mass (sizing), compute from its kW per tonne (sizing, or a
``kw_per_tonne`` given to reproduce a claim).  Flights are counted as monthly
averages (fractions of a flight), which is what a yearly cadence means.
"""

from dataclasses import dataclass

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.launch import LaunchDesign
from orbital.cadence import fleet_steady_state_gw, simulate_fleet


@dataclass(frozen=True)
class ShellSupply:
    """What the simulation needs of a shell: capacity, mass and compute per satellite."""

    name: str
    capacity_sats: int
    satellite_mass_kg: float
    compute_kw: float  # per satellite, in sunlight
    orbit_average_share: float  # orbit-average compute over in-sun compute
    payload_t: float  # per flight to this shell
    lifetime_years: float

    @property
    def sats_per_flight(self) -> int:
        return int(self.payload_t * 1000.0 // self.satellite_mass_kg)


@dataclass(frozen=True)
class CadenceResult:
    """The cadence stage: end-of-year values of each simulated year, arrays ``(years,)``.

    Flights (all, replacement, growth, available), satellites and tonnes in
    orbit, installed compute in sunlight and orbit-averaged (GW), compute
    added each year (GW), cumulative flights and cost (USD), cost per
    installed watt (USD/W; NaN while nothing is installed).  Then the kW per
    tonne used and where it came from (``"given"`` or ``"sizing"``), the
    steady state (GW), the first simulated month (``"YYYY-MM"``; simulated year ``y``
    is the 12 months from it, labelled ``years[y]``, the calendar year it starts in),
    the month each shell filled (``"YYYY-MM"`` or None),
    satellites per flight, satellites launched each year (arrays ``(years,)``,
    replacements included), satellites in orbit at each year's end, and
    lifetime (years) per shell, and the vehicle.
    """

    years: np.ndarray
    flights_per_year: np.ndarray
    replacement_flights_per_year: np.ndarray
    growth_flights_per_year: np.ndarray
    flights_available_per_year: np.ndarray
    satellites_in_orbit: np.ndarray
    tonnes_in_orbit: np.ndarray
    installed_gw: np.ndarray
    installed_gw_orbit_average: np.ndarray
    added_gw_per_year: np.ndarray
    cumulative_flights: np.ndarray
    cumulative_cost_usd: np.ndarray
    cost_per_watt_usd: np.ndarray
    kw_per_tonne_used: float
    kw_per_tonne_source: str
    steady_state_gw: float
    first_month: str
    shell_full: dict
    sats_per_flight: dict
    launched_per_year: dict
    in_orbit_per_year: dict
    lifetime_years: dict
    vehicle: str
    payload_t: float
    cost_per_flight_usd: float


def too_heavy(shells: list[ShellSupply]) -> str | None:
    """Why no flight can carry a shell's satellite (one sentence), or None."""
    for shell in shells:
        if shell.sats_per_flight < 1:
            return (
                f"a satellite of {shell.satellite_mass_kg:,.0f} kg is heavier than a flight's "
                f"{shell.payload_t:g} t to shell {shell.name}; raise [launch] payload_t or "
                "lighten the satellite"
            )
    return None


def simulate(
    design: LaunchDesign, shells: list[ShellSupply], start_year: int, start_month: int = 1
) -> CadenceResult:
    """Month by month launches into ``shells`` from ``start_month`` (1-12) of
    ``start_year``; end-of-year values for each simulated year (12 months from there).

    The one-sample case of :func:`orbital.cadence.simulate_fleet`, which holds the
    algorithm.  Raises ``ScenarioError`` when a satellite is heavier than a flight lifts.
    """
    heavy = too_heavy(shells)
    if heavy is not None:
        raise ScenarioError(f"[launch] {heavy}")
    flights_by_year = design.flights_by_year()
    history = simulate_fleet(
        flights_by_year[None, :],
        **_fleet_arrays(design, shells),
        cost_per_flight_usd=[design.cost_per_flight],
    )
    installed = history.installed_gw[0]
    cost = history.cumulative_cost_usd[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost_per_watt = np.where(installed > 0, cost / (installed * 1e9), np.nan)
    full_month = history.full_month[0]

    def calendar(month: int) -> str:
        """Month ``month`` of the simulation (0 = the first) as ``"YYYY-MM"``."""
        since_january = start_month - 1 + int(month)
        return f"{start_year + since_january // 12}-{since_january % 12 + 1:02d}"

    return CadenceResult(
        years=np.arange(design.years) + start_year,
        flights_per_year=history.flights[0],
        replacement_flights_per_year=history.replacement_flights[0],
        growth_flights_per_year=history.growth_flights[0],
        flights_available_per_year=np.asarray(flights_by_year, dtype=float),
        satellites_in_orbit=history.satellites_in_orbit[0],
        tonnes_in_orbit=history.tonnes_in_orbit[0],
        installed_gw=installed,
        installed_gw_orbit_average=history.installed_gw_orbit_average[0],
        added_gw_per_year=np.diff(np.concatenate([[0.0], installed])),
        cumulative_flights=history.cumulative_flights[0],
        cumulative_cost_usd=cost,
        cost_per_watt_usd=cost_per_watt,
        kw_per_tonne_used=float(history.kw_per_tonne_used[0]),
        kw_per_tonne_source="given" if design.kw_per_tonne is not None else "sizing",
        steady_state_gw=float(history.steady_state_gw[0]),
        first_month=calendar(0),
        shell_full={
            s.name: None if full_month[k] < 0 else calendar(full_month[k])
            for k, s in enumerate(shells)
        },
        sats_per_flight={s.name: s.sats_per_flight for s in shells},
        launched_per_year={
            s.name: history.launched_by_shell[0, :, k] for k, s in enumerate(shells)
        },
        in_orbit_per_year={
            s.name: history.satellites_by_shell[0, :, k] for k, s in enumerate(shells)
        },
        lifetime_years={s.name: s.lifetime_years for s in shells},
        vehicle=design.vehicle,
        payload_t=design.payload,
        cost_per_flight_usd=design.cost_per_flight,
    )


def _fleet_arrays(design: LaunchDesign, shells: list[ShellSupply]) -> dict:
    """The kernel's per-shell and per-design arguments, one sample: ``(1, shells)``, ``(1,)``."""

    def row(values):
        return np.array([values], dtype=float)

    return {
        "capacity_sats": np.array([s.capacity_sats for s in shells], dtype=float),
        "sats_per_flight": row([s.sats_per_flight for s in shells]),
        "satellite_mass_kg": row([s.satellite_mass_kg for s in shells]),
        "compute_kw": row([s.compute_kw for s in shells]),
        "orbit_average_share": row([s.orbit_average_share for s in shells]),
        "lifetime_years": row([s.lifetime_years for s in shells]),
        "failure_rate_per_year": np.array([design.failure_rate_per_year], dtype=float),
        "kw_per_tonne": None
        if design.kw_per_tonne is None
        else np.array([design.kw_per_tonne], dtype=float),
    }


def steady_state_gw(design, shells, flights_per_year) -> float:
    """Installed compute when launches only replace: rate x lifetime, capped by the shells.

    With ``F`` flights a year lifting ``n`` satellites each that live ``L`` years (and
    fail at rate ``f``: mean life ``(1 - e^{-fL}) / f``), the sustainable fleet is ``F n``
    times that life, no more than the shells hold; each shell's fleet counts at its own
    kW per tonne (or the design's).  The one-sample case of
    :func:`orbital.cadence.fleet_steady_state_gw`.
    """
    arrays = _fleet_arrays(design, shells)
    del arrays["orbit_average_share"]
    return float(fleet_steady_state_gw(np.array([float(flights_per_year)]), **arrays)[0])


def shell_supplies(constellation, closure, design: LaunchDesign) -> list[ShellSupply]:
    """The simulation's view of each shell, from the closure stage.

    Raises ``ValueError`` naming the first shell whose satellite does not close.
    """
    life_default = constellation.satellite.spec.design_life_years
    design_life = design.design_life_years or life_default
    supplies = []
    for shell in constellation.shells:
        closed = closure.of(shell.name)
        if not closed.closes:
            raise ValueError(
                f"[launch] shell {shell.name}: the satellite does not close ({closed.not_closed})"
            )
        sizing = closed.sized.sizing
        share = sizing.compute_kw_per_tonne_orbit_average / sizing.compute_kw_per_tonne
        payload = design.payload * (design.sso_payload_factor if shell.is_sun_synchronous else 1.0)
        supplies.append(
            ShellSupply(
                name=shell.name,
                capacity_sats=shell.n_sats,
                satellite_mass_kg=sizing.satellite_mass_kg,
                compute_kw=sizing.satellite_compute_kw,
                orbit_average_share=share,
                payload_t=payload,
                lifetime_years=min(
                    design_life,
                    closed.sustainable_years,
                    np.inf if closed.radiation_life_years is None else closed.radiation_life_years,
                ),
            )
        )
    return supplies


def launch_cadence(
    constellation, closure, design: LaunchDesign | None = None, supplies=None
) -> CadenceResult:
    """The cadence stage for ``constellation`` (its own ``[launch]`` by default).

    ``supplies`` (from :func:`shell_supplies` with the same design) saves finding
    them again.  Where ``[cost] failure_rule`` is ``"hardware"`` a failed
    satellite is repaired in service, not lost, so no flight replaces it.  The first
    simulated month is :func:`first_month`'s.  Raises ``ScenarioError`` when no flight
    can carry a satellite (see :func:`too_heavy`).
    """
    design = design or constellation.launch
    if constellation.cost.failure_rule == "hardware":
        design = design.model_copy(update={"failure_rate_per_year": 0.0})
    if supplies is None:
        supplies = shell_supplies(constellation, closure, design)
    return simulate(design, supplies, *first_month(constellation.epoch, design.start_year))


def first_month(epoch, start_year: int | None) -> tuple[int, int]:
    """``(year, month)`` the cadence starts in: the epoch's month, or January of a later
    ``[launch] start_year`` (the scenario refuses an earlier one), so that no date the
    cadence prints precedes the epoch."""
    if start_year is None or start_year <= epoch.year:
        return epoch.year, epoch.month
    return start_year, 1

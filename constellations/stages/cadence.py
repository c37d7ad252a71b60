"""Launch cadence: a launch plan turned into satellites, tonnes and gigawatts over the years.

Month by month: satellites retire at the end of their life (the shorter of the
design life and what their propellant sustains) or fail at a yearly rate;
replacing them comes first, the rest of the month's flights grow the shells
in scenario order up to their capacity.  Satellites per flight follow from
the satellite's mass (sizing), compute from its kW per tonne (sizing, or a
``kw_per_tonne`` given to reproduce a claim).  Flights are counted as monthly
averages (fractions of a flight), which is what a yearly cadence means.
"""

import math
from dataclasses import dataclass

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.launch import LaunchDesign


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
    steady state (GW), the month each shell filled (``"YYYY-MM"`` or None),
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


def simulate(design: LaunchDesign, shells: list[ShellSupply], start_year: int) -> CadenceResult:
    """Month by month launches into ``shells``; end-of-year values for each simulated year.

    Raises ``ScenarioError`` when a satellite is heavier than a flight lifts.
    """
    heavy = too_heavy(shells)
    if heavy is not None:
        raise ScenarioError(f"[launch] {heavy}")
    months = 12 * design.years
    flights_by_year = design.flights_by_year()
    monthly_failure = 1.0 - (1.0 - design.failure_rate_per_year) ** (1.0 / 12.0)
    cohorts = [np.zeros(months) for _ in shells]  # satellites alive by launch month
    life_months = [max(1, int(round(s.lifetime_years * 12))) for s in shells]
    full_month = [None] * len(shells)
    per_year = {
        k: []
        for k in (
            "flights",
            "replacement",
            "growth",
            "sats",
            "tonnes",
            "gw",
            "gw_avg",
            "spent_usd",
            "flights_cum",
            "sats_by_shell",
        )
    }
    launched = np.zeros((design.years, len(shells)))
    cost = flights_total = 0.0
    year_flights = year_replacement = year_growth = 0.0
    for m in range(months):
        available = flights_by_year[m // 12] / 12.0
        need = []
        for k in range(len(shells)):
            alive = cohorts[k][:m]
            failed = alive * monthly_failure
            alive -= failed
            retired = 0.0
            if m - life_months[k] >= 0:
                retired = alive[m - life_months[k]]
                alive[m - life_months[k]] = 0.0
            need.append(float(failed.sum()) + retired)
        replace_flights = [n / s.sats_per_flight for n, s in zip(need, shells, strict=True)]
        total_replace = sum(replace_flights)
        scale = min(1.0, available / total_replace) if total_replace > 0 else 1.0
        used_replace = 0.0
        for k in range(len(shells)):
            cohorts[k][m] += need[k] * scale
            launched[m // 12, k] += need[k] * scale
            used_replace += replace_flights[k] * scale
        remaining = available - used_replace
        used_growth = 0.0
        for k, shell in enumerate(shells):
            if remaining <= 0:
                break
            in_orbit = cohorts[k][: m + 1].sum()
            room = shell.capacity_sats - in_orbit
            if room <= 1e-9:
                continue
            added = min(room, remaining * shell.sats_per_flight)
            cohorts[k][m] += added
            launched[m // 12, k] += added
            flights = added / shell.sats_per_flight
            remaining -= flights
            used_growth += flights
            if full_month[k] is None and added >= room - 1e-9:
                full_month[k] = m
        flights_now = used_replace + used_growth
        flights_total += flights_now
        cost += flights_now * design.cost_per_flight
        year_flights += flights_now
        year_replacement += used_replace
        year_growth += used_growth
        if m % 12 == 11:
            sats = [c[: m + 1].sum() for c in cohorts]
            tonnes = sum(
                n * s.satellite_mass_kg / 1000.0 for n, s in zip(sats, shells, strict=True)
            )
            gw = _installed_gw(design, shells, sats, tonnes)
            gw_avg = (
                sum(
                    n * s.compute_kw * s.orbit_average_share
                    for n, s in zip(sats, shells, strict=True)
                )
                / 1e6
                if design.kw_per_tonne is None
                else gw * _mean_share(shells, sats)
            )
            per_year["flights"].append(year_flights)
            per_year["replacement"].append(year_replacement)
            per_year["growth"].append(year_growth)
            per_year["sats"].append(sum(sats))
            per_year["sats_by_shell"].append(sats)
            per_year["tonnes"].append(tonnes)
            per_year["gw"].append(gw)
            per_year["gw_avg"].append(gw_avg)
            per_year["spent_usd"].append(cost)
            per_year["flights_cum"].append(flights_total)
            year_flights = year_replacement = year_growth = 0.0
    installed = np.array(per_year["gw"])
    added = np.diff(np.concatenate([[0.0], installed]))
    tonnes_final = per_year["tonnes"][-1]
    kw_per_tonne = (
        design.kw_per_tonne
        if design.kw_per_tonne is not None
        else (
            installed[-1] * 1e6 / tonnes_final if tonnes_final > 0 else _fleet_kw_per_tonne(shells)
        )
    )
    cost = np.array(per_year["spent_usd"])
    with np.errstate(divide="ignore", invalid="ignore"):
        cost_per_watt = np.where(installed > 0, cost / (installed * 1e9), np.nan)
    return CadenceResult(
        years=np.arange(design.years) + start_year,
        flights_per_year=np.array(per_year["flights"]),
        replacement_flights_per_year=np.array(per_year["replacement"]),
        growth_flights_per_year=np.array(per_year["growth"]),
        flights_available_per_year=np.asarray(flights_by_year, dtype=float),
        satellites_in_orbit=np.array(per_year["sats"]),
        tonnes_in_orbit=np.array(per_year["tonnes"]),
        installed_gw=installed,
        installed_gw_orbit_average=np.array(per_year["gw_avg"]),
        added_gw_per_year=added,
        cumulative_flights=np.array(per_year["flights_cum"]),
        cumulative_cost_usd=cost,
        cost_per_watt_usd=cost_per_watt,
        kw_per_tonne_used=float(kw_per_tonne),
        kw_per_tonne_source="given" if design.kw_per_tonne is not None else "sizing",
        steady_state_gw=steady_state_gw(design, shells, flights_by_year[-1]),
        shell_full={
            s.name: None
            if full_month[k] is None
            else f"{start_year + full_month[k] // 12}-{full_month[k] % 12 + 1:02d}"
            for k, s in enumerate(shells)
        },
        sats_per_flight={s.name: s.sats_per_flight for s in shells},
        launched_per_year={s.name: launched[:, k] for k, s in enumerate(shells)},
        in_orbit_per_year={
            s.name: np.array([year[k] for year in per_year["sats_by_shell"]])
            for k, s in enumerate(shells)
        },
        lifetime_years={s.name: s.lifetime_years for s in shells},
        vehicle=design.vehicle,
        payload_t=design.payload,
        cost_per_flight_usd=design.cost_per_flight,
    )


def _fleet_kw_per_tonne(shells) -> float:
    return float(np.mean([s.compute_kw / (s.satellite_mass_kg / 1000.0) for s in shells]))


def _mean_share(shells, sats) -> float:
    total = sum(sats)
    if total <= 0:
        return 1.0
    return sum(n * s.orbit_average_share for n, s in zip(sats, shells, strict=True)) / total


def _installed_gw(design, shells, sats, tonnes) -> float:
    if design.kw_per_tonne is not None:
        return tonnes * design.kw_per_tonne / 1e6
    return sum(n * s.compute_kw for n, s in zip(sats, shells, strict=True)) / 1e6


def steady_state_gw(design, shells, flights_per_year) -> float:
    """Installed compute when launches only replace: rate x lifetime, capped by the shells.

    With ``F`` flights a year lifting ``n`` satellites each that live ``L``
    years (and fail at rate ``f``: mean life ``(1 - e^{-fL}) / f``), the
    sustainable fleet is ``F n`` times that life, no more than the shells hold;
    each shell's fleet counts at its own kW per tonne (or the design's).
    """
    sats_supported = 0.0
    remaining_flights = flights_per_year
    total_gw = 0.0
    for s in shells:
        shell_kw_per_tonne = (
            design.kw_per_tonne
            if design.kw_per_tonne is not None
            else s.compute_kw / (s.satellite_mass_kg / 1000.0)
        )
        f = -math.log(1.0 - design.failure_rate_per_year) if design.failure_rate_per_year else 0.0
        life = s.lifetime_years if f == 0 else (1.0 - math.exp(-f * s.lifetime_years)) / f
        if life <= 0 or remaining_flights <= 0:
            continue
        fleet = min(s.capacity_sats, remaining_flights * s.sats_per_flight * life)
        remaining_flights -= fleet / (s.sats_per_flight * life)
        sats_supported += fleet
        total_gw += fleet * s.satellite_mass_kg / 1000.0 * shell_kw_per_tonne / 1e6
    return float(total_gw)


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
                lifetime_years=min(design_life, closed.sustainable_years),
            )
        )
    return supplies


def launch_cadence(
    constellation, closure, design: LaunchDesign | None = None, supplies=None
) -> CadenceResult:
    """The cadence stage for ``constellation`` (its own ``[launch]`` by default).

    ``supplies`` (from :func:`shell_supplies` with the same design) saves finding
    them again.  Where ``[cost] failure_rule`` is ``"hardware"`` a failed
    satellite is repaired in service, not lost, so no flight replaces it.  Raises
    ``ScenarioError`` when no flight can carry a satellite (see :func:`too_heavy`).
    """
    design = design or constellation.launch
    if constellation.cost.failure_rule == "hardware":
        design = design.model_copy(update={"failure_rate_per_year": 0.0})
    start_year = design.start_year or constellation.epoch.year
    if supplies is None:
        supplies = shell_supplies(constellation, closure, design)
    return simulate(design, supplies, start_year)

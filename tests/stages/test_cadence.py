"""Launch cadence: flights into satellites, tonnes, gigawatts and dollars over the years.

Every expected value is worked out here from the inputs, by hand arithmetic or a closed
form, never taken from a previous run:

- a million tonnes a year at 100 kW per tonne is 100 GW a year; 10,000 flights of 100 t
  are a million tonnes (the publicly quoted claims, taken as stated);
- with no losses, launches fill the shells in scenario order: shell ``k`` is full once the
  flights flown reach ``sum(capacity_j / sats_per_flight_j for j <= k)``;
- in steady state the fleet is the launch rate times the lifetime; with failures at a
  yearly rate ``f`` (a monthly survival ``(1 - f)^(1/12)``) the monthly simulation holds
  ``S (1 - (1 - f)^L) / mu`` satellites (``S`` launched a month, ``mu`` the monthly
  failure share, ``L`` years of life) and the continuous estimate ``steady_state_gw`` uses
  the mean life ``(1 - e^{-f_c L}) / f_c`` with ``f_c = -ln(1 - f)``;
- a fleet that nobody replenishes keeps ``(1 - f)`` of itself a year;
- dollars are flights times the price of a flight, per watt they are divided by the watts.
"""

import dataclasses
import json
import math
import re

import numpy as np
import pytest
from helpers import run_cli_in_process as run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from constellations.io.scenario import ScenarioError, load_scenario, parse_scenario
from constellations.model.launch import VEHICLES, LaunchDesign
from constellations.planner import plan
from constellations.records import cadence_record
from constellations.stages.cadence import (
    ShellSupply,
    first_month,
    shell_supplies,
    simulate,
    steady_state_gw,
)
from constellations.stages.closure import ClosureResult, ShellClosure, ShellSizing
from constellations.stages.resolve import resolve
from orbital.closure import Environment, Sizing
from orbital.times import Epoch

#: Sums of 12 monthly shares over a few years: float64 keeps them to about 1e-15 each.
FLOAT_RTOL = 1e-9
#: simulate() gives unrounded arrays; the cadence record (constellations.records, the JSON)
#: rounds satellites, tonnes, flights and dollars to 3 decimals ...
ROUND_3DP = 5e-4
#: ... and gigawatts and dollars per watt to 6 decimals.  The checks below allow for that
#: rounding, so they hold for the result and for its record alike.
ROUND_6DP = 5e-7
#: kW per tonne and steady-state GW are not rounded: only float summation separates them.
UNROUNDED_RTOL = 1e-12
#: A simulated year starts at this calendar year unless the design says otherwise.
START_YEAR = 2030
#: Kilowatts in a gigawatt.
KW_PER_GW = 1e6

#: The cadence contract of the plan JSON and of ``orbital-dc compare``: one entry a year.
PER_YEAR_KEYS = (
    "flights_per_year",
    "replacement_flights_per_year",
    "satellites_in_orbit",
    "tonnes_in_orbit",
    "installed_gw",
    "added_gw_per_year",
    "cumulative_cost_usd",
    "cost_per_watt_usd",
)
CONTRACT_KEYS = {"years", *PER_YEAR_KEYS, "kw_per_tonne_used", "steady_state_gw"}


def supply(
    name="s",
    *,
    capacity=10**12,
    mass_kg=1000.0,
    compute_kw=100.0,
    share=1.0,
    payload_t=100.0,
    lifetime_years=1000.0,
):
    """A hand-made shell: by default huge, long-lived, 1 t satellites of 100 kW."""
    return ShellSupply(
        name=name,
        capacity_sats=capacity,
        satellite_mass_kg=mass_kg,
        compute_kw=compute_kw,
        orbit_average_share=share,
        payload_t=payload_t,
        lifetime_years=lifetime_years,
    )


def approx3(value):
    return pytest.approx(value, rel=FLOAT_RTOL, abs=ROUND_3DP)


def approx6(value):
    return pytest.approx(value, rel=FLOAT_RTOL, abs=ROUND_6DP)


#: What the CLI's progress writes on stderr when it is not a terminal: a line as a stage
#: starts, one as it ends.
PROGRESS_LINE = re.compile(r"orbital-dc: .+ (\.\.\.|done in \d+\.\d s)")


def assert_one_line_error(result, command, *needles, after_progress=False):
    """Exit 2 and one error line on stderr.  ``after_progress``: the error can only be found
    once stages have run (a satellite's mass comes from its sizing), so their progress lines
    may come first; nothing else does."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    if after_progress:
        assert all(PROGRESS_LINE.fullmatch(line) for line in lines[:-1]), result.stderr
        lines = lines[-1:]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"orbital-dc {command}: error:"), lines[0]
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# --- the quoted arithmetic -----------------------------------------------------------------

#: The publicly quoted claims, taken as stated: 10,000 flights a year of 100 t at 100 kW
#: per tonne.
CLAIM_FLIGHTS = 10_000
CLAIM_PAYLOAD_T = 100.0
CLAIM_KW_PER_TONNE = 100.0
CLAIM_TONNES_PER_YEAR = 1_000_000.0
CLAIM_GW_PER_YEAR = 100.0


def test_the_claim_numbers_agree_with_each_other():
    assert CLAIM_FLIGHTS * CLAIM_PAYLOAD_T == CLAIM_TONNES_PER_YEAR
    assert CLAIM_TONNES_PER_YEAR * CLAIM_KW_PER_TONNE / KW_PER_GW == CLAIM_GW_PER_YEAR


@pytest.mark.parametrize("path", ["given", "sizing"])
def test_a_million_tonnes_a_year_at_100_kw_per_tonne_adds_100_gw_a_year(path):
    """1 t satellites of 100 kW, 100 to a flight; the kW/t given or carried by the satellite."""
    years = 4
    design = LaunchDesign(
        flights_per_year=CLAIM_FLIGHTS,
        payload_t=CLAIM_PAYLOAD_T,
        years=years,
        kw_per_tonne=CLAIM_KW_PER_TONNE if path == "given" else None,
    )
    shell = supply(mass_kg=1000.0, compute_kw=CLAIM_KW_PER_TONNE, payload_t=CLAIM_PAYLOAD_T)
    cadence = simulate(design, [shell], START_YEAR)
    assert cadence.years.tolist() == [START_YEAR + y for y in range(years)]
    assert cadence.sats_per_flight == {"s": 100}
    for y in range(years):
        assert cadence.flights_per_year[y] == approx3(CLAIM_FLIGHTS)
        assert cadence.tonnes_in_orbit[y] == approx3((y + 1) * CLAIM_TONNES_PER_YEAR)
        assert cadence.satellites_in_orbit[y] == approx3((y + 1) * CLAIM_FLIGHTS * 100)
        assert cadence.installed_gw[y] == approx6((y + 1) * CLAIM_GW_PER_YEAR)
        assert cadence.added_gw_per_year[y] == approx6(CLAIM_GW_PER_YEAR)
    assert cadence.kw_per_tonne_used == pytest.approx(CLAIM_KW_PER_TONNE, rel=UNROUNDED_RTOL)
    assert cadence.kw_per_tonne_source == path


def test_ten_thousand_flights_of_100_t_is_a_million_tonnes():
    """2.5 t satellites, exactly 40 to a 100 t flight: 400,000 satellites, 1,000,000 t."""
    design = LaunchDesign(flights_per_year=CLAIM_FLIGHTS, payload_t=CLAIM_PAYLOAD_T, years=1)
    cadence = simulate(design, [supply(mass_kg=2500.0, compute_kw=250.0)], START_YEAR)
    assert cadence.sats_per_flight == {"s": 40}
    assert cadence.cumulative_flights.tolist() == [approx3(CLAIM_FLIGHTS)]
    assert cadence.satellites_in_orbit.tolist() == [approx3(400_000)]
    assert cadence.tonnes_in_orbit.tolist() == [approx3(CLAIM_TONNES_PER_YEAR)]


# --- steady state ---------------------------------------------------------------------------


def test_in_steady_state_the_fleet_is_launch_rate_times_lifetime():
    """120 flights a year of 10 satellites that live 2.5 years (30 months): 3,000 in orbit.

    Month ``m`` retires the satellites launched in month ``m - 30``; a year's replacement
    flights are its months past the 30th, times the flights a month.
    """
    flights, per_flight, life_years, years = 120.0, 10, 2.5, 8
    life_months = round(12 * life_years)
    design = LaunchDesign(flights_per_year=flights, payload_t=10.0, years=years)
    shell = supply(mass_kg=1000.0, compute_kw=50.0, payload_t=10.0, lifetime_years=life_years)
    cadence = simulate(design, [shell], START_YEAR)
    fleet = flights * per_flight * life_years
    for y in range(years):
        launched_months = min(12 * (y + 1), life_months)
        assert cadence.satellites_in_orbit[y] == approx3(
            flights / 12 * per_flight * launched_months
        )
        replacing_months = sum(1 for m in range(12 * y, 12 * y + 12) if m >= life_months)
        assert cadence.replacement_flights_per_year[y] == approx3(flights / 12 * replacing_months)
        assert cadence.flights_per_year[y] == approx3(flights)
    assert cadence.satellites_in_orbit[-1] == approx3(fleet)
    assert cadence.replacement_flights_per_year[-1] == approx3(flights)
    steady_gw = fleet * 50.0 / KW_PER_GW
    assert cadence.steady_state_gw == pytest.approx(steady_gw, rel=UNROUNDED_RTOL)
    assert cadence.installed_gw[-1] == approx6(steady_gw)


def test_steady_state_with_failures_matches_both_closed_forms():
    flights, per_flight, life_years, rate, years = 240.0, 5, 3.0, 0.1, 6
    design = LaunchDesign(
        flights_per_year=flights, payload_t=5.0, years=years, failure_rate_per_year=rate
    )
    shell = supply(mass_kg=1000.0, compute_kw=80.0, payload_t=5.0, lifetime_years=life_years)
    cadence = simulate(design, [shell], START_YEAR)
    monthly_launch = flights / 12 * per_flight
    mu = 1.0 - (1.0 - rate) ** (1.0 / 12.0)
    survivors = (1.0 - rate) ** life_years
    simulated_fleet = monthly_launch * (1.0 - survivors) / mu
    assert cadence.satellites_in_orbit[-1] == approx3(simulated_fleet)
    assert cadence.replacement_flights_per_year[-1] == approx3(flights)
    f_c = -math.log(1.0 - rate)
    mean_life = (1.0 - math.exp(-f_c * life_years)) / f_c
    continuous_gw = flights * per_flight * mean_life * 80.0 / KW_PER_GW
    assert cadence.steady_state_gw == pytest.approx(continuous_gw, rel=UNROUNDED_RTOL)
    # The two differ only by the monthly steps: 12 mu / f_c - 1, about -f / 24.
    gap = 12.0 * mu / f_c - 1.0
    assert cadence.steady_state_gw / cadence.installed_gw[-1] - 1 == pytest.approx(
        gap, abs=ROUND_6DP / cadence.installed_gw[-1]
    )


def test_steady_state_is_capped_by_the_shells_in_order():
    """Shell a holds 500 (needs 500 / (10 x 2) = 25 flights a year), b gets the other 95."""
    flights = 120.0
    a = supply(
        "a", capacity=500, mass_kg=1000.0, compute_kw=100.0, payload_t=10.0, lifetime_years=2.0
    )
    b = supply(
        "b", capacity=10**9, mass_kg=2000.0, compute_kw=150.0, payload_t=10.0, lifetime_years=4.0
    )
    design = LaunchDesign(flights_per_year=flights, years=1, kw_per_tonne=60.0)
    fleet_b = (flights - 500 / (10 * 2.0)) * 5 * 4.0
    expected_gw = (500 * 1.0 + fleet_b * 2.0) * 60.0 / KW_PER_GW
    assert steady_state_gw(design, [a, b], flights) == pytest.approx(
        expected_gw, rel=UNROUNDED_RTOL
    )


def test_steady_state_with_shells_of_different_kw_per_tonne_does_not_depend_on_the_years():
    a = supply(
        "a", capacity=1000, mass_kg=1000.0, compute_kw=100.0, payload_t=10.0, lifetime_years=50.0
    )
    b = supply(
        "b", capacity=1000, mass_kg=1000.0, compute_kw=10.0, payload_t=10.0, lifetime_years=50.0
    )
    # 120 flights x 10 satellites x 50 years outnumber both shells: both full in steady state.
    expected_gw = (1000 * 100.0 + 1000 * 10.0) / KW_PER_GW
    for years in (1, 60):
        cadence = simulate(LaunchDesign(flights_per_year=120, years=years), [a, b], START_YEAR)
        assert cadence.steady_state_gw == pytest.approx(expected_gw, rel=UNROUNDED_RTOL), years


# --- capacity, failures, replacement, cost --------------------------------------------------


def fill_reference(flights_flown, shells, spf):
    """Satellites per shell once ``flights_flown`` flights filled the shells in order."""
    sats = []
    for shell, per_flight in zip(shells, spf, strict=True):
        take = min(flights_flown, shell.capacity_sats / per_flight)
        sats.append(take * per_flight)
        flights_flown -= take
    return sats


def full_months_reference(flights_per_year, shells, spf, start_year):
    """'YYYY-MM' of the month each shell fills at a constant cadence, or None."""
    months, needed = [], 0.0
    for shell, per_flight in zip(shells, spf, strict=True):
        needed += shell.capacity_sats / per_flight
        months.append(math.ceil(needed / (flights_per_year / 12.0)) - 1)
    return [f"{start_year + m // 12}-{m % 12 + 1:02d}" for m in months]


def test_shells_fill_in_order_and_never_beyond_capacity():
    """10 flights a month; a needs 15 flights (full in month 2), b 50 more (month 7)."""
    a = supply("a", capacity=150, mass_kg=1000.0, compute_kw=100.0, payload_t=10.0)
    b = supply("b", capacity=1000, mass_kg=500.0, compute_kw=40.0, payload_t=10.0)
    design = LaunchDesign(flights_per_year=120, years=3, cost_per_flight_usd=3.0e6)
    cadence = simulate(design, [a, b], START_YEAR)
    assert cadence.sats_per_flight == {"a": 10, "b": 20}
    assert cadence.shell_full == {"a": f"{START_YEAR}-02", "b": f"{START_YEAR}-07"}
    assert list(cadence.shell_full.values()) == full_months_reference(
        120, [a, b], [10, 20], START_YEAR
    )
    assert cadence.satellites_in_orbit.tolist() == [approx3(1150)] * 3
    assert cadence.growth_flights_per_year.tolist() == [approx3(65), approx3(0), approx3(0)]
    assert cadence.tonnes_in_orbit.tolist() == [approx3(150 + 500)] * 3
    assert cadence.installed_gw.tolist() == [approx6((150 * 100 + 1000 * 40) / KW_PER_GW)] * 3
    assert cadence.cumulative_cost_usd.tolist() == [approx3(65 * 3.0e6)] * 3


def test_a_cadence_from_the_epochs_month_dates_its_months_from_there():
    """starcloud-1's epoch is 2025-11-15: month 0 is 2025-11, and the shells filling in
    the simulation's second and seventh months (February and July from a January, as in
    the test above) are full in 2025-12 and 2026-05."""
    a = supply("a", capacity=150, mass_kg=1000.0, compute_kw=100.0, payload_t=10.0)
    b = supply("b", capacity=1000, mass_kg=500.0, compute_kw=40.0, payload_t=10.0)
    design = LaunchDesign(flights_per_year=120, years=3, cost_per_flight_usd=3.0e6)
    cadence = simulate(design, [a, b], 2025, 11)
    assert cadence.first_month == "2025-11"
    assert cadence.shell_full == {"a": "2025-12", "b": "2026-05"}
    assert cadence.years.tolist() == [2025, 2026, 2027]


@pytest.mark.parametrize(
    "epoch, start_year, first",
    [
        ("2025-11-15T00:00:00Z", None, (2025, 11)),
        ("2025-11-15T00:00:00Z", 2025, (2025, 11)),
        ("2025-11-15T00:00:00Z", 2027, (2027, 1)),
        ("2027-01-01T00:00:00Z", None, (2027, 1)),
    ],
)
def test_the_cadence_starts_in_the_epochs_month_or_a_later_start_years_january(
    epoch, start_year, first
):
    assert first_month(Epoch.parse(epoch), start_year) == first


def test_starcloud_1_is_full_in_its_launch_month_not_before_its_epoch():
    """The preset's one satellite, epoch 2025-11-15, no start_year: full in 2025-11 (it was
    printed as 2025-01, before the epoch, when the cadence started in January)."""
    constellation = load_scenario("starcloud-1")
    shell = supply("sc1", capacity=1, mass_kg=60.0, payload_t=100.0)
    cadence = simulate(
        constellation.launch,
        [shell],
        *first_month(constellation.epoch, constellation.launch.start_year),
    )
    assert cadence.shell_full == {"sc1": "2025-11"}
    assert cadence.first_month >= constellation.epoch.isoformat()[:7]


def test_a_shell_that_never_fills_reports_none():
    a = supply("a", capacity=10**9, payload_t=10.0, mass_kg=1000.0)
    cadence = simulate(LaunchDesign(flights_per_year=12, years=2), [a], START_YEAR)
    assert cadence.shell_full == {"a": None}
    assert cadence.satellites_in_orbit.tolist() == [approx3(120), approx3(240)]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    capacities=st.lists(st.integers(1, 5000), min_size=1, max_size=3),
    spf=st.lists(st.integers(1, 40), min_size=3, max_size=3),
    lifetimes=st.lists(st.floats(0.05, 20.0), min_size=3, max_size=3),
    # Whole or fractional flights, not subnormal ones (1e-308 flights overflow a division).
    flights=st.lists(st.one_of(st.just(0.0), st.floats(0.01, 3000.0)), min_size=4, max_size=4),
    rate=st.floats(0.0, 0.5),
    cost=st.floats(0.0, 1e8),
)
def test_invariants_hold_for_any_plan(capacities, spf, lifetimes, flights, rate, cost):
    """Never above the shells' capacity, never more flights than available, dollars = flights
    x price, and the same identities with replacement, failure and retirement in play."""
    shells = [
        supply(f"s{k}", capacity=c, mass_kg=1000.0, payload_t=n, lifetime_years=life)
        for k, (c, n, life) in enumerate(zip(capacities, spf, lifetimes, strict=False))
    ]
    design = LaunchDesign(
        flights_per_year=flights,
        years=len(flights),
        failure_rate_per_year=rate,
        cost_per_flight_usd=cost,
    )
    cadence = simulate(design, shells, START_YEAR)
    total_capacity = sum(capacities)
    cost_atol = ROUND_3DP * cost + ROUND_3DP
    for y in range(len(flights)):
        assert -ROUND_3DP <= cadence.satellites_in_orbit[y] <= total_capacity + ROUND_3DP
        assert cadence.flights_per_year[y] <= flights[y] * (1 + FLOAT_RTOL) + ROUND_3DP
        assert cadence.replacement_flights_per_year[y] <= cadence.flights_per_year[y] + (
            2 * ROUND_3DP
        )
        assert cadence.flights_per_year[y] == pytest.approx(
            cadence.replacement_flights_per_year[y] + cadence.growth_flights_per_year[y],
            abs=3 * ROUND_3DP,
        )
        assert cadence.cumulative_cost_usd[y] == pytest.approx(
            cadence.cumulative_flights[y] * cost, rel=FLOAT_RTOL, abs=cost_atol
        )
    assert cadence.cumulative_flights[-1] == pytest.approx(
        sum(cadence.flights_per_year), abs=len(flights) * ROUND_3DP
    )


def test_a_fleet_without_launches_keeps_one_minus_f_a_year():
    """Year 1 fills 600 satellites in month 1 and replaces 11 months of failures; no flights
    after that, no retirement in the window: the fleet keeps (1 - f) a year."""
    rate, capacity, per_flight = 0.2, 600, 20
    design = LaunchDesign(flights_per_year=[720.0, 0.0, 0.0], years=3, failure_rate_per_year=rate)
    shell = supply(capacity=capacity, payload_t=20.0, mass_kg=1000.0, lifetime_years=50.0)
    cadence = simulate(design, [shell], START_YEAR)
    assert cadence.satellites_in_orbit.tolist() == [
        approx3(capacity),
        approx3(capacity * (1 - rate)),
        approx3(capacity * (1 - rate) ** 2),
    ]
    mu = 1.0 - (1.0 - rate) ** (1.0 / 12.0)
    assert cadence.replacement_flights_per_year[0] == approx3(11 * capacity * mu / per_flight)
    assert cadence.flights_per_year[0] == approx3((capacity + 11 * capacity * mu) / per_flight)
    assert cadence.flights_per_year[1:].tolist() == [0.0, 0.0]


def test_replacement_flights_are_retired_plus_failed_over_sats_per_flight():
    """A 600-satellite shell full in month 1, one-year life, failures at 10 % a year.

    Year 1 replaces 11 months of failures (the fleet is 600 at the start of each).  Year 2
    replaces 12 months of failures and retires the year-1 cohorts (600 and 11 x 600 mu),
    each after twelve months of failures: (1 - f) of them.
    """
    rate, capacity, per_flight = 0.1, 600, 20
    design = LaunchDesign(flights_per_year=1200, years=3, failure_rate_per_year=rate)
    shell = supply(capacity=capacity, payload_t=20.0, mass_kg=1000.0, lifetime_years=1.0)
    cadence = simulate(design, [shell], START_YEAR)
    mu = 1.0 - (1.0 - rate) ** (1.0 / 12.0)
    failed_1 = 11 * capacity * mu
    failed_2 = 12 * capacity * mu
    retired_2 = (1 - rate) * (capacity + failed_1)
    assert cadence.replacement_flights_per_year[0] == approx3(failed_1 / per_flight)
    assert cadence.replacement_flights_per_year[1] == approx3((failed_2 + retired_2) / per_flight)
    assert cadence.satellites_in_orbit.tolist() == [approx3(capacity)] * 3


def test_without_failures_each_cohort_is_replaced_when_it_retires():
    capacity, per_flight = 600, 20
    design = LaunchDesign(flights_per_year=1200, years=3)
    shell = supply(capacity=capacity, payload_t=20.0, mass_kg=1000.0, lifetime_years=1.0)
    cadence = simulate(design, [shell], START_YEAR)
    assert cadence.replacement_flights_per_year.tolist() == [
        approx3(0),
        approx3(capacity / per_flight),
        approx3(capacity / per_flight),
    ]
    assert cadence.flights_per_year.tolist() == [approx3(capacity / per_flight)] * 3


def test_cumulative_cost_is_flights_times_price_and_per_watt_divides_by_the_watts():
    price = 2.5e6
    design = LaunchDesign(
        flights_per_year=[100.0, 300.0, 200.0], years=3, cost_per_flight_usd=price
    )
    shell = supply(mass_kg=1000.0, compute_kw=120.0, payload_t=10.0)
    cadence = simulate(design, [shell], START_YEAR)
    flown = [100.0, 400.0, 600.0]
    for y in range(3):
        cost = flown[y] * price
        watts = flown[y] * 10 * 120.0e3
        assert cadence.cumulative_flights[y] == approx3(flown[y])
        assert cadence.cumulative_cost_usd[y] == approx3(cost)
        assert cadence.installed_gw[y] == approx6(watts / 1e9)
        assert cadence.cost_per_watt_usd[y] == approx6(cost / watts)
    assert cadence.cost_per_flight_usd == price


def test_no_flights_has_no_cost_per_watt():
    cadence = simulate(LaunchDesign(flights_per_year=0, years=2), [supply()], START_YEAR)
    assert np.isnan(cadence.cost_per_watt_usd).all()  # nothing installed: no price per watt
    assert cadence.installed_gw.tolist() == [0.0, 0.0]
    assert cadence_record(cadence)["cost_per_watt_usd"] == [None, None]  # null in the JSON


def test_vehicle_presets_set_payload_and_price_unless_overridden():
    for name, vehicle in VEHICLES.items():
        design = LaunchDesign(vehicle=name)
        assert design.payload == vehicle.payload_t
        assert design.cost_per_flight == vehicle.cost_per_flight_usd
        assert vehicle.sources, name
    design = LaunchDesign(vehicle="starship-200t", payload_t=120.0, cost_per_flight_usd=5e6)
    assert (design.payload, design.cost_per_flight) == (120.0, 5e6)


# --- cadence forms ---------------------------------------------------------------------------


def test_a_yearly_list_is_flown_year_by_year():
    flights = [12.0, 0.0, 36.0, 24.0]
    design = LaunchDesign(flights_per_year=flights, years=4)
    assert design.flights_by_year().tolist() == flights
    cadence = simulate(design, [supply(payload_t=10.0)], START_YEAR)
    assert cadence.flights_available_per_year.tolist() == flights
    assert cadence.flights_per_year.tolist() == [approx3(f) for f in flights]
    assert cadence.satellites_in_orbit.tolist() == [approx3(10 * f) for f in (12, 12, 48, 72)]


def test_a_number_is_flown_every_year():
    design = LaunchDesign(flights_per_year=250, years=3)
    assert design.flights_by_year().tolist() == [250.0, 250.0, 250.0]


def test_no_cadence_is_the_quoted_10000_flights_a_year():
    assert LaunchDesign(years=2).flights_by_year().tolist() == [CLAIM_FLIGHTS] * 2


@pytest.mark.parametrize(
    ("start", "growth", "cap"),
    [(100.0, 0.5, 400.0), (1000.0, 1.0, None), (500.0, -0.2, 450.0), (300.0, None, None)],
)
def test_a_ramp_grows_by_its_rate_up_to_its_cap(start, growth, cap):
    years = 7
    design = LaunchDesign(
        flights_start=start, flights_growth_per_year=growth, flights_cap=cap, years=years
    )
    expected = []
    flights = start
    for _ in range(years):
        expected.append(flights if cap is None else min(flights, cap))
        flights *= 1.0 + (growth or 0.0)
    assert design.flights_by_year() == pytest.approx(expected, rel=UNROUNDED_RTOL)
    cadence = simulate(design, [supply(payload_t=10.0)], START_YEAR)
    assert cadence.flights_per_year.tolist() == [approx3(f) for f in expected]


@pytest.mark.parametrize(
    "ramp",
    [
        {"flights_cap": 5000.0},
        {"flights_growth_per_year": 0.5},
        {"flights_start": 100.0, "flights_cap": -5.0},
    ],
)
def test_an_incomplete_or_negative_ramp_is_refused(ramp):
    with pytest.raises(ValueError, match=r"flights_"):
        LaunchDesign(years=3, **ramp)


# --- the sun-synchronous payload and the satellites per flight -------------------------------

TWO_SHELLS = """
[scenario]
name = "{name}"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 3

[[shells]]
name = "w340"
altitude_km = 340.0
inclination_deg = 53.0
planes = 1
sats_per_plane = 2
"""


#: Where a hand-made sizing was "closed" (shell_supplies reads only the Sizing).
HAND_ENV = Environment(
    period_min=91.0, max_eclipse_min=0.0, sunlit_fraction_year=1.0, solar_flux_w_m2=1361.0
)


def hand_sizing(mass_kg, compute_kw, orbit_average_share=1.0) -> Sizing:
    """A closed satellite made by hand: its mass and compute; what the cadence does not read
    is NaN (or empty)."""
    kw_per_tonne = compute_kw / (mass_kg / 1000.0)
    nan = float("nan")
    return Sizing(
        satellite_mass_kg=mass_kg,
        satellite_compute_kw=compute_kw,
        compute_kw_per_tonne=kw_per_tonne,
        compute_kw_per_tonne_orbit_average=kw_per_tonne * orbit_average_share,
        pflops_per_tonne=None,
        array_m2_per_tonne=nan,
        radiator_m2_per_tonne=nan,
        battery_kwh_per_tonne=nan,
        array_power_kw_per_tonne=nan,
        heat_rejected_kw_per_tonne=nan,
        lost_compute_kwh_per_tonne_year=nan,
        mass_breakdown_kg_per_tonne={},
        binding_constraint="array",
        policy="ride_through",
    )


def hand_closure(constellation, closures: dict) -> ClosureResult:
    """A closure stage made by hand: ``closures`` maps each shell's name to
    ``(Sizing, sustainable_years)``, or to the reason it does not close (a str)."""
    shells = []
    for resolved in resolve(constellation):
        given = closures[resolved.shell.name]
        if isinstance(given, str):
            shells.append(ShellClosure(resolved, None, None, not_closed=given))
        else:
            sizing, years = given
            sized = ShellSizing(sizing, HAND_ENV, {})
            shells.append(ShellClosure(resolved, sized, None, sustainable_years=years))
    return ClosureResult(tuple(shells), constellation.satellite)


def test_a_sun_synchronous_shell_gets_the_payload_times_the_sso_factor():
    """Hand-made sizing: 3 t satellites; 100 t flights, 70 t of them to the SSO shell."""
    constellation = parse_scenario(
        TWO_SHELLS.format(name="sso")
        + "\n[launch]\npayload_t = 100.0\nsso_payload_factor = 0.7\ndesign_life_years = 4.0\n"
    )
    sizing = hand_sizing(3000.0, 300.0, orbit_average_share=0.8)  # 100 kW/t, 80 on average
    assert (sizing.compute_kw_per_tonne, sizing.compute_kw_per_tonne_orbit_average) == (
        pytest.approx(100.0, rel=UNROUNDED_RTOL),
        pytest.approx(80.0, rel=UNROUNDED_RTOL),
    )
    closure = hand_closure(constellation, {"dd340": (sizing, 2.5), "w340": (sizing, 6.0)})
    sso, walker = shell_supplies(constellation, closure, constellation.launch)
    assert sso.payload_t == pytest.approx(70.0, rel=UNROUNDED_RTOL)
    assert walker.payload_t == 100.0
    assert sso.sats_per_flight == math.floor(70_000 / 3000) == 23
    assert walker.sats_per_flight == math.floor(100_000 / 3000) == 33
    assert (sso.capacity_sats, walker.capacity_sats) == (3, 2)
    assert sso.orbit_average_share == pytest.approx(0.8, rel=UNROUNDED_RTOL)
    # The shorter of the design life (4 years) and what the propellant sustains.
    assert (sso.lifetime_years, walker.lifetime_years) == (2.5, 4.0)
    closure = hand_closure(constellation, {"dd340": (sizing, 2.5), "w340": "too hot"})
    with pytest.raises(ValueError, match=r"w340.*too hot"):
        shell_supplies(constellation, closure, constellation.launch)


@pytest.mark.parametrize(
    ("payload_t", "mass_kg", "per_flight"),
    [(100.0, 2500.0, 40), (100.0, 2501.0, 39), (80.0, 7039.9, 11), (1.0, 1000.0, 1)],
)
def test_sats_per_flight_is_the_floor_of_payload_over_mass(payload_t, mass_kg, per_flight):
    assert supply(payload_t=payload_t, mass_kg=mass_kg).sats_per_flight == per_flight


# --- bad input --------------------------------------------------------------------------------

BAD_LAUNCH = [
    ({"payload_t": 0.0}, "payload_t"),
    ({"payload_t": -100.0}, "payload_t"),
    ({"flights_per_year": [100.0, 200.0], "years": 3}, "flights_per_year"),
    ({"design_life_years": 0.0}, "design_life_years"),
    ({"vehicle": "falcon-9"}, "vehicle"),
    ({"flights_per_year": 100.0, "flights_start": 50.0}, "flights_per_year or the ramp"),
    ({"flights_per_year": 100.0, "flights_growth_per_year": 0.5}, "flights_per_year or the ramp"),
    ({"flights_per_year": 100.0, "flights_cap": 500.0}, "flights_per_year or the ramp"),
]


@pytest.mark.parametrize(("table", "needle"), BAD_LAUNCH)
def test_bad_launch_designs_are_refused_with_the_key_to_change(table, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        LaunchDesign(**table)


def test_a_satellite_heavier_than_a_flight_is_refused():
    heavy = supply("big", mass_kg=12_000.0, payload_t=10.0)
    with pytest.raises(ValueError, match=r"heavier than a flight.*big"):
        simulate(LaunchDesign(flights_per_year=10, years=1), [heavy], START_YEAR)


def test_the_launch_table_refuses_unknown_keys_with_the_closest_name():
    text = TWO_SHELLS.format(name="typo") + "\n[launch]\nflight_per_year = 100\n"
    with pytest.raises(ScenarioError, match=r"did you mean 'flights_per_year'"):
        parse_scenario(text)


# --- from the physics, through plan() ---------------------------------------------------------

SIZED_LAUNCH = """
[launch]
payload_t = 80.0
sso_payload_factor = 0.6
flights_per_year = 24
years = 2
design_life_years = 3.0
cost_per_flight_usd = 2.0e6
"""

#: Propellant for a few weeks, not sized by the drag: the propellant sets the lifetime.
PROPELLANT_SATELLITE_LIFE = 4.0
PROPELLANT_KG_PER_TONNE_YEAR = 2.0
PROPELLANT_LAUNCH_LIFE = 0.15
CLAIM_LAUNCH = f"""
[satellite]
design_life_years = {PROPELLANT_SATELLITE_LIFE}
propellant_kg_per_tonne_year = {PROPELLANT_KG_PER_TONNE_YEAR}

[drag]
feed_sizing = false

[launch]
flights_per_year = 24
years = 2
kw_per_tonne = 100.0
design_life_years = {PROPELLANT_LAUNCH_LIFE}
"""


@pytest.fixture(scope="module")
def sized_plan():
    """Resolve, illumination, closure and cadence: no mesh, no fleet's sunlight."""
    return plan(
        parse_scenario(TWO_SHELLS.format(name="sized") + SIZED_LAUNCH),
        stages={"closure", "cadence"},
    )


@pytest.fixture(scope="module")
def claim_plan():
    return plan(
        parse_scenario(TWO_SHELLS.format(name="claim") + CLAIM_LAUNCH),
        stages={"closure", "cadence"},
    )


def by_shell(result):
    """Each shell's ShellClosure, which must close, by name."""
    shells = {s.name: s for s in result.closure.shells}
    for name, shell in shells.items():
        assert shell.closes, (name, shell.not_closed)
    return shells


def test_plan_cadence_follows_the_sizing(sized_plan):
    cadence = sized_plan.cadence
    record = cadence_record(cadence)
    assert CONTRACT_KEYS <= set(record)
    assert record["years"] == [2027, 2028]
    for key in PER_YEAR_KEYS:
        assert len(record[key]) == 2, key
    assert cadence.years.tolist() == [2027, 2028]
    shells = by_shell(sized_plan)
    sso, walker = shells["dd340"].sized.sizing, shells["w340"].sized.sizing
    spf_sso = math.floor(80.0 * 0.6 * 1000.0 / sso.satellite_mass_kg)
    spf_walker = math.floor(80.0 * 1000.0 / walker.satellite_mass_kg)
    assert cadence.sats_per_flight == {"dd340": spf_sso, "w340": spf_walker}
    # The factor is applied: a full payload would carry more to the SSO shell.
    assert math.floor(80.0 * 1000.0 / sso.satellite_mass_kg) > spf_sso
    # 2 flights a month fill both shells (3 and 2 satellites) in the first month.
    assert cadence.shell_full == {"dd340": "2027-01", "w340": "2027-01"}
    assert cadence.satellites_in_orbit.tolist() == [5.0, 5.0]
    kw = 3 * sso.satellite_compute_kw + 2 * walker.satellite_compute_kw
    tonnes = (3 * sso.satellite_mass_kg + 2 * walker.satellite_mass_kg) / 1000.0
    assert cadence.tonnes_in_orbit.tolist() == [approx3(tonnes)] * 2
    assert cadence.installed_gw.tolist() == [approx6(kw / KW_PER_GW)] * 2
    assert cadence.kw_per_tonne_source == "sizing"
    assert cadence.kw_per_tonne_used == pytest.approx(kw / tonnes, rel=UNROUNDED_RTOL)
    average_kw = sum(
        n * s.satellite_compute_kw * s.compute_kw_per_tonne_orbit_average / s.compute_kw_per_tonne
        for n, s in ((3, sso), (2, walker))
    )
    assert cadence.installed_gw_orbit_average.tolist() == [approx6(average_kw / KW_PER_GW)] * 2
    flights = 3 / spf_sso + 2 / spf_walker
    assert cadence.cumulative_flights.tolist() == [approx3(flights)] * 2
    assert cadence.cumulative_cost_usd.tolist() == [approx3(flights * 2.0e6)] * 2
    # The JSON record carries the same figures, rounded.
    assert record["tonnes_in_orbit"] == [approx3(tonnes)] * 2
    assert record["installed_gw"] == [approx6(kw / KW_PER_GW)] * 2
    assert record["cumulative_cost_usd"] == [approx3(flights * 2.0e6)] * 2


def test_plan_lifetime_is_the_launch_design_life_when_the_drag_sized_the_propellant(sized_plan):
    for name, shell in by_shell(sized_plan).items():
        assert shell.sustainable_years == 5.0  # the default satellite's design life
        assert sized_plan.cadence.lifetime_years[name] == 3.0


def test_plan_with_a_given_kw_per_tonne_uses_it(claim_plan):
    cadence = claim_plan.cadence
    assert cadence.kw_per_tonne_source == "given"
    assert cadence.kw_per_tonne_used == 100.0
    for tonnes, gw in zip(cadence.tonnes_in_orbit, cadence.installed_gw, strict=True):
        assert gw == approx6(tonnes * 100.0 / KW_PER_GW)
    sizing = {name: s.sized.sizing for name, s in by_shell(claim_plan).items()}
    tonnes = sum(n * sizing[s].satellite_mass_kg / 1000.0 for n, s in ((3, "dd340"), (2, "w340")))
    assert cadence.tonnes_in_orbit[-1] == approx3(tonnes)
    # The sizing's own kW/t is far from the claim's, so the override is visible.
    assert all(s.compute_kw_per_tonne < 50.0 for s in sizing.values())


def test_plan_lifetime_is_what_the_propellant_sustains_when_shorter(claim_plan):
    """carried / needed + the uncontrolled decay: short for the 53-degree shell (drag on
    arrays facing the flow), longer than the launch's 0.15-year design life in dawn-dusk."""
    carried = PROPELLANT_KG_PER_TONNE_YEAR * PROPELLANT_SATELLITE_LIFE
    sustainable = {}
    for name, shell in by_shell(claim_plan).items():
        moderate = shell.drag.case("moderate")
        needed = moderate.propellant_kg_per_tonne_year + (
            shell.drag.storm.extra_propellant_kg_per_tonne_year
        )
        coast = moderate.lifetime_days_uncontrolled / 365.25
        sustainable[name] = carried / needed + coast
    for name, shell in by_shell(claim_plan).items():
        assert shell.propulsion_from_drag is False
        assert shell.sustainable_years == pytest.approx(sustainable[name], rel=UNROUNDED_RTOL)
    assert sustainable["w340"] < PROPELLANT_LAUNCH_LIFE < sustainable["dd340"]
    lifetimes = claim_plan.cadence.lifetime_years
    assert lifetimes["dd340"] == PROPELLANT_LAUNCH_LIFE
    assert lifetimes["w340"] == pytest.approx(sustainable["w340"], rel=UNROUNDED_RTOL)


# --- the command line -------------------------------------------------------------------------

ONE_SHELL = """
[scenario]
name = "{name}"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 4

[launch]
flights_per_year = [6, 12, 24]
years = 3
{extra}
"""


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    (folder / "a.toml").write_text(ONE_SHELL.format(name="sized-a", extra=""))
    (folder / "b.toml").write_text(ONE_SHELL.format(name="claim-b", extra="kw_per_tonne = 100.0"))
    result = run_cli("compare", "a.toml", "b.toml", "--json", "-", "--html", "cmp.html", cwd=folder)
    return folder, result


def test_compare_writes_one_cadence_column_per_scenario_and_the_sized_kw_per_tonne(compared):
    _, result = compared
    assert result.returncode == 0, result.stderr
    columns = json.loads(result.stdout)["scenarios"]
    assert [c["scenario"] for c in columns] == ["sized-a", "claim-b", "claim-b (sized kW/t)"]
    for column in columns:
        assert CONTRACT_KEYS <= set(column), column["scenario"]
        assert column["years"] == [2027, 2028, 2029]
        for key in PER_YEAR_KEYS:
            assert len(column[key]) == 3, (column["scenario"], key)
    sized, claim, claim_sized = columns
    assert claim["kw_per_tonne_used"] == 100.0 and claim["kw_per_tonne_source"] == "given"
    assert claim_sized["kw_per_tonne_source"] == "sizing"
    # Same shell, same satellite: the claim's sized column is scenario a's sizing.
    assert claim_sized["kw_per_tonne_used"] == pytest.approx(
        sized["kw_per_tonne_used"], rel=UNROUNDED_RTOL
    )
    assert sized["kw_per_tonne_used"] != pytest.approx(100.0, rel=0.1)
    for column in columns:
        for tonnes, gw in zip(column["tonnes_in_orbit"], column["installed_gw"], strict=True):
            assert gw == pytest.approx(
                tonnes * column["kw_per_tonne_used"] / KW_PER_GW,
                abs=ROUND_6DP + ROUND_3DP * column["kw_per_tonne_used"] / KW_PER_GW,
            )


def test_compare_html_is_self_contained(compared):
    folder, result = compared
    assert result.returncode == 0, result.stderr
    page = (folder / "cmp.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js is embedded
    for name in ("sized-a", "claim-b", "claim-b (sized kW/t)"):
        assert name in page


@pytest.mark.parametrize(("table", "needle"), BAD_LAUNCH)
def test_compare_refuses_bad_launch_tables_in_one_line(tmp_path, table, needle):
    launch = "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items())
    text = ONE_SHELL.replace("[launch]\nflights_per_year = [6, 12, 24]\nyears = 3\n", "")
    (tmp_path / "bad.toml").write_text(text.format(name="bad", extra="") + "[launch]\n" + launch)
    assert_one_line_error(run_cli("compare", "bad.toml", cwd=tmp_path), "compare", needle)


def test_plan_refuses_a_bad_launch_table_in_one_line(tmp_path):
    (tmp_path / "bad.toml").write_text(
        ONE_SHELL.format(name="bad", extra="").replace("years = 3", "years = 2")
    )
    result = run_cli("plan", "bad.toml", "--json", "-", cwd=tmp_path)
    assert_one_line_error(result, "plan", "flights_per_year has 3 entries")


HEAVY = ONE_SHELL.format(name="heavy", extra="payload_t = 1.0")


def test_compare_refuses_a_satellite_heavier_than_a_flight_in_one_line(tmp_path):
    (tmp_path / "heavy.toml").write_text(HEAVY)
    result = run_cli("compare", "heavy.toml", "--json", "-", cwd=tmp_path)
    assert_one_line_error(result, "compare", "heavier than a flight", after_progress=True)
    assert result.stdout == ""


def test_a_satellite_heavier_than_a_flight_is_planned_with_the_cadence_skipped(tmp_path):
    """A satellite that closes but that no flight can lift is a result: the sizing stands,
    and the cadence is skipped with the reason (exit 0)."""
    (tmp_path / "heavy.toml").write_text(HEAVY)
    result = run_cli("plan", "heavy.toml", "--json", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["cadence"] is None and plan["sizing"]["closes"] is True
    assert "heavier than a flight" in plan["skipped"]["cadence"]


# --- the claim presets ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Claim:
    flights: int
    payload_t: float
    kw_per_tonne: float | None
    headline_gw_per_year: float | None


#: What each preset's name says; the headline is flights x payload x kW/t.
CLAIMS = {
    "claim-10k-flights": Claim(10_000, 100.0, None, None),
    "claim-20k-flights": Claim(20_000, 100.0, None, None),
    "claim-30k-flights": Claim(30_000, 100.0, None, None),
    "claim-1mt-100kw": Claim(10_000, 100.0, 100.0, 100.0),
    "claim-1tw-stretch": Claim(50_000, 200.0, 100.0, 1000.0),
}
#: A fixed satellite for the presets (plan() on a million satellites is too slow here):
#: 2 t dividing every payload (100, 80, 200 and 160 t) exactly, 100 kW per tonne.
PRESET_SAT_KG = 2000.0
PRESET_SAT_KW = 200.0


def preset_supplies(constellation, design):
    sizing = hand_sizing(PRESET_SAT_KG, PRESET_SAT_KW)
    closure = hand_closure(constellation, {s.name: (sizing, 100.0) for s in constellation.shells})
    return shell_supplies(constellation, closure, design)


@pytest.fixture(scope="module")
def claim_presets():
    """The claim presets, parsed once (a million satellites each: no plan() on them)."""
    return {name: load_scenario(name) for name in CLAIMS}


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claim_preset_launch_matches_its_name(claim_presets, name):
    claim = CLAIMS[name]
    constellation = claim_presets[name]
    design = constellation.launch
    assert constellation.name == name
    assert design.flights_by_year().tolist() == [float(claim.flights)] * design.years
    assert design.payload == claim.payload_t
    assert design.kw_per_tonne == claim.kw_per_tonne
    if claim.headline_gw_per_year is not None:
        gw = claim.flights * claim.payload_t * claim.kw_per_tonne / KW_PER_GW
        assert gw == claim.headline_gw_per_year
    assert constellation.sources and constellation.description


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claim_preset_cadence_fills_the_shells_in_order(claim_presets, name):
    """No failures and the first five years (the design life): the flights fill the
    shells in order, SSO flights carrying the reduced payload."""
    claim = CLAIMS[name]
    constellation = claim_presets[name]
    design = constellation.launch.replace(failure_rate_per_year=0.0)
    shells = preset_supplies(constellation, design)
    spf = []
    for s, supplied in zip(constellation.shells, shells, strict=True):
        payload_kg = claim.payload_t * 1000.0 * (0.8 if s.is_sun_synchronous else 1.0)
        assert (payload_kg / PRESET_SAT_KG).is_integer()
        spf.append(int(payload_kg / PRESET_SAT_KG))
        assert supplied.capacity_sats == s.n_sats
    assert constellation.launch.sso_payload_factor == 0.8
    cadence = simulate(design, shells, 2027)
    assert cadence.sats_per_flight == {s.name: n for s, n in zip(shells, spf, strict=True)}
    assert list(cadence.shell_full.values()) == full_months_reference(
        claim.flights, shells, spf, 2027
    )
    life = int(constellation.launch.design_life_years)
    for y in range(life):
        sats = fill_reference(claim.flights * (y + 1), shells, spf)
        tonnes = sum(sats) * PRESET_SAT_KG / 1000.0
        assert cadence.satellites_in_orbit[y] == approx3(sum(sats))
        assert cadence.tonnes_in_orbit[y] == approx3(tonnes)
        kw_per_tonne = claim.kw_per_tonne or PRESET_SAT_KW / (PRESET_SAT_KG / 1000.0)
        assert cadence.installed_gw[y] == approx6(tonnes * kw_per_tonne / KW_PER_GW)


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claim_preset_cadence_with_failures_stays_within_the_filing(claim_presets, name):
    """With its 2 % failures and 5-year life: never above the million satellites, dollars
    are flights x $1M, and the steady state is the full million when the flights suffice."""
    constellation = claim_presets[name]
    design = constellation.launch
    shells = preset_supplies(constellation, design)
    cadence = simulate(design, shells, 2027)
    capacity = sum(s.n_sats for s in constellation.shells)
    assert capacity == 1_000_000
    assert max(cadence.satellites_in_orbit) <= capacity + ROUND_3DP
    for flights, cost in zip(cadence.cumulative_flights, cadence.cumulative_cost_usd, strict=True):
        assert cost == pytest.approx(flights * 1.0e6, rel=FLOAT_RTOL, abs=ROUND_3DP * 1.0e6)
    f_c = -math.log(1.0 - design.failure_rate_per_year)
    life = design.design_life_years
    mean_life = (1.0 - math.exp(-f_c * life)) / f_c
    flights_to_hold = sum(s.capacity_sats / (s.sats_per_flight * mean_life) for s in shells)
    assert flights_to_hold < CLAIMS[name].flights
    full_gw = capacity * PRESET_SAT_KG / 1000.0 * cadence.kw_per_tonne_used / KW_PER_GW
    assert cadence.steady_state_gw == pytest.approx(full_gw, rel=UNROUNDED_RTOL)

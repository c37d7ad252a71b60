"""The launch-cadence kernel over a sample dimension (orbital.cadence) against an oracle.

The oracle, :func:`reference_history`, is the cohort simulation the cadence stage ran
before the kernel existed, transcribed line by line for one sample: a matrix of cohorts
by launch month, each failed and retired where it stands, and sums over them.  The
kernel carries alive totals instead (a geometric recurrence) and runs many samples at
once, so agreement checks both the recurrence and the vectorisation.  Closed forms
check both against arithmetic done by hand.
"""

import math

import numpy as np
import pytest

from orbital.cadence import FleetHistory, fleet_steady_state_gw, simulate_fleet

#: The kernel sums alive totals where the oracle sums cohorts: float64 rounding, over a
#: few hundred months, stays far below this share of the values compared.
KERNEL_RTOL = 1e-9
#: The kernel subtracts each retiring cohort from its running total, so its rounding is
#: relative to the largest value of the run (a fleet that retires to 0 may read 1e-13):
#: the absolute slack is KERNEL_RTOL times that.
PER_YEAR = (
    "flights",
    "replacement_flights",
    "growth_flights",
    "satellites_in_orbit",
    "tonnes_in_orbit",
    "installed_gw",
    "installed_gw_orbit_average",
    "cumulative_flights",
    "cumulative_cost_usd",
    "satellites_by_shell",
    "launched_by_shell",
)


def reference_history(
    flights_by_year,
    capacity,
    spf,
    mass_kg,
    compute_kw,
    share,
    lifetime_years,
    rate,
    cost_per_flight,
    kw_per_tonne,
):
    """One sample, month by month with a cohort matrix (the stage's loop before the kernel).

    Lists per shell; ``kw_per_tonne`` None or a number.  Returns a dict of the kernel's
    fields for this one sample.
    """
    years = len(flights_by_year)
    shells = range(len(capacity))
    months = 12 * years
    monthly_failure = 1.0 - (1.0 - rate) ** (1.0 / 12.0)
    cohorts = [np.zeros(months) for _ in shells]
    # A life of l months: the share 1 - w of a cohort retires floor(l) months after its
    # launch, w = l - floor(l) a month later; under a month, the share 1 - w never
    # reaches the month's end, so only w of a month's launches is kept.
    life_months = [min(max(life * 12, 1e-6), months + 1) for life in lifetime_years]
    whole = [int(math.floor(life)) for life in life_months]
    late = [life_months[k] - whole[k] for k in shells]
    kept = [late[k] if whole[k] == 0 else 1.0 for k in shells]
    launched_by_month = [np.zeros(months) for _ in shells]
    full_month = [-1 for _ in shells]
    per_year = {name: [] for name in PER_YEAR if name != "launched_by_shell"}
    launched = np.zeros((years, len(capacity)))
    cost = flights_total = 0.0
    year_flights = year_replacement = year_growth = 0.0
    for m in range(months):
        available = flights_by_year[m // 12] / 12.0
        need = []
        for k in shells:
            alive = cohorts[k][:m]
            failed = alive * monthly_failure
            alive -= failed
            retired = 0.0
            a = whole[k]
            if a >= 1 and m - a >= 0:
                leaving = (1.0 - late[k]) * launched_by_month[k][m - a] * (1 - monthly_failure) ** a
                retired += leaving
                alive[m - a] -= leaving
            if m - a - 1 >= 0:
                retired += alive[m - a - 1]
                alive[m - a - 1] = 0.0
            need.append(float(failed.sum()) + retired)
        replace_flights = [need[k] / (spf[k] * kept[k]) for k in shells]
        total_replace = sum(replace_flights)
        scale = min(1.0, available / total_replace) if total_replace > 0 else 1.0
        used_replace = 0.0
        for k in shells:
            cohorts[k][m] += need[k] * scale
            launched[m // 12, k] += need[k] * scale / kept[k]
            launched_by_month[k][m] += need[k] * scale / kept[k]
            used_replace += replace_flights[k] * scale
        remaining = available - used_replace
        used_growth = 0.0
        for k in shells:
            if remaining <= 0:
                break
            room = capacity[k] - cohorts[k][: m + 1].sum()
            if room <= 1e-9:
                continue
            added = min(room / kept[k], remaining * spf[k])
            cohorts[k][m] += added * kept[k]
            launched[m // 12, k] += added
            launched_by_month[k][m] += added
            flights = added / spf[k]
            remaining -= flights
            used_growth += flights
            if full_month[k] < 0 and added * kept[k] >= room - 1e-9:
                full_month[k] = m
        flights_now = used_replace + used_growth
        flights_total += flights_now
        cost += flights_now * cost_per_flight
        year_flights += flights_now
        year_replacement += used_replace
        year_growth += used_growth
        if m % 12 == 11:
            sats = [c[: m + 1].sum() for c in cohorts]
            tonnes = sum(sats[k] * mass_kg[k] / 1000.0 for k in shells)
            if kw_per_tonne is None:
                gw = sum(sats[k] * compute_kw[k] for k in shells) / 1e6
                gw_avg = sum(sats[k] * compute_kw[k] * share[k] for k in shells) / 1e6
            else:
                gw = tonnes * kw_per_tonne / 1e6
                total = sum(sats)
                mean_share = sum(sats[k] * share[k] for k in shells) / total if total > 0 else 1
                gw_avg = gw * mean_share
            for name, value in (
                ("flights", year_flights),
                ("replacement_flights", year_replacement),
                ("growth_flights", year_growth),
                ("satellites_in_orbit", sum(sats)),
                ("satellites_by_shell", sats),
                ("tonnes_in_orbit", tonnes),
                ("installed_gw", gw),
                ("installed_gw_orbit_average", gw_avg),
                ("cumulative_cost_usd", cost),
                ("cumulative_flights", flights_total),
            ):
                per_year[name].append(value)
            year_flights = year_replacement = year_growth = 0.0
    result = {name: np.array(values) for name, values in per_year.items()}
    result["launched_by_shell"] = launched
    result["full_month"] = np.array(full_month)
    if kw_per_tonne is not None:
        result["kw_per_tonne_used"] = kw_per_tonne
    elif result["tonnes_in_orbit"][-1] > 0:
        result["kw_per_tonne_used"] = (
            result["installed_gw"][-1] * 1e6 / result["tonnes_in_orbit"][-1]
        )
    else:
        result["kw_per_tonne_used"] = float(
            np.mean([compute_kw[k] / (mass_kg[k] / 1000.0) for k in shells])
        )
    result["steady_state_gw"] = reference_steady_state_gw(
        flights_by_year[-1], capacity, spf, mass_kg, compute_kw, lifetime_years, rate, kw_per_tonne
    )
    return result


def reference_steady_state_gw(flights, capacity, spf, mass_kg, compute_kw, lifetime, rate, kwpt):
    """The stage's steady state before the kernel, one sample, shells in order."""
    remaining = flights
    total_gw = 0.0
    f = -math.log(1.0 - rate) if rate else 0.0
    for k in range(len(capacity)):
        shell_kw_per_tonne = kwpt if kwpt is not None else compute_kw[k] / (mass_kg[k] / 1000.0)
        life = lifetime[k] if f == 0 else (1.0 - math.exp(-f * lifetime[k])) / f
        if life <= 0 or remaining <= 0:
            continue
        fleet = min(capacity[k], remaining * spf[k] * life)
        remaining -= fleet / (spf[k] * life)
        total_gw += fleet * mass_kg[k] / 1000.0 * shell_kw_per_tonne / 1e6
    return total_gw


def random_batch(rng, n, shells, years):
    """``n`` random variants of one set of ``shells`` capacities, as the kernel's arguments.

    Flights from none to plenty, capacities that fill within the years and ones that do
    not, failures 0-0.3 a year (a quarter of samples none), lifetimes 0.5-10 years (a fifth
    of them 2 days to 2.4 months instead), and
    kW per tonne given for about half the samples (NaN for the others).
    """
    capacity = rng.choice([50.0, 800.0, 5000.0, 1e7], size=shells)
    spf = rng.integers(1, 41, size=(n, shells)).astype(float)
    flights = rng.uniform(0.0, 300.0, size=(n, years)) * rng.choice([0.1, 1.0, 10.0], (n, 1))
    flights[rng.random((n, years)) < 0.1] = 0.0
    rate = rng.uniform(0.0, 0.3, n)
    rate[rng.random(n) < 0.25] = 0.0
    kw = rng.uniform(5.0, 150.0, n)
    kw[rng.random(n) < 0.5] = np.nan
    lifetimes = rng.uniform(0.5, 10.0, (n, shells))
    short = rng.random((n, shells)) < 0.2
    lifetimes[short] = rng.uniform(0.005, 0.2, short.sum())  # 2 days to 2.4 months
    return {
        "flights_by_year": flights,
        "capacity_sats": capacity,
        "sats_per_flight": spf,
        "satellite_mass_kg": rng.uniform(200.0, 5000.0, (n, shells)),
        "compute_kw": rng.uniform(1.0, 500.0, (n, shells)),
        "orbit_average_share": rng.uniform(0.5, 1.0, (n, shells)),
        "lifetime_years": lifetimes,
        "failure_rate_per_year": rate,
        "cost_per_flight_usd": rng.uniform(1e6, 1e8, n),
        "kw_per_tonne": kw,
    }


def reference_for(args, i):
    """The oracle on sample ``i`` of the kernel's arguments."""
    kw = args["kw_per_tonne"]
    kw_i = None if kw is None or np.isnan(kw[i]) else float(kw[i])
    return reference_history(
        [float(x) for x in args["flights_by_year"][i]],
        [float(x) for x in args["capacity_sats"]],
        [float(x) for x in args["sats_per_flight"][i]],
        [float(x) for x in args["satellite_mass_kg"][i]],
        [float(x) for x in args["compute_kw"][i]],
        [float(x) for x in args["orbit_average_share"][i]],
        [float(x) for x in args["lifetime_years"][i]],
        float(args["failure_rate_per_year"][i]),
        float(args["cost_per_flight_usd"][i]),
        kw_i,
    )


def assert_matches(history: FleetHistory, i: int, expected: dict, label=""):
    for name in PER_YEAR:
        got = getattr(history, name)[i]
        want = expected[name]
        scale = float(np.max(np.abs(want))) if np.size(want) else 0.0
        np.testing.assert_allclose(
            got, want, rtol=KERNEL_RTOL, atol=KERNEL_RTOL * scale, err_msg=f"{label} {name}"
        )
    assert history.full_month[i].tolist() == expected["full_month"].tolist(), label
    for name in ("kw_per_tonne_used", "steady_state_gw"):
        assert getattr(history, name)[i] == pytest.approx(expected[name], rel=KERNEL_RTOL), (
            label,
            name,
        )


@pytest.mark.parametrize("seed", range(12))
def test_one_sample_matches_the_cohort_simulation(seed):
    rng = np.random.default_rng(seed)
    shells, years = 1 + seed % 3, 4 + seed % 5
    args = random_batch(rng, 1, shells, years)
    if seed % 2:
        args["kw_per_tonne"] = None
    history = simulate_fleet(**args)
    assert_matches(history, 0, reference_for(args, 0), f"seed {seed}")


def test_a_batch_of_200_equals_200_runs_one_by_one():
    """200 variants of three shells in one call; chunks of 64 samples, and one chunk, agree."""
    rng = np.random.default_rng(16)
    n = 200
    args = random_batch(rng, n, 3, 10)
    args["capacity_sats"] = np.array([800.0, 5000.0, 1e7])  # a shell fills, one may, one not
    history = simulate_fleet(**args)
    chunked = simulate_fleet(**args, chunk_samples=64)
    for name in (*PER_YEAR, "full_month", "steady_state_gw", "kw_per_tonne_used"):
        np.testing.assert_array_equal(getattr(chunked, name), getattr(history, name), name)
    outcomes = set()
    for i in range(n):
        expected = reference_for(args, i)
        assert_matches(history, i, expected, f"sample {i}")
        outcomes.update(
            ("fills" if month >= 0 else "open", k) for k, month in enumerate(expected["full_month"])
        )
        available = args["flights_by_year"][i]
        if np.any((available > 0) & (expected["replacement_flights"] >= available * 0.999999)):
            outcomes.add("short of flights")  # every flight of a year went to replacement
    # The draws reach every branch: filled and open shells, flights too few to replace.
    assert {("fills", 0), ("open", 0), ("fills", 1), ("open", 2), "short of flights"} <= outcomes


def test_without_failures_or_capacity_the_fleet_is_every_flight_until_the_first_retires():
    """F flights a year of s satellites living L years: F s y after y < L years, then F s
    L_months / 12 for good; replacement starts in the first month past the life."""
    flights = np.array([120.0, 600.0, 36.0])
    spf = np.array([[10.0], [3.0], [25.0]])
    life_years = np.array([[4.0], [2.5], [20.0]])
    years = 8
    history = simulate_fleet(
        np.repeat(flights[:, None], years, axis=1),
        [1e15],
        spf,
        np.full((3, 1), 1000.0),
        np.full((3, 1), 100.0),
        np.ones((3, 1)),
        life_years,
        np.zeros(3),
        np.full(3, 1e6),
    )
    for i in range(3):
        life_months = round(12 * life_years[i, 0])
        for y in range(years):
            months_alive = min(12 * (y + 1), life_months)
            expected = flights[i] / 12 * spf[i, 0] * months_alive
            assert history.satellites_in_orbit[i, y] == pytest.approx(expected, rel=KERNEL_RTOL)
            replacing = sum(1 for m in range(12 * y, 12 * y + 12) if m >= life_months)
            assert history.replacement_flights[i, y] == pytest.approx(
                flights[i] / 12 * replacing, rel=KERNEL_RTOL, abs=KERNEL_RTOL * flights[i]
            )
            assert history.flights[i, y] == pytest.approx(flights[i], rel=KERNEL_RTOL)
        assert history.full_month[i, 0] == -1


#: Lives that are not whole months, as the filing presets give them: a 7-day reentry
#: (starcloud-1 at moderate activity, no propulsion), a radiation-limited 0.38 years
#: (ascend-1400), and whole years.
LIVES_YEARS = (7.0 / 365.25, 0.38, 1.0, 5.0)


def one_open_shell(life_years, rate, flights=120.0, per_flight=10.0, years=8):
    """A shell too large to fill, so every flight launches: a steady launch rate."""
    return simulate_fleet(
        np.full((1, years), flights),
        [1e15],
        [[per_flight]],
        [[1000.0]],
        [[50.0]],
        [[1.0]],
        [[life_years]],
        [rate],
        [1e6],
    )


@pytest.mark.parametrize("life_years", LIVES_YEARS)
def test_a_steady_launch_rate_keeps_rate_times_life_in_orbit(life_years):
    """Little's law: satellites launched at a rate R a year that live L years each keep R L
    in orbit once the first have retired, whatever L is in months (1/4 of one, 4.56, 12,
    60); rounding L to whole months would give 0.38 years +10 % and 7 days 4x."""
    flights, per_flight, years = 120.0, 10.0, 8
    history = one_open_shell(life_years, 0.0, flights, per_flight, years)
    rate_sats_per_year = flights * per_flight
    for y in range(math.ceil(life_years), years):
        assert history.satellites_in_orbit[0, y] == pytest.approx(
            rate_sats_per_year * life_years, rel=KERNEL_RTOL
        ), y
        assert history.launched_by_shell[0, y, 0] == pytest.approx(
            rate_sats_per_year, rel=KERNEL_RTOL
        )


#: Yearly failure rates against which the cohort survival is checked.
FAILURE_RATES = (0.05, 0.29)


@pytest.mark.parametrize("rate", FAILURE_RATES)
@pytest.mark.parametrize("life_years", LIVES_YEARS)
def test_with_failures_the_fleet_is_the_cohort_survival_integral(life_years, rate):
    """A cohort failing at the continuous rate lam = -ln(1 - f) a year survives as
    e^(-lam t) until it retires at L: a steady rate R keeps R (1 - e^(-lam L)) / lam.
    The simulation counts the fleet at a month's end, just after the month's launches,
    which have not yet begun to fail: at most one month of failures above that time
    average, a factor e^(lam / 12), and never below it."""
    flights, per_flight = 120.0, 10.0
    history = one_open_shell(life_years, rate, flights, per_flight)
    lam = -math.log(1.0 - rate)
    time_average = flights * per_flight * (1.0 - math.exp(-lam * life_years)) / lam
    month_of_failures = math.exp(lam / 12.0)
    for y in range(math.ceil(life_years), history.satellites_in_orbit.shape[1]):
        counted = history.satellites_in_orbit[0, y]
        assert time_average * (1 - KERNEL_RTOL) <= counted, y
        assert counted <= time_average * month_of_failures * (1 + KERNEL_RTOL), y


#: A shell filled at once echoes its fill every life; a life of 4.56 months splits each
#: echo over two months, so by the tenth year the echoes have spread into a steady
#: stream: yearly replacement flights within this share of capacity / life.  (Rounded to
#: 5 months they never spread: 158 and 105 flights in alternate years were seen.)
ECHO_SPREAD_RTOL = 1e-3


@pytest.mark.parametrize("life_years", LIVES_YEARS[:3])
def test_a_full_shell_replaces_capacity_over_life_each_year(life_years):
    """Little's law on a full shell: C satellites living L years need C / L launches a
    year, C / (s L) flights; the flights are plenty, so the shell fills in month 0."""
    capacity, per_flight, years = 1e4, 10.0, 20
    history = simulate_fleet(
        np.full((1, years), 1e5),
        [capacity],
        [[per_flight]],
        [[1000.0]],
        [[50.0]],
        [[1.0]],
        [[life_years]],
        [0.0],
        [1e6],
    )
    assert history.full_month[0, 0] == 0
    np.testing.assert_allclose(history.satellites_in_orbit[0], capacity, rtol=KERNEL_RTOL)
    expected = capacity / (per_flight * life_years)
    np.testing.assert_allclose(history.replacement_flights[0, 10:], expected, rtol=ECHO_SPREAD_RTOL)


def test_a_life_under_a_month_replaces_its_fleet_from_the_second_month_on():
    """7 days: the whole fleet retires every 7 days, so from the first year's second month
    on a full shell of C takes C / (7 days) launches, 12 / 12 of a year after the first
    (the fill's month replaces nothing)."""
    capacity, per_flight, life_years = 1e4, 10.0, 7.0 / 365.25
    history = simulate_fleet(
        np.full((1, 3), 1e6),
        [capacity],
        [[per_flight]],
        [[1000.0]],
        [[50.0]],
        [[1.0]],
        [[life_years]],
        [0.0],
        [1e6],
    )
    per_year = capacity / (per_flight * life_years)
    assert history.replacement_flights[0].tolist() == pytest.approx(
        [per_year * 11 / 12, per_year, per_year], rel=KERNEL_RTOL
    )


def test_failures_without_retirement_leave_a_geometric_sum():
    """S satellites launched a month, a monthly survival q, no retirement in the window:
    S (1 - q^M) / (1 - q) in orbit after M months, per sample's own failure rate."""
    rates = np.array([0.0, 0.05, 0.2, 0.29])
    n, years, per_flight, flights = rates.size, 6, 7.0, 240.0
    history = simulate_fleet(
        np.full((n, years), flights),
        [1e15],
        np.full((n, 1), per_flight),
        np.full((n, 1), 1500.0),
        np.full((n, 1), 30.0),
        np.full((n, 1), 0.9),
        np.full((n, 1), 50.0),
        rates,
        np.full(n, 2e6),
    )
    monthly = flights / 12 * per_flight
    for i, rate in enumerate(rates):
        q = (1.0 - rate) ** (1.0 / 12.0)
        for y in range(years):
            months = 12 * (y + 1)
            alive = monthly * months if rate == 0 else monthly * (1 - q**months) / (1 - q)
            assert history.satellites_in_orbit[i, y] == pytest.approx(alive, rel=KERNEL_RTOL)
            assert history.tonnes_in_orbit[i, y] == pytest.approx(alive * 1.5, rel=KERNEL_RTOL)
            assert history.installed_gw_orbit_average[i, y] == pytest.approx(
                alive * 30.0 * 0.9 / 1e6, rel=KERNEL_RTOL
            )
            assert history.cumulative_cost_usd[i, y] == pytest.approx(
                flights * (y + 1) * 2e6, rel=KERNEL_RTOL
            )


def test_steady_state_gw_of_a_batch_matches_the_stage_formula():
    rng = np.random.default_rng(7)
    n, shells = 300, 3
    args = random_batch(rng, n, shells, 1)
    kw = args["kw_per_tonne"]
    got = fleet_steady_state_gw(
        args["flights_by_year"][:, -1],
        args["capacity_sats"],
        args["sats_per_flight"],
        args["satellite_mass_kg"],
        args["compute_kw"],
        args["lifetime_years"],
        args["failure_rate_per_year"],
        kw,
    )
    for i in range(n):
        expected = reference_steady_state_gw(
            float(args["flights_by_year"][i, -1]),
            list(args["capacity_sats"]),
            list(args["sats_per_flight"][i]),
            list(args["satellite_mass_kg"][i]),
            list(args["compute_kw"][i]),
            list(args["lifetime_years"][i]),
            float(args["failure_rate_per_year"][i]),
            None if np.isnan(kw[i]) else float(kw[i]),
        )
        assert got[i] == pytest.approx(expected, rel=KERNEL_RTOL), i


def one_shell(**changes):
    args = {
        "flights_by_year": np.full((2, 3), 100.0),
        "capacity_sats": np.array([1000.0]),
        "sats_per_flight": np.full((2, 1), 10.0),
        "satellite_mass_kg": np.full((2, 1), 1000.0),
        "compute_kw": np.full((2, 1), 50.0),
        "orbit_average_share": np.ones((2, 1)),
        "lifetime_years": np.full((2, 1), 5.0),
        "failure_rate_per_year": np.zeros(2),
        "cost_per_flight_usd": np.full(2, 1e6),
    }
    return args | changes


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"sats_per_flight": np.full((2, 2), 10.0)}, "sats_per_flight must be (n, shells)"),
        ({"failure_rate_per_year": np.zeros(3)}, "failure_rate_per_year must be (n,)"),
        ({"flights_by_year": np.full(3, 100.0)}, "flights_by_year must be (n, years)"),
        ({"kw_per_tonne": np.ones((2, 1))}, "kw_per_tonne must be (n,)"),
        ({"sats_per_flight": np.array([[10.0], [0.0]])}, "sats_per_flight must be >= 1"),
        ({"failure_rate_per_year": np.array([0.0, 1.0])}, "failure_rate_per_year"),
        ({"flights_by_year": np.full((2, 3), np.nan)}, "flights_by_year must be finite"),
    ],
)
def test_bad_arrays_are_refused_naming_the_argument(changes, needle):
    with pytest.raises(ValueError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        simulate_fleet(**one_shell(**changes))


def test_a_shell_without_room_may_take_no_satellite_per_flight():
    """Capacity 0: nothing to lift, so 0 satellites a flight is no error; the next shell
    gets every flight."""
    args = one_shell(
        capacity_sats=np.array([0.0, 1e9]),
        sats_per_flight=np.array([[0.0, 10.0], [0.0, 4.0]]),
        satellite_mass_kg=np.full((2, 2), 1000.0),
        compute_kw=np.full((2, 2), 50.0),
        orbit_average_share=np.ones((2, 2)),
        lifetime_years=np.full((2, 2), 5.0),
    )
    history = simulate_fleet(**args)
    assert history.satellites_by_shell[:, :, 0].tolist() == [[0.0] * 3] * 2
    assert history.satellites_in_orbit[:, -1] == pytest.approx([3000.0, 1200.0], rel=KERNEL_RTOL)
    assert history.full_month[:, 0].tolist() == [-1, -1]


def test_a_lifetime_past_the_horizon_never_retires_even_if_infinite():
    args = one_shell(lifetime_years=np.array([[np.inf], [3.0]]), capacity_sats=np.array([1e9]))
    history = simulate_fleet(**args)
    # 100 flights a year of 10: 1,000 a year, kept for good or for 3 years (36 months).
    assert history.satellites_in_orbit[0].tolist() == pytest.approx(
        [1000, 2000, 3000], rel=KERNEL_RTOL
    )
    assert history.satellites_in_orbit[1].tolist() == pytest.approx(
        [1000, 2000, 3000], rel=KERNEL_RTOL
    )
    assert history.replacement_flights.tolist() == [[0.0] * 3] * 2

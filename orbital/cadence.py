"""Launch cadence over a sample dimension: flights into satellites, tonnes and gigawatts.

The cadence stage of the planner is the one-sample case of :func:`simulate_fleet`; a trade
study passes all its variants at once.  Every array has a leading sample dimension ``n``.

The simulation runs month by month.  Each shell's satellites fail at a monthly share
``mu = 1 - (1 - f)^(1/12)`` of a yearly rate ``f`` and retire at the end of a life of
``l = 12 x lifetime_years`` months, which need not be whole: a cohort retires over two
months, the share ``1 - w`` ``a = floor(l)`` months after its launch and the share ``w = l
- a`` a month later, so that its mean life without failures is ``(1 - w) a + w (a + 1) =
l`` and the fleet a steady launch rate keeps is that rate times ``l`` (Little's law).  A
life shorter than a month (``a = 0``) loses the share ``1 - w`` of a month's launches
within that month: only ``kept = w`` of them is in orbit at the month's end, so
replacing or growing by ``x`` satellites takes ``x / kept`` launches.  Replacing what
failed and retired comes first (scaled down together when the month's flights fall
short); the rest of the month's flights grow the shells in order up to their capacity.
Flights are monthly averages, ``flights_by_year / 12`` a month (fractions of a flight).

No cohort matrix is kept.  A cohort decays geometrically, so a shell needs only its
launches by month ``L_j`` and its alive total ``A(m)`` at the start of month ``m``.  In
month ``m`` the shell loses ``mu A(m)`` to failures (a retiring cohort fails first, as
every alive cohort does), retires ``R(m) = (1 - w) q^a L_{m-a} + w q^(a+1) L_{m-a-1}``
with ``q = 1 - mu`` (for ``a = 0`` only the second term: the first never entered
``A``), then gains this month's launches times ``kept``::

    A(m + 1) = A(m) - mu A(m) - R(m) + kept L_m

The lifetimes differ per sample, so ``L_{m-a}`` is gathered by index, once a month: the
second term is the previous month's gather.  Samples are taken in chunks, so memory is
``chunk x shells x months`` floats, not ``n x months^2``.
"""

from dataclasses import dataclass

import numpy as np

#: Satellites of room below which a shell counts as full, the slack with which a
#: month's growth counts as filling it, and the satellites below which a year's end
#: reads a shell as empty once its last cohort retired (all absorb float rounding of the
#: sums).
FULL_SLACK_SATS = 1e-9
#: Samples simulated together: their state, ``chunk x shells x months`` floats, stays
#: small (8,192 x 3 x 120 is 24 MB); larger chunks were no faster on 2 cores.
CHUNK_SAMPLES = 8_192
MONTHS_PER_YEAR = 12
#: The shortest life the simulation keeps apart from none, in months (about 2.6 s): a
#: life of 0 counts as this, so its launches burn their flights for (almost) nothing in
#: orbit instead of dividing by zero.
MIN_LIFE_MONTHS = 1e-6


@dataclass(frozen=True)
class FleetHistory:
    """Year-end values of :func:`simulate_fleet`, ``n`` samples, ``years`` years, ``shells``.

    Per year ``(n, years)``: ``flights`` flown, of them ``replacement_flights`` and
    ``growth_flights``; ``satellites_in_orbit`` (all shells), ``tonnes_in_orbit`` (t),
    ``installed_gw`` (compute in sunlight) and ``installed_gw_orbit_average`` (GW),
    ``cumulative_flights`` and ``cumulative_cost_usd`` (USD).  Per year and shell
    ``(n, years, shells)``: ``satellites_by_shell`` in orbit at the year's end and
    ``launched_by_shell`` during the year (replacements included).  ``full_month``
    ``(n, shells)`` int: the month (0 = the first simulated month) in which each shell
    filled, -1 if it never did.  Per sample ``(n,)``: ``steady_state_gw`` (see
    :func:`fleet_steady_state_gw`) and ``kw_per_tonne_used`` (the given figure, else the
    fleet's at the last year's end, else the shells' mean when nothing is in orbit).
    """

    flights: np.ndarray
    replacement_flights: np.ndarray
    growth_flights: np.ndarray
    satellites_in_orbit: np.ndarray
    satellites_by_shell: np.ndarray
    launched_by_shell: np.ndarray
    tonnes_in_orbit: np.ndarray
    installed_gw: np.ndarray
    installed_gw_orbit_average: np.ndarray
    cumulative_flights: np.ndarray
    cumulative_cost_usd: np.ndarray
    full_month: np.ndarray
    steady_state_gw: np.ndarray
    kw_per_tonne_used: np.ndarray


@dataclass(frozen=True)
class _Inputs:
    flights_by_year: np.ndarray  # (n, years)
    capacity: np.ndarray  # (shells,)
    sats_per_flight: np.ndarray  # (n, shells), 1 where a shell holds nothing
    mass_kg: np.ndarray  # (n, shells)
    compute_kw: np.ndarray  # (n, shells)
    share: np.ndarray  # (n, shells)
    lifetime_years: np.ndarray  # (n, shells)
    failure_rate: np.ndarray  # (n,)
    cost_per_flight: np.ndarray  # (n,)
    kw_per_tonne: np.ndarray  # (n,), NaN where not given


def _checked(
    flights_by_year,
    capacity_sats,
    sats_per_flight,
    satellite_mass_kg,
    compute_kw,
    orbit_average_share,
    lifetime_years,
    failure_rate_per_year,
    cost_per_flight_usd,
    kw_per_tonne,
) -> _Inputs:
    flights = np.asarray(flights_by_year, dtype=float)
    if flights.ndim != 2 or flights.shape[1] < 1:
        raise ValueError(f"flights_by_year must be (n, years), years >= 1; got {flights.shape}")
    n = flights.shape[0]
    capacity = np.asarray(capacity_sats, dtype=float)
    if capacity.ndim != 1 or capacity.size < 1:
        raise ValueError(f"capacity_sats must be (shells,), shells >= 1; got {capacity.shape}")
    shells = capacity.size
    per_shell = {}
    for name, value in (
        ("sats_per_flight", sats_per_flight),
        ("satellite_mass_kg", satellite_mass_kg),
        ("compute_kw", compute_kw),
        ("orbit_average_share", orbit_average_share),
        ("lifetime_years", lifetime_years),
    ):
        array = np.asarray(value, dtype=float)
        if array.shape != (n, shells):
            raise ValueError(f"{name} must be (n, shells) = {(n, shells)}; got {array.shape}")
        per_shell[name] = array
    per_sample = {}
    for name, value in (
        ("failure_rate_per_year", failure_rate_per_year),
        ("cost_per_flight_usd", cost_per_flight_usd),
        ("kw_per_tonne", np.full(n, np.nan) if kw_per_tonne is None else kw_per_tonne),
    ):
        array = np.asarray(value, dtype=float)
        if array.shape != (n,):
            raise ValueError(f"{name} must be (n,) = {(n,)}; got {array.shape}")
        per_sample[name] = array
    if not (np.all(flights >= 0) and np.all(np.isfinite(flights))):
        raise ValueError("flights_by_year must be finite and >= 0")
    if not (np.all(capacity >= 0) and np.all(np.isfinite(capacity))):
        raise ValueError("capacity_sats must be finite and >= 0")
    rate = per_sample["failure_rate_per_year"]
    if not np.all((rate >= 0) & (rate < 1)):
        raise ValueError("failure_rate_per_year must be in [0, 1)")
    if not np.all(per_shell["lifetime_years"] >= 0):
        raise ValueError("lifetime_years must be >= 0")
    spf = per_shell["sats_per_flight"]
    lifted = capacity > 0
    if not np.all(spf[:, lifted] >= 1):
        raise ValueError("sats_per_flight must be >= 1 for every shell with capacity_sats > 0")
    return _Inputs(
        flights_by_year=flights,
        capacity=capacity,
        sats_per_flight=np.where(lifted, spf, 1.0),
        mass_kg=per_shell["satellite_mass_kg"],
        compute_kw=per_shell["compute_kw"],
        share=per_shell["orbit_average_share"],
        lifetime_years=per_shell["lifetime_years"],
        failure_rate=rate,
        cost_per_flight=per_sample["cost_per_flight_usd"],
        kw_per_tonne=per_sample["kw_per_tonne"],
    )


def simulate_fleet(
    flights_by_year,
    capacity_sats,
    sats_per_flight,
    satellite_mass_kg,
    compute_kw,
    orbit_average_share,
    lifetime_years,
    failure_rate_per_year,
    cost_per_flight_usd,
    kw_per_tonne=None,
    *,
    chunk_samples: int = CHUNK_SAMPLES,
) -> FleetHistory:
    """Month by month launches of ``n`` variants into their shells; year-end values.

    Args, ``n`` samples, ``years`` simulated years, ``shells`` in filling order:
        flights_by_year: ``(n, years)`` flights available each year.
        capacity_sats: ``(shells,)`` satellites each shell holds.
        sats_per_flight: ``(n, shells)`` satellites a flight lifts to each shell.
        satellite_mass_kg: ``(n, shells)`` kg per satellite.
        compute_kw: ``(n, shells)`` kW of compute per satellite in sunlight.
        orbit_average_share: ``(n, shells)`` orbit-average compute over in-sun compute.
        lifetime_years: ``(n, shells)`` years a satellite flies before it retires.
        failure_rate_per_year: ``(n,)`` share of satellites failing a year, in [0, 1).
        cost_per_flight_usd: ``(n,)`` USD a flight.
        kw_per_tonne: None, or ``(n,)`` a claim's kW per tonne (NaN where a sample has
            none): installed GW are then tonnes times it, and the orbit average that
            times the fleet's mean share.  Otherwise satellites times their compute.
        chunk_samples: samples simulated together (memory against speed only).

    Month ``m`` of year ``m // 12`` has ``flights_by_year / 12`` flights.  In it each
    shell's alive satellites fail at ``mu = 1 - (1 - f)^(1/12)``, then the cohorts
    reaching their life of ``l = 12 lifetime`` months retire (the share ``1 - w`` of a
    cohort ``floor(l)`` months after its launch, the share ``w = l - floor(l)`` a month
    later; a life under a month keeps only ``kept = w`` of a month's launches at its
    end, else ``kept = 1``); replacing both comes first, for every shell, scaled by
    ``min(1, available / needed)`` when the flights fall short.  The flights left grow
    the shells in order, each by ``min(room, kept x flights left x sats_per_flight)``
    satellites; a shell is full in the month such growth reaches its capacity (within
    ``FULL_SLACK_SATS``).  Lifetimes below ``MIN_LIFE_MONTHS`` count as that.  See the
    module's docstring for the recurrence that replaces the cohorts.

    Returns a :class:`FleetHistory`.  Raises ``ValueError`` for arrays of other shapes,
    negative or non-finite flights or capacities, a failure rate outside [0, 1), a
    negative lifetime, or ``sats_per_flight < 1`` for a shell with room (a satellite
    no flight lifts).
    """
    inputs = _checked(
        flights_by_year,
        capacity_sats,
        sats_per_flight,
        satellite_mass_kg,
        compute_kw,
        orbit_average_share,
        lifetime_years,
        failure_rate_per_year,
        cost_per_flight_usd,
        kw_per_tonne,
    )
    if chunk_samples < 1:
        raise ValueError(f"chunk_samples must be >= 1; got {chunk_samples}")
    n, years = inputs.flights_by_year.shape
    shells = inputs.capacity.size
    out = {
        name: np.zeros((n, years))
        for name in (
            "flights",
            "replacement_flights",
            "growth_flights",
            "satellites_in_orbit",
            "tonnes_in_orbit",
            "installed_gw",
            "installed_gw_orbit_average",
            "cumulative_flights",
            "cumulative_cost_usd",
        )
    }
    out["satellites_by_shell"] = np.zeros((n, years, shells))
    out["launched_by_shell"] = np.zeros((n, years, shells))
    out["full_month"] = np.full((n, shells), -1, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):  # x / 0 is looked after where made
        for lo in range(0, n, chunk_samples):
            _simulate_chunk(inputs, slice(lo, min(n, lo + chunk_samples)), out)
    given = np.isfinite(inputs.kw_per_tonne)
    tonnes_final = out["tonnes_in_orbit"][:, -1]
    fleet_mean = np.mean(inputs.compute_kw / (inputs.mass_kg / 1000.0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sized = np.where(
            tonnes_final > 0, out["installed_gw"][:, -1] * 1e6 / tonnes_final, fleet_mean
        )
    steady = fleet_steady_state_gw(
        inputs.flights_by_year[:, -1],
        inputs.capacity,
        inputs.sats_per_flight,
        inputs.mass_kg,
        inputs.compute_kw,
        inputs.lifetime_years,
        inputs.failure_rate,
        inputs.kw_per_tonne,
    )
    return FleetHistory(
        **out,
        steady_state_gw=steady,
        kw_per_tonne_used=np.where(given, inputs.kw_per_tonne, sized),
    )


def _simulate_chunk(inputs: _Inputs, rows: slice, out: dict) -> None:
    """The month loop for the samples ``rows``, writing their year-end values into ``out``.

    The alive totals are carried instead of summed over cohorts, and a month's failures
    and retirements leave them in one subtraction: float rounding differs from the
    cohort simulation's in the last digits only.
    """
    flights_by_year = inputs.flights_by_year[rows]
    c, years = flights_by_year.shape
    shells = inputs.capacity.size
    months = MONTHS_PER_YEAR * years
    # Per shell rows, (shells, c), contiguous.
    spf = np.ascontiguousarray(inputs.sats_per_flight[rows].T)
    mass = np.ascontiguousarray(inputs.mass_kg[rows].T)
    compute = np.ascontiguousarray(inputs.compute_kw[rows].T)
    share = np.ascontiguousarray(inputs.share[rows].T)
    capacity = inputs.capacity
    monthly_failure = 1.0 - (1.0 - inputs.failure_rate[rows]) ** (1.0 / 12.0)
    survive = 1.0 - monthly_failure
    # Past the horizon a lifetime only needs to be long enough never to retire (or inf).
    life_months = np.clip(inputs.lifetime_years[rows].T * 12.0, MIN_LIFE_MONTHS, months + 1)
    whole = np.floor(life_months)
    late = life_months - whole  # w: the share retiring a month after the others
    life = whole.astype(np.int64)
    short = life == 0
    # One gather a month, of month m - max(a, 1); the late share of a cohort is then the
    # previous month's gather (or, for a = 0, this month's).
    gathered_age = np.maximum(life, 1)
    first_share = np.where(short, late * survive[None, :], (1.0 - late) * survive[None, :] ** whole)
    late_share = np.where(short, 0.0, late * survive[None, :] ** (whole + 1.0))
    kept = np.where(short, late, 1.0)
    spf_kept = spf * kept
    any_short = short.any(axis=1)  # else launches are what the shell keeps: skip dividing
    cost_per_flight = inputs.cost_per_flight[rows]
    kw_per_tonne = inputs.kw_per_tonne[rows]
    given = np.isfinite(kw_per_tonne)
    available_by_year = np.ascontiguousarray((flights_by_year / 12.0).T)

    # launches[k] is (months, c) flattened: month j of sample s at j * c + s.
    launches = np.zeros((shells, months * c))
    sample = np.arange(c)
    gather_offset = sample[None, :] - gathered_age * c  # + m * c: index of month m - age
    first_retiring, all_retiring = gathered_age.min(axis=1), gathered_age.max(axis=1)
    alive = np.zeros((shells, c))  # A(m): alive at the start of the month
    need = np.zeros((shells, c))
    failed = np.zeros((shells, c))
    retired = np.zeros((shells, c))
    retired_late = np.zeros((shells, c))
    gathered = np.zeros((shells, c))  # L_{m - age}, 0 before month 0
    previous = np.zeros((shells, c))  # last month's gather
    index = np.zeros(c, dtype=np.int64)
    replace_flights = np.zeros((shells, c))
    launched_year = np.zeros((shells, c))
    full_month = np.full((shells, c), -1, dtype=np.int64)
    flights_total = np.zeros(c)
    cost = np.zeros(c)
    year_flights = np.zeros(c)
    year_replacement = np.zeros(c)
    year_growth = np.zeros(c)
    for m in range(months):
        available = available_by_year[m // MONTHS_PER_YEAR]
        now = slice(m * c, (m + 1) * c)
        np.multiply(alive, monthly_failure, out=failed)
        # Before a shell's first gather both buffers hold zeros, so swapping keeps them.
        gathered, previous = previous, gathered
        for k in range(shells):
            if m >= first_retiring[k]:
                # Samples not yet retiring clip to index 0 and are masked out.
                np.add(gather_offset[k], m * c, out=index)
                np.take(launches[k], index, mode="clip", out=gathered[k])
                if m < all_retiring[k]:
                    gathered[k] *= m >= gathered_age[k]
        np.multiply(gathered, first_share, out=retired)
        np.multiply(previous, late_share, out=retired_late)
        retired += retired_late
        np.add(failed, retired, out=need)
        alive -= need
        # The running total may round a hair below 0 where the last cohort retired (and
        # a hair above it: the year's end reads that as 0).
        np.maximum(alive, 0.0, out=alive)
        np.divide(need, spf_kept, out=replace_flights)
        total_replace = replace_flights.sum(axis=0)
        # min(1, available / needed), and 1 where nothing is needed (inf or NaN).
        scale = np.fmin(1.0, available / total_replace)
        replaced = need * scale
        alive += replaced
        if any_short.any():
            replaced /= kept  # launches: a life under a month keeps only ``kept`` of them
        launches[:, now] = replaced
        launched_year += replaced
        used_replace = (replace_flights * scale).sum(axis=0)
        remaining = available - used_replace
        used_growth = np.zeros(c)
        for k in range(shells):
            room = capacity[k] - alive[k]
            grow = (remaining > 0) & (room > FULL_SLACK_SATS)
            if not grow.any():
                continue
            added = np.minimum(room / kept[k] if any_short[k] else room, remaining * spf[k])
            added *= grow  # launches
            launches[k][now] += added
            launched_year[k] += added
            gained = added * kept[k] if any_short[k] else added
            alive[k] += gained
            flights = added / spf[k]
            remaining -= flights
            used_growth += flights
            filled = grow & (full_month[k] < 0) & (gained >= room - FULL_SLACK_SATS)
            if filled.any():
                full_month[k][filled] = m
        flights_now = used_replace + used_growth
        flights_total += flights_now
        cost += flights_now * cost_per_flight
        year_flights += flights_now
        year_replacement += used_replace
        year_growth += used_growth
        if m % MONTHS_PER_YEAR == MONTHS_PER_YEAR - 1:
            y = m // MONTHS_PER_YEAR
            _year_end(out, rows, y, alive, mass, compute, share, kw_per_tonne, given)
            out["launched_by_shell"][rows, y, :] = launched_year.T
            out["flights"][rows, y] = year_flights
            out["replacement_flights"][rows, y] = year_replacement
            out["growth_flights"][rows, y] = year_growth
            out["cumulative_cost_usd"][rows, y] = cost
            out["cumulative_flights"][rows, y] = flights_total
            launched_year[:] = 0.0
            year_flights[:] = 0.0
            year_replacement[:] = 0.0
            year_growth[:] = 0.0
    out["full_month"][rows] = full_month.T


def _year_end(out, rows, y, sats, mass, compute, share, kw_per_tonne, given) -> None:
    """Satellites, tonnes and GW of year ``y`` from the shells' satellites ``(shells, c)``;
    a shell holding less than ``FULL_SLACK_SATS`` (float rounding once its last cohort
    retired) holds none."""
    sats = np.where(sats < FULL_SLACK_SATS, 0.0, sats)
    shells = sats.shape[0]
    total = np.zeros(sats.shape[1])
    tonnes = np.zeros(sats.shape[1])
    kw = np.zeros(sats.shape[1])
    kw_average = np.zeros(sats.shape[1])
    shared = np.zeros(sats.shape[1])
    for k in range(shells):
        total += sats[k]
        tonnes += sats[k] * mass[k] / 1000.0
        kw += sats[k] * compute[k]
        kw_average += sats[k] * compute[k] * share[k]
        shared += sats[k] * share[k]
    gw_given = tonnes * kw_per_tonne / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_share = np.where(total > 0, shared / total, 1.0)
    out["satellites_by_shell"][rows, y, :] = sats.T
    out["satellites_in_orbit"][rows, y] = total
    out["tonnes_in_orbit"][rows, y] = tonnes
    out["installed_gw"][rows, y] = np.where(given, gw_given, kw / 1e6)
    out["installed_gw_orbit_average"][rows, y] = np.where(
        given, gw_given * mean_share, kw_average / 1e6
    )


def fleet_steady_state_gw(
    flights_per_year,
    capacity_sats,
    sats_per_flight,
    satellite_mass_kg,
    compute_kw,
    lifetime_years,
    failure_rate_per_year,
    kw_per_tonne=None,
) -> np.ndarray:
    """Installed GW when launches only replace: rate x mean life, capped by the shells.

    Args: ``flights_per_year`` ``(n,)``; ``capacity_sats`` ``(shells,)``;
    ``sats_per_flight``, ``satellite_mass_kg`` (kg), ``compute_kw`` (kW in sunlight),
    ``lifetime_years`` ``(n, shells)``; ``failure_rate_per_year`` ``(n,)`` in [0, 1);
    ``kw_per_tonne`` None or ``(n,)``, NaN where not given.  Returns ``(n,)`` GW.

    With ``F`` flights a year lifting ``s`` satellites each that live ``L`` years and
    fail at a yearly share ``f`` (a continuous rate ``f_c = -ln(1 - f)``, mean life
    ``(1 - e^{-f_c L}) / f_c``), a shell holds ``F s`` times the mean life, at most its
    capacity; the flights it takes, ``fleet / (s life)``, are not left for the next
    shell.  Each shell's fleet counts at its own kW per tonne, or the given one.  Raises
    ``ValueError`` for arrays of other shapes.
    """
    flights = np.asarray(flights_per_year, dtype=float)
    capacity = np.asarray(capacity_sats, dtype=float)
    n, shells = flights.shape[0], capacity.shape[0]
    spf, mass, compute, lifetime = (
        np.asarray(a, dtype=float)
        for a in (sats_per_flight, satellite_mass_kg, compute_kw, lifetime_years)
    )
    rate = np.asarray(failure_rate_per_year, dtype=float)
    given_kw = np.full(n, np.nan) if kw_per_tonne is None else np.asarray(kw_per_tonne, float)
    if flights.shape != (n,) or capacity.shape != (shells,) or rate.shape != (n,):
        raise ValueError("flights_per_year and failure_rate_per_year must be (n,), capacity (k,)")
    if any(a.shape != (n, shells) for a in (spf, mass, compute, lifetime)) or (
        given_kw.shape != (n,)
    ):
        raise ValueError(f"per-shell arrays must be (n, shells) = {(n, shells)}, kw_per_tonne (n,)")
    f = np.where(rate > 0, -np.log(1.0 - rate), 0.0)
    remaining = flights.copy()
    total_gw = np.zeros(n)
    given = np.isfinite(given_kw)
    for k in range(shells):
        with np.errstate(divide="ignore", invalid="ignore"):
            life = np.where(f == 0, lifetime[:, k], (1.0 - np.exp(-f * lifetime[:, k])) / f)
            shell_kw_per_tonne = np.where(given, given_kw, compute[:, k] / (mass[:, k] / 1000.0))
            counted = (life > 0) & (remaining > 0) & (spf[:, k] > 0)
            fleet = np.minimum(capacity[k], remaining * spf[:, k] * life)
            remaining = np.where(counted, remaining - fleet / (spf[:, k] * life), remaining)
            gw = fleet * mass[:, k] / 1000.0 * shell_kw_per_tonne / 1e6
        total_gw = np.where(counted, total_gw + gw, total_gw)
    return total_gw

"""The report's answer first: a few headline figures, and the scenario's claims checked.

:func:`headline` picks the figures a reader wants before any table (compute per
tonne, the largest overhead, installed GW, cost per PFLOP-day, the space/ground
ratio, the uncontrolled lifetime, the largest cluster's compute), each only when
the stage that finds it ran.  Every :class:`Headline` carries the raw number and
the key path of the plan JSON (:func:`constellations.records.plan_record`) that
holds the same number, so a page or a test can check one against the other.

:func:`claims` turns each claim the scenario states (``[launch] kw_per_tonne``,
``cost_per_flight_usd``, ``flights_per_year``, ``[cost] array_usd_per_w`` below
its default) and the space/ground comparison of the cost stage into a row: what
the claim implies, what the planner finds, under which assumption it would hold.
"""

import math
from dataclasses import dataclass

import numpy as np

from constellations.present.tables import Column, Table

#: The drag case whose uncontrolled lifetime the header quotes (moderate solar activity).
LIFETIME_CASE = "moderate"


@dataclass(frozen=True)
class Headline:
    """One headline figure: ``value`` (the raw number, in ``unit``) as ``text`` shows it,
    ``meaning`` one plain sentence, ``json_path`` the plan JSON's keys (and list
    indices) down to the same number."""

    label: str
    value: float
    unit: str
    text: str
    meaning: str
    json_path: tuple


@dataclass(frozen=True)
class ClaimRow:
    """A claim the scenario carries: what it implies, what the planner finds, and the
    assumption under which it would hold (plain text each)."""

    claim: str
    implies: str
    finds: str
    holds_if: str


def people(value: float) -> str:
    """``value`` for people: three significant figures, thousands separators
    (``1234567`` -> ``1,230,000``, ``0.04567`` -> ``0.0457``), ``-`` where not finite: the
    report's :func:`viz.report.format_number` with the thousands rounded too."""
    from viz.report import format_number

    return format_number(value, whole_thousands=False)


def json_path_text(path: tuple) -> str:
    """``("cost", "space_to_ground_ratio")`` -> ``cost.space_to_ground_ratio``."""
    return ".".join(str(k) for k in path)


def _several(closure) -> bool:
    return len(closure.closed) > 1


#: The figure quoted in public for compute in orbit, kW per tonne (SpaceX statements, 2025,
#: as the claim-* presets cite them: "about 100 kW of compute per tonne").
PUBLIC_CLAIM_KW_PER_TONNE = 100.0


def _kw_per_tonne(plan) -> list[Headline]:
    worst = plan.closure.worst
    if worst is None:
        return []
    sizing = worst.sized.sizing
    value = float(sizing.compute_kw_per_tonne_orbit_average)
    which = (
        f"shell {worst.name}, the fleet's least per tonne"
        if _several(plan.closure)
        else f"shell {worst.name}"
    )
    meaning = f"Compute a tonne in orbit carries, averaged over the orbit ({which})"
    claimed = plan.constellation.launch.kw_per_tonne
    if claimed is not None:
        meaning += f"; the scenario claims {people(claimed)} kW/t, {people(claimed / value)} x this"
    else:
        meaning += (
            f"; the public claim is {people(PUBLIC_CLAIM_KW_PER_TONNE)} kW/t, "
            f"{people(PUBLIC_CLAIM_KW_PER_TONNE / value)} x this"
        )
    return [
        Headline(
            "compute per tonne (sized)",
            value,
            "kW/t",
            f"{people(value)} kW/t",
            meaning + ".",
            ("sizing", "compute_kw_per_tonne_orbit_average"),
        )
    ]


def _largest_overhead(plan) -> list[Headline]:
    worst = plan.closure.worst
    if worst is None:
        return []
    sizing = worst.sized.sizing
    part = sizing.binding_constraint
    breakdown = sizing.mass_breakdown_kg_per_tonne
    if part not in breakdown:
        return []
    kg = float(breakdown[part])
    return [
        Headline(
            f"largest overhead: {part}",
            kg,
            "kg/t",
            f"{people(kg)} kg/t",
            f"The {part} is the heaviest part besides the compute: {people(kg / 10.0)} % of "
            f"each tonne of shell {worst.name}'s satellite.",
            ("sizing", "mass_breakdown_kg_per_tonne", part),
        )
    ]


def _installed(plan) -> list[Headline]:
    cadence = plan.cadence
    n = len(cadence.years)
    # The plan JSON rounds installed_gw to 6 decimals (records.cadence_record).
    value = round(float(cadence.installed_gw[-1]), 6)
    return [
        Headline(
            f"installed after {n} years",
            value,
            "GW",
            f"{people(value)} GW",
            f"Compute in sunlight in orbit at the end of {int(cadence.years[-1])}; the launch "
            f"rate times the satellites' life caps it at {people(cadence.steady_state_gw)} GW "
            "(steady state).",
            ("cadence", "installed_gw", n - 1),
        )
    ]


def _cost(plan) -> list[Headline]:
    cost = plan.cost
    found = []
    if cost.pflops_per_kw is not None:
        value = float(cost.space.usd_per_pflop_day(cost.pflops_per_kw))
        ground = float(cost.ground.usd_per_pflop_day(cost.pflops_per_kw))
        precision = f" ({cost.flops_precision})" if cost.flops_precision else ""
        found.append(
            Headline(
                "cost per PFLOP-day",
                value,
                "USD",
                f"${people(value)}",
                f"Levelised cost of a PFLOP-day{precision} delivered in orbit, USD of "
                f"{cost.dollar_year}; ${people(ground)} on the ground.",
                ("cost", "space", "usd_per_pflop_day"),
            )
        )
    else:
        value = float(cost.space.usd_per_kw_year)
        found.append(
            Headline(
                "cost per kW-year",
                value,
                "USD",
                f"${people(value)}",
                f"Levelised cost of a kW-year of IT delivered in orbit, USD of "
                f"{cost.dollar_year}; ${people(float(cost.ground.usd_per_kw_year))} on the "
                "ground.",
                ("cost", "space", "lcoc_usd_per_kw_year"),
            )
        )
    ratio = float(cost.ratio)
    found.append(
        Headline(
            "space / ground",
            ratio,
            "x",
            f"{people(ratio)} x",
            "What the same compute costs in orbit over what it costs on the ground "
            "(below 1: space is cheaper).",
            ("cost", "space_to_ground_ratio"),
        )
    )
    return found


def _in_years(days: float, bound: str) -> str:
    """``: at least 12.3 years`` for a lifetime of a year or more, else a bound alone."""
    if days >= 365.25:
        return f": {bound}{people(days / 365.25)} years"
    return f": {bound.strip()}" if bound else ""


def _lifetime(plan) -> list[Headline]:
    names = [r.shell.name for r in plan.resolved or ()]
    cases = [
        (c, c.drag.case(LIFETIME_CASE))
        for c in plan.closure.shells
        if c.drag is not None
        and any(k.name == LIFETIME_CASE for k in c.drag.cases)
        and c.name in names
    ]
    cases = [(c, k) for c, k in cases if math.isfinite(k.lifetime_days_uncontrolled)]
    if not cases:
        return []
    shell, case = min(cases, key=lambda pair: pair[1].lifetime_days_uncontrolled)
    days = float(case.lifetime_days_uncontrolled)
    bound = "at least " if shell.drag.out_of_range is not None else ""
    which = f"shell {shell.name}, the shortest" if len(cases) > 1 else f"shell {shell.name}"
    return [
        Headline(
            "uncontrolled lifetime",
            days,
            "days",
            f"{people(days)} days",
            "How long a satellite that lost its propulsion takes to reenter at moderate "
            f"solar activity{_in_years(days, bound)} ({which}).",
            ("shells", names.index(shell.name), "drag", "cases", LIFETIME_CASE,
             "lifetime_days_uncontrolled"),
        )
    ]  # fmt: skip


def _cluster(plan) -> list[Headline]:
    snap = plan.network.snapshot
    value = float(snap.largest_cluster_compute_mw)
    return [
        Headline(
            "largest cluster",
            value,
            "MW",
            f"{people(value)} MW",
            f"Compute of the largest group of satellites the laser mesh joins at the snapshot "
            f"({snap.largest_cluster_sats:,} satellites): the biggest single job it can run.",
            ("network", "largest_cluster_compute_mw"),
        )
    ]


def headline(plan) -> list[Headline]:
    """The plan's headline figures, in reading order, each only where its stage ran.

    ``plan`` is a :class:`constellations.planner.Plan`.  For several shells the
    sizing figures are those of the shell with the least compute per tonne (the
    plan JSON's ``sizing``) and the lifetime the shortest shell's.
    """
    found: list[Headline] = []
    if plan.closure is not None:
        found += _kw_per_tonne(plan) + _largest_overhead(plan)
    if plan.cadence is not None:
        found += _installed(plan)
    if plan.cost is not None:
        found += _cost(plan)
    if plan.closure is not None:
        found += _lifetime(plan)
    if plan.network is not None:
        found += _cluster(plan)
    return [h for h in found if math.isfinite(h.value)]


# --------------------------------------------------------------------------- claims


def _stated(design, key: str) -> bool:
    return key in design.model_fields_set


def _share(part: float, whole: float) -> str:
    return f"{people(100.0 * part / whole)} %" if whole else "-"


def _breakeven(price: float, note: str, priced: str, unit: str, kind: str) -> str:
    """The cost stage's breakeven ``price`` (``unit``, e.g. ``/kg``) of what is ``priced``,
    or why no ``kind`` price is one (``note``)."""
    if math.isfinite(price):
        return f"{priced} at ${people(price)}{unit} or less"
    return f"no {kind} price would do: {note}"


def _breakeven_launch(cost) -> str:
    price, note = cost.breakeven_launch_usd_per_kg, cost.breakeven_launch_note
    return _breakeven(price, note, "launch", "/kg", "launch")


def _breakeven_array(cost) -> str:
    price, note = cost.breakeven_array_usd_per_w, cost.breakeven_array_note
    return _breakeven(price, note, "arrays", "/W", "array")


def _item_share(cost, item: str, what: str) -> str:
    """What share of the cost in orbit the priced ``item`` (the cost stage's ``by_item``) is."""
    total = float(cost.space.usd_per_kw_year)
    part = float(cost.space.by_item.get(item, 0.0))
    return (
        f"{what} is {_share(part, total)} of the cost in orbit "
        f"(${people(part)} of ${people(total)} per kW-year)"
    )


def _kw_per_tonne_row(plan) -> ClaimRow:
    claimed = plan.constellation.launch.kw_per_tonne
    finds, holds = "not sized (the closure stage did not run)", "-"
    worst = plan.closure.worst if plan.closure is not None else None
    if worst is not None:
        s = worst.sized.sizing
        finds = (
            f"{people(s.compute_kw_per_tonne)} kW/t in sun, "
            f"{people(s.compute_kw_per_tonne_orbit_average)} orbit-average (shell {worst.name}"
            + (", the least" if _several(plan.closure) else "")
            + ")"
        )
        if plan.cost is not None and _several(plan.closure):
            finds += f"; the fleet {people(plan.cost.sized_kw_per_tonne)} kW/t in sun"
        compute_kg = s.mass_breakdown_kg_per_tonne.get("compute", 0.0) * s.satellite_mass_kg / 1e3
        needed_kg = s.satellite_compute_kw / claimed * 1000.0
        if compute_kg > 0:
            payload = s.satellite_compute_kw / (compute_kg / 1000.0)
            if payload > claimed:
                holds = (
                    f"the satellite weighed {people(needed_kg)} kg, not "
                    f"{people(s.satellite_mass_kg)}: its compute payload alone carries "
                    f"{people(payload)} kW/t, so everything "
                    f"else (array, radiator, bus, ...) would have to fit in "
                    f"{people(needed_kg - compute_kg)} kg"
                )
            else:
                holds = (
                    f"a lighter payload: even the bare compute payload carries only "
                    f"{people(payload)} kW/t"
                )
        else:
            holds = (
                f"the satellite weighed {people(needed_kg)} kg, not {people(s.satellite_mass_kg)}"
            )
    return ClaimRow(
        f"[launch] kw_per_tonne = {people(claimed)} kW per tonne",
        f"{people(claimed)} GW of compute per million tonnes launched",
        finds,
        holds,
    )


def _launch_price_row(plan) -> ClaimRow:
    launch = plan.constellation.launch
    price, payload_t = launch.cost_per_flight, launch.payload
    finds, holds = "not priced (the cost stage did not run)", "-"
    cost = plan.cost
    if cost is not None:
        finds = _item_share(cost, "launch", "launch")
        holds = (
            "the price is taken as stated, not verified; space matches the ground with "
            + _breakeven_launch(cost)
        )
    key = (
        f"cost_per_kg_usd = ${people(launch.cost_per_kg_usd)}/kg"
        if launch.cost_per_kg_usd is not None
        else f"cost_per_flight_usd = ${people(price)} a flight"
    )
    return ClaimRow(
        f"[launch] {key}",
        f"${people(price / (payload_t * 1000.0))}/kg to orbit ({people(payload_t)} t a flight)",
        finds,
        holds,
    )


def _flights_row(plan) -> ClaimRow:
    launch = plan.constellation.launch
    flights, payload_t = launch.flights_per_year, launch.payload
    if isinstance(flights, tuple):
        stated = f"{people(float(flights[0]))} to {people(float(flights[-1]))} a year"
        tonnes = float(flights[-1]) * payload_t
    else:
        stated = f"{people(float(flights))} a year"
        tonnes = float(flights) * payload_t
    implies = f"{people(tonnes)} t a year to orbit"
    if launch.kw_per_tonne is not None:
        implies += f", {people(tonnes * launch.kw_per_tonne / 1e6)} GW a year at the claimed kW/t"
    finds, holds = "not simulated (the cadence stage did not run)", "-"
    cadence = plan.cadence
    if cadence is not None:
        n = len(cadence.years)
        finds = (
            f"{people(float(cadence.installed_gw[-1]))} GW installed after {n} years; "
            f"steady state {people(cadence.steady_state_gw)} GW (life x launch rate)"
        )
        spent = float(np.sum(cadence.flights_per_year))
        replaced = float(np.sum(cadence.replacement_flights_per_year))
        holds = (
            "every flight grew the fleet: satellites that never retire "
            f"({_share(replaced, spent)} of the {n} years' flights replace satellites)"
        )
    return ClaimRow(f"[launch] flights_per_year = {stated}", implies, finds, holds)


def _array_row(plan, default: float) -> ClaimRow:
    given = plan.constellation.cost.array_usd_per_w
    finds, holds = "not priced (the cost stage did not run)", "-"
    cost = plan.cost
    if cost is not None:
        finds = _item_share(cost, "array", "the array")
        holds = "space cells at that price; space matches the ground with " + _breakeven_array(cost)
    return ClaimRow(
        f"[cost] array_usd_per_w = ${people(given)}/W (default ${people(default)}/W)",
        f"solar cells at {people(given / default)} x the default price",
        finds,
        holds,
    )


def _ratio_row(cost) -> ClaimRow:
    finds = (
        f"space costs {people(cost.ratio)} x the ground "
        f"(${people(float(cost.space.usd_per_kw_year))} against "
        f"${people(float(cost.ground.usd_per_kw_year))} per kW-year)"
    )
    if cost.ratio_as_claimed is not None:
        finds += (
            f"; {people(cost.ratio_as_claimed)} x at the claimed "
            f"{people(cost.claimed_kw_per_tonne)} kW/t"
        )
    return ClaimRow(
        "space is the cheapest place for AI compute",
        "a space/ground cost ratio below 1",
        finds,
        _breakeven_launch(cost) + "; or " + _breakeven_array(cost),
    )


def claims(plan) -> list[ClaimRow]:
    """One row per claim ``plan``'s scenario states, then the space/ground comparison.

    Rows: ``[launch] kw_per_tonne``, ``cost_per_flight_usd`` (or ``cost_per_kg_usd``)
    and ``flights_per_year``
    when the scenario gives them, ``[cost] array_usd_per_w`` when it gives one below
    the default, and whether space is cheaper than the ground when the cost stage ran.
    """
    c = plan.constellation
    launch, prices = c.launch, c.cost
    rows = []
    if launch.kw_per_tonne is not None:
        rows.append(_kw_per_tonne_row(plan))
    if launch.cost_per_flight_usd is not None or launch.cost_per_kg_usd is not None:
        rows.append(_launch_price_row(plan))
    if _stated(launch, "flights_per_year") and launch.flights_per_year is not None:
        rows.append(_flights_row(plan))
    default = type(prices)().array_usd_per_w  # the [cost] table's default
    if _stated(prices, "array_usd_per_w") and prices.array_usd_per_w < default:
        rows.append(_array_row(plan, default))
    if plan.cost is not None:
        rows.append(_ratio_row(plan.cost))
    return rows


def claim_records(rows: list[ClaimRow]) -> list[dict]:
    """``rows`` as a table's records, the columns' headings as keys."""
    return [
        {
            "claim": r.claim,
            "what it implies": r.implies,
            "what the planner finds": r.finds,
            "would hold if": r.holds_if,
        }
        for r in rows
    ]


#: The headline figures in the terminal: a short table at the end of ``orbital-dc plan``.
HEADLINE = Table(
    "Headline figures",
    (
        Column("figure", lambda h: h.label, "left"),
        Column("value", lambda h: h.text),
    ),
)

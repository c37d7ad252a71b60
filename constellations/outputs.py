"""A plan's headline numbers by name: what a trade study records at every point.

:data:`constellations.model.study.OUTPUTS` names them (with their units);
:func:`plan_outputs` reads them from a typed :class:`~constellations.planner.Plan`
and :data:`STAGES_FOR` says which stages each needs, so that a study plans no
more than it records.  A value the plan cannot give (a stage skipped, no shell
that closes, no FLOPS figure) is NaN, never an error: a study point whose
design does not close is a row of NaN.
"""

import math

import numpy as np

from constellations.model.study import OUTPUTS

#: The stages each output needs (their prerequisites come with them).
STAGES_FOR = {
    "kw_per_tonne": ("closure",),
    "usd_per_pflop_day": ("cost", "network"),
    "space_to_ground_ratio": ("cost", "network"),
    "lcoc_usd_per_kw_year": ("cost", "network"),
    "installed_gw": ("cadence",),
    "uncontrolled_lifetime_days": ("closure",),
    "longest_eclipse_min": ("illumination",),
    "largest_cluster_mw": ("network",),
    "propellant_kg_per_tonne_year": ("closure",),
    "satellite_life_years": ("closure",),
    "dose_rad_si_per_year": ("radiation",),
    "shielding_needed_mm_al": ("radiation",),
    "user_latency_ms": ("resolve",),
}


def stages_for(outputs) -> tuple[str, ...]:
    """The stages a plan needs to give every one of ``outputs`` (names in :data:`OUTPUTS`)."""
    return tuple(sorted({stage for name in outputs for stage in STAGES_FOR[name]}))


def _worst_kw_per_tonne(plan) -> float:
    worst = None if plan.closure is None else plan.closure.worst
    return math.nan if worst is None else float(worst.sized.sizing.compute_kw_per_tonne)


def _cost(plan, read) -> float:
    return math.nan if plan.cost is None else float(read(plan.cost))


def _pflop_day(cost) -> float:
    if cost.pflops_per_kw is None:
        return math.nan
    return cost.space.usd_per_pflop_day(cost.pflops_per_kw)


def _shortest_lifetime(plan) -> float:
    if plan.closure is None:
        return math.nan
    days = [
        case.lifetime_days_uncontrolled
        for shell in plan.closure.shells
        if shell.drag is not None
        for case in shell.drag.cases
    ]
    return float(min(days)) if days else math.nan


def _longest_eclipse(plan) -> float:
    if plan.illumination is None:
        return math.nan
    return float(max(p.max_eclipse_min for shell in plan.illumination.shells for p in shell.planes))


def _closed(plan, read, pick) -> float:
    """``pick`` (max or min) of ``read(shell)`` over the shells that close; NaN for none."""
    if plan.closure is None:
        return math.nan
    values = [float(read(shell)) for shell in plan.closure.shells if shell.closes]
    return pick(values) if values else math.nan


def _radiation(plan, read) -> float:
    if plan.radiation is None or not plan.radiation.shells:
        return math.nan
    return max(float(read(shell)) for shell in plan.radiation.shells)


def _dose_behind_wall(shell) -> float:
    from constellations.stages.radiation import dose_behind_rad_si_per_year

    return dose_behind_rad_si_per_year(shell.dose_depth_rad_si_per_year, shell.shielding_mm_al)


def _user_latency(plan) -> float:
    from orbital.user_link import one_way_latency_ms

    shells = plan.constellation.shells
    if not shells:
        return math.nan
    return float(one_way_latency_ms(max(shell.altitude_km for shell in shells)))


_READERS = {
    "kw_per_tonne": _worst_kw_per_tonne,
    "usd_per_pflop_day": lambda plan: _cost(plan, _pflop_day),
    "space_to_ground_ratio": lambda plan: _cost(plan, lambda c: c.ratio),
    "lcoc_usd_per_kw_year": lambda plan: _cost(plan, lambda c: c.space.usd_per_kw_year),
    "installed_gw": lambda plan: (
        math.nan if plan.cadence is None else float(np.asarray(plan.cadence.installed_gw)[-1])
    ),
    "uncontrolled_lifetime_days": _shortest_lifetime,
    "longest_eclipse_min": _longest_eclipse,
    "largest_cluster_mw": lambda plan: (
        math.nan
        if plan.network is None
        else float(plan.network.snapshot.largest_cluster_compute_mw)
    ),
    "propellant_kg_per_tonne_year": lambda plan: _closed(
        plan, lambda shell: shell.propellant_kg_per_tonne_year, max
    ),
    "satellite_life_years": lambda plan: _closed(plan, lambda shell: shell.life_years, min),
    "dose_rad_si_per_year": lambda plan: _radiation(plan, _dose_behind_wall),
    "shielding_needed_mm_al": lambda plan: _radiation(
        plan, lambda shell: shell.shielding_needed_mm_al
    ),
    "user_latency_ms": _user_latency,
}


def plan_outputs(plan, outputs=tuple(OUTPUTS)) -> dict[str, float]:
    """``{name: value}`` of ``outputs`` (names in :data:`OUTPUTS`, in their units), NaN where
    the plan cannot give one.  Raises ``KeyError`` for a name that is not an output."""
    return {name: _READERS[name](plan) for name in outputs}

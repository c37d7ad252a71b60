"""plan(): a constellation in, a typed :class:`Plan` out, running only the stages asked for.

The stages and what each needs::

    resolve       the shells' elements at the epoch (every other stage needs it), and
                  the element sets checked at the epoch (days from it, failed before it)
    illumination  a year of sunlight for every plane                    <- resolve
    radiation     trapped protons and electrons, dose and shielding     <- resolve
    closure       each shell's satellite sized, with its drag and its   <- illumination,
                  shielding                                                radiation
    network       the laser mesh at the epoch and over one orbit        <- closure (compute)
    cadence       launches turned into satellites and gigawatts         <- closure
    fleet         the fleet's sunlight over one orbit (every satellite) <- resolve
    cost          the levelised cost of the compute, and on the ground  <- cadence
                  (and the mesh's largest cluster when network runs too)
    formation     close formations: separations, drift and station      <- closure
                  keeping, loss of control, shading, the cluster's mesh

``plan(constellation, stages={"closure"})`` runs resolve, illumination and
closure, each once, and nothing else.  The plan JSON comes from
:func:`constellations.records.plan_record`; the planner knows no JSON key.

A stage that cannot run for this design (no Walker shell to size, a
satellite that does not close, so nothing to launch) is left out and
:attr:`Plan.skipped` says why: that is a result, not an error.
"""

from dataclasses import dataclass, field

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.constellation import Constellation
from constellations.stages.elements import ElementSetCheck, check_element_sets
from constellations.stages.resolve import ResolvedShell, longest_period_min, resolve

#: Every stage, in the order they run.
STAGES = (
    "resolve",
    "illumination",
    "radiation",
    "closure",
    "network",
    "cadence",
    "fleet",
    "cost",
    "formation",
)

#: What each stage needs run before it.
PREREQUISITES = {
    "resolve": (),
    "illumination": ("resolve",),
    "radiation": ("resolve",),
    "closure": ("illumination", "radiation"),
    "network": ("closure",),
    "cadence": ("closure",),
    "fleet": ("resolve",),
    "cost": ("cadence",),
    "formation": ("closure",),
}


def with_prerequisites(stages) -> tuple[str, ...]:
    """``stages`` and everything they need, in running order.

    Raises ``ScenarioError`` naming an unknown stage.
    """
    from constellations.model.keys import closest

    wanted = set()
    pending = list(stages)
    while pending:
        stage = pending.pop()
        if stage not in PREREQUISITES:
            close = closest(stage, STAGES)
            hint = f"did you mean {close!r}? " if close else ""
            raise ScenarioError(
                f"stage {stage!r}: not a stage of the plan; {hint}choose from {', '.join(STAGES)}"
            )
        if stage not in wanted:
            wanted.add(stage)
            pending.extend(PREREQUISITES[stage])
    return tuple(s for s in STAGES if s in wanted)


@dataclass(frozen=True, eq=False)
class Plan:
    """What :func:`plan` found: one optional result per stage, None where it was not run.

    ``stages`` lists the stages run; ``skipped`` maps a stage that was asked
    for but could not run for this design to the reason.  ``element_set_checks``
    holds one :class:`~constellations.stages.elements.ElementSetCheck` per
    element set (how far each satellite's elements are from the epoch, which
    had failed in SGP4 before it; those are NaN in every stage).  The year of the
    illumination analysis is ``illumination.year``, the mesh snapshot's time
    ``network.snapshot.time_s``.
    """

    constellation: Constellation
    stages: tuple[str, ...]
    resolved: tuple[ResolvedShell, ...] | None = None
    illumination: object = None  # stages.illumination.IlluminationResult
    radiation: object = None  # stages.radiation.RadiationResult
    closure: object = None  # stages.closure.ClosureResult
    network: object = None  # stages.mesh_orbit.NetworkResult
    cadence: object = None  # stages.cadence.CadenceResult
    fleet: object = None  # stages.illumination.FleetSunlight
    cost: object = None  # stages.cost.CostResult
    formation: object = None  # stages.formation.FormationResult (None without formations)
    element_set_checks: tuple[ElementSetCheck, ...] = ()
    skipped: dict = field(default_factory=dict)


def one_orbit_grid(constellation: Constellation, resolved, steps: int = 96):
    """``steps`` samples over exactly one orbit from the epoch, endpoint excluded.

    Whole periods keep orbit averages unbiased (96 one-minute steps would be
    1.05 orbits at 340 km).  The longest shell period is used.
    """
    from orbital.times import TimeGrid

    period_s = 60.0 * longest_period_min(resolved)
    return TimeGrid.from_offsets(constellation.epoch, np.arange(steps) * (period_s / steps))


def plan(
    constellation: Constellation,
    *,
    stages=STAGES,
    year: int | None = None,
    network_start_s: float = 0.0,
    progress=None,
) -> Plan:
    """The plan of ``constellation``: the ``stages`` asked for and their prerequisites, once each.

    ``stages`` is a set of stage names (a single name is taken as one);
    ``year`` is the year of the illumination analysis (default: the
    epoch's); ``network_start_s`` when the mesh snapshot is taken, seconds
    after the epoch; ``progress(stage, advance, total)``, when given, is told
    how the work goes (planes analysed, snapshots of the mesh, satellites
    propagated).  A pure function of its arguments: nothing is printed or
    written.  Raises ``ScenarioError`` for an unknown stage or a year outside
    the Sun model's span.
    """
    run = with_prerequisites((stages,) if isinstance(stages, str) else stages)
    report = progress or (lambda stage, advance, total: None)
    skipped: dict[str, str] = {}
    resolved = tuple(resolve(constellation))
    checks = check_element_sets(constellation)
    illumination = radiation = closure = network = cadence = fleet = cost = None
    if "illumination" in run:
        illumination = _illumination(constellation, resolved, year, report, skipped)
    if "radiation" in run:
        radiation = _radiation(constellation, resolved, report, skipped)
    if "closure" in run and illumination is not None and radiation is not None:
        from constellations.stages.closure import close_constellation

        n_shells = len(resolved)
        report("sizing with drag", 0, n_shells)
        closure = close_constellation(
            constellation,
            illumination,
            progress=lambda n: report("sizing with drag", n, n_shells),
            radiation=radiation,
        )
    if "network" in run:
        network = _network(constellation, resolved, closure, network_start_s, report, skipped)
    if "cadence" in run and closure is not None:
        cadence = _cadence(constellation, closure, skipped)
    if "fleet" in run:
        from constellations.stages.illumination import fleet_powered_fraction

        report("fleet over one orbit", 0, constellation.n_sats)
        fleet = fleet_powered_fraction(
            constellation,
            one_orbit_grid(constellation, resolved),
            resolved=resolved,
            progress=lambda n: report("fleet over one orbit", n, constellation.n_sats),
        )
    if "cost" in run and cadence is not None:
        from constellations.stages.cost import levelised_cost

        report("cost", 0, 1)
        cost = levelised_cost(constellation, closure, cadence, network)
        report("cost", 1, 1)
    formation = None
    flies_formations = any(r.shell.formation is not None for r in resolved)
    if "formation" in run and closure is not None and flies_formations:
        from constellations.stages.formation import formation_figures
        from constellations.stages.network import cluster_mesh

        report("formations", 0, 1)
        formation = formation_figures(constellation, resolved, closure, cluster_mesh)
        report("formations", 1, 1)
    found = {
        "illumination": illumination,
        "radiation": radiation,
        "closure": closure,
        "network": network,
        "cadence": cadence,
        "fleet": fleet,
        "cost": cost,
        "formation": formation,
    }
    for stage, result in found.items():
        if stage == "formation" and not flies_formations:
            continue  # nothing to say about formations a scenario does not fly
        if stage in run and result is None:
            missing = [p for p in PREREQUISITES[stage] if p in found and found[p] is None]
            needs = f"needs {missing[0]}, which could not run" if missing else "could not run"
            skipped.setdefault(stage, needs)
    return Plan(
        constellation,
        run,
        resolved=resolved,
        element_set_checks=checks,
        skipped=skipped,
        **found,
    )


def _illumination(constellation, resolved, year, report, skipped):
    if not resolved:
        skipped["illumination"] = "no Walker shells: element sets have no planes"
        return None
    from constellations.stages.illumination import checked_year, illuminate

    # A bad year is refused before any progress is reported (the error stays one line).
    year = checked_year(constellation.epoch.year if year is None else year)
    total = sum(r.shell.planes for r in resolved)
    report("sunlight by plane", 0, total)
    return illuminate(
        constellation,
        resolved,
        year,
        progress=lambda n: report("sunlight by plane", n, total),
    )


def _radiation(constellation, resolved, report, skipped):
    if not resolved:
        skipped["radiation"] = "no Walker shells: element sets have no altitude to average over"
        return None
    from constellations.stages.radiation import trapped_radiation

    report("trapped radiation", 0, len(resolved))
    return trapped_radiation(
        constellation,
        resolved,
        progress=lambda n: report("trapped radiation", n, len(resolved)),
    )


def _network(constellation, resolved, closure, start_s, report, skipped):
    from constellations.stages.mesh_orbit import mesh_over_orbit

    design = constellation.links
    if not resolved and design.topology == "+grid":
        skipped["network"] = (
            "no Walker shells for a +grid mesh; add a [[shells]] table or set [links] "
            'topology = "nearest"'
        )
        return None
    from constellations.stages.closure import compute_kw_per_group

    compute_kw = compute_kw_per_group(constellation, closure)
    report("laser mesh over one orbit", 0, design.snapshots)
    return mesh_over_orbit(
        constellation,
        resolved,
        design,
        compute_kw,
        shed=constellation.satellite.battery.policy == "shed",
        period_min=longest_period_min(resolved),
        start_s=start_s,
        progress=lambda n: report("laser mesh over one orbit", n, design.snapshots),
    )


def _cadence(constellation, closure, skipped):
    if not closure.closed:
        skipped["cadence"] = "no shell's satellite closes: nothing to launch"
        return None
    failed = [s for s in closure.shells if not s.closes]
    if failed:
        skipped["cadence"] = f"shell {failed[0].name}: {failed[0].not_closed}"
        return None
    from constellations.stages.cadence import launch_cadence, shell_supplies, too_heavy

    supplies = shell_supplies(constellation, closure, constellation.launch)
    heavy = too_heavy(supplies)
    if heavy is not None:
        skipped["cadence"] = heavy
        return None
    return launch_cadence(constellation, closure, supplies=supplies)

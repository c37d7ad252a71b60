"""What writes the constellation itself: positions (``propagate``), OMM (``omm``), CZML."""

import math

from constellations.errors import ScenarioError
from constellations.io.scenario import load_scenario
from constellations.present.tables import plural
from constellations.present.terminal import Progress, say


def cmd_propagate(args) -> int:
    import numpy as np

    from constellations.io.atomic import check_not_inputs, check_writable
    from constellations.io.positions import check_fits, check_output, write_positions
    from constellations.stages.propagate import satellite_table, stream_positions
    from orbital.times import TimeGrid

    if not (math.isfinite(args.hours) and args.hours > 0):
        raise ScenarioError(f"--hours {args.hours:g}: must be a positive number of hours")
    if not (math.isfinite(args.step_s) and args.step_s > 0):
        raise ScenarioError(f"--step-s {args.step_s:g}: must be a positive number of seconds")
    check_writable(args.out, "--out")
    constellation = load_scenario(args.scenario)
    check_not_inputs(args, constellation, options={"out": "--out"})
    _element_set_notes(constellation)
    n_steps = int(args.hours * 3600.0 / args.step_s) + 1
    check_fits(args.out, constellation.n_sats, n_steps, 4 if args.float32 else 8)
    grid = TimeGrid.uniform(constellation.epoch, args.hours * 3600.0, args.step_s)
    check_output(args.out, constellation.n_sats * len(grid))
    dtype = np.float32 if args.float32 else np.float64
    names = [s.name for s in constellation.shells] + [e.name for e in constellation.element_sets]
    chunks = stream_positions(
        constellation, grid, frame=args.frame, dtype=dtype, method=args.method
    )
    with Progress("propagating", constellation.n_sats) as progress:
        write_positions(
            args.out,
            chunks,
            n_sat=constellation.n_sats,
            t_s=grid.t_s,
            table=satellite_table(constellation),
            shell_names=names,
            epoch=constellation.epoch.isoformat(),
            frame=args.frame,
            dtype=dtype,
            progress=progress.advance,
        )
    say(
        f"{plural(constellation.n_sats, 'satellite')} x {plural(len(grid), 'step')} "
        f"({args.frame}) "
        f"written to {args.out}"
    )
    return 0


def _element_set_notes(constellation) -> None:
    """On stderr: how far the element sets are from the epoch, which failed before it."""
    from constellations.present.tables import element_set_notes
    from constellations.stages.elements import check_element_sets

    for note in element_set_notes(check_element_sets(constellation)):
        say(note)


def cmd_omm(args) -> int:
    from constellations.io.atomic import check_not_inputs, check_writable
    from constellations.io.omm import shell_omm_records, write_omm
    from constellations.stages.resolve import resolve

    check_writable(args.out, "--out")

    constellation = load_scenario(args.scenario)
    check_not_inputs(args, constellation, options={"out": "--out"})
    resolved = resolve(constellation)
    if args.shell is not None:
        resolved = [r for r in resolved if r.shell.name == args.shell]
        if not resolved:
            names = ", ".join(s.name for s in constellation.shells)
            raise ScenarioError(f"--shell {args.shell}: no such shell; this scenario has: {names}")
    formations = [r.shell.name for r in resolved if r.shell.formation is not None]
    resolved = [r for r in resolved if r.shell.formation is None]
    if not resolved:
        which = (
            f" (formation {formations[0]!r}: members have no SGP4 elements)" if formations else ""
        )
        raise ScenarioError(f"{args.scenario}: has no Walker shells to write as OMM{which}")
    records = [record for r in resolved for record in shell_omm_records(r)]
    write_omm(records, args.out)
    say(f"{plural(len(records), 'OMM element set')} written to {args.out}")
    return 0


def write_czml(plan, path) -> None:
    """``plan --czml PATH``: the plan over one orbit as CZML for Cesium, and one line saying so."""
    from constellations.present.czml import write_plan_czml

    say(f"CZML written to {path} ({write_plan_czml(plan, path).summary})")

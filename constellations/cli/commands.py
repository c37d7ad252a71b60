"""The commands: each is ``plan(stages=...)`` on the scenario, then tables, JSON and pages.

Because every command plans through the same :func:`constellations.planner.plan`,
``size``, ``drag``, ``eclipse``, ``links``, ``compare``, ``report`` and ``plan``
cannot disagree.  Output paths are checked before any work starts.
"""

import shlex
import sys

from constellations.cli.figures import check_figures_folder, write_figures, write_pages
from constellations.errors import ScenarioError
from constellations.io.atomic import check_not_inputs
from constellations.present import tables
from constellations.present.shell_tables import (
    print_closure,
    print_drag,
    print_radiation,
    print_shells,
    print_sunlight,
)
from constellations.present.terminal import Progress, console, rich_table, say, show


def _load(name):
    from constellations.io.scenario import load_scenario

    return load_scenario(name)


def _check_targets(**paths) -> None:
    """Refuse output paths that cannot be written before any work starts ('-' is stdout);
    the keywords are the options (``json=args.json`` is ``--json``, ``o`` is ``-o``)."""
    from constellations.io.atomic import check_writable

    for name, path in paths.items():
        if path is not None and path != "-":
            check_writable(path, f"-{name}" if len(name) == 1 else f"--{name}")


def _plan(args, constellation, stages, **options):
    from constellations.planner import plan

    check_not_inputs(args, constellation)  # before any work
    with Progress() as progress:
        result = plan(
            constellation,
            stages=stages,
            year=getattr(args, "year", None),
            progress=progress,
            **options,
        )
    for note in tables.element_set_notes(result.element_set_checks):
        say(note)
    return result


def _provenance(args, scenario_sha256: str | None = None) -> dict:
    from constellations.records import provenance_record

    return provenance_record(
        command=shlex.join(["orbital-dc", *args.argv]), scenario_sha256=scenario_sha256
    )


def _emit(record: dict, target, what: str, show_tables) -> None:
    """JSON on stdout when ``target`` is '-' (and no tables); otherwise the tables, and the
    JSON into the file ``target`` when given."""
    from constellations.records import to_json_text

    text = to_json_text(record)
    if target == "-":
        sys.stdout.write(text)
        return
    if target:  # first, so that a reader closing the tables early (| head) loses nothing
        _write_text(target, text, what)
    show_tables()


def _write_text(path, text: str, what: str) -> None:
    from constellations.io.atomic import atomic_write

    with atomic_write(path) as handle:
        handle.write(text)
    say(f"{what} written to {path}")


def _require_shells(constellation, name, what: str) -> None:
    if not constellation.shells:
        raise ScenarioError(f"{name}: has no Walker shells {what}; add a [[shells]] table")


def _plan_shells(args, stages, what: str):
    """The checks every per-shell command makes (its --json target, Walker shells to work
    on), then the plan of the stages it shows."""
    _check_targets(json=args.json)
    constellation = _load(args.scenario)
    _require_shells(constellation, args.scenario, what)
    return _plan(args, constellation, stages)


def _skipped(plan) -> None:
    for stage, why in plan.skipped.items():
        console().print(f"{stage}: not run: {why}", markup=False)


def cmd_presets(args) -> int:
    from constellations.io.scenario import DEFAULT_PRESET, load_scenario, preset_names
    from constellations.io.study import study_names, study_text

    if args.name is not None:  # the preset's file, to start a scenario of one's own from
        from constellations.io.scenario import preset_text
        from constellations.model.keys import closest

        if args.name in study_names():
            sys.stdout.write(study_text(args.name))
            return 0
        names = preset_names()
        if args.name not in names:
            close = closest(args.name, names + study_names(), cutoff=0.6)
            hint = f"did you mean {close!r}? " if close else ""
            raise ScenarioError(
                f"presets {args.name}: no such preset; {hint}give one of: "
                f"{', '.join(names + study_names())}"
            )
        sys.stdout.write(preset_text(args.name))
        return 0

    presets = tables.Table(
        "Presets (run one with: orbital-dc plan NAME)",
        (
            tables.Column("name", lambda r: r[0], "left"),
            tables.Column("satellites", lambda r: f"{r[1].n_sats:,}"),
            tables.Column("shells", lambda r: str(len(r[1].shells) + len(r[1].element_sets))),
            tables.Column("description", lambda r: r[1].description, "left"),
        ),
    )
    items = [
        (f"{n} (default)" if n == DEFAULT_PRESET else n, load_scenario(n)) for n in preset_names()
    ]
    show(presets, items)
    from constellations.cli.study import show_studies

    show_studies()
    return 0


def print_plan(plan) -> None:
    """Every table of ``plan`` the stages it ran fill."""
    out = console()
    c = plan.constellation
    print_shells(plan)
    if plan.illumination is not None:
        print_sunlight(plan.illumination, plan.fleet)
    elif plan.fleet is not None:  # element sets only: no planes, no year of sunlight
        out.print(tables.fleet_note(plan.fleet), markup=False)
    if plan.radiation is not None:
        print_radiation(plan)
    if plan.closure is not None:
        print_closure(plan.closure)
    if plan.network is not None:
        out.print(rich_table(tables.MESH, tables.mesh_rows(plan.network)))
    if plan.formation is not None:
        out.print(rich_table(tables.FORMATION, tables.formation_rows(plan.formation)))
    if plan.cadence is not None:
        labels = [c.name]
        out.print(rich_table(tables.compare_table(labels), tables.compare_rows([plan.cadence])))
    if plan.cost is not None:
        from constellations.present.cost_tables import print_cost

        print_cost(plan)
    from constellations.present.headline import HEADLINE, headline

    figures = headline(plan)
    if figures:
        out.print(rich_table(HEADLINE, figures))
    _skipped(plan)


def cmd_plan(args) -> int:
    from constellations.planner import STAGES

    _check_targets(json=args.json, html=args.html, czml=args.czml)
    check_figures_folder(args.figures)
    stages = STAGES
    if args.stages is not None:
        stages = [s.strip() for s in args.stages.split(",") if s.strip()]
        if not stages:
            raise ScenarioError("--stages: name at least one stage, such as --stages closure")
    from constellations.io.scenario import read_scenario
    from constellations.records import plan_record

    constellation, scenario_sha256 = read_scenario(args.scenario)
    plan = _plan(args, constellation, stages)
    provenance = _provenance(args, scenario_sha256)
    record = plan_record(plan, provenance)
    _emit(record, args.json, "plan JSON", lambda: print_plan(plan))
    if args.html or args.figures:
        write_pages(plan, args.html, args.figures, args.figure_format, provenance)
    if args.czml:
        from constellations.cli.exports import write_czml

        write_czml(plan, args.czml)
    return 0


def cmd_report(args) -> int:
    from constellations.io.scenario import read_scenario
    from constellations.planner import STAGES

    _check_targets(o=args.out)
    check_figures_folder(args.figures)
    constellation, scenario_sha256 = read_scenario(args.scenario)
    plan = _plan(args, constellation, STAGES)
    write_pages(
        plan, args.out, args.figures, args.figure_format, _provenance(args, scenario_sha256)
    )
    return 0


def cmd_size(args) -> int:
    from constellations.records import size_record
    from constellations.stages.closure import design_as_sized, solve_for

    if (args.target_kw_per_tonne is None) != (args.solve_for is None):
        raise ScenarioError(
            "--target-kw-per-tonne and --solve-for go together; give both or neither"
        )
    if args.solve_for:
        from constellations.stages.closure import check_solvable

        check_solvable(args.solve_for, args.target_kw_per_tonne)  # before any work
    plan = _plan_shells(args, {"closure"}, "to size against")
    constellation = plan.constellation
    solutions = []
    if args.solve_for:
        sunlight = {s.resolved.shell.name: s for s in plan.illumination.shells}
        for closed in plan.closure.closed:
            held = design_as_sized(constellation.satellite, closed)  # the drag's budget, held
            radiation = plan.radiation.of(closed.name)
            solutions.append(
                solve_for(
                    held,
                    sunlight[closed.name],
                    args.solve_for,
                    args.target_kw_per_tonne,
                    radiation=radiation,
                )
            )

    def show_size():
        if plan.radiation is not None:
            print_radiation(plan)
        print_closure(plan.closure, drag=False)
        for solution in solutions:
            console().print(tables.solution_line(solution), markup=False)

    _emit(size_record(plan, solutions), args.json, "sizing JSON", show_size)
    return 0


def cmd_drag(args) -> int:
    from constellations.records import drag_shells_record

    plan = _plan_shells(args, {"closure"}, "to analyse")
    closure = plan.closure

    def show_drag():
        print_drag(closure)

    _emit(drag_shells_record(plan), args.json, "drag JSON", show_drag)
    return 0


def cmd_eclipse(args) -> int:
    from constellations.records import eclipse_record

    plan = _plan_shells(args, {"illumination"}, "to analyse")
    illumination = plan.illumination

    def show_eclipse():
        print_sunlight(illumination)

    _emit(eclipse_record(plan), args.json, "eclipse JSON", show_eclipse)
    return 0


def cmd_links(args) -> int:
    from constellations.io.graphml import write_graphml
    from constellations.records import links_record, to_json_text
    from orbital.times import Epoch

    _check_targets(json=args.json, graphml=args.graphml)
    constellation = _load(args.scenario)
    start_s = 0.0
    if args.time:
        from orbital.seasons import check_year

        try:
            when = Epoch.parse(args.time)
            check_year(when.year)
            # SI seconds from the epoch, as every t_s counts: SGP4 is given the UTC asked for.
            start_s = (when - constellation.epoch).total_seconds()
        except ValueError as exc:
            raise ScenarioError(f"--time {args.time}: {' '.join(str(exc).split())}") from None
    stage = "network"  # a stage's name, not the plan JSON's key
    plan = _plan(args, constellation, {stage}, network_start_s=start_s)
    if plan.network is None:
        # the mesh's own reason: the stages it pulled in have theirs, which were joined
        why = plan.skipped.get(stage) or "; ".join(plan.skipped.values()) or "no mesh"
        raise ScenarioError(f"{args.scenario}: {why}")
    if args.graphml:
        write_graphml(plan.network.graph, args.graphml)
        say(f"GraphML written to {args.graphml}")
    if args.json:
        text = to_json_text(links_record(plan, with_edges=True))
        if args.json == "-":
            sys.stdout.write(text)
            return 0
        _write_text(args.json, text, "links JSON")
    show(tables.MESH, tables.mesh_rows(plan.network), tables.out_of_range_notes(plan.closure))
    return 0


def cmd_compare(args) -> int:
    from constellations.planner import plan
    from constellations.records import compare_record, cost_record
    from constellations.stages.cadence import launch_cadence

    _check_targets(json=args.json, html=args.html)
    check_figures_folder(args.figures)
    columns, costs, sources, notes = [], [], {}, []
    # Every scenario read and checked before any progress: bad input stays one line on stderr.
    scenarios = [(name, _load(name)) for name in args.scenarios]
    check_not_inputs(args, *(c for _, c in scenarios), scenarios=args.scenarios)
    for name, constellation in scenarios:
        _require_shells(constellation, name, "to launch into")
    with Progress("scenarios", len(scenarios)) as progress:
        for name, constellation in scenarios:
            result = plan(constellation, stages=("cadence", "cost"))
            if result.cadence is None:
                why = " ".join(result.skipped.values()) or "nothing to launch"
                raise ScenarioError(f"{name}: {why}")
            columns.append((constellation.name, result.cadence))
            if result.cost is not None:
                costs.append((constellation.name, result.cost))
            notes += tables.out_of_range_notes(result.closure, f"{constellation.name}: ")
            sources[constellation.name] = list(constellation.sources)
            if constellation.launch.kw_per_tonne is not None:  # the claim, then the physics
                derived = constellation.launch.replace(kw_per_tonne=None)
                sized = launch_cadence(constellation, result.closure, derived)
                columns.append((f"{constellation.name} (sized kW/t)", sized))
            progress.advance(1)
    labels = [label for label, _ in columns]
    cadences = [c for _, c in columns]

    def show_compare():
        from constellations.present import cost_tables

        show(tables.compare_table(labels), tables.compare_rows(cadences), notes)
        show(cost_tables.COMPARE, cost_tables.compare_rows(costs))

    record = compare_record(columns)
    by_name = {c.name: c for _, c in scenarios}
    for label, cost in costs:
        record.setdefault("cost", []).append(
            {"scenario": label, **cost_record(cost, by_name[label].cost)}
        )
    _emit(record, args.json, "comparison JSON", show_compare)
    if args.html or args.figures:
        from constellations.present.report import compare_figures, compare_report_html

        figures = compare_figures(columns, costs)
        if args.figures:  # before the report: a browser failure then leaves no report
            write_figures(figures, args.figures, args.figure_format)
        if args.html:
            from constellations.records import provenance_facts

            footer = provenance_facts(_provenance(args))
            page = compare_report_html(columns, sources, figures, costs, footer)
            _write_text(args.html, page, "comparison report")
    return 0


def cmd_schema(args) -> int:
    import json

    if args.which == "plan":
        from constellations.records import plan_schema

        schema = plan_schema()
    else:
        from constellations.model.scenario import ScenarioFile
        from constellations.model.study import StudyFile

        model = StudyFile if args.which == "study" else ScenarioFile
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        schema.update(model.model_json_schema())
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return 0

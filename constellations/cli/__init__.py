"""The ``orbital-dc`` command line.

Heavy libraries (numpy, sgp4, skyfield, astropy, plotly) are imported inside
the commands, so ``orbital-dc --help`` answers at once.  Bad input ends with
one line on stderr that says what to change, and exit status 2.
"""

import argparse
import sys

EXIT_BAD_INPUT = 2
#: The formats ``orbital-dc schema`` prints as JSON Schema.
SCHEMAS = ("scenario",)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_scenario(parser):
    parser.add_argument(
        "scenario",
        metavar="SCENARIO_OR_PRESET",
        help="a scenario TOML file, or the name of a preset (see 'orbital-dc presets')",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="orbital-dc",
        description="Plan constellations of compute satellites: data centers in low orbit.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    commands.add_parser("presets", help="list the shipped scenarios")

    plan = commands.add_parser("plan", help="plan a scenario: summary table and JSON")
    _add_scenario(plan)
    plan.add_argument("--json", metavar="FILE", help="write the plan JSON here ('-' for stdout)")
    plan.add_argument("--html", metavar="FILE", help="write the HTML report here")
    _add_figures(plan)

    plan.add_argument(
        "--year", type=int, help="year of the illumination analysis (default: the epoch's)"
    )

    size = commands.add_parser(
        "size", help="size arrays, radiators and batteries: compute per tonne and its mass"
    )
    _add_scenario(size)
    size.add_argument(
        "--target-kw-per-tonne",
        type=float,
        metavar="X",
        help="with --solve-for: the compute per tonne to reach",
    )
    size.add_argument(
        "--solve-for",
        metavar="PARAM",
        help="the one assumption to change to reach the target, such as radiator.temperature_k",
    )
    size.add_argument("--year", type=int, help="year of the illumination it sizes against")
    size.add_argument("--json", metavar="FILE", help="write the results here ('-' for stdout)")

    drag = commands.add_parser(
        "drag", help="drag at the shells' altitude: density, station keeping, lifetime"
    )
    _add_scenario(drag)
    drag.add_argument("--year", type=int, help="year of the illumination it sizes against")
    drag.add_argument("--json", metavar="FILE", help="write the results here ('-' for stdout)")

    links = commands.add_parser(
        "links", help="the laser mesh: clusters, their compute, diameters, all-reduce"
    )
    _add_scenario(links)
    links.add_argument("--time", metavar="ISO", help="snapshot time (default: the epoch)")
    links.add_argument("--graphml", metavar="FILE", help="write the mesh at that time as GraphML")
    links.add_argument(
        "--json", metavar="FILE", help="write the metrics and the edge list ('-' for stdout)"
    )

    report = commands.add_parser(
        "report", help="plan a scenario and write its self-contained HTML report"
    )
    _add_scenario(report)
    report.add_argument("-o", "--out", required=True, metavar="FILE", help="the report, .html")
    report.add_argument("--year", type=int, help="year of the illumination analysis")
    _add_figures(report)

    compare = commands.add_parser(
        "compare", help="launch-cadence scenarios side by side: gigawatts over the years"
    )
    compare.add_argument(
        "scenarios",
        metavar="SCENARIO_OR_PRESET",
        nargs="+",
        help="scenario files or presets (see 'orbital-dc presets')",
    )
    compare.add_argument(
        "--json", metavar="FILE", help="write the comparison here ('-' for stdout)"
    )
    compare.add_argument("--html", metavar="FILE", help="write the comparison as an HTML report")
    _add_figures(compare)

    eclipse = commands.add_parser(
        "eclipse", help="sunlight and eclipse seasons of every plane over a year"
    )
    _add_scenario(eclipse)
    eclipse.add_argument("--year", type=int, help="the year (default: the epoch's year)")
    eclipse.add_argument("--json", metavar="FILE", help="write the results here ('-' for stdout)")

    prop = commands.add_parser("propagate", help="write positions of every satellite")
    _add_scenario(prop)
    prop.add_argument("--hours", type=float, required=True, help="how long to propagate, hours")
    prop.add_argument("--step-s", type=float, required=True, help="time step, seconds")
    prop.add_argument("--out", required=True, metavar="FILE", help="output file, .npz or .csv")
    prop.add_argument(
        "--frame",
        choices=("itrs", "gcrs", "teme"),
        default="itrs",
        help="reference frame of the positions (default: itrs, Earth-fixed)",
    )
    prop.add_argument("--float32", action="store_true", help="store positions as float32")
    prop.add_argument(
        "--method",
        choices=("symmetry", "full"),
        default="symmetry",
        help="symmetry: one reference plane per phase class, rotated (default); "
        "full: SatrecArray on every satellite",
    )

    omm = commands.add_parser("omm", help="write OMM element sets for the shells")
    _add_scenario(omm)
    omm.add_argument(
        "--out", required=True, metavar="FILE", help="output file, .json, .csv or .xml"
    )
    omm.add_argument("--shell", metavar="NAME", help="only this shell (default: all shells)")

    schema = commands.add_parser("schema", help="print a file format's JSON Schema, for editors")
    schema.add_argument(
        "format", choices=SCHEMAS, help="scenario: the structure of a scenario TOML file"
    )
    return parser


def _console(stderr=False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console.width = 120  # logs and pipes: wide enough that tables do not wrap
    return console


class _Stages:
    """Rich progress bars on stderr, one per stage, shown only on a terminal.

    Call ``stages(name, advance, total)`` from the work; ``stages.advance(n)``
    when there is a single stage.
    """

    def __init__(self, first_stage: str, total: int):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=_console(stderr=True),
            transient=True,
            disable=not sys.stderr.isatty(),
        )
        self._first = first_stage
        self._tasks = {first_stage: self._progress.add_task(first_stage, total=total)}

    def __call__(self, stage: str, advance: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.advance(self._tasks[stage], advance)

    def advance(self, amount: int) -> None:
        self._progress.advance(self._tasks[self._first], amount)

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)


def _add_figures(command) -> None:
    command.add_argument(
        "--figures",
        metavar="DIR",
        help="also write every figure as a static image into this existing folder "
        "(needs Chrome or Chromium)",
    )
    command.add_argument(
        "--figure-format",
        choices=("png", "svg"),
        default="png",
        help="image format of --figures (default png)",
    )


def _check_figures_folder(folder) -> None:
    from pathlib import Path

    if folder and not Path(folder).is_dir():
        raise ValueError(f"--figures {folder}: no such folder; create it first")


def _write_figures(figures, folder, image_format) -> None:
    from viz.export import write_images

    with _Stages("figures as images", len(figures)) as stages:
        paths = write_images(figures, folder, image_format, progress=stages.advance)
    _console(stderr=True).print(f"{len(paths)} figures written to {folder} as {image_format}")


def _emit(result: dict, target, what: str, show) -> None:
    """The JSON of ``result`` on stdout when ``target`` is '-' (and no tables); otherwise
    ``show()`` prints the tables and the JSON goes to the file ``target``, if given."""
    from constellations.planner import to_json_text

    text = to_json_text(result)
    if target == "-":
        sys.stdout.write(text)
        return
    show()
    if target:
        _write_output(target, text, what)


def _check_targets(*paths) -> None:
    """Refuse output paths that cannot be written before any work starts ('-' is stdout)."""
    from constellations.io.atomic import check_writable

    for path in paths:
        if path and path != "-":
            check_writable(path)


def _write_output(path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` atomically and say so on stderr."""
    from constellations.io.atomic import atomic_write

    with atomic_write(path) as handle:
        handle.write(text)
    _console(stderr=True).print(f"{what} written to {path}")


def _cmd_presets(args) -> int:
    from rich.table import Table

    from constellations.io.scenario import DEFAULT_PRESET, load_scenario, preset_names

    table = Table(title="Presets (run one with: orbital-dc plan NAME)")
    for column in ("name", "satellites", "shells", "description"):
        table.add_column(column, justify="right" if column in ("satellites", "shells") else "left")
    for name in preset_names():
        c = load_scenario(name)
        label = f"{name} (default)" if name == DEFAULT_PRESET else name
        table.add_row(
            label, f"{c.n_sats:,}", str(len(c.shells) + len(c.element_sets)), c.description
        )
    _console().print(table)
    return 0


def _hh_mm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _summary_table(result: dict):
    from rich.table import Table

    table = Table(
        title=f"{result['scenario']}: {result['n_sats']:,} satellites at epoch {result['epoch']}"
    )
    columns = (
        "shell",
        "alt km",
        "incl deg",
        "orbit",
        "planes x sats",
        "F",
        "pattern",
        "satellites",
        "period min",
    )
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("shell", "orbit", "pattern") else "right"
        )
    for s in result["shells"]:
        if s["sun_synchronous"]:
            orbit = "SSO" + (
                f" LTAN {_hh_mm(s['ltan_hours'])}" if s["ltan_hours"] is not None else ""
            )
        else:
            orbit = "Walker"
        table.add_row(
            s["name"],
            f"{s['altitude_km']:g}",
            f"{s['inclination_deg']:.2f}",
            orbit,
            f"{s['planes']} x {s['sats_per_plane']}",
            str(s["phasing"]),
            s["pattern"],
            f"{s['n_sats']:,}",
            f"{s['period_min']:.2f}",
        )
    for e in result["element_sets"]:
        table.add_row(e["name"], "", "", "element set", "", "", "", f"{e['n_sats']:,}", "")
    return table


def _print_plan(result: dict) -> None:
    console = _console()
    console.print(_summary_table(result))
    console.print(_illumination_table(result))
    if result.get("sizing"):
        sizing = result["sizing"]
        if sizing.get("closes", True):
            title = f"Sizing per tonne, least favourable shell: {sizing['shell']}"
            _print_sizing(console, sizing, title)
        else:
            console.print(f"Sizing: the satellite does not close: {sizing['error']}")
    if result.get("network"):
        console.print(_network_table(result["network"]))
    with_drag = [s for s in result["shells"] if "drag" in s]
    if with_drag:
        console.print(_drag_table(with_drag))


def _cmd_plan(args) -> int:
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan

    _check_targets(args.json, args.html)
    _check_figures_folder(args.figures)
    constellation = load_scenario(args.scenario)
    planes = sum(s.planes for s in constellation.shells)
    kept = {}
    with _Stages("sunlight by plane", planes) as stages:
        result = plan(constellation, year=args.year, progress=stages, keep=kept)
    _emit(result, args.json, "plan JSON", lambda: _print_plan(result))
    if args.html or args.figures:
        from constellations.present.report import plan_figures, write_plan_report

        figures = plan_figures(constellation, result, kept)
        if args.figures:  # before the report: a browser failure then leaves no report
            _write_figures(figures, args.figures, args.figure_format)
        if args.html:
            write_plan_report(constellation, result, args.html, kept, figures)
            _console(stderr=True).print(f"HTML report written to {args.html}")
    return 0


def _day_label(year: int, day_of_year: int) -> str:
    from datetime import date, timedelta

    return (date(year, 1, 1) + timedelta(days=day_of_year - 1)).strftime("%d %b")


def _season_label(year: int, season) -> str:
    if season is None:
        return "none"
    first, last = season
    wraps = " (through New Year)" if first > last else ""
    return f"{_day_label(year, first)} - {_day_label(year, last)}{wraps}"


def _illumination_table(result: dict):
    from rich.table import Table

    year = result["shells"][0]["illumination"]["year"] if result["shells"] else ""
    table = Table(title=f"Sunlight in {year}: worst plane of each shell (mean over planes)")
    columns = (
        "shell",
        "sunlit %",
        "max eclipse min",
        "eclipse days",
        "longest season",
        "beta deg",
    )
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("shell", "longest season") else "right"
        )
    for s in result["shells"]:
        ill, mean = s["illumination"], s["illumination"]["mean"]
        table.add_row(
            f"{s['name']} (plane {ill['worst_plane']})",
            f"{100 * ill['sunlit_fraction_year']:.2f} ({100 * mean['sunlit_fraction_year']:.2f})",
            f"{ill['max_eclipse_min']:.1f} ({mean['max_eclipse_min']:.1f})",
            f"{ill['eclipse_days']} ({mean['eclipse_days']:.0f})",
            _season_label(ill["year"], ill["eclipse_season"]),
            f"{ill['min_beta_deg']:.1f} .. {ill['max_beta_deg']:.1f}",
        )
    notes = [
        f"{s['name']}: the SSO node drifts {s['ltan_drift_min_per_year']:+.1f} min of local time "
        "a year under SGP4 (J2-only inclination); the year's figures follow that drift"
        for s in result["shells"]
        if s.get("ltan_drift_min_per_year") is not None
    ]
    if notes:
        table.caption = "\n".join(notes)
    fleet = result.get("fleet_illumination")
    if fleet:
        mean_pct = 100 * fleet["orbit_mean_visible_fraction"]
        least_pct = 100 * fleet["min_visible_fraction"]
        notes.append(
            f"Fleet over one orbit from the epoch: {mean_pct:.2f} % of full-Sun power "
            f"on average, {least_pct:.2f} % at the least"
        )
        table.caption = "\n".join(notes)
    return table


def _sizing_table(sizing: dict, title: str):
    from rich.table import Table

    table = Table(title=title)
    table.add_column("per tonne", justify="left")
    table.add_column("value", justify="right")
    table.add_column("kg", justify="right")
    breakdown = sizing["mass_breakdown_kg_per_tonne"]
    rows = [
        (
            "compute",
            f"{sizing['compute_kw_per_tonne']:.1f} kW in sun, "
            f"{sizing['compute_kw_per_tonne_orbit_average']:.1f} kW orbit-average",
        ),
        (
            "array",
            f"{sizing['array_m2_per_tonne']:.1f} m2, "
            f"{sizing['array_power_kw_per_tonne']:.1f} kW at end of life",
        ),
        (
            "radiator",
            f"{sizing['radiator_m2_per_tonne']:.1f} m2, "
            f"{sizing['heat_rejected_kw_per_tonne']:.1f} kW rejected",
        ),
        ("battery", f"{sizing['battery_kwh_per_tonne']:.1f} kWh ({sizing['policy']})"),
    ]
    for name, text in rows:
        table.add_row(name, text, f"{breakdown[name]:.0f}")
    for name in breakdown:
        if name not in ("compute", "array", "radiator", "battery"):
            table.add_row(name, "", f"{breakdown[name]:.0f}")
    table.add_row("total", "", f"{sum(breakdown.values()):.0f}")
    pflops = sizing.get("pflops_per_tonne")
    notes = [
        f"satellite: {sizing['satellite_mass_kg']:,.0f} kg carrying "
        f"{sizing['satellite_compute_kw']:.1f} kW of compute; largest overhead: "
        f"{sizing['binding_constraint']}"
    ]
    if pflops is not None:
        notes.append(f"{pflops:.1f} PFLOPS per tonne ({sizing['flops_precision']})")
    policies = sizing.get("policies", {})
    if policies:
        ride, shed = policies["ride_through"], policies["shed"]
        notes.append(
            f"ride_through: {ride['compute_kw_per_tonne']:.1f} kW/t, battery "
            f"{ride['battery_kg_per_tonne']:.0f} kg/t; shed: {shed['compute_kw_per_tonne']:.1f} "
            f"kW/t in sun ({shed['compute_kw_per_tonne_orbit_average']:.1f} orbit-average), "
            "battery "
            f"{shed['battery_kg_per_tonne']:.0f} kg/t, "
            f"{shed['lost_compute_kwh_per_tonne_year']:,.0f} kWh/t of compute lost a year"
        )
    return table, notes


def _print_sizing(console, sizing: dict, title: str) -> None:
    table, notes = _sizing_table(sizing, title)
    console.print(table)
    for note in notes:
        console.print(f"  {note}")


def _cmd_size(args) -> int:

    from constellations.io.scenario import load_scenario
    from constellations.stages.atmosphere import ShellAtmosphere
    from constellations.stages.closure import design_as_sized, size_shell_with_drag, solve_for
    from constellations.stages.illumination import annual_illumination, illumination_summary

    if (args.target_kw_per_tonne is None) != (args.solve_for is None):
        raise ValueError("--target-kw-per-tonne and --solve-for go together; give both or neither")
    _check_targets(args.json)
    constellation = load_scenario(args.scenario)
    if not constellation.shells:
        raise ValueError(f"{args.scenario}: has no Walker shells to size against")
    records, solutions = [], []
    design = constellation.satellite
    for shell, year_result in annual_illumination(constellation, args.year):
        illumination = illumination_summary(year_result, shell.raan_deg)
        atmosphere = ShellAtmosphere.of(shell, constellation.epoch, constellation.drag)
        sizing, drag = size_shell_with_drag(
            design,
            shell,
            illumination,
            constellation.drag,
            atmosphere,
            beta_deg=year_result.beta_deg,
        )
        if not sizing["closes"]:
            raise ValueError(f"shell {shell.shell.name}: {sizing['error']}")
        records.append(sizing)
        if args.solve_for:
            held = design_as_sized(design, sizing)  # the drag's propulsion budget, held
            solution = solve_for(
                held, shell, illumination, args.solve_for, args.target_kw_per_tonne
            )
            solutions.append({"shell": shell.shell.name, **solution})
    result = {
        "scenario": constellation.name,
        "payload": constellation.satellite.payload,
        "shells": records,
    }
    if solutions:
        result["solve_for"] = solutions
    _emit(result, args.json, "sizing JSON", lambda: _print_size(records, solutions, constellation))
    return 0


def _print_size(records, solutions, constellation) -> None:
    console = _console()
    for record in records:
        _print_sizing(console, record, f"{constellation.name}, shell {record['shell']}")
    for s in solutions:
        if s["reachable"]:
            console.print(
                f"{s['shell']}: {s['parameter']} = {s['value']:.6g} reaches "
                f"{s['target_kw_per_tonne']:g} kW/t (now {s['current_value']:.6g}, "
                f"{s['current_kw_per_tonne']:.1f} kW/t)"
            )
        else:
            span = s["range_kw_per_tonne"]
            reach = f"{span[0]:.1f} to {span[1]:.1f} kW/t" if span else "nothing that closes"
            console.print(
                f"{s['shell']}: no {s['parameter']} in {s['searched'][0]:g}..{s['searched'][1]:g} "
                f"reaches {s['target_kw_per_tonne']:g} kW/t with every other assumption held "
                f"(that range gives {reach})"
            )


def _drag_table(shell_records: list[dict]):
    from rich.table import Table

    table = Table(
        title="Drag and station keeping per tonne (mean drag area; high case sizes thrusters)"
    )
    columns = (
        "shell",
        "case",
        "F10.7 / Ap",
        "density kg/m3",
        "area m2/t",
        "dv m/s/yr",
        "thrust mN/t",
        "power kW/t",
        "propellant kg/t/yr",
        "uncontrolled days",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("shell", "case") else "right")
    for record in shell_records:
        for name, c in record["drag"]["cases"].items():
            table.add_row(
                record["name"],
                name,
                f"{c['f107']:g} / {c['ap']:g}",
                f"{c['density_kg_m3']:.2e}",
                f"{c['drag_area_m2_per_tonne']:.1f}",
                f"{c['dv_m_s_per_year']:,.0f}",
                f"{c['thrust_mn_per_tonne']:.1f}",
                f"{c['thruster_power_kw_per_tonne']:.2f}",
                f"{c['propellant_kg_per_tonne_year']:.1f}",
                f"{c['lifetime_days_uncontrolled']:.1f}",
            )
    return table


def _cmd_drag(args) -> int:
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan

    _check_targets(args.json)
    constellation = load_scenario(args.scenario)
    if not constellation.shells:
        raise ValueError(f"{args.scenario}: has no Walker shells to analyse")
    result = plan(constellation, year=args.year, fleet=False)
    sizing = result["sizing"] or {}
    for shell in result["shells"]:
        if "drag" not in shell:
            failed = next(s for s in sizing["by_shell"] if s["shell"] == shell["name"])
            raise ValueError(f"shell {shell['name']}: {failed['error']}")
    shells = [
        {"name": s["name"], "altitude_km": s["altitude_km"], "drag": s["drag"]}
        for s in result["shells"]
    ]
    out = {"scenario": constellation.name, "shells": shells}
    _emit(out, args.json, "drag JSON", lambda: _console().print(_drag_table(shells)))
    return 0


def _network_table(network: dict):
    from rich.table import Table

    over = network["over_orbit"]
    exact = "exact" if network["diameter_exact"] else "double-sweep lower bound"
    table = Table(title=f"Laser mesh ({network['topology']}) at the snapshot, and over one orbit")
    table.add_column("measure", justify="left")
    table.add_column("value", justify="right")
    rows = [
        ("links", f"{network['links']:,}"),
        ("clusters (connected components)", f"{network['components']:,}"),
        ("largest cluster", f"{network['largest_cluster_sats']:,} satellites"),
        ("its compute", f"{network['largest_cluster_compute_mw']:,.1f} MW"),
        ("hop diameter", f"{network['hop_diameter']:.0f} ({exact})"),
        ("latency diameter", f"{network['latency_diameter_ms']:.1f} ms ({exact})"),
        ("bisection", f"{network['bisection_tbps']:,.2f} Tbps"),
        (
            "ring all-reduce",
            f"{network['allreduce_s']:,.1f} s for {network['design']['allreduce_model_gb']:g} GB",
        ),
        (
            "largest cluster over the orbit",
            f"min {over['min_largest_cluster_sats']:,}, "
            f"mean {over['mean_largest_cluster_sats']:,.0f}",
        ),
        ("its compute over the orbit", f"min {over['min_largest_cluster_compute_mw']:,.1f} MW"),
    ]
    if "min_largest_cluster_sats_with_failures" in over:
        rows.append(
            (
                f"with {100 * over['failure_fraction']:g} % failed",
                f"min {over['min_largest_cluster_sats_with_failures']:,} satellites",
            )
        )
    for name, value in rows:
        table.add_row(name, value)
    return table


def _cmd_links(args) -> int:
    from constellations.io.graphml import write_graphml
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan_network, to_json_text
    from constellations.stages.network import edge_list_record
    from constellations.stages.resolve import resolve
    from orbital.times import parse_epoch

    _check_targets(args.json, args.graphml)
    constellation = load_scenario(args.scenario)
    start_s = 0.0
    if args.time:
        start_s = (parse_epoch(args.time) - constellation.epoch).total_seconds()
    resolved = resolve(constellation)
    with _Stages("laser mesh over one orbit", constellation.links.snapshots) as stages:
        record = plan_network(
            constellation, resolved, None, start_s=start_s, keep_graph=True, progress=stages
        )
    if record is None:
        raise ValueError(f"{args.scenario}: has no Walker shells for a +grid mesh")
    graph = record.pop("_graph")
    if args.graphml:
        write_graphml(graph, args.graphml)
        _console(stderr=True).print(f"GraphML written to {args.graphml}")
    result = {"scenario": constellation.name, "network": record}
    if args.json:
        result["edge_list"] = edge_list_record(graph)
        text = to_json_text(result)
        if args.json == "-":
            sys.stdout.write(text)
            return 0
        _write_output(args.json, text, "links JSON")
    _console().print(_network_table(record))
    return 0


def _compare_table(columns: list[dict]):
    from rich.table import Table

    table = Table(title="Launch cadence scenarios (end of the last simulated year)")
    table.add_column("", justify="left")
    for c in columns:
        table.add_column(c["scenario"], justify="right")

    def last(key, fmt):
        return [fmt(c[key][-1]) if c[key] and c[key][-1] is not None else "-" for c in columns]

    rows = [
        ("years", [f"{c['years'][0]}-{c['years'][-1]}" for c in columns]),
        ("vehicle", [f"{c['vehicle']} ({c['payload_t']:g} t)" for c in columns]),
        ("flights a year", last("flights_per_year", lambda v: f"{v:,.0f}")),
        ("of which replacement", last("replacement_flights_per_year", lambda v: f"{v:,.0f}")),
        ("satellites in orbit", last("satellites_in_orbit", lambda v: f"{v:,.0f}")),
        ("tonnes in orbit", last("tonnes_in_orbit", lambda v: f"{v:,.0f}")),
        (
            "kW per tonne",
            [f"{c['kw_per_tonne_used']:.1f} ({c['kw_per_tonne_source']})" for c in columns],
        ),
        ("installed GW (in sun)", last("installed_gw", lambda v: f"{v:,.1f}")),
        ("installed GW (orbit avg)", last("installed_gw_orbit_average", lambda v: f"{v:,.1f}")),
        ("GW added in year 1", [f"{c['added_gw_per_year'][0]:,.1f}" for c in columns]),
        ("steady state GW", [f"{c['steady_state_gw']:,.1f}" for c in columns]),
        ("cumulative flights", last("cumulative_flights", lambda v: f"{v:,.0f}")),
        ("cumulative cost", last("cumulative_cost_usd", lambda v: f"${v / 1e9:,.1f} B")),
        ("cost per installed W", last("cost_per_watt_usd", lambda v: f"${v:.3f}")),
        (
            "shells full",
            [
                ", ".join(f"{k} {v}" for k, v in c["shell_full"].items() if v) or "none"
                for c in columns
            ],
        ),
    ]
    for name, values in rows:
        table.add_row(name, *values)
    return table


def _cmd_report(args) -> int:
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan
    from constellations.present.report import plan_figures, write_plan_report

    _check_targets(args.out)
    _check_figures_folder(args.figures)
    constellation = load_scenario(args.scenario)
    planes = sum(s.planes for s in constellation.shells)
    kept = {}
    with _Stages("sunlight by plane", planes) as stages:
        result = plan(constellation, year=args.year, progress=stages, keep=kept)
    figures = plan_figures(constellation, result, kept)
    if args.figures:  # before the report: a browser failure then leaves no report
        _write_figures(figures, args.figures, args.figure_format)
    write_plan_report(constellation, result, args.out, kept, figures)
    _console(stderr=True).print(f"HTML report written to {args.out}")
    return 0


def _cmd_compare(args) -> int:
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan
    from constellations.stages.cadence import cadence_record

    _check_targets(args.json, args.html)
    _check_figures_folder(args.figures)
    columns, sources = [], {}
    with _Stages("scenarios", len(args.scenarios)) as stages:
        for name in args.scenarios:
            constellation = load_scenario(name)
            if not constellation.shells:
                raise ValueError(f"{name}: has no Walker shells to launch into")
            result = plan(constellation, fleet=False, mesh=False)
            cadence = result["cadence"]
            if cadence is None or "error" in cadence:
                reason = (cadence or {}).get("error", "the satellite does not close")
                raise ValueError(f"{name}: {reason}")
            columns.append({"scenario": constellation.name, **cadence})
            sources[constellation.name] = list(constellation.sources)
            if constellation.launch.kw_per_tonne is not None:  # the claim, then the physics
                derived = constellation.launch.replace(kw_per_tonne=None)
                columns.append(
                    {
                        "scenario": f"{constellation.name} (sized kW/t)",
                        **cadence_record(constellation, result["sizing"], derived),
                    }
                )
            stages.advance(1)
    _emit(
        {"scenarios": columns},
        args.json,
        "comparison JSON",
        lambda: _console().print(_compare_table(columns)),
    )
    if args.html or args.figures:
        from constellations.present.report import compare_figures, compare_report_html

        figures = compare_figures(columns)
        if args.figures:  # before the report: a browser failure then leaves no report
            _write_figures(figures, args.figures, args.figure_format)
        if args.html:
            _write_output(
                args.html, compare_report_html(columns, sources, figures), "comparison report"
            )
    return 0


def _cmd_eclipse(args) -> int:
    from constellations.io.scenario import load_scenario
    from constellations.planner import ltan_drift_min_per_year
    from constellations.stages.illumination import annual_illumination, illumination_summary

    _check_targets(args.json)
    constellation = load_scenario(args.scenario)
    if not constellation.shells:
        raise ValueError(f"{args.scenario}: has no Walker shells to analyse")
    shells = []
    for shell, year_result in annual_illumination(constellation, args.year):
        summary = illumination_summary(year_result, shell.raan_deg)
        worst = summary["worst_plane"]
        daily = {
            "day_of_year": list(range(1, year_result.n_days + 1)),
            **{
                key: [round(float(v), 4) for v in getattr(year_result, key)[worst]]
                for key in (
                    "sunlight_min",
                    "penumbra_min",
                    "umbra_min",
                    "max_eclipse_min",
                    "beta_deg",
                )
            },
        }
        shells.append(
            {
                "name": shell.shell.name,
                "ltan_drift_min_per_year": ltan_drift_min_per_year(shell),
                "illumination": summary,
                "daily_worst_plane": daily,
            }
        )
    result = {
        "scenario": constellation.name,
        "year": shells[0]["illumination"]["year"],
        "shells": shells,
    }
    _emit(result, args.json, "eclipse JSON", lambda: _console().print(_illumination_table(result)))
    return 0


def _cmd_propagate(args) -> int:
    import numpy as np

    from constellations.io.positions import check_output, write_positions
    from constellations.io.scenario import load_scenario
    from constellations.stages.propagate import satellite_table, stream_positions
    from orbital.times import TimeGrid

    if not args.hours > 0:
        raise ValueError(f"--hours {args.hours:g}: must be a positive number of hours")
    if not args.step_s > 0:
        raise ValueError(f"--step-s {args.step_s:g}: must be a positive number of seconds")
    constellation = load_scenario(args.scenario)
    grid = TimeGrid.uniform(constellation.epoch, args.hours * 3600.0, args.step_s)
    check_output(args.out, constellation.n_sats * len(grid))
    dtype = np.float32 if args.float32 else np.float64
    names = [s.name for s in constellation.shells] + [e.name for e in constellation.element_sets]
    chunks = stream_positions(
        constellation, grid, frame=args.frame, dtype=dtype, method=args.method
    )
    with _Stages("propagating", constellation.n_sats) as stages:
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
            progress=stages.advance,
        )
    _console(stderr=True).print(
        f"{constellation.n_sats:,} satellites x {len(grid)} steps ({args.frame}) "
        f"written to {args.out}"
    )
    return 0


def _cmd_omm(args) -> int:
    from constellations.io.omm import shell_omm_records, write_omm
    from constellations.io.scenario import load_scenario
    from constellations.stages.resolve import resolve

    constellation = load_scenario(args.scenario)
    resolved = resolve(constellation)
    if args.shell is not None:
        resolved = [r for r in resolved if r.shell.name == args.shell]
        if not resolved:
            names = ", ".join(s.name for s in constellation.shells)
            raise ValueError(f"--shell {args.shell}: no such shell; this scenario has: {names}")
    if not resolved:
        raise ValueError(f"{args.scenario}: has no Walker shells to write as OMM")
    records = [record for r in resolved for record in shell_omm_records(r)]
    write_omm(records, args.out)
    _console(stderr=True).print(f"{len(records):,} OMM element sets written to {args.out}")
    return 0


def _cmd_schema(args) -> int:
    """The scenario file's JSON Schema (draft 2020-12) on stdout, from the pydantic models."""
    import json

    from constellations.model.scenario import ScenarioFile

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(ScenarioFile.model_json_schema())
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return 0


COMMANDS = {
    "presets": _cmd_presets,
    "plan": _cmd_plan,
    "eclipse": _cmd_eclipse,
    "size": _cmd_size,
    "drag": _cmd_drag,
    "links": _cmd_links,
    "compare": _cmd_compare,
    "report": _cmd_report,
    "propagate": _cmd_propagate,
    "omm": _cmd_omm,
    "schema": _cmd_schema,
}


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from importlib.metadata import version

        from sgp4.api import accelerated

        print(
            f"orbital-dc {version('orbital-dc')} (sgp4 {version('sgp4')}, "
            f"compiled core: {'yes' if accelerated else 'no, pure Python'})"
        )
        return 0
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return COMMANDS[args.command](args)
    except (ValueError, OSError) as exc:
        message = " ".join(str(exc).split())
        print(f"orbital-dc {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"orbital-dc {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

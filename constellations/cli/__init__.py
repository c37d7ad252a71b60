"""The ``orbital-dc`` command line: parse, plan the stages a command needs, present, exit.

Heavy libraries (numpy, sgp4, skyfield, astropy, plotly, pydantic) are
imported inside the commands, so ``orbital-dc --help`` answers at once.

Exit status: 0 done (a design that does not close is a result, printed and
in the JSON); 2 bad input or an output that cannot be written (one line on
stderr that says what to change); 3 a bug in the planner (one line saying
so; ``--debug`` shows the traceback); 130 interrupted (Ctrl-C); 141 when the
reader of stdout closed it early (``| head``; files are written before the
tables, so none is lost); 128 + the
signal's number for SIGTERM and SIGHUP (143, 129), after the writers removed
their temporary files.
"""

import argparse
import os
import sys

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a pipeline's early reader


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_scenario(parser) -> None:
    parser.add_argument(
        "scenario",
        metavar="SCENARIO_OR_PRESET",
        help="a scenario TOML file, or the name of a preset (see 'orbital-dc presets')",
    )


def _add_json(parser, what: str = "the results") -> None:
    parser.add_argument("--json", metavar="FILE", help=f"write {what} here ('-' for stdout)")


def _add_year(parser, what: str = "year of the illumination analysis") -> None:
    parser.add_argument("--year", type=int, help=f"{what} (default: the epoch's)")


def _add_figures(parser) -> None:
    parser.add_argument(
        "--figures",
        metavar="DIR",
        help="also write every figure as a static image into this folder, made if missing "
        "(its parent must exist; needs Chrome or Chromium)",
    )
    parser.add_argument(
        "--figure-format",
        choices=("png", "svg"),
        default="png",
        help="image format of --figures (default png)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="orbital-dc",
        description="Plan constellations of compute satellites: data centers in low orbit.",
        epilog="exit status: 0 done, 2 bad input, 3 a bug in orbital-dc, 130 interrupted",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--debug", action="store_true", help="on an unexpected error, show the traceback"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    presets = commands.add_parser(
        "presets", help="list the shipped scenarios, or print one to start your own from"
    )
    presets.add_argument(
        "name",
        nargs="?",
        metavar="PRESET",
        help="print this preset's scenario file, such as: orbital-dc presets dawn-dusk-340 > "
        "my-scenario.toml",
    )

    plan = commands.add_parser("plan", help="plan a scenario: summary tables and the plan JSON")
    _add_scenario(plan)
    _add_json(plan, "the plan JSON")
    plan.add_argument("--html", metavar="FILE", help="write the HTML report here")
    plan.add_argument(
        "--czml",
        metavar="FILE",
        help="write the plan over one orbit as CZML for a Cesium viewer here (a seeded "
        "sample above 2,000 satellites)",
    )
    plan.add_argument(
        "--stages",
        metavar="LIST",
        help="only these stages and what they need, comma-separated: resolve, illumination, "
        "radiation, closure, network, cadence, fleet, cost, formation (default: all)",
    )
    _add_year(plan)
    _add_figures(plan)

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
    _add_year(size, "year of the illumination it sizes against")
    _add_json(size)

    drag = commands.add_parser(
        "drag", help="drag at the shells' altitude: density, station keeping, lifetime"
    )
    _add_scenario(drag)
    _add_year(drag, "year of the illumination it sizes against")
    _add_json(drag)

    cost = commands.add_parser(
        "cost", help="levelised cost of the compute in orbit against the ground, and breakevens"
    )
    _add_scenario(cost)
    _add_year(cost, "year of the illumination it sizes against")
    _add_json(cost)

    links = commands.add_parser(
        "links", help="the laser mesh: clusters, their compute, diameters, all-reduce"
    )
    _add_scenario(links)
    links.add_argument("--time", metavar="ISO", help="snapshot time (default: the epoch)")
    links.add_argument("--graphml", metavar="FILE", help="write the mesh at that time as GraphML")
    _add_json(links, "the metrics and the edge list")

    report = commands.add_parser(
        "report", help="plan a scenario and write its self-contained HTML report"
    )
    _add_scenario(report)
    report.add_argument("-o", "--out", required=True, metavar="FILE", help="the report, .html")
    _add_year(report)
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
    _add_json(compare, "the comparison")
    compare.add_argument("--html", metavar="FILE", help="write the comparison as an HTML report")
    _add_figures(compare)

    eclipse = commands.add_parser(
        "eclipse", help="sunlight and eclipse seasons of every plane over a year"
    )
    _add_scenario(eclipse)
    _add_year(eclipse, "the year")
    _add_json(eclipse)

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

    study = commands.add_parser(
        "study",
        help="a trade study: sweeps, Monte Carlo and Sobol' sensitivity over scenario keys",
    )
    study.add_argument(
        "study",
        metavar="STUDY",
        help="a study TOML file (see 'orbital-dc schema study'), or a shipped study's name "
        "(see 'orbital-dc presets')",
    )
    study.add_argument(
        "--store",
        required=True,
        metavar="DIR",
        help="the zarr store the results go to, written chunk by chunk (a new folder, or "
        "with --resume the store of an interrupted run)",
    )
    study.add_argument("--html", metavar="FILE", help="write the study's HTML page here")
    study.add_argument(
        "--resume", action="store_true", help="continue the study in --store: only what is missing"
    )
    study.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on this Dask cluster, such as tcp://10.0.0.5:8786 (default: a local cluster "
        "of this machine's cores)",
    )
    study.add_argument(
        "--workers", type=_positive_int, metavar="N", help="local cluster's worker processes"
    )
    study.add_argument(
        "--chunk-size", type=_positive_int, metavar="ROWS", help="samples a task (default: auto)"
    )

    schema = commands.add_parser(
        "schema", help="print a JSON Schema: of scenario files, the plan JSON or study files"
    )
    schema.add_argument("which", choices=SCHEMAS, help="scenario, plan or study")
    for command in commands.choices.values():  # --debug after the command name works too
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


#: Commands that live outside ``constellations.cli.commands``.
COMMAND_MODULES = {"propagate": "exports", "omm": "exports", "cost": "costs", "study": "study"}

#: The JSON Schemas ``orbital-dc schema`` prints.
SCHEMAS = ("scenario", "plan", "study")


def _version() -> str:
    from importlib.metadata import version

    from sgp4.api import accelerated

    return (
        f"orbital-dc {version('orbital-dc')} (sgp4 {version('sgp4')}, "
        f"compiled core: {'yes' if accelerated else 'no, pure Python'})"
    )


def main(argv=None) -> int:
    """Run one command; returns the exit status (see the module docstring)."""
    # The planner shares its work between the cores itself (shells in threads, a study's
    # workers); OpenBLAS's own threads on top, for its small products, spin on the same
    # cores (million-340's plan: 1.6 s longer).  Numpy is not imported yet: this holds for
    # the whole run, unless the user chose otherwise.
    if not os.environ.get("OPENBLAS_NUM_THREADS", "").strip():  # set but empty: unset
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(_version())
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    import importlib

    from constellations.errors import OrbitalDcError

    args.argv = argv
    module = importlib.import_module(
        f"constellations.cli.{COMMAND_MODULES.get(args.command, 'commands')}"
    )
    previous = _raise_on_termination()
    try:
        return getattr(module, f"cmd_{args.command}")(args)
    except OrbitalDcError as exc:
        _say(args.command, f"error: {exc}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader closed stdout (| head): files were written first
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a file the system refuses (permissions, a full disk)
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _say(args.command, f"error: {where}{exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say(args.command, "interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # anything else is the planner's fault, not the user's
        if args.debug:
            import traceback

            traceback.print_exc()
        _say(
            args.command,
            f"a bug in orbital-dc ({type(exc).__name__}: {exc}); please report it with the "
            "scenario" + ("" if args.debug else ", and run again with --debug for the traceback"),
        )
        return EXIT_BUG
    finally:
        _restore(previous)


def _raise_on_termination() -> dict:
    """On SIGTERM or SIGHUP: remove the temporary files being written, say so, and exit
    with 128 + the signal's number.  Exiting from the handler, not raising into whatever
    library code is running, keeps the exit clean wherever the signal lands."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum, frame):
        import os

        from constellations.io.atomic import remove_temporaries

        remove_temporaries()
        command = sys.argv[1] if len(sys.argv) > 1 else ""
        _say(command, f"stopped by signal {signum}; nothing half-written was left")
        sys.stdout.flush()
        os._exit(128 + signum)

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}


def _restore(previous: dict) -> None:
    import signal

    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _say(command: str, message: str) -> None:
    """One line on stderr: line breaks become spaces, other spaces stay as they are (a value
    quoted in the message, ``'0  0'``, is shown as written)."""
    one_line = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
    print(f"orbital-dc {command}: {one_line}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

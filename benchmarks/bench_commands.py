"""Benchmark: the per-stage commands on a million satellites run only the stages they show.

Usage::

    python benchmarks/bench_commands.py [--repeats 3]

Each command runs as ``orbital-dc COMMAND million-340`` in a fresh interpreter (imports,
planning and printing included); the wall time is the median of ``--repeats`` runs and the
peak memory that of the child process.  The reference ("the raw way") is ``orbital-dc plan
million-340 --stages resolve,illumination,closure,network``: what ``drag`` and ``size`` did
before they ran only their stages (every stage up to the laser mesh over an orbit).  Each
command is printed as a fraction of it.

Targets on the project's 2-core reference machine: ``drag`` at most 6 s and ``size`` at
most 8 s (they took about 26 s when they built the mesh).  A missed target prints FAIL;
the exit status is 0 (this is a measurement) unless a command failed.
"""

import argparse
import resource
import statistics
import sys
import tempfile

from common import machine, print_table, timed_cli, verdict

PRESET = "million-340"
#: command -> target wall time, s
TARGETS = {"drag": 6.0, "size": 8.0}
REFERENCE = ("plan", "--stages", "resolve,illumination,closure,network")


def timed(args: list[str]) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS (bytes) of ``orbital-dc ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with tempfile.TemporaryDirectory() as work:
        seconds, result = timed_cli(args, work)
    if result.returncode != 0:
        raise SystemExit(f"orbital-dc {' '.join(args)} failed: {result.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    runs = {}
    for name, command in [(c, [c, PRESET]) for c in TARGETS] + [
        ("reference", [*REFERENCE[:1], PRESET, *REFERENCE[1:]])
    ]:
        times, peak = [], 0
        for _ in range(args.repeats):
            seconds, rss = timed(command)
            times.append(seconds)
            peak = max(peak, rss)
        runs[name] = (statistics.median(times), min(times), max(times), peak)
    reference_s = runs["reference"][0]
    rows = []
    for name, (median, low, high, peak) in runs.items():
        target = TARGETS.get(name)
        label = (
            f"orbital-dc {name} {PRESET}"
            if name != "reference"
            else (f"orbital-dc plan {PRESET} --stages {REFERENCE[2]}")
        )
        rows.append(
            (
                label,
                "-" if target is None else f"<= {target:g} s",
                f"{median:.1f} s ({low:.1f}-{high:.1f})",
                f"{peak / 1e9:.2f} GB",
                f"{median / reference_s:.2f}",
                verdict(median, target),
            )
        )
    print_table(
        rows,
        header=("command", "target", f"median of {args.repeats}", "peak RSS", "of ref", ""),
        right={1, 2, 3, 4},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

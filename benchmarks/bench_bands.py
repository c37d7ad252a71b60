"""Benchmark: ``orbital-dc plan`` on altitude bands (many shells) against million-340.

Usage::

    python benchmarks/bench_bands.py [--only NAME]  (NAME: a key of RUNS)

Five full plans, each ``orbital-dc plan SCENARIO --json plan.json`` in a fresh interpreter
(imports, planning, printing and the JSON included), off a terminal so that the command
prints one line per stage with its time:

* ``blue``: a Blue Origin-like band, 51,600 sun-synchronous satellites in 129 planes of
  400, one plane every 10 km over 520-1,800 km (129 shells of one plane);
* ``million-bands``: 999,600 satellites in 5 bands of 7 levels over 680-740 km (30, 43,
  53 and 70 degrees and a dawn-dusk band), 280 planes of 714 each (35 shells);
* ``blue-origin-sunrise``: the preset, the same band of 51,600 satellites (nadir radiators);
* ``spacex-odc-1m``: the preset, a million satellites in 6 bands of 5 levels 12.5 km apart
  over 500-1,000 km, at 30 degrees and dawn-dusk (30 shells);
* ``million-340``: the preset, one million satellites in 3 shells (the reference).

Each row gives the wall time, the child's CPU time (user + system: less sensitive to
other work on the machine than the wall time), its own peak memory, each stage's time, and
the wall and CPU times as multiples of million-340's.  The planner's modules are compiled
to bytecode first (:func:`common.compile_planner`): a user's second run.  A last row times
raw python-sgp4 (``SatrecArray`` built and run on 100,000 of million-340's satellites over
92 one-minute steps, TEME, in a fresh interpreter), issue 19's yardstick for the whole plan.

Targets on the project's 2-core reference machine: ``blue`` within 120 s, ``million-bands``
within twice million-340's wall time in the same run; each filing preset
(``blue-origin-sunrise``, ``spacex-odc-1m``) within the budget issue 17 set them, the
million-satellite preset's plan as it was then (:data:`ISSUE_17_BUDGET_S`, this benchmark's
million-340 on 2026-11-30; the ratio to million-340 now is printed beside it); million-340
within twice the raw SGP4 row (issue 19).  A missed target prints FAIL; the exit status is
0 (this is a measurement) unless a command failed.
"""

import argparse
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
from common import answer_worker, compile_planner, machine, print_table, run_worker, verdict

EPOCH = "2027-01-01T00:00:00Z"
SATELLITE = (
    '[satellite]\npayload = "gb200-nvl72"\npayload_units = 1\nlaser_terminals = 4\n'
    "design_life_years = 5.0\n"
)
BLUE = f"""[scenario]
name = "blue-band"
epoch = "{EPOCH}"

[[shells]]
name = "sunrise"
altitude_range_km = [520.0, 1800.0]
altitude_spacing_km = 10.0
sun_synchronous = true
ltan_hours = 18.0
planes = 129
sats_per_plane = 400
"""
MILLION_BANDS = (
    f'[scenario]\nname = "million-bands"\nepoch = "{EPOCH}"\n'
    + "".join(
        f'\n[[shells]]\nname = "{name}"\naltitude_range_km = [680.0, 740.0]\n'
        f"altitude_spacing_km = 10.0\n{orbit}\nplanes = 280\nsats_per_plane = 714\n"
        for name, orbit in [
            ("b30", "inclination_deg = 30.0"),
            ("b43", "inclination_deg = 43.0"),
            ("b53", "inclination_deg = 53.0"),
            ("b70", "inclination_deg = 70.0"),
            ("dd", "sun_synchronous = true\nltan_hours = 18.0\nraan_spread_deg = 34.0"),
        ]
    )
    + ("\n" + SATELLITE)
)
#: name -> (scenario text or preset name, target wall time in s, or None: the reference)
RUNS = {
    "blue": (BLUE, 120.0),
    "million-bands": (MILLION_BANDS, None),
    "blue-origin-sunrise": ("blue-origin-sunrise", None),
    "spacex-odc-1m": ("spacex-odc-1m", None),
    "million-340": ("million-340", None),
}
#: The most each run may take as a multiple of million-340's wall time.
RATIO_TARGETS = {"million-bands": 2.0}
#: million-340's plan on 2026-11-30 (this benchmark, the reference machine), before issue
#: 19's mesh by link classes: the budget issue 17 gives every filing preset.
ISSUE_17_BUDGET_S = 38.2
ISSUE_17_TARGETS = {"blue-origin-sunrise": ISSUE_17_BUDGET_S, "spacex-odc-1m": ISSUE_17_BUDGET_S}
#: Issue 19: the whole million-340 plan in at most this multiple of raw SGP4's row.
RAW_SGP4_RATIO = 2.0
RAW_SATELLITES, RAW_STEPS, RAW_STEP_S = 100_000, 92, 60.0
STAGE_LINE = re.compile(r"^orbital-dc: (?P<stage>.+) done in (?P<seconds>[0-9.]+) s$")


def timed(scenario: str) -> dict:
    """Wall and CPU seconds, peak RSS (bytes) and stage times of ``orbital-dc plan``, the
    child's own (``os.wait4``)."""
    import os
    import subprocess
    import time

    with tempfile.TemporaryDirectory() as work:
        target = scenario
        if "\n" in scenario:
            target = str(Path(work) / "scenario.toml")
            Path(target).write_text(scenario)
        start = time.perf_counter()
        with tempfile.TemporaryFile("w+") as err:
            child = subprocess.Popen(
                [sys.executable, "-m", "constellations.cli", "plan", target, "--json", "plan.json"],
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=err,
                text=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            err.seek(0)
            stderr = err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"orbital-dc plan failed: {stderr.strip()}")
    stages = {}
    for line in stderr.splitlines():
        match = STAGE_LINE.match(line.strip())
        if match:
            stages[match["stage"]] = float(match["seconds"])
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": seconds, "cpu": cpu, "rss": usage.ru_maxrss * 1024, "stages": stages}


def raw_sgp4(_spec: dict) -> dict:
    """Raw python-sgp4 on 100,000 of million-340's satellites: the worker side."""
    import time

    from sgp4.api import SatrecArray

    from constellations.io.scenario import load_scenario
    from constellations.stages.resolve import resolve
    from orbital.times import TimeGrid

    constellation = load_scenario("million-340")
    satrecs = list(resolve(constellation)[0].walker.satrecs()[0:RAW_SATELLITES])
    grid = TimeGrid.uniform(constellation.epoch, (RAW_STEPS - 1) * RAW_STEP_S, RAW_STEP_S)
    jd, fr = grid.sgp4_dates()
    start, cpu = time.perf_counter(), time.process_time()
    errors, _, _ = SatrecArray(satrecs).sgp4(jd, fr)
    return {
        "wall": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "failed": int(np.count_nonzero(errors)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(RUNS), action="append")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return answer_worker(args.worker, {"raw": raw_sgp4})
    print(machine())
    print(compile_planner())
    names = args.only or list(RUNS)
    results = {name: timed(RUNS[name][0]) for name in names}
    reference = results.get("million-340")
    rows = []
    for name, r in results.items():
        target = RUNS[name][1]
        ratio = f"{r['wall'] / reference['wall']:.2f}x" if reference else "-"
        cpu_ratio = f"{r['cpu'] / reference['cpu']:.2f}x" if reference else "-"
        if name in RATIO_TARGETS and reference:
            target = RATIO_TARGETS[name] * reference["wall"]
        target = ISSUE_17_TARGETS.get(name, target)
        stages = ", ".join(f"{stage} {s:.1f}" for stage, s in r["stages"].items())
        rows.append(
            (
                name,
                f"{r['wall']:.1f} s",
                f"{r['cpu']:.1f} s",
                f"{r['rss'] / 1e9:.2f} GB",
                ratio,
                cpu_ratio,
                "-" if target is None else f"{target:.0f} s",
                verdict(r["wall"], target),
                stages,
            )
        )
    raw = run_worker(__file__, "raw", {})
    raw_target = RAW_SGP4_RATIO * raw["wall"]
    rows.append(
        (
            f"raw SGP4, {RAW_SATELLITES:,} x {RAW_STEPS}",
            f"{raw['wall']:.1f} s",
            f"{raw['cpu']:.1f} s",
            "-",
            f"{raw['wall'] / reference['wall']:.2f}x" if reference else "-",
            f"{raw['cpu'] / reference['cpu']:.2f}x" if reference else "-",
            f"million-340 <= {raw_target:.0f} s",
            verdict(reference["wall"], raw_target) if reference else "-",
            f"million-340 takes {reference['wall'] / raw['wall']:.1f}x" if reference else "",
        )
    )
    print_table(
        rows,
        header=(
            "plan",
            "wall",
            "cpu",
            "peak",
            "vs 340",
            "cpu vs 340",
            "target",
            "result",
            "stages (s)",
        ),
        right=(1, 2, 3, 4, 5, 6),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

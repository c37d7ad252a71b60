"""Benchmark: element-set files (TLE, OMM JSON) read and propagated, against raw python-sgp4.

Usage::

    python benchmarks/bench_elements.py [--quick] [--sizes 10361 51805]

Files are made offline (``element_files.write_catalogue``: Starlink-like
Walker shells with varied elements, written through the planner's ``write_omm``
and python-sgp4's ``exporter.export_tle``) in a temporary folder.  Every
measurement runs in its own subprocess, so that each peak RSS
(``resource.getrusage(...).ru_maxrss``) belongs to one measurement only; times
start after the imports.

* planner, parse: ``read_element_file``.
* planner, parse + propagate: ``read_element_file``, then ``stream_positions``
  over one orbit (92 one-minute steps) in ITRS, each chunk reduced to every
  satellite's minimum and maximum geocentric latitude.
* raw, parse: the file's lines through ``Satrec.twoline2rv`` pair by pair (TLE),
  or ``json.load`` and ``sgp4.omm.initialize`` record by record (OMM JSON).
* raw, parse + propagate: that, then ``SatrecArray.sgp4`` on every satellite at
  once, Skyfield's TEME-to-ITRS rotation matrices (``itrs.rotation_at(t)``
  times the transpose of ``TEME.rotation_at(t)``) applied to every position,
  and the same latitude extremes.

Targets: project issue 19's, "no slower than raw python-sgp4 plus rotation
matrices in the same run, and no more memory": parse + propagate at most 1.0
times raw for every file (TLE and OMM JSON, each size); peak RSS at most 1.0
times raw for files of 50,000 satellites or more (the issue's 51,805).  Below
that the planner's own imports (pydantic, the planner's modules: about 20 MB
more than python-sgp4 and Skyfield) are a visible part of the peak; the table
gives the peak after the imports too.  The notes give each side's process CPU
seconds over the same span (less sensitive than wall time to other work on the
machine) and the load average before and after.
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from common import answer_worker, finish, machine, peak_rss_bytes, run_worker, verdict
from common import gb_text as _gb
from common import seconds_text as _s

SIZES = (10_361, 51_805)
#: The issue's targets: no slower, no more memory.
TIME_RATIO_TARGET = 1.0
RSS_RATIO_TARGET = 1.0
#: Files of at least this many satellites are held to the peak-RSS target.
RSS_TARGET_FROM_SATS = 50_000
STEP_S = 60.0
DURATION_S = 92 * STEP_S


def _grid():
    from element_files import EPOCH

    from orbital.times import TimeGrid

    return TimeGrid.uniform(EPOCH, DURATION_S, STEP_S)


def _latitude_extremes(positions_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each satellite's least and greatest geocentric latitude, deg, from ``(n, n_t, 3)``."""
    sin_lat = positions_km[..., 2] / np.linalg.norm(positions_km, axis=-1)
    return np.degrees(np.arcsin(sin_lat.min(axis=1))), np.degrees(np.arcsin(sin_lat.max(axis=1)))


def worker_planner(spec: dict) -> dict:
    from constellations.io.omm import read_element_file
    from constellations.model.constellation import Constellation
    from constellations.stages.propagate import stream_positions
    from orbital.times import builtin_timescale

    grid, ts = _grid(), builtin_timescale()
    grid.skyfield(ts)  # the timescale's first use is not the reader's
    rss_after_imports = peak_rss_bytes()
    t0, cpu0 = time.perf_counter(), time.process_time()
    element_set = read_element_file(spec["path"])
    t1 = time.perf_counter()
    result = {"n_sat": element_set.n_sats, "parse_s": t1 - t0}
    if spec["propagate"]:
        constellation = Constellation("bench", grid.epoch, element_sets=(element_set,))
        lat_min = np.empty(element_set.n_sats)
        lat_max = np.empty(element_set.n_sats)
        for chunk in stream_positions(constellation, grid, frame="itrs", ts=ts):
            low, high = _latitude_extremes(chunk.positions_km)
            lat_min[chunk.start : chunk.stop], lat_max[chunk.start : chunk.stop] = low, high
        result["total_s"] = time.perf_counter() - t0
        result["cpu_s"] = time.process_time() - cpu0
        result["lat_max"] = float(np.nanmax(lat_max))
        result["finite"] = int(np.isfinite(lat_max).sum())
    return {**result, "rss_after_imports": rss_after_imports, "peak_rss": peak_rss_bytes()}


def _raw_satrecs(path: str) -> list:
    from sgp4.api import Satrec

    if path.endswith(".json"):
        import json

        from sgp4.omm import initialize

        satrecs = []
        with open(path, encoding="utf-8") as handle:
            for record in json.load(handle):
                satrec = Satrec()
                initialize(satrec, record)
                satrecs.append(satrec)
        return satrecs
    with open(path, encoding="ascii") as handle:
        lines = handle.read().splitlines()
    return [Satrec.twoline2rv(lines[i + 1], lines[i + 2]) for i in range(0, len(lines), 3)]


def worker_raw(spec: dict) -> dict:
    from sgp4.api import SatrecArray
    from skyfield.framelib import itrs
    from skyfield.functions import T, mxm
    from skyfield.sgp4lib import TEME

    from orbital.times import builtin_timescale

    grid = _grid()
    jd, fr = grid.sgp4_dates()
    t = grid.skyfield(builtin_timescale())
    rss_after_imports = peak_rss_bytes()
    t0, cpu0 = time.perf_counter(), time.process_time()
    satrecs = _raw_satrecs(spec["path"])
    t1 = time.perf_counter()
    result = {"n_sat": len(satrecs), "parse_s": t1 - t0}
    if spec["propagate"]:
        errors, r_teme, _ = SatrecArray(satrecs).sgp4(jd, fr)
        rotation = mxm(itrs.rotation_at(t), T(TEME.rotation_at(t)))  # (3, 3, n_t)
        r_itrs = np.einsum("ijt,ntj->nti", rotation, r_teme)
        _, lat_max = _latitude_extremes(r_itrs)
        result["total_s"] = time.perf_counter() - t0
        result["cpu_s"] = time.process_time() - cpu0
        result["lat_max"] = float(np.nanmax(lat_max))
        result["finite"] = int(np.isfinite(lat_max).sum())
    return {**result, "rss_after_imports": rss_after_imports, "peak_rss": peak_rss_bytes()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--sizes", type=int, nargs="+", help=f"satellites (default {SIZES})")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the least kept")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        workers = {"planner": worker_planner, "raw": worker_raw, "files": worker_files}
        return answer_worker(args.worker, workers)

    sizes = args.sizes or ((500,) if args.quick else SIZES)
    info = machine(("numpy", "sgp4", "skyfield"))
    print("Element-set benchmark (orbital-dc): TLE and OMM JSON files, parse and propagate")
    print(
        f"machine: {info['nproc']} cores, {info['memory']}, {info['cpu']}; Python "
        f"{info['python']}, numpy {info['numpy']}, sgp4 {info['sgp4']}, skyfield "
        f"{info['skyfield']}"
    )
    print(f"grid: one orbit, {DURATION_S / 60:.0f} min at {STEP_S:.0f} s steps; frame ITRS")
    print()
    print(
        f"each measurement {args.repeat} times in fresh processes, planner and raw in turn; "
        "the least time and the least peak RSS kept"
    )
    print()
    rows, notes = [], []
    load_before = _load_average()
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            files = run_worker(__file__, "files", {"folder": folder, "n": n})
            for kind in ("tle", "json"):
                _measure(files[kind], kind, n, args.repeat, rows, notes)
    notes.append(f"load average (1, 5, 15 min) before {load_before}, after {_load_average()}")
    return finish(rows, notes)


def _load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def worker_files(spec: dict) -> dict:
    """The files, made in their own process so that the measuring one stays small (a
    child's peak RSS starts at its parent's size when it is forked)."""
    from element_files import write_catalogue

    return write_catalogue(spec["folder"], spec["n"])


def _least(runs: list) -> dict:
    """The first run with each time and the peak RSS replaced by their least over ``runs``."""
    least = dict(runs[0])
    for key in ("parse_s", "total_s", "cpu_s", "peak_rss", "rss_after_imports"):
        if key in least:
            least[key] = min(run[key] for run in runs)
    return least


def _measure(path: str, kind: str, n: int, repeat: int, rows: list, notes: list) -> None:
    """One file: parse alone and parse + propagate, planner and raw in turn, in one run."""
    runs = {}
    for _ in range(repeat):
        for propagate in (False, True):
            for side in ("planner", "raw"):
                spec = {"path": path, "propagate": propagate}
                runs.setdefault((side, propagate), []).append(run_worker(__file__, side, spec))
    measured = {key: _least(value) for key, value in runs.items()}
    ours, raw = measured["planner", False], measured["raw", False]
    rows.append(
        (
            f"{kind.upper()} parse: planner / raw",
            f"{n:,}",
            "-",
            f"{_s(ours['parse_s'])} / {_s(raw['parse_s'])} = "
            f"{ours['parse_s'] / raw['parse_s']:.2f}x",
            "-",
        )
    )
    ours, raw = measured["planner", True], measured["raw", True]
    ratio = ours["total_s"] / raw["total_s"]
    rows.append(
        (
            f"{kind.upper()} parse + propagate (ITRS): planner / raw",
            f"{n:,}",
            f"<= {TIME_RATIO_TARGET}x",
            f"{_s(ours['total_s'])} / {_s(raw['total_s'])} = {ratio:.2f}x",
            verdict(ratio, TIME_RATIO_TARGET),
        )
    )
    rss_ratio = ours["peak_rss"] / raw["peak_rss"]
    rss_target = n >= RSS_TARGET_FROM_SATS
    rows.append(
        (
            f"{kind.upper()} parse + propagate peak RSS: planner / raw",
            f"{n:,}",
            f"<= {RSS_RATIO_TARGET}x" if rss_target else "-",
            f"{_gb(ours['peak_rss'])} / {_gb(raw['peak_rss'])} = {rss_ratio:.2f}x "
            f"(after imports {_gb(ours['rss_after_imports'])} / "
            f"{_gb(raw['rss_after_imports'])})",
            verdict(rss_ratio, RSS_RATIO_TARGET if rss_target else None),
        )
    )
    notes.append(
        f"{kind.upper()} {n:,}: highest latitude planner {ours['lat_max']:.3f} deg, raw "
        f"{raw['lat_max']:.3f} deg; satellites with finite positions {ours['finite']:,} / "
        f"{raw['finite']:,}; parse + propagate CPU {_s(ours['cpu_s'])} / {_s(raw['cpu_s'])} = "
        f"{ours['cpu_s'] / raw['cpu_s']:.2f}x"
    )


if __name__ == "__main__":
    sys.exit(main())

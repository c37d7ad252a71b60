"""Benchmark: streamed propagation of whole constellations against raw python-sgp4.

Usage::

    python benchmarks/bench_propagation.py [--preset million-340] [--quick]

Every measurement runs in its own subprocess, so that each peak RSS
(``resource.getrusage(...).ru_maxrss``) belongs to one measurement only.  Times
start after the imports and include everything a user pays for: loading and
resolving the scenario, propagating, rotating into ITRS, and a consumer that
reduces every chunk to each satellite's minimum and maximum geocentric latitude
(``arcsin(z / r)``) in preallocated ``(n_sat,)`` arrays.

The raw baseline is ``SatrecArray.sgp4`` alone on the same element sets (TEME,
no frame rotation, no consumer, element setup not counted).  For a million
satellites it is measured on an evenly spread subset and extrapolated; its
memory need (positions and velocities as float64, plus the error codes) is
computed, not measured, since it would not fit the planner's budget.
"""

import argparse
import sys
import time

import numpy as np
from common import (
    GB,
    answer_worker,
    constellation_from_spec,
    finish,
    machine,
    peak_rss_bytes,
    run_worker,
    verdict,
)
from common import gb_text as _gb
from common import seconds_text as _s

#: Targets for the million-satellite preset and for one 10,000-satellite shell.
MILLION_TIME_TARGET_S = 5.0
MILLION_RSS_TARGET_BYTES = 2 * 10**9
SHELL_10K_TIME_TARGET_S = 0.5

#: One orbit at 340 km (91.4 min) sampled every minute: 92 steps, 93 samples.
STEP_S = 60.0
DURATION_S = 92 * STEP_S
RAW_SUBSET_SATS = 50_000


# ----------------------------------------------------------------------------- worker side


class LatitudeExtremes:
    """Consumer: each satellite's min and max geocentric latitude, ``(n_sat,)`` arrays.

    ``arcsin`` is monotonic, so it reduces ``z / r`` and takes the arcsine of the
    two ``(n_sat,)`` results only.  Scratch space is reused from chunk to chunk.
    """

    def __init__(self, n_sat: int):
        self.sin_min = np.full(n_sat, np.nan)
        self.sin_max = np.full(n_sat, np.nan)
        self._a = self._b = None

    def __call__(self, chunk) -> None:
        p = chunk.positions_km
        x, y, z = p[..., 0], p[..., 1], p[..., 2]
        if self._a is None or self._a.shape[0] < x.shape[0] or self._a.shape[1] != x.shape[1]:
            self._a, self._b = np.empty(x.shape), np.empty(x.shape)
        a, b = self._a[: x.shape[0]], self._b[: x.shape[0]]
        np.multiply(x, x, out=a)
        np.multiply(y, y, out=b)
        a += b
        np.multiply(z, z, out=b)
        a += b
        np.sqrt(a, out=a)
        np.divide(z, a, out=a)
        np.min(a, axis=1, out=self.sin_min[chunk.start : chunk.stop])
        np.max(a, axis=1, out=self.sin_max[chunk.start : chunk.stop])

    def latitudes_deg(self):
        return np.degrees(np.arcsin(self.sin_min)), np.degrees(np.arcsin(self.sin_max))


def worker_planner(spec: dict) -> dict:
    from constellations.stages.propagate import stream_positions
    from constellations.stages.resolve import resolve
    from orbital.times import TimeGrid, builtin_timescale

    rss_after_imports = peak_rss_bytes()
    t0 = time.perf_counter()
    constellation = constellation_from_spec(spec)
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    grid = TimeGrid.uniform(constellation.epoch, DURATION_S, STEP_S)
    t1 = time.perf_counter()
    consumer = LatitudeExtremes(constellation.n_sats)
    n_chunks = 0
    for chunk in stream_positions(constellation, grid, frame="itrs", resolved=resolved, ts=ts):
        consumer(chunk)
        n_chunks += 1
    t2 = time.perf_counter()
    lat_min, lat_max = consumer.latitudes_deg()
    shells = []
    for r in resolved:
        s = slice(r.first_id, r.first_id + r.n_sats)
        highest = min(r.inclination_deg, 180.0 - r.inclination_deg)
        shells.append(
            {
                "name": r.shell.name,
                "highest_latitude_deg": highest,
                "max_lat_deg": float(np.max(lat_max[s])),
                "min_lat_deg": float(np.min(lat_min[s])),
            }
        )
    return {
        "n_sat": constellation.n_sats,
        "n_t": len(grid),
        "setup_s": t1 - t0,
        "stream_s": t2 - t1,
        "total_s": t2 - t0,
        "n_chunks": n_chunks,
        "all_finite": bool(np.isfinite(lat_min).all() and np.isfinite(lat_max).all()),
        "shells": shells,
        "rss_after_imports": rss_after_imports,
        "peak_rss": peak_rss_bytes(),
    }


def worker_raw(spec: dict) -> dict:
    from sgp4.api import SatrecArray

    from constellations.stages.resolve import resolve
    from orbital.times import TimeGrid, builtin_timescale

    constellation = constellation_from_spec(spec)
    resolved = resolve(constellation, builtin_timescale())
    grid = TimeGrid.uniform(constellation.epoch, DURATION_S, STEP_S)
    jd, fr = grid.sgp4_dates()
    n_total = constellation.n_sats
    n_subset = min(spec.get("subset", n_total), n_total)
    indices = np.linspace(0, n_total - 1, n_subset).round().astype(np.int64)
    firsts = np.array([r.first_id for r in resolved])
    t0 = time.perf_counter()
    satrecs = []
    for index in indices.tolist():
        k = int(np.searchsorted(firsts, index, side="right")) - 1
        satrecs.append(resolved[k].walker.satrec(index - resolved[k].first_id))
    t1 = time.perf_counter()
    rss_before = peak_rss_bytes()
    t2 = time.perf_counter()
    errors, positions, velocities = SatrecArray(satrecs).sgp4(jd, fr)
    t3 = time.perf_counter()
    n_t = len(grid)
    return {
        "n_sat": n_total,
        "n_subset": n_subset,
        "n_t": n_t,
        "setup_s_subset": t1 - t0,
        "sgp4_s_subset": t3 - t2,
        "sgp4_s_full": (t3 - t2) * n_total / n_subset,
        "extrapolated": n_subset < n_total,
        "props_per_s": n_subset * n_t / (t3 - t2),
        "memory_need_bytes": n_total * n_t * (3 * 8 * 2 + errors.itemsize),
        "rss_before_sgp4": rss_before,
        "peak_rss": peak_rss_bytes(),
        "failures": int(np.count_nonzero(errors)),
    }


# ----------------------------------------------------------------------------- report side


def _ratio(raw_s: float, planner_s: float) -> str:
    """How the planner's time compares with raw sgp4's, in words."""
    if planner_s <= raw_s:
        return f"planner {raw_s / planner_s:.1f}x faster"
    return f"planner {planner_s / raw_s:.2f}x slower"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default=None, help="scenario preset (default million-340)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return answer_worker(args.worker, {"planner": worker_planner, "raw": worker_raw})

    preset = args.preset or ("dawn-dusk-340" if args.quick else "million-340")
    from constellations.io.scenario import ScenarioError, load_scenario

    try:
        load_scenario(preset)
    except ScenarioError as exc:
        parser.error(str(exc))
    subset = 2_000 if args.quick else RAW_SUBSET_SATS
    shell_10k = dict(altitude_km=340.0, inclination_deg=53.0, planes=100, sats_per_plane=100)
    worst = dict(altitude_km=340.0, inclination_deg=53.0, phasing=1, planes=400, sats_per_plane=250)
    if args.quick:
        worst.update(planes=40, sats_per_plane=50)

    info = machine(("numpy", "sgp4"))
    print("Propagation benchmark (orbital-dc)")
    print(
        f"machine: {info['nproc']} cores, {info['memory']}, {info['cpu']}; "
        f"Python {info['python']}, numpy {info['numpy']}, sgp4 {info['sgp4']} "
        f"(accelerated={__import__('sgp4.api', fromlist=['accelerated']).accelerated})"
    )
    print(
        f"grid: one orbit, {DURATION_S / 60:.0f} min at {STEP_S:.0f} s steps "
        f"({int(DURATION_S // STEP_S) + 1} samples); frame ITRS; consumer: min/max latitude"
    )
    if args.quick:
        print("QUICK MODE: reduced sizes, smoke test only")
    print()

    rows, notes = [], []
    is_million = preset == "million-340"

    # (a) the preset, streamed, and raw sgp4 on (a subset of) the same elements.
    planner = run_worker(__file__, "planner", {"preset": preset})
    raw = run_worker(__file__, "raw", {"preset": preset, "subset": subset})
    n = planner["n_sat"]
    rows.append(
        (
            f"planner {preset}: load+resolve+stream+consume",
            f"{n:,}",
            f"<= {MILLION_TIME_TARGET_S:g} s" if is_million else "-",
            f"{_s(planner['total_s'])} (setup {planner['setup_s']:.2f} + stream "
            f"{planner['stream_s']:.2f}, {planner['n_chunks']} chunks)",
            verdict(planner["total_s"], MILLION_TIME_TARGET_S if is_million else None),
        )
    )
    rows.append(
        (
            f"planner {preset}: peak RSS",
            f"{n:,}",
            f"<= {MILLION_RSS_TARGET_BYTES / GB:g} GB" if is_million else "-",
            f"{_gb(planner['peak_rss'])} (after imports {_gb(planner['rss_after_imports'])})",
            verdict(planner["peak_rss"], MILLION_RSS_TARGET_BYTES if is_million else None),
        )
    )
    how = (
        f"EXTRAPOLATED from {raw['n_subset']:,} sats ({_s(raw['sgp4_s_subset'])})"
        if raw["extrapolated"]
        else "measured"
    )
    rows.append(
        (
            f"raw SatrecArray.sgp4 {preset} (TEME only)",
            f"{n:,}",
            "-",
            f"{_s(raw['sgp4_s_full'])} {how}",
            "-",
        )
    )
    rows.append(
        (
            f"raw memory need {preset} (r, v float64 + errors)",
            f"{n:,}",
            "-",
            f"{_gb(raw['memory_need_bytes'])} COMPUTED (n_sat*n_t*(3*8*2+1) B)",
            "-",
        )
    )
    rows.append(
        (
            f"speed ratio raw sgp4 / planner, {preset}",
            f"{n:,}",
            "-",
            f"{_ratio(raw['sgp4_s_full'], planner['total_s'])} (total); "
            f"{_ratio(raw['sgp4_s_full'], planner['stream_s'])} (stream+consume only)",
            "-",
        )
    )
    notes.append(
        f"raw throughput {raw['props_per_s'] / 1e6:.2f} M propagations/s on one core; building "
        f"the {raw['n_subset']:,} Satrec objects took {raw['setup_s_subset']:.2f} s, not counted "
        "in raw times (the planner's times include building its own)"
    )
    checks = ", ".join(
        f"{s['name']} max {s['max_lat_deg']:.2f} / min {s['min_lat_deg']:.2f} deg "
        f"(orbit reaches {s['highest_latitude_deg']:.2f})"
        for s in planner["shells"]
    )
    notes.append(f"consumer check ({preset}): all finite={planner['all_finite']}; {checks}")

    # (b) one 10,000-satellite shell, phasing 0 (planes share one reference) and 1.
    for phasing in (0, 1):
        spec = dict(shell_10k, phasing=phasing)
        p = run_worker(__file__, "planner", spec)
        r = run_worker(__file__, "raw", spec)
        rows.append(
            (
                f"planner 100x100 shell, F={phasing}: total",
                f"{p['n_sat']:,}",
                f"<= {SHELL_10K_TIME_TARGET_S:g} s",
                f"{_s(p['total_s'])} (setup {p['setup_s']:.2f} + stream {p['stream_s']:.2f}); "
                f"raw {_s(r['sgp4_s_full'])} measured; peak RSS {_gb(p['peak_rss'])}",
                verdict(p["total_s"], SHELL_10K_TIME_TARGET_S),
            )
        )

    # (d) the worst case for the symmetric path: phasing coprime with the planes.
    p = run_worker(__file__, "planner", worst)
    r = run_worker(__file__, "raw", worst)
    label = f"{worst['planes']}x{worst['sats_per_plane']}"
    rows.append(
        (
            f"planner {label} shell, F=1 (worst case): total",
            f"{p['n_sat']:,}",
            "-",
            f"{_s(p['total_s'])} (setup {p['setup_s']:.2f} + stream {p['stream_s']:.2f}); "
            f"peak RSS {_gb(p['peak_rss'])}",
            "-",
        )
    )
    rows.append(
        (
            f"raw SatrecArray.sgp4 {label} (TEME only)",
            f"{r['n_sat']:,}",
            "-",
            f"{_s(r['sgp4_s_full'])} measured; peak RSS {_gb(r['peak_rss'])}",
            "-",
        )
    )
    rows.append(
        (
            f"speed ratio raw sgp4 / planner, {label} F=1",
            f"{p['n_sat']:,}",
            "-",
            f"{_ratio(r['sgp4_s_full'], p['total_s'])} (total); "
            f"{_ratio(r['sgp4_s_full'], p['stream_s'])} (stream+consume only)",
            "-",
        )
    )
    notes.append(
        f"F=1 with {worst['planes']} planes: gcd(P, F) = 1, so every plane is its own phase "
        "class and the symmetric path propagates every satellite, like raw sgp4, then rotates"
    )

    return finish(rows, notes)


if __name__ == "__main__":
    sys.exit(main())

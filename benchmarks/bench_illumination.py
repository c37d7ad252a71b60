"""Benchmark: a year of sunlight for every plane, and the conical shadow of a million satellites.

Usage::

    python benchmarks/bench_illumination.py [--preset million-340] [--quick]

Every measurement runs in its own subprocess, so that each peak RSS
(``resource.getrusage(...).ru_maxrss``) belongs to one measurement only.  Times
start after the imports.

* Annual analysis: load and resolve the scenario, then
  ``constellations.stages.illumination.annual_illumination`` and ``shell_sunlight``
  for every shell (the Sun over the year, every plane's beta angle and eclipses, the
  per-plane records of the plan JSON).
* Streamed shadow: the scenario's positions over exactly one orbit in 96 steps
  (``constellations.planner.one_orbit_grid``), TEME frame, streamed in chunks by
  ``constellations.stages.propagate.stream_positions`` in float32 or float64; the Sun from
  ``orbital.sun.sun_teme_km``; ``orbital.shadow.ShadowStream`` on every
  chunk.  "Shadow alone" sums the time spent inside the ShadowStream calls;
  "propagation + shadow" is the whole loop, Sun and buffers included.
* Plain numpy: ``orbital.shadow.conical_visible_fraction`` on the same float64 chunks
  (the straightforward vectorised formula, no cone pre-test).  For a million satellites
  it is measured on the first chunks and extrapolated.
* Fleet sunlight (the plan's stage "fleet over one orbit"):
  ``constellations.stages.illumination.fleet_powered_fraction`` over one orbit in
  :data:`FLEET_STEPS` steps, on the symmetric path (one reference plane per phase class,
  each satellite's shadowed planes an arc of nodes: ``orbital.shadow_planes.
  plane_shadow_totals``) and on the general path (every position streamed through
  ShadowStream, float32, as before), each in its own process.  Both start after the
  scenario is resolved and the Sun computed once (astropy's first call, which the plan's
  illumination stage has made by then); the symmetric path is timed twice in its
  process (the first call pays the first touches of its arrays).
"""

import argparse
import os
import sys
import time

import numpy as np
from common import (
    GB,
    answer_worker,
    finish,
    machine,
    peak_rss_bytes,
    run_worker,
    verdict,
)
from common import gb_text as _gb
from common import seconds_text as _s

#: Targets on the 2-core machine, for the million-satellite preset.
ANNUAL_TIME_TARGET_S = 10.0
SHADOW_TIME_TARGET_S = 3.0
#: The propagation benchmark's memory budget for a million satellites (bench_propagation.py).
STREAM_RSS_TARGET_BYTES = 2 * 10**9

STEPS = 96
#: The fleet stage's target on the 2-core machine (issue 19), million-340.
FLEET_TIME_TARGET_S = 0.6
#: Steps over the orbit for the fleet row (the issue's measurement; the plan takes 96).
FLEET_STEPS = 92

#: Chunks of the plain-numpy baseline measured for a million satellites (50,000 satellites
#: or one whole number of planes each), then extrapolated.
RAW_CHUNKS = 3


# ----------------------------------------------------------------------------- worker side


def worker_annual(spec: dict) -> dict:
    from constellations.io.scenario import load_scenario
    from constellations.stages.illumination import annual_illumination, shell_sunlight
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    rss_after_imports = peak_rss_bytes()
    t0 = time.perf_counter()
    constellation = load_scenario(spec["preset"])
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    t1 = time.perf_counter()
    years = list(annual_illumination(constellation, ts=ts, resolved=resolved))
    t2 = time.perf_counter()
    summaries = [shell_sunlight(shell, year) for shell, year in years]
    t3 = time.perf_counter()
    return {
        "n_planes": sum(len(s.planes) for s in summaries),
        "n_days": years[0][1].n_days,
        "setup_s": t1 - t0,
        "planes_s": t2 - t1,
        "summary_s": t3 - t2,
        "total_s": t3 - t0,
        "shells": [
            {
                "name": shell.shell.name,
                "worst_sunlit_percent": 100.0 * s.worst.sunlit_fraction_year,
                "max_eclipse_min": s.worst.max_eclipse_min,
                "eclipse_days": s.worst.eclipse_days,
            }
            for (shell, _), s in zip(years, summaries, strict=True)
        ],
        "rss_after_imports": rss_after_imports,
        "peak_rss": peak_rss_bytes(),
    }


def worker_stream(spec: dict) -> dict:
    """Streamed positions and ShadowStream; optionally plain numpy on the first chunks."""
    from constellations.io.scenario import load_scenario
    from constellations.planner import one_orbit_grid
    from constellations.stages.propagate import stream_positions
    from constellations.stages.resolve import resolve
    from orbital.propagation import DEFAULT_CHUNK_SATS
    from orbital.shadow import ShadowStream, conical_visible_fraction
    from orbital.sun import sun_teme_km
    from orbital.times import builtin_timescale

    dtype = np.dtype(spec["dtype"]).type
    raw_chunks = spec.get("raw_chunks", 0)
    rss_after_imports = peak_rss_bytes()
    t0 = time.perf_counter()
    constellation = load_scenario(spec["preset"])
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    grid = one_orbit_grid(constellation, resolved, steps=STEPS)
    sun = sun_teme_km(grid, ts)
    max_rows = min(DEFAULT_CHUNK_SATS, constellation.n_sats) + max(
        s.shell.sats_per_plane for s in resolved
    )
    shadow = ShadowStream(sun, max_rows, dtype=dtype)
    t1 = time.perf_counter()
    shadow_s = raw_s = 0.0
    raw_sats = 0
    max_difference = 0.0
    visible = np.zeros(len(grid))
    n_chunks = 0
    for chunk in stream_positions(
        constellation, grid, frame="teme", dtype=dtype, resolved=resolved, ts=ts
    ):
        a = time.perf_counter()
        fraction = shadow(chunk.positions_km)
        shadow_s += time.perf_counter() - a
        visible += fraction.sum(axis=0)
        if n_chunks < raw_chunks:
            a = time.perf_counter()
            exact = conical_visible_fraction(chunk.positions_km, sun[None])
            raw_s += time.perf_counter() - a
            raw_sats += chunk.stop - chunk.start
            max_difference = max(max_difference, float(np.max(np.abs(fraction - exact))))
        n_chunks += 1
        if n_chunks == raw_chunks:
            break  # the baseline's own run: only its first chunks
    t2 = time.perf_counter()
    n_t = len(grid)
    return {
        "n_sat": constellation.n_sats,
        "n_t": n_t,
        "dtype": np.dtype(dtype).name,
        "setup_s": t1 - t0,
        "shadow_s": shadow_s,
        "loop_s": t2 - t1 - raw_s,
        "total_s": t2 - t0 - raw_s,
        "n_chunks": n_chunks,
        "raw_s": raw_s,
        "raw_sats": raw_sats,
        "max_difference": max_difference,
        "orbit_mean_visible": float(visible.sum() / (constellation.n_sats * n_t)),
        "rss_after_imports": rss_after_imports,
        "peak_rss": peak_rss_bytes(),
    }


def worker_fleet(spec: dict) -> dict:
    """fleet_powered_fraction on one path; the symmetric one twice (first and second call)."""
    from constellations.io.scenario import load_scenario
    from constellations.planner import one_orbit_grid
    from constellations.stages.illumination import fleet_powered_fraction
    from constellations.stages.resolve import resolve
    from orbital.sun import sun_teme_km
    from orbital.times import builtin_timescale

    constellation = load_scenario(spec["preset"])
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    grid = one_orbit_grid(constellation, resolved, steps=FLEET_STEPS)
    t0 = time.perf_counter()
    sun_teme_km(grid, ts)
    sun_s = time.perf_counter() - t0
    calls = []
    for _ in range(2 if spec["symmetric"] else 1):
        wall, cpu = time.perf_counter(), time.process_time()
        fleet = fleet_powered_fraction(
            constellation, grid, ts=ts, resolved=resolved, symmetric=spec["symmetric"]
        )
        calls.append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        "n_sat": constellation.n_sats,
        "n_t": len(grid),
        "first_sun_s": sun_s,
        "calls": calls,
        "load": os.getloadavg(),
        "figures": {
            name: getattr(fleet, name).tolist()
            for name in (
                "mean_visible_fraction",
                "full_sun_share",
                "any_sun_share",
                "compute_share",
                "failed",
            )
        },
        "peak_rss": peak_rss_bytes(),
    }


# ----------------------------------------------------------------------------- report side


def _rate(tests: float, seconds: float) -> str:
    return f"{tests / seconds / 1e6:.1f} M tests/s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default=None, help="scenario preset (default million-340)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument(
        "--only-fleet", action="store_true", help="only the fleet-sunlight rows (the stage)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return answer_worker(
            args.worker, {"annual": worker_annual, "stream": worker_stream, "fleet": worker_fleet}
        )

    preset = args.preset or ("dawn-dusk-340" if args.quick else "million-340")
    from constellations.io.scenario import ScenarioError, load_scenario

    try:
        constellation = load_scenario(preset)
    except ScenarioError as exc:
        parser.error(str(exc))
    if not constellation.shells:
        parser.error(f"{preset}: has no Walker shells to analyse")
    is_million = preset == "million-340"

    info = machine(("numpy", "sgp4", "astropy"))
    print("Illumination benchmark (orbital-dc)")
    print(
        f"machine: {info['nproc']} cores, {info['memory']}, {info['cpu']}; "
        f"Python {info['python']}, numpy {info['numpy']}, sgp4 {info['sgp4']}, "
        f"astropy {info['astropy']}"
    )
    print(
        f"annual: hourly Sun over the epoch's year, every plane; shadow: one orbit in {STEPS} "
        "steps (one_orbit_grid), TEME, streamed chunks, Sun from sun_teme_km"
    )
    if args.quick:
        print("QUICK MODE: reduced sizes, smoke test only; targets apply to million-340")
    print()

    rows, notes = [], []
    fleet_rows(preset, is_million, rows, notes)
    if args.only_fleet:
        return finish(rows, notes)

    # (a) a year of sunlight for every plane.
    annual = run_worker(__file__, "annual", {"preset": preset})
    rows.append(
        (
            f"annual_illumination + shell_sunlight, {annual['n_planes']} planes",
            f"{constellation.n_sats:,}",
            f"<= {ANNUAL_TIME_TARGET_S:g} s" if is_million else "-",
            f"{_s(annual['total_s'])} (load+resolve {annual['setup_s']:.2f} + Sun and planes "
            f"{annual['planes_s']:.2f} + summaries {annual['summary_s']:.2f}); "
            f"peak RSS {_gb(annual['peak_rss'])}",
            verdict(annual["total_s"], ANNUAL_TIME_TARGET_S if is_million else None),
        )
    )
    notes.append(
        "annual worst planes: "
        + "; ".join(
            f"{s['name']} {s['worst_sunlit_percent']:.2f} % sunlit, longest eclipse "
            f"{s['max_eclipse_min']:.1f} min, {s['eclipse_days']} eclipse days"
            for s in annual["shells"]
        )
    )

    # (b) and (c): streamed shadow in float32 and float64; plain numpy on float64 chunks.
    raw_chunks = RAW_CHUNKS if constellation.n_sats > 3 * 50_000 else 10**6
    streams = {
        d: run_worker(__file__, "stream", {"preset": preset, "dtype": d})
        for d in ("float32", "float64")
    }
    raw = run_worker(
        __file__, "stream", {"preset": preset, "dtype": "float64", "raw_chunks": raw_chunks}
    )
    target = SHADOW_TIME_TARGET_S if is_million else None
    # ShadowStream's own chunks in the baseline's run, same satellites: a like-for-like rate.
    raw_stream_rate = raw["raw_sats"] * raw["n_t"] / raw["shadow_s"]
    for dtype, s in streams.items():
        tests = s["n_sat"] * s["n_t"]
        rows.append(
            (
                f"ShadowStream {dtype}: shadow alone ({s['n_t']} steps)",
                f"{s['n_sat']:,}",
                f"<= {SHADOW_TIME_TARGET_S:g} s" if is_million else "-",
                f"{_s(s['shadow_s'])}, {_rate(tests, s['shadow_s'])}, {s['n_chunks']} chunks",
                verdict(s["shadow_s"], target),
            )
        )
    for dtype, s in streams.items():
        rows.append(
            (
                f"propagation + ShadowStream {dtype}: total",
                f"{s['n_sat']:,}",
                "-",
                f"{_s(s['total_s'])} (load+resolve+Sun {s['setup_s']:.2f} + stream loop "
                f"{s['loop_s']:.2f}, of which shadow {s['shadow_s']:.2f})",
                "-",
            )
        )
        rows.append(
            (
                f"propagation + ShadowStream {dtype}: peak RSS",
                f"{s['n_sat']:,}",
                f"<= {STREAM_RSS_TARGET_BYTES / GB:g} GB" if is_million else "-",
                f"{_gb(s['peak_rss'])} (after imports {_gb(s['rss_after_imports'])})",
                verdict(s["peak_rss"], STREAM_RSS_TARGET_BYTES if is_million else None),
            )
        )
    raw_full_s = raw["raw_s"] * raw["n_sat"] / raw["raw_sats"]
    how = (
        f"EXTRAPOLATED from {raw['raw_sats']:,} sats ({_s(raw['raw_s'])})"
        if raw["raw_sats"] < raw["n_sat"]
        else "measured"
    )
    tests = raw["n_sat"] * raw["n_t"]
    rows.append(
        (
            "plain numpy conical_visible_fraction, float64 chunks",
            f"{raw['n_sat']:,}",
            "-",
            f"{_s(raw_full_s)} {how}, {_rate(tests, raw_full_s)}; peak RSS {_gb(raw['peak_rss'])}",
            "-",
        )
    )
    rows.append(
        (
            "speed ratio plain numpy / ShadowStream float64, same chunks",
            f"{raw['raw_sats']:,}",
            "-",
            f"ShadowStream {raw['raw_s'] / raw['shadow_s']:.1f}x faster "
            f"({_rate(raw_stream_rate, 1.0)} vs {_rate(raw['raw_sats'] * raw['n_t'], raw['raw_s'])}"
            ", measured)",
            "-",
        )
    )
    for dtype, s in streams.items():
        rows.append(
            (
                f"speed ratio plain numpy / ShadowStream {dtype}, whole fleet",
                f"{s['n_sat']:,}",
                "-",
                f"ShadowStream {raw_full_s / s['shadow_s']:.1f}x faster (shadow alone"
                + (", plain numpy extrapolated)" if raw["raw_sats"] < raw["n_sat"] else ")"),
                "-",
            )
        )
    notes.append(
        f"check: ShadowStream float64 vs conical_visible_fraction on the compared chunks, max "
        f"|difference| {raw['max_difference']:.1e} (the cone test's 70 m narrow penumbra; "
        "tests/test_shadow.py allows 1.1e-3)"
    )
    notes.append(
        "check: fleet orbit-mean visible fraction "
        + ", ".join(f"{d} {s['orbit_mean_visible']:.6f}" for d, s in streams.items())
    )
    notes.append(
        "shadow alone sums the time inside ShadowStream calls on the streamed chunks; "
        "propagation + shadow is the whole loop (propagation, TEME, buffers, shadow)"
    )

    return finish(rows, notes)


def fleet_rows(preset: str, is_million: bool, rows: list, notes: list) -> None:
    """The fleet stage on both paths, each in its own process, and their figures compared."""
    load_before = os.getloadavg()
    symmetric = run_worker(__file__, "fleet", {"preset": preset, "symmetric": True})
    general = run_worker(__file__, "fleet", {"preset": preset, "symmetric": False})
    n, n_t = symmetric["n_sat"], symmetric["n_t"]
    (first_s, first_cpu), (warm_s, warm_cpu) = symmetric["calls"]
    general_s, general_cpu = general["calls"][0]
    label = f"fleet sunlight, {preset}, one orbit at {n_t} steps"
    target = FLEET_TIME_TARGET_S if is_million else None
    rows.append(
        (
            f"{label}: symmetric, first call",
            f"{n:,}",
            f"< {FLEET_TIME_TARGET_S:g} s" if is_million else "-",
            f"{_s(first_s)} wall, {_s(first_cpu)} CPU",
            verdict(first_s, target),
        )
    )
    rows.append(
        (
            f"{label}: symmetric, second call",
            f"{n:,}",
            "-",
            f"{_s(warm_s)} wall, {_s(warm_cpu)} CPU",
            "-",
        )
    )
    rows.append(
        (
            f"{label}: general (ShadowStream float32, before)",
            f"{n:,}",
            "-",
            f"{_s(general_s)} wall, {_s(general_cpu)} CPU; symmetric first call "
            f"{general_s / first_s:.1f}x faster wall, {general_cpu / first_cpu:.1f}x CPU",
            "-",
        )
    )
    differences = {
        name: float(
            np.max(np.abs(np.subtract(symmetric["figures"][name], general["figures"][name])))
        )
        for name in symmetric["figures"]
    }
    notes.append(
        "fleet: max |symmetric - general (float32)| over the steps: "
        + ", ".join(f"{k} {v:.1e}" for k, v in differences.items())
        + f" (one satellite is {1 / n:.0e} of a share)"
    )
    notes.append(
        f"fleet: the Sun's first computation (astropy, outside the timings) "
        f"{_s(symmetric['first_sun_s'])}; load average (1, 5, 15 min) "
        f"{', '.join(f'{x:.1f}' for x in load_before)} before, "
        f"{', '.join(f'{x:.1f}' for x in general['load'])} after"
    )


if __name__ == "__main__":
    sys.exit(main())

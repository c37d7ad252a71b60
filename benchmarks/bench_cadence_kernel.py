"""Benchmark: the launch-cadence kernel on 100,000 variants of 3 shells over 10 years.

Usage::

    python benchmarks/bench_cadence_kernel.py

A trade study (issue 16) runs the cadence of every variant.  Measured in one process:

- ``orbital.cadence.simulate_fleet`` on 100,000 random variants (flights a year,
  failure rate, lifetime, satellite mass, payload, compute, orbit-average share, price,
  kW per tonne given for half of them), 3 shells, 10 years (120 months), in one call;
  target <= 3 s of wall time on the project's 2-core machine.  Best of 3 runs, with
  the CPU time beside it and the load average after it: other work on the machine
  stretches the wall time, not the CPU time;
- the memory that call allocates (``tracemalloc`` peak; NumPy reports its buffers to
  it) and the process's peak RSS; target <= 1 GB allocated.  A cohort matrix
  ``(n, months, months)`` would be 100,000 x 120 x 120 floats, 11.5 GB, per shell;
- the raw way: the cadence stage's one-sample ``simulate`` called once per variant,
  200 of them timed and extrapolated to 100,000 (stated as such), and the kernel as a
  multiple of it.  The 200 stage results are also compared with the kernel's first 200
  samples (largest relative difference printed: they are the same simulation).
  Before the kernel the stage ran its own cohort loop, about 4 ms a call here (3
  shells, 10 years; 20 ms now through the kernel's per-call overhead): the kernel is
  still some 200 times faster than that loop would be.
"""

import os
import time
import tracemalloc

import numpy as np
from common import gb_text, machine, peak_rss_bytes, print_table, seconds_text, verdict

from constellations.model.launch import LaunchDesign
from constellations.stages.cadence import ShellSupply, simulate
from orbital.cadence import simulate_fleet

SAMPLES = 100_000
SHELLS = 3
YEARS = 10
LOOPED = 200
REPEATS = 3
TARGET_KERNEL_S = 3.0
TARGET_ALLOCATED_BYTES = 1e9
CAPACITY = (150_000, 400_000, 450_000)  # satellites; the first fills, the last rarely
START_YEAR = 2027


def draws(n: int, seed: int = 0) -> dict:
    """``n`` variants' launch and satellite numbers, as a study would draw them."""
    rng = np.random.default_rng(seed)
    return {
        "flights": rng.uniform(500.0, 30_000.0, (n, YEARS)),
        "failure_rate": rng.uniform(0.0, 0.3, n),
        "lifetime_years": rng.uniform(0.5, 10.0, (n, SHELLS)),
        "mass_kg": rng.uniform(1000.0, 20_000.0, (n, SHELLS)),
        "payload_t": rng.uniform(50.0, 200.0, n),
        "compute_kw": rng.uniform(10.0, 400.0, (n, SHELLS)),
        "share": rng.uniform(0.6, 1.0, (n, SHELLS)),
        "cost_per_flight_usd": rng.uniform(1e6, 1e8, n),
        "kw_per_tonne": np.where(rng.random(n) < 0.5, rng.uniform(10.0, 100.0, n), np.nan),
    }


def kernel_args(d: dict) -> dict:
    spf = np.floor(d["payload_t"][:, None] * 1000.0 // d["mass_kg"])
    return {
        "flights_by_year": d["flights"],
        "capacity_sats": np.array(CAPACITY, dtype=float),
        "sats_per_flight": spf,
        "satellite_mass_kg": d["mass_kg"],
        "compute_kw": d["compute_kw"],
        "orbit_average_share": d["share"],
        "lifetime_years": d["lifetime_years"],
        "failure_rate_per_year": d["failure_rate"],
        "cost_per_flight_usd": d["cost_per_flight_usd"],
        "kw_per_tonne": d["kw_per_tonne"],
    }


def stage_inputs(d: dict, i: int):
    kw = d["kw_per_tonne"][i]
    design = LaunchDesign(
        flights_per_year=tuple(float(f) for f in d["flights"][i]),
        years=YEARS,
        payload_t=float(d["payload_t"][i]),
        failure_rate_per_year=float(d["failure_rate"][i]),
        cost_per_flight_usd=float(d["cost_per_flight_usd"][i]),
        kw_per_tonne=None if np.isnan(kw) else float(kw),
    )
    shells = [
        ShellSupply(
            name=f"s{k}",
            capacity_sats=CAPACITY[k],
            satellite_mass_kg=float(d["mass_kg"][i, k]),
            compute_kw=float(d["compute_kw"][i, k]),
            orbit_average_share=float(d["share"][i, k]),
            payload_t=float(d["payload_t"][i]),
            lifetime_years=float(d["lifetime_years"][i, k]),
        )
        for k in range(SHELLS)
    ]
    return design, shells


def main() -> None:
    print(machine())
    d = draws(SAMPLES)
    args = kernel_args(d)
    simulate_fleet(**{**kernel_args(draws(100, seed=1))})  # warm up: imports, first calls

    kernel_s = cpu_s = float("inf")
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        history = simulate_fleet(**args)
        kernel_s = min(kernel_s, time.perf_counter() - start)
        cpu_s = min(cpu_s, time.process_time() - start_cpu)

    tracemalloc.start()
    simulate_fleet(**args)
    _, allocated = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    inputs = [stage_inputs(d, i) for i in range(LOOPED)]
    start = time.perf_counter()
    results = [simulate(design, shells, START_YEAR) for design, shells in inputs]
    looped_s = (time.perf_counter() - start) * SAMPLES / LOOPED

    worst = 0.0
    for i, result in enumerate(results):
        for stage, kernel in (
            (result.installed_gw, history.installed_gw[i]),
            (result.satellites_in_orbit, history.satellites_in_orbit[i]),
            (result.cumulative_cost_usd, history.cumulative_cost_usd[i]),
        ):
            worst = max(worst, float(np.max(np.abs(stage - kernel) / np.maximum(abs(kernel), 1))))
    filled = (history.full_month >= 0).mean(axis=0)

    print_table(
        header=("measurement", "samples", "target", "measured", "result"),
        rows=[
            (
                f"kernel, {SAMPLES:,} variants x {SHELLS} shells x {YEARS} years, one call",
                f"{SAMPLES:,}",
                f"<= {TARGET_KERNEL_S:g} s",
                seconds_text(kernel_s),
                verdict(kernel_s, TARGET_KERNEL_S),
            ),
            ("the same, CPU time of this process", f"{SAMPLES:,}", "-", seconds_text(cpu_s), "-"),
            (
                "memory the call allocates (tracemalloc peak)",
                f"{SAMPLES:,}",
                f"<= {gb_text(TARGET_ALLOCATED_BYTES)}",
                gb_text(allocated),
                verdict(allocated, TARGET_ALLOCATED_BYTES),
            ),
            ("process peak RSS", f"{SAMPLES:,}", "-", gb_text(peak_rss_bytes()), "-"),
            (
                f"raw: stage simulate() once per variant ({LOOPED} run, extrapolated)",
                f"{SAMPLES:,}",
                "-",
                f"{looped_s:,.0f} s",
                "-",
            ),
            ("kernel vs the loop", "", "-", f"{looped_s / kernel_s:,.0f}x faster", "-"),
        ],  # fmt: skip
    )
    print(f"- kernel: best of {REPEATS} runs; load average then {os.getloadavg()[0]:.1f}")
    print(f"- stage vs kernel on the first {LOOPED}: largest relative difference {worst:.1e}")
    print(f"- shells filled within {YEARS} years: " + ", ".join(f"{x:.0%}" for x in filled))


if __name__ == "__main__":
    main()

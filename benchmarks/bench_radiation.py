"""Benchmark: orbit-averaged AP8/AE8 spectra for one orbit and for 150 shells at once.

Usage::

    python benchmarks/bench_radiation.py [--orbits 150]

Measured in one process, after the imports and one warm-up call:

- one orbit (650 km, 97.9 deg) on ``orbit_spectra``'s default 72 x 48 grid, all four models
  (solar minimum and maximum: the maximum's electrons reuse the minimum's field);
- ``orbit_spectra_batch`` over ``--orbits`` circular orbits (altitudes 300-2,000 km drawn at
  random, five inclinations from 30 to 97.9 deg, on its 36 x 24 grid), both solar phases;
  target <= 10 s on 2 cores.  Each inclination is flown at some 30 altitudes, so the batch
  takes IRBEM's field at the seven altitude nodes and interpolates it (see
  ``orbit_spectra_batch``); wall and CPU seconds are printed, since other work on the 2
  cores slows IRBEM and the load average is printed before and after;
- the same orbits point by point (the method before the altitude nodes: the field at every
  orbit's points), its CPU against the batch's, and the spectra's relative differences;
- the raw way: aep8's own EarthLocation-based ``integral_flux`` called per orbit and per
  model on the same samples (a few orbits, extrapolated), and the batch as a multiple of it.

Measured 2026-12-01 (2 cores, AMD EPYC, load average 10-14 from other agents' work): batch
25.1 s wall, 10.4 s CPU (FAIL: its CPU time alone is over the target; 87.9 s wall and 10.9 s
CPU in a run at load 12-14); point by point 73.4 s wall, 32.8 s CPU (3.2x the CPU);
differences at most 2.0 % at any energy (>200 MeV protons and >5 MeV electrons below
500 km), 0.065 % for the median orbit, 0.63 % for >10 MeV protons and >1 MeV electrons.
One orbit on 72 x 48: 2.7 s (raw aep8: 8.9 s).  Before the altitude nodes the figure, at a
lower load, was 27.9 s for the batch.  What remains is the field at 7 x 432 points per
inclination and field (about two thirds) and the fluxes at every orbit's points (a third).
"""

import argparse
import os
import time

import numpy as np
from common import machine, print_table, verdict

TARGET_BATCH_S = 10.0
RAW_ORBITS = 4


def raw_orbit(altitude_km, inclination_deg, epoch, n_anomaly, n_node):
    """aep8 as its documentation shows it: one integral_flux call per model, every sample."""
    import aep8
    import astropy.units as u
    from astropy.coordinates import EarthLocation

    from orbital.radiation import (
        ELECTRON_ENERGIES_MEV,
        PROTON_ENERGIES_MEV,
        circular_orbit_samples,
    )

    samples = circular_orbit_samples(altitude_km, inclination_deg, n_anomaly, n_node)
    location = EarthLocation.from_geocentric(*samples, unit=u.km).reshape(-1, 1)
    out = {}
    with np.errstate(invalid="ignore"):
        for particle, energies in (("p", PROTON_ENERGIES_MEV), ("e", ELECTRON_ENERGIES_MEV)):
            for solar in ("min", "max"):
                model = aep8.model(particle, solar)
                out[particle, solar] = model.integral_flux(location, epoch, energies * u.MeV)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orbits", type=int, default=150)
    args = parser.parse_args()

    from astropy.time import Time

    from orbital import radiation
    from orbital.radiation import circular_orbit_samples, orbit_spectra, orbit_spectra_batch

    print(machine(packages=("numpy", "astropy", "aep8")), "load average", os.getloadavg())
    epoch = Time("2027-01-01T00:00:00", scale="utc")
    # Warm-up on another orbit (imports, the models loaded), so that no field is reused below.
    orbit_spectra(500.0, 53.0, epoch, "min", samples=circular_orbit_samples(500.0, 53.0, 8, 8))

    start = time.perf_counter()
    for solar in ("min", "max"):
        orbit_spectra(650.0, 97.9, epoch, solar)
    one_s = time.perf_counter() - start
    start = time.perf_counter()
    raw_orbit(650.0, 97.9, epoch, 72, 48)
    raw_one_s = time.perf_counter() - start

    rng = np.random.default_rng(0)
    altitudes = rng.uniform(300.0, 2000.0, args.orbits)
    inclinations = rng.choice([30.0, 43.0, 53.0, 70.0, 97.9], args.orbits)
    load_before = os.getloadavg()
    start, cpu = time.perf_counter(), time.process_time()
    batch = {
        solar: orbit_spectra_batch(altitudes, inclinations, epoch, solar)
        for solar in ("min", "max")
    }
    batch_s, batch_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    point_by_point = {
        solar: radiation._direct_batch(altitudes, inclinations, epoch, solar, 36, 24)
        for solar in ("min", "max")
    }
    direct_s, direct_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    for a, i in zip(altitudes[:RAW_ORBITS], inclinations[:RAW_ORBITS], strict=True):
        raw_orbit(a, i, epoch, 36, 24)
    raw_batch_s = (time.perf_counter() - start) * args.orbits / RAW_ORBITS
    differences = _differences(batch, point_by_point)

    print_table(
        [
            ("one orbit, 4 models (72 x 48)", "1", "-", f"{one_s:.2f} s", "-"),
            ("  raw aep8 integral_flux per model", "1", "-", f"{raw_one_s:.2f} s", "-"),
            ("  vs raw", "", "-", f"{raw_one_s / one_s:.1f}x faster", "-"),
            (
                "batch, both phases (36 x 24)",
                f"{args.orbits}",
                f"<= {TARGET_BATCH_S:g} s",
                f"{batch_s:.2f} s ({batch_cpu_s:.1f} s CPU)",
                verdict(batch_s, TARGET_BATCH_S),
            ),
            (
                "  point by point (the field at every orbit)",
                f"{args.orbits}",
                "-",
                f"{direct_s:.2f} s ({direct_cpu_s:.1f} s CPU)",
                "-",
            ),
            ("  vs point by point", "", "-", f"{direct_cpu_s / batch_cpu_s:.1f}x less CPU", "-"),
            *(
                (f"  difference, {name}", "", "-", f"{100 * value:.3f} %", "-")
                for name, value in differences.items()
            ),
            (
                f"  raw per orbit ({RAW_ORBITS} run, extrapolated)",
                f"{args.orbits}",
                "-",
                f"{raw_batch_s:.1f} s",
                "-",
            ),
            ("  vs raw", "", "-", f"{raw_batch_s / batch_s:.1f}x faster", "-"),
        ],
        header=("measurement", "orbits", "target", "measured", "result"),
    )
    print("load average before the batch", load_before, "after", os.getloadavg())


def _differences(batch, point_by_point) -> dict:
    """Relative differences of the batch from the point-by-point spectra over every orbit
    and phase: the largest at any energy with flux, the median of each orbit's largest,
    and the largest above 10 MeV (protons) and 1 MeV (electrons)."""
    largest, headline = [], []
    for solar, spectra in batch.items():
        for ours, theirs in zip(spectra, point_by_point[solar], strict=True):
            worst = 0.0
            for particle, energy in (("proton", 10.0), ("electron", 1.0)):
                a = getattr(ours, f"{particle}_flux_cm2_s")
                b = getattr(theirs, f"{particle}_flux_cm2_s")
                has = b > 0
                if has.any():
                    worst = max(worst, float(np.max(np.abs(a[has] / b[has] - 1))))
                at = getattr(ours, f"{particle}_energy_mev") == energy
                if b[at][0] > 0:
                    headline.append(abs(float(a[at][0] / b[at][0]) - 1))
            largest.append(worst)
    return {
        "any energy": max(largest),
        "median orbit": float(np.median(largest)),
        ">10 MeV p, >1 MeV e": max(headline),
    }


if __name__ == "__main__":
    main()

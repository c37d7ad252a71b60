"""Benchmark: orbit-averaged AP8/AE8 spectra for one orbit and for 150 shells at once.

Usage::

    python benchmarks/bench_radiation.py [--orbits 150]

Measured in one process, after the imports and one warm-up call:

- one orbit (650 km, 97.9 deg) on ``orbit_spectra``'s default 72 x 48 grid, all four models
  (solar minimum and maximum: the maximum's electrons reuse the minimum's field);
- ``orbit_spectra_batch`` over ``--orbits`` circular orbits (altitudes 300-2,000 km, a mix of
  inclinations, on its 36 x 24 grid), both solar phases; target <= 10 s on 2 cores;
- the raw way: aep8's own EarthLocation-based ``integral_flux`` called per orbit and per
  model on the same samples (a few orbits, extrapolated), and each measurement as a
  multiple of it.

The batch's coarser 24 x 16 grid is measured too: within the target on an idle machine, but
its orbit averages are up to 8 % off (>10 MeV protons, 650 km SSO) where 36 x 24 is within
4 % of a 144 x 96 grid.  The load average is printed: other work on the 2 cores slows IRBEM.
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
    start = time.perf_counter()
    for solar in ("min", "max"):
        orbit_spectra_batch(altitudes, inclinations, epoch, solar)
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    for solar in ("min", "max"):
        orbit_spectra_batch(altitudes, inclinations, epoch, solar, n_anomaly=24, n_node=16)
    coarse_s = time.perf_counter() - start
    start = time.perf_counter()
    for a, i in zip(altitudes[:RAW_ORBITS], inclinations[:RAW_ORBITS], strict=True):
        raw_orbit(a, i, epoch, 36, 24)
    raw_batch_s = (time.perf_counter() - start) * args.orbits / RAW_ORBITS

    print_table(
        [
            ("one orbit, 4 models (72 x 48)", "1", "-", f"{one_s:.2f} s", "-"),
            ("  raw aep8 integral_flux per model", "1", "-", f"{raw_one_s:.2f} s", "-"),
            ("  vs raw", "", "-", f"{raw_one_s / one_s:.1f}x faster", "-"),
            (
                "batch, both phases (36 x 24)",
                f"{args.orbits}",
                f"<= {TARGET_BATCH_S:g} s",
                f"{batch_s:.2f} s",
                verdict(batch_s, TARGET_BATCH_S),
            ),
            (
                "batch, both phases (24 x 16)",
                f"{args.orbits}",
                f"<= {TARGET_BATCH_S:g} s",
                f"{coarse_s:.2f} s",
                verdict(coarse_s, TARGET_BATCH_S),
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


if __name__ == "__main__":
    main()

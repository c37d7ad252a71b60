"""Benchmark: 100,000 hardware variants sized with their drag on one orbit, in one pass.

Usage::

    python benchmarks/bench_closure_batch.py

On the ``dawn-dusk-340`` preset's shell, whose year of sunlight and NRLMSIS atmosphere
are found once beforehand (a trade study shares them between its variants):

- 100,000 variants of the satellite (compute power and mass, structure, propulsion dry
  mass, design life, a mass cap on a quarter of them, array efficiency and areal
  density, battery specific energy, radiator temperature, emissivity, absorptivity and
  areal density, drawn at random inside the scenario schema's bounds) closed with drag
  feedback in one call: the hot-case environment from the radiator's two flux
  components (``shell_environment_batch``), then
  ``orbital.drag_closure.close_with_drag_batch``, both battery policies closed at every
  pass as the stage does.  Target: under 3 s on this 2-core machine.
- the raw way: the stage's ``close_shell`` once per variant, 200 of them measured and
  extrapolated to 100,000 (said so in the table), and the one pass as a multiple of it.
"""

import dataclasses
import time

import numpy as np
from common import machine, print_table, verdict

from constellations.io.scenario import load_scenario
from constellations.planner import plan
from constellations.stages.atmosphere import shell_atmosphere
from constellations.stages.closure import (
    close_shell,
    drag_feedback_inputs,
    shell_environment_batch,
)
from orbital.closure import POLICIES
from orbital.drag_closure import close_with_drag_batch

PRESET = "dawn-dusk-340"
VARIANTS = 100_000
LOOPED = 200
TARGET_BATCH_S = 3.0


def draws(rng, n: int, base) -> dict:
    """Variants of ``base`` (a SatelliteDesign) by group: ``{group: {field: (n,)}}``."""

    def uniform(low, high):
        return rng.uniform(low, high, n)

    spec = {
        "compute_w": uniform(3e4, 2.5e5),
        "compute_mass_kg": uniform(400.0, 2500.0),
        "structure_fraction": uniform(0.05, 0.5),
        "propulsion_dry_kg_per_tonne": uniform(0.0, 100.0),
        "design_life_years": uniform(2.0, 10.0),
    }
    payload_kg = spec["compute_mass_kg"] + base.spec.bus_mass_kg
    payload_kg = payload_kg + base.spec.laser_terminals * base.spec.laser_mass_kg
    spec["max_mass_kg"] = np.where(rng.random(n) < 0.25, payload_kg * uniform(1.5, 4.0), 1e6)
    return {
        "spec": spec,
        "array": {"efficiency_bol": uniform(0.2, 0.4), "areal_density_kg_m2": uniform(0.5, 4.0)},
        "battery": {"specific_energy_wh_kg": uniform(120.0, 400.0)},
        "radiator": {
            "temperature_k": uniform(260.0, 420.0),
            "emissivity": uniform(0.6, 0.98),
            "absorptivity": uniform(0.05, 0.6),
            "areal_density_kg_m2": uniform(1.0, 8.0),
        },
    }


def main() -> None:
    print(machine())
    constellation = load_scenario(PRESET)
    (sunlight,) = plan(constellation, stages={"illumination"}).illumination.shells
    atmosphere = shell_atmosphere(sunlight.resolved, constellation.epoch, constellation.drag)
    base = constellation.satellite
    values = draws(np.random.default_rng(0), VARIANTS, base)

    start = time.perf_counter()
    sat, array, battery, radiator = (
        dataclasses.replace(getattr(base, group), **values[group])
        for group in ("spec", "array", "battery", "radiator")
    )
    out = close_with_drag_batch(
        sat,
        array,
        battery,
        radiator,
        shell_environment_batch(sunlight, radiator),
        **drag_feedback_inputs(sunlight, radiator.attitude, constellation.drag, atmosphere),
        policies=POLICIES,
    )
    batch_s = time.perf_counter() - start
    closes = out.sizing.closes
    median_kw_t = np.nanmedian(out.sizing.compute_kw_per_tonne)
    print(
        f"{closes.sum():,} of {VARIANTS:,} close, {out.converged.sum():,} converged, "
        f"at most {out.passes.max()} passes; median {median_kw_t:.1f} kW/t"
    )

    start = time.perf_counter()
    for i in range(LOOPED):
        design = base.replace(
            **{
                group: dataclasses.replace(
                    getattr(base, group), **{k: float(v[i]) for k, v in fields.items()}
                )
                for group, fields in values.items()
            }
        )
        close_shell(design, sunlight, constellation.drag, atmosphere)
    looped_s = (time.perf_counter() - start) * VARIANTS / LOOPED

    print_table(
        [
            (
                f"{VARIANTS:,} variants with drag feedback, one pass",
                "1 shell",
                f"<= {TARGET_BATCH_S:g} s",
                f"{batch_s:.2f} s",
                verdict(batch_s, TARGET_BATCH_S),
            ),
            (
                f"raw: close_shell once per variant ({LOOPED} run, extrapolated)",
                "1 shell",
                "-",
                f"{looped_s:,.0f} s",
                "-",
            ),
            ("one pass vs the loop", "", "-", f"{looped_s / batch_s:,.0f}x faster", "-"),
        ],  # fmt: skip
        header=("measurement", "orbit", "target", "measured", "result"),
    )


if __name__ == "__main__":
    main()

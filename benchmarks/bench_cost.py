"""Benchmark: the cost stage on a million satellites, and 100,000 variants of it in one pass.

Usage::

    python benchmarks/bench_cost.py

Measured in one process, after the stages the cost needs (``million-340``: sizing with
drag, the cadence and the laser mesh) have run once:

- the cost stage itself (``levelised_cost``), the time it adds to ``plan``; target <= 1 s;
- 100,000 variants of the ``[cost]`` prices (discount rate, array and launch prices,
  economic life, PUE drawn at random) in one vectorised call (``cost_variants``);
  target <= 5 s ("seconds", for the trade studies);
- the raw way: the stage run once per variant (200 of them, extrapolated to 100,000),
  and the vectorised pass as a multiple of it.
"""

import time

import numpy as np
from common import machine, print_table, verdict

from constellations.io.scenario import load_scenario
from constellations.planner import plan
from constellations.stages.cost import cost_variants, levelised_cost

PRESET = "million-340"
VARIANTS = 100_000
LOOPED = 200
TARGET_STAGE_S = 1.0
TARGET_VARIANTS_S = 5.0


def main() -> None:
    print(machine())
    constellation = load_scenario(PRESET)
    done = plan(constellation, stages=("cadence", "network"))
    args = (constellation, done.closure, done.cadence, done.network)

    start = time.perf_counter()
    levelised_cost(*args)
    stage_s = time.perf_counter() - start

    rng = np.random.default_rng(0)
    draws = {
        "discount_rate": rng.uniform(0.0, 0.15, VARIANTS),
        "array_usd_per_w": rng.uniform(0.03, 300.0, VARIANTS),
        "launch_usd_per_kg": rng.uniform(10.0, 3000.0, VARIANTS),
        "economic_life_years": rng.uniform(3.0, 7.0, VARIANTS),
        "ground.pue": rng.uniform(1.05, 1.5, VARIANTS),
    }
    start = time.perf_counter()
    cost_variants(*args, **draws)
    variants_s = time.perf_counter() - start

    cost = constellation.cost
    start = time.perf_counter()
    for k in range(LOOPED):
        design = constellation.model_copy(
            update={
                "cost": cost.model_copy(
                    update={
                        "discount_rate": float(draws["discount_rate"][k]),
                        "array_usd_per_w": float(draws["array_usd_per_w"][k]),
                        "economic_life_years": float(draws["economic_life_years"][k]),
                    }
                )
            }
        )
        levelised_cost(design, *args[1:])
    looped_s = (time.perf_counter() - start) * VARIANTS / LOOPED

    print_table(
        [
            (
                "cost stage (adds to plan)",
                "1,000,000",
                f"<= {TARGET_STAGE_S:g} s",
                f"{stage_s:.3f} s",
                verdict(stage_s, TARGET_STAGE_S),
            ),
            (
                f"{VARIANTS:,} variants, one pass",
                "1,000,000",
                f"<= {TARGET_VARIANTS_S:g} s",
                f"{variants_s:.2f} s",
                verdict(variants_s, TARGET_VARIANTS_S),
            ),
            (
                f"raw: the stage once per variant ({LOOPED} run, extrapolated)",
                "1,000,000",
                "-",
                f"{looped_s:,.0f} s",
                "-",
            ),
            ("one pass vs the loop", "", "-", f"{looped_s / variants_s:,.0f}x faster", "-"),
        ]  # fmt: skip
    )


if __name__ == "__main__":
    main()

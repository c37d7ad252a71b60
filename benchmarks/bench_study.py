"""Trade studies on Dask: the three speeds issue 16 names, each against plan() one by one.

Targets, on this project's machine (2 cores, 24 GB), the local cluster's start not counted
(it is reported on its own line):

1. 100,000 Monte Carlo samples of sizing (with drag), cadence and cost on one orbit (the
   dawn-dusk-340 preset): at most 10 s.
2. Sobol' indices of 8 parameters from 2^14 base samples (a Saltelli design, 163,840
   evaluations), bootstrap intervals included: at most 30 s.
3. A 60-point orbital sweep, 20 altitudes x three shells (53 deg, 70 deg and
   sun-synchronous), with the year of sunlight, drag and sizing: at most 2 minutes.

Each prints the time, the ratio to running the same samples through ``plan()`` one by one
(measured on a few samples and extrapolated, as printed), and PASS or FAIL.

Run: ``python benchmarks/bench_study.py`` (about 5 minutes with the one-by-one references).
"""

import sys
import tempfile
import textwrap
import time
from pathlib import Path

TARGETS_S = {"monte-carlo": 10.0, "sobol": 30.0, "sweep": 120.0}

PARAMETERS = """
[[parameters]]
path = "satellite.compute_kw"
distribution = "uniform"
low = 60.0
high = 150.0

[[parameters]]
path = "solar_array.areal_density_kg_m2"
distribution = "uniform"
low = 0.5
high = 3.0

[[parameters]]
path = "solar_array.efficiency_bol"
distribution = "uniform"
low = 0.25
high = 0.35

[[parameters]]
path = "radiator.temperature_k"
distribution = "uniform"
low = 300.0
high = 360.0

[[parameters]]
path = "launch.cost_per_kg_usd"
distribution = "lognormal"
median = 100.0
sigma = 0.8

[[parameters]]
path = "cost.array_usd_per_w"
distribution = "triangular"
low = 0.0275
mode = 0.1
high = 0.3

[[parameters]]
path = "launch.failure_rate_per_year"
distribution = "uniform"
low = 0.005
high = 0.1

[[parameters]]
path = "launch.flights_per_year"
distribution = "uniform"
low = 5.0
high = 60.0
"""

OUTPUTS = '["kw_per_tonne", "installed_gw", "lcoc_usd_per_kw_year", "space_to_ground_ratio"]'

SWEEP_BASE = """
[scenario]
name = "three-inclinations"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "i53"
altitude_km = 340.0
inclination_deg = 53.0
planes = 8
sats_per_plane = 10

[[shells]]
name = "i70"
altitude_km = 340.0
inclination_deg = 70.0
planes = 8
sats_per_plane = 10

[[shells]]
name = "sso"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 8
sats_per_plane = 10
"""


def study_file(folder: Path, name: str, head: str, parameters: str):
    from constellations.io.study import read_study

    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(head) + parameters)
    return read_study(path)


def one_by_one_s(study, rows) -> float:
    """Seconds a sample takes through plan(): the mean over ``rows`` of the study's points."""
    from constellations.model.study import scenario_with
    from constellations.model.study_points import study_points
    from constellations.outputs import plan_outputs, stages_for
    from constellations.planner import plan

    points, _ = study_points(study.file, study.base_document)
    outputs = study.file.study.outputs
    started = time.perf_counter()
    for row in rows:
        assignment = {
            p: v[row].item() if hasattr(v[row], "item") else v[row] for p, v in points.items()
        }
        scenario = scenario_with(study.base_document, assignment).constellation()
        plan_outputs(plan(scenario, stages=stages_for(outputs)), outputs)
    return (time.perf_counter() - started) / len(rows)


def report(name: str, seconds: float, n: int, per_sample_s: float, measured: int) -> bool:
    target = TARGETS_S[name]
    reference = per_sample_s * n
    ok = seconds <= target
    print(
        f"{name:12s} {n:>8,} samples in {seconds:6.2f} s (target {target:.0f} s) "
        f"{'PASS' if ok else 'FAIL'}; plan() one by one {per_sample_s:.3f} s a sample "
        f"(mean of {measured}), {reference:,.0f} s for all: {reference / seconds:,.0f}x"
    )
    return ok


def main() -> int:
    from dask.distributed import Client, LocalCluster

    from constellations.present.study_tables import sobol_table
    from constellations.study.engine import run_study

    folder = Path(tempfile.mkdtemp(prefix="bench-study-"))
    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = Client(cluster)
    print(f"local cluster of 2 worker processes started in {time.perf_counter() - started:.2f} s")
    results = []
    try:
        monte_carlo = study_file(
            folder,
            "mc",
            f"""
            [study]
            name = "mc"
            base = "dawn-dusk-340"
            design = "latin-hypercube"
            samples = 100000
            seed = 1
            outputs = {OUTPUTS}
            """,
            PARAMETERS,
        )
        run = run_study(monte_carlo, store=folder / "mc.zarr", client=client)
        print(
            f"  (orbital point {run.points_computed} computed, in the time; {run.chunks_total} "
            f"chunk tasks; workers busy in tasks {run.busy_share:.0%} of the run)"
        )
        per = one_by_one_s(monte_carlo, range(3))
        results.append(report("monte-carlo", run.run_s, 100_000, per, 3))

        sobol = study_file(
            folder,
            "sobol",
            f"""
            [study]
            name = "sobol"
            base = "dawn-dusk-340"
            design = "saltelli"
            samples = 16384
            seed = 2
            outputs = {OUTPUTS}
            """,
            PARAMETERS,
        )
        begun = time.perf_counter()
        run = run_study(sobol, store=folder / "sobol.zarr", client=client)
        paths = [p.path for p in sobol.file.parameters]
        for name in sobol.file.study.outputs:
            sobol_table(run.dataset, name, paths)
        seconds = time.perf_counter() - begun
        n = run.dataset.sizes["sample"]
        results.append(report("sobol", seconds, n, per, 3))

        (folder / "sweep-base.toml").write_text(SWEEP_BASE)
        sweep = study_file(
            folder,
            "sweep",
            """
            [study]
            name = "sweep"
            base = "sweep-base.toml"
            design = "grid"
            outputs = ["kw_per_tonne", "longest_eclipse_min", "uncontrolled_lifetime_days"]
            """,
            textwrap.dedent(
                """
                [[parameters]]
                path = "shells[*].altitude_km"
                range = [330.0, 520.0, 10.0]
                """
            ),
        )
        run = run_study(sweep, store=folder / "sweep.zarr", client=client)
        per_scenario = one_by_one_s(sweep, range(2))
        # 20 scenarios of three shells: 60 orbital points.
        results.append(report("sweep", run.run_s, 20, per_scenario, 2))
    finally:
        client.close()
        cluster.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

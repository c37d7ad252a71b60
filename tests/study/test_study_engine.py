"""The study engine against the planner itself: a grid study equals the same scenarios
planned one by one, value for value; a killed worker loses no sample and duplicates none;
``resume`` recomputes only the chunks that did not finish."""

import math
import os
import signal
import textwrap
import threading
import time

import numpy as np
import pytest
from helpers import STUDY_BASE_TWO_SHELLS, shaded_formation

from constellations.io.study import parse_study
from constellations.model.study import OUTPUTS, scenario_with
from constellations.outputs import plan_outputs, stages_for
from constellations.planner import plan
from constellations.study.work import fingerprint

#: A small base: two shells (one sun-synchronous), a short cadence, so every stage runs
#: in about a second.
BASE = STUDY_BASE_TWO_SHELLS

#: Agreement of the study's vectorised stages with plan(): the same arithmetic in another
#: order (sums over shells, the fixed point's last step), so to rounding.
SAME_NUMBERS = 1e-9


def study_of(tmp_path, body: str):
    (tmp_path / "base.toml").write_text(BASE)
    text = textwrap.dedent(body)
    return parse_study(text, origin="study.toml", base_dir=tmp_path)


GRID = """
[study]
name = "grid"
base = "base.toml"
design = "grid"
outputs = {outputs}

[[parameters]]
path = "shells[*].altitude_km"
values = [330.0, 360.0]

[[parameters]]
path = "satellite.payload"
values = ["gb200-nvl72", "gb300-nvl72"]

[[parameters]]
path = "launch.cost_per_flight_usd"
values = [1.0e6, 5.0e7]

[[parameters]]
path = "cost.array_usd_per_w"
values = [0.03, 0.3]

[[parameters]]
path = "solar_array.areal_density_kg_m2"
values = [1.0, 3.0]
"""


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def assert_row_is_the_plan(row, scenario, outputs, assignment) -> None:
    """The study's ``row`` closes and holds what ``plan()`` of ``scenario`` gives for every
    one of ``outputs``, to :data:`SAME_NUMBERS`."""
    expected = plan_outputs(plan(scenario.constellation(), stages=stages_for(outputs)), outputs)
    assert int(row["reason"]) == 0
    for name in outputs:
        got = float(row[name])
        assert math.isclose(got, expected[name], rel_tol=SAME_NUMBERS), (
            name,
            assignment,
            got,
            expected[name],
        )


def test_a_grid_study_equals_its_scenarios_planned_one_by_one(tmp_path, client):
    from constellations.study.engine import run_study

    outputs = list(OUTPUTS)
    study = study_of(tmp_path, GRID.format(outputs=repr(outputs).replace("'", '"')))
    run = run_study(study, store=tmp_path / "grid.zarr", client=client, chunk_size=8)
    data = run.dataset
    assert data["reason"].dims == tuple(p.path for p in study.file.parameters)
    assert run.points_total == 2  # two altitudes; payloads and prices share the orbit
    # Four of the sixteen points, planned one by one: both orbits, both payloads (groups),
    # each with one of the two corners of the prices and the array (the vectors).
    corners = ((1.0e6, 0.03, 1.0), (5.0e7, 0.3, 3.0))
    chosen = (
        (330.0, "gb200-nvl72", corners[0]),
        (330.0, "gb300-nvl72", corners[1]),
        (360.0, "gb200-nvl72", corners[1]),
        (360.0, "gb300-nvl72", corners[0]),
    )
    for altitude, payload, (launch, array, density) in chosen:
        assignment = {
            "shells[*].altitude_km": altitude,
            "satellite.payload": payload,
            "launch.cost_per_flight_usd": launch,
            "cost.array_usd_per_w": array,
            "solar_array.areal_density_kg_m2": density,
        }
        scenario = scenario_with(study.base_document, assignment)
        assert_row_is_the_plan(data.sel(assignment), scenario, outputs, assignment)


SHELL_CHOICE_GRID = """
[study]
name = "orbits"
base = "base.toml"
design = "grid"
outputs = {outputs}

[[parameters]]
path = "shells"
values = ["w", "dd"]

[[parameters]]
path = "shells[*].altitude_km"
values = [360.0]

[[parameters]]
path = "radiation.shielding_mm_al"
values = [1.0, 4.0]
"""


def test_a_study_choosing_the_shell_equals_each_shell_planned_alone(tmp_path, client):
    from constellations.study.engine import run_study

    outputs = list(OUTPUTS)
    study = study_of(tmp_path, SHELL_CHOICE_GRID.format(outputs=repr(outputs).replace("'", '"')))
    run = run_study(study, store=tmp_path / "orbits.zarr", client=client)
    data = run.dataset
    assert list(data["shells"].values) == ["w", "dd"]
    assert run.points_total == 2  # one orbit a shell; the wall varies inside a call
    doses = {}
    for name in ("w", "dd"):
        for wall in (1.0, 4.0):
            assignment = {
                "shells": name,
                "shells[*].altitude_km": 360.0,
                "radiation.shielding_mm_al": wall,
            }
            scenario = scenario_with(study.base_document, assignment)
            assert [s.name for s in scenario.shells] == [name]  # that shell alone
            row = data.sel(assignment)
            assert_row_is_the_plan(row, scenario, outputs, assignment)
            doses[name, wall] = float(row["dose_rad_si_per_year"])
    # A thicker wall lets less through, and the two orbits cross different parts of the belts.
    assert doses["w", 4.0] < doses["w", 1.0] and doses["dd", 4.0] < doses["dd", 1.0]
    assert not math.isclose(doses["w", 1.0], doses["dd", 1.0], rel_tol=0.01)


def test_a_design_that_does_not_close_is_a_row_of_nan_with_its_reason(tmp_path, client):
    from constellations.study.engine import run_study

    study = study_of(
        tmp_path,
        """
        [study]
        name = "structure"
        base = "base.toml"
        design = "grid"
        outputs = ["kw_per_tonne", "installed_gw"]

        [[parameters]]
        path = "radiator.temperature_k"
        values = [320.0, 150.0]

        [[parameters]]
        path = "satellite.structure_fraction"
        values = [0.1, 0.95]
        """,
    )
    data = run_study(study, store=tmp_path / "s.zarr", client=client).dataset
    reasons = data.attrs["reasons"]

    def row(temperature, structure):
        return data.sel(
            {"radiator.temperature_k": temperature, "satellite.structure_fraction": structure}
        )

    good = row(320.0, 0.1)
    assert int(good["reason"]) == 0 and np.isfinite(float(good["kw_per_tonne"]))
    # A 150 K panel emits less than the Earth and Sun put into it: no satellite closes.
    cold = row(150.0, 0.1)
    assert "cannot reject heat" in reasons[int(cold["reason"])]
    assert np.isnan(float(cold["kw_per_tonne"])) and np.isnan(float(cold["installed_gw"]))
    # 95 % structure closes, at a mass no flight lifts: the cadence cannot run.
    heavy = row(320.0, 0.95)
    assert "heavier than a flight" in reasons[int(heavy["reason"])]
    assert np.isnan(float(heavy["installed_gw"]))
    # The plan says the same of both.
    for assignment, skipped in (
        ({"radiator.temperature_k": 150.0}, "closure"),
        ({"satellite.structure_fraction": 0.95}, "cadence"),
    ):
        scenario = scenario_with(study.base_document, assignment).constellation()
        planned = plan(scenario, stages={"cadence"})
        if skipped == "closure":
            assert not any(s.closes for s in planned.closure.shells)
        assert planned.cadence is None and "cadence" in planned.skipped


SAMPLED = """
[study]
name = "sampled"
base = "base.toml"
design = "latin-hypercube"
samples = 96
seed = 7
outputs = ["kw_per_tonne", "lcoc_usd_per_kw_year", "installed_gw"]

[[parameters]]
path = "satellite.compute_kw"
distribution = "uniform"
low = 60.0
high = 150.0

[[parameters]]
path = "launch.cost_per_kg_usd"
distribution = "lognormal"
median = 100.0
sigma = 0.5
"""


def test_resume_recomputes_only_the_chunks_that_did_not_finish(tmp_path, client):
    from constellations.io.study_store import StudyStore
    from constellations.study.engine import run_study

    study = study_of(tmp_path, SAMPLED)
    store = tmp_path / "sampled.zarr"
    first = run_study(study, store=store, client=client, chunk_size=16)
    assert (first.chunks_computed, first.chunks_total) == (6, 6)
    assert first.points_computed == 1
    # A killed run: chunks 1 and 4 never got their completion flag.
    StudyStore.open(store, fingerprint(study.file, study.base_document)).forget_chunks([1, 4])
    again = run_study(study, store=store, client=client, resume=True)
    assert again.chunks_computed == 2  # the task count: only the missing chunks
    assert again.points_computed == 0  # the orbital point came from the store's cache
    for name in ("kw_per_tonne", "lcoc_usd_per_kw_year", "installed_gw"):
        np.testing.assert_array_equal(again.dataset[name].values, first.dataset[name].values)


def test_resume_refuses_a_store_of_another_study(tmp_path, client):
    from constellations.errors import ScenarioError
    from constellations.study.engine import run_study

    study = study_of(tmp_path, SAMPLED)
    store = tmp_path / "sampled.zarr"
    run_study(study, store=store, client=client, chunk_size=48)
    other = study_of(tmp_path, SAMPLED.replace("seed = 7", "seed = 8"))
    with pytest.raises(ScenarioError, match="another study"):
        run_study(other, store=store, client=client, resume=True)


def _kill_a_worker_once_a_chunk_is_done(client, store, key, done_event):
    from constellations.io.study_store import StudyStore

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if StudyStore.open(store, key).done_chunks().any():
                break
        except Exception:  # the store is being created
            pass
        time.sleep(0.05)
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    done_event.set()


def test_a_worker_killed_mid_study_loses_no_sample_and_repeats_none(tmp_path):
    from dask.distributed import Client, LocalCluster

    from constellations.study.engine import run_study

    study = study_of(tmp_path, SAMPLED.replace("samples = 96", "samples = 256"))
    store = tmp_path / "killed.zarr"
    killed = threading.Event()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        killer = threading.Thread(
            target=_kill_a_worker_once_a_chunk_is_done,
            args=(c, store, fingerprint(study.file, study.base_document), killed),
            daemon=True,
        )
        killer.start()
        run = run_study(study, store=store, client=c, chunk_size=8)
        killer.join(timeout=60)
    assert killed.is_set()
    data = run.dataset
    assert run.chunks_total == 32
    np.testing.assert_array_equal(np.sort(data["sample"].values), np.arange(256))
    assert bool(np.all(np.asarray(data["reason"].values) == 0))
    # Every sample present once, with the values an undisturbed run gives.
    from constellations.study.engine import run_study as again

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        reference = again(study, store=tmp_path / "ref.zarr", client=c, chunk_size=64).dataset
    for name in ("kw_per_tonne", "lcoc_usd_per_kw_year", "installed_gw"):
        np.testing.assert_array_equal(data[name].values, reference[name].values)


SALTELLI = """
[study]
name = "saltelli"
base = "base.toml"
design = "saltelli"
samples = 128
seed = 4
outputs = ["kw_per_tonne", "lcoc_usd_per_kw_year"]

[[parameters]]
path = "satellite.compute_kw"
distribution = "uniform"
low = 60.0
high = 150.0

[[parameters]]
path = "launch.cost_per_kg_usd"
distribution = "lognormal"
median = 100.0
sigma = 0.8

[[parameters]]
path = "solar_array.areal_density_kg_m2"
distribution = "uniform"
low = 0.5
high = 3.0
"""


def test_sobol_indices_of_a_study_see_what_an_output_does_not_depend_on(tmp_path, client):
    from constellations.present.study_page import study_page_html
    from constellations.present.study_tables import sobol_table
    from constellations.study.engine import run_study

    study = study_of(tmp_path, SALTELLI)
    run = run_study(study, store=tmp_path / "salt.zarr", client=client, chunk_size=64)
    assert run.dataset.sizes["sample"] == 128 * (3 + 2)
    paths = [p.path for p in study.file.parameters]
    indices = sobol_table(run.dataset, "kw_per_tonne", paths)
    # The launch price does not enter the sizing: its indices are exactly zero, which
    # holds only if every row of the Saltelli blocks came back to its own place.
    assert indices["launch.cost_per_kg_usd"][0] == 0.0
    assert indices["launch.cost_per_kg_usd"][3] == 0.0
    # The two inputs that do enter it explain its variance between them.
    total = indices["satellite.compute_kw"][3] + indices["solar_array.areal_density_kg_m2"][3]
    assert 0.9 < total < 1.1
    cost = sobol_table(run.dataset, "lcoc_usd_per_kw_year", paths)
    assert cost["launch.cost_per_kg_usd"][3] > 0.05
    page = study_page_html(run.dataset, study, run)
    assert "Sobol' indices: kw_per_tonne" in page and "Pareto front" in page


#: The custom activity case comes from a table of NRLMSIS over F10.7 and Ap
#: (tests/study/test_study_work.py bounds it at 1.5 % against NRLMSIS at the point); the
#: plan calls NRLMSIS at the point itself.
ACTIVITY_TABLE = 0.015


def test_a_study_of_solar_activity_alone_follows_the_plans_custom_case(tmp_path, client):
    from constellations.study.engine import run_study

    # The lifetimes' own table (a profile down to reentry at each node) is checked against
    # NRLMSIS in tests/study/test_study_work.py; here the propellant's density.
    outputs = ["kw_per_tonne", "lcoc_usd_per_kw_year"]
    study = study_of(
        tmp_path,
        f"""
        [study]
        name = "sun"
        base = "base.toml"
        design = "grid"
        outputs = {outputs!r}

        [[parameters]]
        path = "drag.f107"
        values = [90.0, 230.0]

        [[parameters]]
        path = "drag.ap"
        values = [6.0, 45.0]
        """.replace("'", '"'),
    )
    data = run_study(study, store=tmp_path / "sun.zarr", client=client).dataset
    reasons = data.attrs["reasons"]
    stages = stages_for(outputs)
    closing = 0
    # Two of the four points planned: the quiet Sun, and an active one.
    for f107, ap in ((90.0, 6.0), (230.0, 45.0)):
        assignment = {"drag.f107": f107, "drag.ap": ap}
        scenario = scenario_with(study.base_document, assignment).constellation()
        planned = plan(scenario, stages=stages)
        row = data.sel(assignment)
        failed = [s for s in planned.closure.shells if not s.closes]
        if failed:  # the study's row has the plan's reason, and no values
            assert "tonne per tonne" in reasons[int(row["reason"])]
            assert "does not close" in failed[0].not_closed
            assert np.isnan(float(row["kw_per_tonne"]))
            continue
        closing += 1
        expected = plan_outputs(planned, outputs)
        for name in outputs:
            got = float(row[name])
            assert math.isclose(got, expected[name], rel_tol=ACTIVITY_TABLE), name
    assert closing >= 1


#: A band of three levels (its middle level's atmosphere and hot case interpolated between
#: the ends, constellations/stages/band_environment.py) beside the base's two shells.
BAND_BASE = BASE.replace(
    "\n[launch]",
    """
[[shells]]
name = "b"
altitude_range_km = [500.0, 550.0]
altitude_spacing_km = 25.0
inclination_deg = 30.0
planes = 3
sats_per_plane = 8

[launch]""",
)


def test_a_study_of_a_band_equals_its_plan(tmp_path, client):
    """The study reads a band's levels from the same nodes as the plan: the same numbers."""
    from constellations.study.engine import run_study

    outputs = ["kw_per_tonne", "lcoc_usd_per_kw_year", "installed_gw"]
    (tmp_path / "base.toml").write_text(BAND_BASE)
    text = textwrap.dedent(
        f"""
        [study]
        name = "band"
        base = "base.toml"
        design = "grid"
        outputs = {outputs!r}

        [[parameters]]
        path = "radiator.absorptivity"
        values = [0.2, 0.9]
        """.replace("'", '"')
    )
    study = parse_study(text, origin="study.toml", base_dir=tmp_path)
    data = run_study(study, store=tmp_path / "band.zarr", client=client).dataset
    for absorptivity in (0.2, 0.9):
        assignment = {"radiator.absorptivity": absorptivity}
        scenario = scenario_with(study.base_document, assignment)
        assert [s.band for s in scenario.constellation().shells] == [None, None, "b", "b", "b"]
        assert_row_is_the_plan(data.sel(assignment), scenario, outputs, assignment)


def test_a_study_of_a_shaded_formation_equals_its_plan(tmp_path, client):
    """A formation whose arrays shade each other (tests/helpers.py): the study sizes each
    sample's arrays with their mutual shading at the same fixed point as the plan, so the
    samples of two array densities (two array sizes, two shadings) are the plan's."""
    from constellations.study.engine import run_study

    outputs = [
        "kw_per_tonne",
        "lcoc_usd_per_kw_year",
        "installed_gw",
        "propellant_kg_per_tonne_year",
    ]
    (tmp_path / "base.toml").write_text(shaded_formation())
    text = textwrap.dedent(
        f"""
        [study]
        name = "shaded"
        base = "base.toml"
        design = "grid"
        outputs = {outputs!r}

        [[parameters]]
        path = "solar_array.areal_density_kg_m2"
        values = [1.0, 3.0]
        """.replace("'", '"')
    )
    study = parse_study(text, origin="study.toml", base_dir=tmp_path)
    data = run_study(study, store=tmp_path / "shaded.zarr", client=client).dataset
    for density in (1.0, 3.0):
        assignment = {"solar_array.areal_density_kg_m2": density}
        scenario = scenario_with(study.base_document, assignment)
        assert_row_is_the_plan(data.sel(assignment), scenario, outputs, assignment)

"""The study engine: a study's orbital points and chunks of samples as Dask tasks.

:func:`run_study` prepares the work in the client (:func:`constellations.study.work.prepare`),
creates (or, with ``resume``, reopens) the study's zarr store, then submits one
task per orbital design point still missing from the store's cache and one task
per chunk of rows not yet done.  Each chunk task evaluates its rows with
:func:`constellations.stages.samples.evaluate` (every group in one vectorised
call) and writes them into its own region of the store, its completion flag
last: a killed study resumes from what finished, and a task retried after a
worker died rewrites the same rows.  By default the scheduler is a
``dask.distributed.LocalCluster`` of this machine's cores; ``scheduler`` gives the
address of an existing cluster (the same code path: the local cluster is only
the default).  The result is an ``xarray.Dataset``.
"""

import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from constellations.errors import ScenarioError

#: The dims a grid study's Dataset takes (one per parameter) or a sampled one's.
SAMPLE_DIM = "sample"
#: Most local worker processes a core: more only queue for the same cores (and each
#: holds the planner's imports, about 0.3 GB).
MAX_WORKERS_PER_CORE = 4


@dataclass(frozen=True, eq=False)
class StudyRun:
    """What :func:`run_study` did: the ``dataset``, the ``store`` it is kept in, the
    chunk tasks run of the chunks in all, the orbital points computed (not read from
    the store's cache) of those the study flies, the seconds the cluster took to
    start (0 for an existing one) and the run took after it."""

    dataset: object
    store: Path
    chunks_computed: int
    chunks_total: int
    points_computed: int
    points_total: int
    cluster_start_s: float
    run_s: float
    task_s: float = 0.0
    workers: int = 1

    @property
    def busy_share(self) -> float:
        """Share of the workers' time spent in tasks: what scheduling, transfers and idle
        workers (fewer tasks than workers) leave is the rest."""
        return self.task_s / (self.workers * self.run_s) if self.run_s > 0 else 1.0


def _client(scheduler, workers):
    """``(client, cluster or None, its scratch folder or None, seconds to start)``."""
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    if scheduler is None:
        # The workers' scratch space in a folder of our own, removed with the cluster.
        scratch = tempfile.mkdtemp(prefix="orbital-dc-dask-")
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: a second study never clashes
            silence_logs=logging.CRITICAL,  # a task's failure reaches the client, once
            local_directory=scratch,
        )
        client = Client(cluster)
    else:
        cluster = scratch = None
        # A network address names its port; an in-process one (a test's cluster) does not.
        if not re.fullmatch(r"(tcp|tls|ucx|ws|wss)://[^\s/]+:\d+|inproc://\S+", scheduler):
            raise ScenarioError(
                f"--scheduler {scheduler}: not a scheduler's address; write it as "
                "tcp://HOST:PORT, such as tcp://10.0.0.5:8786"
            )
        try:
            client = Client(scheduler, timeout="5s")
        except (OSError, ValueError) as exc:
            raise ScenarioError(
                f"--scheduler {scheduler}: no Dask scheduler answers there ({exc}); start one "
                "(dask scheduler) or leave --scheduler out for a local cluster"
            ) from None
    return client, cluster, scratch, time.perf_counter() - start


def default_workers() -> int:
    """Worker processes of the local cluster: this machine's cores."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_study(
    study,
    *,
    store,
    scheduler: str | None = None,
    resume: bool = False,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress=None,
    client=None,
) -> StudyRun:
    """Run ``study`` (a :class:`constellations.io.study.Study`) into the zarr ``store``.

    ``resume`` reopens a store this study wrote and computes only the chunks not
    done; otherwise the store must not exist.  ``workers`` worker processes
    (default: the cores) for the local cluster; ``scheduler`` an existing
    cluster's address instead; ``client`` an existing ``dask.distributed.Client``
    (tests).  ``progress(stage, advance, total)`` is told of the orbital points and
    the rows as they finish.  Raises ``ScenarioError`` (one line) for a store that
    cannot be written or resumed, or a scheduler that does not answer.
    """
    from constellations.io.atomic import stopped_at_termination
    from constellations.io.study_store import StudyStore
    from constellations.study.work import prepare

    report = progress or (lambda stage, advance, total: None)
    workers = workers or default_workers()
    if scheduler is None and client is None and workers > MAX_WORKERS_PER_CORE * default_workers():
        raise ScenarioError(
            f"--workers {workers}: more than {MAX_WORKERS_PER_CORE} a core of this machine's "
            f"{default_workers()}; give at most {MAX_WORKERS_PER_CORE * default_workers()} (or "
            "run on a cluster with --scheduler)"
        )
    store = Path(store)
    if resume:
        opened = StudyStore.open(store, _fingerprint_of(study))
        chunk_size = opened.chunk_size
    work = prepare(study, workers=workers, chunk_size=chunk_size)
    own = client is None
    started = 0.0
    if own:  # before the store is made: a scheduler that does not answer leaves nothing
        client, cluster, scratch, started = _client(scheduler, workers)
    stop = (lambda: _close(client, cluster, scratch)) if own else (lambda: None)
    with stopped_at_termination(stop):
        try:
            if resume:
                kept = opened
                missing = list(kept.missing_chunks())
            else:
                kept = StudyStore.create(
                    store,
                    n_samples=work.n,
                    chunk_size=work.chunk_size,
                    inputs={path: _dtype(values) for path, values in work.points.items()},
                    outputs=list(study.file.study.outputs),
                    fingerprint=work.fingerprint,
                    attrs=_attrs(study, work),
                )
                missing = list(range(work.n_chunks))
            codes = kept.reason_codes([None, *work.reasons[1:]])
            begun = time.perf_counter()
            computed_points, task_s = _run(client, study, work, kept, missing, codes, report)
            workers = len(client.scheduler_info().get("workers", {})) or workers
        finally:
            stop()
    run_s = time.perf_counter() - begun
    dataset = dataset_of(kept, study, work)
    return StudyRun(
        dataset=dataset,
        store=store,
        chunks_computed=len(missing),
        chunks_total=work.n_chunks,
        points_computed=computed_points,
        points_total=len(work.point_documents),
        cluster_start_s=started,
        run_s=run_s,
        task_s=task_s,
        workers=workers,
    )


def _close(client, cluster, scratch) -> None:
    """Close the client and the local cluster (its worker processes end with it), and
    remove the cluster's scratch folder."""
    client.close()
    if cluster is not None:
        cluster.close()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def _fingerprint_of(study) -> str:
    from constellations.study.work import fingerprint

    return fingerprint(study.file, study.base_document)


def _dtype(values) -> str:
    values = np.asarray(values)
    return "float64" if np.issubdtype(values.dtype, np.number) else "int64"


def _attrs(study, work) -> dict:
    from constellations.model.study import OUTPUTS

    head = study.file.study
    return {
        "study": head.name,
        "base": study.base_origin,
        "design": head.design,
        "seed": head.seed,
        "categories": work.categories,
        "units": {name: OUTPUTS[name][0] for name in head.outputs},
        "labels": [list(label) for label in work.labels],
    }


def _inputs_of(work, rows: slice) -> dict:
    inputs = {}
    for path, values in work.points.items():
        chunk = np.asarray(values)[rows]
        if path in work.categories:
            chunk = np.searchsorted(work.categories[path], chunk.astype(str)).astype(np.int64)
        inputs[path] = chunk
    return inputs


def _run(client, study, work, store, missing, codes, report) -> int:
    from dask.distributed import as_completed

    needed_groups = set()
    for index in missing:
        needed_groups.update(np.unique(work.group_of[work.chunk_rows(index)]).tolist())
    needed_points = {
        work.groups[g].point for g in needed_groups if work.groups[g].point is not None
    }
    point_futures = {}
    for key in sorted(needed_points):
        point_futures[key] = client.submit(
            point_task,
            store,
            key,
            work.point_documents[key],
            str(study.base_dir),
            work.stages,
            work.custom_box,
            work.lifetimes,
            key=f"orbital-point-{key[:16]}",
            pure=False,
        )
    chunk_futures = []
    outputs = list(study.file.study.outputs)
    for index in missing:
        rows = work.chunk_rows(index)
        group_of = work.group_of[rows]
        groups = {
            int(g): (
                work.groups[g].assignment,
                point_futures.get(work.groups[g].point),
            )
            for g in np.unique(group_of)
        }
        chunk_futures.append(
            client.submit(
                chunk_task,
                store,
                codes,
                index,
                _inputs_of(work, rows),
                {p: np.asarray(work.points[p][rows], dtype=float) for p in work.vector_paths},
                group_of,
                groups,
                work.refused[rows],
                outputs,
                study.base_document,
                key=f"study-chunk-{index}",
                pure=False,
            )
        )
    total_points = len(point_futures)
    report("orbital design points", 0, total_points)
    computed = 0
    task_s = 0.0
    for future in as_completed(list(point_futures.values())):
        _, fresh, seconds = future.result()
        computed += int(fresh)
        task_s += seconds
        report("orbital design points", 1, total_points)
    report("samples", 0, work.n)
    for future in as_completed(chunk_futures):
        rows, seconds = future.result()
        task_s += seconds
        report("samples", rows, work.n)
    return computed, task_s


def _constellation_of(document: dict, base_dir: str):
    from constellations.io.scenario import _read_element_sets
    from constellations.model.scenario import ScenarioFile

    scenario = ScenarioFile.model_validate(document)
    sets = _read_element_sets(scenario, "study", Path(base_dir))
    return scenario.constellation(sets)


def point_task(store, key, document, base_dir, stages, custom_box, lifetimes):
    """A worker's task: the orbital design point ``key``, from the store's cache or planned
    (and then cached).  Returns ``(OrbitalPoint, computed, seconds)``."""
    from constellations.study.context import from_cache, orbital_point, to_cache

    started = time.perf_counter()
    arrays = store.cache_get(key)
    meta = store.cache_meta(key)
    if arrays is not None and meta is not None:
        return from_cache(arrays, meta), False, time.perf_counter() - started
    constellation = _constellation_of(document, base_dir)
    point = orbital_point(constellation, stages, custom_box, lifetimes=lifetimes)
    store.cache_put(key, *to_cache(point))
    return point, True, time.perf_counter() - started


#: A worker's checked scenarios by (base, assignment): groups recur from chunk to chunk.
_SCENARIOS: dict = {}


def _scenario(base_document: dict, base_key: str, assignment: dict):
    import json

    from constellations.model.study import scenario_with

    key = (base_key, json.dumps(assignment, sort_keys=True, default=str))
    if key not in _SCENARIOS:
        if len(_SCENARIOS) > 256:
            _SCENARIOS.clear()
        _SCENARIOS[key] = scenario_with(base_document, assignment)
    return _SCENARIOS[key]


def chunk_task(
    store, codes, index, inputs, vectors, group_of, groups, refused, outputs, base_document
):
    """A worker's task: the rows of chunk ``index``, evaluated group by group and written
    into the store (rows first, the chunk's completion flag last; ``codes`` turns the
    study's reason codes into the store's).  Returns ``(rows, seconds)``."""
    import json

    started = time.perf_counter()
    from constellations.stages.samples import evaluate

    n = len(group_of)
    values = {name: np.full(n, np.nan) for name in outputs}
    reason = np.asarray(refused, dtype=np.int16).copy()
    base_key = json.dumps(base_document, sort_keys=True, default=str)
    for g, (assignment, point) in groups.items():
        rows = np.flatnonzero((group_of == g) & (reason == 0))
        if rows.size == 0 or point is None:
            continue
        point = point[0] if isinstance(point, tuple) else point
        first = {p: float(v[rows[0]]) for p, v in vectors.items()}
        scenario = _scenario(base_document, base_key, {**assignment, **first})
        result = evaluate(
            scenario, point, {p: v[rows] for p, v in vectors.items()}, outputs, rows.size
        )
        for name in outputs:
            values[name][rows] = result.outputs[name]
        reason[rows] = result.reason
    for name in outputs:
        values[name] = np.where(reason == 0, values[name], np.nan)
    store.write_chunk(index, inputs, values, np.asarray(codes)[reason])
    return n, time.perf_counter() - started


def dataset_of(store, study, work):
    """The study's ``xarray.Dataset`` from its store: outputs and ``reason`` along
    ``sample`` with the inputs as coordinates, or, for a grid, one dimension per
    parameter; text inputs decoded, the reasons and units in the attributes."""
    dataset = store.dataset()
    dataset.attrs["reasons"] = list(dataset["reason"].attrs.get("reasons", []))
    dataset = dataset.assign_coords({SAMPLE_DIM: np.arange(work.n)})
    categories = work.categories
    coords = {}
    for path in work.points:
        values = dataset[path].values
        if path in categories:
            values = np.asarray(categories[path], dtype=object)[values.astype(np.int64)]
        coords[path] = (SAMPLE_DIM, values)
    dataset = dataset.drop_vars([p for p in work.points if p in dataset]).assign_coords(coords)
    if study.file.study.design == "grid":
        dataset = _as_grid(dataset, study)
    return dataset


def _as_grid(dataset, study):
    import xarray as xr

    parameters = study.file.parameters
    dims = [p.path for p in parameters]
    shape = [len(p.points()) for p in parameters]
    data_vars = {}
    for name, variable in dataset.data_vars.items():
        data_vars[name] = (dims, np.asarray(variable.values).reshape(shape), variable.attrs)
    coords = {p.path: list(p.points()) for p in parameters}
    return xr.Dataset(data_vars, coords=coords, attrs=dataset.attrs)

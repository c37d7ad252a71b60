"""Work on the other core: ``parallel.in_background`` and the mesh stage's failure sweep.

The mesh stage runs the failure sweep in a thread beside the snapshot's measures; its
figures must not depend on that (compared with the same sweep called alone), an error in
either thread must reach the caller, and an error before the sweep's intact share is known
must not leave the sweep's thread waiting for it.
"""

import threading
import time

import numpy as np
import pytest

from constellations.stages import parallel


def test_in_background_gives_the_result_or_raises_what_the_work_raised():
    assert parallel.in_background(sum, [1, 2, 3]).result(timeout=10) == 6
    with pytest.raises(ZeroDivisionError):
        parallel.in_background(lambda: 1 / 0).result(timeout=10)


def test_in_background_on_one_core_does_the_work_before_returning(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    done = []
    future = parallel.in_background(lambda: done.append(threading.get_ident()) or 7)
    assert done == [threading.get_ident()]  # here, in this thread
    assert future.result(timeout=0) == 7
    with pytest.raises(KeyError):
        parallel.in_background(dict().__getitem__, "missing").result(timeout=0)


def _mesh(preset="dawn-dusk-340"):
    from constellations.io.scenario import load_scenario
    from constellations.stages.closure import compute_kw_per_group
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    constellation = load_scenario(preset)
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    return constellation, resolved, compute_kw_per_group(constellation), ts


def test_the_mesh_stage_s_sweep_is_the_sweep_called_alone():
    from constellations.stages.mesh_orbit import mesh_over_orbit
    from constellations.stages.network import failure_sweep

    constellation, resolved, compute_kw, ts = _mesh()
    design = constellation.links
    shed = constellation.satellite.battery.policy == "shed"
    period = max(r.period_min for r in resolved)
    result = mesh_over_orbit(
        constellation, resolved, design, compute_kw, shed=shed, period_min=period, ts=ts
    )
    alone = failure_sweep(
        result.graph,
        shed=shed,
        seed=design.failure_seed,
        grids=result.grids,
        group_names=[g.name for g in constellation.groups],
    )
    assert result.under_failures == alone
    assert alone.hop_diameter[0] == result.snapshot.hop_diameter.value


def test_an_error_before_the_intact_diameter_reaches_the_caller_and_frees_the_sweep(
    monkeypatch,
):
    import constellations.stages.mesh_orbit as mesh_orbit

    def broken(*args, **kwargs):
        raise RuntimeError("hop diameter failed")

    constellation, resolved, compute_kw, ts = _mesh()
    before = threading.active_count()
    monkeypatch.setattr(mesh_orbit, "largest_cluster_hop_diameter", broken)
    with pytest.raises(RuntimeError, match="hop diameter failed"):
        mesh_orbit.mesh_over_orbit(
            constellation,
            resolved,
            constellation.links,
            compute_kw,
            shed=False,
            period_min=max(r.period_min for r in resolved),
            ts=ts,
        )
    deadline = time.monotonic() + 60
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before  # the sweep's thread ended, not waiting


def test_an_error_in_the_sweep_reaches_the_caller(monkeypatch):
    import constellations.stages.mesh_orbit as mesh_orbit

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("sweep failed")

    constellation, resolved, compute_kw, ts = _mesh()
    monkeypatch.setattr(mesh_orbit, "failure_sweep", broken)
    with pytest.raises(np.linalg.LinAlgError, match="sweep failed"):
        mesh_orbit.mesh_over_orbit(
            constellation,
            resolved,
            constellation.links,
            compute_kw,
            shed=False,
            period_min=max(r.period_min for r in resolved),
            ts=ts,
        )


def test_the_stage_is_told_done_only_once_the_sweep_beside_it_is(monkeypatch):
    # The command times a stage from its first progress report to its last: the last
    # snapshot's report must wait for the sweep done on the other core.
    import constellations.stages.mesh_orbit as mesh_orbit

    events = []
    sweep = mesh_orbit.failure_sweep

    def slow_sweep(*args, **kwargs):
        time.sleep(0.5)
        result = sweep(*args, **kwargs)
        events.append("sweep done")
        return result

    constellation, resolved, compute_kw, ts = _mesh()
    monkeypatch.setattr(mesh_orbit, "failure_sweep", slow_sweep)
    mesh_orbit.mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        compute_kw,
        shed=False,
        period_min=max(r.period_min for r in resolved),
        ts=ts,
        progress=lambda n: events.append(n),
    )
    snapshots = constellation.links.snapshots
    assert events.count(1) == snapshots
    assert events[-2:] == ["sweep done", 1]

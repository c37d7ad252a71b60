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


def test_in_background_on_one_core_does_the_work_when_asked(monkeypatch):
    # Asked, not at once: the work may use what the caller makes in between (the mesh
    # stage's sweep takes the hop diameter the caller finds after starting it).
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    done = []
    future = parallel.in_background(lambda: done.append(threading.get_ident()) or 7)
    assert done == [] and not future.done()
    assert future.result() == 7 and future.result() == 7
    assert done == [threading.get_ident()]  # once, here, in this thread
    failing = parallel.in_background(dict().__getitem__, "missing")
    for _ in range(2):
        with pytest.raises(KeyError):
            failing.result()


def test_in_background_runs_in_a_daemon_thread():
    # A process that ends (an interrupt, an error) must not wait for work nobody reads.
    seen = parallel.in_background(lambda: threading.current_thread().daemon).result(timeout=10)
    assert seen is True


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


def _in_a_thread(work, timeout_s=120):
    """``work()`` in a daemon thread: ``(finished, error)`` after at most ``timeout_s``."""
    outcome = {}

    def run():
        try:
            work()
        except BaseException as error:  # noqa: BLE001  (reported to the test)
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout_s)
    return not thread.is_alive(), outcome.get("error")


def test_the_mesh_stage_on_one_core_is_the_same_and_does_not_wait_for_ever(monkeypatch):
    # On one core the sweep is done when its result is asked, after the intact share's
    # diameter is known (done at once, it would wait for it for ever).
    from constellations.stages.mesh_orbit import mesh_over_orbit

    constellation, resolved, compute_kw, ts = _mesh()
    arguments = (constellation, resolved, constellation.links, compute_kw)
    options = {"shed": False, "period_min": max(r.period_min for r in resolved), "ts": ts}
    two = mesh_over_orbit(*arguments, **options)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    results = []
    finished, error = _in_a_thread(lambda: results.append(mesh_over_orbit(*arguments, **options)))
    assert finished and error is None
    assert results[0].under_failures == two.under_failures
    assert results[0].snapshot == two.snapshot


@pytest.mark.parametrize("where", ["measure", "largest_cluster_hop_diameter"])
def test_an_interrupt_in_the_stage_leaves_no_sweep_running(monkeypatch, where):
    # Ctrl-C while the sweep runs beside: the interrupt reaches the caller, and the
    # sweep's thread ends (it does not wait for a hop diameter never found).
    import constellations.stages.mesh_orbit as mesh_orbit

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    constellation, resolved, compute_kw, ts = _mesh()
    before = {t for t in threading.enumerate() if t.name.startswith("orbital-dc")}
    monkeypatch.setattr(mesh_orbit, where, interrupted)
    finished, error = _in_a_thread(
        lambda: mesh_orbit.mesh_over_orbit(
            constellation,
            resolved,
            constellation.links,
            compute_kw,
            shed=False,
            period_min=max(r.period_min for r in resolved),
            ts=ts,
        )
    )
    assert finished and isinstance(error, KeyboardInterrupt)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        left = {t for t in threading.enumerate() if t.name.startswith("orbital-dc")} - before
        if not left:
            break
        time.sleep(0.05)
    assert not left

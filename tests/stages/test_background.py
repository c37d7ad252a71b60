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


def _stage(**options):
    """``mesh_over_orbit`` of dawn-dusk-340 as a plan calls it (``options`` added), with the
    constellation it planned."""
    from constellations.stages import mesh_orbit

    constellation, resolved, compute_kw, ts = _mesh()
    options = {
        "shed": constellation.satellite.battery.policy == "shed",
        "period_min": max(r.period_min for r in resolved),
        "ts": ts,
        **options,
    }
    result = mesh_orbit.mesh_over_orbit(
        constellation, resolved, constellation.links, compute_kw, **options
    )
    return result, constellation


def _sweep_threads() -> set:
    return {t for t in threading.enumerate() if t.name.startswith("orbital-dc")}


def _gone(before: set, timeout_s: float = 60) -> bool:
    """Whether every background thread started since ``before`` ends within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while _sweep_threads() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _sweep_threads() - before


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


def test_the_mesh_stage_s_sweep_is_the_sweep_called_alone():
    from constellations.stages.network import failure_sweep

    result, constellation = _stage()
    alone = failure_sweep(
        result.graph,
        shed=constellation.satellite.battery.policy == "shed",
        seed=constellation.links.failure_seed,
        grids=result.grids,
        group_names=[g.name for g in constellation.groups],
    )
    assert result.under_failures == alone
    assert alone.hop_diameter[0] == result.snapshot.hop_diameter.value


@pytest.mark.parametrize(
    "where, error",
    [
        ("largest_cluster_hop_diameter", RuntimeError("hop diameter failed")),  # before it
        ("failure_sweep", np.linalg.LinAlgError("sweep failed")),  # in the other thread
        ("measure", KeyboardInterrupt()),  # Ctrl-C while the sweep runs beside
        ("largest_cluster_hop_diameter", KeyboardInterrupt()),
    ],
)
def test_an_error_or_interrupt_reaches_the_caller_and_leaves_no_sweep_running(
    monkeypatch, where, error
):
    import constellations.stages.mesh_orbit as mesh_orbit

    def broken(*args, **kwargs):
        raise error

    before = _sweep_threads()
    monkeypatch.setattr(mesh_orbit, where, broken)
    finished, raised = _in_a_thread(_stage)
    assert finished and raised is error
    assert _gone(before)  # the sweep's thread ended: it does not wait for a diameter


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

    monkeypatch.setattr(mesh_orbit, "failure_sweep", slow_sweep)
    _, constellation = _stage(progress=events.append)
    assert events.count(1) == constellation.links.snapshots
    assert events[-2:] == ["sweep done", 1]


def test_the_mesh_stage_on_one_core_is_the_same_and_does_not_wait_for_ever(monkeypatch):
    # On one core the sweep is done when its result is asked, after the intact share's
    # diameter is known (done at once, it would wait for it for ever).
    two, _ = _stage()
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    results = []
    finished, error = _in_a_thread(lambda: results.append(_stage()[0]))
    assert finished and error is None
    assert results[0].under_failures == two.under_failures
    assert results[0].snapshot == two.snapshot

"""Work shared between this machine's cores: per shell, per item, or in the background."""

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager


def over_shells(work, shells) -> list:
    """``[work(shell) for shell in shells]``, the shells shared between this machine's cores.

    The per-shell work is numpy on arrays, which runs outside Python's lock, so
    threads overlap (NRLMSIS does not: it holds the lock); each shell's result is
    computed alone and in the same way as in a loop, so the results do not
    depend on the number of threads.  Order is kept.
    """
    shells = list(shells)
    workers = min(len(shells), os.cpu_count() or 1)
    if workers <= 1:
        return [work(s) for s in shells]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, shells))


@contextmanager
def shared_map():
    """A ``map`` that shares its items between this machine's cores, in threads, order kept.

    For work that is numpy on arrays (outside Python's lock) and whose items do not
    depend on one another; the plain ``map`` on one core.
    """
    workers = os.cpu_count() or 1
    if workers <= 1:
        yield map
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield pool.map


def in_background(work, *args, **kwargs):
    """``work(*args, **kwargs)`` started now on this machine's other core; the returned
    object's ``result()`` gives its result (or raises what it raised), waiting for it.

    For work that overlaps the caller's: scipy's graph searches hold Python's lock, but
    numpy's loops and the kernel's zeroing of fresh pages do not, so a thread of graph
    work beside one of array work shares the two cores.  The thread is a daemon: a
    process that ends (an interrupt, an error) does not wait for work nobody will read.
    On one core the work is done when ``result()`` is first asked, in the asking thread
    (so it may use what the caller makes in between).  The result never depends on which:
    the work must not touch what the caller changes meanwhile.
    """
    if (os.cpu_count() or 1) <= 1:
        return _Deferred(work, args, kwargs)
    done = Future()

    def run():
        if not done.set_running_or_notify_cancel():
            return
        try:
            done.set_result(work(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001  (raised again by result())
            done.set_exception(error)

    threading.Thread(target=run, name=f"orbital-dc {getattr(work, '__name__', 'work')}",
                     daemon=True).start()  # fmt: skip
    return done


class _Deferred:
    """:func:`in_background`'s work on one core: done by the first ``result()``."""

    def __init__(self, work, args, kwargs):
        self._call = (work, args, kwargs)
        self._outcome = None

    def done(self) -> bool:
        return self._outcome is not None

    def result(self, timeout=None):
        if self._outcome is None:
            work, args, kwargs = self._call
            try:
                self._outcome = (True, work(*args, **kwargs))
            except Exception as error:  # noqa: BLE001  (raised again by every result())
                self._outcome = (False, error)
        ok, value = self._outcome
        if not ok:
            raise value
        return value

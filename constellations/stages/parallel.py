"""Per-shell work shared between this machine's cores."""

import os
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


def in_background(work, *args, **kwargs) -> Future:
    """``work(*args, **kwargs)`` started now on this machine's other core, in a thread; its
    Future gives the result (or raises what it raised).

    For work that overlaps the caller's: scipy's graph searches hold Python's lock, but
    numpy's loops and the kernel's zeroing of fresh pages do not, so a thread of graph
    work beside one of array work shares the two cores.  On one core the work is done
    here, before this returns.  The result never depends on which: the work must not
    touch what the caller changes meanwhile.
    """
    if (os.cpu_count() or 1) <= 1:
        done = Future()
        try:
            done.set_result(work(*args, **kwargs))
        except Exception as error:  # noqa: BLE001  (raised again by result(), as a thread's)
            done.set_exception(error)
        return done
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(work, *args, **kwargs)
    finally:
        pool.shutdown(wait=False)  # the thread ends with its work

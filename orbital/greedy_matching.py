"""Greedy b-matching: shortest candidate link first, kept while both ends have a free terminal.

A satellite of the ``nearest`` topology (and of the links between shells) has a
few laser terminals; its candidate links outnumber them.  The rule is the
greedy one for a b-matching (every vertex ``v`` in at most ``b(v)`` chosen
edges): take the candidates in order of length, shortest first, ties in the
order given, and keep one when both of its ends still have a free terminal.
It is a sequential scan (whether a pair is kept depends on every shorter
pair), so it runs compiled with numba: the 2.3 million candidate pairs of a
million satellites take about 0.5 s of CPU, most of it the sort, instead of
about 5 s with the scan a Python loop.

numba is imported and the scan compiled when first needed, not on import (the
CLI's ``--help`` stays instant).  That costs 1-1.5 s of CPU once per process,
as much as the Python loop spends on 500,000-1,000,000 candidates, so a
process that has not compiled it yet runs smaller inputs through the same
scan in Python (a formation's clusters, a small ``nearest`` shell): the links
are the same either way.  Compiled code is cached on disk only in the folder
``NUMBA_CACHE_DIR`` names (numba's own setting): numba's default place is the
``__pycache__`` folder of the installed package, which is not this planner's
to write into, so without that setting nothing is written.
"""

import functools

import numpy as np

from orbital.compiled import disk_cache_wanted as _disk_cache_wanted

#: Candidates from which a process compiles the scan rather than run it in Python.  The
#: Python loop takes 1-2.5 us of CPU a candidate, numba's import and compilation 1-1.5 s
#: (benchmarks/bench_links.py, part d): as much as 500,000-1,000,000 candidates in Python.
COMPILE_FROM_CANDIDATES = 500_000


def greedy_b_matching(i, j, length_km, terminals):
    """Which candidate links the greedy matching keeps, shortest first.

    ``i``, ``j`` ``(m,)`` integer indices of each candidate's two ends, each in
    ``[0, n)`` and ``i != j``; ``length_km`` ``(m,)`` the candidates' lengths
    (NaN sorts last, as in :func:`numpy.argsort`); ``terminals`` ``(n,)`` each
    satellite's free terminals (non-negative integers), not modified.  A
    candidate is kept when, at its turn in the order of length (stable: equal
    lengths in the order given), both ends still have a free terminal; each
    kept link takes one from each end.  A pair named twice is two candidates.

    The scan runs compiled (numba) from :data:`COMPILE_FROM_CANDIDATES`
    candidates on, and on any input once compiled in this process; below
    that, in Python.  Returns a boolean mask ``(m,)``.  Raises ValueError when the arrays'
    shapes differ, an index is outside ``[0, n)``, a candidate joins a
    satellite to itself, or a terminal count is negative or not an integer.
    """
    i = np.asarray(i)
    j = np.asarray(j)
    length = np.asarray(length_km, dtype=float)
    free = np.asarray(terminals)
    if i.ndim != 1 or i.shape != j.shape or i.shape != length.shape:
        raise ValueError(
            f"i, j and length_km must be 1-D of one length; got shapes {i.shape}, {j.shape} "
            f"and {length.shape}"
        )
    if free.ndim != 1:
        raise ValueError(f"terminals must be 1-D, one count per satellite; got shape {free.shape}")
    for name, values in (("i", i), ("j", j), ("terminals", free)):
        if values.size and not np.issubdtype(values.dtype, np.integer):
            raise ValueError(f"{name} must hold integers; got dtype {values.dtype}")
    n = len(free)
    if len(i) and (min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= n):
        raise ValueError(
            f"link ends must index the {n} satellites of terminals; got ends from "
            f"{min(i.min(), j.min())} to {max(i.max(), j.max())}"
        )
    if np.any(i == j):
        raise ValueError(f"a link joins satellite {int(i[i == j][0])} to itself")
    if n and free.min() < 0:
        raise ValueError(f"terminals must not be negative; got {int(free.min())}")
    keep = np.zeros(len(i), dtype=bool)
    if not len(i):
        return keep
    order = np.argsort(length, kind="stable")
    compiled = _compiled_scan.cache_info().currsize > 0
    scan = _compiled_scan() if compiled or len(i) >= COMPILE_FROM_CANDIDATES else _scan
    scan(
        order.astype(np.intp, copy=False),
        np.ascontiguousarray(i, dtype=np.intp),
        np.ascontiguousarray(j, dtype=np.intp),
        np.array(free, dtype=np.intp),  # a copy: the scan uses it up
        keep,
    )
    return keep


def _scan(order, i, j, free, keep):
    """The greedy scan over candidates in ``order``; fills ``keep``, uses up ``free``."""
    for k in range(len(order)):
        e = order[k]
        u = i[e]
        v = j[e]
        if free[u] > 0 and free[v] > 0:
            free[u] -= 1
            free[v] -= 1
            keep[e] = True


@functools.cache
def _compiled_scan():
    """:func:`_scan` compiled for contiguous ``intp`` arrays and a boolean mask, once."""
    import numba

    index = numba.types.intp[::1]
    signature = numba.types.void(index, index, index, index, numba.types.boolean[::1])
    # Indices are checked in greedy_b_matching, so the scan needs no bounds checks; it lets
    # go of Python's lock, for the threads of a study's workers.
    cache = _disk_cache_wanted(numba.config.CACHE_DIR)
    return numba.njit(signature, nogil=True, cache=cache)(_scan)

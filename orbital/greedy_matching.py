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

Decided in rounds, most of the scan needs no order: a candidate is certainly
kept once fewer undecided candidates shorter than it meet each of its ends than
that end has free terminals, and certainly dropped once an end has none left
(each round decides at least the shortest undecided one).  A million
satellites' candidates are decided this way, vectorised, in a few rounds and
0.6-1.0 s of CPU, and the few left over (the end of a chain of shorter ones)
by the scan over them in order, from the free terminals the rounds left,
which gives the same links (docs/design.md, "The ``nearest`` topology at a
million satellites", has the argument).

numba is imported and the scan compiled when first needed, not on import (the
CLI's ``--help`` stays instant).  That costs 1-1.5 s of CPU once per process,
more than the rounds save on one input, so a process's first input of
:data:`COMPILE_FROM_CANDIDATES` or more goes through the rounds and Python, and
it compiles at the second (or when the rounds leave that many undecided); once
compiled, every input takes the compiled scan.  Compiled code is cached on disk
where Python caches this module's bytecode (:mod:`orbital.compiled`), so later
processes load it instead of compiling.
"""

import functools

import numpy as np

from orbital.compiled import cache_compiled

#: Candidates from which a process compiles the scan rather than run it in Python (at its
#: second such input: see the module's notes).  The Python loop takes 1-2.5 us of CPU a
#: candidate, numba's import and compilation 1-1.5 s (benchmarks/bench_links.py, part d):
#: as much as 500,000-1,000,000 candidates in Python.
COMPILE_FROM_CANDIDATES = 500_000
#: Candidates from which an uncompiled process decides them in vectorised rounds first:
#: below, the Python loop (2 us a candidate) costs less than a round's fixed overheads add.
ROUNDS_FROM_CANDIDATES = 20_000
#: The rounds stop when this many candidates or fewer are left undecided (the Python loop
#: takes them), or when a round decides less than :data:`ROUNDS_MIN_DECIDED_SHARE` of them.
ROUNDS_LEAVE_CANDIDATES = 20_000
ROUNDS_MIN_DECIDED_SHARE = 0.125

#: Inputs of at least COMPILE_FROM_CANDIDATES this process has decided uncompiled.
_large_inputs_uncompiled = [0]


def greedy_b_matching(i, j, length_km, terminals):
    """Which candidate links the greedy matching keeps, shortest first.

    ``i``, ``j`` ``(m,)`` integer indices of each candidate's two ends, each in
    ``[0, n)`` and ``i != j``; ``length_km`` ``(m,)`` the candidates' lengths
    (NaN sorts last, as in :func:`numpy.argsort`); ``terminals`` ``(n,)`` each
    satellite's free terminals (non-negative integers), not modified.  A
    candidate is kept when, at its turn in the order of length (stable: equal
    lengths in the order given), both ends still have a free terminal; each
    kept link takes one from each end.  A pair named twice is two candidates.

    The scan runs compiled (numba) on any input once compiled in this
    process; otherwise from :data:`ROUNDS_FROM_CANDIDATES` candidates most are
    decided in vectorised rounds first, and the rest (or a smaller input)
    scanned in Python.  A process compiles at its second input of
    :data:`COMPILE_FROM_CANDIDATES` or more.  Returns a boolean mask ``(m,)``.
    Raises ValueError when the arrays' shapes differ, an index is outside
    ``[0, n)``, a candidate joins a satellite to itself, or a terminal count
    is negative or not an integer.
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
    i = np.ascontiguousarray(i, dtype=np.intp)
    j = np.ascontiguousarray(j, dtype=np.intp)
    free = np.array(free, dtype=np.intp)  # a copy: the scan uses it up
    compiled = _compiled_scan.cache_info().currsize > 0
    if not compiled and len(i) >= COMPILE_FROM_CANDIDATES:
        compiled = _large_inputs_uncompiled[0] > 0  # the second: compiling pays
        if not compiled:
            _large_inputs_uncompiled[0] += 1
    if not compiled and len(i) >= ROUNDS_FROM_CANDIDATES:
        order, i, j = _decide_in_rounds(length, i, j, free, keep)
        keep_rest = np.zeros(len(order), dtype=bool)
        scan = _compiled_scan() if len(order) >= COMPILE_FROM_CANDIDATES else _scan
        scan(np.arange(len(order), dtype=np.intp), i, j, free, keep_rest)
        keep[order[keep_rest]] = True
        return keep
    order = np.argsort(length, kind="stable").astype(np.intp, copy=False)
    scan = _compiled_scan() if compiled else _scan
    scan(order, i, j, free, keep)
    return keep


def _decide_in_rounds(length, i, j, free, keep):
    """Decide the candidates the greedy scan certainly keeps or drops, round by round.

    ``length``, ``i``, ``j`` ``(m,)`` the candidates; ``free`` ``(n,)`` each
    satellite's free terminals, used up; ``keep`` ``(m,)`` filled.  A satellite
    with no more candidates than terminals never stops one.  In a round, a
    candidate is kept when at each of its other ends fewer undecided candidates
    come before it (shortest first, ties in the order given) than the end has
    free terminals, and dropped when an end has none.  Returns the undecided
    candidates ``(order, i, j)``, in that order: the scan over them from the
    terminals left keeps what the whole scan keeps.
    """
    n = len(free)
    degree = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
    tight = degree > free
    ends_tight = tight[i].astype(np.intp) + tight[j]
    easy = ends_tight == 0
    keep[easy] = True
    np.subtract.at(free, i[easy], 1)
    np.subtract.at(free, j[easy], 1)
    rest = np.flatnonzero(~easy)
    order = rest[np.argsort(length[rest], kind="stable")]
    ends_i, ends_j, ends_tight = i[order], j[order], ends_tight[order]
    m = len(order)
    place_bits = max(int(m - 1).bit_length(), 1)
    if max(int(n - 1).bit_length(), 1) + place_bits > 63:
        return order, ends_i, ends_j
    # The tight ends of each candidate, by satellite and then in order: one int64 sort.
    place = np.arange(m, dtype=np.int64)
    at_i, at_j = tight[ends_i], tight[ends_j]
    ends = np.concatenate([ends_i[at_i], ends_j[at_j]]).astype(np.int64) << place_bits
    ends |= np.concatenate([place[at_i], place[at_j]])
    ends.sort()
    satellite = (ends >> place_bits).astype(np.intp)
    candidate = (ends & ((1 << place_bits) - 1)).astype(np.intp)
    del ends, place, at_i, at_j
    while len(order) > ROUNDS_LEAVE_CANDIDATES:
        count = len(satellite)
        starts = np.ones(count, dtype=bool)
        np.not_equal(satellite[1:], satellite[:-1], out=starts[1:])
        start = np.flatnonzero(starts)
        # How many undecided candidates come before this one at this end.
        before = np.arange(count) - np.repeat(start, np.diff(np.append(start, count)))
        free_here = free[satellite]
        agree = np.bincount(candidate[before < free_here], minlength=len(order))
        kept = agree == ends_tight
        undecided = ~kept
        undecided[candidate[free_here == 0]] = False
        keep[order[kept]] = True
        np.subtract.at(free, ends_i[kept], 1)
        np.subtract.at(free, ends_j[kept], 1)
        left = int(np.count_nonzero(undecided))
        renumber = np.cumsum(undecided) - 1
        stays = undecided[candidate]
        satellite, candidate = satellite[stays], renumber[candidate[stays]]
        decided = len(order) - left
        order, ends_i, ends_j = order[undecided], ends_i[undecided], ends_j[undecided]
        ends_tight = ends_tight[undecided]
        if decided < ROUNDS_MIN_DECIDED_SHARE * (left + decided):
            break
    return order, ends_i, ends_j


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
    cache = cache_compiled(__file__)
    return numba.njit(signature, nogil=True, cache=cache)(_scan)

"""Clusters of a mesh under nested failures, every share in one union-find pass.

A failure sweep fails growing shares of the satellites, each share's failed
set holding the last one's (every satellite failed at 5 % is failed at 10 %).
Taken from the largest share down to none, satellites only come back: a link
returns when the later of its two ends does, and a union-find (disjoint sets
with path halving and union by size) that adds each link at its share holds
the clusters of every share in turn, in one near-linear pass instead of one
search of the whole mesh a share (Tarjan 1975, Efficiency of a good but not
linear set union algorithm, J. ACM 22, 215-225).

The pass is a sequential scan, so it runs compiled with numba, imported and
compiled on first need as in :mod:`orbital.greedy_matching` (disk cache
where Python caches bytecode, :mod:`orbital.compiled`): from
:data:`COMPILE_FROM_WORK` satellite-shares and links on, or on any input
once compiled in this process; below that the same scan runs in Python, with
the same result.
"""

import functools
from dataclasses import dataclass

import numpy as np

from orbital.compiled import cache_compiled

#: Work (satellites times shares, plus links) from which a process compiles the pass rather
#: than run it in Python: the Python pass takes 5-8 us of CPU a unit (0.3 s for a 60 x 60
#: torus over ten shares), numba's import and this compilation 1.5-2 s when nothing else is
#: compiled yet: as much as 200,000-400,000 units in Python.
COMPILE_FROM_WORK = 200_000


@dataclass(frozen=True)
class NestedComponents:
    """The clusters of the working satellites at each of ``k`` nested failed shares.

    ``labels`` ``(k, n)`` int32: each satellite's cluster at each share,
    ``-1`` when failed, clusters numbered ``0..`` in the order of their
    lowest satellite index (as :func:`scipy.sparse.csgraph.connected_components`
    numbers them); ``clusters`` ``(k,)`` how many clusters the working
    satellites make (an isolated one is a cluster); ``working`` ``(k,)``
    working satellites; ``largest`` ``(k,)`` the label of the largest cluster
    (the lowest label among equals; ``-1`` when nothing works) and
    ``largest_size`` ``(k,)`` its satellites.
    """

    labels: np.ndarray
    clusters: np.ndarray
    working: np.ndarray
    largest: np.ndarray
    largest_size: np.ndarray

    def members(self, share: int) -> np.ndarray:
        """Indices (ascending) of the largest cluster's satellites at share ``share``."""
        if self.largest[share] < 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.labels[share] == self.largest[share])


def nested_failure_components(n: int, i, j, failed_from, shares: int) -> NestedComponents:
    """Clusters of a mesh of ``n`` satellites and links ``(i, j)`` under nested failures.

    ``i``, ``j`` ``(m,)`` integer link ends in ``[0, n)`` (a satellite linked
    to itself or a pair linked twice changes nothing); ``failed_from``
    ``(n,)`` integers in ``[0, shares]``: satellite ``v`` is failed at shares
    ``s >= failed_from[v]`` of shares ``0..shares-1`` (``shares`` when it
    never fails; :func:`failed_from_wear` makes them from random wear).  A
    link works at a share when both its ends do.  Returns
    :class:`NestedComponents` of the ``shares`` shares.  Raises ValueError
    for arrays of the wrong shape or type, an index outside ``[0, n)``, a
    ``failed_from`` outside ``[0, shares]`` or negative ``shares``.
    """
    i = np.asarray(i)
    j = np.asarray(j)
    failed_from = np.asarray(failed_from)
    if i.ndim != 1 or i.shape != j.shape:
        raise ValueError(f"i and j must be 1-D of one length; got shapes {i.shape}, {j.shape}")
    if failed_from.shape != (n,):
        raise ValueError(
            f"failed_from must hold one share per satellite, ({n},); got {failed_from.shape}"
        )
    for name, values in (("i", i), ("j", j), ("failed_from", failed_from)):
        if values.size and not np.issubdtype(values.dtype, np.integer):
            raise ValueError(f"{name} must hold integers; got dtype {values.dtype}")
    if len(i) and (min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= n):
        raise ValueError(
            f"link ends must index the {n} satellites; got ends from "
            f"{min(i.min(), j.min())} to {max(i.max(), j.max())}"
        )
    if shares < 0:
        raise ValueError(f"shares must not be negative; got {shares}")
    if n and (failed_from.min() < 0 or failed_from.max() > shares):
        raise ValueError(
            f"failed_from must lie in [0, {shares}] (the shares); got {int(failed_from.min())} "
            f"to {int(failed_from.max())}"
        )
    shares = int(shares)
    labels = np.full((shares, n), -1, dtype=np.int32)
    clusters = np.zeros(shares, dtype=np.int64)
    largest = np.full(shares, -1, dtype=np.int64)
    largest_size = np.zeros(shares, dtype=np.int64)
    working = np.array([np.count_nonzero(failed_from > s) for s in range(shares)], dtype=np.int64)
    if not shares or not n:
        return NestedComponents(labels, clusters, working, largest, largest_size)
    compiled = _compiled_pass.cache_info().currsize > 0
    big = shares * n + len(i) >= COMPILE_FROM_WORK
    sweep = _compiled_pass() if compiled or big else _pass
    sweep(
        np.ascontiguousarray(i, dtype=np.int64),
        np.ascontiguousarray(j, dtype=np.int64),
        np.ascontiguousarray(failed_from, dtype=np.int64),
        labels,
        clusters,
        largest,
        largest_size,
        np.empty(4 * n + len(i) + shares + 2, dtype=np.int64),
    )
    return NestedComponents(labels, clusters, working, largest, largest_size)


def failed_from_wear(wear, fractions):
    """``(failed_from (n,), order (k,))`` for :func:`nested_failure_components` when satellite
    ``v`` is failed at share ``f`` of ``fractions`` when ``wear[v] < f``.

    ``wear`` ``(n,)`` (as drawn uniformly in ``[0, 1)``); ``fractions`` ``(k,)`` in any
    order: share ``s`` (of ``k``) is ``fractions[order[s]]`` (ascending, so nested).
    """
    fractions = np.asarray(fractions, dtype=float)
    order = np.argsort(fractions, kind="stable")
    failed_from = np.searchsorted(fractions[order], np.asarray(wear, dtype=float), side="right")
    return failed_from, order


def _pass(i, j, failed_from, labels, clusters, largest, largest_size, work):
    """The union-find pass from the last share to the first; fills the outputs in place.

    ``work`` ``(4 n + m + k + 2,)`` int64 scratch (allocated by the caller: no array is made
    here, which keeps numba's compilation short)."""
    shares, n = labels.shape
    m = len(i)
    parent = work[:n]
    size = work[n : 2 * n]
    stamp = work[2 * n : 3 * n]  # the share a root's label belongs to
    root_label = work[3 * n : 4 * n]  # a root's label, then (by label) the clusters' sizes
    order = work[4 * n : 4 * n + m]
    bucket = work[4 * n + m :]  # (shares + 2,)
    for v in range(n):
        parent[v] = v
        size[v] = 1
        stamp[v] = -1
    for s in range(shares + 2):
        bucket[s] = 0
    # Each link works at the shares below the first at which an end fails: min(failed_from).
    for e in range(m):
        bucket[min(failed_from[i[e]], failed_from[j[e]]) + 1] += 1
    for s in range(1, shares + 2):
        bucket[s] += bucket[s - 1]
    for e in range(m):
        at = min(failed_from[i[e]], failed_from[j[e]])
        order[bucket[at]] = e
        bucket[at] += 1
    # bucket[s] is now where the links of min(failed_from) = s + 1 start in order.
    end = m
    for s in range(shares - 1, -1, -1):
        start = bucket[s]
        for k in range(start, end):  # the links whose ends both work from share s down
            e = order[k]
            a = i[e]
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            b = j[e]
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a != b:
                if size[a] < size[b]:
                    a, b = b, a
                parent[b] = a
                size[a] += size[b]
        end = start
        found = 0
        best = -1
        for v in range(n):
            if failed_from[v] <= s:
                continue
            r = v
            while parent[r] != r:
                parent[r] = parent[parent[r]]
                r = parent[r]
            if stamp[r] != s:
                stamp[r] = s
                root_label[r] = found
                found += 1
            labels[s, v] = root_label[r]
        clusters[s] = found
        # The sizes by label, in the order of their lowest satellite: the first largest wins.
        for v in range(n):
            if failed_from[v] > s and stamp[v] == s and parent[v] == v:
                if (
                    best < 0
                    or size[v] > size[best]
                    or (size[v] == size[best] and root_label[v] < root_label[best])
                ):
                    best = v
        largest[s] = root_label[best] if best >= 0 else -1
        largest_size[s] = size[best] if best >= 0 else 0


@functools.cache
def _compiled_pass():
    """:func:`_pass` compiled for contiguous int64 inputs, once."""
    import numba

    index = numba.types.int64[::1]
    signature = numba.types.void(
        index, index, index, numba.types.int32[:, ::1], index, index, index, index
    )
    cache = cache_compiled(__file__)
    return numba.njit(signature, nogil=True, cache=cache)(_pass)

"""Clusters of a mesh under nested failures, every share from the one above it.

A failure sweep fails growing shares of the satellites, each share's failed
set holding the last one's (every satellite failed at 5 % is failed at 10 %).
A link works at the shares below the first at which one of its ends fails:
its life.  The mesh at share ``s`` is the links of life above ``s``: the mesh
at share ``s + 1`` and the links of life exactly ``s + 1``.  So the shares are
found from the most failed down, each from the clusters of the one above it
contracted to a node apiece and joined by the links that start working there
(a quotient graph, scipy's connected components).  Every link is read once, at
its own share, and each share's search has one node per cluster of the share
above instead of one per satellite; nothing is compiled.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class NestedComponents:
    """The clusters of the working satellites at each of ``k`` nested failed shares.

    ``clusters`` ``(k,)`` how many clusters the working satellites make (an
    isolated one is a cluster); ``working`` ``(k,)`` working satellites;
    ``largest`` ``(k,)`` the label (in :attr:`labels`' numbering) of the
    largest cluster (the lowest label among equals; ``-1`` when nothing works)
    and ``largest_size`` ``(k,)`` its satellites.  ``cluster`` holds, for each
    share, an ``(n,)`` int32 array (int64 from 2**31 satellites) numbering every
    cluster of that share by its lowest satellite (the failed satellites each
    alone; shares whose clusters do not change share one array) and
    ``largest_cluster`` ``(k,)`` the largest's number in it (``-1`` when nothing
    works).
    """

    clusters: np.ndarray
    working: np.ndarray
    largest: np.ndarray
    largest_size: np.ndarray
    cluster: tuple[np.ndarray, ...]
    largest_cluster: np.ndarray
    failed_from: np.ndarray

    def members(self, share: int) -> np.ndarray:
        """Indices (ascending) of the largest cluster's satellites at share ``share``."""
        if self.largest_cluster[share] < 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.cluster[share] == self.largest_cluster[share])

    @cached_property
    def labels(self) -> np.ndarray:
        """``(k, n)`` int32: each satellite's cluster at each share, ``-1`` when failed,
        clusters numbered ``0..`` in the order of their lowest satellite index (as
        :func:`scipy.sparse.csgraph.connected_components` numbers them)."""
        n = len(self.failed_from)
        labels = np.full((len(self.clusters), n), -1, dtype=np.int32)
        for share, cluster in enumerate(self.cluster):
            working = self.failed_from > share
            mine = cluster[working]
            present = np.zeros(n, dtype=bool)
            present[mine] = True
            labels[share, working] = (np.cumsum(present) - 1)[mine]
        return labels


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
    clusters = np.zeros(shares, dtype=np.int64)
    largest = np.full(shares, -1, dtype=np.int64)
    largest_size = np.zeros(shares, dtype=np.int64)
    largest_cluster = np.full(shares, -1, dtype=np.int64)
    small = np.int16 if shares < np.iinfo(np.int16).max else np.int64  # a radix sort
    by_failure = np.argsort(failed_from.astype(small), kind="stable")
    # Satellites failed at share s: by_failure[:failed_ends[s]].
    failed_ends = np.searchsorted(failed_from[by_failure], np.arange(shares), side="right")
    working = n - failed_ends.astype(np.int64)
    # Each satellite's cluster, numbered by the lowest satellite in it (as scipy numbers
    # components): before any link works, every satellite alone.
    cluster = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
    per_share = [cluster] * shares
    if not shares or not n:
        return NestedComponents(clusters, working, largest, largest_size, tuple(per_share),
                                largest_cluster, failed_from)  # fmt: skip
    i = i.astype(np.int64, copy=False)
    j = j.astype(np.int64, copy=False)
    life = np.minimum(failed_from[i], failed_from[j])
    by_life = np.argsort(life.astype(small), kind="stable")
    level_ends = np.searchsorted(life[by_life], np.arange(shares + 2))
    count = n
    for share in range(shares - 1, -1, -1):
        opening = by_life[level_ends[share + 1] : level_ends[share + 2]]  # life == share + 1
        if len(opening):
            count, cluster = _joined(count, cluster, i[opening], j[opening])
        per_share[share] = cluster
        # A failed satellite's links all open above this share: it is a cluster alone.
        sizes = np.bincount(cluster, minlength=count)
        sizes[cluster[by_failure[: failed_ends[share]]]] = 0
        present = int(np.count_nonzero(sizes))
        clusters[share] = present
        if present:
            big = int(np.argmax(sizes))  # the first of equals: the lowest satellite
            largest_cluster[share] = big
            largest_size[share] = int(sizes[big])
            largest[share] = int(np.count_nonzero(sizes[:big]))
    return NestedComponents(clusters, working, largest, largest_size, tuple(per_share),
                            largest_cluster, failed_from)  # fmt: skip


def _joined(count: int, cluster: np.ndarray, i: np.ndarray, j: np.ndarray):
    """``(count, cluster)`` after the links ``(i, j)`` join the ``count`` clusters ``cluster``
    ``(n,)``: the components of the quotient graph, numbered by their lowest cluster (so still
    by their lowest satellite)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    quotient = coo_array(
        (np.ones(len(i), dtype=np.int8), (cluster[i], cluster[j])), shape=(count, count)
    ).tocsr()
    count, merged = connected_components(quotient, directed=False)
    return int(count), merged[cluster]


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

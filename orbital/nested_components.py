"""Clusters of a mesh under nested failures, every share from one spanning forest.

A failure sweep fails growing shares of the satellites, each share's failed
set holding the last one's (every satellite failed at 5 % is failed at 10 %).
A link works at the shares below the first at which one of its ends fails:
its life.  The mesh at share ``s`` is the links of life above ``s``, a
threshold graph, and a maximum spanning forest by life (a minimum one of
``shares + 1 - life``, scipy's Kruskal) has the clusters of every threshold
graph: the forest's links of life above ``s`` join exactly what the mesh's
do (the cycle property: a link left out of the forest closes a cycle of links
that live at least as long).  So the forest is found once, and each share's
clusters from at most ``n - 1`` links instead of the whole mesh; nothing is
compiled.
"""

from dataclasses import dataclass

import numpy as np


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
    forest_i, forest_j, forest_life = _forest(n, i, j, failed_from, shares)
    for share in range(shares):
        alive = forest_life > share
        _share_clusters(
            n,
            forest_i[alive],
            forest_j[alive],
            failed_from > share,
            share,
            labels,
            clusters,
            largest,
            largest_size,
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


def _forest(n, i, j, failed_from, shares):
    """Links ``(i, j, life)`` of a maximum spanning forest of the mesh by life (links that
    never work left out)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import minimum_spanning_tree

    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    life = np.minimum(failed_from[i], failed_from[j])
    keep = (life > 0) & (i != j)
    if not keep.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    mesh = coo_array(
        (np.ones(int(keep.sum())), (i[keep], j[keep])), shape=(n, n)
    ).tocsr()  # a pair named twice is summed into one entry: its weight is set below
    rows = np.repeat(np.arange(n), np.diff(mesh.indptr))
    mesh.data = (shares + 1 - np.minimum(failed_from[rows], failed_from[mesh.indices])).astype(
        float
    )
    forest = minimum_spanning_tree(mesh).tocoo()
    return (
        forest.row.astype(np.int64),
        forest.col.astype(np.int64),
        (shares + 1 - np.rint(forest.data)).astype(np.int64),
    )


def _share_clusters(n, i, j, working, share, labels, clusters, largest, largest_size):
    """One share's clusters from its forest links ``(i, j)``, into row ``share`` of the outputs."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    matrix = coo_array((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n)).tocsr()
    _, found = connected_components(matrix, directed=False)
    # scipy numbers clusters in the order of their lowest node; the failed satellites (each
    # its own) are taken out and the rest numbered again in the same order.
    mine = found[working]
    present = np.zeros(int(found.max()) + 1 if n else 0, dtype=bool)
    present[mine] = True
    renumber = np.cumsum(present) - 1
    labels[share, working] = renumber[mine]
    clusters[share] = int(present.sum())
    if len(mine):
        sizes = np.bincount(renumber[mine])
        largest[share] = int(np.argmax(sizes))  # the first of equals: the lowest satellite
        largest_size[share] = int(sizes[largest[share]])

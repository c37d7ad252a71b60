"""The CSR structure of every candidate link, built once; a snapshot's mesh is a mask on it.

Over an orbit the +Grid's candidate links stay the same and only which of
them close changes.  :class:`CandidateAdjacency` sorts the candidates into a
symmetric compressed-sparse-row pattern once; a snapshot (or a set of failed
satellites) keeps a subset of links, and its adjacency is the pattern with
the other entries dropped, in linear time and without sorting again.  The
matrices are the ones :meth:`orbital.links.LinkGraph.adjacency` builds for the
same links (scipy.sparse.csgraph reads them alike); the tests compare the
components with networkx's.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class CandidateAdjacency:
    """Symmetric CSR pattern of ``m`` candidate links among ``n`` satellites.

    ``indptr`` ``(n + 1,)`` and ``indices`` ``(2 m,)`` as in scipy's canonical
    CSR (each row's columns ascending);
    ``link`` ``(2 m,)`` the candidate behind each stored entry (each link is
    stored twice, once from each end).
    """

    n: int
    indptr: np.ndarray
    indices: np.ndarray
    link: np.ndarray

    @classmethod
    def of(cls, n: int, i, j) -> "CandidateAdjacency":
        """The pattern of links ``(i, j)`` ``(m,)`` among ``n`` satellites.

        Raises ValueError for an index outside ``0 .. n - 1``, a link from a
        satellite to itself or a pair linked twice.
        """
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        if len(i) != len(j):
            raise ValueError(f"{len(i)} first ends for {len(j)} second ends")
        rows = np.concatenate([i, j])
        if len(rows) and (rows.min() < 0 or rows.max() >= n):
            raise ValueError(f"link ends must lie in 0..{n - 1}")
        cols = np.concatenate([j, i])
        key = rows * n + cols
        order = np.argsort(key)  # row by row, columns ascending: canonical CSR
        if len(key) and (np.any(rows == cols) or np.any(np.diff(key[order]) == 0)):
            raise ValueError("links must join two different satellites, each pair once")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        indices = cols[order].astype(np.int32 if n < 2**31 else np.int64)
        link = np.concatenate([np.arange(len(i)), np.arange(len(i))])[order]
        return cls(int(n), indptr, indices, link)

    @property
    def n_links(self) -> int:
        return len(self.link) // 2

    def adjacency(self, keep=None, values=None):
        """The symmetric adjacency (scipy.sparse CSR in canonical form) of the kept links.

        ``keep`` ``(m,)`` boolean over the candidates (None keeps every one);
        ``values`` ``(m,)`` each link's entry (None: 1.0, hops).  Equal to
        :meth:`orbital.links.LinkGraph.adjacency` of the same links.
        """
        from scipy.sparse import csr_array

        link = self.link
        if keep is None:
            indices, indptr = self.indices, self.indptr
        else:
            entry = np.asarray(keep, dtype=bool)[link]
            before = np.zeros(len(entry) + 1, dtype=np.int64)
            np.cumsum(entry, out=before[1:])
            indices, indptr, link = self.indices[entry], before[self.indptr], link[entry]
        if values is None:
            data = np.ones(len(indices))
        else:
            data = np.asarray(values, dtype=float)[link]
        return csr_array((data, indices, indptr), shape=(self.n, self.n))

    def components(self, keep=None):
        """``(n_components, labels (n,))`` of the kept links, as
        :func:`orbital.network_metrics.components` gives them for the same links."""
        from scipy.sparse.csgraph import connected_components

        return connected_components(self.adjacency(keep), directed=False)

    def restricted(self, keep) -> "CandidateAdjacency":
        """The pattern of the kept links only, numbered ``0 ..`` in candidate order.

        ``keep`` ``(m,)`` boolean; the result equals :meth:`of` on the kept
        ``(i, j)`` without sorting again.
        """
        keep = np.asarray(keep, dtype=bool)
        entry = keep[self.link]
        before = np.zeros(len(entry) + 1, dtype=np.int64)
        np.cumsum(entry, out=before[1:])
        number = np.cumsum(keep) - 1
        return CandidateAdjacency(
            self.n, before[self.indptr], self.indices[entry], number[self.link[entry]]
        )

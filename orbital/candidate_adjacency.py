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
from functools import cached_property

import numpy as np


@dataclass(frozen=True, eq=False)
class CandidateAdjacency:
    """Symmetric CSR pattern of ``m`` candidate links among ``n`` satellites.

    ``indptr`` ``(n + 1,)`` and ``indices`` ``(2 m,)`` as in scipy's canonical
    CSR (each row's columns ascending), int32 while ``n`` and ``2 m`` fit it;
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
        from scipy.sparse import coo_array

        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        if len(i) != len(j):
            raise ValueError(f"{len(i)} first ends for {len(j)} second ends")
        # scipy.sparse.csgraph works on int32 indices: stored so, its searches copy nothing.
        index = np.int32 if max(n, 2 * len(i)) < 2**31 else np.int64
        rows = np.concatenate([i, j])
        if len(rows) and (rows.min() < 0 or rows.max() >= n):
            raise ValueError(f"link ends must lie in 0..{n - 1}")
        if np.any(i == j):
            raise ValueError("links must join two different satellites, each pair once")
        rows = rows.astype(index)
        cols = np.concatenate([j, i]).astype(index)
        link = np.arange(len(i), dtype=np.int64)
        # Row by row, columns ascending (canonical CSR): scipy's conversion counts the rows
        # (no sort over every entry), then sorts each row's few columns, carrying the links.
        entries = coo_array((np.concatenate([link, link]), (rows, cols)), shape=(n, n)).tocsr()
        if entries.nnz != len(rows):  # a pair named twice was folded into one entry
            raise ValueError("links must join two different satellites, each pair once")
        indptr = entries.indptr.astype(index, copy=False)
        indices = entries.indices.astype(index, copy=False)
        link = entries.data
        return cls(int(n), indptr, indices, link)

    @property
    def n_links(self) -> int:
        return len(self.link) // 2

    @cached_property
    def _ones(self) -> np.ndarray:
        """Read-only 1.0 for every stored entry: the values of the hop matrices that
        :meth:`components` searches, shared (a fresh array of 4 million entries is 32 MB of
        new pages each time)."""
        ones = np.ones(len(self.link))
        ones.flags.writeable = False
        return ones

    def adjacency(self, keep=None, values=None):
        """The symmetric adjacency (scipy.sparse CSR in canonical form) of the kept links.

        ``keep`` ``(m,)`` boolean over the candidates (None keeps every one);
        ``values`` ``(m,)`` each link's entry (None: 1.0, hops).  Equal to
        :meth:`orbital.links.LinkGraph.adjacency` of the same links.
        """
        return self._matrix(keep, values, shared_ones=False)

    def _matrix(self, keep, values, shared_ones: bool):
        """:meth:`adjacency`; with ``shared_ones`` a hop matrix's values are the pattern's
        read-only ones (for searches that only read it)."""
        from scipy.sparse import csr_array

        link = self.link
        if keep is None or np.all(keep):  # every link kept: the pattern as it is
            indices, indptr = self.indices, self.indptr
        else:
            entry = np.asarray(keep, dtype=bool)[link]
            before = np.zeros(len(entry) + 1, dtype=self.indptr.dtype)
            np.cumsum(entry, out=before[1:])
            indices, indptr, link = self.indices[entry], before[self.indptr], link[entry]
        if values is None:
            data = self._ones[: len(indices)] if shared_ones else np.ones(len(indices))
        else:
            data = np.asarray(values, dtype=float)[link]
        return csr_array((data, indices, indptr), shape=(self.n, self.n))

    def components(self, keep=None):
        """``(n_components, labels (n,))`` of the kept links, as
        :func:`orbital.network_metrics.components` gives them for the same links."""
        from scipy.sparse.csgraph import connected_components

        return connected_components(self._matrix(keep, None, shared_ones=True), directed=False)

    def restricted(self, keep) -> "CandidateSubset":
        """The pattern of the kept links only (``keep`` ``(m,)`` boolean), numbered
        ``0 ..`` in candidate order; nothing is copied until a matrix is asked for."""
        return CandidateSubset(self, np.asarray(keep, dtype=bool))


@dataclass(frozen=True, eq=False)
class CandidateSubset:
    """The links ``keep`` ``(m,)`` of a :class:`CandidateAdjacency`, as a pattern of their own.

    Behaves as :meth:`CandidateAdjacency.of` on the kept links (its links
    numbered in candidate order), reading the whole pattern when a matrix is
    asked for instead of sorting the kept links again.
    """

    whole: CandidateAdjacency
    keep: np.ndarray

    @property
    def n(self) -> int:
        return self.whole.n

    @property
    def n_links(self) -> int:
        return int(np.count_nonzero(self.keep))

    def adjacency(self, keep=None, values=None):
        """As :meth:`CandidateAdjacency.adjacency`, over this subset's own links."""
        inner = self.keep.copy()
        if keep is not None:
            inner[inner] = np.asarray(keep, dtype=bool)
        full = None
        if values is not None:
            full = np.zeros(len(self.keep))
            full[self.keep] = values
        return self.whole.adjacency(inner, full)

    def components(self, keep=None):
        """As :meth:`CandidateAdjacency.components`, over this subset's own links."""
        inner = self.keep.copy()
        if keep is not None:
            inner[inner] = np.asarray(keep, dtype=bool)
        return self.whole.components(inner)

    def restricted(self, keep) -> "CandidateSubset":
        """The kept links (``keep`` over this subset's links) of this subset."""
        inner = self.keep.copy()
        inner[inner] = np.asarray(keep, dtype=bool)
        return CandidateSubset(self.whole, inner)

"""Hop distances in a mesh by breadth-first search over its symmetric CSR adjacency, compiled.

scipy's ``dijkstra(unweighted=True, directed=False)`` answers the same
question with a heap, and first adds the matrix to its transpose (a
``csr_tocsc`` of every link, each call).  The mesh's adjacency
(:meth:`orbital.links.LinkGraph.adjacency`) is symmetric already, so a
queue over its rows gives the distances in one pass over the links reached
(Moore 1959, The shortest path through a maze, Proc. Int. Symp. Theory of
Switching, 285-292).

The search runs compiled with numba, imported and compiled on first need as
in :mod:`orbital.greedy_matching` (disk cache where Python caches bytecode,
:mod:`orbital.compiled`): from :data:`COMPILE_FROM_LINK_VISITS` on, or on any input once compiled in
this process.  Below that scipy's ``dijkstra(unweighted=True,
directed=True)`` answers (on a symmetric matrix the same distances as
``directed=False``, without the transpose).
"""

import functools

import numpy as np

from orbital.compiled import cache_compiled

#: Stored entries times searches from which a process compiles the search rather than ask
#: scipy.  scipy's directed search visits 10-20 million entries a second (0.1 s a tree of
#: million-340's largest cluster, 1.36 million entries); compiling this search takes 0.5-0.6 s
#: of CPU once numba is loaded (1.3 s more when it is the process's first compilation, plus
#: 0.4 s to import numba): about what scipy spends on 5 million.  A bounded diameter's four
#: trees of that cluster reach it (benchmarks/bench_failure_sweep.py).
COMPILE_FROM_LINK_VISITS = 5_000_000


def hop_distances(adjacency, sources, *, searches: int | None = None) -> np.ndarray:
    """Hops from each of ``sources`` to every node of a mesh, as scipy's unweighted dijkstra.

    ``adjacency`` ``(n, n)`` a scipy.sparse CSR matrix (or array) whose
    stored entries are the links, symmetric (each link stored from both
    ends, as :meth:`orbital.links.LinkGraph.adjacency` builds it; not checked:
    a one-way entry is followed one way); the values are ignored.
    ``sources`` an index or ``(k,)`` indices in ``[0, n)``.  Returns float64
    ``(n,)`` for one index, ``(k, n)`` for an array; ``inf`` where a node is
    not reachable.  ``searches`` (default ``k``) is how many searches of this
    matrix the caller means to run in all, one call at a time (a bounded
    diameter's trees): the search is compiled when ``searches`` times the
    stored entries reach :data:`COMPILE_FROM_LINK_VISITS`, or once compiled in
    this process; else scipy answers.  Raises ValueError for a matrix that is
    not square CSR or a source outside ``[0, n)``.
    """
    from scipy.sparse import issparse

    if not issparse(adjacency) or adjacency.format != "csr":
        raise ValueError("hop_distances needs a scipy.sparse CSR adjacency")
    n, columns = adjacency.shape
    if n != columns:
        raise ValueError(f"the adjacency must be square; got shape {adjacency.shape}")
    one = np.ndim(sources) == 0
    starts = np.atleast_1d(np.asarray(sources))
    if starts.ndim != 1 or (starts.size and not np.issubdtype(starts.dtype, np.integer)):
        raise ValueError("sources must be an integer index or a 1-D array of them")
    if starts.size and (starts.min() < 0 or starts.max() >= n):
        raise ValueError(f"sources must lie in [0, {n}); got {starts.min()} to {starts.max()}")
    compiled = _compiled_search.cache_info().currsize > 0
    planned = len(starts) if searches is None else max(int(searches), len(starts))
    if not compiled and planned * adjacency.nnz < COMPILE_FROM_LINK_VISITS:
        from scipy.sparse.csgraph import dijkstra

        dist = dijkstra(adjacency, directed=True, indices=starts, unweighted=True)
        return dist[0] if one else dist
    dist = np.full((len(starts), n), np.inf)
    wide = n >= 2**31 or adjacency.nnz >= 2**31
    index = np.int64 if wide else np.int32
    _compiled_search()(
        np.ascontiguousarray(adjacency.indptr, dtype=index),
        np.ascontiguousarray(adjacency.indices, dtype=index),
        starts.astype(np.int64),
        dist,
        np.empty(n, dtype=np.int64),
    )
    return dist[0] if one else dist


def _search(indptr, indices, sources, dist, queue):
    """Breadth-first from each source; fills ``dist`` ``(k, n)`` (inf beforehand), ``queue``
    ``(n,)`` scratch (allocated by the caller: no array is made here, which keeps numba's
    compilation short)."""
    for row in range(len(sources)):
        d = dist[row]
        d[sources[row]] = 0.0
        queue[0] = sources[row]
        head, tail = 0, 1
        while head < tail:
            u = queue[head]
            head += 1
            step = d[u] + 1.0
            for k in range(indptr[u], indptr[u + 1]):
                w = indices[k]
                if d[w] > step:  # not reached yet: still inf
                    d[w] = step
                    queue[tail] = w
                    tail += 1


@functools.cache
def _compiled_search():
    """:func:`_search` compiled with numba, once; for each kind of CSR index array (int32 or
    int64) on its first call."""
    import numba

    cache = cache_compiled(__file__)
    return numba.njit(nogil=True, cache=cache)(_search)

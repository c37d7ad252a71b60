"""Hop distances by breadth-first order and levels, against scipy's undirected dijkstra.

Authorities: scipy's ``dijkstra(unweighted=True, directed=False)`` on the same matrices
(what the planner called before), the ``P x S`` torus's closed form (distance
``min(dp, P - dp) + min(ds, S - ds)``: distances add over a Cartesian product's factors),
and scipy's documented reading of ``directed``: with ``directed=False`` a path may use an
edge ``i -> j`` either way, so on a symmetric matrix ``directed=True`` finds the same
distances (checked here on weighted graphs, as the diameters rely on it).
"""

import numpy as np
import pytest
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra

from orbital.breadth_first import hop_distances


def symmetric(n, i, j, weight=None, index=None):
    """The symmetric CSR adjacency of links ``(i, j)`` (``index`` dtype for its indices)."""
    w = np.ones(len(i)) if weight is None else np.asarray(weight, dtype=float)
    matrix = coo_array(
        (np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n)
    ).tocsr()
    if index is not None:
        matrix.indices = matrix.indices.astype(index)
        matrix.indptr = matrix.indptr.astype(index)
    return matrix


def random_graph(rng, n, m):
    """``m`` random links among ``n`` nodes (some repeated, many nodes unreachable)."""
    i = rng.integers(0, n, m)
    j = (i + rng.integers(1, n, m)) % n
    return i, j


@pytest.mark.parametrize("seed", range(4))
def test_random_graphs_match_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 300))
    i, j = random_graph(rng, n, int(rng.integers(n // 3, 2 * n)))
    index = (np.int32, np.int64)[seed % 2]
    matrix = symmetric(n, i, j, index=index)
    sources = rng.integers(0, n, 5)
    expected = dijkstra(matrix, directed=False, unweighted=True, indices=sources)
    got = hop_distances(matrix, sources)
    assert np.isinf(expected).any()  # unreachable nodes are part of the check
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(hop_distances(matrix, int(sources[0])), expected[0])


def test_a_torus_has_its_closed_form_distances():
    planes, per_plane = 12, 17
    index = np.arange(planes * per_plane).reshape(planes, per_plane)
    i = np.concatenate([index.ravel(), index.ravel()])
    j = np.concatenate([np.roll(index, -1, 0).ravel(), np.roll(index, -1, 1).ravel()])
    matrix = symmetric(planes * per_plane, i, j)
    got = hop_distances(matrix, np.array([0, 40]))
    p, s = np.divmod(np.arange(planes * per_plane), per_plane)
    for row, source in enumerate((0, 40)):
        dp, ds = np.abs(p - p[source]), np.abs(s - s[source])
        closed = np.minimum(dp, planes - dp) + np.minimum(ds, per_plane - ds)
        np.testing.assert_array_equal(got[row], closed)
    assert got.max() == planes // 2 + per_plane // 2


def test_an_isolated_source_reaches_only_itself():
    matrix = symmetric(5, np.array([0, 1]), np.array([1, 2]))
    got = hop_distances(matrix, 4)
    assert got[4] == 0.0 and np.all(np.isinf(got[:4]))


def test_directed_search_on_a_symmetric_matrix_is_the_undirected_one():
    rng = np.random.default_rng(5)
    n = 200
    i, j = random_graph(rng, n, 300)
    matrix = symmetric(n, i, j, weight=rng.uniform(1.0, 30.0, len(i)))
    sources = np.arange(0, n, 7)
    np.testing.assert_array_equal(
        dijkstra(matrix, directed=True, indices=sources),
        dijkstra(matrix, directed=False, indices=sources),
    )


@pytest.mark.parametrize(
    "matrix, sources, message",
    [
        (symmetric(3, np.array([0]), np.array([1])).tocoo(), 0, "CSR"),
        (np.eye(3), 0, "CSR"),
        (symmetric(3, np.array([0]), np.array([1]))[:, :2], 0, "square"),
        (symmetric(3, np.array([0]), np.array([1])), 3, r"lie in \[0, 3\)"),
        (symmetric(3, np.array([0]), np.array([1])), np.array([-1]), r"lie in \[0, 3\)"),
        (symmetric(3, np.array([0]), np.array([1])), np.array([0.0]), "integer"),
    ],
)
def test_bad_input_is_refused(matrix, sources, message):
    with pytest.raises(ValueError, match=message):
        hop_distances(matrix, sources)


def test_bounding_over_the_search_finds_networkx_s_diameter():
    """Takes and Kosters' bounding, its trees grown by this search, run to the end on a torus
    with links cut: the diameter networkx finds from every source."""
    import networkx as nx

    from orbital.network_metrics import bounding_diameter

    rng = np.random.default_rng(3)
    side = 16
    index = np.arange(side * side).reshape(side, side)
    i = np.concatenate([index.ravel(), index.ravel()])
    j = np.concatenate([np.roll(index, -1, 0).ravel(), np.roll(index, -1, 1).ravel()])
    keep = rng.random(len(i)) > 0.2
    graph = nx.Graph(zip(i[keep].tolist(), j[keep].tolist(), strict=True))
    nodes = max(nx.connected_components(graph), key=len)
    members = np.array(sorted(nodes))
    matrix = symmetric(side * side, i[keep], j[keep])[members][:, members]
    lower, upper, _ = bounding_diameter(matrix, unweighted=True, max_sources=len(members))
    assert lower == upper == nx.diameter(graph.subgraph(nodes))

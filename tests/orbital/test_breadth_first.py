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


@pytest.mark.parametrize("seed", range(6))
def test_furthest_is_the_distances_maximum_and_where_it_is_reached(seed):
    # Against scipy's undirected dijkstra: the finite maximum, every node at it (ascending)
    # and the nodes reached; graphs with unreachable nodes and isolated sources included.
    from orbital.breadth_first import furthest

    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(30, 400))
    i, j = random_graph(rng, n, int(rng.integers(n // 3, 2 * n)))
    matrix = symmetric(n, i, j, index=(np.int32, np.int64)[seed % 2])
    isolated = np.setdiff1d(np.arange(n), np.concatenate([i, j]))
    sources = np.concatenate([rng.integers(0, n, 20), isolated[:2]])
    for source in sources.tolist():
        expected = dijkstra(matrix, directed=False, unweighted=True, indices=source)
        finite = expected[np.isfinite(expected)]
        eccentricity, far, reached = furthest(matrix, source)
        assert eccentricity == finite.max()
        np.testing.assert_array_equal(far, np.flatnonzero(expected == finite.max()))
        assert reached == len(finite)


def test_furthest_on_a_torus_is_the_closed_form():
    # A P x S torus: eccentricity P // 2 + S // 2, reached at one plane offset when P is even,
    # two when odd (the same for slots).  A star's hundreds of furthest leaves, found whole
    # (the search's trailing run grows past its first guesses).
    from orbital.breadth_first import furthest

    for planes, slots in ((7, 9), (8, 9), (8, 10), (2, 400), (400, 3)):
        index = np.arange(planes * slots).reshape(planes, slots)
        i = np.concatenate([index.ravel(), index.ravel()])
        j = np.concatenate([np.roll(index, -1, 0).ravel(), np.roll(index, -1, 1).ravel()])
        keep = i != j
        matrix = symmetric(planes * slots, i[keep], j[keep])
        eccentricity, far, reached = furthest(matrix, 0)
        assert eccentricity == planes // 2 + slots // 2
        assert reached == planes * slots
        p, s = np.divmod(far, slots)
        assert np.all(np.minimum(p, planes - p) + np.minimum(s, slots - s) == eccentricity)
        assert len(far) == (1 + planes % 2) * (1 + slots % 2)
    # A broom: a path of 2,000 nodes ending in 5,000 leaves, all furthest from its far end.
    path, bristles = np.arange(1999), np.arange(2000, 7000)
    broom = symmetric(
        7000, np.concatenate([path, np.full(5000, 1999)]), np.concatenate([path + 1, bristles])
    )
    eccentricity, far, reached = furthest(broom, 0)
    assert (eccentricity, reached) == (2000, 7000)
    np.testing.assert_array_equal(far, bristles)
    leaves = np.arange(1, 301)
    star = symmetric(301, np.zeros(300, dtype=int), leaves)
    for source, hops, expected in ((0, 1, leaves), (7, 2, leaves[leaves != 7])):
        eccentricity, far, reached = furthest(star, source)
        assert (eccentricity, reached) == (hops, 301)
        np.testing.assert_array_equal(far, expected)


def test_furthest_refuses_what_hop_distances_refuses():
    from orbital.breadth_first import furthest

    matrix = symmetric(5, np.array([0, 1]), np.array([1, 2]))
    with pytest.raises(ValueError, match="lie in"):
        furthest(matrix, 5)
    with pytest.raises(ValueError, match="CSR"):
        furthest(matrix.tocoo(), 0)


@pytest.mark.parametrize("family", ["path", "star", "tree", "small world", "grid", "torus"])
def test_double_sweep_without_distances_is_the_bounding_loop_s(family):
    """bounding_diameter's double sweep in hops, read off eccentricities and furthest nodes,
    against the same two trees grown by the general loop (every node its own symmetry class)
    and networkx's diameter: the same lower bound and exactness, an upper bound no lower than
    the loop's and above the true diameter."""
    import networkx as nx

    from orbital.network_metrics import bounding_diameter

    rng = np.random.default_rng(sum(map(ord, family)))
    exact = 0
    for _ in range(120):
        n = int(rng.integers(2, 50))
        if family == "path":
            graph = nx.path_graph(n)
        elif family == "star":
            graph = nx.star_graph(n - 1)
        elif family == "tree":
            graph = nx.random_labeled_tree(n, seed=int(rng.integers(2**31)))
        elif family == "small world":
            graph = nx.connected_watts_strogatz_graph(max(n, 5), 4, 0.2, seed=int(rng.integers(99)))
        else:
            shape = (int(rng.integers(1, 8)), int(rng.integers(2, 8)))
            graph = nx.grid_2d_graph(*shape, periodic=family == "torus" and min(shape) > 2)
            graph = nx.convert_node_labels_to_integers(graph)
        matrix = nx.to_scipy_sparse_array(graph, format="csr")
        seed = int(rng.integers(1000))
        lower, upper, sources = bounding_diameter(matrix, unweighted=True, max_sources=2, seed=seed)
        each = np.arange(matrix.shape[0])
        loop = bounding_diameter(matrix, unweighted=True, max_sources=2, seed=seed, classes=each)
        assert (lower, sources) == (loop[0], loop[2])
        assert (lower == upper) == (loop[0] == loop[1])
        assert loop[1] <= upper
        assert lower <= nx.diameter(graph) <= upper
        exact += lower == upper
    assert exact  # some meet (a path from its end, a star from a leaf)


@pytest.mark.parametrize("seed", range(3))
def test_principal_submatrix_is_scipy_s_indexing(seed):
    # The diameters' cluster matrices: rows and columns of the members, against scipy's
    # matrix[members][:, members] (values, order of the stored entries, shape), for members
    # ascending with gaps, a run of rows, every node, none, and in any order.
    from orbital.network_metrics import principal_submatrix

    rng = np.random.default_rng(200 + seed)
    for trial in range(150):
        n = int(rng.integers(1, 90))
        i, j = rng.integers(0, n, (2, int(rng.integers(0, 4 * n))))
        matrix = symmetric(n, i, j, rng.random(len(i)), index=(np.int32, np.int64)[trial % 2])
        start = int(rng.integers(0, n))
        for members in (
            np.flatnonzero(rng.random(n) < 0.6),
            np.arange(start, int(rng.integers(start, n + 1))),
            np.arange(n),
            rng.permutation(n)[: int(rng.integers(0, n + 1))],
        ):
            got = principal_submatrix(matrix, members)
            expected = matrix[members][:, members]
            assert got.format == "csr" and got.shape == expected.shape
            assert not np.shares_memory(got.data, matrix.data)
            expected.sort_indices()
            got.sort_indices()
            np.testing.assert_array_equal(got.indptr, expected.indptr)
            np.testing.assert_array_equal(got.indices, expected.indices)
            np.testing.assert_array_equal(got.data, expected.data)


def test_principal_submatrix_leaves_other_members_to_scipy_and_keeps_the_class():
    # A list, negative indices, a boolean mask, repeats: scipy's indexing and meaning; a
    # csr_matrix comes back a csr_matrix.
    from scipy.sparse import csr_matrix

    from orbital.network_metrics import principal_submatrix

    matrix = symmetric(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]))
    for members in ([], [0, 2], [-3, -1], np.array([True, False, True, True]), [2, 2, 0]):
        got = principal_submatrix(matrix, members)
        np.testing.assert_array_equal(got.toarray(), matrix[members][:, members].toarray())
    old_style = csr_matrix(matrix)
    assert type(principal_submatrix(old_style, np.array([1, 2]))) is csr_matrix
    assert type(principal_submatrix(matrix, np.array([1, 2]))) is type(matrix)

"""Clusters under nested failures from one spanning forest, against scipy share by share.

Authority: scipy's ``connected_components`` run independently on each share's own graph
(the links whose two ends both work), the failed satellites then set aside; and graphs
whose clusters are known by hand (a path cut in the middle, ties between equal clusters).
"""

import numpy as np
import pytest
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from orbital.nested_components import failed_from_wear, nested_failure_components


def scipy_share(n, i, j, failed):
    """``(labels with -1 for failed, clusters, largest label)`` of one share, from scipy."""
    keep = ~(failed[i] | failed[j])
    matrix = coo_array((np.ones(keep.sum()), (i[keep], j[keep])), shape=(n, n)).tocsr()
    _, labels = connected_components(matrix, directed=False)
    labels = np.where(failed, -1, labels)
    alive = labels[labels >= 0]
    if not len(alive):
        return labels, 0, -1
    counts = np.bincount(alive)
    return labels, int(np.count_nonzero(counts)), int(np.argmax(counts))


def canonical(labels):
    """Labels renumbered in order of each cluster's lowest index (-1 kept): a partition's
    one name, so that two labellings of the same clusters compare equal."""
    out = np.full(len(labels), -1)
    alive = labels >= 0
    _, first, inverse = np.unique(labels[alive], return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    out[alive] = rank[inverse]
    return out


def check_against_scipy(n, i, j, wear, fractions):
    failed_from, order = failed_from_wear(wear, fractions)
    result = nested_failure_components(n, i, j, failed_from, len(fractions))
    for share, place in enumerate(order):
        failed = wear < fractions[place]
        labels, clusters, largest = scipy_share(n, i, j, failed)
        assert result.working[share] == n - failed.sum()
        assert result.clusters[share] == clusters
        # scipy numbers clusters by their lowest satellite, as the pass does.
        assert np.array_equal(result.labels[share], canonical(labels))
        members = np.flatnonzero(labels == largest) if largest >= 0 else []
        assert np.array_equal(result.members(share), members)
        assert result.largest_size[share] == len(members)
    return result


@pytest.mark.parametrize("seed", range(4))
def test_random_graphs_match_scipy_at_every_share(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 400))
    m = int(rng.integers(n // 2, 2 * n))  # around the random graph's giant-cluster threshold
    i = rng.integers(0, n, m)
    j = (i + rng.integers(1, n, m)) % n
    fractions = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0)
    check_against_scipy(n, i, j, rng.random(n), fractions)


def test_a_torus_with_isolated_satellites_and_repeated_links_matches_scipy():
    rng = np.random.default_rng(11)
    side = 30
    index = np.arange(side * side).reshape(side, side)
    i = np.concatenate([index.ravel(), index.ravel(), [5, 6]])
    j = np.concatenate([np.roll(index, -1, 1).ravel(), np.roll(index, -1, 0).ravel(), [6, 5]])
    n = side * side + 7  # seven satellites with no link at all
    # Shares out of order: the pass sorts them, and hands them back by place.
    check_against_scipy(n, i, j, rng.random(n), (0.4, 0.0, 0.6, 0.2))


def test_equal_clusters_go_to_the_one_with_the_lowest_satellite():
    # Two paths of three, 3-4-5 and 0-1-2 (links listed last-first), nothing failed.
    i, j = np.array([4, 3, 1, 0]), np.array([5, 4, 2, 1])
    result = nested_failure_components(6, i, j, np.full(6, 1), 1)
    assert result.clusters.tolist() == [2]
    assert result.largest.tolist() == [0]
    assert result.members(0).tolist() == [0, 1, 2]
    assert result.labels[0].tolist() == [0, 0, 0, 1, 1, 1]


def test_a_path_cut_in_the_middle_falls_in_two():
    # 0-1-2-3-4-5-6; satellite 3 fails at the second share, satellite 6 at the third.
    i = np.arange(6)
    failed_from = np.array([3, 3, 3, 1, 3, 3, 2])
    result = nested_failure_components(7, i, i + 1, failed_from, 3)
    assert result.working.tolist() == [7, 6, 5]
    assert result.clusters.tolist() == [1, 2, 2]
    assert result.largest_size.tolist() == [7, 3, 3]
    assert result.members(1).tolist() == [0, 1, 2]  # 4-5-6 ties with 0-1-2: the lowest wins
    assert result.labels[2].tolist() == [0, 0, 0, -1, 1, 1, -1]


def test_none_failed_and_all_failed():
    i, j = np.array([0, 1]), np.array([1, 2])
    result = nested_failure_components(4, i, j, np.array([1, 1, 1, 1]), 2)
    assert result.clusters.tolist() == [2, 0]  # 0-1-2 and 3 alone; then nothing works
    assert result.working.tolist() == [4, 0]
    assert result.largest.tolist() == [0, -1]
    assert result.largest_size.tolist() == [3, 0]
    assert result.members(1).tolist() == []
    assert np.all(result.labels[1] == -1)


def test_no_share_and_no_satellite():
    empty = nested_failure_components(3, [0], [1], np.zeros(3, dtype=int), 0)
    assert empty.labels.shape == (0, 3)
    none = nested_failure_components(0, [], [], np.zeros(0, dtype=int), 2)
    assert none.clusters.tolist() == [0, 0] and none.labels.shape == (2, 0)


def test_failed_from_wear_orders_the_shares_and_nests_them():
    wear = np.array([0.05, 0.5, 0.95, 0.2])
    failed_from, order = failed_from_wear(wear, (0.3, 0.0, 0.6))
    assert order.tolist() == [1, 0, 2]  # 0.0, 0.3, 0.6
    # Failed at share s (of 0.0, 0.3, 0.6) when wear < its fraction.
    assert failed_from.tolist() == [1, 2, 3, 1]


@pytest.mark.parametrize(
    "n, i, j, failed_from, shares, message",
    [
        (3, [0, 1], [1], [1, 1, 1], 1, "1-D of one length"),
        (3, [0], [3], [1, 1, 1], 1, "index the 3 satellites"),
        (3, [0], [1], [1, 1], 1, r"one share per satellite, \(3,\)"),
        (3, [0], [1], [1, 2, 1], 1, r"lie in \[0, 1\]"),
        (3, [0], [1], [-1, 1, 1], 1, r"lie in \[0, 1\]"),
        (3, [0.0], [1], [1, 1, 1], 1, "i must hold integers"),
        (3, [0], [1], [1, 1, 1], -1, "must not be negative"),
    ],
)
def test_bad_input_is_refused(n, i, j, failed_from, shares, message):
    with pytest.raises(ValueError, match=message):
        nested_failure_components(n, i, j, np.asarray(failed_from), shares)

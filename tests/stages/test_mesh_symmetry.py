"""The mesh over an orbit by link classes against the mesh built link by link.

The symmetric path (:func:`constellations.stages.mesh_orbit.orbit_snapshots` with
``symmetric=True``) decides one link per class and keeps the candidates' CSR
pattern; the general path builds every snapshot's graph from every satellite's
position.  The authority for the symmetric path is the general path itself,
run on the same positions: it must give exactly the same links, clusters and
metrics at every snapshot, on shells of a few thousand satellites covering
every kind of phasing (``F = 0``; ``gcd(P, F) = 1``, every phase distinct;
``1 < gcd(P, F) < P``), star and delta patterns and a partial band, with the
links opening and closing over the orbit (range and latitude cut-off) and
with failures.

The number of classes comes from Walker's phasing (Walker 1984): satellite
``s`` of plane ``p`` is at ``(s P + p F) mod T`` units of ``2 pi / T``, so a
shell holds ``S P / gcd(P, F)`` distinct phases (``S`` when ``F = 0``, since
``gcd(P, 0) = P``); a delta shell over 360 degrees has one in-plane and one
cross-plane class per phase.

The CSR pattern is checked against ``LinkGraph.adjacency`` (scipy's own COO to
CSR conversion) and networkx's connected components; the planes propagated
alone against the whole shell's propagation.
"""

import math

import networkx as nx
import numpy as np
import pytest

from constellations.model.constellation import Constellation, Shell
from constellations.model.links import LinksDesign
from constellations.stages.grid_classes import grid_link_classes
from constellations.stages.mesh_orbit import mesh_over_orbit, orbit_snapshots
from constellations.stages.network import candidate_edges, node_attributes, shell_grids
from constellations.stages.resolve import resolve
from orbital.candidate_adjacency import CandidateAdjacency
from orbital.link_classes import LinkClasses, equal_node_steps
from orbital.links import LinkGraph
from orbital.network_metrics import components
from orbital.propagation import propagate_walker, propagate_walker_satellites
from orbital.times import TimeGrid

EPOCH = "2027-01-01T00:00:00Z"

#: Shells of 2,000-3,000 satellites: (name, Shell.walker keywords).
SHELLS = {
    "delta F=0": dict(planes=40, sats_per_plane=60, phasing=0),
    "delta gcd(P,F)=1": dict(planes=40, sats_per_plane=60, phasing=7),
    "delta 1<gcd(P,F)<P": dict(planes=40, sats_per_plane=60, phasing=10),
    "star F=3": dict(planes=30, sats_per_plane=80, phasing=3, pattern="star"),
    "band 40 deg F=0": dict(planes=36, sats_per_plane=70, raan_spread_deg=40.0),
}
#: Links that open and close over the orbit: cross-plane links above 60 degrees of
#: latitude are dropped and the 1,000 km range cuts the widest cross-plane gaps
#: (40 planes 9 degrees apart at 6,928 km: 1,088 km at the equator).
LINKS = dict(max_range_km=1000.0, max_cross_plane_latitude_deg=60.0)
FAILED_SHARE = 0.05


def constellation_of(shell_kwargs, **links):
    shell = Shell.walker("w", altitude_km=550.0, inclination_deg=70.0, **shell_kwargs)
    return Constellation("sym", EPOCH, shells=(shell,), links=LinksDesign(**links))


def both_paths(constellation, ts):
    resolved = resolve(constellation, ts)
    design = constellation.links
    grids = shell_grids(resolved, design)
    candidates = candidate_edges(resolved, design, grids)
    period_s = resolved[0].period_min * 60.0
    times_s = np.arange(design.snapshots) * (period_s / design.snapshots)
    failed = np.random.default_rng(3).random(constellation.n_sats) < FAILED_SHARE
    nodes = node_attributes(constellation, [1.0])
    paths = {}
    for symmetric in (True, False):
        paths[symmetric] = list(
            orbit_snapshots(
                constellation,
                resolved,
                design,
                times_s,
                nodes,
                failed=failed,
                symmetric=symmetric,
                grids=grids,
                candidates=candidates,
                ts=ts,
            )
        )
    return resolved, grids, candidates, paths


@pytest.fixture(scope="module", params=list(SHELLS), ids=list(SHELLS))
def case(request, ts):
    constellation = constellation_of(SHELLS[request.param], **LINKS)
    return request.param, constellation, *both_paths(constellation, ts)


def test_symmetric_path_gives_the_same_links_and_clusters_at_every_snapshot(case):
    _, _, _, _, _, paths = case
    changes = 0
    for k, (fast, slow) in enumerate(zip(paths[True], paths[False], strict=True)):
        assert fast.symmetric and not slow.symmetric
        assert np.array_equal(fast.i, slow.i) and np.array_equal(fast.j, slow.j), k
        assert fast.n_components == slow.n_components, k
        assert np.array_equal(fast.labels, slow.labels), k
        assert np.array_equal(fast.labels_with_failures, slow.labels_with_failures), k
        before = paths[True][k - 1]
        changes += k > 0 and not (
            np.array_equal(fast.i, before.i) and np.array_equal(fast.j, before.j)
        )
    assert changes > 0  # links opened or closed: the clusters were found again


def test_link_classes_number_two_per_distinct_phase_on_a_delta_shell(case):
    name, constellation, resolved, grids, candidates, _ = case
    classes = grid_link_classes(resolved, grids, candidates)
    shell = constellation.shells[0]
    planes, per_plane, phasing = shell.planes, shell.sats_per_plane, shell.phasing
    phases = per_plane * planes // math.gcd(planes, phasing)
    assert classes.n_classes <= 2 * phases
    if name.startswith("delta"):
        assert classes.n_classes == 2 * phases
    if phasing == 0:  # every plane the same: 2 S classes against 2 P S links
        assert classes.n_classes <= 2 * per_plane


@pytest.mark.parametrize(
    "name, shed, failures",
    [("delta F=0", False, 0.05), ("star F=3", True, 0.05)],
)
def test_mesh_over_orbit_figures_are_those_of_the_general_path(ts, name, shed, failures):
    constellation = constellation_of(SHELLS[name], failure_fraction=failures, **LINKS)
    resolved = resolve(constellation, ts)
    results = {
        symmetric: mesh_over_orbit(
            constellation,
            resolved,
            constellation.links,
            [50.0],
            shed=shed,
            period_min=resolved[0].period_min,
            ts=ts,
            symmetric=symmetric,
        )
        for symmetric in (True, False)
    }
    fast, slow = results[True], results[False]
    assert fast.snapshot == slow.snapshot
    assert fast.under_failures == slow.under_failures
    for key in ("largest_cluster_sats", "largest_cluster_compute_mw", "links"):
        assert np.array_equal(getattr(fast.over_orbit, key), getattr(slow.over_orbit, key))
    if failures:
        assert np.array_equal(
            fast.over_orbit.largest_cluster_sats_with_failures,
            slow.over_orbit.largest_cluster_sats_with_failures,
        )
    for key in ("i", "j", "length_km", "capacity_gbps"):
        assert np.array_equal(getattr(fast.graph, key), getattr(slow.graph, key))


def test_candidate_pattern_is_scipys_csr_and_its_components_networkxs():
    rng = np.random.default_rng(11)
    n = 300
    pairs = {tuple(sorted(p)) for p in rng.integers(0, n, (400, 2)).tolist() if p[0] != p[1]}
    i, j = (np.array(column) for column in zip(*sorted(pairs), strict=True))
    pattern = CandidateAdjacency.of(n, i, j)
    keep = rng.random(len(i)) < 0.7
    graph = LinkGraph(n, i[keep], j[keep], rng.random(keep.sum()) + 1.0, np.ones(keep.sum()))
    expected = graph.adjacency("length_km")
    values = np.zeros(len(i))
    values[keep] = graph.length_km
    got = pattern.adjacency(keep, values)
    for key in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, key), getattr(expected, key))
    restricted = pattern.restricted(keep)
    assert np.array_equal(restricted.adjacency().toarray(), graph.adjacency().toarray())
    hops = pattern.adjacency(keep)  # a matrix of its own, the caller's to change
    hops.data *= 2.0
    assert np.all(pattern.adjacency(keep).data == 1.0)
    assert np.array_equal(restricted.components()[1], pattern.components(keep)[1])
    n_components, labels = pattern.components(keep)
    reference = nx.Graph()
    reference.add_nodes_from(range(n))
    reference.add_edges_from(zip(i[keep].tolist(), j[keep].tolist(), strict=True))
    parts = list(nx.connected_components(reference))
    assert n_components == len(parts)
    for part in parts:
        assert len({int(labels[v]) for v in part}) == 1
    assert (n_components, labels.tolist()) == (components(graph)[0], components(graph)[1].tolist())


def test_a_pattern_refuses_repeated_pairs_and_self_links():
    with pytest.raises(ValueError, match="each pair once"):
        CandidateAdjacency.of(4, [0, 1], [1, 0])
    with pytest.raises(ValueError, match="different satellites"):
        CandidateAdjacency.of(4, [2], [2])
    with pytest.raises(ValueError, match="0..3"):
        CandidateAdjacency.of(4, [0], [4])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_satellites_propagated_alone_are_the_whole_shells_satellites(ts, dtype):
    """Scattered satellites and whole planes (the mesh's class representatives) turned alone
    are the whole shell's, to the bit, in either precision the snapshots take."""
    constellation = constellation_of(dict(planes=12, sats_per_plane=9, phasing=5))
    walker = resolve(constellation, ts)[0].walker
    grid = TimeGrid.from_offsets(EPOCH, np.linspace(0.0, 5400.0, 7))
    whole = np.concatenate(
        [
            c.positions_km.copy()
            for c in propagate_walker(walker, grid, frame="teme", dtype=dtype, ts=ts)
        ]
    )
    planes = [0, 5, 11]
    chosen = np.concatenate([np.arange(p * 9, p * 9 + 9) for p in planes] + [[20, 61, 100]])
    chosen.sort()
    alone = propagate_walker_satellites(walker, grid, chosen, frame="teme", dtype=dtype, ts=ts)
    assert alone.dtype == dtype
    assert np.array_equal(alone, whole[chosen])
    with pytest.raises(ValueError, match="0..107"):
        propagate_walker_satellites(walker, grid, [108], frame="teme", ts=ts)


@pytest.mark.parametrize(
    "raan_deg, wrap, equal",
    [
        (np.arange(8) * 45.0, True, True),
        ((np.arange(8) * 45.0 + 300.0) % 360.0, True, True),  # nodes wrapped past 360
        (np.arange(8) * 5.0, False, True),  # a band
        (np.arange(8) * 5.0, True, False),  # a band's seam is not a step
        (np.array([0.0, 45.0, 91.0, 135.0]), False, False),
    ],
)
def test_equal_node_steps(raan_deg, wrap, equal):
    assert equal_node_steps(raan_deg, wrap) is equal


def test_link_classes_take_each_keys_first_link_as_representative():
    classes = LinkClasses.of([5, 3, 5, 7, 3])
    assert classes.representative.tolist() == [1, 0, 3]  # keys 3, 5, 7 in order
    assert classes.of_link.tolist() == [1, 0, 1, 2, 0]
    assert classes.spread(np.array([10, 20, 30])).tolist() == [20, 10, 20, 30, 10]


@pytest.mark.parametrize("high", [50, 10**9])  # counted in a table, or sorted
def test_link_classes_by_table_or_sort_are_the_brute_force_classes(high):
    keys = np.random.default_rng(4).integers(0, high, size=200)
    keys[::7] = keys[0]  # some repeats whatever the draw
    classes = LinkClasses.of(keys)
    distinct = sorted(set(keys.tolist()))
    assert classes.representative.tolist() == [keys.tolist().index(k) for k in distinct]
    assert classes.of_link.tolist() == [distinct.index(k) for k in keys.tolist()]

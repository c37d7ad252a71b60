"""Exact diameters of Walker +Grid meshes from their symmetry, against brute force.

Authorities, kept independent of the code under test:

- networkx's ``diameter`` (every source, hops and weighted) on the same graphs.
- Closed forms: the ``P x S`` torus has hop diameter ``floor(P/2) + floor(S/2)`` and the
  ``P``-plane cylinder ``(P - 1) + floor(S/2)`` (distances add over the factors of a
  Cartesian product).
- Circular Keplerian positions (Walker 1984): satellite ``s`` of plane ``p`` at argument of
  latitude ``u = 2 pi (s P + p F) / (P S)`` on the plane of node ``p * spread / P``.
"""

import math

import networkx as nx
import numpy as np
import pytest
from scipy.sparse import coo_array

from orbital import network_metrics
from orbital.links import LinkGraph, plus_grid_edges
from orbital.network_metrics import (
    GridLayout,
    bounding_diameter,
    diameter,
    plane_ring_diameter,
    plus_grid_hop_diameter,
)

#: Speed of light, km/s (exact, SI).
LIGHT_KM_S = 299_792.458
#: Radius of a 550 km circular orbit on the IERS Earth (6378.1366 km), km.
ORBIT_RADIUS_KM = 6928.1366
INCLINATION_DEG = 53.0
#: networkx sums the same link lengths in another order: float64 rounding of a few hundred.
FLOAT_RTOL = 1e-12


def walker_positions_km(planes, sats_per_plane, phasing, spread_deg=360.0, theta_rad=0.3):
    """Circular Keplerian positions ``(P S, 3)`` km at one instant (index ``p S + s``)."""
    p, s = np.divmod(np.arange(planes * sats_per_plane), sats_per_plane)
    u = theta_rad + 2 * np.pi * (s * planes + p * phasing) / (planes * sats_per_plane)
    node = np.radians(spread_deg) * p / planes
    inc = np.radians(INCLINATION_DEG)
    x_orb, y_orb = np.cos(u), np.sin(u)
    x = x_orb * np.cos(node) - y_orb * np.cos(inc) * np.sin(node)
    y = x_orb * np.sin(node) + y_orb * np.cos(inc) * np.cos(node)
    z = y_orb * np.sin(inc)
    return ORBIT_RADIUS_KM * np.stack([x, y, z], axis=1)


def walker_mesh(layout: GridLayout, phasing, *, spread_deg=360.0, max_latitude_deg=90.0):
    """The +Grid of ``layout`` at one instant, cross-plane links cut above a latitude."""
    pos = walker_positions_km(layout.planes, layout.sats_per_plane, phasing, spread_deg)
    i, j, cross = plus_grid_edges(
        layout.planes,
        layout.sats_per_plane,
        wrap_planes=layout.wrap_planes,
        offset=layout.offset,
        seam_offset=layout.seam_offset or 0,
    )
    sin_lat = np.abs(pos[:, 2]) / np.linalg.norm(pos, axis=1)
    limit = math.sin(math.radians(max_latitude_deg))
    keep = ~cross | ((sin_lat[i] <= limit) & (sin_lat[j] <= limit))
    i, j = i[keep], j[keep]
    length = np.linalg.norm(pos[i] - pos[j], axis=1)
    return LinkGraph(layout.n, i, j, length, np.full(len(i), 100.0))


def brute_force(graph: LinkGraph):
    """networkx's hop and latency diameters (every source)."""
    g = graph.to_networkx()
    return nx.diameter(g), nx.diameter(g, weight="latency_ms")


@pytest.fixture
def no_all_sources(monkeypatch):
    """Small meshes take the symmetric paths instead of every source."""
    monkeypatch.setattr(network_metrics, "EXACT_DIAMETER_MAX_NODES", 0)


# --------------------------------------------------------------------- hops, closed form


TWISTED = [(p, s, t) for p in range(2, 8) for s in range(2, 9) for t in range(s)]


def torus_hops(planes, sats_per_plane, twist):
    i, j = GridLayout(planes, sats_per_plane, seam_offset=twist).edges()
    return nx.diameter(nx.Graph(list(zip(i.tolist(), j.tolist(), strict=True))))


def test_hop_diameter_of_a_twisted_torus_is_networkx_s():
    for planes, sats_per_plane, twist in TWISTED:
        layout = GridLayout(planes, sats_per_plane, offset=0, seam_offset=twist)
        assert plus_grid_hop_diameter(layout) == torus_hops(planes, sats_per_plane, twist)


def test_a_twist_keeps_the_torus_closed_form_only_when_the_ring_half_turn_survives():
    # The middle plane(s) reach the antipodal slot without (winding 0) or with (winding 1)
    # the twist; the closed form holds while one of them still needs the half-turn.
    kept = shortened = 0
    for planes, sats_per_plane, twist in TWISTED:
        if planes == 2 or sats_per_plane == 2:
            continue  # two planes or slots are one link, not a ring
        found = torus_hops(planes, sats_per_plane, twist)
        r = min(twist, sats_per_plane - twist)
        keeps = r <= (planes % 2) + (sats_per_plane % 2)
        closed_form = planes // 2 + sats_per_plane // 2
        assert found <= closed_form
        assert (found == closed_form) == keeps, (planes, sats_per_plane, twist)
        kept, shortened = kept + keeps, shortened + (not keeps)
    assert kept and shortened


@pytest.mark.parametrize("planes, sats_per_plane, offset", [(3, 5, 0), (4, 6, 2), (6, 3, 1)])
def test_hop_diameter_of_a_cylinder_is_the_product_s(planes, sats_per_plane, offset):
    layout = GridLayout(planes, sats_per_plane, offset=offset)
    i, j = layout.edges()
    expected = nx.diameter(nx.Graph(list(zip(i.tolist(), j.tolist(), strict=True))))
    assert plus_grid_hop_diameter(layout) == expected == (planes - 1) + sats_per_plane // 2


# -------------------------------------------------------------- diameters of Walker shells

#: Walker shells: (planes, sats per plane, phasing, partner offset, pattern).
SHELLS = [
    (9, 12, 0, 0, "delta"),
    (8, 10, 0, 1, "delta"),
    (8, 10, 0, 0, "star"),
    (7, 9, 3, 0, "delta"),
    (6, 10, 1, 1, "delta"),
    (10, 8, 5, 0, "delta"),
    (6, 8, 2, 0, "star"),
]


def layout_of(planes, sats_per_plane, phasing, offset, pattern):
    seam = (offset + phasing) % sats_per_plane if pattern == "delta" else None
    return GridLayout(planes, sats_per_plane, offset=offset, seam_offset=seam)


@pytest.mark.parametrize("max_latitude_deg", [90.0, 45.0])
@pytest.mark.parametrize("planes, sats_per_plane, phasing, offset, pattern", SHELLS)
def test_diameters_of_walker_shells_are_networkx_s(
    no_all_sources, planes, sats_per_plane, phasing, offset, pattern, max_latitude_deg
):
    layout = layout_of(planes, sats_per_plane, phasing, offset, pattern)
    spread = 360.0 if pattern == "delta" else 180.0
    graph = walker_mesh(layout, phasing, spread_deg=spread, max_latitude_deg=max_latitude_deg)
    members = np.arange(graph.n)
    hops_true, latency_true = brute_force(graph)
    hops = diameter(graph, members, layouts=[layout])
    latency = diameter(graph, members, weight="latency_ms", layouts=[layout])
    assert hops.exact and hops.value == hops_true
    assert latency.exact
    assert latency.value == pytest.approx(latency_true, rel=FLOAT_RTOL)
    whole = max_latitude_deg == 90.0
    if whole:
        assert hops_true == plus_grid_hop_diameter(layout)
    rings = offset == 0 and phasing == 0  # partners in the same slot, planes alike
    rotation = phasing == 0 and pattern == "delta"  # turning the planes one on: a symmetry
    if rings:
        assert latency.method == "plane rings"
    elif rotation:
        assert latency.method == "one source per slot, plane rotation"
    else:
        assert latency.method.startswith("bounding")
    if whole:
        how = "vertex-transitive" if pattern == "delta" else "end plane"
        assert hops.method == f"one source, {how}"
    elif rings:
        assert hops.method == "plane rings"
    elif rotation:
        assert hops.method == "one source per slot, plane rotation"


def moved_lengths(graph: LinkGraph, planes, per_plane, plane_step, slot_step):
    """Lengths of the images of the links among planes ``0..P-1-plane_step`` under the
    translation ``(p, s) -> (p + plane_step, s + slot_step)``, and the links' own lengths."""
    n = graph.n
    key = np.minimum(graph.i, graph.j) * n + np.maximum(graph.i, graph.j)
    length = dict(zip(key.tolist(), graph.length_km.tolist(), strict=True))
    p, s = np.divmod(np.stack([graph.i, graph.j]), per_plane)
    inner = np.all(p < planes - plane_step, axis=0)
    moved = (p[:, inner] + plane_step) * per_plane + (s[:, inner] + slot_step) % per_plane
    moved_key = np.minimum(moved[0], moved[1]) * n + np.maximum(moved[0], moved[1])
    return np.array([length[k] for k in moved_key.tolist()]), graph.length_km[inner]


@pytest.mark.parametrize(
    "phasing, plane_step, slot_step, kept",
    [
        (0, 1, 0, True),  # F = 0: the rotation p -> p + 1 about the axis, at one instant
        (1, 1, 0, False),  # F = 1: plane p + 1 lags 2 pi F / T behind the image of plane p
        (4, 1, 0, False),
        (4, 2, -1, True),  # gcd(P, F) = 4: two planes on and a slot back, phase unchanged
        (1, 0, 1, False),  # a slot on: every satellite 2 pi / S further round
        (1, 0, 5, True),  # half a plane on: the antipodes, the same chords (Keplerian only)
    ],
)
def test_which_translations_keep_every_link_length_at_one_instant(
    phasing, plane_step, slot_step, kept
):
    planes, per_plane = 8, 10
    graph = walker_mesh(GridLayout(planes, per_plane, seam_offset=phasing), phasing)
    moved, own = moved_lengths(graph, planes, per_plane, plane_step, slot_step)
    assert np.allclose(moved, own, rtol=1e-12, atol=0.0) == kept


def test_plane_rings_refuse_a_seam_that_shifts_the_slot():
    layout = GridLayout(8, 10, offset=0, seam_offset=1)
    graph = walker_mesh(layout, 1)
    assert plane_ring_diameter(layout, graph.i, graph.j, graph.length_km) is None


def test_plane_rings_bracket_a_mesh_whose_planes_differ():
    # Lengths perturbed plane by plane: the rings of the lightest and heaviest links bound
    # the truth from both sides.
    layout = GridLayout(9, 12, offset=0, seam_offset=0)
    graph = walker_mesh(layout, 0)
    rng = np.random.default_rng(1)
    length = graph.length_km * (1.0 + 0.05 * rng.random(graph.n_links))
    graph = LinkGraph(graph.n, graph.i, graph.j, length, graph.capacity_gbps)
    _, latency_true = brute_force(graph)
    lower, upper = plane_ring_diameter(layout, graph.i, graph.j, graph.latency_ms)
    assert lower <= latency_true * (1 + FLOAT_RTOL)
    assert latency_true <= upper * (1 + FLOAT_RTOL)
    assert upper > lower * 1.01


def test_plane_rings_bracket_a_mesh_with_a_link_repeated_at_another_weight():
    # A link named twice, heavier the second time: the lower bound takes the lighter (the
    # one a shortest path uses), the upper the heavier; networkx keeps the lighter.
    layout = GridLayout(9, 12, offset=0, seam_offset=0)
    graph = walker_mesh(layout, 0)
    i = np.append(graph.i, graph.i[0])
    j = np.append(graph.j, graph.j[0])
    latency = np.append(graph.latency_ms, 3.0 * graph.latency_ms[0])
    _, latency_true = brute_force(graph)
    lower, upper = plane_ring_diameter(layout, i, j, latency)
    assert lower == pytest.approx(latency_true, rel=FLOAT_RTOL)
    assert upper > lower * 1.01  # the heavier copy breaks the planes' likeness
    assert upper * (1 + FLOAT_RTOL) >= latency_true


def test_plane_rings_of_planes_alike_to_rounding_are_exact_with_the_gap_stated():
    # Lengths of the rotated planes differ in their last bits only: one transform, and the
    # upper bound is the lower scaled by the largest relative difference (within the
    # rounding tolerance the diameters call exact).
    layout = GridLayout(9, 12, offset=0, seam_offset=0)
    graph = walker_mesh(layout, 0)
    rng = np.random.default_rng(3)
    latency = graph.latency_ms * (1.0 + 1e-13 * rng.random(graph.n_links))
    lower, upper = plane_ring_diameter(layout, graph.i, graph.j, latency)
    _, latency_true = brute_force(graph)
    assert lower == pytest.approx(latency_true, rel=FLOAT_RTOL)
    assert lower <= upper <= lower * (1.0 + network_metrics.DIAMETER_RTOL)


@pytest.mark.parametrize("weight", [None, "latency_ms"])
def test_failed_satellites_fall_back_to_bounding(no_all_sources, weight):
    layout = GridLayout(9, 12, offset=0, seam_offset=0)
    graph = walker_mesh(layout, 0)
    failed = np.zeros(graph.n, dtype=bool)
    failed[[5, 40, 77]] = True
    degraded = graph.without_nodes(failed)
    members = np.flatnonzero(~failed)
    g = degraded.to_networkx().subgraph(members.tolist())
    truth = nx.diameter(g, weight=weight)
    found = diameter(degraded, members, weight=weight, layouts=[layout])
    assert found.method.startswith("bounding")
    assert found.exact  # small enough for the bounds to meet within the budget
    assert found.value == pytest.approx(truth, rel=FLOAT_RTOL)


def test_a_double_sweep_grows_two_trees_and_brackets_the_truth(no_all_sources, monkeypatch):
    """least_sources=2 (the failure sweep's): two trees when the work budget allows no more,
    and the bracket still holds networkx's diameter of the degraded mesh."""
    monkeypatch.setattr(network_metrics, "DIAMETER_WORK_LINKS", 0)
    layout = GridLayout(9, 12, offset=0, seam_offset=0)
    graph = walker_mesh(layout, 0)
    failed = np.zeros(graph.n, dtype=bool)
    failed[[5, 40, 77, 90]] = True
    degraded = graph.without_nodes(failed)
    members = np.flatnonzero(~failed)
    truth = nx.diameter(degraded.to_networkx().subgraph(members.tolist()))
    found = diameter(degraded, members, layouts=[layout], least_sources=2)
    assert found.method.endswith("2 sources")
    assert found.lower <= truth <= found.upper


@pytest.mark.parametrize("seed", range(2))
def test_bounding_brackets_random_graphs_with_any_budget(seed):
    from scipy.sparse.csgraph import shortest_path

    g = nx.connected_watts_strogatz_graph(150, 4, 0.1, seed=seed)
    rng = np.random.default_rng(seed)
    for a, b in g.edges:
        g.edges[a, b]["w"] = float(rng.uniform(1.0, 3.0))
    matrix = nx.to_scipy_sparse_array(g, weight="w", format="csr")
    truth = float(np.max(shortest_path(matrix, directed=False)))
    assert truth == pytest.approx(nx.diameter(g, weight="w"), rel=FLOAT_RTOL)
    for budget in (1, 2, 5, 150):
        lower, upper, used = bounding_diameter(matrix, unweighted=False, max_sources=budget)
        assert used <= budget
        assert lower <= truth * (1 + FLOAT_RTOL) and truth <= upper * (1 + FLOAT_RTOL)
    assert lower == pytest.approx(truth, rel=FLOAT_RTOL) == upper


@pytest.mark.parametrize("weight", [None, "latency_ms"])
@pytest.mark.parametrize("budget", [1, 3, 1000])
def test_bounding_over_slots_brackets_and_then_meets_networkx(
    no_all_sources, monkeypatch, weight, budget
):
    # A phasing-0 delta shell with partners a slot on and links cut above 45 degrees: the
    # slots are its symmetry classes; with the one-search-per-slot path switched off, the
    # bounding over slots brackets the truth with any budget and meets it with enough.
    monkeypatch.setattr(network_metrics, "DIAMETER_EXACT_WORK_LINKS", 0)
    monkeypatch.setattr(network_metrics, "DIAMETER_SWEEPS", budget)
    monkeypatch.setattr(network_metrics, "DIAMETER_WORK_LINKS", 0)
    layout = GridLayout(8, 10, offset=1, seam_offset=1)
    graph = walker_mesh(layout, 0, max_latitude_deg=45.0)
    truth = nx.diameter(graph.to_networkx(), weight=weight)
    found = diameter(graph, np.arange(graph.n), weight=weight, layouts=[layout])
    assert found.method.startswith("bounding over slots")
    assert found.lower <= truth * (1 + FLOAT_RTOL) and truth <= found.upper * (1 + FLOAT_RTOL)
    assert found.gap == (0.0 if found.exact else found.upper - found.lower)
    if budget == 1000:
        assert found.exact and found.value == pytest.approx(truth, rel=FLOAT_RTOL)


@pytest.mark.parametrize("planes, sats_per_plane, phasing, offset, pattern", SHELLS)
def test_a_whole_grid_is_told_from_one_with_a_link_moved(
    planes, sats_per_plane, phasing, offset, pattern
):
    """The lattice check (no sort) against the set of plus_grid_edges' own links."""
    layout = layout_of(planes, sats_per_plane, phasing, offset, pattern)
    i, j = layout.edges()
    assert network_metrics._is_whole_grid(layout, i, j)
    assert network_metrics._is_whole_grid(layout, j[::-1], i[::-1])  # either end first
    assert not network_metrics._is_whole_grid(layout, i[1:], j[1:])  # a link cut
    cross = np.flatnonzero(i // sats_per_plane != j // sats_per_plane)[0]
    moved = j.copy()
    moved[cross] = (j[cross] // sats_per_plane) * sats_per_plane + (
        j[cross] % sats_per_plane + 2
    ) % sats_per_plane  # the partner two slots on: a link the +Grid does not have
    assert not network_metrics._is_whole_grid(layout, i, moved)
    doubled = np.concatenate([i[:-1], i[:1]]), np.concatenate([j[:-1], j[:1]])
    assert not network_metrics._is_whole_grid(layout, *doubled)  # as many, one named twice
    # The same verdicts read from the rows of the cluster's matrix in local order (None:
    # fewer than 3 planes or slots, left to the check on links).
    n = layout.n

    def rows(a, b):
        ones = np.ones(2 * len(a))
        ends = (np.concatenate([a, b]), np.concatenate([b, a]))
        return coo_array((ones, ends), shape=(n, n)).tocsr()

    local = np.arange(n)
    verdicts = [
        network_metrics._whole_grid_in_order(layout, rows(*links), local)
        for links in ((i, j), (i[1:], j[1:]), (i, moved), doubled)
    ]
    if min(planes, sats_per_plane) < 3:
        assert verdicts == [None] * 4
    else:
        assert verdicts == [True, False, False, False]
        shuffled = np.roll(local, 1)  # nodes not in local order: not read from the rows
        assert network_metrics._whole_grid_in_order(layout, rows(i, j), shuffled) is None


@pytest.mark.parametrize(
    "per_plane, cut_every, chunk_cells", [(7, 0, 10**6), (40, 3, 50), (9, 2, 1)]
)
def test_the_ladder_transform_is_a_dijkstra_from_every_slot(
    monkeypatch, per_plane, cut_every, chunk_cells
):
    """Two rings of unequal links joined by rungs (some missing): the distance transform
    against scipy's dijkstra on the ladder itself, in chunks of a few rows or all at once."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import dijkstra

    monkeypatch.setattr(network_metrics, "LADDER_CHUNK_CELLS", chunk_cells)
    rng = np.random.default_rng(per_plane)
    ring = rng.uniform(1.0, 5.0, per_plane)
    rung = rng.uniform(0.5, 30.0, per_plane)
    if cut_every:
        rung[::cut_every] = np.inf
    s = np.arange(per_plane)
    nxt = (s + 1) % per_plane
    has = np.isfinite(rung)
    rows = np.concatenate([s, per_plane + s, s[has]])
    cols = np.concatenate([nxt, per_plane + nxt, per_plane + s[has]])
    data = np.concatenate([ring, ring, rung[has]])
    ladder = coo_array((data, (rows, cols)), shape=(2 * per_plane,) * 2).tocsr()
    expected = dijkstra(ladder, directed=False, indices=s)[:, per_plane:].max()
    found = network_metrics._ladder_eccentricity(ring, rung)
    assert found == pytest.approx(expected, rel=FLOAT_RTOL)

"""The laser mesh: which links close, the +Grid it forms, its metrics, the JSON, GraphML and CLI.

Authorities, kept independent of the code under test:

- networkx (its generators and algorithms): ``grid_2d_graph(P, S, periodic=True)`` is the
  ``P x S`` +Grid torus; ``connected_components``, ``diameter`` (hops and weighted),
  ``minimum_cut`` (max-flow) and ``cut_size`` measure the same graphs.
- Closed forms: two satellites at radius ``r = R + h`` separated by a central angle
  ``theta`` are ``2 r sin(theta/2)`` apart and their chord's lowest point is at altitude
  ``r cos(theta/2) - R``; the torus has ``2 P S`` links and hop diameter
  ``floor(P/2) + floor(S/2)`` (distances add over the two cycles of a Cartesian product,
  so with in-plane links ``a`` and cross-plane links ``b`` long the latency diameter is
  ``(floor(P/2) b + floor(S/2) a) / c``); an unwrapped ``P x S`` cylinder has
  ``P S + (P - 1) S`` links and hop diameter ``(P - 1) + floor(S/2)``; the minimum
  bisection of a ``P x S`` torus with ``P <= S``, ``S`` even, is ``2 P`` links (checked
  here by brute force over every balanced split); the ring all-reduce takes
  ``2 (N - 1)/N * 8 M / B + 2 (N - 1) t_hop`` (Patarasuk & Yuan 2009).
- Walker's phasing (Walker 1984): satellite ``s`` of plane ``p`` is at argument of latitude
  ``u = 360 (s/S + p F/(P S))`` degrees at the epoch; in a delta shell the first plane is
  the last turned by ``360/P`` with its slots renumbered by ``F``, so the seam's partner
  lies ``F`` slots beyond the ordinary one.
- The cross-plane partner a brute force over every offset picks (``tests/partner_oracle.py``,
  python-sgp4 called directly); its own tests are in ``test_cross_plane_partners.py``.
- The Sun for the eclipse check: the Astronomical Almanac's low-precision solar
  coordinates (0.01 degree over 1950-2050), with a cylindrical Earth shadow.
"""

import itertools
import json
import math

import networkx as nx
import numpy as np
import pytest
from helpers import run_cli_in_process as run_cli
from partner_oracle import offset_table

from constellations.io.graphml import write_graphml
from constellations.model.constellation import Constellation, Shell
from constellations.model.links import LinksDesign
from constellations.model.satellite import SatelliteDesign
from constellations.planner import plan
from constellations.records import edge_list_record, network_record, plan_record, to_json_text
from constellations.stages.mesh_orbit import mesh_over_orbit, positions_at
from constellations.stages.network import build_graph, candidate_edges
from constellations.stages.resolve import resolve
from orbital.links import (
    PARTNER_SAMPLES,
    LinkGraph,
    graph_from_networkx,
    grazing_altitude_km,
    link_lengths_km,
    links_close,
    nearest_edges,
    plus_grid_edges,
)
from orbital.network_metrics import (
    EXACT_DIAMETER_MAX_NODES,
    bisection_gbps,
    components,
    cut_capacity_gbps,
    diameter,
    largest_component,
    ring_allreduce_s,
)

#: Equatorial radius of the Earth, km (IERS Conventions 2010, table 1.1).
EARTH_RADIUS_IERS_KM = 6378.1366
#: Speed of light, km/s (exact, SI).
LIGHT_KM_S = 299_792.458
#: The planner's grazing altitude, an assumption: the beam stays above the mesosphere.
GRAZING_KM = 80.0
EPOCH = "2027-01-01T00:00:00Z"

#: Float64 geometry at 7,000 km is good to about 1e-12 of it; a millimetre is far above that.
GEOMETRY_ATOL_KM = 1e-6
#: Margin either side of a threshold (grazing altitude, range): 10 m, far above rounding
#: and far below anything physical; it also covers a radius differing by 0.4 m (WGS-84's
#: 6378.137 km against the IERS 6378.1366 km).
THRESHOLD_MARGIN_KM = 0.01
#: A segment sampled at 200,001 points finds its lowest point to (step/2)^2 / (2 r):
#: well under a metre for chords up to 10,000 km.
SAMPLED_MIN_ATOL_KM = 1e-3
#: Sums and ratios of float64 lengths and latencies: a few ulps.
FLOAT_RTOL = 1e-12
#: The JSON edge list rounds lengths to 1 m and latencies to 0.1 us: half a unit, plus ulps.
EDGE_LIST_LENGTH_ATOL_KM = 0.5e-3 + 1e-9
EDGE_LIST_LATENCY_ATOL_MS = 0.5e-4 + 1e-12
#: Satellites near the shadow edge (a penumbra of some 70 km of track, a cylinder against a
#: cone, TEME against the Almanac's mean equator: 0.4 deg, about 40 km) may count either
#: way: two satellites' compute.
SHADOW_EDGE_SATS = 2


# ----------------------------------------------------------------------------- helpers


def edge_set(i, j) -> set[tuple[int, int]]:
    pairs = zip(np.asarray(i).tolist(), np.asarray(j).tolist(), strict=True)
    return {(min(a, b), max(a, b)) for a, b in pairs}


def product_edges(planes: int, sats_per_plane: int, periodic) -> set[tuple[int, int]]:
    """networkx's grid, nodes ``(p, s)`` numbered ``p * S + s`` as the planner numbers them."""
    grid = nx.grid_2d_graph(planes, sats_per_plane, periodic=periodic)
    return edge_set(
        [p * sats_per_plane + s for (p, s), _ in grid.edges()],
        [p * sats_per_plane + s for _, (p, s) in grid.edges()],
    )


def grid_edges(planes, sats_per_plane, offset=0, seam_offset=None) -> set[tuple[int, int]]:
    """The +Grid built here: each plane's ring, slot ``s`` of plane ``p`` to slot
    ``s + offset`` of plane ``p + 1``, and the last plane's slot ``s`` to the first plane's
    slot ``s + seam_offset`` (no seam when None)."""
    edges = set()

    def add(p1, s1, p2, s2):
        a = p1 * sats_per_plane + s1 % sats_per_plane
        b = p2 * sats_per_plane + s2 % sats_per_plane
        if a != b:
            edges.add((min(a, b), max(a, b)))

    for p in range(planes):
        for s in range(sats_per_plane):
            add(p, s, p, s + 1)
            if p < planes - 1:
                add(p, s, p + 1, s + offset)
            elif seam_offset is not None and planes > 1:
                add(p, s, 0, s + seam_offset)
    return edges


def brute_force_offset(resolved_shell, epoch=EPOCH, **limits) -> int:
    """The partner offset a brute force over every offset picks; the shells here have one."""
    best = offset_table(resolved_shell, epoch, 0, 1, PARTNER_SAMPLES, **limits).best()
    assert len(best) == 1
    return best.pop()


def brute_force_grid(resolved_shell, epoch=EPOCH) -> set[tuple[int, int]]:
    """The +Grid of a shell with the brute-force partner (the seam's ``F`` slots further on)."""
    shell = resolved_shell.shell
    offset = brute_force_offset(resolved_shell, epoch)
    seam = offset + shell.phasing if shell.spread_deg == 360.0 else None
    return grid_edges(shell.planes, shell.sats_per_plane, offset, seam)


def graph_of(i, j, n, length_km=None, capacity_gbps=100.0) -> LinkGraph:
    i, j = np.asarray(i, dtype=int), np.asarray(j, dtype=int)
    length = np.full(len(i), 1000.0) if length_km is None else np.asarray(length_km, float)
    return LinkGraph(n, i, j, length, np.full(len(i), capacity_gbps))


def nx_graph(n, i, j, length_km, capacity_gbps) -> nx.Graph:
    """The same mesh built for networkx directly from the arrays (not via to_networkx)."""
    g = nx.Graph()
    g.add_nodes_from(range(n))
    columns = (i.tolist(), j.tolist(), length_km.tolist(), capacity_gbps.tolist())
    for a, b, d, c in zip(*columns, strict=True):
        g.add_edge(a, b, latency_ms=d / LIGHT_KM_S * 1e3, capacity_gbps=c)
    return g


def on_circle(radius_km, angle_deg, rotation=None):
    """Points at ``radius_km`` on a great circle, ``(n, 3)``; optionally rotated."""
    a = np.radians(np.atleast_1d(angle_deg))
    points = np.stack([np.cos(a), np.sin(a), np.zeros_like(a)], axis=-1) * np.asarray(
        radius_km, dtype=float
    ).reshape(-1, 1)
    return points if rotation is None else points @ rotation.T


def random_rotation(rng):
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    return q * np.sign(np.diag(r))


def sampled_lowest_altitude_km(r1, r2, samples=200_001):
    """Lowest altitude along the segment, by sampling it (an independent method)."""
    t = np.linspace(0.0, 1.0, samples)[:, None]
    return float(np.min(np.linalg.norm(r1 + t * (r2 - r1), axis=1)) - EARTH_RADIUS_IERS_KM)


def walker(planes, sats_per_plane, altitude_km=340.0, **kwargs):
    return Shell.walker(
        "w",
        altitude_km=altitude_km,
        inclination_deg=53.0,
        planes=planes,
        sats_per_plane=sats_per_plane,
        **kwargs,
    )


def network_of(shell, ts, compute_kw=100.0, shed=False, **links):
    """The network stage of one shell: the mesh at the epoch, its failures, over one orbit."""
    constellation = Constellation("links", EPOCH, shells=(shell,), links=LinksDesign(**links))
    resolved = resolve(constellation, ts)
    return mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        [compute_kw],
        shed=shed,
        period_min=resolved[0].period_min,
        ts=ts,
    )


def record_of(shell, ts, compute_kw=100.0, shed=False, **links):
    """:func:`network_of` as its plan-JSON record (the contract, read by key)."""
    return network_record(network_of(shell, ts, compute_kw, shed, **links))


def brute_force_min_bisection(members, i, j, capacity):
    """Least capacity crossing any split of ``members`` into len//2 and the rest."""
    members = np.asarray(members)
    inside = np.isin(i, members) & np.isin(j, members)
    position = {int(m): k for k, m in enumerate(members)}
    a = np.array([position[int(v)] for v in i[inside]], dtype=int)
    b = np.array([position[int(v)] for v in j[inside]], dtype=int)
    cap = capacity[inside]
    half = len(members) // 2
    combos = np.array(list(itertools.combinations(range(len(members)), half)), dtype=int)
    side = np.zeros((len(combos), len(members)), dtype=bool)
    np.put_along_axis(side, combos, True, axis=1)
    cuts = (side[:, a] != side[:, b]).astype(float) @ cap
    best = int(np.argmin(cuts))
    return float(cuts[best]), members[side[best]]


def nx_split_capacity(graph: nx.Graph, side_a, side_b, weight="capacity_gbps") -> float:
    """Max-flow (= min-cut) between the two halves held by infinite ties to a source and sink."""
    flow = nx.DiGraph()
    for u, v, data in graph.edges(data=True):
        flow.add_edge(u, v, capacity=data[weight])
        flow.add_edge(v, u, capacity=data[weight])
    for u in side_a:
        flow.add_edge("source", int(u))  # no capacity: infinite in networkx
    for v in side_b:
        flow.add_edge(int(v), "sink")
    value, _ = nx.minimum_cut(flow, "source", "sink")
    return float(value)


# ----------------------------------------------------------------------------- +Grid invariants


@pytest.mark.parametrize(
    "planes, sats_per_plane",
    [(3, 3), (3, 4), (4, 3), (4, 4), (3, 7), (5, 4), (4, 6), (6, 5), (7, 8)],
)
def test_plus_grid_with_phasing_0_is_the_networkx_torus(planes, sats_per_plane):
    n = planes * sats_per_plane
    i, j, cross = plus_grid_edges(planes, sats_per_plane, wrap_planes=True)
    assert len(i) == 2 * n
    assert np.all(i != j)
    edges = edge_set(i, j)
    assert len(edges) == len(i), "a link is listed twice"
    assert edges == product_edges(planes, sats_per_plane, periodic=True)
    np.testing.assert_array_equal(cross, (i // sats_per_plane) != (j // sats_per_plane))

    torus = nx.grid_2d_graph(planes, sats_per_plane, periodic=True)
    mesh = nx.Graph(list(edges))
    assert sorted(d for _, d in mesh.degree()) == sorted(d for _, d in torus.degree()) == [4] * n
    if n <= 30:
        assert nx.is_isomorphic(mesh, torus)
    graph = graph_of(i, j, n)
    n_components, labels = components(graph)
    assert n_components == 1
    hops = diameter(graph, largest_component(graph, labels))
    expected = planes // 2 + sats_per_plane // 2
    assert hops.exact and hops.value == expected == nx.diameter(torus)


@pytest.mark.parametrize(
    "planes, sats_per_plane, altitude_km",
    [(5, 5, 2000.0), (5, 6, 2000.0), (6, 7, 2000.0), (8, 6, 2000.0), (12, 12, 340.0)],
)
def test_planner_mesh_of_a_delta_shell_where_every_link_closes_is_the_grid(
    ts, planes, sats_per_plane, altitude_km
):
    # At 2,000 km chords up to 79 deg clear 80 km, at 340 km up to 32 deg: these shells'
    # in-plane (360/S) and cross-plane neighbours all see each other.  Sheared by the node
    # step, most of them link the slot behind (a twisted torus); (8, 6) links the same slot.
    n = planes * sats_per_plane
    shell = walker(planes, sats_per_plane, altitude_km)
    result = network_of(shell, ts, max_range_km=1e5, snapshots=4)
    record, graph = network_record(result), result.graph
    resolved = resolve(Constellation("links", EPOCH, shells=(shell,)), ts)[0]
    expected = brute_force_grid(resolved)
    assert edge_set(graph.i, graph.j) == expected
    assert record["links"] == 2 * n
    assert record["components"] == 1
    assert record["largest_cluster_sats"] == n
    assert record["hop_diameter"] == nx.diameter(nx.Graph(list(expected)))
    if brute_force_offset(resolved) == 0:
        assert expected == product_edges(planes, sats_per_plane, periodic=True)
        assert record["hop_diameter"] == planes // 2 + sats_per_plane // 2
    assert record["diameter_exact"] is True
    latency = nx.diameter(graph.to_networkx(), weight="latency_ms")
    assert record["latency_diameter_ms"] == pytest.approx(latency, rel=FLOAT_RTOL)
    assert record["over_orbit"]["min_links"] == 2 * n
    assert record["over_orbit"]["min_largest_cluster_sats"] == n


@pytest.mark.parametrize(
    "planes, sats_per_plane, offset, seam_offset",
    [(3, 4, 0, 1), (3, 4, 3, 1), (4, 5, 4, 0), (4, 5, 1, 2), (4, 6, 5, 1), (5, 3, 2, 2)]
    + [(7, 9, 8, 2), (6, 4, 3, 2)],
)
def test_plus_grid_links_the_given_partners_with_degree_4(
    planes, sats_per_plane, offset, seam_offset
):
    n = planes * sats_per_plane
    i, j, cross = plus_grid_edges(
        planes, sats_per_plane, wrap_planes=True, offset=offset, seam_offset=seam_offset
    )
    assert len(edge_set(i, j)) == len(i) == 2 * n
    assert edge_set(i, j) == grid_edges(planes, sats_per_plane, offset, seam_offset)
    np.testing.assert_array_equal(np.bincount(np.concatenate([i, j]), minlength=n), 4)
    np.testing.assert_array_equal(cross, (i // sats_per_plane) != (j // sats_per_plane))
    # Each satellite has one neighbour in the next plane and one in the previous one.
    plane_i, plane_j = i[cross] // sats_per_plane, j[cross] // sats_per_plane
    forward = plane_j == (plane_i + 1) % planes
    from_ = np.where(forward, i[cross], j[cross])
    to = np.where(forward, j[cross], i[cross])
    np.testing.assert_array_equal(np.bincount(from_, minlength=n), 1)
    np.testing.assert_array_equal(np.bincount(to, minlength=n), 1)


def test_planner_mesh_with_phasing_keeps_degree_4(ts):
    planes, sats_per_plane = 6, 7
    result = network_of(
        walker(planes, sats_per_plane, 2000.0, phasing=2), ts, max_range_km=1e5, snapshots=4
    )
    record, graph = network_record(result), result.graph
    n = planes * sats_per_plane
    assert record["links"] == record["over_orbit"]["min_links"] == 2 * n
    np.testing.assert_array_equal(np.bincount(np.concatenate([graph.i, graph.j]), minlength=n), 4)


@pytest.mark.parametrize("wrap_planes", [True, False])
def test_plus_grid_names_each_pair_once_and_the_brute_force_pairs(wrap_planes):
    # Every size from one plane or slot up, every offset: the links, as a set built pair by
    # pair in loops, each listed once (small rings name a pair twice before it is dropped).
    for planes in range(1, 6):
        for per_plane in range(1, 6):
            for offset in range(per_plane):
                for seam in range(per_plane):
                    i, j, _ = plus_grid_edges(planes, per_plane, wrap_planes=wrap_planes,
                                              offset=offset, seam_offset=seam)  # fmt: skip
                    expected = set()
                    for p in range(planes):
                        for s in range(per_plane):
                            a = p * per_plane + s
                            if per_plane > 1:
                                expected.add(frozenset((a, p * per_plane + (s + 1) % per_plane)))
                            if planes > 1 and (p < planes - 1 or wrap_planes):
                                shift = seam if p == planes - 1 else offset
                                b = ((p + 1) % planes) * per_plane + (s + shift) % per_plane
                                expected.add(frozenset((a, b)))
                    pairs = [frozenset((int(a), int(b))) for a, b in zip(i, j, strict=True)]
                    assert len(set(pairs)) == len(pairs), (planes, per_plane, offset, seam)
                    assert set(pairs) == expected, (planes, per_plane, offset, seam)


def test_two_planes_without_phasing_do_not_duplicate_the_wrap():
    # Planes 0 and 1 are each other's east and west neighbour: slot s meets slot s once.
    i, j, _ = plus_grid_edges(2, 5, wrap_planes=True)
    assert len(edge_set(i, j)) == len(i) == 5 + 5 + 5
    assert edge_set(i, j) == product_edges(2, 5, periodic=True)


def test_two_planes_with_phasing_keep_degree_4():
    # Walker's F = 1 puts the seam's partner one slot beyond the ordinary one.
    i, j, _ = plus_grid_edges(2, 4, wrap_planes=True, offset=0, seam_offset=1)
    np.testing.assert_array_equal(np.bincount(np.concatenate([i, j]), minlength=8), 4)


@pytest.mark.parametrize(
    "planes, sats_per_plane, offset",
    [(3, 3, 0), (3, 4, 1), (4, 3, 0), (4, 4, 3), (5, 6, 2), (6, 5, 0)],
)
def test_unwrapped_plus_grid_is_the_networkx_cylinder(planes, sats_per_plane, offset):
    # P*S in-plane links (S >= 3) and S between each of the P - 1 pairs of neighbouring planes.
    n = planes * sats_per_plane
    i, j, cross = plus_grid_edges(planes, sats_per_plane, wrap_planes=False, offset=offset)
    assert len(edge_set(i, j)) == len(i) == 2 * n - sats_per_plane
    assert np.count_nonzero(cross) == (planes - 1) * sats_per_plane
    assert edge_set(i, j) == grid_edges(planes, sats_per_plane, offset)
    cylinder = nx.grid_2d_graph(planes, sats_per_plane, periodic=(False, True))
    mesh = nx.Graph(list(edge_set(i, j)))
    if offset == 0:
        assert edge_set(i, j) == product_edges(planes, sats_per_plane, periodic=(False, True))
    assert nx.is_isomorphic(mesh, cylinder)
    graph = graph_of(i, j, n)
    hops = diameter(graph, np.arange(n))
    assert hops.value == (planes - 1) + sats_per_plane // 2 == nx.diameter(cylinder)


@pytest.mark.parametrize(
    "shell_kwargs", [{"pattern": "star"}, {"raan_spread_deg": 20.0}], ids=["star", "band"]
)
@pytest.mark.parametrize("planes, sats_per_plane", [(4, 6), (5, 7)])
def test_star_and_band_shells_are_not_wrapped(ts, shell_kwargs, planes, sats_per_plane):
    shell = walker(planes, sats_per_plane, 2000.0, **shell_kwargs)
    constellation = Constellation("links", EPOCH, shells=(shell,))
    resolved = resolve(constellation, ts)
    i, _, _ = candidate_edges(resolved, LinksDesign())
    assert len(i) == 2 * planes * sats_per_plane - sats_per_plane
    result = network_of(shell, ts, max_range_km=1e5, snapshots=4)
    record, graph = network_record(result), result.graph
    # Unwrapped, any partner offset gives the cylinder (renumber plane p's slots by p offsets).
    assert edge_set(graph.i, graph.j) == brute_force_grid(resolved[0])
    assert record["links"] == 2 * planes * sats_per_plane - sats_per_plane
    assert record["hop_diameter"] == (planes - 1) + sats_per_plane // 2
    assert record["components"] == 1


def test_two_shells_are_two_tori_numbered_after_each_other(ts):
    # Without inter-shell links each shell is its own +Grid; the second is numbered from 25.
    first, second = (
        walker(5, 5, 2000.0),
        Shell.walker("w1500", altitude_km=1500.0, inclination_deg=70.0, planes=6, sats_per_plane=6),
    )
    constellation = Constellation(
        "links", EPOCH, shells=(first, second), links=LinksDesign(max_range_km=1e5, snapshots=4)
    )
    resolved = resolve(constellation, ts)
    result = mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        [100.0, 50.0],
        shed=False,
        period_min=max(r.period_min for r in resolved),
        ts=ts,
    )
    record, graph = network_record(result), result.graph
    second_grid = brute_force_grid(resolved[1])
    expected = brute_force_grid(resolved[0]) | {(a + 25, b + 25) for a, b in second_grid}
    assert edge_set(graph.i, graph.j) == expected
    assert record["components"] == 2
    assert record["largest_cluster_sats"] == 36
    assert record["largest_cluster_compute_mw"] == pytest.approx(36 * 50.0 / 1000.0)
    assert record["hop_diameter"] == nx.diameter(nx.Graph(list(second_grid)))


# ----------------------------------------------------------------------------- geometry


def test_satellites_on_opposite_sides_of_the_earth_are_blocked():
    r = EARTH_RADIUS_IERS_KM + 340.0
    r1, r2 = np.array([r, 0.0, 0.0]), np.array([-r, 0.0, 0.0])
    # The chord passes through the centre: lowest altitude -R, length 2 r.
    assert grazing_altitude_km(r1, r2) == pytest.approx(-EARTH_RADIUS_IERS_KM, abs=GEOMETRY_ATOL_KM)
    assert link_lengths_km(r1, r2) == pytest.approx(2 * r, abs=GEOMETRY_ATOL_KM)
    assert not links_close(r1, r2, max_range_km=1e6)
    assert not links_close(r1, r2, max_range_km=1e6, min_grazing_altitude_km=0.0)


THETAS_DEG = np.array([0.01, 0.5, 5.0, 20.0, 31.0, 33.0, 45.0, 90.0, 135.0, 179.0])


def test_grazing_altitude_and_length_closed_forms_at_340_km():
    rotation = random_rotation(np.random.default_rng(11))
    r = EARTH_RADIUS_IERS_KM + 340.0
    r1 = on_circle(r, np.zeros_like(THETAS_DEG), rotation)
    r2 = on_circle(r, THETAS_DEG, rotation)
    half = np.radians(THETAS_DEG) / 2
    expected_graze = r * np.cos(half) - EARTH_RADIUS_IERS_KM
    expected_length = 2 * r * np.sin(half)
    np.testing.assert_allclose(grazing_altitude_km(r1, r2), expected_graze, atol=GEOMETRY_ATOL_KM)
    np.testing.assert_allclose(link_lengths_km(r1, r2), expected_length, atol=GEOMETRY_ATOL_KM)
    # Scalar pairs give the same as the batch, and the order of the pair does not matter.
    for k in range(len(THETAS_DEG)):
        assert grazing_altitude_km(r1[k], r2[k]) == pytest.approx(
            expected_graze[k], abs=GEOMETRY_ATOL_KM
        )
        assert grazing_altitude_km(r2[k], r1[k]) == pytest.approx(
            expected_graze[k], abs=GEOMETRY_ATOL_KM
        )
    np.testing.assert_array_equal(
        links_close(r1, r2, max_range_km=1e5), expected_graze >= GRAZING_KM
    )


def test_grazing_altitude_of_unequal_altitudes_matches_a_sampled_segment():
    rng = np.random.default_rng(5)
    rotation = random_rotation(rng)
    for _ in range(12):
        alt1, alt2 = rng.uniform(150.0, 2000.0, size=2)
        theta = rng.uniform(0.0, 120.0)
        r1 = on_circle(EARTH_RADIUS_IERS_KM + alt1, [0.0], rotation)[0]
        r2 = on_circle(EARTH_RADIUS_IERS_KM + alt2, [theta], rotation)[0]
        assert grazing_altitude_km(r1, r2) == pytest.approx(
            sampled_lowest_altitude_km(r1, r2), abs=SAMPLED_MIN_ATOL_KM
        )


@pytest.mark.parametrize("min_grazing_km", [GRAZING_KM, 0.0, 250.0])
@pytest.mark.parametrize("side", [-1, 1], ids=["just-below", "just-above"])
def test_links_close_just_above_the_grazing_altitude_only(min_grazing_km, side):
    r = EARTH_RADIUS_IERS_KM + 340.0
    graze = min_grazing_km + side * THRESHOLD_MARGIN_KM
    theta_deg = 2 * np.degrees(np.arccos((EARTH_RADIUS_IERS_KM + graze) / r))
    r1, r2 = on_circle(r, [0.0, theta_deg])
    assert grazing_altitude_km(r1, r2) == pytest.approx(graze, abs=GEOMETRY_ATOL_KM)
    closes = links_close(r1, r2, max_range_km=1e5, min_grazing_altitude_km=min_grazing_km)
    assert bool(closes) is (side > 0)


@pytest.mark.parametrize("side", [-1, 1], ids=["just-outside", "just-inside"])
def test_links_close_just_inside_the_range_only(side):
    r = EARTH_RADIUS_IERS_KM + 340.0
    theta_deg = 10.0
    length = 2 * r * np.sin(np.radians(theta_deg) / 2)
    r1, r2 = on_circle(r, [0.0, theta_deg])
    assert bool(links_close(r1, r2, max_range_km=length + side * THRESHOLD_MARGIN_KM)) is (side > 0)


def test_nan_positions_never_link(ts):
    r = EARTH_RADIUS_IERS_KM + 340.0
    good = on_circle(r, [0.0, 2.0])
    nan = np.full(3, np.nan)
    assert not links_close(good[0], nan, max_range_km=1e5)
    assert not links_close(nan, good[0], max_range_km=1e5)
    assert not links_close(nan, nan, max_range_km=1e5)
    assert links_close(good[0], good[1], max_range_km=1e5)

    # +Grid of a real shell with one satellite failed (NaN row): only its four links go.
    planes = sats_per_plane = 12
    shell = walker(planes, sats_per_plane)
    constellation = Constellation("links", EPOCH, shells=(shell,))
    resolved = resolve(constellation, ts)
    positions = positions_at(constellation, resolved, [0.0], ts)[0].astype(float)
    positions[5] = np.nan
    candidates = candidate_edges(resolved, LinksDesign())
    n = planes * sats_per_plane
    nodes = {"compute_kw": np.ones(n), "sunlit": np.ones(n)}
    for latitude_deg in (90.0, 45.0):
        design = LinksDesign(max_cross_plane_latitude_deg=latitude_deg)
        graph = build_graph(positions, design, candidates, nodes)
        assert 5 not in set(graph.i.tolist()) | set(graph.j.tolist())
        assert np.all(np.isfinite(graph.length_km))
    graph = build_graph(positions, LinksDesign(), candidates, nodes)
    assert graph.n_links == 2 * n - 4

    # nearest: the failed satellites are left out, the others still link.
    cloud = on_circle(r, np.arange(0.0, 60.0, 3.0))
    cloud[[3, 7]] = np.nan
    i, j = nearest_edges(cloud, 2, 5000.0, 2)
    assert len(i) > 0
    assert not ({3, 7} & (set(i.tolist()) | set(j.tolist())))


def test_a_negative_grazing_altitude_is_refused():
    r1, r2 = on_circle(EARTH_RADIUS_IERS_KM + 340.0, [0.0, 5.0])
    with pytest.raises(ValueError, match="grazing_altitude_km=-1"):
        links_close(r1, r2, max_range_km=5000.0, min_grazing_altitude_km=-1.0)
    with pytest.raises(ValueError, match="grazing_altitude_km=-1"):
        LinksDesign(grazing_altitude_km=-1.0)


# ----------------------------------------------------------------------------- nearest topology


def random_cloud(rng, n, altitudes_km):
    directions = rng.normal(size=(n, 3))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    return directions * (EARTH_RADIUS_IERS_KM + rng.choice(altitudes_km, size=n))[:, None]


def feasible_pairs(positions, max_range_km):
    """Every feasible pair (brute force over all pairs), with its length."""
    a, b = np.triu_indices(len(positions), 1)
    d = np.linalg.norm(positions[a] - positions[b], axis=1)
    graze = np.array(
        [
            sampled_lowest_altitude_km(positions[u], positions[v], samples=2001)
            if dist <= max_range_km
            else -np.inf
            for u, v, dist in zip(a, b, d, strict=True)
        ]
    )
    # A 2,001-point sample can only overestimate the lowest altitude, by (step/2)^2 / (2 r):
    # under a metre for these chords.  Pairs within 2 km of the threshold are resampled finely.
    near = np.abs(graze - GRAZING_KM) < 2.0
    for k in np.flatnonzero(near):
        graze[k] = sampled_lowest_altitude_km(positions[a[k]], positions[b[k]])
    ok = (d <= max_range_km) & (graze >= GRAZING_KM)
    return a[ok], b[ok], d[ok]


def greedy_reference(a, b, d, n, terminals):
    """Shortest pair first, kept while both ends have a free terminal."""
    free = np.full(n, terminals)
    kept = set()
    for e in np.argsort(d, kind="stable"):
        u, v = int(a[e]), int(b[e])
        if free[u] and free[v]:
            free[u] -= 1
            free[v] -= 1
            kept.add((min(u, v), max(u, v)))
    return kept


def k_nearest_feasible(positions, a, b, d, k):
    """Pairs where one end is among the other's ``k`` nearest feasible neighbours."""
    keep = np.zeros(len(a), dtype=bool)
    for u in range(len(positions)):
        mine = np.flatnonzero((a == u) | (b == u))
        keep[mine[np.argsort(d[mine], kind="stable")[:k]]] = True
    return a[keep], b[keep], d[keep]


NEAREST_CASES = [(0, 60, 5000.0, 3), (1, 60, 3000.0, 2), (2, 150, 5000.0, 4), (3, 40, 8000.0, 1)]


@pytest.mark.parametrize("seed, n, max_range_km, terminals", NEAREST_CASES)
def test_nearest_links_are_feasible_within_terminals_and_match_a_brute_force(
    seed, n, max_range_km, terminals
):
    positions = random_cloud(np.random.default_rng(seed), n, [340.0])
    i, j = nearest_edges(positions, terminals, max_range_km, terminals)
    got = edge_set(i, j)
    assert len(got) == len(i) and np.all(i != j)
    assert np.max(np.bincount(np.concatenate([i, j]), minlength=n)) <= terminals
    a, b, d = feasible_pairs(positions, max_range_km)
    assert got <= edge_set(a, b), "a link that cannot close"
    # The documented rule: each satellite's k nearest feasible neighbours, greedy on terminals.
    assert got == greedy_reference(*k_nearest_feasible(positions, a, b, d, terminals), n, terminals)


def test_nearest_takes_the_nearest_feasible_neighbour_across_altitudes():
    low, high = EARTH_RADIUS_IERS_KM + 340.0, EARTH_RADIUS_IERS_KM + 2000.0
    x = on_circle(low, [0.0])[0]
    hidden = on_circle(low, [-35.0])[0]  # 4,040 km, chord at 29 km: blocked
    seen = on_circle(high, [29.0])[0]  # 4,107 km, chord never below 340 km: closes
    partner = on_circle(high, [30.0])[0]  # 146 km from `seen`
    positions = np.array([x, hidden, seen, partner])
    assert not links_close(x, hidden, 5000.0) and links_close(x, seen, 5000.0)
    i, j = nearest_edges(positions, 1, 5000.0, 2)
    # x's one nearest feasible neighbour is `seen`, which has a spare terminal.
    assert (0, 2) in edge_set(i, j)


# ----------------------------------------------------------------------------- LinkGraph


@pytest.fixture(scope="module")
def small_mesh(ts):
    planes = sats_per_plane = 12
    shell = walker(planes, sats_per_plane)
    constellation = Constellation("links", EPOCH, shells=(shell,))
    resolved = resolve(constellation, ts)
    result = mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        [120.0],
        shed=False,
        period_min=resolved[0].period_min,
        ts=ts,
    )
    positions = positions_at(constellation, resolved, [0.0], ts)[0].astype(float)
    return result.graph, positions, sats_per_plane


def test_to_networkx_carries_every_node_and_edge_attribute(small_mesh):
    graph, positions, sats_per_plane = small_mesh
    g = graph.to_networkx()
    assert g.number_of_nodes() == graph.n and g.number_of_edges() == graph.n_links
    for k, data in g.nodes(data=True):
        assert set(data) == {"shell", "plane", "slot", "compute_kw", "sunlit"}
        assert (data["shell"], data["plane"], data["slot"]) == (0, *divmod(k, sats_per_plane))
        assert data["compute_kw"] == 120.0
        assert 0.0 <= data["sunlit"] <= 1.0
        assert data["sunlit"] == graph.nodes["sunlit"][k]
    for a, b, data in g.edges(data=True):
        assert set(data) == {"length_km", "latency_ms", "capacity_gbps"}
        length = float(np.linalg.norm(positions[a] - positions[b]))
        assert data["length_km"] == pytest.approx(length, rel=FLOAT_RTOL)
        assert data["latency_ms"] == pytest.approx(length / LIGHT_KM_S * 1e3, rel=FLOAT_RTOL)
        assert data["capacity_gbps"] == LinksDesign().capacity_gbps


@pytest.mark.parametrize("missing", ["length_km", "capacity_gbps"])
def test_graph_from_networkx_refuses_a_link_without_length_or_capacity(missing):
    g = nx.Graph()
    g.add_edge(0, 1, length_km=500.0, capacity_gbps=100.0)
    attributes = {"length_km": 700.0, "capacity_gbps": 100.0, "weight": 1.0}
    del attributes[missing]
    g.add_edge(1, 2, **attributes)
    with pytest.raises(ValueError, match=missing):
        graph_from_networkx(g)


def test_graph_from_networkx_round_trip(small_mesh):
    graph, _, _ = small_mesh
    back = graph_from_networkx(graph.to_networkx())
    assert back.n == graph.n
    original = {
        (min(a, b), max(a, b)): (d, c)
        for a, b, d, c in zip(graph.i, graph.j, graph.length_km, graph.capacity_gbps, strict=True)
    }
    returned = {
        (min(a, b), max(a, b)): (d, c)
        for a, b, d, c in zip(back.i, back.j, back.length_km, back.capacity_gbps, strict=True)
    }
    assert returned == original


def test_graph_from_networkx_refuses_nodes_that_are_not_0_to_n_minus_1():
    g = nx.Graph()
    g.add_edge(1, 2, length_km=500.0, capacity_gbps=100.0)
    g.add_edge(2, 3, length_km=500.0, capacity_gbps=100.0)
    with pytest.raises(ValueError):
        graph_from_networkx(g)


def test_graphml_round_trip_keeps_every_attribute(small_mesh, tmp_path):
    graph, _, _ = small_mesh
    path = tmp_path / "mesh.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path, node_type=int)
    original = graph.to_networkx()
    assert sorted(back.nodes()) == list(range(graph.n))
    for k, data in original.nodes(data=True):
        assert back.nodes[k] == pytest.approx(data, rel=FLOAT_RTOL)
    assert edge_set(*zip(*back.edges(), strict=True)) == edge_set(graph.i, graph.j)
    for a, b, data in original.edges(data=True):
        assert back.edges[a, b] == pytest.approx(data, rel=FLOAT_RTOL)
    assert graph_from_networkx(back).n_links == graph.n_links


def test_json_edge_list_matches_the_graph(small_mesh):
    graph, positions, _ = small_mesh
    record = json.loads(json.dumps(edge_list_record(graph)))
    assert record["n_sats"] == graph.n
    assert record["columns"] == ["i", "j", "length_km", "latency_ms", "capacity_gbps"]
    rows = record["links"]
    assert len(rows) == graph.n_links
    assert edge_set([r[0] for r in rows], [r[1] for r in rows]) == edge_set(graph.i, graph.j)
    for a, b, length, latency, capacity in rows:
        true_length = float(np.linalg.norm(positions[a] - positions[b]))
        assert length == pytest.approx(true_length, abs=EDGE_LIST_LENGTH_ATOL_KM)
        assert latency == pytest.approx(
            true_length / LIGHT_KM_S * 1e3, abs=EDGE_LIST_LATENCY_ATOL_MS
        )
        assert capacity == LinksDesign().capacity_gbps


# ----------------------------------------------------------------------------- metrics vs networkx


def assert_metrics_match_networkx(graph: LinkGraph, reference: nx.Graph):
    n_components, labels = components(graph)
    expected = [set(c) for c in nx.connected_components(reference)]
    assert n_components == len(expected)
    ours = [set(np.flatnonzero(labels == k).tolist()) for k in range(n_components)]
    assert sorted(map(sorted, ours)) == sorted(map(sorted, expected))
    members = largest_component(graph, labels)
    size = max(len(c) for c in expected)
    assert len(members) == size
    assert set(members.tolist()) in [c for c in expected if len(c) == size]
    cluster = reference.subgraph(members.tolist())
    hops = diameter(graph, members)
    latency = diameter(graph, members, weight="latency_ms")
    assert hops.exact and latency.exact
    assert hops.value == nx.diameter(cluster)
    assert latency.value == pytest.approx(nx.diameter(cluster, weight="latency_ms"), rel=FLOAT_RTOL)
    dijkstra = dict(nx.all_pairs_dijkstra_path_length(cluster, weight="latency_ms"))
    worst = max(max(row.values()) for row in dijkstra.values())
    assert latency.value == pytest.approx(worst, rel=FLOAT_RTOL)


@pytest.mark.parametrize("seed", range(6))
def test_components_and_diameters_match_networkx_on_random_meshes(seed):
    rng = np.random.default_rng(seed)
    n = 40
    g = nx.gnm_random_graph(n, int(rng.integers(30, 60)), seed=seed)
    i, j = (np.array(v, dtype=int) for v in zip(*g.edges(), strict=True))
    length = rng.uniform(300.0, 4000.0, len(i))
    capacity = rng.uniform(10.0, 400.0, len(i))
    graph = LinkGraph(n, i, j, length, capacity)
    assert_metrics_match_networkx(graph, nx_graph(n, i, j, length, capacity))


@pytest.mark.parametrize("seed", range(4))
def test_metrics_with_seeded_failures_match_networkx(seed):
    rng = np.random.default_rng(100 + seed)
    planes, sats_per_plane = 8, 9
    n = planes * sats_per_plane
    i, j, _ = plus_grid_edges(planes, sats_per_plane, wrap_planes=True)
    length = rng.uniform(300.0, 4000.0, len(i))
    capacity = np.full(len(i), 100.0)
    failed = rng.random(n) < 0.25
    degraded = LinkGraph(n, i, j, length, capacity).without_nodes(failed)
    assert degraded.n == n
    assert edge_set(degraded.i, degraded.j) <= edge_set(i, j)
    assert not np.any(failed[degraded.i] | failed[degraded.j])
    reference = nx_graph(n, i, j, length, capacity)
    reference.remove_edges_from(list(reference.edges(np.flatnonzero(failed).tolist())))
    assert degraded.n_links == reference.number_of_edges()
    assert_metrics_match_networkx(degraded, reference)


def test_diameter_is_exact_up_to_the_limit_and_bounded_above_it():
    in_plane_km, cross_plane_km = 500.0, 700.0

    def torus(planes, sats_per_plane):
        i, j, cross = plus_grid_edges(planes, sats_per_plane, wrap_planes=True)
        length = np.where(cross, cross_plane_km, in_plane_km)
        return LinkGraph(planes * sats_per_plane, i, j, length, np.full(len(i), 100.0))

    def closed_forms(planes, sats_per_plane):
        hops = planes // 2 + sats_per_plane // 2
        km = planes // 2 * cross_plane_km + sats_per_plane // 2 * in_plane_km
        return hops, km / LIGHT_KM_S * 1e3

    # 40 x 50 = 2,000 satellites: at the limit, exact.
    assert 40 * 50 == EXACT_DIAMETER_MAX_NODES
    graph = torus(40, 50)
    hops_true, latency_true = closed_forms(40, 50)
    hops = diameter(graph, np.arange(graph.n))
    latency = diameter(graph, np.arange(graph.n), weight="latency_ms")
    assert hops.exact and hops.value == hops_true
    assert latency.exact and latency.value == pytest.approx(latency_true, rel=FLOAT_RTOL)

    # 50 x 60 = 3,000: bounded, reported as not exact, and the bounds hold the truth.
    graph = torus(50, 60)
    hops_true, latency_true = closed_forms(50, 60)
    hops = diameter(graph, np.arange(graph.n))
    latency = diameter(graph, np.arange(graph.n), weight="latency_ms")
    assert hops.lower <= hops_true <= hops.upper
    assert latency.lower <= latency_true * (1 + FLOAT_RTOL)
    assert latency_true <= latency.upper * (1 + FLOAT_RTOL)
    # Every eccentricity of a vertex-transitive torus is its diameter: the sweep finds it,
    # but 2 * ecc is no tighter, so the bound cannot be called exact.
    assert not hops.exact and not latency.exact
    assert hops.lower == hops_true


def test_diameter_bounds_hold_when_most_eccentricities_are_half_the_diameter():
    # A 50 x 50 torus with a 100-link tail at two antipodal satellites (0, 0) and (25, 25):
    # the diameter runs tail to tail, 100 + 50 + 100 hops; most satellites sit in the
    # torus with an eccentricity near half of it, so 2 * ecc is a tight upper bound.
    planes = sats_per_plane = 50
    tail = 100
    tail_km, in_plane_km, cross_plane_km = 1000.0, 500.0, 700.0
    i, j, cross = plus_grid_edges(planes, sats_per_plane, wrap_planes=True)
    length = np.where(cross, cross_plane_km, in_plane_km)
    core = planes * sats_per_plane
    ends = [0, 25 * sats_per_plane + 25]
    tails_i, tails_j = [], []
    for k, end in enumerate(ends):
        chain = core + k * tail + np.arange(tail)
        tails_i.append(np.concatenate([[end], chain[:-1]]))
        tails_j.append(chain)
    i = np.concatenate([i, *tails_i])
    j = np.concatenate([j, *tails_j])
    length = np.concatenate([length, np.full(2 * tail, tail_km)])
    n = core + 2 * tail
    graph = LinkGraph(n, i, j, length, np.full(len(i), 100.0))
    hops_true = 2 * tail + planes // 2 + sats_per_plane // 2
    km_true = 2 * tail * tail_km + planes // 2 * cross_plane_km + sats_per_plane // 2 * in_plane_km
    latency_true = km_true / LIGHT_KM_S * 1e3
    for seed in range(3):
        hops = diameter(graph, np.arange(n), seed=seed)
        latency = diameter(graph, np.arange(n), weight="latency_ms", seed=seed)
        assert hops.lower <= hops_true <= hops.upper
        assert latency.lower <= latency_true * (1 + FLOAT_RTOL)
        assert latency_true <= latency.upper * (1 + FLOAT_RTOL)
        assert hops.value >= hops_true


# ----------------------------------------------------------------------------- bisection


def natural_orders(planes, sats_per_plane):
    plane, slot = np.divmod(np.arange(planes * sats_per_plane), sats_per_plane)
    return [np.lexsort((slot, plane)), np.lexsort((plane, slot))]


@pytest.mark.parametrize("planes, sats_per_plane", [(3, 4), (4, 4), (3, 6), (4, 3), (5, 4)])
def test_bisection_of_small_tori_is_the_brute_force_minimum(planes, sats_per_plane):
    capacity_gbps = 100.0
    n = planes * sats_per_plane
    i, j, _ = plus_grid_edges(planes, sats_per_plane, wrap_planes=True)
    capacity = np.full(len(i), capacity_gbps)
    graph = LinkGraph(n, i, j, np.full(len(i), 1000.0), capacity)
    members = np.arange(n)
    exact, half = brute_force_min_bisection(members, i, j, capacity)
    # The torus closed form: cut the even ring dimension twice, across the shorter one.
    short, long = sorted((planes, sats_per_plane))
    if long % 2 == 0:
        assert exact == 2 * short * capacity_gbps
    found = bisection_gbps(graph, members, natural_orders(planes, sats_per_plane))
    assert found == pytest.approx(exact, rel=FLOAT_RTOL)
    # networkx's max-flow across the brute-force split gives the same capacity.
    reference = nx_graph(n, i, j, graph.length_km, capacity)
    other = np.setdiff1d(members, half)
    assert nx_split_capacity(reference, half, other) == pytest.approx(exact, rel=FLOAT_RTOL)


@pytest.mark.parametrize("seed", range(4))
def test_bisection_of_the_largest_cluster_bounds_the_minimum_from_above(seed):
    rng = np.random.default_rng(200 + seed)
    # A 14-satellite cluster and a 4-satellite one: only the largest is bisected.
    big = nx.connected_watts_strogatz_graph(14, 4, 0.3, seed=seed)
    small = nx.cycle_graph(range(14, 18))
    g = nx.union(big, small)
    i, j = (np.array(v, dtype=int) for v in zip(*g.edges(), strict=True))
    capacity = rng.uniform(10.0, 400.0, len(i))
    graph = LinkGraph(18, i, j, rng.uniform(300.0, 4000.0, len(i)), capacity)
    _, labels = components(graph)
    members = largest_component(graph, labels)
    assert set(members.tolist()) == set(range(14))
    orders = [rng.permutation(18) for _ in range(5)] + [np.arange(18)]
    found = bisection_gbps(graph, members, orders)
    exact, _ = brute_force_min_bisection(members, i, j, capacity)
    assert found >= exact * (1 - FLOAT_RTOL)
    reference = nx_graph(18, i, j, graph.length_km, capacity).subgraph(range(14))
    by_networkx = []
    for order in orders:
        order = order[order < 14]
        side = np.zeros(18, dtype=bool)
        side[order[: len(order) // 2]] = True
        by_networkx.append(
            nx_split_capacity(reference, order[: len(order) // 2], order[len(order) // 2 :])
        )
        assert cut_capacity_gbps(graph.without_nodes(np.arange(18) >= 14), side) == (
            pytest.approx(by_networkx[-1], rel=FLOAT_RTOL)
        )
    assert found == pytest.approx(min(by_networkx), rel=FLOAT_RTOL)


# ----------------------------------------------------------------------------- all-reduce


@pytest.mark.parametrize(
    "n_nodes, model_gb, link_gbps, hop_ms",
    [
        (1, 100.0, 100.0, 5.0),
        (2, 100.0, 100.0, 1.0),
        (1000, 100.0, 100.0, 10.0),
        (1_000_000, 1.5, 400.0, 0.3),
        (7, 0.001, 1.0, 0.0),
    ],
)
def test_ring_allreduce_closed_form(n_nodes, model_gb, link_gbps, hop_ms):
    expected = (
        2 * (n_nodes - 1) / n_nodes * model_gb * 8 / link_gbps + 2 * (n_nodes - 1) * hop_ms / 1e3
    )
    assert ring_allreduce_s(n_nodes, model_gb, link_gbps, hop_ms) == pytest.approx(
        expected, rel=FLOAT_RTOL
    )
    if n_nodes == 1:
        assert ring_allreduce_s(n_nodes, model_gb, link_gbps, hop_ms) == 0.0


# ----------------------------------------------------------------------------- over time, faults


def east_partner(planes, sats_per_plane, offset, seam_offset):
    """Each satellite's neighbour in the next plane, for the given partner offsets."""
    p, s = np.divmod(np.arange(planes * sats_per_plane), sats_per_plane)
    shift = np.where(p == planes - 1, seam_offset, offset)
    return ((p + 1) % planes) * sats_per_plane + (s + shift) % sats_per_plane


@pytest.mark.parametrize("planes, sats_per_plane, phasing", [(12, 12, 0), (16, 16, 4)])
def test_cross_plane_links_are_dropped_above_the_latitude_limit(
    ts, planes, sats_per_plane, phasing
):
    n = planes * sats_per_plane
    shell = walker(planes, sats_per_plane, phasing=phasing)
    constellation = Constellation("links", EPOCH, shells=(shell,))
    resolved = resolve(constellation, ts)
    positions = positions_at(constellation, resolved, [0.0], ts)[0]
    latitude = np.degrees(np.arcsin(positions[:, 2] / np.linalg.norm(positions, axis=1)))
    offset = brute_force_offset(resolved[0])
    east = east_partner(planes, sats_per_plane, offset, offset + phasing)
    for limit_deg in (30.0, 45.0):
        record = record_of(shell, ts, max_cross_plane_latitude_deg=limit_deg, snapshots=24)
        # A cross-plane link is kept only when both ends are within the limit.
        kept = np.count_nonzero(
            (np.abs(latitude) <= limit_deg) & (np.abs(latitude[east]) <= limit_deg)
        )
        assert record["links"] == n + kept < 2 * n
        assert n <= record["over_orbit"]["min_links"] < 2 * n
    # A limit above the inclination (53 deg) drops nothing; neither does the default.
    for limit_deg in (60.0, 90.0):
        record = record_of(shell, ts, max_cross_plane_latitude_deg=limit_deg, snapshots=24)
        assert record["links"] == record["over_orbit"]["min_links"] == 2 * n


def test_failures_cut_a_ring_into_short_arcs(ts):
    # One plane of 60: a ring of 60 links.  With half the satellites failed the survivors
    # form arcs; an arc of 16 or more needs 16 survivors in a row, chance 60 / 2^16 = 0.1 %.
    shell = walker(1, 60)
    record = record_of(shell, ts, failure_fraction=0.5, failure_seed=1, snapshots=2)
    assert record["links"] == 60
    assert record["over_orbit"]["min_largest_cluster_sats"] == 60
    assert 1 <= record["over_orbit"]["min_largest_cluster_sats_with_failures"] < 16


def test_failures_shrink_the_largest_cluster_reproducibly(ts):
    shell = walker(12, 12)
    design = {"failure_fraction": 0.15, "failure_seed": 3, "snapshots": 8}
    first = record_of(shell, ts, **design)["over_orbit"]
    again = record_of(shell, ts, **design)["over_orbit"]
    assert first == again
    assert first["failure_fraction"] == 0.15
    assert first["min_largest_cluster_sats_with_failures"] <= first["min_largest_cluster_sats"]
    assert first["min_largest_cluster_sats_with_failures"] < 144  # 0.85^144 = 7e-11 survive
    assert first["mean_largest_cluster_sats_with_failures"] <= first["mean_largest_cluster_sats"]
    assert "min_largest_cluster_sats_with_failures" not in record_of(shell, ts)["over_orbit"]


def test_failures_without_links_leave_clusters_of_one(ts):
    record = record_of(
        walker(20, 20), ts, max_range_km=1.0, failure_fraction=0.9, failure_seed=0, snapshots=2
    )
    assert record["over_orbit"]["min_largest_cluster_sats_with_failures"] == 1


def almanac_sun_direction(jd_ut1: float) -> np.ndarray:
    """Unit vector to the Sun, equator and equinox of date (Astronomical Almanac, C5)."""
    n = jd_ut1 - 2451545.0
    mean_longitude = math.radians((280.460 + 0.9856474 * n) % 360.0)
    anomaly = math.radians((357.528 + 0.9856003 * n) % 360.0)
    ecliptic = mean_longitude + math.radians(
        1.915 * math.sin(anomaly) + 0.020 * math.sin(2 * anomaly)
    )
    obliquity = math.radians(23.439 - 0.0000004 * n)
    return np.array(
        [
            math.cos(ecliptic),
            math.cos(obliquity) * math.sin(ecliptic),
            math.sin(obliquity) * math.sin(ecliptic),
        ]
    )


def test_eclipse_shedding_lowers_the_cluster_compute(ts):
    planes = sats_per_plane = 12
    n, compute_kw = planes * sats_per_plane, 100.0
    shell = walker(planes, sats_per_plane)
    ride = record_of(shell, ts, compute_kw=compute_kw, shed=False, snapshots=8)
    shed = record_of(shell, ts, compute_kw=compute_kw, shed=True, snapshots=8)
    full_mw = n * compute_kw / 1000.0
    assert ride["largest_cluster_compute_mw"] == pytest.approx(full_mw, rel=FLOAT_RTOL)
    assert ride["over_orbit"]["min_largest_cluster_compute_mw"] == pytest.approx(
        full_mw, rel=FLOAT_RTOL
    )
    assert shed["largest_cluster_sats"] == ride["largest_cluster_sats"] == n
    assert shed["largest_cluster_compute_mw"] < ride["largest_cluster_compute_mw"]
    over_shed, over_ride = shed["over_orbit"], ride["over_orbit"]
    assert (
        over_shed["mean_largest_cluster_compute_mw"] < over_ride["mean_largest_cluster_compute_mw"]
    )
    # At the epoch: a cylindrical shadow and the Almanac's Sun count the lit satellites.
    constellation = Constellation("links", EPOCH, shells=(shell,))
    positions = positions_at(constellation, resolve(constellation, ts), [0.0], ts)[0]
    sun = almanac_sun_direction(2461406.5)  # 2027-01-01 00:00 UT
    along = positions @ sun
    off_axis = np.linalg.norm(positions - along[:, None] * sun, axis=1)
    lit = (along > 0) | (off_axis > EARTH_RADIUS_IERS_KM)
    assert 0 < np.count_nonzero(~lit) < n
    assert shed["largest_cluster_compute_mw"] == pytest.approx(
        np.count_nonzero(lit) * compute_kw / 1000.0,
        abs=SHADOW_EDGE_SATS * compute_kw / 1000.0,
    )


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"terminals": 3}, "terminals=3"),
        ({"topology": "nearest", "terminals": 0}, "terminals=0"),
        ({"topology": "mesh"}, "topology='mesh'"),
        ({"grazing_altitude_km": -10.0}, "grazing_altitude_km=-10"),
        ({"max_range_km": 0.0}, "max_range_km=0"),
        ({"capacity_gbps": -1.0}, "capacity_gbps=-1"),
        ({"snapshots": 0}, "snapshots=0"),
        ({"failure_fraction": 1.0}, "failure_fraction"),
        ({"max_cross_plane_latitude_deg": 91.0}, "max_cross_plane_latitude_deg"),
    ],
)
def test_links_design_refuses_bad_values_with_the_key_in_the_message(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        LinksDesign(**kwargs)


@pytest.mark.parametrize("topology, terminals", [("+grid", 4), ("nearest", 2)])
def test_a_range_too_short_gives_an_empty_mesh_not_an_error(ts, topology, terminals):
    n = 12 * 12
    result = network_of(
        walker(12, 12), ts, max_range_km=1.0, topology=topology, terminals=terminals, snapshots=3
    )
    record = network_record(result)
    assert result.graph.n == n and result.graph.n_links == 0
    assert record["links"] == 0
    assert record["components"] == n
    assert record["largest_cluster_sats"] == 1
    assert record["hop_diameter"] == 0 and record["latency_diameter_ms"] == 0
    assert record["bisection_tbps"] == 0 and record["allreduce_s"] == 0
    assert record["over_orbit"]["min_links"] == 0
    assert record["over_orbit"]["min_largest_cluster_sats"] == 1
    assert json.loads(to_json_text(record))["links"] == 0


# ----------------------------------------------------------------------------- the plan JSON


PLAN_NETWORK_KEYS = {
    "links": int,
    "components": int,
    "largest_cluster_sats": int,
    "largest_cluster_compute_mw": float,
    "hop_diameter": float,
    "latency_diameter_ms": float,
    "diameter_exact": bool,
    "hop_diameter_exact": bool,
    "latency_diameter_exact": bool,
    "hop_diameter_method": str,
    "latency_diameter_method": str,
    "bisection_tbps": float,
    "allreduce_s": float,
    "over_orbit": dict,
}


#: A 12 x 14 shell at 70 deg and 340 km: its planes' shear (30 deg of node, 10 deg along the
#: track) is under half a slot (12.9 deg), so each satellite links the same slot of the next
#: plane and the mesh is the P x S torus.
CONTRACT_SHELL = Shell.walker(
    "w70", altitude_km=340.0, inclination_deg=70.0, planes=12, sats_per_plane=14
)


def plan_of(policy):
    constellation = Constellation(
        "links-plan",
        EPOCH,
        shells=(CONTRACT_SHELL,),
        satellite=SatelliteDesign.from_tables(battery={"policy": policy}),
        links=LinksDesign(max_range_km=1e5, snapshots=6),
    )
    return json.loads(to_json_text(plan_record(plan(constellation, stages=("network",)))))


@pytest.fixture(scope="module")
def plans():
    return {policy: plan_of(policy) for policy in ("ride_through", "shed")}


def test_plan_json_network_contract(ts, plans):
    result = plans["ride_through"]
    network = result["network"]
    for key, kind in PLAN_NETWORK_KEYS.items():
        assert isinstance(network[key], kind if kind is not float else (int, float)), key
    assert {"min_largest_cluster_sats", "mean_largest_cluster_sats"} <= set(network["over_orbit"])
    assert "_graph" not in network
    planes, sats_per_plane = 12, 14
    resolved = resolve(Constellation("links-plan", EPOCH, shells=(CONTRACT_SHELL,)), ts)
    assert brute_force_offset(resolved[0], max_range_km=1e5) == 0
    n = planes * sats_per_plane
    assert network["links"] == 2 * n
    assert network["components"] == 1
    assert network["largest_cluster_sats"] == n
    assert network["hop_diameter"] == planes // 2 + sats_per_plane // 2
    assert network["diameter_exact"] is True
    # P <= S, S even: the minimum bisection cuts each of the 12 planes' rings twice.
    capacity_gbps = LinksDesign().capacity_gbps
    assert network["bisection_tbps"] == pytest.approx(2 * planes * capacity_gbps / 1000.0)
    satellite_kw = result["sizing"]["satellite_compute_kw"]
    assert network["largest_cluster_compute_mw"] == pytest.approx(
        n * satellite_kw / 1000.0, rel=FLOAT_RTOL
    )
    hop_ms = network["mean_link_km"] / LIGHT_KM_S * 1e3
    allreduce = 2 * (n - 1) / n * 100.0 * 8 / capacity_gbps + 2 * (n - 1) * hop_ms / 1e3
    assert network["allreduce_s"] == pytest.approx(allreduce, rel=FLOAT_RTOL)
    assert network["over_orbit"]["min_largest_cluster_sats"] == n
    assert network["over_orbit"]["mean_largest_cluster_sats"] == n


def test_plan_with_eclipse_shedding_holds_less_compute(plans):
    shares = {}
    for policy, result in plans.items():
        network = result["network"]
        full_mw = network["largest_cluster_sats"] * result["sizing"]["satellite_compute_kw"] / 1e3
        shares[policy] = network["largest_cluster_compute_mw"] / full_mw
    assert shares["ride_through"] == pytest.approx(1.0, rel=FLOAT_RTOL)
    assert shares["shed"] < 1.0


# ----------------------------------------------------------------------------- the CLI


SCENARIO = """
[scenario]
name = "links-small"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "w340"
altitude_km = 340.0
inclination_deg = 53.0
planes = {planes}
sats_per_plane = {sats_per_plane}
phasing = 0

[links]
snapshots = 4
{links}
"""


def scenario(tmp_path, links="", planes=12, sats_per_plane=12):
    path = tmp_path / "links.toml"
    text = SCENARIO.format(planes=planes, sats_per_plane=sats_per_plane, links=links)
    path.write_text(text)
    return path


def test_cli_links_json_and_graphml_of_the_default_preset(tmp_path):
    result = run_cli(
        "links", "dawn-dusk-340", "--json", "-", "--graphml", "mesh.graphml", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    network, edges = out["network"], out["edge_list"]
    assert set(PLAN_NETWORK_KEYS) <= set(network)
    # 10 planes of 100 in a 10-degree band: an unwrapped cylinder.
    planes, sats_per_plane = 10, 100
    assert network["links"] == 2 * planes * sats_per_plane - sats_per_plane
    assert network["components"] == 1
    assert network["hop_diameter"] == (planes - 1) + sats_per_plane // 2
    assert network["bisection_tbps"] == pytest.approx(2 * planes * 100.0 / 1000.0)
    assert edges["n_sats"] == planes * sats_per_plane
    assert len(edges["links"]) == network["links"]
    for _, _, length, latency, _ in edges["links"]:
        assert latency == pytest.approx(
            length / LIGHT_KM_S * 1e3, abs=2 * EDGE_LIST_LATENCY_ATOL_MS
        )
    mesh = nx.read_graphml(tmp_path / "mesh.graphml", node_type=int)
    assert mesh.number_of_nodes() == planes * sats_per_plane
    assert edge_set(*zip(*mesh.edges(), strict=True)) == edge_set(
        [r[0] for r in edges["links"]], [r[1] for r in edges["links"]]
    )
    assert nx.number_connected_components(mesh) == 1
    lengths = {(min(a, b), max(a, b)): d for a, b, d, _, _ in edges["links"]}
    for a, b, data in mesh.edges(data=True):
        assert data["length_km"] == pytest.approx(
            lengths[(min(a, b), max(a, b))], abs=EDGE_LIST_LENGTH_ATOL_KM
        )


def test_cli_links_at_a_later_time(tmp_path):
    path = scenario(tmp_path)
    result = run_cli(
        "links", str(path), "--time", "2027-01-01T00:30:00Z", "--json", "-", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    network = json.loads(result.stdout)["network"]
    assert network["time_s"] == 1800.0
    assert network["over_orbit"]["time_s"][0] == 1800.0
    assert network["links"] == 2 * 144 and network["components"] == 1


def test_cli_links_with_a_range_too_short_reports_an_empty_mesh(tmp_path):
    path = scenario(tmp_path, "max_range_km = 1.0")
    result = run_cli("links", str(path), "--json", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["network"]["links"] == 0 and out["edge_list"]["links"] == []
    assert out["network"]["components"] == 144


@pytest.mark.parametrize(
    "links, message",
    [
        ("terminals = 3", "terminals=3"),
        ("grazing_altitude_km = -10.0", "grazing_altitude_km=-10"),
        ('topology = "mesh"', "topology"),
        ("max_range = 10.0", "max_range_km"),
    ],
)
def test_cli_links_bad_input_exits_2_with_one_line(tmp_path, links, message):
    path = scenario(tmp_path, links)
    result = run_cli("links", str(path), "--json", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_cli_table_labels_the_diameter_bound_truthfully(tmp_path, ts):
    from scipy.sparse.csgraph import shortest_path

    planes, sats_per_plane = 50, 60
    # The partners are a slot apart here (the shear), so the mesh is a twisted torus and
    # floor(P/2) + floor(S/2) only bounds it: the truth is scipy's, every source.
    graph = network_of(walker(planes, sats_per_plane), ts, snapshots=4).graph
    true_hops = float(np.max(shortest_path(graph.adjacency(), directed=False, unweighted=True)))
    assert true_hops <= planes // 2 + sats_per_plane // 2
    path = scenario(tmp_path, planes=planes, sats_per_plane=sats_per_plane)
    result = run_cli("links", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "hop diameter" in x)
    value = float(line.split("hop diameter")[1].strip(" │|").split()[0])
    if "lower bound" in line:
        assert value <= true_hops
    elif "upper bound" in line:
        assert value >= true_hops
    else:
        assert value == true_hops


def test_pair_lengths_are_numpys_norm_to_the_bit():
    # The mesh's lengths, on both paths, come from pair_lengths_km: it must be numpy's norm
    # exactly, or the two paths' latencies could differ in their last bits.
    from orbital.links import pair_lengths_km

    rng = np.random.default_rng(11)
    positions = rng.normal(scale=7000.0, size=(5000, 3))
    i, j = rng.integers(0, 5000, size=(2, 20000))
    expected = np.linalg.norm(positions[j] - positions[i], axis=1)
    assert np.array_equal(pair_lengths_km(positions, i, j), expected)
    assert pair_lengths_km(positions, i[:0], j[:0]).shape == (0,)

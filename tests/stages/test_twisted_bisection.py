"""The bisection of a +Grid whose partners shear it and whose seam twists it.

Authorities, kept independent of the code under test:

- Brute force: every split of a small mesh's satellites into ``n // 2`` and the rest, the
  least number of links crossing (networkx's ``cut_size`` counts the same for the split
  found).
- The geometry of a twisted torus: counted in the unsheared slot ``u = s - p k`` (``k`` the
  partner offset), the +Grid is the square grid folded by the lattice of ``(0, S)`` and
  ``(P, -t)``, ``t = (P - 1) k + seam offset (mod S)``; a straight cut along a lattice
  vector ``(a, b)`` crosses ``|a| + |b|`` links and two of them bisect the mesh, so on a
  torus whose halves can be made even the least straight bisection is twice the shortest
  lattice vector in the L1 norm.  A split of the satellites along that vector, counted by
  networkx, shows it is reached.
- The cross-plane partner a brute force over every offset picks (``tests/partner_oracle.py``,
  python-sgp4 called directly).
"""

import itertools

import networkx as nx
import numpy as np
import pytest
from partner_oracle import offset_table

from constellations.model.constellation import Constellation, Shell
from constellations.model.links import LinksDesign
from constellations.records import network_record
from constellations.stages.mesh_orbit import mesh_over_orbit
from constellations.stages.resolve import resolve
from orbital.links import PARTNER_SAMPLES, LinkGraph, plus_grid_cut_orders, plus_grid_edges
from orbital.network_metrics import bisection_gbps

EPOCH = "2027-01-01T00:00:00Z"


def brute_force_bisection(n, i, j):
    """The least number of links crossing any split into ``n // 2`` and the rest, and a
    split that reaches it."""
    combos = np.array(list(itertools.combinations(range(n), n // 2)), dtype=int)
    side = np.zeros((len(combos), n), dtype=bool)
    np.put_along_axis(side, combos, True, axis=1)
    cuts = np.count_nonzero(side[:, i] != side[:, j], axis=1)
    best = int(np.argmin(cuts))
    return int(cuts[best]), np.flatnonzero(side[best])


def networkx_cut(n, i, j, half) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(i.tolist(), j.tolist(), strict=True))
    return nx.cut_size(graph, set(half.tolist()))


def shortest_lattice_l1(planes, sats_per_plane, twist) -> int:
    """Shortest nonzero vector ``j (P, -t) + m (0, S)`` in the L1 norm, by enumeration."""
    return min(
        abs(j * planes) + abs(m * sats_per_plane - j * twist)
        for j in range(sats_per_plane + 1)
        for m in range(-sats_per_plane, sats_per_plane + 1)
        if (j, m) != (0, 0)
    )


# ----------------------------------------------------------------------------- small meshes

#: (planes, sats_per_plane, offset, seam_offset or None for an unwrapped cylinder)
SMALL = [
    (4, 4, 0, 0),  # the plain torus
    (4, 4, 1, 3),  # sheared and twisted: t = 3 k + 3 = 2 (mod 4)
    (4, 5, 0, 2),
    (4, 5, 3, 1),
    (5, 4, 1, 2),
    (3, 6, 2, 5),
    (3, 5, 1, 1),  # the cheapest direction alone splits unevenly: a dearer one is needed
    (2, 10, 2, 3),  # twist S/2 over two planes: the cut winds twice around the planes
    (6, 3, 2, 1),
    (4, 5, 2, None),  # a band of planes with a sheared partner
    (3, 6, 1, None),
    (1, 12, 0, None),  # one plane: a ring
]


@pytest.mark.parametrize(
    "planes, sats_per_plane, offset, seam_offset",
    SMALL,
    ids=[f"{c[0]}x{c[1]}-k{c[2]}-seam{c[3]}" for c in SMALL],
)
def test_straight_cuts_find_the_brute_force_minimum_bisection(
    planes, sats_per_plane, offset, seam_offset
):
    n = planes * sats_per_plane
    wrap = seam_offset is not None
    i, j, _ = plus_grid_edges(
        planes, sats_per_plane, wrap_planes=wrap, offset=offset, seam_offset=seam_offset or 0
    )
    graph = LinkGraph(n, i, j, np.full(len(i), 1000.0), np.ones(len(i)))
    orders = plus_grid_cut_orders(planes, sats_per_plane, offset=offset, seam_offset=seam_offset)
    for order in orders:
        assert sorted(order.tolist()) == list(range(n))
    exact, half = brute_force_bisection(n, i, j)
    assert networkx_cut(n, i, j, half) == exact
    assert bisection_gbps(graph, np.arange(n), orders) == exact


@pytest.mark.parametrize(
    "planes, sats_per_plane, offset, seam_offset",
    [(4, 4, 0, 0), (4, 4, 0, 1), (4, 4, 1, 3), (4, 4, 3, 2)],  # twists 0, 1, 2, 3
)
def test_the_brute_force_minimum_of_even_tori_is_the_shortest_lattice_vector(
    planes, sats_per_plane, offset, seam_offset
):
    n = planes * sats_per_plane
    i, j, _ = plus_grid_edges(
        planes, sats_per_plane, wrap_planes=True, offset=offset, seam_offset=seam_offset
    )
    twist = ((planes - 1) * offset + seam_offset) % sats_per_plane
    exact, _ = brute_force_bisection(n, i, j)
    assert exact == 2 * shortest_lattice_l1(planes, sats_per_plane, twist)


# ----------------------------------------------------------------------------- a Walker mesh


def test_a_twisted_walker_mesh_is_bisected_along_its_twist(ts):
    # 6 planes of 20 at 60 deg and 2,000 km with F = 2: the partner is two slots behind, and
    # the seam lands 10 slots round, half a plane: the cheapest cut winds twice round the
    # planes and crosses 12 links where cutting across the planes crosses 20.
    planes, per_plane, phasing = 6, 20, 2
    shell = Shell.walker(
        "t",
        altitude_km=2000.0,
        inclination_deg=60.0,
        planes=planes,
        sats_per_plane=per_plane,
        phasing=phasing,
    )
    design = LinksDesign(max_range_km=1e5, snapshots=1)
    constellation = Constellation("twisted", EPOCH, shells=(shell,), links=design)
    resolved = resolve(constellation, ts)
    result = mesh_over_orbit(
        constellation, resolved, design, [100.0], shed=False, period_min=resolved[0].period_min
    )
    record = network_record(result)
    (partners,) = record["cross_plane_partners"]
    limits = {"max_range_km": design.max_range_km, "grazing_km": design.grazing_altitude_km}
    table = offset_table(resolved[0], EPOCH, 0, 1, PARTNER_SAMPLES, **limits)
    assert partners["offset"] in table.best()
    assert partners["seam_offset"] == (partners["offset"] + phasing) % per_plane
    n = planes * per_plane
    assert record["links"] == 2 * n  # every link of the torus closes at the snapshot
    offset = partners["offset"]
    twist = ((planes - 1) * offset + partners["seam_offset"]) % per_plane
    assert twist == per_plane // 2
    least = 2 * shortest_lattice_l1(planes, per_plane, twist)
    assert least == 24
    capacity_tbps = design.capacity_gbps / 1000.0
    assert record["bisection_tbps"] == pytest.approx(least * capacity_tbps)
    # Reached: the satellites whose unsheared slot, modulo half a plane, is below a quarter.
    graph = result.graph
    plane, slot = np.divmod(np.arange(n), per_plane)
    u = (slot - plane * offset) % per_plane
    half = np.flatnonzero(u % (per_plane // 2) < per_plane // 4)
    assert len(half) == n // 2
    assert networkx_cut(n, graph.i, graph.j, half) == least
    # Across the planes (the cut that ignores the twist) it takes 2 S links.
    across = np.flatnonzero(plane < planes // 2)
    assert networkx_cut(n, graph.i, graph.j, across) == 2 * per_plane > least

"""The planner's mesh diameters of Walker shells above the all-sources limit, against brute force.

Authority: scipy.sparse.csgraph.shortest_path from every satellite (all pairs) on the
same mesh, built by the planner from SGP4 positions (python-sgp4 through the symmetric
propagator) at one instant, with cross-plane links cut above a latitude.
"""

import numpy as np
import pytest
from scipy.sparse.csgraph import shortest_path

from constellations.model.constellation import Constellation, Shell
from constellations.model.links import LinksDesign
from constellations.stages.mesh_orbit import positions_at
from constellations.stages.network import (
    build_graph,
    candidate_edges,
    measure,
    node_attributes,
    shell_grids,
)
from constellations.stages.resolve import resolve
from orbital.network_metrics import EXACT_DIAMETER_MAX_NODES, components, largest_component

EPOCH = "2027-01-01T00:00:00Z"
#: scipy sums a path's link latencies in another order: float64 rounding of a hundred links.
FLOAT_RTOL = 1e-12


def planner_mesh(ts, max_latitude_deg, planes, **shell):
    """The planner's mesh of a ``planes`` x 60 shell at 550 km, 53 deg, 123 s after the epoch."""
    constellation = Constellation(
        "diameters",
        EPOCH,
        shells=(
            Shell.walker(
                "w",
                altitude_km=550.0,
                inclination_deg=53.0,
                planes=planes,
                sats_per_plane=60,
                **shell,
            ),
        ),
        links=LinksDesign(max_cross_plane_latitude_deg=max_latitude_deg),
    )
    resolved = resolve(constellation, ts)
    grids = shell_grids(resolved, constellation.links)
    candidates = candidate_edges(resolved, constellation.links, grids)
    positions = positions_at(constellation, resolved, [123.0], ts)[0]
    nodes = node_attributes(constellation, [1.0])
    graph = build_graph(positions, constellation.links, candidates, nodes)
    return graph, positions, grids, constellation.links


def all_pairs(graph, weight):
    _, labels = components(graph)
    members = largest_component(graph, labels)
    matrix = graph.adjacency(weight)[members][:, members]
    return float(np.max(shortest_path(matrix, directed=False, unweighted=weight is None)))


@pytest.mark.parametrize(
    "planes, shell, latitude, hop_method, latency_method",
    [
        # 36 planes: the partner one slot back (the shear), 40 of a star: the same slot.
        (
            36,
            {},
            45.0,
            "one source per slot, plane rotation",
            "one source per slot, plane rotation",
        ),
        (40, {"pattern": "star"}, 45.0, "plane rings", "plane rings"),
        (36, {"phasing": 1}, 90.0, "one source, vertex-transitive", None),
    ],
)
def test_planner_diameters_are_all_pairs_shortest_paths(
    ts, planes, shell, latitude, hop_method, latency_method
):
    graph, positions, grids, design = planner_mesh(ts, latitude, planes, **shell)
    assert graph.n > EXACT_DIAMETER_MAX_NODES
    snapshot = measure(graph, design, positions, shed=False, grids=grids)
    hops, latency = snapshot.hop_diameter, snapshot.latency_diameter_ms
    hops_true, latency_true = all_pairs(graph, None), all_pairs(graph, "latency_ms")
    assert hops.method == hop_method and hops.exact and hops.value == hops_true
    assert latency.lower <= latency_true * (1 + FLOAT_RTOL)
    assert latency_true <= latency.upper * (1 + FLOAT_RTOL)
    if latency_method is None:  # phasing 1: no symmetry at one instant, a bracket
        assert latency.method.startswith("bounding") and not latency.exact
        assert snapshot.diameter_exact is False
    else:
        assert latency.method == latency_method and latency.exact
        assert latency.value == pytest.approx(latency_true, rel=FLOAT_RTOL)
        assert snapshot.diameter_exact is True

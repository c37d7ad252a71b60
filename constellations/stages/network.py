"""The laser mesh of a constellation: build it at an instant, measure it, watch it over an orbit.

Applies :mod:`orbital.links` and :mod:`orbital.network_metrics` to the
designs.  Positions come from the symmetric propagator (TEME; link geometry
does not depend on the frame), compute per satellite from the sizing.
"""

from dataclasses import dataclass, replace

import numpy as np

from constellations.model.links import LinksDesign
from constellations.stages.grid_classes import grid_links_close
from constellations.stages.resolve import ResolvedShell
from orbital.candidate_adjacency import CandidateAdjacency
from orbital.links import (
    CrossPlanePartners,
    LinkGraph,
    cross_plane_partners,
    nearest_edges,
    pair_lengths_km,
    plus_grid_cut_orders,
    plus_grid_edges,
)
from orbital.nested_components import failed_from_wear, nested_failure_components
from orbital.network_metrics import (
    Diameter,
    GridLayout,
    bisection_gbps,
    components,
    diameter,
    largest_component,
    ring_allreduce_s,
)


@dataclass(frozen=True)
class ShellGrid:
    """A Walker shell's +Grid: its name, size, and the cross-plane partners chosen for it
    (:class:`orbital.links.CrossPlanePartners`; ``seam_offset`` None when the planes do
    not wrap)."""

    name: str
    planes: int
    sats_per_plane: int
    partners: CrossPlanePartners

    def cut_orders(self) -> list[np.ndarray]:
        """The shell's cheapest straight cuts (:func:`orbital.links.plus_grid_cut_orders`)."""
        return plus_grid_cut_orders(
            self.planes,
            self.sats_per_plane,
            offset=self.partners.offset,
            seam_offset=self.partners.seam_offset,
        )


def shell_grids(resolved: list[ResolvedShell], design: LinksDesign) -> tuple[ShellGrid, ...]:
    """Every shell's +Grid, its cross-plane partners chosen once from its geometry over
    one orbit, for the design's range and grazing altitude
    (:func:`orbital.links.cross_plane_partners`)."""
    grids = []
    for shell in resolved:
        s = shell.shell
        if s.formation is not None:  # a formation's members link within their cluster
            continue
        partners = cross_plane_partners(
            shell.walker,
            wrap_planes=s.spread_deg == 360.0,
            max_range_km=design.max_range_km,
            min_grazing_altitude_km=design.grazing_altitude_km,
        )
        grids.append(ShellGrid(s.name, s.planes, s.sats_per_plane, partners))
    return tuple(grids)


def candidate_edges(resolved: list[ResolvedShell], design: LinksDesign, grids=None):
    """+Grid candidates of every shell: ``(i, j, cross_plane)`` in global satellite indices.

    ``grids`` (from :func:`shell_grids`, one per shell) default to those of
    ``resolved`` for ``design``.
    """
    if grids is None:
        grids = shell_grids(resolved, design)
    parts_i, parts_j, parts_x = [], [], []
    walkers = [shell for shell in resolved if shell.shell.formation is None]
    for shell, grid in zip(walkers, grids, strict=True):
        partners = grid.partners
        i, j, x = plus_grid_edges(
            grid.planes,
            grid.sats_per_plane,
            wrap_planes=partners.seam_offset is not None,
            offset=partners.offset,
            seam_offset=partners.seam_offset or 0,
        )
        parts_i.append(i + shell.first_id)
        parts_j.append(j + shell.first_id)
        parts_x.append(x)
    if not parts_i:
        empty = np.array([], dtype=int)
        return empty, empty, np.array([], dtype=bool)
    return np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_x)


def cluster_edges(positions_km, design: LinksDesign):
    """Links ``(i, j)`` among one cluster's members (positions ``(n, 3)`` km, inertial).

    Each member links to its nearest members within ``cluster_range_km``, at most
    ``cluster_terminals`` each, shortest first (:func:`orbital.links.nearest_edges`); links
    rising more than ``cluster_field_of_regard_deg`` out of the orbital plane (the cluster's
    mean angular momentum) are dropped.
    """
    pos = np.asarray(positions_km, dtype=float)
    i, j = nearest_edges(
        pos, design.cluster_terminals, design.cluster_range_km, design.cluster_terminals, 0.0
    )
    if design.cluster_field_of_regard_deg < 90.0 and len(i):
        centre = np.nanmean(pos, axis=0)
        ahead = np.nanmean(np.diff(pos, axis=0), axis=0)
        d = pos[j] - pos[i]
        normal = np.cross(centre, ahead) if np.any(ahead) else np.array([0.0, 0.0, 1.0])
        normal /= np.linalg.norm(normal)
        sin_el = np.abs(d @ normal) / np.linalg.norm(d, axis=1)
        ok = sin_el <= np.sin(np.radians(design.cluster_field_of_regard_deg)) + 1e-12
        i, j = i[ok], j[ok]
    return i, j


def formation_clusters(resolved) -> list[np.ndarray]:
    """Global satellite indices of every formation's clusters, one array a cluster."""
    out = []
    for shell in resolved:
        f = shell.shell.formation
        if f is not None:
            for c in range(f.clusters):
                out.append(shell.first_id + c * f.n_members + np.arange(f.n_members))
    return out


def build_graph(
    positions_km: np.ndarray, design: LinksDesign, candidates, nodes: dict, clusters=()
) -> LinkGraph:
    """The mesh at one instant from positions ``(n, 3)`` km (any Earth-centred frame).

    ``clusters`` (:func:`formation_clusters`) are the formations' members, linked only
    within their cluster (:func:`cluster_edges`) at ``design.cluster_capacity_gbps``.
    """
    n = len(positions_km)
    if design.topology == "nearest":
        others = positions_km
        if clusters:
            others = np.array(positions_km, dtype=float)
            others[np.concatenate(clusters)] = np.nan
        i, j = nearest_edges(
            others,
            design.terminals,
            design.max_range_km,
            design.terminals,
            design.grazing_altitude_km,
        )
    else:
        i, j, cross = candidates
        ok = grid_links_close(positions_km[i], positions_km[j], cross, design)
        i, j = i[ok], j[ok]
        if design.inter_shell:
            from orbital.links import inter_shell_edges

            a, b = inter_shell_edges(
                positions_km,
                nodes["shell"],
                design.terminals - 4,
                design.max_range_km,
                design.grazing_altitude_km,
            )
            i, j = np.concatenate([i, a]), np.concatenate([j, b])
    capacity = np.full(len(i), design.capacity_gbps)
    for members in clusters:
        a, b = cluster_edges(positions_km[members], design)
        i, j = np.concatenate([i, members[a]]), np.concatenate([j, members[b]])
        capacity = np.concatenate([capacity, np.full(len(a), design.cluster_capacity_gbps)])
    length = pair_lengths_km(np.asarray(positions_km, dtype=float), i, j)
    return LinkGraph(n, i, j, length, capacity, nodes)


def node_attributes(constellation, compute_kw_per_shell, sunlit=None) -> dict:
    """Node arrays ``(n_sat,)`` of the mesh: who each satellite is, its compute, its sunlight.

    ``sunlit`` (visible fraction of the Sun) defaults to full sun.
    """
    from constellations.stages.propagate import satellite_table

    table = satellite_table(constellation)
    if sunlit is None:
        sunlit = np.ones(constellation.n_sats)
    compute = np.asarray(compute_kw_per_shell, dtype=float)[table["shell"]]
    return {
        "shell": table["shell"],
        "plane": table["plane"],
        "slot": table["slot"],
        "compute_kw": compute,
        "sunlit": np.asarray(sunlit, dtype=float),
    }


def _orders(nodes: dict, positions_km: np.ndarray, members, grids=()) -> list[np.ndarray]:
    """Natural orders of ``members`` (ascending indices) to cut them in half: by plane, by
    slot, along each axis, and for a +Grid each shell's cheapest straight cuts (``grids``,
    :func:`shell_grids`), which follow the partners' shear and the seam's twist.  Each is
    the order of every satellite with the others left out (sorting stably only the members
    gives the same)."""
    members = np.asarray(members)
    shell, plane, slot = (np.asarray(nodes[key])[members] for key in ("shell", "plane", "slot"))
    keys = [np.lexsort((slot, plane, shell)), np.lexsort((plane, slot, shell))]
    finite = np.nan_to_num(np.asarray(positions_km)[members])
    keys += [np.argsort(finite[:, k], kind="stable") for k in range(3)]
    orders = [members[key] for key in keys]
    # Only the shells holding members are cut along their lattice (the others' order would
    # be filtered out).
    held = [g for g in np.unique(shell) if g < len(grids)]
    if held:
        everyone = np.asarray(nodes["shell"])
        inside = np.zeros(len(everyone), dtype=bool)
        inside[members] = True
        per_shell = {g: grids[g].cut_orders() for g in held}
        starts = np.searchsorted(everyone, np.arange(len(grids)))  # shells are contiguous
        for rank in range(max(len(shell_orders) for shell_orders in per_shell.values())):
            ranked = np.arange(len(everyone), dtype=np.int64)  # element sets: in index order
            for g, shell_orders in per_shell.items():
                order = shell_orders[min(rank, len(shell_orders) - 1)]
                ranked[starts[g] : starts[g] + len(order)] = starts[g] + order
            orders.append(ranked[inside[ranked]])
    return orders


@dataclass(frozen=True)
class MeshSnapshot:
    """The mesh at one instant, ``time_s`` after the epoch.

    The largest cluster's satellites and compute (MW; shed in eclipse when the
    battery policy sheds), its hop and latency diameters (each says whether it is
    exact, else its bracket: :func:`orbital.network_metrics.diameter`), its
    bisection bandwidth (Tbps), a ring all-reduce time (s) and the mean link
    length (km; None without links).
    """

    time_s: float
    links: int
    components: int
    largest_cluster_sats: int
    largest_cluster_compute_mw: float
    hop_diameter: Diameter
    latency_diameter_ms: Diameter
    bisection_tbps: float
    allreduce_s: float
    mean_link_km: float | None

    @property
    def diameter_exact(self) -> bool:
        return bool(self.hop_diameter.exact and self.latency_diameter_ms.exact)


def measure(
    graph: LinkGraph,
    design: LinksDesign,
    positions_km,
    *,
    shed: bool,
    time_s: float = 0.0,
    grids=(),
    clusters=None,
    hop_diameter: Diameter | None = None,
) -> MeshSnapshot:
    """The mesh figures of one snapshot (positions ``(n, 3)`` km); ``grids`` (the +Grid's
    shells, :func:`shell_grids`) add their straight cuts to the bisection's candidates.
    ``clusters`` is ``(n_components, labels)`` of ``graph`` when already known
    (:func:`orbital.network_metrics.components`), else found here; ``hop_diameter`` the
    largest cluster's hop diameter when already found (:func:`largest_cluster_hop_diameter`)."""
    n_components, labels = components(graph) if clusters is None else clusters
    members = largest_component(graph, labels)
    compute = graph.nodes["compute_kw"] * (graph.nodes["sunlit"] if shed else 1.0)
    mean_latency_ms = float(np.mean(graph.latency_ms)) if graph.n_links else 0.0
    return MeshSnapshot(
        time_s=float(time_s),
        links=int(graph.n_links),
        components=int(n_components),
        largest_cluster_sats=int(len(members)),
        largest_cluster_compute_mw=float(np.sum(compute[members]) / 1000.0),
        hop_diameter=hop_diameter or diameter(graph, members, layouts=_layouts(grids)),
        latency_diameter_ms=diameter(graph, members, weight="latency_ms", layouts=_layouts(grids)),
        bisection_tbps=bisection_gbps(
            graph, members, _orders(graph.nodes, positions_km, members, grids)
        )
        / 1000.0,
        allreduce_s=ring_allreduce_s(
            len(members),
            design.allreduce_model_gb,
            _ring_capacity_gbps(graph, members, design),
            mean_latency_ms,
        ),  # fmt: skip
        mean_link_km=float(np.mean(graph.length_km)) if graph.n_links else None,
    )


def largest_cluster_hop_diameter(graph: LinkGraph, labels, grids=()) -> Diameter:
    """The hop diameter of ``graph``'s largest cluster (``labels`` ``(n,)`` its clusters),
    as :func:`measure` finds it."""
    return diameter(graph, largest_component(graph, labels), layouts=_layouts(grids))


def _layouts(grids) -> list[GridLayout]:
    """Each shell's +Grid as :class:`orbital.network_metrics.GridLayout` (the diameters match
    a cluster to its shell by the nodes' plane and slot)."""
    return [
        GridLayout(g.planes, g.sats_per_plane, g.partners.offset, g.partners.seam_offset)
        for g in grids
    ]


def _ring_capacity_gbps(graph: LinkGraph, members, design: LinksDesign) -> float:
    """The slowest link of the largest cluster, Gbps: the ring all-reduce's bottleneck
    (every link is ``capacity_gbps`` without formations; ``capacity_gbps`` with no link)."""
    capacity = np.asarray(graph.capacity_gbps)
    if capacity.size == 0 or capacity.min() == capacity.max():  # one kind of link
        return float(capacity[0]) if capacity.size else design.capacity_gbps
    member = np.zeros(graph.n, dtype=bool)
    member[np.asarray(members)] = True
    inside = member[graph.i]
    if not np.any(inside):
        return design.capacity_gbps
    return float(np.min(capacity[inside]))


def cluster_mesh(positions_km, design: LinksDesign, compute_kw: float) -> "MeshSnapshot | None":
    """One formation cluster's mesh at an instant (members' positions ``(n, 3)`` km): its
    :func:`cluster_edges` at ``design.cluster_capacity_gbps``, measured as any mesh
    (:func:`measure`); None for a single member."""
    pos = np.asarray(positions_km, dtype=float)
    n = len(pos)
    if n < 2:
        return None
    i, j = cluster_edges(pos, design)
    nodes = {
        "shell": np.zeros(n, dtype=np.int32),
        "plane": np.zeros(n, dtype=np.int32),
        "slot": np.arange(n, dtype=np.int32),
        "compute_kw": np.full(n, float(compute_kw)),
        "sunlit": np.ones(n),
    }
    length = pair_lengths_km(pos, i, j)
    graph = LinkGraph(n, i, j, length, np.full(len(i), design.cluster_capacity_gbps), nodes)
    return measure(graph, design, pos, shed=False)


#: Shares of satellites failed in the epoch mesh's failure sweep (nested random sets).
FAILURE_SWEEP = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
#: Least breadth-first trees a share's bounded hop diameter grows: a double sweep.  The
#: sweep reports the lower end (the largest eccentricity found), which the first two trees
#: set; the next ones narrow the upper end, which it does not report, and on a cluster of
#: a million-satellite shell never closed the bracket (each tree some 45 ms here).  Small
#: clusters still get :data:`orbital.network_metrics.DIAMETER_WORK_LINKS` of trees.
FAILURE_SWEEP_SOURCES = 2


@dataclass(frozen=True)
class FailureSweep:
    """The mesh at one snapshot as growing shares of its satellites fail, one entry per share.

    For each ``failure_fraction``: the working satellites, the largest
    cluster of them (count, share of the working ones, compute in MW), the
    number of clusters, and the largest cluster's hop diameter (None when
    nothing works; ``hop_diameter_exact`` False when it is the lower end of a
    bracket, :func:`failure_sweep`), and the shells (or element sets) the
    largest cluster's satellites fly in, their names joined by `` + `` ("" when
    nothing works): the largest cluster may move to another shell as shares
    grow, and its diameter with it.  Failures are seeded with ``seed`` and
    nested.
    """

    failure_fraction: tuple[float, ...]
    working_sats: tuple[int, ...]
    largest_cluster_sats: tuple[int, ...]
    largest_cluster_share_of_working: tuple[float, ...]
    largest_cluster_compute_mw: tuple[float, ...]
    clusters: tuple[int, ...]
    hop_diameter: tuple[float | None, ...]
    hop_diameter_exact: tuple[bool, ...]
    largest_cluster_shells: tuple[str, ...]
    seed: int


def _group_names(graph: LinkGraph, members, names) -> str:
    """The names of the groups (``graph.nodes["shell"]``) ``members`` fly in, joined by
    `` + `` in group order; ``names`` by group index, else the index itself."""
    group = graph.nodes.get("shell") if graph.nodes else None
    if not len(members) or group is None:
        return ""
    present = np.flatnonzero(np.bincount(np.asarray(group)[members]))  # no sort
    return " + ".join(names[g] if g < len(names) else str(g) for g in present.tolist())


def failure_sweep(
    graph: LinkGraph,
    *,
    shed: bool,
    seed: int = 0,
    fractions=FAILURE_SWEEP,
    grids=(),
    intact_hop_diameter=None,
    group_names=(),
) -> FailureSweep:
    """The mesh at one snapshot with growing shares of its satellites failed.

    Failures are seeded and nested (every satellite failed at 5 % is failed at
    10 %), so the curves show one fleet wearing out rather than independent
    draws.  Compute is shed when eclipsed with ``shed``.  The clusters of
    every share come from one maximum spanning forest of the links by how
    long they work
    (:func:`orbital.nested_components.nested_failure_components`).  The hop
    diameter is the largest cluster's, by
    :func:`orbital.network_metrics.diameter` on ``graph`` itself (a cluster of
    working satellites holds all of their links): with ``grids`` (the +Grid's
    shells, :func:`shell_grids`) a whole shell's mesh, as the intact mesh's
    largest cluster is, is exact by the lattice's symmetry as in
    :func:`measure`; a cluster with failed satellites in it is bounded by
    Takes and Kosters' eccentricity bounds (at least
    :data:`FAILURE_SWEEP_SOURCES` breadth-first trees, a double sweep):
    exact when the bounds meet, else the lower end of the bracket, the
    largest eccentricity found.  ``intact_hop_diameter`` is the hop diameter of
    ``graph``'s largest cluster as :func:`measure` found it (a :class:`Diameter`,
    or a function of no arguments giving it, asked when the sweep comes to that share:
    the sweep may start before it is known): a share at which nothing fails reports it
    instead of searching the same cluster again.
    ``group_names`` name the shells and element sets by ``graph.nodes["shell"]``
    (the groups of :func:`node_attributes`); without them, or without that
    node array, a group is named by its index.
    """
    wear = np.random.default_rng(seed).random(graph.n)
    compute_kw = graph.nodes["compute_kw"] * (graph.nodes["sunlit"] if shed else 1.0)
    if graph.pattern is None:  # the diameters' adjacency, built once and kept by the graph
        graph = replace(graph, pattern=CandidateAdjacency.of(graph.n, graph.i, graph.j))
    failed_from, order = failed_from_wear(wear, fractions)
    nested = nested_failure_components(graph.n, graph.i, graph.j, failed_from, len(order))
    layouts = _layouts(grids)
    rows = [None] * len(order)
    for share, place in enumerate(order):
        members = nested.members(share)
        working = int(nested.working[share])
        if not len(members):
            hops = None
        elif intact_hop_diameter is not None and working == graph.n:  # the intact mesh
            hops = intact_hop_diameter() if callable(intact_hop_diameter) else intact_hop_diameter
        else:
            hops = diameter(graph, members, layouts=layouts, least_sources=FAILURE_SWEEP_SOURCES)
        rows[place] = (
            float(fractions[place]),
            working,
            int(len(members)),
            len(members) / working if working else 0.0,
            float(np.sum(compute_kw[members]) / 1000.0),
            int(nested.clusters[share]),
            None if hops is None else hops.value,
            bool(hops is None or hops.exact),
            _group_names(graph, members, group_names),
        )
    return FailureSweep(*(tuple(column) for column in zip(*rows, strict=True)), seed=int(seed))

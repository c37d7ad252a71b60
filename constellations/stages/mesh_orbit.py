"""The laser mesh over one orbit: snapshots by link classes or link by link, and the stage.

:func:`mesh_over_orbit` watches the mesh of :mod:`constellations.stages.network` at
instants over one orbit: on the symmetric path (Walker shells' link classes,
:mod:`orbital.link_classes`; the candidates' sparse structure built once,
:mod:`orbital.candidate_adjacency`) or link by link; :class:`NetworkResult` is the network
stage's result.  Positions come from the symmetric propagator (TEME).
"""

from concurrent.futures import Future
from dataclasses import dataclass, replace

import numpy as np

from constellations.model.links import LinksDesign
from constellations.stages.grid_classes import grid_link_classes, grid_links_close
from constellations.stages.network import (
    FailureSweep,
    MeshSnapshot,
    ShellGrid,
    build_graph,
    candidate_edges,
    failure_sweep,
    formation_clusters,
    largest_cluster_hop_diameter,
    measure,
    node_attributes,
    shell_grids,
)
from constellations.stages.parallel import in_background
from orbital.candidate_adjacency import CandidateAdjacency
from orbital.links import LinkGraph, pair_lengths_km
from orbital.network_metrics import components, largest_component
from orbital.times import TimeGrid, builtin_timescale

#: Above this many bytes of float64 snapshots the positions are kept as float32
#: (7,000 km to 0.5 m: nothing a link length or a shadow edge notices).
FLOAT64_SNAPSHOT_BYTES = 1 << 30


def snapshot_dtype(n_sats: int, n_snapshots: int):
    """float64, or float32 above :data:`FLOAT64_SNAPSHOT_BYTES` of float64 snapshots."""
    n_bytes = n_sats * n_snapshots * 3 * 8
    return np.float64 if n_bytes <= FLOAT64_SNAPSHOT_BYTES else np.float32


def positions_at(constellation, resolved, times_s, ts=None, dtype=None) -> np.ndarray:
    """TEME positions ``(n_snapshots, n_sat, 3)`` km of every satellite at ``times_s``.

    One propagation call for all snapshots, so each reference plane is built
    once.  ``dtype`` defaults to :func:`snapshot_dtype` of the snapshots asked for.
    """
    from constellations.stages.propagate import stream_positions
    from orbital.times import TimeGrid

    times_s = np.atleast_1d(np.asarray(times_s, dtype=float))
    grid = TimeGrid.from_offsets(constellation.epoch, times_s)
    if dtype is None:
        dtype = snapshot_dtype(constellation.n_sats, len(times_s))
    out = np.empty((len(times_s), constellation.n_sats, 3), dtype=dtype)
    chunks = stream_positions(
        constellation, grid, frame="teme", resolved=resolved, ts=ts, dtype=dtype
    )
    for chunk in chunks:
        out[:, chunk.start : chunk.stop] = chunk.positions_km.transpose(1, 0, 2)
    return out


def walker_positions_at(constellation, resolved, satellites, times_s, ts=None) -> np.ndarray:
    """TEME positions ``(n_snapshots, len(satellites), 3)`` km of some Walker-shell satellites.

    ``satellites`` are global indices (sorted, unique); only their rows of the
    shells' reference planes are turned
    (:func:`orbital.propagation.propagate_walker_satellites`), with the values
    and the precision :func:`positions_at` gives them.
    """
    from orbital.propagation import propagate_walker_satellites

    satellites = np.asarray(satellites, dtype=np.int64)
    times_s = np.atleast_1d(np.asarray(times_s, dtype=float))
    grid = TimeGrid.from_offsets(constellation.epoch, times_s)
    dtype = snapshot_dtype(constellation.n_sats, len(times_s))
    out = np.full((len(times_s), len(satellites), 3), np.nan, dtype=dtype)
    for shell in resolved:
        first = shell.first_id
        mine = np.flatnonzero((satellites >= first) & (satellites < first + shell.n_sats))
        if shell.shell.formation is not None or not len(mine):
            continue
        rows = propagate_walker_satellites(
            shell.walker, grid, satellites[mine] - first, frame="teme", dtype=dtype, ts=ts
        )
        out[:, mine] = rows.transpose(1, 0, 2)
    return out


@dataclass(frozen=True)
class MeshOverOrbit:
    """The mesh at ``snapshots`` instants over one orbit, arrays ``(snapshots,)``.

    ``largest_cluster_sats_with_failures`` is None unless a share
    ``failure_fraction`` of the satellites is failed (seeded) in the design.
    """

    time_s: np.ndarray
    largest_cluster_sats: np.ndarray
    largest_cluster_compute_mw: np.ndarray
    links: np.ndarray
    failure_fraction: float
    largest_cluster_sats_with_failures: np.ndarray | None

    @property
    def snapshots(self) -> int:
        return len(self.time_s)


@dataclass(frozen=True, eq=False)
class NetworkResult:
    """The network stage: the mesh at a snapshot (``graph``, with every node and link
    attribute, for export), its failure sweep, and the mesh over one orbit.  ``grids``
    holds each shell's +Grid and cross-plane partners (empty for ``nearest``)."""

    snapshot: MeshSnapshot
    under_failures: FailureSweep
    over_orbit: MeshOverOrbit
    design: LinksDesign
    graph: LinkGraph
    grids: tuple[ShellGrid, ...] = ()

    @property
    def topology(self) -> str:
        return self.design.topology


@dataclass(frozen=True, eq=False)
class OrbitSnapshot:
    """The mesh at one instant of :func:`orbit_snapshots`, ``time_s`` after the epoch.

    ``positions_km`` ``(n, 3)`` TEME; ``i``, ``j`` ``(m,)`` the links that
    close; ``labels`` ``(n,)`` their clusters (``n_components`` of them, as
    :func:`orbital.network_metrics.components` numbers them) and
    ``labels_with_failures`` the clusters once the failed satellites' links
    are cut (None without failures).  On the general path ``graph`` is the
    :class:`LinkGraph` built (:func:`build_graph`); on the symmetric path it
    is None (the orbit needs no lengths) and ``keep`` ``(m_candidates,)``
    says which candidates close, on the pattern ``adjacency`` shared by every
    snapshot.
    """

    time_s: float
    positions_km: np.ndarray | None
    i: np.ndarray
    j: np.ndarray
    n_components: int
    labels: np.ndarray
    labels_with_failures: np.ndarray | None
    graph: LinkGraph | None = None
    keep: np.ndarray | None = None
    adjacency: CandidateAdjacency | None = None

    @property
    def symmetric(self) -> bool:
        return self.graph is None

    def link_graph(self, design: LinksDesign, nodes: dict) -> LinkGraph:
        """The snapshot's :class:`LinkGraph` with ``nodes``: the general path's own, or the
        symmetric path's links with their lengths (computed as :func:`build_graph` does)."""
        if self.graph is not None:
            return replace(self.graph, nodes=nodes)
        pos = self.positions_km
        length = pair_lengths_km(pos, self.i, self.j)
        capacity = np.full(len(self.i), design.capacity_gbps)
        pattern = self.adjacency.restricted(self.keep)
        return LinkGraph(len(pos), self.i, self.j, length, capacity, nodes, pattern)


def _candidate_pattern(n: int, i, j) -> CandidateAdjacency:
    """:meth:`CandidateAdjacency.of`, and the import of the graph searches that read it
    (0.1-0.2 s, so it is paid beside other work when this runs in the background)."""
    import scipy.sparse.csgraph  # noqa: F401

    return CandidateAdjacency.of(n, i, j)


def orbit_snapshots(
    constellation,
    resolved,
    design: LinksDesign,
    times_s,
    nodes: dict,
    *,
    failed=None,
    symmetric: bool = True,
    all_positions: bool = True,
    grids=None,
    candidates=None,
    ts=None,
):
    """The mesh at each of ``times_s`` (s after the epoch), one :class:`OrbitSnapshot` each.

    ``nodes`` are the graph's node arrays (:func:`node_attributes`); ``failed``
    (boolean ``(n,)``, or None) the satellites whose links are cut for
    ``labels_with_failures``.  ``grids`` and ``candidates`` default to
    :func:`shell_grids` and :func:`candidate_edges` of ``resolved``.  Without
    ``all_positions`` the symmetric path propagates every satellite at the
    first instant only (after it, ``positions_km`` is None): deciding the
    links needs only the planes holding the classes' representatives.

    With ``symmetric`` a +Grid mesh of Walker shells, without formations or
    inter-shell links, takes the symmetric path: whether a link closes is
    decided once per link class (:mod:`orbital.link_classes`; every link of a
    class has the same length, beam altitude and end latitudes), the CSR
    pattern of the candidates is built once (:class:`orbital.candidate_adjacency.
    CandidateAdjacency`), and the clusters are found again only when some class
    opens or closes.  Anything else (element sets, formations, ``nearest``,
    inter-shell links, ``symmetric=False``) builds every snapshot's graph
    (:func:`build_graph`).  Both give the same links and clusters.
    """
    ts = ts or builtin_timescale()
    plus_grid = design.topology == "+grid"
    if grids is None:
        grids = shell_grids(resolved, design) if plus_grid else ()
    if candidates is None and plus_grid:
        candidates = candidate_edges(resolved, design, grids)
    clusters = formation_clusters(resolved)
    classes = pattern = None
    if symmetric and plus_grid and not design.inter_shell and not clusters:
        # The candidates' CSR pattern on the other core while the classes are found and the
        # classes' ends propagated (unused, and let finish, if the shells have no classes).
        pattern = in_background(_candidate_pattern, constellation.n_sats, *candidates[:2])
        classes = grid_link_classes(resolved, grids, candidates)
    times_s = np.atleast_1d(np.asarray(times_s, dtype=float))
    if classes is None:
        every_position = positions_at(constellation, resolved, times_s, ts)
        for k, time_s in enumerate(times_s):
            positions = every_position[k].astype(float, copy=False)
            graph = build_graph(positions, design, candidates, nodes, clusters)
            n_components, labels = components(graph)
            labels_f = None if failed is None else components(graph.without_nodes(failed))[1]
            yield OrbitSnapshot(
                float(time_s), positions, graph.i, graph.j, n_components, labels, labels_f, graph
            )
        return
    ci, cj, cross = candidates
    alive = None if failed is None else ~(failed[ci] | failed[cj])
    rep = classes.representative
    ends, at = np.unique(np.concatenate([ci[rep], cj[rep]]), return_inverse=True)
    row_i, row_j = at[: len(rep)], at[len(rep) :]
    ends_km = walker_positions_at(constellation, resolved, ends, times_s, ts)
    wanted = times_s if all_positions else times_s[:1]
    dtype = snapshot_dtype(constellation.n_sats, len(times_s))  # as the general path holds them
    positions_km = positions_at(constellation, resolved, wanted, ts, dtype)
    adjacency = pattern.result()
    closed = None
    for k, time_s in enumerate(times_s):
        r = ends_km[k].astype(float, copy=False)
        closes = grid_links_close(r[row_i], r[row_j], cross[rep], design)
        if closed is None or not np.array_equal(closes, closed):  # else the same mesh
            closed = closes
            keep = classes.spread(closes)
            i, j = ci[keep], cj[keep]
            n_components, labels = adjacency.components(keep)
            labels_f = None if alive is None else adjacency.components(keep & alive)[1]
        yield OrbitSnapshot(
            float(time_s),
            positions_km[k].astype(float, copy=False) if k < len(wanted) else None,
            i,
            j,
            n_components,
            labels,
            labels_f,
            keep=keep,
            adjacency=adjacency,
        )


def mesh_over_orbit(
    constellation,
    resolved,
    design: LinksDesign,
    compute_kw_per_shell,
    *,
    shed: bool,
    period_min: float,
    start_s: float = 0.0,
    ts=None,
    progress=None,
    symmetric: bool = True,
) -> NetworkResult:
    """A snapshot ``start_s`` after the epoch, then the mesh over one orbit from there.

    Over the orbit each snapshot counts the largest cluster with every
    satellite, with ``failure_fraction`` of them failed (seeded), and the
    compute it holds when eclipsed satellites shed theirs.  ``progress(1)`` is
    told after each snapshot (the last once the first snapshot's failure sweep, done
    beside the orbit on the other core, is done too).  ``symmetric`` lets a Walker +Grid take the
    symmetric path of :func:`orbit_snapshots` (False: the general path, for
    comparison; the results are the same).
    """
    from orbital.shadow import ShadowStream
    from orbital.sun import sun_teme_km

    ts = ts or builtin_timescale()
    grids = shell_grids(resolved, design) if design.topology == "+grid" else ()
    candidates = candidate_edges(resolved, design, grids) if design.topology == "+grid" else None
    times_s = start_s + np.arange(design.snapshots) * (period_min * 60.0 / design.snapshots)
    sun = sun_teme_km(TimeGrid.from_offsets(constellation.epoch, times_s), ts)
    rng = np.random.default_rng(design.failure_seed)
    failed = rng.random(constellation.n_sats) < design.failure_fraction
    sats, compute_mw, links, with_failures = [], [], [], []
    static = node_attributes(constellation, compute_kw_per_shell)  # only sunlight changes
    snapshots = orbit_snapshots(
        constellation,
        resolved,
        design,
        times_s,
        static,
        failed=failed if design.failure_fraction > 0 else None,
        symmetric=symmetric,
        all_positions=shed,  # the shed compute needs every satellite's sunlight
        grids=grids,
        candidates=candidates,
        ts=ts,
    )
    compute_kw = static["compute_kw"]
    labels = None
    for k, snap in enumerate(snapshots):
        positions = snap.positions_km
        if k == 0 or shed:  # sunlight changes only the shed compute after the first
            shadow = ShadowStream(sun[k : k + 1], constellation.n_sats)
            sunlit = shadow(positions[:, None, :])[:, 0].copy()
            del shadow
        if k == 0:
            first_graph = snap.link_graph(design, {**static, "sunlit": sunlit})
            first_graph.adjacency()  # the hop matrix both threads read, made before they start
            # The failure sweep (graph searches) beside the snapshot's measures (mostly
            # arrays), on the other core; it reaches its intact share after this thread has
            # found that hop diameter, and takes it instead of searching again.
            intact = Future()
            try:
                pending_sweep = in_background(
                    failure_sweep,
                    first_graph,
                    shed=shed,
                    seed=design.failure_seed,
                    grids=grids,
                    intact_hop_diameter=intact.result,
                    group_names=[g.name for g in constellation.groups],
                )
                hops = largest_cluster_hop_diameter(first_graph, snap.labels, grids)
                intact.set_result(hops)
            finally:
                if not intact.done():  # an error or an interrupt first: the sweep must not wait
                    intact.set_exception(RuntimeError("the mesh's hop diameter was not found"))
            snapshot = measure(
                first_graph,
                design,
                positions,
                shed=shed,
                time_s=start_s,
                grids=grids,
                clusters=(snap.n_components, snap.labels),
                hop_diameter=hops,
            )
        if snap.labels is not labels:  # the symmetric path repeats an unchanged mesh's labels
            labels = snap.labels
            members = largest_component(first_graph, labels)
        compute = compute_kw * sunlit if shed else compute_kw
        sats.append(len(members))
        compute_mw.append(float(np.sum(compute[members]) / 1000.0))
        links.append(len(snap.i))
        if design.failure_fraction > 0:
            surviving = snap.labels_with_failures[~failed]  # clusters of those still working
            with_failures.append(int(np.bincount(surviving).max()) if len(surviving) else 0)
        if progress and k + 1 < len(times_s):
            progress(1)
    sweep = pending_sweep.result()  # the last snapshot is told done once the sweep is
    if progress:
        progress(1)
    over = MeshOverOrbit(
        time_s=np.asarray(times_s, dtype=float),
        largest_cluster_sats=np.asarray(sats, dtype=np.int64),
        largest_cluster_compute_mw=np.asarray(compute_mw, dtype=float),
        links=np.asarray(links, dtype=np.int64),
        failure_fraction=design.failure_fraction,
        largest_cluster_sats_with_failures=np.asarray(with_failures, dtype=np.int64)
        if design.failure_fraction > 0
        else None,
    )
    return NetworkResult(snapshot, sweep, over, design, first_graph, grids)

"""Benchmark: the laser mesh of a million satellites, a 100,000-satellite orbit, and networkx.

Usage::

    python benchmarks/bench_links.py [--quick] [--only abcd]

Every measurement runs in its own subprocess, so that each peak RSS
(``resource.getrusage(...).ru_maxrss``) belongs to one measurement only.  Times
start after the imports.

(a) One snapshot of the ``million-340`` preset's +Grid mesh, everything a user
    pays for: load and resolve the scenario, positions of every satellite at the
    epoch, the Sun and each satellite's sunlit fraction, the +Grid candidates,
    the feasibility of every link (range, grazing altitude), the connected
    components, the largest cluster's compute (all-on and eclipse-shed) and its
    hop-diameter bound.  ``measure()`` (adding the latency-diameter bound,
    bisection and all-reduce) is timed after it, for information.
(b) ``mesh_over_orbit`` of one 100,000-satellite shell (200 planes of 500 at
    340 km, 53 deg, phasing 0): a full snapshot, then 24 snapshots over one orbit.
(c) Raw networkx on the same million-node mesh as (a): building ``nx.Graph``,
    ``nx.connected_components`` and a four-sweep BFS diameter bound, against
    ``scipy.sparse.csgraph`` doing the same on the same edges (each library in
    its own subprocess, so the peak RSS is its own).  The edges come from the
    planner in a third subprocess, through a temporary .npz file, and are not
    counted in either time.
(d) The ``nearest`` topology (k = 4, 4 terminals) at the epoch of the same
    preset, from the positions: the snapshot as the first call in a process
    pays it, before issue 19 (the previous candidates, kept here, and numba
    imported and the greedy compiled at once) and now (the terminals decided
    in vectorised rounds, no numba), each in its own process, links compared;
    then the steps now (candidates, the rounds, the compiled scan with and
    without its JIT) and later calls; numba's import and compilation alone in
    a fresh process.
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from common import (
    GB,
    answer_worker,
    constellation_from_spec,
    finish,
    machine,
    peak_rss_bytes,
    run_worker,
    verdict,
)
from common import gb_text as _gb
from common import seconds_text as _s

#: Targets on the project's 2-core reference machine (an assumption of the project).
SNAPSHOT_TIME_TARGET_S = 10.0
SNAPSHOT_RSS_TARGET_BYTES = 2 * 10**9
ORBIT_TIME_TARGET_S = 60.0
#: Issue 19's target for one `nearest` snapshot of a million satellites, as a fresh process
#: pays it (numba's JIT included).
NEAREST_TIME_TARGET_S = 4.0

#: The 100,000-satellite shell of (b).
ORBIT_SHELL = dict(altitude_km=340.0, inclination_deg=53.0, planes=200, sats_per_plane=500)
ORBIT_SNAPSHOTS = 24
#: Double-sweep sweeps for the raw comparison (the planner's DIAMETER_SWEEPS).
SWEEPS = 4
SEED = 0


# ----------------------------------------------------------------------------- worker side


def _import_heavy_modules() -> None:
    """Import what the timed code imports lazily, so that times start after the imports."""
    import astropy.coordinates  # noqa: F401  (the Sun, for sun-synchronous nodes and shadows)
    import astropy.time  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401
    import scipy.spatial  # noqa: F401
    import skyfield.sgp4lib  # noqa: F401


def _closed_form_hops(resolved, shell_index: int) -> int:
    """Hop diameter of a phasing-0 shell whose links all close: torus or cylinder."""
    shell = resolved[shell_index].shell
    planes, per_plane = shell.planes, shell.sats_per_plane
    if shell.spread_deg == 360.0:
        return planes // 2 + per_plane // 2
    return (planes - 1) + per_plane // 2


def worker_snapshot(spec: dict) -> dict:
    from constellations.stages.closure import compute_kw_per_group
    from constellations.stages.mesh_orbit import positions_at
    from constellations.stages.network import build_graph, candidate_edges, measure, node_attributes
    from constellations.stages.resolve import resolve
    from orbital.network_metrics import components, diameter, largest_component
    from orbital.shadow import ShadowStream
    from orbital.sun import sun_teme_km
    from orbital.times import TimeGrid, builtin_timescale

    _import_heavy_modules()
    rss_after_imports = peak_rss_bytes()
    steps = {}
    t = time.perf_counter()
    start = t

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        steps[name] = now - t
        t = now

    constellation = constellation_from_spec(spec)
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    design = constellation.links
    lap("load+resolve")
    positions = positions_at(constellation, resolved, [0.0], ts)[0].astype(float, copy=False)
    lap("positions")
    sun = sun_teme_km(TimeGrid.from_offsets(constellation.epoch, [0.0]), ts)
    sunlit = ShadowStream(sun, constellation.n_sats)(positions[:, None, :])[:, 0].copy()
    nodes = node_attributes(constellation, compute_kw_per_group(constellation), sunlit)
    lap("sun+shadow")
    candidates = candidate_edges(resolved, design)
    lap("candidates")
    graph = build_graph(positions, design, candidates, nodes)
    lap("feasibility")
    n_components, labels = components(graph)
    lap("components")
    members = largest_component(graph, labels)
    compute_mw = float(np.sum(nodes["compute_kw"][members]) / 1000.0)
    shed_mw = float(np.sum((nodes["compute_kw"] * sunlit)[members]) / 1000.0)
    lap("largest cluster compute")
    hops = diameter(graph, members)
    lap("hop diameter bound")
    total_s = time.perf_counter() - start
    peak_rss = peak_rss_bytes()

    t_measure = time.perf_counter()
    metrics = measure(graph, design, positions, shed=False)
    measure_s = time.perf_counter() - t_measure
    shell_index = int(nodes["shell"][members[0]])
    return {
        "n_sat": constellation.n_sats,
        "steps": steps,
        "total_s": total_s,
        "n_candidates": int(len(candidates[0])),
        "n_links": int(graph.n_links),
        "n_components": int(n_components),
        "largest": int(len(members)),
        "largest_shell": resolved[shell_index].shell.name,
        "compute_mw": compute_mw,
        "shed_mw": shed_mw,
        "hops": [hops.lower, hops.upper, hops.exact],
        "hops_closed_form": _closed_form_hops(resolved, shell_index),
        "rss_after_imports": rss_after_imports,
        "peak_rss": peak_rss,
        "measure_s": measure_s,
        "measure_peak_rss": peak_rss_bytes(),
        "bisection_tbps": metrics.bisection_tbps,
        "latency_bounds_ms": [metrics.latency_diameter_ms.lower, metrics.latency_diameter_ms.upper],
    }


def worker_orbit(spec: dict) -> dict:
    from constellations.records import network_record
    from constellations.stages.closure import compute_kw_per_group
    from constellations.stages.mesh_orbit import mesh_over_orbit
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    _import_heavy_modules()
    rss_after_imports = peak_rss_bytes()
    t0 = time.perf_counter()
    constellation = constellation_from_spec(spec)
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    network = mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        compute_kw_per_group(constellation),
        shed=False,
        period_min=max(r.period_min for r in resolved),
        ts=ts,
    )
    total_s = time.perf_counter() - t0
    record = network_record(network)
    over = record["over_orbit"]
    return {
        "n_sat": constellation.n_sats,
        "snapshots": over["snapshots"],
        "total_s": total_s,
        "links": record["links"],
        "min_links": over["min_links"],
        "min_largest": over["min_largest_cluster_sats"],
        "hops_bounds": record["hop_diameter_bounds"],
        "hops_closed_form": _closed_form_hops(resolved, 0),
        "bisection_tbps": record["bisection_tbps"],
        "rss_after_imports": rss_after_imports,
        "peak_rss": peak_rss_bytes(),
    }


def worker_edges(spec: dict) -> dict:
    """The +Grid mesh at the epoch, saved as edge arrays for the two library workers."""
    from constellations.stages.mesh_orbit import positions_at
    from constellations.stages.network import build_graph, candidate_edges
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    constellation = constellation_from_spec(spec)
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    positions = positions_at(constellation, resolved, [0.0], ts)[0].astype(float, copy=False)
    candidates = candidate_edges(resolved, constellation.links)
    n = constellation.n_sats
    nodes = {"compute_kw": np.ones(n), "sunlit": np.ones(n)}
    graph = build_graph(positions, constellation.links, candidates, nodes)
    np.savez(spec["edges_file"], n=n, i=graph.i, j=graph.j, length_km=graph.length_km)
    return {"n": n, "m": graph.n_links}


def _load_edges(spec: dict):
    with np.load(spec["edges_file"]) as data:
        return int(data["n"]), data["i"], data["j"], data["length_km"]


def worker_networkx(spec: dict) -> dict:
    import networkx as nx

    n, i, j, _ = _load_edges(spec)
    edges_i, edges_j = i.tolist(), j.tolist()
    del i, j
    rss_before = peak_rss_bytes()
    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(edges_i, edges_j, strict=True))
    t1 = time.perf_counter()
    parts = list(nx.connected_components(g))
    largest = max(parts, key=len)
    t2 = time.perf_counter()
    members = np.fromiter(largest, dtype=np.int64)
    members.sort()
    start = int(members[np.random.default_rng(SEED).integers(len(members))])
    lower, upper = 0.0, np.inf
    for _ in range(SWEEPS):
        dist = nx.single_source_shortest_path_length(g, start)
        far, ecc = max(dist.items(), key=lambda item: item[1])
        lower, upper = max(lower, ecc), min(upper, 2.0 * ecc)
        start = far
    t3 = time.perf_counter()
    return {
        "n": n,
        "m": g.number_of_edges(),
        "build_s": t1 - t0,
        "components_s": t2 - t1,
        "sweeps_s": t3 - t2,
        "n_components": len(parts),
        "largest": len(largest),
        "bounds": [lower, upper],
        "rss_before": rss_before,
        "peak_rss": peak_rss_bytes(),
    }


def worker_csgraph(spec: dict) -> dict:
    from scipy.sparse.csgraph import connected_components, dijkstra

    from orbital.links import LinkGraph
    from orbital.network_metrics import diameter

    n, i, j, length_km = _load_edges(spec)
    graph = LinkGraph(n, i, j, length_km, np.full(len(i), 100.0))
    rss_before = peak_rss_bytes()
    t0 = time.perf_counter()
    matrix = graph.adjacency()
    t1 = time.perf_counter()
    n_components, labels = connected_components(matrix, directed=False)
    members = np.flatnonzero(labels == np.argmax(np.bincount(labels)))
    t2 = time.perf_counter()
    start = int(members[np.random.default_rng(SEED).integers(len(members))])
    lower, upper = 0.0, np.inf
    for _ in range(SWEEPS):
        dist = dijkstra(matrix, directed=False, indices=start, unweighted=True)
        dist[~np.isfinite(dist)] = -1.0
        ecc = float(np.max(dist))
        lower, upper = max(lower, ecc), min(upper, 2.0 * ecc)
        start = int(np.argmax(dist))
    t3 = time.perf_counter()
    bound = diameter(graph, members)
    t4 = time.perf_counter()
    return {
        "n": graph.n,
        "m": graph.n_links,
        "build_s": t1 - t0,
        "components_s": t2 - t1,
        "sweeps_s": t3 - t2,
        "planner_diameter_s": t4 - t3,
        "n_components": int(n_components),
        "largest": int(len(members)),
        "bounds": [lower, upper],
        "planner_bounds": [bound.lower, bound.upper],
        "rss_before": rss_before,
        "peak_rss": peak_rss_bytes(),
    }


def previous_nearest_candidates(positions_km, k, max_range_km, min_grazing_altitude_km=80.0):
    """``orbital.links.nearest_candidates`` as it was before issue 19, kept to measure against."""
    from scipy.spatial import cKDTree

    pos = np.asarray(positions_km, dtype=float)
    ok = np.isfinite(pos).all(axis=1)
    index = np.flatnonzero(ok)
    n = len(index)
    if n < 2:
        return np.array([], int), np.array([], int), np.array([], float)
    tree = cKDTree(pos[index])
    points = pos[index]
    wanted = min(n, max(4 * k, 16) + 1)
    first = min(n, k + 1)
    a, b, d, short = _previous_first_feasible(
        tree, points, np.arange(n), first, k, max_range_km, min_grazing_altitude_km
    )
    if first < wanted and len(short):
        a2, b2, d2, _ = _previous_first_feasible(
            tree, points, short, wanted, k, max_range_km, min_grazing_altitude_km
        )
        redo = np.isin(a, short)
        a, b, d = (np.concatenate([x[~redo], y]) for x, y in ((a, a2), (b, b2), (d, d2)))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    return index[lo[first]], index[hi[first]], d[first]


def _previous_first_feasible(tree, points, rows, wanted, k, max_range_km, min_grazing_altitude_km):
    from orbital.links import links_close

    dist, nbr = tree.query(points[rows], k=wanted, distance_upper_bound=max_range_km, workers=-1)
    dist, nbr = dist.reshape(len(rows), -1), nbr.reshape(len(rows), -1)
    own = np.repeat(rows, dist.shape[1]).reshape(dist.shape)
    valid = np.isfinite(dist) & (nbr < len(points)) & (nbr != own)
    safe = np.where(valid, nbr, 0)
    feasible = valid & links_close(points[own], points[safe], max_range_km, min_grazing_altitude_km)
    rank = np.cumsum(feasible, axis=1)
    chosen = feasible & (rank <= k)
    short = rows[(rank[:, -1] < k) & np.isfinite(dist[:, -1])]
    return own[chosen], nbr[chosen], dist[chosen], short


def _timed(function, *args):
    """``(result, wall seconds, CPU seconds of this process)`` of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


#: The `nearest` design of (d): k = 4 nearest feasible, 5,000 km, 4 terminals.
NEAREST_ARGS = (4, 5000.0, 4)


def _nearest_positions(spec: dict) -> np.ndarray:
    from constellations.stages.mesh_orbit import positions_at
    from constellations.stages.resolve import resolve

    _import_heavy_modules()
    constellation = constellation_from_spec(spec)
    return positions_at(constellation, resolve(constellation), [0.0])[0].astype(float)


def worker_nearest_before(spec: dict) -> dict:
    """The `nearest` snapshot as the planner ran it before issue 19, first call in a process:
    the previous candidates, numba imported and the greedy compiled at once."""
    from orbital import greedy_matching

    positions = _nearest_positions(spec)
    k, max_range_km, terminals = NEAREST_ARGS
    greedy_matching._large_inputs_uncompiled[0] = 1  # compile at the first large input

    def before():
        lo, hi, length = previous_nearest_candidates(positions, k, max_range_km)
        keep = greedy_matching.greedy_b_matching(lo, hi, length, np.full(len(positions), terminals))
        return lo[keep], hi[keep]

    (i, j), cold_s, cold_cpu_s = _timed(before)
    np.savez(spec["links_file"], i=i, j=j)
    return {"cold_s": cold_s, "cold_cpu_s": cold_cpu_s, "links": int(len(i))}


def worker_nearest(spec: dict) -> dict:
    """The `nearest` snapshot now: the first call in a process, its steps, later calls."""
    from scipy.spatial import cKDTree

    from orbital import greedy_matching
    from orbital.links import nearest_candidates, nearest_edges

    positions = _nearest_positions(spec)
    n = len(positions)
    k, max_range_km, terminals = NEAREST_ARGS
    load_before = os.getloadavg()[0]
    # The first call decides the terminals in rounds, without numba.
    (i, j), cold_s, cold_cpu_s = _timed(nearest_edges, positions, *NEAREST_ARGS)
    numba_in_cold = "numba" in sys.modules
    _, tree_s, tree_cpu_s = _timed(cKDTree, positions)
    (lo, hi, length), candidates_s, candidates_cpu_s = _timed(
        nearest_candidates, positions, k, max_range_km
    )
    greedy_matching._large_inputs_uncompiled[0] = 0  # the rounds again, for their time
    rounds, rounds_s, rounds_cpu_s = _timed(
        greedy_matching.greedy_b_matching, lo, hi, length, np.full(n, terminals)
    )
    # The second large input compiles; then the compiled scan alone.
    compiled, jit_scan_s, jit_scan_cpu_s = _timed(
        greedy_matching.greedy_b_matching, lo, hi, length, np.full(n, terminals)
    )
    _, scan_s, scan_cpu_s = _timed(
        greedy_matching.greedy_b_matching, lo, hi, length, np.full(n, terminals)
    )
    (i2, j2), warm_s, warm_cpu_s = _timed(nearest_edges, positions, *NEAREST_ARGS)
    with np.load(spec["links_file"]) as before:
        same_before = np.array_equal(before["i"], i) and np.array_equal(before["j"], j)
    same = (
        np.array_equal(rounds, compiled)
        and np.array_equal(i, lo[rounds])
        and np.array_equal(j, hi[rounds])
        and np.array_equal(i2, i)
        and np.array_equal(j2, j)
    )
    return {
        "n_sat": n,
        "links": int(len(i)),
        "candidates": int(len(lo)),
        "cold_s": cold_s,
        "cold_cpu_s": cold_cpu_s,
        "numba_in_cold": numba_in_cold,
        "warm_s": warm_s,
        "warm_cpu_s": warm_cpu_s,
        "tree_s": tree_s,
        "tree_cpu_s": tree_cpu_s,
        "candidates_s": candidates_s,
        "candidates_cpu_s": candidates_cpu_s,
        "rounds_s": rounds_s,
        "rounds_cpu_s": rounds_cpu_s,
        "jit_scan_s": jit_scan_s,
        "jit_scan_cpu_s": jit_scan_cpu_s,
        "scan_s": scan_s,
        "scan_cpu_s": scan_cpu_s,
        "same_links": bool(same),
        "same_as_before": bool(same_before),
        "scan_compiled": greedy_matching._compiled_scan.cache_info().currsize > 0,
        "rounds_taken": len(lo) >= greedy_matching.ROUNDS_FROM_CANDIDATES,
        "peak_rss": peak_rss_bytes(),
        "load": [load_before, os.getloadavg()[0]],
    }


def worker_jit(spec: dict) -> dict:
    """What the compiled greedy costs a fresh process: numba's import and the compilation."""
    wall, cpu = time.perf_counter(), time.process_time()
    import numba

    import_s, import_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    from orbital import greedy_matching

    greedy_matching._compiled_scan()
    return {
        "import_s": import_s,
        "import_cpu_s": import_cpu_s,
        "jit_s": time.perf_counter() - wall,
        "jit_cpu_s": time.process_time() - cpu,
        "numba": numba.__version__,
        "cache": _cache_text(greedy_matching.__file__),
    }


def _cache_text(module_file: str) -> str:
    """Where numba's disk cache of the greedy scan is, by orbital.compiled's rule."""
    import sys

    import numba

    from orbital.compiled import cache_compiled

    if not cache_compiled(module_file):
        why = "Python writes no bytecode here" if sys.dont_write_bytecode else "not writable"
        return f"off ({why})"
    return f"in {numba.config.CACHE_DIR or 'the package folder __pycache__'}"


WORKERS = {
    "nearest": worker_nearest,
    "nearest_before": worker_nearest_before,
    "jit": worker_jit,
    "snapshot": worker_snapshot,
    "orbit": worker_orbit,
    "edges": worker_edges,
    "networkx": worker_networkx,
    "csgraph": worker_csgraph,
}


# ----------------------------------------------------------------------------- report side


def _ratio(slow_s: float, fast_s: float) -> str:
    return f"csgraph {slow_s / fast_s:.1f}x faster" if fast_s > 0 else "csgraph instant"


def _part_snapshot(preset: str, orbit_shell: dict, targets: bool, rows: list, notes: list) -> None:
    # (a) one snapshot of the preset's mesh.
    snap = run_worker(__file__, "snapshot", {"preset": preset})
    n = snap["n_sat"]
    steps = ", ".join(f"{k} {v:.2f}" for k, v in snap["steps"].items())
    rows.append(
        (
            f"(a) {preset} +grid snapshot: positions..diameter bound",
            f"{n:,}",
            f"<= {SNAPSHOT_TIME_TARGET_S:g} s" if targets else "-",
            _s(snap["total_s"]),
            verdict(snap["total_s"], SNAPSHOT_TIME_TARGET_S if targets else None),
        )
    )
    rows.append(
        (
            f"(a) {preset} +grid snapshot: peak RSS",
            f"{n:,}",
            f"<= {SNAPSHOT_RSS_TARGET_BYTES / GB:g} GB" if targets else "-",
            f"{_gb(snap['peak_rss'])} (after imports {_gb(snap['rss_after_imports'])})",
            verdict(snap["peak_rss"], SNAPSHOT_RSS_TARGET_BYTES if targets else None),
        )
    )
    rows.append(
        (
            f"(a') {preset}: then measure() (+latency bound, bisection)",
            f"{n:,}",
            "-",
            f"{_s(snap['measure_s'])}; peak RSS {_gb(snap['measure_peak_rss'])}",
            "-",
        )
    )
    lower, upper, exact = snap["hops"]
    truth = snap["hops_closed_form"]
    notes.append(f"(a) steps, s: {steps}")
    notes.append(
        f"(a) {snap['n_links']:,} of {snap['n_candidates']:,} candidate links close; "
        f"{snap['n_components']} clusters; largest {snap['largest']:,} satellites "
        f"(shell {snap['largest_shell']}), {snap['compute_mw']:,.0f} MW all-on, "
        f"{snap['shed_mw']:,.0f} MW if eclipsed satellites shed"
    )
    holds = "holds" if lower <= truth <= upper else "DOES NOT HOLD"
    notes.append(
        f"(a) hop diameter bound [{lower:.0f}, {upper:.0f}] (exact={exact}) {holds} the "
        f"closed form {truth} of that shell; bisection {snap['bisection_tbps']:.1f} Tbps"
    )


def _part_orbit(preset: str, orbit_shell: dict, targets: bool, rows: list, notes: list) -> None:
    # (b) a 100,000-satellite shell over one orbit.
    orbit = run_worker(__file__, "orbit", orbit_shell)
    label = f"{orbit_shell['planes']}x{orbit_shell['sats_per_plane']}"
    rows.append(
        (
            f"(b) mesh_over_orbit {label} shell, {orbit['snapshots']} snapshots / orbit",
            f"{orbit['n_sat']:,}",
            f"<= {ORBIT_TIME_TARGET_S:g} s" if targets else "-",
            f"{_s(orbit['total_s'])}; peak RSS {_gb(orbit['peak_rss'])}",
            verdict(orbit["total_s"], ORBIT_TIME_TARGET_S if targets else None),
        )
    )
    lo, hi = orbit["hops_bounds"]
    truth = orbit["hops_closed_form"]
    holds = "holds" if lo <= truth <= hi else "DOES NOT HOLD"
    notes.append(
        f"(b) {orbit['links']:,} links (2PS = {2 * orbit['n_sat']:,}), min over the orbit "
        f"{orbit['min_links']:,}; largest cluster min {orbit['min_largest']:,}; hop bound "
        f"[{lo:.0f}, {hi:.0f}] {holds} floor(P/2)+floor(S/2) = {truth}; bisection "
        f"{orbit['bisection_tbps']:.1f} Tbps (2P links x 100 Gbps = "
        f"{2 * orbit_shell['planes'] * 0.1:.1f})"
    )


def _part_networkx(preset: str, orbit_shell: dict, targets: bool, rows: list, notes: list) -> None:
    # (c) raw networkx against scipy.sparse.csgraph on the same mesh.
    with tempfile.TemporaryDirectory() as folder:
        mesh = {"preset": preset, "edges_file": os.path.join(folder, "edges.npz")}
        run_worker(__file__, "edges", mesh)
        raw = run_worker(__file__, "networkx", mesh)
        fast = run_worker(__file__, "csgraph", mesh)
    m = raw["m"]
    rows.append(
        (
            "(c) networkx: build nx.Graph of the mesh (edges given)",
            f"{raw['n']:,}",
            "-",
            f"{_s(raw['build_s'])} measured, {m:,} edges; csgraph CSR "
            f"{_s(fast['build_s'])} ({_ratio(raw['build_s'], fast['build_s'])})",
            "-",
        )
    )
    rows.append(
        (
            "(c) connected components: networkx vs csgraph",
            f"{raw['n']:,}",
            "-",
            f"{_s(raw['components_s'])} vs {_s(fast['components_s'])} "
            f"({_ratio(raw['components_s'], fast['components_s'])})",
            "-",
        )
    )
    rows.append(
        (
            f"(c) {SWEEPS}-sweep BFS diameter bound: networkx vs csgraph",
            f"{raw['n']:,}",
            "-",
            f"{_s(raw['sweeps_s'])} vs {_s(fast['sweeps_s'])} "
            f"({_ratio(raw['sweeps_s'], fast['sweeps_s'])}); planner diameter() "
            f"{_s(fast['planner_diameter_s'])}",
            "-",
        )
    )
    rows.append(
        (
            "(c) peak RSS (edges loaded from a file first)",
            f"{raw['n']:,}",
            "-",
            f"networkx {_gb(raw['peak_rss'])} (+{_gb(raw['peak_rss'] - raw['rss_before'])}) "
            f"vs csgraph {_gb(fast['peak_rss'])} "
            f"(+{_gb(fast['peak_rss'] - fast['rss_before'])})",
            "-",
        )
    )
    same = (raw["n_components"], raw["largest"]) == (fast["n_components"], fast["largest"])
    notes.append(
        f"(c) measured at full size ({raw['n']:,} nodes, not extrapolated); both find "
        f"{raw['n_components']} components, largest {raw['largest']:,} "
        f"({'agree' if same else 'DISAGREE'}); BFS bounds networkx "
        f"[{raw['bounds'][0]:.0f}, {raw['bounds'][1]:.0f}], csgraph "
        f"[{fast['bounds'][0]:.0f}, {fast['bounds'][1]:.0f}] from the same start; planner "
        f"diameter() [{fast['planner_bounds'][0]:.0f}, {fast['planner_bounds'][1]:.0f}]"
    )


def _part_nearest(preset: str, orbit_shell: dict, targets: bool, rows: list, notes: list) -> None:
    # (d) the `nearest` topology at one snapshot (candidates, feasibility, greedy terminals).
    jit = run_worker(__file__, "jit", {})
    with tempfile.TemporaryDirectory() as folder:
        spec = {"preset": preset, "links_file": os.path.join(folder, "links.npz")}
        old = run_worker(__file__, "nearest_before", spec)
        near = run_worker(__file__, "nearest", spec)
    n = near["n_sat"]

    def both(result: dict, key: str) -> str:
        return f"{_s(result[key + '_s'])} (CPU {_s(result[key + '_cpu_s'])})"

    rows.append(
        (
            f"(d) {preset} nearest snapshot, first call in a process: before -> after",
            f"{n:,}",
            f"<= {NEAREST_TIME_TARGET_S:g} s" if targets else "-",
            f"{both(old, 'cold')} -> {both(near, 'cold')}, {near['links']:,} links; "
            f"peak RSS {_gb(near['peak_rss'])}",
            verdict(near["cold_s"], NEAREST_TIME_TARGET_S if targets else None),
        )
    )
    greedy = "in rounds" if near["rounds_taken"] else "in Python (small input)"
    rows.append(
        (
            f"(d) {preset} nearest: its steps now (candidates; terminals {greedy})",
            f"{near['candidates']:,} pairs",
            "-",
            f"candidates {both(near, 'candidates')} (of which a k-d tree "
            f"{_s(near['tree_cpu_s'])} CPU); terminals {both(near, 'rounds')}",
            "-",
        )
    )
    compiled = "compiled" if near["scan_compiled"] else "in Python (too small to compile)"
    rows.append(
        (
            f"(d) the terminals {compiled} instead: first call, then the next",
            f"{near['candidates']:,} pairs",
            "-",
            f"{both(near, 'jit_scan')}{' (with the JIT)' if near['scan_compiled'] else ''}, "
            f"then {both(near, 'scan')}; numba's "
            f"JIT alone "
            f"{_s(jit['jit_s'])} (CPU {_s(jit['jit_cpu_s'])}, the import "
            f"{_s(jit['import_cpu_s'])})",
            "-",
        )
    )
    rows.append(
        (
            f"(d) {preset} nearest snapshot: later calls"
            + (" (compiled)" if near["scan_compiled"] else ""),
            f"{n:,}",
            "-",
            both(near, "warm"),
            "-",
        )
    )
    load = near["load"]
    notes.append(
        f"(d) load average {load[0]:.1f} -> {load[1]:.1f} on {os.cpu_count()} cores during "
        f"the measurement: wall times stretch with it, CPU seconds much less"
    )
    notes.append(
        f"(d) links {'identical' if near['same_as_before'] else 'DIFFER'} before and after "
        f"({old['links']:,} before); {'identical' if near['same_links'] else 'DIFFER'} "
        f"between the rounds, the compiled scan and nearest_edges; the first call "
        f"{'imported numba' if near['numba_in_cold'] else 'did not import numba'}"
    )
    notes.append(f"(d) numba {jit['numba']}, disk cache {jit['cache']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument(
        "--only", default="abcd", help="the parts to run, by letter (default abcd: all)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return answer_worker(args.worker, WORKERS)

    preset = "dawn-dusk-340" if args.quick else "million-340"
    orbit_shell = dict(ORBIT_SHELL, snapshots=ORBIT_SNAPSHOTS)
    if args.quick:
        orbit_shell.update(planes=20, sats_per_plane=50)
    targets = not args.quick

    info = machine(("numpy", "scipy", "networkx", "sgp4"))
    print("Laser-mesh benchmark (orbital-dc)")
    print(
        f"machine: {info['nproc']} cores, {info['memory']}, {info['cpu']}; "
        f"Python {info['python']}, numpy {info['numpy']}, scipy {info['scipy']}, "
        f"networkx {info['networkx']}, sgp4 {info['sgp4']}"
    )
    if args.quick:
        print("QUICK MODE: reduced sizes, smoke test only (no targets)")
    print()

    rows, notes = [], []

    parts = {
        "a": _part_snapshot,
        "b": _part_orbit,
        "c": _part_networkx,
        "d": _part_nearest,
    }
    if not args.only or set(args.only) - set(parts):
        parser.error(f"--only {args.only}: give letters from abcd")
    for part in args.only:
        parts[part](preset, orbit_shell, targets, rows, notes)

    return finish(rows, notes)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: exact hop and latency diameters of the million-340 shells' +Grid meshes.

Usage::

    python benchmarks/bench_diameters.py [--quick]

Each of the ``million-340`` preset's three shells (320,000, 340,000 and 340,000
satellites, phasing 0) is planned alone: its +Grid mesh at the epoch, from the
planner's positions and link feasibility, in its own subprocess (its peak RSS
is its own).  On the same mesh, in the same run:

(a) the planner's diameters (:func:`orbital.network_metrics.diameter` with the
    shell's :class:`~orbital.network_metrics.GridLayout`): exact from the
    +Grid's symmetry, hops and latency;
(b) the bound this replaced: four double sweeps of ``scipy.sparse.csgraph``
    (``dijkstra`` from a random satellite, then from the furthest, ...), hops
    and latency, giving ``[largest eccentricity, 2 x smallest]``.

The hop diameters are checked against the closed forms (``floor(P/2) +
floor(S/2)`` for a wrapped torus, ``(P - 1) + floor(S/2)`` for the band's
cylinder) and every exact figure against the double sweeps' bracket.  With
``--cut`` a second pass cuts cross-plane links above 50 degrees of latitude.
``--quick`` runs only the 340,000-satellite w350.
"""

import argparse
import sys
import time

import numpy as np
from common import answer_worker, finish, machine, peak_rss_bytes, run_worker, verdict
from common import gb_text as _gb
from common import seconds_text as _s

#: The issue's target for the exact hop and latency diameters of a million-340 mesh, s.
DIAMETERS_TARGET_S = 5.0
SHELLS = ("w330", "dd340", "w350")
#: The old bound's sweeps (the planner's DIAMETER_SWEEPS before this change).
SWEEPS = 4
SEED = 0


def _shell_mesh(name: str, max_latitude_deg: float):
    """The preset shell ``name`` alone: its mesh at the epoch, positions and +Grid."""
    from constellations.io.scenario import load_scenario
    from constellations.stages.mesh_orbit import positions_at
    from constellations.stages.network import (
        build_graph,
        candidate_edges,
        node_attributes,
        shell_grids,
    )
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    preset = load_scenario("million-340")
    shell = next(s for s in preset.shells if s.name == name)
    links = preset.links.model_copy(update={"max_cross_plane_latitude_deg": max_latitude_deg})
    constellation = preset.model_copy(update={"shells": (shell,), "links": links})
    ts = builtin_timescale()
    resolved = resolve(constellation, ts)
    grids = shell_grids(resolved, links)
    positions = positions_at(constellation, resolved, [0.0], ts)[0].astype(float, copy=False)
    candidates = candidate_edges(resolved, links, grids)
    graph = build_graph(positions, links, candidates, node_attributes(constellation, [1.0]))
    return graph, grids[0], shell


def _double_sweeps(matrix, unweighted: bool):
    from scipy.sparse.csgraph import dijkstra

    start = int(np.random.default_rng(SEED).integers(matrix.shape[0]))
    lower, upper = 0.0, np.inf
    for _ in range(SWEEPS):
        dist = dijkstra(matrix, directed=False, indices=start, unweighted=unweighted)
        ecc = float(np.max(dist))
        lower, upper = max(lower, ecc), min(upper, 2.0 * ecc)
        start = int(np.argmax(dist))
    return lower, upper


def worker_diameters(spec: dict) -> dict:
    import scipy.sparse.csgraph  # noqa: F401  (imported before the clock starts)

    from orbital.network_metrics import (
        GridLayout,
        components,
        diameter,
        largest_component,
        plus_grid_hop_diameter,
    )

    t = time.perf_counter()
    graph, grid, shell = _shell_mesh(spec["shell"], spec["max_latitude_deg"])
    mesh_s = time.perf_counter() - t
    _, labels = components(graph)
    members = largest_component(graph, labels)
    layout = GridLayout(
        grid.planes, grid.sats_per_plane, grid.partners.offset, grid.partners.seam_offset
    )
    t = time.perf_counter()
    hops = diameter(graph, members, layouts=[layout])
    hops_s = time.perf_counter() - t
    t = time.perf_counter()
    latency = diameter(graph, members, weight="latency_ms", layouts=[layout])
    latency_s = time.perf_counter() - t
    t = time.perf_counter()
    old_hops = _double_sweeps(graph.adjacency()[members][:, members], True)
    old_hops_s = time.perf_counter() - t
    t = time.perf_counter()
    old_latency = _double_sweeps(graph.adjacency("latency_ms")[members][:, members], False)
    old_latency_s = time.perf_counter() - t
    untwisted = (
        shell.planes // 2 + shell.sats_per_plane // 2
        if layout.wrap_planes
        else (shell.planes - 1) + shell.sats_per_plane // 2
    )
    return {
        "n_sat": graph.n,
        "largest": int(len(members)),
        "links": graph.n_links,
        "offset": layout.offset,
        "seam_offset": layout.seam_offset,
        "twist": layout.twist,
        "mesh_s": mesh_s,
        "hops_s": hops_s,
        "latency_s": latency_s,
        "old_hops_s": old_hops_s,
        "old_latency_s": old_latency_s,
        "hops": [hops.lower, hops.upper, hops.exact, hops.method],
        "latency": [latency.lower, latency.upper, latency.exact, latency.method],
        "old_hops": list(old_hops),
        "old_latency": list(old_latency),
        "hops_closed_form": plus_grid_hop_diameter(layout),
        "hops_untwisted": untwisted,
        "peak_rss": peak_rss_bytes(),
    }


WORKERS = {"diameters": worker_diameters}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the w350 shell")
    parser.add_argument("--cut", action="store_true", help="also cut links above 50 deg")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return answer_worker(args.worker, WORKERS)
    print("machine:", machine(("numpy", "scipy", "sgp4")))
    rows, notes = [], []
    shells = ("w350",) if args.quick else SHELLS
    for latitude in (90.0, 50.0) if args.cut else (90.0,):
        for name in shells:
            r = run_worker(__file__, "diameters", {"shell": name, "max_latitude_deg": latitude})
            label = f"{name}" + ("" if latitude == 90.0 else f", cut above {latitude:g} deg")
            lo, hi, exact, method = r["latency"]
            h_lo, h_hi, h_exact, h_method = r["hops"]
            old_h, old_l = r["old_hops"], r["old_latency"]
            for figure, exact_, seconds, old_s, text, old_text in (
                (
                    "hop diameter",
                    h_exact,
                    r["hops_s"],
                    r["old_hops_s"],
                    f"{h_lo:.0f}" if h_exact else f"{h_lo:.0f} to {h_hi:.0f}",
                    f"{old_h[0]:.0f} to {old_h[1]:.0f}",
                ),
                (
                    "latency diameter",
                    exact,
                    r["latency_s"],
                    r["old_latency_s"],
                    f"{lo:.3f} ms" if exact else f"{lo:.3f} to {hi:.3f} ms",
                    f"{old_l[0]:.3f} to {old_l[1]:.3f} ms",
                ),
            ):
                rows.append(
                    (
                        f"{label}: {figure} {text} ({'exact' if exact_ else 'bracket'})",
                        f"{r['n_sat']:,}",
                        f"exact, <= {DIAMETERS_TARGET_S:g} s",
                        _s(seconds),
                        verdict(seconds, DIAMETERS_TARGET_S) if exact_ else "FAIL",
                    )
                )
                rows.append(
                    (
                        f"{label}: {figure}, old bound {old_text}",
                        f"{r['n_sat']:,}",
                        "-",
                        f"{_s(old_s)} (new/old {seconds / old_s:.2f})",
                        "-",
                    )
                )
            # Both are brackets of one truth: they must overlap.
            overlap = old_h[0] <= h_hi and h_lo <= old_h[1]
            overlap = overlap and old_l[0] <= hi * (1 + 1e-12) and lo <= old_l[1] * (1 + 1e-12)
            whole = latitude == 90.0
            closed_ok = (not whole) or h_lo == r["hops_closed_form"]
            notes.append(
                f"{label}: {r['n_sat']:,} satellites, {r['links']:,} links, partners offset "
                f"{r['offset']} (seam {r['seam_offset']}, twist {r['twist']}); mesh built in "
                f"{_s(r['mesh_s'])}. Hops by {h_method}"
                + (
                    f"; the twisted torus's closed form {r['hops_closed_form']} "
                    f"({'equal' if closed_ok else 'DIFFERS'}; untwisted {r['hops_untwisted']})"
                    if whole
                    else ""
                )
                + f". Latency by {method}"
                + ("" if exact else f", gap {hi - lo:.3f} ms ({(hi - lo) / lo:.1%})")
                + f". Old bound's latency gap {old_l[1] - old_l[0]:.3f} ms; the brackets "
                f"overlap: {overlap}. Peak RSS {_gb(r['peak_rss'])}."
            )
    return finish(rows, notes)


if __name__ == "__main__":
    sys.exit(main())

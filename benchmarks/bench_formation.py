"""Benchmark: a Suncatcher-like 81-member cluster over 10 days, and the true J2 motion.

Usage::

    python benchmarks/bench_formation.py [--quick]

Measured in this one process, times after the imports:

* SS positions of the 81 members over 10 days at 60 s (target 1 s for everything a user
  asks over those 10 days: the positions and their metrics).
* ``orbital.formation.separation_metrics`` on them (a sort-and-sweep over blocks of times)
  against the one cKDTree over all times it replaced (before/after) and plain numpy on
  every pair at every time (ratios printed; all three must agree).
* ``orbital.formation_shading.shaded_fraction`` over one orbit for the Sun 60 deg off the
  orbit normal.
* The truth: all 81 members flown with ``mean_drift_free_states`` and integrated in
  inertial space (point mass + J2, DOP853, rtol 1e-11; tests/relative_truth.py) for 10 days
  (``--quick``: 1 day): the lattice neighbours' distance range, the smallest separation,
  the extent and the drift of the along-track centres; and the same with SS's own
  drift-free velocities, for the dispersion they bring.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from common import finish, machine, seconds_text, verdict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from relative_truth import integrate_lvlh  # noqa: E402

from orbital.formation import (  # noqa: E402
    lattice_neighbour_pairs,
    pair_distances_m,
    separation_metrics,
    sun_synchronous_inclination_rad,
    suncatcher_cluster,
)
from orbital.formation_shading import shaded_fraction  # noqa: E402
from orbital.relative_motion import (  # noqa: E402
    EARTH_RADIUS_M,
    J2,
    MU_M3_S2,
    mean_drift_free_states,
    relative_positions_m,
    ss_rates,
)


def tree_metrics(positions):
    """The implementation ``separation_metrics`` had before: one cKDTree over all times, each
    time's points shifted apart by more than any time's spread."""
    from scipy.spatial import cKDTree

    n, n_t, _ = positions.shape
    pts = positions.transpose(1, 0, 2).reshape(-1, 3).copy()
    gap = 3.0 * float(np.linalg.norm(pts.max(axis=0) - pts.min(axis=0))) + 1.0
    pts[:, 0] += np.repeat(np.arange(n_t) * gap, n)
    nearest = cKDTree(pts).query(pts, k=2)[0][:, 1].reshape(n_t, n)
    return nearest.min(axis=1), nearest.max(axis=1)


def brute_force_metrics(positions):
    n, n_t, _ = positions.shape
    iu, ju = np.triu_indices(n, 1)
    smallest, largest = np.empty(n_t), np.empty(n_t)
    for start in range(0, n_t, 256):  # chunks of times, to bound the memory
        chunk = positions[:, start : start + 256]
        d = np.linalg.norm(chunk[iu] - chunk[ju], axis=-1)
        full = np.full((n, n, d.shape[1]), np.inf)
        full[iu, ju] = d
        full[ju, iu] = d
        nearest = full.min(axis=1)
        smallest[start : start + 256] = nearest.min(axis=0)
        largest[start : start + 256] = nearest.max(axis=0)
    return smallest, largest


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    days = 1 if parser.parse_args().quick else 10
    radius = EARTH_RADIUS_M + 650e3
    inc = sun_synchronous_inclination_rad(radius)
    rates = ss_rates(radius, inc)
    period = 2 * np.pi / rates["frame_rate"]
    states, points = suncatcher_cluster()
    pairs = lattice_neighbour_pairs(points)
    rows, notes = [], [f"machine: {machine(('numpy', 'scipy'))}"]

    t = np.arange(0.0, 10 * 86400.0, 60.0)
    start = time.perf_counter()
    positions = relative_positions_m(states, t, radius, inc)
    t_positions = time.perf_counter() - start
    start = time.perf_counter()
    smallest, largest = separation_metrics(positions)
    t_metrics = time.perf_counter() - start
    start = time.perf_counter()
    tree = tree_metrics(positions)
    t_tree = time.perf_counter() - start
    start = time.perf_counter()
    brute = brute_force_metrics(positions)
    t_brute = time.perf_counter() - start
    for other in (tree, brute):
        if not (np.allclose(other[0], smallest) and np.allclose(other[1], largest)):
            raise SystemExit("the sweep, the tree and the brute force disagree")
    total = t_positions + t_metrics
    rows.append(("SS positions, 10 d at 60 s", 81, "-", seconds_text(t_positions), "-"))
    rows.append(("separation metrics before (cKDTree)", 81, "-", seconds_text(t_tree), "-"))
    rows.append(
        ("separation metrics (sweep)", 81, "1 s", seconds_text(t_metrics), verdict(t_metrics, 1.0))
    )
    rows.append(("positions + metrics", 81, "1 s", seconds_text(total), verdict(total, 1.0)))
    notes.append(
        f"sweep {t_tree / t_metrics:.1f} x faster than the tree; numpy brute force on every "
        f"pair: {seconds_text(t_brute)}, {t_brute / t_metrics:.1f} x the sweep's time"
    )

    t_orbit = np.linspace(0.0, period, 361)
    u = rates["k"] * t_orbit
    beta = np.radians(60.0)
    sun = np.column_stack(
        [np.cos(beta) * np.cos(u), -np.cos(beta) * np.sin(u), np.full_like(u, np.sin(beta))]
    )
    orbit = relative_positions_m(states, t_orbit, radius, inc)
    start = time.perf_counter()
    fraction = shaded_fraction(orbit, sun, 40.0)
    rows.append(
        (
            "shading over an orbit, 40 m arrays",
            81,
            "-",
            seconds_text(time.perf_counter() - start),
            "-",
        )
    )
    notes.append(f"shaded at beta 60 deg: mean {100 * fraction.mean():.3f} %")

    speed = radius * rates["frame_rate"]
    t_true = np.arange(0.0, days * 86400.0 + 1.0, 60.0)
    k = int(round(period / 60.0))
    for name, fly in (("mean", mean_drift_free_states(states, radius, inc)), ("SS", states)):
        start = time.perf_counter()
        truth = integrate_lvlh(
            fly[1:], t_true, radius, inc, speed, MU_M3_S2, EARTH_RADIUS_M, J2, rtol=1e-11, atol=1e-5
        )
        truth = np.concatenate([np.zeros((1, t_true.size, 3)), truth])
        seconds = time.perf_counter() - start
        d = pair_distances_m(truth, pairs)
        low, _ = separation_metrics(truth)
        drift = np.abs(truth[:, -k:, 1].mean(axis=1) - truth[:, :k, 1].mean(axis=1)).max()
        notes.append(
            f"J2 integration, {days} d, {name} drift-free velocities ({seconds_text(seconds)}): "
            f"neighbours {d.min():.1f}-{d.max():.1f} m, smallest separation {low.min():.1f} m, "
            f"extent {np.linalg.norm(truth, axis=-1).max():.0f} m, along-track centres moved "
            f"up to {drift:.1f} m"
        )
    return finish(rows, notes)


if __name__ == "__main__":
    sys.exit(main())

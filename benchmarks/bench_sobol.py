"""Benchmark: Sobol' indices of 8 parameters from 2^14 base samples, with bootstrap intervals.

Usage::

    python benchmarks/bench_sobol.py

The statistics part of a trade study (issue 16), alone: a Saltelli design of
``n = 2^14`` base samples in ``d = 8`` dimensions (``n (d + 2) = 163,840`` rows),
the Sobol' G-function evaluated on it (vectorised, milliseconds: a stand-in for
the planner), then first- and total-order indices with 200 bootstrap resamples
(``studies.sobol.sobol_indices``).  Target: the whole study in 30 s, so the
statistics alone <= 30 s.  Also timed: the same analysis by SALib
(``SALib.analyze.sobol.analyze``, ``calc_second_order=False``, 200 resamples) on
the same outputs, our time as a fraction of it; and the same analysis of 10
outputs at once (a trailing axis).

The G-function's indices are known in closed form (Sobol' 1993; Saltelli et al.
2010, sec. 5): with ``V_i = 1 / (3 (1 + a_i)^2)`` and ``V = prod(1 + V_i) - 1``,
``S_i = V_i / V`` and ``ST_i = V_i prod_{j != i}(1 + V_j) / V``; the largest
error of our estimates against them is printed.
"""

import time

import numpy as np
from common import machine, print_table, seconds_text, verdict

from studies.designs import saltelli
from studies.sobol import sobol_indices

D = 8
N_BASE = 2**14
RESAMPLES = 200
OUTPUTS = 10
TARGET_S = 30.0
G_COEFFICIENTS = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0])


def g_function(x: np.ndarray, a: np.ndarray = G_COEFFICIENTS) -> np.ndarray:
    return np.prod((np.abs(4.0 * x - 2.0) + a) / (1.0 + a), axis=-1)


def g_analytic(a: np.ndarray = G_COEFFICIENTS) -> tuple[np.ndarray, np.ndarray]:
    partial = 1.0 / (3.0 * (1.0 + a) ** 2)
    total_variance = np.prod(1.0 + partial) - 1.0
    total = partial * np.prod(1.0 + partial) / (1.0 + partial) / total_variance
    return partial / total_variance, total


def timed(function, *args, repeat: int = 2, **kwargs):
    """The value and the best wall time of ``repeat`` calls (the first warms caches and BLAS)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        value = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return value, best


def main() -> int:
    print(machine(packages=("numpy", "scipy", "SALib")))
    unit, design_s = timed(saltelli, N_BASE, D, 0)
    y, model_s = timed(g_function, unit)
    ours, ours_s = timed(sobol_indices, y, D, resamples=RESAMPLES, seed=1)

    from SALib.analyze import sobol as salib_sobol

    blocks = y.reshape(D + 2, N_BASE)
    salib_rows = np.stack([blocks[0], *blocks[2:], blocks[1]], axis=1).ravel()
    problem = {"num_vars": D, "names": [f"x{i}" for i in range(D)], "bounds": [[0, 1]] * D}
    theirs, salib_s = timed(
        salib_sobol.analyze,
        problem,
        salib_rows,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        seed=1,
    )

    # ten outputs: the G-function with its coefficients permuted, one per output column
    rng = np.random.default_rng(2)
    many = np.stack([g_function(unit, rng.permutation(G_COEFFICIENTS)) for _ in range(OUTPUTS)], -1)
    _, many_s = timed(sobol_indices, many, D, resamples=RESAMPLES, seed=1)

    first, total = g_analytic()
    rows_n = N_BASE * (D + 2)
    rows = [
        ("Saltelli design (unit)", rows_n, "-", seconds_text(design_s), "-"),
        ("G-function on it", rows_n, "-", seconds_text(model_s), "-"),
        (
            f"indices + {RESAMPLES} bootstrap, 1 output",
            rows_n,
            f"{TARGET_S:.0f} s",
            seconds_text(ours_s),
            verdict(ours_s, TARGET_S),
        ),
        (f"same, SALib {_salib_version()}", rows_n, "-", seconds_text(salib_s), "-"),
        (
            f"indices + {RESAMPLES} bootstrap, {OUTPUTS} outputs",
            rows_n,
            f"{TARGET_S:.0f} s",
            seconds_text(many_s),
            verdict(many_s, TARGET_S),
        ),
    ]
    notes = [
        f"ours / SALib time: {ours_s / salib_s:.3f} (SALib {salib_s / ours_s:.1f}x slower)",
        "largest |ours - analytic|: first "
        f"{np.max(np.abs(ours.first - first)):.4f}, total {np.max(np.abs(ours.total - total)):.4f}"
        f" (bootstrap se up to {max(ours.first_se.max(), ours.total_se.max()):.4f})",
        "largest |ours - SALib|: first "
        f"{np.max(np.abs(ours.first - theirs['S1'])):.1e}, total "
        f"{np.max(np.abs(ours.total - theirs['ST'])):.1e}",
    ]
    print_table(rows, header=("measurement", "rows", "target", "measured (best of 2)", "result"))
    for note in notes:
        print(f"- {note}")
    return 1 if any(row[-1] == "FAIL" for row in rows) else 0


def _salib_version() -> str:
    from importlib import metadata

    return metadata.version("SALib")


if __name__ == "__main__":
    raise SystemExit(main())

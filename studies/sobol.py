"""First- and total-order Sobol' indices from outputs on a Saltelli design, with bootstrap CIs.

The design is :func:`studies.designs.saltelli`: ``n * (d + 2)`` rows in blocks of
``n`` — ``A``, ``B``, then ``A_B^(i)`` for ``i = 0 .. d-1`` (``A`` with column ``i``
from ``B``).  With ``f_A``, ``f_B``, ``f_ABi`` the outputs on those blocks and
``V`` the variance of the ``2n`` outputs on ``A`` and ``B``:

- first order (Saltelli et al. 2010, Table 2 (b))::

      S_i  = mean(f_B * (f_ABi - f_A)) / V

- total order (Jansen 1999; Saltelli et al. 2010, Table 2 (f))::

      ST_i = mean((f_A - f_ABi)^2) / 2 / V

References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
S. Tarantola, "Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index", Computer Physics Communications 181
(2010) 259-270; M. J. W. Jansen, "Analysis of variance designs for model output",
Computer Physics Communications 117 (1999) 35-43; I. M. Sobol', "Global
sensitivity indices for nonlinear mathematical models and their Monte Carlo
estimates", Mathematics and Computers in Simulation 55 (2001) 271-280.

The outputs are first centred on their mean over every retained row of the
design: the first-order estimator is not invariant to a shift of the output in
a finite sample, and centring removes the shift's contribution to its error
(SALib centres the same way, so the two agree to rounding).

Outputs that are NaN (a design that does not close) are handled per output:
base sample ``j`` is dropped for an output when any of its ``d + 2`` rows
(``A_j``, ``B_j``, every ``A_B^(i)_j``) is NaN there, since each estimator pairs
those rows; :attr:`SobolIndices.dropped` counts the dropped base samples per
output.  ``nan_policy="raise"`` refuses NaN instead.  Infinite outputs always
raise.  An output with fewer than two retained base samples, or with zero
variance, gets NaN indices (and says so through ``dropped`` or ``variance``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Resamples are counted in chunks so the (resamples, n) count matrix stays near this
# many elements (~64 MB of float64) whatever n is.
_CHUNK_ELEMENTS = 8_000_000


@dataclass(frozen=True)
class SobolIndices:
    """Sobol' indices per parameter and output.

    Shapes: ``first``, ``total`` and their bootstrap arrays are ``(d,) + outputs``
    where ``outputs`` is the trailing shape of the outputs given (``()`` for one
    output).  ``*_se`` is the bootstrap standard error (ddof 1); ``*_low`` and
    ``*_high`` the percentile interval at ``confidence``.  ``dropped`` and
    ``variance`` have shape ``outputs``: base samples dropped for NaN, and the
    variance ``V`` of the retained outputs on ``A`` and ``B`` (output units
    squared).  ``n`` is the base sample count of the design.
    """

    first: np.ndarray
    total: np.ndarray
    first_se: np.ndarray
    total_se: np.ndarray
    first_low: np.ndarray
    first_high: np.ndarray
    total_low: np.ndarray
    total_high: np.ndarray
    dropped: np.ndarray
    variance: np.ndarray
    n: int
    resamples: int
    confidence: float


def _estimates(counts: np.ndarray, terms: np.ndarray, d: int) -> tuple[np.ndarray, ...]:
    """Indices from weighted sums: ``counts`` (r, n) times per-sample ``terms`` (n, 3 + 2d, k)."""
    n, m, k = terms.shape
    sums = (counts @ terms.reshape(n, m * k)).reshape(counts.shape[0], m, k)
    weight = sums[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_ab = sums[:, 1] / (2.0 * weight)
        variance = sums[:, 2] / (2.0 * weight) - mean_ab**2
        first = sums[:, 3 : 3 + d] / weight[:, None] / variance[:, None]
        total = sums[:, 3 + d : 3 + 2 * d] / weight[:, None] / variance[:, None]
    undefined = np.broadcast_to(((weight < 2) | ~(variance > 0))[:, None], first.shape)
    first[undefined] = np.nan
    total[undefined] = np.nan
    return first, total, variance


def sobol_indices(
    outputs,
    d: int,
    *,
    resamples: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
    nan_policy: str = "drop",
) -> SobolIndices:
    """First- and total-order Sobol' indices of ``d`` parameters, with bootstrap intervals.

    ``outputs`` has shape ``(n * (d + 2),) + outputs`` in the row order of
    :func:`studies.designs.saltelli` (any trailing shape: every output is
    analysed at once).  The bootstrap draws ``resamples`` sets of ``n`` base
    samples with replacement (seeded by ``seed``), each keeping all ``d + 2``
    rows of a drawn sample together; resamples are evaluated as one matrix
    product of resample counts with per-sample terms, not one at a time.

    ``nan_policy``: ``"drop"`` drops, per output, the base samples with a NaN in
    any of their rows and counts them in ``dropped``; ``"raise"`` raises.

    Raises ``ValueError`` for a row count that is not a multiple of ``d + 2``,
    an infinite output, NaN under ``nan_policy="raise"``, ``resamples < 2``, or
    ``confidence`` outside (0, 1).
    """
    if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 1:
        raise ValueError(f"d = {d!r}: give the number of parameters, a whole number >= 1")
    if nan_policy not in ("drop", "raise"):
        raise ValueError(f"nan_policy = {nan_policy!r}: give 'drop' or 'raise'")
    if isinstance(resamples, bool) or not isinstance(resamples, int | np.integer) or resamples < 2:
        raise ValueError(f"resamples = {resamples!r}: give a whole number >= 2")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence = {confidence}: give a fraction in (0, 1), e.g. 0.95")
    y = np.asarray(outputs, dtype=float)
    if y.ndim == 0 or y.shape[0] % (d + 2) or y.shape[0] == 0:
        raise ValueError(
            f"outputs have {y.shape[0] if y.ndim else 0} rows: a Saltelli design for d = {d} "
            f"has n * {d + 2} rows"
        )
    if np.isinf(y).any():
        raise ValueError("outputs include infinities: map them to NaN to drop them, or fix them")
    trailing = y.shape[1:]
    n = y.shape[0] // (d + 2)
    blocks = y.reshape(d + 2, n, -1)  # (d + 2, n, k)
    missing = np.isnan(blocks).any(axis=0)  # (n, k)
    if missing.any() and nan_policy == "raise":
        raise ValueError(
            f"{int(missing.any(axis=1).sum())} of {n} base samples have NaN outputs: "
            "use nan_policy='drop' to leave them out"
        )
    keep = ~missing
    blocks = np.where(keep, blocks, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = blocks.sum(axis=(0, 1)) / ((d + 2) * keep.sum(axis=0))
    blocks = np.where(keep, blocks - np.nan_to_num(centre), 0.0)
    f_a, f_b, f_ab = blocks[0], blocks[1], blocks[2:]

    # Per base sample: weight, f_A + f_B, f_A^2 + f_B^2, the first-order terms, the total ones.
    w = keep.astype(float)
    terms = np.concatenate(
        [
            w[:, None],
            (f_a + f_b)[:, None],
            (f_a**2 + f_b**2)[:, None],
            np.moveaxis(f_b * (f_ab - f_a), 0, 1),
            np.moveaxis(0.5 * (f_a - f_ab) ** 2, 0, 1),
        ],
        axis=1,
    )  # (n, 3 + 2d, k), zero where dropped
    first, total, variance = _estimates(np.ones((1, n)), terms, d)

    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_ELEMENTS // n)
    boot_first, boot_total = [], []
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        draws = rng.integers(0, n, size=(rows, n))
        flat = (draws + n * np.arange(rows)[:, None]).ravel()
        counts = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(float)
        f, t, _ = _estimates(counts, terms, d)
        boot_first.append(f)
        boot_total.append(t)
    boot_first = np.concatenate(boot_first)
    boot_total = np.concatenate(boot_total)

    tail = 50.0 * (1.0 - float(confidence))
    shape = (d, *trailing)

    def summary(boot):
        finite = np.isfinite(boot)
        enough = finite.sum(axis=0) >= 2
        masked = np.where(finite, boot, np.nan)
        se = np.full(boot.shape[1:], np.nan)
        low = np.full(boot.shape[1:], np.nan)
        high = np.full(boot.shape[1:], np.nan)
        if enough.any():
            cols = masked[:, enough]
            se[enough] = np.nanstd(cols, axis=0, ddof=1)
            low[enough] = np.nanpercentile(cols, tail, axis=0)
            high[enough] = np.nanpercentile(cols, 100.0 - tail, axis=0)
        return se.reshape(shape), low.reshape(shape), high.reshape(shape)

    first_se, first_low, first_high = summary(boot_first)
    total_se, total_low, total_high = summary(boot_total)
    return SobolIndices(
        first=first[0].reshape(shape),
        total=total[0].reshape(shape),
        first_se=first_se,
        total_se=total_se,
        first_low=first_low,
        first_high=first_high,
        total_low=total_low,
        total_high=total_high,
        dropped=missing.sum(axis=0).reshape(trailing),
        variance=variance[0].reshape(trailing),
        n=n,
        resamples=int(resamples),
        confidence=float(confidence),
    )

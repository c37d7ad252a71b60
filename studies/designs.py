"""Sampling designs over named parameters, and distributions applied by inverse CDF.

A design is made in two steps: points in the unit hypercube ``[0, 1)^d`` (an
array of shape ``(n, d)``, one column per parameter, in the order the
parameters are given), then :func:`apply` maps each column through its
distribution's inverse CDF (``ppf``) to a dict ``{name: values of shape (n,)}``.

- :func:`full_factorial` — every combination of listed levels (no unit step).
- :func:`latin_hypercube` — one point per stratum ``[k/n, (k+1)/n)`` in every
  dimension (``scipy.stats.qmc.LatinHypercube``, seeded).
- :func:`sobol_points` — a scrambled, seeded Sobol' sequence (``scipy.stats.qmc.Sobol``).
- :func:`saltelli` — the ``A``, ``B`` and ``A_B^(i)`` matrices for Sobol' indices
  (:mod:`studies.sobol`); the row layout is documented there.
- :func:`one_at_a_time` — a base point and each parameter at its low and high
  value in turn (a tornado chart).

Distributions (frozen, validated on construction, raising ``ValueError``
naming the bad field): :class:`Uniform`, :class:`Normal`, :class:`LogNormal`,
:class:`Triangular`, :class:`Choice`.  Rank correlation between parameters:
:func:`rank_correlate` (a Gaussian copula on the normal scores).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special
from scipy.stats import qmc

# Inverse CDFs are evaluated on [0, 1); u = 0 maps to -inf for unbounded laws.
# Points are clipped into the open interval by this much (far below any
# quasi-random spacing that matters: 2^-30 is the finest Sobol' step scipy draws).
_OPEN_EDGE = 1e-12


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} = {value}: give a finite number")
    return value


def _open_unit(u) -> np.ndarray:
    u = np.asarray(u, dtype=float)
    if np.any((u < 0.0) | (u > 1.0)) or np.any(np.isnan(u)):
        raise ValueError("unit samples must lie in [0, 1]: map them from a design in this module")
    return np.clip(u, _OPEN_EDGE, 1.0 - _OPEN_EDGE)


@dataclass(frozen=True)
class Uniform:
    """Uniform on ``[low, high]``; raises ``ValueError`` unless ``low < high``."""

    low: float
    high: float

    def __post_init__(self):
        low, high = _finite("uniform low", self.low), _finite("uniform high", self.high)
        if not low < high:
            raise ValueError(f"uniform low = {low} must be below high = {high}")

    def ppf(self, u) -> np.ndarray:
        """Values at unit samples ``u`` (any shape, in [0, 1]); same shape."""
        u = np.asarray(u, dtype=float)
        _open_unit(u)
        return self.low + (self.high - self.low) * u


@dataclass(frozen=True)
class Normal:
    """Normal with ``mean`` and standard deviation ``sd``; raises ``ValueError`` if ``sd <= 0``."""

    mean: float
    sd: float

    def __post_init__(self):
        _finite("normal mean", self.mean)
        if not _finite("normal sd", self.sd) > 0.0:
            raise ValueError(f"normal sd = {self.sd} must be > 0")

    def ppf(self, u) -> np.ndarray:
        """Values at unit samples ``u`` (any shape, in [0, 1]); same shape."""
        return self.mean + self.sd * special.ndtri(_open_unit(u))


@dataclass(frozen=True)
class LogNormal:
    """Log-normal given by its ``median`` and ``sigma``, the standard deviation of ``ln X``.

    ``ln X ~ Normal(ln median, sigma)``.  The median is chosen over the mean
    because it is what an estimate "within a factor of f" states: the central
    value, with ``sigma = ln(f) / z`` for the factor reached at quantile ``z``
    (e.g. a factor 2 at 95 %: ``sigma = ln 2 / 1.645``).  The mean is
    ``median * exp(sigma^2 / 2)``.  Raises ``ValueError`` if ``median <= 0`` or
    ``sigma <= 0``.
    """

    median: float
    sigma: float

    def __post_init__(self):
        if not _finite("lognormal median", self.median) > 0.0:
            raise ValueError(f"lognormal median = {self.median} must be > 0")
        if not _finite("lognormal sigma", self.sigma) > 0.0:
            raise ValueError(f"lognormal sigma = {self.sigma} must be > 0 (sd of ln X)")

    def ppf(self, u) -> np.ndarray:
        """Values at unit samples ``u`` (any shape, in [0, 1]); same shape."""
        return self.median * np.exp(self.sigma * special.ndtri(_open_unit(u)))


@dataclass(frozen=True)
class Triangular:
    """Triangular on ``[low, high]`` peaking at ``mode``.

    Raises ``ValueError`` unless ``low < high`` and ``low <= mode <= high``.
    """

    low: float
    mode: float
    high: float

    def __post_init__(self):
        low = _finite("triangular low", self.low)
        mode = _finite("triangular mode", self.mode)
        high = _finite("triangular high", self.high)
        if not low < high:
            raise ValueError(f"triangular low = {low} must be below high = {high}")
        if not low <= mode <= high:
            raise ValueError(f"triangular mode = {mode} must lie in [low, high] = [{low}, {high}]")

    def ppf(self, u) -> np.ndarray:
        """Values at unit samples ``u`` (any shape, in [0, 1]); same shape."""
        u = np.asarray(u, dtype=float)
        _open_unit(u)
        width = self.high - self.low
        split = (self.mode - self.low) / width
        rising = self.low + np.sqrt(u * width * (self.mode - self.low))
        falling = self.high - np.sqrt((1.0 - u) * width * (self.high - self.mode))
        return np.where(u < split, rising, falling)


@dataclass(frozen=True)
class Choice:
    """One of ``values``, with probabilities ``weights`` (normalised; equal when omitted).

    Sample ``u`` picks the first value whose cumulative probability exceeds
    ``u``.  ``values`` may be numbers or strings; :meth:`ppf` returns an array
    of them.  Raises ``ValueError`` for no values, a weight count that does
    not match, or a weight that is negative, not finite, or all zero.
    """

    values: tuple
    weights: tuple | None = None

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
        if not self.values:
            raise ValueError("choice values is empty: give at least one value")
        if self.weights is not None:
            weights = tuple(float(w) for w in self.weights)
            if len(weights) != len(self.values):
                raise ValueError(
                    f"choice weights has {len(weights)} entries for {len(self.values)} values: "
                    "give one weight per value"
                )
            if any(not math.isfinite(w) or w < 0.0 for w in weights) or sum(weights) <= 0.0:
                raise ValueError(
                    f"choice weights = {list(weights)}: give finite weights >= 0, not all zero"
                )
            object.__setattr__(self, "weights", weights)

    def probabilities(self) -> np.ndarray:
        """Probability of each value, shape ``(len(values),)``, summing to 1."""
        if self.weights is None:
            return np.full(len(self.values), 1.0 / len(self.values))
        weights = np.asarray(self.weights)
        return weights / weights.sum()

    def ppf(self, u) -> np.ndarray:
        """Values at unit samples ``u`` (any shape, in [0, 1]); same shape."""
        u = np.asarray(u, dtype=float)
        _open_unit(u)
        cumulative = np.cumsum(self.probabilities())
        index = np.searchsorted(cumulative, u, side="right")
        index = np.minimum(index, len(self.values) - 1)
        return np.asarray(self.values)[index]


Distribution = Uniform | Normal | LogNormal | Triangular | Choice


def _check_count(name: str, n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{name} = {n!r}: give a whole number >= 1")
    return int(n)


def _check_power_of_two(name: str, n: int) -> int:
    n = _check_count(name, n)
    if n & (n - 1):
        raise ValueError(
            f"{name} = {n} is not a power of 2: Sobol' points keep their balance only "
            f"at powers of 2 (try {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})"
        )
    return n


def _check_names(parameters: Mapping) -> list[str]:
    if not parameters:
        raise ValueError("no parameters given: name at least one")
    return list(parameters)


def full_factorial(levels: Mapping[str, Sequence]) -> dict[str, np.ndarray]:
    """Every combination of the levels, the last parameter varying fastest.

    ``levels`` maps each name to a non-empty sequence (a list, a ``range``, an
    array).  Returns ``{name: array of shape (prod(len(levels)),)}``.  Raises
    ``ValueError`` naming a parameter with no levels.
    """
    names = _check_names(levels)
    columns = []
    for name in names:
        values = list(levels[name])
        if not values:
            raise ValueError(f"{name}: no levels given; list at least one value")
        columns.append(values)
    rows = list(itertools.product(*columns))
    return {name: np.asarray([row[k] for row in rows]) for k, name in enumerate(names)}


def latin_hypercube(n: int, d: int, seed: int) -> np.ndarray:
    """``n`` points in ``[0, 1)^d``, exactly one in each stratum ``[k/n, (k+1)/n)`` of every axis.

    Seeded (``scipy.stats.qmc.LatinHypercube``): the same ``seed`` gives the same
    points.  Returns shape ``(n, d)``.  Raises ``ValueError`` for ``n`` or ``d`` < 1.
    """
    n, d = _check_count("n", n), _check_count("d", d)
    return qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)


def sobol_points(n: int, d: int, seed: int) -> np.ndarray:
    """The first ``n`` points of a scrambled Sobol' sequence in ``[0, 1)^d``, shape ``(n, d)``.

    Owen-scrambled and seeded (``scipy.stats.qmc.Sobol``).  ``n`` must be a power
    of 2: then each axis holds exactly ``n / 2^m`` points in each of its ``2^m``
    equal intervals (``2^m <= n``).  Raises ``ValueError`` otherwise, or for
    ``d`` outside 1..21201 (the direction numbers scipy ships).
    """
    n, d = _check_power_of_two("n", n), _check_count("d", d)
    if d > qmc.Sobol.MAXDIM:
        raise ValueError(f"d = {d}: Sobol' points go up to {qmc.Sobol.MAXDIM} dimensions")
    engine = qmc.Sobol(d=d, scramble=True, seed=np.random.default_rng(seed))
    return engine.random_base2(int(n).bit_length() - 1)


def saltelli(n: int, d: int, seed: int) -> np.ndarray:
    """The Saltelli design for first- and total-order Sobol' indices, shape ``(n * (d + 2), d)``.

    A scrambled Sobol' sequence of ``n`` points in ``2d`` dimensions gives ``A``
    (its first ``d`` columns) and ``B`` (its last ``d``).  ``A_B^(i)`` is ``A``
    with column ``i`` taken from ``B``.  Rows are stacked in blocks of ``n``::

        rows [0, n)                 A
        rows [n, 2n)                B
        rows [(2 + i) n, (3 + i) n) A_B^(i), i = 0 .. d-1

    so row ``j`` of every block shares base sample ``j``.  (SALib interleaves
    instead: ``A_j, A_B^(0)_j .. A_B^(d-1)_j, B_j`` for each ``j``.)
    ``n`` must be a power of 2; raises ``ValueError`` otherwise.
    """
    n, d = _check_power_of_two("n", n), _check_count("d", d)
    if 2 * d > qmc.Sobol.MAXDIM:
        raise ValueError(f"d = {d}: Saltelli designs go up to {qmc.Sobol.MAXDIM // 2} parameters")
    base = sobol_points(n, 2 * d, seed)
    a, b = base[:, :d], base[:, d:]
    blocks = np.empty((d + 2, n, d))
    blocks[0], blocks[1] = a, b
    blocks[2:] = a
    for i in range(d):
        blocks[2 + i, :, i] = b[:, i]
    return blocks.reshape(n * (d + 2), d)


def one_at_a_time(
    base: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]
) -> tuple[dict[str, np.ndarray], list[tuple[str, str]]]:
    """A base point, then each ranged parameter at its low and then its high value.

    ``base`` gives every parameter's central value; ``ranges`` gives ``(low,
    high)`` for the parameters to swing (each must also be in ``base``).
    Returns ``(points, labels)``: ``points`` is ``{name: array of shape (1 + 2k,)}``
    for ``k`` ranged parameters, row 0 the base, rows ``1 + 2m`` and ``2 + 2m``
    parameter ``m`` at its low and high; ``labels[row]`` is ``(name, "low" |
    "high")`` or ``("base", "base")``.  Raises ``ValueError`` for a ranged name
    missing from ``base`` or a range whose low exceeds its high.
    """
    names = _check_names(base)
    labels = [("base", "base")]
    rows = [dict(base)]
    for name, bounds in ranges.items():
        if name not in base:
            raise ValueError(f"{name}: ranged but missing from the base point; give its base value")
        low, high = (float(v) for v in bounds)
        if not low <= high:
            raise ValueError(f"{name}: low = {low} exceeds high = {high}; swap them")
        for side, value in (("low", low), ("high", high)):
            rows.append({**base, name: value})
            labels.append((name, side))
    return {name: np.asarray([row[name] for row in rows]) for name in names}, labels


def _spearman_to_pearson(rho: np.ndarray) -> np.ndarray:
    # For a bivariate normal, Spearman's rho_s = (6/pi) asin(r/2) (Pearson 1907;
    # Kruskal 1958), so the copula's Pearson r = 2 sin(pi rho_s / 6).
    return 2.0 * np.sin(np.pi * rho / 6.0)


def rank_correlate(unit, spearman: Mapping[tuple[int, int], float]) -> np.ndarray:
    """Impose Spearman rank correlations between columns of unit samples (Gaussian copula).

    Each column is taken to its normal score ``z = Phi^-1(u)``; the scores are
    mixed by the Cholesky factor of the Pearson matrix ``r = 2 sin(pi rho_s / 6)``
    (the Pearson correlation at which a bivariate normal has Spearman ``rho_s``),
    and mapped back with ``Phi``.  Every column stays uniform on ``[0, 1]``, so
    any marginal applied afterwards by :func:`apply` is unchanged; the rank
    correlation of two columns is ``rho_s`` up to sampling error.  The first
    column of a pair keeps its points; the second is moved, so it loses the
    stratification of a Latin hypercube or Sobol' design.  Not for Saltelli
    designs: Sobol' indices assume independent inputs.

    ``unit`` has shape ``(n, d)``; ``spearman`` maps column pairs ``(i, j)`` to a
    target in ``(-1, 1)``.  Returns a new array of shape ``(n, d)``.  Raises
    ``ValueError`` for a target outside ``(-1, 1)``, a column out of range or
    paired with itself, or targets that admit no joint correlation matrix.
    """
    unit = np.asarray(unit, dtype=float)
    if unit.ndim != 2:
        raise ValueError(f"unit samples have shape {unit.shape}: give (n, d)")
    d = unit.shape[1]
    pearson = np.eye(d)
    for (i, j), rho in spearman.items():
        if not (0 <= i < d and 0 <= j < d) or i == j:
            raise ValueError(
                f"correlation pair ({i}, {j}): give two different columns in 0..{d - 1}"
            )
        rho = float(rho)
        if not -1.0 < rho < 1.0:
            raise ValueError(f"rank correlation ({i}, {j}) = {rho} must lie in (-1, 1)")
        pearson[i, j] = pearson[j, i] = _spearman_to_pearson(rho)
    try:
        factor = np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError:
        raise ValueError(
            "the rank correlations given are inconsistent (no joint correlation matrix has "
            "them): weaken some"
        ) from None
    scores = special.ndtri(_open_unit(unit))
    # Columns whose Cholesky row is the identity's keep their points exactly (no round trip).
    moved = ~np.all(factor == np.eye(d), axis=1)
    result = unit.copy()
    result[:, moved] = special.ndtr(scores @ factor[moved].T)
    return result


def apply(
    parameters: Mapping[str, Distribution], unit, *, spearman: Mapping | None = None
) -> dict[str, np.ndarray]:
    """Values of the named parameters at unit samples, column ``k`` to the ``k``-th parameter.

    ``unit`` has shape ``(n, d)`` with ``d == len(parameters)``; ``spearman``
    optionally maps pairs of parameter *names* to a rank correlation
    (:func:`rank_correlate`).  Returns ``{name: array of shape (n,)}``.  Raises
    ``ValueError`` for a shape mismatch or an unknown name in ``spearman``.
    """
    names = _check_names(parameters)
    unit = np.asarray(unit, dtype=float)
    if unit.ndim != 2 or unit.shape[1] != len(names):
        raise ValueError(
            f"unit samples have shape {unit.shape} for {len(names)} parameters: "
            f"give (n, {len(names)})"
        )
    for name in names:
        if not isinstance(parameters[name], Distribution):
            raise ValueError(f"{name}: {parameters[name]!r} is not a distribution of this module")
    if spearman:
        pairs = {}
        for (first, second), rho in spearman.items():
            for name in (first, second):
                if name not in parameters:
                    raise ValueError(f"correlation names {name!r}, not one of {names}")
            pairs[(names.index(first), names.index(second))] = rho
        unit = rank_correlate(unit, pairs)
    return {name: parameters[name].ppf(unit[:, k]) for k, name in enumerate(names)}

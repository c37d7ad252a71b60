"""The non-dominated (Pareto) set of designs over two or more outputs.

A design ``p`` is dominated when another ``q`` is at least as good in every
output and strictly better in at least one ("good" per column: lower for
``"min"``, higher for ``"max"``).  Equal designs do not dominate each other, so
every copy of a non-dominated design is on the front.  A row with a NaN in any
column takes no part: it is never on the front and dominates nothing (a design
that did not close).  Infinities are ordinary values, worse or better than
every finite one.

Two outputs are swept in ``O(n log n)``: after sorting by the first column, a
design is on the front when its second column is the least of its own first
column's designs and strictly below every design's with a lower first column.
Three or more are compared blockwise in lexicographic order (a dominating
design always comes earlier in that order): each block is compared with the
front found so far, then its survivors with each other; memory stays bounded by
:data:`_BLOCK_ELEMENTS`, never an ``(n, n, k)`` array.  The time is about
``n * (front size + block) * k`` comparisons: a second or so for 100,000 random
designs of three outputs (a front of about a hundred), slower when most designs
are on the front.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Designs compared at a time with the front found so far (rows of a block).
_BLOCK_ROWS = 512
#: Pairs held by one comparison ``(block, front chunk)``: a few 1-MB boolean planes.
_BLOCK_ELEMENTS = 1 << 20

SENSES = ("min", "max")


def non_dominated(values, senses: Sequence[str]) -> np.ndarray:
    """Which designs are on the Pareto front: a boolean mask of shape ``(n,)``.

    ``values`` has shape ``(n, k)``, ``k >= 2``: one row per design, one column
    per output, in any units (each column is compared only with itself).
    ``senses`` gives per column ``"min"`` (lower is better) or ``"max"``.  Rows
    with any NaN are never on the front and never dominate.

    Raises ``ValueError`` when ``values`` is not two-dimensional with at least
    two columns, or ``senses`` is not one ``"min"``/``"max"`` per column.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError(
            f"values have shape {x.shape}: give an array (designs, outputs) with at least "
            "two outputs"
        )
    senses = list(senses) if not isinstance(senses, str) else [senses]
    if len(senses) != x.shape[1]:
        raise ValueError(
            f"senses has {len(senses)} entries for {x.shape[1]} outputs: give one per column"
        )
    for column, sense in enumerate(senses):
        if sense not in SENSES:
            raise ValueError(f"senses[{column}] = {sense!r}: give 'min' or 'max'")
    # Everything below minimises.
    x = np.where(np.array(senses) == "max", -x, x)
    front = np.zeros(x.shape[0], dtype=bool)
    rows = np.flatnonzero(~np.isnan(x).any(axis=1))
    if rows.size == 0:
        return front
    kept = x[rows]
    # Lexicographic order, first column first (np.lexsort sorts by its last key first).
    order = np.lexsort(kept.T[::-1])
    ranked = kept[order]
    on_front = _front_two(ranked) if x.shape[1] == 2 else _front_blockwise(ranked)
    front[rows[order[on_front]]] = True
    return front


def _front_two(ranked: np.ndarray) -> np.ndarray:
    """The front of ``(m, 2)`` designs sorted by the first column, then the second."""
    x, y = ranked[:, 0], ranked[:, 1]
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    group = np.cumsum(np.r_[True, x[1:] != x[:-1]]) - 1
    least = y[starts]  # each first-column value's least second column (sorted within it)
    # Strictly below every earlier group's least: a group with a lower first column and an
    # equal second one dominates.  The first group has no earlier one.
    below = np.r_[True, least[1:] < np.minimum.accumulate(least)[:-1]]
    return below[group] & (y == least[group])


def _dominated_by(block: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each of ``block`` ``(b, k)``: is any of ``others`` ``(m, k)`` better?  ``(b,)``."""
    b, k = block.shape
    dominated = np.zeros(b, dtype=bool)
    chunk = max(1, _BLOCK_ELEMENTS // b)
    for start in range(0, others.shape[0], chunk):
        other = others[start : start + chunk]
        # Column by column on (b, chunk) planes: much faster than reducing a (b, chunk, k)
        # array over its short last axis.
        no_worse = np.ones((b, other.shape[0]), dtype=bool)
        better = np.zeros((b, other.shape[0]), dtype=bool)
        for column in range(k):
            here, there = block[:, column, None], other[None, :, column]
            no_worse &= there <= here
            better |= there < here
        dominated |= (no_worse & better).any(axis=1)
    return dominated


def _front_blockwise(ranked: np.ndarray) -> np.ndarray:
    """The front of ``(m, k)`` designs in lexicographic order, block by block."""
    m = ranked.shape[0]
    on_front = np.zeros(m, dtype=bool)
    front_rows = np.empty((0, ranked.shape[1]))
    for start in range(0, m, _BLOCK_ROWS):
        block = ranked[start : start + _BLOCK_ROWS]
        # Dominated by an earlier front design?  A design dominated by anything is
        # dominated by a front design (domination is transitive), and every earlier
        # design has been settled.
        survivors = np.flatnonzero(~_dominated_by(block, front_rows))
        if survivors.size:
            # Then among the block's survivors: a survivor dominated by a design the
            # front removed is dominated by that design's dominator too.
            alive = block[survivors]
            survivors = survivors[~_dominated_by(alive, alive)]
            on_front[start + survivors] = True
            front_rows = np.concatenate([front_rows, block[survivors]])
    return on_front

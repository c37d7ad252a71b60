"""Mutual shading of a cluster's solar arrays.

Each member carries one flat square array of side ``L`` centred on its position, its
normal pointing at the Sun (all members' arrays are parallel).  Sunlight is taken as
parallel rays: the Sun's angular radius (0.27 deg) blurs a shadow's edge over
``0.0047 d``, under 1 m at 200 m, which is left out.  Member ``j`` shades member ``i``
when it is sunward (``s . (r_j - r_i) > 0``) and their squares, projected along the Sun
direction ``s``, overlap.  Since the squares are parallel and equally turned, the
projections are axis-aligned in the array's own axes ``(e1, e2)`` and each overlap is a
rectangle; a member's shaded fraction is the area of the union of its overlaps over
``L^2`` (exact, by the grid of the rectangles' edges).

The array's axes: ``e1`` is the along-track axis (LVLH y) with its Sun component
removed, or the radial axis (x) when the Sun is within 2.6 deg of along-track;
``e2 = s x e1``.  Only the array plates shade (no bus, no radiators).
"""

import numpy as np
from scipy.spatial import cKDTree


def array_axes(sun_lvlh) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit Sun direction and the array's two edge axes, each ``(n_t, 3)``, in LVLH.

    ``sun_lvlh`` ``(n_t, 3)``: Sun directions (any length > 0).  Raises ValueError for a
    zero vector.
    """
    s = np.atleast_2d(np.asarray(sun_lvlh, dtype=float))
    norm = np.linalg.norm(s, axis=1, keepdims=True)
    if np.any(norm == 0) or not np.all(np.isfinite(norm)):
        raise ValueError("Sun directions must be finite and non-zero")
    s = s / norm
    ref = np.where(np.abs(s[:, 1:2]) > 0.999, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    e1 = ref - np.sum(ref * s, axis=1, keepdims=True) * s
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(s, e1)
    return s, e1, e2


def shaded_fraction(positions_m, sun_lvlh, array_side_m: float) -> np.ndarray:
    """Fraction of each member's array shaded by the others', ``(n, n_t)`` in [0, 1].

    ``positions_m`` ``(n, n_t, 3)`` in LVLH, metres; ``sun_lvlh`` ``(n_t, 3)``;
    ``array_side_m`` the square's side.  Candidate pairs come from one ``cKDTree`` over
    every time's projected positions (Chebyshev distance below ``L``, times kept apart by
    a gap), so the work grows with the overlaps, not ``n^2 n_t``.  Raises ValueError for
    a non-positive side or mismatched shapes.
    """
    pos = np.asarray(positions_m, dtype=float)
    if pos.ndim != 3 or pos.shape[2] != 3:
        raise ValueError(f"positions of shape {pos.shape}: need (n, n_t, 3)")
    if not array_side_m > 0:
        raise ValueError(f"array_side_m={array_side_m}: must be positive")
    s, e1, e2 = array_axes(sun_lvlh)
    n, n_t, _ = pos.shape
    if s.shape[0] != n_t:
        raise ValueError(f"{s.shape[0]} Sun directions for {n_t} times")
    side = float(array_side_m)
    u = np.einsum("itk,tk->ti", pos, e1)
    v = np.einsum("itk,tk->ti", pos, e2)
    w = np.einsum("itk,tk->ti", pos, s)
    spread = max(np.ptp(u), np.ptp(v)) if n > 1 else 0.0
    gap = 2.0 * spread + 4.0 * side
    pts = np.column_stack([u.ravel(), v.ravel(), np.repeat(np.arange(n_t) * gap, n)])
    pairs = cKDTree(pts).query_pairs(side * (1.0 - 1e-12), p=np.inf, output_type="ndarray")
    fraction = np.zeros((n_t, n))
    if len(pairs) == 0:
        return fraction.T
    a, b = pairs[:, 0], pairs[:, 1]
    wf, uf, vf = w.ravel(), u.ravel(), v.ravel()
    sunward_b = wf[b] > wf[a]
    shaded = np.where(sunward_b, a, b)
    shader = np.where(sunward_b, b, a)
    # Overlap rectangle in the shaded array's own coordinates, centred at 0.
    du, dv = uf[shader] - uf[shaded], vf[shader] - vf[shaded]
    half = side / 2.0
    rect = np.column_stack(
        [
            np.maximum(du - half, -half),
            np.minimum(du + half, half),
            np.maximum(dv - half, -half),
            np.minimum(dv + half, half),
        ]
    )
    order = np.argsort(shaded, kind="stable")
    shaded, rect = shaded[order], rect[order]
    groups, start, counts = np.unique(shaded, return_index=True, return_counts=True)
    k_max = int(counts.max())
    slot = np.arange(len(shaded)) - np.repeat(start, counts)
    boxes = np.full((len(groups), k_max, 4), np.nan)
    boxes[np.repeat(np.arange(len(groups)), counts), slot] = rect
    fraction.ravel()[groups] = _union_area(boxes) / side**2
    return fraction.T


def _union_area(boxes: np.ndarray) -> np.ndarray:
    """Area of the union of up to ``k`` rectangles ``(g, k, 4)`` (u0, u1, v0, v1; NaN = none)."""
    us = np.sort(np.concatenate([boxes[:, :, 0], boxes[:, :, 1]], axis=1), axis=1)
    vs = np.sort(np.concatenate([boxes[:, :, 2], boxes[:, :, 3]], axis=1), axis=1)
    # NaN sorts last; cells touching a NaN edge get zero width below.
    du, dv = np.diff(us, axis=1), np.diff(vs, axis=1)
    cu, cv = us[:, :-1] + du / 2, vs[:, :-1] + dv / 2
    inside_u = (cu[:, :, None] > boxes[:, None, :, 0]) & (cu[:, :, None] < boxes[:, None, :, 1])
    inside_v = (cv[:, :, None] > boxes[:, None, :, 2]) & (cv[:, :, None] < boxes[:, None, :, 3])
    covered = np.any(inside_u[:, :, None, :] & inside_v[:, None, :, :], axis=3)
    area = np.nan_to_num(du)[:, :, None] * np.nan_to_num(dv)[:, None, :]
    return np.sum(np.where(covered, area, 0.0), axis=(1, 2))

"""Members of close formations in the planner's frames: an SGP4 chief plus LVLH offsets.

Each cluster's chief is propagated by SGP4 (the planner's propagation path); its LVLH
(Hill) basis at every time is ``x = r / |r|`` (radial), ``z = r x v / |r x v|`` (orbit
normal), ``y = z x x`` (along-track, Vallado, *Fundamentals of Astrodynamics and
Applications*, 4th ed., section 6.8 "RSW" frame).  A member's TEME position is the chief's
plus its relative offset ``(x, y, z)`` in that basis
(:func:`orbital.relative_motion.relative_positions_m`); the result is turned into ITRS or
GCRS as every other shell's (:class:`orbital.frames.FrameRotation`).  The offsets are
small against the orbit (kilometres against 7,000 km), so the linearised motion about the
chief and SGP4's own secular and periodic terms add without further coupling; members that
fail with their chief are NaN with it.
"""

from collections.abc import Iterator, Sequence

import numpy as np

from orbital.frames import FrameRotation
from orbital.propagation import PositionChunk, _fail_in_place
from orbital.times import TimeGrid, builtin_timescale


def lvlh_basis(r_km, v_km_s) -> np.ndarray:
    """Unit radial, along-track and cross-track axes ``(..., 3, 3)`` (rows) of states.

    ``r_km``, ``v_km_s`` ``(..., 3)`` in any inertial frame; NaN where ``r`` is NaN.
    """
    r = np.asarray(r_km, dtype=float)
    v = np.asarray(v_km_s, dtype=float)
    x = r / np.linalg.norm(r, axis=-1, keepdims=True)
    h = np.cross(r, v)
    z = h / np.linalg.norm(h, axis=-1, keepdims=True)
    y = np.cross(z, x)
    return np.stack([x, y, z], axis=-2)


def member_positions_km(chief_r_km, chief_v_km_s, offsets_m) -> np.ndarray:
    """Members' inertial positions ``(n_chiefs * n_members, n_t, 3)`` km, chief by chief.

    ``chief_r_km``, ``chief_v_km_s`` ``(n_chiefs, n_t, 3)``; ``offsets_m``
    ``(n_members, n_t, 3)`` in each chief's LVLH frame (the same lattice about every
    chief).  Raises ValueError on mismatched times.
    """
    r = np.asarray(chief_r_km, dtype=float)
    rho = np.asarray(offsets_m, dtype=float)
    if r.ndim != 3 or rho.ndim != 3 or r.shape[1] != rho.shape[1]:
        raise ValueError(f"chiefs {r.shape} and offsets {rho.shape}: need (c, n_t, 3), (m, n_t, 3)")
    basis = lvlh_basis(r, chief_v_km_s)  # (c, n_t, 3, 3)
    turned = np.einsum("mtk,ctkj->cmtj", rho * 1e-3, basis)
    return (r[:, None] + turned).reshape(-1, r.shape[1], 3)


def propagate_formation(
    chiefs: Sequence,
    offsets_m,
    grid: TimeGrid,
    *,
    frame: str = "itrs",
    dtype=np.float64,
    ts=None,
) -> Iterator[PositionChunk]:
    """Positions of every member, one :class:`~orbital.propagation.PositionChunk` a chief.

    ``chiefs`` are python-sgp4 ``Satrec`` (one a cluster); ``offsets_m``
    ``(n_members, n_t, 3)`` the members' LVLH offsets at ``grid``'s times.  Member ``m``
    of cluster ``c`` has index ``c * n_members + m``.  ``frame`` is ``teme``, ``itrs`` or
    ``gcrs``.
    """
    from sgp4.api import SatrecArray

    rotation = FrameRotation(frame, grid.skyfield(ts or builtin_timescale()))
    jd, fr = grid.sgp4_dates()
    errors, r, v = SatrecArray(list(chiefs)).sgp4(jd, fr)
    _fail_in_place(list(chiefs), jd, fr, grid.t_s, errors, r)
    rho = np.asarray(offsets_m, dtype=float)
    n_members = rho.shape[0]
    angle = rotation.z_angle_rad
    cos, sin = np.cos(angle), np.sin(angle)
    for c in range(len(chiefs)):
        teme = member_positions_km(r[c : c + 1], v[c : c + 1], rho)
        out = np.empty((3, n_members, len(grid)), dtype=dtype)
        out[0] = teme[..., 0] * cos - teme[..., 1] * sin
        out[1] = teme[..., 0] * sin + teme[..., 1] * cos
        out[2] = teme[..., 2]
        rotation.apply_matrices_inplace(out)
        yield PositionChunk(c * n_members, (c + 1) * n_members, out.transpose(1, 2, 0))

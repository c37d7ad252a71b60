"""Rotations out of SGP4's TEME frame, computed once per time step.

Skyfield defines TEME as ``rot_z(theta_GMST1982 - GAST) @ M`` from the GCRS,
and its ITRS (with the builtin timescale, which carries no polar motion) as
``rot_z(-GAST) @ M`` (skyfield/sgp4lib.py and framelib.py).  So TEME to ITRS
is the pure rotation ``rot_z(-theta_GMST1982)``, and TEME to GCRS is the
transpose of Skyfield's TEME matrix.
"""

import numpy as np

FRAMES = ("teme", "itrs", "gcrs")


def gmst1982_rad(time) -> np.ndarray:
    """Greenwich mean sidereal angle (IAU 1982), rad, shape ``(n_t,)``, for a Skyfield Time."""
    from skyfield.sgp4lib import theta_GMST1982

    theta, _ = theta_GMST1982(time.whole, time.ut1_fraction)
    return np.atleast_1d(theta)


def teme_to_itrs_km(vectors_km, time) -> np.ndarray:
    """TEME vectors into the ITRS: a rotation by ``-theta_GMST1982`` about z per time step.

    ``vectors_km`` ``(..., n_t, 3)`` km (any length unit: the result has the
    same) at the Skyfield Time ``time`` of ``n_t`` steps; returns a new array of
    the same shape.  The ITRS is Skyfield's with the builtin timescale (no
    polar motion), as in :class:`FrameRotation`.  Raises ``ValueError`` when
    the vectors' time axis does not have ``n_t`` steps.
    """
    v = np.asarray(vectors_km, dtype=float)
    theta = gmst1982_rad(time)
    cos, sin = np.cos(theta), np.sin(theta)
    out = np.empty(np.broadcast_shapes(v.shape, (len(theta), 3)))
    out[..., 0] = cos * v[..., 0] + sin * v[..., 1]
    out[..., 1] = -sin * v[..., 0] + cos * v[..., 1]
    out[..., 2] = v[..., 2]
    return out


def teme_to_gcrs_matrices(time) -> np.ndarray:
    """Rotation matrices TEME -> GCRS, shape ``(n_t, 3, 3)``, for a Skyfield Time array."""
    from skyfield.sgp4lib import TEME

    gcrs_to_teme = np.asarray(TEME.rotation_at(time))  # (3, 3, n_t)
    if gcrs_to_teme.ndim == 2:
        gcrs_to_teme = gcrs_to_teme[:, :, None]
    return np.ascontiguousarray(np.moveaxis(gcrs_to_teme, -1, 0).transpose(0, 2, 1))


class FrameRotation:
    """How to take TEME vectors at the grid's times into ``frame``.

    ``z_angle_rad`` (``(n_t,)``) is the extra rotation about z that takes TEME
    into the frame (``-theta_GMST1982`` for ITRS, zero otherwise);
    ``matrices`` (``(n_t, 3, 3)``) is applied after it for GCRS, else ``None``.
    """

    def __init__(self, frame: str, time):
        if frame not in FRAMES:
            raise ValueError(f"frame={frame!r}: must be one of {', '.join(FRAMES)}")
        self.frame = frame
        n_t = len(np.atleast_1d(time.tt))
        self.z_angle_rad = -gmst1982_rad(time) if frame == "itrs" else np.zeros(n_t)
        self.matrices = teme_to_gcrs_matrices(time) if frame == "gcrs" else None

    def apply_matrices_inplace(self, components: np.ndarray) -> None:
        """Apply the per-time-step matrices to component-major ``(3, n, n_t)`` vectors in place."""
        if self.matrices is None:
            return
        components[...] = np.einsum("tik,knt->int", self.matrices, components)

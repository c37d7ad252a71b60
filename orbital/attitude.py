"""Attitudes of flat plates on a circular orbit: each attitude's normal, defined once.

The radiators' thermal loads (:mod:`orbital.thermal`) and the drag area the
arrays and radiators present to the flow (:func:`radiator_flow_factor`,
:func:`array_flow_factor`) both take their plate normals from
:func:`plate_normals`.

Vectors are in an orbit frame: ``P`` towards the Sun's projection on the
orbit plane, ``Q`` 90 degrees further along the orbit, ``H`` the orbit
normal.  A satellite at angle ``u`` from ``P`` is at ``r = cos(u) P + sin(u) Q``
and moves along ``v = H x r``; the Sun, at infinity, is along
``s = cos(beta) P + sin(beta) H`` with ``beta`` the beta angle.  In a
circular orbit the velocity is the direction of the flow (the atmosphere's
co-rotation, about 0.5 km/s against 7.7 km/s, is neglected).
"""

from dataclasses import dataclass

import numpy as np

#: Attitudes a radiator may hold (:func:`plate_normals`).
RADIATOR_ATTITUDES = ("velocity", "sun_edge_on", "orbit_normal", "nadir")
#: Every attitude :func:`plate_normals` knows: the radiators' and a sun-tracking array's.
PLATE_ATTITUDES = RADIATOR_ATTITUDES + ("sun_tracking",)

#: Samples over an orbit for the sun-edge-on radiator's share of the flow.
FLOW_ORBIT_SAMPLES = 360
#: Quantiles of the year's beta angles that stand for its distribution in the flow factor
#: (a stride through the samples could alias the beta angle's ~60-day cycle).
FLOW_BETA_QUANTILES = 48
#: Below this length the cross product ``s x nadir`` is taken as zero: the Sun is along the
#: nadir (or zenith), every plane containing the nadir is edge-on, and the velocity is used.
_EDGE_ON_DEGENERATE = 1e-9


def orbit_samples_rad(n: int) -> np.ndarray:
    """``n`` angles along the orbit from ``P``, rad, shape ``(n,)``: cell midpoints.

    Midpoints never fall on the Sun's or the anti-Sun's direction (``u = 0, pi``).
    """
    return (np.arange(n) + 0.5) * (2 * np.pi / n)


@dataclass(frozen=True, eq=False)
class OrbitGeometry:
    """Unit vectors of a circular orbit in its ``(P, Q, H)`` frame.

    ``sun`` ``(3,)`` the Sun's direction, ``h_hat`` ``(3,)`` the orbit normal;
    ``r_hat`` (zenith) and ``v_hat`` (velocity) ``(n, 3)``, one row per angle ``u``.
    """

    sun: np.ndarray
    r_hat: np.ndarray
    v_hat: np.ndarray
    h_hat: np.ndarray

    @property
    def nadir(self) -> np.ndarray:
        """Unit vectors towards the Earth's centre, ``(n, 3)``."""
        return -self.r_hat


def orbit_geometry(beta_rad: float, u_rad) -> OrbitGeometry:
    """The Sun and the satellite's axes at angles ``u_rad`` ``(n,)`` along an orbit, rad.

    ``beta_rad`` is the orbit's beta angle (a scalar), rad.
    """
    u = np.asarray(u_rad, dtype=float)
    p_hat, q_hat, h_hat = np.eye(3)
    sun = np.cos(beta_rad) * p_hat + np.sin(beta_rad) * h_hat
    r_hat = np.cos(u)[:, None] * p_hat + np.sin(u)[:, None] * q_hat
    v_hat = np.cross(h_hat, r_hat)
    return OrbitGeometry(sun, r_hat, v_hat, h_hat)


def plate_normals(attitude: str, geometry: OrbitGeometry) -> np.ndarray:
    """Unit normal of a flat plate holding ``attitude``, ``(n, 3)`` in the orbit frame.

    ``"velocity"``: along the velocity (fixed in the local orbit frame: edge-on
    to the Sun in a dawn-dusk orbit, sunlit in part of an inclined one);
    ``"sun_edge_on"``: turned about the Sun line to stay edge-on to the Sun and
    contain the nadir (gimballed), normal along ``s x nadir`` (the velocity
    where the Sun is along the nadir); ``"orbit_normal"``: along ``H``;
    ``"nadir"``: towards the Earth's centre; ``"sun_tracking"`` (a solar
    array): towards the Sun.  Raises ``ValueError`` for any other attitude.
    """
    if attitude not in PLATE_ATTITUDES:
        raise ValueError(f"attitude={attitude!r}: must be one of {', '.join(PLATE_ATTITUDES)}")
    shape = geometry.r_hat.shape
    if attitude == "velocity":
        return geometry.v_hat
    if attitude == "orbit_normal":
        return np.broadcast_to(geometry.h_hat, shape)
    if attitude == "nadir":
        return geometry.nadir
    if attitude == "sun_tracking":
        return np.broadcast_to(geometry.sun, shape)
    edge = np.cross(geometry.sun, geometry.nadir)
    length = np.linalg.norm(edge, axis=-1, keepdims=True)
    return np.where(
        length > _EDGE_ON_DEGENERATE, edge / np.where(length > 0, length, 1.0), geometry.v_hat
    )


def array_flow_factor(beta_deg) -> float:
    """Mean share of a sun-tracking array's area facing the flow: ``(2/pi) mean(cos beta)``.

    The array's normal is the Sun's direction (:func:`plate_normals`), so it
    faces the flow with ``|s . v| = cos(beta) |sin u|``, whose orbit mean is
    ``(2/pi) cos(beta)``.  ``beta_deg`` is a scalar or the year's beta angles
    (any shape), deg; the result averages them.
    """
    return float(2.0 / np.pi * np.mean(np.cos(np.radians(beta_deg))))


def radiator_flow_factor(attitude: str, beta_deg) -> float:
    """Mean share of a radiator's area facing the flow for its attitude (thin plate).

    The orbit and year mean of ``|n . v|`` with ``n`` from :func:`plate_normals`.
    A normal along the velocity faces the flow fully (1) and one across it
    (``"nadir"``, ``"orbit_normal"``) not at all (0); the sun-edge-on normal is
    integrated over :data:`FLOW_ORBIT_SAMPLES` points of the orbit for
    :data:`FLOW_BETA_QUANTILES` quantiles of ``beta_deg`` (deg, any shape).
    Raises ``ValueError`` for an attitude a radiator cannot hold.
    """
    if attitude not in RADIATOR_ATTITUDES:
        raise ValueError(f"attitude={attitude!r}: must be one of {', '.join(RADIATOR_ATTITUDES)}")
    if attitude == "velocity":
        return 1.0
    if attitude in ("nadir", "orbit_normal"):
        return 0.0
    u = orbit_samples_rad(FLOW_ORBIT_SAMPLES)
    levels = (np.arange(FLOW_BETA_QUANTILES) + 0.5) / FLOW_BETA_QUANTILES
    shares = []
    for beta in np.radians(np.quantile(np.ravel(beta_deg), levels)):
        geometry = orbit_geometry(beta, u)
        normal = plate_normals(attitude, geometry)
        shares.append(np.mean(np.abs(np.sum(normal * geometry.v_hat, axis=-1))))
    return float(np.mean(shares))

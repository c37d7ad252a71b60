"""Linearised relative motion about a circular reference orbit, with J2: Schweighart-Sedwick.

Frame: the LVLH (Hill) frame of the reference ("chief") orbit, x radial (away from the
Earth), y along-track, z cross-track (along the orbit normal).  Relative states are
``(x, y, z, vx, vy, vz)`` in metres and metres per second, written in that rotating frame.

In-plane, Schweighart and Sedwick ("High-Fidelity Linearized J2 Model for Satellite
Formation Flight", JGCD 25(6): 1073-1080, 2002, eqs. 37-38) average the differential J2
acceleration over the orbit and get, for a reference orbit of radius ``r`` and
inclination ``i``::

    x'' - 2 (n c) y' - (5 c^2 - 2) n^2 x = 0
    y'' + 2 (n c) x'                  = 0
    s = 3 J2 Re^2 / (8 r^2) (1 + 3 cos 2i),   c = sqrt(1 + s),   n = sqrt(mu / r^3)

whose closed form is written out in :func:`relative_positions_m`.  With ``J2 = 0`` it is
the Hill-Clohessy-Wiltshire system (Clohessy and Wiltshire, J. Aerospace Sci. 27(9): 653,
1960; Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 6-66).
The along-track drift vanishes when ``y'(0) = -2 n c x(0)`` (:func:`drift_free_states`).

Cross-track, the deputy's relative orbit is a small difference of inclination ``di`` and
node ``dOmega`` from the chief's.  ``z = r (di sin u - sin i dOmega(t) cos u)`` with the
chief's argument of latitude ``u = u0 + k t`` at SS's rate ``k = n c + 3 n J2 Re^2 /
(2 r^2) cos^2 i`` and the differential nodal regression ``dOmega' = 3/2 n J2 (Re/r)^2
sin i di`` (the derivative of Vallado eq. 9-41 in ``i``): the first-order form of SS's
cross-track solution (their eqs. 46-52), whose ``l t`` term is this secular growth.  A
difference of inclination also drifts the deputy along-track through the differential
rates of the argument of latitude and of the node (Vallado eqs. 9-39 to 9-41):
``y' += -21/2 r n J2 (Re/r)^2 sin i cos i di``.  Planar (in-plane) formations have
``di = dOmega = 0`` and none of this.

Limits: a circular reference orbit, offsets small against ``r`` (the error grows as
``offset^2 / r``: centimetres at a kilometre), J2 averaged over the orbit (the periodic
differential J2 of the true field moves members by about 0.5 % of their offsets: metres
at hundreds of metres), no drag (see :mod:`orbital.formation_drag`).
"""

import numpy as np

from orbital.constants import EARTH_RADIUS_WGS72_KM, J2, MU_KM3_S2

#: Earth's gravitational parameter, m^3/s^2, and equatorial radius, m: the WGS-72 values of
#: :mod:`orbital.constants` in SI.
MU_M3_S2: float = MU_KM3_S2 * 1e9
EARTH_RADIUS_M: float = EARTH_RADIUS_WGS72_KM * 1e3


def _check_orbit(radius_m: float, inclination_rad: float) -> None:
    if not np.isfinite(radius_m) or radius_m <= EARTH_RADIUS_M:
        raise ValueError(
            f"reference radius {radius_m} m: must be a finite orbit radius above the Earth's "
            f"{EARTH_RADIUS_M:.0f} m (the radius, not the altitude)"
        )
    if not np.isfinite(inclination_rad) or not 0.0 <= inclination_rad <= np.pi:
        raise ValueError(f"inclination {inclination_rad} rad: must be within [0, pi]")


def ss_rates(radius_m: float, inclination_rad: float, j2: float = J2) -> dict[str, float]:
    """The Schweighart-Sedwick rates of a circular reference orbit.

    Returns a dict of floats: ``n`` (rad/s, ``sqrt(mu / r^3)``), ``s`` and ``c``
    (dimensionless), ``frame_rate`` (``n c``, rad/s, the LVLH frame's rotation in SS's
    in-plane equations), ``radial_rate`` (``n sqrt(1 - s)``, rad/s, the frequency of the
    radial oscillation), ``k`` (rad/s, the chief's argument-of-latitude rate, SS eq. 47),
    ``node_rate_per_inclination`` (rad/s per rad of inclination difference) and
    ``drift_per_inclination`` (m/s of along-track drift per rad of inclination difference).
    ``j2 = 0`` gives HCW.  Raises ValueError for a radius below the Earth's or an
    inclination outside [0, pi].
    """
    _check_orbit(radius_m, inclination_rad)
    n = float(np.sqrt(MU_M3_S2 / radius_m**3))
    j2_term = j2 * (EARTH_RADIUS_M / radius_m) ** 2
    s = 3.0 * j2_term / 8.0 * (1.0 + 3.0 * np.cos(2.0 * inclination_rad))
    c = float(np.sqrt(1.0 + s))
    sin_i, cos_i = np.sin(inclination_rad), np.cos(inclination_rad)
    return {
        "n": n,
        "s": float(s),
        "c": c,
        "frame_rate": n * c,
        "radial_rate": float(n * np.sqrt(1.0 - s)),
        "k": float(n * c + 1.5 * n * j2_term * cos_i**2),
        "node_rate_per_inclination": float(1.5 * n * j2_term * sin_i),
        "drift_per_inclination": float(-10.5 * radius_m * n * j2_term * sin_i * cos_i),
    }


def _as_states(states_m_m_s) -> np.ndarray:
    states = np.asarray(states_m_m_s, dtype=float)
    if states.ndim != 2 or states.shape[1] != 6:
        raise ValueError(f"relative states of shape {states.shape}: need (n, 6)")
    if not np.all(np.isfinite(states)):
        raise ValueError("relative states must be finite")
    return states


def cross_track_elements(
    states_m_m_s,
    radius_m: float,
    inclination_rad: float,
    chief_argument_of_latitude_rad: float = 0.0,
    j2: float = J2,
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's inclination and node difference from the chief, rad, ``(n,)`` each.

    Solves ``z0 = r (di sin u0 - sin i dOmega0 cos u0)`` and its time derivative (with the
    differential nodal regression) for ``(di, dOmega0)``; ``u0`` is the chief's argument
    of latitude at ``t = 0``.  Raises ValueError for states not ``(n, 6)`` and for an
    equatorial reference orbit (``sin i = 0``: the node is undefined).
    """
    states = _as_states(states_m_m_s)
    rates = ss_rates(radius_m, inclination_rad, j2)
    sin_i = np.sin(inclination_rad)
    if abs(sin_i) < 1e-9:
        raise ValueError("an equatorial reference orbit has no node: give 0 < i < pi")
    u0 = chief_argument_of_latitude_rad
    k, w = rates["k"], rates["node_rate_per_inclination"]
    su, cu = np.sin(u0), np.cos(u0)
    # [[r su, -r sin_i cu], [r (k cu - sin_i cu w), r k sin_i su]] @ (di, dOmega0) = (z0, vz0)
    a11, a12 = radius_m * su, -radius_m * sin_i * cu
    a21, a22 = radius_m * (k * cu - sin_i * cu * w), radius_m * k * sin_i * su
    det = a11 * a22 - a12 * a21
    z0, vz0 = states[:, 2], states[:, 5]
    di = (z0 * a22 - a12 * vz0) / det
    d_node = (a11 * vz0 - a21 * z0) / det
    return di, d_node


def relative_positions_m(
    states_m_m_s,
    t_s,
    radius_m: float,
    inclination_rad: float,
    chief_argument_of_latitude_rad: float = 0.0,
    j2: float = J2,
) -> np.ndarray:
    """Positions in the chief's LVLH frame, metres, ``(n, n_t, 3)``, by SS's closed form.

    ``states_m_m_s`` ``(n, 6)`` are the members' relative states at ``t = 0``; ``t_s``
    ``(n_t,)`` seconds from then; ``radius_m`` the reference orbit's radius;
    ``chief_argument_of_latitude_rad`` the chief's at ``t = 0`` (only the cross-track
    motion depends on it when ``j2 != 0``).  In-plane, with ``w = n sqrt(1 - s)``,
    ``C = y'0 + 2 n c x0`` and ``xc = 2 n c C / w^2``::

        x = xc + (x0 - xc) cos wt + x'0 / w sin wt
        y = y0 + (C - 2 n c xc) t - 2 n c ((x0 - xc) sin wt / w + x'0 (1 - cos wt) / w^2)

    (integrating SS's eqs. 37-38); cross-track as the module says.  ``j2 = 0`` is HCW.
    Raises ValueError for states not ``(n, 6)``, non-finite values, or a bad orbit.
    """
    states = _as_states(states_m_m_s)
    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1:
        raise ValueError(f"t_s of shape {t.shape}: need (n_t,)")
    rates = ss_rates(radius_m, inclination_rad, j2)
    fr, w = rates["frame_rate"], rates["radial_rate"]
    x0, y0, vx0, vy0 = (states[:, j, None] for j in (0, 1, 3, 4))
    big_c = vy0 + 2.0 * fr * x0
    xc = 2.0 * fr * big_c / w**2
    wt = w * t[None, :]
    sin_wt, cos_wt = np.sin(wt), np.cos(wt)
    out = np.empty((states.shape[0], t.size, 3))
    out[..., 0] = xc + (x0 - xc) * cos_wt + vx0 / w * sin_wt
    out[..., 1] = (
        y0
        + (big_c - 2.0 * fr * xc) * t
        - 2.0 * fr * ((x0 - xc) * sin_wt / w + vx0 * (1.0 - cos_wt) / w**2)
    )
    if np.any(states[:, [2, 5]] != 0.0):
        di, d_node = cross_track_elements(
            states, radius_m, inclination_rad, chief_argument_of_latitude_rad, j2
        )
        u = chief_argument_of_latitude_rad + rates["k"] * t[None, :]
        node = d_node[:, None] + rates["node_rate_per_inclination"] * di[:, None] * t[None, :]
        sin_i = np.sin(inclination_rad)
        out[..., 2] = radius_m * (di[:, None] * np.sin(u) - sin_i * node * np.cos(u))
        out[..., 1] += rates["drift_per_inclination"] * di[:, None] * t[None, :]
    else:
        out[..., 2] = 0.0
    return out


def hcw_positions_m(states_m_m_s, t_s, radius_m: float) -> np.ndarray:
    """Hill-Clohessy-Wiltshire positions, metres, ``(n, n_t, 3)``: SS with ``J2 = 0``.

    Same frame and arguments as :func:`relative_positions_m`; no inclination is needed
    (the cross-track motion is ``z0 cos nt + z'0 / n sin nt``).
    """
    return relative_positions_m(states_m_m_s, t_s, radius_m, np.pi / 2, 0.0, j2=0.0)


def drift_free_states(
    states_m_m_s, radius_m: float, inclination_rad: float, j2: float = J2
) -> np.ndarray:
    """The same states with the along-track velocity that cancels the in-plane drift.

    Returns a copy of ``states_m_m_s`` ``(n, 6)`` with ``y'0 = -2 n c x0`` (SS: the
    secular ``C t`` term of :func:`relative_positions_m` vanishes; HCW's ``-2 n x0`` when
    ``j2 = 0``).  A cross-track inclination difference still drifts (the module's note).
    """
    states = _as_states(states_m_m_s).copy()
    states[:, 4] = -2.0 * ss_rates(radius_m, inclination_rad, j2)["frame_rate"] * states[:, 0]
    return states


def passive_relative_orbit_states(
    radial_amplitude_m,
    in_plane_phase_rad,
    cross_track_amplitude_m,
    cross_track_phase_rad,
    radius_m: float,
    inclination_rad: float,
    along_track_offset_m=0.0,
    j2: float = J2,
) -> np.ndarray:
    """Relative states ``(n, 6)`` at ``t = 0`` of passive relative orbits (PROs).

    In-plane each member flies ``x = A cos(w t + alpha)``, ``y = y_c - 2 (n c / w) A sin(w t
    + alpha)``: the 2:1 relative ellipse (HCW; SS stretches it by ``c / sqrt(1 - s)``,
    1.001 at 650 km), centred ``y_c`` along-track, drift-free.  Cross-track ``z = B cos(k t +
    beta)`` at ``t = 0`` (``z0 = B cos beta``, ``z'0 = -B k sin beta``); with J2 it is not
    closed unless the inclination difference is 0 (the module's note).  All arguments
    broadcast to ``(n,)``: amplitudes in metres (``A >= 0``, ``B >= 0``), phases in rad.
    Raises ValueError for negative amplitudes or a bad orbit.
    """
    a, alpha, b, beta, yc = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(v, dtype=float))
            for v in (
                radial_amplitude_m,
                in_plane_phase_rad,
                cross_track_amplitude_m,
                cross_track_phase_rad,
                along_track_offset_m,
            )
        )
    )
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("PRO amplitudes must not be negative (use the phase to flip them)")
    rates = ss_rates(radius_m, inclination_rad, j2)
    fr, w, k = rates["frame_rate"], rates["radial_rate"], rates["k"]
    states = np.empty(a.shape + (6,))
    states[:, 0] = a * np.cos(alpha)
    states[:, 1] = yc - 2.0 * fr / w * a * np.sin(alpha)
    states[:, 2] = b * np.cos(beta)
    states[:, 3] = -a * w * np.sin(alpha)
    states[:, 4] = -2.0 * fr * states[:, 0]
    states[:, 5] = -b * k * np.sin(beta)
    return states


def chief_and_member_inertial_states(
    states_m_m_s,
    radius_m: float,
    inclination_rad: float,
    chief_argument_of_latitude_rad: float = 0.0,
    j2: float = J2,
) -> tuple[np.ndarray, np.ndarray]:
    """Inertial states of the chief ``(6,)`` and of the members ``(n, 6)``, m and m/s.

    The chief flies SS's reference: radius ``radius_m``, speed ``r n c`` perpendicular to
    the radius, node on the x axis, at argument of latitude ``u0``.  A member's position is
    the chief's plus its LVLH offset; its velocity the chief's plus the LVLH velocity and
    the frame's rotation ``omega x rho`` (``omega = n c`` along z).
    """
    states = _as_states(states_m_m_s)
    u0 = chief_argument_of_latitude_rad
    su, cu = np.sin(u0), np.cos(u0)
    si, ci = np.sin(inclination_rad), np.cos(inclination_rad)
    x_hat = np.array([cu, su * ci, su * si])
    y_hat = np.array([-su, cu * ci, cu * si])
    z_hat = np.cross(x_hat, y_hat)
    q = np.column_stack([x_hat, y_hat, z_hat])
    rate = ss_rates(radius_m, inclination_rad, j2)["frame_rate"]
    chief = np.concatenate([radius_m * x_hat, radius_m * rate * y_hat])
    rho, rho_dot = states[:, :3], states[:, 3:]
    omega_x_rho = np.column_stack([-rate * rho[:, 1], rate * rho[:, 0], np.zeros(len(rho))])
    members = np.hstack([chief[:3] + rho @ q.T, chief[3:] + (rho_dot + omega_x_rho) @ q.T])
    return chief, members


def mean_semi_major_axis_m(inertial_m_m_s, j2: float = J2) -> np.ndarray:
    """First-order J2 mean semi-major axis, metres, of inertial states ``(n, 6)``.

    The osculating Keplerian ``a`` less Brouwer's short-period term (Schaub and Junkins,
    *Analytical Mechanics of Space Systems*, appendix on the Brouwer-Lyddane mean and
    osculating elements)::

        da = J2 Re^2 / (2 a) ((3 cos^2 i - 1) ((a/r)^3 - eta^-3) + 3 sin^2 i (a/r)^3 cos 2u)

    with ``eta = sqrt(1 - e^2)`` and ``u`` the argument of latitude.
    """
    s = np.atleast_2d(np.asarray(inertial_m_m_s, dtype=float))
    r_vec, v_vec = s[:, :3], s[:, 3:]
    r = np.linalg.norm(r_vec, axis=1)
    v2 = np.sum(v_vec * v_vec, axis=1)
    a = 1.0 / (2.0 / r - v2 / MU_M3_S2)
    rv = np.sum(r_vec * v_vec, axis=1)
    e_vec = ((v2 - MU_M3_S2 / r)[:, None] * r_vec - rv[:, None] * v_vec) / MU_M3_S2
    e2 = np.sum(e_vec * e_vec, axis=1)
    h = np.cross(r_vec, v_vec)
    h_hat = h / np.linalg.norm(h, axis=1, keepdims=True)
    cos_i = h_hat[:, 2]
    node = np.cross([0.0, 0.0, 1.0], h_hat)
    node_norm = np.linalg.norm(node, axis=1, keepdims=True)
    node = np.where(node_norm > 1e-12, node / np.where(node_norm > 0, node_norm, 1.0), [1, 0, 0])
    r_hat = r_vec / r[:, None]
    u = np.arctan2(np.sum(np.cross(node, r_hat) * h_hat, axis=1), np.sum(node * r_hat, axis=1))
    ratio3 = (a / r) ** 3
    da = (
        j2
        * EARTH_RADIUS_M**2
        / (2.0 * a)
        * (
            (3.0 * cos_i**2 - 1.0) * (ratio3 - (1.0 - e2) ** -1.5)
            + 3.0 * (1.0 - cos_i**2) * ratio3 * np.cos(2.0 * u)
        )
    )
    return a - da


def lvlh_to_inertial_states(chief_m_m_s, states_m_m_s) -> np.ndarray:
    """Inertial states ``(n, 6)`` (m, m/s) of members at LVLH ``states_m_m_s`` ``(n, 6)``.

    ``chief_m_m_s`` ``(6,)`` is the chief's inertial position and velocity; its LVLH basis
    is ``x = r/|r|``, ``z = h/|h|``, ``y = z x x`` and the frame turns at ``|h| / r^2`` about
    z (the orbit's own rate; the slow turn of the plane under J2 is left out).  A member's
    position is the chief's plus its offset, its velocity the chief's plus the LVLH velocity
    and ``omega x rho``.  Raises ValueError for states not ``(n, 6)``.
    """
    states = _as_states(states_m_m_s)
    chief = np.asarray(chief_m_m_s, dtype=float).reshape(6)
    r_vec, v_vec = chief[:3], chief[3:]
    r = float(np.linalg.norm(r_vec))
    h = np.cross(r_vec, v_vec)
    x_hat = r_vec / r
    z_hat = h / np.linalg.norm(h)
    q = np.column_stack([x_hat, np.cross(z_hat, x_hat), z_hat])
    rate = float(np.linalg.norm(h)) / r**2
    rho, rho_dot = states[:, :3], states[:, 3:]
    omega_x_rho = np.column_stack([-rate * rho[:, 1], rate * rho[:, 0], np.zeros(len(rho))])
    return np.hstack([r_vec + rho @ q.T, v_vec + (rho_dot + omega_x_rho) @ q.T])


def mean_drift_free_states_about(chief_m_m_s, states_m_m_s, j2: float = J2) -> np.ndarray:
    """The states with the along-track velocity that gives each member the chief's mean ``a``.

    ``chief_m_m_s`` ``(6,)`` the chief's inertial state (any orbit near circular), the
    members' LVLH ``states_m_m_s`` ``(n, 6)`` about it (:func:`lvlh_to_inertial_states`).
    Equal first-order mean semi-major axes (:func:`mean_semi_major_axis_m`) give equal mean
    along-track rates in the true J2 field (for members in the chief's plane; Schaub and
    Alfriend, "J2 invariant relative orbits for spacecraft formations", Celest. Mech. 79:
    77, 2001, condition on the mean ``a``).  Three Newton steps on ``y'0`` (the slope
    ``da/dv = 2 a^2 v / mu`` of a near-circular orbit).  Returns a copy ``(n, 6)``.
    """
    out = _as_states(states_m_m_s).copy()
    chief = np.asarray(chief_m_m_s, dtype=float).reshape(1, 6)
    target = mean_semi_major_axis_m(chief, j2)[0]
    speed = float(np.linalg.norm(chief[0, 3:]))
    slope = 2.0 * target**2 * speed / MU_M3_S2
    for _ in range(3):
        members = lvlh_to_inertial_states(chief[0], out)
        out[:, 4] -= (mean_semi_major_axis_m(members, j2) - target) / slope
    return out


def mean_drift_free_states(
    states_m_m_s,
    radius_m: float,
    inclination_rad: float,
    chief_argument_of_latitude_rad: float = 0.0,
    j2: float = J2,
) -> np.ndarray:
    """The states with the along-track velocity that gives each member the chief's mean ``a``.

    :func:`mean_drift_free_states_about` SS's reference chief
    (:func:`chief_and_member_inertial_states`) at argument of latitude ``u0``: drift-free
    in the true J2 field whatever ``u0``; SS's :func:`drift_free_states` equals it only on
    average over ``u0``.  Returns a copy ``(n, 6)``.
    """
    states = _as_states(states_m_m_s)
    chief, _ = chief_and_member_inertial_states(
        states[:1], radius_m, inclination_rad, chief_argument_of_latitude_rad, j2
    )
    return mean_drift_free_states_about(chief, states, j2)


def mean_anomaly_rate_rad_s(
    mean_semi_major_axis_m: float, inclination_rad: float, j2: float = J2
) -> float:
    """Secular rate of the mean anomaly of a circular orbit under J2, rad/s.

    ``M' = n (1 + 3/4 J2 (Re/a)^2 (3 cos^2 i - 1))`` with ``n = sqrt(mu / a^3)`` of the mean
    semi-major axis ``a`` (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th
    ed., section 9.6, the secular J2 rates, ``e = 0``).  Members with the chief's mean
    ``a`` in its plane circle it on relative ellipses at this rate (their eccentricity
    vectors turn with the perigee's ``w'`` while the frame turns at ``M' + w'``).  Raises
    ValueError for a radius below the Earth's or an inclination outside [0, pi].
    """
    _check_orbit(mean_semi_major_axis_m, inclination_rad)
    a = float(mean_semi_major_axis_m)
    n = float(np.sqrt(MU_M3_S2 / a**3))
    return n * (
        1.0 + 0.75 * j2 * (EARTH_RADIUS_M / a) ** 2 * (3.0 * np.cos(inclination_rad) ** 2 - 1.0)
    )

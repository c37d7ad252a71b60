"""A numerical truth for relative motion: satellites integrated in inertial space.

Point-mass Earth plus J2 (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th
ed., eq. 8-30), optionally a constant-density drag ``-0.5 rho |v| v B`` on each satellite
(no atmospheric rotation), by scipy's DOP853 at tight tolerances.  The chief starts on the
equator-crossing side of its circular reference at argument of latitude ``u0`` with the
speed ``r n c`` of Schweighart and Sedwick's reference orbit (``c = 1`` without J2); each
deputy's inertial state is the chief's plus the LVLH offset and its velocity plus the
frame's rotation ``omega x rho``.  Relative positions are read back in the LVLH frame of
the integrated chief (x along r, z along r x v).  Used by the formation tests only.
"""

import numpy as np
from scipy.integrate import solve_ivp


def _accel(r, mu, re, j2):
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    rn = np.sqrt(x * x + y * y + z * z)
    k = 1.5 * j2 * mu * re**2 / rn**5
    f = 5.0 * z * z / (rn * rn)
    a = -mu * r / rn[:, None] ** 3
    a[:, 0] += k * x * (f - 1.0)
    a[:, 1] += k * y * (f - 1.0)
    a[:, 2] += k * z * (f - 3.0)
    return a


def integrate_lvlh(
    states,
    t_s,
    radius_m,
    inclination_rad,
    speed_m_s,
    mu,
    re,
    j2,
    u0=0.0,
    drag_m2_kg=None,
    density_kg_m3=0.0,
    rtol=1e-13,
    atol=1e-7,
):
    """LVLH positions ``(n, n_t, 3)`` of deputies with relative ``states (n, 6)`` at ``t_s``.

    ``drag_m2_kg`` ``(n + 1,)``: ballistic coefficients ``Cd A / m`` of the chief (first)
    and the deputies, or None for no drag.
    """
    states = np.asarray(states, dtype=float)
    su, cu, si, ci = np.sin(u0), np.cos(u0), np.sin(inclination_rad), np.cos(inclination_rad)
    xh = np.array([cu, su * ci, su * si])
    yh = np.array([-su, cu * ci, cu * si])
    zh = np.cross(xh, yh)
    q = np.column_stack([xh, yh, zh])
    rc, vc = radius_m * xh, speed_m_s * yh
    omega = np.array([0.0, 0.0, speed_m_s / radius_m])
    y0 = [np.r_[rc, vc]]
    for s in states:
        rho, rho_dot = s[:3], s[3:]
        y0.append(np.r_[rc + q @ rho, vc + q @ (rho_dot + np.cross(omega, rho))])
    b = None if drag_m2_kg is None else np.asarray(drag_m2_kg, dtype=float)

    def rhs(_t, y):
        y = y.reshape(-1, 6)
        d = np.empty_like(y)
        d[:, :3] = y[:, 3:]
        d[:, 3:] = _accel(y[:, :3], mu, re, j2)
        if b is not None:
            v = y[:, 3:]
            d[:, 3:] -= 0.5 * density_kg_m3 * b[:, None] * np.linalg.norm(v, axis=1)[:, None] * v
        return d.ravel()

    t = np.asarray(t_s, dtype=float)
    sol = solve_ivp(
        rhs, (t[0], t[-1]), np.concatenate(y0), method="DOP853", t_eval=t, rtol=rtol, atol=atol
    )
    if not sol.success:
        raise RuntimeError(sol.message)
    y = sol.y.reshape(-1, 6, t.size)
    r_c, v_c = y[0, :3], y[0, 3:]
    x_hat = r_c / np.linalg.norm(r_c, axis=0)
    h = np.cross(r_c.T, v_c.T).T
    z_hat = h / np.linalg.norm(h, axis=0)
    y_hat = np.cross(z_hat.T, x_hat.T).T
    d = y[1:, :3] - r_c[None]
    return np.stack([np.sum(d * x_hat, 1), np.sum(d * y_hat, 1), np.sum(d * z_hat, 1)], axis=-1)


def integrate_inertial(states, t_s, mu, re, j2, rtol=1e-10, atol=1e-4):
    """Inertial states ``(n, n_t, 6)`` of satellites started at ``states (n, 6)`` (m, m/s),
    point mass + J2, at ``t_s`` from ``t_s[0]``."""
    states = np.asarray(states, dtype=float)

    def rhs(_t, y):
        y = y.reshape(-1, 6)
        d = np.empty_like(y)
        d[:, :3] = y[:, 3:]
        d[:, 3:] = _accel(y[:, :3], mu, re, j2)
        return d.ravel()

    t = np.asarray(t_s, dtype=float)
    sol = solve_ivp(
        rhs, (t[0], t[-1]), states.ravel(), method="DOP853", t_eval=t, rtol=rtol, atol=atol
    )
    if not sol.success:
        raise RuntimeError(sol.message)
    return sol.y.reshape(-1, 6, t.size).transpose(0, 2, 1)


def lvlh_offsets(chief, members):
    """Offsets ``(n, n_t, 3)`` of ``members (n, n_t, 3+)`` from ``chief (n_t, 6)`` in the
    chief's LVLH frame (x along r, z along r x v)."""
    r, v = chief[:, :3], chief[:, 3:6]
    x = r / np.linalg.norm(r, axis=1, keepdims=True)
    z = np.cross(r, v)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    y = np.cross(z, x)
    d = np.asarray(members)[..., :3] - r[None]
    return np.stack([np.sum(d * x, -1), np.sum(d * y, -1), np.sum(d * z, -1)], axis=-1)

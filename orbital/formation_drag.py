"""What differential drag does to a close formation: drift, station keeping, loss of control.

Two members whose ballistic coefficients ``B = Cd A / m`` differ by a fraction ``f`` feel
a differential along-track acceleration ``a = -f 0.5 rho v^2 B`` (drag, Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 8-28).  Added to HCW as a
constant along-track force, starting from relative rest (Vallado section 6.8; integrate
``x'' = 3 n^2 x + 2 n y'``, ``y'' = -2 n x' + a``)::

    x(t) = 2 a / n (t - sin(n t) / n)
    y(t) = -3/2 a t^2 + 4 a / n^2 (1 - cos n t)

The ``-3/2 a t^2`` term dominates after an orbit: a member with more drag (``a < 0``) sinks
and moves ahead.  Density and speed are inputs (this module does not call NRLMSIS: see
:func:`orbital.drag.density_kg_m3`).  Densities are constant over the span asked for;
the chief is the frame's origin on its circular reference (its own decay is common to
every member and cancels to first order).
"""

import numpy as np

from orbital.constants import J2, JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.formation import separation_metrics
from orbital.relative_motion import relative_positions_m, ss_rates

SECONDS_PER_YEAR = JULIAN_YEAR_DAYS * SECONDS_PER_DAY


def differential_drag_acceleration_m_s2(
    density_kg_m3, speed_m_s, ballistic_coefficient_m2_kg, mismatch_fraction
) -> np.ndarray:
    """Along-track acceleration of a member relative to the chief, m/s^2 (broadcast).

    ``-f 0.5 rho v^2 B``: ``mismatch_fraction`` ``f`` is the member's ``B`` less the
    chief's, over the chief's (0.01 for 1 % more drag); ``ballistic_coefficient_m2_kg``
    is the chief's ``Cd A / m``.  Raises ValueError for a negative density, speed or ``B``.
    """
    rho, v, b = (
        np.asarray(x, dtype=float) for x in (density_kg_m3, speed_m_s, ballistic_coefficient_m2_kg)
    )
    if np.any(rho < 0) or np.any(v < 0) or np.any(b < 0):
        raise ValueError("density, speed and ballistic coefficient must not be negative")
    return -np.asarray(mismatch_fraction, dtype=float) * 0.5 * rho * v**2 * b


def drag_drift_positions_m(acceleration_m_s2, t_s, mean_motion_rad_s: float) -> np.ndarray:
    """HCW response ``(n, n_t, 3)``, metres, to constant along-track accelerations ``(n,)``.

    From relative rest at ``t = 0`` (module formula); add it to a member's free motion
    (the system is linear).  ``mean_motion_rad_s`` is the reference orbit's ``n``.
    """
    a = np.atleast_1d(np.asarray(acceleration_m_s2, dtype=float))[:, None]
    t = np.asarray(t_s, dtype=float)[None, :]
    n = float(mean_motion_rad_s)
    out = np.zeros((a.shape[0], t.shape[1], 3))
    out[..., 0] = 2.0 * a / n * (t - np.sin(n * t) / n)
    out[..., 1] = -1.5 * a * t**2 + 4.0 * a / n**2 * (1.0 - np.cos(n * t))
    return out


def time_to_along_track_drift_s(distance_m, acceleration_m_s2) -> np.ndarray:
    """Time, s, for the secular ``3/2 |a| t^2`` to reach ``distance_m`` (broadcast).

    The periodic terms (at most ``8 |a| / n^2``) are left out.  ``inf`` where ``a = 0``.
    """
    a = np.abs(np.asarray(acceleration_m_s2, dtype=float))
    with np.errstate(divide="ignore"):
        return np.sqrt(2.0 * np.asarray(distance_m, dtype=float) / (3.0 * a))


def station_keeping(acceleration_m_s2, tolerance_m) -> tuple[np.ndarray, np.ndarray]:
    """Delta-v per member-year, m/s, and the time between manoeuvres, s, to hold a box.

    Cancelling a constant along-track acceleration costs ``|a|`` times the time, whatever
    the strategy: ``|a| * 1 Julian year``.  Held within ``+/- tolerance_m`` along-track
    by tangential impulses (the dead-band of geostationary east-west keeping, Soop,
    *Handbook of Geostationary Orbits*, ch. 7): the drift ``y'' = -3 a`` carries the
    member across the box and back on a parabola; a tangential ``dv`` changes the
    along-track drift rate by ``-3 dv``, so each burn reverses the drift ``+/- sqrt(12 |a|
    d)`` and they come every ``(4/3) sqrt(3 d / |a|)`` (``d`` = ``tolerance_m``).
    Raises ValueError for a non-positive tolerance.
    """
    a = np.abs(np.asarray(acceleration_m_s2, dtype=float))
    d = np.asarray(tolerance_m, dtype=float)
    if np.any(d <= 0):
        raise ValueError(f"tolerance_m={tolerance_m}: must be positive")
    with np.errstate(divide="ignore"):
        interval = 4.0 / 3.0 * np.sqrt(3.0 * d / a)
    return a * SECONDS_PER_YEAR, interval


def mismatch_fractions(n_members: int, sigma: float, seed: int) -> np.ndarray:
    """Ballistic-coefficient mismatches ``(n_members,)``: normal, mean 0, ``sigma``, seeded.

    The chief (member 0, at the origin of a lattice) gets 0: the frame follows it.
    ``numpy.random.default_rng(seed)``, so the same seed gives the same cluster.
    """
    f = np.random.default_rng(seed).normal(0.0, sigma, n_members)
    f[0] = 0.0
    return f


def time_to_first_approach_s(
    states_m_m_s,
    t_s,
    radius_m: float,
    inclination_rad: float,
    keep_out_m: float,
    density_kg_m3: float,
    speed_m_s: float,
    ballistic_coefficient_m2_kg: float,
    mismatch_fraction,
    j2: float = J2,
) -> float:
    """First time in ``t_s`` at which two uncontrolled members are closer than keep-out, s.

    Members start from ``states_m_m_s`` ``(n, 6)`` and fly SS's relative motion plus the
    drift of their ballistic-coefficient ``mismatch_fraction`` ``(n,)``
    (:func:`mismatch_fractions` for a seeded draw).  Sampled at ``t_s`` ``(n_t,)``: the
    answer is exact to a step.  Returns ``inf`` if it never happens within ``t_s``.
    """
    acc = differential_drag_acceleration_m_s2(
        density_kg_m3, speed_m_s, ballistic_coefficient_m2_kg, mismatch_fraction
    )
    t = np.asarray(t_s, dtype=float)
    n = ss_rates(radius_m, inclination_rad, j2)["n"]
    pos = relative_positions_m(states_m_m_s, t, radius_m, inclination_rad, 0.0, j2)
    pos += drag_drift_positions_m(acc, t, n)
    smallest, _ = separation_metrics(pos)
    below = np.flatnonzero(smallest < keep_out_m)
    return float(t[below[0]]) if below.size else float("inf")

"""Earth's shadow over the planes of a Walker shell, from one reference plane each.

SGP4's near-Earth model is axially symmetric (:mod:`orbital.propagation`):
plane ``p`` of a phase class is the class's reference plane turned about the
TEME z axis by its node ``Omega_p``.  The conical shadow of a spherical Earth
is unchanged by any rotation about the Earth's centre, so a satellite of
plane ``p`` against the Sun ``s`` sees what the reference satellite sees
against the Sun turned by ``-Omega_p``.

The classification is :class:`orbital.shadow.ShadowStream`'s (the cone test
of Vallado, algorithm 34, with :func:`orbital.shadow.shadow_cones`).  For a
point at distance ``r`` from the Earth's centre it depends only on the
distance ``a`` towards the Sun: inside the penumbra cone exactly when
``a < a_p(r)``, inside the umbra cone when ``a < a_u(r)`` (the negative roots
of the quadratics the cones' radii give; both are monotone there, so the
test is a threshold).  Turning the Sun by ``-Omega`` about z moves ``a`` of a
reference satellite at cylindrical ``(rho, phi, z)`` as
``a = rho cos(delta) cos(phi - alpha + Omega) + z sin(delta)`` (the Sun at
right ascension ``alpha``, declination ``delta``), so the planes that see the
reference satellite in shadow are those whose node lies on one arc, found by
two binary searches among the class's sorted nodes.  The work is
``O(S n_t log P)`` for ``P`` planes of ``S`` satellites, not ``O(P S n_t)``;
only the penumbra points (0.5-1 % of million-340's satellite-steps) are
listed, and get the exact disk-overlap fraction
(:func:`orbital.shadow.conical_visible_fraction`) on the reference position
against the turned Sun.
"""

from typing import NamedTuple

import numpy as np

from orbital.constants import EARTH_RADIUS_IERS_KM, SUN_RADIUS_KM
from orbital.shadow import conical_visible_fraction, shadow_cones

TWO_PI = 2.0 * np.pi


class PlaneShadowTotals(NamedTuple):
    """Sums over every plane's satellites, per time step, arrays ``(n_t,)``.

    ``visible``: sum of the visible fraction of the solar disk; ``full_sun``:
    satellites with the whole disk visible; ``any_sun``: satellites with some
    of it visible; ``valid``: satellites whose position is finite (a failed
    propagation is NaN and left out of all four).
    """

    visible: np.ndarray
    full_sun: np.ndarray
    any_sun: np.ndarray
    valid: np.ndarray


def plane_shadow_totals(
    reference_km, node_rad, r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM
) -> PlaneShadowTotals:
    """Shadow sums over planes that are one reference plane turned about z by ``node_rad``.

    ``reference_km`` ``(S, n_t, 3)`` geocentric positions of the reference
    plane's satellites (NaN where a propagation failed); ``node_rad``
    ``(n_planes,)`` each plane's rotation about the z axis from the reference,
    rad (counter-clockwise seen from +z, as a node's right ascension);
    ``r_sun_km`` ``(n_t, 3)`` the Sun, geocentric, same frame.  Returns
    :class:`PlaneShadowTotals` ``(n_t,)``: what :class:`orbital.shadow.ShadowStream`
    (float64) gives on every turned position, summed, to rounding error.
    Raises ValueError on shapes that do not fit, or for a position beyond
    about 1.4 million km (where the Earth looks smaller than the Sun).
    """
    reference = np.asarray(reference_km, dtype=float)
    node = np.atleast_1d(np.asarray(node_rad, dtype=float))
    sun = np.asarray(r_sun_km, dtype=float)
    if reference.ndim != 3 or reference.shape[-1] != 3:
        raise ValueError(f"reference_km must be (S, n_t, 3); got shape {reference.shape}")
    if sun.shape != (reference.shape[1], 3):
        raise ValueError(
            f"r_sun_km must be (n_t, 3) = ({reference.shape[1]}, 3); got shape {sun.shape}"
        )
    if node.ndim != 1:
        raise ValueError(f"node_rad must be 1-D, one angle per plane; got shape {node.shape}")
    n_planes, n_t = len(node), reference.shape[1]
    r2 = np.sum(reference * reference, axis=-1)  # (S, n_t)
    # The cone test takes the Earth to look bigger than the Sun (no annular eclipse),
    # so within R_earth / R_sun of the Sun's distance: 1.37 million km at 1 au.
    reach_km = earth_radius_km * np.min(np.linalg.norm(sun, axis=-1)) / SUN_RADIUS_KM
    with np.errstate(invalid="ignore"):
        if np.any(r2 >= reach_km**2):
            raise ValueError(
                f"reference_km: positions must lie within {reach_km:,.0f} km of the Earth's "
                "centre, where the Earth looks bigger than the Sun"
            )
    ok = np.isfinite(r2)
    valid = n_planes * ok.sum(axis=0).astype(float)
    totals = PlaneShadowTotals(valid.copy(), valid.copy(), valid.copy(), valid)
    if n_planes == 0 or not ok.any():
        return totals
    m_ok, t_ok = np.nonzero(ok)
    x, y, z = (reference[m_ok, t_ok, k] for k in range(3))
    r2 = r2[m_ok, t_ok]
    cones = shadow_cones(sun, earth_radius_km)
    s_hat = cones.sun_direction[t_ok]
    alpha = np.arctan2(s_hat[:, 1], s_hat[:, 0])
    across = np.hypot(s_hat[:, 0], s_hat[:, 1])  # cos(delta)
    rho, phi = np.hypot(x, y), np.arctan2(y, x)
    a_penumbra = _cone_threshold(r2, cones.penumbra_radius_km[t_ok], -cones.tan_penumbra[t_ok])
    a_umbra = _cone_threshold(r2, cones.umbra_radius_km[t_ok], cones.tan_umbra[t_ok])
    nodes = np.sort(np.mod(node, TWO_PI))
    doubled = np.concatenate([nodes, nodes + TWO_PI])
    centre = np.mod(alpha - phi + np.pi, TWO_PI)  # the node that puts the Sun right behind
    offset, amplitude = z * s_hat[:, 2], rho * across
    half_p = _half_width(a_penumbra, offset, amplitude)
    half_u = np.minimum(_half_width(a_umbra, offset, amplitude), half_p)
    # Both arcs about one centre, the umbra's inside the penumbra's in one unwrapped run
    # of the doubled nodes (from below 2 pi to below 4 pi): their indices nest.
    low_p = np.mod(centre - half_p, TWO_PI)
    lo_p, hi_p = _run(doubled, low_p, half_p, n_planes)
    lo_u, hi_u = _run(doubled, low_p + (half_p - half_u), half_u, n_planes)
    # Points of the outer arc are no longer fully lit, of the inner one not lit at all.
    totals.full_sun[:] -= np.bincount(t_ok, weights=hi_p - lo_p, minlength=n_t)
    totals.visible[:] -= np.bincount(t_ok, weights=hi_p - lo_p, minlength=n_t)
    totals.any_sun[:] -= np.bincount(t_ok, weights=hi_u - lo_u, minlength=n_t)
    # The penumbra: in the outer cone's arc, not the inner's (two runs of planes, one on
    # each side; with no umbra, an empty inner run at the outer one's middle).
    point = np.concatenate([np.arange(len(lo_p))] * 2)
    start = np.concatenate([lo_p, hi_u])
    count = np.concatenate([lo_u - lo_p, hi_p - hi_u]).astype(np.int64)
    if count.sum():
        point = np.repeat(point, count)
        run_start = np.cumsum(count) - count
        k = np.repeat(start - run_start, count) + np.arange(count.sum())
        omega = doubled[k]
        c, s = np.cos(omega), np.sin(omega)
        t = t_ok[point]
        turned_sun = np.stack(
            [c * sun[t, 0] + s * sun[t, 1], c * sun[t, 1] - s * sun[t, 0], sun[t, 2]], axis=-1
        )
        position = np.stack([x[point], y[point], z[point]], axis=-1)
        fraction = conical_visible_fraction(position, turned_sun, earth_radius_km)
        # Penumbra points were taken out of the full-sun count above and left in the
        # any-sun count; each now adds its own fraction.
        totals.visible[:] += np.bincount(t, weights=fraction, minlength=n_t)
        totals.full_sun[:] += np.bincount(t, weights=fraction >= 1.0, minlength=n_t)
        totals.any_sun[:] -= np.bincount(t, weights=fraction <= 0.0, minlength=n_t)
    return totals


def _cone_threshold(r2, radius_km, slope):
    """The distance ``a`` towards the Sun (negative: behind the Earth) below which a point
    ``sqrt(r2)`` from the centre lies inside a cone of radius ``radius_km + slope * a`` about
    the Earth-Sun line: the negative root of ``r2 - a^2 = (radius + slope a)^2``.

    The umbra cone narrows behind the Earth (``slope = tan f_umbra``), the penumbra cone
    widens (``slope = -tan f_penumbra``).  Inside the Earth (no real root) nothing is.
    """
    q = 1.0 + slope * slope
    half_b = radius_km * slope
    disc = half_b * half_b - q * (radius_km * radius_km - r2)
    with np.errstate(invalid="ignore"):
        return (-half_b - np.sqrt(disc)) / q


def _half_width(threshold, offset, amplitude):
    """Half-width (rad, 0..pi) of the arc of nodes about the point right behind the Earth
    at which ``amplitude cos(angle) + offset`` (``angle`` measured from the Sun's side) is
    below ``threshold``: ``arccos((offset - threshold) / amplitude)`` taken from ``pi``.
    0 where it never is (NaN thresholds: inside the Earth), ``pi`` where it always is."""
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = (offset - threshold) / amplitude
        half = np.arccos(np.clip(cosine, -1.0, 1.0))
    return np.where(np.isnan(cosine), 0.0, half)


def _run(doubled, low, half, n_planes):
    """Index run ``[lo, hi)`` of the nodes in ``[low, low + 2 half]`` in ``doubled`` (the
    sorted nodes, then again plus 2 pi), at most every plane once."""
    lo = np.searchsorted(doubled, low, side="left")
    hi = np.searchsorted(doubled, low + 2.0 * half, side="right")
    hi = np.where(half > 0.0, np.minimum(hi, lo + n_planes), lo)
    return lo, hi

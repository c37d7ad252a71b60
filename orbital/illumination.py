"""Sunlight on circular orbits: beta angle, eclipse geometry per orbit, a year per plane.

On a circular orbit of radius ``r`` the angle ``c`` between the Earth's and
the Sun's centres seen from the satellite depends only on the beta angle and
on ``phi``, the satellite's angle along the orbit from the anti-Sun point:
``cos c = cos(beta) cos(phi)`` (Sun at infinity).  With the conical shadow
(:mod:`orbital.shadow`) the umbra spans ``|phi| < phi_u``,
``cos(phi_u) = cos(b - a) / cos(beta)``, and the penumbra reaches
``cos(phi_p) = cos(b + a) / cos(beta)``, with ``a`` the Sun's and ``b`` the
Earth's apparent radius.  So every satellite of a plane sees the same
eclipses, and a year of them follows from the beta angle sampled over the
year: no satellite needs propagating for a year.  The J2 precession of the
node enters through ``raan_rate_rad_s``; the tests check this against SGP4
propagation and Skyfield's ``is_sunlit``.
"""

from dataclasses import dataclass

import numpy as np

from orbital.constants import EARTH_RADIUS_IERS_KM, SUN_RADIUS_KM
from orbital.shadow import visible_fraction_from_angles

#: Gauss-Legendre nodes for the sunlight lost across the penumbra near grazing, where
#: the limb cuts the Sun at a slant: six nodes hold the orbit mean within 3e-6 of a
#: brute-force integral over the orbit (tests/test_illumination.py).
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(6)


def earth_angular_radius_deg(altitude_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """Apparent angular radius of the Earth from ``altitude_km``, degrees (71.7 at 340 km)."""
    return np.degrees(np.arcsin(earth_radius_km / (earth_radius_km + np.asarray(altitude_km))))


def sun_in_orbit_frame(inclination_rad, raan_rad, sun_unit):
    """The Sun seen from an orbit plane: ``(beta_rad, u_sun_rad)``, broadcast.

    ``beta`` is the angle between the Sun and the plane; ``u_sun`` the angle of
    the Sun's projection on the plane from the ascending node.  ``sun_unit`` is
    a unit Sun vector ``(..., 3)`` in the orbits' equatorial frame.  With the
    node ``N = (cos O, sin O, 0)``, the normal ``H = (si sin O, -si cos O, ci)``
    and ``Q = H x N``.
    """
    return _sun_in_plane(inclination_rad, np.cos(raan_rad), np.sin(raan_rad), sun_unit)


def sun_in_precessing_planes(inclination_rad, raan_at_t0_rad, raan_rate_rad_s, t_s, sun_unit):
    """:func:`sun_in_orbit_frame` of planes whose nodes move at a constant rate.

    ``raan_at_t0_rad`` ``(n_planes,)`` the nodes at ``t_s = 0``, moving at
    ``raan_rate_rad_s``; ``t_s`` ``(n_t,)`` seconds and ``sun_unit``
    ``(n_t, 3)``.  Returns ``(beta_rad, u_sun_rad)``, each ``(n_planes, n_t)``.
    The node's cosine and sine come from those of its start and of its drift
    (angle addition), two outer products instead of a cosine and a sine per
    plane and time.
    """
    drift = raan_rate_rad_s * np.asarray(t_s, dtype=float)
    cos_d, sin_d = np.cos(drift)[None, :], np.sin(drift)[None, :]
    raan = np.asarray(raan_at_t0_rad, dtype=float)[:, None]
    cos_0, sin_0 = np.cos(raan), np.sin(raan)
    return _sun_in_plane(
        inclination_rad, cos_0 * cos_d - sin_0 * sin_d, sin_0 * cos_d + cos_0 * sin_d, sun_unit
    )


def _sun_in_plane(inclination_rad, cos_o, sin_o, sun_unit):
    s = np.asarray(sun_unit, dtype=float)
    sx, sy, sz = s[..., 0], s[..., 1], s[..., 2]
    ci, si = np.cos(inclination_rad), np.sin(inclination_rad)
    beta = np.arcsin(np.clip(si * (sin_o * sx - cos_o * sy) + ci * sz, -1.0, 1.0))
    u_sun = np.arctan2(ci * (cos_o * sy - sin_o * sx) + si * sz, cos_o * sx + sin_o * sy)
    return beta, u_sun


@dataclass(frozen=True)
class OrbitEclipse:
    """Eclipse of one orbit; every field broadcasts to the inputs' shape.

    ``umbra_min`` and ``penumbra_min`` are the minutes per orbit in each part
    of the shadow (penumbra on both sides summed), ``sunlight_min`` the rest,
    ``eclipse_min`` penumbra entry to exit, ``lit_fraction`` the orbit-mean
    visible fraction of the solar disk (the share of full-Sun energy).
    """

    umbra_min: np.ndarray
    penumbra_min: np.ndarray
    sunlight_min: np.ndarray
    eclipse_min: np.ndarray
    lit_fraction: np.ndarray


#: Below ``b - a - GRAZING_MARGIN_RAD`` in |beta| the Earth's limb crosses the Sun almost
#: straight and the light lost in the penumbra is half its width (error < 3e-6 of the
#: orbit, checked against a brute-force integral in the tests); above, it is integrated.
GRAZING_MARGIN_RAD = np.radians(20.0)


#: Above this many grazing samples the penumbra loss is read from a :class:`PenumbraTable`
#: in the normalised depth ``(|beta| - (b - a)) / 2a`` built with the same quadrature.
TABLE_ABOVE_SAMPLES = 20_000
_TABLE_POINTS = 4097
#: Within this of ``s = 0`` (the umbra vanishes: its half-width grows like ``sqrt(-s)``) and
#: of ``s = 1`` (the last grazing penumbra) the share bends too sharply to interpolate:
#: samples there are integrated directly.  Elsewhere the table is within 2e-6 of the orbit
#: of the quadrature over the Sun's yearly range of apparent radius (tests/orbital).
_DIRECT_NEAR_S = 0.01


def _half_widths(a, b, beta):
    """``(phi_u, phi_p)``: half-widths of the umbra and of the whole shadow along the orbit."""
    abs_beta = np.abs(beta)
    cos_beta = np.cos(beta)
    phi_u = np.arccos(np.clip(np.cos(b - a) / cos_beta, -1.0, 1.0))
    phi_p = np.arccos(np.clip(np.cos(b + a) / cos_beta, -1.0, 1.0))
    return np.where(abs_beta < b - a, phi_u, 0.0), np.where(abs_beta < b + a, phi_p, 0.0)


class PenumbraTable:
    """Loss on one side of the penumbra as a share of its width, tabulated.

    The share depends on the geometry through the normalised depth
    ``s = (|beta| - (b - a)) / 2a`` (0 where the umbra vanishes, 1 at the
    last grazing penumbra); it is tabulated with the Gauss-Legendre
    quadrature at one Sun's and Earth's apparent radius ``a_rad``, ``b_rad``
    (the samples' means) from ``s_min`` up, densest in ``-1 <= s <= 1`` where
    it bends, and interpolated, except within :data:`_DIRECT_NEAR_S` of
    ``s = 0`` and ``s = 1``, where each sample is integrated.
    """

    def __init__(self, a_rad: float, b_rad: float, s_min: float):
        low = min(s_min, -1.0)
        self.s = np.unique(
            np.concatenate([np.linspace(low, -1.0, 513), np.linspace(-1.0, 1.0, _TABLE_POINTS)])
        )
        beta = (b_rad - a_rad) + 2.0 * a_rad * self.s
        phi_u, phi_p = _half_widths(a_rad, b_rad, beta)
        width = phi_p - phi_u
        loss = _penumbra_loss_rad(a_rad, b_rad, beta, phi_u, phi_p)
        # No penumbra left at s = 1: the share of it lost goes to nothing with the graze.
        self.share = np.divide(loss, width, out=np.zeros_like(loss), where=width > 0)

    def loss_rad(self, a, b, beta, phi_u, phi_p):
        """Sunlight lost on one side of the penumbra, rad of orbit, at these samples.

        All arguments are arrays of one shape ``(n,)`` (or broadcast to it).
        """
        a, b, beta, phi_u, phi_p = np.broadcast_arrays(a, b, beta, phi_u, phi_p)
        s = (np.abs(beta) - (b - a)) / (2.0 * a)
        loss = np.interp(s, self.s, self.share) * (phi_p - phi_u)
        direct = (np.abs(s) < _DIRECT_NEAR_S) | (s > 1.0 - _DIRECT_NEAR_S)
        if direct.any():
            loss[direct] = _penumbra_loss_rad(
                a[direct], b[direct], beta[direct], phi_u[direct], phi_p[direct]
            )
        return loss


class PenumbraQuadrature:
    """Loss on one side of the penumbra by Gauss-Legendre quadrature at every sample."""

    @staticmethod
    def loss_rad(a, b, beta, phi_u, phi_p):
        """Sunlight lost on one side of the penumbra, rad of orbit, at these samples."""
        return _penumbra_loss_rad(a, b, beta, phi_u, phi_p)


def grazing_samples(abs_beta, a, b):
    """True where the limb crosses the Sun at a slant (the penumbra loss is integrated)."""
    return (abs_beta > b - a - GRAZING_MARGIN_RAD) & (abs_beta < b + a)


def penumbra_model(beta_chunks, sun_distance_km, radius_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """The penumbra model for all these samples at once: quadrature for a few grazing ones,
    a :class:`PenumbraTable` at their mean geometry above :data:`TABLE_ABOVE_SAMPLES`.

    ``beta_chunks``: arrays of beta angles (rad), each broadcasting with
    ``sun_distance_km`` and ``radius_km``; the choice and the table are the
    same however the samples are split into chunks.
    """
    a = np.arcsin(SUN_RADIUS_KM / np.asarray(sun_distance_km, dtype=float))
    b = np.arcsin(earth_radius_km / np.asarray(radius_km, dtype=float))
    geometry_shape = np.broadcast_shapes(a.shape, b.shape)
    # Grazing samples counted per Sun-and-Earth geometry: whole numbers, so the means below
    # come out the same, to the last bit, however the samples are chunked.
    counts = np.zeros(geometry_shape, dtype=np.int64)
    s_min = np.inf
    for beta in beta_chunks:
        abs_beta = np.abs(beta)
        g = grazing_samples(abs_beta, a, b)
        if not g.any():
            continue
        counts += _sum_to_shape(g, geometry_shape)
        a_g, b_g = np.broadcast_to(a, g.shape)[g], np.broadcast_to(b, g.shape)[g]
        s_min = min(s_min, float(np.min((abs_beta[g] - (b_g - a_g)) / (2.0 * a_g))))
    count = int(counts.sum())
    if count <= TABLE_ABOVE_SAMPLES:
        return PenumbraQuadrature()
    a_mean = float(np.sum(counts * np.broadcast_to(a, geometry_shape))) / count
    b_mean = float(np.sum(counts * np.broadcast_to(b, geometry_shape))) / count
    return PenumbraTable(a_mean, b_mean, s_min)


def _sum_to_shape(values, shape):
    """``values`` summed over the axes along which ``shape`` broadcasts to theirs."""
    extra = values.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and values.shape[extra + i] != 1
    )
    return values.sum(axis=axes).reshape(shape) if axes else values.reshape(shape)


def _penumbra_loss_rad(a, b, beta, phi_u, phi_p):
    """Sunlight lost on one side of the penumbra, in rad of orbit (Gauss-Legendre)."""
    half = 0.5 * (phi_p - phi_u)
    mid = 0.5 * (phi_p + phi_u)
    cos_beta = np.cos(beta)
    lost = np.zeros(np.shape(beta))
    for node, weight in zip(_GL_NODES, _GL_WEIGHTS, strict=True):
        c = np.arccos(np.clip(cos_beta * np.cos(mid + half * node), -1.0, 1.0))
        lost += weight * (1.0 - visible_fraction_from_angles(a, b, c))
    return half * lost


def orbit_eclipse(
    beta_rad,
    radius_km,
    sun_distance_km,
    relative_rate_rad_min,
    earth_radius_km=EARTH_RADIUS_IERS_KM,
    *,
    penumbra=None,
):
    """Eclipse per orbit of circular orbits from the beta angle (conical shadow).

    ``relative_rate_rad_min`` is how fast the satellite's argument of latitude
    moves relative to the Sun's projection on the plane (about the mean motion);
    one orbit lasts ``2 pi / relative_rate``.  All arguments broadcast.
    ``penumbra`` is how the light lost across a grazing penumbra is found (a
    :class:`PenumbraTable` or :class:`PenumbraQuadrature`); by default
    :func:`penumbra_model` of these samples.
    """
    beta = np.asarray(beta_rad, dtype=float)
    w = np.asarray(relative_rate_rad_min, dtype=float)
    # The Sun's and the Earth's apparent radii vary along one axis at most (time, shell):
    # found on their own shapes and broadcast, they cost nothing per plane.
    a = np.arcsin(SUN_RADIUS_KM / np.asarray(sun_distance_km, dtype=float))
    b = np.arcsin(earth_radius_km / np.asarray(radius_km, dtype=float))
    shape = np.broadcast_shapes(beta.shape, a.shape, b.shape, w.shape)
    beta = np.broadcast_to(beta, shape)
    umbra_edge, penumbra_edge = b - a, b + a
    abs_beta = np.abs(beta)
    cos_beta = np.cos(beta)
    phi_u = np.arccos(np.clip(np.cos(umbra_edge) / cos_beta, -1.0, 1.0))
    phi_p = np.arccos(np.clip(np.cos(penumbra_edge) / cos_beta, -1.0, 1.0))
    phi_u = np.where(abs_beta < umbra_edge, phi_u, 0.0)
    phi_p = np.where(abs_beta < penumbra_edge, phi_p, 0.0)
    lost_per_side = np.array(0.5 * (phi_p + phi_u))
    g = grazing_samples(abs_beta, a, b)
    if g.any():
        if penumbra is None:
            penumbra = penumbra_model([beta], sun_distance_km, radius_km, earth_radius_km)
        a_g, b_g = np.broadcast_to(a, shape)[g], np.broadcast_to(b, shape)[g]
        u_g, p_g = phi_u[g], phi_p[g]
        lost_per_side[g] = u_g + penumbra.loss_rad(a_g, b_g, beta[g], u_g, p_g)
    umbra_min = 2.0 * phi_u / w
    penumbra_min = 2.0 * (phi_p - phi_u) / w
    return OrbitEclipse(
        umbra_min=umbra_min,
        penumbra_min=penumbra_min,
        sunlight_min=2.0 * np.pi / w - umbra_min - penumbra_min,
        eclipse_min=umbra_min + penumbra_min,
        lit_fraction=1.0 - lost_per_side / np.pi,
    )


def cylindrical_lit_fraction(beta_rad, altitude_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """Analytic sunlit fraction of a circular orbit in a cylindrical shadow.

    ``1 - acos(sqrt(h^2 + 2 R h) / ((R + h) cos beta)) / pi`` where
    ``|beta| < asin(R / (R + h))``, else 1 (Wertz, *Space Mission Analysis and
    Design*, 3rd ed., eq. 5-6, in fraction-of-orbit form).
    """
    h = np.asarray(altitude_km, dtype=float)
    beta = np.asarray(beta_rad, dtype=float)
    r = earth_radius_km + h
    ratio = np.sqrt(h * h + 2.0 * earth_radius_km * h) / (r * np.cos(beta))
    shadow = np.arccos(np.clip(ratio, -1.0, 1.0)) / np.pi
    return np.where(np.abs(beta) < np.arcsin(earth_radius_km / r), 1.0 - shadow, 1.0)

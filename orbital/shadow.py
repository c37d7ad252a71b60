"""Earth's shadow: the visible fraction of the solar disk seen from a satellite.

Conical model (Montenbruck & Gill, *Satellite Orbits*, 2000, section 3.4.2;
Vallado, *Fundamentals of Astrodynamics*, 4th ed., algorithm 34): from the
satellite, the Sun is a disk of apparent radius ``a = asin(R_sun / |s - r|)``
and the Earth a disk of apparent radius ``b = asin(R_earth / |r|)``, their
centres ``c`` apart.  Full sun when ``c >= a + b``; umbra when ``c <= b - a``;
in between (penumbra) the visible fraction is one minus the overlap area of
the two disks over the Sun's area.  The Earth is a sphere of the IERS
equatorial radius (:data:`orbital.constants.EARTH_RADIUS_IERS_KM`, as in
Skyfield's ``is_sunlit``); its atmosphere is not modelled.

The cylindrical model (shadow a cylinder of Earth's radius behind the Earth,
no penumbra) is kept for comparison.

Everything broadcasts: satellite positions ``(..., 3)`` km against Sun
positions ``(..., 3)`` km in the same frame, typically ``(n_sat, n_t, 3)``
against ``(n_t, 3)``.
"""

from typing import NamedTuple

import numpy as np

from orbital.constants import EARTH_RADIUS_IERS_KM, SUN_RADIUS_KM


def _segment_area(radius, half_angle):
    """Area of a circular segment of ``radius`` cut by a chord ``2 * half_angle`` wide.

    ``r^2 (t - sin t cos t)`` with a series for small angles, where the two
    terms cancel (the Earth's limb cuts its own disk in a sliver about the
    Sun's size: t ~ 0.004 rad).
    """
    t = half_angle
    small = np.abs(t) < 1e-2
    exact = t - np.sin(2.0 * t) / 2.0
    t2 = t * t
    series = t * t2 * (2.0 / 3.0 - t2 * (2.0 / 15.0 - t2 * 4.0 / 315.0))
    return radius * radius * np.where(small, series, exact)


def _disk_overlap_visible_fraction(a, b, c):
    """Visible fraction of a disk of radius ``a`` behind one of radius ``b``, ``c`` apart.

    Angles in rad, for ``a <= b`` (the Earth looks bigger than the Sun): 1 for
    ``c >= a + b``, 0 for ``c <= b - a``, and between them one minus the lens
    of the two disks over the Sun's area.  The lens is the sum of two circular
    segments sharing the chord ``2y``, their half-angles taken with ``atan2``
    so that neither loses precision near the edges.
    """
    c = np.maximum(c, 1e-15)
    x = (c * c + a * a - b * b) / (2.0 * c)  # chord's distance from the Sun's centre
    d = c - x  # ... and from the Earth's centre
    y = np.sqrt(np.clip(a * a - x * x, 0.0, None))  # half the chord
    lens = _segment_area(a, np.arctan2(y, x)) + _segment_area(b, np.arctan2(y, d))
    fraction = 1.0 - lens / (np.pi * a * a)
    fraction = np.where(c >= a + b, 1.0, np.where(c <= b - a, 0.0, fraction))
    return np.clip(fraction, 0.0, 1.0)


def visible_fraction_from_angles(a_rad, b_rad, c_rad):
    """Visible fraction of the Sun's disk (0 umbra .. 1 full sun) from the three angles.

    ``a_rad`` Sun's apparent radius, ``b_rad`` Earth's, ``c_rad`` the angle
    between their centres; all broadcast, scalars too.  NaN in, NaN out.
    """
    a, b, c = (np.asarray(v, dtype=float) for v in (a_rad, b_rad, c_rad))
    if np.all(a <= b):  # always so below about 1.4 million km: no annular eclipse
        return _disk_overlap_visible_fraction(a, b, c)
    a, b, c = (np.array(v, dtype=float) for v in np.broadcast_arrays(a, b, c))
    shape = a.shape
    a, b, c = a.reshape(-1), b.reshape(-1), c.reshape(-1)
    fraction = np.empty(a.shape)
    normal = a <= b
    fraction[normal] = _disk_overlap_visible_fraction(a[normal], b[normal], c[normal])
    big = ~normal  # the Sun looks bigger than the Earth: the Earth can sit inside it
    ab, bb, cb = a[big], b[big], c[big]
    x = (cb * cb + ab * ab - bb * bb) / (2 * np.maximum(cb, 1e-15))
    y = np.sqrt(np.clip(ab * ab - x * x, 0.0, None))
    lens = _segment_area(ab, np.arctan2(y, x)) + _segment_area(bb, np.arctan2(y, cb - x))
    partial = 1.0 - lens / (np.pi * ab * ab)
    fraction[big] = np.where(
        cb >= ab + bb, 1.0, np.where(cb <= ab - bb, 1.0 - (bb / ab) ** 2, partial)
    )
    fraction[np.isnan(a) | np.isnan(b) | np.isnan(c)] = np.nan
    return fraction.reshape(shape)


def shadow_angles(r_sat_km, r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """``(a, b, c)`` in rad seen from satellites: the Sun's and the Earth's apparent radii
    and the angle between their centres.

    ``r_sat_km`` ``(..., 3)`` satellite positions and ``r_sun_km`` ``(..., 3)``
    Sun positions, geocentric, same frame; the result has the broadcast shape.
    """
    r = np.asarray(r_sat_km, dtype=float)
    to_sun = np.asarray(r_sun_km, dtype=float) - r
    d_sun = np.linalg.norm(to_sun, axis=-1)
    d_earth = np.linalg.norm(r, axis=-1)
    a = np.arcsin(SUN_RADIUS_KM / d_sun)
    b = np.arcsin(np.clip(earth_radius_km / d_earth, None, 1.0))
    c = np.arccos(np.clip(-np.sum(r * to_sun, axis=-1) / (d_earth * d_sun), -1.0, 1.0))
    return a, b, c


def conical_visible_fraction(r_sat_km, r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """Visible fraction of the solar disk from positions, conical shadow; shape of the broadcast.

    ``r_sat_km`` ``(..., 3)`` satellite positions and ``r_sun_km`` ``(..., 3)``
    Sun positions, geocentric, same frame.
    """
    return visible_fraction_from_angles(*shadow_angles(r_sat_km, r_sun_km, earth_radius_km))


def cylindrical_sunlit(r_sat_km, r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """Cylindrical shadow: True in sunlight, False in the shadow cylinder; NaN rows are False."""
    r = np.asarray(r_sat_km, dtype=float)
    s_hat = np.asarray(r_sun_km, dtype=float)
    s_hat = s_hat / np.linalg.norm(s_hat, axis=-1, keepdims=True)
    along = np.sum(r * s_hat, axis=-1)
    perp2 = np.sum(r * r, axis=-1) - along * along
    return (along > 0) | (perp2 > earth_radius_km**2)


class ShadowCones(NamedTuple):
    """The Earth's umbra and penumbra cones at each time step, arrays ``(n_t,)``.

    ``sun_direction`` ``(n_t, 3)`` unit vector from the Earth's centre to the
    Sun; ``tan_umbra`` and ``tan_penumbra`` the tangents of the cones'
    half-angles ``asin((R_sun -+ R_earth) / |s|)``; ``umbra_radius_km`` and
    ``penumbra_radius_km`` their radii in the plane through the Earth's centre
    normal to the Sun's direction, ``R / cos(f)`` (the cones touch the Earth
    where they are tangent to it, 70 m off ``R`` for the penumbra).
    """

    sun_direction: np.ndarray
    tan_umbra: np.ndarray
    tan_penumbra: np.ndarray
    umbra_radius_km: np.ndarray
    penumbra_radius_km: np.ndarray


def shadow_cones(r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM) -> ShadowCones:
    """:class:`ShadowCones` for geocentric Sun positions ``r_sun_km`` ``(n_t, 3)`` km (float64).

    Vallado, *Fundamentals of Astrodynamics*, 4th ed., algorithm 34; the
    radii from :data:`orbital.constants.SUN_RADIUS_KM` and ``earth_radius_km``.
    """
    s = np.asarray(r_sun_km, dtype=float)
    d_sun = np.linalg.norm(s, axis=-1)
    f_umbra = np.arcsin((SUN_RADIUS_KM - earth_radius_km) / d_sun)
    f_penumbra = np.arcsin((SUN_RADIUS_KM + earth_radius_km) / d_sun)
    return ShadowCones(
        sun_direction=s / d_sun[..., None],
        tan_umbra=np.tan(f_umbra),
        tan_penumbra=np.tan(f_penumbra),
        umbra_radius_km=earth_radius_km / np.cos(f_umbra),
        penumbra_radius_km=earth_radius_km / np.cos(f_penumbra),
    )


class ShadowStream:
    """Conical visible fraction for streamed chunks of positions, without allocating per chunk.

    Built once for a time grid from the Sun positions ``(n_t, 3)`` km in the
    satellites' frame.  Each call takes positions ``(n, n_t, 3)`` km (any
    memory layout; component-major is fastest) and returns the visible
    fraction ``(n, n_t)`` in a reused buffer.  With ``dtype=numpy.float32``
    (for float32 positions) the cone tests run in single precision, twice as
    fast: 7,000 km is then held to about 0.5 m, far inside the penumbra's
    width of about 10 km; penumbra fractions are always computed in float64.

    Points are first classified with the cone test (Vallado alg. 34): the
    distance from the Earth-Sun line against the umbra and penumbra cone radii
    at that distance behind the Earth.  Only penumbra points get the exact
    disk-overlap fraction.  The cones take the Sun's distance per time step;
    the Sun's direction from a satellite is taken parallel to the Earth's
    (the 7,000 km parallax at 1 au moves the shadow edge by about 0.3 km,
    0.04 s of eclipse timing), in the penumbra the exact geometry is used.
    """

    def __init__(
        self, r_sun_km, max_rows: int, earth_radius_km=EARTH_RADIUS_IERS_KM, dtype=np.float64
    ):
        s = np.asarray(r_sun_km, dtype=float)
        cones = shadow_cones(s, earth_radius_km)
        self._r_sun = s
        self._earth = earth_radius_km
        self._s_hat = cones.sun_direction.astype(dtype)
        self._tan_umbra = cones.tan_umbra.astype(dtype)
        self._tan_penumbra = cones.tan_penumbra.astype(dtype)
        self._umbra_radius = cones.umbra_radius_km.astype(dtype)
        self._penumbra_radius = cones.penumbra_radius_km.astype(dtype)
        n_t = len(s)
        self._along = np.empty((max_rows, n_t), dtype=dtype)
        self._perp2 = np.empty((max_rows, n_t), dtype=dtype)
        self._tmp = np.empty((max_rows, n_t), dtype=dtype)
        self._out = np.empty((max_rows, n_t), dtype=dtype)
        self._mask = np.empty((max_rows, n_t), dtype=bool)
        self._mask2 = np.empty((max_rows, n_t), dtype=bool)

    def __call__(self, positions_km):
        n = positions_km.shape[0]
        x, y, z = positions_km[..., 0], positions_km[..., 1], positions_km[..., 2]
        along, perp2, tmp, out = (b[:n] for b in (self._along, self._perp2, self._tmp, self._out))
        shadowed, umbra = self._mask[:n], self._mask2[:n]
        sx, sy, sz = self._s_hat[:, 0], self._s_hat[:, 1], self._s_hat[:, 2]
        np.multiply(x, sx, out=along)
        np.multiply(y, sy, out=tmp)
        along += tmp
        np.multiply(z, sz, out=tmp)
        along += tmp  # distance towards the Sun; negative behind the Earth
        np.multiply(x, x, out=perp2)
        np.multiply(y, y, out=tmp)
        perp2 += tmp
        np.multiply(z, z, out=tmp)
        perp2 += tmp
        np.multiply(along, along, out=tmp)
        perp2 -= tmp  # squared distance from the Earth-Sun line (NaN for failed rows)
        # Penumbra cone radius grows behind the Earth: R/cos(f_p) + |along| tan(f_p).
        np.multiply(along, -self._tan_penumbra, out=tmp)
        tmp += self._penumbra_radius
        np.multiply(tmp, tmp, out=tmp)
        np.less(perp2, tmp, out=shadowed)
        np.less(along, 0.0, out=umbra)
        shadowed &= umbra
        # Umbra cone radius shrinks behind the Earth: R/cos(f_u) - |along| tan(f_u), >= 0.
        np.multiply(along, self._tan_umbra, out=tmp)
        tmp += self._umbra_radius
        np.maximum(tmp, 0.0, out=tmp)
        np.multiply(tmp, tmp, out=tmp)
        np.less(perp2, tmp, out=umbra)
        umbra &= shadowed
        np.logical_not(umbra, out=umbra)
        np.copyto(out, umbra)  # 1 outside the umbra, 0 inside
        np.logical_and(shadowed, umbra, out=shadowed)  # penumbra
        rows, cols = np.nonzero(shadowed)
        if len(rows):
            r = np.stack([x[rows, cols], y[rows, cols], z[rows, cols]], axis=-1)
            out[rows, cols] = conical_visible_fraction(r, self._r_sun[cols], self._earth)
        np.isnan(perp2, out=umbra)
        out[umbra] = np.nan
        return out

"""Earth's shadow over the planes of a Walker shell, from one reference plane each.

SGP4's near-Earth model is axially symmetric (:mod:`orbital.propagation`):
plane ``p`` of a phase class is the class's reference plane turned about the
TEME z axis by its node ``Omega_p``.  The conical shadow of a spherical Earth
is unchanged by any rotation about the Earth's centre, so a satellite of
plane ``p`` against the Sun ``s`` sees what the reference satellite sees
against the Sun turned by ``-Omega_p``.  :func:`plane_shadow_sums` evaluates
the reference positions against each plane's turned Sun and returns, per
plane and time step, the sums a fleet figure needs; no other plane is
propagated or rotated, and no ``(planes, satellites, n_t)`` array is made.

The classification is :class:`orbital.shadow.ShadowStream`'s (the cone test
of Vallado, algorithm 34, with :func:`orbital.shadow.shadow_cones`), in
float64.  The loop counts umbra and full sun and only lists the penumbra
points (0.5-1 % of million-340's); a second loop gives them the exact
disk-overlap fraction, :func:`orbital.shadow.conical_visible_fraction` (the
function ShadowStream calls there) ported line for line, on the reference
position against the turned Sun.

Both loops run compiled with numba, imported and compiled when first needed
(2-3 s of CPU once per process, numba's import included); compiled code is cached
where Python caches this module's bytecode (:mod:`orbital.compiled`).
"""

import functools
import math
from typing import NamedTuple

import numpy as np

from orbital.compiled import cache_compiled
from orbital.constants import EARTH_RADIUS_IERS_KM, SUN_RADIUS_KM
from orbital.shadow import shadow_cones


class PlaneShadowSums(NamedTuple):
    """Per plane and time step, arrays ``(n_planes, n_t)``.

    ``visible``: sum of the visible fraction of the solar disk over the
    plane's satellites; ``full_sun``: satellites with the whole disk visible;
    ``any_sun``: satellites with some of it visible; ``valid``: satellites
    whose position is finite (a failed propagation is NaN and left out of all four).
    """

    visible: np.ndarray
    full_sun: np.ndarray
    any_sun: np.ndarray
    valid: np.ndarray


#: Penumbra points listed per satellite-step before a call counts them and runs again with
#: room for all (million-340 at 92 steps: 0.46 % in the 53-degree shells, 1.06 % in the
#: dawn-dusk one, whose planes graze the shadow).
PENUMBRA_SHARE = 0.02


def plane_shadow_sums(
    reference_km, node_rad, r_sun_km, earth_radius_km=EARTH_RADIUS_IERS_KM
) -> PlaneShadowSums:
    """Shadow sums of planes that are one reference plane turned about z by ``node_rad``.

    ``reference_km`` ``(S, n_t, 3)`` geocentric positions of the reference
    plane's satellites (NaN where a propagation failed); ``node_rad``
    ``(n_planes,)`` each plane's rotation about the z axis from the reference,
    rad (counter-clockwise seen from +z, as a node's right ascension);
    ``r_sun_km`` ``(n_t, 3)`` the Sun, geocentric, same frame.  Returns
    :class:`PlaneShadowSums` ``(n_planes, n_t)``: equal to
    :class:`orbital.shadow.ShadowStream` (float64) on the turned positions to
    rounding error.  Raises ValueError on shapes that do not fit, or for a
    position beyond about 1.4 million km (where the Earth looks smaller than the Sun).
    """
    reference = np.asarray(reference_km, dtype=float)
    node = np.ascontiguousarray(np.atleast_1d(node_rad), dtype=float)
    sun = np.ascontiguousarray(r_sun_km, dtype=float)
    if reference.ndim != 3 or reference.shape[-1] != 3:
        raise ValueError(f"reference_km must be (S, n_t, 3); got shape {reference.shape}")
    if sun.shape != (reference.shape[1], 3):
        raise ValueError(
            f"r_sun_km must be (n_t, 3) = ({reference.shape[1]}, 3); got shape {sun.shape}"
        )
    if node.ndim != 1:
        raise ValueError(f"node_rad must be 1-D, one angle per plane; got shape {node.shape}")
    n_sat, n_t = reference.shape[:2]
    # The penumbra loop takes the Earth to look bigger than the Sun (no annular eclipse),
    # so within R_earth / R_sun of the Sun's distance: 1.37 million km at 1 au.
    reach_km = earth_radius_km * np.min(np.linalg.norm(sun, axis=-1)) / SUN_RADIUS_KM
    with np.errstate(invalid="ignore"):
        if np.any(np.sum(reference * reference, axis=-1) >= reach_km**2):
            raise ValueError(
                f"reference_km: positions must lie within {reach_km:,.0f} km of the Earth's "
                "centre, where the Earth looks bigger than the Sun"
            )
    x, y, z = (np.ascontiguousarray(reference[..., k].T) for k in range(3))
    cones = shadow_cones(sun, earth_radius_km)
    out = PlaneShadowSums(*(np.zeros((len(node), n_t)) for _ in range(4)))
    cos_n, sin_n = np.cos(node), np.sin(node)
    # The Sun's direction seen from each plane's reference frame: turned by -node, (P, n_t).
    s_hat = cones.sun_direction
    hx = np.ascontiguousarray(cos_n[:, None] * s_hat[:, 0] + sin_n[:, None] * s_hat[:, 1])
    hy = np.ascontiguousarray(cos_n[:, None] * s_hat[:, 1] - sin_n[:, None] * s_hat[:, 0])
    hz = np.ascontiguousarray(s_hat[:, 2])
    cone_args = (cones.tan_umbra, cones.tan_penumbra, cones.umbra_radius_km)
    cone_args += (cones.penumbra_radius_km,)
    room = max(1024, int(PENUMBRA_SHARE * len(node) * n_sat * n_t))
    while True:
        found = np.empty((room, 3), dtype=np.intp)
        count = _compiled_sums()(x, y, z, hx, hy, hz, *cone_args, *out, found)
        if count <= room:
            break
        room = count
    _compiled_penumbra()(x, y, z, found[:count], cos_n, sin_n, sun, earth_radius_km, *out[:3])
    return out


def _sums(
    x,
    y,
    z,
    hx,
    hy,
    hz,
    tan_umbra,
    tan_penumbra,
    umbra_radius,
    penumbra_radius,
    visible,
    full_sun,
    any_sun,
    valid,
    found,
):
    """The loop of :func:`plane_shadow_sums` over planes, steps and satellites (``x``, ``y``,
    ``z`` are ``(n_t, S)``): fills the sums of umbra and full-sun points and lists the
    penumbra points ``(plane, satellite, step)`` in ``found`` while there is room; returns
    how many there are."""
    n_t, n_sat = x.shape
    count = 0
    penumbra = np.zeros(n_sat, dtype=np.bool_)
    for p in range(hx.shape[0]):
        for t in range(n_t):
            sx = hx[p, t]
            sy = hy[p, t]
            sz = hz[t]
            tan_p = tan_penumbra[t]
            tan_u = tan_umbra[t]
            radius_p = penumbra_radius[t]
            radius_u = umbra_radius[t]
            lit = 0
            n_valid = 0
            n_penumbra = 0
            # Without branches, so that the compiler can take several satellites at once.
            for m in range(n_sat):
                rx = x[t, m]
                ry = y[t, m]
                rz = z[t, m]
                along = rx * sx + ry * sy + rz * sz  # NaN when the propagation failed
                perp2 = rx * rx + ry * ry + rz * rz - along * along
                outer = radius_p - along * tan_p  # the penumbra cone's radius there
                inner = max(radius_u + along * tan_u, 0.0)  # the umbra cone's
                shadowed = (along < 0.0) & (perp2 < outer * outer)
                in_penumbra = shadowed & ~(perp2 < inner * inner)
                ok = along == along
                lit += ok & ~shadowed
                n_valid += ok
                n_penumbra += in_penumbra
                penumbra[m] = in_penumbra
            if n_penumbra:  # list them: their fractions come from _penumbra
                for m in range(n_sat):
                    if penumbra[m]:
                        if count < found.shape[0]:
                            found[count, 0] = p
                            found[count, 1] = m
                            found[count, 2] = t
                        count += 1
            visible[p, t] = lit
            full_sun[p, t] = lit
            any_sun[p, t] = lit
            valid[p, t] = n_valid
    return count


def _penumbra(x, y, z, found, cos_n, sin_n, sun, earth_radius_km, visible, full_sun, any_sun):
    """Adds the listed penumbra points' visible fractions to the sums: each satellite
    ``found[k] = (plane, satellite, step)`` of the ``(n_t, S)`` reference components against
    the Sun turned by minus its plane's node; :func:`orbital.shadow.conical_visible_fraction`
    line for line (its ``shadow_angles``, ``_disk_overlap_visible_fraction`` and
    ``_segment_area``; the Earth never looks smaller than the Sun here)."""
    for k in range(found.shape[0]):
        p = found[k, 0]
        m = found[k, 1]
        t = found[k, 2]
        rx = x[t, m]
        ry = y[t, m]
        rz = z[t, m]
        tx = cos_n[p] * sun[t, 0] + sin_n[p] * sun[t, 1] - rx
        ty = cos_n[p] * sun[t, 1] - sin_n[p] * sun[t, 0] - ry
        tz = sun[t, 2] - rz
        d_sun = math.sqrt(tx * tx + ty * ty + tz * tz)
        d_earth = math.sqrt(rx * rx + ry * ry + rz * rz)
        a = math.asin(SUN_RADIUS_KM / d_sun)
        b = math.asin(min(earth_radius_km / d_earth, 1.0))
        c = math.acos(min(max(-(rx * tx + ry * ty + rz * tz) / (d_earth * d_sun), -1.0), 1.0))
        if c >= a + b:
            f = 1.0
        elif c <= b - a:
            f = 0.0
        else:  # one minus the lens, two circular segments sharing a chord, over the disk
            c = max(c, 1e-15)
            chord = (c * c + a * a - b * b) / (2.0 * c)  # the chord's distance from the Sun
            half = math.sqrt(max(a * a - chord * chord, 0.0))
            lens = 0.0
            for radius, h in ((a, math.atan2(half, chord)), (b, math.atan2(half, c - chord))):
                if abs(h) < 1e-2:  # t - sin t cos t by its series, where the terms cancel
                    h2 = h * h
                    area = h * h2 * (2.0 / 3.0 - h2 * (2.0 / 15.0 - h2 * 4.0 / 315.0))
                else:
                    area = h - math.sin(2.0 * h) / 2.0
                lens += radius * radius * area
            f = min(max(1.0 - lens / (math.pi * a * a), 0.0), 1.0)
        visible[p, t] += f
        if f >= 1.0:
            full_sun[p, t] += 1.0
        if f > 0.0:
            any_sun[p, t] += 1.0


def is_compiled() -> bool:
    """Whether this process has compiled the loops of :func:`plane_shadow_sums` already."""
    return _compiled_sums.cache_info().currsize > 0


def compile_loops() -> None:
    """Compile the loops of :func:`plane_shadow_sums` now (once a process; threads that
    call it afterwards share them instead of compiling each its own)."""
    _compiled_sums()
    _compiled_penumbra()


@functools.cache
def _compiled_sums():
    """:func:`_sums` compiled (numba, one explicit signature), once a process."""
    import numba

    grid = numba.types.float64[:, ::1]
    row = numba.types.float64[::1]
    signature = numba.types.intp(
        grid,
        grid,
        grid,
        grid,
        grid,
        row,
        row,
        row,
        row,
        row,
        grid,
        grid,
        grid,
        grid,
        numba.types.intp[:, ::1],
    )
    cache = cache_compiled(__file__)
    # Indices are the loops' own, so no bounds checks; it lets go of Python's lock.
    return numba.njit(signature, nogil=True, cache=cache)(_sums)


@functools.cache
def _compiled_penumbra():
    """:func:`_penumbra` compiled (numba, one explicit signature), once a process."""
    import numba

    grid = numba.types.float64[:, ::1]
    row = numba.types.float64[::1]
    f8 = numba.types.float64
    signature = numba.types.void(
        grid, grid, grid, numba.types.intp[:, ::1], row, row, grid, f8, grid, grid, grid
    )
    cache = cache_compiled(__file__)
    return numba.njit(signature, nogil=True, cache=cache)(_penumbra)

"""Radiators: grey-body emission against the Sun, albedo and Earth-IR loads.

A flat panel radiates ``eps * sigma * T^4`` from each face and absorbs, per
face, ``alpha * S * cos(sun angle)`` in sunlight, ``alpha * albedo * S * F_A``
reflected from the lit Earth and ``eps * IR * F_E`` of the Earth's own
infrared (Gilmore, *Spacecraft Thermal Control Handbook*, 2nd ed., ch. 2).
The view factors ``F_E`` (to the Earth's disk) and ``F_A`` (to its sunlit
part, weighted by the solar zenith angle) are integrated numerically over the
Earth's apparent disk, so any attitude works; the tests check them against
the closed forms for a panel that sees the whole disk.

Vectors are in the orbit frame of :mod:`orbital.attitude` (``P`` towards the
Sun's projection on the orbit plane, ``Q`` 90 degrees further along the orbit,
``H`` the orbit normal), which also defines each attitude's normal.
"""

import functools
from dataclasses import dataclass

import numpy as np

from orbital.attitude import RADIATOR_ATTITUDES, orbit_geometry, orbit_samples_rad, plate_normals
from orbital.constants import (
    AU_KM,
    EARTH_ALBEDO,
    EARTH_IR_W_M2,
    EARTH_RADIUS_IERS_KM,
    SOLAR_CONSTANT_W_M2,
    STEFAN_BOLTZMANN_W_M2_K4,
    SUN_RADIUS_KM,
)
from orbital.shadow import visible_fraction_from_angles


def _cap_directions(altitude_km: float, n_theta: int = 40, n_phi: int = 80):
    """Directions towards the Earth's disk from a point above it, and their solid angles.

    Returns local unit vectors ``(n, 3)`` with +z towards nadir, solid angles
    ``(n,)`` (sr) and the distance to the surface along each ``(n,)`` (km).
    """
    r = EARTH_RADIUS_IERS_KM + altitude_km
    rho = np.arcsin(EARTH_RADIUS_IERS_KM / r)
    # Midpoint rule in cos(theta) and phi: equal solid angle per cell.
    cos_edges = np.linspace(1.0, np.cos(rho), n_theta + 1)
    cos_theta = 0.5 * (cos_edges[:-1] + cos_edges[1:])
    phi = (np.arange(n_phi) + 0.5) * (2 * np.pi / n_phi)
    cos_t, ph = np.meshgrid(cos_theta, phi, indexing="ij")
    sin_t = np.sqrt(1.0 - cos_t**2)
    dirs = np.stack([sin_t * np.cos(ph), sin_t * np.sin(ph), cos_t], axis=-1).reshape(-1, 3)
    d_omega = np.full(len(dirs), (1.0 - np.cos(rho)) * 2 * np.pi / (n_theta * n_phi))
    # Distance along each direction to the sphere: |p + t d| = R with p = (0, 0, -r).
    c = dirs[:, 2]
    t = r * c - np.sqrt(np.clip(EARTH_RADIUS_IERS_KM**2 - r * r * (1 - c * c), 0.0, None))
    return dirs, d_omega, t


#: Most distinct plate normals for which :func:`earth_view_factors` integrates per normal
#: rather than per sample.
_FEW_NORMALS = 8


def earth_view_factors(altitude_km: float, normals_local, sun_local=None):
    """View factors of flat plates to the Earth (``F_E``) and to its sunlit part (``F_A``).

    ``normals_local`` ``(..., 3)`` unit plate normals in the local frame (+z
    nadir, +x and +y horizontal); ``sun_local`` ``(..., 3)`` unit Sun
    directions in the same frame (needed for ``F_A``).  Returns ``(F_E, F_A)``
    of the broadcast shape (``F_A`` is None without a Sun).
    """
    dirs, d_omega, t = _cap_directions(altitude_km)
    n = np.asarray(normals_local, dtype=float)
    flat = np.ascontiguousarray(n.reshape(-1, 3))  # the blocks below take rows of it
    # A plate fixed in the local frame (nadir, along the velocity) has one normal at every
    # sample: the quadrature then runs once for each distinct normal.
    distinct, which = np.unique(flat, axis=0, return_inverse=True)
    few = len(distinct) <= _FEW_NORMALS
    r = EARTH_RADIUS_IERS_KM + altitude_km
    points = dirs * t[:, None] + np.array([0.0, 0.0, -r])  # from the Earth's centre
    surface_normals = points / EARTH_RADIUS_IERS_KM
    s = None if sun_local is None else np.asarray(sun_local, dtype=float)
    if not few:
        if s is None:
            return _plate_factors(flat, None, dirs, d_omega)[0].reshape(n.shape[:-1]), None
        # One pass over the plates gives both, each normal's products made once.
        shape = np.broadcast_shapes(n.shape, s.shape)
        f_e, f_a = _plate_factors(*_aligned(n, s), dirs, d_omega, surface_normals)
        if shape != n.shape:  # the Sun's array added dimensions: the normals' own F_E
            f_e = _plate_factors(flat, None, dirs, d_omega)[0]
        return f_e.reshape(n.shape[:-1]), f_a.reshape(shape[:-1])
    cos_plate = np.maximum(distinct @ dirs.T, 0.0)  # (m, n_dirs)
    f_e = (cos_plate @ d_omega / np.pi)[which.ravel()].reshape(n.shape[:-1])
    if s is None:
        return f_e, None
    suns = np.ascontiguousarray(s.reshape(-1, 3))
    table = np.empty((len(suns), len(distinct)))  # each Sun against each normal
    lit = np.empty((_VIEW_ROWS, len(dirs)))
    for k in range(0, len(suns), _VIEW_ROWS):
        sunlit = _positive_dot(suns[k : k + _VIEW_ROWS], surface_normals, lit)
        np.multiply(sunlit, d_omega, out=sunlit)
        table[k : k + _VIEW_ROWS] = sunlit @ cos_plate.T
    table = table.reshape(*s.shape[:-1], len(distinct)) / np.pi
    shape = np.broadcast_shapes(n.shape[:-1], s.shape[:-1])
    picked = np.broadcast_to(which.reshape(n.shape[:-1]), shape)[..., None]
    f_a = np.take_along_axis(np.broadcast_to(table, (*shape, len(distinct))), picked, axis=-1)
    return f_e, f_a[..., 0]


#: Plate normals a block of :func:`earth_view_factors` takes at once, into buffers made
#: once: ``(rows, n_dirs)`` near a megabyte, in cache.  Fresh arrays of tens of megabytes
#: for a whole orbit cost more in page faults than in arithmetic (measured here: 2 ms a
#: block against 0.25 ms).
_VIEW_ROWS = 48


def _positive_dot(rows: np.ndarray, dirs: np.ndarray, buffer: np.ndarray) -> np.ndarray:
    """``max(rows @ dirs.T, 0)`` ``(k, n_dirs)`` written into ``buffer``'s first rows."""
    out = buffer[: len(rows)]
    np.matmul(rows, dirs.T, out=out)
    return np.maximum(out, 0.0, out=out)


def _aligned(normals: np.ndarray, sun: np.ndarray):
    """``(plates, suns)`` ``(k, 3)`` each, contiguous: the normals and the Sun broadcast."""
    shape = np.broadcast_shapes(normals.shape, sun.shape)
    plates = np.ascontiguousarray(np.broadcast_to(normals, shape).reshape(-1, 3))
    return plates, np.ascontiguousarray(np.broadcast_to(sun, shape).reshape(-1, 3))


def _plate_factors(plates, suns, dirs, d_omega, surface_normals=None):
    """``(F_E, F_A)`` ``(k,)`` of plates with normals ``plates`` ``(k, 3)`` (``F_A`` None
    when ``suns``, ``(k, 3)`` one a plate, is None), block by block of :data:`_VIEW_ROWS`."""
    f_e = np.empty(len(plates))
    f_a = None if suns is None else np.empty(len(plates))
    cos_plate = np.empty((_VIEW_ROWS, len(dirs)))
    lit = np.empty((_VIEW_ROWS, len(dirs)))
    for k in range(0, len(plates), _VIEW_ROWS):
        block = slice(k, k + _VIEW_ROWS)
        plate = _positive_dot(plates[block], dirs, cos_plate)
        np.matmul(plate, d_omega, out=f_e[block])
        if suns is not None:
            sunlit = _positive_dot(suns[block], surface_normals, lit)
            np.multiply(sunlit, d_omega, out=sunlit)
            f_a[block] = np.einsum("pd,pd->p", plate, sunlit)
    return f_e / np.pi, None if f_a is None else f_a / np.pi


def full_disk_view_factor(altitude_km, tilt_from_nadir_rad=0.0):
    """Closed form for a plate that sees the whole Earth disk: ``sin^2(rho) cos(tilt)``.

    Valid for ``tilt <= pi/2 - rho`` (Howell, *A Catalog of Radiation Heat
    Transfer Configuration Factors*, case B-18).
    """
    rho = np.arcsin(
        EARTH_RADIUS_IERS_KM / (EARTH_RADIUS_IERS_KM + np.asarray(altitude_km, dtype=float))
    )
    return np.sin(rho) ** 2 * np.cos(tilt_from_nadir_rad)


@dataclass(frozen=True)
class RadiatorEnvironment:
    """Absorbed environmental flux on a two-faced radiator, W per m^2 of panel.

    ``orbit_mean_w_m2``: averaged over the orbit (what a radiator with an
    orbit's thermal inertia must reject on top of its load); ``peak_w_m2``:
    the worst moment.  Both sum the two faces.
    """

    beta_deg: float
    orbit_mean_w_m2: float
    peak_w_m2: float


def radiator_environment(
    beta_deg: float,
    altitude_km: float,
    *,
    attitude: str = "velocity",
    absorptivity: float,
    emissivity: float,
    faces: int = 2,
    albedo: float = EARTH_ALBEDO,
    earth_ir_w_m2: float = EARTH_IR_W_M2,
    solar_flux_w_m2: float = SOLAR_CONSTANT_W_M2,
    n_orbit: int = 360,
) -> RadiatorEnvironment:
    """Sun, albedo and Earth-IR absorbed by a radiator over one circular orbit at ``beta_deg``.

    ``attitude``: one of :data:`orbital.attitude.RADIATOR_ATTITUDES`, the
    panel normal as :func:`orbital.attitude.plate_normals` defines it (along
    the velocity, sun-edge-on, along the orbit normal, or towards nadir).
    ``faces`` 1 counts only the face along the normal (the other insulated),
    2 both.  The Sun is at 1 au.  Raises ``ValueError`` for another attitude
    or number of faces.
    """
    sun_terms, ir_view = _environment_terms(
        beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit
    )
    absorbed = absorptivity * sun_terms
    absorbed += emissivity * earth_ir_w_m2 * ir_view
    total = absorbed.sum(axis=0)
    return RadiatorEnvironment(float(beta_deg), float(total.mean()), float(total.max()))


def radiator_environment_components(
    beta_deg: float,
    altitude_km: float,
    *,
    attitude: str = "velocity",
    faces: int = 2,
    albedo: float = EARTH_ALBEDO,
    earth_ir_w_m2: float = EARTH_IR_W_M2,
    solar_flux_w_m2: float = SOLAR_CONSTANT_W_M2,
    n_orbit: int = 360,
) -> tuple[float, float]:
    """The orbit-mean flux of :func:`radiator_environment` split by what scales it, W/m^2.

    ``(sun, ir)``: absorbed per unit absorptivity (direct Sun and albedo) and
    per unit emissivity (Earth's infrared), all faces, so that the orbit mean
    is ``absorptivity * sun + emissivity * ir`` for any coating; one pass of
    the view factors for both.  Raises ``ValueError`` as :func:`radiator_environment`.
    """
    sun_terms, ir_view = _environment_terms(
        beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit
    )
    sun = float(sun_terms.sum(axis=0).mean())
    ir = float((earth_ir_w_m2 * ir_view).sum(axis=0).mean())
    return sun, ir


def _environment_terms(beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit):
    """Per face and orbit sample ``(faces, n_orbit)``: the Sun and albedo flux on the face
    (W/m^2, before absorptivity) and its view factor to the Earth (for the infrared).

    Memoised (read-only arrays): the plan's sizing and a study's design point ask for
    the same orbits' hot case, and the view factors take about 0.3 s an orbit.
    """
    return _environment_terms_memo(
        float(beta_deg),
        float(altitude_km),
        attitude,
        int(faces) if faces in (1, 2) else faces,
        float(albedo),
        float(solar_flux_w_m2),
        int(n_orbit),
    )


@functools.lru_cache(maxsize=512)
def _environment_terms_memo(
    beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit
):
    terms = _environment_terms_of(
        beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit
    )
    for array in terms:
        array.flags.writeable = False
    return terms


def _environment_terms_of(beta_deg, altitude_km, attitude, faces, albedo, solar_flux_w_m2, n_orbit):
    if attitude not in RADIATOR_ATTITUDES:
        raise ValueError(f"attitude={attitude!r}: must be one of {', '.join(RADIATOR_ATTITUDES)}")
    if faces not in (1, 2):
        raise ValueError(f"faces={faces!r}: must be 1 or 2")
    geometry = orbit_geometry(np.radians(beta_deg), orbit_samples_rad(n_orbit))
    sun, r_hat, v_hat, nadir = geometry.sun, geometry.r_hat, geometry.v_hat, geometry.nadir
    normal = plate_normals(attitude, geometry)
    # Local frame: z nadir, x along the velocity, y = z cross x.
    z_l, x_l = nadir, v_hat
    y_l = np.cross(z_l, x_l)
    to_local = np.stack([x_l, y_l, z_l], axis=1)  # (n, 3, 3): rows are local axes
    faces_normals = [normal] if faces == 1 else [normal, -normal]
    r_km = EARTH_RADIUS_IERS_KM + altitude_km
    a = np.arcsin(SUN_RADIUS_KM / AU_KM)
    b = np.arcsin(EARTH_RADIUS_IERS_KM / r_km)
    c = np.arccos(np.clip(-(r_hat @ sun), -1.0, 1.0))
    lit = visible_fraction_from_angles(a, b, c)
    sun_local = np.einsum("nij,j->ni", to_local, sun)
    faces_local = np.einsum("nij,fnj->fni", to_local, np.stack(faces_normals))
    # Both faces at once: the Earth's sunlit part is found once for the orbit.
    f_e, f_a = earth_view_factors(altitude_km, faces_local, sun_local)
    direct = solar_flux_w_m2 * np.maximum(np.stack(faces_normals) @ sun, 0.0) * lit
    return direct + albedo * solar_flux_w_m2 * f_a, f_e


def radiator_net_emission_w_m2(temperature_k, emissivity, faces, absorbed_w_m2=0.0):
    """What a m^2 of panel emits (all faces) less what it absorbs, W/m^2, broadcast.

    Not positive where the panel cannot reject heat (no warmer than its sink).
    """
    emitted = (
        faces * emissivity * STEFAN_BOLTZMANN_W_M2_K4 * np.asarray(temperature_k, dtype=float) ** 4
    )
    return emitted - absorbed_w_m2


def radiator_area_m2(heat_w, temperature_k, emissivity, faces, absorbed_w_m2=0.0):
    """Panel area (m^2) that rejects ``heat_w`` at ``temperature_k``.

    ``absorbed_w_m2`` is the environment absorbed per m^2 of panel (all faces).
    Raises ``ValueError`` when the panel cannot reject heat (its emission does
    not exceed what it absorbs).  :func:`radiator_area_m2_or_nan` is the same
    for arrays of designs, NaN where one fails.
    """
    if np.any(np.asarray(heat_w) < 0):
        raise ValueError(f"heat_w={heat_w}: must not be negative")
    eps = np.asarray(emissivity)
    if not np.all((0 < eps) & (eps <= 1)) or faces not in (1, 2):
        raise ValueError(
            f"emissivity={emissivity}, faces={faces}: need 0 < emissivity <= 1, 1 or 2 faces"
        )
    net = radiator_net_emission_w_m2(temperature_k, emissivity, faces, absorbed_w_m2)
    if np.any(net <= 0):
        # The warmest sink among the panels (for one panel, its own).
        sink_k = np.max((absorbed_w_m2 / (faces * eps * STEFAN_BOLTZMANN_W_M2_K4)) ** 0.25)
        raise ValueError(
            f"temperature_k={temperature_k}: the radiator is no warmer than its environmental "
            f"sink ({sink_k:.0f} K here) and cannot reject heat; raise temperature_k"
        )
    return np.asarray(heat_w, dtype=float) / net


def radiator_area_m2_or_nan(heat_w, temperature_k, emissivity, faces, absorbed_w_m2=0.0):
    """:func:`radiator_area_m2` over broadcast arrays, m^2, never raising.

    NaN where the heat is negative, the emissivity outside ``(0, 1]``, ``faces``
    not 1 or 2, or the panel no warmer than its sink (it cannot reject heat).
    """
    heat = np.asarray(heat_w, dtype=float)
    eps = np.asarray(emissivity, dtype=float)
    with np.errstate(all="ignore"):
        net = radiator_net_emission_w_m2(temperature_k, eps, faces, absorbed_w_m2)
        ok = (heat >= 0) & (eps > 0) & (eps <= 1) & (net > 0) & (faces in (1, 2))
        return np.where(ok, heat / np.where(ok, net, 1.0), np.nan)


def sink_temperature_k(absorbed_w_m2, emissivity, faces):
    """Temperature at which a panel's emission just balances what it absorbs, K."""
    return (np.asarray(absorbed_w_m2) / (faces * emissivity * STEFAN_BOLTZMANN_W_M2_K4)) ** 0.25

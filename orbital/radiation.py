"""Trapped protons and electrons over circular orbits (NASA AP8/AE8), and the dose behind aluminium.

Fluxes come from the ``aep8`` package (IRBEM's AE8/AP8, offline): the McIlwain ``L`` and
``B/B0`` of each point, then the omnidirectional integral flux above each energy.  AE8MIN,
AE8MAX and AP8MIN use one geomagnetic field and AP8MAX another (IRBEM pairs each model with
the field it was built in: ``aep8`` calls ``geomag3`` for the first three and ``geomag4``
for AP8MAX; measured, their L differ), so the costly coordinates are computed once per point
and field.  Neither field depends on the date (measured: L moves by 2e-13 between 2027 and
2035): AE8/AP8 are static maps.

An orbit average is a quadrature over the circular orbit's argument of latitude ``u`` and the
Earth-fixed longitude of its node: over a long run the Earth turns under the orbit and every
node longitude is flown equally (:func:`circular_orbit_samples`).  So only the longitude
average at each latitude matters, and the ascending and descending passes over a latitude
(``u`` and ``180 - u``) give the same one: the grid puts them on the same points.  The
points of one inclination lie on the same directions at every altitude, so a batch flying
it at many altitudes evaluates the field at a few altitudes and interpolates it in between
(:func:`orbit_spectra_batch`).

Dose: at the centre of a solid aluminium sphere of thickness ``t`` (SHIELDOSE-2's "solid
sphere"; Seltzer, NBS Technical Note 1116, 1980, and NISTIR 5477, 1994) every path of an isotropic
flux crosses ``t``.  A proton of energy ``E`` leaves with ``E'`` where
``R_Al(E') = R_Al(E) - t`` (continuous slowing down, CSDA; no nuclear reactions, no straggling)
and deposits ``S_Si(E')`` per unit fluence; an electron the same with Katz & Penfold's
practical range in aluminium (transmission taken as 1 below it, 0 beyond).  The differential
spectrum is taken by finite differences of the integral one, interpolated as a power law
(log-log) on 64 sub-intervals of each interval of its energies, and each sub-interval's
deposit is integrated over its exit energies (:func:`_dose_rate`).  Bremsstrahlung is
left out, so the electron dose is a lower bound behind thick shields, where the photons it
makes dominate.  No solar-particle events and no galactic cosmic rays.
"""

import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np

from orbital.constants import EARTH_RADIUS_WGS72_KM, JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.constants import MAX_ALTITUDE_KM as PLANNER_MAX_ALTITUDE_KM
from orbital.constants import MIN_ALTITUDE_KM as PLANNER_MIN_ALTITUDE_KM
from orbital.stopping import (
    ALUMINIUM,
    SILICON,
    electron_range_table,
    electron_stopping_mev_cm2_g,
    proton_range_table,
    proton_stopping_mev_cm2_g,
)

#: Energies of the integral spectra, MeV, 12 a decade on round values (so 1 and 10 MeV are on
#: the grids): AP8's 0.1-300 MeV (43 points) and AE8's electrons from 0.05 to 7 MeV (28
#: points).  ``aep8`` 1.1 returns NaN for electrons below 0.05 MeV (measured; IRBEM's
#: documentation says 0.04), so the electron grid starts there.
PROTON_ENERGIES_MEV: np.ndarray = np.append(10.0 ** (np.arange(-12, 30) / 12), 300.0)
ELECTRON_ENERGIES_MEV: np.ndarray = np.concatenate(
    ([0.05], 10.0 ** (np.arange(-15, 11) / 12), [7.0])
)
#: Altitudes accepted, km: the planner's own shells (``orbital.constants``).  AE8/AP8 map the
#: belts from the top of the atmosphere to beyond geosynchronous orbit (L up to 11 for AE8,
#: 6.6 for AP8), so the limit is the planner's: at 150 km AP8 still gives >10 MeV protons,
#: 0.03 /(cm2 s) at 53 deg, a tenth of 200 km's (measured), as the atmosphere empties the
#: drift shells that dip into it.
MIN_ALTITUDE_KM: float = PLANNER_MIN_ALTITUDE_KM
MAX_ALTITUDE_KM: float = PLANNER_MAX_ALTITUDE_KM
SOLAR_PHASES = ("min", "max")
#: 1 rad = 0.01 J/kg = 100 erg/g, and 1 MeV = 1.602176634e-6 erg (SI 2019, exact).
MEV_PER_G_PER_RAD: float = 100.0 / 1.602176634e-6
SECONDS_PER_YEAR: float = JULIAN_YEAR_DAYS * SECONDS_PER_DAY
#: Density of aluminium, g/cm^3 (NIST, the value PSTAR and ESTAR use).
ALUMINIUM_DENSITY_G_CM3: float = ALUMINIUM.density_g_cm3
#: Sub-intervals of each interval of the integral spectrum in the dose quadrature.
_DOSE_SUBDIVISIONS = 64


@dataclass(frozen=True)
class TrappedSpectra:
    """Orbit-averaged omnidirectional integral flux, 1/(cm2 s), above each energy.

    ``proton_energy_mev`` and ``proton_flux_cm2_s`` (n_p,), ``electron_energy_mev`` and
    ``electron_flux_cm2_s`` (n_e,), increasing energies; ``solar`` is ``"min"`` or ``"max"``.
    """

    proton_energy_mev: np.ndarray
    proton_flux_cm2_s: np.ndarray
    electron_energy_mev: np.ndarray
    electron_flux_cm2_s: np.ndarray
    solar: str

    def flux_above(self, particle: str, energy_mev: float) -> float:
        """Integral flux above ``energy_mev`` of ``"proton"`` or ``"electron"``, 1/(cm2 s)."""
        energies = getattr(self, f"{particle}_energy_mev")
        return float(
            integral_flux_at(energy_mev, energies, getattr(self, f"{particle}_flux_cm2_s"))
        )


def integral_flux_at(energy_mev, table_energy_mev, table_flux):
    """Integral flux at ``energy_mev`` (any shape) from its table ``(n,)``: a power law
    between points (linear in log E where an end is zero), the first value below the table,
    the last above it."""
    log_e = np.log(np.clip(energy_mev, table_energy_mev[0], table_energy_mev[-1]))
    log_table = np.log(table_energy_mev)
    linear = np.interp(log_e, log_table, table_flux)
    positive = table_flux > 0
    both = np.interp(log_e, log_table, positive.astype(float)) == 1.0
    log_f = np.log(np.where(positive, table_flux, 1.0))
    return np.where(both, np.exp(np.interp(log_e, log_table, log_f)), linear)


def _check_orbit(altitude_km, solar) -> None:
    alt = np.atleast_1d(np.asarray(altitude_km, dtype=float))
    bad = alt[~((alt >= MIN_ALTITUDE_KM) & (alt <= MAX_ALTITUDE_KM))]
    if bad.size:
        raise ValueError(
            f"altitude {bad[0]:g} km: AE8/AP8 orbits are taken from {MIN_ALTITUDE_KM:g} to "
            f"{MAX_ALTITUDE_KM:g} km"
        )
    if solar not in SOLAR_PHASES:
        raise ValueError(f"solar={solar!r}: must be 'min' or 'max' (the AE8/AP8 solar phases)")


def circular_orbit_samples(
    altitude_km: float, inclination_deg: float, n_anomaly=72, n_node=48
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Earth-fixed (ITRS) x, y, z in km, each shape ``(n_anomaly * n_node,)``: an orbit average.

    A uniform grid over the argument of latitude ``u_j = 360 (j + 1/2) / n_anomaly`` deg and,
    at each ``u_j``, ``n_node`` node longitudes 360/n_node apart (Earth turns under the orbit,
    so a long-run orbit average weights every node longitude equally).  Each ``u_j``'s node
    grid is turned so that its points fall on the longitudes ``360 k / n_node``: any uniform
    grid of node longitudes is the same quadrature, and then ``u`` and ``180 - u`` (the same
    latitude) give the very same points, which the flux calls evaluate once.  Radius:
    ``EARTH_RADIUS_WGS72_KM + altitude_km`` (a shell's altitude is over SGP4's WGS-72 radius).
    Row-major over (u, node).
    """
    radius = EARTH_RADIUS_WGS72_KM + float(altitude_km)
    # u = pi q / n_anomaly with odd q; fold q into [-n/2, n/2] in integers, so sin(u) is
    # bit-identical for u and pi - u.
    q = 2 * np.arange(n_anomaly) + 1
    q = np.where(q >= 1.5 * n_anomaly, q - 2 * n_anomaly, q)
    q = np.where(q > 0.5 * n_anomaly, n_anomaly - q, q)
    sin_lat = np.sin(np.radians(inclination_deg)) * np.sin(np.pi * q / n_anomaly)
    cos_lat = np.sqrt(1.0 - sin_lat**2)
    lon = 2 * np.pi * np.arange(n_node) / n_node
    x = (radius * cos_lat[:, None] * np.cos(lon)).ravel()
    y = (radius * cos_lat[:, None] * np.sin(lon)).ravel()
    z = np.repeat(radius * sin_lat, n_node)
    return x, y, z


@cache
def _models():
    import aep8

    return {(p, s): aep8.model(p, s) for p in "pe" for s in SOLAR_PHASES}


def _field_key(particle: str, solar: str) -> str:
    # aep8 1.1: AP8MAX is evaluated in its own field (geomag4), the other three in geomag3.
    return "ap8max" if (particle, solar) == ("p", "max") else "common"


#: Coordinates already computed in each field, keyed by the points and the epoch's second:
#: the electrons at solar maximum reuse solar minimum's field, so a stage asking for both
#: phases of the same orbits pays for it once.  Cleared past a few entries.
_COORDINATES: dict = {}
_COORDINATES_KEPT = 32


def _geomagnetic(model, field: str, points_km: np.ndarray, epoch):
    """McIlwain L and B/B0 of ``points_km`` (n, 3) in one model's field (n,) each.

    One call, in this thread: IRBEM's Fortran keeps its state in COMMON blocks, so its calls
    are not split between threads.
    """
    import astropy.units as u
    from astropy.coordinates import EarthLocation

    points = np.ascontiguousarray(points_km, dtype=float)
    key = (field, hashlib.sha1(points.tobytes()).hexdigest(), int(np.rint(epoch.utc.unix)))
    if key in _COORDINATES:
        return _COORDINATES[key]
    location = EarthLocation.from_geocentric(points[:, 0], points[:, 1], points[:, 2], unit=u.km)
    l_shell, b_ratio = model.geomagnetic_coordinates(location, epoch)
    result = (np.atleast_1d(l_shell), np.atleast_1d(b_ratio))
    for array in result:
        array.flags.writeable = False
    if len(_COORDINATES) >= _COORDINATES_KEPT:
        _COORDINATES.clear()
    _COORDINATES[key] = result
    return result


def _integral_flux(model, l_shell, b_ratio, energy_mev) -> np.ndarray:
    import astropy.units as u

    with np.errstate(invalid="ignore"):  # aep8 answers NaN outside its energies
        flux = model.integral_flux_for_geomagnetic_coordinates(
            l_shell[:, None], b_ratio[:, None], energy_mev * u.MeV
        )
    return flux.to_value(1 / (u.cm**2 * u.s))


def _orbit_averages(coordinates_of, pair_orbit, pair_point, pair_weight, n_orbits, solar):
    """Spectra of ``n_orbits`` orbits from the coordinates of distinct points.

    ``coordinates_of(field, model)`` gives McIlwain L and B/B0 (n,) of the points in one
    field (see :func:`_field_key`).  Orbit ``pair_orbit[k]`` takes point ``pair_point[k]``
    with weight ``pair_weight[k]`` (its share of the orbit's samples).  The field is asked
    for once per field, the fluxes once per point and model.
    """
    models = _models()
    coordinates = {}
    spectra = {}
    for particle, energies in (("p", PROTON_ENERGIES_MEV), ("e", ELECTRON_ENERGIES_MEV)):
        model = models[particle, solar]
        key = _field_key(particle, solar)
        if key not in coordinates:
            coordinates[key] = coordinates_of(key, model)
        flux = _integral_flux(model, *coordinates[key], energies)
        total = np.zeros((n_orbits, len(energies)))
        np.add.at(total, pair_orbit, flux[pair_point] * pair_weight[:, None])
        spectra[particle] = total
    proton_energies = PROTON_ENERGIES_MEV.copy()
    electron_energies = ELECTRON_ENERGIES_MEV.copy()
    for values in (spectra["p"], spectra["e"], proton_energies, electron_energies):
        values.flags.writeable = False  # shared by every caller through the cache
    return [
        TrappedSpectra(
            proton_energy_mev=proton_energies,
            proton_flux_cm2_s=spectra["p"][k],
            electron_energy_mev=electron_energies,
            electron_flux_cm2_s=spectra["e"][k],
            solar=solar,
        )
        for k in range(n_orbits)
    ]


def orbit_spectra(altitude_km, inclination_deg, epoch, solar: str, samples=None) -> TrappedSpectra:
    """Orbit-averaged AP8/AE8 integral spectra of one circular orbit.

    ``epoch`` an astropy Time (AE8/AP8 are static: it only reaches IRBEM's field call);
    ``solar`` ``"min"`` or ``"max"``; ``samples`` optional ``(x, y, z)`` km, ITRS, from
    :func:`circular_orbit_samples` (default grid) or any set of points to average over with
    equal weights.  Raises ValueError naming the altitude outside
    [MIN_ALTITUDE_KM, MAX_ALTITUDE_KM], or for a solar phase other than min/max.
    """
    _check_orbit(altitude_km, solar)
    if samples is None:
        samples = circular_orbit_samples(altitude_km, inclination_deg)
    xyz = np.column_stack([np.ravel(c) for c in samples])
    points, counts = np.unique(xyz, axis=0, return_counts=True)
    index = np.arange(len(points))
    weights = counts / len(xyz)
    return _orbit_averages(
        lambda field, model: _geomagnetic(model, field, points, epoch),
        np.zeros_like(index), index, weights, 1, solar,
    )[0]  # fmt: skip


def orbit_spectra_batch(
    altitude_km, inclination_deg, epoch, solar, *, n_anomaly=36, n_node=24
) -> list[TrappedSpectra]:
    """:func:`orbit_spectra` for many orbits (broadcast 1-D arrays), one IRBEM call per field.

    Every orbit is sampled by :func:`circular_orbit_samples` with ``n_anomaly`` x ``n_node``
    points, coarser than :func:`orbit_spectra`'s default 72 x 48 (1,728 distinct points):
    432 distinct points (``u`` and ``180 - u`` of one orbit are the same points).  Against a
    144 x 96 grid at 340-1,400 km and 30-98 deg (measured, both phases) the >10 MeV protons
    are within 4.5 % (8.4 % at 500 km, 70 deg), the >1 MeV electrons within 2.3 %, and the
    faintest tails (flux under a millionth of the lowest energy's) up to 37 % off; AP8/AE8
    themselves are uncertain by a factor of about 2.

    The cost is IRBEM's field, 0.1-1.8 ms a point (more at high L).  Orbits of one
    inclination at :data:`INTERPOLATE_FROM_ORBITS` altitudes or more from 300 km share it: their
    directions (the same for every altitude) are evaluated at the seven
    :data:`ALTITUDE_NODES_KM` only, McIlwain L and B/B0 are interpolated in altitude along each
    (:func:`_field_by_altitude`), and the fluxes are evaluated at every orbit's points.
    Measured against evaluating every point, 150 orbits at 300-2,000 km and 30-98 deg: up
    to 2.0 % at the faintest energies (>200 MeV protons, >5 MeV electrons below 500 km),
    0.065 % for the median orbit, 0.63 % for >10 MeV protons and >1 MeV electrons; a third
    of the CPU.  Orbits below the lowest node (300 km), and those of inclinations flown at
    fewer altitudes, are evaluated point by point, each distinct point once.  Returns one
    :class:`TrappedSpectra` per orbit, in order.  Raises ValueError as :func:`orbit_spectra`.
    """
    alt, inc = np.broadcast_arrays(
        np.atleast_1d(np.asarray(altitude_km, dtype=float)),
        np.atleast_1d(np.asarray(inclination_deg, dtype=float)),
    )
    _check_orbit(alt, solar)
    if alt.size == 0:
        return []
    day = epoch.utc.isot[:10]
    keys = [
        (float(a), float(i), solar, n_anomaly, n_node, day) for a, i in zip(alt, inc, strict=True)
    ]
    missing = [k for k in dict.fromkeys(keys) if k not in _SPECTRA_CACHE]
    if missing:
        found = _batch(
            np.array([k[0] for k in missing]), np.array([k[1] for k in missing]),
            epoch, solar, n_anomaly, n_node,
        )  # fmt: skip
        if len(_SPECTRA_CACHE) + len(missing) > SPECTRA_CACHE_SIZE:
            _SPECTRA_CACHE.clear()
        _SPECTRA_CACHE.update(zip(missing, found, strict=True))
    return [_SPECTRA_CACHE[k] for k in keys]


#: Orbits' spectra already found in this process, by altitude, inclination, solar phase,
#: sampling and UTC day: AE8/AP8 are static maps (the field does not move with the date at
#: this precision, measured above), so a shell planned again, or a study's next point at
#: the same orbit, costs nothing.  Cleared when it would pass SPECTRA_CACHE_SIZE orbits.
_SPECTRA_CACHE: dict = {}
SPECTRA_CACHE_SIZE = 4096


def _batch(alt, inc, epoch, solar, n_anomaly, n_node) -> list[TrappedSpectra]:
    """The spectra of the orbits ``alt``, ``inc`` (1-D arrays), evaluated, not looked up.

    An inclination flown at :data:`INTERPOLATE_FROM_ORBITS` altitudes or more within the
    :data:`ALTITUDE_NODES_KM` takes its field there from :func:`_field_by_altitude`; the
    other orbits are evaluated point by point.
    """
    out: list = [None] * alt.size
    direct = np.ones(alt.size, dtype=bool)
    for i in np.unique(inc):
        members = np.flatnonzero((inc == i) & (alt >= ALTITUDE_NODES_KM[0]))
        if np.unique(alt[members]).size >= INTERPOLATE_FROM_ORBITS:
            direct[members] = False
            spectra = _interpolated_batch(alt[members], i, epoch, solar, n_anomaly, n_node)
            for k, s in zip(members, spectra, strict=True):
                out[k] = s
    members = np.flatnonzero(direct)
    if members.size:
        for k, s in zip(
            members,
            _direct_batch(alt[members], inc[members], epoch, solar, n_anomaly, n_node),
            strict=True,
        ):
            out[k] = s
    return out


def _direct_batch(alt, inc, epoch, solar, n_anomaly, n_node) -> list[TrappedSpectra]:
    """Every orbit's distinct points through IRBEM's field, each once."""
    per_orbit = n_anomaly * n_node
    xyz = np.concatenate(
        [
            np.column_stack(circular_orbit_samples(a, i, n_anomaly, n_node))
            for a, i in zip(alt, inc, strict=True)
        ]
    )
    points, inverse = np.unique(xyz, axis=0, return_inverse=True)
    orbit = np.repeat(np.arange(alt.size), per_orbit)
    pairs, counts = np.unique(np.column_stack([orbit, inverse.ravel()]), axis=0, return_counts=True)
    return _orbit_averages(
        lambda field, model: _geomagnetic(model, field, points, epoch),
        pairs[:, 0], pairs[:, 1], counts / per_orbit, alt.size, solar,
    )  # fmt: skip


#: An inclination flown at this many distinct altitudes or more in one batch has its field
#: interpolated in altitude (:func:`_field_by_altitude`): from there the
#: :data:`ALTITUDE_NODES_KM` cost fewer field calls than the orbits themselves.
INTERPOLATE_FROM_ORBITS = 14
#: Chebyshev-Lobatto altitudes, km, over 300-2,000 km at which such an inclination's
#: directions are evaluated.  Degree 6: IRBEM's L has kinks of its own making (its second
#: difference over 10 km of altitude jumps from 1e-7 to 2e-4), so higher degrees do not
#: converge further.  Not below 300 km: there the protons come from a few points at the
#: atmosphere's cutoff, where 1e-4 in L moves a point's flux by 10 % (measured: >10 MeV
#: protons 4 % off at 160-200 km with nodes from 150 km), so lower orbits are evaluated
#: point by point.
ALTITUDE_NODES_KM: np.ndarray = (
    300.0 + (MAX_ALTITUDE_KM - 300.0) * (1 - np.cos(np.pi * np.arange(7) / 6)) / 2
)
#: McIlwain L from which all four models are empty (measured, aep8 1.1: zero flux at every
#: energy from L = 12).  A direction at or beyond it at every node (or on an open field
#: line, IRBEM's -1e31) is taken as empty at every altitude: L grows outward along a
#: radius, so the lowest node bounds it from below (checked on 72 x 48 grids at 70-99 deg,
#: 150-2,000 km every 25 km, both fields).
EMPTY_L_SHELL = 12.0


def _barycentric_weights(altitude_km: np.ndarray) -> np.ndarray:
    """Lagrange weights (n, nodes) on :data:`ALTITUDE_NODES_KM` (barycentric, Lobatto)."""
    n = ALTITUDE_NODES_KM.size - 1
    w = (-1.0) ** np.arange(n + 1)
    w[[0, -1]] *= 0.5
    d = altitude_km[:, None] - ALTITUDE_NODES_KM[None, :]
    exact = d == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        c = w / d
    c = np.where(exact.any(axis=1, keepdims=True), exact.astype(float), c)
    return c / c.sum(axis=1, keepdims=True)


def _field_by_altitude(model, field, directions, altitude_km, epoch):
    """L and B/B0 (n_alt, n_dir) along unit ``directions`` (n_dir, 3) at ``altitude_km``.

    IRBEM is called at :data:`ALTITUDE_NODES_KM` only and ``log L`` and ``log B/B0`` are
    interpolated between them (a polynomial of degree 6 in altitude) along each direction;
    directions empty at every node get ``L = 1,000`` (no flux) and those with an open field
    line at some nodes but not all are evaluated at each altitude.  ``altitude_km`` within
    the nodes' span.
    """
    radius = EARTH_RADIUS_WGS72_KM + ALTITUDE_NODES_KM
    nodes = (radius[:, None, None] * directions[None]).reshape(-1, 3)
    l_node, b_node = (a.reshape(radius.size, -1) for a in _geomagnetic(model, field, nodes, epoch))
    closed = np.all((l_node > 0) & (b_node > 0), axis=0)
    empty = np.all((l_node >= EMPTY_L_SHELL) | (l_node <= 0), axis=0)
    smooth = closed & ~empty
    c = _barycentric_weights(altitude_km)
    log_l = np.log(np.where(smooth, l_node, 1.0))
    log_b = np.log(np.where(smooth, b_node, 1.0))
    l_shell = np.where(smooth, np.exp(c @ log_l), 1e3)
    b_ratio = np.where(smooth, np.exp(c @ log_b), 1.0)
    rest = np.flatnonzero(~smooth & ~empty)
    if rest.size:
        r = EARTH_RADIUS_WGS72_KM + altitude_km
        points = (r[:, None, None] * directions[None, rest]).reshape(-1, 3)
        l_rest, b_rest = _geomagnetic(model, field, points, epoch)
        l_shell[:, rest] = l_rest.reshape(r.size, rest.size)
        b_ratio[:, rest] = b_rest.reshape(r.size, rest.size)
    return l_shell, b_ratio


def _interpolated_batch(alt, inc, epoch, solar, n_anomaly, n_node) -> list[TrappedSpectra]:
    """Orbits of one inclination at many altitudes: the field from :func:`_field_by_altitude`
    on the sample grid's distinct directions, the fluxes at every orbit's points."""
    unit = np.column_stack(circular_orbit_samples(0.0, inc, n_anomaly, n_node))
    unit /= EARTH_RADIUS_WGS72_KM
    directions, counts = np.unique(unit, axis=0, return_counts=True)
    n_dir = len(directions)

    def coordinates_of(field, model):
        l_shell, b_ratio = _field_by_altitude(model, field, directions, alt, epoch)
        return l_shell.ravel(), b_ratio.ravel()

    return _orbit_averages(
        coordinates_of,
        np.repeat(np.arange(alt.size), n_dir),
        np.arange(alt.size * n_dir),
        np.tile(counts / counts.sum(), alt.size),
        alt.size,
        solar,
    )


# ------------------------------------------------------------------------------ the dose


@cache
def _range_tables():
    return proton_range_table(ALUMINIUM), electron_range_table()


def _particles_by_energy(energy_mev, integral_flux):
    """Particles in each energy sub-interval of an integral spectrum, and the edges.

    The integral flux is interpolated between its energies as a power law in both (log-log,
    where both ends are positive; linearly where it reaches zero) at the edges of
    ``_DOSE_SUBDIVISIONS`` log-spaced sub-intervals of each interval; the particles of a
    sub-interval are the difference of the integral flux across it.  Returns the edges
    ``(n-1, m+1)`` MeV and the particles ``(n-1, m)`` /(cm2 s).  Particles above the last
    energy are not counted (AP8 and AE8 end there).
    """
    e = np.asarray(energy_mev, dtype=float)
    f = np.nan_to_num(np.asarray(integral_flux, dtype=float), nan=0.0)
    s = np.linspace(0.0, 1.0, _DOSE_SUBDIVISIONS + 1)
    le = np.log(e)
    edges = np.exp(le[:-1, None] + np.diff(le)[:, None] * s)
    f0, f1 = f[:-1, None], f[1:, None]
    positive = (f0 > 0) & (f1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_fine = np.exp(np.log(f0) + (np.log(f1) - np.log(f0)) * s)
    lin_fine = f0 + (f1 - f0) * (edges - e[:-1, None]) / np.diff(e)[:, None]
    f_fine = np.where(positive, log_fine, lin_fine)
    return edges, np.clip(f_fine[:, :-1] - f_fine[:, 1:], 0.0, None)


def _dose_rate(energy_mev, integral_flux, thickness_g_cm2, table, stopping):
    """Dose rate, rad(Si)/year, shape of ``thickness_g_cm2``.

    A particle of a sub-interval ``[E_a, E_b]`` (taken as spread evenly in energy) deposits
    on average ``(1 / (E_b - E_a))`` times the integral of ``S_Si(E'(E)) dE``; with
    ``dE/dE' = S_Al(E) / S_Al(E')`` (CSDA through the shield) that is an integral over the
    exit energies, smooth even where the sub-interval straddles the least energy that gets
    through: ``S_Si(E'_m) S_Al(E_m) / S_Al(E'_m) (E'_b - E'_a) / (E_b - E_a)`` at the middles.
    """
    edges, counts = _particles_by_energy(energy_mev, integral_flux)
    t = thickness_g_cm2[..., None, None]
    residual = table.range_of(edges) - t
    exit_edges = np.where(residual > 0, table.energy_of(np.maximum(residual, 0.0)), 0.0)
    exit_width = np.diff(exit_edges, axis=-1)
    exit_middle = 0.5 * (exit_edges[..., 1:] + exit_edges[..., :-1])
    through = exit_width > 0
    e_out = np.where(through, exit_middle, 1.0)
    e_in = np.sqrt(edges[:, 1:] * edges[:, :-1])
    deposit = (stopping(SILICON, e_out) * table.stopping_of(e_in) / table.stopping_of(e_out)
               * exit_width / np.diff(edges, axis=-1))  # fmt: skip
    mev_per_g_s = np.where(through, deposit * counts, 0.0).sum(axis=(-2, -1))
    return mev_per_g_s / MEV_PER_G_PER_RAD * SECONDS_PER_YEAR


def dose_depth_rad_si_per_year(
    spectra: TrappedSpectra, shielding_mm_al
) -> tuple[np.ndarray, np.ndarray]:
    """Proton and electron dose rates in silicon, rad(Si)/year, behind ``shielding_mm_al``.

    At the centre of a solid aluminium sphere of that thickness (array, mm; aluminium at
    2.699 g/cm^3) under the spectra's omnidirectional flux; each result has the shape of
    ``shielding_mm_al``.  Method and limits in the module notes (CSDA protons, Katz & Penfold
    electrons, no bremsstrahlung: the electron dose is a lower bound behind thick shields).
    Raises ValueError for a thickness that is not positive.
    """
    t_mm = np.asarray(shielding_mm_al, dtype=float)
    if np.any(~(t_mm > 0)):
        raise ValueError(
            f"shielding_mm_al={shielding_mm_al}: thickness must be positive (mm of Al)"
        )
    t = t_mm * 0.1 * ALUMINIUM_DENSITY_G_CM3
    proton_table, electron_table = _range_tables()
    proton = _dose_rate(spectra.proton_energy_mev, spectra.proton_flux_cm2_s, t, proton_table,
                        proton_stopping_mev_cm2_g)  # fmt: skip
    electron = _dose_rate(spectra.electron_energy_mev, spectra.electron_flux_cm2_s, t,
                          electron_table, electron_stopping_mev_cm2_g)  # fmt: skip
    return proton, electron


def shielding_for_dose_mm_al(
    spectra: TrappedSpectra, dose_rad_si_per_year: float, max_mm_al=50.0
) -> float:
    """The least aluminium thickness, mm, whose total dose rate is at most the target.

    The total (protons + electrons) of :func:`dose_depth_rad_si_per_year` falls with thickness;
    it is evaluated on a log grid from 0.01 mm to ``max_mm_al`` and the crossing is
    interpolated in log-log, then refined by bisection to 1e-6 relative.  Returns ``inf`` when
    even ``max_mm_al`` does not reach the target (0.01 mm when that already does).  Raises
    ValueError for a target that is not positive.
    """
    if not dose_rad_si_per_year > 0:
        raise ValueError(f"dose_rad_si_per_year={dose_rad_si_per_year}: must be positive")

    def total(t_mm):
        p, e = dose_depth_rad_si_per_year(spectra, np.asarray(t_mm, dtype=float))
        return p + e

    grid = np.geomspace(0.01, max_mm_al, 64)
    dose = total(grid)
    if dose[-1] > dose_rad_si_per_year:
        return float("inf")
    k = int(np.argmax(dose <= dose_rad_si_per_year))
    if k == 0:
        return float(grid[0])
    lo, hi = grid[k - 1], grid[k]
    for _ in range(60):
        mid = np.sqrt(lo * hi)
        if total(mid) <= dose_rad_si_per_year:
            hi = mid
        else:
            lo = mid
        if hi / lo - 1 < 1e-6:
            break
    return float(hi)

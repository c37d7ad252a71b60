"""Mean elements of circular low orbits as SGP4 understands them.

A designer gives an altitude; SGP4 wants a Kozai mean motion.  The functions
here convert between the two exactly as SGP4's initialisation does
(``initl`` in Vallado's SGP4.cpp), so that the satellite SGP4 propagates has
the mean semi-major axis ``EARTH_RADIUS_WGS72_KM + altitude_km`` the designer asked
for.  All functions broadcast over NumPy arrays.

So a shell's ``altitude_km`` is SGP4's mean semi-major axis (``Satrec.a``, from the
un-Kozaied mean motion) less the WGS-72 equatorial radius, 6378.135 km: not a
height above the ground.  What the satellite flies over the WGS-84 ellipsoid
follows from SGP4's positions (:func:`orbit_heights_km`): a dawn-dusk orbit at
340 km is 345.5 to 371.6 km above it, 355.3 km on average, because SGP4's
short-period J2 terms lift a near-polar orbit's mean radius 4.7 km above ``a``
and the ellipsoid falls 21 km from the equator to the poles.
"""

import functools
from dataclasses import dataclass

import numpy as np

from orbital.constants import (
    EARTH_RADIUS_WGS72_KM,
    J2,
    MU_KM3_S2,
    SUN_MEAN_MOTION_RAD_S,
    WGS84_EQUATORIAL_RADIUS_KM,
    WGS84_INVERSE_FLATTENING,
    XKE_PER_MIN,
)


def sun_synchronous_inclination_deg(altitude_km, eccentricity=0.0):
    """Inclination (degrees) whose J2 nodal precession follows the mean Sun.

    Secular J2 node rate (Vallado, *Fundamentals of Astrodynamics*, eq. 9-41):
    ``dOmega/dt = -1.5 n J2 (R/p)^2 cos i``; set it equal to the Sun's mean
    motion and solve for ``i``.  ``altitude_km`` is the mean altitude above the
    equatorial radius; broadcasts over arrays.  Raises ``ValueError`` when no
    inclination can be sun-synchronous (above about 5,970 km).
    """
    a_km = EARTH_RADIUS_WGS72_KM + np.asarray(altitude_km, dtype=float)
    p_km = a_km * (1.0 - eccentricity**2)
    n_rad_s = np.sqrt(MU_KM3_S2 / a_km**3)
    cos_i = -SUN_MEAN_MOTION_RAD_S / (1.5 * n_rad_s * J2 * (EARTH_RADIUS_WGS72_KM / p_km) ** 2)
    if np.any(cos_i < -1.0):
        raise ValueError(
            f"altitude_km={altitude_km}: too high for a sun-synchronous orbit "
            "(J2 precession is too slow above about 5,970 km)"
        )
    return np.degrees(np.arccos(cos_i))


#: The SGP4 sun-synchronous inclination is found to this, degrees (3.6 microarcseconds; the
#: node rate then matches the mean Sun's to about 1e-12 deg/day).
SSO_INCLINATION_XTOL_DEG = 1e-9
#: SGP4's own J2^2 and J4 node terms move the inclination by 0.022-0.028 deg from the J2-only
#: one between 150 and 2000 km; the search starts there and steps this far for its secant.
_SGP4_SSO_FIRST_STEP_DEG = 0.03


def sgp4_node_rate_rad_min(altitude_km: float, inclination_deg: float) -> float:
    """SGP4's secular node rate (``Satrec.nodedot``) of a circular orbit, rad/min.

    The orbit is the one the planner builds: the Kozai mean motion of
    :func:`kozai_mean_motion_rad_min`, no drag, initialised by python-sgp4's
    ``Satrec.sgp4init`` with the WGS-72 constants (near-Earth: J2, J2^2, J4).
    """
    from sgp4.api import WGS72, Satrec

    satrec = Satrec()
    inclination_rad = np.radians(inclination_deg)
    no_kozai = float(kozai_mean_motion_rad_min(altitude_km, inclination_deg))
    # epoch 2000-01-01 (days from 1949-12-31): the near-Earth secular rates do not depend on it
    satrec.sgp4init(
        WGS72, "i", 1, 18263.0, 0.0, 0.0, 0.0, 0.0, 0.0, inclination_rad, 0.0, no_kozai, 0.0
    )
    if satrec.error:
        raise ValueError(
            f"altitude_km={altitude_km}: SGP4 refuses the orbit (error {satrec.error})"
        )
    return float(satrec.nodedot)


@functools.lru_cache(maxsize=256)
def _sgp4_sun_synchronous_inclination_deg(altitude_km: float) -> float:
    sun_rad_min = SUN_MEAN_MOTION_RAD_S * 60.0

    def excess(inclination_deg):
        return sgp4_node_rate_rad_min(altitude_km, inclination_deg) - sun_rad_min

    i0 = float(sun_synchronous_inclination_deg(altitude_km))
    i1 = i0 + _SGP4_SSO_FIRST_STEP_DEG
    f0, f1 = excess(i0), excess(i1)
    for _ in range(50):  # secant: the rate is nearly linear in the inclination here
        if f1 == f0:
            break
        i0, i1, f0 = i1, i1 - f1 * (i1 - i0) / (f1 - f0), f1
        if abs(i1 - i0) < SSO_INCLINATION_XTOL_DEG:
            return i1
        f1 = excess(i1)
    if abs(f1) * 1440.0 * 365.25 < 1e-9:  # rad a year: stalled on equal rates, at the root
        return i1
    raise ValueError(f"altitude_km={altitude_km}: no SGP4 sun-synchronous inclination found")


def sgp4_sun_synchronous_inclination_deg(altitude_km: float) -> float:
    """Inclination (degrees) whose SGP4 node rate equals the mean Sun's, for a circular orbit.

    The J2-only inclination (:func:`sun_synchronous_inclination_deg`) leaves
    SGP4's node, which also carries J2^2 and J4 secular terms, 0.34 % slower
    than the mean Sun at 340 km (about 5 minutes of local time a year).  This
    one is found by a secant search on SGP4's own ``nodedot``
    (:func:`sgp4_node_rate_rad_min`) until it equals the mean Sun's motion,
    ``SUN_MEAN_MOTION_RAD_S`` (360 deg a tropical year), to
    :data:`SSO_INCLINATION_XTOL_DEG`: 96.837 deg at 340 km, 0.023 deg above the
    J2-only 96.814.  ``altitude_km`` is a scalar (the mean altitude above the
    equatorial radius).  Raises ``ValueError`` where no inclination is
    sun-synchronous (above about 5,970 km) or SGP4 refuses the orbit.
    """
    return _sgp4_sun_synchronous_inclination_deg(float(altitude_km))


def _brouwer_factor(no_kozai, inclination_rad, eccentricity):
    """SGP4's ratio no_kozai / no_unkozai for the given Kozai mean motion."""
    cos_i2 = np.cos(inclination_rad) ** 2
    e2 = eccentricity**2
    d1 = 0.75 * J2 * (3.0 * cos_i2 - 1.0) / (np.sqrt(1.0 - e2) * (1.0 - e2))
    ak = (XKE_PER_MIN / no_kozai) ** (2.0 / 3.0)
    delta = d1 / ak**2
    adel = ak * (1.0 - delta**2 - delta * (1.0 / 3.0 + 134.0 * delta**2 / 81.0))
    return 1.0 + d1 / adel**2


def kozai_mean_motion_rad_min(altitude_km, inclination_deg, eccentricity=0.0):
    """Kozai mean motion (rad/min) that SGP4 turns into the wanted semi-major axis.

    SGP4 un-Kozais its input mean motion and derives the mean semi-major axis
    ``a = (xke / no_unkozai)^(2/3)`` from it.  This inverts that step by fixed
    point iteration (it converges to machine precision in a few steps because
    the J2 correction is about 1e-3).  Broadcasts over arrays.
    """
    a_er = (EARTH_RADIUS_WGS72_KM + np.asarray(altitude_km, dtype=float)) / EARTH_RADIUS_WGS72_KM
    inclination_rad = np.radians(inclination_deg)
    no_unkozai = XKE_PER_MIN / a_er**1.5
    no_kozai = no_unkozai
    for _ in range(8):
        no_kozai = no_unkozai * _brouwer_factor(no_kozai, inclination_rad, eccentricity)
    return no_kozai


def keplerian_period_min(altitude_km):
    """Two-body period (minutes) of a circular orbit at ``altitude_km``."""
    a_km = EARTH_RADIUS_WGS72_KM + np.asarray(altitude_km, dtype=float)
    return 2.0 * np.pi * np.sqrt(a_km**3 / MU_KM3_S2) / 60.0


#: Fixed-point steps of the geodetic latitude in :func:`wgs84_height_km`.  Each step
#: shrinks the latitude's error about e^2 = 0.0067-fold from the first guess's 0.2
#: degrees, and the height's error goes as the square of the latitude's: five steps
#: leave it far below a micrometre.
GEODETIC_ITERATIONS = 5


def wgs84_height_km(xyz_km):
    """Height above the WGS-84 ellipsoid of Earth-centred points, km.

    ``xyz_km`` ``(..., 3)`` km in a frame whose z axis is the Earth's (ITRS, or
    SGP4's TEME, which differs from it by a turn about that axis and by polar
    motion, under a second of arc: centimetres of height); returns shape
    ``xyz_km.shape[:-1]``.
    The height depends only on the distance from the axis ``p`` and along it
    ``z``: the geodetic latitude ``phi`` is iterated from
    ``tan phi = z / (p (1 - e^2 N / (N + h)))`` (:data:`GEODETIC_ITERATIONS`
    steps) and ``h = p cos phi + z sin phi - a sqrt(1 - e^2 sin^2 phi)``, which
    holds at the poles too.
    """
    xyz = np.asarray(xyz_km, dtype=float)
    a = WGS84_EQUATORIAL_RADIUS_KM
    flattening = 1.0 / WGS84_INVERSE_FLATTENING
    e2 = flattening * (2.0 - flattening)
    p = np.hypot(xyz[..., 0], xyz[..., 1])
    z = xyz[..., 2]
    latitude = np.arctan2(z, p * (1.0 - e2))
    for _ in range(GEODETIC_ITERATIONS):
        sin_lat = np.sin(latitude)
        root = np.sqrt(1.0 - e2 * sin_lat**2)
        height = p * np.cos(latitude) + z * sin_lat - a * root
        prime_vertical = a / root
        latitude = np.arctan2(z, p * (1.0 - e2 * prime_vertical / (prime_vertical + height)))
    sin_lat = np.sin(latitude)
    return p * np.cos(latitude) + z * sin_lat - a * np.sqrt(1.0 - e2 * sin_lat**2)


#: Samples of one orbit for its heights: every degree of argument of latitude.  The height
#: of a circular orbit moves with twice the argument of latitude (the ellipsoid and SGP4's
#: short-period J2 terms), so a 1-degree step finds its least and greatest values to a few
#: metres and its mean to far less.
ORBIT_HEIGHT_SAMPLES = 360


@dataclass(frozen=True)
class OrbitHeights:
    """Heights above the WGS-84 ellipsoid over one orbit, km: the least, the mean over
    time, the greatest (NaN when SGP4 failed at every sample)."""

    min_km: float
    mean_km: float
    max_km: float


def orbit_heights_km(satrec, samples: int = ORBIT_HEIGHT_SAMPLES) -> OrbitHeights:
    """The heights one satellite flies above the WGS-84 ellipsoid over one orbit from its epoch.

    ``satrec`` is a python-sgp4 ``Satrec``; it is propagated at ``samples``
    instants evenly over one period of its argument of latitude
    (``2 pi / (mdot + argpdot)``, endpoint excluded) and each TEME position
    becomes a height (:func:`wgs84_height_km`).  Every satellite of a circular
    Walker shell flies the same heights, each at its own phase.  Samples from
    SGP4's first error on are left out.
    """
    period_min = 2.0 * np.pi / (satrec.mdot + satrec.argpdot)
    minutes = np.arange(samples) * (period_min / samples)
    jd = np.full(samples, satrec.jdsatepoch)
    errors, r, _ = satrec.sgp4_array(jd, satrec.jdsatepochF + minutes / 1440.0)
    ok = ~np.logical_or.accumulate(errors != 0)
    if not ok.any():
        return OrbitHeights(np.nan, np.nan, np.nan)
    height = wgs84_height_km(r[ok])
    return OrbitHeights(float(height.min()), float(height.mean()), float(height.max()))

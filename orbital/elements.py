"""Mean elements of circular low orbits as SGP4 understands them.

A designer gives an altitude; SGP4 wants a Kozai mean motion.  The functions
here convert between the two exactly as SGP4's initialisation does
(``initl`` in Vallado's SGP4.cpp), so that the satellite SGP4 propagates has
the mean semi-major axis ``EARTH_RADIUS_WGS72_KM + altitude_km`` the designer asked
for.  All functions broadcast over NumPy arrays.
"""

import numpy as np

from orbital.constants import (
    EARTH_RADIUS_WGS72_KM,
    J2,
    MU_KM3_S2,
    SUN_MEAN_MOTION_RAD_S,
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

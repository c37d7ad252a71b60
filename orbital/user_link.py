"""The link from a satellite down to a user on the ground: slant range and one-way latency.

A spherical Earth of the WGS-72 equatorial radius (the radius the planner's
``altitude_km`` is counted from, :mod:`orbital.constants`), the user at sea level
and the satellite at ``altitude_km`` above it.  At elevation ``e`` the law of
cosines in the triangle Earth centre - user - satellite gives the slant range
(Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 11.2)::

    d = sqrt((R + h)^2 - (R cos e)^2) - R sin e

The lowest elevation a user terminal works down to sets the longest link a
satellite serves: 25 degrees is the minimum elevation of Starlink's gateways
and user terminals in SpaceX's FCC filings (SAT-MOD-20181108-00083), the usual
figure for LEO broadband.
"""

import numpy as np

from orbital.constants import EARTH_RADIUS_WGS72_KM, LIGHT_KM_S

#: The minimum elevation of a user terminal, degrees (Starlink's FCC filings).
USER_MIN_ELEVATION_DEG: float = 25.0


def slant_range_km(altitude_km, elevation_deg=USER_MIN_ELEVATION_DEG):
    """Distance from a sea-level user to a satellite seen at ``elevation_deg``, km.

    ``altitude_km`` and ``elevation_deg`` broadcast against each other; the
    result has their broadcast shape.  Raises ``ValueError`` for a negative
    altitude or an elevation outside [0, 90] degrees.
    """
    h = np.asarray(altitude_km, dtype=float)
    e = np.radians(np.asarray(elevation_deg, dtype=float))
    if np.any(h < 0) or not np.all(np.isfinite(h)):
        raise ValueError(f"altitude_km={altitude_km}: must be finite and >= 0")
    if np.any(e < 0) or np.any(e > np.pi / 2):
        raise ValueError(f"elevation_deg={elevation_deg}: must be within 0 to 90 degrees")
    r = EARTH_RADIUS_WGS72_KM
    return np.sqrt((r + h) ** 2 - (r * np.cos(e)) ** 2) - r * np.sin(e)


def one_way_latency_ms(altitude_km, elevation_deg=USER_MIN_ELEVATION_DEG):
    """Light time over :func:`slant_range_km`, milliseconds (propagation only, no processing)."""
    return 1000.0 * slant_range_km(altitude_km, elevation_deg) / LIGHT_KM_S

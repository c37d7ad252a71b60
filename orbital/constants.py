"""Physical constants, each with its source.

SGP4 is defined with the WGS-72 constants (Vallado et al., "Revisiting
Spacetrack Report #3", AIAA 2006-6753, section "Gravitational constants"), so
every element set the planner builds uses them too; taking them from
python-sgp4 keeps the two in lockstep.
"""

from sgp4.earth_gravity import wgs72 as _wgs72

#: Earth's equatorial radius used by SGP4, km (WGS-72).
EARTH_RADIUS_KM: float = _wgs72.radiusearthkm
#: Earth's gravitational parameter used by SGP4, km^3/s^2 (WGS-72).
MU_KM3_S2: float = _wgs72.mu
#: Second zonal harmonic used by SGP4 (WGS-72).
J2: float = _wgs72.j2
#: sqrt(mu / R^3) in 1/min, SGP4's unit of mean motion (WGS-72).
XKE_PER_MIN: float = _wgs72.xke

#: Length of the tropical year, days (IERS Conventions 2010, mean tropical
#: year at J2000).  A sun-synchronous node turns 360 degrees in this time.
TROPICAL_YEAR_DAYS: float = 365.24219

SECONDS_PER_DAY: float = 86400.0

#: Largest satellite number ``Satrec.sgp4init`` accepts (python-sgp4 packs it
#: into the Alpha-5 range); the planner keeps its own ids and passes
#: ``id % (SGP4_MAX_SATNUM + 1)``.
SGP4_MAX_SATNUM: int = 339_999

#: Lowest and highest altitude a shell may have, km.  Below about 150 km a
#: satellite reenters within days; above 2000 km is no longer low Earth orbit
#: (and SGP4's near-Earth branch ends at a 225-minute period).
MIN_ALTITUDE_KM: float = 150.0
MAX_ALTITUDE_KM: float = 2000.0

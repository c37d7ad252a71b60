"""Physical constants, each once, named by its datum, each with its source.

Two Earth radii are in use and both are kept under their datum's name:

* SGP4 is defined with the WGS-72 constants (Vallado et al., "Revisiting
  Spacetrack Report #3", AIAA 2006-6753, section "Gravitational constants"),
  so every element set the planner builds, the altitudes of its shells and
  their speeds use them; taking them from python-sgp4 keeps the two in
  lockstep.
* The shadow, the view factors to the Earth and the link grazing altitude use
  the IERS equatorial radius, the one Skyfield's ``is_sunlit`` takes
  (``skyfield.constants.ERAD``).

The WGS-84 ellipsoid of geodetic latitudes and heights is Skyfield's own
(``skyfield.toposlib.wgs84``), used through :func:`orbital.drag.geodetic_from_itrs`
along the drag stage's tracks; the same ellipsoid's two numbers are below for the
heights a shell flies (:func:`orbital.elements.wgs84_height_km`).
"""

import math

from sgp4.earth_gravity import wgs72 as _wgs72

# --- The Earth ----------------------------------------------------------------------------

#: Earth's equatorial radius used by SGP4, km (WGS-72: 6378.135 km).
EARTH_RADIUS_WGS72_KM: float = _wgs72.radiusearthkm
#: WGS-84 ellipsoid: equatorial radius, km, and inverse flattening (NIMA TR8350.2, 3rd ed.,
#: table 3.1; Skyfield's ``wgs84`` takes the same).
WGS84_EQUATORIAL_RADIUS_KM: float = 6378.137
WGS84_INVERSE_FLATTENING: float = 298.257223563
#: Earth's equatorial radius, km (IERS Conventions 2010, Technical Note 36, table 1.1).
EARTH_RADIUS_IERS_KM: float = 6378.1366
#: Earth's gravitational parameter used by SGP4, km^3/s^2 (WGS-72).
MU_KM3_S2: float = _wgs72.mu
#: Second zonal harmonic used by SGP4 (WGS-72).
J2: float = _wgs72.j2
#: sqrt(mu / R^3) in 1/min, SGP4's unit of mean motion (WGS-72).
XKE_PER_MIN: float = _wgs72.xke
#: Standard acceleration of gravity, m/s^2 (3rd CGPM, 1901), for specific impulse.
G0_M_S2: float = 9.80665

# --- The Sun and the Earth's orbit --------------------------------------------------------

#: Nominal solar radius, km (IAU 2015 Resolution B3).
SUN_RADIUS_KM: float = 695_700.0
#: Astronomical unit, km (IAU 2012 Resolution B2).
AU_KM: float = 149_597_870.7
#: Nominal total solar irradiance at 1 au, W/m^2 (IAU 2015 Resolution B3; Kopp & Lean 2011,
#: GRL 38: L01706, measured 1360.8 +/- 0.5).
SOLAR_CONSTANT_W_M2: float = 1361.0

# --- The Earth's radiation, for radiators ---------------------------------------------------

#: Earth's emitted infrared at the top of the atmosphere, global and annual mean, W/m^2
#: (Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed., section 11.5: 237 +/- 21;
#: Trenberth, Fasullo & Kiehl 2009, BAMS 90: 311, give 239).
EARTH_IR_W_M2: float = 237.0
#: Earth's Bond albedo, global mean (Gilmore, *Spacecraft Thermal Control Handbook*, 2nd ed.,
#: ch. 2, and SMAD section 11.5: 0.30 for preliminary design).
EARTH_ALBEDO: float = 0.30
#: Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018, exact in the 2019 SI).
STEFAN_BOLTZMANN_W_M2_K4: float = 5.670374419e-8

# --- Light and time -----------------------------------------------------------------------

#: Speed of light in vacuum, km/s (exact, SI).
LIGHT_KM_S: float = 299_792.458

SECONDS_PER_DAY: float = 86400.0
#: Julian year, days (IAU): "a year" of operations, station keeping and launches.
JULIAN_YEAR_DAYS: float = 365.25
#: Length of the tropical year, days (IERS Conventions 2010, mean tropical
#: year at J2000).  A sun-synchronous node turns 360 degrees in this time.
TROPICAL_YEAR_DAYS: float = 365.24219
#: Mean motion of the mean Sun, rad/s: one turn a tropical year; a sun-synchronous
#: node turns this fast.
SUN_MEAN_MOTION_RAD_S: float = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * SECONDS_PER_DAY)

#: Julian date of the epoch J2000.0 (2000 January 1, 12 h), the origin of the mean Sun below.
J2000_JD: float = 2_451_545.0
#: Right ascension of the mean Sun, ``alpha = A0 + A1 d + A2 T^2 + A3 T^3`` degrees, with
#: ``d`` days of UT1 from J2000.0 and ``T = d / 36525``: Greenwich mean sidereal time
#: (IAU 1982, Aoki et al. 1982, A&A 105: 359; in degrees as Meeus, *Astronomical
#: Algorithms*, 2nd ed., eq. 12.4) less the hour angle of the mean Sun, UT1 - 12 h, which
#: is how mean solar time is defined.  Referred to the mean equinox of date.
MEAN_SUN_RA_J2000_DEG: float = 280.46061837
MEAN_SUN_RA_RATE_DEG_PER_DAY: float = 0.98564736629
MEAN_SUN_RA_T2_DEG: float = 0.000387933
MEAN_SUN_RA_T3_DEG: float = -1.0 / 38_710_000.0

# --- Limits of the planner --------------------------------------------------------------------

#: Largest satellite number ``Satrec.sgp4init`` accepts (python-sgp4 packs it
#: into the Alpha-5 range); the planner keeps its own ids and passes
#: ``id % (SGP4_MAX_SATNUM + 1)``.
SGP4_MAX_SATNUM: int = 339_999

#: Lowest and highest altitude a shell may have, km.  Below about 150 km a
#: satellite reenters within days; above 2000 km is no longer low Earth orbit
#: (and SGP4's near-Earth branch ends at a 225-minute period).
MIN_ALTITUDE_KM: float = 150.0
MAX_ALTITUDE_KM: float = 2000.0

#: Greatest radius SGP4 may report, as a multiple of the element set's mean
#: semi-major axis at its epoch.  No bound orbit reaches beyond its apoapsis
#: ``a (1 + e) < 2 a`` (the conic equation ``r = a (1 - e^2) / (1 + e cos nu)``;
#: Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., ch. 2);
#: drag only lowers ``a`` and SGP4's periodic terms move the radius by tens of km.
#: Beyond it, SGP4's drag polynomial has run past the decay.
SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS: float = 2.0

#: Days between an element set's epoch and the time it is propagated to beyond
#: which the planner warns.  SGP4's along-track error grows by about 1-3 km a day
#: from the element epoch in low orbit (about 1 km at the epoch; Vallado & Cefola,
#: "Two-line element sets: practice and use", IAC-12.C1.6.12, 2012), so a month away
#: it is tens to about a hundred km: more than the spacing of neighbouring satellites
#: in a dense shell (42 km at 1,000 satellites a plane at 340 km), enough to misplace
#: the laser mesh and the shadow entries by seconds to minutes.
STALE_ELEMENTS_DAYS: float = 30.0

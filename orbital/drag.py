"""Atmospheric drag at 330-350 km: density, drag area, station keeping, decay.

Density comes from NRLMSIS 2.1 through ``pymsis`` with the solar and
geomagnetic indices always given, so nothing is downloaded.  Drag on a
satellite of mass ``m`` and area ``A`` moving at ``v`` through density ``rho``:
``F = 0.5 rho v^2 Cd A`` (Vallado, *Fundamentals of Astrodynamics*, 4th ed.,
eq. 8-28).  Holding the orbit costs that force as thrust; an uncontrolled
circular orbit decays at ``da/dt = -rho Cd (A/m) sqrt(mu a)`` (Vallado eq.
9-63, circular form), integrated here through the density profile.
"""

from dataclasses import dataclass

import numpy as np

from orbital.constants import (
    EARTH_RADIUS_WGS72_KM,
    G0_M_S2,
    JULIAN_YEAR_DAYS,
    MU_KM3_S2,
    SECONDS_PER_DAY,
)

#: Drag coefficient of a flat plate in free molecular flow, the usual design value
#: (Vallado, section 8.6.2: 2.2 for satellites without a measured value).
DEFAULT_DRAG_COEFFICIENT = 2.2
#: Named solar-activity cases: (F10.7 and its 81-day mean in sfu, daily Ap).
#: F10.7 70 / 150 / 250 sfu (solar minimum, mid-cycle, solar maximum) with Ap 4 / 15 / 50
#: (quiet, moderate, active) are the planner's assumption, not a published set
#: (ECSS-E-ST-10-04C pairs a moderate F10.7 of 140 with Ap 15).
SOLAR_ACTIVITY = {"low": (70.0, 4.0), "moderate": (150.0, 15.0), "high": (250.0, 50.0)}
#: NRLMSIS is fitted from the ground to about 1000 km.
MIN_DENSITY_ALTITUDE_KM, MAX_DENSITY_ALTITUDE_KM = 0.0, 1000.0
#: Altitude at which an uncontrolled decay is counted as reentry.
REENTRY_ALTITUDE_KM = 120.0


def check_indices(f107: float, ap: float) -> None:
    if not np.all(np.asarray(f107) > 0):
        raise ValueError(f"f107={f107}: must be a positive solar flux in sfu (quiet Sun is ~70)")
    if not np.all(np.asarray(ap) >= 0):
        raise ValueError(f"ap={ap}: must not be negative (quiet is ~4, a storm 100 or more)")


def density_kg_m3(dates, lat_deg, lon_deg, alt_km, f107: float, ap: float, f107a=None):
    """NRLMSIS 2.1 total mass density, kg/m^3, at broadcast points.

    ``dates`` are numpy datetime64; ``f107`` (and its 81-day mean ``f107a``,
    default the same) in sfu, ``ap`` the daily Ap, used for all points.
    """
    import pymsis

    check_indices(f107, ap)
    alt = np.asarray(alt_km, dtype=float)
    if np.any(alt < MIN_DENSITY_ALTITUDE_KM) or np.any(alt > MAX_DENSITY_ALTITUDE_KM):
        raise ValueError(
            f"altitude {alt.min():.0f}-{alt.max():.0f} km: outside NRLMSIS's "
            f"{MIN_DENSITY_ALTITUDE_KM:.0f}-{MAX_DENSITY_ALTITUDE_KM:.0f} km"
        )
    dates, lat, lon, alt = np.broadcast_arrays(
        np.asarray(dates, dtype="datetime64[s]"), lat_deg, lon_deg, alt
    )
    flat = dates.ravel()
    n = len(flat)
    out = pymsis.calculate(
        flat,
        np.ravel(lon),
        np.ravel(lat),
        np.ravel(alt),
        f107s=np.full(n, float(f107)),
        f107as=np.full(n, float(f107 if f107a is None else f107a)),
        aps=np.full((n, 7), float(ap)),
    )
    return out[..., pymsis.Variable.MASS_DENSITY].reshape(dates.shape)


def geodetic_from_itrs(xyz_km, time):
    """WGS-84 geodetic latitude, longitude (deg) and height (km) of ITRS points, by Skyfield.

    ``xyz_km`` ``(..., n_t, 3)`` km in the ITRS at the Skyfield Time ``time``
    (``(n_t,)``, or a scalar Time for any shape ``(..., 3)``).  Returns three
    arrays of shape ``xyz_km.shape[:-1]``; longitudes in ``[-180, 180)``.

    Skyfield's ``wgs84`` (``skyfield.toposlib``: WGS-84's a = 6378.137 km and
    1/f = 298.257223563, three fixed-point iterations on the latitude) takes a
    geocentric position, so the points become one
    (``Geocentric.from_time_and_frame_vectors``) and Skyfield rotates them
    back into its ITRS, which is the planner's (:mod:`orbital.frames`); the
    rotation there and back costs about 1e-9 km.  One call for all points.
    """
    from skyfield.framelib import itrs
    from skyfield.positionlib import Geocentric
    from skyfield.toposlib import wgs84
    from skyfield.units import Distance, Velocity

    xyz = np.moveaxis(np.asarray(xyz_km, dtype=float), -1, 0)  # (3, ..., n_t)
    position = Geocentric.from_time_and_frame_vectors(
        time, itrs, Distance(km=xyz), Velocity(km_per_s=np.zeros_like(xyz))
    )
    lat, lon = wgs84.latlon_of(position)
    return lat.degrees, lon.degrees, wgs84.height_of(position).km


def circular_speed_m_s(altitude_km):
    """Speed of a circular orbit at ``altitude_km`` above SGP4's Earth radius, m/s, broadcast."""
    return np.sqrt(MU_KM3_S2 / (EARTH_RADIUS_WGS72_KM + np.asarray(altitude_km, dtype=float))) * 1e3


def drag_n_per_tonne(density_kg_m3, area_m2_per_tonne, altitude_km, drag_coefficient):
    """Drag on a tonne of satellite in a circular orbit, N: ``0.5 rho v^2 Cd A``, broadcast."""
    v = circular_speed_m_s(altitude_km)
    return 0.5 * density_kg_m3 * v * v * drag_coefficient * area_m2_per_tonne


@dataclass(frozen=True)
class StationKeeping:
    """What it takes to hold a circular orbit against drag, per tonne of satellite.

    Inputs: ``density_kg_m3`` (orbit mean), ``area_m2_per_tonne`` (mean drag
    area), ``altitude_km``, ``drag_coefficient``, and the thruster:
    ``isp_s``, ``thrust_mn_per_kw`` (thrust per kW of electric power).
    """

    density_kg_m3: float
    area_m2_per_tonne: float
    altitude_km: float
    drag_coefficient: float
    isp_s: float
    thrust_mn_per_kw: float

    @property
    def drag_n_per_tonne(self) -> float:
        return float(
            drag_n_per_tonne(
                self.density_kg_m3, self.area_m2_per_tonne, self.altitude_km, self.drag_coefficient
            )
        )

    @property
    def thrust_mn_per_tonne(self) -> float:
        return self.drag_n_per_tonne * 1e3

    @property
    def dv_m_s_per_year(self) -> float:
        return self.drag_n_per_tonne / 1000.0 * JULIAN_YEAR_DAYS * SECONDS_PER_DAY

    @property
    def thruster_power_kw_per_tonne(self) -> float:
        return self.thrust_mn_per_tonne / self.thrust_mn_per_kw

    @property
    def propellant_kg_per_tonne_year(self) -> float:
        return self.drag_n_per_tonne * JULIAN_YEAR_DAYS * SECONDS_PER_DAY / (self.isp_s * G0_M_S2)


def decay_days(
    altitude_km: float,
    ballistic_m2_per_kg: float,
    density_at_km,
    *,
    reentry_km: float = REENTRY_ALTITUDE_KM,
    step_km: float = 0.5,
) -> float:
    """Days for a circular orbit to decay from ``altitude_km`` to ``reentry_km``.

    ``ballistic_m2_per_kg`` is ``Cd * A / m``; ``density_at_km(h)`` returns the
    orbit-mean density (kg/m^3) at altitudes ``h`` (array).  Integrates
    ``dt = dh / |dh/dt|`` with ``dh/dt = -rho (Cd A/m) sqrt(mu a)`` over small
    altitude steps, density log-linear within each step (midpoint in log).
    """
    if not ballistic_m2_per_kg > 0:
        raise ValueError(f"ballistic coefficient {ballistic_m2_per_kg}: must be positive")
    if altitude_km <= reentry_km:
        return 0.0
    edges = np.arange(reentry_km, altitude_km + step_km * 0.5, step_km)
    edges[-1] = altitude_km
    mids = 0.5 * (edges[:-1] + edges[1:])
    rho = np.asarray(density_at_km(mids), dtype=float)
    a_m = (EARTH_RADIUS_WGS72_KM + mids) * 1e3
    rate_m_s = rho * ballistic_m2_per_kg * np.sqrt(MU_KM3_S2 * 1e9 * a_m)
    seconds = np.sum(np.diff(edges) * 1e3 / rate_m_s)
    return float(seconds / SECONDS_PER_DAY)


def descent_days_lower_bound(
    from_km: float, to_km: float, ballistic_m2_per_kg: float, density_upper_kg_m3: float
) -> float:
    """Fewest days a circular orbit can take to decay from ``from_km`` down to ``to_km``.

    With the orbit-mean density everywhere between them at most
    ``density_upper_kg_m3`` (true when that is the density at ``to_km``, since
    density falls with height), ``|da/dt| = rho (Cd A/m) sqrt(mu a)`` is at most
    its value with that density at ``from_km``; the descent takes at least the
    height difference over that rate (Vallado eq. 9-63, circular form).
    ``ballistic_m2_per_kg`` is ``Cd * A / m``.
    """
    if from_km <= to_km:
        return 0.0
    a_m = (EARTH_RADIUS_WGS72_KM + from_km) * 1e3
    rate_m_s = density_upper_kg_m3 * ballistic_m2_per_kg * np.sqrt(MU_KM3_S2 * 1e9 * a_m)
    return float((from_km - to_km) * 1e3 / rate_m_s / SECONDS_PER_DAY)

"""Drag for the designs: density along each shell, attitude-aware area, station keeping.

The orbit-mean density of a shell averages NRLMSIS over a day of the
satellites' own track (latitude, longitude, local time) for up to
:data:`SAMPLED_PLANES` planes spread over its nodes.  The drag area per tonne
follows the attitude: sun-tracking arrays present ``A |s . v|`` to the flow,
``(2/pi) cos(beta)`` of their area on average over an orbit, so nearly nothing
in a dawn-dusk orbit and much more in a 53-degree shell; radiators present
the share their attitude gives; the body a fixed area per tonne.
"""

from dataclasses import asdict, dataclass

import numpy as np

from constellations.model.drag import THRUSTERS, DragDesign
from constellations.stages.resolve import ResolvedShell
from orbital.attitude import array_flow_factor, radiator_flow_factor
from orbital.constants import JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.drag import (
    StationKeeping,
    decay_days,
    density_kg_m3,
    geodetic_from_itrs,
)

#: Planes whose tracks are sampled per shell (spread over its nodes).
SAMPLED_PLANES = 4
#: Track sampling: one day at 10-minute steps covers every local time an inclined plane
#: passes in a day and all longitudes.
TRACK_STEP_S = 600.0
#: Altitudes of the density profile used for uncontrolled decay, km step.
PROFILE_STEP_KM = 10.0


def _track(resolved: ResolvedShell, epoch):
    """Dates, geodetic latitude, longitude (deg) and height (km) of sampled satellites.

    One satellite in each of up to :data:`SAMPLED_PLANES` planes over a day
    from ``epoch`` at :data:`TRACK_STEP_S`; arrays ``(n_planes, n_t)``, the
    geodetic coordinates from Skyfield's WGS-84 (:func:`orbital.drag.geodetic_from_itrs`).
    """
    from orbital.propagation import CircularWalker, collect, propagate_walker
    from orbital.times import TimeGrid, builtin_timescale

    walker = resolved.walker
    planes = np.unique(np.linspace(0, walker.planes - 1, SAMPLED_PLANES).round().astype(int))
    sample = CircularWalker(
        epoch=walker.epoch,
        no_kozai_rad_min=walker.no_kozai_rad_min,
        inclination_rad=walker.inclination_rad,
        raan_rad=walker.raan_rad[planes],
        sats_per_plane=1,
        phasing=0,
        bstar=0.0,
    )
    grid = TimeGrid.uniform(epoch, SECONDS_PER_DAY - TRACK_STEP_S, TRACK_STEP_S)
    ts = builtin_timescale()
    xyz = collect(propagate_walker(sample, grid, frame="itrs", ts=ts), sample.n_sats, len(grid))
    lat, lon, height = geodetic_from_itrs(xyz, grid.skyfield(ts))
    start = np.datetime64(epoch.replace(tzinfo=None), "s")
    dates = start + (grid.t_s * 1e3).astype("timedelta64[ms]")
    return np.broadcast_to(dates, lat.shape), lat, lon, height


def drag_area_m2_per_tonne(sizing: dict, radiator_attitude: str, beta_deg, body_m2_per_tonne):
    """Orbit- and year-mean area per tonne facing the flow, m^2.

    The arrays' and radiators' shares follow their attitudes
    (:func:`orbital.attitude.array_flow_factor`,
    :func:`orbital.attitude.radiator_flow_factor`) over the beta angles ``beta_deg``.
    """
    return (
        sizing["array_m2_per_tonne"] * array_flow_factor(beta_deg)
        + sizing["radiator_m2_per_tonne"] * radiator_flow_factor(radiator_attitude, beta_deg)
        + body_m2_per_tonne
    )


@dataclass(frozen=True, eq=False)
class ShellAtmosphere:
    """Orbit-mean density of a shell per activity case, and its profile down to reentry."""

    altitude_km: float
    cases: dict  # name -> (f107, ap)
    density_kg_m3: dict  # name -> orbit-mean density at the shell
    profile_km: np.ndarray
    profile_kg_m3: dict  # name -> orbit-mean density at profile_km

    @classmethod
    def of(cls, resolved: ResolvedShell, epoch, drag: "DragDesign") -> "ShellAtmosphere":
        dates, lat, lon, height = _track(resolved, epoch)
        altitude_km = resolved.shell.altitude_km
        profile_km = np.arange(100.0, altitude_km + PROFILE_STEP_KM, PROFILE_STEP_KM)
        # The track moved up or down as a whole: at the shell's altitude it is the track itself
        # (geodetic heights run above the mean altitude where the ellipsoid dips to the poles).
        levels = height[None] + (profile_km - altitude_km)[:, None, None]
        density, profiles = {}, {}
        for name, (f107, ap) in drag.cases().items():
            density[name] = float(np.mean(density_kg_m3(dates, lat, lon, height, f107, ap)))
            at_levels = density_kg_m3(dates[None], lat[None], lon[None], levels, f107, ap)
            profiles[name] = at_levels.reshape(len(profile_km), -1).mean(axis=1)
        return cls(altitude_km, drag.cases(), density, profile_km, profiles)

    def density_at(self, case: str):
        log_profile = np.log(self.profile_kg_m3[case])
        return lambda h: np.exp(np.interp(h, self.profile_km, log_profile))


def shell_drag(atmosphere: ShellAtmosphere, area_m2_per_tonne: float, drag: "DragDesign") -> dict:
    """The plan JSON's ``drag`` for one shell: every activity case, a storm, the thruster."""
    thruster = THRUSTERS[drag.thruster]
    cases = {}
    for name, (f107, ap) in atmosphere.cases.items():
        keeping = StationKeeping(
            atmosphere.density_kg_m3[name],
            area_m2_per_tonne,
            atmosphere.altitude_km,
            drag.drag_coefficient,
            thruster.isp_s,
            thruster.thrust_mn_per_kw,
        )
        cases[name] = {
            "f107": f107,
            "ap": ap,
            "density_kg_m3": atmosphere.density_kg_m3[name],
            "drag_area_m2_per_tonne": area_m2_per_tonne,
            "dv_m_s_per_year": keeping.dv_m_s_per_year,
            "thrust_mn_per_tonne": keeping.thrust_mn_per_tonne,
            "thruster_power_kw_per_tonne": keeping.thruster_power_kw_per_tonne,
            "propellant_kg_per_tonne_year": keeping.propellant_kg_per_tonne_year,
            "lifetime_days_uncontrolled": decay_days(
                atmosphere.altitude_km,
                drag.drag_coefficient * area_m2_per_tonne / 1000.0,
                atmosphere.density_at(name),
            ),
        }
    high = cases["high"]
    extra = (
        (drag.storm_density_factor - 1.0) * drag.storm_hours_per_year / (JULIAN_YEAR_DAYS * 24.0)
    )
    storm = {
        "density_factor": drag.storm_density_factor,
        "hours_per_year": drag.storm_hours_per_year,
        "peak_thrust_mn_per_tonne": high["thrust_mn_per_tonne"] * drag.storm_density_factor,
        "extra_dv_m_s_per_year": high["dv_m_s_per_year"] * extra,
        "extra_propellant_kg_per_tonne_year": high["propellant_kg_per_tonne_year"] * extra,
    }
    return {
        "cases": cases,
        "storm": storm,
        "thruster": asdict(thruster),
        "drag_coefficient": drag.drag_coefficient,
    }


def propulsion_demand(drag_record: dict) -> dict:
    """What the sizing takes from the drag: power for solar maximum, propellant for the mean.

    Thrusters are sized to hold the orbit through the high-activity case; the
    propellant budget is the moderate case (a design life spans a solar cycle)
    plus the storms, carried at the high case's rates.
    """
    cases, storm = drag_record["cases"], drag_record["storm"]
    return {
        "propulsion_power_w_per_tonne": cases["high"]["thruster_power_kw_per_tonne"] * 1000.0,
        "propellant_kg_per_tonne_year": cases["moderate"]["propellant_kg_per_tonne_year"]
        + storm["extra_propellant_kg_per_tonne_year"],
    }

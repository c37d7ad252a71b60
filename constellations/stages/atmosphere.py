"""Drag for the designs: density along each shell, attitude-aware area, station keeping.

The orbit-mean density of a shell averages NRLMSIS over a day of the
satellites' own track (latitude, longitude, local time) for up to
:data:`SAMPLED_PLANES` planes spread over its nodes.  The drag area per tonne
follows the attitude: sun-tracking arrays present ``A |s . v|`` to the flow,
``(2/pi) cos(beta)`` of their area on average over an orbit, so nearly nothing
in a dawn-dusk orbit and much more in a 53-degree shell; radiators present
the share their attitude gives; the body a fixed area per tonne.
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.drag import THRUSTERS, DragDesign, Thruster
from constellations.stages.outcomes import OutOfRange
from constellations.stages.resolve import ResolvedShell
from orbital.attitude import array_flow_factor, radiator_flow_factor
from orbital.constants import JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.drag import (
    MAX_DENSITY_ALTITUDE_KM,
    MIN_DENSITY_ALTITUDE_KM,
    StationKeeping,
    decay_days,
    density_kg_m3,
    descent_days_lower_bound,
    geodetic_from_itrs,
)
from orbital.drag_closure import storm_share

#: Planes whose tracks are sampled per shell (spread over its nodes).
SAMPLED_PLANES = 4
#: Track sampling: one day at 10-minute steps covers every local time an inclined plane
#: passes in a day and all longitudes.
TRACK_STEP_S = 600.0
#: Altitudes of the density profile used for uncontrolled decay, km step.
PROFILE_STEP_KM = 10.0
#: The profile averages every second point of the track (20-minute steps): it halves
#: NRLMSIS's work, which dominates ``drag``, and moves the uncontrolled lifetimes by at
#: most 0.4 % on the shipped shells (tests/stages/test_atmosphere.py bounds it at 1 %
#: against the whole track), far inside the model's own uncertainty.
PROFILE_TRACK_STRIDE = 2
#: A shell whose decay profile below comes from a shared one (the bands of one orbit
#: family, :func:`constellations.stages.band_environment.family_profile`) takes its top
#: this many km from its own track: the decay spends most of its time there, where the
#: air is thinnest (density falls about e-fold every 50-70 km), and its own track's local
#: times set the level.  Below, the shared profile times the ratio of the two, taken where
#: they meet and :data:`ANCHOR_DEPTH_KM` lower (one more level of the shell's own), log-linear
#: between: the tracks' local times and inclinations change the scale height, not only the
#: level.  Measured on the bands of tests/stages/test_band_environment.py: the lifetime
#: within 0.65 % of the shell's own profile (anchors 80 or 250 km below: 0.66 %, 0.60 %);
#: on blue-origin-sunrise (nodes up to 1.7 h of local time from the shared track) within
#: 2.3 % (3.8 % with the ratio at the meeting level alone), at a sixth of the work of
#: every node's own profile.
OWN_PROFILE_SPAN_KM = 60.0
#: See :data:`OWN_PROFILE_SPAN_KM`.
ANCHOR_DEPTH_KM = 150.0


def shell_track(resolved: ResolvedShell, epoch):
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
    # The UTC of each instant, as SGP4 is given it (leap seconds counted).  numpy's dates have
    # no second 60: a leap-second epoch starts them at 23:59:59 (its .datetime, 23:59:59.999999,
    # cut to the second), half a second before SGP4's 23:59:59.5, for the space weather.
    start = np.datetime64(grid.epoch.datetime.replace(tzinfo=None), "s")
    dates = start + (grid.epoch.sgp4_offsets_s(grid.t_s) * 1e3).astype("timedelta64[ms]")
    return np.broadcast_to(dates, lat.shape), lat, lon, height


def drag_area_m2_per_tonne(
    array_m2_per_tonne: float,
    radiator_m2_per_tonne: float,
    radiator_attitude: str,
    beta_deg,
    body_m2_per_tonne: float,
) -> float:
    """Orbit- and year-mean area per tonne facing the flow, m^2.

    The arrays' and radiators' shares follow their attitudes
    (:func:`orbital.attitude.array_flow_factor`,
    :func:`orbital.attitude.radiator_flow_factor`) over the beta angles ``beta_deg`` (any
    shape).
    """
    return flow_area_m2_per_tonne(
        array_m2_per_tonne,
        radiator_m2_per_tonne,
        array_flow_factor(beta_deg),
        radiator_flow_factor(radiator_attitude, beta_deg),
        body_m2_per_tonne,
    )


def flow_area_m2_per_tonne(
    array_m2_per_tonne: float,
    radiator_m2_per_tonne: float,
    array_share: float,
    radiator_share: float,
    body_m2_per_tonne: float,
) -> float:
    """Area per tonne facing the flow, m^2, from the shares of array and radiator area that
    face it (the flow factors of their attitudes) and the body's own area."""
    return (
        array_m2_per_tonne * array_share
        + radiator_m2_per_tonne * radiator_share
        + body_m2_per_tonne
    )


@dataclass(frozen=True, eq=False)
class ShellAtmosphere:
    """Orbit-mean density of a shell per activity case, and its profile down to reentry.

    ``cases`` maps each activity case to its ``(f107, ap)``; ``density_kg_m3``
    each case to the orbit-mean density at the shell; ``profile_kg_m3`` each
    case to the orbit-mean density at ``profile_km`` (``(n_levels,)``), from
    100 km up to the shell.
    """

    altitude_km: float
    cases: dict
    density_kg_m3: dict
    profile_km: np.ndarray
    profile_kg_m3: dict

    @classmethod
    def of(cls, resolved: ResolvedShell, epoch, drag: DragDesign) -> "ShellAtmosphere":
        """The shell's atmosphere; ``ValueError`` when its track leaves NRLMSIS's range."""
        atmosphere = shell_atmosphere(resolved, epoch, drag)
        if isinstance(atmosphere, AboveModel):
            raise ValueError(atmosphere.out_of_range.message)
        return atmosphere

    def density_at(self, case: str):
        log_profile = np.log(self.profile_kg_m3[case])
        return lambda h: np.exp(np.interp(h, self.profile_km, log_profile))


@dataclass(frozen=True, eq=False)
class AboveModel:
    """A shell whose track climbs above NRLMSIS's fitted range.

    ``ceiling`` is the atmosphere along the same track lowered until its
    highest point sits at the model's 1,000 km: the densest air the real orbit
    can meet (density falls with height), so drag there bounds the real drag
    from above and the decay from there bounds the lifetime from below.
    """

    out_of_range: OutOfRange
    ceiling: ShellAtmosphere
    altitude_km: float


def shell_atmosphere(
    resolved: ResolvedShell, epoch, drag: DragDesign
) -> "ShellAtmosphere | AboveModel":
    """NRLMSIS along a day of the shell's own track, or its bounds above the model's range.

    A shell whose track climbs above NRLMSIS's fitted range (1,000 km) gets an
    :class:`AboveModel`: drag is taken as negligible, with its upper bound and
    the lifetime's lower bound from the model's ceiling.
    """
    return atmosphere_along(resolved.shell.altitude_km, shell_track(resolved, epoch), drag)


def atmosphere_along(
    altitude_km: float, track: tuple, drag: DragDesign, shared: "DecayProfile | None" = None
) -> "ShellAtmosphere | AboveModel":
    """:func:`shell_atmosphere` of a shell at ``altitude_km`` from its track, the
    ``(dates, lat, lon, height)`` arrays ``(n_planes, n_t)`` of :func:`shell_track`.

    ``shared``, a :class:`DecayProfile` reaching the shell's top level (its altitude, or
    the ceiling above the model) with that level among its own, gives the decay profile
    instead of the shell's own track (the orbit-mean densities stay the track's own).
    """
    dates, lat, lon, height = track
    top_km = float(np.max(height))
    if top_km <= MAX_DENSITY_ALTITUDE_KM:
        return _atmosphere(dates, lat, lon, height, altitude_km, drag, shared=shared)
    ceiling_km = profile_top_km(altitude_km, track)
    lowered_km = altitude_km - ceiling_km
    ceiling = _atmosphere(dates, lat, lon, height - lowered_km, ceiling_km, drag, shared=shared)
    return AboveModel(_above_msis(top_km), ceiling, altitude_km)


def profile_top_km(altitude_km: float, track: tuple) -> float:
    """The highest level of the decay profile of a shell at ``altitude_km`` with ``track``
    (:func:`shell_track`): its altitude, or the ceiling (the altitude lowered until the
    track's highest point sits at NRLMSIS's 1,000 km) when the track climbs above it."""
    return float(altitude_km - max(0.0, float(np.max(track[3])) - MAX_DENSITY_ALTITUDE_KM))


def levels_up_to(top_km: float) -> np.ndarray:
    """Profile levels every :data:`PROFILE_STEP_KM` from 100 km, ending at ``top_km`` itself."""
    levels = np.arange(100.0, top_km, PROFILE_STEP_KM)
    return np.append(levels[levels < top_km - 1e-9], top_km)


@dataclass(frozen=True, eq=False)
class DecayProfile:
    """Orbit-mean density of each activity case at rising levels ``profile_km``
    ``(n_levels,)`` from 100 km, along one track moved up or down as a whole
    (:func:`decay_profile`); shells of one orbit family read theirs from one."""

    profile_km: np.ndarray
    profile_kg_m3: dict

    def up_to(self, top_km: float) -> tuple[np.ndarray, dict]:
        """The levels of :func:`levels_up_to` ``(top_km)`` and each case's density there;
        ``ValueError`` when ``top_km`` is not among the levels."""
        keep = self.profile_km < top_km - 1e-9
        at = np.flatnonzero(np.abs(self.profile_km - top_km) <= 1e-9)
        if not len(at):
            raise ValueError(f"the shared decay profile has no level at {top_km} km")
        index = np.append(np.flatnonzero(keep), at[0])
        return self.profile_km[index], {k: v[index] for k, v in self.profile_kg_m3.items()}


def decay_profile(track: tuple, altitude_km: float, profile_km, drag: DragDesign) -> DecayProfile:
    """The orbit-mean density of each of ``drag``'s activity cases at ``profile_km``
    (rising, km): the track (``(dates, lat, lon, height)`` of a shell at ``altitude_km``)
    moved up or down as a whole to each level, every :data:`PROFILE_TRACK_STRIDE`-th step.
    Raises ValueError where a moved track leaves NRLMSIS's range."""
    dates, lat, lon, height = track
    profile_km = np.asarray(profile_km, dtype=float)
    # The track moved up or down as a whole: at the shell's altitude it is the track itself
    # (geodetic heights run above the mean altitude where the ellipsoid dips to the poles).
    every = (slice(None), slice(None, None, PROFILE_TRACK_STRIDE))
    levels = height[every][None] + (profile_km - altitude_km)[:, None, None]
    profiles = {}
    for name, (f107, ap) in drag.cases().items():
        at_levels = density_kg_m3(
            dates[every][None], lat[every][None], lon[every][None], levels, f107, ap
        )
        profiles[name] = at_levels.reshape(len(profile_km), -1).mean(axis=1)
    return DecayProfile(profile_km, profiles)


def own_levels_from_km(top_km: float) -> float:
    """The lowest level of a shell's decay profile that its own track gives when the rest
    comes from a shared :class:`DecayProfile`: the highest 10 km level at least
    :data:`OWN_PROFILE_SPAN_KM` below its top ``top_km``, or 100 km."""
    levels = np.arange(100.0, top_km - OWN_PROFILE_SPAN_KM + 1e-9, PROFILE_STEP_KM)
    return float(levels[-1]) if len(levels) else 100.0


def _atmosphere(
    dates, lat, lon, height, altitude_km: float, drag: DragDesign, shared=None
) -> ShellAtmosphere:
    # Ending at the shell itself: a level a step above it could leave the model's range.
    profile_km = levels_up_to(altitude_km)
    track = (dates, lat, lon, height)
    if shared is None:
        profiles = decay_profile(track, altitude_km, profile_km, drag).profile_kg_m3
    else:
        # The top of the profile, where the decay spends most of its time, from the track
        # itself; below, the shared profile times the two's ratio, which is taken where
        # they meet and at one level ANCHOR_DEPTH_KM lower, log-linear between them (the
        # tracks' local times and inclinations change the scale height, not only the
        # level) and held below.
        junction_km = own_levels_from_km(altitude_km)
        own = profile_km >= junction_km - 1e-9
        below_km, below = shared.up_to(junction_km)
        if not np.array_equal(below_km[:-1], profile_km[~own]):
            raise RuntimeError("a bug: the shared decay profile's levels are not the shell's")
        anchor = int(np.argmin(np.abs(below_km - max(100.0, junction_km - ANCHOR_DEPTH_KM))))
        levels = np.append(below_km[anchor], profile_km[own])
        top = decay_profile(track, altitude_km, levels, drag).profile_kg_m3
        span_km = junction_km - below_km[anchor]
        w = np.clip((below_km[:-1] - below_km[anchor]) / span_km, 0.0, 1.0) if span_km else 1.0
        profiles = {}
        for case, values in top.items():
            log_low = np.log(values[0] / below[case][anchor])
            log_high = np.log(values[1] / below[case][-1])
            ratio = np.exp(log_low + w * (log_high - log_low))
            profiles[case] = np.concatenate([below[case][:-1] * ratio, values[1:]])
    density = {
        name: float(np.mean(density_kg_m3(dates, lat, lon, height, f107, ap)))
        for name, (f107, ap) in drag.cases().items()
    }
    return ShellAtmosphere(altitude_km, drag.cases(), density, profile_km, profiles)


def _above_msis(top_km: float) -> OutOfRange:
    return OutOfRange(
        model="NRLMSIS 2.1",
        quantity="altitude_km",
        value=top_km,
        valid=(MIN_DENSITY_ALTITUDE_KM, MAX_DENSITY_ALTITUDE_KM),
        taken_as="drag taken as negligible (no station keeping budgeted); each activity case "
        "gives the most drag could be, from the model's 1,000 km ceiling, and the least time "
        "an uncontrolled satellite stays up",
    )


@dataclass(frozen=True)
class DragCase:
    """Station keeping in one solar-activity case, per tonne of satellite.

    Indices ``f107`` (sfu) and ``ap``; the orbit-mean density; the drag area
    facing the flow; the make-up delta-v a year; the thrust and thruster power
    that hold the orbit; the propellant a year; and the days an uncontrolled
    satellite takes to reenter.
    """

    name: str
    f107: float
    ap: float
    density_kg_m3: float
    drag_area_m2_per_tonne: float
    dv_m_s_per_year: float
    thrust_mn_per_tonne: float
    thruster_power_kw_per_tonne: float
    propellant_kg_per_tonne_year: float
    lifetime_days_uncontrolled: float


@dataclass(frozen=True)
class StormAllowance:
    """A storm's extra drag: the high case's density times ``density_factor`` for some hours."""

    density_factor: float
    hours_per_year: float
    peak_thrust_mn_per_tonne: float
    extra_dv_m_s_per_year: float
    extra_propellant_kg_per_tonne_year: float


@dataclass(frozen=True)
class PropulsionDemand:
    """What the sizing takes from the drag, per tonne: thruster power (W) and propellant a year."""

    propulsion_power_w_per_tonne: float
    propellant_kg_per_tonne_year: float


@dataclass(frozen=True)
class ShellDrag:
    """Drag on one shell: every activity case, a storm allowance and the thruster.

    When the shell flies above the density model's range, ``out_of_range``
    says so, the propulsion demand is zero (drag taken as negligible), and
    each case holds bounds from the model's ceiling (``bound_altitude_km``):
    station keeping at most its figures, the uncontrolled lifetime at least
    its days.
    """

    cases: tuple[DragCase, ...]
    storm: StormAllowance | None
    thruster: Thruster
    drag_coefficient: float
    out_of_range: OutOfRange | None = None
    bound_altitude_km: float | None = None

    def case(self, name: str) -> DragCase:
        """The activity case called ``name``: low, moderate, high or custom."""
        for case in self.cases:
            if case.name == name:
                return case
        raise KeyError(name)

    @property
    def uncontrolled_lifetime_beyond_years(self) -> float | None:
        """Above the density model: the least uncontrolled lifetime of any case, years."""
        if self.out_of_range is None:
            return None
        return min(c.lifetime_days_uncontrolled for c in self.cases) / JULIAN_YEAR_DAYS

    def propulsion_demand(self) -> PropulsionDemand:
        """Power for solar maximum, propellant for the mission's mean activity.

        Thrusters are sized to hold the orbit through the denser of the high
        and the custom activity cases; the propellant budget is the mean
        activity (the custom case when the scenario gives one, the moderate
        case otherwise: a design life spans a solar cycle) plus the storms,
        carried at the high case's rates (:func:`demand_cases`).
        """
        if self.out_of_range is not None:
            return PropulsionDemand(0.0, 0.0)
        thrust, mean = demand_cases({c.name: c.density_kg_m3 for c in self.cases})
        return PropulsionDemand(
            self.case(thrust).thruster_power_kw_per_tonne * 1000.0,
            self.case(mean).propellant_kg_per_tonne_year
            + self.storm.extra_propellant_kg_per_tonne_year,
        )


#: The activity cases by role: the storms' and the thrusters' (solar maximum), the mean's
#: default, and the scenario's own (``[drag]`` f107 and ap).
HIGH, MODERATE, CUSTOM = "high", "moderate", "custom"


def demand_cases(density_kg_m3: dict) -> tuple[str, str]:
    """The activity cases that size the propulsion: ``(thrusters, propellant)``.

    ``density_kg_m3`` maps each case (low, moderate, high and perhaps custom)
    to its orbit-mean density.  A scenario's custom case (``[drag]`` f107 and
    ap) is the mission's mean activity: it budgets the propellant instead of
    the moderate case, and sizes the thrusters when it is denser than the high
    case.  The storms always take the high case's rates.
    """
    if CUSTOM not in density_kg_m3:
        return HIGH, MODERATE
    denser = CUSTOM if density_kg_m3[CUSTOM] > density_kg_m3[HIGH] else HIGH
    return denser, CUSTOM


@dataclass(frozen=True)
class DemandDensities:
    """The orbit-mean densities (kg/m^3) that size the thrusters, budget the propellant and
    carry the storms (:func:`demand_cases`)."""

    thrust_kg_m3: float
    mean_kg_m3: float
    storm_kg_m3: float


def demand_densities(atmosphere: "ShellAtmosphere | AboveModel") -> DemandDensities:
    """The densities that size the propulsion, by role: the inputs of
    :func:`orbital.drag_closure.close_with_drag_batch`.  Zero above the density
    model's range, where drag is taken as negligible."""
    if isinstance(atmosphere, AboveModel):
        return DemandDensities(0.0, 0.0, 0.0)
    thrust, mean = demand_cases(atmosphere.density_kg_m3)
    density = atmosphere.density_kg_m3
    return DemandDensities(density[thrust], density[mean], density[HIGH])


def mean_case(atmosphere: "ShellAtmosphere | AboveModel") -> str:
    """The activity case that stands for the mission's mean: custom if given, else moderate."""
    cases = (atmosphere.ceiling if isinstance(atmosphere, AboveModel) else atmosphere).cases
    return CUSTOM if CUSTOM in cases else MODERATE


def unit_ballistic_lifetime_days(atmosphere: "ShellAtmosphere | AboveModel") -> dict:
    """Uncontrolled lifetime times the ballistic coefficient, per activity case, days m^2/kg.

    The decay rate is proportional to ``B = Cd A / m`` (:func:`orbital.drag.decay_days`,
    :func:`orbital.drag.descent_days_lower_bound`), so the lifetime is exactly
    this over ``B``: a batch of satellites gets
    ``lifetime_days = value / (Cd * area_m2_per_tonne / 1000)``.
    """
    above = atmosphere if isinstance(atmosphere, AboveModel) else None
    profile = above.ceiling if above is not None else atmosphere
    return {name: _lifetime_days(profile, name, 1.0, above) for name in profile.cases}


def shell_drag(
    atmosphere: "ShellAtmosphere | AboveModel",
    area_m2_per_tonne: float,
    drag: DragDesign,
    *,
    lifetimes: bool = True,
) -> ShellDrag:
    """Station keeping of one shell in every activity case, a storm, the thruster.

    ``lifetimes=False`` leaves the uncontrolled lifetimes NaN (an integration
    through the density profile per case), for loops that need only the
    propulsion demand.
    """
    thruster = THRUSTERS[drag.thruster]
    above = atmosphere if isinstance(atmosphere, AboveModel) else None
    if above is not None:
        atmosphere = above.ceiling
    ballistic_m2_per_kg = drag.drag_coefficient * area_m2_per_tonne / 1000.0
    cases = []
    for name, (f107, ap) in atmosphere.cases.items():
        keeping = StationKeeping(
            atmosphere.density_kg_m3[name],
            area_m2_per_tonne,
            atmosphere.altitude_km,
            drag.drag_coefficient,
            thruster.isp_s,
            thruster.thrust_mn_per_kw,
        )
        cases.append(
            DragCase(
                name=name,
                f107=f107,
                ap=ap,
                density_kg_m3=atmosphere.density_kg_m3[name],
                drag_area_m2_per_tonne=area_m2_per_tonne,
                dv_m_s_per_year=keeping.dv_m_s_per_year,
                thrust_mn_per_tonne=keeping.thrust_mn_per_tonne,
                thruster_power_kw_per_tonne=keeping.thruster_power_kw_per_tonne,
                propellant_kg_per_tonne_year=keeping.propellant_kg_per_tonne_year,
                lifetime_days_uncontrolled=_lifetime_days(
                    atmosphere, name, ballistic_m2_per_kg, above
                )
                if lifetimes
                else float("nan"),
            )
        )
    high = next(c for c in cases if c.name == "high")
    extra = float(storm_share(drag.storm_density_factor, drag.storm_hours_per_year))
    storm = StormAllowance(
        density_factor=drag.storm_density_factor,
        hours_per_year=drag.storm_hours_per_year,
        peak_thrust_mn_per_tonne=high.thrust_mn_per_tonne * drag.storm_density_factor,
        extra_dv_m_s_per_year=high.dv_m_s_per_year * extra,
        extra_propellant_kg_per_tonne_year=high.propellant_kg_per_tonne_year * extra,
    )
    if above is None:
        return ShellDrag(tuple(cases), storm, thruster, drag.drag_coefficient)
    return ShellDrag(
        tuple(cases),
        storm,
        thruster,
        drag.drag_coefficient,
        out_of_range=above.out_of_range,
        bound_altitude_km=above.ceiling.altitude_km,
    )


def _lifetime_days(atmosphere, case: str, ballistic_m2_per_kg: float, above) -> float:
    """Days to reenter; above the model, the least: the descent to its ceiling at the
    ceiling's density, then the decay from there."""
    days = decay_days(atmosphere.altitude_km, ballistic_m2_per_kg, atmosphere.density_at(case))
    if above is not None:
        days += descent_days_lower_bound(
            above.altitude_km,
            atmosphere.altitude_km,
            ballistic_m2_per_kg,
            atmosphere.density_kg_m3[case],
        )
    return days

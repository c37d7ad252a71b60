"""Close formations in the plan: members' positions, mutual shading, drift, safety, cluster mesh.

A formation flies as a one-plane shell (:meth:`constellations.model.constellation.Shell.
from_formation`): sunlight, radiation, sizing with drag, cadence and cost treat it as one,
with its members as the satellites.  This module supplies what a Walker pattern cannot:

* positions: each cluster's chief from SGP4 (a one-plane Walker of ``clusters`` satellites
  on the reference orbit, so clusters are spaced evenly along it) plus the members'
  mean relative orbits (:func:`member_offsets_m`, :mod:`orbital.formation_propagation`),
  with the states that fly them in the true J2 field (:func:`member_states_teme`);
* the shaded fraction of the arrays the sizing finds (:func:`shading_geometry`,
  :func:`shading_fixed_point`), which the sizing takes as a loss of array power;
* the stage's figures (:func:`formation_figures`): separations over an orbit, the drift
  of a ballistic-coefficient mismatch at each solar-activity case's NRLMSIS density (the
  closure's atmosphere), station keeping, the first approach closer than keep-out without
  control, and the cluster's own mesh (:mod:`constellations.stages.network`).
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

from orbital.constants import G0_M_S2

#: Samples an orbit for the separations and the shading; 96 is the planner's one-orbit grid.
SAMPLES_PER_ORBIT = 96
#: Samples an orbit in the search for the first approach without control (the separation
#: changes by at most the members' relative speed, about 0.2 m/s at 200 m, times a step:
#: 24 m at 48 samples of a 98-minute orbit) and its horizon, days.
APPROACH_SAMPLES_PER_ORBIT = 48
APPROACH_HORIZON_DAYS = 30.0
#: Seed of the members' ballistic-coefficient draws (normal, sigma = the mismatch).
MISMATCH_SEED = 0
#: Months sampled over the year for the worst orbit-mean shading.
SHADING_MONTHS = 12
#: The fixed point of array sizing and shading: passes stop when the worst month's shaded
#: fraction moves by at most 1e-3 (0.1 % of the array's power, below the sizing's other
#: margins), at most 5 sizings after the first.
SHADING_TOLERANCE = 1e-3
SHADING_ITERATIONS = 5


def is_formation(resolved) -> bool:
    """True when a :class:`~constellations.stages.resolve.ResolvedShell` is a formation's."""
    return resolved.shell.formation is not None


def chief_satrecs(resolved) -> list:
    """The clusters' chiefs as SGP4 ``Satrec``: a one-plane Walker of ``clusters``
    satellites on the formation's reference orbit (argument of latitude ``2 pi k / clusters``
    at the epoch)."""
    formation = resolved.shell.formation
    walker = dataclasses.replace(resolved.walker, sats_per_plane=formation.clusters, phasing=0)
    return [walker.satrec(k) for k in range(formation.clusters)]


def member_offsets_m(formation, t_s) -> np.ndarray:
    """The members' LVLH offsets ``(n_members, n_t, 3)`` m at ``t_s`` s from the epoch: their
    mean relative orbits about a chief of mean semi-major axis ``radius_m`` (SGP4's, the
    planner's chief; :func:`orbital.formation.lattice_positions_m`), which the states of
    :func:`member_states_teme` fly in the true J2 field."""
    from orbital.formation import lattice_positions_m

    if formation.lattice == "3d":  # Schweighart-Sedwick's closed form of its design states
        from orbital.relative_motion import relative_positions_m

        return relative_positions_m(
            formation.relative_states(),
            np.asarray(t_s, dtype=float),
            formation.radius_m,
            np.radians(formation.inclination_flown_deg),
        )
    return lattice_positions_m(
        formation.lattice_points_m(),
        np.asarray(t_s, dtype=float),
        formation.radius_m,
        np.radians(formation.inclination_flown_deg),
    )


def member_states_teme(resolved) -> np.ndarray:
    """Every member's state to fly at the epoch, ``(n_sat, 6)``: TEME km and km/s, indices
    as :func:`formation_chunks`.

    Each chief's is SGP4's; a member's is its chief's plus its
    :func:`orbital.formation.lattice_flown_states` about that chief (so each cluster's
    members carry the short-period terms of their chief's place on the orbit) turned out of
    the chief's LVLH frame (:func:`orbital.relative_motion.lvlh_to_inertial_states`).
    """
    from sgp4.api import SatrecArray

    from orbital.formation import lattice_flown_states
    from orbital.relative_motion import lvlh_to_inertial_states
    from orbital.times import TimeGrid

    formation = resolved.shell.formation
    grid = TimeGrid.from_offsets(resolved.walker.epoch, [0.0])
    jd, fr = grid.sgp4_dates()
    _, r, v = SatrecArray(chief_satrecs(resolved)).sgp4(jd, fr)
    points = formation.lattice_points_m()
    incl = np.radians(formation.inclination_flown_deg)
    # A 3d lattice's members fly its design states: the equal mean semi-major axis that
    # holds a planar lattice does not hold members tilted off the chief's plane, whose J2
    # rates differ with their inclination (docs/design.md, "A 3-D lattice").
    design = formation.relative_states() if formation.lattice == "3d" else None
    out = []
    for c in range(formation.clusters):
        chief = np.concatenate([r[c, 0], v[c, 0]]) * 1e3
        flown = (
            design
            if design is not None
            else lattice_flown_states(points, chief, formation.radius_m, incl)
        )
        out.append(lvlh_to_inertial_states(chief, flown) * 1e-3)
    return np.concatenate(out)


def formation_chunks(resolved, grid, *, frame="itrs", dtype=np.float64, ts=None):
    """:class:`~orbital.propagation.PositionChunk` of every member of a formation's shell,
    indices within the shell (cluster by cluster)."""
    from orbital.formation_propagation import propagate_formation

    offsets = member_offsets_m(resolved.shell.formation, grid.t_s)
    return propagate_formation(
        chief_satrecs(resolved), offsets, grid, frame=frame, dtype=dtype, ts=ts
    )


def _orbit_times_s(period_min: float, start_s: float, samples: int) -> np.ndarray:
    return start_s + np.arange(samples) * (period_min * 60.0 / samples)


@dataclass(frozen=True, eq=False)
class ShadingGeometry:
    """What the mutual shading needs of a formation's orbit, found once: the members' LVLH
    offsets ``(n, n_t, 3)`` m over one orbit from the epoch and one from the start of each
    of :data:`SHADING_MONTHS` months (``n_t = SHADING_MONTHS x SAMPLES_PER_ORBIT``), the
    Sun's unit direction in the chief's LVLH frame ``(n_t, 3)``, and where the chief is
    sunlit ``(n_t,)`` (a cylindrical Earth shadow)."""

    offsets_m: np.ndarray
    sun_lvlh: np.ndarray
    sunlit: np.ndarray

    def shading(self, array_side_m: float) -> tuple[float, float]:
        """``(orbit-mean shaded fraction at the epoch, worst month's orbit mean)`` of square
        arrays of ``array_side_m`` facing the Sun
        (:func:`orbital.formation_shading.shaded_fraction`); means over the members and the
        sunlit samples."""
        from orbital.formation_shading import shaded_fraction

        shaded = shaded_fraction(self.offsets_m, self.sun_lvlh, array_side_m)
        per_time = shaded.mean(axis=0).reshape(SHADING_MONTHS, SAMPLES_PER_ORBIT)
        lit = np.asarray(self.sunlit, dtype=bool).reshape(SHADING_MONTHS, SAMPLES_PER_ORBIT)
        monthly = np.array(
            [per_time[k][lit[k]].mean() if lit[k].any() else 0.0 for k in range(SHADING_MONTHS)]
        )
        return float(monthly[0]), float(monthly.max())


def shading_geometry(resolved, ts=None) -> ShadingGeometry | None:
    """The :class:`ShadingGeometry` of a formation's shell; None for a shell that is not a
    formation's or a cluster of one member.  The Sun from :func:`orbital.sun.sun_teme_km`
    turned into the LVLH basis of cluster 0's SGP4 chief."""
    from sgp4.api import SatrecArray

    from orbital.constants import EARTH_RADIUS_WGS72_KM, JULIAN_YEAR_DAYS, SECONDS_PER_DAY
    from orbital.formation_propagation import lvlh_basis
    from orbital.shadow import cylindrical_sunlit
    from orbital.sun import sun_teme_km
    from orbital.times import TimeGrid, builtin_timescale

    formation = resolved.shell.formation
    if formation is None or formation.n_members < 2:
        return None
    ts = ts or builtin_timescale()
    month_s = JULIAN_YEAR_DAYS * SECONDS_PER_DAY / SHADING_MONTHS
    t_s = np.concatenate(
        [
            _orbit_times_s(resolved.period_min, k * month_s, SAMPLES_PER_ORBIT)
            for k in range(SHADING_MONTHS)
        ]
    )
    grid = TimeGrid.from_offsets(resolved.walker.epoch, t_s)
    jd, fr = grid.sgp4_dates()
    _, r, v = SatrecArray(chief_satrecs(resolved)[:1]).sgp4(jd, fr)
    sun = sun_teme_km(grid, ts)
    sun_hat = sun / np.linalg.norm(sun, axis=1, keepdims=True)
    basis = lvlh_basis(r[0], v[0])  # (n_t, 3, 3)
    return ShadingGeometry(
        offsets_m=member_offsets_m(formation, t_s),
        sun_lvlh=np.einsum("tij,tj->ti", basis, sun_hat),
        sunlit=cylindrical_sunlit(r[0], sun, EARTH_RADIUS_WGS72_KM),
    )


def sized_array_side_m(array_m2_per_tonne, satellite_mass_kg) -> np.ndarray:
    """Side of the square array a sized satellite carries, m: ``sqrt(array m^2 per tonne x
    mass in tonnes)``, broadcast (NaN where the satellite does not close)."""
    return np.sqrt(np.asarray(array_m2_per_tonne) * np.asarray(satellite_mass_kg) / 1000.0)


def shading_of_sides(geometry: ShadingGeometry, sides_m) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`ShadingGeometry.shading` of every side ``(n,)`` (each distinct one once),
    ``(epoch (n,), worst month (n,))``; 0 where the side is not finite and positive."""
    sides = np.atleast_1d(np.asarray(sides_m, dtype=float))
    epoch, worst = np.zeros(sides.shape), np.zeros(sides.shape)
    valid = np.isfinite(sides) & (sides > 0)
    unique, inverse = np.unique(sides[valid], return_inverse=True)
    pairs = np.array([geometry.shading(side) for side in unique]).reshape(-1, 2)
    epoch[valid] = pairs[inverse, 0]
    worst[valid] = pairs[inverse, 1]
    return epoch, worst


def shading_fixed_point(close, geometry: ShadingGeometry | None, n: int):
    """Array sizing and mutual shading, each feeding the other: ``(closed, (epoch (n,),
    worst (n,)))``.

    ``close(worst (n,))`` sizes ``n`` samples with the worst month's shaded fraction taken
    off the arrays' power and returns ``(closed, sides (n,))``, the sized square arrays'
    sides (:func:`sized_array_side_m`; NaN where a sample does not close).  From no
    shading, each pass finds the shading of the arrays just sized and sizes again where it
    moved by more than :data:`SHADING_TOLERANCE`, at most :data:`SHADING_ITERATIONS`
    passes.  The returned shading is the one the returned sizing took; the shading of its
    arrays is within the tolerance of it once converged.  The shaded fraction grows with
    the side and the side with the shading, so the passes rise monotonically to the fixed
    point (suncatcher-81's arrays are not shaded: one sizing).  ``geometry`` None: one
    sizing, no shading.
    """
    epoch, worst = np.zeros(n), np.zeros(n)
    closed, sides = close(worst)
    if geometry is None:
        return closed, (epoch, worst)
    for _ in range(SHADING_ITERATIONS):
        found_epoch, found_worst = shading_of_sides(geometry, sides)
        moved = np.abs(found_worst - worst) > SHADING_TOLERANCE
        if not moved.any():
            break
        epoch = np.where(moved, found_epoch, epoch)
        worst = np.where(moved, found_worst, worst)
        closed, sides = close(worst)
    used = (epoch, worst)
    return closed, used


@dataclass(frozen=True)
class DriftCase:
    """A ballistic-coefficient mismatch in one solar-activity case.

    The orbit-mean NRLMSIS density (the closure's), the members' differential along-track
    acceleration, the time to drift ``drift_distance_m``, the station keeping that holds
    ``+/- station_keeping_tolerance_m`` (delta-v and propellant per member-year, the time
    between burns) and the first time two uncontrolled members come closer than keep-out
    (None beyond :data:`APPROACH_HORIZON_DAYS`).
    """

    name: str
    density_kg_m3: float
    acceleration_m_s2: float
    drift_time_s: float
    station_keeping_m_s_per_year: float
    propellant_kg_per_year: float
    burn_interval_s: float
    first_approach_s: float | None


@dataclass(frozen=True)
class ClusterMesh:
    """One cluster's mesh at the epoch: links within ``cluster_range_km`` and the field of
    regard, each of ``capacity_gbps``; its compute, bisection and all-reduce time (the
    network stage's :class:`~constellations.stages.network.MeshSnapshot`)."""

    capacity_gbps: float
    links: int
    mean_link_m: float | None
    largest_cluster_sats: int
    compute_mw: float
    bisection_tbps: float
    allreduce_s: float
    hop_diameter: float


@dataclass(frozen=True)
class FormationFigures:
    """One formation's figures; separations over one orbit, metres; ``array_side_m`` the
    side of the square array the sizing found (NaN when it does not close)."""

    name: str
    members: int
    clusters: int
    lattice: str
    radial_pitch_m: float
    keep_out_m: float
    min_separation_m: float
    max_neighbour_m: float
    max_extent_m: float
    ballistic_mismatch: float
    ballistic_coefficient_m2_kg: float
    drift_distance_m: float
    station_keeping_tolerance_m: float
    cases: tuple[DriftCase, ...]
    shaded_fraction_epoch: float
    shaded_fraction_worst_month: float
    array_side_m: float
    mesh: ClusterMesh | None
    #: Delta-v a member-year that holds the members' planes on the chief's against J2
    #: (:func:`orbital.formation_3d.plane_keeping_m_s_per_year`; zero for planar lattices):
    #: the members' mean and most, and the most one's propellant, kg a year.
    plane_keeping_m_s_per_year_mean: float = 0.0
    plane_keeping_m_s_per_year_max: float = 0.0
    plane_keeping_propellant_kg_per_year_max: float = 0.0


@dataclass(frozen=True)
class FormationResult:
    """The formation stage: one :class:`FormationFigures` per formation, in scenario order."""

    formations: tuple[FormationFigures, ...]


def _first_approach_s(formation, states, rates, density, speed, b_m2_kg) -> float | None:
    """The first sampled time two uncontrolled members come closer than keep-out, a day at a
    time up to :data:`APPROACH_HORIZON_DAYS`."""
    from orbital.constants import SECONDS_PER_DAY
    from orbital.formation_drag import mismatch_fractions, time_to_first_approach_s

    fractions = mismatch_fractions(len(states), formation.ballistic_mismatch, MISMATCH_SEED)
    period = 2.0 * np.pi / rates["n"]
    step = period / APPROACH_SAMPLES_PER_ORBIT
    per_day = int(np.ceil(SECONDS_PER_DAY / step))
    incl = np.radians(formation.inclination_flown_deg)
    for day in range(int(APPROACH_HORIZON_DAYS)):
        t = (day * per_day + np.arange(per_day)) * step
        found = time_to_first_approach_s(
            states, t, formation.radius_m, incl, formation.keep_out_m,
            density, speed, b_m2_kg, fractions,
        )  # fmt: skip
        if np.isfinite(found):
            return float(found)
    return None


def _cluster_figures(snap, capacity_gbps: float) -> ClusterMesh | None:
    if snap is None:
        return None
    return ClusterMesh(
        capacity_gbps=float(capacity_gbps),
        links=snap.links,
        mean_link_m=None if snap.mean_link_km is None else snap.mean_link_km * 1e3,
        largest_cluster_sats=snap.largest_cluster_sats,
        compute_mw=snap.largest_cluster_compute_mw,
        bisection_tbps=snap.bisection_tbps,
        allreduce_s=snap.allreduce_s,
        hop_diameter=float(snap.hop_diameter.value),
    )


def formation_figures(constellation, resolved, closure, mesh_of, ts=None) -> FormationResult:
    """The formation stage for every formation shell of ``resolved``.

    ``closure`` (the closure stage's result) gives each formation's sized satellite (mass,
    drag area, compute), its drag cases (NRLMSIS densities by activity) and the shading
    its sizing took.  ``mesh_of(positions_km (n, 3), links design, compute_kw)`` measures
    one cluster's mesh (:func:`constellations.stages.network.cluster_mesh`).
    """
    from orbital.formation import separation_metrics
    from orbital.formation_3d import plane_keeping_m_s_per_year
    from orbital.formation_drag import (
        differential_drag_acceleration_m_s2,
        station_keeping,
        time_to_along_track_drift_s,
    )
    from orbital.relative_motion import MU_M3_S2, ss_rates
    from orbital.times import TimeGrid

    out = []
    for shell in resolved:
        if not is_formation(shell):
            continue
        formation = shell.shell.formation
        closed = closure.of(shell.shell.name)
        states = formation.relative_states()
        incl = np.radians(formation.inclination_flown_deg)
        rates = ss_rates(formation.radius_m, incl)
        t = _orbit_times_s(2.0 * np.pi / rates["frame_rate"] / 60.0, 0.0, SAMPLES_PER_ORBIT)
        offsets = member_offsets_m(formation, t)
        if len(states) > 1:
            smallest, largest = separation_metrics(offsets)
            min_sep, max_nb = float(smallest.min()), float(largest.max())
        else:
            min_sep = max_nb = float("nan")
        extent = float(np.linalg.norm(offsets, axis=-1).max())
        plane = plane_keeping_m_s_per_year(states, formation.radius_m, incl)
        mass_kg = closed.sized.sizing.satellite_mass_kg if closed.sized else float("nan")
        isp = closed.drag.thruster.isp_s if closed.drag is not None else float("nan")
        cases = ()
        b_m2_kg = float("nan")
        if closed.drag is not None:
            b_m2_kg = closed.drag.drag_coefficient * closed.drag.cases[0].drag_area_m2_per_tonne
            b_m2_kg /= 1000.0
            speed = float(np.sqrt(MU_M3_S2 / formation.radius_m))
            rows = []
            for case in closed.drag.cases:
                acc = float(
                    differential_drag_acceleration_m_s2(
                        case.density_kg_m3, speed, b_m2_kg, formation.ballistic_mismatch
                    )
                )
                dv, interval = station_keeping(acc, formation.station_keeping_tolerance_m)
                approach = (
                    _first_approach_s(formation, states, rates, case.density_kg_m3, speed, b_m2_kg)
                    if len(states) > 1
                    else None
                )
                rows.append(
                    DriftCase(
                        name=case.name,
                        density_kg_m3=float(case.density_kg_m3),
                        acceleration_m_s2=acc,
                        drift_time_s=float(
                            time_to_along_track_drift_s(formation.drift_distance_m, acc)
                        ),
                        station_keeping_m_s_per_year=float(dv),
                        # Tsiolkovsky: m (1 - exp(-dv / (g0 Isp))).
                        propellant_kg_per_year=float(mass_kg * -np.expm1(-dv / (G0_M_S2 * isp))),
                        burn_interval_s=float(interval),
                        first_approach_s=approach,
                    )
                )
            cases = tuple(rows)
        compute_kw = (
            closed.sized.sizing.satellite_compute_kw
            if closed.sized
            else constellation.satellite.spec.compute_w / 1000.0
        )
        grid = TimeGrid.from_offsets(constellation.epoch, [0.0])
        first = next(iter(formation_chunks(shell, grid, frame="teme", ts=ts)))
        members = np.array(first.positions_km[:, 0])
        design = constellation.links
        mesh = _cluster_figures(mesh_of(members, design, compute_kw), design.cluster_capacity_gbps)
        out.append(
            FormationFigures(
                name=formation.name,
                members=formation.n_members,
                clusters=formation.clusters,
                lattice=formation.lattice,
                radial_pitch_m=formation.pitch_m,
                keep_out_m=formation.keep_out_m,
                min_separation_m=min_sep,
                max_neighbour_m=max_nb,
                max_extent_m=extent,
                ballistic_mismatch=formation.ballistic_mismatch,
                ballistic_coefficient_m2_kg=b_m2_kg,
                drift_distance_m=formation.drift_distance_m,
                station_keeping_tolerance_m=formation.station_keeping_tolerance_m,
                cases=cases,
                shaded_fraction_epoch=closed.array_shading[0],
                shaded_fraction_worst_month=closed.array_shading[1],
                array_side_m=float(
                    sized_array_side_m(
                        closed.sized.sizing.array_m2_per_tonne,
                        closed.sized.sizing.satellite_mass_kg,
                    )
                )
                if closed.sized
                else float("nan"),
                mesh=mesh,
                plane_keeping_m_s_per_year_mean=float(plane.mean()),
                plane_keeping_m_s_per_year_max=float(plane.max()),
                plane_keeping_propellant_kg_per_year_max=float(
                    mass_kg * -np.expm1(-plane.max() / (G0_M_S2 * isp))
                ),
            )
        )
    return FormationResult(tuple(out))

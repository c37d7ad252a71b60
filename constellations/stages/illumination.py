"""Sunlight for the designs: a year per plane for every shell, and the fleet over an orbit.

Applies :mod:`orbital.seasons` and :mod:`orbital.shadow` to resolved shells.
The Sun is :func:`orbital.sun.sun_teme_km` (astropy, offline, rotated into
SGP4's TEME frame); the orbits stay in TEME.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.constellation import Constellation
from constellations.stages.parallel import over_shells, shared_map
from constellations.stages.resolve import ResolvedShell, resolve
from orbital.constants import SECONDS_PER_DAY
from orbital.propagation import DEFAULT_CHUNK_SATS
from orbital.seasons import PlanesYear, check_year, eclipse_seasons, planes_year, season_length_days
from orbital.sun import sun_teme_km
from orbital.times import Epoch, TimeGrid, builtin_timescale

#: Sun samples per day for the annual analysis: beta moves at most ~0.3 deg an hour.
SAMPLES_PER_DAY = 24


def year_grid(year: int, samples_per_day: int = SAMPLES_PER_DAY) -> TimeGrid:
    """Samples from 1 January 00:00 UTC of ``year`` to the end of the year."""
    start = Epoch(year, 1, 1, 0, 0, 0.0)
    n_days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    step_s = SECONDS_PER_DAY / samples_per_day
    return TimeGrid(start, np.arange(n_days * samples_per_day) * step_s)


def mean_orbit_radius_km(shell: ResolvedShell) -> float:
    """Mean geocentric distance over one orbit of the shell's SGP4 reference satellite."""
    from sgp4.api import SatrecArray

    grid = TimeGrid.uniform(shell.walker.epoch, shell.period_min * 60.0, 10.0)
    jd, fr = grid.sgp4_dates()
    errors, r, _ = SatrecArray([shell.walker.satrec(0)]).sgp4(jd, fr)
    return float(np.linalg.norm(r[0][errors[0] == 0], axis=-1).mean())


def shell_year(
    shell: ResolvedShell, year: int, sun_km: np.ndarray, grid: TimeGrid, epoch, map_chunks=map
):
    """:class:`orbital.seasons.PlanesYear` for every plane of ``shell``; ``map_chunks`` does
    the work of each chunk of planes (:func:`orbital.seasons.planes_year`)."""
    reference = shell.walker.satrec(0)
    # The year's start in SI seconds from the node epoch, as every t_s counts (SGP4's nodal
    # rates are per UTC second: a leap second between moves a node by nodedot * 1 s, 1e-5 deg).
    offset_s = (grid.epoch - Epoch.parse(epoch)).total_seconds()
    return planes_year(
        year,
        t_s=offset_s + grid.t_s,
        sun_km=sun_km,
        samples_per_day=SAMPLES_PER_DAY,
        inclination_rad=shell.walker.inclination_rad,
        raan_at_t0_rad=shell.walker.raan_rad,
        raan_rate_rad_s=reference.nodedot / 60.0,
        radius_km=mean_orbit_radius_km(shell),
        arg_lat_rate_rad_min=reference.mdot + reference.argpdot,
        map_chunks=map_chunks,
    )


@dataclass(frozen=True)
class PlaneSunlight:
    """One plane's year of sunlight.

    ``sunlit_fraction_year`` is the year's mean visible fraction of the solar
    disk (the share of full-Sun energy); ``max_eclipse_min`` and
    ``max_umbra_min`` the longest eclipse (penumbra and umbra) and umbra of
    any orbit, minutes; ``eclipse_days`` the days with any eclipse;
    ``eclipse_seasons`` the runs of such days as ``(first, last)`` day of the
    year (a season through New Year has ``first > last``) and
    ``eclipse_season`` the longest of them, or None; the beta-angle range in
    degrees.
    """

    plane: int
    raan_deg: float
    year: int
    sunlit_fraction_year: float
    max_eclipse_min: float
    max_umbra_min: float
    eclipse_days: int
    eclipse_season: tuple[int, int] | None
    eclipse_seasons: tuple[tuple[int, int], ...]
    min_beta_deg: float
    max_beta_deg: float


@dataclass(frozen=True)
class SunlightMean:
    """The mean over a shell's planes of each figure of :class:`PlaneSunlight` (same units)."""

    sunlit_fraction_year: float
    max_eclipse_min: float
    max_umbra_min: float
    eclipse_days: float
    min_beta_deg: float
    max_beta_deg: float


@dataclass(frozen=True, eq=False)
class ShellSunlight:
    """A shell's year: per-day arrays of every plane, each plane's summary, the worst, the mean.

    The worst plane is the one with the least sunlight over the year (the
    longest eclipse breaks ties); the satellite is sized against it.
    """

    resolved: ResolvedShell
    year: PlanesYear
    planes: tuple[PlaneSunlight, ...]
    worst: PlaneSunlight
    mean: SunlightMean

    @property
    def beta_range_deg(self) -> tuple[float, float]:
        """The least and largest beta angle any plane of the shell sees in the year, degrees."""
        return (
            min(p.min_beta_deg for p in self.planes),
            max(p.max_beta_deg for p in self.planes),
        )


def _plane_sunlight(year_result: PlanesYear, plane: int, raan_deg: float) -> PlaneSunlight:
    days = year_result.eclipse_day[plane]
    seasons = eclipse_seasons(days)
    longest = max(seasons, key=lambda s: season_length_days(s, len(days))) if seasons else None
    return PlaneSunlight(
        plane=plane,
        raan_deg=float(raan_deg),
        year=year_result.year,
        sunlit_fraction_year=float(year_result.sunlit_fraction_year[plane]),
        max_eclipse_min=float(year_result.max_eclipse_min[plane].max()),
        max_umbra_min=float(year_result.umbra_min[plane].max()),
        eclipse_days=int(days.sum()),
        eclipse_season=tuple(longest) if longest else None,
        eclipse_seasons=tuple(tuple(s) for s in seasons),
        min_beta_deg=float(year_result.min_beta_deg[plane]),
        max_beta_deg=float(year_result.max_beta_deg[plane]),
    )


def shell_sunlight(resolved: ResolvedShell, year_result: PlanesYear) -> ShellSunlight:
    """Summaries of every plane of ``resolved`` from its :class:`PlanesYear`."""
    planes = tuple(
        _plane_sunlight(year_result, p, resolved.raan_deg[p]) for p in range(len(resolved.raan_deg))
    )
    worst = min(planes, key=lambda r: (r.sunlit_fraction_year, -r.max_eclipse_min))
    mean = SunlightMean(
        **{
            f.name: float(np.mean([getattr(r, f.name) for r in planes]))
            for f in dataclasses.fields(SunlightMean)
        }
    )
    return ShellSunlight(resolved, year_result, planes, worst, mean)


@dataclass(frozen=True, eq=False)
class IlluminationResult:
    """The illumination stage: every shell's year of sunlight, in scenario order."""

    year: int
    shells: tuple[ShellSunlight, ...]


def annual_illumination(
    constellation: Constellation, year: int | None = None, ts=None, resolved=None
):
    """``(resolved_shell, PlanesYear)`` for every shell over ``year``, shell by shell.

    ``year`` defaults to the epoch's.  A generator: a bad year is refused at
    once (``ValueError``), and each shell is computed when it is asked for.
    """
    year = check_year(constellation.epoch.year if year is None else year)
    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts) if resolved is None else resolved
    return _shell_years(constellation, year, ts, resolved)


def _shell_years(constellation, year, ts, resolved):
    year_of = _year_of_shell(constellation, year, ts)
    for shell in resolved:
        yield shell, year_of(shell)


def _year_of_shell(constellation, year: int, ts, map_chunks=map):
    """A function from a resolved shell to its :class:`PlanesYear`: the year's grid and the
    Sun over it are found once, for every shell."""
    grid = year_grid(year)
    sun_km = sun_teme_km(grid, ts)
    return lambda shell: shell_year(shell, year, sun_km, grid, constellation.epoch, map_chunks)


def illuminate(
    constellation: Constellation, resolved, year: int | None = None, progress=None
) -> IlluminationResult:
    """The illumination stage: a year of sunlight for every plane of every shell.

    ``year`` defaults to the epoch's; ``progress(n_planes)`` is told as each
    shell is done.  Raises ``ScenarioError`` for a year outside the Sun model's
    span.
    """
    year = checked_year(constellation.epoch.year if year is None else year)
    shells = []
    with shared_map() as map_chunks:
        year_of = _year_of_shell(constellation, year, builtin_timescale(), map_chunks)
        for shell in resolved:
            shells.append(shell_sunlight(shell, year_of(shell)))
            if progress:
                progress(shell.shell.planes)
    return IlluminationResult(year, tuple(shells))


def checked_year(year) -> int:
    """``year`` as an int if the Sun model covers it; else ``ScenarioError`` naming ``--year``."""
    try:
        return check_year(year)
    except ValueError as exc:
        raise ScenarioError(f"--year: {exc}") from None


@dataclass(frozen=True, eq=False)
class FleetSunlight:
    """The fleet's sunlight at each time step of a grid, arrays ``(n_t,)``.

    ``mean_visible_fraction``: mean visible fraction of the solar disk over
    the satellites (the fleet's share of full-Sun power); ``full_sun_share``
    and ``any_sun_share``: shares of satellites fully and partly lit;
    ``compute_share``: like the first, weighted by compute per satellite;
    ``failed``: satellites whose propagation failed (left out of the shares).
    """

    t_s: np.ndarray
    mean_visible_fraction: np.ndarray
    full_sun_share: np.ndarray
    any_sun_share: np.ndarray
    compute_share: np.ndarray
    failed: np.ndarray

    @property
    def orbit_mean_visible_fraction(self) -> float:
        """Mean over the steps with a working satellite; NaN when none has one."""
        finite = self.mean_visible_fraction[np.isfinite(self.mean_visible_fraction)]
        return float(finite.mean()) if finite.size else float("nan")

    @property
    def min_visible_fraction(self) -> float:
        """Least over the steps with a working satellite; NaN when none has one."""
        finite = self.mean_visible_fraction[np.isfinite(self.mean_visible_fraction)]
        return float(finite.min()) if finite.size else float("nan")


def fleet_powered_fraction(
    constellation: Constellation,
    grid: TimeGrid,
    *,
    compute_weight_per_shell=None,
    ts=None,
    resolved=None,
    chunk_sats: int = DEFAULT_CHUNK_SATS,
    progress=None,
    symmetric: bool = True,
    dtype=np.float32,
) -> FleetSunlight:
    """Share of the fleet in sunlight at each time step, arrays ``(n_t,)``.

    ``mean_visible_fraction``: mean visible fraction of the solar disk over
    satellites (the fleet's share of full-Sun power); ``full_sun_share`` and
    ``any_sun_share``: shares of satellites fully and partly lit;
    ``compute_share``: like the first, weighted by compute per satellite
    (``compute_weight_per_shell``, one per group of shells then element
    sets; one per satellite by default).  Satellites whose propagation failed
    are left out and counted in ``failed``.  ``progress(n)`` is told as ``n``
    more satellites are done.

    Walker shells (not formations) take the symmetric path: only one
    reference plane per phase class is propagated, and the planes that see
    each of its satellites in the penumbra and the umbra cones are arcs of
    nodes (:func:`orbital.shadow_planes.plane_shadow_totals`, float64).
    Element sets, formations and, with ``symmetric=False``, everything take
    the general path: every position streamed (:func:`stream_positions`,
    TEME, ``dtype``) through :class:`orbital.shadow.ShadowStream`.  The two
    agree to rounding with ``dtype=numpy.float64`` (the default float32
    positions move a penumbra fraction by about 1e-4 and a cone test's edge by
    0.5 m).
    """
    from constellations.stages.propagate import stream_positions
    from orbital.shadow import ShadowStream

    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts) if resolved is None else resolved
    groups = constellation.groups
    weights = (
        np.ones(len(groups))
        if compute_weight_per_shell is None
        else np.asarray(compute_weight_per_shell, dtype=float)
    )
    bounds = np.asarray(constellation.group_bounds)
    sun_km = sun_teme_km(grid, ts)
    n_t = len(grid)
    walkers = [k for k, r in enumerate(resolved) if symmetric and r.shell.formation is None]
    sums = _FleetSums(n_t)
    shells = over_shells(lambda k: _symmetric_shell(resolved[k], grid, sun_km), walkers)
    for k, shell_sums in zip(walkers, shells, strict=True):
        sums.add_shell(shell_sums, weights[k])
        if progress:
            progress(resolved[k].n_sats)
    general = [k for k in range(len(groups)) if k not in walkers]
    n_general = sum(groups[k].n_sats for k in general)
    if n_general:
        shadow = ShadowStream(
            sun_km,
            min(chunk_sats, n_general)
            + max((g.sats_per_plane for g in constellation.shells), default=0),
            dtype=dtype,
        )
        chunks = stream_positions(
            constellation,
            grid,
            frame="teme",
            dtype=dtype,
            resolved=resolved,
            ts=ts,
            chunk_sats=chunk_sats,
            groups=general,
        )
        for chunk in chunks:
            group = np.searchsorted(bounds, np.arange(chunk.start, chunk.stop), side="right") - 1
            sums.add_chunk(shadow(chunk.positions_km), weights[group][:, None])
            if progress:
                progress(chunk.stop - chunk.start)
    return sums.result(grid.t_s, constellation.n_sats)


class _FleetSums:
    """Per-time sums over the fleet: visible fraction, full and any sun, valid, weighted."""

    def __init__(self, n_t: int):
        self.visible, self.full, self.partial, self.valid, self.weighted, self.weight_total = (
            np.zeros(n_t) for _ in range(6)
        )

    def add_chunk(self, fraction, w) -> None:
        """``fraction`` ``(n, n_t)`` (NaN where failed) with weights ``w`` ``(n, 1)``."""
        ok = ~np.isnan(fraction)
        f = np.where(ok, fraction, 0.0)
        self.visible += f.sum(axis=0)
        self.full += (f >= 1.0).sum(axis=0)
        self.partial += (f > 0.0).sum(axis=0)
        self.valid += ok.sum(axis=0)
        self.weighted += (w * f).sum(axis=0)
        self.weight_total += (w * ok).sum(axis=0)

    def add_shell(self, shell, weight: float) -> None:
        """A shell's :class:`orbital.shadow_planes.PlaneShadowTotals` ``(n_t,)``, its
        satellites of compute weight ``weight``."""
        self.visible += shell.visible
        self.full += shell.full_sun
        self.partial += shell.any_sun
        self.valid += shell.valid
        self.weighted += weight * shell.visible
        self.weight_total += weight * shell.valid

    def result(self, t_s, n_sats: int) -> FleetSunlight:
        with np.errstate(invalid="ignore", divide="ignore"):
            return FleetSunlight(
                t_s=t_s,
                mean_visible_fraction=self.visible / self.valid,
                full_sun_share=self.full / self.valid,
                any_sun_share=self.partial / self.valid,
                compute_share=self.weighted / self.weight_total,
                failed=n_sats - self.valid,
            )


def _symmetric_shell(shell: ResolvedShell, grid, sun_km):
    """One Walker shell's :class:`orbital.shadow_planes.PlaneShadowTotals`, ``(n_t,)``
    each: one reference plane per phase class, classes in order."""
    from orbital.propagation import walker_reference_planes
    from orbital.shadow_planes import PlaneShadowTotals, plane_shadow_totals

    walker = shell.walker
    total = None
    for planes, reference_km in walker_reference_planes(walker, grid):
        sums = plane_shadow_totals(reference_km, walker.raan_rad[planes], sun_km)
        total = sums if total is None else [a + b for a, b in zip(total, sums, strict=True)]
    return PlaneShadowTotals(*total)

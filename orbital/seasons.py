"""A year of sunlight for every plane: beta angle, eclipses per orbit, eclipse seasons.

The Sun is sampled over the year (hourly by default) and each plane's node
is advanced by its J2 precession rate, so the beta angle, the eclipse per
orbit (:func:`orbital.illumination.orbit_eclipse`) and from them the per-day
table and the seasons follow for every plane at once: arrays
``(n_planes, n_samples)``, no propagation.
"""

from dataclasses import dataclass

import numpy as np

from orbital.constants import AU_KM
from orbital.illumination import orbit_eclipse, penumbra_model, sun_in_precessing_planes

#: Years the Sun model covers: ERFA's epv00 (behind astropy's get_sun) is fitted to 1900-2100
#: and warns outside 100 years of J2000, so whole calendar years 1901-2099.
FIRST_YEAR, LAST_YEAR = 1901, 2099
#: Planes analysed at a time: a year of hourly samples for 32 planes is 2.2 MB an array,
#: small enough that the temporaries stay in cache instead of faulting in fresh pages
#: (a 400-plane shell in one piece took about twice as long on the reference machine).
PLANES_PER_CHUNK = 32


@dataclass(frozen=True, eq=False)
class PlanesYear:
    """A year of illumination for ``n_planes`` planes, by day.

    Per day (shape ``(n_planes, n_days)``): mean minutes per orbit of
    ``sunlight_min``, ``penumbra_min``, ``umbra_min``; ``max_eclipse_min``
    the day's longest eclipse (penumbra entry to exit); ``beta_deg`` the
    day's mean beta angle; ``lit_fraction`` the day's mean visible fraction
    of the solar disk.  Per plane over the year (``(n_planes,)``):
    ``min_beta_deg``, ``max_beta_deg``, ``sunlit_fraction_year``.
    """

    year: int
    sunlight_min: np.ndarray
    penumbra_min: np.ndarray
    umbra_min: np.ndarray
    max_eclipse_min: np.ndarray
    beta_deg: np.ndarray
    lit_fraction: np.ndarray
    min_beta_deg: np.ndarray
    max_beta_deg: np.ndarray
    sunlit_fraction_year: np.ndarray
    perihelion_au: float
    aphelion_au: float

    @property
    def n_days(self) -> int:
        return self.beta_deg.shape[1]

    @property
    def eclipse_day(self) -> np.ndarray:
        """``(n_planes, n_days)`` True on days with any eclipse (penumbra or umbra)."""
        return self.max_eclipse_min > 0


def check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ValueError(f"year={year!r}: must be a whole year such as 2027")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"year={year}: outside {FIRST_YEAR}-{LAST_YEAR}, the span of the bundled Sun "
            "ephemeris (ERFA epv00); choose a year inside it"
        )
    return int(year)


def planes_year(
    year: int,
    *,
    t_s: np.ndarray,
    sun_km: np.ndarray,
    samples_per_day: int,
    inclination_rad: float,
    raan_at_t0_rad: np.ndarray,
    raan_rate_rad_s: float,
    radius_km: float,
    arg_lat_rate_rad_min: float,
    chunk_planes: int = PLANES_PER_CHUNK,
    map_chunks=map,
) -> PlanesYear:
    """Illumination of planes over a year sampled at ``t_s`` (seconds from the node epoch).

    ``sun_km`` ``(n_samples, 3)``: the Sun in the orbits' frame at those
    times, ``samples_per_day`` of them per day from 00:00 UTC on 1 January;
    ``raan_at_t0_rad`` ``(n_planes,)`` the nodes at ``t_s = 0``, moving at
    ``raan_rate_rad_s``; ``arg_lat_rate_rad_min`` the satellites' rate along
    the orbit (SGP4's ``mdot + argpdot``).  The planes are taken
    ``chunk_planes`` at a time, each chunk's work done by ``map_chunks`` (a
    ``map``; a thread pool's shares them between cores, as each chunk's work is
    numpy on arrays and writes its own planes); the figures depend on neither.
    """
    distance_km = np.linalg.norm(sun_km, axis=-1)
    sun_unit = sun_km / distance_km[:, None]
    n_planes, n_samples = len(raan_at_t0_rad), len(t_s)
    n_days = n_samples // samples_per_day
    chunks = [
        slice(start, min(start + chunk_planes, n_planes))
        for start in range(0, n_planes, chunk_planes)
    ]

    # Pass 1: the Sun seen from each plane; pass 2: its eclipses, with one penumbra model
    # for the whole shell, so that the figures do not depend on the chunks.
    def sun_seen(planes):
        beta, u_sun = sun_in_precessing_planes(
            inclination_rad, raan_at_t0_rad[planes], raan_rate_rad_s, t_s, sun_unit
        )
        u_sun_rate_rad_min = np.gradient(np.unwrap(u_sun, axis=1), t_s / 60.0, axis=1)
        return beta, arg_lat_rate_rad_min - u_sun_rate_rad_min

    geometry = list(map_chunks(sun_seen, chunks))
    penumbra = penumbra_model((beta for beta, _ in geometry), distance_km[None, :], radius_km)
    by_plane = {
        name: np.empty((n_planes, n_days)) for name in ("sun", "pen", "umb", "ecl", "beta", "lit")
    }
    min_beta, max_beta, lit_year = (np.empty(n_planes) for _ in range(3))

    def by_day(values):
        return values[:, : n_days * samples_per_day].reshape(len(values), n_days, samples_per_day)

    def eclipses(chunk):
        planes, (beta, relative_rate) = chunk
        orbit = orbit_eclipse(
            beta, radius_km, distance_km[None, :], relative_rate, penumbra=penumbra
        )
        beta_deg = np.degrees(beta)
        by_plane["sun"][planes] = by_day(orbit.sunlight_min).mean(axis=2)
        by_plane["pen"][planes] = by_day(orbit.penumbra_min).mean(axis=2)
        by_plane["umb"][planes] = by_day(orbit.umbra_min).mean(axis=2)
        by_plane["ecl"][planes] = by_day(orbit.eclipse_min).max(axis=2)
        by_plane["beta"][planes] = by_day(beta_deg).mean(axis=2)
        by_plane["lit"][planes] = by_day(orbit.lit_fraction).mean(axis=2)
        min_beta[planes] = beta_deg.min(axis=1)
        max_beta[planes] = beta_deg.max(axis=1)
        lit_year[planes] = orbit.lit_fraction.mean(axis=1)

    for _ in map_chunks(eclipses, zip(chunks, geometry, strict=True)):
        pass
    return PlanesYear(
        year=year,
        sunlight_min=by_plane["sun"],
        penumbra_min=by_plane["pen"],
        umbra_min=by_plane["umb"],
        max_eclipse_min=by_plane["ecl"],
        beta_deg=by_plane["beta"],
        lit_fraction=by_plane["lit"],
        min_beta_deg=min_beta,
        max_beta_deg=max_beta,
        sunlit_fraction_year=lit_year,
        perihelion_au=float(distance_km.min() / AU_KM),
        aphelion_au=float(distance_km.max() / AU_KM),
    )


def eclipse_seasons(eclipse_day: np.ndarray) -> list[tuple[int, int]]:
    """Runs of eclipse days as ``(first, last)`` day-of-year pairs (1-based, inclusive).

    ``eclipse_day`` ``(n_days,)`` booleans.  A season running through New
    Year comes back as one pair with ``first > last``.  Eclipses every day:
    ``[(1, n_days)]``.  None: ``[]``.
    """
    days = np.asarray(eclipse_day, dtype=bool)
    n = len(days)
    if not days.any():
        return []
    if days.all():
        return [(1, n)]
    edges = np.diff(days.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1) - 1
    runs = [(int(a) + 1, int(b) + 1) for a, b in zip(starts, stops, strict=True)]
    if len(runs) > 1 and days[0] and days[-1]:
        first = runs.pop(0)
        last = runs.pop()
        runs.append((last[0], first[1]))
    return runs


def season_length_days(season: tuple[int, int], n_days: int) -> int:
    first, last = season
    return last - first + 1 if last >= first else n_days - first + 1 + last

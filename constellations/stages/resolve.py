"""From a design to what SGP4 propagates: inclinations, nodes, mean motions, ids.

The only place where the epoch meets the shells: a sun-synchronous shell with
an LTAN takes the node of its first plane from the Sun's right ascension at
the epoch (in SGP4's TEME frame), ``raan = ra_sun + 15 deg/h * (ltan - 12 h)``.
The LTAN is local mean solar time by default, as missions state it: ``ra_sun``
is the mean Sun's (:func:`orbital.sun.mean_sun_right_ascension_deg`, referred
to the mean equinox of date, which is TEME's).  ``ltan_reference = "apparent"``
counts it from the true Sun instead (astropy's apparent Sun rotated into TEME),
which differs by the equation of time, up to about 16 minutes (4 deg).

A sun-synchronous shell flies, by default, the inclination whose SGP4 node rate
equals the mean Sun's (:func:`orbital.elements.sgp4_sun_synchronous_inclination_deg`);
``sso_inclination = "j2"`` keeps the J2-only one, which SGP4 turns about
5 minutes of local time a year behind the Sun.
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.constellation import Constellation, Shell
from orbital.constants import TROPICAL_YEAR_DAYS
from orbital.elements import OrbitHeights, kozai_mean_motion_rad_min, orbit_heights_km
from orbital.propagation import CircularWalker
from orbital.walker import raan_offsets_deg


@dataclass(frozen=True, eq=False)
class ResolvedShell:
    """A shell with everything SGP4 needs, at the constellation's epoch.

    ``shell.altitude_km`` is SGP4's mean semi-major axis less the WGS-72
    equatorial radius (6378.135 km); ``heights`` is what the shell's
    satellites fly above the WGS-84 ellipsoid over one orbit from the epoch.
    """

    shell: Shell
    walker: CircularWalker
    inclination_deg: float
    raan_deg: np.ndarray  # (planes,), TEME of the epoch, 0..360
    period_min: float  # nodal period from SGP4's secular rates
    raan_rate_deg_per_day: float  # SGP4's secular node rate (J2, J2^2, J4)
    #: The textbook J2-only sun-synchronous inclination, degrees, flown or not (None if not SSO).
    j2_inclination_deg: float | None = None
    #: Heights above the WGS-84 ellipsoid over one orbit (every satellite flies the same).
    heights: OrbitHeights | None = None

    @property
    def n_sats(self) -> int:
        return self.shell.n_sats

    @property
    def first_id(self) -> int:
        return self.walker.first_id

    @property
    def ltan_drift_min_per_year(self) -> float | None:
        """How fast a sun-synchronous shell's local time drifts under SGP4, minutes per year.

        About 0 for the default inclination, whose SGP4 node rate equals the
        mean Sun's.  The J2-only inclination (``sso_inclination = "j2"``, 96.81
        deg at 340 km) leaves SGP4's node, which also carries J2^2 and J4
        terms, about 0.34 % slower than the mean Sun: -4.9 minutes of local
        time a year.  None for shells that are not sun-synchronous.
        """
        if not self.shell.is_sun_synchronous:
            return None
        sun_deg_per_day = 360.0 / TROPICAL_YEAR_DAYS
        drift_deg_per_year = (self.raan_rate_deg_per_day - sun_deg_per_day) * TROPICAL_YEAR_DAYS
        return drift_deg_per_year * 4.0  # the node moves 1 deg of right ascension in 4 min

    @property
    def ltan_reference(self) -> str | None:
        """The Sun the first plane's LTAN is counted from, "mean" or "apparent" (None: no LTAN)."""
        return self.shell.ltan_reference if _has_ltan(self.shell) else None

    @property
    def sso_inclination(self) -> str | None:
        """Which sun-synchronous inclination is flown, "sgp4" or "j2" (None: not SSO)."""
        return self.shell.sso_inclination if self.shell.is_sun_synchronous else None


def longest_period_min(resolved) -> float:
    """The longest nodal period among resolved shells, minutes (95 min when there are none)."""
    return max((r.period_min for r in resolved), default=95.0)


def _has_ltan(shell: Shell) -> bool:
    return shell.is_sun_synchronous and shell.ltan_hours is not None


def _first_raan_deg(shell: Shell, sun_ra_deg: dict) -> float:
    if _has_ltan(shell):
        return sun_ra_deg[shell.ltan_reference] + 15.0 * (shell.ltan_hours - 12.0)
    return shell.raan_deg


def sun_right_ascension_deg(constellation: Constellation, ts=None, reference="mean") -> float:
    """The Sun's right ascension at the epoch in TEME, degrees.

    ``reference="mean"``: the mean Sun of mean solar time (closed form, UTC
    taken for UT1); ``"apparent"``: astropy's apparent Sun rotated into TEME.
    ``ts`` is a Skyfield timescale (default: the builtin one).
    """
    from orbital.times import TimeGrid, builtin_timescale

    grid = TimeGrid.from_offsets(constellation.epoch, [0.0])
    if reference == "mean":
        from orbital.sun import mean_sun_right_ascension_deg

        jd_utc, fr_utc = grid.sgp4_dates()  # SGP4's UTC dates: a leap second reads as 00:00:00
        return float(mean_sun_right_ascension_deg(jd_utc[0], fr_utc[0]))
    if reference != "apparent":
        raise ValueError(f"reference={reference!r}: must be 'mean' or 'apparent'")
    from orbital.sun import sun_right_ascension_teme_rad

    return float(np.degrees(sun_right_ascension_teme_rad(grid, ts or builtin_timescale())[0]))


def resolve(constellation: Constellation, ts=None) -> list[ResolvedShell]:
    """Resolve every shell of ``constellation``; ids run on across shells from 0.

    Each shell's heights over the WGS-84 ellipsoid come from its first
    satellite over one orbit (:func:`orbital.elements.orbit_heights_km`, about
    1 ms a shell).

    ``ts`` is a Skyfield timescale (default: the builtin one, loaded once per process).
    """
    references = {s.ltan_reference for s in constellation.shells if _has_ltan(s)}
    sun_ra_deg = {r: sun_right_ascension_deg(constellation, ts, r) for r in sorted(references)}
    resolved, first_id = [], 0
    for shell in constellation.shells:
        inclination_deg = shell.resolved_inclination_deg
        offsets_deg = raan_offsets_deg(shell.planes, shell.spread_deg)
        raan_deg = (_first_raan_deg(shell, sun_ra_deg) + offsets_deg) % 360.0
        walker = CircularWalker(
            epoch=constellation.epoch,
            no_kozai_rad_min=float(kozai_mean_motion_rad_min(shell.altitude_km, inclination_deg)),
            inclination_rad=float(np.radians(inclination_deg)),
            raan_rad=np.radians(raan_deg),
            sats_per_plane=shell.sats_per_plane,
            phasing=shell.phasing,
            bstar=shell.bstar,
            first_id=first_id,
        )
        reference = walker.satrec(0)
        period_min = 2.0 * np.pi / (reference.mdot + reference.argpdot)
        raan_rate_deg_per_day = float(np.degrees(reference.nodedot) * 1440.0)
        resolved.append(
            ResolvedShell(
                shell,
                walker,
                inclination_deg,
                raan_deg,
                float(period_min),
                raan_rate_deg_per_day,
                shell.j2_inclination_deg,
                orbit_heights_km(reference),
            )
        )
        first_id += shell.n_sats
    return resolved

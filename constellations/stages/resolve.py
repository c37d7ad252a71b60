"""From a design to what SGP4 propagates: inclinations, nodes, mean motions, ids.

The only place where the epoch meets the shells: a sun-synchronous shell with
an LTAN takes the node of its first plane from the Sun's right ascension at
the epoch (in SGP4's TEME frame), ``raan = ra_sun + 15 deg/h * (ltan - 12 h)``.
The LTAN is counted in apparent solar time (from the true Sun, which is what
sets the beta angle); mean-Sun LTANs differ by the equation of time, up to
about 16 minutes.
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.constellation import Constellation, Shell
from orbital.constants import TROPICAL_YEAR_DAYS
from orbital.elements import kozai_mean_motion_rad_min
from orbital.propagation import CircularWalker
from orbital.walker import raan_offsets_deg


@dataclass(frozen=True, eq=False)
class ResolvedShell:
    """A shell with everything SGP4 needs, at the constellation's epoch."""

    shell: Shell
    walker: CircularWalker
    inclination_deg: float
    raan_deg: np.ndarray  # (planes,), TEME of the epoch, 0..360
    period_min: float  # nodal period from SGP4's secular rates
    raan_rate_deg_per_day: float  # SGP4's secular node rate (J2, J2^2, J4)

    @property
    def n_sats(self) -> int:
        return self.shell.n_sats

    @property
    def first_id(self) -> int:
        return self.walker.first_id

    @property
    def ltan_drift_min_per_year(self) -> float | None:
        """How fast a sun-synchronous shell's local time drifts under SGP4, minutes per year.

        The J2-only inclination (96.81 deg at 340 km) leaves SGP4's node, which
        also carries J2^2 and J4 terms, about 0.34 % slower than the mean Sun:
        some 5 minutes of local time a year, which operators remove with small
        inclination trims.  None for shells that are not sun-synchronous.
        """
        if not self.shell.is_sun_synchronous:
            return None
        sun_deg_per_day = 360.0 / TROPICAL_YEAR_DAYS
        drift_deg_per_year = (self.raan_rate_deg_per_day - sun_deg_per_day) * TROPICAL_YEAR_DAYS
        return drift_deg_per_year * 4.0  # the node moves 1 deg of right ascension in 4 min


def longest_period_min(resolved) -> float:
    """The longest nodal period among resolved shells, minutes (95 min when there are none)."""
    return max((r.period_min for r in resolved), default=95.0)


def _first_raan_deg(shell: Shell, sun_ra_deg: float | None) -> float:
    if shell.is_sun_synchronous and shell.ltan_hours is not None:
        return sun_ra_deg + 15.0 * (shell.ltan_hours - 12.0)
    return shell.raan_deg


def sun_right_ascension_deg(constellation: Constellation, ts=None) -> float:
    """Apparent Sun's right ascension at the epoch in TEME, degrees."""
    from orbital.sun import sun_right_ascension_teme_rad
    from orbital.times import TimeGrid, builtin_timescale

    grid = TimeGrid.from_offsets(constellation.epoch, [0.0])
    return float(np.degrees(sun_right_ascension_teme_rad(grid, ts or builtin_timescale())[0]))


def resolve(constellation: Constellation, ts=None) -> list[ResolvedShell]:
    """Resolve every shell of ``constellation``; ids run on across shells from 0.

    ``ts`` is a Skyfield timescale (default: the builtin one, loaded once per process).
    """
    needs_sun = any(s.is_sun_synchronous and s.ltan_hours is not None for s in constellation.shells)
    sun_ra_deg = sun_right_ascension_deg(constellation, ts) if needs_sun else None
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
                shell, walker, inclination_deg, raan_deg, float(period_min), raan_rate_deg_per_day
            )
        )
        first_id += shell.n_sats
    return resolved

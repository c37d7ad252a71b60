"""An independent oracle for the +Grid's cross-plane partner: brute force over every offset.

Positions come from python-sgp4 called directly on the elements a Walker shell states
(Walker 1984: satellite ``s`` of plane ``p`` at argument of latitude
``360 (s/S + p F/(P S))`` degrees at the epoch; circular, argument of perigee 0), with the
mean motion, inclination and nodes the resolve stage gives (its own tests check them).
Feasibility is recomputed here in another form than the planner's: the distance from the
Earth's centre to the line through the pair, ``|r1 x r2| / |r2 - r1|``, when its foot lies
between them, else the nearer end.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

#: Equatorial radius of the Earth, km (IERS Conventions 2010, table 1.1): the grazing
#: altitude is counted above it.
EARTH_RADIUS_IERS_KM = 6378.1366
#: SGP4 counts its epoch in days from 1949 December 31 00:00 UTC (Vallado et al. 2006).
SGP4_DAY_ZERO = datetime(1949, 12, 31, tzinfo=UTC)
#: The rule counts lengths within a relative 1e-9 (under 0.01 mm) as a tie.
RULE_TIE_RTOL = 1e-9


def walker_phase_deg(plane, slot, planes, sats_per_plane, phasing):
    """Walker (1984): argument of latitude at the epoch, degrees."""
    return 360.0 * (slot / sats_per_plane + plane * phasing / (planes * sats_per_plane))


def sgp4_orbit(resolved_shell, epoch_iso: str, plane: int, slots, samples: int):
    """TEME positions ``(len(slots), samples, 3)`` km over one orbit from the epoch.

    The instants are ``n T / samples`` with ``T`` the period of the argument of
    latitude under SGP4's secular rates (``2 pi / (mdot + argpdot)``).
    """
    from sgp4.api import WGS72, Satrec, SatrecArray

    shell = resolved_shell.shell
    planes, per_plane, phasing = shell.planes, shell.sats_per_plane, shell.phasing
    epoch = datetime.fromisoformat(epoch_iso.replace("Z", "+00:00"))
    epoch_days = (epoch - SGP4_DAY_ZERO).total_seconds() / 86400.0
    satrecs = []
    for slot in np.atleast_1d(slots).tolist():
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            len(satrecs) + 1,
            epoch_days,
            shell.bstar,
            0.0,
            0.0,
            0.0,  # circular
            0.0,  # argument of perigee: the phase is the mean anomaly
            np.radians(resolved_shell.inclination_deg),
            np.radians(walker_phase_deg(plane, slot, planes, per_plane, phasing)),
            resolved_shell.walker.no_kozai_rad_min,
            np.radians(resolved_shell.raan_deg[plane]),
        )
        satrecs.append(satrec)
    first = satrecs[0]
    period_min = 2.0 * np.pi / (first.mdot + first.argpdot)
    minutes = np.arange(samples) * (period_min / samples)
    jd = np.full(samples, first.jdsatepoch)
    fr = first.jdsatepochF + minutes / 1440.0
    errors, positions, _ = SatrecArray(satrecs).sgp4(jd, fr)
    assert not errors.any(), "the oracle's shells stay in orbit over one revolution"
    return positions


def lowest_altitude_km(r1, r2):
    """Lowest altitude of the segment between pairs, via the distance to its line."""
    d = r2 - r1
    dd = np.sum(d * d, axis=-1)
    foot_inside = (np.sum(-r1 * d, axis=-1) >= 0) & (np.sum(r2 * d, axis=-1) >= 0)
    line = np.linalg.norm(np.cross(r1, r2), axis=-1) / np.sqrt(dd)
    ends = np.minimum(np.linalg.norm(r1, axis=-1), np.linalg.norm(r2, axis=-1))
    return np.where(foot_inside, line, ends) - EARTH_RADIUS_IERS_KM


@dataclass(frozen=True)
class OffsetTable:
    """Every offset ``k`` of one plane pair over one orbit: satellite 0 of the first plane
    linked to slot ``k`` of the second.  Arrays ``(S,)``."""

    closes: np.ndarray  # instants at which the link closes
    mean_km: np.ndarray
    longest_km: np.ndarray
    min_grazing_km: np.ndarray

    def best(self, mean_rtol: float = RULE_TIE_RTOL, longest_rtol: float = RULE_TIE_RTOL):
        """The offsets the rule allows, a set: most instants closed, then the shortest mean,
        then the shortest longest link (ties within ``mean_rtol`` and ``longest_rtol``)."""
        alive = self.closes == self.closes.max()
        alive &= self.mean_km <= self.mean_km[alive].min() * (1.0 + mean_rtol)
        alive &= self.longest_km <= self.longest_km[alive].min() * (1.0 + longest_rtol)
        return set(np.flatnonzero(alive).tolist())


def offset_table(
    resolved_shell,
    epoch_iso: str,
    plane_from: int,
    plane_to: int,
    samples: int,
    max_range_km: float = 5000.0,
    grazing_km: float = 80.0,
) -> OffsetTable:
    """Brute force over every offset of the pair ``plane_from -> plane_to``."""
    per_plane = resolved_shell.shell.sats_per_plane
    r1 = sgp4_orbit(resolved_shell, epoch_iso, plane_from, [0], samples)
    r2 = sgp4_orbit(resolved_shell, epoch_iso, plane_to, np.arange(per_plane), samples)
    r1 = np.broadcast_to(r1, r2.shape)
    length = np.linalg.norm(r2 - r1, axis=-1)
    graze = lowest_altitude_km(r1, r2)
    closes = (length <= max_range_km) & (graze >= grazing_km)
    return OffsetTable(
        closes=closes.sum(axis=1),
        mean_km=length.mean(axis=1),
        longest_km=length.max(axis=1),
        min_grazing_km=graze.min(axis=1),
    )

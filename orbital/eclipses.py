"""Eclipse intervals of one satellite: penumbra and umbra entry and exit times.

The shadow functions ``g_p = c - (a + b)`` (positive in full sun) and
``g_u = c - (b - a)`` (positive outside the umbra), with ``a``, ``b``, ``c``
the angles of :mod:`orbital.shadow`, are continuous in time.  Their sign
changes are found on a sample grid and refined by bisection on SGP4 itself
(every bisection step propagates the satellite at the trial times) to
``tolerance_s``.  Eclipses shorter than the sampling step can slip between
samples; the default 30 s step misses only grazing eclipses of a few seconds.
"""

from dataclasses import dataclass

import numpy as np

from orbital.constants import EARTH_RADIUS_IERS_KM
from orbital.shadow import shadow_angles
from orbital.times import Epoch, TimeGrid


@dataclass(frozen=True, eq=False)
class EclipseIntervals:
    """Eclipses of one satellite; each array has shape ``(n_eclipses,)``, times in s from the epoch.

    ``start_s``/``end_s``: penumbra entry and exit; ``umbra_start_s``/``umbra_end_s``:
    umbra entry and exit (NaN for a penumbral-only eclipse).  An eclipse under
    way at the start or end of the window has NaN there and ``complete`` False.
    """

    start_s: np.ndarray
    end_s: np.ndarray
    umbra_start_s: np.ndarray
    umbra_end_s: np.ndarray
    complete: np.ndarray

    @property
    def duration_min(self) -> np.ndarray:
        return (self.end_s - self.start_s) / 60.0

    @property
    def umbra_min(self) -> np.ndarray:
        return np.nan_to_num(self.umbra_end_s - self.umbra_start_s) / 60.0

    @property
    def penumbra_min(self) -> np.ndarray:
        return self.duration_min - self.umbra_min

    def __len__(self) -> int:
        return len(self.start_s)


class _SatelliteSun:
    """Shadow angles of one satellite at arbitrary times (SI seconds from ``epoch``)."""

    def __init__(self, satrec, epoch: Epoch, sun_t_s, sun_km, earth_radius_km):
        self.satrec = satrec
        self.epoch = epoch
        self.sun_t_s = np.asarray(sun_t_s, dtype=float)
        self.sun_km = np.asarray(sun_km, dtype=float)
        self.earth_radius_km = earth_radius_km

    def functions(self, t_s):
        """``(g_p, g_u)`` at times ``t_s`` ``(n,)``; NaN where SGP4 fails."""
        t_s = np.asarray(t_s, dtype=float)
        errors, r, _ = self.satrec.sgp4_array(*TimeGrid(self.epoch, t_s).sgp4_dates())
        r = np.where((errors == 0)[:, None], r, np.nan)
        sun = np.stack([np.interp(t_s, self.sun_t_s, self.sun_km[:, k]) for k in range(3)], axis=-1)
        a, b, c = shadow_angles(r, sun, self.earth_radius_km)
        return c - (a + b), c - (b - a)


def _crossings(t_s, g, which: int, model: _SatelliteSun, tolerance_s: float):
    """Refined times where ``g`` goes from + to - (entries) and - to + (exits)."""
    sign = g > 0
    idx = np.flatnonzero(sign[:-1] != sign[1:])
    lo, hi = t_s[idx].copy(), t_s[idx + 1].copy()
    lo_positive = sign[idx]
    while len(idx) and np.max(hi - lo) > tolerance_s:
        mid = 0.5 * (lo + hi)
        positive = model.functions(mid)[which] > 0
        same_as_lo = positive == lo_positive
        lo = np.where(same_as_lo, mid, lo)
        hi = np.where(same_as_lo, hi, mid)
    times = 0.5 * (lo + hi)
    return times[lo_positive], times[~lo_positive]


def eclipse_intervals(
    satrec,
    epoch,
    t_s,
    sun_t_s,
    sun_km,
    *,
    tolerance_s: float = 0.01,
    earth_radius_km: float = EARTH_RADIUS_IERS_KM,
) -> EclipseIntervals:
    """Eclipses of ``satrec`` within the sample times ``t_s`` (SI seconds from ``epoch``).

    ``epoch`` is anything :meth:`orbital.times.Epoch.parse` takes; SGP4 is
    given the UTC of each instant (:meth:`orbital.times.TimeGrid.sgp4_dates`).

    ``sun_t_s`` ``(m,)`` and ``sun_km`` ``(m, 3)``: the Sun in TEME, sampled
    densely enough for linear interpolation (hourly is ample: the error is
    under 1e-7 rad).  ``t_s`` must step more finely than the shortest eclipse
    of interest (30 s is the usual choice).  A satellite that fails (decays)
    inside the window is analysed up to its first failed sample; an eclipse
    under way then ends with NaN and ``complete`` False.
    """
    model = _SatelliteSun(satrec, Epoch.parse(epoch), sun_t_s, sun_km, earth_radius_km)
    t_s = np.asarray(t_s, dtype=float)
    g_p, g_u = model.functions(t_s)
    failed = np.isnan(g_p) | np.isnan(g_u)
    if failed.any():  # the satellite decayed (or SGP4 failed): analyse the window before it
        keep = int(np.argmax(failed))
        t_s, g_p, g_u = t_s[:keep], g_p[:keep], g_u[:keep]
        if keep < 2:
            empty = np.array([])
            return EclipseIntervals(empty, empty, empty, empty, np.array([], dtype=bool))
    p_in, p_out = _crossings(t_s, g_p, 0, model, tolerance_s)
    u_in, u_out = _crossings(t_s, g_u, 1, model, tolerance_s)
    starts = list(p_in)
    ends = list(p_out)
    if g_p[0] <= 0:  # already in shadow at the first sample
        starts.insert(0, np.nan)
    if g_p[-1] <= 0:
        ends.append(np.nan)
    starts, ends = np.array(starts, dtype=float), np.array(ends, dtype=float)
    umbra_start = np.full(len(starts), np.nan)
    umbra_end = np.full(len(starts), np.nan)
    lower = np.where(np.isnan(starts), -np.inf, starts)
    upper = np.where(np.isnan(ends), np.inf, ends)
    for times, target in ((u_in, umbra_start), (u_out, umbra_end)):
        for t in times:
            k = np.flatnonzero((lower <= t) & (t <= upper))
            if len(k):
                target[k[0]] = t
    complete = ~np.isnan(starts) & ~np.isnan(ends)
    return EclipseIntervals(starts, ends, umbra_start, umbra_end, complete)

"""The Sun's position from astropy, fully offline, and the one way it enters SGP4's frame.

astropy's ``get_sun`` evaluates the Sun from ERFA's built-in ephemeris and
returns apparent geocentric positions (with aberration) in the GCRS.  Time
scale conversions need leap seconds, which ``astropy-iers-data`` ships; the
downloads astropy would otherwise try are switched off for the duration of
each call only, so the user's own astropy configuration is left alone.

Everything that needs the Sun next to SGP4's orbits takes it from
:func:`sun_teme_km` (rotated into TEME with Skyfield's TEME matrices); other
frames follow from TEME (:func:`orbital.frames.teme_to_itrs_km`).  It is
evaluated at a grid's instants (``t_s`` SI seconds from the epoch), so that a
leap second counts as it does for the orbits.

The mean Sun, which sets mean solar time and so the LTAN of a mission's plane,
is a closed form of the date (:func:`mean_sun_right_ascension_deg`).
"""

from contextlib import contextmanager

import numpy as np

from orbital.constants import (
    J2000_JD,
    MEAN_SUN_RA_J2000_DEG,
    MEAN_SUN_RA_RATE_DEG_PER_DAY,
    MEAN_SUN_RA_T2_DEG,
    MEAN_SUN_RA_T3_DEG,
)
from orbital.times import TimeGrid

#: Longest gap between exact Sun evaluations, s.  In between the Sun is interpolated
#: linearly along the chord, which shortens it by at most (0.25 deg)^2 / 8 in rad, 2.4e-6 of
#: its length (the Sun moves 0.25 deg in 6 h), and turns it far less (measured: 0.002
#: arcsec over a day at one-minute steps, tests/test_frames.py).
SUN_STEP_S = 6 * 3600.0


@contextmanager
def _astropy_offline():
    """Astropy with downloads off, for this block only.

    Outside the bundled leap-second table (before 1960, and past its end a
    year or two ahead) ERFA calls UTC "dubious" and takes the nearest known
    offset; for the Sun's position that costs at most a second or two of time
    (under 0.1 arcsec), so that one warning is silenced here.
    """
    import warnings

    from astropy.utils import iers
    from erfa import ErfaWarning

    with (
        iers.conf.set_temp("auto_download", False),
        iers.conf.set_temp("auto_max_age", None),
        iers.conf.set_temp("iers_degraded_accuracy", "warn"),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", message=".*dubious year", category=ErfaWarning)
        yield


def sun_gcrs_km(jd_utc: np.ndarray, fr_utc: np.ndarray) -> np.ndarray:
    """Apparent geocentric position of the Sun, GCRS, km, shape ``(n_t, 3)``.

    ``jd_utc`` and ``fr_utc`` are split UTC Julian dates, shape ``(n_t,)``.
    """
    from astropy.coordinates import get_sun
    from astropy.time import Time

    with _astropy_offline():
        time = Time(np.atleast_1d(jd_utc), np.atleast_1d(fr_utc), format="jd", scale="utc")
        sun = get_sun(time)
        xyz = sun.cartesian.xyz.to_value("km")
    return np.ascontiguousarray(np.asarray(xyz).T)


def sun_teme_km(grid: TimeGrid, ts) -> np.ndarray:
    """The apparent Sun in SGP4's TEME frame at the grid's times, km, shape ``(n_t, 3)``.

    ``grid`` is an :class:`orbital.times.TimeGrid`, ``ts`` a Skyfield timescale.
    The Sun is :func:`sun_gcrs_km` (astropy, offline) rotated by the transpose
    of :func:`orbital.frames.teme_to_gcrs_matrices`; it is evaluated exactly
    every :data:`SUN_STEP_S` at most and interpolated linearly between (grids
    of one or two times, or no denser than that, are evaluated exactly).
    """
    from orbital.frames import teme_to_gcrs_matrices

    t_s = grid.t_s
    span_s = float(t_s.max() - t_s.min()) if len(t_s) else 0.0
    if len(t_s) > 2 and span_s / SUN_STEP_S + 2 < len(t_s):
        knots = TimeGrid(
            grid.epoch, np.linspace(t_s.min(), t_s.max(), int(span_s // SUN_STEP_S) + 2)
        )
        coarse = sun_teme_km(knots, ts)
        return np.stack([np.interp(t_s, knots.t_s, coarse[:, k]) for k in range(3)], axis=-1)
    jd, fr = grid.erfa_utc_dates()  # the grid's instants, a leap second's day as astropy counts it
    gcrs_to_teme = teme_to_gcrs_matrices(grid.skyfield(ts)).transpose(0, 2, 1)
    return np.einsum("tij,tj->ti", gcrs_to_teme, sun_gcrs_km(jd, fr))


def sun_right_ascension_teme_rad(grid: TimeGrid, ts) -> np.ndarray:
    """Right ascension of the apparent Sun in SGP4's TEME frame, rad in ``[0, 2 pi)``, ``(n_t,)``.

    ``grid`` is an :class:`orbital.times.TimeGrid`, ``ts`` a Skyfield timescale;
    the Sun is :func:`sun_teme_km`'s.
    """
    sun_teme = sun_teme_km(grid, ts)
    return np.arctan2(sun_teme[:, 1], sun_teme[:, 0]) % (2.0 * np.pi)


def mean_sun_right_ascension_deg(jd_ut1, fr_ut1=0.0):
    """Right ascension of the mean Sun, degrees in ``[0, 360)``; broadcasts.

    ``jd_ut1 + fr_ut1`` is the UT1 Julian date (split, as SGP4's dates are;
    UTC may stand for UT1: they differ by less than 0.9 s, 1e-5 deg here).
    The mean Sun is the one of mean solar time: its hour angle at Greenwich
    is UT1 - 12 h, so its right ascension is Greenwich mean sidereal time less
    that (IAU 1982 GMST; Meeus, *Astronomical Algorithms*, 2nd ed., eq. 12.4;
    coefficients in :mod:`orbital.constants`).  The argument is UT1, as GMST's
    is; taking TT instead (69 s later) would move it by 0.0008 deg.

    It is referred to the mean equinox of date, the equinox SGP4's TEME frame
    measures right ascension from (TEME: true equator, mean equinox; TEME turns
    into the Earth-fixed frame by GMST itself).  So a node at TEME right
    ascension ``alpha + 15 deg/h * (ltan - 12 h)`` crosses the equator at local
    mean time ``ltan``; nothing is neglected there beyond UT1 - UTC.  The
    equation of the equinoxes (up to 1.1 s of time, 0.005 deg), which separates
    the mean from the true equinox, is not applied: it would belong to a frame
    measured from the true equinox, which TEME is not.  The mean Sun differs
    from the true one by the equation of time, up to 16 minutes (4 deg).
    """
    days = (np.asarray(jd_ut1, dtype=float) - J2000_JD) + np.asarray(fr_ut1, dtype=float)
    centuries = days / 36525.0
    ra_deg = (
        MEAN_SUN_RA_J2000_DEG
        + MEAN_SUN_RA_RATE_DEG_PER_DAY * days
        + MEAN_SUN_RA_T2_DEG * centuries**2
        + MEAN_SUN_RA_T3_DEG * centuries**3
    )
    return ra_deg % 360.0

"""The Sun's position from astropy, fully offline.

astropy's ``get_sun`` evaluates the Sun from ERFA's built-in ephemeris and
returns apparent geocentric positions (with aberration) in the GCRS.  Time
scale conversions need leap seconds, which ``astropy-iers-data`` ships; the
downloads astropy would otherwise try are switched off for the duration of
each call only, so the user's own astropy configuration is left alone.
"""

from contextlib import contextmanager

import numpy as np

#: Astronomical unit, km (IAU 2012 Resolution B2).
AU_KM = 149_597_870.7


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


def sun_right_ascension_teme_rad(grid, ts) -> np.ndarray:
    """Right ascension of the apparent Sun in SGP4's TEME frame, rad, shape ``(n_t,)``.

    ``grid`` is an :class:`orbital.times.TimeGrid`, ``ts`` a Skyfield timescale.
    """
    from orbital.frames import teme_to_gcrs_matrices

    jd, fr = grid.sgp4_dates()
    sun_gcrs = sun_gcrs_km(jd, fr)
    gcrs_to_teme = teme_to_gcrs_matrices(grid.skyfield(ts)).transpose(0, 2, 1)
    sun_teme = np.einsum("tij,tj->ti", gcrs_to_teme, sun_gcrs)
    return np.arctan2(sun_teme[:, 1], sun_teme[:, 0]) % (2.0 * np.pi)

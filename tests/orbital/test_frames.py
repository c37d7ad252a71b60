"""The Sun in SGP4's frame and TEME vectors in the ITRS (orbital/sun.py, orbital/frames.py).

Authorities, none of them the code under test:

* Skyfield's own frames: a TEME vector made into a position with
  ``ICRF.from_time_and_frame_vectors(t, skyfield.sgp4lib.TEME, ...)`` and read back with
  ``frame_xyz(skyfield.framelib.itrs)`` (Skyfield's ITRS with the builtin timescale);
* JPL's DE421 (``skyfield-data``): the apparent Sun, ``earth.at(t).observe(sun).apparent()``,
  in Skyfield's TEME frame.
"""

import numpy as np
import pytest
from skyfield.framelib import itrs
from skyfield.positionlib import ICRF
from skyfield.sgp4lib import TEME
from skyfield.units import Distance, Velocity

from orbital.constants import AU_KM
from orbital.frames import teme_to_itrs_km
from orbital.sun import SUN_STEP_S, sun_right_ascension_teme_rad, sun_teme_km
from orbital.times import TimeGrid, parse_epoch

EPOCH = parse_epoch("2027-01-01T00:00:00Z")

#: Float64 rotations composed in different orders: a few ulps of the vector's length
#: (measured 7e-15).
ROTATION_RTOL = 4e-14
#: astropy's apparent Sun (ERFA) against DE421's, both with aberration: 0.011 arcsec in
#: direction and 4e-8 of the distance over 2027 (measured); allow 0.1 arcsec and 1e-6.
SUN_DIRECTION_TOL_RAD = np.radians(0.1 / 3600.0)
SUN_DISTANCE_RTOL = 1e-6
#: Between exact evaluations at most SUN_STEP_S apart the Sun is interpolated along the
#: chord, which shortens it by up to (0.25 deg)^2 / 8 = 2.4e-6 (orbital/sun.py) and turns it
#: by 0.002 arcsec (measured): the direction keeps SUN_DIRECTION_TOL_RAD.
SUN_INTERPOLATED_DISTANCE_RTOL = 2.4e-6 + SUN_DISTANCE_RTOL


def skyfield_teme_to_itrs_km(vectors_km, time):
    """TEME ``(n_t, 3)`` km into Skyfield's ITRS through Skyfield's position objects."""
    v = np.asarray(vectors_km, dtype=float).T
    position = ICRF.from_time_and_frame_vectors(
        time, TEME, Distance(km=v), Velocity(km_per_s=np.zeros_like(v))
    )
    return position.frame_xyz(itrs).km.T


def de421_sun_teme_km(de421, time):
    apparent = de421["earth"].at(time).observe(de421["sun"]).apparent()
    return apparent.frame_xyz(TEME).km.T


def angle_rad(a, b):
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.arctan2(cross, np.sum(a * b, axis=-1))


@pytest.mark.parametrize("length_km", [6_718.0, AU_KM])
def test_teme_to_itrs_is_skyfields_itrs(ts, length_km):
    rng = np.random.default_rng(3)
    t_s = np.sort(rng.uniform(0.0, 365.0 * 86400.0, 40))
    time = TimeGrid.from_offsets(EPOCH, t_s).skyfield(ts)
    v = rng.normal(size=(40, 3))
    v *= length_km / np.linalg.norm(v, axis=-1, keepdims=True)
    ours = teme_to_itrs_km(v, time)
    want = skyfield_teme_to_itrs_km(v, time)
    assert ours.shape == v.shape
    np.testing.assert_allclose(ours, want, rtol=0, atol=ROTATION_RTOL * length_km)


def test_teme_to_itrs_takes_satellites_by_time_steps(ts):
    """``(n_sat, n_t, 3)`` rotates each satellite's row as ``(n_t, 3)`` alone."""
    rng = np.random.default_rng(4)
    time = TimeGrid.from_offsets(EPOCH, np.arange(6) * 900.0).skyfield(ts)
    v = rng.normal(size=(5, 6, 3)) * 7000.0
    ours = teme_to_itrs_km(v, time)
    assert ours.shape == (5, 6, 3)
    for k in range(5):
        np.testing.assert_array_equal(ours[k], teme_to_itrs_km(v[k], time))
    np.testing.assert_array_equal(ours[..., 2], v[..., 2])  # a rotation about z
    np.testing.assert_allclose(
        np.linalg.norm(ours, axis=-1), np.linalg.norm(v, axis=-1), rtol=ROTATION_RTOL
    )


def test_sun_teme_is_de421s_apparent_sun(ts, de421):
    grid = TimeGrid.from_offsets(EPOCH, np.arange(0.0, 365.0 * 86400.0, 7.0 * 86400.0))
    ours = sun_teme_km(grid, ts)
    want = de421_sun_teme_km(de421, grid.skyfield(ts))
    assert ours.shape == (len(grid), 3)
    assert np.max(angle_rad(ours, want)) < SUN_DIRECTION_TOL_RAD
    np.testing.assert_allclose(
        np.linalg.norm(ours, axis=-1), np.linalg.norm(want, axis=-1), rtol=SUN_DISTANCE_RTOL
    )


def test_sun_teme_interpolated_on_dense_grids(ts, de421):
    """A day at one-minute steps: exact every SUN_STEP_S at most, linear between."""
    grid = TimeGrid.uniform(EPOCH, 86400.0, 60.0)
    assert len(grid) > 86400.0 / SUN_STEP_S + 2  # dense enough to be interpolated
    ours = sun_teme_km(grid, ts)
    want = de421_sun_teme_km(de421, grid.skyfield(ts))
    assert np.max(angle_rad(ours, want)) < SUN_DIRECTION_TOL_RAD
    np.testing.assert_allclose(
        np.linalg.norm(ours, axis=-1),
        np.linalg.norm(want, axis=-1),
        rtol=SUN_INTERPOLATED_DISTANCE_RTOL,
    )


def test_sun_right_ascension_is_the_teme_suns(ts, de421):
    grid = TimeGrid.from_offsets(EPOCH, np.arange(0.0, 365.0 * 86400.0, 30.0 * 86400.0))
    ra = sun_right_ascension_teme_rad(grid, ts)
    sun = de421_sun_teme_km(de421, grid.skyfield(ts))
    want = np.arctan2(sun[:, 1], sun[:, 0]) % (2.0 * np.pi)
    assert np.all((ra >= 0.0) & (ra < 2.0 * np.pi))
    diff = (ra - want + np.pi) % (2.0 * np.pi) - np.pi
    assert np.max(np.abs(diff)) < SUN_DIRECTION_TOL_RAD / np.cos(np.radians(23.44))


def test_globe_sun_in_itrs_is_skyfields(ts):
    """The report's Sun: the TEME Sun taken into the ITRS as Skyfield would."""
    grid = TimeGrid.uniform(EPOCH, 5400.0, 225.0)
    sun = sun_teme_km(grid, ts)
    time = grid.skyfield(ts)
    np.testing.assert_allclose(
        teme_to_itrs_km(sun, time),
        skyfield_teme_to_itrs_km(sun, time),
        rtol=0,
        atol=ROTATION_RTOL * AU_KM,
    )

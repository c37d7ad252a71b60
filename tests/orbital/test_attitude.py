"""Plate attitudes on a circular orbit (orbital/attitude.py): one normal per attitude.

Authorities, none of them the code under test: the attitudes' definitions written out
as conditions on the normal (unit length; along the velocity, the orbit normal, the
nadir or the Sun; edge-on to the Sun and containing the nadir), the orbit frame built
here from ``u`` and ``beta`` by hand, and the radiators' direct sunlight from
:func:`orbital.thermal.radiator_environment` (which takes its normals from the module).
"""

import math

import numpy as np
import pytest

from orbital.attitude import (
    PLATE_ATTITUDES,
    RADIATOR_ATTITUDES,
    array_flow_factor,
    orbit_geometry,
    orbit_samples_rad,
    plate_normals,
    radiator_flow_factor,
)
from orbital.thermal import radiator_environment

#: Unit vectors and dot products in float64: a few ulps.
ROUNDING_ATOL = 1e-12
#: Midpoint-rule orbit average of |sin u| on n samples: it sums to (2/n) / sin(pi/n), above
#: the exact 2/pi by (pi/n)^2 / 6 relative, 1.3e-5 at 360 samples; the array's closed form
#: is exact.
FLOW_SAMPLES = 360
MIDPOINT_RTOL = 2e-5
BETAS_DEG = (-80.0, -30.0, 0.0, 0.5, 20.0, 53.0, 89.0)


def frame_by_hand(beta_deg, u_rad):
    b = math.radians(beta_deg)
    sun = np.array([math.cos(b), 0.0, math.sin(b)])
    r = np.stack([np.cos(u_rad), np.sin(u_rad), np.zeros_like(u_rad)], axis=-1)
    v = np.stack([-np.sin(u_rad), np.cos(u_rad), np.zeros_like(u_rad)], axis=-1)
    return sun, r, v, np.array([0.0, 0.0, 1.0])


@pytest.mark.parametrize("beta_deg", BETAS_DEG)
def test_orbit_geometry_is_the_frame_by_hand(beta_deg):
    u = orbit_samples_rad(72)
    g = orbit_geometry(math.radians(beta_deg), u)
    sun, r, v, h = frame_by_hand(beta_deg, u)
    for got, want in ((g.sun, sun), (g.r_hat, r), (g.v_hat, v), (g.h_hat, h), (g.nadir, -r)):
        np.testing.assert_allclose(got, want, atol=ROUNDING_ATOL)


def test_orbit_samples_are_midpoints_away_from_the_sun_line():
    u = orbit_samples_rad(8)
    np.testing.assert_allclose(np.diff(u), np.pi / 4)
    assert u[0] == pytest.approx(np.pi / 8)
    assert np.min(np.abs(np.sin(orbit_samples_rad(361)))) > 0.0


@pytest.mark.parametrize("beta_deg", BETAS_DEG)
def test_each_attitude_is_its_definition(beta_deg):
    u = orbit_samples_rad(72)
    g = orbit_geometry(math.radians(beta_deg), u)
    sun, r, v, h = frame_by_hand(beta_deg, u)
    normals = {a: plate_normals(a, g) for a in PLATE_ATTITUDES}
    for attitude, n in normals.items():
        assert n.shape == (72, 3), attitude
        np.testing.assert_allclose(np.linalg.norm(n, axis=-1), 1.0, atol=ROUNDING_ATOL)
    np.testing.assert_allclose(normals["velocity"], v, atol=ROUNDING_ATOL)
    np.testing.assert_allclose(normals["orbit_normal"], np.broadcast_to(h, (72, 3)))
    np.testing.assert_allclose(normals["nadir"], -r, atol=ROUNDING_ATOL)
    np.testing.assert_allclose(normals["sun_tracking"], np.broadcast_to(sun, (72, 3)))
    edge_on = normals["sun_edge_on"]
    np.testing.assert_allclose(edge_on @ sun, 0.0, atol=ROUNDING_ATOL)  # edge-on to the Sun
    np.testing.assert_allclose(np.sum(edge_on * r, axis=-1), 0.0, atol=ROUNDING_ATOL)  # nadir


def test_sun_edge_on_takes_the_velocity_where_the_sun_is_along_the_nadir():
    g = orbit_geometry(0.0, np.array([0.0, np.pi, np.pi / 2]))  # Sun at zenith, nadir, aside
    n = plate_normals("sun_edge_on", g)
    np.testing.assert_allclose(n[:2], g.v_hat[:2], atol=ROUNDING_ATOL)
    np.testing.assert_allclose(np.abs(n[2]), [0.0, 0.0, 1.0], atol=ROUNDING_ATOL)


def test_unknown_attitudes_are_refused():
    g = orbit_geometry(0.3, orbit_samples_rad(4))
    with pytest.raises(ValueError, match="attitude='sideways'"):
        plate_normals("sideways", g)
    with pytest.raises(ValueError, match="attitude='sun_tracking'"):
        radiator_flow_factor("sun_tracking", [10.0])
    assert set(RADIATOR_ATTITUDES) < set(PLATE_ATTITUDES)


@pytest.mark.parametrize("attitude", RADIATOR_ATTITUDES)
@pytest.mark.parametrize("beta_deg", BETAS_DEG)
def test_drag_share_is_the_orbit_mean_of_the_normal_along_the_velocity(attitude, beta_deg):
    """The drag's flow factor and the normals the thermal model uses are one definition."""
    g = orbit_geometry(math.radians(beta_deg), orbit_samples_rad(FLOW_SAMPLES))
    share = np.mean(np.abs(np.sum(plate_normals(attitude, g) * g.v_hat, axis=-1)))
    assert radiator_flow_factor(attitude, [beta_deg]) == pytest.approx(share, abs=ROUNDING_ATOL)


@pytest.mark.parametrize("beta_deg", BETAS_DEG)
def test_array_share_is_the_orbit_mean_of_the_sun_along_the_velocity(beta_deg):
    g = orbit_geometry(math.radians(beta_deg), orbit_samples_rad(FLOW_SAMPLES))
    share = np.mean(np.abs(np.sum(plate_normals("sun_tracking", g) * g.v_hat, axis=-1)))
    assert array_flow_factor(beta_deg) == pytest.approx(share, rel=MIDPOINT_RTOL, abs=1e-15)


@pytest.mark.parametrize("beta_deg", [20.0, 53.0, 75.0])
def test_thermal_sees_no_direct_sun_on_an_edge_on_radiator(beta_deg):
    """Same panel, same normal: an edge-on radiator with no Earth in view absorbs nothing
    but albedo and IR, so with both switched off it absorbs nothing at all."""
    env = radiator_environment(
        beta_deg,
        340.0,
        attitude="sun_edge_on",
        absorptivity=0.9,
        emissivity=0.9,
        albedo=0.0,
        earth_ir_w_m2=0.0,
    )
    assert env.peak_w_m2 == pytest.approx(0.0, abs=ROUNDING_ATOL)
    lit = radiator_environment(
        beta_deg,
        340.0,
        attitude="orbit_normal",
        absorptivity=0.9,
        emissivity=0.9,
        albedo=0.0,
        earth_ir_w_m2=0.0,
    )
    assert lit.peak_w_m2 > 0.0  # the Sun at beta lights a panel along the orbit normal

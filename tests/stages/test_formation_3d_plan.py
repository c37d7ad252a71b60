"""A 3d lattice in the planner: members' positions against an SGP4 chief and SS offsets
computed here (the cross-track offsets along the chief's orbit normal), and the preset
suncatcher-81-3d's spacing from the planner's own positions."""

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec, jday

from constellations.io.scenario import load_scenario
from constellations.model.constellation import Constellation, Shell
from constellations.model.formation import Formation
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital.elements import kozai_mean_motion_rad_min
from orbital.formation import separation_metrics
from orbital.formation_3d import lattice_3d_states, lattice_points_3d_m
from orbital.relative_motion import EARTH_RADIUS_M, relative_positions_m
from orbital.times import TimeGrid

#: Both sides add the same SS offsets to the same SGP4 chief: rounding only (1 mm).
SAME_KM = 1e-6
#: SGP4's frame against SS's circular one over 96 samples an orbit: the spacing within 1 m.
SPACING_TOLERANCE_M = 1.0


def test_3d_members_are_the_sgp4_chief_plus_ss_offsets_along_r_v_and_the_normal():
    f = Formation(
        name="fc", altitude_km=650.0, inclination_deg=53.0, raan_deg=40.0, lattice="3d",
        spacing_m=100.0, members=13,
    )  # fmt: skip
    c = Constellation("f", "2027-03-01T00:00:00Z", shells=(Shell.from_formation(f),))
    t_s = np.linspace(0.0, 6000.0, 7)
    grid = TimeGrid.from_offsets(c.epoch, t_s)
    got = np.concatenate([ch.positions_km.copy() for ch in stream_positions(c, grid, frame="teme")])
    radius_m = EARTH_RADIUS_M + 650e3
    incl = np.radians(53.0)
    points = lattice_points_3d_m(100.0, radius_m, incl, n_members=13, array_side_m=10.0)
    offsets = relative_positions_m(
        lattice_3d_states(points, radius_m, incl, 50.0), t_s, radius_m, incl
    )
    assert np.abs(offsets[..., 2]).max() > 100.0  # members do leave the orbital plane
    jd0, fr0 = jday(2027, 3, 1, 0, 0, 0.0)
    # At the node at the epoch (mean anomaly and perigee 0): the design's phase.
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", 1, jd0 + fr0 - 2433281.5, 0.0, 0.0, 0.0, 0.0, 0.0, incl, 0.0,
        float(kozai_mean_motion_rad_min(650.0, 53.0)), np.radians(40.0),
    )  # fmt: skip
    e, r, v = sat.sgp4_array(np.full(7, jd0), fr0 + t_s / 86400.0)
    assert not e.any()
    x = r / np.linalg.norm(r, axis=1)[:, None]
    z = np.cross(r, v)
    z /= np.linalg.norm(z, axis=1)[:, None]
    y = np.cross(z, x)
    want = r[None] + 1e-3 * (offsets[..., :1] * x + offsets[..., 1:2] * y + offsets[..., 2:] * z)
    np.testing.assert_allclose(got, want, rtol=0, atol=SAME_KM)


@pytest.fixture(scope="module")
def preset():
    return load_scenario("suncatcher-81-3d")


def test_the_preset_keeps_100_m_in_the_planners_positions(preset):
    (shell,) = resolve(preset)
    assert preset.n_sats == 81 and shell.shell.formation.n_members == 81
    t_s = np.arange(96) * (shell.period_min * 60.0 / 96)
    grid = TimeGrid.from_offsets(preset.epoch, t_s)
    pos_m = 1e3 * np.concatenate(
        [ch.positions_km.copy() for ch in stream_positions(preset, grid, frame="teme")]
    )
    smallest, largest = separation_metrics(pos_m)
    assert smallest.min() >= 100.0 - SPACING_TOLERANCE_M
    assert largest.max() < 3 * 100.0  # neighbours within 3 x the spacing (the map's 3:1)
    assert np.linalg.norm(pos_m - pos_m[0], axis=-1).max() < 700.0

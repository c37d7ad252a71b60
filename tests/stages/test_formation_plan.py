"""Formations in the planner: members' positions against SGP4 and SS computed here, the
preset's spacing, its plan, JSON and report in-process."""

import json

import jsonschema
import numpy as np
import pytest
from sgp4.api import WGS72, Satrec, jday

from constellations.io.scenario import load_scenario
from constellations.model.constellation import Constellation, Shell
from constellations.model.formation import Formation
from constellations.planner import plan
from constellations.records import plan_record, plan_schema, to_json_text
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital.elements import kozai_mean_motion_rad_min
from orbital.formation import (
    lattice_neighbour_pairs,
    lattice_points_m,
    pair_distances_m,
    separation_metrics,
)
from orbital.relative_motion import EARTH_RADIUS_M, J2, MU_M3_S2
from orbital.times import TimeGrid

#: Members against the independent construction: both add the same mean relative orbits to the same
#: SGP4 chief, so only rounding separates them (1 mm on 7,000 km).
SAME_KM = 1e-6
#: The preset's lattice neighbours breathe from the pitch (100 m) to twice it each half
#: orbit (orbital.formation); 96 samples an orbit and SS's 0.1 % stretch stay within 15 m.
SPACING_M = 15.0


def _formation(**changes) -> Formation:
    keys = dict(
        name="fc",
        altitude_km=650.0,
        inclination_deg=53.0,
        raan_deg=40.0,
        radial_pitch_m=100.0,
        members=7,
        clusters=2,
    )
    return Formation(**{**keys, **changes})


def _chief(epoch_jd: float, altitude_km: float, inclination_deg: float, raan_deg, m0_rad):
    """A circular SGP4 chief built here with python-sgp4 (WGS-72)."""
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", 1, epoch_jd - 2433281.5, 0.0, 0.0, 0.0, 0.0, 0.0,
        np.radians(inclination_deg), m0_rad,
        float(kozai_mean_motion_rad_min(altitude_km, inclination_deg)), np.radians(raan_deg),
    )  # fmt: skip
    return sat


def test_members_are_the_sgp4_chief_plus_mean_relative_orbits_rotated_from_lvlh():
    f = _formation()
    c = Constellation("f", "2027-03-01T00:00:00Z", shells=(Shell.from_formation(f),))
    t_s = np.linspace(0.0, 6000.0, 7)
    grid = TimeGrid.from_offsets(c.epoch, t_s)
    got = np.concatenate([ch.positions_km.copy() for ch in stream_positions(c, grid, frame="teme")])
    assert got.shape == (14, 7, 3)
    jd0, fr0 = jday(2027, 3, 1, 0, 0, 0.0)
    points = lattice_points_m("hexagonal", 100.0, n_members=7)
    # The 2:1 ellipses turning at the mean anomaly's J2 rate about SGP4's mean a, written
    # here (Vallado 4th ed. section 9.6: M' = n (1 + 3/4 J2 (Re/a)^2 (3 cos^2 i - 1))).
    a = EARTH_RADIUS_M + 650e3
    rate = np.sqrt(MU_M3_S2 / a**3) * (
        1 + 0.75 * J2 * (EARTH_RADIUS_M / a) ** 2 * (3 * np.cos(np.radians(53.0)) ** 2 - 1)
    )
    phase = np.arctan2(points[:, 1], points[:, 0])[:, None] + rate * t_s
    amplitude = np.hypot(points[:, 0], points[:, 1])[:, None]
    offsets = np.stack(
        [amplitude * np.cos(phase), -2 * amplitude * np.sin(phase), 0 * phase], axis=-1
    )
    for k in range(2):
        chief = _chief(jd0 + fr0, 650.0, 53.0, 40.0, np.pi * k)
        e, r, v = chief.sgp4_array(np.full(7, jd0), fr0 + t_s / 86400.0)
        assert not e.any()
        x = r / np.linalg.norm(r, axis=1)[:, None]
        z = np.cross(r, v)
        z /= np.linalg.norm(z, axis=1)[:, None]
        y = np.cross(z, x)
        want = r[None] + 1e-3 * (
            offsets[..., :1] * x + offsets[..., 1:2] * y + offsets[..., 2:] * z
        )
        np.testing.assert_allclose(got[7 * k : 7 * (k + 1)], want, rtol=0, atol=SAME_KM)


def test_members_keep_their_distances_in_itrs():
    f = _formation(clusters=1)
    c = Constellation("f", "2027-03-01T00:00:00Z", shells=(Shell.from_formation(f),))
    grid = TimeGrid.from_offsets(c.epoch, np.linspace(0.0, 3000.0, 5))
    teme, itrs = (
        next(iter(stream_positions(c, grid, frame=frame))).positions_km.copy()
        for frame in ("teme", "itrs")
    )
    d_teme = np.linalg.norm(teme[1:] - teme[0], axis=-1)
    d_itrs = np.linalg.norm(itrs[1:] - itrs[0], axis=-1)
    np.testing.assert_allclose(d_itrs, d_teme, rtol=0, atol=1e-9)
    assert not np.allclose(teme, itrs)


@pytest.fixture(scope="module")
def suncatcher():
    return load_scenario("suncatcher-81")


def test_the_preset_spacing_is_100_to_200_m_from_the_planners_positions(suncatcher):
    (shell,) = resolve(suncatcher)
    assert suncatcher.n_sats == 81 and shell.shell.formation.n_members == 81
    t_s = np.arange(96) * (shell.period_min * 60.0 / 96)
    grid = TimeGrid.from_offsets(suncatcher.epoch, t_s)
    pos_m = 1e3 * np.concatenate(
        [ch.positions_km.copy() for ch in stream_positions(suncatcher, grid, frame="teme")]
    )
    smallest, largest = separation_metrics(pos_m)
    assert abs(smallest.min() - 100.0) < SPACING_M
    # Nearest neighbours: 100 m to sqrt(7/4) x 100 m (orbital.formation's note).
    assert abs(largest.max() - 100.0 * np.sqrt(7 / 4)) < SPACING_M
    pairs = lattice_neighbour_pairs(lattice_points_m("hexagonal", 100.0, None, 1000.0, 81))
    d = pair_distances_m(pos_m, pairs)
    assert abs(d.min() - 100.0) < SPACING_M and abs(d.max() - 200.0) < SPACING_M
    centre = pos_m[0]
    assert np.linalg.norm(pos_m - centre, axis=-1).max() < 1000.0


@pytest.fixture(scope="module")
def preset_plan(suncatcher):
    return plan(suncatcher, stages=("formation", "network"))


def test_the_preset_plan_says_what_the_issue_asks(preset_plan):
    from orbital.constants import G0_M_S2

    (f,) = preset_plan.formation.formations
    assert abs(f.min_separation_m - 100.0) < SPACING_M
    assert abs(f.max_neighbour_m - 132.3) < SPACING_M
    moderate = {c.name: c for c in f.cases}["moderate"]
    # "about 100 m ... in days at 650 km for 1 %" (issue 18).
    assert 1.0 < moderate.drift_time_s / 86400.0 < 10.0
    # Loss of control closes below keep-out sooner than the drift reaches the pitch.
    assert moderate.first_approach_s < moderate.drift_time_s * np.sqrt(2.0)
    closed = preset_plan.closure.of("suncatcher")
    mass = closed.sized.sizing.satellite_mass_kg
    isp = closed.drag.thruster.isp_s
    tsiolkovsky = mass * (1 - np.exp(-moderate.station_keeping_m_s_per_year / (G0_M_S2 * isp)))
    assert moderate.propellant_kg_per_year == pytest.approx(tsiolkovsky, rel=1e-6)
    # The cluster's mesh: 1.6 Tbps links within 1 km; the ring's bottleneck is a 1.6 Tbps
    # link: 2 (n - 1) / n x 100 GB x 8 / 1.6 Tbps = 0.988 s plus latency.
    mesh = f.mesh
    assert mesh.capacity_gbps == 1600.0 and mesh.largest_cluster_sats == 81
    assert mesh.mean_link_m < 1000.0
    assert mesh.allreduce_s == pytest.approx(2 * 80 / 81 * 100 * 8 / 1600, rel=1e-3)
    assert preset_plan.network.snapshot.allreduce_s == pytest.approx(mesh.allreduce_s)


def test_the_preset_plan_json_follows_the_schema(preset_plan):
    record = json.loads(to_json_text(plan_record(preset_plan)))
    jsonschema.validate(record, plan_schema())
    (f,) = record["formations"]
    assert f["members"] == 81 and len(f["cases"]) == 3


def test_the_report_and_the_terminal_table_show_the_formation(preset_plan):
    from constellations.present import tables
    from constellations.present.report import plan_sections

    rows = tables.formation_rows(preset_plan.formation)
    assert any("smallest separation" in m for m, _ in rows)
    sections = dict(plan_sections(preset_plan))
    assert "smallest separation" in sections["Close formation"]

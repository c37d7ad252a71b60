"""The +Grid's cross-plane partner: the offset a brute force over every offset picks.

Authorities, kept independent of the code under test:

- A brute force over every partner offset (``tests/partner_oracle.py``): python-sgp4 called
  directly on Walker's elements, every slot of the next plane, the lengths and the lowest
  point of each line of sight recomputed in another form than the planner's.
- Closed-form geometry of two circular orbits of radius ``r``: satellite ``u`` of the plane
  with node ``Omega`` and inclination ``i`` is at
  ``r (cos O cos u - sin O cos i sin u, sin O cos u + cos O cos i sin u, sin i sin u)``;
  the chord between two such points and its lowest altitude ``|r1 x r2| / |r2 - r1| - R``
  (equal radii: the foot of the perpendicular lies on the chord), averaged or minimised over
  the argument of latitude on a fine grid.
- Walker's phasing (Walker 1984): in a delta shell the seam from the last plane to the first
  is an ordinary neighbouring pair turned by ``360/P`` about the Earth's axis, with the slots
  renumbered by ``F``: its partner lies ``F`` slots further on in index.
"""

import numpy as np
import pytest
from partner_oracle import offset_table, sgp4_orbit, walker_phase_deg

from constellations.model.constellation import Constellation, Shell
from constellations.model.links import LinksDesign
from constellations.records import cross_plane_partners_record, network_record
from constellations.stages.mesh_orbit import mesh_over_orbit
from constellations.stages.network import candidate_edges, shell_grids
from constellations.stages.resolve import resolve
from orbital.links import PARTNER_SAMPLES, best_partner

#: SGP4's Earth radius, km (WGS-72): a shell's altitude is counted above it.
EARTH_RADIUS_WGS72_KM = 6378.135
#: Equatorial radius of the Earth, km (IERS Conventions 2010): the grazing altitude's datum.
EARTH_RADIUS_IERS_KM = 6378.1366
#: The argument of latitude sampled every 0.1 degree for the closed-form orbit means.
CLOSED_FORM_SAMPLES = 3600
#: SGP4's J2 periodic terms move a satellite a few km off its mean circle; neighbours move
#: almost alike, so the length between them differs from the circles' by well under 0.5 %.
SGP4_VS_CIRCLE_RTOL = 5e-3
#: ... and the lowest point of their line of sight by a few km.
SGP4_VS_CIRCLE_GRAZING_KM = 3.0
#: Sampled every 3 degrees of argument of latitude, a length that peaks twice an orbit is
#: found within 1 - cos(3 deg) = 0.14 % of its largest value: the seam, sampled at other
#: phases, may see two mirror-image partners' longest links that far apart.
SAMPLED_LONGEST_RTOL = 2e-3
#: SGP4's odd zonal term (J3) depends on where in the orbit a pair sits, so the seam,
#: sampled at other phases, sees the same geometry's mean length differ in the tenth
#: significant figure (millimetres): mirror-image partners (a polar shell, two planes 180
#: degrees apart) may then swap.
SEAM_MEAN_RTOL = 1e-7
#: The plan JSON gives lengths to the metre: half a metre, plus float64 sums at 7,000 km.
JSON_LENGTH_KM = 0.5e-3 + 1e-9


def shell_of(planes, sats_per_plane, phasing, inclination_deg, altitude_km, **kwargs):
    return Shell.walker(
        "s",
        altitude_km=altitude_km,
        inclination_deg=inclination_deg,
        planes=planes,
        sats_per_plane=sats_per_plane,
        phasing=phasing,
        **kwargs,
    )


def chosen_offsets(shell, epoch, ts, **links):
    """The planner's +Grid of one shell read back as offsets: ``(resolved, ordinary, seam)``.

    Every ordinary neighbouring pair must use one offset; ``seam`` is None without a seam.
    """
    constellation = Constellation("partners", epoch, shells=(shell,), links=LinksDesign(**links))
    resolved = resolve(constellation, ts)
    i, j, cross = candidate_edges(resolved, constellation.links)
    per_plane = shell.sats_per_plane
    plane_i, slot_i = np.divmod(i[cross], per_plane)
    plane_j, slot_j = np.divmod(j[cross], per_plane)
    ordinary = plane_j == plane_i + 1
    seam = (plane_i == shell.planes - 1) & (plane_j == 0)
    assert np.count_nonzero(ordinary) == (shell.planes - 1) * per_plane
    offsets = set(((slot_j - slot_i)[ordinary] % per_plane).tolist())
    seams = set(((slot_j - slot_i)[seam] % per_plane).tolist())
    assert len(offsets) == 1 and len(seams) <= 1
    assert np.count_nonzero(seam) in (0, per_plane)
    return resolved[0], offsets.pop(), (seams.pop() if seams else None)


def circle_points(raan_deg, inclination_deg, u_deg, radius_km):
    o, i, u = np.radians(raan_deg), np.radians(inclination_deg), np.radians(u_deg)
    return radius_km * np.stack(
        [
            np.cos(o) * np.cos(u) - np.sin(o) * np.cos(i) * np.sin(u),
            np.sin(o) * np.cos(u) + np.cos(o) * np.cos(i) * np.sin(u),
            np.sin(i) * np.sin(u),
        ],
        axis=-1,
    )


def circle_pair(node_step_deg, phase_gap_deg, inclination_deg, altitude_km):
    """Closed form: mean length, longest length, lowest line of sight over one orbit, km."""
    u = np.arange(CLOSED_FORM_SAMPLES) * (360.0 / CLOSED_FORM_SAMPLES)
    r = EARTH_RADIUS_WGS72_KM + altitude_km
    a = circle_points(0.0, inclination_deg, u, r)
    b = circle_points(node_step_deg, inclination_deg, u + phase_gap_deg, r)
    length = np.linalg.norm(b - a, axis=-1)
    lowest = np.linalg.norm(np.cross(a, b), axis=-1) / length - EARTH_RADIUS_IERS_KM
    return float(length.mean()), float(length.max()), float(lowest.min())


# ----------------------------------------------------------------------------- the rule


def test_best_partner_rule_closes_longest_then_mean_then_longest_link_then_phase():
    gaps = np.array([0.1, -0.2])
    # Closing at more instants beats a shorter mean.
    lengths = np.array([[1000.0] * 4, [500.0] * 4])
    closes = np.array([[True] * 4, [True, True, True, False]])
    assert best_partner(lengths, closes, gaps) == 0
    # With the same share, the shorter mean wins over a shorter longest link.
    lengths = np.array([[300.0, 700.0], [590.0, 610.0]])
    assert best_partner(lengths, np.ones((2, 2), bool), gaps) == 0
    # Equal means: the shorter longest link.
    lengths = np.array([[400.0, 800.0], [550.0, 650.0]])
    assert best_partner(lengths, np.ones((2, 2), bool), gaps) == 1
    # Equal in everything: the smaller phase gap, then the partner ahead.
    lengths = np.full((3, 2), 600.0)
    assert best_partner(lengths, np.ones((3, 2), bool), np.array([0.3, -0.2, 0.25])) == 1
    assert best_partner(lengths, np.ones((3, 2), bool), np.array([-0.2, 0.3, 0.2])) == 2
    # A failed satellite's samples (NaN) do not close and are left out of the lengths.
    lengths = np.array([[np.nan, 100.0], [200.0, 200.0]])
    closes = np.array([[True, True], [True, True]])
    assert best_partner(lengths, closes, gaps) == 1
    assert best_partner(lengths, np.zeros((2, 2), bool), gaps) == 0


# ----------------------------------------------------------------------------- property

EPOCH = "2027-03-20T00:00:00Z"

#: (planes, sats_per_plane, phasing, inclination_deg, altitude_km, shell keys, links keys)
CASES = [
    (72, 22, 36, 53.0, 550.0, {}, {}),  # the reproducer: a tie in phase
    (72, 22, 23, 53.0, 550.0, {}, {}),
    (72, 22, 0, 53.0, 550.0, {}, {}),
    (10, 12, 0, 53.0, 340.0, {}, {}),  # the same slot dips below 80 km
    (5, 5, 0, 53.0, 2000.0, {}, {}),
    (24, 30, 7, 70.0, 1200.0, {}, {}),
    (20, 40, 13, 45.0, 350.0, {}, {}),
    (3, 4, 2, 30.0, 500.0, {}, {}),
    (2, 8, 1, 53.0, 800.0, {}, {}),
    (40, 9, 17, 53.0, 340.0, {}, {}),
    (9, 10, 4, 120.0, 700.0, {}, {}),  # retrograde
    (8, 10, 3, 90.0, 800.0, {}, {}),  # polar: mirror-image partners tie
    (12, 8, 5, 97.6, 600.0, {"pattern": "star"}, {}),
    (6, 11, 2, 86.4, 780.0, {"pattern": "star"}, {}),
    (8, 36, 3, 60.0, 400.0, {"raan_spread_deg": 20.0}, {}),  # a band of planes
    (12, 12, 0, 53.0, 340.0, {}, {"max_range_km": 2500.0}),  # range limits part of the orbit
    (16, 10, 5, 65.0, 500.0, {}, {"grazing_altitude_km": 300.0, "max_range_km": 3000.0}),
]


@pytest.mark.parametrize(
    "planes, sats_per_plane, phasing, inclination_deg, altitude_km, shell_keys, links_keys",
    CASES,
    ids=[f"{c[0]}x{c[1]}-F{c[2]}-i{c[3]:g}-{c[4]:g}km-{len(c[5]) + len(c[6])}" for c in CASES],
)
def test_cross_plane_partner_is_the_brute_force_optimum(
    ts, planes, sats_per_plane, phasing, inclination_deg, altitude_km, shell_keys, links_keys
):
    shell = shell_of(planes, sats_per_plane, phasing, inclination_deg, altitude_km, **shell_keys)
    resolved, offset, seam = chosen_offsets(shell, EPOCH, ts, **links_keys)
    design = LinksDesign(**links_keys)
    limits = {"max_range_km": design.max_range_km, "grazing_km": design.grazing_altitude_km}
    table = offset_table(resolved, EPOCH, 0, 1, PARTNER_SAMPLES, **limits)
    assert offset in table.best()
    wrapped = shell.spread_deg == 360.0
    assert (seam is not None) is wrapped
    if wrapped:
        # The seam's own brute force, sampled at other phases of the same geometry.
        assert seam == (offset + phasing) % sats_per_plane
        seam_table = offset_table(resolved, EPOCH, planes - 1, 0, PARTNER_SAMPLES, **limits)
        assert seam in seam_table.best(SEAM_MEAN_RTOL, SAMPLED_LONGEST_RTOL)


# ----------------------------------------------------------------------------- the reproducers


def test_s550_f36_links_the_partner_half_as_far(ts):
    # 72 x 22 at 53 deg and 550 km, F = 36: the two nearest slots of the next plane are
    # +-8.18 deg away in phase, but the planes' 5-degree node step shears the geometry.
    planes, per_plane, phasing = 72, 22, 36
    shell = shell_of(planes, per_plane, phasing, 53.0, 550.0)
    resolved, offset, seam = chosen_offsets(shell, EPOCH, ts)
    step_deg = 360.0 / (planes * per_plane)
    ahead = circle_pair(5.0, phasing * step_deg, 53.0, 550.0)
    behind = circle_pair(5.0, (phasing - planes) * step_deg, 53.0, 550.0)
    assert behind[0] < 0.55 * ahead[0]  # 709.5 km against 1392.5 km
    # The mesh's cross-plane links over one orbit (python-sgp4, every satellite).
    samples = 24
    orbit = np.stack(
        [sgp4_orbit(resolved, EPOCH, p, np.arange(per_plane), samples) for p in range(planes)]
    )
    slots = np.arange(per_plane)
    ordinary = orbit[1:, (slots + offset) % per_plane] - orbit[:-1, slots]
    wrap = orbit[0, (slots + seam) % per_plane] - orbit[-1, slots]
    lengths = np.linalg.norm(np.concatenate([ordinary, wrap[None]]), axis=-1)
    assert lengths.mean() == pytest.approx(behind[0], rel=SGP4_VS_CIRCLE_RTOL)
    assert lengths.max() == pytest.approx(behind[1], rel=SGP4_VS_CIRCLE_RTOL)


def test_10x12_f0_keeps_every_cross_plane_link_over_the_orbit(ts):
    # 10 planes 36 deg apart at 340 km: the same slot's line of sight dips to 11 km near the
    # equator, the slot behind it never below 117 km.
    planes, per_plane = 10, 12
    same = circle_pair(36.0, 0.0, 53.0, 340.0)
    behind = circle_pair(36.0, -30.0, 53.0, 340.0)
    assert same[2] < 80.0 < behind[2]
    shell = shell_of(planes, per_plane, 0, 53.0, 340.0)
    resolved, offset, seam = chosen_offsets(shell, EPOCH, ts)
    assert offset == seam == per_plane - 1
    table = offset_table(resolved, EPOCH, 0, 1, PARTNER_SAMPLES)
    assert table.min_grazing_km[offset] == pytest.approx(behind[2], abs=SGP4_VS_CIRCLE_GRAZING_KM)
    assert table.min_grazing_km[0] == pytest.approx(same[2], abs=SGP4_VS_CIRCLE_GRAZING_KM)
    constellation = Constellation("partners", EPOCH, shells=(shell,), links=LinksDesign())
    resolved = resolve(constellation, ts)
    result = mesh_over_orbit(
        constellation,
        resolved,
        constellation.links,
        [100.0],
        shed=False,
        period_min=resolved[0].period_min,
        ts=ts,
    )
    record = network_record(result)
    n = planes * per_plane
    assert record["links"] == record["over_orbit"]["min_links"] == 2 * n
    (partners,) = record["cross_plane_partners"]
    assert partners["shell"] == "s"
    assert partners["offset"] == partners["seam_offset"] == per_plane - 1
    assert partners["closes_share"] == 1.0
    assert partners["mean_km"] == pytest.approx(table.mean_km[offset], abs=JSON_LENGTH_KM)


def test_the_partner_is_not_the_nearest_phase_when_the_shear_is_larger(ts):
    # Brute force and Walker's phases together: in the 72 x 22, F = 36 shell the planner's
    # partner is the slot behind in phase, which the nearest-phase rule (a tie, broken
    # towards the slot ahead) missed.
    shell = shell_of(72, 22, 36, 53.0, 550.0)
    _, offset, _ = chosen_offsets(shell, EPOCH, ts)
    gap = walker_phase_deg(1, offset, 72, 22, 36) - walker_phase_deg(0, 0, 72, 22, 36)
    assert (gap + 180.0) % 360.0 - 180.0 == pytest.approx(-360.0 * 36 / (72 * 22))


def test_the_plan_json_gives_the_partners_of_the_s550_f36_shell(ts):
    # The case: 72 x 22 at 53 deg and 550 km, F = 36.
    planes, per_plane, phasing = 72, 22, 36
    shell = shell_of(planes, per_plane, phasing, 53.0, 550.0)
    constellation = Constellation("partners", EPOCH, shells=(shell,), links=LinksDesign())
    resolved = resolve(constellation, ts)
    (grid,) = shell_grids(resolved, constellation.links)
    record = cross_plane_partners_record(grid)
    table = offset_table(resolved[0], EPOCH, 0, 1, PARTNER_SAMPLES)
    offset = record["offset"]
    assert record["shell"] == "s"
    assert offset in table.best()
    assert record["seam_offset"] == (offset + phasing) % per_plane
    seam_table = offset_table(resolved[0], EPOCH, planes - 1, 0, PARTNER_SAMPLES)
    assert record["seam_offset"] in seam_table.best(SEAM_MEAN_RTOL, SAMPLED_LONGEST_RTOL)
    assert record["mean_km"] == pytest.approx(table.mean_km[offset], abs=JSON_LENGTH_KM)
    assert record["longest_km"] == pytest.approx(table.longest_km[offset], abs=JSON_LENGTH_KM)
    assert record["closes_share"] == table.closes[offset] / PARTNER_SAMPLES == 1.0
    # The partner behind in phase, at the closed form's 709.5 km on average.
    step_deg = 360.0 * (phasing - planes) / (planes * per_plane)
    behind = circle_pair(5.0, step_deg, 53.0, 550.0)
    assert record["mean_km"] == pytest.approx(behind[0], rel=SGP4_VS_CIRCLE_RTOL)

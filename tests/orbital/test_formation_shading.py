"""Mutual shading of the arrays against a brute-force ray test written here.

The ray test samples each array on a fine grid of points, casts a ray from each towards
the Sun and intersects it with every other member's square (plane intersection, then the
in-square test in that square's own axes).  Its grid resolves a fraction to about
``2 / samples`` of the side.
"""

import numpy as np
import pytest

from orbital.formation_shading import array_axes, shaded_fraction

SIDE_M = 40.0
SAMPLES = 200


def ray_traced_fraction(positions, sun, side, samples=SAMPLES):
    """``(n, n_t)`` fractions of sample points whose ray to the Sun hits another array."""
    s, e1, e2 = array_axes(sun)
    grid = (np.arange(samples) + 0.5) / samples * side - side / 2
    gu, gv = (g.ravel() for g in np.meshgrid(grid, grid, indexing="ij"))
    n, n_t, _ = positions.shape
    out = np.zeros((n, n_t))
    for k in range(n_t):
        for i in range(n):
            pts = positions[i, k] + gu[:, None] * e1[k] + gv[:, None] * e2[k]
            hit = np.zeros(len(pts), dtype=bool)
            for j in range(n):
                if j == i:
                    continue
                depth = (positions[j, k] - pts) @ s[k]  # along the ray to j's plane
                at = pts + depth[:, None] * s[k] - positions[j, k]
                inside = (np.abs(at @ e1[k]) < side / 2) & (np.abs(at @ e2[k]) < side / 2)
                hit |= inside & (depth > 0)
            out[i, k] = hit.mean()
    return out


def test_three_members_with_overlapping_shadows_match_the_ray_test():
    # With the Sun on +z member 0 is shaded by 1 and by 2 at once; with the Sun radial (+x)
    # member 3, 300 m sunward, hides it whole.
    positions = np.array(
        [[0.0, 0.0, 0.0], [10.0, 25.0, 60.0], [-15.0, -5.0, 120.0], [300.0, 0.0, 0.0]]
    )[:, None, :]
    suns = np.array(
        [
            [0.0, 0.0, 1.0],
            [0.05, 0.1, 1.0],
            [0.3, -0.2, 1.0],
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.1, 0.2, -1.0],
        ]
    )
    positions = np.repeat(positions, len(suns), axis=1)
    got = shaded_fraction(positions, suns, SIDE_M)
    expected = ray_traced_fraction(positions, suns, SIDE_M)
    np.testing.assert_allclose(got, expected, atol=2.0 / SAMPLES)
    # By hand, Sun on +z (e1 = y, e2 = z x y = -x): member 1's overlap is 15 m x 30 m, member
    # 2's 35 m x 25 m, the two overlap on 10 m x 15 m: (450 + 875 - 150) / 1600.
    assert got[0, 0] == pytest.approx((450 + 875 - 150) / 1600, abs=1e-12)
    assert got[0, 3] == 1.0 and np.all(got[3, :4] == 0.0)


def test_a_planar_lattice_is_unshaded_with_the_sun_on_the_orbit_normal():
    from orbital.formation import suncatcher_cluster
    from orbital.relative_motion import EARTH_RADIUS_M, relative_positions_m

    states, _ = suncatcher_cluster(inclination_rad=1.71)
    t = np.linspace(0, 5800, 8)
    pos = relative_positions_m(states, t, EARTH_RADIUS_M + 650e3, 1.71)
    normal = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    assert np.all(shaded_fraction(pos, normal, SIDE_M) == 0.0)
    # Tilted 60 deg from the normal towards along-track, the in-plane lattice lines up.
    tilted = np.tile([0.0, np.sin(1.047), np.cos(1.047)], (t.size, 1))
    got = shaded_fraction(pos[:12, :3], tilted[:3], SIDE_M)
    np.testing.assert_allclose(
        got, ray_traced_fraction(pos[:12, :3], tilted[:3], SIDE_M, 100), atol=2.0 / 100
    )


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        shaded_fraction(np.zeros((2, 1, 3)), [[0.0, 0.0, 0.0]], SIDE_M)
    with pytest.raises(ValueError):
        shaded_fraction(np.zeros((2, 1, 3)), [[0.0, 0.0, 1.0]], 0.0)

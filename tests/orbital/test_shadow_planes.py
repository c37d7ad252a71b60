"""orbital/shadow_planes.py: a shell's shadow from one reference plane per phase class, by arcs.

Authorities:

* :class:`orbital.shadow.ShadowStream` in float64 (checked against the disk-overlap integral
  and Skyfield's ``is_sunlit`` in tests/orbital/test_shadow.py) on the positions turned into
  every plane explicitly: the same sums to rounding, by the rotation invariance of a
  spherical Earth's conical shadow;
* a rotation about the Sun's own axis changes nothing: every plane's sums equal.
"""

import numpy as np
import pytest

from orbital.shadow import ShadowStream, conical_visible_fraction
from orbital.shadow_planes import plane_shadow_totals

AU_KM = 149_597_870.7

#: The turned positions against the turned Sun: the same dot products up to the rounding of
#: a rotation (1e-16 of 7,000 km); a penumbra fraction moves by that over the penumbra's
#: 10 km width, and a sum of a few hundred such terms by a few 1e-13.
SUM_RTOL = 1e-12


def turned(reference, node_rad):
    """``(P, S, n_t, 3)``: the reference plane turned about z by each node."""
    c, s = np.cos(node_rad)[:, None, None], np.sin(node_rad)[:, None, None]
    x, y, z = reference[..., 0], reference[..., 1], reference[..., 2]
    return np.stack([c * x - s * y, s * x + c * y, np.broadcast_to(z, c.shape[:1] + z.shape)], -1)


def stream_sums(reference, node_rad, sun):
    """What ShadowStream (float64) gives on every turned position, summed per step."""
    every = turned(reference, node_rad)
    n_planes, n_sat, n_t, _ = every.shape
    fraction = ShadowStream(sun, n_planes * n_sat)(every.reshape(-1, n_t, 3))
    fraction = fraction.reshape(n_planes, n_sat, n_t)
    ok = ~np.isnan(fraction)
    f = np.where(ok, fraction, 0.0)
    return f.sum((0, 1)), (f >= 1.0).sum((0, 1)), (f > 0.0).sum((0, 1)), ok.sum((0, 1))


def ring(n_sat, n_t, radius_km, inclination_rad, rng):
    """A circular orbit's satellites at ``n_t`` instants, ``(S, n_t, 3)``, random phases."""
    u = rng.uniform(0, 2 * np.pi, n_sat)[:, None] + np.linspace(0, 2 * np.pi, n_t)[None]
    r = radius_km + rng.normal(0.0, 5.0, u.shape)
    return np.stack(
        [
            r * np.cos(u),
            r * np.sin(u) * np.cos(inclination_rad),
            r * np.sin(u) * np.sin(inclination_rad),
        ],
        axis=-1,
    )


def check_equal(reference, node_rad, sun):
    got = plane_shadow_totals(reference, node_rad, sun)
    want = stream_sums(reference, node_rad, sun)
    for name, g, w in zip(got._fields, got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=SUM_RTOL, atol=1e-12, err_msg=name)
    return got


EVEN_NODES = np.radians(np.arange(24) * 15.0)
#: Uneven nodes, two of them either side of 0 = 2 pi, so that arcs wrap round.
UNEVEN_NODES = np.concatenate(
    [np.random.default_rng(5).uniform(0.0, 2 * np.pi, 35), [1e-4, 2 * np.pi - 1e-4, -0.3]]
)


@pytest.mark.parametrize("node", [EVEN_NODES, UNEVEN_NODES], ids=["even", "uneven"])
@pytest.mark.parametrize("inclination_deg", [53.0, 97.0])
def test_sums_equal_shadow_stream_on_turned_planes(node, inclination_deg):
    rng = np.random.default_rng(7)
    n_t = 40
    reference = ring(300, n_t, 6718.0, np.radians(inclination_deg), rng)
    reference[5, 20:] = np.nan  # a failed propagation
    sun_dir = np.array([np.cos(0.4), np.sin(0.4) * 0.917, np.sin(0.4) * 0.398])
    sun = AU_KM * np.tile(sun_dir, (n_t, 1)) * np.linspace(0.98, 1.02, n_t)[:, None]
    got = check_equal(reference, node, sun)
    partial = got.any_sun - got.full_sun
    assert partial.sum() > 10  # penumbra points were met ...
    assert (got.any_sun < got.valid).any()  # ... and umbra points
    assert got.valid[20:].max() == 299 * len(node)  # the failed satellite left out


def test_points_on_the_suns_axis_are_in_the_penumbra_in_every_plane():
    """Points packed into the penumbra with the Sun on the z axis: turning about z changes
    nothing, so every plane sees each point there (no arc: all the nodes at once)."""
    rng = np.random.default_rng(3)
    n_sat, n_t = 1500, 2
    sun = np.array([[0.0, 0.0, AU_KM], [0.0, 0.0, 1.01 * AU_KM]])
    # Behind the Earth 7,000 km, between the umbra (6,345 km) and penumbra (6,411 km) radii.
    rho = rng.uniform(6350.0, 6405.0, (n_sat, n_t))
    phi = rng.uniform(0, 2 * np.pi, (n_sat, n_t))
    reference = np.stack([rho * np.cos(phi), rho * np.sin(phi), np.full_like(rho, -7000.0)], -1)
    got = check_equal(reference, np.radians([0.0, 33.0, 250.0]), sun)
    np.testing.assert_array_equal(got.valid, 3 * n_sat)
    assert (got.any_sun - got.full_sun).min() > 1024  # all in the penumbra
    exact = conical_visible_fraction(reference, sun[None])
    np.testing.assert_allclose(got.visible, 3 * exact.sum(0), rtol=SUM_RTOL)


def test_bad_shapes_are_refused():
    reference = np.zeros((4, 3, 3))
    with pytest.raises(ValueError, match="reference_km"):
        plane_shadow_totals(reference[0], [0.0], np.ones((3, 3)))
    with pytest.raises(ValueError, match="r_sun_km"):
        plane_shadow_totals(reference, [0.0], np.ones((4, 3)))
    with pytest.raises(ValueError, match="node_rad"):
        plane_shadow_totals(reference, [[0.0]], np.ones((3, 3)))
    far = np.full((1, 1, 3), 1e6)  # 1.7 million km out: the Earth looks smaller than the Sun
    with pytest.raises(ValueError, match="within"):
        plane_shadow_totals(far, [0.0], [[AU_KM, 0.0, 0.0]])


@pytest.mark.parametrize("tilt_rad", [0.0, 0.6])
def test_each_penumbra_fraction_equals_the_numpy_formula(tilt_rad):
    """One satellite, one plane, a step per point: every sum is one point's fraction, across
    the whole penumbra (both segments' series and closed forms are met), with the Sun on
    the z axis and off it (then the plane's node turns it)."""
    rng = np.random.default_rng(11)
    n_t = 4000
    sun = np.tile([AU_KM * np.sin(tilt_rad), 0.0, AU_KM * np.cos(tilt_rad)], (n_t, 1))
    # Behind the Earth 6,700-7,400 km, from inside the umbra to past the penumbra's edge.
    along = rng.uniform(6700.0, 7400.0, n_t)
    rho = rng.uniform(6330.0, 6420.0, n_t)
    phi = rng.uniform(0, 2 * np.pi, n_t)
    behind = np.stack([rho * np.cos(phi), rho * np.sin(phi), -along], -1)
    c, s = np.cos(tilt_rad), np.sin(tilt_rad)
    # Behind the Earth along the Sun's axis, then the plane's node undone: turned by 0.7
    # about z, each point sits where the test put it against the Sun.
    placed = np.stack(
        [c * behind[:, 0] + s * behind[:, 2], behind[:, 1], -s * behind[:, 0] + c * behind[:, 2]],
        -1,
    )
    reference = turned(placed[None], np.array([-0.7]))[0]
    got = plane_shadow_totals(reference, [0.7], sun)
    exact = conical_visible_fraction(placed, sun)
    penumbra = (got.any_sun > 0) & (got.full_sun == 0)
    assert penumbra.sum() > 1000 and (got.any_sun == 0).sum() > 100
    np.testing.assert_allclose(got.visible[penumbra], exact[penumbra], rtol=0, atol=1e-12)

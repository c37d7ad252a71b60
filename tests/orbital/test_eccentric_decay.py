"""An eccentric orbit that decays between the check times before the grid
(orbital/validity.py's osculating-perigee rule, and the bound that lets healthy sets skip it).

Authorities, none of them the code under test:

* python-sgp4's compiled ``Satrec`` / ``SatrecArray`` stepped densely (every 15 s, 10 s for
  the reproducer) from each element epoch: an error code, or a radius below the Earth's or
  beyond twice the semi-major axis at any step, is a failure;
* the conic equations for the perigee of a Keplerian state built from ``a``, ``e`` and the
  true anomaly (perifocal position and velocity, turned by a random rotation);
* the check times of doubling minutes, written out here (1, 2, 4, ... then the start),
  for the proof that the reproducer's decay falls between them.
"""

import math

import numpy as np
import pytest
from sgp4.api import WGS72, WGS84, Satrec, SatrecArray

from constellations.io.omm import read_element_file
from constellations.model.constellation import Constellation
from constellations.stages.propagate import stream_positions
from orbital import validity
from orbital.propagation import collect
from orbital.sgp4_bounds import cannot_fail, sgp4_elements
from orbital.times import Epoch, TimeGrid
from orbital.validity import failed_before, osculating_perigee_km

MINUTES_PER_DAY = 1440.0
DECAY_CODE = 6  # python-sgp4: "mrt is less than 1.0 which indicates the satellite has decayed"
#: Found by review (docs/design.md): e = 0.0186, B* 0.0886, epoch 2026 day 362.586.
REPRODUCER = (
    "1 11037U 27001A   26362.58575151  .00000000  00000-0  88631-1 0    08",
    "2 11037  59.1208  58.7278 0186206  56.7486  73.2340 15.39593052    06",
)
REPRODUCER_START = "2027-01-01T00:00:00Z"
#: Float64 arithmetic on states of about 7,000 km and 8 km/s: a few units in the last
#: place of each product, far below a metre.
FLOAT_RTOL = 1e-10
#: How far above the Earth SGP4's least radius over the next revolution may stay while
#: the osculating perigee is already below it: its short-period terms, at most 26 km
#: measured (osculating perigee against SGP4 stepped over the next revolution: 600
#: drag-free states of perigees 160-1,500 km below, 25 km over 3,000 more), doubled.
SHORT_PERIOD_KM = 50.0


def sgp4_failures(satrecs, t_min: np.ndarray) -> np.ndarray:
    """``(n, n_t)`` True where SGP4, called directly at minutes ``t_min`` from each set's
    own epoch, reports an error code or a radius outside [R, 2a]."""
    out = np.zeros((len(satrecs), t_min.size), bool)
    for k, s in enumerate(satrecs):
        errors, r, _ = s.sgp4_array(
            np.full(t_min.shape, s.jdsatepoch), s.jdsatepochF + t_min / MINUTES_PER_DAY
        )
        radius = np.linalg.norm(r, axis=1)
        out[k] = (errors != 0) | (radius < s.radiusearthkm) | (radius > 2.0 * s.a * s.radiusearthkm)
    return out


def doubling_minutes(span_min: float) -> np.ndarray:
    """1, 2, 4, ... minutes below ``|span_min|``, then ``|span_min|``, signed like it."""
    times = 2.0 ** np.arange(0.0, 40.0)
    return np.copysign(np.append(times[times < abs(span_min)], abs(span_min)), span_min)


# --------------------------------------------------------------------------- the perigee


def test_the_osculating_perigee_is_the_conics_own():
    """Ellipses, a parabola's neighbour and hyperbolas at random anomalies and orientations:
    ``a (1 - e)`` (``p / (1 + e)``), whatever the point of the orbit the state is at."""
    rng = np.random.default_rng(2)
    mu = 398600.8
    n = 500
    e = np.concatenate([rng.uniform(0.0, 0.9, n - 100), [0.0] * 20, rng.uniform(1.01, 3.0, 80)])
    perigee_km = rng.uniform(6000.0, 9000.0, n)
    p = perigee_km * (1.0 + e)
    limit = np.where(e > 1.0, np.arccos(-1.0 / np.maximum(e, 1.0)) * 0.999, math.pi)
    f = rng.uniform(-1.0, 1.0, n) * limit  # true anomaly, within a hyperbola's asymptotes
    r = p / (1.0 + e * np.cos(f))
    position = np.stack([r * np.cos(f), r * np.sin(f), np.zeros(n)], axis=1)
    speed = np.sqrt(mu / p)
    velocity = np.stack([-speed * np.sin(f), speed * (e + np.cos(f)), np.zeros(n)], axis=1)
    q, _ = np.linalg.qr(rng.normal(size=(n, 3, 3)))  # random orthogonal matrices
    position, velocity = np.einsum("nij,nj->ni", q, position), np.einsum("nij,nj->ni", q, velocity)
    got = osculating_perigee_km(position, velocity, np.full(n, mu))
    np.testing.assert_allclose(got, perigee_km, rtol=FLOAT_RTOL)
    assert np.isnan(osculating_perigee_km(np.full(3, np.nan), np.ones(3), mu))


def test_sgp4s_least_radius_a_revolution_on_is_within_the_short_period_terms():
    """600 drag-free states (perigees 160-1,500 km, e up to 0.2, every inclination): SGP4
    stepped 2,000 times over the next revolution comes within ``SHORT_PERIOD_KM`` of the
    osculating perigee, either way (measured here: 26 km above, 18 below)."""
    rng = np.random.default_rng(6)
    gaps = []
    for i in range(150):
        e = 10 ** rng.uniform(-5.0, math.log10(0.2))
        a = (6378.135 + rng.uniform(160.0, 1500.0)) / 6378.135 / (1.0 - e)
        s = Satrec()
        args = rng.uniform(0.0, 2 * math.pi, 3)
        incl = math.radians(rng.uniform(0.0, 180.0))
        model = WGS84 if i % 2 else WGS72
        s.sgp4init(
            model,
            "i",
            i + 1,
            27000.0,
            0.0,
            0.0,
            0.0,
            e,
            *args[:1],
            incl,
            args[1],
            0.0743669161 / a**1.5,
            args[2],
        )
        period_min = 2.0 * math.pi / s.no_kozai
        for start in rng.uniform(0.0, 3000.0, 4):
            t = start + np.linspace(0.0, period_min, 2001)
            _, r, v = s.sgp4_array(
                np.full(t.shape, s.jdsatepoch), s.jdsatepochF + t / MINUTES_PER_DAY
            )
            perigee = vis_viva_perigee_km(r[0], v[0], s.mu)
            gaps.append(np.linalg.norm(r, axis=1).min() - perigee)
    assert len(gaps) == 600 and np.abs(gaps).max() < SHORT_PERIOD_KM
    assert max(gaps) > 5.0 and min(gaps) < -5.0  # the terms are there, both ways


# --------------------------------------------------------------------------- the reproducer


def test_the_reproducers_decay_falls_between_the_check_times_and_is_caught(tmp_path):
    """SGP4 stepped every 10 s reports the decay (error 6) 4,614-4,893 minutes after the
    epoch, at none of the check times; the set is failed before the 2027-01-01 grid, and the
    planner, reading it from a TLE file, draws it nowhere."""
    path = tmp_path / "reproducer.tle"
    path.write_text("OBJECT A\n" + "\n".join(REPRODUCER) + "\n")
    element_set = read_element_file(path)
    (satrec,) = element_set.satrecs
    jd, fr = Epoch.parse(REPRODUCER_START).sgp4_dates()
    span_min = ((jd - satrec.jdsatepoch) + (fr - satrec.jdsatepochF)) * MINUTES_PER_DAY
    t = np.append(np.arange(0.0, span_min, 10.0 / 60.0), span_min)
    errors, _, _ = satrec.sgp4_array(
        np.full(t.shape, satrec.jdsatepoch), satrec.jdsatepochF + t / MINUTES_PER_DAY
    )
    assert set(errors.tolist()) == {0, DECAY_CODE}
    assert 4600.0 < t[errors != 0].min() and t[errors != 0].max() < 4900.0 < span_min
    assert not sgp4_failures([satrec], doubling_minutes(span_min)).any()  # every check misses it
    assert failed_before([satrec], jd, fr).tolist() == [True]
    c = Constellation("reproducer", REPRODUCER_START, element_sets=(element_set,))
    grid = TimeGrid.uniform(c.epoch, 600.0, 60.0)
    assert np.isnan(collect(stream_positions(c, grid, frame="teme"), 1, len(grid))).all()


# --------------------------------------------------------------------------- populations


def satrec(rng, i: int, perigee_km: tuple, ecc_max: float, bstar: tuple, sign=1.0) -> Satrec:
    """A near-Earth set with a perigee altitude, an eccentricity up to ``ecc_max`` and a B*
    (1/Earth radii) drawn log-uniformly in ``bstar``, times ``sign``; epoch 27000.0 (days
    since 1949-12-31)."""
    e = rng.uniform(0.002, ecc_max)
    a = (6378.135 + rng.uniform(*perigee_km)) / 6378.135 / (1.0 - e)
    s = Satrec()
    s.sgp4init(
        WGS84 if i % 2 else WGS72,
        "i",
        i + 1,
        27000.0,
        sign * 10 ** rng.uniform(*np.log10(bstar)),
        0.0,
        0.0,
        e,
        rng.uniform(0.0, 2 * math.pi),
        math.radians(rng.uniform(0.0, 180.0)),
        rng.uniform(0.0, 2 * math.pi),
        0.0743669161 / a**1.5,  # xke / a^1.5, rad/min
        rng.uniform(0.0, 2 * math.pi),
    )
    return s


def decaying_population(seed: int, n: int, sign: float):
    """Eccentric (e up to 0.05) sets of perigees 100-300 km and B* 1e-3 to 0.3 that SGP4
    decays within four days, each with a start from three revolutions before its first
    failure (found every minute) to ten after: spans of hours to days.  Backwards in time
    where ``sign`` is -1 (B* negative: the orbit was lower before its epoch)."""
    rng = np.random.default_rng(seed)
    satrecs = [satrec(rng, i, (100.0, 300.0), 0.05, (1e-3, 0.3), sign) for i in range(n)]
    t = sign * np.arange(0.0, 4.0 * MINUTES_PER_DAY, 1.0)
    epoch = satrecs[0].jdsatepoch, satrecs[0].jdsatepochF
    errors, r, _ = SatrecArray(satrecs).sgp4(
        np.full(t.shape, epoch[0]), epoch[1] + t / MINUTES_PER_DAY
    )
    radius = np.linalg.norm(r, axis=2)
    low = np.array([s.radiusearthkm for s in satrecs])
    fails = (errors != 0) | (radius < low[:, None])
    keep = np.flatnonzero(fails.any(axis=1))
    period_min = 2.0 * math.pi / np.array([s.no_kozai for s in satrecs])
    start_min = t[fails.argmax(axis=1)] + sign * rng.uniform(-3.0, 10.0, n) * period_min
    keep = keep[sign * start_min[keep] > 60.0]
    return [satrecs[k] for k in keep], start_min[keep], period_min[keep]


def dense_verdicts(satrecs, start_min, period_min):
    """SGP4 every 15 s: failed by the start; failed by a revolution after it; the least
    radius above the Earth's, km, up to a revolution after it."""
    before, after, closest = [], [], []
    for s, span, period in zip(satrecs, start_min, period_min, strict=True):
        end = span + np.copysign(period, span)
        t = np.append(np.copysign(np.arange(0.0, abs(end), 0.25), span), end)
        jd = np.full(t.shape, s.jdsatepoch)
        errors, r, _ = s.sgp4_array(jd, s.jdsatepochF + t / MINUTES_PER_DAY)
        radius = np.linalg.norm(r, axis=1)
        fails = (errors != 0) | (radius < s.radiusearthkm) | (radius > 2.0 * s.a * s.radiusearthkm)
        before.append(fails[np.abs(t) <= abs(span)].any())
        after.append(fails.any())
        closest.append(np.nanmin(np.where(errors == 0, radius, np.nan)) - s.radiusearthkm)
    return np.array(before), np.array(after), np.array(closest)


@pytest.fixture(scope="module", params=[1.0, -1.0], ids=["forward", "backward"])
def decaying(request):
    satrecs, start_min, period_min = decaying_population(4, 150, request.param)
    return satrecs, start_min, period_min, dense_verdicts(satrecs, start_min, period_min)


def flagged(satrecs, start_min) -> np.ndarray:
    return np.array(
        [
            failed_before([s], s.jdsatepoch, s.jdsatepochF + span / MINUTES_PER_DAY)[0]
            for s, span in zip(satrecs, start_min, strict=True)
        ]
    )


def test_every_decay_sgp4_finds_before_the_start_is_caught(decaying):
    """Among them, sets whose decay no check time sees (the fault's kind): failed too."""
    satrecs, start_min, _, (before, _, _) = decaying
    missed_by_checks = [
        b and not sgp4_failures([s], doubling_minutes(span)).any()
        for s, span, b in zip(satrecs, start_min, before, strict=True)
    ]
    assert 40 < before.sum() < len(satrecs) and sum(missed_by_checks) >= 2
    got = flagged(satrecs, start_min)
    assert got[before].all()


def vis_viva_perigee_km(r_km, v_km_s, mu_km3_s2):
    """``a (1 - e)``: ``a`` from the specific energy (vis-viva), ``e`` from
    ``h^2 = mu a (1 - e^2)``."""
    radius = np.linalg.norm(r_km, axis=-1)
    a = -mu_km3_s2 / (
        2.0 * (0.5 * np.einsum("...k,...k->...", v_km_s, v_km_s) - mu_km3_s2 / radius)
    )
    h = np.linalg.norm(np.cross(r_km, v_km_s), axis=-1)
    return a * (1.0 - np.sqrt(np.maximum(1.0 - h * h / (mu_km3_s2 * a), 0.0)))


def test_a_decay_just_before_the_start_is_caught_with_the_perigee_back_above_the_surface(decaying):
    """Starts within three revolutions after SGP4's first failure where the osculating
    perigee has come back above the Earth (its short-period terms) and no check time
    before sees a failure: the revolutions before the start are looked at."""
    satrecs, start_min, period_min, _ = decaying
    sign = np.sign(start_min[0])
    cases = []
    for s, period in zip(satrecs, period_min, strict=True):
        coarse = sign * np.arange(0.0, 4.0 * MINUTES_PER_DAY, 1.0)
        fails = sgp4_failures([s], coarse)[0]
        if not fails.any():
            continue
        t = coarse[fails.argmax()] + sign * np.arange(-1.0, 3.0 * period, 0.25)  # every 15 s
        errors, r, v = s.sgp4_array(
            np.full(t.shape, s.jdsatepoch), s.jdsatepochF + t / MINUTES_PER_DAY
        )
        radius = np.linalg.norm(r, axis=1)
        fails = (errors != 0) | (radius < s.radiusearthkm)
        first = t[fails.argmax()]
        with np.errstate(invalid="ignore"):
            above = vis_viva_perigee_km(r, v, s.mu) > s.radiusearthkm
        later = (sign * (t - first) > 0.0) & (sign * (t - first) < 3.0 * period)
        for start in t[above & ~fails & later][:5]:
            if not sgp4_failures([s], doubling_minutes(start)[:-1]).any():
                cases.append((s, start))
    assert len(cases) >= 10  # 25 forwards, 20 backwards: all missed without a look back
    got = [
        failed_before([s], s.jdsatepoch, s.jdsatepochF + start / MINUTES_PER_DAY)[0]
        for s, start in cases
    ]
    assert all(got)


def test_none_is_failed_that_stays_clear_of_the_surface_a_revolution_on(decaying):
    """A set failed without SGP4 failing by a revolution after the start has its osculating
    perigee below the Earth: SGP4's radius comes within its short-period terms of it."""
    satrecs, start_min, _, (_, after, closest) = decaying
    got = flagged(satrecs, start_min)
    assert not (got & ~after & (closest > SHORT_PERIOD_KM)).any()
    assert (got & ~after).sum() <= 0.05 * got.sum()


def test_healthy_sets_are_never_failed():
    """Perigees 300-1,500 km, e up to 0.05, B* up to 1e-3, starts from an hour to five
    days either side of the epoch: SGP4 fails on none, and none is failed."""
    rng = np.random.default_rng(8)
    satrecs = [satrec(rng, i, (300.0, 1500.0), 0.05, (1e-6, 1e-3)) for i in range(200)]
    span_min = 10 ** rng.uniform(math.log10(60.0), math.log10(5 * MINUTES_PER_DAY), 200)
    span_min *= np.where(rng.random(200) < 0.7, 1.0, -1.0)
    for s, span in zip(satrecs, span_min, strict=True):
        assert not sgp4_failures([s], np.linspace(0.0, span, 1001)).any()
    jd, fr = satrecs[0].jdsatepoch, satrecs[0].jdsatepochF
    got = [
        failed_before([s], jd, fr + span / MINUTES_PER_DAY)[0]
        for s, span in zip(satrecs, span_min, strict=True)
    ]
    assert not any(got)


def test_the_bound_clears_no_set_the_rule_fails(decaying, monkeypatch):
    """``cannot_fail`` over each span against the check with it switched off (every set
    stepped): none cleared is failed, so the answer is the same with it on."""
    satrecs, start_min, _, _ = decaying
    rng = np.random.default_rng(9)
    healthy = [satrec(rng, i, (157.0, 600.0), 0.05, (1e-6, 1e-2)) for i in range(60)]
    satrecs = satrecs + healthy
    healthy_min = np.sign(start_min[0]) * rng.uniform(60.0, 3 * MINUTES_PER_DAY, 60)
    start_min = np.concatenate([start_min, healthy_min])
    cleared = cannot_fail(sgp4_elements(satrecs)[0], start_min)
    with_bound = flagged(satrecs, start_min)
    monkeypatch.setattr(validity, "cannot_fail", lambda elements, span: np.zeros(len(span), bool))
    stepped = flagged(satrecs, start_min)
    assert not (cleared & stepped).any() and cleared.sum() > 10 and stepped.sum() > 40
    np.testing.assert_array_equal(with_bound, stepped)

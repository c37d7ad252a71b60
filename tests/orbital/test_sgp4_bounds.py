"""Where SGP4 cannot fail (orbital/sgp4_bounds.py), and the check before the grid that
skips those satellites (orbital/validity.py).

Authorities, none of them the code under test:

* python-sgp4's pure-Python ``sgp4.model.Satrec`` (its own port of Vallado's ``sgp4init``),
  whose ``cc1, cc4, cc5, d2, d3, d4`` the compiled ``Satrec`` does not expose;
* python-sgp4's compiled ``Satrec.sgp4_array`` stepped densely over the whole span: its
  error codes and radii are what "cannot fail" promises about;
* the check before the grid with the bound switched off (every satellite stepped, as
  before the bound existed), for the same answer.
"""

import math

import numpy as np
import pytest
from helpers import DECAYED_TLE, ISS_TLE
from sgp4 import model
from sgp4.api import WGS72, WGS84, Satrec

from orbital import validity
from orbital.sgp4_bounds import (
    OSCULATING_PERIGEE_MARGIN_TEMP1,
    cannot_fail,
    drag_coefficients,
    osculating_perigee_low,
    radius_range,
    sgp4_elements,
)
from orbital.validity import failed_before

#: ``sgp4_bounds`` takes the mean motion back from ``Satrec.a`` (``xke a^-1.5``) where
#: ``sgp4init`` has its own, equal to about 1e-15 relative; ``(a - s)^-4`` and ``(1 -
#: eta^2)^-3.5`` amplify that at low perigees and high eccentricities (2.5e-12 measured).
RECOMPUTED_MEAN_MOTION_RTOL = 1e-10
MINUTES_PER_DAY = 1440.0
#: A Starlink element set that SGP4 decays about a day after its epoch (as in
#: tests/orbital/test_validity.py, project issue 13).
DECAYED_LINE1, DECAYED_LINE2 = DECAYED_TLE
# python-sgp4 README, "Usage": the ISS (ZARYA) element set of 2019-12-09.
ISS_LINE1, ISS_LINE2 = ISS_TLE


def sgp4init_args(
    rng,
    i: int,
    low_km: float,
    high_km: float,
    bstar_max: float,
    epoch_days: float = 27000.0,
    ecc_max: float = 0.2,
) -> tuple:
    """Random near-Earth elements for ``sgp4init``: mean altitude, drag of both signs,
    eccentricity up to ``ecc_max``, an epoch in the three days after ``epoch_days`` (days
    since 1949-12-31)."""
    a = (6378.135 + rng.uniform(low_km, high_km)) / 6378.135
    return (
        WGS84 if i % 3 == 0 else WGS72,
        "i",
        i + 1,
        epoch_days + rng.uniform(0.0, 3.0),
        10 ** rng.uniform(-6.0, math.log10(bstar_max)) * (1.0 if rng.random() < 0.85 else -1.0),
        0.0,
        0.0,
        10 ** rng.uniform(-6.0, math.log10(ecc_max)),
        rng.uniform(0.0, 2 * math.pi),
        math.radians(rng.uniform(0.0, 180.0)),
        rng.uniform(0.0, 2 * math.pi),
        0.0743669161 / a**1.5,  # xke / a^1.5, rad/min
        rng.uniform(0.0, 2 * math.pi),
    )


def compiled(args) -> Satrec:
    satrec = Satrec()
    satrec.sgp4init(*args)
    return satrec


def test_drag_coefficients_are_python_sgp4s_own():
    """Perigees from 60 km (both of SGP4's low-perigee atmospheres) to 2,500 km."""
    rng = np.random.default_rng(1)
    args = [sgp4init_args(rng, i, 60.0, 2500.0, 0.3) for i in range(300)]
    elements, _ = sgp4_elements([compiled(a) for a in args])
    ours = drag_coefficients(elements)
    theirs = []
    for a in args:
        satrec = model.Satrec()
        satrec.sgp4init(*a)
        theirs.append(satrec)
    assert not elements.deep_space.any() and {s.method for s in theirs} == {"n"}
    assert (ours.perigee_km < 98.0).any() and (ours.perigee_km > 220.0).any()
    full = np.array([s.isimp == 0 for s in theirs])  # SGP4 sets d2..d4 only above 220 km
    assert 50 < full.sum() < 300
    for name in ("cc1", "cc4", "cc5"):
        expected = [getattr(s, name) for s in theirs]
        np.testing.assert_allclose(getattr(ours, name), expected, rtol=RECOMPUTED_MEAN_MOTION_RTOL)
    for name in ("d2", "d3", "d4"):
        expected = [getattr(s, name) for s, f in zip(theirs, full, strict=True) if f]
        np.testing.assert_allclose(
            getattr(ours, name)[full], expected, rtol=RECOMPUTED_MEAN_MOTION_RTOL
        )


def stepped(satrec, span_min: float) -> tuple[np.ndarray, np.ndarray]:
    """SGP4's error codes and radii (Earth radii) stepped densely from the epoch to
    ``span_min`` and as far the other way, and at the check times of doubling minutes."""
    dense = np.linspace(0.0, span_min, 1201)
    doubling = np.copysign(2.0 ** np.arange(0.0, 30.0), span_min)
    t = np.concatenate([dense, -dense, doubling[np.abs(doubling) < abs(span_min)]])
    errors, r, _ = satrec.sgp4_array(
        np.full(t.shape, satrec.jdsatepoch), satrec.jdsatepochF + t / MINUTES_PER_DAY
    )
    return errors, np.linalg.norm(r, axis=1) / satrec.radiusearthkm


def population(seed: int, n: int):
    """Perigees from 120 km, drag up to half an inverse Earth radius, spans from a minute
    to 70 days of either sign."""
    rng = np.random.default_rng(seed)
    satrecs = [compiled(sgp4init_args(rng, i, 120.0, 900.0, 0.5)) for i in range(n)]
    span_min = 10 ** rng.uniform(0.0, 5.0, n) * np.where(rng.random(n) < 0.7, 1.0, -1.0)
    return satrecs, span_min


def test_sgp4s_radius_stays_within_the_range_bounded():
    """Where bounds are given, every radius SGP4 gives lies within them, and its only
    error code is the decay, where the least radius bounded is below the Earth's."""
    satrecs, span_min = population(5, 400)
    low, high = radius_range(sgp4_elements(satrecs)[0], span_min)
    bounded = np.isfinite(low)
    assert 250 < bounded.sum() < 400
    for k in np.flatnonzero(bounded):
        errors, radius = stepped(satrecs[k], span_min[k])
        ok = errors == 0
        assert (low[k] <= radius[ok]).all() and (radius[ok] <= high[k]).all(), k
        assert set(errors.tolist()) <= {0, 6} and (ok.all() or low[k] < 1.0), k


def vis_viva_perigee_km(r_km: np.ndarray, v_km_s: np.ndarray, mu_km3_s2: float) -> np.ndarray:
    """Perigee radius of two-body states ``(..., 3)``: the specific energy gives ``a``
    (vis-viva), the angular momentum ``e`` (``h^2 = mu a (1 - e^2)``), then ``a (1 - e)``."""
    radius = np.linalg.norm(r_km, axis=-1)
    energy = 0.5 * np.einsum("...k,...k->...", v_km_s, v_km_s) - mu_km3_s2 / radius
    a = -mu_km3_s2 / (2.0 * energy)
    h = np.linalg.norm(np.cross(r_km, v_km_s), axis=-1)
    e = np.sqrt(np.maximum(1.0 - h * h / (mu_km3_s2 * a), 0.0))
    return a * (1.0 - e)


def test_the_osculating_perigee_keeps_within_the_margin_of_sgp4s_mean_perigee():
    """SGP4's own mean elements after each call (``Satrec.am``, ``em``, ``om``; ``el`` with
    its long-period ``aycof`` term, Vallado et al. 2006) against the perigee of its
    position and velocity, over 1,200 states: perigees 100-2,500 km, eccentricities up
    to 0.6, every inclination, drag of both signs.  The margin is at least twice the
    largest gap measured, in units of ``temp1 = J2 / (2 p)``."""
    rng = np.random.default_rng(12)
    gaps = []
    for i in range(300):
        satrec = compiled(sgp4init_args(rng, i, 100.0, 2500.0, 0.1, ecc_max=0.6))
        if satrec.method != "n" or satrec.error:
            continue
        for t in rng.uniform(-2000.0, 2000.0, 4):
            error, r, v = satrec.sgp4_tsince(t)
            if error:
                continue
            am, em, om = satrec.am, satrec.em, satrec.om
            aycof = -0.5 * satrec.j3oj2 * math.sin(satrec.inclo)
            el = math.hypot(em * math.cos(om), em * math.sin(om) + aycof / (am * (1.0 - em * em)))
            temp1 = 0.5 * satrec.j2 / (am * (1.0 - el * el))
            perigee = (
                vis_viva_perigee_km(np.array(r), np.array(v), satrec.mu) / satrec.radiusearthkm
            )
            gaps.append((am * (1.0 - el) - perigee) / temp1)
    assert len(gaps) > 600
    assert 2.0 * max(gaps) < OSCULATING_PERIGEE_MARGIN_TEMP1
    assert max(gaps) > 1.0  # the short-period terms do lower it


def test_sgp4s_osculating_perigee_stays_above_the_bound():
    """Stepped densely over each span both ways (SGP4's position and velocity, its
    perigee by vis-viva), wherever SGP4 reports no error."""
    satrecs, span_min = population(5, 150)
    bound = osculating_perigee_low(sgp4_elements(satrecs)[0], span_min)
    bounded = np.isfinite(bound)
    assert 80 < bounded.sum() < 150
    for k in np.flatnonzero(bounded):
        s = satrecs[k]
        t = np.concatenate(
            [np.linspace(0.0, span_min[k], 601), -np.linspace(0.0, span_min[k], 601)]
        )
        errors, r, v = s.sgp4_array(
            np.full(t.shape, s.jdsatepoch), s.jdsatepochF + t / MINUTES_PER_DAY
        )
        ok = errors == 0
        perigee = vis_viva_perigee_km(r[ok], v[ok], s.mu) / s.radiusearthkm
        assert (perigee >= bound[k]).all(), k


def test_a_cleared_satellite_fails_nowhere_in_its_span():
    """None that the bound clears fails in SGP4 (an error code, or a radius outside
    ``[R, 2a]``, orbital.validity's bounds), and the bound clears most that do not fail."""
    satrecs, span_min = population(5, 400)
    cleared = cannot_fail(sgp4_elements(satrecs)[0], span_min)
    failing = []
    for satrec, span in zip(satrecs, span_min, strict=True):
        errors, radius = stepped(satrec, span)
        failing.append(errors.any() or not ((radius >= 1.0) & (radius <= 2.0 * satrec.a)).all())
    failing = np.array(failing)
    assert not (cleared & failing).any()
    assert 40 < failing.sum() < 200  # both kinds are in the population
    assert cleared.sum() > 0.85 * (~failing).sum()


def test_deep_space_low_perigee_and_decayed_sets_are_not_cleared():
    """A geostationary set (deep space), one of perigee 156.1 km, and the reproducer over
    the day in which it decays."""
    geo = compiled((WGS72, "i", 1, 27000.0, 1e-4, 0, 0, 1e-4, 0, 0.1, 0, 0.0043752, 0))
    no_low = 0.0743669 / 1.0246**1.5  # rad/min: a perigee of 156.1 km
    low = compiled((WGS72, "i", 2, 27000.0, 1e-6, 0, 0, 1e-4, 0, 0.9, 0, no_low, 0))
    decayed = Satrec.twoline2rv(DECAYED_LINE1, DECAYED_LINE2)
    elements, _ = sgp4_elements([geo, low, decayed])
    assert geo.method == "d" and 156.0 < drag_coefficients(elements).perigee_km[1] < 157.0
    # The decayed set's radius falls below the Earth's 23.1 h after its epoch (SGP4 error 6).
    spans = np.array([1.0, 1.0, 1.0 * MINUTES_PER_DAY])
    assert cannot_fail(elements, spans).tolist() == [False, False, False]


def population_with_decays(seed: int) -> list:
    """60 healthy LEO sets with epochs over the three days before that of a set that
    decays a day after its epoch; three copies of that one, at 20 and last."""
    rng = np.random.default_rng(seed)
    decaying = [Satrec.twoline2rv(DECAYED_LINE1, DECAYED_LINE2) for _ in range(3)]
    epoch_days = decaying[0].jdsatepoch - 2433281.5 + decaying[0].jdsatepochF - 3.0
    healthy = [
        compiled(sgp4init_args(rng, i, 400.0, 700.0, 1e-3, epoch_days, 0.01)) for i in range(60)
    ]
    return healthy[:20] + decaying[:1] + healthy[20:] + decaying[1:]


def test_only_satellites_not_cleared_are_stepped_and_the_decayed_one_is_caught(monkeypatch):
    """The satellite that decays between its epoch and the start is stepped and failed;
    the healthy ones (400-700 km, B* up to 1e-3, 2 to 5 days) are cleared, not stepped."""
    satrecs = population_with_decays(3)
    jd, fr = satrecs[20].jdsatepoch, satrecs[20].jdsatepochF + 2.0  # a day after the decay
    stepped = []
    real = validity._sgp4

    def spy(all_satrecs, members, dates_jd, dates_fr):
        stepped.extend(members.tolist())
        return real(all_satrecs, members, dates_jd, dates_fr)

    monkeypatch.setattr(validity, "_sgp4", spy)
    failed = failed_before(satrecs, jd, fr)
    decaying = [20, len(satrecs) - 2, len(satrecs) - 1]
    assert np.flatnonzero(failed).tolist() == decaying
    assert sorted(set(stepped)) == decaying


@pytest.mark.parametrize("days", [-2.0, 0.01, 2.0, 25.0, 400.0])
def test_the_answer_is_the_same_with_the_bound_switched_off(monkeypatch, days):
    """Every satellite stepped at its check times (as before the bound) gives the same
    answer, at starts before, just after, and long after the epochs (ISS 2019 included)."""
    satrecs = population_with_decays(11) + [Satrec.twoline2rv(ISS_LINE1, ISS_LINE2)]
    jd, fr = satrecs[20].jdsatepoch, satrecs[20].jdsatepochF + days
    with_bound = failed_before(satrecs, jd, fr)
    monkeypatch.setattr(validity, "cannot_fail", lambda elements, span: np.zeros(len(span), bool))
    np.testing.assert_array_equal(with_bound, failed_before(satrecs, jd, fr))

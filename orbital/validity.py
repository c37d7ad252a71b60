"""Whether SGP4's positions can be believed: failures before the first time, radii out of reach.

SGP4 reports a decayed satellite with an error code (6: the radius fell
below one Earth radius; 1 to 4 for mean elements out of range), but only at
the times it is asked for.  Its secular drag polynomial keeps going after
the decay: the mean semi-major axis ``a0 * tempa**2`` passes through zero
and grows again, so that SGP4 returns error 0 once more, with positions
thousands to 10^10 km from the Earth.  An element set propagated to a time
well past its decay therefore looks healthy.  Two checks close that hole:

* :func:`implausible`: a position below the Earth's surface or beyond
  :data:`~orbital.constants.SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS` times the
  element set's mean semi-major axis at its epoch is never valid.
* :func:`failed_before`: SGP4 is stepped from each element set's own epoch
  to the first time asked for at times growing by :data:`CHECK_RATIO` (1,
  2, 4, ... minutes, then the time itself); an error code, an implausible
  radius, or an osculating perigee below the Earth's radius at any of them
  marks the satellite failed for the whole run.

Why geometric steps find the decay: the secular factor is
``tempa = 1 - C1 t - D2 t^2 - D3 t^3 - D4 t^4`` with non-negative
coefficients for a decaying orbit (Hoots & Roehrich, Spacetrack Report #3,
1980, section 6; ``t`` from the element epoch), and the mean semi-major axis
is ``a0 tempa^2``.  SGP4 reports the decay (radius below one Earth radius)
while ``|tempa|`` is below about ``s = sqrt(R / a0)``: from ``t1``, where
``tempa`` falls through ``s``, to ``t2``, where it reaches ``-s``.  With
``g = 1 - tempa``, a polynomial of degree at most 4 with non-negative
coefficients, ``g(k t) <= k^4 g(t)`` for ``k >= 1`` and
``g(t2) / g(t1) = (1 + s) / (1 - s)``, so
``t2 / t1 >= ((1 + s) / (1 - s)) ** 0.25``: 2.06 or more for every
``a0`` up to 1.25 Earth radii (1,600 km altitude; 2.98 at 340 km).  A step
ratio of 2 therefore puts a check time inside the window.  After ``t2`` the
radius keeps growing past the bound on radius, which every check time tests
too.  Checked against SGP4 stepped minute by minute
(``tests/orbital/test_validity.py``).

That argument takes the radius for the mean semi-major axis.  An eccentric
orbit goes below the surface only near perigee, once its mean perigee
``a (1 - e)`` is below it, and may do so only between two check times: a
set of e = 0.019 fails at 593 of the 10 s steps over 4.6 hours, at no check
time, and is still 39 km up at the time asked for.  So each check time also
takes the perigee of the two-body orbit through SGP4's position and velocity
(:func:`osculating_perigee_km`) and fails the satellite where it is below the
Earth's radius: that orbit meets the surface within a revolution.  Why it
closes the gap: at a step where SGP4 reports the decay its radius is below
the Earth's, and no conic's perigee is above its own radius, so the times
with an osculating perigee below the Earth contain every decayed step.  Up
to SGP4's short-period terms they are the times with the mean perigee below
the Earth, which begin before the first decayed step and last at least while
the mean semi-major axis is below the Earth, a window of time ratio 2.06 or
more by the argument above (more for an eccentric orbit, whose ``s`` is
``sqrt(R / (a0 (1 - e)))``, nearer 1), so a check time lands in it.  The
osculating perigee differs from SGP4's least radius over the next revolution
by those terms (26 km at most measured, ``tests/orbital/test_eccentric_decay.py``):
the rule may fail an orbit whose osculating perigee is below the Earth while
SGP4's radius stays up to that much above it for a revolution or a few more,
before SGP4 reports the decay.  Near the window's start the osculating
perigee swings around the surface with the same terms, so at the time asked
for it may be just above it minutes after SGP4 reported the decay: where it
is within :data:`LOOK_BACK_PERIGEE_KM` of the surface, SGP4 is also stepped
densely over the revolutions just before the time.  Checked against SGP4
stepped every 15 s on eccentric decaying element sets with starts around
their decay (``tests/orbital/test_eccentric_decay.py``).

What :func:`failed_before` catches is exactly that: an error code, a radius
out of bounds or an osculating perigee below the Earth at one of those check
times.  A satellite that :func:`orbital.sgp4_bounds.cannot_fail` clears for
the whole span from its epoch to the time has none of them at any time of
that span, check times included
(:func:`orbital.sgp4_bounds.osculating_perigee_low` bounds the perigee), so
it is not stepped: a catalogue of healthy satellites a few days
old costs a pass over its elements, not a dozen propagations a satellite.
"""

from collections.abc import Sequence

import numpy as np

from orbital.constants import SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS
from orbital.sgp4_bounds import cannot_fail, satrec_columns, sgp4_elements

#: Ratio of successive check times after an element set's epoch (below the 2.06 above).
CHECK_RATIO = 2.0
#: First check time after an element set's epoch, minutes.
FIRST_CHECK_MIN = 1.0
#: Minutes a day (SGP4's times are in minutes, its dates in days).
MINUTES_PER_DAY = 1440.0


def radius_bounds_km(satrecs: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest radius SGP4 may report for each satellite, km, two ``(n,)`` arrays.

    Least: the Earth's equatorial radius of the satellite's gravity model
    (``Satrec.radiusearthkm``, 6378.135 km in WGS-72), below which SGP4 itself
    reports decay (error 6).  Greatest:
    :data:`~orbital.constants.SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS` times the
    mean semi-major axis at the element epoch (``Satrec.a``, Earth radii).
    """
    earth_km, a_earth_radii = satrec_columns(satrecs, "radiusearthkm", "a")
    return _radius_bounds_km(earth_km, a_earth_radii)


def _radius_bounds_km(earth_km: np.ndarray, a_earth_radii: np.ndarray):
    return earth_km, SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS * a_earth_radii * earth_km


def implausible(positions_km: np.ndarray, low_km: np.ndarray, high_km: np.ndarray) -> np.ndarray:
    """``(n, n_t)`` True where a position ``(n, n_t, 3)`` km lies outside ``[low_km, high_km]``.

    ``low_km`` and ``high_km`` have shape ``(n,)`` (:func:`radius_bounds_km`).
    NaN positions are not flagged (they are failed already).
    """
    r2 = np.einsum("ijk,ijk->ij", positions_km, positions_km)
    return (r2 < (low_km * low_km)[:, None]) | (r2 > (high_km * high_km)[:, None])


def osculating_perigee_km(
    positions_km: np.ndarray, velocities_km_s: np.ndarray, mu_km3_s2
) -> np.ndarray:
    """Perigee radius of the two-body orbit through each state, km, shape ``(...)``.

    ``positions_km`` and ``velocities_km_s`` ``(..., 3)`` (TEME, as SGP4 gives
    them), ``mu_km3_s2`` the gravitational parameter broadcast against ``(...)``
    (``Satrec.mu``: 398,600.8 km^3/s^2 in WGS-72, 398,600.5 in WGS-84).  The
    conic's ``h^2 / (mu (1 + e))`` (angular momentum ``h = r x v``, eccentricity
    vector ``e = v x h / mu - r / |r|``): the semi-latus rectum over ``1 + e``,
    right for ellipses (``a (1 - e)``), parabolas and hyperbolas alike, and
    accurate to a circle.  NaN where a state is NaN; raises nothing.
    """
    r = np.asarray(positions_km, dtype=float)
    v = np.asarray(velocities_km_s, dtype=float)
    mu = np.asarray(mu_km3_s2, dtype=float)
    h = np.cross(r, v)
    with np.errstate(invalid="ignore", divide="ignore"):
        radius = np.sqrt(np.einsum("...k,...k->...", r, r))
        e_vec = np.cross(v, h) / mu[..., None] - r / radius[..., None]
        e = np.sqrt(np.einsum("...k,...k->...", e_vec, e_vec))
        return np.einsum("...k,...k->...", h, h) / (mu * (1.0 + e))


def check_times_min(gap_min: float) -> np.ndarray:
    """Times after an element epoch to check, minutes, signed like ``gap_min``.

    ``FIRST_CHECK_MIN * CHECK_RATIO**k`` below ``|gap_min|``, then ``gap_min``
    itself; empty when ``gap_min`` is zero.
    """
    span = abs(float(gap_min))
    if span == 0.0:
        return np.empty(0)
    n = int(np.ceil(np.log(span / FIRST_CHECK_MIN) / np.log(CHECK_RATIO))) if span > 1 else 0
    times = FIRST_CHECK_MIN * CHECK_RATIO ** np.arange(max(n, 0))
    times = np.append(times[times < span], span)
    return np.copysign(times, gap_min)


def element_epochs(satrecs: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Each satellite's element epoch as SGP4's two-part Julian date (UTC), two ``(n,)`` arrays."""
    jd, fr = satrec_columns(satrecs, "jdsatepoch", "jdsatepochF")
    return jd, fr


def epoch_gap_days(satrecs: Sequence, jd: float, fr: float) -> np.ndarray:
    """Days from each element epoch to the UTC Julian date ``jd + fr``, ``(n,)``.

    Positive where the elements are older than that time.  Days of SGP4's
    clock (86400 s each, no leap seconds).
    """
    epoch_jd, epoch_fr = element_epochs(satrecs)
    return (jd - epoch_jd) + (fr - epoch_fr)


def failed_before(satrecs: Sequence, jd: float, fr: float) -> np.ndarray:
    """``(n,)`` True for each satellite SGP4 fails on between its element epoch and ``jd + fr``.

    ``jd + fr`` is a UTC Julian date (SGP4's two parts), the first time asked for.
    A satellite fails if SGP4 reports an error code, a radius outside
    :func:`radius_bounds_km`, or a position and velocity whose two-body perigee
    (:func:`osculating_perigee_km`, with the set's own ``Satrec.mu``) is below the
    low bound (one Earth radius), at a check time between its element epoch and
    that time, the time included (backwards when the time is before the epoch).
    The perigee rule catches an eccentric orbit that decays near perigee between
    check times; it may also fail an orbit whose osculating perigee is below the
    Earth while SGP4's radius stays above it (by at most its short-period terms,
    26 km measured) for the next revolution or a few, before SGP4 reports the
    decay.  Where the osculating perigee at the time itself is above the Earth but
    within :data:`LOOK_BACK_PERIGEE_KM` of it (a perigee that dipped below the
    surface may be back above it by those terms), SGP4 is also stepped every
    :data:`LOOK_BACK_STEP_S` over the :data:`LOOK_BACK_REVOLUTIONS` revolutions
    before the time, and an error code or a radius out of bounds there fails the
    satellite too (SGP4's own verdict: it adds no failure SGP4 does not report).
    Satellites whose epochs fall within :data:`CHECK_BIN_DAYS` of each other are
    stepped together in one ``SatrecArray``, at :func:`check_times_min` from the
    bin's epoch nearest the time: for each of them the check times then lie at
    most ``CHECK_BIN_DAYS`` (plus a minute) after its own epoch and grow by at
    most :data:`CHECK_RATIO` (adding the same offset to every time only lowers the
    ratio).  About ``log2(gap / 1 min) + 1`` propagations a satellite (21 for
    seven months), made only for the satellites that
    :func:`orbital.sgp4_bounds.cannot_fail` does not clear for the whole span from
    their epoch to the time: where it does, no check time can find a failure, so
    the answer is the same.  The look back adds about 1,700 propagations (three
    90-minute revolutions at 10 s) for each satellite it is made for.  Raises
    nothing of its own (SGP4's errors are its error codes).
    """
    return bounds_and_failed_before(satrecs, jd, fr)[2]


def bounds_and_failed_before(satrecs: Sequence, jd: float, fr: float):
    """``(low_km, high_km, failed)``: :func:`radius_bounds_km` and :func:`failed_before` of
    ``satrecs``, each ``(n,)``, with the ``Satrec`` attributes both need read once."""
    n = len(satrecs)
    failed = np.zeros(n, dtype=bool)
    if n == 0:
        return np.zeros(0), np.zeros(0), failed
    elements, (epoch_jd, epoch_fr, mu) = sgp4_elements(satrecs, "jdsatepoch", "jdsatepochF", "mu")
    low_km, high_km = _radius_bounds_km(elements.radius_earth_km, elements.a_earth_radii)
    gap_min = ((jd - epoch_jd) + (fr - epoch_fr)) * MINUTES_PER_DAY
    cleared = cannot_fail(elements, gap_min)
    # Days from the first satellite's epoch, and the time asked for on the same scale.
    epoch_day = (epoch_jd - epoch_jd[0]) + (epoch_fr - epoch_fr[0])
    start_day = (jd - epoch_jd[0]) + (fr - epoch_fr[0])
    for forward in (True, False):
        members = np.flatnonzero(epoch_day <= start_day if forward else epoch_day > start_day)
        members = members[np.argsort(epoch_day[members], kind="stable")]
        if not forward:
            members = members[::-1]  # nearest the time first, as forwards
        for chunk in _bins(epoch_day[members], forward):
            binned = members[chunk]
            anchor = binned[-1]  # the epoch nearest the time asked for
            checked = binned[~cleared[binned]]
            gap_min = (start_day - epoch_day[anchor]) * MINUTES_PER_DAY
            times_min = check_times_min(gap_min)
            if times_min.size == 0 or checked.size == 0:
                continue
            dates_jd = np.full(times_min.shape, epoch_jd[anchor])
            dates_fr = epoch_fr[anchor] + times_min / MINUTES_PER_DAY
            errors, positions, velocities = _sgp4(satrecs, checked, dates_jd, dates_fr)
            bad = errors != 0
            perigee_km = osculating_perigee_km(positions, velocities, mu[checked, None])
            with np.errstate(invalid="ignore"):
                bad |= implausible(positions, low_km[checked], high_km[checked])
                bad |= perigee_km < low_km[checked, None]
                near = perigee_km[:, -1] < low_km[checked] + LOOK_BACK_PERIGEE_KM
            failed[checked] = bad.any(axis=1)
            look = checked[near & ~failed[checked]]
            if look.size:
                period_min = 2.0 * np.pi * elements.a_earth_radii[look] ** 1.5 / elements.xke[look]
                back_min = _look_back_min(gap_min, period_min.max())
                dates_jd = np.full(back_min.shape, epoch_jd[anchor])
                dates_fr = epoch_fr[anchor] + back_min / MINUTES_PER_DAY
                errors, positions, _ = _sgp4(satrecs, look, dates_jd, dates_fr)
                with np.errstate(invalid="ignore"):
                    bad = (errors != 0) | implausible(positions, low_km[look], high_km[look])
                failed[look] = bad.any(axis=1)
    return low_km, high_km, failed


#: Osculating perigee height at the time asked for below which SGP4 is also stepped
#: densely over the revolutions just before it, km: nearly four times the largest gap
#: measured between the osculating perigee and SGP4's least radius over a revolution
#: (26 km, its short-period terms), so that a perigee that has just dipped below the
#: surface and come back above it by those terms is looked at.
LOOK_BACK_PERIGEE_KM = 100.0
#: Revolutions before the time asked for stepped densely, and the step, seconds.
LOOK_BACK_REVOLUTIONS = 3.0
LOOK_BACK_STEP_S = 10.0


def _look_back_min(gap_min: float, period_min: float) -> np.ndarray:
    """Minutes from the epoch every :data:`LOOK_BACK_STEP_S` over the
    :data:`LOOK_BACK_REVOLUTIONS` revolutions of ``period_min`` before ``gap_min``
    (towards the epoch, not past it), ``gap_min`` first."""
    span_min = min(abs(gap_min), LOOK_BACK_REVOLUTIONS * period_min)
    back_min = np.append(np.arange(0.0, span_min, LOOK_BACK_STEP_S / 60.0), span_min)
    return gap_min - np.copysign(back_min, gap_min)


#: Width of a bin of element epochs checked together, days (an hour).
CHECK_BIN_DAYS = 1.0 / 24.0


def _bins(days: np.ndarray, forward: bool):
    """Slices of ``days`` (sorted towards the time asked for) no wider than CHECK_BIN_DAYS."""
    key = days if forward else -days  # ascending either way
    start, n = 0, len(days)
    while start < n:
        stop = int(np.searchsorted(key, key[start] + CHECK_BIN_DAYS, side="right"))
        yield slice(start, stop)
        start = stop


def _sgp4(satrecs, members, dates_jd, dates_fr):
    """SGP4's error codes ``(k, n_t)``, positions ``(k, n_t, 3)`` km and velocities
    ``(k, n_t, 3)`` km/s for ``members``."""
    if len(members) == 1:
        errors, positions, velocities = satrecs[members[0]].sgp4_array(dates_jd, dates_fr)
        return errors[None], positions[None], velocities[None]
    from sgp4.api import SatrecArray

    return SatrecArray([satrecs[m] for m in members]).sgp4(dates_jd, dates_fr)

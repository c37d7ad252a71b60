"""Where SGP4 cannot fail: bounds on its near-Earth terms over a span of time.

SGP4's near-Earth model (``method == "n"``; orbital periods below 225 min) lets
the mean elements drift from their epoch values only through the drag terms of
Hoots & Roehrich (Spacetrack Report #3, 1980, section 6; Vallado, Crawford,
Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753, whose
``sgp4init`` and ``sgp4`` python-sgp4 compiles)::

    tempa = 1 - C1 t - D2 t^2 - D3 t^3 - D4 t^4      (a = a0 tempa^2)
    tempe = B* C4 t + B* C5 (sin M - sin M0)         (e = e0 - tempe)

with ``t`` minutes from the element epoch.  Everything else that sets the
radius is bounded whatever the angles: the long-period term ``aycof``
(``|aycof| = |J3/J2| sin(i) / 2``) moves the eccentricity vector by
``|aycof| / (a (1 - e^2))``, and the short-period terms move the radius by at
most ``3 (J2/2) / p^2`` of itself and ``(J2/2) / p`` Earth radii (``p`` the
semi-latus rectum; ``3 cos^2 i - 1`` lies in ``[-1, 2]``, ``sin^2 i`` in
``[0, 1]``).  So over ``|t| <= T`` SGP4's radius ``mrt`` (Earth radii) lies
between bounds made of ``|C1| T + |D2| T^2 + |D3| T^3 + |D4| T^4`` and
``|B* C4| T + 2 |B* C5|``; :func:`cannot_fail` says where those bounds keep
every error code away (1: mean eccentricity outside ``[-0.001, 1)``; 4: a
negative semi-latus rectum; 6: ``mrt < 1``, the decay; 2 needs a non-positive
mean motion and 3 the deep-space model) and the radius within
``[1, SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS * a0]``, the bounds
:mod:`orbital.validity` believes.  The osculating perigee of SGP4's position
and velocity, which :mod:`orbital.validity` also checks, lies within
:data:`OSCULATING_PERIGEE_MARGIN_TEMP1` times ``J2 / (2 p)`` of the mean
perigee ``am (1 - el)`` at every instant (the short-period terms; SGP4's
velocity has no drag term of its own), so its least value over the span is
bounded from the same ``am`` and ``el`` (:func:`osculating_perigee_low`).
The coefficients are
:func:`drag_coefficients`, ``sgp4init``'s arithmetic over arrays.

Limits: deep-space element sets (``method == "d"``) and perigees at or below
:data:`MIN_PERIGEE_KM` are never said safe; the bound includes ``D2..D4``
where SGP4 drops them (perigee below 220 km), which only widens it.
"""

from collections.abc import Sequence
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from orbital.constants import SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS

#: SGP4's atmosphere: density parameter ``s`` 78 km and ``q0`` 120 km above the
#: Earth's radius (Spacetrack Report #3, section 6).  Below a perigee of 156 km
#: SGP4 takes ``s`` 78 km under the perigee, and below 98 km ``s`` 20 km.
S_ALTITUDE_KM = 78.0
Q0_ALTITUDE_KM = 120.0
LOW_PERIGEE_KM = 156.0
VERY_LOW_PERIGEE_KM = 98.0
VERY_LOW_S_ALTITUDE_KM = 20.0
#: Perigees at or below this are never said safe: 1 km above SGP4's switch to
#: another atmosphere, far more than the rounding of two evaluations of the perigee.
MIN_PERIGEE_KM = LOW_PERIGEE_KM + 1.0
#: Lowest mean eccentricity SGP4 accepts (error 1 below it) and its floor for ``e``.
SGP4_MIN_ECCENTRICITY = -0.001
SGP4_ECCENTRICITY_FLOOR = 1.0e-6
#: How far, in SGP4's ``temp1 = J2 / (2 p)`` (Earth radii, ``p`` the mean semi-latus
#: rectum), the osculating perigee of SGP4's position and velocity may lie below its
#: mean perigee ``am (1 - el)`` at the same instant.  SGP4's velocity has no drag term
#: of its own: position and velocity are the two-body ones of ``am``, ``el`` plus the
#: short-period terms, which move the radius and both velocity components (in units of
#: the circular speed) by a few times ``temp1`` each, and the perigee by some multiple
#: of that.  Measured: at most 6.98 over 19,245 drag-free states (perigees 100 to
#: 2,500 km, eccentricities to 0.6, every inclination, WGS-72 and WGS-84) and 6.94 over
#: the 1,128 with drag of both signs of ``tests/orbital/test_sgp4_bounds.py``; this is
#: more than twice that.
OSCULATING_PERIGEE_MARGIN_TEMP1 = 15.0
#: Relative margin on every bound: far above the float64 rounding of this module's
#: arithmetic and of SGP4's own (about 1e-15 relative), far below what it bounds.
ROUNDING_MARGIN = 1.0e-6


class Sgp4Elements(NamedTuple):
    """Element sets as arrays, each ``(n,)``, in SGP4's units (Earth radii, minutes).

    ``a_earth_radii`` is ``Satrec.a`` (the un-Kozai'd mean semi-major axis),
    ``bstar`` in 1/Earth radii, ``xke`` in Earth radii^1.5 per minute, ``j2`` and
    ``j3oj2`` the gravity model's (``Satrec.j2``, ``Satrec.j3oj2``),
    ``deep_space`` True where ``Satrec.method == "d"``.
    """

    a_earth_radii: np.ndarray
    eccentricity: np.ndarray
    inclination_rad: np.ndarray
    argp_rad: np.ndarray
    bstar: np.ndarray
    xke: np.ndarray
    j2: np.ndarray
    j3oj2: np.ndarray
    radius_earth_km: np.ndarray
    deep_space: np.ndarray


#: The ``Satrec`` attributes of :class:`Sgp4Elements`' numeric fields, in order.
SATREC_ATTRIBUTES = ("a", "ecco", "inclo", "argpo", "bstar", "xke", "j2", "j3oj2", "radiusearthkm")


def satrec_columns(satrecs: Sequence, *names: str, dtype=float) -> np.ndarray:
    """The numeric attributes ``names`` of python-sgp4 ``Satrec`` objects, ``(len(names),
    n)`` of ``dtype``, read in one pass (``operator.attrgetter`` mapped in C over the
    sequence, no Python loop; a ``Satrec`` exposes its fields only one object at a time)."""
    n = len(satrecs)
    if len(names) == 1:
        return np.fromiter(map(attrgetter(names[0]), satrecs), dtype, n)[None]
    values = chain.from_iterable(map(attrgetter(*names), satrecs))
    return np.fromiter(values, dtype, n * len(names)).reshape(n, len(names)).T


def sgp4_elements(satrecs: Sequence, *extra: str) -> tuple[Sgp4Elements, np.ndarray]:
    """The :class:`Sgp4Elements` of python-sgp4 ``Satrec`` objects, and their numeric
    attributes ``extra`` (names) as a ``(len(extra), n)`` float array, read in one pass."""
    n = len(satrecs)
    columns = satrec_columns(satrecs, *SATREC_ATTRIBUTES, *extra)
    deep_space = np.fromiter(map(attrgetter("method"), satrecs), "U1", n) == "d"
    fields = len(SATREC_ATTRIBUTES)
    return Sgp4Elements(*columns[:fields], deep_space), columns[fields:]


class DragCoefficients(NamedTuple):
    """``sgp4init``'s drag coefficients, each ``(n,)``: ``cc1`` (1/min), ``cc4``
    (1/min per B*), ``cc5`` (per B*), ``d2``, ``d3``, ``d4`` (1/min^2..4), and
    ``perigee_km`` (above the Earth's radius)."""

    cc1: np.ndarray
    cc4: np.ndarray
    cc5: np.ndarray
    d2: np.ndarray
    d3: np.ndarray
    d4: np.ndarray
    perigee_km: np.ndarray


def drag_coefficients(elements: Sgp4Elements) -> DragCoefficients:
    """``sgp4init``'s ``cc1, cc4, cc5, d2, d3, d4`` for every element set, as arrays.

    The arithmetic of python-sgp4's ``sgp4init`` (``sgp4/propagation.py``, Vallado
    et al. 2006), with the mean motion ``xke / a^1.5`` and ``a = Satrec.a``; ``d2``
    to ``d4`` are given for every set, also where SGP4 leaves them out.  NaN or
    infinite where the formulas are (a mean semi-major axis at or below ``s``).
    """
    a, e = elements.a_earth_radii, elements.eccentricity
    radius_km, j2 = elements.radius_earth_km, elements.j2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        no_unkozai = elements.xke / a**1.5
        cosio2 = np.cos(elements.inclination_rad) ** 2
        con41 = 3.0 * cosio2 - 1.0
        omeosq = 1.0 - e * e
        perigee_km = (a * (1.0 - e) - 1.0) * radius_km
        low = perigee_km < LOW_PERIGEE_KM
        s_km = np.where(
            low,
            np.where(
                perigee_km < VERY_LOW_PERIGEE_KM,
                VERY_LOW_S_ALTITUDE_KM,
                perigee_km - S_ALTITUDE_KM,
            ),
            S_ALTITUDE_KM,
        )
        qzms24 = ((Q0_ALTITUDE_KM - s_km) / radius_km) ** 4
        sfour = s_km / radius_km + 1.0
        tsi = 1.0 / (a - sfour)
        eta = a * e * tsi
        etasq = eta * eta
        eeta = e * eta
        psisq = np.abs(1.0 - etasq)
        coef = qzms24 * tsi**4
        coef1 = coef / psisq**3.5
        cc2 = (
            coef1
            * no_unkozai
            * (
                a * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq))
                + 0.375 * j2 * tsi / psisq * con41 * (8.0 + 3.0 * etasq * (8.0 + etasq))
            )
        )
        cc1 = elements.bstar * cc2
        x1mth2 = 1.0 - cosio2
        cc4 = (
            2.0 * no_unkozai * coef1 * a * omeosq
            * (
                eta * (2.0 + 0.5 * etasq)
                + e * (0.5 + 2.0 * etasq)
                - j2 * tsi / (a * psisq)
                * (
                    -3.0 * con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta))
                    + 0.75 * x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq))
                    * np.cos(2.0 * elements.argp_rad)
                )
            )
        )  # fmt: skip
        cc5 = 2.0 * coef1 * a * omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq)
        d2 = 4.0 * a * tsi * cc1 * cc1
        temp = d2 * tsi * cc1 / 3.0
        d3 = (17.0 * a + sfour) * temp
        d4 = 0.5 * temp * a * tsi * (221.0 * a + 31.0 * sfour) * cc1
    return DragCoefficients(cc1, cc4, cc5, d2, d3, d4, perigee_km)


def radius_range(elements: Sgp4Elements, span_min) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest radius SGP4 gives within ``|t| <= |span_min|`` of each epoch, as
    bounds: two ``(n,)`` arrays, Earth radii (``mrt``; km are these times ``radius_earth_km``).

    ``span_min`` ``(n,)`` (or a scalar) is minutes from each element epoch, of
    either sign; the bounds cover ``t`` of both signs up to its size, by the
    terms of this module's docstring.  NaN where they are not given: deep-space
    sets, perigees at or below :data:`MIN_PERIGEE_KM`, a drag factor ``tempa``
    that may reach 0, and where SGP4 may report error 1 (mean eccentricity
    outside ``[-0.001, 1)``) or 4 (eccentricity vector of length 1 or more).
    """
    low, high, _ = _ranges(elements, span_min)
    return low, high


def osculating_perigee_low(elements: Sgp4Elements, span_min) -> np.ndarray:
    """Least osculating perigee radius of SGP4's state within ``|t| <= |span_min|`` of each
    epoch, as a bound: ``(n,)``, Earth radii (times ``radius_earth_km`` for km).

    The osculating perigee is the two-body one of SGP4's TEME position and
    velocity (``h^2 / (mu (1 + e))``, :func:`orbital.validity.osculating_perigee_km`).
    It lies within :data:`OSCULATING_PERIGEE_MARGIN_TEMP1` times ``J2 / (2 p)``
    (Earth radii, SGP4's ``temp1``) of SGP4's mean perigee ``am (1 - el)`` at
    the same instant, SGP4's short-period terms being of that order; the bound
    is the least mean perigee over the span (``radius_range``'s ``am`` and
    ``el``) less that margin at the span's greatest ``temp1``.  NaN where
    :func:`radius_range` gives no bounds.
    """
    return _ranges(elements, span_min)[2]


def _ranges(elements: Sgp4Elements, span_min):
    """``radius_range``'s two bounds and ``osculating_perigee_low``'s, Earth radii."""
    a, e = elements.a_earth_radii, elements.eccentricity
    drag = drag_coefficients(elements)
    t = np.abs(np.asarray(span_min, dtype=float)) * (1.0 + ROUNDING_MARGIN)
    grow = 1.0 + ROUNDING_MARGIN
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        # |1 - tempa| and |tempe| at most, over |t| <= T.
        g = (
            np.abs(drag.cc1) * t
            + np.abs(drag.d2) * t**2
            + np.abs(drag.d3) * t**3
            + np.abs(drag.d4) * t**4
        ) * grow
        bstar = np.abs(elements.bstar)
        de = (bstar * np.abs(drag.cc4) * t + 2.0 * bstar * np.abs(drag.cc5)) * grow
        am_low, am_high = a * (1.0 - g) ** 2, a * (1.0 + g) ** 2
        e_high = np.maximum(e + de, SGP4_ECCENTRICITY_FLOOR)
        # The eccentricity vector with the long-period term: its length at most this.
        aycof = 0.5 * np.abs(elements.j3oj2) * np.abs(np.sin(elements.inclination_rad))
        el = (e_high + aycof / (am_low * (1.0 - e_high * e_high))) * grow
        pl_low = am_low * (1.0 - el * el)
        temp1 = 0.5 * elements.j2 / pl_low
        temp2 = temp1 / pl_low
        low = am_low * (1.0 - el) * (1.0 - 3.0 * temp2) - 0.5 * temp1
        high = am_high * (1.0 + el) * (1.0 + 1.5 * temp2) + 0.5 * temp1
        perigee_low = am_low * (1.0 - el) - OSCULATING_PERIGEE_MARGIN_TEMP1 * temp1
        bounded = (
            ~elements.deep_space
            & (drag.perigee_km > MIN_PERIGEE_KM)
            & (g < 1.0 - ROUNDING_MARGIN)
            & (e + de < 1.0 - ROUNDING_MARGIN)
            & (e - de >= SGP4_MIN_ECCENTRICITY + ROUNDING_MARGIN)
            & (el < 1.0 - ROUNDING_MARGIN)
        )
    return (
        np.where(bounded, low, np.nan),
        np.where(bounded, high, np.nan),
        np.where(bounded, perigee_low, np.nan),
    )


def cannot_fail(elements: Sgp4Elements, span_min) -> np.ndarray:
    """``(n,)`` True where SGP4 can fail at no time within ``|t| <= |span_min|`` of the epoch.

    True means: at every such ``t`` (either sign) SGP4 reports error code 0,
    a radius strictly between one Earth radius and
    ``SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS`` times ``Satrec.a``, and an
    osculating perigee above one Earth radius: the rules of
    :func:`orbital.validity.failed_before`, with :data:`ROUNDING_MARGIN` to
    spare (:func:`radius_range`, :func:`osculating_perigee_low`).  False says
    nothing: the satellite may or may not fail.  Where :func:`radius_range`
    gives no bounds, False.
    """
    low, high, perigee_low = _ranges(elements, span_min)
    greatest = SGP4_MAX_RADIUS_PER_SEMI_MAJOR_AXIS * elements.a_earth_radii
    with np.errstate(invalid="ignore"):
        return (
            (low > 1.0 + ROUNDING_MARGIN)
            & (perigee_low > 1.0 + ROUNDING_MARGIN)
            & (high < greatest * (1.0 - ROUNDING_MARGIN))
        )

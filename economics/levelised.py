"""Discounting and levelising: the conventions every cost in the package shares.

Conventions (one set for space and ground, so their ratio is not an artefact):

- Capital is paid when service starts, or ``lead_years`` earlier, carried to
  the start of service at the discount rate.
- Each service year's costs and compute are counted at its end: a full year
  ``y`` (0-based) is discounted by ``(1 + r) ** -(y + 1)``, the last, partial
  year of a life of ``S`` years by ``(1 + r) ** -S``.  This is the annuity
  convention of the capital recovery factor, so a cost spread evenly with
  :func:`capital_recovery_factor` and one counted year by year agree exactly.
- A year of compute is a Julian year, :data:`HOURS_PER_YEAR` hours.

Every function broadcasts its array arguments against each other.
"""

from dataclasses import dataclass

import numpy as np

#: Hours in a Julian year (365.25 days), the year of every "per year" here.
HOURS_PER_YEAR = 8766.0

#: The longest service life a yearly grid is built for, years.
MAX_SERVICE_YEARS = 100


def capital_recovery_factor(discount_rate, years):
    """Yearly payment, at each year's end, that repays 1 over ``years`` at ``discount_rate``.

    ``r / (1 - (1 + r) ** -n)``; ``1 / n`` when ``r`` is 0.  Arrays broadcast;
    ``years`` may be fractional.  Needs ``discount_rate > -1`` and ``years > 0``.
    """
    r = np.asarray(discount_rate, dtype=float)
    n = np.asarray(years, dtype=float)
    small = np.abs(r) < 1e-12
    safe = np.where(small, 1.0, r)
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = safe / -np.expm1(-n * np.log1p(safe))
    return np.where(small, 1.0 / n, crf)


@dataclass(frozen=True)
class ServiceFactors:
    """Discounted sums over a service life, per unit bought (arrays of the broadcast shape).

    ``operating_years``: years in service, each weighted by the share still
    working and the discount factor.  ``delivered_years``: the same, also
    weighted by the capacity retained after degradation.  ``end``: the share
    working at the end of life times the discount factor there (what a cost
    paid at retirement, such as disposal, is worth at the start).
    ``replacement_years``: years in service, discounted, not weighted by the
    working share (what a repair paid for every year in service costs).
    """

    operating_years: np.ndarray
    delivered_years: np.ndarray
    end: np.ndarray
    replacement_years: np.ndarray


def service_factors(
    service_life_years,
    discount_rate,
    *,
    failure_rate_per_year=0.0,
    degradation_per_year=0.0,
) -> ServiceFactors:
    """Discounted service years of a unit with life ``S`` (years), on a yearly grid.

    Year ``y`` of service (0-based) counts ``w = clip(S - y, 0, 1)`` of a year
    at its end (see the module's conventions).  A share
    ``failure_rate_per_year`` of the units still working fails each year
    (working share ``(1 - f) ** (y + w / 2)`` over year ``y``, its middle);
    ``degradation_per_year`` removes that share of the capacity each year
    (``(1 - g) ** y`` in year ``y``, so the first year delivers in full, as a
    yearly retention table does).  Raises ``ValueError`` for a life that is not
    positive or longer than :data:`MAX_SERVICE_YEARS`.
    """
    life = np.asarray(service_life_years, dtype=float)
    if not np.all((life > 0) & (life <= MAX_SERVICE_YEARS)):
        raise ValueError(f"service lives must be in (0, {MAX_SERVICE_YEARS}] years")
    r = np.asarray(discount_rate, dtype=float)[..., None]
    f = np.asarray(failure_rate_per_year, dtype=float)[..., None]
    g = np.asarray(degradation_per_year, dtype=float)[..., None]
    y = np.arange(int(np.ceil(life.max())), dtype=float)
    w = np.clip(life[..., None] - y, 0.0, 1.0)
    discount = (1.0 + r) ** -(y + w)
    working = (1.0 - f) ** (y + 0.5 * w)
    retained = (1.0 - g) ** y
    in_service = w * discount
    end = (1.0 - f[..., 0]) ** life * (1.0 + r[..., 0]) ** -life
    return ServiceFactors(
        operating_years=np.sum(in_service * working, axis=-1),
        delivered_years=np.sum(in_service * working * retained, axis=-1),
        end=end,
        replacement_years=np.sum(in_service, axis=-1),
    )


@dataclass(frozen=True)
class Levelised:
    """A levelised cost and where its dollars go.

    ``usd_per_kw_year``: present value of every cost over present value of
    the IT kW-years delivered (array of the broadcast shape).  ``by_item``:
    the same split by cost item (``{item: array}``, in insertion order; the
    items sum to ``usd_per_kw_year``).  ``pv_cost_usd`` and
    ``pv_delivered_kw_years`` are per unit: a satellite over its life, or a
    kW of IT on the ground for a year (its costs spread by capital recovery).
    """

    usd_per_kw_year: np.ndarray
    by_item: dict
    pv_cost_usd: np.ndarray
    pv_delivered_kw_years: np.ndarray

    def usd_per_mwh(self):
        """The levelised cost per MWh of IT energy delivered."""
        return self.usd_per_kw_year * 1000.0 / HOURS_PER_YEAR

    def usd_per_gpu_hour(self, kw_per_gpu):
        """Per accelerator-hour, for accelerators drawing ``kw_per_gpu`` kW of IT each."""
        return self.usd_per_kw_year * np.asarray(kw_per_gpu, dtype=float) / HOURS_PER_YEAR

    def usd_per_pflop_day(self, pflops_per_kw):
        """Per PFLOP-day, for ``pflops_per_kw`` PFLOPS of compute per kW of IT."""
        return self.usd_per_kw_year / (np.asarray(pflops_per_kw, dtype=float) * HOURS_PER_YEAR / 24)


def levelise(pv_by_item: dict, pv_delivered_kw_years) -> Levelised:
    """:class:`Levelised` from present values by item (USD a unit) and a unit's compute."""
    delivered = np.asarray(pv_delivered_kw_years, dtype=float)
    by_item = {item: np.asarray(pv, dtype=float) / delivered for item, pv in pv_by_item.items()}
    total = sum(np.asarray(pv, dtype=float) for pv in pv_by_item.values())
    return Levelised(
        usd_per_kw_year=total / delivered,
        by_item=by_item,
        pv_cost_usd=np.asarray(total, dtype=float),
        pv_delivered_kw_years=delivered,
    )


def affine_root(value_at_0, value_at_1, target):
    """The ``x >= 0`` at which a quantity affine in ``x`` equals ``target``; NaN if none.

    The quantity is given by its values at ``x = 0`` and ``x = 1`` (exact for
    an affine function, which a levelised cost is in any one price).  NaN
    where the quantity does not reach ``target`` at any ``x >= 0``.
    """
    v0 = np.asarray(value_at_0, dtype=float)
    slope = np.asarray(value_at_1, dtype=float) - v0
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (np.asarray(target, dtype=float) - v0) / slope
    return np.where(np.isfinite(x) & (x >= 0.0), x, np.nan)

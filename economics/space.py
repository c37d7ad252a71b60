"""The levelised cost of a compute satellite's IT over its service life.

One satellite is followed from purchase to retirement; a fleet kept at
strength replaces every satellite it retires with an identical one, so its
levelised cost is that of one satellite's life.  How failures are paid for
is a choice (``failure_rule``):

- ``"satellite"``: a failed satellite is lost; it stops delivering and the
  fleet buys and launches a new one (counted by levelising: a satellite
  bought delivers only its expected working years);
- ``"hardware"``: failed hardware is replaced in service at a yearly share
  ``failure_rate_per_year`` of the hardware price and delivery continues (a
  cost model of spares rather than of lost satellites).

Every argument is a float or an array; they broadcast.
"""

import numpy as np

from economics.levelised import Levelised, levelise, service_factors

FAILURE_RULES = ("satellite", "hardware")


def satellite_lcoc(
    *,
    hardware_usd: dict,
    launch_usd,
    delivered_kw,
    service_life_years,
    discount_rate,
    failure_rate_per_year=0.0,
    failure_rule: str = "satellite",
    degradation_per_year=0.0,
    launch_failure_rate=0.0,
    operations_fraction_per_year=0.0,
    operations_usd_per_year=0.0,
    fleet_usd_per_year=0.0,
    insurance_fraction=0.0,
    disposal_usd=0.0,
    lead_years=0.0,
) -> Levelised:
    """Levelised cost (USD per kW-year of IT delivered) of one satellite and its items.

    ``hardware_usd``: the satellite's price by item (``{item: USD}``, compute
    included); ``launch_usd``: its launch; ``delivered_kw``: the IT kW it
    delivers on average while working (after eclipses, outside the mesh and
    utilisation).  ``service_life_years``: the shorter of its physical and
    economic lives.  ``launch_failure_rate``: the share of launches lost (a
    lost satellite is bought and launched again).  ``operations_fraction_per_year``
    of the hardware price and ``operations_usd_per_year`` are paid each year
    it works; ``fleet_usd_per_year`` is its share of the fleet's own costs
    (design, ground segment, operations centre) for each year it works.
    ``insurance_fraction`` of hardware and launch is paid once, at launch;
    ``disposal_usd`` at retirement by the satellites still working.  Capital
    is paid ``lead_years`` before service starts.  Items, in order: the
    hardware items, ``launch``, ``launch failures``, ``insurance``,
    ``hardware replacement`` (failure rule ``"hardware"``), ``operations``,
    ``fleet``, ``disposal``.  Raises ``ValueError`` for an unknown failure rule
    or a service life outside (0, 100] years.
    """
    if failure_rule not in FAILURE_RULES:
        raise ValueError(f"failure_rule={failure_rule!r}: must be one of {FAILURE_RULES}")
    lost = failure_rule == "satellite"
    factors = service_factors(
        service_life_years,
        discount_rate,
        failure_rate_per_year=failure_rate_per_year if lost else 0.0,
        degradation_per_year=degradation_per_year,
    )
    r = np.asarray(discount_rate, dtype=float)
    carry = (1.0 + r) ** np.asarray(lead_years, dtype=float)
    hardware_total = sum(np.asarray(v, dtype=float) for v in hardware_usd.values())
    launch = np.asarray(launch_usd, dtype=float)
    p = np.asarray(launch_failure_rate, dtype=float)
    pv = {item: np.asarray(usd, dtype=float) * carry for item, usd in hardware_usd.items()}
    pv["launch"] = launch * carry
    pv["launch failures"] = (hardware_total + launch) * carry * p / (1.0 - p)
    pv["insurance"] = (
        np.asarray(insurance_fraction, dtype=float) * (hardware_total + launch) * carry
    )
    repair = 0.0 if lost else np.asarray(failure_rate_per_year, dtype=float)
    pv["hardware replacement"] = repair * hardware_total * factors.replacement_years
    yearly = np.asarray(operations_fraction_per_year, dtype=float) * hardware_total
    pv["operations"] = (yearly + np.asarray(operations_usd_per_year, dtype=float)) * (
        factors.operating_years
    )
    pv["fleet"] = np.asarray(fleet_usd_per_year, dtype=float) * factors.operating_years
    pv["disposal"] = np.asarray(disposal_usd, dtype=float) * factors.end
    delivered = np.asarray(delivered_kw, dtype=float) * factors.delivered_years
    return levelise(pv, delivered)

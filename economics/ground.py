"""The levelised cost of IT in a ground data center, per kW of IT installed.

The building and its power and cooling plant last ``facility_life_years``;
the accelerators are replaced every ``economic_life_years``.  Each is spread
over its own life with the capital recovery factor (the annuity convention of
:mod:`economics.levelised`), so the cost does not depend on an analysis
horizon.  The facility's capital is spent ``build_years + grid_delay_years``
before it serves and is carried to that date at the discount rate.  Energy
is drawn for the IT at its utilisation, times the PUE; it is bought from the
grid at ``electricity_usd_per_kwh`` or generated on site (then its fuel is
the price and ``generation_usd_per_kw`` of plant is bought for every kW of
facility load, IT times PUE).

Every argument is a float or an array; they broadcast.
"""

import numpy as np

from economics.levelised import HOURS_PER_YEAR, Levelised, capital_recovery_factor, levelise


def ground_lcoc(
    *,
    facility_usd_per_kw,
    compute_usd_per_kw,
    electricity_usd_per_kwh,
    pue,
    utilisation,
    facility_life_years,
    economic_life_years,
    discount_rate,
    generation_usd_per_kw=0.0,
    operations_fraction_per_year=0.0,
    operations_usd_per_kw_year=0.0,
    availability=1.0,
    land_usd_per_kw=0.0,
    water_usd_per_kwh=0.0,
    build_years=0.0,
    grid_delay_years=0.0,
) -> Levelised:
    """Levelised cost (USD per kW-year of IT delivered) of a ground data center and its items.

    Per kW of IT installed: ``facility_usd_per_kw`` (building, power
    distribution, cooling, fit-out), ``compute_usd_per_kw`` (the same
    accelerators as in orbit), ``generation_usd_per_kw`` per kW of facility
    load (0 on the grid).  ``operations_fraction_per_year`` of the facility's
    price and ``operations_usd_per_kw_year`` are paid each year.  Delivered:
    ``utilisation`` times ``availability`` kW-years per kW installed and year;
    energy is drawn at the utilisation (outages are not subtracted).
    ``land_usd_per_kw`` is spread like the facility (no resale value is
    counted); ``water_usd_per_kwh`` is paid per kWh of IT energy.  Items, in
    order: ``facility``, ``generation``, ``land``, ``compute``, ``energy``,
    ``water``, ``operations``.  No error is raised: lives must
    be positive and the discount rate above -1.
    """
    r = np.asarray(discount_rate, dtype=float)
    lead = np.asarray(build_years, dtype=float) + np.asarray(grid_delay_years, dtype=float)
    carry = (1.0 + r) ** lead
    facility_crf = capital_recovery_factor(r, facility_life_years)
    facility = np.asarray(facility_usd_per_kw, dtype=float)
    plant = np.asarray(generation_usd_per_kw, dtype=float) * np.asarray(pue, dtype=float)
    u = np.asarray(utilisation, dtype=float)
    energy_kwh = u * HOURS_PER_YEAR * np.asarray(pue, dtype=float)
    per_year = {
        "facility": facility * carry * facility_crf,
        "generation": plant * carry * facility_crf,
        "land": np.asarray(land_usd_per_kw, dtype=float) * carry * facility_crf,
        "compute": np.asarray(compute_usd_per_kw, dtype=float)
        * capital_recovery_factor(r, economic_life_years),
        "energy": np.asarray(electricity_usd_per_kwh, dtype=float) * energy_kwh,
        "water": np.asarray(water_usd_per_kwh, dtype=float) * u * HOURS_PER_YEAR,
        "operations": np.asarray(operations_fraction_per_year, dtype=float) * facility
        + np.asarray(operations_usd_per_kw_year, dtype=float),
    }
    return levelise(per_year, u * np.asarray(availability, dtype=float))

"""Solar arrays and batteries: how much of each a load needs through an eclipse.

Array power at end of life (Patel, *Spacecraft Power Systems*, 2005, ch. 4;
Wertz & Larson, *SMAD*, 3rd ed., section 11.4):
``P_EOL / A = S * eta_BOL * (1 - d)^years * packing * (1 - temperature_loss) * cos(pointing)``.
The array carries the sunlit load and recharges the battery for the eclipse:
``P_array = P_sun + P_eclipse * T_eclipse / (T_sun * eta_charge * eta_discharge)``.
The battery holds the eclipse energy within its depth of discharge:
``E = P_eclipse * T_eclipse / (DoD * eta_discharge)``.
"""

import numpy as np

from orbital.constants import SOLAR_CONSTANT_W_M2


def solar_flux_w_m2(sun_distance_au):
    """Solar irradiance at ``sun_distance_au`` (1361 W/m^2 at 1 au, inverse square)."""
    return SOLAR_CONSTANT_W_M2 / np.asarray(sun_distance_au, dtype=float) ** 2


def array_power_per_area_w_m2(
    flux_w_m2,
    efficiency_bol,
    degradation_per_year,
    life_years,
    packing_factor,
    temperature_loss,
    pointing_loss_deg,
):
    """Electrical power per m^2 of array at end of life, W/m^2."""
    eol = efficiency_bol * (1.0 - degradation_per_year) ** life_years
    return (
        np.asarray(flux_w_m2, dtype=float)
        * eol
        * packing_factor
        * (1.0 - temperature_loss)
        * np.cos(np.radians(pointing_loss_deg))
    )


def array_power_needed_w(
    sun_load_w, eclipse_load_w, sunlit_min, eclipse_min, charge_efficiency, discharge_efficiency
):
    """Array output (W) that carries the sunlit load and refills the battery each orbit."""
    recharge = (
        eclipse_load_w * eclipse_min / (sunlit_min * charge_efficiency * discharge_efficiency)
    )
    return sun_load_w + recharge


def battery_capacity_wh(eclipse_load_w, eclipse_min, depth_of_discharge, discharge_efficiency):
    """Nameplate battery energy (Wh) that carries ``eclipse_load_w`` through ``eclipse_min``."""
    return eclipse_load_w * (eclipse_min / 60.0) / (depth_of_discharge * discharge_efficiency)

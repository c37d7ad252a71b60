"""Solar arrays and batteries against hand calculations (Patel, *Spacecraft Power Systems*,
ch. 4; Wertz & Larson, *SMAD* 3rd ed., section 11.4), and the eclipse policies of the
closure: riding through eclipses versus shedding compute in them.

Every expected number below is worked out by hand in the comment or docstring beside it.
"""

import dataclasses

import pytest

from constellations.errors import ScenarioError
from constellations.model.satellite import SatelliteDesign
from orbital.closure import (
    HOURS_PER_YEAR,
    ArraySpec,
    BatterySpec,
    Environment,
    RadiatorSpec,
    SatelliteSpec,
    close,
)
from orbital.power import (
    array_power_needed_w,
    array_power_per_area_w_m2,
    battery_capacity_wh,
    solar_flux_w_m2,
)

#: Arithmetic on the same few numbers: a few ulps.
ARITHMETIC_RTOL = 1e-12
#: Hand-rounded figures quoted in docstrings (five or six significant digits).
HAND_RTOL = 1e-5
#: The closure iterates to 1e-9 of the mass; per-tonne figures inherit that.
CLOSURE_RTOL = 1e-8

#: Total solar irradiance at 1 au (IAU 2015 Resolution B3 nominal 1361 W/m^2; Kopp & Lean 2011
#: measured 1360.8).
TSI_W_M2 = 1361.0
#: Earth's aphelion distance, 1 + e with e = 0.0167 (Astronomical Almanac).
APHELION_AU = 1.0167


# --- solar flux ----------------------------------------------------------------------------


def test_solar_flux_is_1361_at_one_au():
    assert float(solar_flux_w_m2(1.0)) == TSI_W_M2


def test_solar_flux_at_aphelion_is_3_3_percent_lower():
    # 1361 / 1.0167^2 = 1361 / 1.03367889 = 1316.66 W/m^2
    flux = float(solar_flux_w_m2(APHELION_AU))
    assert flux == pytest.approx(1316.656, rel=HAND_RTOL)
    assert 1.0 - flux / TSI_W_M2 == pytest.approx(0.0326, abs=1e-4)


def test_solar_flux_falls_as_the_inverse_square_and_broadcasts():
    flux = solar_flux_w_m2([0.5, 1.0, 2.0, 5.2])
    assert flux.shape == (4,)
    expected = [4 * TSI_W_M2, TSI_W_M2, TSI_W_M2 / 4, TSI_W_M2 / 5.2**2]
    assert flux.tolist() == pytest.approx(expected, rel=ARITHMETIC_RTOL)


# --- array power per area ------------------------------------------------------------------

REFERENCE_ARRAY = dict(
    flux_w_m2=1361.0,
    efficiency_bol=0.30,
    degradation_per_year=0.01,
    life_years=5,
    packing_factor=0.90,
    temperature_loss=0.10,
    pointing_loss_deg=0.0,
)


def test_array_power_per_area_hand_example():
    # 1361 * 0.30 = 408.3 W/m^2 at beginning of life; 0.99^5 = 0.95099005;
    # packing 0.9 and 10 % temperature loss: * 0.81.
    # 408.3 * 0.95099005 * 0.81 = 314.5143 W/m^2.
    assert float(array_power_per_area_w_m2(**REFERENCE_ARRAY)) == pytest.approx(
        314.5143, rel=HAND_RTOL
    )


def test_degradation_compounds_year_on_year():
    # 10 % a year for two years leaves 0.9^2 = 0.81 of the power, not 1 - 2 * 0.1 = 0.80.
    args = {**REFERENCE_ARRAY, "degradation_per_year": 0.10, "life_years": 2}
    fresh = {**REFERENCE_ARRAY, "degradation_per_year": 0.0}
    ratio = float(array_power_per_area_w_m2(**args) / array_power_per_area_w_m2(**fresh))
    assert ratio == pytest.approx(0.81, rel=ARITHMETIC_RTOL)
    # Compounding composes: five years then two more is seven years.
    five = {**REFERENCE_ARRAY, "life_years": 5}
    seven = {**REFERENCE_ARRAY, "life_years": 7}
    ratio_more = float(array_power_per_area_w_m2(**seven) / array_power_per_area_w_m2(**five))
    assert ratio_more == pytest.approx(0.99**2, rel=ARITHMETIC_RTOL)


@pytest.mark.parametrize(
    ("term", "value", "factor"),
    [
        ("packing_factor", 0.45, 0.5),  # half the cells: half the power
        ("temperature_loss", 0.55, 0.5),  # (1 - 0.55) / (1 - 0.10)
        ("pointing_loss_deg", 60.0, 0.5),  # cos 60 deg
        ("efficiency_bol", 0.15, 0.5),
        ("flux_w_m2", 680.5, 0.5),
    ],
)
def test_each_array_loss_scales_the_power(term, value, factor):
    base = float(array_power_per_area_w_m2(**REFERENCE_ARRAY))
    changed = float(array_power_per_area_w_m2(**{**REFERENCE_ARRAY, term: value}))
    assert changed / base == pytest.approx(factor, rel=ARITHMETIC_RTOL)


def test_array_power_per_area_broadcasts_over_flux():
    flux = [1361.0, 1316.656]
    out = array_power_per_area_w_m2(**{**REFERENCE_ARRAY, "flux_w_m2": flux})
    assert out.shape == (2,)
    assert out[1] / out[0] == pytest.approx(1316.656 / 1361.0, rel=ARITHMETIC_RTOL)


# --- array power needed with eclipse recharge ----------------------------------------------


def test_array_power_needed_hand_example():
    # 100 kW in the sun for 60 min, 100 kW from the battery for 30 min, 95 % each way:
    # recharge = 100 kW * 30 / (60 * 0.95 * 0.95) = 100 kW * 0.5 / 0.9025 = 55.4017 kW.
    # Array = 100 + 55.4017 = 155.4017 kW.
    power = array_power_needed_w(100_000.0, 100_000.0, 60.0, 30.0, 0.95, 0.95)
    assert power == pytest.approx(155_401.7, rel=HAND_RTOL)


def test_array_surplus_refills_exactly_the_eclipse_energy():
    """Energy balance: what the array makes above the sunlit load, through charge and
    discharge losses, is what the eclipse load draws."""
    sun_w, eclipse_w, sunlit_min, eclipse_min, eta_c, eta_d = 80e3, 20e3, 62.0, 29.0, 0.9, 0.8
    array_w = array_power_needed_w(sun_w, eclipse_w, sunlit_min, eclipse_min, eta_c, eta_d)
    delivered_wh = (array_w - sun_w) * sunlit_min / 60 * eta_c * eta_d
    assert delivered_wh == pytest.approx(eclipse_w * eclipse_min / 60, rel=ARITHMETIC_RTOL)


def test_no_eclipse_needs_no_recharge():
    assert array_power_needed_w(50e3, 50e3, 91.0, 0.0, 0.95, 0.95) == 50e3


# --- battery -------------------------------------------------------------------------------


def test_battery_capacity_hand_example():
    # 120 kW for 26 min = 52 kWh; 30 % depth of discharge, 95 % discharge efficiency:
    # 52 / (0.30 * 0.95) = 52 / 0.285 = 182.456 kWh.
    assert battery_capacity_wh(120e3, 26.0, 0.30, 0.95) == pytest.approx(182_456.1, rel=HAND_RTOL)


def test_battery_capacity_is_linear_in_load_and_eclipse():
    base = battery_capacity_wh(10e3, 20.0, 0.5, 0.9)
    assert battery_capacity_wh(20e3, 20.0, 0.5, 0.9) == pytest.approx(2 * base, rel=1e-15)
    assert battery_capacity_wh(10e3, 40.0, 0.5, 0.9) == pytest.approx(2 * base, rel=1e-15)
    assert battery_capacity_wh(10e3, 20.0, 0.25, 0.9) == pytest.approx(2 * base, rel=1e-15)


# --- eclipse policies in the closure -------------------------------------------------------

#: A satellite whose numbers are easy to follow: 100 kW of compute, a 2 kW bus, lossless
#: distribution, no propulsion, so nothing but structure grows with mass.
SAT = SatelliteSpec(
    compute_w=100e3,
    compute_mass_kg=1000.0,
    bus_power_w=2e3,
    bus_mass_kg=100.0,
    structure_fraction=0.1,
    distribution_efficiency=1.0,
)
ARRAY = ArraySpec()
RADIATOR = RadiatorSpec()
BATTERY = BatterySpec(
    specific_energy_wh_kg=200.0,
    depth_of_discharge=0.5,
    charge_efficiency=1.0,
    discharge_efficiency=1.0,
)
ENV = Environment(
    period_min=90.0,
    max_eclipse_min=30.0,
    sunlit_fraction_year=0.9,
    solar_flux_w_m2=1316.656,
    radiator_absorbed_w_m2=150.0,
)


@pytest.fixture(scope="module")
def policies():
    return {
        policy: close(SAT, ARRAY, dataclasses.replace(BATTERY, policy=policy), RADIATOR, ENV)
        for policy in ("ride_through", "shed")
    }


def per_satellite(sizing, per_tonne_value):
    return per_tonne_value * sizing.satellite_mass_kg / 1000.0


def test_ride_through_battery_carries_compute_and_bus(policies):
    # (100 + 2) kW for 30 min = 51 kWh, at 50 % depth of discharge: 102 kWh.
    s = policies["ride_through"]
    assert per_satellite(s, s.battery_kwh_per_tonne) == pytest.approx(102.0, rel=CLOSURE_RTOL)
    assert per_satellite(s, s.mass_breakdown_kg_per_tonne["battery"]) == pytest.approx(
        510.0, rel=CLOSURE_RTOL
    )


def test_shed_battery_carries_only_the_bus(policies):
    # 2 kW for 30 min = 1 kWh, at 50 % depth of discharge: 2 kWh, 10 kg at 200 Wh/kg.
    s = policies["shed"]
    assert per_satellite(s, s.battery_kwh_per_tonne) == pytest.approx(2.0, rel=CLOSURE_RTOL)
    assert per_satellite(s, s.mass_breakdown_kg_per_tonne["battery"]) == pytest.approx(
        10.0, rel=CLOSURE_RTOL
    )


def test_shed_needs_a_smaller_battery_and_array_and_carries_more_per_tonne(policies):
    ride, shed = policies["ride_through"], policies["shed"]
    assert per_satellite(shed, shed.battery_kwh_per_tonne) < per_satellite(
        ride, ride.battery_kwh_per_tonne
    )
    # Array: ride-through 102 + 102 * 30/60 = 153 kW, shed 102 + 2 * 30/60 = 103 kW.
    assert per_satellite(ride, ride.array_power_kw_per_tonne) == pytest.approx(
        153.0, rel=CLOSURE_RTOL
    )
    assert per_satellite(shed, shed.array_power_kw_per_tonne) == pytest.approx(
        103.0, rel=CLOSURE_RTOL
    )
    assert shed.compute_kw_per_tonne > ride.compute_kw_per_tonne


def test_shed_loses_compute_in_eclipse_for_the_sunlit_fraction(policies):
    # 100 kW * (1 - 0.9) * 8766 h = 87,660 kWh a year per satellite.
    shed = policies["shed"]
    assert HOURS_PER_YEAR == 8766.0
    lost = per_satellite(shed, shed.lost_compute_kwh_per_tonne_year)
    assert lost == pytest.approx(100.0 * (1 - 0.9) * 8766.0, rel=CLOSURE_RTOL)
    assert shed.compute_kw_per_tonne_orbit_average == pytest.approx(
        0.9 * shed.compute_kw_per_tonne, rel=CLOSURE_RTOL
    )
    assert shed.policy == "shed"


def test_ride_through_loses_nothing(policies):
    ride = policies["ride_through"]
    assert ride.lost_compute_kwh_per_tonne_year == 0.0
    assert ride.compute_kw_per_tonne_orbit_average == ride.compute_kw_per_tonne


def test_radiator_rejects_every_load_and_the_power_chain_losses():
    """Heat = compute + bus + lasers + the heating share of propulsion + what distribution
    and charging lose.  Hand example: 100 kW compute, 2 kW bus, 4 x 100 W lasers, 95 %
    distribution, 90 % charge / 95 % discharge, 30 min eclipse in 90; no propulsion:
    loads 102.4 kW, array 102.4/0.95 * (1 + 30/(60 * 0.9 * 0.95)) = 170.824 kW,
    recharge 63.035 kW; heat = 102.4 + 0.05 * 170.824 + 0.10 * 63.035 = 117.245 kW."""
    sat = dataclasses.replace(
        SAT, laser_terminals=4, laser_power_w=100.0, distribution_efficiency=0.95
    )
    battery = dataclasses.replace(BATTERY, charge_efficiency=0.9, discharge_efficiency=0.95)
    sizing = close(sat, ARRAY, battery, RADIATOR, ENV)
    assert per_satellite(sizing, sizing.array_power_kw_per_tonne) == pytest.approx(
        170.824, rel=HAND_RTOL
    )
    assert per_satellite(sizing, sizing.heat_rejected_kw_per_tonne) == pytest.approx(
        117.245, rel=HAND_RTOL
    )
    # Propulsion power is drawn through the array too; 40 % of it ends up as heat on board.
    thrusting = dataclasses.replace(sat, propulsion_power_w_per_tonne=1000.0)
    s = close(thrusting, ARRAY, battery, RADIATOR, ENV)
    propulsion_kw = s.satellite_mass_kg / 1000.0  # 1 kW per tonne
    loads_kw = 102.4 + propulsion_kw
    array_kw = loads_kw / 0.95 * (1 + 30 / (60 * 0.9 * 0.95))
    recharge_kw = array_kw - loads_kw / 0.95
    heat_kw = 102.4 + 0.4 * propulsion_kw + 0.05 * array_kw + 0.10 * recharge_kw
    assert per_satellite(s, s.heat_rejected_kw_per_tonne) == pytest.approx(
        heat_kw, rel=CLOSURE_RTOL
    )


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("efficiency_bol", 1.2),
        ("efficiency_bol", 0.0),
        ("efficiency_bol", -0.3),
        ("packing_factor", 1.5),
        ("degradation_per_year", 1.0),
        ("temperature_loss", -0.1),
        ("pointing_loss_deg", 90.0),
        ("areal_density_kg_m2", -1.5),
    ],
)
def test_array_table_refuses_values_outside_their_range(field, value):
    with pytest.raises(ScenarioError, match=rf"^\[solar_array\]: {field}={value!r}: must"):
        SatelliteDesign.from_tables(solar_array={field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("depth_of_discharge", 0.0),
        ("depth_of_discharge", 1.1),
        ("charge_efficiency", 1.05),
        ("discharge_efficiency", -0.9),
        ("specific_energy_wh_kg", 0.0),
    ],
)
def test_battery_table_refuses_values_outside_their_range(field, value):
    with pytest.raises(ScenarioError, match=rf"^\[battery\]: {field}={value!r}: must"):
        SatelliteDesign.from_tables(battery={field: value})


def test_unknown_policy_is_refused_with_the_two_choices():
    with pytest.raises(ScenarioError, match=r"policy='nap'.*ride_through.*shed"):
        SatelliteDesign.from_tables(battery={"policy": "nap"})
    # The closure itself refuses a policy it does not know rather than guess.
    with pytest.raises(ValueError, match=r"policy='nap'.*ride_through.*shed"):
        close(SAT, ARRAY, BatterySpec(policy="nap"), RADIATOR, ENV)

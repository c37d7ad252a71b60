"""Identities the cost engine and the cost stage must keep, as property tests."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constellations.io.scenario import load_scenario
from constellations.planner import plan
from constellations.stages.cost import learning_multipliers, levelised_cost
from economics.ground import ground_lcoc
from economics.levelised import capital_recovery_factor, service_factors
from economics.space import satellite_lcoc

#: Floating-point agreement of two evaluations of the same sums (a few roundings).
ROUNDING = 1e-9

rates = st.floats(0.0, 0.2)
lives = st.floats(0.5, 30.0)
prices = st.floats(1.0, 1e7)


@given(rate=rates, years=st.integers(1, 40))
def test_an_annuity_counted_year_by_year_repays_the_capital_recovery_factor(rate, years):
    factors = service_factors(float(years), rate)
    assert float(factors.operating_years) * float(
        capital_recovery_factor(rate, years)
    ) == pytest.approx(1.0, rel=ROUNDING)


@given(rate=st.floats(0.001, 0.2), life=lives, failure=st.floats(0.0, 0.3))
def test_undiscounted_service_years_are_the_integral_of_survival(rate, life, failure):
    del rate
    factors = service_factors(life, 0.0, failure_rate_per_year=failure)
    # Midpoint rule on whole years: the survival curve's curvature over a year, at most
    # f^2/24 of a year per year (log(1-f) <= 0.36 here), bounds the difference.
    lam = -math.log1p(-failure)
    exact = life if lam < 1e-9 else -math.expm1(-lam * life) / lam
    assert float(factors.operating_years) == pytest.approx(exact, rel=0.01, abs=1e-12)


@given(
    items=st.lists(prices, min_size=1, max_size=6),
    it_kw=st.floats(1.0, 1000.0),
    rate=rates,
    life=st.integers(1, 15),
    utilisation=st.floats(0.1, 1.0),
)
def test_without_launch_and_premium_the_ratio_is_the_hardware_s(
    items, it_kw, rate, life, utilisation
):
    hardware = {f"item{i}": v for i, v in enumerate(items)}
    space = satellite_lcoc(
        hardware_usd=hardware,
        launch_usd=0.0,
        delivered_kw=it_kw * utilisation,
        service_life_years=float(life),
        discount_rate=rate,
    )
    compute_usd_per_kw = 30_000.0
    ground = ground_lcoc(
        facility_usd_per_kw=0.0,
        compute_usd_per_kw=compute_usd_per_kw,
        electricity_usd_per_kwh=0.0,
        pue=1.0,
        utilisation=utilisation,
        facility_life_years=20.0,
        economic_life_years=float(life),
        discount_rate=rate,
    )
    ratio = float(space.usd_per_kw_year / ground.usd_per_kw_year)
    assert ratio == pytest.approx(sum(items) / it_kw / compute_usd_per_kw, rel=ROUNDING)


@given(progress=st.floats(0.55, 1.0), first=st.integers(1, 20_000))
def test_a_year_of_learning_averages_wright_s_law_over_its_units(progress, first):
    launched = np.array([first, 3 * first], dtype=float)
    b = math.log2(progress)
    # Brute force over whole units: the first year builds units 1..first, the second the
    # next 3 first (the sums agree to rounding below 1,000 units, to 1e-7 beyond).
    units = np.arange(1, 4 * first + 1, dtype=float) ** b
    expected = np.mean(units[first:]) / np.mean(units[:first])
    assert learning_multipliers(launched, progress)[1] == pytest.approx(expected, rel=1e-6)


# --------------------------------------------------------------------------- the stage


@pytest.fixture(scope="module")
def planned():
    constellation = load_scenario("dawn-dusk-340")
    return plan(constellation, stages={"cadence"})


PRICE_KEYS = [
    "compute_usd_per_kw", "bus_usd_per_kg", "array_usd_per_w", "radiator_usd_per_m2",
    "battery_usd_per_wh", "propulsion_usd_per_kg", "propellant_usd_per_kg",
    "laser_terminal_usd", "nre_usd", "disposal_usd",
    "ground_station_usd", "ground_station_usd_per_year",
]  # fmt: skip
GROUND_PRICE_KEYS = [
    "facility_usd_per_w", "electricity_usd_per_kwh", "gas_usd_per_mmbtu", "generation_usd_per_kw",
]  # fmt: skip


def _scaled(constellation, factor, **updates):
    cost = constellation.cost
    ground = cost.ground.model_copy(
        update={k: getattr(cost.ground, k) * factor for k in GROUND_PRICE_KEYS}
    )
    scaled = {k: getattr(cost, k) * factor for k in PRICE_KEYS}
    cost = cost.model_copy(update={**scaled, "ground": ground, **updates})
    launch = constellation.launch
    launch = launch.model_copy(update={"cost_per_flight_usd": launch.cost_per_flight * factor})
    return constellation.model_copy(update={"cost": cost, "launch": launch})


@settings(max_examples=15, deadline=None)
@given(factor=st.floats(0.1, 10.0), generation=st.sampled_from(["grid", "gas"]))
def test_scaling_every_price_scales_every_cost(planned, factor, generation):
    base = planned.constellation
    base = base.model_copy(
        update={
            "cost": base.cost.model_copy(
                update={"ground": base.cost.ground.model_copy(update={"generation": generation})}
            )
        }
    )
    one = levelised_cost(base, planned.closure, planned.cadence)
    scaled = levelised_cost(_scaled(base, factor), planned.closure, planned.cadence)
    assert float(scaled.space.usd_per_kw_year) == pytest.approx(
        factor * float(one.space.usd_per_kw_year), rel=ROUNDING
    )
    assert float(scaled.ground.usd_per_kw_year) == pytest.approx(
        factor * float(one.ground.usd_per_kw_year), rel=ROUNDING
    )
    assert scaled.ratio == pytest.approx(one.ratio, rel=ROUNDING)


def _priced(constellation, usd_per_kg):
    """``constellation`` with its launch priced at ``usd_per_kg`` a kg of payload."""
    launch = constellation.launch
    price = usd_per_kg * launch.payload * 1000.0
    return constellation.model_copy(
        update={"launch": launch.model_copy(update={"cost_per_flight_usd": price})}
    )


@settings(max_examples=15, deadline=None)
@given(cheap=st.floats(0.01, 0.3), wacc=st.floats(0.0, 0.12))
def test_at_the_breakeven_launch_price_space_costs_what_the_ground_does(planned, cheap, wacc):
    base = planned.constellation
    # Cheaper satellites, so that a breakeven exists for most draws.
    cost = base.cost.model_copy(
        update={
            "discount_rate": wacc,
            "array_usd_per_w": base.cost.array_usd_per_w * cheap,
            "propellant_usd_per_kg": base.cost.propellant_usd_per_kg * cheap,
            "radiator_usd_per_m2": base.cost.radiator_usd_per_m2 * cheap,
            "laser_terminal_usd": base.cost.laser_terminal_usd * cheap,
            "space_premium": 0.0,
        }
    )
    design = base.model_copy(update={"cost": cost})
    result = levelised_cost(design, planned.closure, planned.cadence)
    price = result.breakeven_launch_usd_per_kg
    if math.isnan(price):
        at_zero = levelised_cost(_priced(design, 0.0), planned.closure, planned.cadence)
        assert at_zero.ratio > 1.0
        assert "even at 0 USD/kg" in result.breakeven_launch_note
        return
    at_breakeven = levelised_cost(_priced(design, price), planned.closure, planned.cadence)
    assert at_breakeven.ratio == pytest.approx(1.0, abs=1e-6)


def test_variants_in_one_pass_equal_the_stage_run_once_each(planned):
    """The vectorised path a trade study takes gives the stage's own numbers, variant by
    variant (floating-point rounding apart)."""
    from constellations.stages.cost import cost_variants

    base = planned.constellation
    rng = np.random.default_rng(7)
    n = 6
    draws = {
        "discount_rate": rng.uniform(0.0, 0.15, n),
        "array_usd_per_w": rng.uniform(0.03, 300.0, n),
        "economic_life_years": rng.uniform(3.0, 7.0, n),
        "launch_usd_per_kg": rng.uniform(10.0, 3000.0, n),
        "ground.pue": rng.uniform(1.05, 1.5, n),
    }
    space, ground, ratio = cost_variants(base, planned.closure, planned.cadence, **dict(draws))
    for k in range(n):
        one = {key: float(v[k]) for key, v in draws.items()}
        launch = base.launch.model_copy(
            update={"cost_per_flight_usd": one.pop("launch_usd_per_kg") * base.launch.payload * 1e3}
        )
        g = base.cost.ground.model_copy(update={"pue": one.pop("ground.pue")})
        design = base.model_copy(
            update={"launch": launch, "cost": base.cost.model_copy(update={**one, "ground": g})}
        )
        result = levelised_cost(design, planned.closure, planned.cadence)
        assert space[k] == pytest.approx(float(result.space.usd_per_kw_year), rel=ROUNDING)
        assert ground[k] == pytest.approx(float(result.ground.usd_per_kw_year), rel=ROUNDING)
        assert ratio[k] == pytest.approx(result.ratio, rel=ROUNDING)


@pytest.mark.parametrize(
    ("replaced", "expected"),
    [
        ({"discount_rat": np.array([0.1])}, "did you mean 'discount_rate'?"),
        ({"discount_rate": np.array([-2.0, 0.1])}, "discount_rate: 1 of 2 variants are outside"),
        ({"utilisation": np.array([np.nan])}, "utilisation: 1 of 1 variants"),
        ({"ground.pue": 0.1}, "ground.pue: 1 of 1 variants are outside [1, 5]"),
        ({"economic_life_years": np.array([0.0])}, "outside (0, 100]"),
        ({"progress_ratio": np.array([0.9])}, "'progress_ratio' is not a price that varies"),
        (
            {"discount_rate": np.zeros(3), "utilisation": np.full(2, 0.5)},
            "give arrays of one shape",
        ),
    ],
)
def test_variants_a_trade_study_cannot_price_are_refused_by_name(planned, replaced, expected):
    from constellations.errors import ScenarioError
    from constellations.stages.cost import cost_variants

    with pytest.raises(ScenarioError) as info:
        cost_variants(planned.constellation, planned.closure, planned.cadence, **replaced)
    assert expected in str(info.value)
    assert str(info.value).startswith("cost_variants: ")


def test_gas_on_site_waits_for_no_grid_connection(planned):
    base = planned.constellation
    gas = base.cost.ground.model_copy(update={"generation": "gas"})
    slow = gas.model_copy(update={"grid_delay_years": 5.0})
    costs = [
        float(
            levelised_cost(
                base.model_copy(update={"cost": base.cost.model_copy(update={"ground": g})}),
                planned.closure,
                planned.cadence,
            ).ground.usd_per_kw_year
        )
        for g in (gas, slow)
    ]
    assert costs[0] == costs[1]


def test_repaired_failures_launch_no_replacements_but_pay_for_repairs(planned):
    """failure_rule "hardware": the cadence flies no replacement for a failure (retirements
    only) and the spend carries the repairs; "satellite": the cadence replaces failures."""
    from constellations.stages.cadence import launch_cadence

    base = planned.constellation
    failing = base.launch.model_copy(update={"failure_rate_per_year": 0.1})
    results = {}
    for rule in ("satellite", "hardware"):
        design = base.model_copy(
            update={
                "launch": failing,
                "cost": base.cost.model_copy(update={"failure_rule": rule}),
            }
        )
        cadence = launch_cadence(design, planned.closure)
        results[rule] = (cadence, levelised_cost(design, planned.closure, cadence))
    lost, repaired = results["satellite"], results["hardware"]
    # Year 2: the fleet is up; only failures are replaced (the life is 5 years).
    assert lost[0].replacement_flights_per_year[1] > 0
    assert repaired[0].replacement_flights_per_year[1] == 0
    hardware = sum(repaired[1].shells[0].hardware_usd.values())
    in_orbit = repaired[0].satellites_in_orbit[1]
    repair_usd = 0.1 * hardware * in_orbit
    assert repaired[1].operations_usd_per_year[1] - lost[1].operations_usd_per_year[1] == (
        pytest.approx(repair_usd, rel=0.01)
    )

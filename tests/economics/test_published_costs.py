"""The cost engine against a peer and a published calculator, each under its own settings.

Each case gives :mod:`economics` the other model's inputs and modelling choices
(its discounting, its replacement rule, its ground generation) and compares
the totals it published.  Nothing of the other model is re-implemented here:
its settings are values, its outputs are the figures it printed.
"""

import pytest

from economics.ground import ground_lcoc
from economics.levelised import capital_recovery_factor
from economics.space import satellite_lcoc

#: Published figures are reproduced within 5 % (the issue's tolerance for a model run
#: with another's settings; the differences left are 8,766 against 8,760 hours a year
#: and McCalip's whole satellites).
PUBLISHED = 0.05


class TestMcCalip:
    """A. McCalip's space-versus-gas-turbine calculator, github.com/andrewmccalip/thoughts,
    ``static/js/math.js`` at commit e59571e26506da5f9d6ee85373bc4b36cb8e4908 (main; the file
    is unchanged since its first commit).  Its default case: 1 GW delivered on average over
    5 years, undiscounted: $51.1B in space against $15.9B on the ground (the page's totals).

    Its settings: Starlink V2 Mini satellites of 27 kW at 36.5 W/kg and $22/W, launch at
    $500/kg, 98 % of the time in sunlight, cells losing 2.5 % a year, 9 % of the hardware
    replaced each year (failures repaired, delivery kept), operations 1 % of the hardware a
    year, $1B of engineering; 39,731 satellites (its own count for 1 GW average).  Ground:
    on-site combined-cycle gas ($1,800/kW of plant for every kW of load, 6,200 Btu/kWh, gas
    at $4.30/MMBtu), facility $12.50/W of IT (5.25 + 3.00 + 2.50 + 1.75), PUE 1.2, load
    factor 0.85, all built at once and counted over the 5 years.
    """

    years = 5.0
    satellites = 39_731
    sat_kw = 27.0

    def space(self):
        return satellite_lcoc(
            hardware_usd={"satellite": 22.0 * self.sat_kw * 1000.0},
            launch_usd=500.0 * self.sat_kw * 1000.0 / 36.5,
            delivered_kw=self.sat_kw * 0.98,
            service_life_years=self.years,
            discount_rate=0.0,
            failure_rate_per_year=0.09,
            failure_rule="hardware",
            degradation_per_year=0.025,
            operations_fraction_per_year=0.01,
            fleet_usd_per_year=1.0e9 / self.years / self.satellites,
        )

    def ground(self):
        return ground_lcoc(
            facility_usd_per_kw=12_500.0,
            generation_usd_per_kw=1800.0,
            compute_usd_per_kw=0.0,
            electricity_usd_per_kwh=6200.0 * 4.30 / 1e6,
            pue=1.2,
            utilisation=0.85,
            facility_life_years=self.years,
            economic_life_years=self.years,
            discount_rate=0.0,
        )

    def test_space_total_for_a_gigawatt_over_five_years(self):
        delivered_kw_years = 1.0e6 * self.years  # 1 GW on average
        total = float(self.space().usd_per_kw_year) * delivered_kw_years
        assert total == pytest.approx(51.1e9, rel=PUBLISHED)

    def test_ground_total_for_a_gigawatt_over_five_years(self):
        delivered_kw_years = 1.0e6 * 0.85 * self.years  # 1 GW of IT at its load factor
        total = float(self.ground().usd_per_kw_year) * delivered_kw_years
        assert total == pytest.approx(15.9e9, rel=PUBLISHED)


class TestSpacedcMdao:
    """The peer spacedc-mdao 0.4.2 (PyPI, import name ``orbitdc``), its reference scenarios
    ``examples/scenarios/orbital_1mw_inference.yaml`` and ``earth_hyperscale_baseline.yaml``
    (in its source distribution), run with ``orbitdc compare`` in a scratch environment
    (Python 3.11.7, numpy 2.4.6, scipy 1.17.1, pydantic 2.14.4) on 2026-12-01.  It printed a
    levelised cost of $1,237.0068 per delivered PFLOP-day in space and $66.0364 on Earth
    (its ``Evaluation.to_json()``; the CLI rounds to 1,237 and 66).

    Its settings, as its evaluation resolved them: 64 satellites, 1,152 H100 SXM (989 dense
    FP16 TFLOP/s, 700 W, $25,000 each) drawing 1,008 kW of IT with their overhead; 5 years,
    8 % discount, capital at the start, flat yearly costs and compute counted at each
    year's end; delivered compute 0.55 of peak (sustained), times 0.85 utilisation, times
    availability (0.8179549 in space, 0.995 on Earth) and, in space, the optical downlink's
    0.75.  Space capital (its physics sized it): accelerators $28.8M, array $102,044,322.70,
    battery $833,953.76, radiator $7,171,691.31, bus and integration $128M, comms $32M,
    launch $237,774,746.40 (79,258 kg at $3,000/kg), ground segment $20M; yearly: operations
    $5M and failed accelerators replaced at $3,222,704.11.  Earth: facility $12M per MW of
    IT, the same accelerators, energy at $0.06/kWh x PUE 1.1 x utilisation, maintenance 5 %
    a year of all its capital.
    """

    it_kw = 1008.0
    pflops_per_kw = 1152 * 989.0 / 1000.0 / 1008.0 * 0.55  # delivered at the sustained share

    def test_space(self):
        result = satellite_lcoc(
            hardware_usd={
                "accelerators": 28.8e6,
                "array": 102_044_322.70,
                "battery": 833_953.76,
                "radiator": 7_171_691.31,
                "bus": 128.0e6,
                "comms": 32.0e6,
            },
            launch_usd=237_774_746.40,
            delivered_kw=self.it_kw * 0.75 * 0.8179549 * 0.85,
            service_life_years=5.0,
            discount_rate=0.08,
            fleet_usd_per_year=20.0e6 * float(capital_recovery_factor(0.08, 5.0))
            + 5.0e6
            + 3_222_704.11,
        )
        assert float(result.usd_per_pflop_day(self.pflops_per_kw)) == pytest.approx(
            1237.0068, rel=PUBLISHED
        )

    def test_earth(self):
        facility, compute = 12_000.0, 28.8e6 / self.it_kw
        result = ground_lcoc(
            facility_usd_per_kw=facility,
            compute_usd_per_kw=compute,
            electricity_usd_per_kwh=0.06,
            pue=1.1,
            utilisation=0.85,
            availability=0.995,
            facility_life_years=5.0,
            economic_life_years=5.0,
            discount_rate=0.08,
            operations_usd_per_kw_year=0.05 * (facility + compute),
        )
        assert float(result.usd_per_pflop_day(self.pflops_per_kw)) == pytest.approx(
            66.0364, rel=PUBLISHED
        )


class TestEpochAlongside:
    """Epoch AI's ground total cost of ownership of a 1 GW site (14 May 2026): about $38B of
    capital and about $8.5B a year.  Its line items are not public, so it is shown beside
    the planner's ground at its defaults (README) rather than reproduced: these are the
    figures the README quotes, and where Epoch's yearly figure falls between them."""

    def ground(self, discount_rate):
        from constellations.model.cost import CostDesign
        from constellations.stages.cost import ground_levelised

        cost = CostDesign(discount_rate=discount_rate)
        return cost, ground_levelised(cost, per_gpu_kw=135.0 / 72.0)

    def test_capital_of_a_gigawatt(self):
        cost, _ = self.ground(0.08)
        capital_usd = (cost.ground.facility_usd_per_w * 1000.0 + cost.compute_usd_per_kw) * 1e6
        assert capital_usd == pytest.approx(40.5e9)  # README: $40.5B against Epoch's ~$38B

    def test_a_year_of_a_gigawatt_brackets_epoch_s(self):
        yearly = {}
        for rate in (0.0, 0.08):
            cost, result = self.ground(rate)
            yearly[rate] = float(result.usd_per_kw_year) * cost.utilisation * 1e6
        assert yearly[0.0] == pytest.approx(7.27e9, rel=1e-3)  # README figures
        assert yearly[0.08] == pytest.approx(9.66e9, rel=1e-3)
        assert yearly[0.0] < 8.5e9 < yearly[0.08]

"""The stages of :func:`constellations.stages.samples.evaluate`, each over a sample dimension.

Each mirrors its plan stage: :func:`close_shell` is
:func:`constellations.stages.closure.close_shell`, :func:`cadence`
:func:`constellations.stages.cadence.launch_cadence` and :func:`cost` the
headline of :func:`constellations.stages.cost.levelised_cost`, with arrays ``(n,)``
where the plan has numbers.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from constellations.stages.atmosphere import CUSTOM, HIGH, MODERATE
from orbital.closure import CLOSURE_REASONS

#: Why a sample has no value, by code: 0 closes, then the closure's reasons, then the
#: cadence's.  The engine appends the reasons of scenarios it refuses after these.
REASONS: tuple[str, ...] = (
    "closes",
    *CLOSURE_REASONS[1:],
    "a satellite is heavier than a flight lifts to its shell",
)
TOO_HEAVY = len(REASONS) - 1

#: The scenario tables read by name here (a study's paths name them), and the keys of a
#: custom solar-activity case, which vary through the orbital point's table.
_DRAG, _COST = "drag", "cost"
_ACTIVITY = ("f107", "ap")

#: The outputs the cost stage gives.
COST_OUTPUTS = ("usd_per_pflop_day", "space_to_ground_ratio", "lcoc_usd_per_kw_year")


@dataclass(frozen=True, eq=False)
class Design:
    """A group's design with the varied keys as arrays ``(n,)``: the closure specs, the
    ``[launch]``, ``[drag]``, ``[radiation]`` and ``[cost]`` tables (pydantic copies holding arrays,
    unchecked: the engine checked the values) and the group's satellite design."""

    n: int
    spec: object
    array: object
    battery: object
    radiator: object
    launch: object
    drag: object
    radiation: object
    cost: object
    prices: object
    satellite: object
    custom: tuple | None  # (f107, ap) arrays where a study varies them

    @classmethod
    def of(cls, scenario, vectors: dict, n: int) -> "Design":
        """The design of ``scenario`` (a checked ScenarioFile) with ``vectors`` ``{path:
        (n,)}`` set: each path names its table and key as the scenario file writes them."""
        from collections import defaultdict

        from constellations.model.satellite import SatelliteDesign
        from constellations.stages.cost import Prices

        updates = defaultdict(dict)
        for path, values in vectors.items():
            table, _, key = path.partition(".")
            updates[table][key] = np.broadcast_to(np.asarray(values, dtype=float), (n,))

        def copied(table: str):
            base = getattr(scenario, table)
            return base.model_copy(update=updates[table]) if updates[table] else base

        activity = updates[_DRAG]
        custom = None
        if any(key in activity for key in _ACTIVITY):
            custom = tuple(
                np.broadcast_to(np.asarray(activity.pop(key, getattr(scenario.drag, key))), (n,))
                for key in _ACTIVITY
            )
        return cls(
            n=n,
            spec=copied("satellite").spec(),
            array=copied("solar_array").spec(),
            battery=copied("battery").spec(),
            radiator=copied("radiator").spec(),
            launch=copied("launch"),
            drag=copied(_DRAG),
            radiation=copied("radiation"),
            cost=scenario.cost,
            prices=Prices(scenario.cost, **updates[_COST]),
            satellite=SatelliteDesign.from_tables(
                scenario.satellite, scenario.solar_array, scenario.battery, scenario.radiator
            ),
            custom=custom,
        )

    @property
    def compute_kw(self):
        return np.broadcast_to(np.asarray(self.spec.compute_w, dtype=float) / 1000.0, (self.n,))

    def launch_life_years(self):
        given = self.launch.design_life_years
        return self.spec.design_life_years if given is None else given


@dataclass(frozen=True, eq=False)
class ShellBatch:
    """One shell closed for every sample: the sizing (arrays), the reason codes, the
    propulsion settled on, the years the propellant sustains and the shortest
    uncontrolled lifetime of any activity case (days), the years the payload's dose
    tolerance allows behind the shielding flown (inf without the radiation stage), the
    propellant budget carried (kg/t a year) and the shielding the design life needs (mm
    of aluminium; NaN without the radiation stage)."""

    point: object
    sizing: object
    reason: np.ndarray
    sustainable_years: np.ndarray
    shortest_lifetime_days: np.ndarray
    radiation_life_years: np.ndarray | float = np.inf
    propellant_kg_per_tonne_year: np.ndarray | float = 0.0
    shielding_needed_mm_al: np.ndarray | float = np.nan

    def life_years(self, design_life):
        """The years a satellite flies: design life, propellant and radiation, the least."""
        propellant = np.minimum(design_life, self.sustainable_years)
        return np.minimum(propellant, self.radiation_life_years)


def cells_factor(design: Design, shell):
    """The cells' remaining power after each sample's design life of the point's
    displacement damage (:func:`constellations.stages.radiation.array_remaining_factor`)."""
    from constellations.stages.radiation import array_remaining_factor

    return array_remaining_factor(
        shell.ddd_mev_g_per_year, design.spec.design_life_years, design.radiation.cell
    )


def shielding(design: Design, shell) -> tuple:
    """``(shielding_kg, radiation_life_years, needed_mm_al)`` of every sample, as the
    radiation stage sizes them (:func:`constellations.stages.radiation.shielding_sizing`);
    no shielding, an unbounded life and no need (NaN) where the point has no dose-depth
    curve."""
    from constellations.stages.radiation import payload_dose_limits, shielding_sizing

    if shell.dose_depth_rad_si_per_year is None:
        return 0.0, np.inf, np.nan
    radiation = design.radiation
    tolerance, area_m2 = payload_dose_limits(radiation, design.satellite)
    needed, _, kg, life = shielding_sizing(
        shell.dose_depth_rad_si_per_year,
        tolerance,
        radiation.design_margin,
        design.spec.design_life_years,
        radiation.shielding_mm_al,
        radiation.max_shielding_mm_al,
        area_m2,
    )
    return kg, life, needed


def _cases(design: Design, shell) -> dict:
    """Density (kg/m^3) and lifetime at B = 1 (days) of every activity case, arrays or
    floats, with the custom one from the table where a study varies it."""
    cases = {
        name: (shell.density_kg_m3[name], shell.lifetime_days_b1[name])
        for name in shell.density_kg_m3
    }
    if design.custom is not None:
        cases[CUSTOM] = custom_case(shell, *design.custom)
    return cases


def custom_case(shell, f107, ap) -> tuple[np.ndarray, np.ndarray]:
    """Density (kg/m^3) and lifetime at B = 1 m^2/kg (days; NaN where the table has no
    lifetimes) of custom activity cases, interpolated in the shell's table log-linearly
    in F10.7 and in log(1 + Ap).  ``f107`` and ``ap`` broadcast together."""
    f_rho, ap_rho, log_rho, f_life, ap_life, log_life = shell.custom_grid
    rho = np.exp(_interpolate(f_rho, ap_rho, log_rho, f107, ap))
    if log_life is None:
        return rho, np.full(rho.shape, np.nan)
    return rho, np.exp(_interpolate(f_life, ap_life, log_life, f107, ap)) / rho


def _interpolate(f_nodes, ap_nodes, table, f107, ap):
    from scipy.interpolate import RegularGridInterpolator

    f107, ap = np.broadcast_arrays(np.asarray(f107, float), np.asarray(ap, float))
    axes = (np.asarray(f_nodes, float), np.log1p(np.asarray(ap_nodes, float)))
    points = np.stack([f107, np.log1p(ap)], axis=-1)
    return RegularGridInterpolator(axes, table)(points)


def hot_case_w_m2(shell, radiator) -> np.ndarray:
    """The hot-case absorbed flux (W/m^2, all faces) for the radiator's absorptivity and
    emissivity (scalars or arrays ``(n,)``); 0 where the radiator ignores its environment."""
    from constellations.stages.closure import hot_case_from_components

    if not radiator.environment:
        return np.zeros(np.broadcast_shapes(np.shape(radiator.absorptivity)))
    return hot_case_from_components(
        shell.hot_per_absorptivity_w_m2,
        shell.hot_per_emissivity_w_m2,
        radiator.absorptivity,
        radiator.emissivity,
    )


def close_shell(design: Design, shell, shaded_fraction=0.0) -> ShellBatch:
    """The closure stage of one shell over the samples: sizing with drag feedback under
    both battery policies (the plan sizes both), as
    :func:`constellations.stages.closure.close_shell` does; ``shaded_fraction`` (scalar or
    ``(n,)``, a formation's worst month's) is taken off the arrays' power as there."""
    from constellations.model.drag import THRUSTERS
    from orbital.closure import POLICIES, Environment
    from orbital.constants import JULIAN_YEAR_DAYS
    from orbital.drag_closure import (
        MAX_ITERATIONS,
        close_with_drag_batch,
        propulsion_demand,
        storm_share,
    )

    shielding_kg, radiation_life, needed_mm_al = shielding(design, shell)
    env = Environment(
        # Every sample's own, so the batch has the samples' size even when only the drag
        # inputs (the solar activity) vary and the satellite is the same in all.
        period_min=np.full(design.n, shell.period_min),
        max_eclipse_min=shell.max_eclipse_min,
        sunlit_fraction_year=shell.sunlit_fraction_year,
        solar_flux_w_m2=shell.aphelion_flux_w_m2,
        radiator_absorbed_w_m2=hot_case_w_m2(shell, design.radiator),
        shielding_kg=shielding_kg,
        array_remaining_factor=cells_factor(design, shell) * (1.0 - np.asarray(shaded_fraction)),
    )
    drag = design.drag
    cases = _cases(design, shell)
    mean = CUSTOM if CUSTOM in cases else MODERATE
    thrust_density = cases[HIGH][0]
    if CUSTOM in cases:  # the mission's mean activity sizes the thrusters when denser
        thrust_density = np.maximum(thrust_density, cases[CUSTOM][0])
    # Above the density model drag is taken as negligible: no station keeping budgeted.
    negligible = 0.0 if shell.above_model else 1.0
    thruster = THRUSTERS[drag.thruster]
    closed = close_with_drag_batch(
        design.spec,
        design.array,
        design.battery,
        design.radiator,
        env,
        array_flow_share=shell.array_share,
        radiator_flow_share=shell.radiator_share,
        body_area_m2_per_tonne=drag.body_area_m2_per_tonne,
        drag_coefficient=drag.drag_coefficient,
        altitude_km=shell.altitude_km,
        thrust_density_kg_m3=negligible * thrust_density,
        mean_density_kg_m3=negligible * cases[mean][0],
        storm_density_kg_m3=negligible * cases[HIGH][0],
        storm_density_factor=drag.storm_density_factor,
        storm_hours_per_year=drag.storm_hours_per_year,
        isp_s=thruster.isp_s,
        thrust_mn_per_kw=thruster.thrust_mn_per_kw,
        policies=POLICIES,
        iterations=MAX_ITERATIONS if drag.feed_sizing else 0,
    )
    area = closed.drag_area_m2_per_tonne
    ballistic = drag.drag_coefficient * area / 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        lifetimes = {name: life_b1 / ballistic for name, (_, life_b1) in cases.items()}
    shortest = np.min(np.stack(np.broadcast_arrays(*lifetimes.values())), axis=0)
    life = np.broadcast_to(np.asarray(design.spec.design_life_years, dtype=float), (design.n,))
    if drag.feed_sizing:
        sustainable = life
    else:
        # The propellant carried against the drag's demand (the mean case and the storms),
        # then the uncontrolled decay in the mean case, as the plan counts it.
        _, need = propulsion_demand(
            area,
            shell.altitude_km,
            drag.drag_coefficient,
            0.0,
            negligible * cases[mean][0],
            negligible * cases[HIGH][0],
            storm_share(drag.storm_density_factor, drag.storm_hours_per_year),
            thruster.isp_s,
            thruster.thrust_mn_per_kw,
        )
        carried = np.asarray(design.spec.propellant_kg_per_tonne_year) * life
        coast_years = lifetimes[mean] / JULIAN_YEAR_DAYS
        with np.errstate(divide="ignore", invalid="ignore"):
            sustainable = np.where(need <= 0, life, np.minimum(life, carried / need + coast_years))
    return ShellBatch(
        shell,
        closed.sizing,
        closed.sizing.reason,
        sustainable,
        shortest,
        radiation_life,
        closed.propellant_kg_per_tonne_year,
        needed_mm_al,
    )


def cadence(design: Design, shells: list, point):
    """The cadence over the samples: ``(FleetHistory, heavy)``, ``heavy`` ``(n,)`` where a
    satellite is heavier than a flight lifts.  Rows whose shells do not close carry
    placeholders (their outputs are NaN)."""
    from orbital.cadence import simulate_fleet

    n = design.n
    launch = design.launch
    life = np.asarray(design.launch_life_years(), dtype=float)
    payload_t = np.asarray(launch.payload, dtype=float)
    columns = {k: [] for k in ("mass", "kw", "share", "life", "per_flight")}
    ok = np.ones(n, dtype=bool)
    heavy = np.zeros(n, dtype=bool)
    for s in shells:
        closes = s.reason == 0
        ok &= closes
        sizing = s.sizing
        mass = np.where(closes, sizing.satellite_mass_kg, 1.0)
        payload = payload_t * (launch.sso_payload_factor if s.point.sun_synchronous else 1.0)
        per_flight = np.floor(np.broadcast_to(payload * 1000.0, (n,)) / mass)
        heavy |= closes & (per_flight < 1)
        columns["mass"].append(mass)
        columns["kw"].append(np.where(closes, sizing.satellite_compute_kw, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = sizing.compute_kw_per_tonne_orbit_average / sizing.compute_kw_per_tonne
        columns["share"].append(np.where(closes, share, 1.0))
        columns["life"].append(np.where(closes, s.life_years(life), 1.0))
        columns["per_flight"].append(np.maximum(per_flight, 1.0))
    stack = {k: np.stack([np.broadcast_to(c, (n,)) for c in v], axis=1) for k, v in columns.items()}
    failure = np.asarray(launch.failure_rate_per_year, dtype=float)
    if design.cost.failure_rule == "hardware":
        failure = np.zeros(n)
    fleet = simulate_fleet(
        flights_by_year=np.broadcast_to(launch.flights_by_year(), (n, launch.years)),
        capacity_sats=np.array([s.point.n_sats for s in shells]),
        sats_per_flight=stack["per_flight"].astype(np.int64),
        satellite_mass_kg=stack["mass"],
        compute_kw=stack["kw"],
        orbit_average_share=stack["share"],
        lifetime_years=stack["life"],
        failure_rate_per_year=np.broadcast_to(failure, (n,)),
        cost_per_flight_usd=np.broadcast_to(np.asarray(launch.cost_per_flight, float), (n,)),
        kw_per_tonne=None
        if launch.kw_per_tonne is None
        else np.broadcast_to(np.asarray(launch.kw_per_tonne, float), (n,)),
    )
    return fleet, heavy


def cost(design: Design, shells: list, point, fleet) -> dict:
    """The cost stage's headline over the samples: ``{output: (n,)}`` of :data:`COST_OUTPUTS`
    (the satellites launched in the cadence's first year, at its prices)."""
    from constellations.stages.cost import (
        _fleet_costs,
        _satellite,
        combine,
        ground_levelised,
        kw_per_gpu,
    )

    n = design.n
    launch = design.launch
    prices = design.prices
    duck_constellation = SimpleNamespace(
        launch=launch,
        satellite=SimpleNamespace(
            spec=design.spec, it_kw_per_accelerator=design.satellite.it_kw_per_accelerator
        ),
    )
    life = np.asarray(design.launch_life_years(), dtype=float)
    closed = [
        SimpleNamespace(
            name=s.point.name,
            resolved=SimpleNamespace(
                shell=SimpleNamespace(
                    name=s.point.name,
                    n_sats=s.point.n_sats,
                    is_sun_synchronous=s.point.sun_synchronous,
                )
            ),
            sized=SimpleNamespace(sizing=s.sizing),
        )
        for s in shells
    ]
    duck_cadence = SimpleNamespace(
        lifetime_years={s.point.name: s.life_years(life) for s in shells}
    )
    program_years = prices.program_years
    if program_years is None:
        program_years = float(launch.years)
    per_sat_year, _, _ = _fleet_costs(prices, closed, program_years)
    launch_usd_per_kg = np.asarray(launch.cost_per_flight, float) / (
        np.asarray(launch.payload, float) * 1000.0
    )
    parts = [
        _satellite(
            prices,
            c,
            duck_constellation,
            duck_cadence,
            s.point.mesh_share,
            per_sat_year,
            launch_usd_per_kg,
        )[0]
        for c, s in zip(closed, shells, strict=True)
    ]
    weights = [s.point.n_sats for s in shells]
    space = np.broadcast_to(combine(parts, weights).usd_per_kw_year, (n,))
    ground = ground_levelised(prices, kw_per_gpu(prices, duck_constellation)).usd_per_kw_year
    out = {
        "lcoc_usd_per_kw_year": space,
        "space_to_ground_ratio": space / ground,
        "usd_per_pflop_day": np.full(n, np.nan),
    }
    if design.spec.compute_pflops is not None:
        pflops_per_kw = sum(
            s.sizing.pflops_per_tonne / s.sizing.compute_kw_per_tonne * w
            for s, w in zip(shells, weights, strict=True)
        ) / sum(weights)
        out["usd_per_pflop_day"] = np.broadcast_to(
            space / (np.asarray(pflops_per_kw, float) * 8766.0 / 24), (n,)
        )
    return out

"""The cost stage: the levelised cost of the constellation's compute, and of the same on the ground.

Fed by the planner's own physics: each shell's satellite is priced item by
item from its sized masses, array power, battery and radiator (closure), its
physical life is the cadence's (design life, or what its propellant holds),
its compute is delivered after eclipse shedding (sizing), outside the
largest cluster of its shell's satellites (the mesh's snapshot, when the
network stage ran) and at the stated
utilisation.  Launches, the learning curve and the cost per year follow the
cadence.  The arithmetic is :mod:`economics` (pure and vectorised).

The headline is the levelised cost of the satellites launched in the
cadence's first year at that year's prices; ``by_launch_year`` follows the
launch price and the learning curve along the cadence.
"""

import math
from dataclasses import dataclass

import numpy as np

from constellations.model.constellation import Constellation
from constellations.model.cost import compute_price_usd_per_kw
from economics.ground import ground_lcoc
from economics.levelised import (
    Levelised,
    affine_root,
    capital_recovery_factor,
    levelise,
)
from economics.space import satellite_lcoc

#: The satellite's items priced per kg of their mass (the rest have their own units).
_PER_KG = {"bus": ("bus", "structure", "shielding"), "propulsion": ("propulsion",)}


@dataclass(frozen=True)
class ShellCost:
    """One shell's satellite priced: first-year prices, its levelised cost, its curve.

    ``hardware_usd`` by item (USD a satellite); ``launch_usd`` a satellite in
    the first year, ``launch_kg`` the payload it takes (its mass, over the
    sun-synchronous payload share where that applies); ``delivered_kw`` the
    IT kW it delivers on average while working and ``delivered_share`` what
    of its IT that is (eclipse shedding x largest cluster x utilisation); lives in years;
    ``levelised`` at first-year prices; ``by_launch_year`` the levelised cost
    (USD per kW-year) of the satellites launched each year of the cadence.
    """

    name: str
    satellites: int
    satellite_mass_kg: float
    it_kw: float
    delivered_kw: float
    delivered_share: float
    physical_life_years: float
    service_life_years: float
    hardware_usd: dict
    launch_usd: float
    launch_kg: float
    levelised: Levelised
    by_launch_year: np.ndarray


@dataclass(frozen=True)
class CostResult:
    """The cost stage's result.

    ``launch_usd_per_kg``: the launch price each year of the cadence (array
    ``(years,)``, per kg of payload to low inclination).
    ``space`` and ``ground`` are :class:`economics.levelised.Levelised` (USD
    per kW-year of IT delivered, and by item); ``ratio`` is space over
    ground; ``space_by_launch_year`` the constellation's levelised cost of the
    satellites launched each year (array ``(years,)``).  Where ``[launch]``
    gives a claim's ``kw_per_tonne``, ``space_as_claimed`` prices the
    satellites at the mass that claim gives them (items priced per kg and the
    launch scale; the power-sized items stay as sized) and ``ratio_as_claimed``
    compares it with the ground; ``sized_kw_per_tonne`` is the fleet's sized
    figure.  Breakevens (NaN where there is none, ``*_note`` says why): the
    launch price (USD/kg, flat over the years) and the array price (USD/W)
    at which space costs what the ground does.  Along the cadence, arrays
    ``(years,)``: satellites launched, their hardware and launch (USD, with
    launch failures), operations and the fleet's own costs (USD), and the IT
    kW-years delivered.  ``ground_stations`` the optical stations the
    downlink needs; ``kw_per_gpu`` and ``pflops_per_kw`` convert the cost to
    other units (``pflops_per_kw`` None without a FLOPS figure, at the payload's
    ``flops_precision``).  ``mesh_counted``: whether the satellites outside
    their shell's largest cluster were taken off (the network stage ran).
    """

    dollar_year: int
    launch_usd_per_kg: np.ndarray
    shells: tuple[ShellCost, ...]
    space: Levelised
    ground: Levelised
    ratio: float
    space_by_launch_year: np.ndarray
    sized_kw_per_tonne: float
    claimed_kw_per_tonne: float | None
    space_as_claimed: Levelised | None
    ratio_as_claimed: float | None
    breakeven_launch_usd_per_kg: float
    breakeven_launch_note: str
    breakeven_array_usd_per_w: float
    breakeven_array_note: str
    years: np.ndarray
    launched_per_year: np.ndarray
    hardware_usd_per_year: np.ndarray
    launch_usd_per_year: np.ndarray
    operations_usd_per_year: np.ndarray
    delivered_kw_years_per_year: np.ndarray
    ground_stations: int
    program_years: float
    kw_per_gpu: float
    flops_precision: str | None
    mesh_counted: bool
    pflops_per_kw: float | None


def kw_per_gpu(prices, constellation):
    """kW of IT per accelerator: ``[cost] it_kw_per_gpu``, else the payload preset's."""
    given = prices.it_kw_per_gpu
    return constellation.satellite.it_kw_per_accelerator if given is None else given


def hardware_usd(sizing, satellite, cost, mass_scale: float, kw_per_gpu: float) -> dict:
    """The satellite's price by item (USD), from its sizing and the ``[cost]`` prices.

    Items: bus (bus and structure mass), array (array power), radiator
    (area), battery (capacity), propulsion (dry mass), propellant (mass),
    lasers (terminals), compute (IT kW, with the space premium) and
    integration (a share of all of these).  ``mass_scale`` scales the items
    priced per kg (bus, structure, propulsion, propellant), for a claim's mass;
    ``kw_per_gpu`` turns a price per accelerator into one per kW.
    """
    tonnes = sizing.satellite_mass_kg / 1000.0
    masses = {k: v * tonnes * mass_scale for k, v in sizing.mass_breakdown_kg_per_tonne.items()}
    items = {
        "bus": cost.bus_usd_per_kg * sum(masses[k] for k in _PER_KG["bus"]),
        "array": cost.array_usd_per_w * sizing.array_power_kw_per_tonne * tonnes * 1000.0,
        "radiator": cost.radiator_usd_per_m2 * sizing.radiator_m2_per_tonne * tonnes,
        "battery": cost.battery_usd_per_wh * sizing.battery_kwh_per_tonne * tonnes * 1000.0,
        "propulsion": cost.propulsion_usd_per_kg * masses["propulsion"],
        "propellant": cost.propellant_usd_per_kg * masses["propellant"],
        "lasers": cost.laser_terminal_usd * satellite.laser_terminals,
        "compute": compute_price_usd_per_kw(cost, kw_per_gpu)
        * (1.0 + cost.space_premium)
        * sizing.satellite_compute_kw,
    }
    items["integration"] = cost.integration_fraction * sum(items.values())
    return items


#: Units summed one by one before the learning curve's sum is taken as an integral.
_EXACT_UNITS = 1000


def cumulative_unit_cost(units, b: float):
    """Sum of ``n ** b`` over the first ``units`` units (arrays; fractions interpolate).

    Whole units one by one up to :data:`_EXACT_UNITS`, then the integral from
    ``_EXACT_UNITS + 1/2`` (the midpoint rule, whose error there is below 1e-7
    of the sum).
    """
    units = np.asarray(units, dtype=float)
    head = np.concatenate([[0.0], np.cumsum(np.arange(1, _EXACT_UNITS + 1, dtype=float) ** b)])
    whole = np.minimum(np.floor(units), _EXACT_UNITS).astype(int)
    part = np.minimum(units, _EXACT_UNITS) - whole
    total = head[whole] + part * (whole + 1.0) ** b
    tail = np.maximum(units, _EXACT_UNITS) + 0.5
    start = _EXACT_UNITS + 0.5
    if b == -1.0:
        extra = np.log(tail / start)
    else:
        extra = (tail ** (b + 1) - start ** (b + 1)) / (b + 1)
    return total + extra


def learning_multipliers(launched_per_year: np.ndarray, progress_ratio: float) -> np.ndarray:
    """Average unit price of each year's satellites over the first year's (Wright's law).

    Unit ``n`` costs ``n ** log2(progress_ratio)`` times the first; a year's
    satellites are units ``C[y-1] + 1`` to ``C[y]`` of the cumulative count
    (:func:`cumulative_unit_cost`).  Years with no launches take the price of
    the last year with some (the first year's before any).
    ``launched_per_year``: array ``(years,)``.
    """
    launched = np.asarray(launched_per_year, dtype=float)
    first = np.flatnonzero(launched > 0)
    if progress_ratio == 1.0 or first.size == 0:
        return np.ones_like(launched)
    b = math.log2(progress_ratio)
    cumulative = cumulative_unit_cost(np.cumsum(launched), b)
    before = np.concatenate([[0.0], cumulative[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(launched > 0, (cumulative - before) / launched, np.nan)
    filled = np.copy(mean)
    filled[: first[0]] = mean[first[0]]
    for y in range(first[0] + 1, len(filled)):
        if not np.isfinite(filled[y]):
            filled[y] = filled[y - 1]
    return filled / mean[first[0]]


def mesh_shares(network, n_shells: int) -> np.ndarray:
    """Share of each shell's satellites in the largest cluster they belong to, at the
    mesh's snapshot (array ``(n_shells,)``; shells are the graph's ``shell`` indices).

    A satellite outside it cannot join the shell's large jobs, so its compute is not
    counted as delivered.  Shells without inter-shell links are clusters of their own.
    """
    from orbital.network_metrics import components

    _, labels = components(network.graph)
    shell = np.asarray(network.graph.nodes["shell"])
    shares = np.ones(n_shells)
    for k in range(n_shells):
        members = labels[shell == k]
        if members.size:
            shares[k] = np.bincount(members).max() / members.size
    return shares


class Prices:
    """A ``[cost]`` design with some of its values replaced (floats or arrays of variants).

    ``Prices(design, discount_rate=np.array([...]), **{"ground.pue": ...})``: attributes
    read as the design's unless replaced; ``ground`` reads ``[cost.ground]`` the same way
    (keys ``"ground.<name>"``).
    """

    def __init__(self, design, prefix: str = "", **replaced):
        self._design = design
        self._prefix = prefix
        self._replaced = replaced

    def __getattr__(self, name):
        key = self._prefix + name
        if key in self._replaced:
            return self._replaced[key]
        if name == "ground":
            return Prices(self._design.ground, "ground.", **self._replaced)
        return getattr(self._design, name)


def _mesh_share_of(shells, network) -> dict:
    shares = np.ones(len(shells)) if network is None else mesh_shares(network, len(shells))
    return {c.name: float(s) for c, s in zip(shells, shares, strict=True)}


def _fleet_costs(prices, shells, program_years):
    """The fleet's own costs: per satellite-year, per year (USD) and the ground stations."""
    it_mw = sum(s.sized.sizing.satellite_compute_kw * s.resolved.shell.n_sats for s in shells) / 1e3
    stations = np.ceil(
        it_mw
        * np.asarray(prices.downlink_gbps_per_mw, dtype=float)
        / (prices.ground_station_gbps * prices.ground_station_availability)
        - 1e-9
    )
    crf = capital_recovery_factor(prices.discount_rate, program_years)
    per_year = (
        prices.nre_usd + stations * prices.ground_station_usd
    ) * crf + stations * prices.ground_station_usd_per_year
    fleet_sats = sum(s.resolved.shell.n_sats for s in shells)
    return per_year / fleet_sats, per_year, stations


def _satellite(
    prices,
    closed,
    constellation,
    cadence,
    mesh_share,
    fleet_per_sat_year,
    launch_usd_per_kg,
    *,
    learn=1.0,
    mass_scale=1.0,
):
    """One shell's satellite levelised at ``prices`` (floats or arrays of variants)."""
    launch = constellation.launch
    shell = closed.resolved.shell
    sizing = closed.sized.sizing
    items = hardware_usd(
        sizing,
        constellation.satellite.spec,
        prices,
        mass_scale,
        kw_per_gpu(prices, constellation),
    )
    items = {k: (v if k == "compute" else v * learn) for k, v in items.items()}
    payload_share = launch.sso_payload_factor if shell.is_sun_synchronous else 1.0
    launch_kg = sizing.satellite_mass_kg * mass_scale / payload_share
    share = sizing.compute_kw_per_tonne_orbit_average / sizing.compute_kw_per_tonne
    delivered_share = share * mesh_share * prices.utilisation
    physical = np.asarray(cadence.lifetime_years[shell.name], dtype=float)
    physical = float(physical) if physical.ndim == 0 else physical
    service = np.minimum(physical, prices.economic_life_years)
    result = satellite_lcoc(
        hardware_usd=items,
        launch_usd=launch_kg * launch_usd_per_kg,
        delivered_kw=sizing.satellite_compute_kw * delivered_share,
        service_life_years=service,
        discount_rate=prices.discount_rate,
        failure_rate_per_year=launch.failure_rate_per_year,
        failure_rule=prices.failure_rule,
        launch_failure_rate=prices.launch_failure_rate,
        operations_fraction_per_year=prices.operations_fraction_per_year,
        fleet_usd_per_year=fleet_per_sat_year,
        insurance_fraction=prices.insurance_fraction,
        disposal_usd=prices.disposal_usd,
    )
    return result, items, launch_kg, delivered_share, physical, service


def ground_levelised(prices, per_gpu_kw) -> Levelised:
    """The ground data center's levelised cost at ``prices`` (a ``[cost]`` design or its
    variants, :class:`Prices`); ``per_gpu_kw`` prices accelerators given each."""
    g = prices.ground
    gas = g.generation == "gas"
    energy = (
        g.heat_rate_btu_per_kwh * g.gas_usd_per_mmbtu / 1e6 if gas else g.electricity_usd_per_kwh
    )
    return ground_lcoc(
        facility_usd_per_kw=np.asarray(g.facility_usd_per_w, dtype=float) * 1000.0,
        compute_usd_per_kw=compute_price_usd_per_kw(prices, per_gpu_kw),
        electricity_usd_per_kwh=energy,
        pue=g.pue,
        utilisation=prices.utilisation,
        facility_life_years=g.facility_life_years,
        economic_life_years=prices.economic_life_years,
        discount_rate=prices.discount_rate,
        generation_usd_per_kw=g.generation_usd_per_kw if gas else 0.0,
        operations_fraction_per_year=g.operations_fraction_per_year,
        build_years=g.build_years,
        grid_delay_years=0.0 if gas else g.grid_delay_years,
        land_usd_per_kw=np.asarray(g.land_usd_per_w, dtype=float) * 1000.0,
        water_usd_per_kwh=np.asarray(g.water_usd_per_mwh, dtype=float) / 1000.0,
    )


def check_variants(design, replaced: dict) -> None:
    """Refuse variants :func:`cost_variants` cannot price, before any work.

    Every key must be a numeric ``[cost]`` key, ``"ground.<key>"`` of ``[cost.ground]``
    or ``"launch_usd_per_kg"``; every value finite and inside the key's range; the arrays
    of one shape (or scalars).  Raises ``ScenarioError`` naming the key and what to change.
    """
    from constellations.errors import ScenarioError
    from constellations.model.keys import closest
    from constellations.model.validation import field_bounds

    fields = {k: v for k, v in type(design).model_fields.items() if k != "ground"}
    fields |= {f"ground.{k}": v for k, v in type(design.ground).model_fields.items()}
    numeric = {
        k
        for k, v in fields.items()
        if float in (v.annotation, *getattr(v.annotation, "__args__", ()))
    }
    # The first year's prices only: what moves prices along the cadence does not vary here.
    along = {"progress_ratio", "launch_progress_ratio", "launch_price_change_per_year"}
    allowed = sorted((numeric - along) | {"launch_usd_per_kg"})
    shapes = []
    for key, value in replaced.items():
        if key not in allowed:
            close = closest(key, allowed)
            hint = f"did you mean {close!r}? " if close else ""
            raise ScenarioError(
                f"cost_variants: {key!r} is not a price that varies; {hint}"
                "use a [cost] key, 'ground.<key>' or 'launch_usd_per_kg'"
            )
        values = np.asarray(value, dtype=float)
        shapes.append(values.shape)
        low, high, low_in, high_in = (
            (0.0, math.inf, True, False)
            if key == "launch_usd_per_kg"
            else field_bounds(fields[key])
        )
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        bad |= (values == low) & (not low_in) | (values == high) & (not high_in)
        if np.any(bad):
            first = values[bad].flat[0]
            span = f"{'[' if low_in else '('}{low:g}, {high:g}{']' if high_in else ')'}"
            raise ScenarioError(
                f"cost_variants: {key}: {int(bad.sum()):,} of {values.size:,} variants are "
                f"outside {span} or not finite (the first: {first:g}); keep them inside"
            )
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ScenarioError(
            f"cost_variants: the variants' arrays have shapes {sorted(set(shapes))}; give "
            "arrays of one shape (or single numbers)"
        ) from None


def cost_variants(constellation: Constellation, closure, cadence, network=None, **replaced):
    """Levelised costs of many variants of the ``[cost]`` prices in one vectorised pass.

    ``replaced`` maps a ``[cost]`` key (``"ground.<key>"`` for ``[cost.ground]``, and
    ``"launch_usd_per_kg"`` for the launch price) to an array of variants, shape
    ``(V,)``; the rest are the scenario's.  Satellites launched in the cadence's first
    year.  Returns ``(space, ground, ratio)``, arrays ``(V,)`` of USD per kW-year of IT
    delivered.  The same numbers as :func:`levelised_cost` for every variant.
    Raises ``ScenarioError`` for a key that is not a price or a value out of its range
    (:func:`check_variants`).
    """
    cost = constellation.cost
    check_variants(cost, replaced)
    launch = constellation.launch
    launch_usd_per_kg = replaced.pop(
        "launch_usd_per_kg", launch.cost_per_flight / (launch.payload * 1000.0)
    )
    prices = Prices(cost, **replaced)
    shells = [closure.of(s.name) for s in constellation.shells]
    share_of = _mesh_share_of(shells, network)
    program_years = prices.program_years
    if program_years is None:
        program_years = float(len(cadence.years))
    per_sat_year, _, _ = _fleet_costs(prices, shells, program_years)
    parts = [
        _satellite(
            prices, c, constellation, cadence, share_of[c.name], per_sat_year, launch_usd_per_kg
        )[0]
        for c in shells
    ]
    space = combine(parts, [c.resolved.shell.n_sats for c in shells]).usd_per_kw_year
    ground = ground_levelised(prices, kw_per_gpu(prices, constellation)).usd_per_kw_year
    return space, ground, space / ground


def levelised_cost(constellation: Constellation, closure, cadence, network=None) -> CostResult:
    """The constellation's cost stage from its closure, cadence and (optionally) network.

    Needs every shell's satellite closed (the cadence ran).  Raises nothing
    for a valid design: what the design cannot reach (no breakeven) is a
    result.
    """
    cost = constellation.cost
    launch = constellation.launch
    years = cadence.years
    n_years = len(years)
    program_years = cost.program_years or float(n_years)
    launch_usd_per_kg = launch.cost_per_flight / (launch.payload * 1000.0)
    launch_path = (
        launch_usd_per_kg
        * (1.0 + cost.launch_price_change_per_year) ** np.arange(n_years)
        * learning_multipliers(np.asarray(cadence.flights_per_year), cost.launch_progress_ratio)
    )
    shells = [closure.of(s.name) for s in constellation.shells]
    mesh_share_of = _mesh_share_of(shells, network)
    fleet_per_sat_year, fleet_per_year, stations = _fleet_costs(cost, shells, program_years)
    launched_all = sum(np.asarray(cadence.launched_per_year[s.name]) for s in shells)
    learning = learning_multipliers(launched_all, cost.progress_ratio)

    def price(closed, launch_usd_per_kg, array_usd_per_w=None, learn=1.0, mass_scale=1.0):
        prices = cost if array_usd_per_w is None else Prices(cost, array_usd_per_w=array_usd_per_w)
        return _satellite(
            prices,
            closed,
            constellation,
            cadence,
            mesh_share_of[closed.name],
            fleet_per_sat_year,
            launch_usd_per_kg,
            learn=learn,
            mass_scale=mass_scale,
        )

    shell_costs = []
    yearly = []  # [shell][year] Levelised
    for closed in shells:
        result, items, launch_kg, delivered_share, physical, service = price(closed, launch_path[0])
        yearly.append([price(closed, launch_path[y], learn=learning[y])[0] for y in range(n_years)])
        curve = np.array([float(y.usd_per_kw_year) for y in yearly[-1]])
        sizing = closed.sized.sizing
        shell_costs.append(
            ShellCost(
                name=closed.name,
                satellites=closed.resolved.shell.n_sats,
                satellite_mass_kg=sizing.satellite_mass_kg,
                it_kw=sizing.satellite_compute_kw,
                delivered_kw=sizing.satellite_compute_kw * delivered_share,
                delivered_share=delivered_share,
                physical_life_years=physical,
                service_life_years=service,
                hardware_usd=items,
                launch_usd=launch_kg * launch_path[0],
                launch_kg=launch_kg,
                levelised=result,
                by_launch_year=curve,
            )
        )
    weights = [s.satellites for s in shell_costs]
    space = combine([s.levelised for s in shell_costs], weights)
    space_by_year = np.array(
        [
            float(combine([per_shell[y] for per_shell in yearly], weights).usd_per_kw_year)
            for y in range(n_years)
        ]
    )
    sized_kw_per_tonne = sum(
        c.sized.sizing.satellite_compute_kw * n for c, n in zip(shells, weights, strict=True)
    ) / sum(
        c.sized.sizing.satellite_mass_kg / 1000.0 * n for c, n in zip(shells, weights, strict=True)
    )
    as_claimed = None
    if launch.kw_per_tonne is not None:
        scales = [
            c.sized.sizing.satellite_compute_kw
            / launch.kw_per_tonne
            * 1000.0
            / c.sized.sizing.satellite_mass_kg
            for c in shells
        ]
        as_claimed = combine(
            [
                price(c, launch_path[0], mass_scale=k)[0]
                for c, k in zip(shells, scales, strict=True)
            ],
            weights,
        )

    ground = ground_levelised(cost, kw_per_gpu(cost, constellation))
    target = float(ground.usd_per_kw_year)

    def space_at(**kw):
        return float(combine([price(c, **kw)[0] for c in shells], weights).usd_per_kw_year)

    launch_0 = space_at(launch_usd_per_kg=0.0)
    breakeven_launch = float(affine_root(launch_0, space_at(launch_usd_per_kg=1.0), target))
    launch_note = (
        ""
        if math.isfinite(breakeven_launch)
        else f"space costs {launch_0:,.0f} USD per kW-year even at 0 USD/kg, the ground "
        f"{target:,.0f}"
    )
    array_kw = dict(launch_usd_per_kg=launch_path[0])
    array_0 = space_at(array_usd_per_w=0.0, **array_kw)
    breakeven_array = float(affine_root(array_0, space_at(array_usd_per_w=1.0, **array_kw), target))
    array_note = (
        ""
        if math.isfinite(breakeven_array)
        else f"space costs {array_0:,.0f} USD per kW-year even with free arrays, the ground "
        f"{target:,.0f}"
    )

    hardware_y = np.zeros(n_years)
    launch_y = np.zeros(n_years)
    operations_y = np.full(n_years, fleet_per_year)
    delivered_y = np.zeros(n_years)
    launched_y = np.zeros(n_years)
    loss = 1.0 / (1.0 - cost.launch_failure_rate)
    for s in shell_costs:
        launched = np.asarray(cadence.launched_per_year[s.name], dtype=float)
        in_orbit = np.asarray(cadence.in_orbit_per_year[s.name], dtype=float)
        mean_in_orbit = 0.5 * (in_orbit + np.concatenate([[0.0], in_orbit[:-1]]))
        hw = sum(s.hardware_usd.values())
        compute = s.hardware_usd["compute"]
        launched_y += launched
        hardware_y += launched * ((hw - compute) * learning + compute) * loss
        launch_y += launched * s.launch_kg * launch_path * loss
        repair = launch.failure_rate_per_year if cost.failure_rule == "hardware" else 0.0
        operations_y += mean_in_orbit * (cost.operations_fraction_per_year + repair) * hw
        delivered_y += mean_in_orbit * s.delivered_kw
    pflops = [c.sized.sizing.pflops_per_tonne for c in shells]
    pflops_per_kw = None
    if all(p is not None for p in pflops):
        pflops_per_kw = sum(
            c.sized.sizing.pflops_per_tonne / c.sized.sizing.compute_kw_per_tonne * n
            for c, n in zip(shells, weights, strict=True)
        ) / sum(weights)
    return CostResult(
        dollar_year=cost.dollar_year,
        launch_usd_per_kg=launch_path,
        shells=tuple(shell_costs),
        space=space,
        ground=ground,
        ratio=float(space.usd_per_kw_year) / target,
        space_by_launch_year=space_by_year,
        sized_kw_per_tonne=float(sized_kw_per_tonne),
        claimed_kw_per_tonne=launch.kw_per_tonne,
        space_as_claimed=as_claimed,
        ratio_as_claimed=None if as_claimed is None else float(as_claimed.usd_per_kw_year) / target,
        breakeven_launch_usd_per_kg=breakeven_launch,
        breakeven_launch_note=launch_note,
        breakeven_array_usd_per_w=breakeven_array,
        breakeven_array_note=array_note,
        years=np.asarray(years),
        launched_per_year=launched_y,
        hardware_usd_per_year=hardware_y,
        launch_usd_per_year=launch_y,
        operations_usd_per_year=operations_y,
        delivered_kw_years_per_year=delivered_y,
        ground_stations=int(stations),
        program_years=program_years,
        kw_per_gpu=float(kw_per_gpu(cost, constellation)),
        flops_precision=constellation.satellite.flops_precision,
        mesh_counted=network is not None,
        pflops_per_kw=pflops_per_kw,
    )


def combine(parts, weights) -> Levelised:
    """One :class:`Levelised` for units of several kinds, ``weights`` units of each."""
    items = {}
    for part, w in zip(parts, weights, strict=True):
        for item, value in part.by_item.items():
            items[item] = items.get(item, 0.0) + w * value * part.pv_delivered_kw_years
    delivered = sum(w * p.pv_delivered_kw_years for p, w in zip(parts, weights, strict=True))
    return levelise(items, delivered)

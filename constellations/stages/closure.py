"""The closure stage: each shell's satellite sized against its sunlight, with its drag.

Sizing and drag are one coupled stage: the drag area comes from the sized
arrays and radiators, and the thruster power and propellant the drag needs go
back into the mass, until the two agree.  The environment comes from the
annual illumination of the shell's worst plane (longest eclipse, least
sunlight), the array is sized at aphelion (the least sunlight of the year),
and the radiator for the hot case: the beta angle, within the shell's range
over the year, at which it absorbs most.  A satellite that does not close is a
result (:attr:`ShellClosure.not_closed` says why), not an exception.
"""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.drag import THRUSTERS, DragDesign
from constellations.model.keys import closest
from constellations.model.satellite import SatelliteDesign
from constellations.stages.atmosphere import (
    AboveModel,
    PropulsionDemand,
    ShellAtmosphere,
    ShellDrag,
    demand_densities,
    mean_case,
    shell_drag,
)
from constellations.stages.hot_case import (
    hot_case_components,
    hot_case_from_components,
    hot_case_radiator_w_m2,
)
from constellations.stages.illumination import IlluminationResult, ShellSunlight
from constellations.stages.parallel import over_shells
from constellations.stages.resolve import ResolvedShell
from orbital.attitude import array_flow_factor, radiator_flow_factor
from orbital.closure import (
    CLOSURE_REASONS,
    POLICIES,
    Environment,
    Sizing,
    close,
    replace_parameter,
)
from orbital.constants import JULIAN_YEAR_DAYS
from orbital.drag_closure import close_with_drag_batch
from orbital.power import solar_flux_w_m2

#: Parameters the inverse mode can solve for, with the range searched.
SOLVABLE = {
    "solar_array.efficiency_bol": (0.01, 0.99),
    "solar_array.areal_density_kg_m2": (0.01, 20.0),
    "solar_array.degradation_per_year": (0.0, 0.2),
    "battery.specific_energy_wh_kg": (10.0, 2000.0),
    "battery.depth_of_discharge": (0.05, 1.0),
    "radiator.temperature_k": (250.0, 1200.0),
    "radiator.areal_density_kg_m2": (0.01, 30.0),
    "radiator.emissivity": (0.05, 1.0),
    "satellite.compute_mass_kg": (1.0, 100_000.0),
    "satellite.bus_mass_kg": (0.0, 100_000.0),
    "satellite.structure_fraction": (0.0, 0.8),
    "satellite.compute_w": (100.0, 10_000_000.0),
}


def shell_environment(sunlight: ShellSunlight, radiator, hot_case=None) -> Environment:
    """The sizing environment of a shell from its year of sunlight: the worst plane, the
    arrays at the year's aphelion (the least sunlight, 3.3 % below 1 au) and the radiator
    at its perihelion (the most, 3.4 % above).

    ``hot_case``, the ``(sun, ir)`` of :func:`hot_case_components` when already found (a
    band's level: :func:`constellations.stages.band_environment.shell_environments`),
    gives the radiator's hot case from them; without it the hot case is evaluated here.
    """
    resolved = sunlight.resolved
    year = sunlight.year
    if hot_case is None:
        absorbed = hot_case_radiator_w_m2(
            resolved,
            radiator,
            sunlight.beta_range_deg,
            float(solar_flux_w_m2(year.perihelion_au)),
        )
    elif radiator.environment:
        absorbed = float(
            hot_case_from_components(*hot_case, radiator.absorptivity, radiator.emissivity)
        )
    else:
        absorbed = 0.0
    return Environment(
        period_min=resolved.period_min,
        max_eclipse_min=sunlight.worst.max_eclipse_min,
        sunlit_fraction_year=sunlight.worst.sunlit_fraction_year,
        solar_flux_w_m2=float(solar_flux_w_m2(year.aphelion_au)),
        radiator_absorbed_w_m2=absorbed,
    )


def shell_environment_batch(sunlight: ShellSunlight, radiator) -> Environment:
    """:func:`shell_environment` for a radiator whose absorptivity and emissivity may be
    arrays ``(n,)``: the hot case per sample from :func:`hot_case_components`, found once.

    ``radiator_absorbed_w_m2`` has the broadcast shape of the two (0 when the
    radiator's ``environment`` is off); the rest are the shell's scalars.
    """
    resolved = sunlight.resolved
    year = sunlight.year
    if radiator.environment:
        sun, ir = hot_case_components(
            resolved,
            radiator,
            sunlight.beta_range_deg,
            float(solar_flux_w_m2(year.perihelion_au)),
        )
        absorbed = hot_case_from_components(sun, ir, radiator.absorptivity, radiator.emissivity)
    else:
        absorbed = 0.0
    return Environment(
        period_min=resolved.period_min,
        max_eclipse_min=sunlight.worst.max_eclipse_min,
        sunlit_fraction_year=sunlight.worst.sunlit_fraction_year,
        solar_flux_w_m2=float(solar_flux_w_m2(year.aphelion_au)),
        radiator_absorbed_w_m2=absorbed,
    )


def drag_feedback_inputs(
    sunlight: ShellSunlight,
    radiator_attitude: str,
    drag_design: DragDesign,
    atmosphere: "ShellAtmosphere | AboveModel",
) -> dict:
    """The drag inputs of :func:`orbital.drag_closure.close_with_drag_batch` for a shell.

    The shares of array and radiator area facing the flow (fixed by the
    attitude and the year's beta angles), the ``[drag]`` table's figures,
    the thruster's, and the densities by role (:func:`demand_densities`).
    Keyword arguments, scalars.
    """
    betas = np.ravel(sunlight.year.beta_deg)
    thruster = THRUSTERS[drag_design.thruster]
    density = demand_densities(atmosphere)
    return dict(
        array_flow_share=array_flow_factor(betas),
        radiator_flow_share=radiator_flow_factor(radiator_attitude, betas),
        body_area_m2_per_tonne=drag_design.body_area_m2_per_tonne,
        drag_coefficient=drag_design.drag_coefficient,
        altitude_km=_drag_altitude_km(atmosphere),
        thrust_density_kg_m3=density.thrust_kg_m3,
        mean_density_kg_m3=density.mean_kg_m3,
        storm_density_kg_m3=density.storm_kg_m3,
        storm_density_factor=drag_design.storm_density_factor,
        storm_hours_per_year=drag_design.storm_hours_per_year,
        isp_s=thruster.isp_s,
        thrust_mn_per_kw=thruster.thrust_mn_per_kw,
    )


@dataclass(frozen=True)
class PolicyFigures:
    """Compute per tonne under one battery policy: in sun, orbit-averaged, its battery, its loss."""

    compute_kw_per_tonne: float
    compute_kw_per_tonne_orbit_average: float
    battery_kg_per_tonne: float
    lost_compute_kwh_per_tonne_year: float


@dataclass(frozen=True)
class ShellSizing:
    """A closed satellite in a shell's environment: its :class:`Sizing` under the design's
    battery policy, the environment it was sized in, and both policies side by side."""

    sizing: Sizing
    environment: Environment
    policies: dict[str, PolicyFigures]


def with_radiation(env: Environment, radiation) -> Environment:
    """``env`` with the shielding and the cells' end-of-life share a
    :class:`~constellations.stages.radiation.ShellRadiation` asks for (``env`` itself
    when ``radiation`` is None)."""
    if radiation is None:
        return env
    return dataclasses.replace(
        env,
        shielding_kg=radiation.shielding_kg,
        array_remaining_factor=radiation.array_remaining_factor,
    )


def size_shell(design, sunlight: ShellSunlight, env: Environment | None = None) -> ShellSizing:
    """Sizing of ``design`` (a SatelliteDesign) in the shell's environment, both policies.

    ``env`` (from :func:`shell_environment`) saves recomputing it.  Raises
    ``ValueError`` (from :func:`orbital.closure.close`) when the satellite
    does not close.
    """
    if env is None:
        env = shell_environment(sunlight, design.radiator)
    policies, closed = {}, {}
    for policy in POLICIES:
        battery = dataclasses.replace(design.battery, policy=policy)
        other = closed[policy] = close(design.spec, design.array, battery, design.radiator, env)
        policies[policy] = PolicyFigures(
            compute_kw_per_tonne=other.compute_kw_per_tonne,
            compute_kw_per_tonne_orbit_average=other.compute_kw_per_tonne_orbit_average,
            battery_kg_per_tonne=other.mass_breakdown_kg_per_tonne["battery"],
            lost_compute_kwh_per_tonne_year=other.lost_compute_kwh_per_tonne_year,
        )
    return ShellSizing(closed[design.battery.policy], env, policies)


def check_solvable(parameter: str, target_kw_per_tonne: float) -> None:
    """``ScenarioError`` unless ``parameter`` is solvable and the target a positive number."""
    if parameter not in SOLVABLE:
        close_match = closest(parameter, SOLVABLE, cutoff=0.6)
        hint = f"did you mean {close_match!r}? " if close_match else ""
        raise ScenarioError(
            f"--solve-for {parameter}: not solvable; {hint}choose one of {', '.join(SOLVABLE)}"
        )
    if not (math.isfinite(target_kw_per_tonne) and target_kw_per_tonne > 0):
        raise ScenarioError(
            f"--target-kw-per-tonne {target_kw_per_tonne}: must be a positive finite number"
        )


def solve_for(
    design,
    sunlight: ShellSunlight,
    parameter: str,
    target_kw_per_tonne: float,
    tolerance: float = 1e-6,
    radiation=None,
) -> "Solution":
    """The value of ``parameter`` (``group.field``) at which compute reaches the target kW/t.

    Every other assumption is held, the shell's ``radiation`` (its shielding and
    cells, as the plan sized them) too.  ``value`` is None when no value in the
    searched range reaches the target.  Raises ``ScenarioError`` for a
    parameter that is not solvable or a target that is not positive.
    """
    check_solvable(parameter, target_kw_per_tonne)
    env_cache = {}
    specs = design.specs()
    group, _, field = parameter.partition(".")
    current = getattr(specs[group], field)

    def kw_per_tonne(value):
        trial = replace_parameter(specs, parameter, value)
        radiator = trial["radiator"]
        key = (radiator.emissivity, radiator.absorptivity)
        if key not in env_cache:
            env_cache[key] = with_radiation(shell_environment(sunlight, radiator), radiation)
        try:
            return close(
                trial["satellite"], trial["solar_array"], trial["battery"], radiator, env_cache[key]
            ).compute_kw_per_tonne
        except ValueError:
            return float("nan")  # this value cannot close (a radiator below its sink, say)

    low, high = SOLVABLE[parameter]
    samples = np.linspace(low, high, 41)
    values = np.array([kw_per_tonne(v) for v in samples])
    finite = np.isfinite(values)
    found = dict(
        shell=sunlight.resolved.shell.name,
        parameter=parameter,
        target_kw_per_tonne=target_kw_per_tonne,
        current_value=current,
        current_kw_per_tonne=kw_per_tonne(current),
        range_kw_per_tonne=(float(np.nanmin(values)), float(np.nanmax(values)))
        if finite.any()
        else None,
        searched=(low, high),
    )
    above = finite & (values >= target_kw_per_tonne)
    below = finite & (values < target_kw_per_tonne)
    crossings = [
        i
        for i in range(len(samples) - 1)
        if (above[i] and below[i + 1]) or (below[i] and above[i + 1])
    ]
    if not crossings:
        return Solution(**found, value=None)
    # Of several crossings take the one nearest the current value.
    i = min(crossings, key=lambda k: abs(samples[k] - current))
    lo, hi = samples[i], samples[i + 1]
    lo_above = above[i]
    while hi - lo > tolerance * max(1.0, abs(hi)):
        mid = 0.5 * (lo + hi)
        mid_above = kw_per_tonne(mid) >= target_kw_per_tonne
        if mid_above == lo_above:
            lo = mid
        else:
            hi = mid
    return Solution(**found, value=float(0.5 * (lo + hi)))


@dataclass(frozen=True)
class Solution:
    """The value of one sizing assumption that reaches a target compute per tonne.

    ``value`` is None when no value in ``searched`` reaches it;
    ``range_kw_per_tonne`` is what that range gives (None when nothing there
    closes).
    """

    shell: str
    parameter: str
    target_kw_per_tonne: float
    current_value: float
    current_kw_per_tonne: float
    range_kw_per_tonne: tuple[float, float] | None
    searched: tuple[float, float]
    value: float | None

    @property
    def reachable(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, eq=False)
class ShellClosure:
    """One shell's satellite, closed with its drag, or the reason it does not close.

    ``sized`` is None when the satellite does not close (``not_closed`` says
    why; ``propulsion_demand`` is what the drag asked when it failed);
    ``drag`` is None only when the satellite failed to close before any drag
    was computed.  ``propulsion_power_w_per_tonne`` and
    ``propellant_kg_per_tonne_year`` are the budget the satellite carries (from
    the drag when ``propulsion_from_drag``); ``sustainable_years`` how long
    its propellant holds the orbit, capped by the design life.
    """

    resolved: ResolvedShell
    sized: ShellSizing | None
    drag: ShellDrag | None
    not_closed: str | None = None
    converged: bool = False
    propulsion_from_drag: bool = False
    propulsion_power_w_per_tonne: float | None = None
    propellant_kg_per_tonne_year: float | None = None
    sustainable_years: float | None = None
    propulsion_demand: PropulsionDemand | None = None
    radiation_life_years: float | None = None
    design_life_years: float | None = None
    #: A formation's mutual shading of its arrays (orbit mean at the epoch, the worst
    #: month's), the second taken as a loss of array power; ``(0, 0)`` for other shells.
    array_shading: tuple[float, float] = (0.0, 0.0)

    @property
    def life_years(self) -> float | None:
        """The years the satellite flies: the least of its design life, what its propellant
        sustains and what its radiation tolerance allows (None when it does not close)."""
        if self.sized is None:
            return None
        limits = (self.design_life_years, self.sustainable_years, self.radiation_life_years)
        return min(x for x in limits if x is not None)

    @property
    def life_limit(self) -> str | None:
        """What ends the satellite's life: "design life", "propellant" or "radiation"."""
        life = self.life_years
        if life is None:
            return None
        if self.design_life_years is None or life >= self.design_life_years:
            return "design life"
        return "radiation" if life == self.radiation_life_years else "propellant"

    @property
    def closes(self) -> bool:
        return self.sized is not None

    @property
    def name(self) -> str:
        return self.resolved.shell.name


@dataclass(frozen=True, eq=False)
class ClosureResult:
    """The closure stage: every shell's :class:`ShellClosure`, in scenario order.

    ``worst`` is the closed shell with the least compute per tonne (the
    figure the plan quotes), None when no shell closes.  ``environments`` are the
    atmospheres and hot cases the shells were closed in
    (:func:`~constellations.stages.band_environment.shell_environments`, in order), kept so
    that a study's design point reads them instead of running NRLMSIS again.
    """

    shells: tuple[ShellClosure, ...]
    design: SatelliteDesign
    environments: tuple = ()

    @property
    def closed(self) -> tuple[ShellClosure, ...]:
        return tuple(s for s in self.shells if s.closes)

    @property
    def worst(self) -> ShellClosure | None:
        closed = self.closed
        if not closed:
            return None
        return min(closed, key=lambda s: s.sized.sizing.compute_kw_per_tonne)

    def of(self, name: str) -> ShellClosure:
        for shell in self.shells:
            if shell.name == name:
                return shell
        raise KeyError(name)


def compute_kw_per_group(constellation, closure: "ClosureResult | None" = None) -> list[float]:
    """Compute per satellite (kW) for each shell then each element set.

    A shell sized by ``closure`` carries its sized compute; a shell that does
    not close, every element set, and every group without a closure carry the
    design's own.
    """
    design_kw = constellation.satellite.spec.compute_w / 1000.0
    closed = {} if closure is None else {s.name: s for s in closure.closed}
    values = [
        closed[s.name].sized.sizing.satellite_compute_kw if s.name in closed else design_kw
        for s in constellation.shells
    ]
    return values + [design_kw] * len(constellation.element_sets)


def close_shell(
    design: SatelliteDesign,
    sunlight: ShellSunlight,
    drag_design: DragDesign,
    atmosphere: "ShellAtmosphere | AboveModel",
    iterations: int = 100,
    radiation=None,
    hot_case=None,
    array_shading: tuple[float, float] = (0.0, 0.0),
) -> ShellClosure:
    """Sizing and drag of a shell, each feeding the other until they agree.

    The drag area follows the array and radiator the sizing gives; the
    thruster power and propellant the drag needs go back into the sizing
    (averaged with the previous demand each step: the loop overshoots
    otherwise).  The loop is :func:`orbital.drag_closure.close_with_drag_batch`
    for one sample.  The planes' beta angles over the year
    (``PlanesYear.beta_deg``) set how much of the arrays faces the flow.  A
    satellite that cannot close gives a result whose ``not_closed`` says why.
    ``radiation`` (a :class:`~constellations.stages.radiation.ShellRadiation`),
    when given, adds the shielding it asks for to the satellite and bounds its life.
    ``hot_case`` the radiator's hot-case components when already found
    (:func:`shell_environment`).  ``array_shading`` (a formation's,
    :func:`constellations.stages.formation.array_shading`) takes its second figure, the
    worst month's shaded fraction, off the arrays' power.
    """
    resolved = sunlight.resolved
    try:
        env = shell_environment(sunlight, design.radiator, hot_case)
    except ValueError as exc:
        return ShellClosure(resolved, None, None, not_closed=str(exc))
    env = with_radiation(env, radiation)
    if array_shading[1] > 0.0:
        env = dataclasses.replace(
            env, array_remaining_factor=env.array_remaining_factor * (1.0 - array_shading[1])
        )
    feed = drag_design.feed_sizing  # above the density model: a zero demand, fed all the same
    batch = close_with_drag_batch(
        design.spec,
        design.array,
        design.battery,
        design.radiator,
        env,
        **drag_feedback_inputs(sunlight, design.radiator.attitude, drag_design, atmosphere),
        policies=POLICIES,
        iterations=iterations if feed else 0,
    )
    area = float(batch.drag_area_m2_per_tonne[0])
    if feed and batch.passes[0] > 0:
        demand = PropulsionDemand(
            float(batch.propulsion_power_w_per_tonne[0]),
            float(batch.propellant_kg_per_tonne_year[0]),
        )
        spec = dataclasses.replace(design.spec, **dataclasses.asdict(demand))
        current = design.replace(spec=spec)
    else:
        demand, current = None, design
    if not batch.sizing.closes[0]:
        # The scalar path's own message, with the numbers it failed at.
        try:
            size_shell(current, sunlight, env)
        except ValueError as exc:
            message = str(exc)
        else:  # pragma: no cover - the kernel and the scalar path are the same code
            message = CLOSURE_REASONS[int(batch.sizing.reason[0])]
        if not math.isfinite(area):
            return ShellClosure(resolved, None, None, not_closed=message)
        drag = shell_drag(atmosphere, area, drag_design, lifetimes=True)
        return ShellClosure(resolved, None, drag, not_closed=message, propulsion_demand=demand)
    sized = size_shell(current, sunlight, env)
    drag = shell_drag(atmosphere, area, drag_design, lifetimes=True)
    life = current.spec.design_life_years
    carried = current.spec.propellant_kg_per_tonne_year * life
    need = drag.propulsion_demand().propellant_kg_per_tonne_year
    if feed or need <= 0:
        sustainable = life
    else:
        # Years the propellant on board holds the orbit, then the uncontrolled decay
        # (the mission's mean activity) before reentry.
        coast = drag.case(mean_case(atmosphere)).lifetime_days_uncontrolled
        sustainable = min(life, carried / need + coast / JULIAN_YEAR_DAYS)
    return ShellClosure(
        resolved,
        sized,
        drag,
        converged=bool(batch.converged[0]) if feed else True,
        propulsion_from_drag=feed,
        propulsion_power_w_per_tonne=current.spec.propulsion_power_w_per_tonne,
        propellant_kg_per_tonne_year=current.spec.propellant_kg_per_tonne_year,
        sustainable_years=sustainable,
        radiation_life_years=None if radiation is None else radiation.life_years,
        design_life_years=life,
        array_shading=array_shading,
    )


def _drag_altitude_km(atmosphere: "ShellAtmosphere | AboveModel") -> float:
    """The altitude the station keeping is figured at (the model's ceiling above its range)."""
    if isinstance(atmosphere, AboveModel):
        return atmosphere.ceiling.altitude_km
    return atmosphere.altitude_km


def close_constellation(
    constellation, illumination: IlluminationResult, progress=None, radiation=None
) -> ClosureResult:
    """The closure stage: every shell's satellite, closed against its own sunlight and drag
    (and, given the radiation stage's result, its shielding and radiation life).  A
    formation's arrays are sized to the fixed point of sizing and mutual shading
    (:func:`constellations.stages.formation.shading_fixed_point`).

    ``progress(1)`` is told as each shell is done.  The atmospheres and hot cases come
    from :func:`~constellations.stages.band_environment.shell_environments` (a band's
    levels from a few of them).
    """
    from constellations.stages.band_environment import shell_environments
    from constellations.stages.formation import shading_fixed_point, shading_geometry

    environments = shell_environments(
        illumination.shells,
        constellation.epoch,
        constellation.drag,
        constellation.satellite.radiator,
    )

    def one_shell(shell) -> ShellClosure:
        sunlight, environment = shell
        shell_radiation = None if radiation is None else radiation.of(sunlight.resolved.shell.name)
        geometry = shading_geometry(sunlight.resolved)

        def close(worst: np.ndarray):
            closed = close_shell(
                constellation.satellite,
                sunlight,
                constellation.drag,
                environment.atmosphere,
                radiation=shell_radiation,
                hot_case=environment.hot_case,
                array_shading=(0.0, float(worst[0])),
            )
            return closed, np.array([sized_array_side_m(closed)])

        closed, (epoch, worst) = shading_fixed_point(close, geometry, 1)
        if geometry is not None:
            closed = dataclasses.replace(closed, array_shading=(float(epoch[0]), float(worst[0])))
        if progress:
            progress(1)
        return closed

    shells = over_shells(one_shell, zip(illumination.shells, environments, strict=True))
    return ClosureResult(tuple(shells), constellation.satellite, tuple(environments))


def sized_array_side_m(closure: ShellClosure) -> float:
    """Side of the square array of a closed shell's satellite, m (NaN when it does not
    close): :func:`constellations.stages.formation.sized_array_side_m` of its sizing."""
    from constellations.stages.formation import sized_array_side_m as side_m

    if closure.sized is None:
        return float("nan")
    sizing = closure.sized.sizing
    return float(side_m(sizing.array_m2_per_tonne, sizing.satellite_mass_kg))


def design_as_sized(design, closure: ShellClosure):
    """``design`` with the propulsion budget a closed shell settled on (from the drag)."""
    spec = dataclasses.replace(
        design.spec,
        propulsion_power_w_per_tonne=closure.propulsion_power_w_per_tonne,
        propellant_kg_per_tonne_year=closure.propellant_kg_per_tonne_year,
    )
    return design.replace(spec=spec)

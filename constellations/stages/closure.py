"""Sizing per shell: the satellite closed against the shell's worst sunlight, per tonne.

The environment comes from the annual illumination of the shell's worst
plane (longest eclipse, least sunlight), the array is sized at aphelion (the
least sunlight of the year), and the radiator for the hot case: the beta
angle, within the shell's range over the year, at which it absorbs most.
"""

import dataclasses

import numpy as np

from constellations.stages.resolve import ResolvedShell
from orbital.closure import POLICIES, Environment, Sizing, close, replace_parameter
from orbital.power import solar_flux_w_m2
from orbital.thermal import radiator_environment

#: Earth's orbital eccentricity (IERS Conventions 2010 / Astronomical Almanac, 0.0167):
#: at aphelion the Sun is 1.0167 au away and the flux 3.3 % below 1361 W/m^2.
APHELION_AU = 1.0167

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


def hot_case_radiator_w_m2(resolved: ResolvedShell, radiator, beta_range_deg) -> float:
    """Largest orbit-mean absorbed flux (W/m^2, all faces) over the shell's beta range."""
    if not radiator.environment:
        return 0.0
    low, high = beta_range_deg
    betas = np.unique(np.concatenate([np.linspace(low, high, 9), np.clip([0.0], low, high)]))
    return max(
        radiator_environment(
            b,
            resolved.shell.altitude_km,
            attitude=radiator.attitude,
            absorptivity=radiator.absorptivity,
            emissivity=radiator.emissivity,
            faces=radiator.faces,
            solar_flux_w_m2=float(solar_flux_w_m2(1.0)),
        ).orbit_mean_w_m2
        for b in betas
    )


def shell_environment(resolved: ResolvedShell, illumination: dict, radiator) -> Environment:
    """The sizing environment of a shell from its plan ``illumination`` record."""
    planes = illumination["planes"]
    beta_range = (
        min(p["min_beta_deg"] for p in planes),
        max(p["max_beta_deg"] for p in planes),
    )
    return Environment(
        period_min=resolved.period_min,
        max_eclipse_min=illumination["max_eclipse_min"],
        sunlit_fraction_year=illumination["sunlit_fraction_year"],
        solar_flux_w_m2=float(solar_flux_w_m2(APHELION_AU)),
        radiator_absorbed_w_m2=hot_case_radiator_w_m2(resolved, radiator, beta_range),
    )


def sizing_record(sizing: Sizing, flops_precision: str | None) -> dict:
    """A :class:`Sizing` as the plan JSON's ``sizing`` object."""
    record = dataclasses.asdict(sizing)
    record["flops_precision"] = flops_precision
    return record


def size_shell(design, resolved: ResolvedShell, illumination: dict, env=None) -> dict:
    """Sizing of ``design`` (a SatelliteDesign) in ``resolved``'s environment, both policies.

    ``env`` (from :func:`shell_environment`) saves recomputing it.
    """
    if env is None:
        env = shell_environment(resolved, illumination, design.radiator)
    policies, closed = {}, {}
    for policy in POLICIES:
        battery = dataclasses.replace(design.battery, policy=policy)
        other = closed[policy] = close(design.spec, design.array, battery, design.radiator, env)
        policies[policy] = {
            "compute_kw_per_tonne": other.compute_kw_per_tonne,
            "compute_kw_per_tonne_orbit_average": other.compute_kw_per_tonne_orbit_average,
            "battery_kg_per_tonne": other.mass_breakdown_kg_per_tonne["battery"],
            "lost_compute_kwh_per_tonne_year": other.lost_compute_kwh_per_tonne_year,
        }
    record = sizing_record(closed[design.battery.policy], design.flops_precision)
    record["shell"] = resolved.shell.name
    record["environment"] = dataclasses.asdict(env)
    record["policies"] = policies
    return record


def solve_for(
    design,
    resolved: ResolvedShell,
    illumination: dict,
    parameter: str,
    target_kw_per_tonne: float,
    tolerance: float = 1e-6,
) -> dict:
    """The value of ``parameter`` (``group.field``) at which compute reaches the target kW/t.

    Every other assumption is held.  Returns ``{"parameter", "target_kw_per_tonne",
    "value", "reachable", "range_kw_per_tonne", "current_value"}``; ``value`` is
    None when no value in the searched range reaches the target.
    """
    if parameter not in SOLVABLE:
        raise ValueError(
            f"--solve-for {parameter}: not solvable; choose one of {', '.join(SOLVABLE)}"
        )
    if not target_kw_per_tonne > 0:
        raise ValueError(f"--target-kw-per-tonne {target_kw_per_tonne}: must be positive")
    env_cache = {}
    specs = design.specs()
    group, _, field = parameter.partition(".")
    current = getattr(specs[group], field)

    def kw_per_tonne(value):
        trial = replace_parameter(specs, parameter, value)
        radiator = trial["radiator"]
        key = (radiator.emissivity, radiator.absorptivity)
        if key not in env_cache:
            env_cache[key] = shell_environment(resolved, illumination, radiator)
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
    result = {
        "parameter": parameter,
        "target_kw_per_tonne": target_kw_per_tonne,
        "current_value": current,
        "current_kw_per_tonne": kw_per_tonne(current),
        "range_kw_per_tonne": [float(np.nanmin(values)), float(np.nanmax(values))]
        if finite.any()
        else None,
        "searched": [low, high],
        "value": None,
        "reachable": False,
    }
    above = finite & (values >= target_kw_per_tonne)
    below = finite & (values < target_kw_per_tonne)
    crossings = [
        i
        for i in range(len(samples) - 1)
        if (above[i] and below[i + 1]) or (below[i] and above[i + 1])
    ]
    if not crossings:
        return result
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
    result["value"] = float(0.5 * (lo + hi))
    result["reachable"] = True
    return result


def shell_beta_samples_deg(illumination: dict) -> np.ndarray:
    """Beta angles spread over the range a shell's planes reach in the year, degrees.

    A stand-in when the day-by-day beta angles (``PlanesYear.beta_deg``) are
    not at hand: it weights the range evenly, not by the time spent there.
    """
    planes = illumination["planes"]
    low = min(p["min_beta_deg"] for p in planes)
    high = max(p["max_beta_deg"] for p in planes)
    return np.linspace(low, high, 49)


def size_shell_with_drag(
    design,
    resolved: ResolvedShell,
    illumination: dict,
    drag_design,
    atmosphere,
    iterations: int = 100,
    beta_deg=None,
) -> tuple[dict, dict]:
    """Sizing and drag of a shell, each feeding the other until they agree.

    The drag area follows the array and radiator the sizing gives; the
    thruster power and propellant the drag needs go back into the sizing.
    ``beta_deg``: the planes' beta angles over the year (``PlanesYear.beta_deg``,
    one per plane and day), which set how much of the arrays faces the flow.
    Returns ``(sizing_record, drag_record)``; a satellite that cannot close
    gives a sizing record with ``"closes": False`` and the reason.
    """
    from constellations.stages.atmosphere import (
        drag_area_m2_per_tonne,
        propulsion_demand,
        shell_drag,
    )

    betas = shell_beta_samples_deg(illumination) if beta_deg is None else np.ravel(beta_deg)
    current = design
    try:
        env = shell_environment(resolved, illumination, design.radiator)
        sizing = size_shell(current, resolved, illumination, env)
    except ValueError as exc:
        return {"shell": resolved.shell.name, "closes": False, "error": str(exc)}, None
    previous_demand = None
    settled = not drag_design.feed_sizing
    for _ in range(iterations):
        area = drag_area_m2_per_tonne(
            sizing, design.radiator.attitude, betas, drag_design.body_area_m2_per_tonne
        )
        drag = shell_drag(atmosphere, area, drag_design)
        if not drag_design.feed_sizing:
            break
        demand = propulsion_demand(drag)
        if previous_demand is not None:  # halve each step: the loop overshoots otherwise
            demand = {k: 0.5 * (demand[k] + previous_demand[k]) for k in demand}
        previous_demand = demand
        current = design.replace(spec=dataclasses.replace(design.spec, **demand))
        try:
            new = size_shell(current, resolved, illumination, env)
        except ValueError as exc:
            failed = {
                "shell": resolved.shell.name,
                "closes": False,
                "error": str(exc),
                "propulsion_demand": demand,
            }
            return failed, drag
        settled = abs(new["array_m2_per_tonne"] - sizing["array_m2_per_tonne"]) <= (
            1e-11 * sizing["array_m2_per_tonne"]
        )
        sizing = new
        if settled:
            break
    if drag_design.feed_sizing:  # the drag record of the sizing returned
        area = drag_area_m2_per_tonne(
            sizing, design.radiator.attitude, betas, drag_design.body_area_m2_per_tonne
        )
        drag = shell_drag(atmosphere, area, drag_design)
    sizing["closes"] = True
    sizing["converged"] = bool(settled)
    sizing["propulsion_from_drag"] = drag_design.feed_sizing
    sizing["propulsion_power_w_per_tonne"] = current.spec.propulsion_power_w_per_tonne
    sizing["propellant_kg_per_tonne_year"] = current.spec.propellant_kg_per_tonne_year
    life = current.spec.design_life_years
    need = propulsion_demand(drag)["propellant_kg_per_tonne_year"]
    carried = current.spec.propellant_kg_per_tonne_year * life
    # Years the propellant on board holds the orbit (the design life when the drag sized it),
    # then the uncontrolled decay (moderate activity) before reentry.
    coast_years = drag["cases"]["moderate"]["lifetime_days_uncontrolled"] / 365.25
    sizing["sustainable_years"] = life if need <= 0 else min(life, carried / need + coast_years)
    if drag_design.feed_sizing:
        sizing["sustainable_years"] = life
    return sizing, drag


def design_as_sized(design, sizing_record: dict):
    """``design`` with the propulsion budget a sizing record settled on (from the drag)."""
    spec = dataclasses.replace(
        design.spec,
        propulsion_power_w_per_tonne=sizing_record["propulsion_power_w_per_tonne"],
        propellant_kg_per_tonne_year=sizing_record["propellant_kg_per_tonne_year"],
    )
    return design.replace(spec=spec)

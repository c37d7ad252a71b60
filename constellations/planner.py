"""plan(): a constellation in, the planner's JSON-ready summary out.

The returned dict is the plan JSON (a contract; later capabilities add
sections)::

    {"scenario": str, "epoch": ISO-8601 str, "n_sats": int,
     "shells": [{"name", "altitude_km", "inclination_deg", "sun_synchronous",
                 "ltan_hours", "planes", "sats_per_plane", "phasing",
                 "pattern", "n_sats", "period_min", "raan_deg": [per plane], ...}],
     "element_sets": [{"name", "source", "n_sats"}],
     "fleet_illumination": {...},
     "sizing": {"compute_kw_per_tonne", "compute_kw_per_tonne_orbit_average",
                "array_m2_per_tonne", "radiator_m2_per_tonne", "battery_kwh_per_tonne",
                "mass_breakdown_kg_per_tonne": {...}, "satellite_mass_kg",
                "satellite_compute_kw", "binding_constraint", ..., "by_shell": [...]}}

Each shell gains ``"illumination"``: its worst plane's year of sunlight
(``year``, ``sunlit_fraction_year``, ``max_eclipse_min``, ``eclipse_days``,
``eclipse_season`` [first, last day of year] or null, ``min_beta_deg``,
``max_beta_deg``), ``"mean"`` over its planes and ``"planes"`` one record each.
"""

import numpy as np

from constellations.model.constellation import Constellation
from constellations.stages.resolve import ResolvedShell, resolve


def ltan_drift_min_per_year(resolved: ResolvedShell) -> float | None:
    """How fast a sun-synchronous shell's local time drifts under SGP4, minutes per year.

    The J2-only inclination (the contract's 96.81 deg at 340 km) leaves SGP4's
    node, which also carries J2^2 and J4 terms, about 0.34 % slower than the
    mean Sun: some 5 minutes of local time a year, which operators remove with
    small inclination trims.  None for shells that are not sun-synchronous.
    """
    if not resolved.shell.is_sun_synchronous:
        return None
    from orbital.constants import TROPICAL_YEAR_DAYS

    sun_deg_per_day = 360.0 / TROPICAL_YEAR_DAYS
    drift_deg_per_year = (resolved.raan_rate_deg_per_day - sun_deg_per_day) * TROPICAL_YEAR_DAYS
    return drift_deg_per_year * 4.0  # the node moves 1 deg of right ascension in 4 min


def _shell_record(resolved: ResolvedShell) -> dict:
    shell = resolved.shell
    drift = ltan_drift_min_per_year(resolved)
    return {
        "name": shell.name,
        "altitude_km": shell.altitude_km,
        "inclination_deg": round(resolved.inclination_deg, 6),
        "sun_synchronous": shell.is_sun_synchronous,
        "ltan_hours": shell.ltan_hours,
        "planes": shell.planes,
        "sats_per_plane": shell.sats_per_plane,
        "phasing": shell.phasing,
        "pattern": shell.pattern,
        "n_sats": shell.n_sats,
        "period_min": round(resolved.period_min, 4),
        "raan_deg": [round(float(x), 6) for x in resolved.raan_deg],
        "raan_spread_deg": shell.spread_deg,
        "bstar": shell.bstar,
        "first_sat_id": resolved.first_id,
        "raan_rate_deg_per_day": round(resolved.raan_rate_deg_per_day, 6),
        "ltan_drift_min_per_year": None if drift is None else round(drift, 3),
    }


def _rounded(values, digits=6) -> list:
    return [round(float(v), digits) if np.isfinite(v) else None for v in values]


def fleet_record(fleet: dict) -> dict:
    """The plan JSON's ``fleet_illumination``: the fleet's sunlight over one orbit."""
    return {
        "t_s": _rounded(fleet["t_s"], 3),
        "mean_visible_fraction": _rounded(fleet["mean_visible_fraction"]),
        "full_sun_share": _rounded(fleet["full_sun_share"]),
        "compute_share": _rounded(fleet["compute_share"]),
        "orbit_mean_visible_fraction": float(np.nanmean(fleet["mean_visible_fraction"])),
        "min_visible_fraction": float(np.nanmin(fleet["mean_visible_fraction"])),
        "failed_sats": int(np.max(fleet["failed"])),
    }


def one_orbit_grid(constellation: Constellation, resolved: list[ResolvedShell], steps: int = 96):
    """``steps`` samples over exactly one orbit from the epoch, endpoint excluded.

    Whole periods keep orbit averages unbiased (96 one-minute steps would be
    1.05 orbits at 340 km).  The longest shell period is used.
    """
    from orbital.times import TimeGrid

    period_s = 60.0 * longest_period_min(resolved)
    return TimeGrid.from_offsets(constellation.epoch, np.arange(steps) * (period_s / steps))


def size_constellation(
    constellation: Constellation, resolved, shell_records, daily_beta_deg=None
) -> dict | None:
    """The plan JSON's ``sizing``: the shell with the least compute per tonne, and every shell.

    None when the scenario has no Walker shells (element sets carry no
    per-plane illumination to size against).
    """
    from constellations.stages.atmosphere import ShellAtmosphere
    from constellations.stages.closure import size_shell_with_drag

    by_shell = []
    daily_beta_deg = daily_beta_deg or [None] * len(resolved)
    for r, record, beta in zip(resolved, shell_records, daily_beta_deg, strict=True):
        try:
            atmosphere = ShellAtmosphere.of(r, constellation.epoch, constellation.drag)
        except ValueError as exc:  # above NRLMSIS's 1000 km: drag is no longer the question
            from constellations.stages.closure import size_shell

            record["drag"] = {"error": str(exc)}
            try:
                sizing = size_shell(constellation.satellite, r, record["illumination"])
                sizing.update(closes=True, converged=True, propulsion_from_drag=False)
            except ValueError as error:
                sizing = {"shell": r.shell.name, "closes": False, "error": str(error)}
            by_shell.append(sizing)
            continue
        sizing, drag = size_shell_with_drag(
            constellation.satellite,
            r,
            record["illumination"],
            constellation.drag,
            atmosphere,
            beta_deg=beta,
        )
        if drag is not None:
            record["drag"] = drag
        by_shell.append(sizing)
    if not by_shell:
        return None
    closed = [s for s in by_shell if s["closes"]]
    if not closed:
        return {"closes": False, "error": by_shell[0]["error"], "by_shell": by_shell}
    worst = min(closed, key=lambda s: s["compute_kw_per_tonne"])
    design = constellation.satellite
    return {
        **worst,
        "payload": design.payload,
        "payload_units": design.payload_units,
        "payload_sources": list(design.sources),
        "by_shell": by_shell,
    }


def plan(
    constellation: Constellation,
    *,
    year: int | None = None,
    ts=None,
    progress=None,
    fleet: bool = True,
    mesh: bool = True,
    keep: dict | None = None,
) -> dict:
    """The plan of ``constellation`` as a JSON-ready dict (see the module docstring).

    ``year`` is the year of the illumination analysis (default: the epoch's);
    ``progress(stage, advance, total)``, when given, is told how the work goes:
    planes analysed, then satellites propagated.  ``fleet=False`` skips the
    fleet's sunlight over one orbit (the one step that propagates every satellite).
    ``keep``, a dict when given, receives what the report reuses: ``"resolved"``
    (the resolved shells) and ``"years"`` (each shell's ``PlanesYear``).
    """
    from constellations.stages.illumination import (
        annual_illumination,
        fleet_powered_fraction,
        illumination_summary,
    )
    from orbital.times import builtin_timescale

    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts)
    shells = [_shell_record(r) for r in resolved]
    total_planes = sum(r.shell.planes for r in resolved)
    daily_beta_deg, years = [], []
    if keep is not None:  # filled as the year is analysed
        keep.update(resolved=resolved, years=years)
    for record, (shell, year_result) in zip(
        shells, annual_illumination(constellation, year, ts=ts, resolved=resolved), strict=True
    ):
        record["illumination"] = illumination_summary(year_result, shell.raan_deg)
        daily_beta_deg.append(year_result.beta_deg)
        years.append(year_result)
        if progress:
            progress("sunlight by plane", shell.shell.planes, total_planes)
    sizing = size_constellation(constellation, resolved, shells, daily_beta_deg)
    network = (
        plan_network(constellation, resolved, sizing, ts=ts, progress=progress) if mesh else None
    )
    cadence = plan_cadence(constellation, sizing)
    fleet_result = None
    if fleet:
        fleet_result = fleet_powered_fraction(
            constellation,
            one_orbit_grid(constellation, resolved),
            ts=ts,
            resolved=resolved,
            progress=(lambda n: progress("fleet over one orbit", n, constellation.n_sats))
            if progress
            else None,
        )
    return {
        "scenario": constellation.name,
        "epoch": constellation.epoch.strftime("%Y-%m-%dT%H:%M:%SZ")
        if not constellation.epoch.microsecond
        else constellation.epoch.isoformat().replace("+00:00", "Z"),
        "n_sats": int(constellation.n_sats),
        "description": constellation.description,
        "sources": list(constellation.sources),
        "shells": shells,
        "element_sets": [
            {"name": e.name, "source": e.source, "n_sats": e.n_sats}
            for e in constellation.element_sets
        ],
        "fleet_illumination": None if fleet_result is None else fleet_record(fleet_result),
        "sizing": sizing,
        "network": network,
        "cadence": cadence,
    }


def plan_cadence(constellation: Constellation, sizing) -> dict | None:
    """The plan JSON's ``cadence``; None when no shell's satellite closes (nothing to launch)."""
    from constellations.stages.cadence import cadence_record

    if (
        not constellation.shells
        or not sizing
        or not any(s.get("closes") for s in sizing.get("by_shell", []))
    ):
        return None
    return cadence_record(constellation, sizing)  # bad [launch] input: ValueError, exit 2


def compute_kw_per_group(constellation: Constellation, sizing: dict | None) -> list[float]:
    """Compute per satellite (kW) for each shell then each element set, from the sizing."""
    design_kw = constellation.satellite.spec.compute_w / 1000.0
    by_shell = {s["shell"]: s for s in (sizing or {}).get("by_shell", [])}
    values = []
    for shell in constellation.shells:
        record = by_shell.get(shell.name, {})
        values.append(record.get("satellite_compute_kw", design_kw))
    values += [design_kw] * len(constellation.element_sets)
    return values


def longest_period_min(resolved) -> float:
    """The longest nodal period among the shells (95 min when there are none)."""
    return max((r.period_min for r in resolved), default=95.0)


def plan_network(
    constellation: Constellation,
    resolved,
    sizing,
    *,
    start_s: float = 0.0,
    keep_graph: bool = False,
    ts=None,
    progress=None,
):
    """The plan JSON's ``network`` (see :func:`constellations.stages.network.network_record`).

    Snapshots start ``start_s`` after the epoch; ``keep_graph`` leaves the first
    snapshot's :class:`LinkGraph` under ``"_graph"`` (for export).
    """
    from constellations.stages.network import network_record

    if not resolved and constellation.links.topology == "+grid":
        return None
    design = constellation.links
    period_min = longest_period_min(resolved)
    record = network_record(
        constellation,
        resolved,
        design,
        compute_kw_per_group(constellation, sizing),
        shed=constellation.satellite.battery.policy == "shed",
        period_min=period_min,
        start_s=start_s,
        ts=ts,
        progress=(lambda n: progress("laser mesh over one orbit", n, design.snapshots))
        if progress
        else None,
    )
    if not keep_graph:
        record.pop("_graph")
    return record


def to_json_text(result: dict) -> str:
    """The plan as JSON text; NaN and infinity become null (strict JSON)."""
    import json

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, (float, np.floating)):
            return float(value) if np.isfinite(value) else None
        if isinstance(value, np.integer):
            return int(value)
        return value

    return json.dumps(clean(result), indent=2, allow_nan=False) + "\n"

"""Results -> the plan JSON: the only place for its keys, units, rounding and null.

:func:`plan_record` turns a :class:`~constellations.planner.Plan` into the
plan JSON (a contract, described by the JSON Schema ``schemas/plan.schema.json``
that ships in the package, version :data:`SCHEMA_VERSION`); the other
``*_record`` functions give the JSON of the commands that show one stage
(``eclipse``, ``size``, ``drag``, ``links``, ``compare``).  Values keep their
units in their key names; NaN and infinity become null (:func:`to_json_text`).
"""

import dataclasses
import json
import math

import numpy as np

#: Version of the plan JSON's schema: the major number changes when a key changes meaning
#: or goes away, the minor when keys are added.
SCHEMA_VERSION = "1.9"

#: The plan JSON's ``altitude_definition``: what every shell's ``altitude_km`` means.
ALTITUDE_DEFINITION = (
    "altitude_km is SGP4's mean semi-major axis (from the un-Kozaied mean motion) minus the "
    "WGS-72 equatorial radius 6378.135 km, not a height above the ground; "
    "geodetic_height_min_km, geodetic_height_mean_km and geodetic_height_max_km are the "
    "heights above the WGS-84 ellipsoid each shell's satellites fly over one orbit"
)


def _rounded(values, digits: int = 6) -> list:
    return [round(float(v), digits) if np.isfinite(v) else None for v in values]


def _rounded_or_none(value, digits: int):
    return None if value is None else round(float(value), digits)


def _floats(values, digits: int | None = None) -> list:
    if digits is None:
        return [float(v) for v in values]
    return [round(float(v), digits) for v in values]


def epoch_text(epoch) -> str:
    """The epoch as ISO-8601 UTC with a ``Z`` (fractions of a second only when there are some).

    ``epoch`` is an :class:`orbital.times.Epoch` (or a datetime); a leap second
    is written ``2016-12-31T23:59:60Z``.
    """
    from orbital.times import Epoch

    return Epoch.parse(epoch).iso_z()


# --------------------------------------------------------------------------- shells


def shell_record(resolved) -> dict:
    """One resolved shell: its design and the elements the planner derived, per plane.

    ``inclination_deg`` is the inclination flown; for a sun-synchronous shell
    ``sso_inclination`` says which one (``"sgp4"``: SGP4's node follows the mean
    Sun; ``"j2"``: the J2-only one) and ``j2_inclination_deg`` gives the J2-only
    figure beside it.  ``ltan_reference`` says whether ``ltan_hours`` is mean
    (``"mean"``) or apparent (``"apparent"``) solar time.  ``altitude_km`` is
    SGP4's mean semi-major axis less the WGS-72 equatorial radius
    (:data:`ALTITUDE_DEFINITION`); ``geodetic_height_{min,mean,max}_km`` what the
    satellites fly above the WGS-84 ellipsoid over one orbit, to the metre.
    """
    shell = resolved.shell
    drift = resolved.ltan_drift_min_per_year
    heights = resolved.heights
    low, mean, high = (
        (None, None, None)
        if heights is None
        else (round(heights.min_km, 3), round(heights.mean_km, 3), round(heights.max_km, 3))
    )
    return {
        "name": shell.name,
        "band": shell.band,
        "altitude_km": shell.altitude_km,
        "geodetic_height_min_km": low,
        "geodetic_height_mean_km": mean,
        "geodetic_height_max_km": high,
        "inclination_deg": round(resolved.inclination_deg, 6),
        "j2_inclination_deg": _rounded_or_none(resolved.j2_inclination_deg, 6),
        "sso_inclination": resolved.sso_inclination,
        "sun_synchronous": shell.is_sun_synchronous,
        "ltan_hours": shell.ltan_hours,
        "ltan_reference": resolved.ltan_reference,
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
        "ltan_drift_min_per_year": None if drift is None else round(drift, 3) + 0.0,  # no -0.0
        "user_link": user_link_record(shell.altitude_km),
    }


def user_link_record(altitude_km: float) -> dict:
    """A shell's link down to a sea-level user at the lowest elevation a terminal serves."""
    from orbital.user_link import USER_MIN_ELEVATION_DEG, one_way_latency_ms, slant_range_km

    return {
        "min_elevation_deg": USER_MIN_ELEVATION_DEG,
        "slant_range_km": round(float(slant_range_km(altitude_km)), 3),
        "one_way_latency_ms": round(float(one_way_latency_ms(altitude_km)), 4),
    }


# --------------------------------------------------------------------------- illumination


def _plane_fields(plane) -> dict:
    return {
        "year": plane.year,
        "sunlit_fraction_year": plane.sunlit_fraction_year,
        "max_eclipse_min": plane.max_eclipse_min,
        "max_umbra_min": plane.max_umbra_min,
        "eclipse_days": plane.eclipse_days,
        "eclipse_season": list(plane.eclipse_season) if plane.eclipse_season else None,
        "eclipse_seasons": [list(s) for s in plane.eclipse_seasons],
        "min_beta_deg": plane.min_beta_deg,
        "max_beta_deg": plane.max_beta_deg,
    }


def illumination_record(sunlight) -> dict:
    """A shell's ``illumination``: its worst plane's figures, the mean, and every plane."""
    return {
        **_plane_fields(sunlight.worst),
        "worst_plane": sunlight.worst.plane,
        "mean": dataclasses.asdict(sunlight.mean),
        "planes": [
            {"plane": p.plane, "raan_deg": round(p.raan_deg, 6), **_plane_fields(p)}
            for p in sunlight.planes
        ],
    }


def fleet_record(fleet) -> dict:
    """The plan JSON's ``fleet_illumination``: the fleet's sunlight over one orbit."""
    return {
        "t_s": _rounded(fleet.t_s, 3),
        "mean_visible_fraction": _rounded(fleet.mean_visible_fraction),
        "full_sun_share": _rounded(fleet.full_sun_share),
        "compute_share": _rounded(fleet.compute_share),
        "orbit_mean_visible_fraction": fleet.orbit_mean_visible_fraction,
        "min_visible_fraction": fleet.min_visible_fraction,
        "failed_sats": int(np.max(fleet.failed)),
    }


def element_set_record(element_set, check) -> dict:
    """An ``element_sets`` entry: the file, how far its elements are from the epoch, which failed.

    ``epoch_gap_days_*`` is the epoch minus the element epochs, days
    (positive: elements older than the epoch); ``stale`` lists the satellites
    more than ``stale_after_days`` from it; ``failed_before_epoch`` names the
    satellites SGP4 had failed on before the epoch (left out of every stage);
    ``repeated`` the sets that repeat an earlier set exactly, of this file or of an element
    set before it (planned as satellites of their own), each with its place in the file and
    the earlier one's, and the element set holding that.
    """
    gap = check.epoch_gap_days
    stale = np.flatnonzero(check.stale)
    return {
        "name": element_set.name,
        "source": element_set.source,
        "n_sats": element_set.n_sats,
        "epoch_gap_days_min": round(float(gap.min()), 3),
        "epoch_gap_days_max": round(float(gap.max()), 3),
        "stale_after_days": check.stale_after_days,
        "stale": [
            {"name": check.object_names[i], "epoch_gap_days": round(float(gap[i]), 3)}
            for i in stale
        ],
        "n_failed_before_epoch": int(check.failed_before_epoch.sum()),
        "failed_before_epoch": list(check.failed_names),
        "n_repeated": len(check.copies),
        "repeated": [
            {
                "name": check.object_names[index],
                "index": index,
                "copy_of": earlier,
                "copy_of_element_set": holder,
            }
            for index, holder, earlier in check.copies
        ],
    }


def daily_record(sunlight) -> dict:
    """The worst plane's day-by-day table: minutes per orbit of sunlight, penumbra, umbra."""
    year, worst = sunlight.year, sunlight.worst.plane
    return {
        "day_of_year": list(range(1, year.n_days + 1)),
        **{
            key: _floats(getattr(year, key)[worst], 4)
            for key in ("sunlight_min", "penumbra_min", "umbra_min", "max_eclipse_min", "beta_deg")
        },
    }


# --------------------------------------------------------------------------- drag and sizing


def drag_record(drag) -> dict:
    """A shell's ``drag``: every activity case, the storm, the thruster; or why it is negligible."""
    record = {
        "in_model_range": drag.out_of_range is None,
        "cases": {
            c.name: {k: v for k, v in dataclasses.asdict(c).items() if k != "name"}
            for c in drag.cases
        },
        "storm": None if drag.storm is None else dataclasses.asdict(drag.storm),
        "thruster": dataclasses.asdict(drag.thruster),
        "drag_coefficient": drag.drag_coefficient,
    }
    if drag.out_of_range is not None:
        record["model_range"] = {
            "model": drag.out_of_range.model,
            "valid_altitude_km": list(drag.out_of_range.valid),
            "highest_track_km": drag.out_of_range.value,
            "bound_altitude_km": drag.bound_altitude_km,
            "taken_as": drag.out_of_range.taken_as,
            "note": drag.out_of_range.message,
        }
        record["uncontrolled_lifetime_beyond_years"] = drag.uncontrolled_lifetime_beyond_years
    return record


def shell_sizing_record(closure, flops_precision: str | None) -> dict:
    """One shell's sizing: the closed design per tonne, or why it does not close."""
    if not closure.closes:
        record = {"shell": closure.name, "closes": False, "error": closure.not_closed}
        if closure.propulsion_demand is not None:
            record["propulsion_demand"] = dataclasses.asdict(closure.propulsion_demand)
        return record
    sized = closure.sized
    return {
        **dataclasses.asdict(sized.sizing),
        "flops_precision": flops_precision,
        "shell": closure.name,
        "environment": dataclasses.asdict(sized.environment),
        "policies": {name: dataclasses.asdict(f) for name, f in sized.policies.items()},
        "closes": True,
        "converged": closure.converged,
        "propulsion_from_drag": closure.propulsion_from_drag,
        "propulsion_power_w_per_tonne": closure.propulsion_power_w_per_tonne,
        "propellant_kg_per_tonne_year": closure.propellant_kg_per_tonne_year,
        "sustainable_years": closure.sustainable_years,
        "radiation_life_years": _finite_or_none(closure.radiation_life_years),
        "life_years": _finite_or_none(closure.life_years),
        "life_limit": closure.life_limit,
    }


def _finite_or_none(value):
    return None if value is None or not math.isfinite(value) else float(value)


def radiation_record(shell, design) -> dict:
    """A shell's ``radiation``: AP8/AE8 fluxes and doses by solar phase, the dose-depth
    curve, the shielding and life the payload's tolerance sets, and the solar cells'
    displacement damage (``design``: the scenario's ``[radiation]``)."""
    from constellations.stages.radiation import (
        DOSE_DEPTH_MM_AL,
        ELECTRON_THRESHOLD_MEV,
        PROTON_THRESHOLD_MEV,
    )

    phases = {
        phase: {
            "proton_flux_cm2_s": shell.proton_flux_cm2_s[phase],
            "electron_flux_cm2_s": shell.electron_flux_cm2_s[phase],
            "proton_dose_rad_si_per_year": shell.proton_rad_si_per_year[phase],
            "electron_dose_rad_si_per_year": shell.electron_rad_si_per_year[phase],
        }
        for phase in shell.spectra
    }
    return {
        "model": "AP8/AE8 (aep8), orbit average",
        "proton_threshold_mev": PROTON_THRESHOLD_MEV,
        "electron_threshold_mev": ELECTRON_THRESHOLD_MEV,
        "solar": phases,
        "shielding_mm_al": shell.shielding_mm_al,
        "design_phase": shell.design_phase,
        "dose_rad_si_per_year": shell.dose_rad_si_per_year,
        "dose_depth": {
            "shielding_mm_al": DOSE_DEPTH_MM_AL.tolist(),
            "dose_rad_si_per_year": _floats(shell.dose_depth_rad_si_per_year),
        },
        "dose_tolerance_krad_si": shell.tolerance_krad_si,
        "design_margin": shell.design_margin,
        "design_life_years": shell.design_life_years,
        "shielding_needed_mm_al": _finite_or_none(shell.shielding_needed_mm_al),
        "shielding_flown_mm_al": shell.flown_mm_al,
        "shielding_kg": shell.shielding_kg,
        "radiation_life_years": _finite_or_none(shell.life_years),
        "limits_life": shell.limits_life,
        "cells": {
            "cell": design.cell,
            "coverglass_mm": design.coverglass_mm,
            "ddd_mev_g_per_year": shell.ddd_mev_g_per_year,
            "array_remaining_factor": shell.array_remaining_factor,
        },
    }


def sizing_record(closure_result) -> dict | None:
    """The plan JSON's ``sizing``: the shell with the least compute per tonne, and every shell."""
    if closure_result is None or not closure_result.shells:
        return None
    design = closure_result.design
    by_shell = [shell_sizing_record(s, design.flops_precision) for s in closure_result.shells]
    worst = closure_result.worst
    if worst is None:
        return {"closes": False, "error": by_shell[0]["error"], "by_shell": by_shell}
    return {
        **shell_sizing_record(worst, design.flops_precision),
        "payload": design.payload,
        "payload_units": design.payload_units,
        "payload_sources": list(design.sources),
        "by_shell": by_shell,
    }


def solution_record(solution) -> dict:
    """A ``--solve-for`` answer."""
    record = dataclasses.asdict(solution)
    record["range_kw_per_tonne"] = (
        None if solution.range_kw_per_tonne is None else list(solution.range_kw_per_tonne)
    )
    record["searched"] = list(solution.searched)
    record["reachable"] = solution.reachable
    return record


# --------------------------------------------------------------------------- network


def cross_plane_partners_record(grid) -> dict:
    """One shell's +Grid partners: slot ``s`` of plane ``p`` links to slot ``s + offset`` of
    plane ``p + 1``, the last plane's to slot ``s + seam_offset`` of the first (null: the
    planes do not wrap); the ordinary link's mean and longest length over one orbit (km)
    and the share of that orbit in which it closes (null for a single plane)."""
    partners = grid.partners
    return {
        "shell": grid.name,
        "offset": partners.offset,
        "seam_offset": partners.seam_offset,
        "mean_km": _rounded([partners.mean_km], 3)[0],
        "longest_km": _rounded([partners.longest_km], 3)[0],
        "closes_share": _rounded([partners.closes_share], 6)[0],
    }


def network_record(network) -> dict:
    """The plan JSON's ``network``: the snapshot, its failure sweep, the mesh over one orbit,
    and each shell's +Grid partners (``cross_plane_partners``, empty for ``nearest``)."""
    snap = network.snapshot
    over = network.over_orbit
    record = {
        "links": snap.links,
        "components": snap.components,
        "largest_cluster_sats": snap.largest_cluster_sats,
        "largest_cluster_compute_mw": snap.largest_cluster_compute_mw,
        "hop_diameter": snap.hop_diameter.value,
        "hop_diameter_bounds": [snap.hop_diameter.lower, snap.hop_diameter.upper],
        "latency_diameter_ms": snap.latency_diameter_ms.value,
        "latency_diameter_bounds_ms": [
            snap.latency_diameter_ms.lower,
            snap.latency_diameter_ms.upper,
        ],
        "diameter_exact": snap.diameter_exact,
        "hop_diameter_exact": snap.hop_diameter.exact,
        "latency_diameter_exact": snap.latency_diameter_ms.exact,
        "hop_diameter_method": snap.hop_diameter.method,
        "latency_diameter_method": snap.latency_diameter_ms.method,
        "bisection_tbps": snap.bisection_tbps,
        "allreduce_s": snap.allreduce_s,
        "mean_link_km": snap.mean_link_km,
        "time_s": snap.time_s,
        "under_failures": {
            **{
                k: list(v)
                for k, v in dataclasses.asdict(network.under_failures).items()
                if k != "seed"
            },
            "seed": network.under_failures.seed,
        },
        "over_orbit": {
            "snapshots": over.snapshots,
            "time_s": _floats(over.time_s),
            "min_largest_cluster_sats": int(over.largest_cluster_sats.min()),
            "mean_largest_cluster_sats": float(np.mean(over.largest_cluster_sats)),
            "min_largest_cluster_compute_mw": float(over.largest_cluster_compute_mw.min()),
            "mean_largest_cluster_compute_mw": float(np.mean(over.largest_cluster_compute_mw)),
            "min_links": int(over.links.min()),
            "largest_cluster_sats": [int(v) for v in over.largest_cluster_sats],
            "largest_cluster_compute_mw": _floats(over.largest_cluster_compute_mw),
            "links_over_orbit": [int(v) for v in over.links],
        },
        "topology": network.topology,
        "cross_plane_partners": [cross_plane_partners_record(g) for g in network.grids],
        "design": network.design.model_dump(),
    }
    failures = over.largest_cluster_sats_with_failures
    if failures is not None:
        record["over_orbit"].update(
            failure_fraction=over.failure_fraction,
            min_largest_cluster_sats_with_failures=int(failures.min()),
            mean_largest_cluster_sats_with_failures=float(np.mean(failures)),
            largest_cluster_sats_with_failures=[int(v) for v in failures],
        )
    return record


def edge_list_record(graph) -> dict:
    """The mesh as a JSON edge list.

    ``{"n_sats", "columns", "links": [[i, j, length_km, latency_ms, capacity_gbps], ...]}``.
    """
    latency = graph.latency_ms
    return {
        "n_sats": graph.n,
        "columns": ["i", "j", "length_km", "latency_ms", "capacity_gbps"],
        "links": [
            [int(a), int(b), round(float(d), 3), round(float(t), 4), float(c)]
            for a, b, d, t, c in zip(
                graph.i, graph.j, graph.length_km, latency, graph.capacity_gbps, strict=True
            )
        ],
    }


# --------------------------------------------------------------------------- cadence


def cadence_record(cadence) -> dict:
    """The plan JSON's ``cadence``: end-of-year values of each simulated year."""
    return {
        "years": [int(y) for y in cadence.years],
        "flights_per_year": _floats(cadence.flights_per_year, 3),
        "replacement_flights_per_year": _floats(cadence.replacement_flights_per_year, 3),
        "growth_flights_per_year": _floats(cadence.growth_flights_per_year, 3),
        "flights_available_per_year": _floats(cadence.flights_available_per_year, 3),
        "satellites_in_orbit": _floats(cadence.satellites_in_orbit, 3),
        "tonnes_in_orbit": _floats(cadence.tonnes_in_orbit, 3),
        "installed_gw": _floats(cadence.installed_gw, 6),
        "installed_gw_orbit_average": _floats(cadence.installed_gw_orbit_average, 6),
        "added_gw_per_year": _floats(cadence.added_gw_per_year, 6),
        "cumulative_flights": _floats(cadence.cumulative_flights, 3),
        "cumulative_cost_usd": _floats(cadence.cumulative_cost_usd, 3),
        "cost_per_watt_usd": _rounded(cadence.cost_per_watt_usd, 6),
        "kw_per_tonne_used": cadence.kw_per_tonne_used,
        "kw_per_tonne_source": cadence.kw_per_tonne_source,
        "steady_state_gw": cadence.steady_state_gw,
        "shell_full": dict(cadence.shell_full),
        "sats_per_flight": dict(cadence.sats_per_flight),
        "lifetime_years": dict(cadence.lifetime_years),
        "vehicle": cadence.vehicle,
        "payload_t": cadence.payload_t,
        "cost_per_flight_usd": cadence.cost_per_flight_usd,
    }


# --------------------------------------------------------------------------- the plan


# --------------------------------------------------------------------------- cost


def _levelised_record(levelised, kw_per_gpu: float, pflops_per_kw) -> dict:
    lcoc = float(levelised.usd_per_kw_year)
    return {
        "lcoc_usd_per_kw_year": lcoc,
        "usd_per_mwh": float(levelised.usd_per_mwh()),
        "usd_per_gpu_hour": float(levelised.usd_per_gpu_hour(kw_per_gpu)),
        "usd_per_pflop_day": None
        if pflops_per_kw is None
        else float(levelised.usd_per_pflop_day(pflops_per_kw)),
        "by_item_usd_per_kw_year": {k: float(v) for k, v in levelised.by_item.items()},
    }


def cost_record(cost, design) -> dict:
    """The plan JSON's ``cost``: levelised costs in orbit and on the ground, and their inputs.

    ``design`` is the scenario's ``[cost]`` (every price used, with the ground's).
    """
    units = (cost.kw_per_gpu, cost.pflops_per_kw)
    return {
        "dollar_year": cost.dollar_year,
        "assumptions": design.model_dump(mode="json"),
        "launch_usd_per_kg_by_year": _floats(cost.launch_usd_per_kg, 6),
        "space": _levelised_record(cost.space, *units),
        "ground": _levelised_record(cost.ground, *units),
        "space_to_ground_ratio": cost.ratio,
        "space_by_launch_year_usd_per_kw_year": _floats(cost.space_by_launch_year, 6),
        "sized_kw_per_tonne": cost.sized_kw_per_tonne,
        "as_claimed": None
        if cost.space_as_claimed is None
        else {
            "kw_per_tonne": cost.claimed_kw_per_tonne,
            "space": _levelised_record(cost.space_as_claimed, *units),
            "space_to_ground_ratio": cost.ratio_as_claimed,
        },
        "breakeven": {
            "launch_usd_per_kg": cost.breakeven_launch_usd_per_kg,
            "launch_note": cost.breakeven_launch_note,
            "array_usd_per_w": cost.breakeven_array_usd_per_w,
            "array_note": cost.breakeven_array_note,
        },
        "shells": [
            {
                "name": s.name,
                "satellites": s.satellites,
                "satellite_mass_kg": s.satellite_mass_kg,
                "it_kw": s.it_kw,
                "delivered_kw": s.delivered_kw,
                "delivered_share": s.delivered_share,
                "physical_life_years": s.physical_life_years,
                "service_life_years": s.service_life_years,
                "hardware_usd": {k: float(v) for k, v in s.hardware_usd.items()},
                "launch_usd": s.launch_usd,
                **_levelised_record(s.levelised, *units),
                "lcoc_by_launch_year_usd_per_kw_year": _floats(s.by_launch_year, 6),
            }
            for s in cost.shells
        ],
        "years": [int(y) for y in cost.years],
        "satellites_launched_per_year": _floats(cost.launched_per_year, 3),
        "hardware_usd_per_year": _floats(cost.hardware_usd_per_year, 3),
        "launch_usd_per_year": _floats(cost.launch_usd_per_year, 3),
        "operations_usd_per_year": _floats(cost.operations_usd_per_year, 3),
        "delivered_kw_years_per_year": _floats(cost.delivered_kw_years_per_year, 3),
        "ground_stations": cost.ground_stations,
        "program_years": cost.program_years,
        "it_kw_per_gpu": cost.kw_per_gpu,
        "pflops_per_kw": cost.pflops_per_kw,
        "flops_precision": cost.flops_precision,
        "mesh_counted": cost.mesh_counted,
    }


def provenance_record(command: str | None = None, scenario_sha256: str | None = None) -> dict:
    """Where a plan came from: the package version, the scenario file's hash, the command."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package_version = version("orbital-dc")
    except PackageNotFoundError:  # run from a source tree that was never installed
        package_version = None
    return {
        "package": "orbital-dc",
        "package_version": package_version,
        "scenario_sha256": scenario_sha256,
        "command": command,
    }


def provenance_facts(provenance: dict) -> list[tuple[str, str]]:
    """A page footer's lines from a :func:`provenance_record`: the package and its version,
    the scenario file's SHA-256 and the command, ``-`` where one is not known."""
    return [
        (
            "made by",
            f"{provenance['package']} {provenance['package_version'] or '(version unknown)'}",
        ),
        ("scenario file SHA-256", provenance["scenario_sha256"] or "-"),
        ("command", provenance["command"] or "-"),
    ]


def plan_record(plan, provenance: dict | None = None) -> dict:
    """The plan JSON of ``plan``; sections of stages not run are null.

    ``provenance`` (from :func:`provenance_record`) defaults to the package's
    version alone.
    """
    c = plan.constellation
    sunlight = (
        {s.resolved.shell.name: s for s in plan.illumination.shells}
        if (plan.illumination is not None)
        else {}
    )
    closure = {s.name: s for s in plan.closure.shells} if plan.closure is not None else {}
    radiation = {s.name: s for s in plan.radiation.shells} if plan.radiation is not None else {}
    shells = []
    for resolved in plan.resolved or ():
        record = shell_record(resolved)
        name = resolved.shell.name
        if name in sunlight:
            record["illumination"] = illumination_record(sunlight[name])
        if name in closure and closure[name].drag is not None:
            record["drag"] = drag_record(closure[name].drag)
        if name in radiation:
            record["radiation"] = radiation_record(radiation[name], c.radiation)
        shells.append(record)
    return {
        "schema_version": SCHEMA_VERSION,
        "provenance": {**(provenance or provenance_record()), "stages": list(plan.stages)},
        "skipped": dict(plan.skipped),
        "scenario": c.name,
        "epoch": epoch_text(c.epoch),
        "n_sats": int(c.n_sats),
        "description": c.description,
        "sources": list(c.sources),
        "altitude_definition": ALTITUDE_DEFINITION,
        "shells": shells,
        "element_sets": [
            element_set_record(e, check)
            for e, check in zip(c.element_sets, plan.element_set_checks, strict=True)
        ],
        "fleet_illumination": None if plan.fleet is None else fleet_record(plan.fleet),
        "sizing": sizing_record(plan.closure),
        "network": None if plan.network is None else network_record(plan.network),
        "cadence": None if plan.cadence is None else cadence_record(plan.cadence),
        "cost": None if plan.cost is None else cost_record(plan.cost, c.cost),
        "formations": None if plan.formation is None else formations_record(plan.formation),
    }


def formations_record(result) -> list:
    """The formation stage: one entry per ``[[formations]]`` table (separations in metres,
    times in seconds, null for a first approach beyond the search's horizon)."""

    def number(x):
        return None if x is None or not np.isfinite(x) else float(x)

    out = []
    for f in result.formations:
        mesh = f.mesh
        out.append(
            {
                "name": f.name,
                "members": f.members,
                "clusters": f.clusters,
                "lattice": f.lattice,
                "radial_pitch_m": f.radial_pitch_m,
                "keep_out_m": f.keep_out_m,
                "min_separation_m": number(f.min_separation_m),
                "max_neighbour_m": number(f.max_neighbour_m),
                "max_extent_m": number(f.max_extent_m),
                "ballistic_mismatch": f.ballistic_mismatch,
                "ballistic_coefficient_m2_kg": number(f.ballistic_coefficient_m2_kg),
                "drift_distance_m": f.drift_distance_m,
                "station_keeping_tolerance_m": f.station_keeping_tolerance_m,
                "cases": [
                    {
                        "name": c.name,
                        "density_kg_m3": c.density_kg_m3,
                        "acceleration_m_s2": c.acceleration_m_s2,
                        "drift_time_s": number(c.drift_time_s),
                        "station_keeping_m_s_per_year": c.station_keeping_m_s_per_year,
                        "propellant_kg_per_year": number(c.propellant_kg_per_year),
                        "burn_interval_s": number(c.burn_interval_s),
                        "first_approach_s": number(c.first_approach_s),
                    }
                    for c in f.cases
                ],
                "array_side_m": number(f.array_side_m),
                "shaded_fraction_epoch": f.shaded_fraction_epoch,
                "shaded_fraction_worst_month": f.shaded_fraction_worst_month,
                "plane_keeping_m_s_per_year_mean": f.plane_keeping_m_s_per_year_mean,
                "plane_keeping_m_s_per_year_max": f.plane_keeping_m_s_per_year_max,
                "plane_keeping_propellant_kg_per_year_max": number(
                    f.plane_keeping_propellant_kg_per_year_max
                ),
                "mesh": None
                if mesh is None
                else {
                    "capacity_gbps": mesh.capacity_gbps,
                    "links": mesh.links,
                    "mean_link_m": number(mesh.mean_link_m),
                    "largest_cluster_sats": mesh.largest_cluster_sats,
                    "compute_mw": mesh.compute_mw,
                    "bisection_tbps": mesh.bisection_tbps,
                    "allreduce_s": mesh.allreduce_s,
                    "hop_diameter": mesh.hop_diameter,
                },
            }
        )
    return out


# --------------------------------------------------------------------------- commands


def eclipse_record(plan) -> dict:
    """``orbital-dc eclipse``: every shell's year of sunlight and its worst plane day by day."""
    return {
        "scenario": plan.constellation.name,
        "year": plan.illumination.year,
        "shells": [
            {
                "name": s.resolved.shell.name,
                "ltan_drift_min_per_year": s.resolved.ltan_drift_min_per_year,
                "illumination": illumination_record(s),
                "daily_worst_plane": daily_record(s),
            }
            for s in plan.illumination.shells
        ],
    }


def size_record(plan, solutions=()) -> dict:
    """``orbital-dc size``: every shell's sizing (and ``--solve-for`` answers)."""
    design = plan.constellation.satellite
    record = {
        "scenario": plan.constellation.name,
        "payload": design.payload,
        "shells": [shell_sizing_record(s, design.flops_precision) for s in plan.closure.shells],
    }
    if solutions:
        record["solve_for"] = [solution_record(s) for s in solutions]
    return record


def drag_shells_record(plan) -> dict:
    """``orbital-dc drag``: every shell's drag (null for a shell that did not close first)."""
    return {
        "scenario": plan.constellation.name,
        "shells": [
            {
                "name": s.name,
                "altitude_km": s.resolved.shell.altitude_km,
                "drag": None if s.drag is None else drag_record(s.drag),
            }
            for s in plan.closure.shells
        ],
    }


def links_record(plan, with_edges: bool = False) -> dict:
    """``orbital-dc links``: the mesh's figures (and, with ``with_edges``, its edge list)."""
    record = {
        "scenario": plan.constellation.name,
        "network": network_record(plan.network),
    }
    if with_edges:
        record["edge_list"] = edge_list_record(plan.network.graph)
    return record


def compare_record(columns) -> dict:
    """``orbital-dc compare``: each scenario's cadence, as ``(label, CadenceResult)`` pairs."""
    return {"scenarios": [{"scenario": label, **cadence_record(c)} for label, c in columns]}


def plan_schema() -> dict:
    """The JSON Schema (draft 2020-12) of the plan JSON, version :data:`SCHEMA_VERSION`.

    It ships in the package (``constellations/schemas/plan.schema.json``).
    """
    from importlib import resources

    text = (resources.files("constellations") / "schemas" / "plan.schema.json").read_text("utf-8")
    return json.loads(text)


def to_json_text(record: dict) -> str:
    """``record`` as JSON text; NaN and infinity become null (strict JSON)."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, (float, np.floating)):
            return float(value) if np.isfinite(value) else None
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.bool_):
            return bool(value)
        return value

    return json.dumps(clean(record), indent=2, allow_nan=False) + "\n"

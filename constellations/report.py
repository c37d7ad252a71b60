"""The HTML report of a plan: summary tables, sources, and the shells in 3D."""

import html

import numpy as np

from constellations.atomic import atomic_write, check_writable
from constellations.design import Constellation
from constellations.propagate import stream_positions
from constellations.resolve import resolve
from orbital.constants import EARTH_RADIUS_KM
from orbital.times import TimeGrid

#: Seed of the random sample of satellites drawn in 3D (fixed so reports are repeatable).
SAMPLE_SEED = 20270101


def _sampled_positions(constellation: Constellation, max_markers: int, resolved=None):
    """Positions at the epoch (GCRS, km) of an even random sample of satellites, by group."""
    n_sat = constellation.n_sats
    rng = np.random.default_rng(SAMPLE_SEED)
    chosen = np.sort(rng.choice(n_sat, size=min(n_sat, max_markers), replace=False))
    grid = TimeGrid.from_offsets(constellation.epoch, [0.0])
    picked = np.empty((len(chosen), 3))
    resolved = resolve(constellation) if resolved is None else resolved
    for chunk in stream_positions(constellation, grid, frame="gcrs", resolved=resolved):
        lo, hi = np.searchsorted(chosen, [chunk.start, chunk.stop])
        picked[lo:hi] = chunk.positions_km[chosen[lo:hi] - chunk.start, 0, :]
    from orbital.shadow import conical_visible_fraction
    from orbital.sun import sun_gcrs_km

    jd, fr = grid.sgp4_dates()
    sun = sun_gcrs_km(jd, fr)[0]
    fraction = conical_visible_fraction(picked, sun)
    groups = list(constellation.shells) + list(constellation.element_sets)
    bounds = np.cumsum([0] + [g.n_sats for g in groups])
    points, sunlit = {}, {}
    for group, start, stop in zip(groups, bounds[:-1], bounds[1:], strict=True):
        lo, hi = np.searchsorted(chosen, [start, stop])
        points[group.name] = picked[lo:hi]
        sunlit[group.name] = fraction[lo:hi]
    links = _links_at_epoch(constellation, resolved, picked) if len(chosen) == n_sat else None
    return points, len(chosen), sunlit, sun / np.linalg.norm(sun), links


#: Most laser links drawn in 3D (more would make the page heavy and slow to turn).
MAX_LINKS_DRAWN = 20_000


def _links_at_epoch(constellation: Constellation, resolved, positions_km: np.ndarray):
    """Segments ``(m, 2, 3)`` of the links that close at the epoch, or None if too many."""
    from constellations.network import build_graph, candidate_edges

    design = constellation.links
    if constellation.n_sats * min(design.terminals, 4) / 2 > MAX_LINKS_DRAWN:
        return None  # about two links a satellite in a +Grid
    candidates = candidate_edges(resolved) if design.topology == "+grid" else None
    shell = np.repeat(
        np.arange(len(constellation.shells) + len(constellation.element_sets)),
        [g.n_sats for g in (*constellation.shells, *constellation.element_sets)],
    )
    graph = build_graph(positions_km, design, candidates, {"shell": shell})
    return np.stack([positions_km[graph.i], positions_km[graph.j]], axis=1)


def _year(result: dict) -> str:
    years = {s["illumination"]["year"] for s in result["shells"] if "illumination" in s}
    return ", ".join(str(y) for y in sorted(years)) or "the year"


def plan_report_html(constellation: Constellation, result: dict, kept: dict | None = None) -> str:
    """The report page; ``kept`` (from ``plan(..., keep=...)``) saves recomputing the year."""
    from viz.globe import MAX_MARKERS, shells_figure
    from viz.report import report_html, table_html

    kept = kept or {}
    points, shown, sunlit, sun_direction, links = _sampled_positions(
        constellation, MAX_MARKERS, kept.get("resolved")
    )
    if shown < constellation.n_sats:
        note = (
            f"{shown:,} of {constellation.n_sats:,} satellites, a uniform random sample "
            f"(seed {SAMPLE_SEED}), at the epoch, GCRS"
        )
    else:
        note = f"all {shown:,} satellites at the epoch, GCRS"
    keys = (
        "name",
        "altitude_km",
        "inclination_deg",
        "sun_synchronous",
        "ltan_hours",
        "planes",
        "sats_per_plane",
        "phasing",
        "pattern",
        "n_sats",
        "period_min",
    )
    rows = [{k: s[k] for k in keys} for s in result["shells"]]
    rows += [
        {"name": e["name"], "n_sats": e["n_sats"], "source": e["source"]}
        for e in result["element_sets"]
    ]
    sunlight = [
        {
            "shell": s["name"],
            "worst plane": s["illumination"]["worst_plane"],
            "sunlit % (worst)": round(100 * s["illumination"]["sunlit_fraction_year"], 2),
            "sunlit % (mean)": round(100 * s["illumination"]["mean"]["sunlit_fraction_year"], 2),
            "max eclipse min": round(s["illumination"]["max_eclipse_min"], 1),
            "eclipse days": s["illumination"]["eclipse_days"],
            "longest season (days of year)": s["illumination"]["eclipse_season"],
            "min beta deg": round(s["illumination"]["min_beta_deg"], 1),
            "max beta deg": round(s["illumination"]["max_beta_deg"], 1),
        }
        for s in result["shells"]
        if "illumination" in s
    ]
    sizing_rows = [
        {
            "shell": s["shell"],
            "policy": s["policy"],
            "compute kW/t (sun)": round(s["compute_kw_per_tonne"], 1),
            "compute kW/t (orbit avg)": round(s["compute_kw_per_tonne_orbit_average"], 1),
            "array m2/t": round(s["array_m2_per_tonne"], 1),
            "radiator m2/t": round(s["radiator_m2_per_tonne"], 1),
            "battery kWh/t": round(s["battery_kwh_per_tonne"], 1),
            **{f"{k} kg/t": round(v) for k, v in s["mass_breakdown_kg_per_tonne"].items()},
            "largest overhead": s["binding_constraint"],
        }
        for s in (result.get("sizing") or {}).get("by_shell", [])
    ]
    drag_rows = [
        {
            "shell": s["name"],
            "case": case,
            "F10.7 / Ap": f"{c['f107']:g} / {c['ap']:g}",
            "density kg/m3": f"{c['density_kg_m3']:.2e}",
            "drag area m2/t": round(c["drag_area_m2_per_tonne"], 1),
            "dv m/s/yr": round(c["dv_m_s_per_year"]),
            "thruster kW/t": round(c["thruster_power_kw_per_tonne"], 2),
            "propellant kg/t/yr": round(c["propellant_kg_per_tonne_year"], 1),
            "uncontrolled days": round(c["lifetime_days_uncontrolled"], 1),
        }
        for s in result["shells"]
        if "drag" in s
        for case, c in s["drag"]["cases"].items()
    ]
    network = result.get("network") or {}
    network_rows = (
        [
            {
                k: network[k]
                for k in (
                    "links",
                    "components",
                    "largest_cluster_sats",
                    "largest_cluster_compute_mw",
                    "hop_diameter",
                    "latency_diameter_ms",
                    "diameter_exact",
                    "bisection_tbps",
                    "allreduce_s",
                )
                if k in network
            }
        ]
        if network
        else []
    )
    sources = "".join(f"<li>{html.escape(s)}</li>" for s in result["sources"])
    sections = [
        (
            "Summary",
            f"<p>{html.escape(result['description'])}</p>"
            f"<p>{result['n_sats']:,} satellites at epoch {html.escape(result['epoch'])}.</p>"
            + table_html(rows, caption="Shells")
            + table_html(sunlight, caption=f"Sunlight over {_year(result)}, worst plane per shell"),
        ),
        ("Power, thermal and mass per tonne", table_html(sizing_rows) or "<p>No shells.</p>"),
        ("Drag and station keeping", table_html(drag_rows) or "<p>No shells.</p>"),
        ("Laser mesh", table_html(network_rows) or "<p>No mesh.</p>"),
        ("Sources and assumptions", f"<ul>{sources}</ul>" if sources else "<p>None given.</p>"),
    ]
    figure = shells_figure(
        points,
        EARTH_RADIUS_KM,
        title="Shells at the epoch, in sunlight and shadow",
        note=note,
        sunlit=sunlit,
        sun_direction=sun_direction,
        links_km=links,
    )
    figures = [("Shells in 3D", figure)] + _charts(constellation, result, kept)
    return report_html(f"orbital-dc plan: {result['scenario']}", sections, figures)


def write_plan_report(constellation: Constellation, result: dict, path, kept=None) -> None:
    """Write the self-contained HTML report of ``result`` to ``path``, atomically."""
    check_writable(path)
    text = plan_report_html(constellation, result, kept)
    with atomic_write(path) as handle:
        handle.write(text)


#: Planes drawn in the per-plane charts of a shell (an even sample when it has more).
MAX_PLANES_CHARTED = 60


def _charts(constellation: Constellation, result: dict, kept: dict) -> list:
    """Eclipse seasons, beta, fleet sunlight, mass per tonne, the mesh and the cadence."""
    from constellations.illumination import annual_illumination
    from orbital.illumination import earth_angular_radius_deg
    from viz.charts import beta_lines, eclipse_heatmap, fleet_sunlight, lines, stacked_bars

    figures = []
    year = result["shells"][0]["illumination"]["year"] if result["shells"] else None
    names = [s["name"] for s in result["shells"]]
    if year is not None:
        if "years" in kept:
            pairs = zip(kept["resolved"], kept["years"], strict=True)
        else:
            pairs = annual_illumination(constellation, year)
        for shell, year_result in pairs:
            planes = np.unique(
                np.linspace(0, shell.shell.planes - 1, MAX_PLANES_CHARTED).round().astype(int)
            )
            days = np.arange(1, year_result.n_days + 1)
            name = shell.shell.name
            figures.append(
                (
                    f"Eclipse seasons, {name}",
                    eclipse_heatmap(
                        days,
                        [f"plane {p}" for p in planes],
                        year_result.max_eclipse_min[planes],
                        title=f"{name}: longest eclipse per day, minutes ({year})",
                    ),
                )
            )
            worst = result["shells"][names.index(name)]["illumination"]["worst_plane"]
            shown = {f"plane {p}": year_result.beta_deg[p] for p in sorted({0, worst})}
            figures.append(
                (
                    f"Beta angle, {name}",
                    beta_lines(
                        days,
                        shown,
                        title=f"{name}: beta angle ({year})",
                        limit_deg=float(earth_angular_radius_deg(shell.shell.altitude_km)),
                    ),
                )
            )
    fleet = result.get("fleet_illumination")
    if fleet:
        figures.append(
            (
                "Fleet in sunlight over one orbit",
                fleet_sunlight(
                    np.asarray(fleet["t_s"]) / 60.0,
                    {
                        "mean visible fraction": fleet["mean_visible_fraction"],
                        "share in full sun": fleet["full_sun_share"],
                    },
                    title="The fleet's sunlight over one orbit from the epoch",
                ),
            )
        )
    sized = [s for s in (result.get("sizing") or {}).get("by_shell", []) if s.get("closes")]
    if sized:
        parts = list(sized[0]["mass_breakdown_kg_per_tonne"])
        figures.append(
            (
                "Mass per tonne",
                stacked_bars(
                    [s["shell"] for s in sized],
                    {p: [s["mass_breakdown_kg_per_tonne"][p] for s in sized] for p in parts},
                    title="Where each tonne goes",
                    unit="kg per tonne",
                ),
            )
        )
    network = result.get("network")
    if network:
        over = network["over_orbit"]
        figures.append(
            (
                "The laser mesh over one orbit",
                lines(
                    np.asarray(over["time_s"]) / 60.0,
                    {"largest cluster, satellites": over["largest_cluster_sats"]},
                    title="Largest cluster over one orbit",
                    x_title="minutes from the epoch",
                    y_title="satellites",
                ),
            )
        )
    cadence = result.get("cadence")
    if cadence and "error" not in cadence:
        steady = [cadence["steady_state_gw"]] * len(cadence["years"])
        figures.append(
            (
                "Launch cadence",
                lines(
                    cadence["years"],
                    {"installed GW (in sun)": cadence["installed_gw"], "steady state GW": steady},
                    title="Installed compute over the years",
                    x_title="year",
                    y_title="GW",
                ),
            )
        )
    return figures

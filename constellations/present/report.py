"""The HTML report of a plan: summary tables, sources, and the shells in 3D."""

import html

import numpy as np

from constellations.io.atomic import atomic_write, check_writable
from constellations.model.constellation import Constellation
from constellations.stages.propagate import stream_positions
from constellations.stages.resolve import resolve
from orbital.constants import EARTH_RADIUS_WGS72_KM

#: Seed of the random sample of satellites drawn in 3D (fixed so reports are repeatable).
SAMPLE_SEED = 20270101


#: Animation frames of the globe over one orbit (the first is the epoch).
GLOBE_FRAMES = 24


def _sample(n_sat: int, max_markers: int) -> np.ndarray:
    """Indices of an even random sample of at most ``max_markers`` satellites, sorted."""
    rng = np.random.default_rng(SAMPLE_SEED)
    return np.sort(rng.choice(n_sat, size=min(n_sat, max_markers), replace=False))


def globe_snapshots(
    constellation: Constellation,
    *,
    max_markers: int,
    frames: int = GLOBE_FRAMES,
    resolved=None,
    ts=None,
):
    """The globe's snapshots over one orbit from the epoch, in ITRS (Earth-fixed), km.

    Returns ``(snapshots, shown)``: a :class:`viz.globe.GlobeSnapshot` per
    frame for a seeded random sample of ``shown`` satellites, coloured by the
    conical shadow, with the laser links when every satellite is shown and
    they number at most :data:`MAX_LINKS_DRAWN`.
    """
    from constellations.planner import one_orbit_grid
    from orbital.frames import teme_to_itrs_km
    from orbital.shadow import conical_visible_fraction
    from orbital.sun import sun_teme_km
    from orbital.times import builtin_timescale
    from viz.globe import GlobeSnapshot

    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts) if resolved is None else resolved
    n_sat = constellation.n_sats
    chosen = _sample(n_sat, max_markers)
    grid = one_orbit_grid(constellation, resolved, steps=frames)
    picked = np.empty((len(chosen), len(grid), 3))
    for chunk in stream_positions(constellation, grid, frame="itrs", resolved=resolved, ts=ts):
        lo, hi = np.searchsorted(chosen, [chunk.start, chunk.stop])
        picked[lo:hi] = chunk.positions_km[chosen[lo:hi] - chunk.start]
    sun = teme_to_itrs_km(sun_teme_km(grid, ts), grid.skyfield(ts))
    groups = list(constellation.shells) + list(constellation.element_sets)
    bounds = np.cumsum([0] + [g.n_sats for g in groups])
    spans = [np.searchsorted(chosen, [a, b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    links = (
        _link_drawer(constellation, resolved)
        if len(chosen) == n_sat and _links_fit(constellation)
        else None
    )
    snapshots = []
    for k, t_s in enumerate(grid.t_s):
        positions = picked[:, k, :]
        fraction = conical_visible_fraction(positions, sun[k])
        snapshots.append(
            GlobeSnapshot(
                label=f"{t_s / 60.0:+.1f} min",
                points_km={
                    g.name: positions[lo:hi] for g, (lo, hi) in zip(groups, spans, strict=True)
                },
                sunlit={g.name: fraction[lo:hi] for g, (lo, hi) in zip(groups, spans, strict=True)},
                sun_direction=sun[k] / np.linalg.norm(sun[k]),
                links_km=None if links is None else links(positions),
            )
        )
    return snapshots, len(chosen)


#: Most laser links drawn in 3D (more would make the page heavy and slow to turn).
MAX_LINKS_DRAWN = 20_000


def _links_fit(constellation: Constellation) -> bool:
    """Whether the mesh has at most :data:`MAX_LINKS_DRAWN` links (about two a satellite)."""
    return constellation.n_sats * min(constellation.links.terminals, 4) / 2 <= MAX_LINKS_DRAWN


def _link_drawer(constellation: Constellation, resolved):
    """A function from positions ``(n, 3)`` km to the segments ``(m, 2, 3)`` of the links
    that close there; the +Grid's candidate pairs are found once for every frame."""
    from constellations.stages.network import build_graph, candidate_edges

    design = constellation.links
    candidates = candidate_edges(resolved) if design.topology == "+grid" else None
    groups = (*constellation.shells, *constellation.element_sets)
    shell = np.repeat(np.arange(len(groups)), [g.n_sats for g in groups])

    def segments(positions_km: np.ndarray) -> np.ndarray:
        graph = build_graph(positions_km, design, candidates, {"shell": shell})
        return np.stack([positions_km[graph.i], positions_km[graph.j]], axis=1)

    return segments


def shell_surfaces(resolved) -> list:
    """Each Walker shell as a translucent band up to the latitudes its satellites reach."""
    from viz.globe import ShellSurface

    surfaces = []
    for r in resolved:
        reach = min(r.inclination_deg, 180.0 - r.inclination_deg)
        surfaces.append(
            ShellSurface(r.shell.name, EARTH_RADIUS_WGS72_KM + r.shell.altitude_km, max(reach, 1.0))
        )
    return surfaces


def _year(result: dict) -> str:
    years = {s["illumination"]["year"] for s in result["shells"] if "illumination" in s}
    return ", ".join(str(y) for y in sorted(years)) or "the year"


def plan_figures(constellation: Constellation, result: dict, kept: dict | None = None) -> list:
    """The plan's figures as ``(heading, plotly Figure)`` pairs: the globe, then the charts.

    In a notebook each figure displays inline::

        kept = {}
        result = plan(constellation, keep=kept)
        for heading, figure in plan_figures(constellation, result, kept):
            figure.show()

    ``kept`` (from ``plan(..., keep=...)``) saves recomputing the year.
    """
    from viz.globe import MAX_MARKERS, shells_figure

    kept = kept or {}
    resolved = kept.get("resolved") or resolve(constellation)
    snapshots, shown = globe_snapshots(constellation, max_markers=MAX_MARKERS, resolved=resolved)
    sample = (
        f"{shown:,} of {constellation.n_sats:,} satellites, a uniform random sample "
        f"(seed {SAMPLE_SEED})"
        if shown < constellation.n_sats
        else f"all {shown:,} satellites"
    )
    note = f"{sample}; {len(snapshots)} frames over one orbit from the epoch; ITRS"
    figure = shells_figure(
        snapshots,
        EARTH_RADIUS_WGS72_KM,
        title="The shells over one orbit, in sunlight and shadow",
        note=note,
        shell_surfaces=shell_surfaces(resolved),
    )
    return [("Shells in 3D", figure)] + _charts(constellation, result, kept)


def plan_report_html(
    constellation: Constellation, result: dict, kept: dict | None = None, figures=None
) -> str:
    """The report page; ``kept`` (from ``plan(..., keep=...)``) saves recomputing the year,
    ``figures`` (from :func:`plan_figures`) drawing them again."""
    from viz.report import report_html, table_html

    kept = kept or {}
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
    if figures is None:
        figures = plan_figures(constellation, result, kept)
    return report_html(f"orbital-dc plan: {result['scenario']}", sections, figures)


def write_plan_report(
    constellation: Constellation, result: dict, path, kept=None, figures=None
) -> None:
    """Write the self-contained HTML report of ``result`` to ``path``, atomically."""
    check_writable(path)
    text = plan_report_html(constellation, result, kept, figures)
    with atomic_write(path) as handle:
        handle.write(text)


#: Planes drawn in the per-plane charts of a shell (an even sample when it has more).
MAX_PLANES_CHARTED = 60


def _charts(constellation: Constellation, result: dict, kept: dict) -> list:
    """Eclipse seasons, beta, fleet sunlight, mass per tonne, the mesh and the cadence."""
    from constellations.stages.illumination import annual_illumination
    from orbital.illumination import earth_angular_radius_deg
    from viz.charts import (
        beta_heatmap,
        eclipse_heatmap,
        failure_curves,
        fleet_sunlight,
        lines,
        stacked_bars,
        two_axis_lines,
    )

    figures = []
    year = result["shells"][0]["illumination"]["year"] if result["shells"] else None
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
            labels = [f"plane {p}" for p in planes]
            figures.append(
                (
                    f"Eclipse seasons, {name}",
                    eclipse_heatmap(
                        days,
                        labels,
                        year_result.max_eclipse_min[planes],
                        title=f"{name}: longest eclipse per day, minutes ({year})",
                    ),
                )
            )
            figures.append(
                (
                    f"Beta angle, {name}",
                    beta_heatmap(
                        days,
                        labels,
                        year_result.beta_deg[planes],
                        title=f"{name}: beta angle per day ({year})",
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
        clusters = {"largest cluster, satellites": over["largest_cluster_sats"]}
        if "largest_cluster_sats_with_failures" in over:
            clusters[f"with {100 * over['failure_fraction']:g} % failed"] = over[
                "largest_cluster_sats_with_failures"
            ]
        clusters["links closed"] = over["links_over_orbit"]
        figures.append(
            (
                "The laser mesh over one orbit",
                two_axis_lines(
                    np.asarray(over["time_s"]) / 60.0,
                    clusters,
                    {"compute in the largest cluster, MW": over["largest_cluster_compute_mw"]},
                    title="The mesh over one orbit",
                    x_title="minutes from the epoch",
                    units=("satellites, links", "MW"),
                ),
            )
        )
        sweep = network.get("under_failures")
        if sweep:
            exact = all(sweep["hop_diameter_exact"])
            figures.append(
                (
                    "The laser mesh under failures",
                    failure_curves(
                        sweep["failure_fraction"],
                        {
                            "largest cluster, % of working satellites": sweep[
                                "largest_cluster_share_of_working"
                            ],
                            "compute in the largest cluster, % of the fleet's": [
                                mw / sweep["largest_cluster_compute_mw"][0]
                                if sweep["largest_cluster_compute_mw"][0]
                                else None
                                for mw in sweep["largest_cluster_compute_mw"]
                            ],
                        },
                        sweep["hop_diameter"],
                        title="The mesh at the epoch as satellites fail "
                        f"(random, nested, seed {sweep['seed']})",
                        diameter_note="" if exact else " (lower bound)",
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


#: The compared curves: key in the cadence record, heading, axis title.
COMPARED_CURVES = (
    ("installed_gw", "Installed compute", "GW in sunlight"),
    ("flights_per_year", "Flights a year", "flights"),
    ("cost_per_watt_usd", "Cost per installed watt", "USD per W"),
)


def compare_figures(columns: list[dict]) -> list:
    """The cadence curves of compared scenarios, as ``(heading, plotly Figure)`` pairs."""
    from viz.charts import curves

    return [
        (
            heading,
            curves(
                {c["scenario"]: (c["years"], c[key]) for c in columns},
                title=f"{heading} over the years",
                x_title="year",
                y_title=unit,
            ),
        )
        for key, heading, unit in COMPARED_CURVES
    ]


def compare_report_html(columns: list[dict], sources: dict, figures=None) -> str:
    """The comparison page: a table per scenario, the curves, and every scenario's sources."""
    from viz.report import report_html, table_html

    rows = [
        {
            "scenario": c["scenario"],
            "vehicle": f"{c['vehicle']} ({c['payload_t']:g} t)",
            "kW/t": round(c["kw_per_tonne_used"], 1),
            "kW/t from": c["kw_per_tonne_source"],
            "installed GW (last year)": round(c["installed_gw"][-1], 1),
            "steady state GW": round(c["steady_state_gw"], 1),
            "satellites (last year)": round(c["satellites_in_orbit"][-1]),
            "cumulative flights": round(c["cumulative_flights"][-1]),
            "cumulative cost USD": round(c["cumulative_cost_usd"][-1]),
        }
        for c in columns
    ]
    listed = "".join(
        f"<h3>{html.escape(name)}</h3><ul>"
        + "".join(f"<li>{html.escape(s)}</li>" for s in items)
        + "</ul>"
        for name, items in sources.items()
    )
    sections = [
        ("Scenarios", table_html(rows)),
        ("Sources and assumptions", listed or "<p>None given.</p>"),
    ]
    return report_html("orbital-dc compare", sections, figures or compare_figures(columns))

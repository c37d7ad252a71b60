"""The HTML report of a plan: summary tables, sources, and the shells in 3D."""

import html

import numpy as np

from constellations.atomic import atomic_write, check_writable
from constellations.design import Constellation
from constellations.propagate import stream_positions
from orbital.constants import EARTH_RADIUS_KM
from orbital.times import TimeGrid

#: Seed of the random sample of satellites drawn in 3D (fixed so reports are repeatable).
SAMPLE_SEED = 20270101


def _sampled_positions(constellation: Constellation, max_markers: int):
    """Positions at the epoch (GCRS, km) of an even random sample of satellites, by group."""
    n_sat = constellation.n_sats
    rng = np.random.default_rng(SAMPLE_SEED)
    chosen = np.sort(rng.choice(n_sat, size=min(n_sat, max_markers), replace=False))
    grid = TimeGrid.from_offsets(constellation.epoch, [0.0])
    picked = np.empty((len(chosen), 3))
    for chunk in stream_positions(constellation, grid, frame="gcrs"):
        lo, hi = np.searchsorted(chosen, [chunk.start, chunk.stop])
        picked[lo:hi] = chunk.positions_km[chosen[lo:hi] - chunk.start, 0, :]
    groups = list(constellation.shells) + list(constellation.element_sets)
    bounds = np.cumsum([0] + [g.n_sats for g in groups])
    points = {}
    for group, start, stop in zip(groups, bounds[:-1], bounds[1:], strict=True):
        lo, hi = np.searchsorted(chosen, [start, stop])
        points[group.name] = picked[lo:hi]
    return points, len(chosen)


def _year(result: dict) -> str:
    years = {s["illumination"]["year"] for s in result["shells"] if "illumination" in s}
    return ", ".join(str(y) for y in sorted(years)) or "the year"


def plan_report_html(constellation: Constellation, result: dict) -> str:
    from viz.globe import MAX_MARKERS, shells_figure
    from viz.report import report_html, table_html

    points, shown = _sampled_positions(constellation, MAX_MARKERS)
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
    figure = shells_figure(points, EARTH_RADIUS_KM, title="Shells at the epoch", note=note)
    return report_html(
        f"orbital-dc plan: {result['scenario']}", sections, [("Shells in 3D", figure)]
    )


def write_plan_report(constellation: Constellation, result: dict, path) -> None:
    """Write the self-contained HTML report of ``result`` to ``path``, atomically."""
    check_writable(path)
    text = plan_report_html(constellation, result)
    with atomic_write(path) as handle:
        handle.write(text)

"""The HTML report of a plan: the same tables as the terminal, every figure, the sources."""

import html

import numpy as np

from constellations.io.atomic import atomic_write, check_writable
from constellations.model.constellation import Constellation
from constellations.present import tables
from constellations.present.bands import band_names, banded_mass_table
from constellations.stages.propagate import sample_positions, stream_positions
from constellations.stages.resolve import resolve
from orbital.constants import EARTH_RADIUS_WGS72_KM

#: Seed of the random sample of satellites drawn in 3D (fixed so reports are repeatable).
SAMPLE_SEED = 20270101


#: Animation frames of the globe over one orbit (the first is the epoch).
GLOBE_FRAMES = 24


def sample_satellites(n_sat: int, max_markers: int) -> np.ndarray:
    """Indices ``(min(n_sat, max_markers),)`` of a uniform random sample of the satellites
    (seed :data:`SAMPLE_SEED`), rising: every satellite when they fit."""
    rng = np.random.default_rng(SAMPLE_SEED)
    return np.sort(rng.choice(n_sat, size=min(n_sat, max_markers), replace=False))


def sample_statement(shown: int, n_sat: int) -> str:
    """What a drawing of ``shown`` of ``n_sat`` satellites shows, in the report's words."""
    if shown < n_sat:
        return f"{shown:,} of {n_sat:,} satellites, a uniform random sample (seed {SAMPLE_SEED})"
    return f"all {shown:,} satellites" if shown != 1 else tables.plural(shown, "satellite")


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
    chosen = sample_satellites(n_sat, max_markers)
    grid = one_orbit_grid(constellation, resolved, steps=frames)
    links = (
        _link_drawer(constellation, resolved)
        if len(chosen) == n_sat and _links_fit(constellation)
        else None
    )
    if links is not None:  # the mesh's own positions: the links it closes, to the bit
        from constellations.stages.mesh_orbit import positions_at

        mesh_positions = positions_at(constellation, resolved, grid.t_s, ts=ts)
        picked = teme_to_itrs_km(mesh_positions.transpose(1, 0, 2), grid.skyfield(ts))
    elif len(chosen) == n_sat:
        picked = np.empty((len(chosen), len(grid), 3))
        for chunk in stream_positions(constellation, grid, frame="itrs", resolved=resolved, ts=ts):
            picked[chunk.start : chunk.stop] = chunk.positions_km
    else:  # a sample: its satellites alone
        picked = sample_positions(constellation, chosen, grid, resolved=resolved, ts=ts)
    sun = teme_to_itrs_km(sun_teme_km(grid, ts), grid.skyfield(ts))
    groups = constellation.groups
    bounds = np.asarray(constellation.group_bounds)
    spans = [np.searchsorted(chosen, [a, b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
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
                links_km=None if links is None else links(mesh_positions[k], positions),
            )
        )
    return snapshots, len(chosen)


def globe_point_ids(constellation: Constellation, chosen) -> dict:
    """What the globe's hover names each drawn satellite by: ``{group: {name: (n,)}}`` for
    the satellites ``chosen`` (rising indices, :func:`sample_satellites`), plane and slot in
    a Walker shell (from 0, as the plan JSON counts them), the member of a formation (its
    place in the lattice, from 0), the satellite's place in its file and its object name
    (when the file names its satellites) in an element set."""
    from constellations.stages.propagate import satellite_rows

    chosen = np.asarray(chosen)
    rows = satellite_rows(constellation, chosen)
    groups = constellation.groups
    bounds = np.asarray(constellation.group_bounds)
    ids = {}
    for k, group in enumerate(groups):
        lo, hi = np.searchsorted(chosen, bounds[k : k + 2])
        if k < len(constellation.shells) and group.formation is not None:
            ids[group.name] = {"member": chosen[lo:hi] - bounds[k]}  # flies as one plane
        elif k < len(constellation.shells):
            ids[group.name] = {"plane": rows["plane"][lo:hi], "slot": rows["slot"][lo:hi]}
        else:
            place = chosen[lo:hi] - bounds[k]
            ids[group.name] = {"satellite": place}
            if any(group.names):
                ids[group.name]["name"] = np.asarray(group.names, dtype=object)[place]
    return ids


#: Most laser links drawn in 3D (more would make the page heavy and slow to turn).
MAX_LINKS_DRAWN = 20_000


def _links_fit(constellation: Constellation) -> bool:
    """Whether the mesh has at most :data:`MAX_LINKS_DRAWN` links (about two a satellite)."""
    return constellation.n_sats * min(constellation.links.terminals, 4) / 2 <= MAX_LINKS_DRAWN


def _link_drawer(constellation: Constellation, resolved):
    """A function ``(teme_km, drawn_km)``, both ``(n, 3)``, to the segments ``(m, 2, 3)``
    in ``drawn_km`` of the links that close at the TEME positions ``teme_km``; the +Grid's
    candidate pairs are found once for every frame.

    The links are found where the mesh stage finds them (TEME positions from
    :func:`constellations.stages.mesh_orbit.positions_at`), so each frame draws the
    mesh's own links: the ``nearest`` topology's greedy matching breaks near-ties
    by length, which the rounding of a rotation into another frame can reorder."""
    from constellations.stages.network import build_graph, candidate_edges

    design = constellation.links
    candidates = candidate_edges(resolved, design) if design.topology == "+grid" else None
    groups = constellation.groups
    shell = np.repeat(np.arange(len(groups)), [g.n_sats for g in groups])

    def segments(teme_km: np.ndarray, drawn_km: np.ndarray) -> np.ndarray:
        graph = build_graph(teme_km, design, candidates, {"shell": shell})
        return np.stack([drawn_km[graph.i], drawn_km[graph.j]], axis=1)

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


def plan_figures(plan) -> list:
    """The plan's figures as ``(heading, plotly Figure)`` pairs: the globe, then the charts.

    In a notebook each figure displays inline::

        for heading, figure in plan_figures(plan(constellation)):
            figure.show()
    """
    from viz.globe import MAX_MARKERS, shells_figure

    constellation = plan.constellation
    resolved = plan.resolved if plan.resolved is not None else resolve(constellation)
    snapshots, shown = globe_snapshots(constellation, max_markers=MAX_MARKERS, resolved=resolved)
    sample = sample_statement(shown, constellation.n_sats)
    note = f"{sample}; {len(snapshots)} frames over one orbit from the epoch"
    figure = shells_figure(
        snapshots,
        EARTH_RADIUS_WGS72_KM,
        title="The shells over one orbit, in sunlight and shadow",
        note=note,
        shell_surfaces=shell_surfaces(resolved),
        point_ids=globe_point_ids(
            constellation, sample_satellites(constellation.n_sats, MAX_MARKERS)
        ),
    )
    return [("Shells in 3D", figure)] + _charts(plan)


#: Columns a page's table has at most: one of more (a column per shell or per scenario)
#: is shown turned, a row per column, so that it fits the page's width.
MAX_HTML_COLUMNS = 12


def _spread(n_rows: int, group: int = 1) -> list[int] | None:
    """The key rows of a long per-shell table: :data:`viz.report.KEY_ROWS` rows spread
    evenly from the first to the last (the shells in the scenario's order), whole groups
    of ``group`` rows (a shell's drag cases); None for a table short enough to show."""
    from viz.report import COLLAPSE_AFTER, KEY_ROWS

    if n_rows <= COLLAPSE_AFTER or group < 1:
        return None
    groups = n_rows // group
    picks = np.unique(np.linspace(0, groups - 1, max(KEY_ROWS // group, 2)).round().astype(int))
    return [int(g) * group + k for g in picks for k in range(group)]


def _table_html(table, items, notes=(), spread: int = 0) -> str:
    """``table`` (:class:`tables.Table`) of ``items`` as the terminal shows it: the same
    headings (units in them), cell text and alignment; turned when it has more than
    :data:`MAX_HTML_COLUMNS` columns.  ``spread`` (a per-shell table: its rows a shell)
    shows a long table's rows spread from the first shell to the last before the
    folded rest (:func:`_spread`)."""
    from viz.report import table_html

    items = list(items)
    key_rows = _spread(len(items), spread) if spread else None
    if len(table.columns) > MAX_HTML_COLUMNS:
        label, *others = table.columns
        heading = label.heading or "measure"
        keys = [heading] + [label.text(item) for item in items]
        records = [
            dict(zip(keys, [c.heading] + [c.text(item) for item in items], strict=True))
            for c in others
        ]
        align = ["left"] + ["right"] * len(items)
    else:
        records = table.records(items)
        align = [c.align for c in table.columns]
    text = table_html(records, caption=table.title, align=align, key_rows=key_rows)
    if key_rows is not None:
        text += (
            f"<p>Shown first: {len(key_rows):,} of the {len(items):,} rows, spread evenly "
            "from the first shell to the last; the others are folded above, every row is "
            "in the CSV.</p>"
        )
    return text + "".join(f"<p>{html.escape(n)}</p>" for n in notes)


def package_facts() -> list[tuple[str, str]]:
    """A page footer's line when the caller gives none: the installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return [("made by", f"orbital-dc {version('orbital-dc')}")]
    except PackageNotFoundError:  # a source tree that was never installed
        return [("made by", "orbital-dc (version unknown)")]


def plan_sections(plan) -> list[tuple[str, str]]:
    """The report's sections (heading, HTML) from the same tables the terminal shows."""
    c = plan.constellation
    groups = list(plan.resolved or ()) + list(c.element_sets)
    notes = tables.shells_notes(plan.resolved) + tables.element_set_notes(plan.element_set_checks)
    summary = f"<p>{html.escape(c.description)}</p>" + _table_html(
        tables.shells_table(c), groups, notes, spread=1
    )
    if plan.illumination is not None:
        summary += _table_html(
            tables.sunlight_table(plan.illumination.year),
            plan.illumination.shells,
            tables.sunlight_notes(plan.illumination, plan.fleet),
            spread=1,
        )
    elif plan.fleet is not None:  # element sets only: no planes, no year of sunlight
        summary += f"<p>{html.escape(tables.fleet_note(plan.fleet))}</p>"
    sections = [("Summary", summary)]
    closure = plan.closure
    if closure is not None:
        closed = closure.closed
        sizing = _table_html(
            tables.sizing_table(closure), closure.shells, tables.sizing_notes(closure), spread=1
        )
        if closed:
            bands = band_names(c.resolved.shell for c in closure.shells)
            sizing += _table_html(banded_mass_table(closed, bands), tables.mass_rows(closed))
        sections.append(("Power, thermal and mass per tonne", sizing))
        sections.append(
            (
                "Drag and station keeping",
                _table_html(
                    tables.DRAG,
                    tables.drag_rows(closure),
                    tables.drag_notes(closure),
                    spread=_cases_a_shell(closure),
                )
                or "<p>No shell was sized.</p>",
            )
        )
    if plan.radiation is not None:
        radiation = plan.radiation
        sections.append(
            (
                "Trapped radiation and shielding",
                _table_html(
                    tables.RADIATION,
                    radiation.shells,
                    tables.radiation_notes(radiation),
                    spread=1,
                ),
            )
        )
    if plan.network is not None:
        sections.append(("Laser mesh", _table_html(tables.MESH, tables.mesh_rows(plan.network))))
    if plan.formation is not None:
        sections.append(
            (
                "Close formation",
                _table_html(tables.FORMATION, tables.formation_rows(plan.formation)),
            )
        )
    if plan.cost is not None:
        sections.append(("What the compute costs", cost_html(plan.cost)))
    if plan.skipped:
        sections.append(
            (
                "Not run",
                "<ul>"
                + "".join(
                    f"<li>{html.escape(stage)}: {html.escape(why)}</li>"
                    for stage, why in plan.skipped.items()
                )
                + "</ul>",
            )
        )
    sources = "".join(f"<li>{html.escape(s)}</li>" for s in c.sources)
    sections.append(
        ("Sources and assumptions", f"<ul>{sources}</ul>" if sources else "<p>None given.</p>")
    )
    return sections


def _cases_a_shell(closure) -> int:
    """Rows a shell has in the drag table (its activity cases)."""
    for c in closure.shells:
        if c.drag is not None:
            return len(c.drag.cases)
    return 1


def cost_html(cost) -> str:
    """The cost stage's tables as HTML, the terminal's tables and notes."""
    from constellations.present import cost_tables

    return (
        _table_html(cost_tables.headline_table(cost), cost_tables.headline_rows(cost))
        + _table_html(cost_tables.WATERFALL, cost_tables.waterfall_rows(cost))
        + _table_html(cost_tables.SHELLS, cost.shells, spread=1)
        + _table_html(
            cost_tables.BY_YEAR, cost_tables.by_year_rows(cost), cost_tables.cost_notes(cost)
        )
    )


def cost_figures(cost) -> list:
    """Where each dollar goes (space and ground side by side) and the cost by launch year."""
    from constellations.present import cost_tables
    from viz.charts import lines, stacked_bars

    rows = cost_tables.waterfall_rows(cost)
    years = [int(y) for y in cost.years]
    ground = float(cost.ground.usd_per_kw_year)
    return [
        (
            "Where each dollar goes",
            stacked_bars(
                ["space", "ground"],
                {item: [space or 0.0, on_ground or 0.0] for item, space, on_ground in rows},
                title=f"Levelised cost of compute by item (USD of {cost.dollar_year})",
                unit="USD per kW-year of IT delivered",
            ),
        ),
        (
            "Levelised cost by launch year",
            lines(
                years,
                {
                    "space (satellites launched that year)": _listed(cost.space_by_launch_year),
                    "ground": [ground] * len(years),
                },
                title="Levelised cost of compute along the cadence",
                x_title="launch year",
                y_title="USD per kW-year of IT delivered",
            ),
        ),
    ]


def plan_report_html(plan, figures=None, footer=None) -> str:
    """The report page; ``figures`` (from :func:`plan_figures`) saves drawing them again;
    ``footer`` is its ``(what, value)`` lines (the CLI gives the run's, from
    ``constellations.records.provenance_facts``; default :func:`package_facts`)."""
    from viz.report import report_html

    if figures is None:
        figures = plan_figures(plan)
    return report_html(
        f"orbital-dc plan: {plan.constellation.name}",
        plan_sections(plan),
        figures,
        header_html=plan_headline_html(plan),
        footer=footer or package_facts(),
    )


def plan_headline_html(plan) -> str:
    """The headline cards and the claims table of ``plan``
    (:mod:`constellations.present.headline`) as the page's header."""
    from constellations.present.headline import claim_records, claims, headline, json_path_text
    from viz.report import headline_html

    cards = [
        (h.label, h.text, h.meaning, json_path_text(h.json_path), h.value) for h in headline(plan)
    ]
    return headline_html(cards, claim_records(claims(plan)))


def write_plan_report(plan, path, figures=None, footer=None) -> None:
    """Write the self-contained HTML report of ``plan`` to ``path``, atomically (``footer``
    as :func:`plan_report_html` takes it)."""
    check_writable(path)
    text = plan_report_html(plan, figures, footer)
    with atomic_write(path) as handle:
        handle.write(text)


#: Planes drawn in the per-plane charts of a shell (an even sample when it has more).
MAX_PLANES_CHARTED = 60


def _charts(plan) -> list:
    """Eclipse seasons, beta, fleet sunlight, mass per tonne, the mesh and the cadence."""
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
    if plan.illumination is not None:
        year = plan.illumination.year
        for sunlight in _charted(plan.illumination.shells, lambda s: s.resolved.shell):
            shell, year_result = sunlight.resolved, sunlight.year
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
    fleet = plan.fleet
    if fleet is not None:
        figures.append(
            (
                "Fleet in sunlight over one orbit",
                fleet_sunlight(
                    np.asarray(fleet.t_s) / 60.0,
                    {
                        "mean visible fraction": _listed(fleet.mean_visible_fraction),
                        "share in full sun": _listed(fleet.full_sun_share),
                    },
                    title="The fleet's sunlight over one orbit from the epoch",
                ),
            )
        )
    if plan.radiation is not None:
        figures.append(("Dose behind aluminium", _dose_chart(plan.radiation)))
    closed = plan.closure.closed if plan.closure is not None else ()
    if closed:
        parts = list(closed[0].sized.sizing.mass_breakdown_kg_per_tonne)
        figures.append(
            (
                "Mass per tonne",
                stacked_bars(
                    [c.name for c in closed],
                    {
                        p: [c.sized.sizing.mass_breakdown_kg_per_tonne[p] for c in closed]
                        for p in parts
                    },
                    title="Where each tonne goes",
                    unit="kg per tonne",
                ),
            )
        )
    if plan.network is not None:
        figures += _mesh_charts(plan.network, two_axis_lines, failure_curves)
    cadence = plan.cadence
    if cadence is not None:
        figures.append(
            (
                "Launch cadence",
                lines(
                    [int(y) for y in cadence.years],
                    {
                        "installed GW (in sun)": _listed(cadence.installed_gw),
                        "steady state GW": [cadence.steady_state_gw] * len(cadence.years),
                    },
                    title="Installed compute over the years",
                    x_title="year",
                    y_title="GW",
                ),
            )
        )
    if plan.cost is not None:
        figures += cost_figures(plan.cost)
    return figures


#: The most shells whose charts the page draws (spread across the scenario's altitudes).
MAX_SHELLS_CHARTED = 8


def _charted(items, shell_of) -> list:
    """At most :data:`MAX_SHELLS_CHARTED` of ``items`` (one per shell), spread over the
    scenario's altitudes: a band of a hundred levels draws the heatmaps of eight."""
    ordered = sorted(items, key=lambda item: shell_of(item).altitude_km)
    keep = np.unique(np.linspace(0, len(ordered) - 1, MAX_SHELLS_CHARTED).round().astype(int))
    return [ordered[i] for i in keep] if len(ordered) > MAX_SHELLS_CHARTED else list(items)


def _dose_chart(radiation):
    from constellations.stages.radiation import DOSE_DEPTH_MM_AL
    from viz.charts import dose_depth

    shells = _charted(radiation.shells, lambda r: r)
    allowed = shells[0].allowed_rad_si_per_year
    return dose_depth(
        DOSE_DEPTH_MM_AL.tolist(),
        {f"{r.name} ({r.altitude_km:g} km)": _listed(r.dose_depth_rad_si_per_year) for r in shells},
        allowed,
        title="Trapped-particle dose behind aluminium (AP8/AE8, the larger solar phase)",
    )


def _listed(values) -> list:
    """Floats for a chart, None where there is no value (NaN)."""
    return [float(v) if np.isfinite(v) else None for v in values]


def _mesh_charts(network, two_axis_lines, failure_curves) -> list:
    over = network.over_orbit
    clusters = {"largest cluster, satellites": [int(v) for v in over.largest_cluster_sats]}
    if over.largest_cluster_sats_with_failures is not None:
        clusters[f"with {100 * over.failure_fraction:g} % failed"] = [
            int(v) for v in over.largest_cluster_sats_with_failures
        ]
    clusters["links closed"] = [int(v) for v in over.links]
    figures = [
        (
            "The laser mesh over one orbit",
            two_axis_lines(
                np.asarray(over.time_s) / 60.0,
                clusters,
                {"compute in the largest cluster, MW": _listed(over.largest_cluster_compute_mw)},
                title="The mesh over one orbit",
                x_title="minutes from the epoch",
                units=("satellites, links", "MW"),
            ),
        )
    ]
    sweep = network.under_failures
    full = sweep.largest_cluster_compute_mw[0]
    figures.append(
        (
            "The laser mesh under failures",
            failure_curves(
                list(sweep.failure_fraction),
                {
                    "largest cluster, % of working satellites": list(
                        sweep.largest_cluster_share_of_working
                    ),
                    "compute in the largest cluster, % of the fleet's": [
                        mw / full if full else None for mw in sweep.largest_cluster_compute_mw
                    ],
                },
                list(sweep.hop_diameter),
                title="The mesh at the epoch as satellites fail "
                f"(random, nested, seed {sweep.seed})",
                diameter_note="" if all(sweep.hop_diameter_exact) else " (lower bound)",
                cluster_shells=sweep.largest_cluster_shells,
            ),
        )
    )
    return figures


#: The compared curves: attribute of the cadence result, heading, axis title.
COMPARED_CURVES = (
    ("installed_gw", "Installed compute", "GW in sunlight"),
    ("flights_per_year", "Flights a year", "flights"),
    ("cost_per_watt_usd", "Cost per installed watt", "USD per W"),
)


def compare_figures(columns, costs=()) -> list:
    """The cadence curves of compared scenarios, ``(label, CadenceResult)`` pairs, and
    their costs by launch year, ``(label, CostResult)`` pairs, as ``(heading, plotly
    Figure)`` pairs."""
    from viz.charts import curves

    cost_curves = []
    if costs:
        series = {}
        for label, cost in costs:
            years = [int(y) for y in cost.years]
            series[f"{label}: space"] = (years, _listed(cost.space_by_launch_year))
            series[f"{label}: ground"] = (years, [float(cost.ground.usd_per_kw_year)] * len(years))
        cost_curves.append(
            (
                "Levelised cost of compute",
                curves(
                    series,
                    title="Levelised cost of compute by launch year",
                    x_title="launch year",
                    y_title="USD per kW-year of IT delivered",
                ),
            )
        )
    return [
        (
            heading,
            curves(
                {
                    label: ([int(y) for y in c.years], _listed(getattr(c, attribute)))
                    for label, c in columns
                },
                title=f"{heading} over the years",
                x_title="year",
                y_title=unit,
            ),
        )
        for attribute, heading, unit in COMPARED_CURVES
    ] + cost_curves


def compare_report_html(columns, sources: dict, figures=None, costs=(), footer=None) -> str:
    """The comparison page: the comparison tables, the curves, and every scenario's sources;
    ``footer`` as :func:`plan_report_html` takes it."""
    from constellations.present import cost_tables
    from viz.report import report_html

    labels = [label for label, _ in columns]
    table = tables.compare_table(labels)
    listed = "".join(
        f"<h3>{html.escape(name)}</h3><ul>"
        + "".join(f"<li>{html.escape(s)}</li>" for s in items)
        + "</ul>"
        for name, items in sources.items()
    )
    sections = [
        ("Scenarios", _table_html(table, tables.compare_rows([c for _, c in columns]))),
    ]
    if costs:
        sections.append(
            (
                "What the compute costs",
                _table_html(cost_tables.COMPARE, cost_tables.compare_rows(costs)),
            )
        )
    sections.append(("Sources and assumptions", listed or "<p>None given.</p>"))
    return report_html(
        "orbital-dc compare",
        sections,
        figures or compare_figures(columns, costs),
        footer=footer or package_facts(),
    )

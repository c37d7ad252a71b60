"""A study's HTML page: what it found, its Pareto front, tornado, Sobol' indices, scatter.

Self-contained and offline, in the report's style (:mod:`viz.study`).  The
figures a design cannot give are left out with a line saying why: a tornado
needs a one-at-a-time study, Sobol' indices a Saltelli one.
"""

import html

import numpy as np

from constellations.present.study_tables import (
    HEADLINE,
    REASONS_TABLE,
    SENSES,
    SOBOL,
    TORNADO,
    flat,
    headline_rows,
    reason_rows,
    sobol_rows,
    sobol_table,
    tornado_bars,
    tornado_rows,
)


def _labels(data, parameters) -> list[str]:
    columns = [np.asarray(data[p].values) for p in parameters]
    return [
        "<br>".join(f"{p} = {c[i]}" for p, c in zip(parameters, columns, strict=True))
        for i in range(data.sizes["sample"])
    ]


def _reasons(data, reasons) -> list[str]:
    codes = np.asarray(data["reason"].values)
    return ["" if code == 0 else reasons[code] for code in codes]


def _title(name: str) -> str:
    """An output's chart title: what it is, in words, and its unit."""
    from constellations.model.study import OUTPUTS

    unit, what = OUTPUTS[name]
    return f"{what[0].upper()}{what[1:]} ({unit})"


def _sweep_charts(dataset, study, x_path: str, outputs, units) -> list:
    """One chart an output against the swept parameter ``x_path``: a line for every
    combination of the other parameters' values, the study's marks behind."""
    import itertools

    from viz import study as figures

    others = [p.path for p in study.file.parameters if p.path != x_path]
    combos = list(itertools.product(*[list(dataset[p].values) for p in others]))
    marks = [(m.label, m.low, m.high, m.source) for m in study.marks]
    x = np.asarray(dataset[x_path].values, dtype=float)
    charts = []
    for name in outputs:
        series = []
        for combo in combos:
            picked = dataset[name].sel(dict(zip(others, combo, strict=True)))
            label = ", ".join(str(v) for v in combo) or name
            series.append((label, np.asarray(picked.transpose(x_path).values, dtype=float)))
        charts.append(
            (
                f"{name} against {x_path}",
                figures.sweep_figure(
                    name, units.get(name, ""), x_path, x, series, marks, title=_title(name)
                ),
            )
        )
    return charts


def study_page_html(dataset, study, run=None, footer=None) -> str:
    """The page of a study's ``dataset`` (:func:`constellations.study.engine.run_study`)
    and its :class:`constellations.io.study.Study`; ``footer`` its ``(what, value)``
    lines (default :func:`constellations.present.report.package_facts`)."""
    from constellations.present.report import package_facts
    from studies.pareto import non_dominated
    from viz import study as figures
    from viz.report import format_number

    head = study.file.study
    parameters = [p.path for p in study.file.parameters]
    outputs = list(head.outputs)
    units = dataset.attrs.get("units", {})
    reasons = dataset.attrs.get("reasons", [])
    data = flat(dataset)
    closes = np.asarray(data["reason"].values) == 0
    notes = []
    charts = []

    swept = study.file.swept_parameter
    if swept is not None:
        charts.extend(_sweep_charts(dataset, study, swept.path, outputs, units))
    pareto = head.pareto_outputs
    if len(pareto) >= 2:
        values = np.stack([np.asarray(data[name].values, float) for name in pareto], axis=1)
        senses = [SENSES[name] for name in pareto]
        front = non_dominated(np.where(closes[:, None], values, np.nan), senses)
        charts.append(
            (
                "Pareto front: " + " against ".join(pareto),
                figures.pareto_figure(
                    values,
                    pareto,
                    [units.get(n, "") for n in pareto],
                    senses,
                    closes,
                    front,
                    _labels(data, parameters),
                    reasons=_reasons(data, reasons),
                ),
            )
        )
    if head.design == "one-at-a-time":
        for name in outputs:
            base, bars = tornado_bars(dataset, name)
            charts.append(
                (f"Tornado: {name}", figures.tornado_figure(name, units.get(name, ""), base, bars))
            )
    else:
        notes.append('The tornado needs a one-at-a-time study (design = "one-at-a-time").')
    if head.design == "saltelli":
        for name in outputs:
            indices = sobol_table(dataset, name, parameters, seed=head.seed)
            columns = list(zip(*indices.values(), strict=True))
            charts.append(
                (
                    f"Sobol' indices: {name}",
                    figures.sobol_figure(name, list(indices), *[np.asarray(c) for c in columns]),
                )
            )
    else:
        notes.append('Sobol\' indices need a Saltelli study (design = "saltelli").')
    numeric = {
        p: np.asarray(data[p].values, float)
        for p in parameters
        if np.issubdtype(np.asarray(data[p].values).dtype, np.number)
    }
    charts.append(
        (
            "Inputs against outputs",
            figures.scatter_matrix_figure(
                numeric, {n: np.asarray(data[n].values, float) for n in outputs}, closes
            ),
        )
    )
    summary = (
        f"<p>Study <b>{html.escape(head.name)}</b> of {html.escape(study.base_origin)}: "
        f"{data.sizes['sample']:,} designs ({html.escape(head.design)}), "
        f"{int(closes.sum()):,} of which close.</p>"
    )
    if run is not None:
        summary += (
            f"<p>{run.points_total} orbital design point(s); run {run.run_s:.1f} s on the "
            f"cluster (its start {run.cluster_start_s:.1f} s).</p>"
        )
    summary += "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    tables = [(HEADLINE.title, HEADLINE.records(headline_rows(dataset, outputs, parameters)))]
    if head.design == "one-at-a-time":
        tables.insert(0, (TORNADO.title, TORNADO.records(tornado_rows(dataset, outputs))))
    if head.design == "saltelli":
        rows = sobol_rows(dataset, outputs, parameters, seed=head.seed)
        tables.insert(0, (SOBOL.title, SOBOL.records(rows)))
    if study.marks:
        tables.append(
            (
                f"Marked on the charts ({swept.path})",
                [
                    {
                        "mark": m.label,
                        "at": format_number(m.low)
                        if m.low == m.high
                        else f"{format_number(m.low)}-{format_number(m.high)}",
                        "source": m.source or "",
                    }
                    for m in study.marks
                ],
            )
        )
    reason_list = reason_rows(dataset)
    if reason_list:
        tables.append((REASONS_TABLE.title, REASONS_TABLE.records(reason_list)))
    return figures.study_page(
        f"Study: {head.name}", summary, charts, tables, footer or package_facts()
    )

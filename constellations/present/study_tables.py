"""A study's results for people: the headline table, the tornado's swings, the Sobol' indices.

Everything here reads the study's ``xarray.Dataset`` (:func:`constellations.study.engine.run_study`)
and its study file; the terminal and the HTML page show the same rows.
"""

import math

import numpy as np

from constellations.present.tables import Column, Table

#: Whether a lower or a higher value of each output is better (the Pareto front's senses).
SENSES = {
    "kw_per_tonne": "max",
    "usd_per_pflop_day": "min",
    "space_to_ground_ratio": "min",
    "lcoc_usd_per_kw_year": "min",
    "installed_gw": "max",
    "uncontrolled_lifetime_days": "min",
    "longest_eclipse_min": "min",
    "largest_cluster_mw": "max",
    "propellant_kg_per_tonne_year": "min",
    "satellite_life_years": "max",
    "dose_rad_si_per_year": "min",
    "shielding_needed_mm_al": "min",
    "user_latency_ms": "min",
}


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}"
    return f"{value:.3g}"


HEADLINE = Table(
    "What the study found (5th, 50th and 95th percentiles of the designs that close)",
    (
        Column("output", lambda r: r["output"], "left"),
        Column("unit", lambda r: r["unit"], "left", drop_order=2),
        Column("5 %", lambda r: _number(r["p5"])),
        Column("median", lambda r: _number(r["p50"])),
        Column("95 %", lambda r: _number(r["p95"])),
        Column("closes", lambda r: f"{r['share_closing']:.0%}"),
        Column("best design", lambda r: r["best"], "left", drop_order=1),
    ),
)


def flat(dataset):
    """The dataset along one ``sample`` dimension (a grid's dimensions stacked)."""
    dims = [d for d in dataset.dims if d != "sample"]
    if dims and "sample" not in dataset.dims:
        return dataset.stack(sample=dims).reset_index("sample")
    return dataset


def _describe_point(sample, parameters) -> str:
    parts = []
    for path in parameters:
        value = sample[path].item() if hasattr(sample[path], "item") else sample[path]
        parts.append(f"{path}={_number(value) if isinstance(value, float) else value}")
    return ", ".join(parts)


def headline_rows(dataset, outputs, parameters) -> list[dict]:
    """One row an output: unit, percentiles over the designs that close, the share that
    close, and the best design (by the output's sense) with its parameters."""
    data = flat(dataset)
    reason = np.asarray(data["reason"].values)
    closes = reason == 0
    rows = []
    units = dataset.attrs.get("units", {})
    for name in outputs:
        values = np.asarray(data[name].values, dtype=float)
        good = closes & np.isfinite(values)
        if good.any():
            p5, p50, p95 = np.percentile(values[good], [5, 50, 95])
            pick = np.nanargmin if SENSES[name] == "min" else np.nanargmax
            masked = np.where(good, values, np.nan)
            best_index = int(pick(masked))
            best = _describe_point(data.isel(sample=best_index), parameters)
        else:
            p5 = p50 = p95 = math.nan
            best = "no design closes"
        rows.append(
            dict(
                output=name,
                unit=units.get(name, ""),
                p5=p5,
                p50=p50,
                p95=p95,
                share_closing=float(closes.mean()) if closes.size else 0.0,
                best=best,
            )
        )
    return rows


def reason_rows(dataset) -> list[tuple[str, int]]:
    """``(reason, samples)`` of every reason a design did not close, most frequent first."""
    data = flat(dataset)
    codes = np.asarray(data["reason"].values).ravel()
    reasons = dataset.attrs.get("reasons", [])
    counts = np.bincount(codes[codes > 0], minlength=len(reasons))
    return sorted(
        ((reasons[k], int(c)) for k, c in enumerate(counts) if c > 0), key=lambda r: -r[1]
    )


REASONS_TABLE = Table(
    "Designs that do not close, by reason",
    (Column("reason", lambda r: r[0], "left"), Column("samples", lambda r: f"{r[1]:,}")),
)


#: The labels a one-at-a-time design gives its swings (constellations.model.study_points).
_SIDES = ("low", "high")


def tornado_bars(dataset, output: str) -> tuple[float, list[tuple]]:
    """``(base value, bars)`` of a one-at-a-time study: a bar a parameter,
    ``(path, low input, high input, output at low, output at high)``, widest swing first."""
    labels = [tuple(label) for label in dataset.attrs.get("labels", [])]
    values = np.asarray(dataset[output].values, dtype=float)
    base = float(values[labels.index(("base", "base"))]) if ("base", "base") in labels else math.nan
    bars = {}
    for row, (path, side) in enumerate(labels):
        if path == "base":
            continue
        bars.setdefault(path, {})[side] = (float(dataset[path].values[row]), float(values[row]))
    low_side, high_side = _SIDES
    result = []
    for path, sides in bars.items():
        if set(sides) == set(_SIDES):
            (low, at_low), (high, at_high) = sides[low_side], sides[high_side]
            result.append((path, low, high, at_low, at_high))
    result.sort(key=lambda b: -abs(b[4] - b[3]) if math.isfinite(b[4] - b[3]) else 0.0)
    return base, result


def sobol_table(dataset, output: str, parameters, resamples: int = 200, seed: int = 0):
    """The Sobol' indices of ``output`` from a Saltelli study: ``{path: (S1, S1 low, S1 high,
    ST, ST low, ST high)}`` with bootstrap 95 % intervals; rows that do not close are
    dropped (:func:`studies.sobol.sobol_indices`)."""
    from studies.sobol import sobol_indices

    values = np.asarray(dataset[output].values, dtype=float)
    found = sobol_indices(values, len(parameters), resamples=resamples, seed=seed)
    return {
        path: (
            float(found.first[k]),
            float(found.first_low[k]),
            float(found.first_high[k]),
            float(found.total[k]),
            float(found.total_low[k]),
            float(found.total_high[k]),
        )
        for k, path in enumerate(parameters)
    }


TORNADO = Table(
    "What moves each output: each input from its 5th to its 95th percentile, the rest at "
    "their medians",
    (
        Column("output", lambda r: r[0], "left"),
        Column("input", lambda r: r[1], "left"),
        Column("low", lambda r: _number(r[2])),
        Column("high", lambda r: _number(r[3])),
        Column("output at low", lambda r: _number(r[4])),
        Column("output at high", lambda r: _number(r[5])),
        Column("swing", lambda r: _number(r[5] - r[4])),
    ),
)


def tornado_rows(dataset, outputs) -> list[tuple]:
    """``(output, input, low, high, output at low, output at high)`` of a one-at-a-time
    study, each output's inputs widest swing first."""
    return [(name, *bar) for name in outputs for bar in tornado_bars(dataset, name)[1]]


def _interval(value: float, low: float, high: float) -> str:
    return f"{_number(value)} [{_number(low)}, {_number(high)}]"


SOBOL = Table(
    "Sobol' indices: the share of each output's variance an input explains, alone (first "
    "order) and with its interactions (total); 95 % bootstrap intervals",
    (
        Column("output", lambda r: r[0], "left"),
        Column("input", lambda r: r[1], "left"),
        Column("first order", lambda r: _interval(*r[2][:3])),
        Column("total", lambda r: _interval(*r[2][3:])),
    ),
)


def sobol_rows(dataset, outputs, parameters, seed: int = 0) -> list[tuple]:
    """``(output, input, (S1, low, high, ST, low, high))`` of a Saltelli study, each
    output's inputs by total order, largest first."""
    rows = []
    for name in outputs:
        found = sobol_table(dataset, name, parameters, seed=seed)
        ordered = sorted(found.items(), key=lambda kv: -kv[1][3] if math.isfinite(kv[1][3]) else 0)
        rows.extend((name, path, values) for path, values in ordered)
    return rows


def print_study(dataset, study_file, run=None) -> None:
    """The headline table, and the reasons designs did not close, on stdout."""
    from constellations.present.terminal import console, rich_table

    outputs = study_file.study.outputs
    parameters = [p.path for p in study_file.parameters]
    notes = []
    if run is not None:
        kept = (
            f" (the rest from the store {run.store})"
            if run.chunks_computed < run.chunks_total or run.points_computed < run.points_total
            else ""
        )
        notes.append(
            f"{run.chunks_computed} of {run.chunks_total} chunks and {run.points_computed} of "
            f"{run.points_total} orbital design points computed in {run.run_s:.1f} s{kept}; "
            f"cluster start {run.cluster_start_s:.1f} s; tasks busy {run.busy_share:.0%} of "
            "the workers' time"
        )
    out = console()
    if study_file.study.design == "one-at-a-time":
        out.print(rich_table(TORNADO, tornado_rows(dataset, outputs)))
    if study_file.study.design == "saltelli":
        rows = sobol_rows(dataset, outputs, parameters, seed=study_file.study.seed)
        out.print(rich_table(SOBOL, rows))
    out.print(rich_table(HEADLINE, headline_rows(dataset, outputs, parameters), notes))
    reasons = reason_rows(dataset)
    if reasons:
        out.print(rich_table(REASONS_TABLE, reasons))

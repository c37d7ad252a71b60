"""A trade study's figures and page, from plain arrays: an output against the swept
parameter, the Pareto front, a tornado chart, Sobol' indices and a scatter matrix of
inputs against outputs.

Every function takes NumPy-like arrays and labels (no planner types) and returns a
plotly figure, except :func:`study_page`, which returns the page's HTML (through
:func:`viz.report.report_html`, so plotly.js is embedded once and the page works
offline).  Designs that did not close carry NaN outputs; every figure leaves them
off its axes and says how many there were instead of failing.

Large studies are thinned deterministically (a seeded sample of rows, the same for
every run of the same study): a seeded draw rather than every m-th row, because a
grid study's rows repeat with a period that a fixed stride could alias, keeping one
level of a parameter and losing the others.  A figure that shows a sample says so
in its title.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import numpy as np

#: Seed of the deterministic sample of rows drawn when a figure would hold too many points.
SAMPLE_SEED = 16
#: Markers a figure draws as SVG at most; above this, 2D scatters use WebGL (``scattergl``),
#: which stays fast for a hundred thousand markers where SVG takes seconds.
SVG_MARKERS = 20_000

FRONT_COLOUR = "#1f4e79"
DOMINATED_COLOUR = "#9e9e9e"
DOMINATED_OPACITY = 0.35
NOT_CLOSED_COLOUR = "#D55E00"
NO_VALUE_COLOUR = "#56B4E9"
LOW_COLOUR = "#4c72b0"
HIGH_COLOUR = "#dd8452"
#: Strip categories of the Pareto figure, for designs not on its axes.
NOT_CLOSED = "did not close"
NO_VALUE = "no value"


def _sample(rows: np.ndarray, limit: int) -> np.ndarray:
    """``rows`` (sorted indices), or a seeded sample of ``limit`` of them, still sorted."""
    if rows.size <= limit:
        return rows
    rng = np.random.default_rng(SAMPLE_SEED)
    return np.sort(rng.choice(rows, size=max(0, int(limit)), replace=False))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _with_unit(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def _text(value) -> str:
    """A value for a label: numbers to four significant digits, anything else as written."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return "no value" if math.isnan(value) else f"{float(value):,.4g}"
    return str(value)


def _none_for_nan(values) -> list:
    return [None if not math.isfinite(v) else float(v) for v in np.asarray(values, dtype=float)]


def _message_figure(message: str, title: str, height: int = 300):
    """A figure that only says ``message`` (nothing to draw)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.add_annotation(
        text=html.escape(message),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16},
    )
    figure.update_layout(
        title=title, height=height, xaxis={"visible": False}, yaxis={"visible": False}
    )
    return figure


def _vector(name: str, values, n: int, dtype=None) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if array.shape != (n,):
        raise ValueError(f"{name} has shape {array.shape}: give one value per design, ({n},)")
    return array


# ---------------------------------------------------------------- an output against a sweep

#: Okabe and Ito's colour-blind-safe palette (Color Universal Design, 2008), the series'
#: colours in order.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
MARK_COLOUR = "#7f7f7f"
#: A sweep's y axis turns logarithmic when its positive values span more than this ratio.
LOG_AXIS_RATIO = 100.0


def sweep_figure(
    name: str,
    unit: str,
    x_name: str,
    x_values,
    series: Sequence[tuple[str, object]],
    marks: Sequence[tuple[str, float, float, str | None]] = (),
    title: str | None = None,
):
    """One output against the swept parameter: a line per series, the marks in a strip below.

    ``x_values`` ``(m,)``; ``series`` ``(label, y (m,))`` pairs, NaN where the design
    does not close (a gap in the line) and inf beyond the scale (a triangle at the top
    of the finite values, in the series' colour); ``marks`` ``(label, low, high,
    source)``, each on its own row of a strip under the chart sharing its x axis: a bar
    from ``low`` to ``high``, a dot where they are equal, the source on hover.  The y
    axis is logarithmic when the positive values span more than :data:`LOG_AXIS_RATIO`.
    Raises ValueError when a series' length is not ``m``.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    x = np.asarray(x_values, dtype=float)
    rows = 2 if marks else 1
    plot_px, strip_px = 340, 18 * len(marks) + 16
    figure = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=40 / (plot_px + strip_px),
        row_heights=[plot_px, strip_px] if marks else [1.0],
    )
    every = []
    for k, (label, y) in enumerate(series):
        y = _vector(f"series {label!r}", y, x.size, dtype=float)
        every.append(y[np.isfinite(y)])
        figure.add_trace(
            go.Scatter(
                x=x,
                y=_none_for_nan(y),
                name=str(label),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[k % len(SERIES_COLOURS)], "width": 2},
                marker={"size": 5},
                connectgaps=False,
                hovertemplate=f"{html.escape(str(label))}<br>{html.escape(x_name)} = %{{x:,.4g}}"
                f"<br>{html.escape(name)} = %{{y:,.4g}} {html.escape(unit)}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    finite = np.concatenate(every) if every else np.array([])
    positive = finite[finite > 0]
    log_axis = positive.size > 1 and positive.max() / positive.min() > LOG_AXIS_RATIO
    top = float(finite.max()) if finite.size else 1.0
    for k, (label, y) in enumerate(series):
        beyond = np.isposinf(np.asarray(y, dtype=float))
        if beyond.any():  # off the scale: a triangle at the top, not a silent gap
            figure.add_trace(
                go.Scatter(
                    x=x[beyond],
                    y=np.full(int(beyond.sum()), top),
                    name=f"{label}: beyond the scale",
                    mode="markers",
                    marker={
                        "symbol": "triangle-up",
                        "size": 9,
                        "color": SERIES_COLOURS[k % len(SERIES_COLOURS)],
                    },
                    showlegend=False,
                    hovertemplate=f"{html.escape(str(label))}<br>{html.escape(x_name)} = "
                    f"%{{x:,.4g}}<br>{html.escape(name)} beyond the scale (inf)<extra></extra>",
                ),
                row=1,
                col=1,
            )
    labels = [label for label, *_ in marks]
    for label, low, high, source in marks:
        figure.add_trace(
            go.Scatter(
                x=[low, high] if high > low else [low],
                y=[label, label] if high > low else [label],
                mode="lines+markers",
                line={"color": MARK_COLOUR, "width": 6},
                marker={"color": MARK_COLOUR, "size": 8},
                showlegend=False,
                hovertemplate=html.escape(f"{label}: {source or ''}")
                + f"<br>{html.escape(x_name)} %{{x:,.4g}}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    span = float(np.nanmax(x) - np.nanmin(x)) if x.size else 1.0
    x_range = [float(np.nanmin(x)) - 0.02 * span, float(np.nanmax(x)) + 0.02 * span]
    figure.update_layout(
        title=title or _with_unit(name, unit),
        height=plot_px + (strip_px + 40 if marks else 0) + 140,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        margin={"t": 70},
    )
    figure.update_yaxes(title_text=unit or name, type="log" if log_axis else "linear", row=1, col=1)
    figure.update_xaxes(range=x_range)
    figure.update_xaxes(title_text=x_name, row=rows, col=1)
    if marks:
        figure.update_yaxes(
            categoryorder="array", categoryarray=labels[::-1], row=2, col=1, tickfont={"size": 10}
        )
    return figure


# ---------------------------------------------------------------- the Pareto front


def pareto_figure(
    values,
    names: Sequence[str],
    units: Sequence[str],
    senses: Sequence[str],
    closes,
    front,
    labels,
    *,
    reasons=None,
    title: str = "Pareto front",
    max_points: int = 5000,
):
    """The Pareto front of two or three outputs among the designs that close.

    ``values`` ``(n, k)``, ``k`` = 2 or 3, in ``units`` (one string per column,
    ``""`` for none); ``names`` and ``senses`` (``"min"``: lower is better,
    ``"max"``) one per column.  ``closes`` ``(n,)`` bool: the design closed;
    ``front`` ``(n,)`` bool: the non-dominated set among the closing designs
    (:func:`studies.pareto.non_dominated` on their rows); ``labels`` ``(n,)``
    str: each design's hover text (its inputs, say); ``reasons`` ``(n,)`` str or
    None: why a design did not close, added to its hover text.

    Encoding: the front is drawn bold (dark, large markers; in 2D joined in order
    of the first output), dominated designs faded (grey, translucent), and designs
    that did not close, or closed without a value for a plotted output, apart: in
    a strip below the plot against their design number, since they have no place
    on the axes.  Every marker's ``customdata`` is its row in ``values``.  At most
    ``max_points`` designs are drawn on the axes: the whole front if it fits (else a
    seeded sample of it), then a seeded sample of the dominated designs in the room
    left; the title says when it samples.  Each strip row holds at most
    ``max_points`` designs too.

    Three outputs are drawn as a 3D scatter rather than two axes and a colour: the
    non-dominated set of three outputs is a surface, and only in 3D does it read
    as a front (projected on two axes, front designs fall among dominated ones and
    a colour scale cannot show which lie behind).  Its WebGL point count is kept to
    ``max_points``.

    With no closing design the figure says so (and still shows the strip).
    Raises ``ValueError`` for ``k`` outside 2..3, labels or masks of another
    length than ``n``, or a front design that does not close.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] not in (2, 3):
        raise ValueError(
            f"values have shape {values.shape}: give (designs, outputs) with 2 or 3 outputs"
        )
    n, k = values.shape
    for what, given in (("names", names), ("units", units), ("senses", senses)):
        if len(given) != k:
            raise ValueError(f"{what} has {len(given)} entries for {k} outputs: give one each")
    for column, sense in enumerate(senses):
        if sense not in ("min", "max"):
            raise ValueError(f"senses[{column}] = {sense!r}: give 'min' or 'max'")
    closes = _vector("closes", closes, n, bool)
    front = _vector("front", front, n, bool)
    labels = [str(v) for v in _vector("labels", labels, n, object)]
    reasons = None if reasons is None else [str(v) for v in _vector("reasons", reasons, n, object)]
    if (front & ~closes).any():
        raise ValueError(
            f"front marks {int((front & ~closes).sum())} designs that do not close: "
            "take the front among the closing designs only"
        )

    finite = ~np.isnan(values).any(axis=1)
    drawn = closes & finite
    front_rows = np.flatnonzero(front & drawn)
    dominated_rows = np.flatnonzero(drawn & ~front)
    shown_front = _sample(front_rows, max_points)
    shown_dominated = _sample(dominated_rows, max(0, max_points - shown_front.size))
    not_closed = np.flatnonzero(~closes)
    no_value = np.flatnonzero(closes & ~finite)

    heading = f"{title}<br><sup>" + (
        f"{front_rows.size:,} of {_count(int(closes.sum()), 'design')} that close "
        f"{'is' if front_rows.size == 1 else 'are'} on the front"
        if drawn.any()
        else "No design closes: there is no front to draw"
    )
    if not_closed.size:
        heading += f"; {_count(not_closed.size, 'design')} did not close"
    if no_value.size:
        heading += f"; {no_value.size:,} closed without a value for {' or '.join(names)}"
    if shown_front.size < front_rows.size or shown_dominated.size < dominated_rows.size:
        heading += (
            f"; showing a sample of {shown_front.size + shown_dominated.size:,} of "
            f"{front_rows.size + dominated_rows.size:,}"
        )
    heading += "</sup>"

    if n == 0:
        return _message_figure("No designs to compare", heading)

    axis_titles = [
        f"{_with_unit(name, unit)}, {'lower' if sense == 'min' else 'higher'} is better"
        for name, unit, sense in zip(names, units, senses, strict=True)
    ]
    template = "design %{customdata}<br>%{hovertext}"
    for name, unit, axis in zip(names, units, "xyz", strict=False):
        template += f"<br>{html.escape(name)}: %{{{axis}:.4~g}} {html.escape(unit)}"
    template += "<extra>%{fullData.name}</extra>"

    apart = not_closed.size or no_value.size
    main = "scene" if k == 3 else "xy"
    if not drawn.any():
        # Only the strip: the title says that no design closes.
        figure = make_subplots(rows=1, cols=1)
        strip_row = 1
    elif apart:
        figure = make_subplots(
            rows=2,
            cols=1,
            row_heights=[0.85, 0.15] if k == 3 else [0.8, 0.2],
            vertical_spacing=0.12,
            specs=[[{"type": main}], [{"type": "xy"}]],
        )
        strip_row = 2
    else:
        figure = make_subplots(rows=1, cols=1, specs=[[{"type": main}]])
        strip_row = None

    if drawn.any():

        def points(rows, **style):
            coordinates = dict(zip("xyz", values[rows].T, strict=False))
            trace = go.Scatter3d if k == 3 else go.Scatter
            return trace(
                **coordinates,
                customdata=rows,
                hovertext=[labels[r] for r in rows],
                hovertemplate=template,
                **style,
            )

        # Dominated first, so the front is drawn over them.
        if shown_dominated.size:
            figure.add_trace(
                points(
                    shown_dominated,
                    name="dominated",
                    mode="markers",
                    opacity=DOMINATED_OPACITY,
                    marker={"color": DOMINATED_COLOUR, "size": 3 if k == 3 else 6},
                ),
                row=1,
                col=1,
            )
        if k == 2:
            ordered = shown_front[np.lexsort(values[shown_front].T[::-1])]
            front_trace = points(
                ordered,
                name="Pareto front",
                mode="lines+markers",
                opacity=1.0,
                line={"color": FRONT_COLOUR, "width": 2.5},
                marker={"color": FRONT_COLOUR, "size": 10, "line": {"color": "white", "width": 1}},
            )
        else:
            front_trace = points(
                shown_front,
                name="Pareto front",
                mode="markers",
                opacity=1.0,
                marker={"color": FRONT_COLOUR, "size": 5},
            )
        figure.add_trace(front_trace, row=1, col=1)
        if k == 3:
            figure.update_scenes(
                xaxis_title=axis_titles[0],
                yaxis_title=axis_titles[1],
                zaxis_title=axis_titles[2],
                # Further out than plotly's default eye (1.25): room for the axis titles.
                camera={"eye": {"x": 1.7, "y": 1.7, "z": 1.1}},
            )
        else:
            figure.update_xaxes(title_text=axis_titles[0], row=1, col=1)
            figure.update_yaxes(title_text=axis_titles[1], row=1, col=1)

    if strip_row is not None:
        for category, rows, colour, symbol in (
            (NOT_CLOSED, not_closed, NOT_CLOSED_COLOUR, "x"),
            (NO_VALUE, no_value, NO_VALUE_COLOUR, "circle-open"),
        ):
            if not rows.size:
                continue
            rows = _sample(rows, max_points)
            if category == NOT_CLOSED:
                hover = [
                    f"{labels[r]}<br>did not close"
                    + (f": {reasons[r]}" if reasons is not None and reasons[r] else "")
                    for r in rows
                ]
            else:
                hover = [f"{labels[r]}<br>closed, but without a value to plot" for r in rows]
            figure.add_trace(
                go.Scatter(
                    x=rows,
                    y=[category] * rows.size,
                    customdata=rows,
                    hovertext=hover,
                    hovertemplate="design %{customdata}<br>%{hovertext}<extra></extra>",
                    mode="markers",
                    name=category,
                    marker={"color": colour, "symbol": symbol, "size": 8},
                ),
                row=strip_row,
                col=1,
            )
        figure.update_xaxes(title_text="design number", row=strip_row, col=1)
        figure.update_yaxes(type="category", row=strip_row, col=1)

    figure.update_layout(
        title=heading,
        height=(720 if k == 3 else 560) + (80 if apart else 0) if drawn.any() else 320,
        legend={"orientation": "h", "y": -0.12},
    )
    return figure


# ---------------------------------------------------------------- tornado


def tornado_figure(
    output_name: str,
    unit: str,
    base_value: float,
    bars: Sequence[tuple],
    *,
    title: str | None = None,
):
    """How far one output swings as each parameter goes from its low to its high value.

    ``base_value`` is the output at the base design, in ``unit``; ``bars`` one
    tuple per parameter: ``(parameter label, low input, high input, output at
    low, output at high)``, outputs in ``unit`` (NaN where that design did not
    close), inputs in the parameter's own unit (numbers or choices).  Each
    parameter gets a bar from the base value to its output at the low input and
    one to its output at the high input, labelled with those inputs; parameters
    are sorted by swing ``|high - low|``, the largest at the top, those with a
    missing output last.  A vertical line marks the base value.  When the base
    design has no value the bars start at the lowest output given, and the title
    says so.  With no parameter the figure says so.
    """
    import plotly.graph_objects as go

    heading = title or f"Tornado: {_with_unit(output_name, unit)}"
    if not bars:
        return _message_figure("No parameter was swung", heading)
    rows = [tuple(bar) for bar in bars]
    for row in rows:
        if len(row) != 5:
            raise ValueError(
                f"tornado bar {row!r}: give (label, low input, high input, output at low, "
                "output at high)"
            )
    low_out = np.array([float(r[3]) for r in rows])
    high_out = np.array([float(r[4]) for r in rows])
    swing = np.abs(high_out - low_out)
    order = sorted(range(len(rows)), key=lambda i: (math.isnan(swing[i]), -np.nan_to_num(swing[i])))

    base = float(base_value)
    note = ""
    if not math.isfinite(base):
        finite = np.concatenate([low_out, high_out])
        finite = finite[np.isfinite(finite)]
        base = float(finite.min()) if finite.size else 0.0
        note = "<br><sup>the base design has no value: bars start at the lowest output</sup>"
    else:
        note = f"<br><sup>base {_text(base)} {html.escape(unit)}</sup>"

    categories = [f"{rows[i][0]}: {_text(rows[i][1])} to {_text(rows[i][2])}" for i in order]
    figure = go.Figure()
    for side, column, inputs, colour in (
        ("low input", low_out, 1, LOW_COLOUR),
        ("high input", high_out, 2, HIGH_COLOUR),
    ):
        outputs = column[order]
        figure.add_trace(
            go.Bar(
                y=categories,
                x=_none_for_nan(outputs - base),
                base=base,
                orientation="h",
                name=f"at its {side}",
                marker={"color": colour},
                text=[f"{_text(rows[i][inputs])}" for i in order],
                textposition="auto",
                customdata=[_text(v) for v in outputs],
                hovertemplate=(
                    f"%{{y}}<br>{side} %{{text}}: {html.escape(output_name)} "
                    f"%{{customdata}} {html.escape(unit)}<extra></extra>"
                ),
            )
        )
    figure.add_vline(x=base, line={"color": "#333", "width": 1.5})
    figure.update_layout(
        title=heading + note,
        barmode="group",
        xaxis_title=_with_unit(output_name, unit),
        yaxis={"autorange": "reversed", "automargin": True},
        height=200 + 44 * len(rows),
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


# ---------------------------------------------------------------- Sobol' indices


def sobol_figure(
    output_name: str,
    parameters: Sequence[str],
    s1,
    s1_low,
    s1_high,
    st,
    st_low,
    st_high,
    *,
    confidence: float = 0.95,
    title: str | None = None,
):
    """First- and total-order Sobol' indices of one output, as grouped bars with intervals.

    Every array has shape ``(d,)``, one value per name in ``parameters``: the
    indices ``s1`` and ``st`` (shares of the output's variance, dimensionless,
    as :class:`studies.sobol.SobolIndices` gives them for one output) and their
    interval bounds at ``confidence``.  Error bars run from each bound to the
    estimate; a percentile bootstrap interval can miss its own estimate (a biased
    estimator), and then the bar on that side is empty and the hover text gives
    the interval.  Parameters are sorted by total order, largest first (NaN
    last).  NaN indices (an output that does not vary, or too few designs that
    closed) draw no bar; if every index is NaN the figure says so.
    Raises ``ValueError`` for arrays of another length than ``parameters``.
    """
    import plotly.graph_objects as go

    d = len(parameters)
    arrays = {}
    for what, given in (
        ("s1", s1),
        ("s1_low", s1_low),
        ("s1_high", s1_high),
        ("st", st),
        ("st_low", st_low),
        ("st_high", st_high),
    ):
        arrays[what] = _vector(what, given, d, float)
    heading = title or f"Sobol' indices: {output_name}"
    if d == 0 or np.isnan(arrays["s1"]).all() and np.isnan(arrays["st"]).all():
        return _message_figure(
            "Indices undefined: the output does not vary among the designs that closed, "
            "or too few designs closed",
            heading,
        )
    order = sorted(
        range(d), key=lambda i: (math.isnan(arrays["st"][i]), -np.nan_to_num(arrays["st"][i]))
    )
    names = [str(parameters[i]) for i in order]
    percent = f"{100 * confidence:g}%"
    figure = go.Figure()
    for key, name, colour in (
        ("s1", "first order S1", LOW_COLOUR),
        ("st", "total order ST", HIGH_COLOUR),
    ):
        value, low, high = (
            arrays[key][order],
            arrays[f"{key}_low"][order],
            arrays[f"{key}_high"][order],
        )
        with np.errstate(invalid="ignore"):
            plus, minus = np.maximum(high - value, 0.0), np.maximum(value - low, 0.0)
        figure.add_trace(
            go.Bar(
                x=names,
                y=_none_for_nan(value),
                name=name,
                marker={"color": colour},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": _none_for_nan(plus),
                    "arrayminus": _none_for_nan(minus),
                    "color": "#333",
                    "thickness": 1.5,
                },
                customdata=[[_text(lo), _text(hi)] for lo, hi in zip(low, high, strict=True)],
                hovertemplate=(
                    f"%{{x}}<br>{name} %{{y:.3f}}<br>{percent} interval "
                    "%{customdata[0]} to %{customdata[1]}<extra></extra>"
                ),
            )
        )
    bounds = np.concatenate([arrays[key] for key in arrays])
    bounds = bounds[np.isfinite(bounds)]
    figure.update_layout(
        title=f"{heading}<br><sup>bars: estimates; whiskers: {percent} bootstrap intervals</sup>",
        barmode="group",
        yaxis={
            "title": "share of the output's variance",
            "range": [min(0.0, float(bounds.min())) - 0.02, max(1.0, float(bounds.max())) + 0.02],
        },
        height=420,
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


# ---------------------------------------------------------------- scatter matrix


def scatter_matrix_figure(
    inputs: Mapping[str, object],
    outputs: Mapping[str, object],
    closes,
    max_points: int = 5000,
    *,
    title: str = "Inputs against outputs",
):
    """A grid of small scatter plots: each input (columns, on x) against each output (rows, on y).

    ``inputs`` and ``outputs`` map a label (with its unit, as it should read) to
    values ``(n,)``, one per design (inputs may be numbers or choices; outputs are
    numbers, NaN where a design has none); ``closes`` ``(n,)`` bool colours the
    designs that closed apart from those that did not.  Above ``max_points``
    designs a seeded sample of ``max_points`` rows is drawn (the same rows in
    every cell) and the title says so.  Above :data:`SVG_MARKERS` markers in all,
    the cells are WebGL scatters.  With no input, no output or no design the
    figure says so.  Raises ``ValueError`` for arrays of another length than
    ``closes``.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    closes = np.asarray(closes, dtype=bool)
    if closes.ndim != 1:
        raise ValueError(f"closes has shape {closes.shape}: give one flag per design, (n,)")
    n = closes.size
    columns = {label: _vector(f"inputs[{label!r}]", v, n) for label, v in inputs.items()}
    rows = {label: _vector(f"outputs[{label!r}]", v, n, float) for label, v in outputs.items()}
    if not columns or not rows or n == 0:
        missing = "designs" if n == 0 else "inputs" if not columns else "outputs"
        return _message_figure(f"No {missing} to plot", title)

    kept = _sample(np.arange(n), max_points)
    notes = []
    if kept.size < n:
        notes.append(f"a sample of {kept.size:,} of {n:,} designs")
    if not closes.all():
        notes.append(
            f"{_count(int((~closes).sum()), 'design')} did not close (x where it has a value)"
        )
    heading = title + (f"<br><sup>{'; '.join(notes)}</sup>" if notes else "")
    cells = len(columns) * len(rows)
    trace = go.Scattergl if kept.size * cells > SVG_MARKERS else go.Scatter
    figure = make_subplots(
        rows=len(rows),
        cols=len(columns),
        shared_xaxes="columns",
        shared_yaxes="rows",
        horizontal_spacing=min(0.04, 0.5 / len(columns)),
        vertical_spacing=min(0.06, 0.5 / len(rows)),
    )
    groups = (
        ("closes", kept[closes[kept]], FRONT_COLOUR, "circle"),
        (NOT_CLOSED, kept[~closes[kept]], NOT_CLOSED_COLOUR, "x"),
    )
    for r, (out_label, out_values) in enumerate(rows.items(), start=1):
        for c, (in_label, in_values) in enumerate(columns.items(), start=1):
            for name, subset, colour, symbol in groups:
                figure.add_trace(
                    trace(
                        x=in_values[subset],
                        y=out_values[subset],
                        mode="markers",
                        name=name,
                        legendgroup=name,
                        showlegend=r == 1 and c == 1,
                        marker={"color": colour, "symbol": symbol, "size": 4, "opacity": 0.6},
                        hovertemplate=(
                            f"{html.escape(in_label)}: %{{x}}<br>{html.escape(out_label)}: "
                            "%{y:.4~g}<extra>%{fullData.name}</extra>"
                        ),
                    ),
                    row=r,
                    col=c,
                )
            if r == len(rows):
                figure.update_xaxes(title_text=in_label, row=r, col=c)
            if c == 1:
                figure.update_yaxes(title_text=out_label, row=r, col=c)
    figure.update_layout(
        title=heading,
        height=140 + 200 * len(rows),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return figure


# ---------------------------------------------------------------- the page


def study_page(
    title: str,
    summary_html: str,
    figures: Sequence[tuple[str, object]],
    tables: Sequence[tuple[str, list[dict]]],
    footer: Sequence[tuple[str, str]] = (),
) -> str:
    """The study's self-contained HTML page (text; the caller writes it).

    ``summary_html`` is HTML written by the caller, put in as it is under
    "Summary" (empty: no summary); ``tables`` are ``(caption, rows)``, rows as
    :func:`viz.report.table_html` takes them (dicts with the same keys; values
    escaped); ``figures`` ``(heading, plotly figure)``; ``footer`` ``(what, value)``
    pairs (:func:`viz.report.footer_html`).  The summary and tables come first, then
    the figures, through :func:`viz.report.report_html`, the plan report's layout:
    plotly.js is embedded once and nothing is loaded from the network.
    """
    from viz.report import report_html, table_html

    sections = [("Summary", summary_html)] if summary_html else []
    for caption, rows in tables:
        sections.append((caption, table_html(list(rows), name=caption) or "<p>No rows.</p>"))
    return report_html(title, sections, list(figures), footer=footer)

"""The charts designers read, as plotly figures from plain arrays."""

import numpy as np


def _plane_day_heatmap(
    day_of_year, plane_labels, values, *, title: str, unit: str, quantity: str = "", **heatmap
):
    """Values ``(n_planes, n_days)`` per plane and day of the year, as a heatmap;
    ``quantity`` names the value in the hover text."""
    import plotly.graph_objects as go

    figure = go.Figure(
        go.Heatmap(
            z=np.round(np.asarray(values, dtype=float), 2),
            x=list(day_of_year),
            y=list(plane_labels),
            colorbar={"title": unit},
            hovertemplate=f"day %{{x}}<br>%{{y}}<br>{quantity}%{{z}} {unit}<extra></extra>",
            **heatmap,
        )
    )
    figure.update_layout(title=title, xaxis_title="day of year", yaxis_title="plane", height=420)
    return figure


def eclipse_heatmap(day_of_year, plane_labels, eclipse_min, *, title: str):
    """Longest eclipse (minutes) per day for every plane: a heatmap, planes by days.

    ``eclipse_min`` ``(n_planes, n_days)``; ``day_of_year`` ``(n_days,)``.
    """
    return _plane_day_heatmap(
        day_of_year, plane_labels, eclipse_min, title=title, unit="min", colorscale="Viridis"
    )


def beta_heatmap(day_of_year, plane_labels, beta_deg, *, title: str, limit_deg: float):
    """Beta angle (degrees) per day for every plane: a heatmap, planes by days.

    ``beta_deg`` ``(n_planes, n_days)``.  A plane can see eclipses only while
    ``|beta|`` is below ``limit_deg`` (the Earth's angular radius from the
    orbit); the colour scale turns from grey to colour at that limit.
    """
    edge = min(limit_deg / 90.0, 1.0) / 2.0
    return _plane_day_heatmap(
        day_of_year,
        plane_labels,
        beta_deg,
        title=f"{title}<br><sup>grey: |beta| below {limit_deg:.1f} deg, where eclipses occur</sup>",
        unit="deg",
        quantity="beta ",
        zmin=-90.0,
        zmax=90.0,
        # Colour only where |beta| >= the limit (always sunlit); grey where eclipses occur.
        colorscale=[
            [0.0, "#08306b"],
            [0.5 - edge, "#6baed6"],
            [0.5 - edge, "#bdbdbd"],
            [0.5 + edge, "#bdbdbd"],
            [0.5 + edge, "#fdae6b"],
            [1.0, "#7f2704"],
        ],
    )


def fleet_sunlight(t_min, series: dict, *, title: str):
    """Shares of the fleet in sunlight over one orbit (``series``: label -> ``(n_t,)`` 0..1).

    None in a series (no working satellite at that step) leaves a gap.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for label, values in series.items():
        y = [None if v is None else round(float(v), 5) for v in values]
        figure.add_trace(go.Scatter(x=list(t_min), y=y, name=label))
    figure.update_layout(
        title=title,
        xaxis_title="minutes from the epoch",
        yaxis_title="share",
        yaxis_range=[0, 1.02],
        height=380,
    )
    return _safe(figure)


def stacked_bars(categories, stacks: dict, *, title: str, unit: str):
    """Stacked bars: ``stacks`` maps a part to its values, one per category."""
    import plotly.graph_objects as go

    from viz.palette import series_colours, series_pattern

    colours = series_colours(len(stacks))
    figure = go.Figure()
    for k, (part, values) in enumerate(stacks.items()):
        marker = {"color": colours[k]}
        pattern = series_pattern(k, len(stacks))
        if pattern:
            marker["pattern"] = {"shape": pattern}
        figure.add_trace(
            go.Bar(x=list(categories), y=np.round(values, 3), name=part, marker=marker)
        )
    figure.update_layout(
        barmode="stack", title=title, yaxis_title=unit, height=max(420, 160 + 22 * len(stacks))
    )
    return _safe(figure)


def _safe(figure):
    """``figure`` with the colour-blind-safe series colours (:mod:`viz.palette`)."""
    from viz.palette import SERIES

    figure.update_layout(colorway=list(SERIES))
    return figure


def lines(x, series: dict, *, title: str, x_title: str, y_title: str):
    """A plain line chart: ``series`` maps a label to its values along ``x``."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for label, values in series.items():
        figure.add_trace(go.Scatter(x=list(x), y=list(values), mode="lines+markers", name=label))
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=380)
    return _safe(figure)


def dose_depth(shielding_mm, doses: dict, allowed: float, *, title: str):
    """Dose rate behind aluminium, log scale: ``doses`` maps a shell to its rad(Si)/yr at
    each of ``shielding_mm``; ``allowed`` (rad(Si)/yr) is drawn across as a dashed line."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for label, values in doses.items():
        figure.add_trace(
            go.Scatter(x=list(shielding_mm), y=list(values), mode="lines+markers", name=label)
        )
    figure.add_hline(
        y=allowed,
        line_dash="dash",
        annotation_text="tolerance / (margin x design life)",
        annotation_position="top right",
    )
    figure.update_layout(
        title=title,
        xaxis_title="aluminium, mm",
        yaxis_title="rad(Si) a year",
        yaxis_type="log",
        height=420,
    )
    return _safe(figure)


def failure_curves(
    failure_fraction,
    shares: dict,
    hop_diameter,
    *,
    title: str,
    diameter_note: str = "",
    cluster_shells=None,
):
    """The mesh as satellites fail: shares (0..1, ``shares``: label -> values) on the left
    axis and the largest cluster's hop diameter on the right, against the failed share;
    ``cluster_shells`` (one text a share, optional) say in the diameter's hover where the
    largest cluster is."""
    figure = two_axis_lines(
        [100.0 * f for f in failure_fraction],
        {
            label: [None if v is None else 100.0 * v for v in values]
            for label, values in shares.items()
        },
        {f"hop diameter of the largest cluster{diameter_note}": hop_diameter},
        title=title,
        x_title="satellites failed, %",
        units=("%", "hops"),
    )
    figure.update_layout(yaxis_range=[0, 102])
    if cluster_shells is not None:
        figure.data[-1].update(
            text=[str(shells) for shells in cluster_shells],
            hovertemplate="%{y:,.0f} hops; the largest cluster in %{text}<extra></extra>",
        )
    return figure


def curves(series: dict, *, title: str, x_title: str, y_title: str, log_y: bool = False):
    """Lines that each carry their own x: ``series`` maps a label to ``(x, y)``.

    For scenarios compared over different spans of years; ``log_y`` when they
    differ by orders of magnitude.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for label, (x, y) in series.items():
        figure.add_trace(go.Scatter(x=list(x), y=list(y), mode="lines+markers", name=label))
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        yaxis_type="log" if log_y else "linear",
        height=420,
    )
    return _safe(figure)


def two_axis_lines(x, left: dict, right: dict, *, title: str, x_title: str, units: tuple):
    """Lines against two y axes: ``left`` and ``right`` map labels to values along ``x``;
    ``units`` names the two axes."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for label, values in left.items():
        figure.add_trace(go.Scatter(x=list(x), y=list(values), mode="lines+markers", name=label))
    for label, values in right.items():
        figure.add_trace(
            go.Scatter(
                x=list(x),
                y=list(values),
                mode="lines+markers",
                name=label,
                line={"dash": "dot"},
                yaxis="y2",
            )
        )
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis={"title": units[0], "rangemode": "tozero"},
        yaxis2={
            "title": units[1],
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickformat": ",.0f",
        },
        legend={"orientation": "h", "y": -0.25},
        height=420,
    )
    return _safe(figure)

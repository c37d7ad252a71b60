"""The shells around the Earth, in 3D."""

import numpy as np

#: Most markers one 3D figure carries: plotly's 3D scatter stays interactive in a
#: browser up to about this many (300k took 30 s to render in headless Chromium here).
MAX_MARKERS = 50_000


def shells_figure(points_km: dict, earth_radius_km: float, *, title: str, note: str = ""):
    """A plotly figure of satellites around a sphere.

    ``points_km`` maps a group name (a shell) to positions ``(n, 3)`` in km;
    ``note`` is shown under the title (say how the points were sampled).
    """
    import plotly.graph_objects as go

    lat = np.linspace(-np.pi / 2, np.pi / 2, 37)
    lon = np.linspace(-np.pi, np.pi, 73)
    x = earth_radius_km * np.outer(np.cos(lat), np.cos(lon))
    y = earth_radius_km * np.outer(np.cos(lat), np.sin(lon))
    z = earth_radius_km * np.outer(np.sin(lat), np.ones_like(lon))
    figure = go.Figure()
    figure.add_trace(
        go.Surface(
            x=x,
            y=y,
            z=z,
            showscale=False,
            opacity=0.9,
            hoverinfo="skip",
            name="Earth",
            colorscale=[[0, "#1f4e79"], [1, "#2e75b6"]],
            surfacecolor=z,
        )
    )
    for name, xyz in points_km.items():
        xyz = np.asarray(xyz, dtype=float)
        figure.add_trace(
            go.Scatter3d(
                x=np.round(xyz[:, 0], 1),
                y=np.round(xyz[:, 1], 1),
                z=np.round(xyz[:, 2], 1),
                mode="markers",
                marker={"size": 1.5},
                name=f"{name} ({len(xyz):,} shown)",
            )
        )
    subtitle = f"<br><sup>{note}</sup>" if note else ""
    figure.update_layout(
        title=f"{title}{subtitle}",
        scene={
            "aspectmode": "data",
            "xaxis_title": "x km",
            "yaxis_title": "y km",
            "zaxis_title": "z km",
        },
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
        legend={"itemsizing": "constant"},
        height=700,
    )
    return figure

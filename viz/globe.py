"""The shells around the Earth, in 3D."""

import numpy as np

#: Most markers one 3D figure carries: plotly's 3D scatter stays interactive in a
#: browser up to about this many (300k took 30 s to render in headless Chromium here).
MAX_MARKERS = 50_000


SUNLIGHT_STATES = (
    ("in sunlight", "#f2b705", lambda f: f >= 1.0),
    ("in penumbra", "#e4572e", lambda f: (f > 0.0) & (f < 1.0)),
    ("in umbra", "#3a4a9f", lambda f: f <= 0.0),
)


def shells_figure(
    points_km: dict,
    earth_radius_km: float,
    *,
    title: str,
    note: str = "",
    sunlit: dict | None = None,
    sun_direction=None,
    links_km=None,
):
    """A plotly figure of satellites around a sphere.

    ``points_km`` maps a group name (a shell) to positions ``(n, 3)`` in km;
    ``note`` is shown under the title (say how the points were sampled).
    With ``sunlit`` (group -> visible fraction of the Sun, ``(n,)``) the
    satellites are coloured by sunlight, penumbra and umbra; ``sun_direction``
    (a unit vector) draws the Sun's direction; ``links_km`` ``(m, 2, 3)`` draws
    laser links as segments (keep ``m`` to some tens of thousands).
    """
    import plotly.graph_objects as go

    lat = np.linspace(-np.pi / 2, np.pi / 2, 37)
    lon = np.linspace(-np.pi, np.pi, 73)
    x = earth_radius_km * np.outer(np.cos(lat), np.cos(lon))
    y = earth_radius_km * np.outer(np.cos(lat), np.sin(lon))
    z = earth_radius_km * np.outer(np.sin(lat), np.ones_like(lon))
    figure = go.Figure()
    day = None
    if sun_direction is not None:
        s = np.asarray(sun_direction, dtype=float)
        day = np.clip((x * s[0] + y * s[1] + z * s[2]) / earth_radius_km, -0.2, 1.0)
    figure.add_trace(
        go.Surface(
            x=x,
            y=y,
            z=z,
            showscale=False,
            opacity=1.0,
            hoverinfo="skip",
            name="Earth",
            colorscale=[[0, "#0b1d3a"], [0.2, "#1f4e79"], [1, "#4f9bd9"]],
            surfacecolor=z if day is None else day,
            # Flat colours: plotly's default light would shade the globe from a fixed lamp,
            # fighting the day and night drawn from the Sun.
            lighting={"ambient": 1.0, "diffuse": 0.0, "specular": 0.0, "fresnel": 0.0},
        )
    )
    if sunlit is None:
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
    else:
        names = list(points_km)
        xyz = np.concatenate([np.asarray(points_km[n], dtype=float) for n in names])
        fraction = np.concatenate([np.asarray(sunlit[n], dtype=float) for n in names])
        labels = np.concatenate([[n] * len(points_km[n]) for n in names])
        for label, colour, test in SUNLIGHT_STATES:
            pick = test(fraction)
            figure.add_trace(
                go.Scatter3d(
                    x=np.round(xyz[pick, 0], 1),
                    y=np.round(xyz[pick, 1], 1),
                    z=np.round(xyz[pick, 2], 1),
                    mode="markers",
                    marker={"size": 1.6, "color": colour},
                    text=labels[pick],
                    hovertemplate="%{text}<extra>" + label + "</extra>",
                    name=f"{label} ({int(pick.sum()):,} shown)",
                )
            )
    if links_km is not None and len(links_km):
        segments = np.asarray(links_km, dtype=float)
        gap = np.full((len(segments), 1, 3), np.nan)  # plotly breaks lines at None/NaN
        path = np.concatenate([segments, gap], axis=1).reshape(-1, 3)
        xs, ys, zs = (np.round(path[:, k], 1) for k in range(3))
        figure.add_trace(
            go.Scatter3d(
                x=[None if np.isnan(v) else v for v in xs],
                y=[None if np.isnan(v) else v for v in ys],
                z=[None if np.isnan(v) else v for v in zs],
                mode="lines",
                line={"color": "rgba(120, 220, 160, 0.5)", "width": 1},
                name=f"laser links ({len(segments):,})",
                hoverinfo="skip",
            )
        )
    if sun_direction is not None:
        tip = np.asarray(sun_direction, dtype=float) * earth_radius_km * 1.8
        figure.add_trace(
            go.Scatter3d(
                x=[0.0, tip[0]],
                y=[0.0, tip[1]],
                z=[0.0, tip[2]],
                mode="lines+text",
                line={"color": "#f2b705", "width": 6},
                text=["", "Sun"],
                textposition="top center",
                name="towards the Sun",
                hoverinfo="skip",
            )
        )
    camera = None
    if sun_direction is not None:  # look from 45 degrees off the Sun: day, night and terminator
        sun = np.asarray(sun_direction, dtype=float)
        side = np.cross([0.0, 0.0, 1.0], sun)
        eye = sun + side / max(np.linalg.norm(side), 1e-9) + np.array([0.0, 0.0, 0.4])
        eye = 2.0 * eye / np.linalg.norm(eye)
        camera = {"eye": {"x": float(eye[0]), "y": float(eye[1]), "z": float(eye[2])}}
    subtitle = f"<br><sup>{note}</sup>" if note else ""
    figure.update_layout(
        title=f"{title}{subtitle}",
        scene={
            "aspectmode": "data",
            "xaxis_title": "x km",
            "yaxis_title": "y km",
            "zaxis_title": "z km",
            **({"camera": camera} if camera else {}),
        },
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
        legend={"itemsizing": "constant"},
        height=700,
    )
    return figure

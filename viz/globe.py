"""The shells around the Earth, in 3D, with a time slider over one orbit.

The figure is built from plain arrays: :class:`GlobeSnapshot` says what is
where at one time (positions in an Earth-fixed frame, km).  The first
snapshot is drawn; the others become animation frames under a slider and a
play button.  Satellites are written as 16-bit integers of km (plotly's typed
arrays): 1 km is far below a pixel at the globe's scale and keeps a
50,000-marker frame near 0.4 MB of HTML.
"""

from dataclasses import dataclass

import numpy as np

#: Most markers one 3D figure carries: plotly's 3D scatter stays interactive in a
#: browser up to about this many (300k took 30 s to render in headless Chromium here).
MAX_MARKERS = 50_000

#: Sunlight, penumbra and umbra in Okabe-Ito yellow, vermillion and sky blue
#: (:mod:`viz.palette`): apart for colour-blind readers, and light enough to show
#: against the globe's dark night side, where the shadowed satellites sit.  Each
#: satellite's marker value is the percent of the Sun's disc it sees (:func:`sun_percent`):
#: 0 in umbra, 1-99 in penumbra, 100 in sunlight; the colour scale has one band each.
SUNLIGHT_STATES = (
    ("umbra", "#56B4E9", 0),
    ("penumbra", "#D55E00", 50),
    ("sunlight", "#F0E442", 100),
)
SUNLIGHT_COLORSCALE = [
    [0.0, "#56B4E9"],
    [0.005, "#56B4E9"],
    [0.005, "#D55E00"],
    [0.995, "#D55E00"],
    [0.995, "#F0E442"],
    [1.0, "#F0E442"],
]
#: Shells' colours when the globe is not coloured by sunlight (Okabe-Ito, less black).
GROUP_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#CC79A7", "#D55E00", "#0072B2")
#: Coastlines sit this far above the sphere so the surface does not hide them.
COASTLINE_LIFT_KM = 25.0


@dataclass
class GlobeSnapshot:
    """What the globe shows at one time.

    ``points_km`` maps a group (a shell) to positions ``(n, 3)`` km in the
    globe's frame; ``sunlit`` maps the same groups to the visible fraction of
    the Sun ``(n,)`` (None: colour by group); ``sun_direction`` is a unit vector
    ``(3,)`` or None; ``links_km`` ``(m, 2, 3)`` are laser links as segments.
    """

    label: str
    points_km: dict
    sunlit: dict | None = None
    sun_direction: np.ndarray | None = None
    links_km: np.ndarray | None = None


@dataclass
class ShellSurface:
    """A shell drawn as a translucent sphere band: radius km, up to ``max_latitude_deg``."""

    name: str
    radius_km: float
    max_latitude_deg: float = 90.0
    colour: str = "#9ecae1"
    opacity: float = 0.12


#: Largest coordinate, km, that 16-bit integers hold.
_INT16_KM = 32_767


def _km16(xyz) -> np.ndarray:
    """Positions as int16 km, or float32 when some lie beyond 32,767 km (a GEO element set)."""
    xyz = np.asarray(xyz, dtype=float)
    if len(xyz) and np.abs(xyz).max() > _INT16_KM:
        return xyz.astype(np.float32)
    return np.round(xyz).astype(np.int16)


def _earth_grid(radius_km: float, max_lat_deg: float = 90.0, n_lat: int = 25, n_lon: int = 49):
    lat = np.radians(np.linspace(-max_lat_deg, max_lat_deg, n_lat))
    lon = np.linspace(-np.pi, np.pi, n_lon)
    x = radius_km * np.outer(np.cos(lat), np.cos(lon))
    y = radius_km * np.outer(np.cos(lat), np.sin(lon))
    z = radius_km * np.outer(np.sin(lat), np.ones_like(lon))
    return x, y, z


def _sphere_mesh(radius_km: float, max_lat_deg: float = 90.0, n_lat: int = 25, n_lon: int = 49):
    """A latitude-longitude sphere (band) as a triangle mesh: vertices ``(n, 3)``, faces ``(m, 3)``.

    A mesh, not a plotly Surface: in software WebGL (headless Chromium) a
    Surface took about 1.5 s longer to draw than the same grid as Mesh3d.
    """
    x, y, z = _earth_grid(radius_km, max_lat_deg, n_lat, n_lon)
    index = np.arange(x.size).reshape(x.shape)
    a, b = index[:-1, :-1].ravel(), index[:-1, 1:].ravel()
    c, d = index[1:, 1:].ravel(), index[1:, :-1].ravel()
    faces = np.column_stack(
        [np.concatenate([a, a]), np.concatenate([b, c]), np.concatenate([c, d])]
    )
    return np.column_stack([x.ravel(), y.ravel(), z.ravel()]), faces.astype(np.int32)


#: Flat colours: plotly's default light would shade the globe from a fixed lamp,
#: fighting the day and night drawn from the Sun.
_FLAT = {"ambient": 1.0, "diffuse": 0.0, "specular": 0.0, "fresnel": 0.0, "roughness": 1.0}


def _mesh_trace(vertices_km: np.ndarray, faces: np.ndarray, **style):
    """A flat-lit, unhoverable Mesh3d of ``vertices_km`` ``(n, 3)`` and ``faces`` ``(m, 3)``."""
    import plotly.graph_objects as go

    return go.Mesh3d(
        x=vertices_km[:, 0].astype(np.float32),
        y=vertices_km[:, 1].astype(np.float32),
        z=vertices_km[:, 2].astype(np.float32),
        i=faces[:, 0],
        j=faces[:, 1],
        k=faces[:, 2],
        hoverinfo="skip",
        lighting=_FLAT,
        **style,
    )


def _day_colour(vertices_km: np.ndarray, sun_direction) -> np.ndarray:
    """Colour of each vertex from the Sun: the cosine of its angle to the subsolar point.

    Clipped at -0.2 so the night side is one dark tone; without a Sun, latitude.
    """
    unit = vertices_km / np.linalg.norm(vertices_km, axis=1, keepdims=True)
    if sun_direction is None:
        return unit[:, 2].astype(np.float32)
    cosine = unit @ np.asarray(sun_direction, dtype=float)
    return np.clip(cosine, -0.2, 1.0).astype(np.float32)


def sun_percent(fraction) -> np.ndarray:
    """The visible fraction of the Sun ``(n,)`` as uint8 percent, each state kept apart: 0
    only in umbra, 100 only in full sunlight, penumbra within 1-99 however shallow."""
    fraction = np.asarray(fraction, dtype=float)
    percent = np.clip(np.rint(fraction * 100.0), 1, 99)
    percent = np.where(fraction <= 0.0, 0, np.where(fraction >= 1.0, 100, percent))
    return percent.astype(np.uint8)


def _shown(snapshots: list[GlobeSnapshot], groups: list[str]) -> dict:
    """Each group's satellites drawn: those with a position (and sunlight) in every snapshot,
    so that a marker is the same satellite in every frame (its hover names it once)."""
    shown = {}
    for g in groups:
        keep = np.ones(len(snapshots[0].points_km[g]), dtype=bool)
        for snapshot in snapshots:
            keep &= np.isfinite(np.asarray(snapshot.points_km[g], dtype=float)).all(axis=1)
            if snapshot.sunlit is not None:
                keep &= np.isfinite(np.asarray(snapshot.sunlit[g], dtype=float))
        shown[g] = keep
    return shown


def _marker_traces(snapshot: GlobeSnapshot, groups: list[str], shown: dict) -> list[dict]:
    """The satellites, one trace per group: positions, and with sunlight each marker's
    :func:`sun_percent` as its colour value (what changes from frame to frame)."""
    traces = []
    for g in groups:
        xyz = _km16(np.asarray(snapshot.points_km[g], dtype=float)[shown[g]])
        trace = {"x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]}
        if snapshot.sunlit is not None:
            trace["marker"] = {"color": sun_percent(np.asarray(snapshot.sunlit[g])[shown[g]])}
        traces.append(trace)
    return traces


def group_colour(k: int) -> str:
    """Group ``k``'s colour when the globe (or the CZML) is coloured by shell."""
    return GROUP_COLOURS[k % len(GROUP_COLOURS)]


def marker_size(markers: int) -> float:
    """Marker size (px) for a globe of ``markers``: 1.6 from 10,000 up, where they would
    cover the shell, larger as they thin out (5 for a hundred or fewer), so a small
    constellation is not a few specks."""
    return float(np.clip(5.0 - 1.7 * (np.log10(max(markers, 1)) - 2.0), 1.6, 5.0))


def _marker_styles(groups: list[str], shown: dict, sunlit: bool, point_ids) -> list[dict]:
    """What stays from frame to frame: each group's name, colours, hover and ids."""
    styles = []
    size = marker_size(sum(int(v.sum()) for v in shown.values()))
    for k, g in enumerate(groups):
        if sunlit:
            marker = {
                "size": size,
                "colorscale": SUNLIGHT_COLORSCALE,
                "cmin": 0,
                "cmax": 100,
                "showscale": False,  # the key is in the legend (:func:`_sunlight_key`)
            }
        else:
            marker = {"size": size, "color": group_colour(k)}
        style = {
            "name": f"{g} ({int(shown[g].sum()):,} shown)",
            "marker": marker,
            "legendgroup": "shells",
            "legendgrouptitle": {"text": "shells (click to hide)"},
        }
        ids = (point_ids or {}).get(g)
        lines = [f"<b>{g}</b>"]
        if ids:
            columns = list(ids)
            values = [np.asarray(ids[c])[shown[g]] for c in columns]
            whole = all(np.issubdtype(v.dtype, np.integer) for v in values)
            style["customdata"] = (
                np.column_stack(values).astype(np.int32)
                if whole
                else np.column_stack([v.astype(object) for v in values])
            )
            lines.append(", ".join(f"{c} %{{customdata[{i}]}}" for i, c in enumerate(columns)))
        if sunlit:
            lines.append("Sun's disc seen: %{marker.color} % (0 umbra, 100 sunlight)")
        style["hovertemplate"] = "<br>".join(lines) + "<extra></extra>"
        styles.append(style)
    return styles


def _sunlight_key() -> list[dict]:
    """The legend's key to the sunlight colours: a marker a state, no point drawn (a colour
    bar would give the penumbra's 1-99 nearly all its length and the two states the eye
    looks for a sliver each)."""
    notes = {"umbra": "0 %", "penumbra": "1-99 %", "sunlight": "100 %"}
    return [
        {
            "x": [np.nan],
            "y": [np.nan],
            "z": [np.nan],
            "mode": "markers",
            "marker": {"size": 6, "color": colour},
            "name": f"{label} ({notes[label]} of the Sun seen)",
            "legendgroup": "sunlight key",
            "legendgrouptitle": {"text": "marker colours"},
            "hoverinfo": "skip",
        }
        for label, colour, _ in reversed(SUNLIGHT_STATES)
    ]


def _colour_menu(first_marker: int, groups: list[str], first_key: int) -> dict:
    """Buttons that colour the satellites by sunlight (the frames' values) or by shell (one
    colour a group: its colour scale made flat, so the frames' values still apply; the
    sunlight key hidden).  One restyle of the groups' traces and the key's together."""
    g = len(groups)
    indices = [*range(first_marker, first_marker + g)]
    indices += [*range(first_key, first_key + len(SUNLIGHT_STATES))]
    flat = [[[0.0, group_colour(k)], [1.0, group_colour(k)]] for k in range(g)]
    key = [SUNLIGHT_COLORSCALE] * len(SUNLIGHT_STATES)  # the key's own colours are fixed
    # The key is shown or not in the legend; a shell the reader hid stays hidden.
    by_sun = {
        "marker.colorscale": [SUNLIGHT_COLORSCALE] * g + key,
        "showlegend": [True] * len(indices),
    }
    by_shell = {
        "marker.colorscale": flat + key,
        "showlegend": [True] * g + [False] * len(SUNLIGHT_STATES),
    }
    return {
        "type": "buttons",
        "direction": "right",
        "showactive": True,
        "active": 0,
        # under the scene, in the row of play and pause: above it they covered the title
        # and subtitle in a figure narrower than about 1,000 px
        "x": 1.0,
        "y": 0.0,
        "xanchor": "right",
        "yanchor": "top",
        "pad": {"t": 10},
        "buttons": [
            {"label": "colour by sunlight", "method": "restyle", "args": [by_sun, indices]},
            {"label": "colour by shell", "method": "restyle", "args": [by_shell, indices]},
        ],
    }


def link_trails(segments_km) -> list[np.ndarray]:
    """Laser links ``(m, 2, 3)`` joined into trails: polylines that use every link once.

    A +Grid's links chain around planes and across them, so a few long trails
    carry ``m`` links in about ``m`` points instead of the ``3 m`` that
    separate segments need (two ends and a gap).  Links sharing an end share
    exactly the same coordinates.  Returns the trails as ``(n_i, 3)`` arrays.
    """
    segments = np.asarray(segments_km, dtype=float)
    if not len(segments):
        return []
    ends, vertex = np.unique(segments.reshape(-1, 3), axis=0, return_inverse=True)
    edges = vertex.reshape(-1, 2)
    incident: list[list[int]] = [[] for _ in range(len(ends))]
    for e, (a, b) in enumerate(edges.tolist()):
        incident[a].append(e)
        incident[b].append(e)
    used = np.zeros(len(edges), dtype=bool)
    degree = np.bincount(edges.ravel(), minlength=len(ends))
    # Trails start at odd-degree ends first: each must hold a trail's end.
    starts = list(np.flatnonzero(degree % 2 == 1)) + list(np.flatnonzero(degree % 2 == 0))
    trails = []
    for start in starts:
        while incident[start]:
            trail, here = [start], start
            while incident[here]:
                e = incident[here].pop()
                if used[e]:
                    continue
                used[e] = True
                a, b = edges[e]
                here = b if a == here else a
                trail.append(here)
            if len(trail) > 1:
                trails.append(ends[trail])
    return trails


def _links_trace(links_km) -> dict:
    """Laser links as one line trace: trails in float32, NaN between them (a gap in plotly)."""
    trails = link_trails(links_km) if links_km is not None else []
    if not trails:
        empty = np.zeros(0, dtype=np.float32)
        return {"x": empty, "y": empty, "z": empty, "name": "laser links (0)"}
    gap = np.full((1, 3), np.nan)
    path = np.concatenate([np.concatenate([t, gap]) for t in trails]).astype(np.float32)
    return {
        "x": path[:, 0],
        "y": path[:, 1],
        "z": path[:, 2],
        "name": f"laser links ({len(links_km):,})",
    }


def _sun_trace(sun_direction, earth_radius_km: float) -> dict:
    if sun_direction is None:
        return {"x": [], "y": [], "z": []}
    tip = np.asarray(sun_direction, dtype=float) * earth_radius_km * 1.8
    return {"x": [0.0, float(tip[0])], "y": [0.0, float(tip[1])], "z": [0.0, float(tip[2])]}


def _camera(sun_direction) -> dict | None:
    """Look from 45 degrees off the Sun: day, night and the terminator all show."""
    if sun_direction is None:
        return None
    sun = np.asarray(sun_direction, dtype=float)
    side = np.cross([0.0, 0.0, 1.0], sun)
    eye = sun + side / max(np.linalg.norm(side), 1e-9) + np.array([0.0, 0.0, 0.4])
    eye = 1.5 * eye / np.linalg.norm(eye)  # closer than plotly's 2.2: no axes to frame
    return {"eye": {"x": float(eye[0]), "y": float(eye[1]), "z": float(eye[2])}}


def shells_figure(
    snapshots: list[GlobeSnapshot],
    earth_radius_km: float,
    *,
    title: str,
    note: str = "",
    shell_surfaces: list[ShellSurface] = (),
    coastlines: bool = True,
    frame_name: str = "ITRS (Earth-fixed)",
    point_ids: dict | None = None,
):
    """A plotly figure of satellites around the Earth, animated over ``snapshots``.

    The Earth is shaded from the Sun (day, night, terminator), with GSHHS
    coastlines; ``shell_surfaces`` draw shells as translucent bands.  Every
    snapshot must name the same groups, and either all or none carry sunlight.
    Each group is one trace (its legend entry shows or hides it); with sunlight
    each marker is coloured by the share of the Sun's disc it sees, and two
    buttons colour by sunlight or by shell.  ``point_ids`` maps a group to
    named columns ``{name: (n,)}`` aligned with its rows (integers, say plane and
    slot, or text, say an object name), which the hover shows with the group and
    the sunlight.  With more
    than one snapshot the figure gets a slider and a play button.  The scene has no
    axes (the Earth gives the scale); the subtitle names ``frame_name``, the frame the
    positions are in.
    """
    import plotly.graph_objects as go

    if not snapshots:
        raise ValueError("shells_figure needs at least one snapshot")
    first = snapshots[0]
    groups = list(first.points_km)
    shown = _shown(snapshots, groups)
    sunlit = first.sunlit is not None
    figure = go.Figure()
    vertices, faces = _sphere_mesh(earth_radius_km)
    figure.add_trace(
        _mesh_trace(
            vertices,
            faces,
            intensity=_day_colour(vertices, first.sun_direction),
            cmin=-0.2,
            cmax=1.0,
            colorscale=[[0, "#0b1d3a"], [0.2, "#1a3f66"], [1, "#2f6db0"]],
            showscale=False,
            name="Earth",
        )
    )
    if coastlines:
        from viz.coastlines import coastline_path_itrs

        path = coastline_path_itrs(earth_radius_km + COASTLINE_LIFT_KM).astype(np.float32)
        figure.add_trace(
            go.Scatter3d(
                x=path[:, 0],
                y=path[:, 1],
                z=path[:, 2],
                mode="lines",
                line={"color": "rgba(240, 236, 220, 0.9)", "width": 2},
                name="coastlines (GSHHS crude)",
                hoverinfo="skip",
            )
        )
    for surface in shell_surfaces:
        vertices, faces = _sphere_mesh(surface.radius_km, surface.max_latitude_deg, n_lat=13)
        figure.add_trace(
            _mesh_trace(
                vertices,
                faces,
                color=surface.colour,
                opacity=surface.opacity,
                name=f"{surface.name} shell",
                showlegend=True,
            )
        )
    dynamic_start = len(figure.data)
    styles = _marker_styles(groups, shown, sunlit, point_ids)
    for trace, style in zip(_marker_traces(first, groups, shown), styles, strict=True):
        marker = {**style["marker"], **trace.pop("marker", {})}
        figure.add_trace(go.Scatter3d(mode="markers", **trace, **{**style, "marker": marker}))
    any_links = any(s.links_km is not None for s in snapshots)
    if any_links:
        figure.add_trace(
            go.Scatter3d(
                mode="lines",
                line={"color": "rgba(120, 220, 160, 0.5)", "width": 1},
                hoverinfo="skip",
                **_links_trace(first.links_km),
            )
        )
    any_sun = any(s.sun_direction is not None for s in snapshots)
    if any_sun:
        figure.add_trace(
            go.Scatter3d(
                mode="lines",  # 3D text is drawn as triangles, which costs the draw
                line={"color": "#F0E442", "width": 6},
                name="towards the Sun",
                hoverinfo="skip",
                **_sun_trace(first.sun_direction, earth_radius_km),
            )
        )
    lost = sum(len(shown[g]) - int(shown[g].sum()) for g in groups)
    if lost:  # the note counts the satellites asked for; say which of them are not drawn
        # before the epoch (an element set's decayed satellites) or during the orbit
        lost_text = f"{lost:,} failed in SGP4 before or during the orbit, not drawn"
        note = f"{note}; {lost_text}" if note else lost_text
    note = f"{note}; frame {frame_name}" if note else f"frame {frame_name}"
    subtitle = f"<br><sup>{note}</sup>"
    camera = _camera(first.sun_direction)
    # No axes: the Earth gives the scale, and their tick labels, drawn as 3D triangles,
    # were a large part of the scene's first draw.
    hidden = {"visible": False}
    figure.update_layout(
        title=f"{title}{subtitle}",
        scene={
            "aspectmode": "data",
            "xaxis": hidden,
            "yaxis": hidden,
            "zaxis": hidden,
            **({"camera": camera} if camera else {}),
        },
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
        legend={"itemsizing": "constant"},
        height=720,
    )
    if sunlit:
        first_key = len(figure.data)
        for trace in _sunlight_key():
            figure.add_trace(go.Scatter3d(**trace))
        figure.update_layout(updatemenus=[_colour_menu(dynamic_start, groups, first_key)])
    if len(snapshots) > 1:
        _animate(
            figure, snapshots, groups, shown, earth_radius_km, dynamic_start, any_links, any_sun
        )
    return figure


def _animate(
    figure, snapshots, groups, shown, earth_radius_km, dynamic_start, any_links, any_sun
) -> None:
    """Frames for every snapshot (the Earth's shading, satellites, links, Sun) and a slider."""
    import plotly.graph_objects as go

    vertices, _ = _sphere_mesh(earth_radius_km)
    frames = []
    for snapshot in snapshots:
        data = [go.Mesh3d(intensity=_day_colour(vertices, snapshot.sun_direction))]
        data += [go.Scatter3d(**trace) for trace in _marker_traces(snapshot, groups, shown)]
        if any_links:
            data.append(go.Scatter3d(**_links_trace(snapshot.links_km)))
        if any_sun:
            data.append(go.Scatter3d(**_sun_trace(snapshot.sun_direction, earth_radius_km)))
        indices = [0] + list(range(dynamic_start, dynamic_start + len(data) - 1))
        frames.append(go.Frame(data=data, traces=indices, name=snapshot.label))
    figure.frames = frames
    redraw = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}
    figure.update_layout(
        sliders=[
            {
                "active": 0,
                "currentvalue": {"prefix": "time from the epoch: "},
                # below the play and pause buttons; room for the first and last tick labels,
                # and below them: plotly.js's margin for the slider left their lower 5 px
                # outside the figure (clipped) with a bottom pad of 0
                "pad": {"t": 50, "b": 12, "l": 30, "r": 30},
                "steps": [
                    {"label": s.label, "method": "animate", "args": [[s.label], redraw]}
                    for s in snapshots
                ],
            }
        ],
        updatemenus=[
            *figure.layout.updatemenus,
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "y": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 10},
                "buttons": [
                    {
                        "label": "play",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                **redraw,
                                "frame": {"duration": 300, "redraw": True},
                                "fromcurrent": True,
                            },
                        ],
                    },
                    {"label": "pause", "method": "animate", "args": [[None], redraw]},
                ],
            },
        ],
    )

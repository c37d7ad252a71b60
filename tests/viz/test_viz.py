"""The 3D globe, its coastlines, the HTML page and the globe's snapshots of a plan.

Expected values come from geography (where land and sea are, where cities
stand), from hand-built inputs whose answer is known by construction, from
the Astronomical Almanac's Sun and from the orbit's own physics; never from
the code under test.
"""

import json
import math
import re
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pytest

# ---------------------------------------------------------------- helpers

#: Mean Earth radius for great-circle distances, km (IUGG).
MEAN_EARTH_RADIUS_KM = 6371.0088
#: WGS-84 equatorial radius, km: the altitude reference the brief names.
WGS84_RADIUS_KM = 6378.137


def _haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance, km, on the mean sphere (arrays broadcast), degrees in."""
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * MEAN_EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _lonlat_deg(xyz):
    """Geocentric longitude and latitude, degrees, of points ``(n, 3)``."""
    xyz = np.asarray(xyz, dtype=float)
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    lat = np.degrees(np.arctan2(xyz[:, 2], np.hypot(xyz[:, 0], xyz[:, 1])))
    return lon, lat


def _inside(lon, lat, polygon) -> bool:
    """Ray casting (even-odd rule) in the plane of longitude and latitude."""
    x, y = polygon[:, 0], polygon[:, 1]
    x0, y0, x1, y1 = x[:-1], y[:-1], x[1:], y[1:]
    straddles = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing_x = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(straddles & (lon < crossing_x)) % 2)


def _path_edges(path):
    """Consecutive finite point pairs ``(k, 2, 3)`` of a NaN-broken path."""
    a, b = path[:-1], path[1:]
    both = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    return np.stack([a[both], b[both]], axis=1)


def _edge_key(p, q):
    """An orientation-free, hashable key of the segment p-q."""
    return tuple(sorted((tuple(np.asarray(p, dtype=float)), tuple(np.asarray(q, dtype=float)))))


def _edge_multiset(segments):
    return Counter(_edge_key(p, q) for p, q in np.asarray(segments, dtype=float))


# ---------------------------------------------------------------- viz/coastlines.py

#: Points well inside land (not within 300 km of any sea): lon, lat degrees.
INLAND = {
    "central Africa": (20.0, 5.0),
    "central Australia": (134.0, -25.0),
    "central South America": (-60.0, -10.0),
    "Great Plains": (-100.0, 40.0),
    "southern Siberia": (90.0, 50.0),
    "Greenland ice sheet": (-40.0, 72.0),
    "East Antarctica": (90.0, -80.0),
    "West Antarctica": (-90.0, -80.0),
    "Chukotka (west of the antimeridian)": (-176.0, 67.0),
}
#: Points in open ocean, hundreds of km from any island of 1,000 km2 or more.
OCEAN = {
    "mid North Pacific": (-150.0, 30.0),
    "South Atlantic": (-30.0, -30.0),
    "Indian Ocean": (80.0, -20.0),
    "North Atlantic": (-40.0, 40.0),
    "Southern Ocean": (-120.0, -60.0),
}
#: Coastal cities; GSHHS crude keeps the coast to about 25 km, so 50 km is a fair bound.
COASTAL_CITIES = {
    "Lisbon": (-9.14, 38.72),
    "Sydney": (151.21, -33.86),
    "Cape Town": (18.42, -33.92),
    "New York": (-74.01, 40.71),
    "Mumbai": (72.88, 19.08),
    "Reykjavik": (-21.94, 64.15),
}
COAST_NEAR_KM = 50.0
#: Cities far from any sea: Madrid is about 300 km from the nearest coast, Ulaanbaatar 1,300+.
INLAND_CITIES = {"Madrid": ((-3.70, 40.42), 200.0), "Ulaanbaatar": ((106.92, 47.92), 1000.0)}


@pytest.fixture(scope="module")
def polygons():
    from viz.coastlines import coastline_polygons_deg

    return coastline_polygons_deg()


@pytest.fixture(scope="module")
def coast_points_lonlat():
    """The coastline path resampled every ~1/20 of an edge, as (lon, lat) degrees."""
    from viz.coastlines import coastline_path_itrs

    edges = _path_edges(coastline_path_itrs(MEAN_EARTH_RADIUS_KM))
    t = np.linspace(0.0, 1.0, 21)[:, None, None]
    dense = (edges[None, :, 0] * (1 - t) + edges[None, :, 1] * t).reshape(-1, 3)
    return _lonlat_deg(dense)


def test_coastline_polygons_are_closed_lonlat_rings_in_range(polygons):
    assert len(polygons) > 100  # the world at 1,000 km2 has hundreds of islands
    for polygon in polygons:
        assert polygon.ndim == 2 and polygon.shape[1] == 2 and len(polygon) >= 4
        assert np.isfinite(polygon).all()
        assert (np.abs(polygon[:, 0]) <= 180.0).all()
        assert (np.abs(polygon[:, 1]) <= 90.0).all()
        np.testing.assert_array_equal(polygon[0], polygon[-1])  # GSHHS rings are closed


@pytest.mark.parametrize("radius_km", [6378.137, 6403.137, 1.0])
def test_coastline_path_lies_on_the_sphere(radius_km):
    from viz.coastlines import coastline_path_itrs

    path = coastline_path_itrs(radius_km)
    assert path.ndim == 2 and path.shape[1] == 3
    finite = np.isfinite(path).all(axis=1)
    assert (np.isnan(path[~finite]).all(axis=1)).all()  # breaks are whole NaN rows
    assert finite.sum() > 5000
    # float64 trigonometry: a few ulps of the radius
    np.testing.assert_allclose(np.linalg.norm(path[finite], axis=1), radius_km, rtol=1e-12)
    # each line between breaks has at least two points (a single point draws nothing)
    runs = np.diff(np.flatnonzero(np.concatenate([[True], ~finite, [True]]))) - 1
    assert runs[runs > 0].min() >= 2


@pytest.mark.parametrize("place", sorted(INLAND))
def test_inland_points_are_inside_exactly_one_polygon(polygons, place):
    lon, lat = INLAND[place]
    assert sum(_inside(lon, lat, p) for p in polygons) == 1


@pytest.mark.parametrize("place", sorted(OCEAN))
def test_open_ocean_points_are_in_no_polygon(polygons, place):
    lon, lat = OCEAN[place]
    assert not any(_inside(lon, lat, p) for p in polygons)


@pytest.mark.parametrize("city", sorted(COASTAL_CITIES))
def test_coastal_cities_lie_on_the_coastline(coast_points_lonlat, city):
    lon, lat = COASTAL_CITIES[city]
    distance = _haversine_km(lon, lat, *coast_points_lonlat).min()
    assert distance < COAST_NEAR_KM


@pytest.mark.parametrize("city", sorted(INLAND_CITIES))
def test_inland_cities_lie_far_from_the_coastline(coast_points_lonlat, city):
    (lon, lat), at_least_km = INLAND_CITIES[city]
    assert _haversine_km(lon, lat, *coast_points_lonlat).min() > at_least_km


def test_path_has_no_antimeridian_or_south_pole_edges():
    from viz.coastlines import coastline_path_itrs

    path = coastline_path_itrs(WGS84_RADIUS_KM)
    finite = np.isfinite(path).all(axis=1)
    lon, lat = _lonlat_deg(np.where(finite[:, None], path, 1.0))
    assert not (finite & (lat < -89.9)).any()
    on_seam = finite & (np.abs(np.abs(lon) - 180.0) < 1e-6)
    assert not (on_seam[:-1] & on_seam[1:]).any()
    # ... while the real coast at the antimeridian (Chukotka, the Ross Ice Shelf) is kept
    assert on_seam.sum() >= 2


def test_path_keeps_every_coastline_vertex_and_invents_none(polygons):
    from scipy.spatial import cKDTree

    from viz.coastlines import coastline_path_itrs

    radius = WGS84_RADIUS_KM
    path = coastline_path_itrs(radius)
    path = path[np.isfinite(path).all(axis=1)]
    vertices = np.concatenate(polygons)
    vertices = vertices[vertices[:, 1] > -89.9]  # the pole is a closing vertex, not coast
    lon, lat = np.radians(vertices[:, 0]), np.radians(vertices[:, 1])
    xyz = radius * np.column_stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    )
    tolerance_km = 1e-6
    assert (cKDTree(path).query(xyz)[0] < tolerance_km).all()
    assert (cKDTree(xyz).query(path)[0] < tolerance_km).all()


def test_raising_min_area_drops_polygons():
    from viz.coastlines import coastline_polygons_deg

    counts = [len(coastline_polygons_deg(a)) for a in (0.0, 1_000.0, 100_000.0, 1_000_000.0)]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) == 4
    # Above 1e6 km2: the six continents and Greenland (2.2e6); New Guinea (7.9e5) is next.
    # GSHHS splits Eurasia at the antimeridian and Antarctica at 0 and 180 degrees: 9 rings.
    big = coastline_polygons_deg(1_000_000.0)
    assert len(big) == 9
    holders = [[p for p in big if _inside(*INLAND[place], p)] for place in INLAND]
    assert all(len(h) == 1 for h in holders)
    assert len({id(h[0]) for h in holders}) == 9  # one ring for each landmass


def test_min_area_drops_oahu_between_1000_and_2000_km2():
    """Oahu is 1,545 km2: Honolulu is on the coast at 1,000 km2 and far from it at 2,000."""
    from viz.coastlines import coastline_path_itrs

    honolulu = (-157.86, 21.31)
    near = {}
    for min_area in (1_000.0, 2_000.0):
        lon, lat = _lonlat_deg(_path_edges(coastline_path_itrs(6371.0, min_area)).reshape(-1, 3))
        near[min_area] = _haversine_km(*honolulu, lon, lat).min()
    assert near[1_000.0] < COAST_NEAR_KM < near[2_000.0]


# ---------------------------------------------------------------- viz/globe.py: link_trails


def _square_ring():
    corners = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
    return np.stack([corners, np.roll(corners, -1, axis=0)], axis=1)


def _star(leaves=4):
    centre = np.zeros(3)
    ends = [
        np.array([math.cos(a), math.sin(a), 0.5]) for a in np.arange(leaves) * 2 * np.pi / leaves
    ]
    return np.array([[centre, e] for e in ends])


def _two_disjoint():
    return np.array([[[0, 0, 0], [1, 0, 0]], [[5, 5, 5], [6, 5, 5]]], dtype=float)


def _grid(rows, cols, wrap):
    """A +Grid: each node linked to its neighbour along and across; a torus when ``wrap``."""
    node = {
        (r, c): np.array([7000.0 + r, 100.0 * c, 3.0 * r * c])
        for r in range(rows)
        for c in range(cols)
    }
    links = []
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((1, 0), (0, 1)):
                rr, cc = r + dr, c + dc
                if wrap:
                    rr, cc = rr % rows, cc % cols
                if (rr, cc) in node:
                    links.append([node[(r, c)], node[(rr, cc)]])
    return np.array(links)


GRAPHS = {
    "square ring": _square_ring(),
    "star": _star(),
    "two disjoint segments": _two_disjoint(),
    "open 3x4 grid": _grid(3, 4, wrap=False),
    "4x5 torus grid": _grid(4, 5, wrap=True),
    "ring with a chord and a tail": np.array(
        [
            [[0, 0, 0], [1, 0, 0]],
            [[1, 0, 0], [1, 1, 0]],
            [[1, 1, 0], [0, 1, 0]],
            [[0, 1, 0], [0, 0, 0]],
            [[0, 0, 0], [1, 1, 0]],
            [[1, 1, 0], [2, 2, 2]],
        ],
        dtype=float,
    ),
}


def test_link_trails_of_nothing_is_empty():
    from viz.globe import link_trails

    assert link_trails(np.zeros((0, 2, 3))) == []
    assert link_trails([]) == []


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_link_trails_use_every_link_exactly_once(name):
    from viz.globe import link_trails

    segments = GRAPHS[name]
    trails = link_trails(segments)
    assert all(t.ndim == 2 and t.shape[1] == 3 and len(t) >= 2 for t in trails)
    recovered = Counter(_edge_key(t[k], t[k + 1]) for t in trails for k in range(len(t) - 1))
    assert recovered == _edge_multiset(segments)


def test_link_trails_close_a_ring_in_one_trail():
    from viz.globe import link_trails

    (trail,) = link_trails(_square_ring())
    assert len(trail) == 5  # four links, five points
    np.testing.assert_array_equal(trail[0], trail[-1])


def test_link_trails_of_a_star_and_of_disjoint_segments():
    from viz.globe import link_trails

    # Four leaves have odd degree: at least two trails, each leaf-centre-leaf.
    trails = link_trails(_star(4))
    assert sorted(len(t) for t in trails) == [3, 3]
    assert all((t[1] == 0).all() for t in trails)
    assert sorted(len(t) for t in link_trails(_two_disjoint())) == [2, 2]


@pytest.mark.parametrize("name", ["square ring", "open 3x4 grid", "4x5 torus grid"])
def test_link_trails_carry_rings_and_lattices_in_fewer_points(name):
    from viz.globe import link_trails

    segments = GRAPHS[name]
    m = len(segments)
    points = sum(len(t) for t in link_trails(segments))
    assert points < 3 * m  # separate segments need two ends and a gap each
    # A trail holds its links plus one point; a trail of a simple graph with shortest
    # cycle 4 (girth) that closes on itself has at least 4 links: in an even graph (the
    # ring, the torus) every greedy trail closes, so points <= m + m / 4.
    if name != "open 3x4 grid":
        assert points <= m + m // 4


# ---------------------------------------------------------------- viz/globe.py: shells_figure

EARTH_KM = 6378.137
#: Two groups; one decayed (NaN) satellite; values away from .5 so rounding is unambiguous.
POINTS = {
    "shell A": np.array([[6900.4, 10.2, -5.7], [-6800.8, 300.3, 1200.6], [np.nan] * 3]),
    "shell B": np.array([[100.1, 6950.9, -20.2], [0.2, -120.7, -6999.6], [3000.3, 3000.4, 5000.7]]),
}
SUNLIT = {"shell A": np.array([1.0, 0.5, 1.0]), "shell B": np.array([0.0, 1.0, 0.25])}


def _snapshot(label="t0", shift=0.0, sun=(1.0, 0.0, 0.0), links=None, sunlit=True):
    from viz.globe import GlobeSnapshot

    return GlobeSnapshot(
        label=label,
        points_km={g: p + shift for g, p in POINTS.items()},
        sunlit=dict(SUNLIT) if sunlit else None,
        sun_direction=np.asarray(sun, dtype=float),
        links_km=links,
    )


def _expected_groups(points, sunlit):
    """Per group: the rounded int km rows and the percent of the Sun seen, written out
    independently (0 only in umbra, 100 only in full sunlight, penumbra 1-99)."""
    expected = {}
    for group, xyz in points.items():
        rows, percent = [], []
        for p, f in zip(xyz, sunlit[group], strict=True):
            if not np.isfinite(p).all():
                continue
            rows.append([int(math.floor(v + 0.5)) for v in p])
            percent.append(0 if f == 0.0 else 100 if f == 1.0 else min(99, max(1, round(100 * f))))
        expected[group] = (rows, percent)
    return expected


def _by_name(figure, prefix):
    return [t for t in figure.data if (t.name or "").startswith(prefix)]


def _xyz(trace):
    return np.column_stack([np.asarray(trace.x), np.asarray(trace.y), np.asarray(trace.z)])


def _markers(figure_or_frame):
    """The satellites' traces (not the legend's key to the sunlight colours)."""
    return [
        t
        for t in figure_or_frame.data
        if getattr(t, "mode", None) == "markers" and t.legendgroup != "sunlight key"
    ]


def test_each_shell_is_one_trace_of_int16_km_coloured_by_the_sun_it_sees():
    from viz.globe import SUNLIGHT_COLORSCALE, shells_figure

    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False)
    markers = _markers(figure)
    # shell A: one decayed of three; shell B: three
    assert [t.name for t in markers] == ["shell A (2 shown)", "shell B (3 shown)"]
    for trace, (rows, percent) in zip(
        markers, _expected_groups(POINTS, SUNLIT).values(), strict=True
    ):
        for axis in (trace.x, trace.y, trace.z):
            assert np.asarray(axis).dtype == np.int16
        np.testing.assert_array_equal(_xyz(trace), np.array(rows).reshape(-1, 3))
        np.testing.assert_array_equal(np.asarray(trace.marker.color), percent)
        assert [list(step) for step in trace.marker.colorscale] == SUNLIGHT_COLORSCALE
        assert (trace.marker.cmin, trace.marker.cmax) == (0, 100)
    assert not any(t.marker.showscale for t in markers)
    key = [t for t in figure.data if t.legendgroup == "sunlight key"]
    assert [(t.name.split()[0], t.marker.color) for t in key] == [
        ("sunlight", "#F0E442"),
        ("penumbra", "#D55E00"),
        ("umbra", "#56B4E9"),
    ]
    assert all(not np.isfinite(np.asarray(t.x, dtype=float)).any() for t in key)  # no point


def test_markers_grow_as_the_constellation_thins_out():
    from viz.globe import marker_size, shells_figure

    sizes = [marker_size(n) for n in (1, 100, 1_000, 10_000, 50_000)]
    assert sizes[0] == sizes[1] == 5.0 and sizes[-2] == sizes[-1] == 1.6
    assert sizes == sorted(sizes, reverse=True) and 1.6 < sizes[2] < 5.0
    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False)
    assert {t.marker.size for t in _markers(figure)} == {5.0}  # five satellites drawn


def test_the_sun_seen_keeps_each_state_apart():
    from viz.globe import sun_percent

    fraction = [0.0, 1e-6, 0.004, 0.37, 0.996, 1.0 - 1e-9, 1.0]
    np.testing.assert_array_equal(sun_percent(fraction), [0, 1, 1, 37, 99, 99, 100])


def test_the_hover_names_the_shell_the_plane_the_slot_and_the_sunlight():
    from viz.globe import shells_figure

    ids = {
        "shell A": {"plane": np.array([0, 3, 5]), "slot": np.array([7, 8, 9])},
        "shell B": {"satellite": np.array([10, 11, 12])},
    }
    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False, point_ids=ids)
    a, b = _markers(figure)
    np.testing.assert_array_equal(a.customdata, [[0, 7], [3, 8]])  # the decayed one left out
    assert "<b>shell A</b>" in a.hovertemplate
    assert "plane %{customdata[0]}, slot %{customdata[1]}" in a.hovertemplate
    assert "%{marker.color} %" in a.hovertemplate
    np.testing.assert_array_equal(b.customdata, [[10], [11], [12]])
    assert "satellite %{customdata[0]}" in b.hovertemplate


def test_the_hover_shows_a_text_column_beside_the_numbers():
    from viz.globe import shells_figure

    ids = {
        "shell A": {"plane": np.array([0, 3, 5]), "slot": np.array([7, 8, 9])},
        "shell B": {"satellite": np.array([0, 1, 2]), "name": np.array(["X", "ISS", "Y"])},
    }
    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False, point_ids=ids)
    _, b = _markers(figure)
    assert [list(row) for row in b.customdata] == [[0, "X"], [1, "ISS"], [2, "Y"]]
    assert "satellite %{customdata[0]}, name %{customdata[1]}" in b.hovertemplate


def test_globe_ids_name_a_formation_member_and_an_element_set_satellite(tmp_path):
    from constellations.io.scenario import load_scenario
    from constellations.present.report import globe_point_ids

    formation = load_scenario("suncatcher-81")
    ids = globe_point_ids(formation, [0, 5, 80])
    assert ids == {formation.shells[0].name: {"member": ids[formation.shells[0].name]["member"]}}
    assert ids[formation.shells[0].name]["member"].tolist() == [0, 5, 80]

    (tmp_path / "two.tle").write_text(
        "ISS (ZARYA)\n"
        "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991\n"
        "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482\n"
        "OTHER\n"
        "1 25545U 98067B   19343.69339541  .00001764  00000-0  38792-4 0  9992\n"
        "2 25545  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202483\n"
    )
    (tmp_path / "two.toml").write_text(
        '[scenario]\nname = "two"\nepoch = "2019-12-10T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "two.tle"\n'
    )
    tracked = globe_point_ids(load_scenario(str(tmp_path / "two.toml")), [1])["tracked"]
    assert tracked["satellite"].tolist() == [1] and tracked["name"].tolist() == ["OTHER"]


def test_a_satellite_lost_in_any_frame_is_left_out_of_every_frame():
    from viz.globe import shells_figure

    later = _snapshot("t1", shift=10.0)
    later.points_km["shell B"][1] = np.nan  # SGP4 loses it after the first frame
    figure = shells_figure([_snapshot(), later], EARTH_KM, title="t", note="n", coastlines=False)
    assert [len(t.x) for t in _markers(figure)] == [2, 2]
    # shell A's decayed one (NaN from the first frame, as one failed before the epoch) and
    # shell B's lost one: the subtitle says so (it said "during the orbit" of both)
    assert "n; 2 failed in SGP4 before or during the orbit, not drawn" in figure.layout.title.text
    marker_traces = {k for k, t in enumerate(figure.data) if getattr(t, "mode", None) == "markers"}
    for frame in figure.frames:
        drawn = [t for k, t in zip(frame.traces, frame.data, strict=True) if k in marker_traces]
        assert [len(t.x) for t in drawn] == [2, 2]


def test_buttons_colour_by_sunlight_or_by_shell():
    from viz.globe import GROUP_COLOURS, SUNLIGHT_COLORSCALE, shells_figure

    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False)
    (menu,) = figure.layout.updatemenus
    by_sun, by_shell = menu.buttons
    markers = [k for k, t in enumerate(figure.data) if t in _markers(figure)]
    key = [k for k, t in enumerate(figure.data) if t.legendgroup == "sunlight key"]
    for button in (by_sun, by_shell):
        assert button.method == "restyle" and list(button.args[1]) == markers + key
    assert by_sun.args[0]["marker.colorscale"][:2] == [SUNLIGHT_COLORSCALE] * 2
    assert by_sun.args[0]["showlegend"] == [True] * 5
    assert "visible" not in by_sun.args[0]  # a shell the reader hid in the legend stays hidden
    flat = by_shell.args[0]["marker.colorscale"][:2]
    assert flat == [[[0.0, GROUP_COLOURS[0]], [1.0, GROUP_COLOURS[0]]],
                    [[0.0, GROUP_COLOURS[1]], [1.0, GROUP_COLOURS[1]]]]  # fmt: skip
    assert by_shell.args[0]["showlegend"] == [True, True, False, False, False]  # key hidden
    assert "visible" not in by_shell.args[0]


def test_markers_without_sunlight_are_one_trace_per_group():
    from viz.globe import shells_figure

    figure = shells_figure([_snapshot(sunlit=False)], EARTH_KM, title="t", coastlines=False)
    assert [t.name for t in _markers(figure)] == ["shell A (2 shown)", "shell B (3 shown)"]
    assert not figure.layout.updatemenus  # nothing to switch between


def test_three_snapshots_animate_with_frames_a_slider_and_play():
    from viz.globe import shells_figure

    labels = ["+0.0 min", "+30.0 min", "+60.0 min"]
    snapshots = [_snapshot(label, shift=1000.0 * k) for k, label in enumerate(labels)]
    figure = shells_figure(snapshots, EARTH_KM, title="t", coastlines=False)
    assert [f.name for f in figure.frames] == labels
    (slider,) = figure.layout.sliders
    assert [s.label for s in slider.steps] == labels
    assert [list(s.args[0]) for s in slider.steps] == [[label] for label in labels]
    colours, player = figure.layout.updatemenus
    assert [b.label for b in colours.buttons] == ["colour by sunlight", "colour by shell"]
    assert "play" in [b.label for b in player.buttons]


def test_one_snapshot_has_no_animation():
    from viz.globe import shells_figure

    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=False)
    assert len(figure.frames) == 0
    assert not figure.layout.sliders
    assert all("play" not in [b.label for b in m.buttons] for m in figure.layout.updatemenus)


@pytest.mark.parametrize("coastlines", [True, False])
@pytest.mark.parametrize("with_links", [True, False])
def test_each_frame_shows_its_own_snapshot(coastlines, with_links):
    from viz.globe import ShellSurface, shells_figure

    shifts = [0.0, 1000.0, -2000.0]
    links = np.array([[[7000.0, 0, 0], [0, 7000.0, 0]]]) if with_links else None
    snapshots = [_snapshot(f"f{k}", shift=s, links=links) for k, s in enumerate(shifts)]
    figure = shells_figure(
        snapshots,
        EARTH_KM,
        title="t",
        shell_surfaces=[ShellSurface("s", 6700.0, 60.0)],
        coastlines=coastlines,
    )
    for frame, shift in zip(figure.frames, shifts, strict=True):
        shifted = {g: p + shift for g, p in POINTS.items()}
        expected = list(_expected_groups(shifted, SUNLIT).values())
        assert len(frame.traces) == len(frame.data)
        for index, trace in zip(frame.traces, frame.data, strict=True):
            target = figure.data[index]  # the trace the frame replaces must be of its kind
            assert trace.type == target.type
        markers = [
            (index, trace)
            for index, trace in zip(frame.traces, frame.data, strict=True)
            if getattr(figure.data[index], "mode", None) == "markers"
        ]
        assert [figure.data[index].name for index, _ in markers] == [
            "shell A (2 shown)",
            "shell B (3 shown)",
        ]
        for (_, trace), (rows, percent) in zip(markers, expected, strict=True):
            np.testing.assert_array_equal(_xyz(trace), np.array(rows).reshape(-1, 3))
            np.testing.assert_array_equal(np.asarray(trace.marker.color), percent)


def test_links_are_drawn_as_trails_of_the_given_segments():
    from viz.globe import shells_figure

    segments = _grid(3, 4, wrap=True)
    figure = shells_figure([_snapshot(links=segments)], EARTH_KM, title="t", coastlines=False)
    (trace,) = _by_name(figure, "laser links")
    assert trace.name == f"laser links ({len(segments)})"
    path = _xyz(trace).astype(float)
    # float32 in the figure: compare with the segments rounded the same way
    expected = _edge_multiset(segments.astype(np.float32).astype(float))
    assert _edge_multiset(_path_edges(path)) == expected


def test_shell_surfaces_are_meshes_on_their_radius_within_their_latitude():
    from viz.globe import ShellSurface, shells_figure

    surfaces = [ShellSurface("low", 6718.0, 53.0), ShellSurface("polar", 7000.0, 83.2)]
    figure = shells_figure([_snapshot()], EARTH_KM, title="t", shell_surfaces=surfaces)
    for surface in surfaces:
        (mesh,) = [t for t in figure.data if t.name == f"{surface.name} shell"]
        assert mesh.type == "mesh3d"
        xyz = _xyz(mesh).astype(float)
        # float32 vertices: 7,000 km holds to about 0.5 m
        np.testing.assert_allclose(np.linalg.norm(xyz, axis=1), surface.radius_km, atol=0.01)
        lat = np.degrees(np.arcsin(np.clip(xyz[:, 2] / surface.radius_km, -1, 1)))
        assert np.abs(lat).max() <= surface.max_latitude_deg + 1e-3
        assert np.abs(lat).max() >= surface.max_latitude_deg - 1e-3  # the band reaches it
        n = len(xyz)
        faces = np.column_stack([mesh.i, mesh.j, mesh.k])
        assert faces.min() >= 0 and faces.max() < n


@pytest.mark.parametrize(
    "sun", [(1.0, 0.0, 0.0), (0.0, 0.6, 0.8), (-0.48, -0.6, -0.64)], ids=["x", "north", "south"]
)
def test_earth_is_brightest_under_the_sun_and_darkest_opposite(sun):
    from viz.globe import shells_figure

    sun = np.asarray(sun)
    other = -sun  # a second frame with the Sun on the other side
    figure = shells_figure(
        [_snapshot("a", sun=sun), _snapshot("b", sun=other)], EARTH_KM, title="t", coastlines=False
    )
    (earth,) = [t for t in figure.data if t.name == "Earth"]
    assert earth.type == "mesh3d"
    vertices = _xyz(earth).astype(float)
    unit = vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    np.testing.assert_allclose(np.linalg.norm(vertices, axis=1), EARTH_KM, atol=0.01)
    for intensity, towards in ((earth.intensity, sun), (figure.frames[1].data[0].intensity, other)):
        intensity = np.asarray(intensity, dtype=float)
        assert len(intensity) == len(vertices)
        nearest = np.argmax(unit @ towards)  # the vertex with the smallest angle to the Sun
        farthest = np.argmin(unit @ towards)
        assert intensity[nearest] == intensity.max()
        assert intensity[farthest] == intensity.min()
        assert intensity[nearest] > intensity[farthest]
    assert figure.frames[1].traces[0] == 0  # the frame's shading replaces the Earth's


@pytest.mark.parametrize("coastlines", [True, False])
def test_coastline_trace_only_when_asked(coastlines):
    from viz.globe import shells_figure

    figure = shells_figure([_snapshot()], EARTH_KM, title="t", coastlines=coastlines)
    coast = [t for t in figure.data if "coastline" in (t.name or "")]
    assert len(coast) == (1 if coastlines else 0)
    if coastlines:
        xyz = _xyz(coast[0]).astype(float)
        finite = np.isfinite(xyz).all(axis=1)
        r = np.linalg.norm(xyz[finite], axis=1)
        assert (r > EARTH_KM).all() and (r < EARTH_KM + 100).all()  # just above the ground


def test_shells_figure_needs_a_snapshot():
    from viz.globe import shells_figure

    with pytest.raises(ValueError):
        shells_figure([], EARTH_KM, title="t")


# ---------------------------------------------------------------- viz/report.py


class _Scripts(HTMLParser):
    """Every <script> of a page: its attributes and text, in order; and the divs' ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.divs, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = [dict(attrs), ""]
        elif tag == "div" and dict(attrs).get("id"):
            self.divs.append(dict(attrs)["id"])

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append(tuple(self._open))
            self._open = None


def _parse(page):
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def figures():
    import plotly.graph_objects as go

    flat_a = go.Figure(go.Scatter(x=[1, 2, 3], y=[4, 5, 6], name="A"), layout={"title": "flat A"})
    scene = go.Figure(
        go.Scatter3d(x=np.array([1, -2], dtype=np.int16), y=[3, 4], z=[5, 6], name="B")
    )
    hostile = "x </script><script>alert(1)</script> & <b>"
    flat_c = go.Figure(go.Bar(x=["p", "q"], y=[7, 8], name=hostile), layout={"title": hostile})
    return [("flat A", flat_a), ("scene <B>", scene), ("flat C", flat_c)]


@pytest.fixture(scope="module")
def page(figures):
    from viz.report import report_html

    return report_html("Plan <&>", [("Section", "<p>body</p>")], figures)


def test_report_embeds_plotly_once_and_loads_nothing(page):
    from plotly.offline import get_plotlyjs

    assert page.count(get_plotlyjs()) == 1
    scripts = _parse(page).scripts
    assert not [a for a, _ in scripts if "src" in a]
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert "<title>Plan &lt;&amp;&gt;</title>" in page


def test_report_has_one_div_per_figure_in_the_given_order(page, figures):
    ids = [d for d in _parse(page).divs if d.startswith("figure-")]
    assert ids == [f"figure-{k}" for k in range(len(figures))]
    # headings are escaped text, in the same order
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == ["Section", "flat A", "scene &lt;B&gt;", "flat C"]


def test_report_figure_json_parses_back_to_the_figures(page, figures):
    blocks = {
        a["id"]: text for a, text in _parse(page).scripts if a.get("type") == "application/json"
    }
    assert sorted(blocks) == [f"figure-{k}-spec" for k in range(len(figures))]
    a = json.loads(blocks["figure-0-spec"])
    assert a["data"][0]["x"] == [1, 2, 3] and a["data"][0]["y"] == [4, 5, 6]
    assert a["data"][0]["type"] == "scatter" and a["data"][0]["name"] == "A"
    b = json.loads(blocks["figure-1-spec"])["data"][0]
    assert b["type"] == "scatter3d" and b["y"] == [3, 4]
    x = b["x"]  # int16 as a plotly typed array: base64 of little-endian bytes
    if isinstance(x, dict):
        import base64

        assert x["dtype"] == "i2"
        x = np.frombuffer(base64.b64decode(x["bdata"]), dtype="<i2").tolist()
    assert x == [1, -2]


def test_script_close_in_a_title_does_not_break_the_page(page, figures):
    parsed = _parse(page)
    # a stray "</script>" would close a block early and leave its rest as page text
    assert page.count("<script") == page.count("</script>") == len(parsed.scripts)
    hostile = figures[2][1].layout.title.text
    (text,) = [t for a, t in parsed.scripts if a.get("id") == "figure-2-spec"]
    spec = json.loads(text)
    assert spec["layout"]["title"]["text"] == hostile
    assert spec["data"][0]["name"] == hostile
    assert "alert(1)" not in "".join(
        t for a, t in parsed.scripts if a.get("type") != "application/json"
    )


def test_figures_are_placeholders_drawn_by_the_page_when_seen(page):
    """No figure is drawn as the page loads: each is a placeholder of its height, drawn
    by the runtime when an IntersectionObserver sees it (or the page is printed)."""
    assert 'Plotly.newPlot("figure-' not in page
    runtime = [t for a, t in _parse(page).scripts if a.get("type") == "text/javascript"]
    (script,) = runtime
    for needed in ("IntersectionObserver", "beforeprint", "Plotly.toImage", "renderedMs"):
        assert needed in script
    # plotly.js is text evaluated after the first paint, just before the runtime.
    kinds = [a.get("type") or a.get("id") for a, _ in _parse(page).scripts]
    assert kinds[-2:] == ["text/plain", "text/javascript"]


def test_scenes_are_marked_for_print_images_and_placeholders_keep_their_height():
    import plotly.graph_objects as go

    from viz.globe import shells_figure
    from viz.report import report_html

    globe = shells_figure([_snapshot()], EARTH_KM, title="globe", coastlines=False)
    flats = [go.Figure(go.Scatter(x=[k], y=[k])) for k in range(3)]
    page = report_html("p", [], [("globe", globe)] + [(f"f{k}", f) for k, f in enumerate(flats)])
    ids = [d for d in _parse(page).divs if d.startswith("figure-")]
    assert ids == ["figure-0", "figure-1", "figure-2", "figure-3"]
    assert page.count('data-scene="3d" data-heading') == 1
    assert re.search(r'<div id="figure-0" [^>]*data-scene="3d"[^>]*style="height:720px', page)
    assert re.search(r'<div id="figure-1" [^>]*style="height:450px', page)


def test_footer_and_header_are_placed_and_escaped():
    from viz.report import report_html

    page = report_html(
        "p",
        [("Section", "<p>x</p>")],
        [],
        header_html='<div id="headline">first</div>',
        footer=[("command", "orbital-dc plan a<b>.toml")],
    )
    assert page.index('id="headline"') < page.index("<h2>Section</h2>")
    assert "<dd>orbital-dc plan a&lt;b&gt;.toml</dd>" in page
    assert page.index("<h2>Section</h2>") < page.index('<footer class="provenance">')
    assert 'id="orbital-dc-print"' not in page  # no figures: no print button, no plotly.js
    assert 'id="orbital-dc-plotly"' not in page


def test_headline_cards_carry_their_json_path_and_number():
    from viz.report import headline_html

    value = 0.1 + 0.2  # a float whose shortest repr has 17 digits
    page = headline_html(
        [("space / ground", "0.3 x", "a <b> ratio", "cost.space_to_ground_ratio", value)],
        [{"claim": "c & d", "would hold if": "x"}],
    )
    card = re.search(r'<div class="headline-card" ([^>]*)>', page).group(1)
    assert 'data-json-path="cost.space_to_ground_ratio"' in card
    assert float(re.search(r'data-value="([^"]*)"', card).group(1)) == value
    assert "a &lt;b&gt; ratio" in page
    assert "<caption>Claims checked</caption>" in page and "c &amp; d" in page
    assert headline_html([]) == ""


def test_table_html_escapes_values_and_formats_numbers():
    from viz.report import table_html

    table = table_html(
        [{"name <x>": "<script>alert('x')</script>", "n": 1234567, "f": None, "g": 96.8137}],
        caption="a & b",
    )
    assert "<script>" not in table
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in table
    assert '<th class="text">name &lt;x&gt;</th>' in table
    assert "<caption>a &amp; b</caption>" in table
    assert "<td>1,234,567</td>" in table
    assert "<td>96.8</td>" in table
    assert table_html([]) == ""


@pytest.mark.parametrize(
    "value, text",
    [
        (96.8137, "96.8"),
        (0.123456, "0.123"),
        (1234.5678, "1,235"),
        (-25_000_000.0, "-25,000,000"),
        (0.000123, "1.23e-04"),
        (999.95, "1,000"),  # rounds up to a thousand: not 1e+03
        (99.96, "100"),
        (12.0, "12"),
        (0.0, "0"),
        (float("nan"), "-"),
        (float("inf"), "-"),
    ],
)
def test_numbers_are_written_for_people(value, text):
    from viz.report import format_number

    assert format_number(value) == text


def test_a_long_table_shows_its_key_rows_and_folds_the_rest():
    from viz.report import COLLAPSE_AFTER, KEY_ROWS, table_html

    rows = [{"shell": f"s{k}", "km": f"{300 + k}"} for k in range(COLLAPSE_AFTER + 5)]
    table = table_html(rows, "Shells", key_rows=[7, 2])
    shown, folded = table.split("<details")
    assert re.findall(r"<td class=\"text\">(s\d+)</td>", shown) == ["s7", "s2"]
    rest = re.findall(r"<td class=\"text\">(s\d+)</td>", folded)
    assert rest == [f"s{k}" for k in range(len(rows)) if k not in (2, 7)]
    assert f"{len(rows) - 2} more rows</summary>" in folded
    default = table_html(rows, "Shells")
    assert len(re.findall("<tr>", default.split("<details")[0])) == KEY_ROWS + 1
    short = table_html(rows[:COLLAPSE_AFTER], "Shells")
    assert "<details" not in short


def test_every_table_carries_its_rows_as_csv():
    import csv
    import io
    from urllib.parse import unquote

    from viz.report import COLLAPSE_AFTER, table_html

    rows = [
        {"shell": f"s, {k}", "satellites": f"{1000 * k:,}", "incl deg": "97.5 (mean)"}
        for k in range(COLLAPSE_AFTER + 3)
    ]
    table = table_html(rows, "Shells: a & b")
    (name, href) = re.findall(
        r'download="([^"]+)" href="data:text/csv;charset=utf-8,([^"]+)"', table
    )[0]
    assert name == "shells-a-b.csv"
    parsed = list(csv.reader(io.StringIO(unquote(href))))
    assert parsed[0] == ["shell", "satellites", "incl deg"]
    assert len(parsed) == len(rows) + 1  # the folded rows too
    assert parsed[2] == ["s, 1", "1000", "97.5 (mean)"]  # separators out of numbers only


# ---------------------------------------------------------------- constellations/present/report.py

#: SGP4 keeps the mean semi-major axis at R + 340 km; the osculating radius then swings
#: by the J2 short-period terms (a mean offset near +4.7 km and +-1.6 km twice an orbit at
#: 97 deg) and by the J3 long-period eccentricity (about 1e-3, +-7 km): 340 km +- 15 km.
ALTITUDE_TOLERANCE_KM = 15.0
#: Cylinder against cone: at 6,700 km behind the Earth, the umbra cone has narrowed by
#: about 31 km and the penumbra widened as much; points nearer the cylinder are skipped.
CYLINDER_MARGIN_KM = 50.0
N_SATS = 1000


@pytest.fixture(scope="module")
def dawn_dusk():
    from constellations.io.scenario import load_scenario

    return load_scenario("dawn-dusk-340")


@pytest.fixture(scope="module")
def sampled(dawn_dusk):
    from constellations.present.report import globe_snapshots

    return globe_snapshots(dawn_dusk, max_markers=200, frames=3)


@pytest.fixture(scope="module")
def june():
    """The same cluster at the June solstice, when beta is about 60 deg: eclipses each orbit."""
    from constellations.io.scenario import parse_scenario, preset_text
    from constellations.present.report import globe_snapshots

    text = preset_text("dawn-dusk-340")
    assert 'epoch = "2027-01-01T00:00:00Z"' in text
    text = text.replace('epoch = "2027-01-01T00:00:00Z"', 'epoch = "2027-06-21T00:00:00Z"')
    return globe_snapshots(parse_scenario(text), max_markers=200, frames=6)


def _all_points(snapshot):
    return np.concatenate([np.asarray(p, dtype=float) for p in snapshot.points_km.values()])


def _all_sunlit(snapshot):
    return np.concatenate([np.asarray(f, dtype=float) for f in snapshot.sunlit.values()])


def test_globe_snapshots_sample_and_label_the_frames(sampled, dawn_dusk):
    snapshots, shown = sampled
    assert shown == 200 and dawn_dusk.n_sats == N_SATS
    assert len(snapshots) == 3
    assert snapshots[0].label == "+0.0 min"
    # three frames over one orbit, endpoint excluded: 0, P/3, 2P/3 with P near 91.5 min at
    # 340 km (Kepler's 91.3 min, plus J2's few seconds)
    minutes = [float(s.label.split()[0]) for s in snapshots]
    period = 2 * math.pi * math.sqrt((6378.135 + 340.0) ** 3 / 398600.8) / 60.0
    np.testing.assert_allclose(minutes, [0.0, period / 3, 2 * period / 3], atol=0.3)
    for s in snapshots:
        points = _all_points(s)
        assert points.shape == (200, 3)
        assert list(s.points_km) == ["dd340"]
        assert _all_sunlit(s).shape == (200,)
        assert s.links_km is None  # not every satellite is shown


def test_globe_snapshot_positions_are_at_340_km(sampled):
    for s in sampled[0]:
        altitude = np.linalg.norm(_all_points(s), axis=1) - WGS84_RADIUS_KM
        assert np.abs(altitude - 340.0).max() < ALTITUDE_TOLERANCE_KM


def test_globe_snapshots_follow_the_same_satellites(sampled):
    """Frames are a third of an orbit apart: each satellite moves ~120 deg around the Earth."""
    first, second = (_all_points(s) for s in sampled[0][:2])
    angle = np.degrees(
        np.arccos(
            np.sum(first * second, axis=1)
            / (np.linalg.norm(first, axis=1) * np.linalg.norm(second, axis=1))
        )
    )
    # 120 deg in inertial space; the Earth turns 7.6 deg under a near-polar orbit meanwhile
    assert np.abs(angle - 120.0).max() < 10.0


def test_sun_direction_is_a_unit_vector_where_the_almanac_puts_the_sun(sampled):
    # 2027-01-01 00:00 UTC: declination -23.0 deg; the equation of time is about -3.2 min,
    # so the subsolar point is 0.8 deg west of the antimeridian, at 179.2 W.  The Sun moves
    # west 0.25 deg per minute of time.
    for s in sampled[0]:
        sun = np.asarray(s.sun_direction, dtype=float)
        assert sun.shape == (3,)
        assert abs(np.linalg.norm(sun) - 1.0) < 1e-12
        minutes = float(s.label.split()[0])
        lon, lat = _lonlat_deg(sun[None])
        expected_lon = -179.2 - 0.25 * minutes
        assert abs((lon[0] - expected_lon + 180.0) % 360.0 - 180.0) < 0.5
        assert abs(lat[0] - (-23.0)) < 0.3


def _check_against_cylinder(snapshots):
    umbra = sunlit = 0
    for s in snapshots:
        points, fraction = _all_points(s), _all_sunlit(s)
        sun = np.asarray(s.sun_direction, dtype=float)
        along = points @ sun
        off_axis = np.linalg.norm(points - along[:, None] * sun, axis=1)
        in_shadow = (along < 0) & (off_axis < WGS84_RADIUS_KM)
        clear = np.abs(off_axis - WGS84_RADIUS_KM) > CYLINDER_MARGIN_KM
        assert (fraction[clear & in_shadow] == 0.0).all()
        assert (fraction[clear & ~in_shadow] == 1.0).all()
        assert ((fraction >= 0.0) & (fraction <= 1.0)).all()
        umbra += int((clear & in_shadow).sum())
        sunlit += int((clear & ~in_shadow).sum())
    return umbra, sunlit


def test_sunlit_fractions_agree_with_a_cylindrical_shadow_in_january(sampled):
    umbra, sunlit = _check_against_cylinder(sampled[0])
    assert sunlit > 500  # beta near 74 deg in January: nearly all in sunlight


def test_sunlit_fractions_agree_with_a_cylindrical_shadow_in_june(june):
    snapshots, shown = june
    assert shown == 200 and len(snapshots) == 6
    umbra, sunlit = _check_against_cylinder(snapshots)
    # beta near 60 deg: the eclipse spans about 100 deg of the 360 (28 %)
    share = umbra / (umbra + sunlit)
    assert 0.15 < share < 0.40


def test_globe_draws_the_links_the_mesh_over_the_orbit_counts():
    """A formation's ``nearest`` mesh: its links are nearly equal in length, so rounding
    (ITRS against the mesh's TEME) once reordered near-ties of the greedy matching and the
    globe drew a link more or less than the plan counted in 5 of its 24 frames."""
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan
    from constellations.present.report import globe_snapshots

    formation = load_scenario("suncatcher-81")
    assert formation.links.topology == "nearest" and formation.links.snapshots == 24
    over = plan(formation, stages={"network"}).network.over_orbit
    snapshots, shown = globe_snapshots(formation, max_markers=formation.n_sats)
    assert shown == formation.n_sats and len(snapshots) == over.snapshots
    assert [len(s.links_km) for s in snapshots] == over.links.tolist()
    assert len(set(over.links.tolist())) > 1  # the count changes over the orbit


def test_links_are_drawn_only_when_every_satellite_is_shown(dawn_dusk):
    from constellations.present.report import globe_snapshots

    partial, shown = globe_snapshots(dawn_dusk, max_markers=N_SATS - 1, frames=2)
    assert shown == N_SATS - 1 and all(s.links_km is None for s in partial)
    full, shown = globe_snapshots(dawn_dusk, max_markers=N_SATS, frames=2)
    assert shown == N_SATS
    for s in full:
        points = _all_points(s)
        links = np.asarray(s.links_km, dtype=float)
        # +Grid over 10 planes of 100 in a 10-deg band of nodes: 10 rings of 100 links
        # and 100 links between each of the 9 pairs of neighbouring planes
        assert links.shape == (1000 + 9 * 100, 2, 3)
        index = {tuple(p): k for k, p in enumerate(points)}
        ends = [index.get(tuple(p)) for p in links.reshape(-1, 3)]
        assert None not in ends  # every end is a shown satellite
        ends = np.array(ends).reshape(-1, 2)
        assert (ends[:, 0] != ends[:, 1]).all()
        assert np.bincount(ends.ravel(), minlength=N_SATS).max() <= 4  # four terminals
        # in a plane, neighbours are 3.6 deg apart: a chord of 2 r sin(1.8 deg) = 422 km
        # (r varies by the J2 and J3 swing); across planes, phasing 5 puts neighbours
        # 1.8 deg apart along track (211 km) and up to the 1.1 deg of node spacing across
        length = np.linalg.norm(links[:, 0] - links[:, 1], axis=1)
        in_plane = 2 * (WGS84_RADIUS_KM + 340.0) * math.sin(math.radians(1.8))
        along = np.abs(length - in_plane) < ALTITUDE_TOLERANCE_KM
        assert along.sum() == 1000
        cross = length[~along]
        assert (cross > 150.0).all() and (cross < 260.0).all()


def test_shell_surfaces_reach_the_latitude_of_the_inclination(dawn_dusk):
    from constellations.present.report import shell_surfaces
    from constellations.stages.resolve import resolve

    (surface,) = shell_surfaces(resolve(dawn_dusk))
    # Sun-synchronous at 340 km: the node turns 360 deg a year under J2 (WGS-72 constants)
    mu, radius, j2 = 398600.8, 6378.135, 0.001082616
    a = radius + 340.0
    n = math.sqrt(mu / a**3)
    node_rate = 2 * math.pi / (365.2422 * 86400.0)
    inclination = math.degrees(math.acos(-node_rate / (1.5 * n * j2 * (radius / a) ** 2)))
    assert abs(inclination - 96.81) < 0.01  # Vallado, as the preset's sources say
    # flown: 0.023 deg more, for SGP4's J2^2 and J4 node terms (issue 13: 96.837 deg)
    inclination += 0.023
    assert surface.name == "dd340"
    assert abs(surface.max_latitude_deg - (180.0 - inclination)) < 0.02
    assert abs(surface.radius_km - (radius + 340.0)) < 0.01


def test_a_long_per_shell_table_shows_shells_spread_from_first_to_last():
    from constellations.present.report import _spread
    from viz.report import COLLAPSE_AFTER, KEY_ROWS

    assert _spread(COLLAPSE_AFTER) is None
    rows = _spread(129)
    assert rows[0] == 0 and rows[-1] == 128 and len(rows) == KEY_ROWS
    assert rows == sorted(set(rows))
    # A shell's three drag cases stay together.
    cases = _spread(3 * 129, group=3)
    assert cases[:3] == [0, 1, 2] and cases[-3:] == [384, 385, 386]
    starts = cases[::3]
    assert all(start % 3 == 0 for start in starts)
    assert cases == [start + k for start in starts for k in range(3)]


def test_failure_curves_say_where_the_largest_cluster_is_in_the_diameter_hover():
    from viz.charts import failure_curves

    figure = failure_curves(
        [0.0, 0.1],
        {"largest cluster": [1.0, 0.9]},
        [839.0, 425.0],
        title="t",
        cluster_shells=["dd340", "w350"],
    )
    diameter = figure.data[-1]
    assert diameter.yaxis == "y2" and list(diameter.text) == ["dd340", "w350"]
    assert "%{text}" in diameter.hovertemplate
    plain = failure_curves([0.0], {"a": [1.0]}, [3.0], title="t")
    assert plain.data[-1].text is None

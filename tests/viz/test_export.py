"""Static PNG and SVG copies of figures (viz/export.py) and the CLI's --figures.

Export drives a real headless Chromium through Kaleido.  Chromium comes from
Debian's ``chromium`` package, installed where missing by the announced step of the
README's test command (``sh tools/install-test-browser``), never by a test.  Without it
the tests that need it are skipped with one line saying so, except under CI
(``CI=true``), where they fail (the ``chromium`` fixture).  Each browser session costs
seconds, so the figures are drawn in batches by module-scoped fixtures.
"""

import html
import struct
import tomllib
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest
from helpers import ROOT

from viz.export import PNG_SCALE, ExportError, figure_file_names, write_images

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
PRESET = ROOT / "constellations" / "presets"

# The 2D figure: a known title, known axis titles and a known size.
TITLE = "Known title of a test chart"
X_TITLE = "alpha axis (km)"
Y_TITLE = "beta axis (GW)"
WIDTH_2D, HEIGHT_2D = 400, 300
# The 3D figure: big pure-red markers in a scene, another size.
WIDTH_3D, HEIGHT_3D = 500, 360


def figure_2d():
    import plotly.graph_objects as go

    return go.Figure(
        go.Scatter(x=[1, 2, 3, 4], y=[3, 1, 4, 1], mode="lines+markers"),
        layout={
            "title": {"text": TITLE},
            "xaxis": {"title": {"text": X_TITLE}},
            "yaxis": {"title": {"text": Y_TITLE}},
            "width": WIDTH_2D,
            "height": HEIGHT_2D,
        },
    )


def figure_3d():
    import plotly.graph_objects as go

    return go.Figure(
        go.Scatter3d(
            x=[0.0, 1.0, 0.5],
            y=[0.0, 1.0, 0.2],
            z=[0.0, 1.0, 0.8],
            mode="markers",
            marker={"size": 30, "color": "rgb(255, 0, 0)", "opacity": 1.0},
        ),
        layout={"width": WIDTH_3D, "height": HEIGHT_3D},
    )


def read_png(data: bytes):
    """``(width, height, pixels (h, w, channels) uint8)`` of an 8-bit, non-interlaced PNG.

    A small decoder from the PNG specification (chunks, zlib, the five row filters),
    so the test reads the pixels without the exporter's own stack.
    """
    assert data[:8] == PNG_SIGNATURE
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or interlace != 0 or channels is None:
        pytest.fail(f"unexpected PNG layout: depth {depth}, color type {color}, interlace")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int64)
    previous = np.zeros(stride, dtype=np.int64)
    for r in range(height):
        kind, line = rows[r, 0], rows[r, 1:].astype(np.int64)
        if kind == 0:
            current = line
        elif kind == 1:  # Sub: a running sum per channel
            current = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:  # Up
            current = (line + previous) % 256
        elif kind in (3, 4):  # Average, Paeth: byte by byte
            current = np.zeros(stride, dtype=np.int64)
            for x in range(stride):
                a = current[x - channels] if x >= channels else 0
                b = previous[x]
                c = previous[x - channels] if x >= channels else 0
                if kind == 3:
                    predictor = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                current[x] = (line[x] + predictor) % 256
        else:
            pytest.fail(f"unknown PNG filter type {kind} in row {r}")
        out[r] = current
        previous = current
    return width, height, out.reshape(height, width, channels).astype(np.uint8)


def red_pixels(pixels: np.ndarray) -> int:
    rgb = pixels[..., :3].astype(int)
    return int(np.sum((rgb[..., 0] >= 200) & (rgb[..., 1] <= 60) & (rgb[..., 2] <= 60)))


@pytest.fixture(scope="module")
def png_export(chromium, tmp_path_factory):
    """One browser session: the 2D and the 3D figure as PNG."""
    folder = tmp_path_factory.mktemp("png")
    ticks = []
    paths = write_images(
        [("Known title chart", figure_2d()), ("A 3D scene!", figure_3d())],
        folder,
        "png",
        progress=ticks.append,
    )
    return folder, paths, ticks


@pytest.fixture(scope="module")
def svg_export(chromium, tmp_path_factory):
    """One browser session: the 2D figure as SVG."""
    folder = tmp_path_factory.mktemp("svg")
    paths = write_images([("Known title chart", figure_2d())], folder, "svg")
    return folder, paths


def test_svg_is_xml_with_the_title_and_axis_text(svg_export):
    folder, paths = svg_export
    assert [p.name for p in paths] == ["01-known-title-chart.svg"]
    assert sorted(p.name for p in folder.iterdir()) == ["01-known-title-chart.svg"]
    root = ET.fromstring(paths[0].read_bytes())
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == (str(WIDTH_2D), str(HEIGHT_2D))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert TITLE in texts
    assert X_TITLE in texts and Y_TITLE in texts


def test_png_has_the_signature_and_the_scaled_pixel_size(png_export):
    _, paths, _ = png_export
    data = paths[0].read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"  # the first chunk, right after its length
    width, height = struct.unpack(">II", data[16:24])
    assert PNG_SCALE >= 1
    assert (width, height) == (WIDTH_2D * PNG_SCALE, HEIGHT_2D * PNG_SCALE)
    decoded_width, decoded_height, pixels = read_png(data)
    assert (decoded_width, decoded_height) == (width, height)
    # Not a blank page: the chart draws dark text and lines on white.
    assert pixels[..., :3].min() < 100 and pixels[..., :3].max() > 200


def test_a_3d_figure_exports_to_png_with_its_scene_drawn(png_export):
    _, paths, _ = png_export
    width, height, pixels = read_png(paths[1].read_bytes())
    assert (width, height) == (WIDTH_3D * PNG_SCALE, HEIGHT_3D * PNG_SCALE)
    # Three 30 px markers at PNG_SCALE: thousands of red pixels when WebGL drew the scene;
    # plotly's default template has no red of its own.
    assert red_pixels(pixels) > 500


def test_files_follow_the_headings_in_order_and_progress_ticks_per_figure(png_export):
    folder, paths, ticks = png_export
    expected = ["01-known-title-chart.png", "02-a-3d-scene.png"]
    assert [p.name for p in paths] == expected
    assert all(p.parent == folder for p in paths)
    # Only the final files: no temporaries left beside them.
    assert sorted(p.name for p in folder.iterdir()) == expected
    assert ticks == [1, 1]


def test_figure_file_names_number_and_slug_the_headings():
    names = figure_file_names(["Shells in 3D", "Cost per W (USD)", "  Flights a year  "], "svg")
    assert names == ["01-shells-in-3d.svg", "02-cost-per-w-usd.svg", "03-flights-a-year.svg"]
    names = figure_file_names([f"Chart {k}" for k in range(1, 12)], "png")
    assert names[0] == "01-chart-1.png" and names[10] == "11-chart-11.png"
    (odd,) = figure_file_names(["!!!"], "png")  # nothing to slug: still a usable name
    assert odd.startswith("01-") and odd.endswith(".png") and odd != "01-.png"


def test_a_bad_format_raises_export_error_and_writes_nothing(tmp_path):
    with pytest.raises(ExportError, match="jpeg"):
        write_images([("A", figure_2d())], tmp_path, "jpeg")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_raises_export_error_and_writes_nothing(tmp_path):
    missing = tmp_path / "not-there"
    with pytest.raises(ExportError, match="not-there"):
        write_images([("A", figure_2d())], missing, "svg")
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_no_browser_at_browser_path_raises_export_error_and_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser" / "chrome"))
    folder = tmp_path / "figures"
    folder.mkdir()
    with pytest.raises(ExportError, match="Chromium"):
        write_images([("A", figure_2d()), ("B", figure_3d())], folder, "png")
    # Neither final files nor their .partial temporaries.
    assert list(folder.iterdir()) == []


# --- the command line ------------------------------------------------------------------


@pytest.fixture(scope="module")
def compared(chromium, cli_in_process, tmp_path_factory):
    """One ``compare`` run writing both the HTML page and the SVG figures, into a folder
    ``figs`` that it makes."""
    folder = tmp_path_factory.mktemp("compare")
    result = cli_in_process(
        "compare",
        "claim-10k-flights",
        "--html",
        "c.html",
        "--figures",
        "figs",
        "--figure-format",
        "svg",
        cwd=folder,
    )
    return folder, result


def test_compare_writes_one_svg_per_compared_curve(compared):
    folder, result = compared
    assert result.returncode == 0, result.stderr
    assert "4 figures written to figs (a new folder) as svg" in result.stderr
    # The three cadence curves compared, then the levelised cost by launch year.
    headings = [
        "Installed compute",
        "Flights a year",
        "Cost per installed watt",
        "Levelised cost of compute",
    ]
    expected = [
        "01-installed-compute.svg",
        "02-flights-a-year.svg",
        "03-cost-per-installed-watt.svg",
        "04-levelised-cost-of-compute.svg",
    ]
    assert sorted(p.name for p in (folder / "figs").iterdir()) == expected
    for name, heading in zip(expected, headings, strict=True):
        root = ET.fromstring((folder / "figs" / name).read_bytes())
        assert root.tag == f"{SVG_NS}svg"
        texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
        assert heading in texts


def test_compare_html_lists_every_source_of_the_scenario_escaped(compared):
    folder, result = compared
    assert result.returncode == 0, result.stderr
    page = (folder / "c.html").read_text()
    sources = tomllib.loads((PRESET / "claim-10k-flights.toml").read_text())["scenario"]["sources"]
    assert len(sources) == 3
    for source in sources:
        assert html.escape(source) in page
    # The first source quotes 'possible': the page carries it escaped, so the check above
    # would fail on an unescaped page.
    quoted = [s for s in sources if "'" in s or "&" in s or "<" in s]
    assert quoted and all(html.escape(s) != s for s in quoted)
    assert "claim-10k-flights" in page


@pytest.mark.parametrize(
    "command",
    [("report", "dawn-dusk-340", "-o", "r.html"), ("plan", "dawn-dusk-340", "--html", "r.html")],
    ids=["report", "plan"],
)
def test_a_figures_folder_in_a_missing_folder_exits_2_before_writing(
    tmp_path, cli_in_process, command
):
    result = cli_in_process(*command, "--figures", "missing_dir/figs", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--figures missing_dir/figs" in lines[0] and "folder missing_dir does not" in lines[0]
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []

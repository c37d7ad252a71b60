"""The HTML report in a real browser: headless Chromium opens it from disk, offline.

Chromium comes from Debian's ``chromium`` package, installed where missing by the
announced step of the README's test command (``sh tools/install-test-browser``), never
by a test.  Without it these tests are skipped with one line saying so, except under CI
(``CI=true``), where a missing browser fails them (the ``chromium`` fixture).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

#: Issue 20's budgets for the default preset's report, s, measured (median of 5) by
#: benchmarks/bench_report.py: the first paint, and each figure from coming into view to
#: drawn.  The 2-core machine is shared, so one render here is held to :data:`GUARD`
#: times the budget: a guard against a page that became several times slower, not a
#: flaky reading of the budget.
FIRST_PAINT_BUDGET_S = 1.5
FIGURE_BUDGET_S = 1.0
GUARD = 3.0
#: The globe (a WebGL scene of 24 frames, software-rendered here) takes several seconds
#: to draw on the shared 2-core machine, more than the 1 s budget the benchmark reports
#: against; a figure is failed here only past this.
FIGURE_GUARD_S = 30.0


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    # One run writes the page and the plan JSON its headline cards are checked against.
    command = ["plan", "dawn-dusk-340", "--json", str(folder / "plan.json"), "--html", str(path)]
    subprocess.run(
        [sys.executable, "-m", "constellations.cli", *command],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return path


#: The screenshots the probe takes: the top of the page and the globe (figure 0).
SCREENSHOTS = {"top": None, "globe": "#figure-0"}
#: A 1,280 x 800 PNG of a page with text and figures compresses to some 50-300 kB; one of a
#: single colour (nothing drawn) to under 10 kB.
MIN_SCREENSHOT_BYTES = 20_000


#: A page element's text and its box, CSS px (for the layout checks below).
_BOX_JS = """function box(e) { var b = e.getBoundingClientRect();
  return {"text": e.textContent, "left": b.left, "right": b.right, "top": b.top,
    "bottom": b.bottom}; }"""

#: Run in the page once it is scrolled through: the globe's marker traces as drawn (after
#: its frames were added), then after "colour by shell" and moving to the last frame (the
#: buttons restyle the colour scale, which frames do not carry), then back as it was.
GLOBE_CHECKS = {
    "satellites": """window.satellites = function (t) {
      return t.mode === "markers" && t.legendgroup !== "sunlight key"; }; true""",
    "frames_added": """new Promise(function (done) {
      var div = document.getElementById("figure-0");
      (function wait() { if (div.dataset.framesMs) { done(div._transitionData._frames.length); }
        else { setTimeout(wait, 50); } })(); })""",
    "drawn": """document.getElementById("figure-0")._fullData
      .filter(satellites)
      .map(function (t) { return {"name": t.name, "n": t.x.length,
        "ids": t.customdata ? t.customdata.length : 0, "hover": t.hovertemplate,
        "sun": Array.from(t.marker.color), "scale": t.marker.colorscale}; })""",
    "by_shell": """(function () {
      var div = document.getElementById("figure-0");
      var button = div.layout.updatemenus[0].buttons[1];
      var frames = div._transitionData._frames;
      return window.Plotly.restyle(div, button.args[0], button.args[1]).then(function () {
        return window.Plotly.animate(div, [frames[frames.length - 1].name],
          {"frame": {"duration": 0, "redraw": true}, "mode": "immediate"});
      }).then(function () {
        var found = div._fullData.filter(satellites)
          .map(function (t) { return {"scale": t.marker.colorscale,
            "sun": Array.from(t.marker.color)}; });
        // The scene moved on: the image captured for printing is dropped, not printed stale.
        found.push({"image_dropped": !div.classList.contains("printed-as-image") &&
          !document.getElementById("figure-0-print") &&
          !document.getElementById("figure-0-print-hint").classList.contains("captured")});
        var back = div.layout.updatemenus[0].buttons[0];  // as a reader first sees it
        return window.Plotly.restyle(div, back.args[0], back.args[1]).then(function () {
          return window.Plotly.animate(div, [frames[0].name],
            {"frame": {"duration": 0, "redraw": true}, "mode": "immediate"});
        }).then(function () { return window.orbitalDc.preparePrint(); })
          .then(function () { return found; });
      }); })()""",
    # Every text of the slider (its tick labels and current value) and the play and pause
    # buttons, with the box of the figure's SVG that clips them, CSS px.
    "slider_texts": """(function () {
      var div = document.getElementById("figure-0");
      """
    + _BOX_JS
    + """
      return {"figure": box(div.querySelector(".main-svg")),
        "texts": Array.from(div.querySelectorAll(".slider-container text, .updatemenu-button"))
          .map(box)}; })()""",
}


@pytest.fixture(scope="module")
def scrolled(chromium, report):
    """The report in a 1,280 x 800 window, scrolled through by :mod:`viz.page_probe`
    (Chromium over the DevTools pipe, real time), prepared for printing, then the globe
    checked (:data:`GLOBE_CHECKS`); the screenshots come last."""
    from viz.page_probe import probe_page

    return probe_page(
        chromium,
        report.as_uri(),
        width=1280,
        height=800,
        print_images=True,
        screenshots=SCREENSHOTS,
        evaluate=GLOBE_CHECKS,
        pdf=True,
    )


def test_report_draws_its_figures_as_they_scroll_into_view(report, scrolled):
    html = report.read_text()
    figures = html.count('class="plotly-graph-div"')
    assert figures >= 8  # the globe and the charts
    # plotly.js is embedded, not fetched: the page works with no network.
    assert not re.search(r'<script[^>]+src="https?://', html)
    marks = scrolled["marks"]
    assert int(marks["figures"]) == figures
    # Lazy: at the first paint only what is in the first screen is asked for...
    assert scrolled["asked_before_scroll"] < figures
    # ...and once scrolled through, every figure drew, each after it was asked for.
    assert "renderError" not in marks
    drawn = scrolled["figures"]
    assert len(drawn) == figures and all(f["error"] is None for f in drawn), drawn
    assert all(f["drawn"] >= f["visible"] > int(marks["firstPaintMs"]) for f in drawn), drawn
    assert int(marks["figuresDrawn"]) == figures
    assert int(marks["renderedMs"]) == max(f["drawn"] for f in drawn)
    assert scrolled["errors"] == []
    first_paint_s = int(marks["firstPaintMs"]) / 1000.0
    slowest = max(drawn, key=lambda f: f["drawn"] - f["visible"])
    slowest_s = (slowest["drawn"] - slowest["visible"]) / 1000.0
    print(
        f"first paint {first_paint_s:.2f} s (budget {FIRST_PAINT_BUDGET_S:g} s); slowest "
        f"figure {slowest['id']} {slowest_s:.2f} s from coming into view"
    )
    assert first_paint_s <= GUARD * FIRST_PAINT_BUDGET_S
    assert slowest_s <= FIGURE_GUARD_S


def test_the_globe_names_each_satellite_and_colours_by_sunlight_or_by_shell(scrolled):
    from viz.globe import GROUP_COLOURS, SUNLIGHT_COLORSCALE

    checks = scrolled["evaluated"]
    assert checks["frames_added"] == 24  # one orbit, added once the globe had drawn
    (shell,) = checks["drawn"]  # dawn-dusk-340: one shell of 1,000, all drawn
    assert shell["name"] == "dd340 (1,000 shown)" and shell["n"] == shell["ids"] == 1000
    assert "<b>dd340</b>" in shell["hover"] and "plane %{customdata[0]}" in shell["hover"]
    assert set(shell["sun"]) <= set(range(101)) and 100 in shell["sun"]
    assert shell["scale"] == SUNLIGHT_COLORSCALE
    after, dropped = checks["by_shell"]  # restyled, then moved to the last frame
    assert dropped == {"image_dropped": True}
    assert after["scale"] == [[0, GROUP_COLOURS[0]], [1, GROUP_COLOURS[0]]]
    assert after["sun"] != shell["sun"]  # the frame's own sunlight came in under it
    assert scrolled["errors"] == []


def test_the_globe_slider_and_its_buttons_lie_inside_the_figure(scrolled):
    """Nothing of the slider is clipped: its tick labels reached 5 px below the figure's
    SVG, which cut off their lower half (the README's screenshot showed it)."""
    found = scrolled["evaluated"]["slider_texts"]
    figure, texts = found["figure"], found["texts"]
    labels = [t for t in texts if t["text"].startswith("+")]
    assert len(labels) >= 12 and any(t["text"] == "play" for t in texts), texts
    for t in texts:
        assert figure["left"] <= t["left"] and t["right"] <= figure["right"], t
        assert figure["top"] <= t["top"] and t["bottom"] <= figure["bottom"], (t, figure)


#: The globe's title, subtitle and buttons, CSS px boxes, as a window 960 px wide shows them.
GLOBE_HEADING_AND_BUTTONS = (
    """(function () {
  var div = document.getElementById("figure-0");
  """
    + _BOX_JS
    + """
  return {"title": Array.from(div.querySelectorAll(".gtitle, .gtitle tspan")).map(box),
    "buttons": Array.from(div.querySelectorAll(".updatemenu-button")).map(box)}; })()"""
)


def test_the_globe_buttons_cover_no_title_in_a_960_px_window(chromium, report):
    """The colour buttons sat above the scene's top right, over the subtitle in a figure
    narrower than about 1,000 px (half a laptop screen)."""
    from viz.page_probe import probe_page

    found = probe_page(
        chromium, report.as_uri(), width=960, height=800,
        evaluate={"boxes": GLOBE_HEADING_AND_BUTTONS},
    )["evaluated"]["boxes"]  # fmt: skip
    labels = sorted(b["text"] for b in found["buttons"])
    assert labels == ["colour by shell", "colour by sunlight", "pause", "play"], found
    assert any("frame ITRS" in t["text"] for t in found["title"]), found
    for button in found["buttons"]:
        for text in found["title"]:
            apart = (
                button["right"] <= text["left"]
                or text["right"] <= button["left"]
                or button["bottom"] <= text["top"]
                or text["bottom"] <= button["top"]
            )
            assert apart, (button, text)


def test_no_table_is_wider_than_a_1280_px_window(scrolled):
    widths = scrolled["widths"]
    assert widths["viewport"] >= 1200  # the window asked for, less any scroll bar
    assert widths["tables"] >= 6
    assert widths["wide"] == []
    assert widths["page"] <= widths["viewport"]


def test_printing_opens_the_folded_rows_and_puts_an_image_for_each_3d_scene(report, scrolled):
    scenes = report.read_text().count('data-scene="3d" data-heading')
    assert scenes >= 1
    assert scrolled["print_images"] == ["data:image/png;base64,"] * scenes
    # The browser's own Print cannot wait for a capture: each scene has a line for it.
    assert report.read_text().count('class="print-hint"') == scenes
    assert scrolled["details_closed_in_print"] == 0


def test_the_page_prints_to_a_pdf_of_pages_with_the_globe_as_an_image(report, scrolled):
    """Chromium's own print to PDF, after the page prepared for printing (its 3D scenes
    replaced by images captured in the browser, checked above): several A4 pages, at least
    an image for each 3D scene, and text objects enough for every page."""
    import zlib

    pdf = scrolled["pdf"]
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 3 <= pages <= 60
    images = len(re.findall(rb"/Subtype\s*/Image", pdf))
    assert images >= report.read_text().count('data-scene="3d" data-heading')
    # Page content streams (Flate) hold the text: the headline's first label is in it.
    text = b""
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    assert text.count(b"BT") >= pages  # text objects on every page at least once


def test_globe_has_coastlines_shells_and_a_slider_over_one_orbit(report):
    html = report.read_text()
    assert "coastlines (GSHHS crude)" in html
    assert "dd340 shell" in html
    assert '"sliders"' in html and 'id="figure-0-frames"' in html  # frames after the draw
    assert html.count('"label":"+') >= 24  # a step per frame, one orbit from the epoch


def test_footer_names_the_version_the_scenario_hash_and_the_command(report):
    import hashlib
    import html as html_text
    from importlib.metadata import version

    from constellations.io.scenario import preset_text

    page = report.read_text()
    footer = html_text.unescape(re.search(r"<footer.*?</footer>", page, re.S).group(0))
    sha256 = hashlib.sha256(preset_text("dawn-dusk-340").encode("utf-8")).hexdigest()
    assert f"<dd>orbital-dc {version('orbital-dc')}</dd>" in footer
    assert f"<dd>{sha256}</dd>" in footer
    plan_json = report.parent / "plan.json"
    assert f"<dd>orbital-dc plan dawn-dusk-340 --json {plan_json} --html {report}</dd>" in footer


def test_headline_cards_show_the_numbers_of_the_plan_json(report, scrolled):
    """Each card the browser shows carries its plan JSON key path and number: the number
    read back from the page is the one the same run wrote into the plan JSON."""
    import json

    record = json.loads((report.parent / "plan.json").read_text())
    cards = scrolled["headline"]
    paths = [card["path"] for card in cards]
    assert "sizing.compute_kw_per_tonne_orbit_average" in paths
    assert "cost.space_to_ground_ratio" in paths
    assert "network.largest_cluster_compute_mw" in paths
    for card in cards:
        value = record
        for key in card["path"].split("."):
            value = value[int(key)] if isinstance(value, list) else value[key]
        assert float(card["value"]) == value, card
        assert card["text"] and card["width"] <= scrolled["widths"]["viewport"], card


def test_screenshots_of_the_top_and_the_globe_are_saved(scrolled, tmp_path_factory):
    """The top of the page and the globe, as a reader sees them at 1,280 x 800, saved as
    PNG (the README shows the same two, docs/images/report-top.png and report-globe.png:
    ``ORBITAL_DC_SCREENSHOTS=docs/images`` writes them there)."""
    import os
    import struct

    folder = Path(os.environ.get("ORBITAL_DC_SCREENSHOTS", tmp_path_factory.mktemp("shots")))
    for name in SCREENSHOTS:
        png = scrolled["screenshots"][name]
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
        assert (width, height) == (1280, 800), name
        assert len(png) > MIN_SCREENSHOT_BYTES, f"{name}: {len(png)} bytes, nothing drawn?"
        (folder / f"report-{name}.png").write_bytes(png)
    print(f"screenshots saved in {folder}")

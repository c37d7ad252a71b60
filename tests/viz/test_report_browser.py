"""The HTML report in a real browser: headless Chromium opens it from disk, offline.

Chromium comes from Debian's ``chromium`` package, installed where missing by the
announced step of the README's test command (``sh tools/install-test-browser``), never
by a test.  Without it these tests are skipped with one line saying so, except under CI
(``CI=true``), where a missing browser fails them (the ``chromium`` fixture).
"""

import re
import subprocess
import sys

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
#: Virtual time the page gets to run its scripts before Chromium dumps it.
VIRTUAL_TIME_MS = 60_000
#: The issue's budget for the default preset's report, s; measured (median of 5) by
#: benchmarks/bench_report.py.  On the 2-core machine single renders spread from
#: about 3.9 to 6.2 s, so one render is held to twice the budget: a guard against
#: a page that became several times slower, not a flaky reading of the budget.
BUDGET_S = 5.0
GUARD_S = 2 * BUDGET_S


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    subprocess.run(
        [sys.executable, "-m", "constellations.cli", "report", "dawn-dusk-340", "-o", str(path)],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return path


def run_chromium(chromium, tmp_path, *args):
    return subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_report_renders_every_figure_without_script_errors(chromium, report, tmp_path):
    html = report.read_text()
    figures = html.count('class="plotly-graph-div"')
    assert figures >= 8  # the globe and the charts
    # plotly.js is embedded, not fetched: the page works with no network.
    assert not re.search(r'<script[^>]+src="https?://', html)
    result = run_chromium(
        chromium, tmp_path, "--window-size=1280,800", "--dump-dom", report.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    # Plotly marks every figure's container with its own class as it starts drawing...
    assert len(re.findall(r'class="plot-container plotly"', dom)) == figures
    # ...and the page counts the Plotly.newPlot promises that resolved (see viz/report.py).
    assert "data-render-error" not in dom
    drawn = re.search(r'data-figures-drawn="(\d+)"', dom)
    assert drawn and int(drawn.group(1)) == figures, "not every figure finished drawing"
    # Drawn content: the globe's WebGL canvas, and the charts' SVG traces.
    assert "gl-container" in dom
    assert len(re.findall(r'class="(?:scatterlayer|barlayer|heatmaplayer)', dom)) >= figures - 1
    console_errors = [
        line
        for line in result.stderr.splitlines()
        if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)
    ]
    assert not console_errors, console_errors
    rendered_s = int(re.search(r'data-rendered-ms="(\d+)"', dom).group(1)) / 1000.0
    print(f"default report rendered in {rendered_s:.2f} s (budget {BUDGET_S:g} s)")
    assert rendered_s <= GUARD_S


def test_globe_has_coastlines_shells_and_a_slider_over_one_orbit(report):
    html = report.read_text()
    assert "coastlines (GSHHS crude)" in html
    assert "dd340 shell" in html
    assert '"sliders"' in html and '"frames"' in html
    assert html.count('"label":"+') >= 24  # a step per frame, one orbit from the epoch


def test_report_screenshot_is_saved(chromium, report, tmp_path_factory):
    """The screenshot stays in pytest's temporary folder (kept for the last three runs)."""
    tmp_path = tmp_path_factory.mktemp("screenshot")
    shot = tmp_path / "report.png"
    result = run_chromium(
        chromium, tmp_path, "--window-size=1300,3000", f"--screenshot={shot}", report.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 50_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot saved to {shot}")

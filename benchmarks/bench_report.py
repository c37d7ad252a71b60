"""Benchmark: the HTML report's size, first paint and figure draws in Chromium (issues 8, 20).

Usage::

    python benchmarks/bench_report.py [--quick] [--repeats 5] [--chromium /usr/bin/chromium]

For each preset (``--quick``: ``dawn-dusk-340`` only) the report is written into a
temporary directory by ``orbital-dc report PRESET -o FILE`` in a fresh interpreter;
"generation" is the wall time of that process (imports, planning and writing
included), and the file's size is recorded (MB = 10^6 bytes).

Render times come from the page's own clock (``viz/report.py``): it records
``data-first-paint-ms`` on <body> (``performance.now()`` in the first frame after the
content, milliseconds from navigation start) and, on each figure's placeholder,
``data-visible-ms`` (the figure came near the viewport and was asked for) and
``data-drawn-ms`` (its ``Plotly.newPlot`` promise resolved and the next frame ran).
Each render is one headless Chromium with a fresh profile at 1,280 x 800, driven in
real time over the DevTools pipe by ``viz/page_probe.py``, which scrolls the page
through most of a screen at a time, waiting at each stop until what came into view has
drawn.  "figure" is ``drawn - visible`` of each figure: what a reader waits for a chart
that scrolled into view.  Every page is rendered ``--repeats`` times; the medians are
held against the targets (first paint; the slowest figure's median).  The wall time of
the whole Chromium process is shown for context.

The floor ("the raw library"): a page holding only plotly.js
(``plotly.offline.get_plotlyjs()``) and one trivial 2D figure, through the same
``report_html`` and probed the same way.  Each report's first paint and figure times
are printed against the floor's.  The 3D floor: the same with plotly.js's least 3D
scene (one point, default axes), which the globe is printed against: headless
Chromium draws WebGL in software (SwiftShader), where a scene's shaders and setup
cost about a second whatever it holds.

A missed target prints MISSED; the exit status is 0 (this is a measurement) unless a
page could not be generated.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import machine, print_table, verdict

#: Targets on the project's 2-core reference machine (an assumption of the project; issue 8).
DEFAULT_PRESET = "dawn-dusk-340"
MILLION_PRESET = "million-340"
#: Issue 20: the default report's first paint, and a figure from coming into view to drawn.
FIRST_PAINT_TARGET_S = 1.5
FIGURE_TARGET_S = 1.0
MILLION_SIZE_TARGET_MB = 30.0

MB = 10**6
FLOOR_3D = "plotly.js 3D floor"
REPEATS = 5
#: A Chromium run that takes longer than this (wall) is abandoned.
CHROMIUM_TIMEOUT_S = 600
WIDTH, HEIGHT = 1280, 800
FIGURE_DIV = 'class="plotly-graph-div"'


# ----------------------------------------------------------------------------- pages


def generate_report(preset: str, path: str) -> dict:
    """``orbital-dc report PRESET -o PATH`` in a fresh interpreter: wall time, peak RSS."""
    command = [sys.executable, "-m", "constellations.cli", "report", preset, "-o", path]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall_s = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            text = log.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(command)} failed:\n{text[-4000:]}")
    return {
        "generation_s": wall_s,
        "generation_rss": usage.ru_maxrss * 1024,
        **page_facts(path),
    }


def write_floor_page(path: str, three_d: bool = False) -> dict:
    """plotly.js alone and one trivial figure, through the report's own page: a 2D chart,
    or with ``three_d`` the least 3D scene (one point, plotly's default axes), what any
    plotly.js 3D scene costs to draw here."""
    import plotly.graph_objects as go

    from viz.report import report_html

    if three_d:
        figure, title = (
            go.Figure(go.Scatter3d(x=[0.0], y=[0.0], z=[0.0], mode="markers")),
            "3D floor",
        )
    else:
        figure, title = (
            go.Figure(go.Scatter(x=[0, 1, 2], y=[0, 1, 0], mode="lines+markers")),
            "floor",
        )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(report_html(title, [], [(title, figure)]))
    return {"generation_s": None, "generation_rss": None, **page_facts(path)}


def page_facts(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return {"size_mb": os.path.getsize(path) / MB, "divs": text.count(FIGURE_DIV)}


# ----------------------------------------------------------------------------- rendering


def render_once(chromium: str, path: str) -> dict:
    """One headless Chromium with a fresh profile, scrolled through by the probe."""
    from viz.page_probe import ProbeError, probe_page

    start = time.perf_counter()
    try:
        found = probe_page(
            chromium,
            "file://" + os.path.abspath(path),
            width=WIDTH,
            height=HEIGHT,
            timeout_s=CHROMIUM_TIMEOUT_S,
        )
    except ProbeError as error:
        return {"wall_s": time.perf_counter() - start, "error": str(error)}
    result = {"wall_s": time.perf_counter() - start}
    marks = found["marks"]
    if "renderError" in marks or found["errors"]:
        result["error"] = f"render error: {marks.get('renderError') or found['errors'][0]}"
        return result
    result["first_paint_s"] = int(marks["firstPaintMs"]) / 1000.0
    result["plotly_ready_s"] = int(marks.get("plotlyReadyMs", 0)) / 1000.0
    result["figures_s"] = {f["id"]: (f["drawn"] - f["visible"]) / 1000.0 for f in found["figures"]}
    result["drawn"] = int(marks.get("figuresDrawn", "0"))
    result["wide_tables"] = len(found["widths"]["wide"])
    return result


def render(chromium: str, path: str, repeats: int) -> dict:
    runs = [render_once(chromium, path) for _ in range(repeats)]
    good = [r for r in runs if "error" not in r]
    paints = [r["first_paint_s"] for r in good]
    per_figure = {}
    for r in good:
        for name, seconds in r["figures_s"].items():
            per_figure.setdefault(name, []).append(seconds)
    figure_medians = {name: statistics.median(v) for name, v in per_figure.items()}
    return {
        "runs": len(runs),
        "paints": paints,
        "first_paint_s": statistics.median(paints) if paints else None,
        "plotly_ready_s": statistics.median(r["plotly_ready_s"] for r in good) if good else None,
        "figure_medians": figure_medians,
        "slowest_figure": max(figure_medians.items(), key=lambda kv: kv[1])
        if figure_medians
        else None,
        "wall_median_s": statistics.median(r["wall_s"] for r in runs),
        "drawn": sorted({r["drawn"] for r in good}),
        "wide_tables": sorted({r["wide_tables"] for r in good}),
        "errors": [r["error"] for r in runs if "error" in r],
    }


def chromium_version(chromium: str) -> str:
    done = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


# ----------------------------------------------------------------------------- report side


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def _check(what: str, measured: float | None, target: float, unit: str) -> str:
    if measured is None:
        return f"{what}: not measured, target <= {target:g} {unit}: MISSED"
    result = verdict(measured, target)
    shown = f"{measured:.2f} {unit}"
    return (
        f"{what}: {shown}, target <= {target:g} {unit}: {'PASS' if result == 'PASS' else 'MISSED'}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{DEFAULT_PRESET} only")
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help=f"renders per page (default {REPEATS})"
    )
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium") or "/usr/bin/chromium",
        help="the Chromium binary (default: chromium on PATH)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    presets = [DEFAULT_PRESET] if args.quick else [DEFAULT_PRESET, MILLION_PRESET]
    info = machine(("plotly",))
    print("HTML report benchmark (orbital-dc)")
    print(
        f"machine: {info['nproc']} cores, {info['memory']}, {info['cpu']}; "
        f"Python {info['python']}, plotly {info['plotly']}, {chromium_version(args.chromium)}"
    )
    print(
        f"render: headless Chromium at {WIDTH} x {HEIGHT}, fresh profile each run, driven "
        f"over the DevTools pipe and scrolled through, {args.repeats} runs per page"
    )
    if args.quick:
        print(f"QUICK MODE: {DEFAULT_PRESET} only")
    print()

    pages = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        floor_path = os.path.join(folder, "floor.html")
        pages["plotly.js floor"] = {**write_floor_page(floor_path), "path": floor_path}
        floor_3d_path = os.path.join(folder, "floor-3d.html")
        pages[FLOOR_3D] = {**write_floor_page(floor_3d_path, three_d=True), "path": floor_3d_path}
        for preset in presets:
            path = os.path.join(folder, f"{preset}.html")
            pages[preset] = {**generate_report(preset, path), "path": path}
        for name, page in pages.items():
            # million-340's globe takes tens of seconds to draw: one render says enough.
            repeats = 1 if name == MILLION_PRESET else args.repeats
            page.update(render(args.chromium, page["path"], repeats))

    floor = pages["plotly.js floor"]
    header = (
        "page",
        "MB",
        "generation s",
        "first paint median s",
        "plotly.js ready s",
        "slowest figure median s",
        "browser wall median s",
        "figures drawn/divs",
    )
    rows = []
    for name, page in pages.items():
        drawn = "/".join(str(d) for d in page["drawn"]) or "-"
        slowest = page["slowest_figure"]
        rows.append(
            (
                name,
                f"{page['size_mb']:.2f}",
                _s(page["generation_s"]),
                _s(page["first_paint_s"]),
                _s(page["plotly_ready_s"]),
                f"{slowest[1]:.2f} ({slowest[0]})" if slowest else "-",
                _s(page["wall_median_s"]),
                f"{drawn}/{page['divs']}",
            )
        )
    print_table(rows, header, right=range(1, len(header)))

    notes = []
    for name, page in pages.items():
        if page["errors"]:
            notes.append(
                f"{name}: {len(page['errors'])} of {page['runs']} runs failed: "
                f"{'; '.join(sorted(set(page['errors'])))}"
            )
        if page["drawn"] != [page["divs"]]:
            notes.append(
                f"{name}: FIGURE COUNT MISMATCH: drawn {page['drawn']} vs "
                f"{page['divs']} plotly-graph-div in the file"
            )
        if page["wide_tables"] not in ([0], []):
            notes.append(f"{name}: tables wider than {WIDTH} px: {page['wide_tables']}")
        if page["paints"]:
            runs = ", ".join(f"{s:.2f}" for s in page["paints"])
            notes.append(f"{name}: first paint per run, s: {runs}")
        if page["figure_medians"]:
            each = ", ".join(f"{k} {v:.2f}" for k, v in page["figure_medians"].items())
            notes.append(f"{name}: each figure from coming into view to drawn (median), s: {each}")
    for preset in presets:
        page = pages[preset]
        if page["first_paint_s"] is not None and floor["first_paint_s"]:
            notes.append(
                f"{preset}: first paint {page['first_paint_s'] / floor['first_paint_s']:.1f}x "
                f"the plotly.js floor's ({_s(floor['first_paint_s'])} s); the floor's figure "
                f"{_s(floor['slowest_figure'][1] if floor['slowest_figure'] else None)} s"
            )
        notes.append(
            f"{preset}: generation peak RSS {page['generation_rss'] / 10**9:.2f} GB "
            f"(orbital-dc report process, wall {_s(page['generation_s'])} s)"
        )
    globe = pages[DEFAULT_PRESET]["figure_medians"].get("figure-0")
    floor_3d = pages[FLOOR_3D]["slowest_figure"]
    if globe is not None and floor_3d:
        notes.append(
            f"{DEFAULT_PRESET}: the globe {globe:.2f} s, {globe / floor_3d[1]:.1f}x plotly.js's "
            f"least 3D scene ({floor_3d[1]:.2f} s, one point: the floor of any 3D figure here)"
        )
    for note in notes:
        print(f"- {note}")

    print()
    default = pages[DEFAULT_PRESET]
    print(
        _check(
            f"{DEFAULT_PRESET} first paint median",
            default["first_paint_s"],
            FIRST_PAINT_TARGET_S,
            "s",
        )
    )
    slowest = default["slowest_figure"]
    print(
        _check(
            f"{DEFAULT_PRESET} slowest figure from coming into view, median"
            + (f" ({slowest[0]})" if slowest else ""),
            slowest[1] if slowest else None,
            FIGURE_TARGET_S,
            "s",
        )
    )
    charts = {k: v for k, v in default["figure_medians"].items() if k != "figure-0"}
    if charts:
        name, seconds = max(charts.items(), key=lambda kv: kv[1])
        print(
            _check(
                f"{DEFAULT_PRESET} slowest chart after the globe, median ({name})",
                seconds,
                FIGURE_TARGET_S,
                "s",
            )
        )
    if MILLION_PRESET in pages:
        page = pages[MILLION_PRESET]
        print(
            _check(f"{MILLION_PRESET} report size", page["size_mb"], MILLION_SIZE_TARGET_MB, "MB")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

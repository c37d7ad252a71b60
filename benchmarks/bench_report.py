"""Benchmark: the HTML report's size and its render time in headless Chromium (issue 8).

Usage::

    python benchmarks/bench_report.py [--quick] [--repeats 5] [--chromium /usr/bin/chromium]

For each preset (``--quick``: ``dawn-dusk-340`` only) the report is written into a
temporary directory by ``orbital-dc report PRESET -o FILE`` in a fresh interpreter;
"generation" is the wall time of that process (imports, planning and writing
included), and the file's size is recorded (MB = 10^6 bytes).

Render time comes from the page itself: once every plotly figure's
``Plotly.newPlot`` promise has resolved and the next animation frame ran, the report
sets ``data-rendered-ms`` (``performance.now()``, milliseconds from navigation start)
and ``data-figures-drawn`` on its <body>, or ``data-render-error`` if a figure failed
(``viz/report.py``).  Each render is one headless Chromium process with a fresh
profile, ``--virtual-time-budget=60000 --dump-dom``; the attributes are read from the
dumped DOM.  Under a virtual-time budget the page's clock runs at wall speed while the
page works but skips idle waits (timers fire at once), so ``data-rendered-ms`` is the
page's own timeline; the wall time of the whole Chromium process (browser start,
profile creation and shutdown included) is shown for context.  Every page is rendered
``--repeats`` times; the median is held against the budget.

The floor ("the raw library"): a page holding only plotly.js
(``plotly.offline.get_plotlyjs()``) and one trivial 2D figure, drawn the same way
(JSON spec, same config, ``Plotly.newPlot`` then ``requestAnimationFrame``), timed the
same way.  Each report's median is printed as a multiple of the floor's.

A missed target prints MISSED; the exit status is 0 (this is a measurement) unless a
page could not be generated.
"""

import argparse
import html
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import machine, print_table, verdict

#: Targets on the project's 2-core reference machine (an assumption of the project; issue 8).
DEFAULT_PRESET = "dawn-dusk-340"
DEFAULT_RENDER_TARGET_S = 5.0
MILLION_PRESET = "million-340"
MILLION_SIZE_TARGET_MB = 30.0
MILLION_RENDER_TARGET_S = 20.0
#: preset -> (size target in MB or None, render target in s)
TARGETS = {
    DEFAULT_PRESET: (None, DEFAULT_RENDER_TARGET_S),
    MILLION_PRESET: (MILLION_SIZE_TARGET_MB, MILLION_RENDER_TARGET_S),
}

MB = 10**6
REPEATS = 5
VIRTUAL_TIME_BUDGET_MS = 60_000
#: A Chromium run that takes longer than this (wall) is abandoned.
CHROMIUM_TIMEOUT_S = 600
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
)
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


def write_floor_page(path: str) -> dict:
    """plotly.js alone and one trivial 2D figure, marking its render like the report."""
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    figure = go.Figure(go.Scatter(x=[0, 1, 2], y=[0, 1, 0], mode="lines+markers"))
    spec = pio.to_json(figure, validate=False).replace("</", "<\\/")
    draw = """
(function () {
  var figure = JSON.parse(document.getElementById("floor-spec").textContent);
  figure.config = {"displaylogo": false, "responsive": true};
  Plotly.newPlot("floor", figure).then(function () {
    requestAnimationFrame(function () {
      document.body.dataset.figuresDrawn = "1";
      document.body.dataset.renderedMs = String(Math.round(performance.now()));
    });
  }, function (error) {
    document.body.dataset.renderError = String(error);
  });
})();
"""
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>floor</title>'
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f'<div id="floor" {FIGURE_DIV} style="height:450px; width:100%;"></div>'
        f'<script type="application/json" id="floor-spec">{spec}</script>'
        f'<script type="text/javascript">{draw}</script></body></html>\n'
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return {"generation_s": None, "generation_rss": None, **page_facts(path)}


def page_facts(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return {"size_mb": os.path.getsize(path) / MB, "divs": text.count(FIGURE_DIV)}


# ----------------------------------------------------------------------------- rendering

_BODY = re.compile(r"<body((?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*)\s*>")
_ATTRIBUTE = re.compile(r"([^\s=>]+)(?:=\"([^\"]*)\")?")


def body_attributes(dom: str) -> dict:
    """The attributes of the dumped DOM's <body>, unescaped."""
    match = _BODY.search(dom)
    if match is None:
        return {}
    return {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(match.group(1))}


def render_once(chromium: str, path: str) -> dict:
    """One headless Chromium with a fresh profile: the page's marks and the process wall."""
    with tempfile.TemporaryDirectory(prefix="bench-report-profile-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
            "--dump-dom",
            "file://" + os.path.abspath(path),
        ]
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=CHROMIUM_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"wall_s": time.perf_counter() - start, "error": "chromium timed out"}
        wall_s = time.perf_counter() - start
    body = body_attributes(done.stdout)
    result = {"wall_s": wall_s}
    if "data-rendered-ms" in body:
        result["rendered_s"] = int(body["data-rendered-ms"]) / 1000.0
        result["drawn"] = int(body.get("data-figures-drawn", "-1"))
    elif "data-render-error" in body:
        result["error"] = f"render error: {body['data-render-error']}"
    elif done.returncode != 0 or not done.stdout:
        result["error"] = f"chromium exit {done.returncode}: {done.stderr.strip()[-300:]}"
    else:
        result["error"] = f"not rendered within the {VIRTUAL_TIME_BUDGET_MS / 1000:g} s budget"
    return result


def render(chromium: str, path: str, repeats: int) -> dict:
    runs = [render_once(chromium, path) for _ in range(repeats)]
    rendered = [r["rendered_s"] for r in runs if "rendered_s" in r]
    return {
        "runs": len(runs),
        "rendered": rendered,
        "median_s": statistics.median(rendered) if rendered else None,
        "min_s": min(rendered) if rendered else None,
        "max_s": max(rendered) if rendered else None,
        "wall_median_s": statistics.median(r["wall_s"] for r in runs),
        "drawn": sorted({r["drawn"] for r in runs if "drawn" in r}),
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
        f"render: headless Chromium, fresh profile each run, virtual-time budget "
        f"{VIRTUAL_TIME_BUDGET_MS / 1000:g} s, {args.repeats} runs per page"
    )
    if args.quick:
        print(f"QUICK MODE: {DEFAULT_PRESET} only")
    print()

    pages = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        floor_path = os.path.join(folder, "floor.html")
        pages["plotly.js floor"] = {**write_floor_page(floor_path), "path": floor_path}
        for preset in presets:
            path = os.path.join(folder, f"{preset}.html")
            pages[preset] = {**generate_report(preset, path), "path": path}
        for page in pages.values():
            page.update(render(args.chromium, page["path"], args.repeats))

    floor = pages["plotly.js floor"]
    header = (
        "page",
        "MB",
        "generation s",
        "render median s",
        "render min s",
        "render max s",
        "browser wall median s",
        "figures drawn/divs",
    )
    rows = []
    for name, page in pages.items():
        drawn = "/".join(str(d) for d in page["drawn"]) or "-"
        rows.append(
            (
                name,
                f"{page['size_mb']:.2f}",
                _s(page["generation_s"]),
                _s(page["median_s"]),
                _s(page["min_s"]),
                _s(page["max_s"]),
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
        if page["rendered"]:
            runs = ", ".join(f"{s:.2f}" for s in page["rendered"])
            notes.append(f"{name}: data-rendered-ms per run, s: {runs}")
    for preset in presets:
        page = pages[preset]
        if page["median_s"] is not None and floor["median_s"]:
            notes.append(
                f"{preset}: render median {page['median_s'] / floor['median_s']:.1f}x the "
                f"plotly.js floor ({_s(floor['median_s'])} s); browser wall median "
                f"{page['wall_median_s'] / floor['wall_median_s']:.1f}x the floor's "
                f"({_s(floor['wall_median_s'])} s)"
            )
        notes.append(
            f"{preset}: generation peak RSS {page['generation_rss'] / 10**9:.2f} GB "
            f"(orbital-dc report process, wall {_s(page['generation_s'])} s)"
        )
    for note in notes:
        print(f"- {note}")

    print()
    for preset in presets:
        page = pages[preset]
        size_target, render_target = TARGETS[preset]
        if size_target is not None:
            print(_check(f"{preset} report size", page["size_mb"], size_target, "MB"))
        print(_check(f"{preset} render median", page["median_s"], render_target, "s"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

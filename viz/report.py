"""One self-contained HTML page: tables and plotly figures, plotly.js embedded.

The page works with no network: plotly.js is written into the file once
(the CDN form fails offline).  Functions return text; the caller writes it.
The plan report, the comparison and the study page all come from
:func:`report_html`, so they share one layout: the stylesheet, the tables of
:func:`table_html` (key rows first, the rest folded, a CSV link each), the
footer, and figures drawn only when they scroll into view.
"""

import csv
import html
import io
import math
import re
from collections.abc import Sequence
from urllib.parse import quote

#: A table of more rows than this shows its first :data:`KEY_ROWS` and folds the rest
#: under a ``<details>`` (a hundred-level band would otherwise run for pages).
COLLAPSE_AFTER = 15
KEY_ROWS = 10


def format_number(value: float, *, whole_thousands: bool = True) -> str:
    """A number for people: three significant figures (``96.8137`` -> ``96.8``,
    ``0.04567`` -> ``0.0457``), thousands separators from 1,000 up, every whole digit kept
    there (``1234.5678`` -> ``1,235``: a table's column) or, without ``whole_thousands``,
    three significant figures there too (``1234567`` -> ``1,230,000``: a headline);
    scientific under 0.001 (``1.23e-04``); ``-`` where not finite.  A value that rounds up
    to 1,000 is written ``1,000``, not ``1e+03``."""
    if value is None or not math.isfinite(value):
        return "-"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude < 0.001:
        return f"{value:.2e}"
    digits = 2 - math.floor(math.log10(magnitude))
    rounded = round(value, digits)
    if abs(rounded) >= 1000:
        return f"{value if whole_thousands else rounded:,.0f}"
    return f"{rounded:.3g}"


def _format(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


#: A cell that is a number as the tables print it: ``1,234``, ``-0.5``, ``12.3 %`` is not.
_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def csv_text(rows: list[dict]) -> str:
    """``rows`` as CSV (a header line of the keys, then a line a row), for a spreadsheet:
    thousands separators are taken out of numbers (``1,234`` -> ``1234``)."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        cells = [_format(v) for v in row.values()]
        writer.writerow([c.replace(",", "") if _NUMBER.match(c) else c for c in cells])
    return out.getvalue()


def _rows_count(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "table"


def _rows_html(rows: list[dict], keys: list, aligns: list[str]) -> str:
    return "".join(
        "<tr>"
        + "".join(
            f"<td{_align(a)}>{html.escape(_format(row[k]))}</td>"
            for k, a in zip(keys, aligns, strict=True)
        )
        + "</tr>"
        for row in rows
    )


def _align(align: str) -> str:
    return ' class="text"' if align == "left" else ""


def table_html(
    rows: list[dict],
    caption: str = "",
    *,
    align: Sequence[str] | None = None,
    key_rows: Sequence[int] | None = None,
    name: str = "",
) -> str:
    """An HTML table of ``rows`` (dicts with the same keys, the headings), values escaped.

    ``align`` gives each column ``"left"`` or ``"right"`` (default: the first left, the
    others right, numbers' side).  A table of more than :data:`COLLAPSE_AFTER` rows shows
    its key rows (the indices ``key_rows``; default the first :data:`KEY_ROWS`) and folds
    the others, in their order, under a ``<details>``.  Each table carries a link that
    downloads all its rows as CSV (:func:`csv_text`, a ``data:`` URI: no script, no
    network), named after ``name`` or else the caption.
    """
    if not rows:
        return ""
    keys = list(rows[0])
    aligns = list(align) if align is not None else ["left"] + ["right"] * (len(keys) - 1)
    head = "".join(
        f"<th{_align(a)}>{html.escape(str(k))}</th>" for k, a in zip(keys, aligns, strict=True)
    )
    thead = f"<thead><tr>{head}</tr></thead>"
    if len(rows) > COLLAPSE_AFTER:
        shown = list(key_rows) if key_rows is not None else list(range(KEY_ROWS))
        chosen = set(shown)
        rest = [row for k, row in enumerate(rows) if k not in chosen]
        first = [rows[k] for k in shown]
    else:
        first, rest = rows, []
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    name = _slug(name or caption) + ".csv"
    link = (
        f'<a class="csv" download="{html.escape(name)}" '
        f'href="data:text/csv;charset=utf-8,{quote(csv_text(rows))}">CSV '
        f"({_rows_count(len(rows))})</a>"
    )
    table = (
        f'<div class="table-fit"><table>{cap}{thead}'
        f"<tbody>{_rows_html(first, keys, aligns)}</tbody></table></div>"
    )
    if rest:
        table += (
            f'<details class="more-rows"><summary>{len(rest):,} more rows</summary>'
            f'<div class="table-fit"><table>{thead}<tbody>{_rows_html(rest, keys, aligns)}'
            "</tbody></table></div></details>"
        )
    return f'<div class="table-block">{table}<p class="table-tools">{link}</p></div>'


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px;
  padding: 0 16px; color: #222; line-height: 1.4; }
h2 { margin-top: 1.6em; }
.toolbar { font-size: 0.9em; }
.toolbar button { font: inherit; cursor: pointer; }
.table-block { margin: 1em 0; max-width: 100%; }
.table-fit { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.88em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
th.text, td.text { text-align: left; }
td { overflow-wrap: break-word; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
details.more-rows > summary { cursor: pointer; color: #0072b2; margin: 0.3em 0; }
.table-tools { margin: 0.2em 0; font-size: 0.85em; }
a.csv { color: #0072b2; }
.plotly-graph-div:not(.js-plotly-plot) { background: #f6f6f6; border: 1px dashed #ccc;
  box-sizing: border-box; }
img.figure-print { display: none; }
p.print-hint { display: none; }
.headline { display: flex; flex-wrap: wrap; gap: 10px; margin: 1em 0; }
.headline-card { flex: 1 1 200px; max-width: 100%; box-sizing: border-box;
  border: 1px solid #ccc; border-radius: 4px; padding: 8px 10px; background: #fafafa;
  break-inside: avoid; page-break-inside: avoid; }
.headline-value { font-size: 1.6em; font-weight: 600; color: #0072b2; }
.headline-label { font-weight: 600; margin: 0.1em 0 0.3em 0; }
.headline-meaning { font-size: 0.85em; color: #444; }
footer.provenance { margin-top: 3em; padding-top: 0.5em; border-top: 1px solid #ccc;
  font-size: 0.85em; color: #444; }
footer.provenance dt { font-weight: 600; }
footer.provenance dd { margin: 0 0 0.4em 0; overflow-wrap: anywhere; font-family: monospace; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  .toolbar, .table-tools { display: none; }
  .table-fit { overflow: visible; }
  details::details-content { content-visibility: visible; display: contents; }
  table, .plotly-graph-div, img.figure-print { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .plotly-graph-div.printed-as-image { display: none; }
  img.figure-print { display: block; max-width: 100%; height: auto; }
  /* A 3D scene prints blank from the browser's own Print (WebGL's buffer is gone by
     then): without its captured image it gives way to a line saying how to print it. */
  .plotly-graph-div[data-scene="3d"]:not(.printed-as-image) { display: none; }
  p.print-hint { display: block; font-style: italic; }
  p.print-hint.captured { display: none; }
}
"""

#: The page's runtime, run once after the content: figures are drawn when they come near
#: the viewport (an IntersectionObserver), one at a time, plotly.js itself evaluated only
#: after the first paint.  The page's own clock (``performance.now()``, ms from navigation
#: start) is written into data attributes:
#:
#: - on <body>: ``data-figures`` (how many), ``data-first-paint-ms`` (the first frame after
#:   the content), ``data-plotly-ready-ms`` (plotly.js evaluated, just after the first
#:   paint), ``data-figures-drawn`` (how many so far), ``data-rendered-ms`` (once
#:   every figure has drawn: the last one's ``data-drawn-ms``, the same clock reading),
#:   ``data-render-error`` (a figure failed);
#: - on each figure's div: ``data-visible-ms`` (asked for: scrolled near or printed),
#:   ``data-drawn-ms`` (its draw done and the next frame run), ``data-draw-ms`` (its own
#:   draw), ``data-frames-ms`` (an animated figure's frames added, after its draw),
#:   ``data-render-error``.
#:
#: ``window.orbitalDc.drawAll()`` draws every figure (a promise); ``preparePrint()`` also
#: replaces each 3D scene by an image (``Plotly.toImage``) for printing, which the Print
#: button and ``beforeprint`` do.
_RUNTIME = """
(function () {
  "use strict";
  var body = document.body;
  var divs = Array.prototype.slice.call(
    document.querySelectorAll("div.plotly-graph-div[data-figure]"));
  var CONFIG = {"displaylogo": false, "responsive": true};
  var queue = Promise.resolve();
  var drawn = 0;
  body.dataset.figures = String(divs.length);
  function now() { return Math.round(performance.now()); }
  function plotly() {
    if (!window.Plotly) {
      var script = document.createElement("script");
      script.text = document.getElementById("orbital-dc-plotly").textContent;
      document.head.appendChild(script);
    }
    return window.Plotly;
  }
  function failed(div, error) {
    div.dataset.renderError = String(error);
    body.dataset.renderError = String(error);
  }
  function plot(div) {
    var figure = JSON.parse(document.getElementById(div.id + "-spec").textContent);
    figure.config = CONFIG;
    var start = performance.now();
    plotly();
    return window.Plotly.newPlot(div, figure).then(function () {
      return new Promise(function (resolve) {
        requestAnimationFrame(function () {
          var at = now();  // one reading: the last figure's drawn time is the page's
          div.dataset.drawMs = String(Math.round(performance.now() - start));
          div.dataset.drawnMs = String(at);
          drawn += 1;
          body.dataset.figuresDrawn = String(drawn);
          if (drawn === divs.length) { body.dataset.renderedMs = String(at); }
          resolve(div);
        });
      });
    }).then(function () {
      if (isScene(div)) {
        ["plotly_animated", "plotly_relayout", "plotly_restyle"].forEach(function (name) {
          div.on(name, function () { forgetImage(div); });
        });
      }
      var frames = document.getElementById(div.id + "-frames");
      if (!frames) { return div; }
      return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () {
        return window.Plotly.addFrames(div, JSON.parse(frames.textContent));
      }).then(function () { div.dataset.framesMs = String(now()); return div; });
    });
  }
  function draw(div) {
    if (!div.orbitalDcDrawn) {
      div.dataset.visibleMs = String(now());
      div.orbitalDcDrawn = queue = queue.then(function () { return plot(div); })
        .catch(function (error) { failed(div, error); });
    }
    return div.orbitalDcDrawn;
  }
  function drawAll() { return Promise.all(divs.map(draw)); }
  function isScene(div) { return div.dataset.scene === "3d"; }
  function showImage(div, url) {
    var image = document.getElementById(div.id + "-print") || document.createElement("img");
    image.id = div.id + "-print";
    image.className = "figure-print";
    image.alt = div.dataset.heading || "";
    image.src = url;
    if (!image.parentNode) { div.parentNode.insertBefore(image, div.nextSibling); }
    div.classList.add("printed-as-image");
    var hint = document.getElementById(div.id + "-print-hint");
    if (hint) { hint.classList.add("captured"); }
  }
  function forgetImage(div) {  // the scene moved on: its image is not what it shows
    var image = document.getElementById(div.id + "-print");
    if (image) { image.parentNode.removeChild(image); }
    div.classList.remove("printed-as-image");
    var hint = document.getElementById(div.id + "-print-hint");
    if (hint) { hint.classList.remove("captured"); }
  }
  var printing = null;
  function preparePrint() {  // one at a time; each print captures the scenes as they are
    if (printing) { return printing; }
    printing = drawAll().then(function () {
      return Promise.all(divs.filter(isScene).map(function (div) {
        return window.Plotly.toImage(div, {"format": "png", "width": div.clientWidth,
          "height": div.clientHeight}).then(function (url) { showImage(div, url); });
      }));
    }).then(function () { printing = null; }, function (error) { printing = null; throw error; });
    return printing;
  }
  window.orbitalDc = {"draw": draw, "drawAll": drawAll, "preparePrint": preparePrint};
  var opened = [];
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"),
      function (details) { details.open = true; opened.push(details); });
    divs.forEach(function (div) {
      if (!div.orbitalDcDrawn) { draw(div); }
    });
    preparePrint();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
  var button = document.getElementById("orbital-dc-print");
  if (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      preparePrint().then(function () { button.disabled = false; window.print(); });
    });
  }
  requestAnimationFrame(function () {
    setTimeout(function () {
      body.dataset.firstPaintMs = String(now());
      if (!divs.length) { return; }
      setTimeout(function () {
        body.dataset.plotlyStartMs = String(now());
        plotly();
        body.dataset.plotlyReadyMs = String(now());
        if (!("IntersectionObserver" in window)) { drawAll(); return; }
        var observer = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
          });
        }, {"rootMargin": "200px 0px"});
        divs.forEach(function (div) { observer.observe(div); });
      }, 0);
    }, 0);
  });
})();
"""


#: Trace types drawn with WebGL in a 3D scene.
_WEBGL_3D = {"scatter3d", "mesh3d", "surface", "cone", "streamtube", "volume", "isosurface"}


def _figure_div(index: int, heading: str, figure, default_height_px: int = 450) -> str:
    """The figure's placeholder ``<div>`` (its height, so the page does not jump when it
    draws), its spec as a JSON block, and its animation frames, if any, in a block of their
    own: the figure draws from its first state, and the frames are read and added after
    (``data-frames-ms``), so a globe of many frames draws as fast as one of a single frame."""
    from plotly.io.json import to_json_plotly

    div_id = f"figure-{index}"
    height = figure.layout.height or default_height_px
    scene = ' data-scene="3d"' if {t.type for t in figure.data} & _WEBGL_3D else ""
    # JSON.parse of a JSON script block is faster than a JavaScript object literal
    # of the same size.  plotly writes "<" as \u003c, so no text can close the block.
    whole = figure.to_dict()
    frames = whole.pop("frames", None)
    spec = to_json_plotly(whole)
    frames = (
        f'<script type="application/json" id="{div_id}-frames">{to_json_plotly(frames)}</script>'
        if frames
        else ""
    )
    return (
        f'<div id="{div_id}" class="plotly-graph-div" data-figure="{index}"{scene} '
        f'data-heading="{html.escape(heading)}" '
        f'style="height:{int(height)}px; width:100%;"></div>'
        f'<script type="application/json" id="{div_id}-spec">{spec}</script>{frames}'
        + (
            f'<p class="print-hint" id="{div_id}-print-hint">The 3D view prints from the '
            "page's \u201cPrint or save as PDF\u201d button: the browser's own Print cannot "
            "wait for the view to be captured.</p>"
            if scene
            else ""
        )
    )


def footer_html(facts: Sequence[tuple[str, str]]) -> str:
    """The page's footer: ``facts`` ``(what, value)`` as a definition list, escaped."""
    if not facts:
        return ""
    items = "".join(
        f"<dt>{html.escape(what)}</dt><dd>{html.escape(value)}</dd>" for what, value in facts
    )
    return f'<footer class="provenance"><dl>{items}</dl></footer>'


def headline_html(
    cards: Sequence[tuple[str, str, str, str, float]], claims: Sequence[dict] = ()
) -> str:
    """The page's answer first: a row of cards, then the claims table.

    ``cards`` are ``(label, text, meaning, json_path, value)``: the figure as shown
    (``"13.1 kW/t"``), a label, one sentence on what it means, the dotted key path of
    the same number in the plan JSON and the number itself, written into the card's
    ``data-json-path`` and ``data-value`` (``repr``: it reads back as the same float).
    ``claims`` are a table's records (:func:`table_html`), shown under the cards.
    The cards wrap to the page's width and do not break across printed pages.
    """
    if not cards and not claims:
        return ""
    items = "".join(
        f'<div class="headline-card" data-json-path="{html.escape(path)}" '
        f'data-value="{html.escape(repr(float(value)))}">'
        f'<div class="headline-value">{html.escape(text)}</div>'
        f'<div class="headline-label">{html.escape(label)}</div>'
        f'<div class="headline-meaning">{html.escape(meaning)}</div></div>'
        for label, text, meaning, path, value in cards
    )
    block = f'<section class="headline">{items}</section>' if cards else ""
    if claims:
        block += table_html(list(claims), "Claims checked", align=["left"] * len(claims[0]))
    return block


def report_html(
    title: str,
    sections: list[tuple[str, str]],
    figures: list[tuple[str, object]],
    *,
    header_html: str = "",
    footer: Sequence[tuple[str, str]] = (),
) -> str:
    """The whole page from ``sections`` (heading, HTML) and ``figures`` (heading, plotly figure).

    ``header_html`` goes under the title, before the sections, as it is; ``footer``
    ``(what, value)`` pairs close the page (:func:`footer_html`).  plotly.js is written
    once, as text that the page evaluates after its first paint.  Each figure is a
    placeholder of its height, drawn when it comes near the viewport, and every figure
    when the page is printed (:data:`_RUNTIME`, which also records the page's clock).
    """
    from plotly.offline import get_plotlyjs

    parts = [
        f"<h1>{html.escape(title)}</h1>",
        header_html,
        '<p class="toolbar"><button type="button" id="orbital-dc-print">'
        "Print or save as PDF (draws every figure first)</button></p>"
        if figures
        else "",
    ]
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{body}")
    for index, (heading, figure) in enumerate(figures):
        parts.append(f"<h2>{html.escape(heading)}</h2>{_figure_div(index, heading, figure)}")
    parts.append(footer_html(footer))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}"
        + (
            f'<script type="text/plain" id="orbital-dc-plotly">{get_plotlyjs()}</script>'
            if figures
            else ""
        )
        + f'<script type="text/javascript">{_RUNTIME}</script></body></html>\n'
    )

"""One self-contained HTML report: tables and plotly figures, plotly.js embedded.

The page works with no network: plotly.js is written into the file once
(the CDN form fails offline).  Functions return text; the caller writes it.
"""

import html


def table_html(rows: list[dict], caption: str = "") -> str:
    """An HTML table of ``rows`` (dicts with the same keys), values escaped."""
    if not rows:
        return ""
    keys = list(rows[0])
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in keys)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_format(row[k]))}</td>" for k in keys) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    table = f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-scroll">{table}</div>'


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th { background: #f0f0f0; }
td:first-child, th:first-child { text-align: left; }
div.table-scroll { overflow-x: auto; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
"""


#: Runs after plotly.js and before any figure: keeps every ``Plotly.newPlot`` promise.
_TRACK_PLOTS = """
window.orbitalDcPlots = [];
(function () {
  var newPlot = Plotly.newPlot;
  Plotly.newPlot = function () {
    var drawn = newPlot.apply(this, arguments);
    window.orbitalDcPlots.push(drawn);
    return drawn;
  };
})();
"""
#: Runs last: once every figure has drawn and the next frame painted, the page records
#: how long that took from navigation start (``data-rendered-ms`` on <body>), for the
#: render-time budget; a figure that failed records ``data-render-error``.
_MARK_RENDERED = """
Promise.all(window.orbitalDcPlots).then(function () {
  requestAnimationFrame(function () {
    document.body.dataset.figuresDrawn = String(window.orbitalDcPlots.length);
    document.body.dataset.renderedMs = String(Math.round(performance.now()));
  });
}, function (error) {
  document.body.dataset.renderError = String(error);
});
"""


#: Trace types drawn with WebGL in a 3D scene.
_WEBGL_3D = {"scatter3d", "mesh3d", "surface", "cone", "streamtube", "volume", "isosurface"}


def _figure_div(index: int, figure, default_height_px: int = 450) -> tuple[str, str]:
    """The figure's ``<div>`` and the script that draws it (frames included)."""
    import plotly.io as pio

    div_id = f"figure-{index}"
    height = figure.layout.height or default_height_px
    div = (
        f'<div id="{div_id}" class="plotly-graph-div" '
        f'style="height:{int(height)}px; width:100%;"></div>'
    )
    # JSON.parse of a JSON script block is faster than a JavaScript object literal
    # of the same size.  plotly writes "<" as \u003c, so no text can close the block.
    spec = pio.to_json(figure, validate=False)
    config = '{"displaylogo": false, "responsive": true}'
    script = (
        f'<script type="application/json" id="{div_id}-spec">{spec}</script>'
        '<script type="text/javascript">(function () { var figure = JSON.parse('
        f'document.getElementById("{div_id}-spec").textContent); figure.config = {config}; '
        f'Plotly.newPlot("{div_id}", figure); }})();</script>'
    )
    return div, script


def report_html(
    title: str, sections: list[tuple[str, str]], figures: list[tuple[str, object]]
) -> str:
    """The whole page from ``sections`` (heading, HTML) and ``figures`` (heading, plotly figure).

    plotly.js is written once, in the head.  Figures appear in the given order,
    but 3D scenes are drawn after every 2D chart: a WebGL scene keeps redrawing
    and, in a software-rendered browser, slowed each chart drawn after it about
    six-fold.  When every figure has drawn, the page sets ``data-rendered-ms``
    on its body (see :data:`_MARK_RENDERED`).
    """
    from plotly.offline import get_plotlyjs

    parts = [f"<h1>{html.escape(title)}</h1>"]
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{body}")
    flat, scenes = [], []
    for index, (heading, figure) in enumerate(figures):
        div, script = _figure_div(index, figure)
        parts.append(f"<h2>{html.escape(heading)}</h2>{div}")
        (scenes if {t.type for t in figure.data} & _WEBGL_3D else flat).append(script)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        f'<script type="text/javascript">{_TRACK_PLOTS}</script></head>'
        f"<body>{''.join(parts)}{''.join(flat + scenes)}"
        f'<script type="text/javascript">{_MARK_RENDERED}</script></body></html>\n'
    )

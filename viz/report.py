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
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
caption { text-align: left; font-weight: bold; padding: 4px 0; }
"""


def report_html(
    title: str, sections: list[tuple[str, str]], figures: list[tuple[str, object]]
) -> str:
    """The whole page from ``sections`` (heading, HTML) and ``figures`` (heading, plotly figure)."""
    import plotly.io as pio

    parts = [f"<h1>{html.escape(title)}</h1>"]
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{body}")
    for index, (heading, figure) in enumerate(figures):
        div = pio.to_html(
            figure, full_html=False, include_plotlyjs=(index == 0), config={"displaylogo": False}
        )
        parts.append(f"<h2>{html.escape(heading)}</h2>{div}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )

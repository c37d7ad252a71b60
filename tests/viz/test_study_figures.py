"""A trade study's figures and page (viz/study.py), from hand-built arrays.

The expected structure comes from the inputs as built here: which rows are on the
front is the mask the test passes (not recomputed), the tornado's order is the swings
sorted by hand, the error bars' ends are the interval bounds given.  Nothing opens a
browser.
"""

import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from viz.study import (
    NO_VALUE,
    NOT_CLOSED,
    SVG_MARKERS,
    pareto_figure,
    scatter_matrix_figure,
    sobol_figure,
    study_page,
    sweep_figure,
    tornado_figure,
)

#: Error bar ends against the bounds given: one float subtraction and one addition.
ERROR_BAR_ROUNDING = 1e-12

NAMES2, UNITS2, SENSES2 = ["cost", "mass"], ["USD/kW-yr", "t"], ["min", "min"]


def _traces(figure):
    return {trace.name: trace for trace in figure.data}


def _rows(trace):
    return [int(v) for v in trace.customdata]


@pytest.fixture
def two_outputs():
    """Eight designs: 0-2 on the front (as passed), 3-4 dominated, 5-6 did not close, 7 closed
    without a mass."""
    values = np.array(
        [
            [3.0, 1.0],
            [1.0, 3.0],
            [2.0, 2.0],
            [3.0, 3.0],
            [2.5, 2.5],
            [np.nan, np.nan],
            [np.nan, np.nan],
            [1.5, np.nan],
        ]
    )
    closes = np.array([True, True, True, True, True, False, False, True])
    front = np.array([True, True, True, False, False, False, False, False])
    labels = [f"design {i} inputs" for i in range(8)]
    reasons = ["", "", "", "", "", "array larger than the bus", "radiator too hot", ""]
    return values, closes, front, labels, reasons


def test_pareto_2d_draws_the_front_bold_and_joined_in_order(two_outputs):
    values, closes, front, labels, reasons = two_outputs
    figure = pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, front, labels, reasons=reasons)
    traces = _traces(figure)
    assert list(traces) == ["dominated", "Pareto front", NOT_CLOSED, NO_VALUE]
    bold, faded = traces["Pareto front"], traces["dominated"]
    assert bold.type == faded.type == "scatter"
    # Joined in order of the first output: rows 1 (x=1), 2 (x=2), 0 (x=3).
    assert _rows(bold) == [1, 2, 0] and "lines" in bold.mode
    np.testing.assert_array_equal(bold.x, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(bold.y, [3.0, 2.0, 1.0])
    assert _rows(faded) == [3, 4] and faded.mode == "markers"
    assert faded.opacity < 0.5 <= bold.opacity
    assert faded.marker.size < bold.marker.size
    assert faded.marker.color != bold.marker.color
    assert list(bold.hovertext) == [labels[r] for r in (1, 2, 0)]
    assert "lower is better" in figure.layout.xaxis.title.text
    assert "USD/kW-yr" in figure.layout.xaxis.title.text
    assert "3 of 6 designs that close are on the front" in figure.layout.title.text


def test_pareto_uses_the_front_mask_it_is_given(two_outputs):
    """Row 3 is dominated by every front row, but the figure draws what it is told."""
    values, closes, front, labels, _ = two_outputs
    front = front.copy()
    front[3] = True
    traces = _traces(pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, front, labels))
    assert sorted(_rows(traces["Pareto front"])) == [0, 1, 2, 3]
    assert _rows(traces["dominated"]) == [4]


def test_designs_that_did_not_close_are_shown_apart_with_their_reasons(two_outputs):
    values, closes, front, labels, reasons = two_outputs
    figure = pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, front, labels, reasons=reasons)
    traces = _traces(figure)
    apart, no_value = traces[NOT_CLOSED], traces[NO_VALUE]
    assert _rows(apart) == [5, 6] and list(apart.y) == [NOT_CLOSED] * 2
    assert "array larger than the bus" in apart.hovertext[0]
    assert "radiator too hot" in apart.hovertext[1]
    assert labels[5] in apart.hovertext[0]
    assert _rows(no_value) == [7]
    # The strip is its own subplot, below the front's axes.
    assert apart.xaxis == no_value.xaxis != traces["Pareto front"].xaxis
    assert figure.layout[apart.yaxis.replace("y", "yaxis")].type == "category"
    assert "2 designs did not close" in figure.layout.title.text
    assert "1 closed without a value for cost or mass" in figure.layout.title.text


def test_pareto_without_anything_apart_has_one_panel(two_outputs):
    values, closes, front, labels, _ = two_outputs
    keep = slice(0, 5)
    figure = pareto_figure(
        values[keep], NAMES2, UNITS2, SENSES2, closes[keep], front[keep], labels[:5]
    )
    assert [t.name for t in figure.data] == ["dominated", "Pareto front"]
    assert "did not close" not in figure.layout.title.text


def test_pareto_maximised_outputs_say_higher_is_better(two_outputs):
    values, closes, front, labels, _ = two_outputs
    figure = pareto_figure(values, NAMES2, UNITS2, ["max", "min"], closes, front, labels)
    assert "higher is better" in figure.layout.xaxis.title.text
    assert "lower is better" in figure.layout.yaxis.title.text


def test_pareto_3d_keeps_the_encoding_and_bounds_its_webgl_points():
    rng = np.random.default_rng(4)
    n, limit = 20_000, 1000
    values = rng.random((n, 3))
    closes = rng.random(n) > 0.1
    front = np.zeros(n, dtype=bool)
    front[np.flatnonzero(closes)[:50]] = True
    reasons = np.where(closes, "", "no thermal balance")
    figure = pareto_figure(
        values,
        ["cost", "mass", "power"],
        ["USD/kW-yr", "t", "MW"],
        ["min", "min", "max"],
        closes,
        front,
        [f"d{i}" for i in range(n)],
        reasons=reasons,
        max_points=limit,
    )
    traces = _traces(figure)
    bold, faded = traces["Pareto front"], traces["dominated"]
    assert bold.type == faded.type == "scatter3d"
    assert sorted(_rows(bold)) == list(np.flatnonzero(front))  # the front in full
    assert len(faded.x) + len(bold.x) <= limit
    assert set(_rows(faded)) <= set(np.flatnonzero(closes & ~front))
    assert faded.opacity < 0.5 <= bold.opacity
    assert "sample" in figure.layout.title.text
    assert figure.layout.scene.zaxis.title.text.startswith("power (MW), higher")
    apart = traces[NOT_CLOSED]
    assert apart.type == "scatter" and len(apart.x) <= limit
    assert set(_rows(apart)) <= set(np.flatnonzero(~closes))
    assert all("no thermal balance" in text for text in apart.hovertext)
    # The same sample every time.
    again = pareto_figure(
        values,
        ["cost", "mass", "power"],
        ["USD/kW-yr", "t", "MW"],
        ["min", "min", "max"],
        closes,
        front,
        [f"d{i}" for i in range(n)],
        max_points=limit,
    )
    assert _rows(_traces(again)["dominated"]) == _rows(faded)


def test_pareto_when_no_design_closes_says_so(two_outputs):
    values, _, _, labels, reasons = two_outputs
    nothing = np.zeros(8, dtype=bool)
    figure = pareto_figure(
        values, NAMES2, UNITS2, SENSES2, nothing, nothing, labels, reasons=reasons
    )
    assert "No design closes" in figure.layout.title.text
    traces = _traces(figure)
    assert list(traces) == [NOT_CLOSED]
    assert _rows(traces[NOT_CLOSED]) == list(range(8))
    assert "radiator too hot" in traces[NOT_CLOSED].hovertext[6]
    empty = pareto_figure(np.empty((0, 2)), NAMES2, UNITS2, SENSES2, [], [], [])
    assert "No designs" in empty.layout.annotations[0].text


def test_pareto_refuses_inconsistent_arguments(two_outputs):
    values, closes, front, labels, _ = two_outputs
    with pytest.raises(ValueError, match="do not close"):
        pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, ~closes, labels)
    with pytest.raises(ValueError, match="2 or 3 outputs"):
        pareto_figure(np.zeros((3, 4)), ["a"] * 4, [""] * 4, ["min"] * 4, [1] * 3, [0] * 3, "abc")
    with pytest.raises(ValueError, match="labels"):
        pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, front, labels[:3])
    with pytest.raises(ValueError, match="units has 1"):
        pareto_figure(values, NAMES2, ["t"], SENSES2, closes, front, labels)


# ---------------------------------------------------------------- tornado

BARS = [
    # label, low input, high input, output at low, output at high; base 10
    ("altitude_km", 330.0, 350.0, 9.0, 12.0),  # swing 3
    ("life_years", 3, 7, 16.0, 8.0),  # swing 8
    ("solar", "si", "gaas", 10.5, 10.0),  # swing 0.5
    ("accelerator_kw", 50.0, 150.0, np.nan, 11.0),  # no swing: last
    ("launch_usd_per_kg", 100.0, 1500.0, 7.0, 13.0),  # swing 6
]


def test_tornado_bars_are_sorted_by_swing_and_centred_on_the_base():
    figure = tornado_figure("cost", "USD/kW-yr", 10.0, BARS)
    low, high = figure.data
    expected = ["life_years", "launch_usd_per_kg", "altitude_km", "solar", "accelerator_kw"]
    assert [label.split(":")[0] for label in low.y] == expected
    assert list(high.y) == list(low.y)
    assert figure.layout.yaxis.autorange == "reversed"  # the first (largest) at the top
    assert low.orientation == high.orientation == "h"
    assert low.base == high.base == 10.0
    by_label = {bar[0]: bar for bar in BARS}
    for trace, column in ((low, 3), (high, 4)):
        for category, length in zip(trace.y, trace.x, strict=True):
            output = by_label[category.split(":")[0]][column]
            if np.isnan(output):
                assert length is None
            else:
                assert 10.0 + length == pytest.approx(output, abs=1e-12)
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 10.0


def test_tornado_labels_carry_the_low_and_high_inputs():
    figure = tornado_figure("cost", "USD/kW-yr", 10.0, BARS)
    low, high = figure.data
    labels = dict(zip([c.split(":")[0] for c in low.y], low.y, strict=True))
    assert "330" in labels["altitude_km"] and "350" in labels["altitude_km"]
    assert "si" in labels["solar"] and "gaas" in labels["solar"]
    assert "1,500" in labels["launch_usd_per_kg"]
    assert list(low.text)[0] == "3" and list(high.text)[0] == "7"  # life_years first


def test_tornado_degenerate_cases():
    one = tornado_figure("mass", "t", 5.0, [("altitude_km", 330.0, 350.0, 5.0, 5.0)])
    assert len(one.data) == 2 and list(one.data[0].x) == [0.0]
    no_base = tornado_figure("mass", "t", float("nan"), BARS)
    assert "base design has no value" in no_base.layout.title.text
    assert no_base.data[0].base == 7.0  # the lowest output given
    nothing = tornado_figure("mass", "t", 5.0, [])
    assert "No parameter" in nothing.layout.annotations[0].text
    with pytest.raises(ValueError, match="give \\(label"):
        tornado_figure("mass", "t", 5.0, [("a", 1, 2, 3)])


# ---------------------------------------------------------------- Sobol' indices

PARAMETERS = ["altitude_km", "life_years", "solar"]
S1 = np.array([0.20, 0.50, 0.05])
S1_LOW, S1_HIGH = S1 - [0.03, 0.05, 0.02], S1 + [0.04, 0.06, 0.01]
ST = np.array([0.30, 0.60, 0.10])
ST_LOW, ST_HIGH = ST - [0.02, 0.04, 0.03], ST + [0.05, 0.02, 0.02]


def test_sobol_error_bars_end_at_the_interval_bounds():
    figure = sobol_figure("cost", PARAMETERS, S1, S1_LOW, S1_HIGH, ST, ST_LOW, ST_HIGH)
    first, total = figure.data
    assert first.type == total.type == "bar"
    order = [1, 0, 2]  # by total order, largest first
    assert list(first.x) == list(total.x) == [PARAMETERS[i] for i in order]
    for trace, value, low, high in ((first, S1, S1_LOW, S1_HIGH), (total, ST, ST_LOW, ST_HIGH)):
        y = np.array(trace.y, dtype=float)
        np.testing.assert_allclose(y, value[order], atol=ERROR_BAR_ROUNDING)
        assert trace.error_y.symmetric is False
        upper = y + np.array(trace.error_y.array, dtype=float)
        lower = y - np.array(trace.error_y.arrayminus, dtype=float)
        np.testing.assert_allclose(upper, high[order], atol=ERROR_BAR_ROUNDING)
        np.testing.assert_allclose(lower, low[order], atol=ERROR_BAR_ROUNDING)
    assert "95% bootstrap" in figure.layout.title.text


def test_sobol_estimate_outside_its_interval_keeps_the_interval_in_the_hover():
    s1_low = S1_LOW.copy()
    s1_low[0] = S1[0] + 0.01  # the estimate lies below its interval
    figure = sobol_figure("cost", PARAMETERS, S1, s1_low, S1_HIGH, ST, ST_LOW, ST_HIGH)
    first = figure.data[0]
    at = list(first.x).index("altitude_km")
    assert first.error_y.arrayminus[at] == 0.0
    assert first.customdata[at][0] == f"{s1_low[0]:.4g}"


def test_sobol_degenerate_cases():
    one = sobol_figure("cost", ["a"], [0.9], [0.8], [1.0], [0.95], [0.9], [1.0])
    assert [list(t.x) for t in one.data] == [["a"], ["a"]]
    nan = np.full(3, np.nan)
    constant = sobol_figure("cost", PARAMETERS, nan, nan, nan, nan, nan, nan)
    assert "undefined" in constant.layout.annotations[0].text
    partial = sobol_figure(
        "cost", PARAMETERS, S1, S1_LOW, S1_HIGH, [0.3, np.nan, 0.1], ST_LOW, ST_HIGH
    )
    assert list(partial.data[1].x)[-1] == "life_years" and partial.data[1].y[-1] is None
    with pytest.raises(ValueError, match="s1_high"):
        sobol_figure("cost", PARAMETERS, S1, S1_LOW, S1_HIGH[:2], ST, ST_LOW, ST_HIGH)


# ---------------------------------------------------------------- scatter matrix


def _axis_index(trace) -> int:
    return int(trace.xaxis[1:] or 1)


def test_scatter_matrix_puts_inputs_on_x_and_outputs_on_y():
    rng = np.random.default_rng(2)
    n = 40
    inputs = {"altitude (km)": rng.uniform(330, 350, n), "solar": rng.choice(["si", "gaas"], n)}
    outputs = {"cost (USD/kW-yr)": rng.random(n), "mass (t)": np.full(n, 3.0)}  # constant
    closes = rng.random(n) > 0.3
    outputs["cost (USD/kW-yr)"][~closes] = np.nan
    figure = scatter_matrix_figure(inputs, outputs, closes)
    assert len(figure.data) == 2 * 2 * 2
    assert {t.type for t in figure.data} == {"scatter"}
    columns, rows = list(inputs), list(outputs)
    for trace in figure.data:
        cell = _axis_index(trace) - 1
        r, c = divmod(cell, len(columns))
        subset = closes if trace.name == "closes" else ~closes
        np.testing.assert_array_equal(trace.x, inputs[columns[c]][subset])
        np.testing.assert_array_equal(trace.y, outputs[rows[r]][subset])
    # Titles: inputs under the bottom row, outputs left of the first column.
    assert figure.layout.xaxis3.title.text == "altitude (km)"
    assert figure.layout.xaxis4.title.text == "solar"
    assert figure.layout.yaxis.title.text == "cost (USD/kW-yr)"
    assert figure.layout.yaxis3.title.text == "mass (t)"
    assert sum(bool(t.showlegend) for t in figure.data) == 2
    assert "did not close" in figure.layout.title.text


def test_scatter_matrix_samples_deterministically_above_max_points():
    rng = np.random.default_rng(3)
    n, limit = 12_000, 5000
    inputs = {f"in{k}": rng.random(n) for k in range(3)}
    outputs = {"out": inputs["in0"] * 2.0, "neg": -inputs["in1"]}
    closes = np.ones(n, dtype=bool)
    figure = scatter_matrix_figure(inputs, outputs, closes, max_points=limit)
    assert "a sample of 5,000 of 12,000 designs" in figure.layout.title.text
    drawn = [t for t in figure.data if t.name == "closes"]
    assert all(len(t.x) == limit for t in drawn)
    # The same rows in every cell: out = 2 in0 holds point by point.
    np.testing.assert_allclose(drawn[0].y, 2.0 * np.asarray(drawn[0].x))
    np.testing.assert_array_equal(drawn[1].y, drawn[0].y)
    assert limit * 6 > SVG_MARKERS and {t.type for t in figure.data} == {"scattergl"}
    again = scatter_matrix_figure(inputs, outputs, closes, max_points=limit)
    np.testing.assert_array_equal(again.data[0].x, figure.data[0].x)
    small = scatter_matrix_figure(inputs, outputs, closes, max_points=n)
    assert "sample" not in (small.layout.title.text or "")


def test_scatter_matrix_degenerate_cases():
    assert "No inputs" in scatter_matrix_figure({}, {"y": [1.0]}, [True]).layout.annotations[0].text
    assert (
        "No outputs" in scatter_matrix_figure({"x": [1.0]}, {}, [True]).layout.annotations[0].text
    )
    empty = scatter_matrix_figure({"x": []}, {"y": []}, [])
    assert "No designs" in empty.layout.annotations[0].text
    with pytest.raises(ValueError, match="outputs\\['y'\\]"):
        scatter_matrix_figure({"x": [1.0, 2.0]}, {"y": [1.0]}, [True, True])


# ---------------------------------------------------------------- the page


def test_study_page_embeds_plotly_once_and_loads_nothing(two_outputs):
    from plotly.offline import get_plotlyjs

    values, closes, front, labels, reasons = two_outputs
    figures = [
        ("Pareto <front>", pareto_figure(values, NAMES2, UNITS2, SENSES2, closes, front, labels)),
        ("Tornado", tornado_figure("cost", "USD/kW-yr", 10.0, BARS)),
        ("Sobol'", sobol_figure("cost", PARAMETERS, S1, S1_LOW, S1_HIGH, ST, ST_LOW, ST_HIGH)),
    ]
    tables = [("Front designs", [{"design": 1, "cost": 1.0}]), ("Empty", [])]
    page = study_page("Study <1>", "<p>12 designs</p>", figures, tables)
    assert page.count(get_plotlyjs()) == 1
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert not re.search(r"https?://[^\"'\s]*\.js", page.replace(get_plotlyjs(), ""))
    assert "<title>Study &lt;1&gt;</title>" in page
    assert "<p>12 designs</p>" in page
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [
        "Summary",
        "Front designs",
        "Empty",
        "Pareto &lt;front&gt;",
        "Tornado",
        "Sobol&#x27;",
    ]
    assert "<td>1</td>" in page and "No rows." in page
    specs = re.findall(
        r'<script type="application/json" id="figure-(\d+)-spec">(.*?)</script>', page
    )
    assert [int(k) for k, _ in specs] == [0, 1, 2]
    pareto = go.Figure(json.loads(specs[0][1]))
    assert [t.name for t in pareto.data] == [t.name for t in figures[0][1].data]


def test_study_page_without_summary_or_tables():
    page = study_page("Empty study", "", [], [])
    assert re.findall(r"<h2>(.*?)</h2>", page) == []
    assert "<h1>Empty study</h1>" in page


# --- an output against the swept parameter ---------------------------------------------------

ALTITUDES = np.array([300.0, 650.0, 1000.0, 1400.0])


def test_a_sweep_draws_a_line_a_series_with_gaps_where_designs_do_not_close():
    walker = np.array([np.nan, 2.0, 8.0, 20.0])
    sso = np.array([1.0, 2.5, 7.0, 19.0])
    figure = sweep_figure("dose", "rad", "altitude_km", ALTITUDES, [("w53", walker), ("sso", sso)])
    lines = _traces(figure)
    assert list(lines) == ["w53", "sso"]
    assert list(lines["w53"].y) == [None, 2.0, 8.0, 20.0]  # the gap, not a zero
    assert lines["w53"].connectgaps is False
    assert lines["w53"].line.color != lines["sso"].line.color
    assert figure.layout.yaxis.type == "linear"  # 1 to 20: within LOG_AXIS_RATIO


def test_a_sweep_over_decades_takes_a_log_axis():
    figure = sweep_figure("life", "days", "h", ALTITUDES, [("a", np.array([60, 900, 9e4, 1e6]))])
    assert figure.layout.yaxis.type == "log"


def test_marks_sit_in_a_strip_below_each_on_its_row():
    marks = [("Band", 520.0, 1800.0, "FCC filing"), ("Point", 650.0, 650.0, None)]
    figure = sweep_figure("x", "u", "h", ALTITUDES, [("a", ALTITUDES / 100)], marks)
    strip = [t for t in figure.data if t.yaxis == "y2"]
    assert [list(t.x) for t in strip] == [[520.0, 1800.0], [650.0]]
    assert [list(t.y) for t in strip] == [["Band", "Band"], ["Point"]]
    assert "FCC filing" in strip[0].hovertemplate
    assert all(t.showlegend is False for t in strip)
    assert list(figure.layout.yaxis2.categoryarray) == ["Point", "Band"]  # first on top
    # The x axis spans the sweep, not the marks (Band runs past it to 1,800 km).
    low, high = figure.layout.xaxis.range
    assert low < 300.0 < 1400.0 < high < 1800.0


def test_a_sweep_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="series 'a' has shape \\(3,\\)"):
        sweep_figure("x", "u", "h", ALTITUDES, [("a", np.ones(3))])


def test_values_beyond_the_scale_are_triangles_at_the_top_not_gaps():
    needed = np.array([3.5, 15.0, np.inf, np.inf])  # shielding: beyond the table's 50 mm
    figure = sweep_figure("shielding", "mm", "h", ALTITUDES, [("dd", needed)])
    beyond = _traces(figure)["dd: beyond the scale"]
    assert list(beyond.x) == [1000.0, 1400.0]
    assert list(beyond.y) == [15.0, 15.0]  # at the largest finite value
    assert beyond.marker.symbol == "triangle-up"
    assert list(_traces(figure)["dd"].y) == [3.5, 15.0, None, None]

"""The charts' colours stay apart for colour-blind readers.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and
Fernandes, "A physiologically-based model for simulation of color vision deficiency",
IEEE TVCG 15(6), 2009 (severity 1.0, applied to linear RGB), and colours compared by
their CIE 1976 colour difference in CIELAB (CIE 15:2004; sRGB per IEC 61966-2-1, D65).
"""

import itertools

import numpy as np
import pytest

#: Machado et al. (2009), Table of simulation matrices, severity 1.0.
DEFICIENCIES = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
         [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
         [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
         [0.004733, 0.691367, 0.303900]]
    ),
}  # fmt: skip
#: sRGB (linear) to CIE XYZ, D65 (IEC 61966-2-1).
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
D65_WHITE = np.array([0.95047, 1.0, 1.08883])
#: A CIE76 difference of about 2.3 is just noticeable; 20 is two colours a reader names
#: apart at a glance (small markers on a dark globe, thin lines).
APART_DELTA_E = 20.0
#: Okabe and Ito, "Color Universal Design" (2008), https://jfly.uni-koeln.de/color/.
OKABE_ITO_PUBLISHED = {
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
}  # fmt: skip


def lab(hex_colour: str, deficiency: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[k : k + 2], 16) / 255.0 for k in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(DEFICIENCIES[deficiency] @ linear, 0.0, 1.0)
    xyz = SRGB_TO_XYZ @ seen / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(colours, deficiency: str) -> float:
    return min(
        float(np.linalg.norm(lab(a, deficiency) - lab(b, deficiency)))
        for a, b in itertools.combinations(colours, 2)
    )


@pytest.mark.parametrize("deficiency", list(DEFICIENCIES))
def test_sunlight_penumbra_and_umbra_stay_apart(deficiency):
    from viz.globe import SUNLIGHT_STATES

    colours = [colour for _, colour, _ in SUNLIGHT_STATES]
    assert closest_pair(colours, deficiency) > APART_DELTA_E


def test_the_check_tells_red_from_green_apart_only_for_normal_vision():
    """The check can fail: plotly's default red and green merge under deuteranopia."""
    red_green = ["#d62728", "#2ca02c"]
    assert closest_pair(red_green, "normal") > APART_DELTA_E
    assert closest_pair(red_green, "deuteranopia") < APART_DELTA_E


@pytest.mark.parametrize("deficiency", list(DEFICIENCIES))
def test_the_study_charts_categories_stay_apart(deficiency):
    from viz import study

    colours = [
        study.FRONT_COLOUR,
        study.DOMINATED_COLOUR,
        study.NOT_CLOSED_COLOUR,
        study.NO_VALUE_COLOUR,
    ]
    assert closest_pair(colours, deficiency) > APART_DELTA_E


def test_series_colours_are_okabe_ito_as_published():
    from viz.palette import OKABE_ITO, SERIES

    assert set(OKABE_ITO) == OKABE_ITO_PUBLISHED
    assert "#000000" not in SERIES and len(SERIES) == 7


def test_every_line_chart_uses_the_safe_series_colours():
    from viz.charts import curves, dose_depth, fleet_sunlight, lines, two_axis_lines
    from viz.palette import SERIES

    figures = [
        lines([1, 2], {"a": [1, 2]}, title="t", x_title="x", y_title="y"),
        curves({"a": ([1, 2], [1, 2])}, title="t", x_title="x", y_title="y"),
        fleet_sunlight([0, 1], {"a": [0.5, 0.6]}, title="t"),
        dose_depth([1, 2], {"a": [10, 5]}, 7.0, title="t"),
        two_axis_lines([1, 2], {"a": [1, 2]}, {"b": [3, 4]}, title="t", x_title="x",
                       units=("u", "v")),
    ]  # fmt: skip
    for figure in figures:
        assert tuple(figure.layout.colorway) == SERIES


def test_many_stacked_parts_get_distinct_colour_and_pattern_pairs():
    from viz.charts import stacked_bars

    stacks = {f"part {k}": [1.0, 2.0] for k in range(14)}
    figure = stacked_bars(["a", "b"], stacks, title="t", unit="kg")
    pairs = {(bar.marker.color, bar.marker.pattern.shape or "") for bar in figure.data}
    assert len(pairs) == len(stacks)

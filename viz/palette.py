"""Colour-blind-safe colours for every chart.

Okabe and Ito's eight colours (M. Okabe and K. Ito, "Color Universal Design (CUD):
how to make figures and presentations that are friendly to colorblind people", 2008,
https://jfly.uni-koeln.de/color/) stay apart under protanopia, deuteranopia and
tritanopia.  Past eight series, plotly's ``Safe`` qualitative palette (CARTO's
colour-blind-safe set, eleven colours) takes over, and bars past that are told apart
by a fill pattern as well.
"""

#: Okabe-Ito, in their order with black last (black is kept for rules and text).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: The series' colours in order (the palette less black, which reads as an axis).
SERIES = OKABE_ITO[:7]

#: Bar fill patterns (plotly ``pattern.shape``) cycled when the colours run out.
PATTERNS = ("", "/", "\\", "x", ".", "+", "-", "|")


def series_colours(n: int) -> list[str]:
    """``n`` colours for ``n`` series: Okabe-Ito up to seven, plotly's ``Safe`` up to
    eleven, then ``Safe`` again (pair them with :func:`series_pattern`)."""
    from plotly.colors import qualitative

    colours = SERIES if n <= len(SERIES) else tuple(qualitative.Safe)
    return [colours[k % len(colours)] for k in range(n)]


def series_pattern(k: int, n: int) -> str:
    """The fill pattern of bar series ``k`` of ``n``: none while the colours suffice."""
    from plotly.colors import qualitative

    colours = len(SERIES) if n <= len(SERIES) else len(qualitative.Safe)
    return PATTERNS[(k // colours) % len(PATTERNS)]

"""The drag table's bounds as a user reads them: above the density model each figure is an
upper bound (``<``, rounded up so it stays true) or, for the lifetime, a lower bound (``>``,
rounded down); none reads ``<0``, and one with nothing to say reads ``-``.

Rows are built by hand (a shell's closure and one activity case), so each cell is checked
against the figure it was given.
"""

from types import SimpleNamespace

import pytest

from constellations.present.tables import DRAG

COLUMNS = {column.heading: k for k, column in enumerate(DRAG.columns)}


def drag_row(above_model: bool, **case):
    """One row of the drag table: a shell above (or within) the density model, one case."""
    figures = {
        "name": "moderate",
        "f107": 150.0,
        "ap": 15.0,
        "density_kg_m3": 1e-12,
        "drag_area_m2_per_tonne": 22.9,
        "dv_m_s_per_year": 10.0,
        "thrust_mn_per_tonne": 1.0,
        "thruster_power_kw_per_tonne": 0.1,
        "propellant_kg_per_tonne_year": 1.0,
        "lifetime_days_uncontrolled": 100.0,
    } | case
    out_of_range = SimpleNamespace(message="above the model") if above_model else None
    closure = SimpleNamespace(name="s", drag=SimpleNamespace(out_of_range=out_of_range))
    return closure, SimpleNamespace(**figures)


def cell(heading: str, above_model: bool, **case) -> str:
    return DRAG.rows([drag_row(above_model, **case)])[0][COLUMNS[heading]]


@pytest.mark.parametrize(
    "heading, key, value, shown",
    [
        # ascend-1400 at 1,430 km: bounds far below the columns' last digits.
        ("dv m/s/yr", "dv_m_s_per_year", 0.0004, "<1"),
        ("thrust mN/t", "thrust_mn_per_tonne", 2e-5, "<0.1"),
        ("power kW/t", "thruster_power_kw_per_tonne", 3e-7, "<0.01"),
        ("prop. kg/t/yr", "propellant_kg_per_tonne_year", 0.04, "<0.1"),
        # Rounded up, not to the nearest: 1.2 is below 2, not below 1.
        ("dv m/s/yr", "dv_m_s_per_year", 1.2, "<2"),
        ("dv m/s/yr", "dv_m_s_per_year", 1234.5, "<1,235"),
        ("thrust mN/t", "thrust_mn_per_tonne", 0.3, "<0.3"),
        ("density kg/m3", "density_kg_m3", 1.2212e-15, "<1.23e-15"),
        ("density kg/m3", "density_kg_m3", 9.9999e-15, "<1.00e-14"),
        # A bound of nothing says nothing.
        ("dv m/s/yr", "dv_m_s_per_year", 0.0, "-"),
        ("days to reentry", "lifetime_days_uncontrolled", 108.6, ">108"),
        ("days to reentry", "lifetime_days_uncontrolled", 0.4, "-"),
        ("days to reentry", "lifetime_days_uncontrolled", 1e9, ">36,525"),
    ],
)
def test_above_the_density_model_a_bound_stays_true_and_never_reads_below_0(
    heading, key, value, shown
):
    assert cell(heading, True, **{key: value}) == shown


@pytest.mark.parametrize(
    "heading, key, value, shown",
    [
        ("dv m/s/yr", "dv_m_s_per_year", 0.0004, "0"),
        ("dv m/s/yr", "dv_m_s_per_year", 1.6, "2"),
        ("power kW/t", "thruster_power_kw_per_tonne", 0.044, "0.04"),
        ("days to reentry", "lifetime_days_uncontrolled", 108.6, "109"),
    ],
)
def test_within_the_density_model_figures_are_rounded_to_the_nearest(heading, key, value, shown):
    assert cell(heading, False, **{key: value}) == shown

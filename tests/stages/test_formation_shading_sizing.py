"""A formation's arrays sized together with their mutual shading: the sizing takes the
shading of the arrays it sizes (a square of their area), at a fixed point."""

import numpy as np
import pytest
from helpers import shaded_formation

from constellations.errors import ScenarioError
from constellations.io.scenario import parse_scenario, preset_text
from constellations.planner import plan
from constellations.stages.closure import close_shell, sized_array_side_m
from constellations.stages.formation import SHADING_TOLERANCE, shading_geometry

SHADED = shaded_formation()


@pytest.fixture(scope="module")
def shaded_plan():
    return plan(parse_scenario(SHADED), stages=("closure",))


def test_the_sizing_takes_the_shading_of_the_arrays_it_sizes(shaded_plan):
    closed = shaded_plan.closure.shells[0]
    epoch, worst = closed.array_shading
    side = sized_array_side_m(closed)
    sizing = closed.sized.sizing
    assert side == pytest.approx(
        np.sqrt(sizing.array_m2_per_tonne * sizing.satellite_mass_kg / 1e3)
    )
    # The shading of the square of the area sized, found here from the geometry, is the one
    # the sizing took: a fixed point, to the stated tolerance; and it is not a trivial one.
    found = shading_geometry(closed.resolved).shading(side)
    assert worst > 0.1
    assert abs(found[1] - worst) <= SHADING_TOLERANCE
    assert abs(found[0] - epoch) <= SHADING_TOLERANCE


def test_shaded_arrays_are_larger_by_the_power_they_lose(shaded_plan):
    """The same satellite closed without the shading: each watt the array delivers needs
    1 / (1 - f) of the unshaded area (the sizing's ``array_m2 = array_w / array_w_m2``)."""
    closed = shaded_plan.closure.shells[0]
    sunlight = shaded_plan.illumination.shells[0]
    scenario = parse_scenario(SHADED)
    bare = close_shell(
        scenario.satellite,
        sunlight,
        scenario.drag,
        shaded_plan.closure.environments[0].atmosphere,
        radiation=shaded_plan.radiation.of(closed.name),
        hot_case=shaded_plan.closure.environments[0].hot_case,
    )
    f = closed.array_shading[1]
    shaded_kw = closed.sized.sizing.array_power_kw_per_tonne * closed.sized.sizing.satellite_mass_kg
    bare_kw = bare.sized.sizing.array_power_kw_per_tonne * bare.sized.sizing.satellite_mass_kg
    assert sized_array_side_m(closed) > sized_array_side_m(bare)
    area = closed.sized.sizing.array_m2_per_tonne * closed.sized.sizing.satellite_mass_kg
    bare_area = bare.sized.sizing.array_m2_per_tonne * bare.sized.sizing.satellite_mass_kg
    assert area * (1 - f) == pytest.approx(bare_area * shaded_kw / bare_kw, rel=1e-9)


def test_a_scenario_with_array_side_m_is_told_to_drop_it():
    text = preset_text("suncatcher-81").replace(
        "keep_out_m = 50.0", "keep_out_m = 50.0\narray_side_m = 10.0"
    )
    with pytest.raises(ScenarioError, match="array_side_m") as info:
        parse_scenario(text)
    message = str(info.value)
    assert "\n" not in message and "drop the key" in message

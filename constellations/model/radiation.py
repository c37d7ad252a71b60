"""The scenario's ``[radiation]`` table: the payload's shielding, the margin, the cells.

The payload's tolerance comes from its hardware preset
(:attr:`constellations.model.hardware.ComputePayload.dose_tolerance_krad_si`)
unless ``dose_tolerance_krad_si`` overrides it here.
"""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from constellations.model.validation import Design, Hint
from orbital.solar_cells import CELLS

#: Thicker than 50 mm of aluminium (13.5 g/cm^2) no satellite flies: the dose-depth
#: tables stop there too.
MAX_SHIELDING_MM_AL = 50.0
#: The smallest shield the dose method takes: below 0.5 mm of aluminium the electrons'
#: range relation and the solid-sphere geometry no longer describe a box's wall.
MIN_SHIELDING_MM_AL = 0.5


class RadiationDesign(Design):
    """The scenario's ``[radiation]`` table.  Raises ScenarioError.

    ``shielding_mm_al``: the aluminium-equivalent wall the payload sits behind
    in the satellite as designed (structure and enclosure, carried in
    ``structure_fraction``).  When the dose behind it, times
    ``design_margin``, would exceed the payload's tolerance within the design
    life, the sizing adds the aluminium that brings it back, up to
    ``max_shielding_mm_al``; beyond that, radiation sets the satellite's life.
    ``design_margin`` is the radiation design margin (RDM): 2 is the usual
    figure for parts with test data (NASA's radiation hardness assurance
    practice, LaBel et al., "Emerging radiation hardness assurance issues: a
    NASA approach for space flight programs", IEEE TNS 45, 1998).
    ``coverglass_mm``: the solar cells' fused-silica cover, which sets how much
    of the trapped spectrum reaches them; ``cell`` the cell whose displacement
    damage curve turns that into the array's power at the end of the design
    life (on top of ``[solar_array] degradation_per_year``, which then holds
    the losses other than trapped radiation: ultraviolet, contamination,
    thermal cycling).
    """

    table_name = "[radiation]"

    shielding_mm_al: Annotated[float, Hint("2.0 mm is a typical electronics box wall")] = Field(
        2.0,  # assumption: a typical avionics enclosure wall
        ge=MIN_SHIELDING_MM_AL,
        le=MAX_SHIELDING_MM_AL,
        description="Aluminium-equivalent shielding the payload flies behind, mm.",
    )
    max_shielding_mm_al: Annotated[float, Hint("at most 50 mm")] = Field(
        20.0,  # assumption: a round ceiling on added spot shielding
        ge=MIN_SHIELDING_MM_AL,
        le=MAX_SHIELDING_MM_AL,
        description="The most aluminium the sizing may add up to, mm; beyond it radiation "
        "limits the life.",
    )
    design_margin: Annotated[float, Hint("2 is the usual radiation design margin")] = Field(
        2.0, ge=1.0, le=10.0, description="Radiation design margin on the dose (RDM)."
    )
    dose_tolerance_krad_si: Annotated[float | None, Hint("such as 2.0")] = Field(
        None,
        gt=0.0,
        le=10_000.0,
        description="The payload's total ionising dose tolerance, krad(Si); default: the "
        "payload preset's.",
    )
    cell: Literal[tuple(CELLS)] = Field(
        "azur_3g30_advanced",
        description="Solar cell whose displacement-damage curve sizes the array's end of life "
        "(orbital.solar_cells.CELLS).",
    )
    coverglass_mm: Annotated[float, Hint("0.1 mm is usual for space cells")] = Field(
        0.1,  # a 100-micron ceria-doped fused silica cover, the usual LEO choice
        ge=0.0,
        le=2.0,
        description="Solar cells' fused-silica coverglass, mm.",
    )

    @model_validator(mode="after")
    def _ceiling_above_the_wall(self):
        if self.max_shielding_mm_al < self.shielding_mm_al:
            raise ValueError(
                f"max_shielding_mm_al={self.max_shielding_mm_al!r} is below shielding_mm_al="
                f"{self.shielding_mm_al!r}: raise max_shielding_mm_al to at least "
                f"{self.shielding_mm_al!r}"
            )
        return self

"""The scenario's ``[drag]`` table and the electric thrusters it can name, with sources."""

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, model_validator

from constellations.model.validation import Design, Hint
from orbital.closure import HOURS_PER_YEAR  # the most storm hours a year can hold
from orbital.drag import DEFAULT_DRAG_COEFFICIENT, SOLAR_ACTIVITY


@dataclass(frozen=True)
class Thruster:
    """An electric thruster: specific impulse and thrust per kW of input power."""

    name: str
    isp_s: float
    thrust_mn_per_kw: float
    sources: tuple[str, ...] = ()


THRUSTERS = {
    "spt-100": Thruster(
        "spt-100",
        isp_s=1600.0,
        thrust_mn_per_kw=83.0 / 1.35,
        sources=("Fakel SPT-100 Hall thruster: 83 mN at 1.35 kW, Isp 1600 s (Fakel datasheet).",),
    ),
}

#: Cd up to 10, a plausibility bound (flat plates in free molecular flow are 2-4); the
#: body's drag area up to 100 m^2 a tonne; a storm up to 100 times the density.
MAX_DRAG_COEFFICIENT = 10.0
MAX_BODY_AREA_M2_PER_TONNE = 100.0
MAX_STORM_DENSITY_FACTOR = 100.0
#: The daily Ap index runs from 0 to 400 (Bartels' ap scale; Mayaud, Derivation, Meaning
#: and Use of Geomagnetic Indices, AGU 1980).
MAX_AP = 400.0
#: F10.7 in sfu: a round ceiling above the strongest solar maxima of the series measured
#: since 1947 (the series: Tapping, Space Weather 11, 394, 2013); the "high" case is 250.
MAX_F107_SFU = 500.0


class DragDesign(Design):
    """The scenario's ``[drag]`` table: drag area, thruster, storms, a custom solar case.

    ``f107`` (sfu) and ``ap`` add a "custom" case besides low, moderate and
    high solar activity (:data:`orbital.drag.SOLAR_ACTIVITY`); they come
    together.  The custom case is the mission's mean solar activity: it
    budgets the propellant instead of the moderate case, and sizes the
    thrusters when it is denser than the high case
    (:func:`constellations.stages.atmosphere.demand_cases`).  Raises ScenarioError.
    """

    table_name = "[drag]"

    drag_coefficient: Annotated[float, Hint("2.2 is usual")] = Field(
        DEFAULT_DRAG_COEFFICIENT,
        gt=0.0,
        le=MAX_DRAG_COEFFICIENT,
        description="Drag coefficient Cd (2.2: Vallado, section 8.6.2).",
    )
    body_area_m2_per_tonne: float = Field(
        0.5,  # assumption: a 1.4 t rack module's face, ~0.7 m2
        ge=0.0,
        le=MAX_BODY_AREA_M2_PER_TONNE,
        description="Drag area of the body besides array and radiator, m^2 per tonne.",
    )
    thruster: Literal[tuple(THRUSTERS)] = Field(
        "spt-100", description="Electric thruster preset for station keeping."
    )
    storm_density_factor: float = Field(
        5.0,  # assumption: a severe storm, after Starlink Feb 2022
        ge=1.0,
        le=MAX_STORM_DENSITY_FACTOR,
        description="Density multiple during a geomagnetic storm.",
    )
    storm_hours_per_year: float = Field(
        48.0,  # assumption: two storm days a year
        ge=0.0,
        le=HOURS_PER_YEAR,
        description="Hours of storm a year.",
    )
    f107: Annotated[float | None, Hint("the quiet Sun is about 70 sfu")] = Field(
        None,
        gt=0.0,
        le=MAX_F107_SFU,
        description="Solar flux F10.7 of a custom case, sfu (with ap): the mission's mean "
        "activity, which budgets the propellant.",
    )
    ap: Annotated[float | None, Hint("quiet is about 4, a storm 100 or more")] = Field(
        None,
        ge=0.0,
        le=MAX_AP,
        description="Daily Ap of a custom case (with f107): the mission's mean activity.",
    )
    feed_sizing: bool = Field(
        True, description="Thruster power and propellant from the drag into the sizing."
    )

    @model_validator(mode="after")
    def _custom_case_whole(self):
        if (self.f107 is None) != (self.ap is None):
            given, missing = ("f107", "ap") if self.ap is None else ("ap", "f107")
            raise ValueError(
                f"f107 and ap go together: {given} is given, add {missing} for a custom case "
                "(or drop both)"
            )
        return self

    def cases(self) -> dict:
        """Solar-activity cases by name: ``{name: (f107 sfu, ap)}``, with "custom" if given."""
        cases = dict(SOLAR_ACTIVITY)
        if self.f107 is not None:
            cases["custom"] = (float(self.f107), float(self.ap))
        return cases

"""The scenario file's structure: every table and key a TOML scenario may hold.

:class:`ScenarioFile` is the file as data (``tomllib.loads`` of it): the
``[scenario]`` table, ``[[shells]]`` and ``[[element_sets]]``, the satellite's
four tables, ``[drag]``, ``[radiation]``, ``[links]``, ``[launch]`` and ``[cost]``.  Its JSON Schema
(``orbital-dc schema scenario``) is what editors check a scenario against;
:meth:`ScenarioFile.constellation` turns it into the
:class:`~constellations.model.constellation.Constellation` the planner takes.
Reading the files an element set names is left to ``constellations.io``.
"""

from pathlib import PurePath
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from constellations.model.constellation import (
    MAX_SATELLITES,
    Constellation,
    ElementSet,
    Epoch,
    Name,
    Shell,
    Sources,
    groups_problem,
)
from constellations.model.cost import CostDesign
from constellations.model.drag import DragDesign
from constellations.model.formation import Formation
from constellations.model.launch import LaunchDesign
from constellations.model.links import LinksDesign
from constellations.model.radiation import RadiationDesign
from constellations.model.satellite import (
    BatteryTable,
    RadiatorTable,
    SatelliteDesign,
    SatelliteTable,
    SolarArrayTable,
)
from constellations.model.validation import Design, Hint


class ScenarioTable(Design):
    """The ``[scenario]`` table: name, epoch, and what the scenario is and rests on."""

    table_name = "[scenario]"

    name: Name = Field(description="The scenario's name.")
    epoch: Epoch = Field(
        description="UTC time the shells are laid out at (ISO 8601, or a TOML datetime)."
    )
    description: str = Field("", description="What the scenario is.")
    sources: Sources = Field(
        (), description="Where the numbers come from: a text, or a list of them."
    )


class ElementSetTable(Design):
    """An ``[[element_sets]]`` table: satellites from an OMM or TLE file."""

    name: Name | None = Field(None, description="The set's name (default: the file's stem).")
    file: Annotated[str, Field(min_length=1), Hint("an OMM .json/.csv/.xml or a .tle file")] = (
        Field(description="The file, relative to the scenario file.")
    )

    def set_name(self) -> tuple[str] | tuple[str, str]:
        """``(name,)`` as given, or ``(the file's stem, how it came)`` when none is."""
        if self.name is not None:
            return (self.name,)
        stem = PurePath(self.file).stem
        return (stem, f"the name {stem!r}, taken from file={self.file!r},")


class ScenarioFile(Design):
    """An orbital-dc scenario: the shells of a constellation of compute satellites.

    Sections left out take the documented defaults; unknown sections and keys
    are refused with the closest valid name.
    """

    key_noun: ClassVar[str] = "section"
    bracket_tables: ClassVar[bool] = True

    scenario: Annotated[
        ScenarioTable,
        Hint('add one with name = "..." and epoch = "2027-01-01T00:00:00Z"'),
    ] = Field(description="Name and epoch of the scenario.")
    shells: list[Shell] = Field(
        default_factory=list,
        description=f"Walker shells: at most {MAX_SATELLITES:,} satellites in all, twice the "
        "largest preset (million-340), the largest fleet the planner is measured with.",
    )
    element_sets: list[ElementSetTable] = Field(
        default_factory=list, description="Satellites from OMM or TLE files."
    )
    formations: list[Formation] = Field(
        default_factory=list,
        description="Close-formation clusters: lattices of members on passive relative orbits "
        "about a reference orbit, flown as one-plane shells.",
    )
    satellite: SatelliteTable = Field(
        default_factory=SatelliteTable, description="The satellite's payload and bus."
    )
    solar_array: SolarArrayTable = Field(
        default_factory=SolarArrayTable, description="The solar array."
    )
    battery: BatteryTable = Field(default_factory=BatteryTable, description="The battery.")
    radiator: RadiatorTable = Field(default_factory=RadiatorTable, description="The radiator.")
    drag: DragDesign = Field(default_factory=DragDesign, description="Drag and station keeping.")
    radiation: RadiationDesign = Field(
        default_factory=RadiationDesign,
        description="Trapped-particle dose: the payload's shielding, margin and the cells' cover.",
    )
    links: LinksDesign = Field(default_factory=LinksDesign, description="The laser mesh.")
    launch: LaunchDesign = Field(default_factory=LaunchDesign, description="The launch cadence.")
    cost: CostDesign = Field(
        default_factory=CostDesign, description="Prices, lives and finance, and the ground."
    )

    @model_validator(mode="after")
    def _flies_something_once(self):
        names = [table.set_name() for table in self.element_sets]
        problem = groups_problem(self.all_shells(), self.element_sets, names)
        if problem:
            raise ValueError(problem)
        return self

    def all_shells(self) -> tuple[Shell, ...]:
        """The ``[[shells]]`` then each ``[[formations]]`` table as its one-plane shell."""
        return (*self.shells, *(Shell.from_formation(f) for f in self.formations))

    def constellation(self, element_sets: tuple[ElementSet, ...] = ()) -> Constellation:
        """The scenario as a Constellation, with the element sets read from their files.

        Raises ScenarioError (an element set named like a shell, say).
        """
        head = self.scenario
        return Constellation(
            name=head.name,
            epoch=head.epoch,
            shells=self.all_shells(),
            element_sets=tuple(element_sets),
            description=head.description,
            sources=head.sources,
            satellite=SatelliteDesign.from_tables(
                self.satellite, self.solar_array, self.battery, self.radiator
            ),
            drag=self.drag,
            radiation=self.radiation,
            links=self.links,
            launch=self.launch,
            cost=self.cost,
        )

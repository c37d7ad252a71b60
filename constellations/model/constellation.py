"""Constellation designs: frozen values, checked when they are made.

A :class:`Shell` is a circular Walker pattern; a :class:`Constellation` is an
epoch plus shells (and, optionally, element sets read from OMM or TLE files)
and the satellite, drag, links and launch designs.  They are pydantic models
(:class:`~constellations.model.validation.Design`): built in Python or read
from a scenario file, a bad value raises
:class:`~constellations.errors.ScenarioError` with one line that names the
key and says what to change.
"""

import functools
from datetime import date, datetime
from itertools import accumulate
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema
from sgp4.api import Satrec

from constellations.model import band as _band
from constellations.model.cost import CostDesign
from constellations.model.drag import DragDesign
from constellations.model.formation import Formation
from constellations.model.launch import LaunchDesign
from constellations.model.links import LinksDesign
from constellations.model.radiation import RadiationDesign
from constellations.model.satellite import SatelliteDesign
from constellations.model.validation import Design, Hint, Items
from orbital import times
from orbital.constants import MAX_ALTITUDE_KM, MIN_ALTITUDE_KM
from orbital.seasons import FIRST_YEAR, LAST_YEAR
from orbital.walker import PATTERN_SPREAD_DEG

#: The most planes a shell may have, ten times the largest preset's 400 (million-340), and
#: satellites a plane, the largest preset's whole million in one plane: plausibility bounds.
MAX_PLANES = 10_000
MAX_SATS_PER_PLANE = 1_000_000
#: Satellites a scenario may fly in all: twice million-340, the largest preset and the
#: largest fleet this project measured every stage with (docs/design.md: positions, sunlight
#: and the +Grid mesh of a million satellites on a 24 GB machine).  A single shell could
#: otherwise hold MAX_PLANES x MAX_SATS_PER_PLANE = 10 billion, whose mesh alone would need
#: terabytes; propagate streams and checks its own estimate (constellations.io.positions).
MAX_SATELLITES = 2_000_000
#: B* in 1/earth radii: a plausibility bound a thousand times the values of low, draggy
#: satellites in public element sets (about 1e-5 to 1e-3).
MAX_BSTAR = 1.0
#: Longest name kept: names end up in OMM OBJECT_NAME fields and table columns.
MAX_NAME_LENGTH = 100

Name = Annotated[
    str,
    Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=r"\S"),
    Hint('such as name = "dd340"'),
]


def _epoch(value) -> times.Epoch:
    """A TOML datetime, an ISO-8601 string or an Epoch as a :class:`orbital.times.Epoch`.

    Anything else fails as a datetime would (``must be a time such as ...``).
    A second of 60 on a day without a leap second is refused with its own reason.
    """
    if isinstance(value, date) and not isinstance(value, datetime):  # a TOML date
        raise ValueError(
            f'a date without a time of day; write epoch = "{value.isoformat()}T00:00:00Z"'
        )
    if isinstance(value, (str, datetime, times.Epoch)):
        try:
            return times.Epoch.parse(value)
        except times.EpochError as exc:
            raise ValueError(exc.reason) from None
        except ValueError:
            raise ValueError("not an ISO-8601 time; write it like '2027-01-01T00:00:00Z'") from None
    raise PydanticCustomError("datetime_type", "Input should be a valid datetime")


def _epoch_in_range(value: times.Epoch) -> times.Epoch:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            f"must be in the years {FIRST_YEAR}-{LAST_YEAR} (the span of the Sun and "
            "precession models, orbital.seasons)"
        )
    return value


class _EpochValue:
    """Pydantic's view of :class:`orbital.times.Epoch`: checked by :func:`_epoch`.

    It is an ISO-8601 date-time string in the JSON Schema and in JSON dumps
    (``2016-12-31T23:59:60Z``); Python dumps keep the Epoch.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        return core_schema.no_info_plain_validator_function(
            _epoch,
            serialization=core_schema.plain_serializer_function_ser_schema(
                times.Epoch.iso_z, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler):
        return {"type": "string", "format": "date-time"}


#: The scenario's epoch: an :class:`orbital.times.Epoch` (which may be a leap second) from
#: an ISO-8601 string, a TOML datetime, a datetime or an Epoch.
Epoch = Annotated[
    times.Epoch,
    _EpochValue,
    AfterValidator(_epoch_in_range),
    Hint('such as epoch = "2027-01-01T00:00:00Z"'),
]


def _sources_as_tuple(value):
    """One text as a tuple of it, a list as a tuple; anything else is left to fail."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list) else value


#: Where a scenario's numbers come from: a text, or a list of texts, kept as a tuple.  A
#: file and a design built in Python are checked, and refused, alike.
Sources = Annotated[
    tuple[str, ...],
    BeforeValidator(_sources_as_tuple, json_schema_input_type=str | list[str]),
    Hint('such as sources = ["FCC filing ..."], or one text in quotes'),
]


#: How the JSON Schema shows a band's range: two altitudes within the shells' bounds.
_AltitudeRange = tuple[
    Annotated[float, Field(ge=MIN_ALTITUDE_KM, le=MAX_ALTITUDE_KM)],
    Annotated[float, Field(ge=MIN_ALTITUDE_KM, le=MAX_ALTITUDE_KM)],
]


def _list_as_tuple(value):
    return tuple(value) if isinstance(value, list) else value


class Shell(Design):
    """A circular Walker shell of satellites, or a band of them over a range of altitudes.

    ``planes`` planes of ``sats_per_plane`` satellites at ``altitude_km``
    (mean altitude above the equatorial radius).  The planes' nodes are
    spread over 360 degrees (``pattern="delta"``) or 180 degrees
    (``"star"``), or over ``raan_spread_deg`` when given (for example a
    dawn-dusk band of planes a few degrees apart).  ``phasing`` is Walker's
    ``F``.  A sun-synchronous shell takes the inclination whose SGP4 node
    rate equals the mean Sun's (``sso_inclination = "sgp4"``, the default;
    ``"j2"``: the textbook J2-only one, which drifts about 5 minutes of local
    time a year under SGP4) and, when ``ltan_hours`` is set, the node of its
    first plane from the Sun at the epoch: ``ltan_hours`` is local mean solar
    time (``ltan_reference = "mean"``, the default, as missions state it) or
    apparent solar time (``"apparent"``, from the true Sun).  Both keys are
    ignored by shells they do not apply to, as ``raan_deg`` is when
    ``ltan_hours`` sets the node.  ``bstar`` is SGP4's drag term (0 for a
    station-kept satellite).

    A band gives ``altitude_range_km = [low, high]`` and ``altitude_spacing_km``
    instead of ``altitude_km``: levels every ``altitude_spacing_km`` from
    ``low`` to ``high``, the ``planes`` dealt round-robin to them (level ``k``
    flies the band's planes ``k, k + L, k + 2L, ...`` of its ``L`` levels,
    :mod:`constellations.model.band`).  A :class:`Constellation` flies a band
    as its :meth:`levels`: one Walker shell per level, named
    ``f"{name}-{altitude:g}"`` (``"sunrise-520"``), whose ``band`` is the
    band's name.  A band's ``phasing`` must be 0: a level is a Walker shell
    whose first satellite sits at argument of latitude 0, so the phase offset
    ``k F 360 / T`` of the band's plane ``k`` has no key to go in.

    The fields are the keys of a ``[[shells]]`` table (``is_sun_synchronous``
    is written ``sun_synchronous`` there; Python takes either).  Build one with
    :meth:`walker` or :meth:`sun_synchronous`; raises ScenarioError.
    """

    name: Name = Field(description="The shell's name, unique in the scenario.")
    altitude_km: float | None = Field(
        None,
        ge=MIN_ALTITUDE_KM,
        le=MAX_ALTITUDE_KM,
        description="Mean altitude above the equatorial radius, km (orbital.constants); "
        "leave out for a band (altitude_range_km).",
    )
    planes: int = Field(ge=1, le=MAX_PLANES, description="Orbital planes.")
    sats_per_plane: int = Field(ge=1, le=MAX_SATS_PER_PLANE, description="Satellites a plane.")
    inclination_deg: Annotated[float | None, Hint("such as 53.0")] = Field(
        None,
        ge=0.0,
        le=180.0,
        description="Inclination, degrees; leave out for a sun-synchronous shell.",
    )
    is_sun_synchronous: bool = Field(
        False,
        alias="sun_synchronous",
        description="Inclination chosen so the planes keep their local time (sso_inclination).",
    )
    ltan_hours: Annotated[float | None, Hint("18.0 is a dawn-dusk orbit")] = Field(
        None,
        ge=0.0,
        le=24.0,
        description="Local time of the ascending node of the first plane, hours (SSO only).",
    )
    phasing: int = Field(0, ge=0, le=MAX_PLANES - 1, description="Walker's F: 0 to planes-1.")
    pattern: Annotated[
        Literal["delta", "star"],
        Hint("delta spreads the planes' nodes over 360 degrees, star over 180"),
    ] = Field("delta", description="Walker delta (nodes over 360 degrees) or star (180).")
    raan_deg: float = Field(
        0.0,
        ge=-360.0,
        le=360.0,
        description="Node of the first plane, degrees, TEME of the epoch.",
    )
    raan_spread_deg: float | None = Field(
        None,
        ge=0.0,
        le=360.0,
        description="Degrees the planes' nodes are spread over; overrides the pattern's.",
    )
    bstar: Annotated[float, Hint("0 means no drag")] = Field(
        0.0, ge=0.0, le=MAX_BSTAR, description="SGP4 drag term, 1/earth radii."
    )
    ltan_reference: Annotated[
        Literal["mean", "apparent"],
        Hint("mean: local mean solar time, as missions state LTANs; apparent: the true Sun's"),
    ] = Field(
        "mean",
        description="The Sun ltan_hours is counted from: the mean Sun (local mean solar "
        "time, the default) or the apparent (true) Sun.",
    )
    sso_inclination: Annotated[
        Literal["sgp4", "j2"],
        Hint("sgp4: SGP4's node keeps pace with the mean Sun; j2: the J2-only inclination"),
    ] = Field(
        "sgp4",
        description="A sun-synchronous shell's inclination: the one whose SGP4 node rate "
        "equals the mean Sun's (the default), or the textbook J2-only one.",
    )
    altitude_range_km: Annotated[
        tuple[float, float] | None,
        BeforeValidator(_list_as_tuple, json_schema_input_type=_AltitudeRange | None),
        Items("[low, high]"),
        Hint("such as [520.0, 1800.0]"),
    ] = Field(
        None,
        description="A band instead of altitude_km: the lowest and highest levels' mean "
        "altitudes, km; the planes are dealt round-robin to levels every altitude_spacing_km.",
    )
    altitude_spacing_km: Annotated[float | None, Hint("such as 10.0")] = Field(
        None,
        gt=0.0,
        le=MAX_ALTITUDE_KM - MIN_ALTITUDE_KM,
        description="A band's spacing between levels, km; it must divide altitude_range_km.",
    )
    band: Annotated[str | None, Field(min_length=1, max_length=MAX_NAME_LENGTH)] = Field(
        None,
        description="The altitude band this shell is a level of (set when a band's table "
        "is expanded; tables group a band's levels by it).",
    )
    formation: Formation | None = Field(
        None,
        description="The close formation this shell flies (set from a [[formations]] table: "
        "one plane whose satellites are the members, cluster by cluster).",
    )

    @classmethod
    def where(cls, data: dict) -> str:
        name = data.get("name")
        return f"shell {name!r}" if isinstance(name, str) and name.strip() else "shell"

    @field_validator("altitude_range_km")
    @classmethod
    def _range_in_order(cls, value):
        if value is not None:
            problem = _band.range_problem(*value, MIN_ALTITUDE_KM, MAX_ALTITUDE_KM)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("altitude_spacing_km")
    @classmethod
    def _spacing_divides(cls, value, info: ValidationInfo):
        span = info.data.get("altitude_range_km")
        if value is not None and span is not None:
            problem = _band.spacing_problem(*span, value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _one_altitude(self):
        if self.altitude_km is not None and self.altitude_range_km is not None:
            raise ValueError(
                "altitude_km and altitude_range_km both given: a shell flies one altitude, "
                "a band a range of them; drop one"
            )
        if self.altitude_range_km is None and self.altitude_spacing_km is not None:
            raise ValueError(
                "altitude_spacing_km is for a band: give altitude_range_km too, or drop it"
            )
        if self.altitude_km is None and self.altitude_range_km is None:
            raise ValueError(
                "no altitude: set altitude_km (such as 340.0), or altitude_range_km and "
                "altitude_spacing_km for a band of levels"
            )
        if self.altitude_range_km is None:
            return self
        if self.altitude_spacing_km is None:
            raise ValueError(
                "altitude_range_km needs altitude_spacing_km, the km between levels (such as 10.0)"
            )
        if self.band is not None:
            raise ValueError(
                f"band={self.band!r}: a band's levels take its name as their band; drop band"
            )
        levels = len(self._level_altitudes_km())
        problem = _band.planes_problem(self.planes, levels)
        if problem:
            raise ValueError(f"planes={self.planes!r}: {problem}")
        if self.phasing != 0:
            raise ValueError(
                f"phasing={self.phasing!r}: a band's phasing must be 0 (each level is a Walker "
                "shell whose first satellite sits at argument of latitude 0, so plane k's "
                "phase offset cannot be kept); use phasing = 0, or one [[shells]] table per "
                "altitude"
            )
        longest = max(self.level_names(), key=len)
        if len(longest) > MAX_NAME_LENGTH:
            raise ValueError(
                f"name: the level name {longest[:20]!r}... would be longer than "
                f"{MAX_NAME_LENGTH} characters; use a shorter name"
            )
        return self

    @model_validator(mode="after")
    def _flies_its_formation(self):
        f = self.formation
        if f is not None and (self.planes, self.sats_per_plane) != (1, f.n_sats):
            raise ValueError(
                f"formation {f.name!r}: a formation flies as one plane of its {f.n_sats} "
                "members; build its shell with Shell.from_formation"
            )
        return self

    @model_validator(mode="after")
    def _orbit_is_one_kind(self):
        if self.phasing > self.planes - 1:
            raise ValueError(
                f"phasing={self.phasing!r}: must be between 0 and planes-1 = {self.planes - 1}"
            )
        if self.is_sun_synchronous and self.inclination_deg is not None:
            raise ValueError(
                "inclination_deg and sun_synchronous = true both given: a sun-synchronous "
                "shell takes its inclination from its altitude; drop one"
            )
        if not self.is_sun_synchronous and self.inclination_deg is None:
            raise ValueError(
                "no inclination: set inclination_deg (such as 53.0) or sun_synchronous = true"
            )
        if not self.is_sun_synchronous and self.ltan_hours is not None:
            raise ValueError(
                "ltan_hours is for sun-synchronous shells only: set sun_synchronous = true "
                "or drop ltan_hours"
            )
        return self

    @classmethod
    def walker(
        cls,
        name: str,
        *,
        altitude_km: float,
        inclination_deg: float,
        planes: int,
        sats_per_plane: int,
        phasing: int = 0,
        pattern: str = "delta",
        raan_deg: float = 0.0,
        raan_spread_deg: float | None = None,
        bstar: float = 0.0,
    ) -> "Shell":
        """A Walker shell at a fixed inclination, first node at ``raan_deg`` (TEME of the epoch)."""
        return cls(
            name=name,
            altitude_km=altitude_km,
            planes=planes,
            sats_per_plane=sats_per_plane,
            inclination_deg=inclination_deg,
            phasing=phasing,
            pattern=pattern,
            raan_deg=raan_deg,
            raan_spread_deg=raan_spread_deg,
            bstar=bstar,
        )

    @classmethod
    def sun_synchronous(
        cls,
        name: str,
        *,
        altitude_km: float,
        ltan_hours: float | None,
        planes: int,
        sats_per_plane: int,
        phasing: int = 0,
        pattern: str = "delta",
        raan_deg: float = 0.0,
        raan_spread_deg: float | None = None,
        bstar: float = 0.0,
        ltan_reference: str = "mean",
        sso_inclination: str = "sgp4",
    ) -> "Shell":
        """A sun-synchronous shell; ``ltan_hours`` places its first plane (18.0 is dawn-dusk).

        ``ltan_hours`` is local mean solar time (``ltan_reference="apparent"``:
        apparent solar time); the inclination is SGP4's sun-synchronous one
        (``sso_inclination="j2"``: the J2-only one).  Raises ScenarioError.
        """
        return cls(
            name=name,
            altitude_km=altitude_km,
            planes=planes,
            sats_per_plane=sats_per_plane,
            sun_synchronous=True,
            ltan_hours=ltan_hours,
            ltan_reference=ltan_reference,
            sso_inclination=sso_inclination,
            phasing=phasing,
            pattern=pattern,
            raan_deg=raan_deg,
            raan_spread_deg=raan_spread_deg,
            bstar=bstar,
        )

    @classmethod
    def from_formation(cls, formation: Formation) -> "Shell":
        """The one-plane shell a :class:`~constellations.model.formation.Formation` flies as:
        its reference orbit, ``sats_per_plane`` its members (cluster by cluster), no drag term
        (members are station-kept)."""
        return cls(**formation.shell_keys())

    @property
    def n_sats(self) -> int:
        return self.planes * self.sats_per_plane

    @property
    def is_formation(self) -> bool:
        """True for the shell of a close formation (``formation`` set)."""
        return self.formation is not None

    @property
    def is_band(self) -> bool:
        """True for a band (``altitude_range_km``), which flies as its :meth:`levels`."""
        return self.altitude_range_km is not None

    def _level_altitudes_km(self) -> tuple[float, ...]:
        return _band.level_altitudes_km(*self.altitude_range_km, self.altitude_spacing_km)

    def level_names(self) -> tuple[str, ...]:
        """The names of the shells this table flies as: ``f"{name}-{altitude:g}"`` per level
        of a band (``"sunrise-520"``), the shell's own name otherwise."""
        if not self.is_band:
            return (self.name,)
        return tuple(f"{self.name}-{altitude:g}" for altitude in self._level_altitudes_km())

    def levels(self) -> tuple["Shell", ...]:
        """The Walker shells this table flies: ``(self,)``, or one per level of a band.

        Level ``k`` of ``L`` holds the band's planes ``k, k + L, ...``: ``planes / L``
        planes over the band's spread (so their nodes keep the band's spacing), its first
        node the band's plane ``k``'s, ``k * spread / planes`` degrees on from the band's
        first (in local time, 15 degrees an hour, for a band placed by ``ltan_hours``).
        Every other key is the band's; ``band`` is its name.  Raises nothing: a band is
        checked when it is made.
        """
        if not self.is_band:
            return (self,)
        altitudes = self._level_altitudes_km()
        per_level = self.planes // len(altitudes)
        offsets = _band.level_node_offsets_deg(self.planes, len(altitudes), self.spread_deg)
        has_ltan = self.is_sun_synchronous and self.ltan_hours is not None
        written = {name: info.alias or name for name, info in type(self).model_fields.items()}
        common = {written[name]: getattr(self, name) for name in written}
        for key in ("altitude_range_km", "altitude_spacing_km"):
            del common[key]
        levels = []
        for name, altitude_km, offset_deg in zip(
            self.level_names(), altitudes, offsets, strict=True
        ):
            placed = (
                {"ltan_hours": (self.ltan_hours + offset_deg / 15.0) % 24.0}
                if has_ltan
                else {"raan_deg": _turned(self.raan_deg + offset_deg)}
            )
            levels.append(
                Shell(
                    **{
                        **common,
                        "name": name,
                        "altitude_km": altitude_km,
                        "planes": per_level,
                        "band": self.name,
                        **placed,
                    }
                )
            )
        return tuple(levels)

    @property
    def spread_deg(self) -> float:
        """Degrees of right ascension the planes' nodes are spread over."""
        if self.raan_spread_deg is not None:
            return self.raan_spread_deg
        return PATTERN_SPREAD_DEG[self.pattern]

    @property
    def resolved_inclination_deg(self) -> float:
        """The inclination flown, degrees.

        A sun-synchronous shell's is SGP4's (node rate equal to the mean Sun's)
        or, with ``sso_inclination="j2"``, :attr:`j2_inclination_deg`.
        """
        if self.is_sun_synchronous and self.sso_inclination == "sgp4":
            from orbital.elements import sgp4_sun_synchronous_inclination_deg

            return sgp4_sun_synchronous_inclination_deg(self.altitude_km)
        if self.is_sun_synchronous:
            return self.j2_inclination_deg
        return self.inclination_deg

    @property
    def j2_inclination_deg(self) -> float | None:
        """The textbook J2-only sun-synchronous inclination, degrees (None if not SSO).

        Vallado, *Fundamentals of Astrodynamics*, eq. 9-41 (96.81 deg at 340 km).
        """
        if not self.is_sun_synchronous:
            return None
        from orbital.elements import sun_synchronous_inclination_deg

        return float(sun_synchronous_inclination_deg(self.altitude_km))


def _turned(raan_deg: float) -> float:
    """A node in the key's range, -360 to 360 degrees (the same direction)."""
    return raan_deg - 360.0 if raan_deg > 360.0 else raan_deg


class ElementSet(Design):
    """Satellites given by their own element sets (OMM or TLE), not by a Walker pattern.

    ``satrecs`` is a tuple of python-sgp4 ``Satrec``; ``names`` the object
    names, same length; ``source`` where they came from.  Picklable (for
    processes and task schedulers): sgp4's ``Satrec`` is not, so each travels
    as its initialisation elements and is initialised again, to the same
    positions bit for bit.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: Name
    satrecs: tuple[Satrec, ...]
    names: tuple[str, ...]
    source: str = ""

    @classmethod
    def where(cls, data: dict) -> str:
        return f"element set {data.get('name')!r}"

    @field_validator("satrecs")
    @classmethod
    def _not_empty(cls, satrecs):
        if not satrecs:
            raise ValueError("holds no satellites")
        return satrecs

    @model_validator(mode="after")
    def _one_name_each(self):
        if len(self.names) != len(self.satrecs):
            raise ValueError(
                f"names: {len(self.names)} for {len(self.satrecs)} "
                f"satellite{'s' * (len(self.satrecs) != 1)}; "
                "one name per satellite is needed"
            )
        return self

    @property
    def n_sats(self) -> int:
        return len(self.satrecs)

    def __getstate__(self):
        state = super().__getstate__()
        values = dict(state["__dict__"])
        values["satrecs"] = tuple(_satrec_elements(s) for s in self.satrecs)
        return {**state, "__dict__": values}

    def __setstate__(self, state):
        values = dict(state["__dict__"])
        values["satrecs"] = tuple(_satrec_from_elements(e) for e in values["satrecs"])
        super().__setstate__({**state, "__dict__": values})


#: What SGP4 is initialised from (python-sgp4's ``Satrec.sgp4init`` arguments after the
#: gravity model), and the catalogue fields a TLE or OMM carries besides.
_SGP4INIT_FIELDS = (
    "operationmode", "satnum", "epoch", "bstar", "ndot", "nddot", "ecco", "argpo", "inclo",
    "mo", "no_kozai", "nodeo",
)  # fmt: skip
_CATALOGUE_FIELDS = ("intldesg", "classification", "elnum", "revnum", "epochyr", "epochdays")


def _satrec_elements(satrec) -> dict:
    names = [name for name in _SGP4INIT_FIELDS if name != "epoch"] + list(_CATALOGUE_FIELDS)
    elements = {name: getattr(satrec, name) for name in names}
    # The epoch as the Julian date's whole and fraction, as the Satrec holds it.
    elements["epoch_jd"] = (satrec.jdsatepoch, satrec.jdsatepochF)
    return elements


def _satrec_from_elements(elements: dict) -> Satrec:
    from sgp4.api import WGS72

    whole, fraction = elements["epoch_jd"]
    satrec = Satrec()
    satrec.sgp4init(
        WGS72,
        elements["operationmode"],
        elements["satnum"],
        (whole - 2433281.5) + fraction,
        *(elements[name] for name in _SGP4INIT_FIELDS[3:]),
    )
    for name in _CATALOGUE_FIELDS:
        setattr(satrec, name, elements[name])
    return satrec


def groups_problem(shells, element_sets, element_set_names=None) -> str | None:
    """Why these shells and element sets (anything with a ``name``) cannot fly together:
    none at all, more than :data:`MAX_SATELLITES`, or two of one name; None when they can.

    A band's levels count by their own names (``shells[i]`` is the band's table).

    ``element_set_names``, one ``(name,)`` or ``(name, how it came)`` per element set, name
    sets that do not hold their name yet (a file's table without one is named after its file).
    """
    if not shells and not element_sets:
        return NO_SATELLITES
    n_sats = sum(getattr(g, "n_sats", 0) for g in (*shells, *element_sets))
    if n_sats > MAX_SATELLITES:
        biggest = max(shells, key=lambda s: s.n_sats, default=None)
        which = (
            f"; the largest, shell {biggest.name!r}, is {biggest.planes:,} planes x "
            f"{biggest.sats_per_plane:,}"
            if biggest is not None
            else ""
        )
        return (
            f"{n_sats:,} satellites: at most {MAX_SATELLITES:,} (twice the million-340 preset, "
            f"the largest fleet the planner is measured with){which}; use fewer planes or "
            "sats_per_plane"
        )
    if element_set_names is None:
        element_set_names = [(e.name,) for e in element_sets]
    counts = {"shells": 0, "formations": 0}
    labelled = []
    for s in shells:  # a formation flies as a shell: name it by its own table
        table = "shells" if getattr(s, "formation", None) is None else "formations"
        labelled.extend(_shell_names(f"{table}[{counts[table]}]", s))
        counts[table] += 1
    return duplicate_name(
        labelled + [(f"element_sets[{i}]", *named) for i, named in enumerate(element_set_names)]
    )


def _shell_names(label: str, shell) -> list[tuple]:
    """``[(label, name, how it came)]`` of each shell a table flies: itself, or a band's levels."""
    if not getattr(shell, "is_band", False):
        return [(label, shell.name)]
    return [
        (label, name, f"the name {name!r} of a level of band {shell.name!r}")
        for name in shell.level_names()
    ]


def duplicate_name(labelled: list[tuple]) -> str | None:
    """The error for the first name used twice in ``[(label, name), ...]``, or None.

    An item may say how its name came as a third element (``"the name 'iss', taken from
    file='iss.tle',"``); the error shows it instead of ``name='iss'``.
    """
    first = {}
    for label, name, *said in labelled:
        if name in first:
            nouns = {"shells": "shell", "formations": "formation", "element_sets": "element set"}
            both = [nouns[where.partition("[")[0]] for where in (first[name], label)]
            kinds = " and ".join(dict.fromkeys(both))
            shown = said[0] if said else f"name={name!r}"
            return (
                f"{label}: {shown} is used twice (also {first[name]}); "
                f"give every {kinds} its own name"
            )
        first[name] = label
    return None


NO_SATELLITES = (
    "no satellites; add a [[shells]] table (or an [[element_sets]] table with an OMM or TLE file)"
)


def _as_tuple(value):
    return tuple(value) if isinstance(value, list) else value


@functools.cache
def _default_satellite() -> SatelliteDesign:
    return SatelliteDesign.default()


#: The designs a Constellation shares, each defaulted when left out or None.
_DESIGN_TABLES = ("satellite", "drag", "radiation", "links", "launch", "cost")


class Constellation(Design):
    """An epoch and the shells (and element sets) flying then, with the designs they share.

    ``Constellation("demo", "2027-01-01T00:00:00Z", shells=(shell,))``: name and
    epoch may be positional; ``epoch`` is an ISO-8601 string, a datetime or an
    :class:`orbital.times.Epoch`, kept as an Epoch (which may be a leap second).
    ``satellite``, ``drag``, ``radiation``, ``links``, ``launch`` and ``cost`` left out (or
    None) take their documented defaults.  Lists are taken for the tuples.  Raises ScenarioError.
    """

    name: Name
    epoch: Epoch
    shells: tuple[Shell, ...] = ()
    element_sets: tuple[ElementSet, ...] = ()
    description: str = ""
    sources: Sources = ()
    satellite: SatelliteDesign = Field(default_factory=_default_satellite)
    drag: DragDesign = Field(default_factory=DragDesign)
    radiation: RadiationDesign = Field(default_factory=RadiationDesign)
    links: LinksDesign = Field(default_factory=LinksDesign)
    launch: LaunchDesign = Field(default_factory=LaunchDesign)
    cost: CostDesign = Field(default_factory=CostDesign)

    @classmethod
    def where(cls, data: dict) -> str:
        name = data.get("name")
        return f"scenario {name!r}" if isinstance(name, str) and name.strip() else "scenario"

    @field_validator("shells", "element_sets", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value):
        return (value,) if isinstance(value, str) else _as_tuple(value)

    @field_validator("shells")
    @classmethod
    def _bands_as_levels(cls, shells):
        """Each band as its levels (:meth:`Shell.levels`), before the shells are checked
        together."""
        if not any(s.is_band for s in shells):
            return shells
        return tuple(level for shell in shells for level in shell.levels())

    @model_validator(mode="before")
    @classmethod
    def _none_takes_the_default(cls, data):
        if isinstance(data, dict):
            return {
                k: v
                for k, v in data.items()
                if not (
                    v is None and k in ("satellite", "drag", "radiation", "links", "launch", "cost")
                )
            }
        return data

    @model_validator(mode="after")
    def _flies_something_once(self):
        problem = groups_problem(self.shells, self.element_sets)
        if problem:
            raise ValueError(problem)
        return self

    @model_validator(mode="after")
    def _launches_after_the_epoch(self):
        start = self.launch.start_year
        if start is not None and start < self.epoch.year:
            raise ValueError(
                f"[launch] start_year={start} is before the scenario's epoch "
                f"({self.epoch.year}-{self.epoch.month:02d}); give {self.epoch.year} or later, "
                "or leave it out to start in the epoch's month"
            )
        return self

    @property
    def groups(self) -> tuple:
        """The shells, then the element sets: the order of the satellites' indices, which a
        satellite's group index (the mesh's and the stream's ``shell``) counts in."""
        return (*self.shells, *self.element_sets)

    @property
    def group_bounds(self) -> tuple[int, ...]:
        """``(len(groups) + 1,)`` satellite indices: group ``k`` of :attr:`groups` holds
        satellites ``group_bounds[k]`` to ``group_bounds[k + 1] - 1``."""
        return tuple(accumulate((g.n_sats for g in self.groups), initial=0))

    @property
    def n_sats(self) -> int:
        return sum(g.n_sats for g in self.groups)

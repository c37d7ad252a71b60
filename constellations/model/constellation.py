"""Constellation designs: immutable values, checked when they are made.

A :class:`Shell` is a circular Walker pattern; a :class:`Constellation` is an
epoch plus shells (and, optionally, element sets read from OMM or TLE files).
Every check raises ``ValueError`` with a message that names the value and
says what to change, so the CLI can print it as one line.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from orbital.constants import MAX_ALTITUDE_KM, MIN_ALTITUDE_KM
from orbital.walker import PATTERN_SPREAD_DEG


def _require_number(where: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}{name}={value!r}: must be a finite number")
    return float(value)


def _require_whole(where: str, name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer)):
        raise ValueError(f"{where}{name}={value!r}: must be a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{where}{name}={value!r}: must be a whole number, not a fraction")
    if value < minimum:
        raise ValueError(f"{where}{name}={value!r}: must be at least {minimum}")
    return int(value)


@dataclass(frozen=True)
class Shell:
    """A circular Walker shell of satellites.

    ``planes`` planes of ``sats_per_plane`` satellites at ``altitude_km``
    (mean altitude above the equatorial radius).  The planes' nodes are
    spread over 360 degrees (``pattern="delta"``) or 180 degrees
    (``"star"``), or over ``raan_spread_deg`` when given (for example a
    dawn-dusk band of planes a few degrees apart).  ``phasing`` is Walker's
    ``F``.  A sun-synchronous shell takes its inclination from J2 and, when
    ``ltan_hours`` is set, the node of its first plane from the Sun at the
    epoch.  ``bstar`` is SGP4's drag term (0 for a station-kept satellite).

    Build one with :meth:`walker` or :meth:`sun_synchronous`.
    """

    name: str
    altitude_km: float
    planes: int
    sats_per_plane: int
    inclination_deg: float | None = None
    is_sun_synchronous: bool = False
    ltan_hours: float | None = None
    phasing: int = 0
    pattern: str = "delta"
    raan_deg: float = 0.0
    raan_spread_deg: float | None = None
    bstar: float = 0.0

    def __post_init__(self):
        where = f"shell {self.name!r}: " if self.name else ""
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError('shell name must be a non-empty string, such as name = "dd340"')
        alt = _require_number(where, "altitude_km", self.altitude_km)
        if not MIN_ALTITUDE_KM <= alt <= MAX_ALTITUDE_KM:
            raise ValueError(
                f"{where}altitude_km={self.altitude_km!r}: must be between "
                f"{MIN_ALTITUDE_KM:g} and {MAX_ALTITUDE_KM:g} km"
            )
        planes = _require_whole(where, "planes", self.planes, 1)
        per_plane = _require_whole(where, "sats_per_plane", self.sats_per_plane, 1)
        phasing = _require_whole(where, "phasing", self.phasing, 0)
        if phasing > planes - 1:
            raise ValueError(
                f"{where}phasing={self.phasing!r}: must be between 0 and planes-1 = {planes - 1}"
            )
        if self.pattern not in PATTERN_SPREAD_DEG:
            raise ValueError(
                f'{where}pattern={self.pattern!r}: must be "delta" (planes over 360 degrees) '
                'or "star" (over 180 degrees)'
            )
        if not isinstance(self.is_sun_synchronous, bool):
            raise ValueError(
                f"{where}sun_synchronous={self.is_sun_synchronous!r}: must be true or false"
            )
        if self.is_sun_synchronous:
            if self.inclination_deg is not None:
                raise ValueError(
                    f"{where}inclination_deg and sun_synchronous = true both given: a "
                    "sun-synchronous shell takes its inclination from its altitude; drop one"
                )
        else:
            if self.inclination_deg is None:
                raise ValueError(
                    f"{where}no inclination: set inclination_deg (such as 53.0) "
                    "or sun_synchronous = true"
                )
            inc = _require_number(where, "inclination_deg", self.inclination_deg)
            if not 0.0 <= inc <= 180.0:
                raise ValueError(
                    f"{where}inclination_deg={inc!r}: must be between 0 and 180 degrees"
                )
            if self.ltan_hours is not None:
                raise ValueError(
                    f"{where}ltan_hours is for sun-synchronous shells only: set "
                    "sun_synchronous = true or drop ltan_hours"
                )
        if self.ltan_hours is not None:
            ltan = _require_number(where, "ltan_hours", self.ltan_hours)
            if not 0.0 <= ltan <= 24.0:
                raise ValueError(
                    f"{where}ltan_hours={self.ltan_hours!r}: must be between 0 and 24 hours "
                    "(18.0 is a dawn-dusk orbit)"
                )
        _require_number(where, "raan_deg", self.raan_deg)
        if self.raan_spread_deg is not None:
            spread = _require_number(where, "raan_spread_deg", self.raan_spread_deg)
            if not 0.0 <= spread <= 360.0:
                raise ValueError(
                    f"{where}raan_spread_deg={spread!r}: must be between 0 and 360 degrees"
                )
        bstar = _require_number(where, "bstar", self.bstar)
        if bstar < 0:
            raise ValueError(f"{where}bstar={bstar!r}: must not be negative (0 means no drag)")
        for name, value in (
            ("altitude_km", alt),
            ("planes", planes),
            ("sats_per_plane", per_plane),
            ("phasing", phasing),
            ("bstar", bstar),
        ):
            object.__setattr__(self, name, value)
        if self.inclination_deg is not None:
            object.__setattr__(self, "inclination_deg", float(self.inclination_deg))

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
            name,
            altitude_km,
            planes,
            sats_per_plane,
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
    ) -> "Shell":
        """A sun-synchronous shell; ``ltan_hours`` places its first plane (18.0 is dawn-dusk)."""
        return cls(
            name,
            altitude_km,
            planes,
            sats_per_plane,
            is_sun_synchronous=True,
            ltan_hours=ltan_hours,
            phasing=phasing,
            pattern=pattern,
            raan_deg=raan_deg,
            raan_spread_deg=raan_spread_deg,
            bstar=bstar,
        )

    @property
    def n_sats(self) -> int:
        return self.planes * self.sats_per_plane

    @property
    def spread_deg(self) -> float:
        """Degrees of right ascension the planes' nodes are spread over."""
        if self.raan_spread_deg is not None:
            return self.raan_spread_deg
        return PATTERN_SPREAD_DEG[self.pattern]

    @property
    def resolved_inclination_deg(self) -> float:
        """The inclination, from J2 for a sun-synchronous shell."""
        if self.is_sun_synchronous:
            from orbital.elements import sun_synchronous_inclination_deg

            return float(sun_synchronous_inclination_deg(self.altitude_km))
        return self.inclination_deg


@dataclass(frozen=True)
class ElementSet:
    """Satellites given by their own element sets (OMM or TLE), not by a Walker pattern.

    ``satrecs`` is a tuple of python-sgp4 ``Satrec``; ``names`` the object
    names, same length; ``source`` where they came from.
    """

    name: str
    satrecs: tuple
    names: tuple
    source: str = ""

    def __post_init__(self):
        if not self.satrecs:
            raise ValueError(f"element set {self.name!r}: holds no satellites")
        if len(self.names) != len(self.satrecs):
            raise ValueError(f"element set {self.name!r}: one name per satellite is needed")

    @property
    def n_sats(self) -> int:
        return len(self.satrecs)


@dataclass(frozen=True)
class Constellation:
    """An epoch and the shells (and element sets) flying then."""

    name: str
    epoch: datetime
    shells: tuple[Shell, ...] = ()
    element_sets: tuple[ElementSet, ...] = ()
    description: str = ""
    sources: tuple[str, ...] = field(default=())
    satellite: object = None  # a SatelliteDesign; None takes the documented default
    drag: object = None  # a DragDesign; None takes the documented default
    links: object = None  # a LinksDesign; None takes the documented default
    launch: object = None  # a LaunchDesign; None takes the documented default

    def __post_init__(self):
        from constellations.model.satellite import SatelliteDesign
        from orbital.times import parse_epoch

        if self.satellite is None:
            object.__setattr__(self, "satellite", SatelliteDesign.default())
        if self.drag is None:
            from constellations.model.drag import DragDesign

            object.__setattr__(self, "drag", DragDesign())
        if self.links is None:
            from constellations.model.links import LinksDesign

            object.__setattr__(self, "links", LinksDesign())
        if self.launch is None:
            from constellations.model.launch import LaunchDesign

            object.__setattr__(self, "launch", LaunchDesign())
        object.__setattr__(self, "epoch", parse_epoch(self.epoch))
        object.__setattr__(self, "shells", tuple(self.shells))
        object.__setattr__(self, "element_sets", tuple(self.element_sets))
        if not self.shells and not self.element_sets:
            raise ValueError(
                f"scenario {self.name!r}: no satellites; add a [[shells]] table "
                "(or an [[element_sets]] table with an OMM or TLE file)"
            )
        names = [s.name for s in self.shells] + [e.name for e in self.element_sets]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"scenario {self.name!r}: shell name {duplicates[0]!r} is used twice; "
                "give every shell its own name"
            )

    @property
    def n_sats(self) -> int:
        return sum(s.n_sats for s in self.shells) + sum(e.n_sats for e in self.element_sets)

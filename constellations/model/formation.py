"""The scenario's ``[[formations]]`` tables: close-formation clusters on one reference orbit.

A formation is ``clusters`` clusters spaced evenly along one circular reference orbit,
each a planar lattice of members on passive relative orbits about its chief
(:mod:`orbital.formation`) or a 3-D one (:mod:`orbital.formation_3d`).  The planner flies
it as a one-plane shell (:meth:`Formation.shell`) whose satellites are the members,
cluster by cluster, so every stage that sizes, launches and costs shells counts them; the
positions and the formation's own figures come from :mod:`constellations.stages.formation`.
Raises ScenarioError.
"""

import functools
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from constellations.model.validation import Design, Hint
from orbital.constants import MAX_ALTITUDE_KM, MIN_ALTITUDE_KM

#: Members a cluster may hold, and clusters an orbit: plausibility bounds (Suncatcher's
#: 81-member cluster a hundred times over; a cluster every 40 km of a 650 km orbit).
MAX_MEMBERS = 10_000
MAX_CLUSTERS = 1_000
#: Lattice pitches and cluster radii, metres: from 1 m to 100 km, far beyond the 100-200 m
#: of arXiv:2511.19468 both ways; the relative-motion model's error grows as offset^2 / r.
MIN_PITCH_M = 1.0
MAX_SPAN_M = 100_000.0


@functools.lru_cache(maxsize=32)
def _design_points_3d(spacing_m, radius_m, inclination_rad, cluster_radius_m, members, side, beta):
    """:func:`orbital.formation_3d.lattice_points_3d_m`, kept: the greedy shading filter takes
    a second or two and the planner asks for the members many times."""
    from orbital.formation_3d import lattice_points_3d_m

    return lattice_points_3d_m(
        spacing_m,
        radius_m,
        inclination_rad,
        cluster_radius_m=cluster_radius_m,
        n_members=members,
        array_side_m=side,
        sun_beta_min_deg=beta,
    )


class Formation(Design):
    """A ``[[formations]]`` table: the reference orbit, the lattice, and its safety margins.

    The orbit is set as a shell's (``altitude_km``; ``inclination_deg`` or
    ``sun_synchronous = true`` with ``ltan_hours``; ``raan_deg``).  The lattice is
    ``"hexagonal"`` (``radial_pitch_m``) or ``"rectangular"`` (``radial_pitch_m`` and
    ``along_track_pitch_m`` at the epoch), or ``"3d"`` (``spacing_m``, the separation
    guaranteed between any two members over an orbit; arrays unshaded for the Sun at least
    ``sun_beta_min_deg`` from the orbital plane), holding the members within
    ``cluster_radius_m`` and/or the ``members`` nearest its centre
    (:func:`orbital.formation.lattice_points_m`).  ``keep_out_m`` is the closest two members
    may come; ``ballistic_mismatch`` the fraction by which members' ballistic coefficients
    differ (drift, station keeping, loss of control); ``drift_distance_m`` the along-track
    drift the plan times; ``station_keeping_tolerance_m`` the along-track box held.  Each
    member's array, for the mutual shading, is a square of the area the sizing finds
    (:func:`constellations.stages.formation.shading_fixed_point`).
    """

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")] = Field(
        description="The formation's name, unique among shells and formations."
    )
    altitude_km: float = Field(
        ge=MIN_ALTITUDE_KM,
        le=MAX_ALTITUDE_KM,
        description="The reference orbit's mean altitude above the equatorial radius, km.",
    )
    inclination_deg: Annotated[float | None, Hint("such as 53.0")] = Field(
        None, ge=0.0, le=180.0, description="Inclination, degrees; leave out for SSO."
    )
    is_sun_synchronous: bool = Field(
        False, alias="sun_synchronous", description="A sun-synchronous reference orbit."
    )
    ltan_hours: Annotated[float | None, Hint("18.0 is a dawn-dusk orbit")] = Field(
        None, ge=0.0, le=24.0, description="Local time of the ascending node, hours (SSO only)."
    )
    raan_deg: float = Field(
        0.0, ge=-360.0, le=360.0, description="Node, degrees, TEME of the epoch (no ltan_hours)."
    )
    lattice: Annotated[
        Literal["hexagonal", "rectangular", "3d"],
        Hint(
            "hexagonal: one pitch; rectangular: radial_pitch_m and along_track_pitch_m; "
            "3d: spacing_m"
        ),
    ] = Field("hexagonal", description="The lattice of the members' relative orbits.")
    radial_pitch_m: float | None = Field(
        None,
        ge=MIN_PITCH_M,
        le=MAX_SPAN_M,
        description="Planar lattice pitch (radial for rectangular), m.",
    )
    spacing_m: float | None = Field(
        None,
        ge=MIN_PITCH_M,
        le=MAX_SPAN_M,
        description="The 3d lattice's guaranteed spacing between any two members, m.",
    )
    sun_beta_min_deg: Annotated[float | None, Hint("90 is the Sun on the orbit normal")] = Field(
        None,
        gt=0.0,
        le=90.0,
        description="3d lattice: arrays unshaded for the Sun this far or more from the "
        "orbital plane, degrees (default 90).",
    )
    unshaded_array_side_m: float | None = Field(
        None,
        gt=0.0,
        le=MAX_SPAN_M,
        description="3d lattice: the side of the square array its members keep clear of "
        "each other's shadow down to sun_beta_min_deg, m (a design margin; the plan shades "
        "the array as sized).",
    )
    along_track_pitch_m: float | None = Field(
        None,
        ge=MIN_PITCH_M,
        le=MAX_SPAN_M,
        description="Rectangular lattice's along-track spacing at the epoch, m.",
    )
    cluster_radius_m: float | None = Field(
        None,
        ge=MIN_PITCH_M,
        le=MAX_SPAN_M,
        description="Every member's relative orbit stays within this distance of the centre, m.",
    )
    members: int | None = Field(
        None, ge=1, le=MAX_MEMBERS, description="Members a cluster (nearest the centre)."
    )
    clusters: int = Field(
        1, ge=1, le=MAX_CLUSTERS, description="Clusters spaced evenly along the orbit."
    )
    keep_out_m: float = Field(
        50.0, ge=0.0, le=MAX_SPAN_M, description="The closest two members may come, m."
    )
    ballistic_mismatch: Annotated[float, Hint("0.01 is 1 %")] = Field(
        0.01,
        gt=0.0,
        le=1.0,
        description="Fractional difference of ballistic coefficients between members.",
    )
    drift_distance_m: float = Field(
        100.0, gt=0.0, le=MAX_SPAN_M, description="Along-track drift the plan times, m."
    )
    station_keeping_tolerance_m: float = Field(
        10.0, gt=0.0, le=MAX_SPAN_M, description="Along-track box station keeping holds, +/- m."
    )

    @classmethod
    def where(cls, data: dict) -> str:
        name = data.get("name")
        return f"formation {name!r}" if isinstance(name, str) and name.strip() else "formation"

    @model_validator(mode="before")
    @classmethod
    def _no_array_side(cls, data):
        if isinstance(data, dict) and "array_side_m" in data:
            raise ValueError(
                "array_side_m is no longer read: the shading takes each member's array as a "
                "square of the area the sizing finds; drop the key (a 3d lattice's design "
                "margin is unshaded_array_side_m)"
            )
        return data

    @model_validator(mode="after")
    def _orbit_is_one_kind(self):
        if self.is_sun_synchronous and self.inclination_deg is not None:
            raise ValueError(
                "inclination_deg and sun_synchronous = true both given: a sun-synchronous "
                "orbit takes its inclination from its altitude; drop one"
            )
        if not self.is_sun_synchronous and self.inclination_deg is None:
            raise ValueError(
                "no inclination: set inclination_deg (such as 53.0) or sun_synchronous = true"
            )
        if not self.is_sun_synchronous and self.ltan_hours is not None:
            raise ValueError("ltan_hours is for sun-synchronous orbits: set sun_synchronous = true")
        if self.lattice == "3d":
            if self.spacing_m is None:
                raise ValueError("a 3d lattice needs spacing_m (such as 100.0)")
            for key in ("radial_pitch_m", "along_track_pitch_m"):
                if getattr(self, key) is not None:
                    raise ValueError(f"{key} is for a planar lattice; a 3d one takes spacing_m")
            if self.spacing_m < self.keep_out_m:
                raise ValueError(
                    f"spacing_m={self.spacing_m:g} is below keep_out_m={self.keep_out_m:g}: "
                    "members would pass closer than keep-out; widen the spacing"
                )
        else:
            for key in ("spacing_m", "sun_beta_min_deg", "unshaded_array_side_m"):
                if getattr(self, key) is not None:
                    raise ValueError(f'{key} is for lattice = "3d"; drop it')
            if self.radial_pitch_m is None:
                raise ValueError(f"a {self.lattice} lattice needs radial_pitch_m (such as 100.0)")
        if self.lattice == "rectangular" and self.along_track_pitch_m is None:
            raise ValueError("a rectangular lattice needs along_track_pitch_m (such as 200.0)")
        if self.lattice == "hexagonal" and self.along_track_pitch_m is not None:
            raise ValueError("along_track_pitch_m is for a rectangular lattice; drop it")
        if self.cluster_radius_m is None and self.members is None:
            raise ValueError(
                "give cluster_radius_m (such as 1000.0), members (such as 81), or both"
            )
        self.relative_states()  # refuses lattices that do not fit or collide
        return self

    def lattice_points_m(self) -> np.ndarray:
        """The members' lattice points, m: ``(members, 2)`` planar, ``(members, 3)`` design
        points of a 3d lattice (:func:`orbital.formation_3d.lattice_points_3d_m`, arrays kept
        unshaded down to ``sun_beta_min_deg``); raises ValueError naming the key."""
        from orbital.formation import lattice_points_m

        if self.lattice == "3d":
            try:
                return _design_points_3d(
                    self.spacing_m,
                    self.radius_m,
                    float(np.radians(self.inclination_flown_deg)),
                    self.cluster_radius_m,
                    self.members,
                    self.unshaded_array_side_m,
                    self.beta_min_deg,
                ).copy()
            except ValueError as exc:
                raise ValueError(f"members={self.members}: {exc}") from None
        try:
            return lattice_points_m(
                self.lattice,
                self.radial_pitch_m,
                self.along_track_pitch_m,
                cluster_radius_m=self.cluster_radius_m,
                n_members=self.members,
            )
        except ValueError as exc:
            raise ValueError(f"members={self.members}: {exc}") from None

    def relative_states(self) -> np.ndarray:
        """Schweighart-Sedwick drift-free states ``(members, 6)``, m and m/s, in the chief's
        LVLH frame at the epoch (:func:`orbital.formation.lattice_states`).

        Raises ValueError naming ``radial_pitch_m`` and ``keep_out_m`` when two members
        would come closer than keep-out.
        """
        from orbital.formation import lattice_states

        points = self.lattice_points_m()
        if self.lattice == "3d":
            from orbital.formation_3d import lattice_3d_states

            try:
                return lattice_3d_states(
                    points, self.radius_m, np.radians(self.inclination_flown_deg), self.keep_out_m
                )
            except ValueError as exc:
                raise ValueError(
                    f"spacing_m={self.spacing_m:g}, keep_out_m={self.keep_out_m:g}: {exc}; "
                    "widen the spacing or shorten keep_out_m"
                ) from None
        try:
            return lattice_states(
                points, self.radius_m, np.radians(self.inclination_flown_deg), self.keep_out_m
            )
        except ValueError as exc:
            raise ValueError(
                f"radial_pitch_m={self.radial_pitch_m:g}, keep_out_m={self.keep_out_m:g}: {exc}; "
                "widen the pitch or shorten keep_out_m"
            ) from None

    @property
    def pitch_m(self) -> float:
        """The lattice's pitch, m: ``radial_pitch_m``, or a 3d lattice's ``spacing_m``."""
        return float(self.spacing_m if self.lattice == "3d" else self.radial_pitch_m)

    @property
    def beta_min_deg(self) -> float:
        """``sun_beta_min_deg``, 90 when not given."""
        return 90.0 if self.sun_beta_min_deg is None else float(self.sun_beta_min_deg)

    @property
    def n_members(self) -> int:
        """Members in one cluster."""
        return len(self.lattice_points_m())

    @property
    def n_sats(self) -> int:
        return self.n_members * self.clusters

    @property
    def radius_m(self) -> float:
        """The reference orbit's radius, m: ``altitude_km`` above the WGS-72 equatorial radius."""
        from orbital.relative_motion import EARTH_RADIUS_M

        return EARTH_RADIUS_M + self.altitude_km * 1e3

    @property
    def inclination_flown_deg(self) -> float:
        """The inclination flown: SGP4's sun-synchronous one for an SSO orbit, as a shell's."""
        if self.is_sun_synchronous:
            from orbital.elements import sgp4_sun_synchronous_inclination_deg

            return float(sgp4_sun_synchronous_inclination_deg(self.altitude_km))
        return float(self.inclination_deg)

    def shell_keys(self) -> dict:
        """The keys of the one-plane shell the planner flies this formation as
        (:class:`~constellations.model.constellation.Shell`, with ``formation`` = self)."""
        orbit = (
            {"sun_synchronous": True, "ltan_hours": self.ltan_hours}
            if self.is_sun_synchronous
            else {"inclination_deg": self.inclination_deg}
        )
        return {
            "name": self.name,
            "altitude_km": self.altitude_km,
            "planes": 1,
            "sats_per_plane": self.n_sats,
            "raan_deg": self.raan_deg,
            "formation": self,
            **orbit,
        }

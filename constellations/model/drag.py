"""The scenario's ``[drag]`` table and the electric thrusters it can name, with sources."""

from dataclasses import dataclass

from orbital.drag import DEFAULT_DRAG_COEFFICIENT, SOLAR_ACTIVITY, check_indices


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


@dataclass(frozen=True)
class DragDesign:
    """The scenario's ``[drag]`` table."""

    drag_coefficient: float = DEFAULT_DRAG_COEFFICIENT
    body_area_m2_per_tonne: float = 0.5  # assumption: a 1.4 t rack module's face, ~0.7 m2
    thruster: str = "spt-100"
    storm_density_factor: float = 5.0  # assumption: a severe storm, after Starlink Feb 2022
    storm_hours_per_year: float = 48.0  # assumption: two storm days a year
    f107: float | None = None  # a "custom" case besides low, moderate and high
    ap: float | None = None
    feed_sizing: bool = True  # thruster power and propellant from drag into the closure

    def __post_init__(self):
        if not self.drag_coefficient > 0:
            raise ValueError(
                f"[drag] drag_coefficient={self.drag_coefficient!r}: must be positive "
                "(2.2 is usual)"
            )
        if self.body_area_m2_per_tonne < 0:
            raise ValueError("[drag] body_area_m2_per_tonne must not be negative")
        if self.thruster not in THRUSTERS:
            raise ValueError(
                f"[drag] thruster={self.thruster!r}: choose one of {', '.join(THRUSTERS)}"
            )
        if self.storm_density_factor < 1 or self.storm_hours_per_year < 0:
            raise ValueError("[drag] storm_density_factor must be >= 1 and storm hours >= 0")
        if (self.f107 is None) != (self.ap is None):
            raise ValueError("[drag] f107 and ap go together: give both for a custom case")
        if self.f107 is not None:
            check_indices(self.f107, self.ap)

    def cases(self) -> dict:
        cases = dict(SOLAR_ACTIVITY)
        if self.f107 is not None:
            cases["custom"] = (float(self.f107), float(self.ap))
        return cases

"""A band's environment from a few of its levels: the atmosphere and the radiator's hot case.

A band's levels (:mod:`constellations.model.band`) differ only in altitude, in their
inclination when sun-synchronous (a smooth function of the altitude) and in their first
node (``k W / P``, linear in the level as the altitude is), so what the sizing reads of
their surroundings is a smooth function of the level's altitude.
:func:`shell_environments` evaluates it in full at a few levels of each band (nodes:
the lowest, the highest and enough between, :func:`constellations.model.band.node_indices`)
and interpolates the levels between, as the radiation stage does its spectra:

* the atmosphere (:func:`~constellations.stages.atmosphere.shell_atmosphere`): the
  orbit-mean density of each activity case log-linear in altitude between the nodes
  :data:`ATMOSPHERE_NODE_SPACING_KM` apart; the decay profile below a level is the same
  air for every level, sampled along tracks that differ only in their nodes and
  inclination: the upper node's profile read up to the level, with the lower node's
  share of the log-ratio of the two nodes' profiles (where both reach), so each
  lifetime is the integral of one profile up to the level.  A node's profile is its own
  track's over its top :data:`~constellations.stages.atmosphere.OWN_PROFILE_SPAN_KM`,
  where the decay spends most of its time; below, every node of the bands of one orbit
  family (:func:`orbit_family`) reads one profile (:func:`family_profile`), scaled to
  meet its own;
* above NRLMSIS's 1,000 km (:class:`~constellations.stages.atmosphere.AboveModel`) every
  level's bounds come from the model's ceiling, which sits about as far below 1,000 km
  for each: the ceiling's densities are interpolated between nodes
  :data:`CEILING_NODE_SPACING_KM` apart, the track's highest point linearly; the levels
  below and above the ceiling are interpolated apart (the first level above it is found
  by bisection on the tracks' highest points);
* the hot case (:func:`~constellations.stages.hot_case.hot_case_components`): the Sun and
  albedo flux per unit absorptivity and the infrared per unit emissivity at each of the
  level's hot-case beta angles (nine across its beta range and 0, each a smooth function
  of the level), linear in altitude between nodes :data:`HOT_CASE_NODE_SPACING_KM` apart.

Shells that are not levels of a band, bands of two levels and the nodes themselves are
evaluated exactly as :func:`~constellations.stages.atmosphere.shell_atmosphere` and
:func:`~constellations.stages.hot_case.hot_case_components` do.  The interpolation error
against evaluating every level is bounded in tests/stages/test_band_environment.py.
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.band import log_linear, node_indices
from constellations.stages.atmosphere import (
    AboveModel,
    DecayProfile,
    ShellAtmosphere,
    _above_msis,
    atmosphere_along,
    decay_profile,
    levels_up_to,
    own_levels_from_km,
    profile_top_km,
    shell_track,
)
from constellations.stages.hot_case import hot_case_components
from constellations.stages.illumination import ShellSunlight
from constellations.stages.parallel import over_shells
from orbital.drag import MAX_DENSITY_ALTITUDE_KM
from orbital.power import solar_flux_w_m2

#: Widest altitude step between a band's levels whose atmosphere is evaluated in full below
#: NRLMSIS's ceiling (the radiation stage's 50 km, :data:`~constellations.stages.radiation.
#: NODE_SPACING_KM`): density falls by a factor e every 50-100 km there, and its logarithm
#: is nearly straight over one step: measured on blue-origin-sunrise, the orbit-mean
#: density within 1.7 % of every level's own (it bows above the chord: the scale height
#: grows with altitude) and the uncontrolled lifetime within 2.4 %
#: (tests/stages/test_band_environment.py bounds both).
ATMOSPHERE_NODE_SPACING_KM = 50.0
#: Above the model every level's bound comes from the ceiling, about the same air for all,
#: so the nodes may be further apart: measured on blue-origin-sunrise, the ceiling's
#: density within 1 % and the least lifetime within 1.1 % of every level's own.
CEILING_NODE_SPACING_KM = 200.0
#: The hot case's view factors change slowly with altitude (the Earth's disk subtends
#: 2 arcsin(R / r)), but a beta angle's eclipse begins at an altitude (where
#: cos(beta) = sqrt(1 - (R / r)^2)), a kink the interpolation rounds off: measured on
#: blue-origin-sunrise, the hot case within 0.9 % of every level's own for its coating
#: (absorptivity 0.2) and 1.8 % for an absorptivity of 0.9 (2 % and 4.3 % with nodes
#: 200 km apart).
HOT_CASE_NODE_SPACING_KM = 100.0


@dataclass(frozen=True, eq=False)
class OrbitEnvironment:
    """What the closure reads of a shell's surroundings beyond its sunlight.

    ``atmosphere`` as :func:`~constellations.stages.atmosphere.shell_atmosphere` gives it;
    ``hot_case`` the ``(sun, ir)`` components of the radiator's hot case (W/m^2 per unit
    absorptivity and per unit emissivity, ``(n_beta,)``) as
    :func:`~constellations.stages.hot_case.hot_case_components` gives them, or None for a
    shell evaluated directly (the caller finds them itself); ``interpolated`` whether the
    two come from the band's nodes.
    """

    atmosphere: "ShellAtmosphere | AboveModel"
    hot_case: tuple[np.ndarray, np.ndarray] | None
    interpolated: bool = False
    #: ``(low, high, w)`` when the atmosphere lies a fraction ``w`` of the way from the
    #: shell ``low``'s to the shell ``high``'s (indices in the order given), else None:
    #: a study's custom activity table is interpolated the same way.
    atmosphere_between: tuple[int, int, float] | None = None


def shell_environments(sunlights, epoch, drag, radiator) -> tuple[OrbitEnvironment, ...]:
    """The :class:`OrbitEnvironment` of each shell of ``sunlights`` (the illumination
    stage's :class:`~constellations.stages.illumination.ShellSunlight`, one per resolved
    shell), in their order: the levels of each band of three or more levels from its
    nodes, every other shell in full (``hot_case`` None).  The nodes of the bands of one
    orbit family (:func:`orbit_family`) read their decay profiles from one
    (:func:`family_profile`).

    ``epoch`` the constellation's; ``drag`` its ``[drag]`` design (the activity cases);
    ``radiator`` its radiator design (attitude and faces).  Raises what
    :func:`~constellations.stages.atmosphere.shell_atmosphere` and
    :func:`~constellations.stages.hot_case.hot_case_components` raise.
    """
    sunlights = list(sunlights)
    bands: dict[str, list[int]] = {}
    for i, sunlight in enumerate(sunlights):
        band = sunlight.resolved.shell.band
        if band is not None:
            bands.setdefault(band, []).append(i)
    bands = {name: members for name, members in bands.items() if len(members) >= 3}
    banded = {i for members in bands.values() for i in members}
    alone = [i for i in range(len(sunlights)) if i not in banded]
    found: dict[int, OrbitEnvironment] = {}
    direct = over_shells(
        lambda i: OrbitEnvironment(
            atmosphere_along(
                sunlights[i].resolved.shell.altitude_km,
                shell_track(sunlights[i].resolved, epoch),
                drag,
            ),
            None,
        ),
        alone,
    )
    found.update(zip(alone, direct, strict=True))
    ordered = {
        name: sorted(members, key=lambda i: sunlights[i].resolved.shell.altitude_km)
        for name, members in bands.items()
    }
    plans = {
        name: BandNodes.of([sunlights[i].resolved for i in members], epoch)
        for name, members in ordered.items()
    }
    families: dict[tuple, list[str]] = {}
    for name, members in ordered.items():
        families.setdefault(orbit_family(sunlights[members[0]].resolved.shell), []).append(name)
    for names in families.values():
        shared = family_profile([plans[name] for name in names], drag)
        for name in names:
            members = ordered[name]
            atmospheres = plans[name].levels(drag, shared)
            hot_cases, hot_nodes = band_hot_cases([sunlights[i] for i in members], radiator)
            for k, i in enumerate(members):
                level = atmospheres[k]
                found[i] = OrbitEnvironment(
                    level.atmosphere,
                    hot_cases[k],
                    interpolated=level.between is not None or k not in hot_nodes,
                    atmosphere_between=None
                    if level.between is None
                    else (members[level.between[0]], members[level.between[1]], level.between[2]),
                )
    return tuple(found[i] for i in range(len(sunlights)))


def orbit_family(shell) -> tuple:
    """What a band's tracks share with another band's when their decay profiles may be
    read from one: sun-synchronous at the same LTAN, or the same inclination to 0.1 deg,
    with the same spread of nodes.  The air below a level then differs between them only
    through the tracks' nodes (a Walker shell's planes cover every local time each
    revolution; a sun-synchronous band's share its LTAN) and a sun-synchronous
    inclination that changes by about 0.5 deg a 100 km."""
    orbit = (
        ("sso", shell.ltan_hours, shell.ltan_reference)
        if shell.is_sun_synchronous
        else ("inclined", round(float(shell.inclination_deg), 1))
    )
    return (*orbit, shell.pattern, shell.raan_spread_deg)


def family_profile(plans: "list[BandNodes]", drag) -> DecayProfile:
    """One decay profile for the nodes of ``plans`` (bands of one :func:`orbit_family`),
    from 100 km up to the highest level any node takes from it
    (:func:`~constellations.stages.atmosphere.own_levels_from_km`: each node's top
    :data:`~constellations.stages.atmosphere.OWN_PROFILE_SPAN_KM` comes from its own
    track), along the track of the node whose track rises least above its altitude (the
    ellipsoid's bulge is least at its inclination), so that moved up to any node's levels
    it stays inside NRLMSIS's range where that node's own track does.  Raises what
    :func:`~constellations.stages.atmosphere.decay_profile` raises."""
    nodes = [(plan, k) for plan in plans for k in plan.nodes]
    junction_km = max(own_levels_from_km(plan.top_km(k)) for plan, k in nodes)
    rise = [float(np.max(plan.track(k)[3])) - plan.altitudes[k] for plan, k in nodes]
    plan, k = nodes[int(np.argmin(rise))]
    profile_km = levels_up_to(junction_km)
    return decay_profile(plan.track(k), float(plan.altitudes[k]), profile_km, drag)


@dataclass(frozen=True, eq=False)
class BandLevel:
    """A level's atmosphere, and ``(low, high, w)`` when it lies a fraction ``w`` of the
    way from node ``low``'s to node ``high``'s (indices among the band's levels), or None
    for a node."""

    atmosphere: "ShellAtmosphere | AboveModel"
    between: tuple[int, int, float] | None


@dataclass(eq=False)
class BandNodes:
    """A band's resolved levels (rising in altitude), their tracks as needed, and its
    nodes: ``segments`` the node indices below NRLMSIS's ceiling (every
    :data:`ATMOSPHERE_NODE_SPACING_KM`) and above it (every
    :data:`CEILING_NODE_SPACING_KM`), each rising."""

    resolved: list
    epoch: object
    altitudes: np.ndarray
    segments: list
    _tracks: dict

    @classmethod
    def of(cls, levels, epoch) -> "BandNodes":
        """The nodes of a band's resolved ``levels`` (rising in altitude)."""
        band = cls(list(levels), epoch, np.array([r.shell.altitude_km for r in levels]), [], {})
        n = len(levels)
        # The first level whose track climbs above the model: the tracks' highest points
        # rise with the levels.
        if band._above(0):
            split = 0
        elif not band._above(n - 1):
            split = n
        else:
            low, high = 0, n - 1
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if band._above(middle) else (middle, high)
            split = high
        for start, stop, spacing in (
            (0, split, ATMOSPHERE_NODE_SPACING_KM),
            (split, n, CEILING_NODE_SPACING_KM),
        ):
            if stop > start:
                band.segments.append(start + node_indices(band.altitudes[start:stop], spacing))
        return band

    @property
    def nodes(self) -> list[int]:
        return [int(k) for segment in self.segments for k in segment]

    def track(self, k: int) -> tuple:
        if k not in self._tracks:
            self._tracks[k] = shell_track(self.resolved[k], self.epoch)
        return self._tracks[k]

    def _above(self, k: int) -> bool:
        return float(np.max(self.track(k)[3])) > MAX_DENSITY_ALTITUDE_KM

    def top_km(self, k: int) -> float:
        return profile_top_km(float(self.altitudes[k]), self.track(k))

    def levels(self, drag, shared: "DecayProfile | None" = None) -> list[BandLevel]:
        """The atmosphere of each level (see the module's docstring), a
        :class:`BandLevel` each: the nodes' own orbit-mean densities, their decay
        profiles from ``shared`` (a :func:`family_profile`) or their own tracks.  Raises
        what :func:`~constellations.stages.atmosphere.shell_atmosphere` raises."""
        altitudes = self.altitudes
        out: list = [None] * len(altitudes)
        for nodes in self.segments:
            evaluated = over_shells(
                lambda k: atmosphere_along(altitudes[k], self.track(k), drag, shared), nodes
            )
            for k, atmosphere in zip(nodes, evaluated, strict=True):
                out[k] = BandLevel(atmosphere, None)
            for a, b in zip(nodes[:-1], nodes[1:], strict=True):
                for k in range(a + 1, b):
                    w = float((altitudes[k] - altitudes[a]) / (altitudes[b] - altitudes[a]))
                    between = _between(out[a].atmosphere, out[b].atmosphere, w, altitudes[k])
                    out[k] = BandLevel(between, (int(a), int(b), w))
        return out


def _between(low, high, w: float, altitude_km: float):
    """The atmosphere a fraction ``w`` of the way from node ``low`` to node ``high``."""
    if isinstance(low, AboveModel):
        # How far the track's highest point sits above the level: smooth in the level.
        rise_km = (1.0 - w) * (low.out_of_range.value - low.altitude_km) + w * (
            high.out_of_range.value - high.altitude_km
        )
        top_km = altitude_km + rise_km
        ceiling_km = altitude_km - (top_km - MAX_DENSITY_ALTITUDE_KM)
        ceiling = _mixed(low.ceiling, high.ceiling, w, ceiling_km)
        return AboveModel(_above_msis(top_km), ceiling, altitude_km)
    return _mixed(low, high, w, altitude_km)


def _mixed(low: ShellAtmosphere, high: ShellAtmosphere, w: float, altitude_km: float):
    """The atmosphere at ``altitude_km`` a fraction ``w`` of the way from node ``low`` to
    node ``high``: each density log-linear between the nodes'; the decay profile of the
    node whose profile reaches higher, read up to ``altitude_km``, with the other node's
    share of the log-ratio of their profiles added (held at its value at the lower top
    above it), so that it too lies between the nodes' where both are defined."""
    reach, other, w_other = (
        (high, low, 1.0 - w) if high.profile_km[-1] >= low.profile_km[-1] else (low, high, w)
    )
    keep = reach.profile_km < altitude_km - 1e-9
    profile_km = np.append(reach.profile_km[keep], altitude_km)
    shared_km = np.minimum(profile_km, other.profile_km[-1])
    density, profiles = {}, {}
    for case in low.cases:
        density[case] = float(log_linear(low.density_kg_m3[case], high.density_kg_m3[case], w))
        log_reach = np.log(reach.profile_kg_m3[case])
        log_other = np.log(other.profile_kg_m3[case])
        ratio = np.interp(shared_km, other.profile_km, log_other) - np.interp(
            shared_km, reach.profile_km, log_reach
        )
        profiles[case] = np.exp(
            np.interp(profile_km, reach.profile_km, log_reach) + w_other * ratio
        )
    return ShellAtmosphere(float(altitude_km), low.cases, density, profile_km, profiles)


def _structured_betas_deg(beta_range_deg) -> np.ndarray:
    """The hot-case betas in a fixed order, ``(10,)``: nine across the range, then 0
    clipped to it (:func:`~constellations.stages.hot_case.hot_case_betas_deg` sorts and
    merges them)."""
    low, high = beta_range_deg
    return np.append(np.linspace(low, high, 9), np.clip(0.0, low, high))


def band_hot_cases(levels: list[ShellSunlight], radiator) -> tuple[list, set]:
    """The hot-case components ``(sun, ir)`` of each of a band's levels (rising in
    altitude) and the set of levels evaluated in full.

    A node's are :func:`~constellations.stages.hot_case.hot_case_components`' own; a level
    between gets each beta's components linear in altitude between the nodes' at the same
    place of their beta grids (:func:`_structured_betas_deg`), ``(10,)``.
    """
    altitudes = np.array([s.resolved.shell.altitude_km for s in levels])
    nodes = node_indices(altitudes, HOT_CASE_NODE_SPACING_KM)

    def evaluate(k: int):
        sunlight = levels[k]
        flux = float(solar_flux_w_m2(sunlight.year.perihelion_au))
        return hot_case_components(sunlight.resolved, radiator, sunlight.beta_range_deg, flux)

    out: list = [None] * len(levels)
    structured = {}
    for k, (sun, ir) in zip(nodes, over_shells(evaluate, nodes), strict=True):
        out[k] = (sun, ir)
        _, inverse = np.unique(_structured_betas_deg(levels[k].beta_range_deg), return_inverse=True)
        structured[k] = (sun[inverse], ir[inverse])
    for a, b in zip(nodes[:-1], nodes[1:], strict=True):
        for k in range(a + 1, b):
            w = (altitudes[k] - altitudes[a]) / (altitudes[b] - altitudes[a])
            out[k] = tuple((1.0 - w) * structured[a][j] + w * structured[b][j] for j in range(2))
    return out, {int(k) for k in nodes}

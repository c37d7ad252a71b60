"""A band's environment from its nodes against NRLMSIS and the hot case evaluated at every
level (constellations/stages/band_environment.py)."""

import numpy as np
import pytest

from constellations.model.constellation import Constellation, Shell
from constellations.planner import plan
from constellations.stages.atmosphere import (
    AboveModel,
    shell_atmosphere,
    unit_ballistic_lifetime_days,
)
from constellations.stages.band_environment import orbit_family, shell_environments
from constellations.stages.closure import hot_case_components, hot_case_from_components
from orbital.power import solar_flux_w_m2

EPOCH = "2027-01-01T00:00:00Z"
#: Orbit-mean density between nodes 50 km apart, against NRLMSIS along the level's own track:
#: log-linear in altitude over one node step (measured: at most 2.2 %, in the low-activity
#: case, whose scale height grows fastest with altitude; 0.4 % at moderate activity).
DENSITY_BETWEEN_NODES = 0.03
#: The unit-ballistic uncontrolled lifetime from the nodes' decay profiles (the top 60 km
#: from the node's own track, the rest from its orbit family's shared profile), against
#: the level's own profile (measured: at most 0.65 %, in the 700-750 km band read from the
#: 500-550 km band's track; NRLMSIS itself is uncertain by tens of percent).
LIFETIME_BETWEEN_NODES = 0.01
#: Above the model every level's bound is the ceiling's air: the ceiling's density and the
#: least lifetime between nodes (measured: at most 0.3 %).
CEILING_BETWEEN_NODES = 0.01
#: The radiator's hot case (orbit-mean absorbed flux, W/m^2), linear in altitude at each of
#: the level's hot-case betas between nodes 100 km apart, here also 1.8 h of local time
#: apart (measured: at most 1.3 %, for an absorptivity of 0.9; 0.04 % where the levels' beta
#: ranges are alike, as in the 53- and 30-degree bands; 1.8 % on blue-origin-sunrise,
#: where the eclipses begin between nodes).
HOT_CASE_BETWEEN_NODES = 0.02
#: Coatings the hot case is checked for: (absorptivity, emissivity).
COATINGS = ((0.2, 0.9), (0.9, 0.9), (0.3, 0.5))


def _band(name, low_km, high_km, spacing_km, planes_per_level, **orbit) -> Shell:
    levels = round((high_km - low_km) / spacing_km) + 1
    return Shell(
        name=name,
        altitude_range_km=[low_km, high_km],
        altitude_spacing_km=spacing_km,
        planes=levels * planes_per_level,
        sats_per_plane=4,
        **orbit,
    )


#: Bands of one plane a level (as Blue Origin's filing; one plane's track is the cheapest to
#: evaluate): a dawn-dusk band whose levels' nodes step 2.7 deg (11 minutes of local
#: time), twelve times the filing's step; a 53-degree band across NRLMSIS's 1,000 km and a
#: 30-degree band of three levels, their nodes 4 and 12 deg apart; a shell that is no
#: band's level and a band of two levels (both evaluated in full).
SHELLS = (
    _band("dd", 500.0, 600.0, 10.0, 1, sun_synchronous=True, ltan_hours=18.0, raan_spread_deg=30.0),
    _band("x", 960.0, 1040.0, 10.0, 1, inclination_deg=53.0, raan_spread_deg=36.0),
    _band("few", 500.0, 550.0, 25.0, 1, inclination_deg=30.0, raan_spread_deg=36.0),
    _band("hi", 700.0, 750.0, 25.0, 1, inclination_deg=30.0, raan_spread_deg=36.0),
    Shell.walker(name="w", altitude_km=550.0, inclination_deg=53.0, planes=2, sats_per_plane=4),
    _band("two", 600.0, 650.0, 50.0, 2, inclination_deg=53.0),
)


@pytest.fixture(scope="module")
def bands():
    """``(constellation, {level name: (sunlight, environment)})``."""
    constellation = Constellation("bands", EPOCH, shells=SHELLS)
    sunlights = plan(constellation, stages={"illumination"}).illumination.shells
    radiator = constellation.satellite.radiator
    found = shell_environments(sunlights, constellation.epoch, constellation.drag, radiator)
    by_name = {s.resolved.shell.name: (s, e) for s, e in zip(sunlights, found, strict=True)}
    return constellation, by_name


def _direct_hot_case(sunlight, radiator):
    flux = float(solar_flux_w_m2(sunlight.year.perihelion_au))
    return hot_case_components(sunlight.resolved, radiator, sunlight.beta_range_deg, flux)


def _check_levels(bands, names, *, density_rtol, lifetime_rtol, hot_case=()):
    """Each named level's densities and unit lifetimes, and the hot case of those named in
    ``hot_case`` (ten beta angles of view-factor quadrature each), against direct
    evaluation."""
    constellation, by_name = bands
    for name in names:
        sunlight, environment = by_name[name]
        assert environment.interpolated
        direct = shell_atmosphere(sunlight.resolved, constellation.epoch, constellation.drag)
        ours = environment.atmosphere
        assert type(ours) is type(direct)
        inner = ours.ceiling if isinstance(ours, AboveModel) else ours
        direct_inner = direct.ceiling if isinstance(direct, AboveModel) else direct
        for case, density in direct_inner.density_kg_m3.items():
            assert inner.density_kg_m3[case] == pytest.approx(density, rel=density_rtol)
        life = unit_ballistic_lifetime_days(direct)
        for case, days in unit_ballistic_lifetime_days(ours).items():
            assert days == pytest.approx(life[case], rel=lifetime_rtol)
        if isinstance(ours, AboveModel):
            # The track's highest point, linear between nodes: within 0.5 km (measured 0.07
            # km), which moves the ceiling's density by about 1 %.
            assert ours.out_of_range.value == pytest.approx(direct.out_of_range.value, abs=0.5)
        if name not in hot_case:
            continue
        sun, ir = _direct_hot_case(sunlight, constellation.satellite.radiator)
        for absorptivity, emissivity in COATINGS:
            assert hot_case_from_components(
                *environment.hot_case, absorptivity, emissivity
            ) == pytest.approx(
                hot_case_from_components(sun, ir, absorptivity, emissivity),
                rel=HOT_CASE_BETWEEN_NODES,
            )


def _levels(by_name, band):
    return [by_name[n][1] for n in by_name if n.startswith(f"{band}-")]


def test_levels_between_nodes_follow_nrlmsis_and_the_hot_case(bands):
    """The dawn-dusk band, a level every 10 km over 500-600 km: nodes at 500, 550 and 600
    km for the atmosphere, 500 and 600 km for the hot case; the levels halfway between
    (the farthest from a node) against every figure evaluated directly."""
    levels = _levels(bands[1], "dd")
    assert [e.atmosphere_between is None for e in levels] == [k % 5 == 0 for k in range(11)]
    assert [e.interpolated for e in levels] == [False] + [True] * 9 + [False]
    _check_levels(
        bands,
        ("dd-520", "dd-530", "dd-550", "dd-570"),
        density_rtol=DENSITY_BETWEEN_NODES,
        lifetime_rtol=LIFETIME_BETWEEN_NODES,
        hot_case=("dd-550",),  # halfway between the hot case's nodes
    )


def test_a_band_across_the_model_ceiling_bounds_each_level_as_its_own_track_does(bands):
    """The 53-degree band over 960-1,040 km crosses NRLMSIS's 1,000 km: the levels whose
    tracks climb above it are bounds from the ceiling (AboveModel), as each level evaluated
    alone is, and the ceiling's figures follow it between nodes."""
    constellation, by_name = bands
    levels = _levels(by_name, "x")
    kinds = [isinstance(e.atmosphere, AboveModel) for e in levels]
    assert kinds[0] is False and kinds[-1] is True
    assert kinds == sorted(kinds)  # below the ceiling, then above it
    first = kinds.index(True)
    # The levels either side of the crossing are evaluated in full (each part's ends).
    assert levels[first].atmosphere_between is None
    assert levels[first - 1].atmosphere_between is None
    names = [n for n in by_name if n.startswith("x-") and by_name[n][1].atmosphere_between]
    assert any(isinstance(by_name[n][1].atmosphere, AboveModel) for n in names)
    assert any(not isinstance(by_name[n][1].atmosphere, AboveModel) for n in names)
    _check_levels(
        bands,
        names,
        density_rtol=CEILING_BETWEEN_NODES,
        lifetime_rtol=CEILING_BETWEEN_NODES,
        hot_case=("x-1000",),  # halfway between the hot case's nodes
    )


def test_a_band_of_three_levels_interpolates_its_middle_one(bands):
    """The fewest levels a band interpolates: its ends are the nodes."""
    assert [e.interpolated for e in _levels(bands[1], "few")] == [False, True, False]
    _check_levels(
        bands,
        ("few-525",),
        density_rtol=DENSITY_BETWEEN_NODES,
        lifetime_rtol=LIFETIME_BETWEEN_NODES,
        hot_case=("few-525",),
    )


def test_shells_outside_bands_and_bands_of_two_levels_are_evaluated_in_full(bands):
    """A shell that is no band's level, and both levels of a two-level band, get exactly
    the atmosphere shell_atmosphere gives, and their hot case is left to the caller."""
    constellation, by_name = bands
    for name in ("w", "two-600", "two-650"):
        sunlight, environment = by_name[name]
        assert not environment.interpolated and environment.hot_case is None
        direct = shell_atmosphere(sunlight.resolved, constellation.epoch, constellation.drag)
        assert environment.atmosphere.density_kg_m3 == direct.density_kg_m3
        for case, profile in direct.profile_kg_m3.items():
            np.testing.assert_array_equal(environment.atmosphere.profile_kg_m3[case], profile)


def test_bands_of_one_orbit_family_share_one_decay_profile(bands):
    """The two 30-degree bands (500-550 and 700-750 km) are one orbit family, apart from the
    dawn-dusk and 53-degree bands: below each node's own top 60 km their decay profiles are
    one profile (each a constant multiple of another's), and every level's lifetime still
    follows the level's own track."""
    constellation, by_name = bands
    family = {name: orbit_family(by_name[name][0].resolved.shell) for name in by_name}
    assert family["few-500"] == family["hi-750"]
    assert len({family["few-500"], family["dd-500"], family["x-960"]}) == 3
    low, high = by_name["few-500"][1].atmosphere, by_name["hi-750"][1].atmosphere
    below = low.profile_km < 440.0 + 1e-9  # few-500's own levels start at 440 km
    np.testing.assert_array_equal(high.profile_km[: below.sum()], low.profile_km[below])
    for case in low.cases:
        ratio = high.profile_kg_m3[case][: below.sum()] / low.profile_kg_m3[case][below]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-6)  # pymsis gives float32
    for name in ("few-500", "few-525", "few-550", "hi-700", "hi-725", "hi-750"):
        sunlight, environment = by_name[name]
        direct = shell_atmosphere(sunlight.resolved, constellation.epoch, constellation.drag)
        life = unit_ballistic_lifetime_days(direct)
        for case, days in unit_ballistic_lifetime_days(environment.atmosphere).items():
            assert days == pytest.approx(life[case], rel=LIFETIME_BETWEEN_NODES), name

"""How a study splits its work: which keys vary inside one vectorised call, which make
groups, which groups share an orbital design point; values the schema refuses; the
orbital point's cache round trip and the custom activity case's table against NRLMSIS."""

import math
import textwrap

import numpy as np
import pytest
from helpers import STUDY_BASE

from constellations.io.study import parse_study
from constellations.study.work import is_vector, prepare

BASE = STUDY_BASE


def study_of(tmp_path, body: str):
    (tmp_path / "base.toml").write_text(BASE)
    return parse_study(textwrap.dedent(body), origin="study.toml", base_dir=tmp_path)


@pytest.mark.parametrize(
    ("path", "vector"),
    [
        ("satellite.compute_kw", True),
        ("solar_array.areal_density_kg_m2", True),
        ("radiator.absorptivity", True),
        ("launch.cost_per_flight_usd", True),
        ("launch.flights_per_year", True),
        ("cost.ground.pue", True),
        ("drag.f107", True),
        ("satellite.payload", False),  # a preset: a group
        ("satellite.payload_units", False),  # a whole number: a group
        ("launch.years", False),  # changes the cadence's shape
        ("radiator.attitude", False),
        ("shells[0].altitude_km", False),  # the orbit
        ("shells[*].inclination_deg", False),
    ],
)
def test_float_keys_of_hardware_launch_drag_and_cost_vary_in_one_call(path, vector):
    import tomllib

    assert is_vector(path, tomllib.loads(BASE)) is vector


def test_groups_share_an_orbital_point_when_their_orbits_agree(tmp_path):
    study = study_of(
        tmp_path,
        """
        [study]
        name = "groups"
        base = "base.toml"
        design = "grid"
        outputs = ["kw_per_tonne"]

        [[parameters]]
        path = "satellite.payload"
        values = ["gb200-nvl72", "gb300-nvl72", "h100-dgx"]

        [[parameters]]
        path = "shells[0].altitude_km"
        values = [330.0, 350.0]

        [[parameters]]
        path = "satellite.bus_mass_kg"
        values = [100.0, 200.0, 300.0]
        """,
    )
    work = prepare(study, chunk_size=64)
    assert work.n == 18
    assert work.vector_paths == ("satellite.bus_mass_kg",)
    assert len(work.groups) == 6  # payload x altitude
    assert len(work.point_documents) == 2  # the two altitudes
    assert not work.refused.any()


def test_sampled_values_outside_the_schema_are_rows_with_their_reason(tmp_path):
    study = study_of(
        tmp_path,
        """
        [study]
        name = "tails"
        base = "base.toml"
        design = "latin-hypercube"
        samples = 400
        outputs = ["kw_per_tonne"]

        [[parameters]]
        path = "solar_array.efficiency_bol"
        distribution = "normal"
        mean = 0.3
        sd = 0.3
        """,
    )
    work = prepare(study)
    values = work.points["solar_array.efficiency_bol"]
    outside = (values <= 0) | (values >= 1)  # the schema: (0, 1)
    assert outside.any()
    refused = work.refused != 0
    np.testing.assert_array_equal(refused, outside)
    reason = work.reasons[int(work.refused[np.flatnonzero(outside)[0]])]
    assert reason.startswith("solar_array.efficiency_bol outside")


def test_a_group_the_scenario_refuses_is_a_set_of_rows_with_its_message(tmp_path):
    study = study_of(
        tmp_path,
        """
        [study]
        name = "refused"
        base = "base.toml"
        design = "grid"
        outputs = ["kw_per_tonne"]

        [[parameters]]
        path = "shells[0].planes"
        values = [4, 5000]

        [[parameters]]
        path = "shells[0].sats_per_plane"
        values = [10, 1000]
        """,
    )
    work = prepare(study)
    # Each value alone is fine; 5,000 planes of 1,000 is more satellites than a scenario
    # may fly, and only that combination is refused.
    too_many = (work.points["shells[0].planes"] == 5000) & (
        work.points["shells[0].sats_per_plane"] == 1000
    )
    np.testing.assert_array_equal(work.refused != 0, too_many)
    reason = work.reasons[int(work.refused[too_many][0])]
    assert "shells[0].planes = 5000" in reason and "satellites" in reason
    assert len(work.point_documents) == 3  # the three orbits that fly


def test_an_orbital_point_survives_its_cache_round_trip():
    from constellations.io.scenario import parse_scenario
    from constellations.study.context import from_cache, orbital_point, to_cache

    constellation = parse_scenario(BASE)
    point = orbital_point(constellation, ("closure", "cost", "network"), (70.0, 250.0, 3.0, 60.0))
    again = from_cache(*to_cache(point))
    assert again.longest_eclipse_min == point.longest_eclipse_min
    np.testing.assert_array_equal(again.cluster_weights, point.cluster_weights)
    for a, b in zip(point.shells, again.shells, strict=True):
        for name in ("period_min", "max_eclipse_min", "array_share", "mesh_share"):
            assert getattr(a, name) == getattr(b, name)
        assert a.density_kg_m3 == b.density_kg_m3
        np.testing.assert_array_equal(a.hot_per_emissivity_w_m2, b.hot_per_emissivity_w_m2)
        for x, y in zip(a.custom_grid, b.custom_grid, strict=True):
            np.testing.assert_array_equal(x, y)


#: The custom activity case is interpolated in a table of NRLMSIS over F10.7 and Ap
#: (log-linear): its error against NRLMSIS at the very point, measured up to 0.9 % for
#: the density and 0.7 % for the lifetime on this shell.
TABLE_INTERPOLATION = 0.015


def test_the_custom_activity_table_follows_nrlmsis_between_its_nodes():
    from types import SimpleNamespace

    from constellations.io.scenario import parse_scenario
    from constellations.stages.atmosphere import shell_atmosphere
    from constellations.stages.resolve import resolve
    from constellations.stages.sample_kernels import custom_case
    from constellations.study.context import _cases_of, _custom_grid

    constellation = parse_scenario(BASE)
    (resolved,) = resolve(constellation)
    grid = _custom_grid(resolved, constellation.epoch, (70.0, 250.0, 2.0, 150.0), True)
    rng = np.random.default_rng(5)
    f107 = rng.uniform(70.0, 250.0, 6)
    ap = np.exp(rng.uniform(math.log(2.0), math.log(150.0), 6))
    shell = SimpleNamespace(custom_grid=grid)
    rho, life = custom_case(shell, f107, ap)
    cases = {str(i): (float(f107[i]), float(ap[i])) for i in range(6)}
    direct = shell_atmosphere(resolved, constellation.epoch, SimpleNamespace(cases=lambda: cases))
    density, lifetime, _ = _cases_of(direct)
    np.testing.assert_allclose(rho, [density[str(i)] for i in range(6)], rtol=TABLE_INTERPOLATION)
    np.testing.assert_allclose(life, [lifetime[str(i)] for i in range(6)], rtol=TABLE_INTERPOLATION)

"""A study's points: each design's count and layout, correlations, whole numbers, refusals."""

import numpy as np
import pytest
from helpers import ROOT
from scipy import stats

from constellations.errors import ScenarioError
from constellations.io.study import parse_study, read_study
from constellations.model.study_points import TORNADO_PERCENTILES, study_points

SHIPPED_STUDY = ROOT / "constellations" / "presets" / "studies" / "claim-1mt-uncertainty.toml"

HEAD = """\
[study]
name = "t"
base = "dawn-dusk-340"
design = "{design}"
{samples}
"""


def points(design, parameters, samples=None, extra=""):
    text = HEAD.format(design=design, samples="" if samples is None else f"samples = {samples}")
    study = parse_study(text + parameters + extra, "t.toml")
    return study_points(study.file, study.base_document)


UNIFORM = """
[[parameters]]
path = "shells[0].altitude_km"
distribution = "uniform"
low = 330.0
high = 350.0

[[parameters]]
path = "cost.array_usd_per_w"
distribution = "lognormal"
median = 10.0
sigma = 0.5
"""


def test_a_grid_is_every_combination():
    found, labels = points(
        "grid",
        """
[[parameters]]
path = "shells[0].altitude_km"
values = [330.0, 340.0, 350.0]

[[parameters]]
path = "satellite.payload"
values = ["gb200-nvl72", "gb300-nvl72"]
""",
    )
    assert labels == []
    assert list(found["shells[0].altitude_km"]) == [330.0, 330.0, 340.0, 340.0, 350.0, 350.0]
    assert list(found["satellite.payload"]) == ["gb200-nvl72", "gb300-nvl72"] * 3


@pytest.mark.parametrize("design", ["latin-hypercube", "sobol"])
def test_sampled_designs_draw_within_the_distributions(design):
    found, _ = points(design, UNIFORM, samples=256)
    altitude = found["shells[0].altitude_km"]
    assert altitude.shape == (256,) and 330.0 <= altitude.min() and altitude.max() <= 350.0
    # The lognormal's median, within the sampling error of 256 stratified points.
    assert np.median(found["cost.array_usd_per_w"]) == pytest.approx(10.0, rel=0.05)


def test_the_same_seed_gives_the_same_points_and_another_seed_others():
    one, _ = points("latin-hypercube", UNIFORM, samples=64)
    again, _ = points("latin-hypercube", UNIFORM, samples=64)
    assert np.array_equal(one["shells[0].altitude_km"], again["shells[0].altitude_km"])
    text = HEAD.format(design="latin-hypercube", samples="samples = 64").replace(
        'name = "t"', 'name = "t"\nseed = 5'
    )
    study = parse_study(text + UNIFORM, "t.toml")
    seeded, _ = study_points(study.file, study.base_document)
    assert not np.array_equal(one["shells[0].altitude_km"], seeded["shells[0].altitude_km"])


def test_saltelli_has_its_blocks():
    found, _ = points("saltelli", UNIFORM, samples=32)
    altitude = found["shells[0].altitude_km"]
    assert altitude.shape == (32 * (2 + 2),)
    a, b, ab0 = altitude[:32], altitude[32:64], altitude[64:96]
    assert np.array_equal(ab0, b)  # A_B^(0): parameter 0 from B
    assert np.array_equal(altitude[96:128], a)  # A_B^(1): parameter 0 from A


def test_one_at_a_time_swings_each_parameter_to_its_percentiles():
    found, labels = points("one-at-a-time", UNIFORM)
    assert labels[0] == ("base", "base")
    altitude = found["shells[0].altitude_km"]
    low, high = TORNADO_PERCENTILES
    assert altitude[0] == pytest.approx(340.0)
    assert altitude[1] == pytest.approx(330.0 + 20.0 * low)
    assert altitude[2] == pytest.approx(330.0 + 20.0 * high)
    array = found["cost.array_usd_per_w"]
    assert array[3] == pytest.approx(stats.lognorm(0.5, scale=10.0).ppf(low))


def test_whole_number_keys_are_rounded():
    found, _ = points(
        "latin-hypercube",
        """
[[parameters]]
path = "shells[0].planes"
distribution = "uniform"
low = 2
high = 20
""",
        samples=32,
    )
    planes = found["shells[0].planes"]
    assert np.array_equal(planes, np.rint(planes)) and planes.min() >= 2 and planes.max() <= 20


def test_the_shipped_study_keeps_its_rank_correlation():
    study = read_study(SHIPPED_STUDY)
    found, _ = study_points(study.file, study.base_document)
    (pair,) = study.file.correlations
    rho = stats.spearmanr(found[pair.paths[0]], found[pair.paths[1]]).statistic
    # 256 points: the sampling error of a rank correlation near 0.6 is about 0.04.
    assert rho == pytest.approx(pair.rho, abs=0.1)


def test_saltelli_refuses_correlations():
    extra = """
[[correlations]]
paths = ["shells[0].altitude_km", "cost.array_usd_per_w"]
rho = 0.5
"""
    with pytest.raises(ScenarioError, match="saltelli design keeps its parameters independent"):
        points("saltelli", UNIFORM, samples=32, extra=extra)


def test_the_study_schema_accepts_the_shipped_study(capsys):
    """``orbital-dc schema study`` is what editors check a study file against."""
    import json
    import tomllib

    import jsonschema

    from constellations.cli import main

    assert main(["schema", "study"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    text = (SHIPPED_STUDY).read_text()
    jsonschema.validate(tomllib.loads(text), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"study": {"name": "x"}, "parameter": []}, schema)

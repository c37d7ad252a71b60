"""Study files: the schema, parameter paths into the scenario, and apply().

Every bad input is refused with one ScenarioError line naming the key as written
and what to change; the expected lines are written out here, not taken from the
code.
"""

import tomllib

import pytest
from helpers import ROOT

from constellations.errors import ScenarioError
from constellations.io.scenario import preset_text
from constellations.io.study import parse_study, read_study
from constellations.model.study import OUTPUTS, apply, resolve_path, scenario_with

HEAD = """
[study]
name = "t"
base = "{base}"
design = "{design}"
{extra}
"""

ALTITUDE_GRID = """
[[parameters]]
path = "shells[0].altitude_km"
values = [330.0, 340.0]
"""

UNIFORM_F107 = """
[[parameters]]
path = "drag.f107"
distribution = "uniform"
low = 70.0
high = 250.0
"""

TWO_SHELLS = """
[scenario]
name = "two"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "a"
altitude_km = 330.0
inclination_deg = 53.0
planes = 2
sats_per_plane = 2

[[shells]]
name = "b"
altitude_km = 350.0
inclination_deg = 70.0
planes = 2
sats_per_plane = 2
"""


def study(body, design="grid", extra="", base="dawn-dusk-340", base_dir=None):
    return parse_study(
        HEAD.format(base=base, design=design, extra=extra) + body, "s.toml", base_dir
    )


def refused(body, design="grid", extra="", base="dawn-dusk-340", base_dir=None) -> str:
    with pytest.raises(ScenarioError) as caught:
        study(body, design, extra, base, base_dir)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- valid files -----------------------------------------------------------------------------


def test_grid_with_values_and_range():
    body = ALTITUDE_GRID + '[[parameters]]\npath = "cost.ground.pue"\nrange = [1.1, 1.5, 0.2]\n'
    s = study(body)
    assert s.file.study.design == "grid" and s.file.study.samples is None
    assert s.file.study.outputs == list(OUTPUTS)  # all by default
    assert s.file.study.seed == 0
    altitude, pue = s.file.parameters
    assert altitude.points() == (330.0, 340.0)
    assert pue.points() == pytest.approx((1.1, 1.3, 1.5), abs=1e-12)  # stop included
    assert s.base_origin == "preset dawn-dusk-340"
    assert s.base_document == tomllib.loads(preset_text("dawn-dusk-340"))


def test_grid_of_text_values():
    s = study('[[parameters]]\npath = "satellite.payload"\nvalues = ["gb300-nvl72"]\n')
    assert s.file.parameters[0].points() == ("gb300-nvl72",)


@pytest.mark.parametrize(
    ("design", "samples"),
    [("latin-hypercube", 10), ("sobol", 64), ("saltelli", 128), ("one-at-a-time", None)],
)
def test_each_sampled_design(design, samples):
    body = (
        UNIFORM_F107
        + '[[parameters]]\npath = "drag.ap"\ndistribution = "lognormal"\nmedian = 12.0\n'
        "sigma = 0.7\n"
        '[[parameters]]\npath = "launch.failure_rate_per_year"\ndistribution = "normal"\n'
        "mean = 0.02\nsd = 0.01\n"
        '[[parameters]]\npath = "cost.array_usd_per_w"\ndistribution = "triangular"\n'
        "low = 0.03\nmode = 0.1\nhigh = 0.3\n"
        '[[parameters]]\npath = "satellite.payload"\ndistribution = "choice"\n'
        'values = ["gb300-nvl72"]\nweights = [1.0]\n'
        '[[correlations]]\npaths = ["drag.f107", "drag.ap"]\nrho = 0.6\n'
    )
    count = "" if samples is None else f"samples = {samples}\n"
    s = study(body, design, f'{count}seed = 7\noutputs = ["kw_per_tonne"]')
    assert (s.file.study.design, s.file.study.samples, s.file.study.seed) == (design, samples, 7)
    assert [p.distribution for p in s.file.parameters] == [
        "uniform", "lognormal", "normal", "triangular", "choice",
    ]  # fmt: skip
    assert s.file.correlations[0].rho == 0.6


def test_shipped_example_validates():
    s = read_study(ROOT / "constellations" / "presets" / "studies" / "claim-1mt-uncertainty.toml")
    assert s.file.study.base == "claim-1mt-100kw"
    paths = {p.path: p.distribution for p in s.file.parameters}
    for path in (
        "launch.cost_per_flight_usd",
        "cost.array_usd_per_w",
        "launch.failure_rate_per_year",
        "drag.f107",
        "drag.ap",
        "launch.kw_per_tonne",
    ):
        assert paths[path] is not None, path


def test_base_file_relative_to_the_study(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "two.toml").write_text(TWO_SHELLS)
    (tmp_path / "study.toml").write_text(
        HEAD.format(base="scenarios/two.toml", design="grid", extra="")
        + '[[parameters]]\npath = "shells[1].altitude_km"\nvalues = [340.0]\n'
    )
    s = read_study(tmp_path / "study.toml")
    assert s.base_document["shells"][1]["name"] == "b"


# --- bad input -------------------------------------------------------------------------------

BAD = [
    pytest.param(
        "[studies]\nx = 1\n" + ALTITUDE_GRID,
        "grid",
        "",
        "s.toml: unknown section 'studies'; did you mean 'study'?",
        id="unknown-section",
    ),
    pytest.param(
        ALTITUDE_GRID,
        "grid",
        "sample = 3",
        "s.toml [study]: unknown key 'sample'; did you mean 'samples'?",
        id="unknown-study-key",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[0].altitude_km"\nvalues = [1.0]\nvalue = 2\n',
        "grid",
        "",
        "s.toml parameters[0]: unknown key 'value'; did you mean 'values'?",
        id="unknown-parameter-key",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[0].altitude"\nvalues = [330.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'shells[0].altitude': no such key in the scenario; "
        "did you mean 'shells[0].altitude_km'?",
        id="wrong-path",
    ),
    pytest.param(
        '[[parameters]]\npath = "satellite.compute_w"\nvalues = [1000.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'satellite.compute_w': no such key in the scenario; "
        "did you mean 'satellite.compute_kw'?",
        id="wrong-key-in-table",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[1].altitude_km"\nvalues = [330.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'shells[1].altitude_km': shells[1]: the base scenario "
        "has 1 shell, shells[0]",
        id="index-out-of-range",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells.altitude_km"\nvalues = [330.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'shells.altitude_km': shells is an array of tables: "
        "write shells[0] for one, shells[*] for every one",
        id="array-without-index",
    ),
    pytest.param(
        '[[parameters]]\npath = "cost[0].ground.pue"\nvalues = [1.2]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'cost[0].ground.pue': cost is not an array of tables: "
        "remove [0]",
        id="index-on-a-table",
    ),
    pytest.param(
        '[[parameters]]\npath = "cost.ground"\nvalues = [1.2]\n',
        "grid",
        "",
        "s.toml parameters[0]: path = 'cost.ground': cost.ground is a table; name one of its "
        "keys, such as cost.ground.facility_usd_per_w",
        id="path-to-a-table",
    ),
    pytest.param(
        UNIFORM_F107,
        "grid",
        "",
        's.toml: parameters[0] (drag.f107): a distribution with design = "grid"; give values '
        "or range, or choose a sampled design (latin-hypercube, sobol, saltelli, one-at-a-time)",
        id="distribution-in-a-grid",
    ),
    pytest.param(
        ALTITUDE_GRID,
        "latin-hypercube",
        "samples = 10",
        "s.toml: parameters[0] (shells[0].altitude_km): a grid (values or range) with design = "
        '"latin-hypercube"; give a distribution (a fixed set of values: distribution = '
        '"choice"), or choose design = "grid"',
        id="grid-in-a-sampled-design",
    ),
    pytest.param(
        ALTITUDE_GRID,
        "grid",
        "samples = 10",
        's.toml [study]: samples: design = "grid" takes its points from the parameters\' '
        "values; remove samples, or choose a sampled design",
        id="samples-with-a-grid",
    ),
    pytest.param(
        UNIFORM_F107,
        "sobol",
        "",
        "s.toml [study]: missing 'samples'; design = \"sobol\" draws that many points",
        id="samples-missing",
    ),
    pytest.param(
        UNIFORM_F107,
        "sobol",
        "samples = 100",
        's.toml [study]: samples=100: design = "sobol" needs a power of two; write 64 or 128',
        id="sobol-not-power-of-two",
    ),
    pytest.param(
        UNIFORM_F107,
        "grids",
        "",
        "s.toml [study]: design='grids': did you mean 'grid'? (must be one of \"grid\", "
        '"latin-hypercube", "sobol", "saltelli", "one-at-a-time")',
        id="unknown-design",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "uniform"\nlow = 70.0\n',
        "latin-hypercube",
        "samples = 10",
        's.toml parameters[0]: drag.f107: distribution = "uniform" needs low and high; add high',
        id="distribution-key-missing",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "normal"\nmean = 1.0\nsd = 1.0\n'
        "low = 0.0\n",
        "latin-hypercube",
        "samples = 10",
        's.toml parameters[0]: drag.f107: distribution = "normal" takes mean and sd, not low; '
        "remove low",
        id="distribution-key-of-another",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "normal"\nmean = 100.0\nsdev = 1\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: unknown key 'sdev'; did you mean 'sd'?",
        id="distribution-key-misspelt",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "gaussian"\nmean = 1.0\nsd = 1.0\n',
        "latin-hypercube",
        "samples = 10",
        's.toml parameters[0]: distribution=\'gaussian\': must be one of "uniform", "normal", '
        '"lognormal", "triangular", "choice"',
        id="unknown-distribution",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "uniform"\nlow = "70"\nhigh = 90\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: low='70': must be a number, not text: write 70 without quotes",
        id="distribution-value-text",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.f107"\ndistribution = "uniform"\nlow = 90.0\nhigh = 70\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: drag.f107: uniform: low=90 must be below high=70",
        id="uniform-reversed",
    ),
    pytest.param(
        '[[parameters]]\npath = "drag.ap"\ndistribution = "triangular"\nlow = 1.0\nmode = 9.0\n'
        "high = 5.0\n",
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: drag.ap: triangular: needs low <= mode <= high and low < high "
        "(low=1, mode=9, high=5)",
        id="triangular-mode-outside",
    ),
    pytest.param(
        '[[parameters]]\npath = "satellite.payload"\ndistribution = "uniform"\nlow = 1.0\n'
        "high = 2.0\n",
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: path = 'satellite.payload': not a number; vary it with values "
        '(design = "grid") or distribution = "choice"',
        id="distribution-on-text-key",
    ),
    pytest.param(
        '[[parameters]]\npath = "satellite.payload"\ndistribution = "choice"\n'
        'values = ["gb300-nvl72"]\nweights = [1.0, 2.0]\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: satellite.payload: choice: 2 weights for 1 values; give one "
        "weight a value",
        id="choice-weights",
    ),
    pytest.param(
        UNIFORM_F107 + '[[correlations]]\npaths = ["drag.f107", "drag.apx"]\nrho = 0.5\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml: correlations[0]: 'drag.apx' is not a parameter's path; did you mean 'drag.f107'?",
        id="correlation-unknown-path",
    ),
    pytest.param(
        UNIFORM_F107
        + '[[parameters]]\npath = "drag.ap"\ndistribution = "uniform"\nlow = 4.0\nhigh = 50.0\n'
        '[[correlations]]\npaths = ["drag.f107", "drag.ap"]\nrho = 1.0\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml correlations[0]: rho=1.0: must be above -1 and below 1 (a Spearman rank "
        "correlation)",
        id="rho-outside",
    ),
    pytest.param(
        UNIFORM_F107,
        "latin-hypercube",
        'samples = 10\noutputs = ["kw_per_ton"]',
        "s.toml [study]: outputs[0]='kw_per_ton': did you mean 'kw_per_tonne'? (must be one of "
        + ", ".join(f'"{name}"' for name in OUTPUTS)
        + ")",
        id="unknown-output",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[*].altitude_km"\nvalues = [330.0]\n' + ALTITUDE_GRID,
        "grid",
        "",
        "s.toml: parameters[1] (shells[0].altitude_km): the same key as parameters[0]; vary "
        "each key once",
        id="same-key-twice",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[0].altitude_km"\nrange = [330.0, 350.0, 0.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: shells[0].altitude_km: range = [330, 350, 0]: the step must be "
        "nonzero and lead from start to stop",
        id="range-step-zero",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[0].altitude_km"\n',
        "grid",
        "",
        "s.toml parameters[0]: shells[0].altitude_km: give values = [...] or range = [start, "
        'stop, step] (a grid), or a distribution = "uniform", "normal", "lognormal", '
        '"triangular" or "choice"',
        id="neither-grid-nor-distribution",
    ),
    pytest.param(
        "",
        "grid",
        "",
        's.toml: no [[parameters]]; add one for each scenario key varied, with path = "..."',
        id="no-parameters",
    ),
    pytest.param(
        '[[parameters]]\npath = "shells[0].altitude_km"\nrange = [330.0, 350.0]\n',
        "grid",
        "",
        "s.toml parameters[0]: range=[330.0, 350.0]: must be [start, stop, step], three numbers",
        id="range-of-two",
    ),
    pytest.param(
        '[[parameters]]\npath = "satellite.payload"\ndistribution = "choice"\n'
        'values = ["gb300-nvl72", "h100-dgx"]\nweights = [-1.0, 2.0]\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml parameters[0]: satellite.payload: choice: weights must not be negative",
        id="choice-weight-negative",
    ),
    pytest.param(
        UNIFORM_F107 + '[[correlations]]\npaths = ["drag.f107"]\nrho = 0.5\n',
        "latin-hypercube",
        "samples = 10",
        "s.toml correlations[0]: paths=['drag.f107']: must name two parameters' paths: "
        'paths = ["a", "b"]',
        id="correlation-of-one",
    ),
]


@pytest.mark.parametrize(("body", "design", "extra", "expected"), BAD)
def test_bad_input_one_line(body, design, extra, expected):
    assert refused(body, design, extra) == expected


def test_index_beyond_the_shells_names_how_many(tmp_path):
    (tmp_path / "two.toml").write_text(TWO_SHELLS)
    body = '[[parameters]]\npath = "shells[2].inclination_deg"\nvalues = [60.0]\n'
    assert refused(body, base="two.toml", base_dir=tmp_path) == (
        "s.toml parameters[0]: path = 'shells[2].inclination_deg': shells[2]: the base "
        "scenario has 2 shells, shells[0] to shells[1]"
    )


def test_unknown_base():
    assert refused(ALTITUDE_GRID, base="dawn-dusk-34") == (
        "s.toml [study]: base = 'dawn-dusk-34': no such scenario file (relative to the study "
        "file's folder) or preset; did you mean the preset 'dawn-dusk-340'? give a scenario "
        "TOML file or a preset name"
    )


def test_paths_resolve_to_the_scenarios_own_keys():
    base = tomllib.loads(TWO_SHELLS)
    # aliases as the file writes them: the model's field is is_sun_synchronous
    assert resolve_path("shells[*].sun_synchronous", base).alias == "sun_synchronous"
    assert resolve_path("cost.ground.pue", base).annotation is float
    with pytest.raises(ValueError, match="did you mean 'shells\\[\\*\\].sun_synchronous'"):
        resolve_path("shells[*].is_sun_synchronous", base)


# --- apply -----------------------------------------------------------------------------------


def test_apply_every_shell_and_a_nested_table():
    base = tomllib.loads(TWO_SHELLS)
    out = apply(base, {"shells[*].inclination_deg": 60.0, "cost.ground.pue": 1.3})
    assert [shell["inclination_deg"] for shell in out["shells"]] == [60.0, 60.0]
    assert out["cost"] == {"ground": {"pue": 1.3}}  # tables the base leaves out are added
    # a deep copy: the base is as it was
    assert [shell["inclination_deg"] for shell in base["shells"]] == [53.0, 70.0]
    assert "cost" not in base
    one = apply(base, {"shells[1].altitude_km": 345.0})
    assert [shell["altitude_km"] for shell in one["shells"]] == [330.0, 345.0]
    checked = scenario_with(base, {"shells[*].inclination_deg": 60.0, "cost.ground.pue": 1.3})
    assert [shell.inclination_deg for shell in checked.shells] == [60.0, 60.0]
    assert checked.cost.ground.pue == 1.3


def test_apply_keeps_existing_keys_of_a_table():
    base = tomllib.loads(preset_text("claim-1mt-100kw"))
    out = apply(base, {"cost.array_usd_per_w": 0.1, "launch.cost_per_flight_usd": 5e6})
    assert out["cost"] == {"array_usd_per_w": 0.1}
    assert out["launch"] == {**base["launch"], "cost_per_flight_usd": 5e6}


def test_a_value_the_scenario_refuses_is_named_by_its_path():
    base = tomllib.loads(TWO_SHELLS)
    with pytest.raises(ScenarioError) as caught:
        scenario_with(base, {"shells[*].altitude_km": 5, "drag.f107": 150.0}, sample=3)
    assert str(caught.value) == (
        "sample 3: shells[*].altitude_km = 5: shells[0]: altitude_km=5: must be between 150 "
        "and 2000 km"
    )
    with pytest.raises(ScenarioError) as caught:
        scenario_with(base, {"cost.ground.pue": 0.5})
    assert (
        str(caught.value)
        == "cost.ground.pue = 0.5: [cost.ground]: pue=0.5: must be between 1 and 5"
    )


# --- values checked in the base before any run -----------------------------------------------


def test_a_grid_value_the_scenario_refuses():
    body = '[[parameters]]\npath = "shells[*].altitude_km"\nvalues = [330.0, 5.0]\n'
    assert refused(body) == (
        "s.toml shells[*].altitude_km = 5.0: shells[0]: altitude_km=5.0: must be between 150 "
        "and 2000 km"
    )


def test_a_choice_value_the_scenario_refuses():
    body = (
        '[[parameters]]\npath = "satellite.payload"\ndistribution = "choice"\n'
        'values = ["gb300-nvl72", "h100"]\n'
    )
    assert refused(body, "latin-hypercube", "samples = 8") == (
        "s.toml satellite.payload = 'h100': [satellite]: payload='h100': did you mean "
        '\'h100-dgx\'? (must be one of "gb200-nvl72", "gb300-nvl72", "h100-dgx", '
        '"tpu-v4-board")'
    )


def test_a_distribution_centred_outside_the_keys_range():
    body = (
        '[[parameters]]\npath = "shells[0].altitude_km"\ndistribution = "normal"\n'
        "mean = 5.0\nsd = 1.0\n"
    )
    assert refused(body, "latin-hypercube", "samples = 8") == (
        "s.toml shells[0].altitude_km = 5.0: shells[0]: altitude_km=5.0: must be between 150 "
        "and 2000 km"
    )


def test_keys_valid_only_together_are_checked_together():
    f107 = '[[parameters]]\npath = "drag.f107"\nvalues = [70.0, 150.0]\n'
    ap = '[[parameters]]\npath = "drag.ap"\nvalues = [4.0, 15.0]\n'
    assert [p.path for p in study(f107 + ap).file.parameters] == ["drag.f107", "drag.ap"]
    assert refused(f107) == (
        "s.toml drag.f107 = 70.0: [drag]: f107 and ap go together: f107 is given, add ap for a "
        "custom case (or drop both)"
    )


# --- the shell flown, and marks of a sweep ----------------------------------------------------

SHELL_CHOICE = '[[parameters]]\npath = "shells"\nvalues = ["a", "b"]\n'
SWEEP = '[[parameters]]\npath = "shells[*].altitude_km"\nrange = [300.0, 500.0, 100.0]\n'


def test_the_shell_choice_flies_the_named_shell_alone(tmp_path):
    (tmp_path / "two.toml").write_text(TWO_SHELLS)
    s = study(SHELL_CHOICE + SWEEP, base="two.toml", base_dir=tmp_path)
    assert s.file.swept_parameter.path == "shells[*].altitude_km"
    document = apply(s.base_document, {"shells": "b", "shells[*].altitude_km": 400.0})
    assert [t["name"] for t in document["shells"]] == ["b"]
    assert document["shells"][0]["altitude_km"] == 400.0
    assert document["shells"][0]["inclination_deg"] == 70.0  # b's own, from TWO_SHELLS
    assert [t["name"] for t in s.base_document["shells"]] == ["a", "b"]  # base untouched
    assert scenario_with(s.base_document, {"shells": "a"}).shells[0].name == "a"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '[[parameters]]\npath = "shells"\nvalues = ["a", "bb"]\n',
            "s.toml parameters[0]: path = 'shells': 'bb' is not a shell of the base "
            "scenario; did you mean 'b'?",
            id="unknown-shell",
        ),
        pytest.param(
            '[[parameters]]\npath = "shells"\nvalues = [1.0]\n',
            "s.toml parameters[0]: path = 'shells': 1.0 is not a shell of the base scenario; "
            "its shells are a, b",
            id="a-number-for-a-shell",
        ),
        pytest.param(
            SHELL_CHOICE + '[[parameters]]\npath = "shells[1].altitude_km"\nvalues = [340.0]\n',
            "s.toml: parameters[1] (shells[1].altitude_km): names a shell by its index while "
            "parameters[0] picks the shell that flies; write shells[*]",
            id="index-with-a-choice",
        ),
        pytest.param(
            SHELL_CHOICE + '[[marks]]\nlabel = "x"\nat = [400.0]\n',
            "s.toml: marks: mark values of a grid's swept parameter: one numeric parameter "
            'of 3 or more values with design = "grid"; remove [[marks]]',
            id="marks-without-a-sweep",
        ),
        pytest.param(
            SWEEP + '[[marks]]\nlabel = "x"\n',
            's.toml marks[0]: x: give preset = "a preset\'s name" or at = [low, high], one of them',
            id="mark-of-nothing",
        ),
        pytest.param(
            SWEEP + '[[marks]]\nlabel = "x"\npreset = "million-340"\nat = [340.0]\n',
            "s.toml marks[0]: x: both preset and at given; keep one of them",
            id="mark-of-both",
        ),
        pytest.param(
            SWEEP + '[[marks]]\nlabel = "x"\nat = [500.0, 400.0]\n',
            "s.toml marks[0]: x: at = [low, high] with low <= high",
            id="mark-span-backwards",
        ),
        pytest.param(
            SWEEP + '[[marks]]\nlabel = "x"\nat = [1.0, 2.0, 3.0]\n',
            "s.toml marks[0]: at=[1.0, 2.0, 3.0]: give one number, or two for a span: "
            "at = [low, high]",
            id="mark-of-three",
        ),
        pytest.param(
            SWEEP + '[[marks]]\nlabel = "x"\npreset = "starcloud-88"\n',
            "s.toml marks[0] (x): preset = 'starcloud-88': no such preset; did you mean "
            "'starcloud-88k'?",
            id="mark-unknown-preset",
        ),
    ],
)
def test_a_bad_shell_choice_or_mark_is_one_line(tmp_path, body, expected):
    (tmp_path / "two.toml").write_text(TWO_SHELLS)
    assert refused(body, base="two.toml", base_dir=tmp_path) == expected


def test_marks_span_what_the_presets_fly(tmp_path):
    (tmp_path / "two.toml").write_text(TWO_SHELLS)
    marks = (
        '[[marks]]\nlabel = "S"\npreset = "starcloud-88k"\n'
        '[[marks]]\nlabel = "M"\npreset = "million-340"\n'
        '[[marks]]\nlabel = "G"\nat = 650.0\nsource = "arXiv:2511.19468"\n'
    )
    s = study(SWEEP + marks, base="two.toml", base_dir=tmp_path)
    # starcloud-88k's band: altitude_range_km = [600.0, 850.0]; million-340 flies shells at
    # 330, 340 and 350 km (the presets' own files).
    assert [(m.label, m.low, m.high) for m in s.marks] == [
        ("S", 600.0, 850.0),
        ("M", 330.0, 350.0),
        ("G", 650.0, 650.0),
    ]
    assert s.marks[2].source == "arXiv:2511.19468"


def test_the_shipped_altitude_trade_marks_every_filing():
    s = read_study("altitude-trade")
    assert s.file.swept_parameter.points()[0] == 300.0
    assert s.file.swept_parameter.points()[-1] == 2000.0
    spans = {m.label: (m.low, m.high) for m in s.marks}
    # From the presets' files: blue-origin-sunrise's band is [520.0, 1800.0], ascend-1400
    # flies 1,400 km, starcloud-1 325 km; spacex-odc-1m's bands run from 500 to 1,000 km
    # (the reply's 80 % at 680-1,000 km), within the filing's 500-2,000 km.
    assert spans["Blue Origin Sunrise"] == (520.0, 1800.0)
    assert spans["ASCEND"] == (1400.0, 1400.0)
    assert spans["Starcloud-1"] == (325.0, 325.0)
    assert spans["spacex-odc-1m"] == (500.0, 1000.0)
    assert spans["SpaceX filing"] == (500.0, 2000.0)  # the filing's own, given with at

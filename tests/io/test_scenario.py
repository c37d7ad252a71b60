"""Scenario files: the schema contract; bad input refused with a message saying what to do."""

import json
import pickle
import tomllib

import jsonschema
import numpy as np
import pytest

from constellations import Constellation, ScenarioError, Shell, load_scenario, parse_scenario
from constellations.io.scenario import preset_names, preset_text
from constellations.model.links import LinksDesign

GOOD = """
[scenario]
name = "dawn-dusk-340"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 1
phasing = 0
pattern = "delta"
raan_deg = 0.0
"""


def test_contract_example_parses():
    c = parse_scenario(GOOD)
    assert c.name == "dawn-dusk-340"
    assert c.epoch.isoformat() == "2027-01-01T00:00:00+00:00"
    (shell,) = c.shells
    assert shell.is_sun_synchronous and shell.ltan_hours == 18.0
    assert (shell.planes, shell.sats_per_plane, shell.phasing, shell.pattern) == (1, 1, 0, "delta")
    assert c.n_sats == 1


def test_ltan_reference_and_sso_inclination_are_read_with_their_defaults():
    default = parse_scenario(GOOD).shells[0]
    assert (default.ltan_reference, default.sso_inclination) == ("mean", "sgp4")
    text = _with(
        "ltan_hours = 18.0",
        'ltan_hours = 18.0\nltan_reference = "apparent"\nsso_inclination = "j2"',
    )
    shell = parse_scenario(text).shells[0]
    assert (shell.ltan_reference, shell.sso_inclination) == ("apparent", "j2")


def test_toml_datetime_epoch_is_accepted():
    text = GOOD.replace('epoch = "2027-01-01T00:00:00Z"', "epoch = 2027-01-01T06:30:00Z")
    assert parse_scenario(text).epoch.hour == 6


def _with(line_from: str, line_to: str) -> str:
    assert line_from in GOOD
    return GOOD.replace(line_from, line_to)


BAD = [
    (_with("altitude_km = 340.0", "altitude_km = -5.0"), "altitude_km=-5.0: must be between 150"),
    (_with("altitude_km = 340.0", "altitude_km = 120.0"), "must be between 150 and 2000 km"),
    (_with("planes = 1", "planes = 0"), "planes=0: must be at least 1"),
    (
        _with("sats_per_plane = 1", "sats_per_plane = 2.5"),
        "sats_per_plane=2.5: must be a whole number",
    ),
    (_with("ltan_hours = 18.0", "ltan_hours = 25.0"), "ltan_hours=25.0: must be between 0 and 24"),
    (_with("phasing = 0", "phasing = 3"), "phasing=3: must be between 0 and planes-1 = 0"),
    (_with('pattern = "delta"', 'pattern = "walker"'), "pattern='walker'"),
    (
        _with("altitude_km = 340.0", "altitud_km = 340.0"),
        "unknown key 'altitud_km'; did you mean 'altitude_km'?",
    ),
    (_with("[scenario]", "[scenaro]"), "unknown section 'scenaro'; did you mean 'scenario'?"),
    (
        _with("sun_synchronous = true", "inclination_deg = 53.0"),
        "ltan_hours is for sun-synchronous shells only",
    ),
    (_with("sun_synchronous = true", "sun_synchronous = true\ninclination_deg = 53.0"), "drop one"),
    (_with("sun_synchronous = true\nltan_hours = 18.0", ""), "set inclination_deg"),
    # 'orbits' is now close to 'formations': a name near no section lists them all.
    (GOOD + "\n[widgets]\ntopology = 1\n", "unknown section 'widgets'; valid sections: scenario"),
    (GOOD + '\n[links]\ntopology = "mesh"\n', "topology='mesh': must be \"+grid\" or"),
    (GOOD + "\n[links]\nterminals = 2\n", "terminals=2: +grid needs at least 4"),
    (GOOD + "\n[links]\ngrazing_altitude_km = -1.0\n", "must not be negative"),
    ("[scenario\nname=", "not valid TOML"),
    (_with('epoch = "2027-01-01T00:00:00Z"', 'epoch = "next tuesday"'), "not an ISO-8601 time"),
    (_with('name = "dd340"', 'name = "dd340"\nbstar = -1.0'), "bstar=-1.0: must not be negative"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_scenarios_say_what_to_change(text, message):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, origin="s.toml")
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert text.startswith("s.toml")


def test_duplicate_shell_names_refused():
    shell = Shell.walker("a", altitude_km=340, inclination_deg=53, planes=2, sats_per_plane=2)
    with pytest.raises(ValueError, match="used twice"):
        Constellation("x", "2027-01-01T00:00:00Z", shells=(shell, shell))


def test_element_sets_without_names_are_named_after_their_files(tmp_path):
    """Two element sets without a name are two sets, named after their files; two files of
    one name in two folders are refused, saying where the name came from."""
    tle = (
        "ISS (ZARYA)\n"
        "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991\n"
        "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482\n"
    )
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "iss.tle").write_text(tle)
    (tmp_path / "station.tle").write_text(tle)
    head = '[scenario]\nname = "x"\nepoch = "2020-01-01T00:00:00Z"\n'
    two = head + '[[element_sets]]\nfile = "a/iss.tle"\n[[element_sets]]\nfile = "station.tle"\n'
    constellation = parse_scenario(two, "s.toml", base_dir=tmp_path)
    assert [e.name for e in constellation.element_sets] == ["iss", "station"]
    same = head + '[[element_sets]]\nfile = "a/iss.tle"\n[[element_sets]]\nfile = "b/iss.tle"\n'
    with pytest.raises(ScenarioError) as info:
        parse_scenario(same, "s.toml", base_dir=tmp_path)
    assert str(info.value) == (
        "s.toml: element_sets[1]: the name 'iss', taken from file='b/iss.tle', is used twice "
        "(also element_sets[0]); give every element set its own name"
    )


def test_missing_file_names_presets():
    with pytest.raises(ScenarioError, match="no such scenario file or preset.*dawn-dusk-340"):
        load_scenario("does-not-exist.toml")


def test_near_miss_preset_is_suggested():
    with pytest.raises(ScenarioError, match="did you mean the preset 'million-340'"):
        load_scenario("milion-340")


def test_shell_constructors_match_the_file_form():
    from_file = parse_scenario(GOOD).shells[0]
    built = Shell.sun_synchronous(
        "dd340", altitude_km=340.0, ltan_hours=18.0, planes=1, sats_per_plane=1
    )
    assert built == from_file


def test_designs_are_immutable():
    shell = Shell.walker("a", altitude_km=340, inclination_deg=53, planes=2, sats_per_plane=2)
    with pytest.raises(AttributeError):
        shell.altitude_km = 100.0


# --- the schema's refusals: one line that names the key as written, with its table ------------

REFUSED = [
    (_with("altitude_km = 340.0", "altitude_km = true"), "shells[0]: altitude_km=true: must be a"),
    (_with("planes = 1", 'planes = "10"'), "shells[0]: planes='10': must be a whole number"),
    (_with("planes = 1", "planes = 2.5"), "shells[0]: planes=2.5: must be a whole number"),
    (
        _with("sun_synchronous = true", 'sun_synchronous = "yes"'),
        "shells[0]: sun_synchronous='yes': must be true or false",
    ),
    (_with("ltan_hours = 18.0", "ltan_hours = 25"), "shells[0]: ltan_hours=25: must be between"),
    (
        _with("sun_synchronous = true\nltan_hours = 18.0", "inclination_deg = nan"),
        "shells[0]: inclination_deg=nan: must be a finite number",
    ),
    (_with("altitude_km = 340.0", "altitude_km = inf"), "shells[0]: altitude_km=inf: must be"),
    (_with("raan_deg = 0.0", "raan_deg = 0.0\nbstar = -1"), "shells[0]: bstar=-1: must not be"),
    (
        _with("ltan_hours = 18.0", 'ltan_hours = 18.0\nltan_reference = "true"'),
        'shells[0]: ltan_reference=\'true\': must be "mean" or "apparent"',
    ),
    (
        _with("ltan_hours = 18.0", 'ltan_hours = 18.0\nsso_inclination = "J2"'),
        "shells[0]: sso_inclination='J2': did you mean 'j2'? (must be \"sgp4\" or \"j2\")",
    ),
    (
        _with("sats_per_plane = 1", "sat_per_plane = 1"),
        "shells[0]: unknown key 'sat_per_plane'; did you mean 'sats_per_plane'?",
    ),
    (GOOD + "\n[link]\nterminals = 4\n", "unknown section 'link'; did you mean 'links'?"),
    (GOOD + "\n[links]\nterminals = 4.5\n", "[links]: terminals=4.5: must be a whole number"),
    (GOOD + "\n[launch]\nyears = 0\n", "[launch]: years=0: must be at least 1"),
    (GOOD + "\n[drag]\nf107 = 180.0\n", "[drag]: f107 and ap go together: f107 is given, add ap"),
    (
        GOOD + '\n[satellite]\npayload = "gb300"\n',
        "[satellite]: payload='gb300': did you mean 'gb300-nvl72'?",
    ),
    (_with('name = "dawn-dusk-340"', 'name = ""'), "[scenario]: name='': must not be empty"),
    (_with('name = "dd340"', 'name = " "'), "shells[0]: name=' ': must not be blank"),
    (GOOD + GOOD[GOOD.index("[[shells]]") :], "shells[1]: name='dd340' is used twice"),
    (GOOD + "\n[radiator]\nfaces = true\n", "[radiator]: faces=true: must be a whole number"),
    (_with("[[shells]]", "[shells]"), "write shells as [[shells]] tables"),
    # Issue 14, found by tests/cli/test_scenario_fuzz.py.  16**4000 has
    # floor(4000 log10 16) + 1 = 4,817 digits, more than Python writes as text.
    (
        _with("planes = 1", "planes = 0x" + "F" * 4000),
        "shells[0]: planes=<a whole number of 4,817 digits>: must be between 1 and 10000",
    ),
    (
        _with("altitude_km = 340.0", "altitude_km = 1" + "0" * 400),
        "shells[0]: altitude_km=<a whole number of 401 digits>: must be between 150 and 2000 km",
    ),
    (
        _with("planes = 1", "planes = " + "1" * 5000),
        "s.toml: planes = <a whole number of 5,000 digits>: more than the 4,300 digits",
    ),
    (
        GOOD + "\n[links]\nfailure_seed = 9223372036854775808\n",  # 2**63
        "[links]: failure_seed=9223372036854775808: must be between 0 and "
        "9,223,372,036,854,775,807",  # 2**63 - 1, exactly
    ),
    (
        _with('name = "dawn-dusk-340"', 'name = "dawn-dusk-340"\nsources = ["a", 2]'),
        "[scenario]: sources[1]=2: must be text in quotes",
    ),
    (
        GOOD + "\n[launch]\nflights_per_year = 1" + "0" * 400 + "\n",
        "[launch]: flights_per_year=<a whole number of 401 digits>: must be a number of flights",
    ),
]


@pytest.mark.parametrize("text, message", REFUSED)
def test_the_schema_refuses_in_one_line_naming_the_key(text, message):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, origin="s.toml")
    line = str(info.value)
    assert line.startswith("s.toml") and "\n" not in line
    assert message in line


@pytest.mark.parametrize(
    "build, message",
    [
        (
            lambda: Shell.walker(
                "a", altitude_km=5.0, inclination_deg=53, planes=1, sats_per_plane=1
            ),
            "shell 'a': altitude_km=5.0: must be between 150 and 2000 km",
        ),
        (
            lambda: Shell.walker(
                "a", altitude_km=340, inclination_deg=53, planes=True, sats_per_plane=1
            ),
            "shell 'a': planes=true: must be a whole number, not true or false",
        ),
        (
            lambda: Shell.sun_synchronous(
                "a", altitude_km=340, ltan_hours=25.0, planes=1, sats_per_plane=1
            ),
            "shell 'a': ltan_hours=25.0: must be between 0 and 24 hours",
        ),
        (lambda: LinksDesign(terminals=4.5), "[links]: terminals=4.5: must be a whole number"),
        (lambda: Constellation("x", "2027-01-01T00:00:00Z"), "scenario 'x': no satellites"),
    ],
)
def test_designs_built_in_python_are_checked_like_files(build, message):
    with pytest.raises(ScenarioError) as info:
        build()
    assert str(info.value) == message or str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_replace_gives_a_checked_copy():
    shell = Shell.walker("a", altitude_km=340, inclination_deg=53, planes=2, sats_per_plane=2)
    wider = shell.replace(planes=4, phasing=3)
    assert (wider.planes, wider.phasing, shell.planes) == (4, 3, 2)
    with pytest.raises(ScenarioError, match=r"^shell 'a': planes=0: must be at least 1"):
        shell.replace(planes=0)
    with pytest.raises(ScenarioError, match=r"unknown key 'plane'; did you mean 'planes'\?"):
        shell.replace(plane=3)
    constellation = Constellation("demo", "2027-01-01T00:00:00Z", shells=(shell,))
    assert constellation.replace(shells=(wider,)).n_sats == 8


def test_numpy_numbers_count_as_the_python_numbers_they_hold():
    shell = Shell.walker(
        "a",
        altitude_km=np.float32(340.0),
        inclination_deg=np.float64(53.0),
        planes=np.int64(2),
        sats_per_plane=np.int32(2),
    )
    assert type(shell.planes) is int and type(shell.altitude_km) is float
    assert shell == Shell.walker(
        "a", altitude_km=340, inclination_deg=53, planes=2, sats_per_plane=2
    )


@pytest.mark.parametrize("name", preset_names())
def test_a_loaded_preset_pickles_to_an_equal_design(name):
    """Trade studies ship designs to worker processes (Dask): pickling keeps them whole."""
    constellation = load_scenario(name)
    back = pickle.loads(pickle.dumps(constellation))
    assert back == constellation and hash(back) == hash(constellation)
    assert back.satellite.spec == constellation.satellite.spec
    assert back.launch.flights_by_year().tolist() == constellation.launch.flights_by_year().tolist()


#: python-sgp4's README ISS element set and CelesTrak's MARIO (NORAD 55123, every element
#: non-zero), as in tests/io/test_interop.py.
PICKLED_TLES = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
MARIO
1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999
2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396
"""


def test_a_constellation_of_element_sets_pickles_to_the_same_positions(tmp_path):
    """python-sgp4's Satrec does not pickle; an element set travels as its elements and
    propagates, once back, to the very same positions (compared bit for bit with
    python-sgp4 on the satellites read here), its catalogue fields kept."""
    from sgp4.api import SatrecArray

    (tmp_path / "two.tle").write_text(PICKLED_TLES)
    text = (
        '[scenario]\nname = "tracked"\nepoch = "2023-04-25T00:00:00Z"\n'
        '[[element_sets]]\nname = "two"\nfile = "two.tle"\n'
    )
    (tmp_path / "s.toml").write_text(text)
    constellation = load_scenario(tmp_path / "s.toml")
    back = pickle.loads(pickle.dumps(constellation))
    (before,), (after,) = constellation.element_sets, back.element_sets
    assert after.names == before.names == ("ISS (ZARYA)", "MARIO")
    jd = np.full(200, 2460059.5)
    fr = np.linspace(-900.0, 30.0, 200)
    e0, r0, v0 = SatrecArray(list(before.satrecs)).sgp4(jd, fr)
    e1, r1, v1 = SatrecArray(list(after.satrecs)).sgp4(jd, fr)
    np.testing.assert_array_equal(e1, e0)
    np.testing.assert_array_equal(r1, r0)
    np.testing.assert_array_equal(v1, v0)
    for one, other in zip(before.satrecs, after.satrecs, strict=True):
        for field in ("satnum", "intldesg", "classification", "epochyr", "epochdays", "revnum"):
            assert getattr(other, field) == getattr(one, field), field


# --- the JSON Schema, for editors --------------------------------------------------------------


@pytest.fixture
def scenario_schema(capsys):
    from constellations.cli import main

    assert main(["schema", "scenario"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_json_schema_takes_every_preset(scenario_schema):
    for name in preset_names():
        scenario_schema.validate(tomllib.loads(preset_text(name)))
    scenario_schema.validate(tomllib.loads(GOOD))


@pytest.mark.parametrize(
    "text, path",
    [
        (_with("planes = 1", 'planes = "10"'), ["shells", 0, "planes"]),
        (_with("altitude_km = 340.0", "altitude_km = 5.0"), ["shells", 0, "altitude_km"]),
        (_with("sun_synchronous = true", "sun_synchronous = 1"), ["shells", 0, "sun_synchronous"]),
        (GOOD + "\n[link]\nterminals = 4\n", []),
        (GOOD + '\n[satellite]\npayload = "gb300"\n', ["satellite", "payload"]),
    ],
)
def test_the_json_schema_refuses_a_bad_file(scenario_schema, text, path):
    errors = list(scenario_schema.iter_errors(tomllib.loads(text)))
    assert [list(e.absolute_path) for e in errors] == [path]

"""Scenario files: the schema contract; bad input refused with a message saying what to do."""

import pytest

from constellations import Constellation, ScenarioError, Shell, load_scenario, parse_scenario

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
    (GOOD + "\n[orbits]\ntopology = 1\n", "unknown section 'orbits'; valid sections: scenario"),
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

"""Altitude bands: one [[shells]] table spread over a range of altitudes, flown as levels.

The expansion is checked against what the band means, not against its own arithmetic:
the band's P nodes come from the planner resolving one ordinary Walker shell of P planes
(brute force: every plane of the band at one altitude), and each level's inclination
against the closed-form J2 sun-synchronous condition and python-sgp4's own node rate.
"""

import json
import math
import tomllib

import jsonschema
import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from constellations import Constellation, ScenarioError, Shell, parse_scenario
from constellations.cli import main
from constellations.model.band import MAX_BAND_LEVELS
from constellations.present.bands import MAX_SHELL_ROWS, banded_notes, span
from constellations.stages.resolve import resolve

EPOCH = "2027-01-01T00:00:00Z"
#: Nodes computed two ways (the band's planes, a level's) agree to rounding, degrees.
NODE_TOLERANCE_DEG = 1e-9

BAND_TOML = """
[scenario]
name = "band"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "sx"
altitude_range_km = [330.0, 350.0]
altitude_spacing_km = 10.0
inclination_deg = 53.0
planes = 6
sats_per_plane = 10
"""


def band(**changes) -> Shell:
    keys = {
        "name": "sunrise",
        "altitude_range_km": [520.0, 1800.0],
        "altitude_spacing_km": 10.0,
        "sun_synchronous": True,
        "ltan_hours": 18.0,
        "planes": 129,
        "sats_per_plane": 4,
    }
    return Shell(**{**keys, **changes})


def test_a_band_expands_into_named_levels_holding_every_satellite():
    shell = band(planes=258)
    constellation = Constellation("blue", EPOCH, shells=[shell])
    altitudes = [s.altitude_km for s in constellation.shells]
    assert altitudes == [520.0 + 10.0 * k for k in range(129)]
    names = [s.name for s in constellation.shells]
    assert names[:3] == ["sunrise-520", "sunrise-530", "sunrise-540"]
    assert constellation.shells[-1].name == "sunrise-1800"
    assert {s.band for s in constellation.shells} == {"sunrise"}
    assert {s.planes for s in constellation.shells} == {2}
    assert constellation.n_sats == shell.n_sats == 258 * 4
    assert not any(s.is_band for s in constellation.shells)


def _band_nodes_deg(shell: Shell) -> np.ndarray:
    """The band's P nodes, brute force: the band as one Walker shell of P planes at one
    altitude, resolved by the planner as any shell is."""
    low_km = shell.altitude_range_km[0]
    keys = shell.model_dump(by_alias=True, exclude={"altitude_range_km", "altitude_spacing_km"})
    whole = Constellation("whole", EPOCH, shells=[Shell(**{**keys, "altitude_km": low_km})])
    return resolve(whole)[0].raan_deg


@pytest.mark.parametrize(
    "changes",
    [
        {},  # SSO placed by its local time: 129 levels of one plane
        {"planes": 387, "raan_spread_deg": 34.0},  # three planes a level, a dawn-dusk spread
        {"ltan_hours": None, "raan_deg": 350.0, "planes": 258},  # SSO placed by its node
        {
            "altitude_range_km": [680.0, 740.0],
            "sun_synchronous": False,
            "inclination_deg": 53.0,
            "ltan_hours": None,
            "raan_deg": -20.0,
            "planes": 280,
            "pattern": "star",
        },
    ],
)
def test_each_level_flies_the_band_planes_dealt_round_robin(changes):
    shell = band(**changes)
    nodes_deg = _band_nodes_deg(shell)
    levels = resolve(Constellation("c", EPOCH, shells=[shell]))
    n_levels = len(levels)
    for k, level in enumerate(levels):
        expected = nodes_deg[k::n_levels]
        turned = (level.raan_deg - expected + 180.0) % 360.0 - 180.0
        np.testing.assert_allclose(turned, 0.0, atol=NODE_TOLERANCE_DEG)
    assert sum(level.n_sats for level in levels) == shell.n_sats


#: WGS-72, SGP4's gravity model (Hoots and Roehrich, Spacetrack Report No. 3, 1980).
MU_KM3_S2, RADIUS_KM, J2 = 398600.8, 6378.135, 0.001082616
#: The mean Sun's motion: 360 degrees a tropical year of 365.24219 days (Meeus,
#: *Astronomical Algorithms*, ch. 27).
SUN_RAD_S = 2.0 * math.pi / (365.24219 * 86400.0)
#: SGP4's J2^2 and J4 node terms move the sun-synchronous inclination 0.022-0.028 deg above
#: the J2-only one between 150 and 2,000 km (docs/design.md), degrees.
SGP4_OVER_J2_DEG = (0.02, 0.03)


def _j2_sso_inclination_deg(altitude_km: float) -> float:
    """Vallado, *Fundamentals of Astrodynamics*, eq. 9-41, circular orbit."""
    a_km = RADIUS_KM + altitude_km
    n_rad_s = math.sqrt(MU_KM3_S2 / a_km**3)
    return math.degrees(math.acos(-SUN_RAD_S / (1.5 * n_rad_s * J2 * (RADIUS_KM / a_km) ** 2)))


def test_each_level_of_a_sun_synchronous_band_flies_its_own_sun_synchronous_inclination():
    levels = resolve(Constellation("c", EPOCH, shells=[band()]))
    j2_deg = [_j2_sso_inclination_deg(r.shell.altitude_km) for r in levels]
    # The closed form gives 97.40 deg at 500 km, 98.60 at 800 km and 99.48 at 1,000 km, the
    # figures sun-synchronous missions quote; 1,800 km needs 103.66 deg.
    assert j2_deg[0] == pytest.approx(97.48, abs=0.01)  # 520 km
    assert j2_deg[-1] == pytest.approx(103.66, abs=0.01)  # 1,800 km
    flown = np.array([r.inclination_deg for r in levels])
    assert np.all(np.diff(flown) > 0.0)
    excess = flown - np.array(j2_deg)
    assert np.all((excess > SGP4_OVER_J2_DEG[0]) & (excess < SGP4_OVER_J2_DEG[1]))
    # python-sgp4 itself: each level's node keeps pace with the mean Sun.
    sun_deg_per_day = math.degrees(SUN_RAD_S) * 86400.0
    for r in levels[::16]:
        satrec = Satrec()
        a_km = RADIUS_KM + r.shell.altitude_km
        satrec.sgp4init(
            WGS72, "i", 1, 27000.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            math.radians(r.inclination_deg), 0.0, r.walker.no_kozai_rad_min, 0.0,
        )  # fmt: skip
        assert satrec.a * RADIUS_KM == pytest.approx(a_km, abs=1e-6)
        node_deg_per_day = math.degrees(satrec.nodedot) * 1440.0
        assert node_deg_per_day == pytest.approx(sun_deg_per_day, rel=1e-6)


def test_j2_sso_levels_take_the_closed_form_inclination():
    levels = Constellation("c", EPOCH, shells=[band(sso_inclination="j2")]).shells
    for level in levels[::8]:
        expected = _j2_sso_inclination_deg(level.altitude_km)
        assert level.resolved_inclination_deg == pytest.approx(expected, abs=1e-4)


def test_a_band_and_a_shell_named_like_its_level_are_refused_as_a_name_used_twice():
    text = BAND_TOML + '\n[[shells]]\nname = "sx-340"\naltitude_km = 500.0\n'
    text += "inclination_deg = 53.0\nplanes = 1\nsats_per_plane = 1\n"
    with pytest.raises(ScenarioError, match=r"shells\[1\]: name='sx-340' is used twice"):
        parse_scenario(text)


def test_a_band_in_python_and_in_a_file_is_one_design():
    from_file = parse_scenario(BAND_TOML)
    written = dict(
        altitude_range_km=(330.0, 350.0),
        altitude_spacing_km=10.0,
        inclination_deg=53.0,
        planes=6,
        sats_per_plane=10,
    )
    from_python = Constellation("band", EPOCH, shells=[Shell(name="sx", **written)])
    assert from_file == from_python
    assert [s.name for s in from_file.shells] == ["sx-330", "sx-340", "sx-350"]


# --- refused at the command line: exit 2, one line naming the key --------------------------


def _refused(tmp_path, capsys, text: str) -> str:
    path = tmp_path / "s.toml"
    path.write_text(text)
    status = main(["plan", str(path), "--stages", "resolve"])
    out, err = capsys.readouterr()
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err.strip()


BAD_BANDS = [
    (
        "altitude_spacing_km = 10.0",
        "altitude_spacing_km = 0.0",
        "shells[0]: altitude_spacing_km=0.0: must be positive",
    ),
    (
        "altitude_spacing_km = 10.0",
        "altitude_spacing_km = -5.0",
        "shells[0]: altitude_spacing_km=-5.0: must be positive",
    ),
    (
        "altitude_range_km = [330.0, 350.0]",
        "altitude_range_km = [350.0, 330.0]",
        "shells[0]: altitude_range_km=[350.0, 330.0]: the low end must be below the high end; "
        "write [330, 350]",
    ),
    (
        "altitude_range_km = [330.0, 350.0]",
        "altitude_range_km = [100.0, 350.0]",
        "shells[0]: altitude_range_km=[100.0, 350.0]: both ends must be between 150 and 2000 km",
    ),
    (
        "altitude_range_km = [330.0, 350.0]\naltitude_spacing_km = 10.0",
        "altitude_range_km = [680.0, 1000.0]\naltitude_spacing_km = 30.0",
        "shells[0]: altitude_spacing_km=30.0: does not divide altitude_range_km 680-1000 "
        "(320 km); choose a spacing that divides it, such as 16, 20, 32 or 40",
    ),
    (
        "planes = 6",
        "planes = 7",
        "shells[0]: planes=7: is not a multiple of the band's 3 levels (each level flies "
        "planes / levels of them); use planes = 6 or 9",
    ),
    (
        "altitude_range_km = [330.0, 350.0]\naltitude_spacing_km = 10.0",
        "altitude_range_km = [200.0, 1800.0]\naltitude_spacing_km = 2.0",
        f"shells[0]: altitude_spacing_km=2.0: makes 801 levels of altitude_range_km 200-1800: "
        f"at most {MAX_BAND_LEVELS}; choose a wider spacing that divides it, such as",
    ),
    (
        "planes = 6",
        "planes = 6\nphasing = 1",
        "shells[0]: phasing=1: a band's phasing must be 0",
    ),
    (
        "planes = 6",
        "planes = 6\naltitude_km = 340.0",
        "shells[0]: altitude_km and altitude_range_km both given",
    ),
    (
        "altitude_spacing_km = 10.0\n",
        "",
        "shells[0]: altitude_range_km needs altitude_spacing_km",
    ),
    (
        "altitude_range_km = [330.0, 350.0]\n",
        "",
        "shells[0]: altitude_spacing_km is for a band: give altitude_range_km too",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_BANDS)
def test_a_bad_band_is_refused_in_one_line_naming_the_key(tmp_path, capsys, old, new, message):
    assert old in BAND_TOML
    err = _refused(tmp_path, capsys, BAND_TOML.replace(old, new))
    assert f"s.toml {message}" in err, err


def test_the_same_band_is_refused_alike_in_python():
    with pytest.raises(ScenarioError) as info:
        band(altitude_range_km=[680.0, 1000.0], altitude_spacing_km=30.0)
    assert str(info.value) == (
        "shell 'sunrise': altitude_spacing_km=30.0: does not divide altitude_range_km "
        "680-1000 (320 km); choose a spacing that divides it, such as 16, 20, 32 or 40"
    )


def test_a_small_band_plans_end_to_end(tmp_path, capsys):
    path = tmp_path / "band.toml"
    path.write_text(BAND_TOML)
    status = main(["plan", str(path), "--json", str(tmp_path / "plan.json")])
    out, err = capsys.readouterr()
    assert status == 0, err
    plan = json.loads((tmp_path / "plan.json").read_text())
    shells = plan["shells"]
    assert [s["name"] for s in shells] == ["sx-330", "sx-340", "sx-350"]
    assert [s["altitude_km"] for s in shells] == [330.0, 340.0, 350.0]
    assert sum(s["n_sats"] for s in shells) == 60
    assert "sx-330" in out and "a band's levels in one row" not in out  # a few rows: each


def test_a_table_of_hundreds_of_levels_shows_each_band_in_one_row(tmp_path, capsys):
    text = BAND_TOML.replace("[330.0, 350.0]", "[520.0, 1800.0]").replace(
        "planes = 6", "planes = 129"
    )
    text = text.replace("sats_per_plane = 10", "sats_per_plane = 2")
    text += '\n[[shells]]\nname = "w53"\naltitude_km = 550.0\ninclination_deg = 53.0\n'
    text += "planes = 2\nsats_per_plane = 3\n"
    path = tmp_path / "band.toml"
    path.write_text(text)
    status = main(["plan", str(path), "--stages", "resolve", "--json", str(tmp_path / "p.json")])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "a band's levels in one row" in out
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    (band_row,) = [line for line in rows if line.startswith("│ sx (129")]  # its name may wrap
    cells = [cell.strip() for cell in band_row.split("│")[1:-1]]
    assert cells[1] == "520-1800"  # alt km: least-greatest
    assert cells[3] == "53.00"  # incl deg: one value
    assert cells[5] == "1 x 2"  # planes x sats of each level
    assert cells[-3] == "258"  # satellites: the band's total (then period and latency)
    assert any(line.startswith("│ w53") for line in rows)
    assert "sx-" not in out  # not a level's row, nor a level's note
    shells = json.loads((tmp_path / "p.json").read_text())["shells"]
    assert len(shells) == 130  # the plan JSON keeps every shell


@pytest.mark.parametrize(
    ("texts", "cell"),
    [
        (["520", "530", "1,800"], "520-1,800"),
        (["53.00", "53.00"], "53.00"),
        (["-3.5", "4.0", "2.0"], "-3.5 .. 4.0"),
        (["SSO LTAN 18:00", "SSO LTAN 18:04"], "SSO LTAN 18:00 .. SSO LTAN 18:04"),
        (["22.6 (22.6)", "22.1 (22.1)"], "22.6 (22.6) .. 22.1 (22.1)"),
    ],
)
def test_a_band_cell_gives_the_range_of_its_levels(texts, cell):
    assert span(texts) == cell


def test_the_json_schema_takes_a_band_and_refuses_a_range_below_the_shells(capsys):
    assert main(["schema", "scenario"]) == 0
    schema = jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))
    document = tomllib.loads(BAND_TOML)
    schema.validate(document)
    document["shells"][0]["altitude_range_km"] = [100.0, 350.0]
    assert not schema.is_valid(document)


def test_notes_of_many_levels_keep_the_lowest_and_highest_and_count_the_rest():
    names = [f"sx-{520 + 10 * k}" for k in range(MAX_SHELL_ROWS + 1)]
    bands = dict.fromkeys(names, "sx")
    notes = [f"{name}: drifts" for name in names] + ["fleet: 100 %"]
    kept = banded_notes(notes, bands, total_rows=len(names))
    assert kept == [
        "sx-520: drifts",
        f"sx: {len(names) - 2} more notes of this band's levels like these (the JSON has every "
        "shell)",
        f"{names[-1]}: drifts",
        "fleet: 100 %",
    ]
    assert banded_notes(notes[:3], bands, total_rows=3) == notes[:3]  # few shells: every note

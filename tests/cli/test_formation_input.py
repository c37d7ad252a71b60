"""Bad ``[[formations]]`` tables: exit 2 and one line naming the formation and the key."""

import os

import pytest
from test_bad_input import assert_refused, run

FORMATION = {
    "name": '"fc"',
    "altitude_km": "650.0",
    "inclination_deg": "53.0",
    "lattice": '"hexagonal"',
    "radial_pitch_m": "100.0",
    "cluster_radius_m": "1000.0",
    "members": "7",
}


def text(**changes) -> str:
    keys = {**FORMATION, **changes}
    lines = ["[scenario]", 'name = "f"', 'epoch = "2027-01-01T00:00:00Z"', "", "[[formations]]"]
    lines += [f"{k} = {v}" for k, v in keys.items() if v is not None]
    return "\n".join(lines) + "\n"


CASES = [
    # 91 lattice points of pitch 100 m keep their 2:1 ellipses within 1 km: 100 do not fit.
    ({"members": "100"}, ("formations[0]", "members=100", "only 91 do", "widen the radius")),
    # A pitch below keep-out: members would pass 40 m apart twice an orbit.
    (
        {"radial_pitch_m": "40.0", "keep_out_m": "50.0"},
        ("formations[0]", "radial_pitch_m=40", "keep_out_m=50", "below the keep-out"),
    ),
    # Rectangular, 60 m along-track at the epoch: relative orbits 30 m apart in the lattice.
    (
        {"lattice": '"rectangular"', "along_track_pitch_m": "60.0"},
        ("formations[0]", "keep_out_m=50", "30.0 m"),
    ),
    ({"lattice": '"rectangular"'}, ("formations[0]", "along_track_pitch_m")),
    ({"members": None, "cluster_radius_m": None}, ("formations[0]", "cluster_radius_m")),
    ({"lattice": '"cubic"'}, ("formations[0]", "lattice=", "hexagonal")),
    ({"ballistic_mismatch": "0.0"}, ("formations[0]", "ballistic_mismatch=")),
    # The 3d lattice (orbital.formation_3d): its spacing, not a planar pitch.
    ({"lattice": '"3d"', "radial_pitch_m": None}, ("formations[0]", "3d lattice needs spacing_m")),
    (
        {"lattice": '"3d"', "radial_pitch_m": None, "spacing_m": "40.0"},
        ("formations[0]", "spacing_m=40", "keep_out_m=50", "widen the spacing"),
    ),
    # Each member reaches up to 3 times its design radius: 15 fit within 300 m.
    (
        {
            "lattice": '"3d"',
            "radial_pitch_m": None,
            "spacing_m": "100.0",
            "cluster_radius_m": "300.0",
            "members": "81",
        },
        ("formations[0]", "members=81", "only 15 do", "widen the radius"),
    ),
    (
        {"lattice": '"3d"', "spacing_m": "100.0"},
        ("formations[0]", "radial_pitch_m is for a planar lattice"),
    ),
    ({"spacing_m": "100.0"}, ("formations[0]", 'spacing_m is for lattice = "3d"')),
    ({"sun_synchronous": "true"}, ("formations[0]", "inclination_deg", "drop one")),
]


@pytest.mark.parametrize("changes, expected", CASES, ids=[str(c) for c, _ in CASES])
def test_a_bad_formation_is_one_line_naming_its_key(
    tmp_path, monkeypatch, capsys, changes, expected
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(text(**changes))
    before = sorted(os.listdir(tmp_path))
    status, _, err = run(capsys, "plan", "s.toml", "--stages", "resolve", "--json", "out.json")
    assert_refused(status, err, "s.toml", *expected, before=before, folder=tmp_path)


def test_a_formation_named_like_a_shell_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shell = '\n[[shells]]\nname = "fc"\naltitude_km = 340.0\ninclination_deg = 53.0\n'
    (tmp_path / "s.toml").write_text(text() + shell + "planes = 1\nsats_per_plane = 2\n")
    status, _, err = run(capsys, "plan", "s.toml", "--stages", "resolve")
    # Each named by its own table, as the file writes it.
    assert_refused(
        status,
        err,
        "s.toml",
        "formations[0]: name='fc' is used twice (also shells[0]); give every shell and "
        "formation its own name",
    )

"""Issue 14: a count of one takes the singular ("1 satellite", "1 step", "1 OMM element set")
in every message, table and note the commands print, and in the report's figures.

Every command runs in-process on a scenario of one plane of one satellite, and ``plan`` on
element sets of one satellite each (one stale, one decayed before the epoch), from plans
made once for the module.
"""

import re

import pytest
from helpers import reuse_plans

from constellations.cli import main
from constellations.present.tables import plural

ONE = """[scenario]
name = "one"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd340"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 1
sats_per_plane = 1
"""
#: The ISS's elements of 2019-12-09 (stale at 2025) and NORAD 55897's, which decayed within a
#: day of their epoch of 2025-02-27 (tests/orbital/test_validity.py).
TRACKED = """[scenario]
name = "tracked"
epoch = "2025-03-20T21:39:16Z"

[[element_sets]]
name = "old"
file = "iss.tle"

[[element_sets]]
name = "decayed"
file = "decayed.tle"
"""
ISS_TLE = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
"""
DECAYED_TLE = """OBJECT A
1 55897U 22151AAV 25058.12407234  .09435527  24934+0  44853-1 0  9999
2 55897  98.5849 110.9278 0014449 269.2407  90.7207 15.92146194 26688
"""

#: A count of one before a plural noun, up to two words apart ("1 OMM element sets").
ONE_AND_A_PLURAL = re.compile(
    r"(?<![\d.,])1 (?:[A-Za-z]+ ){0,2}?(satellites|planes|shells|sets|flights|figures|steps"
    r"|links|columns|scenarios|entries|frames|snapshots|stages|terminals|clusters|cases|rows"
    r"|values|files|years|days)\b"
)
#: Any word in s after a count of one, but the words that are no plural.
ONE_AND_AN_S = re.compile(r"(?<![\d.,])1 ([A-Za-z]+s)\b")
NOT_PLURALS = {"is", "was", "has", "does", "its", "as", "plus", "this", "less"}


def assert_singular(text: str) -> None:
    found = ONE_AND_A_PLURAL.findall(text) + [
        w for w in ONE_AND_AN_S.findall(text) if w not in NOT_PLURALS
    ]
    assert not found, [line for line in text.splitlines() if re.search(r"(?<![\d.,])1 ", line)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one")
    (folder / "one.toml").write_text(ONE)
    (folder / "tracked.toml").write_text(TRACKED)
    (folder / "iss.tle").write_text(ISS_TLE)
    (folder / "decayed.tle").write_text(DECAYED_TLE)
    return folder


@pytest.fixture(scope="module")
def plans(folder) -> dict:
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan

    return {"one": plan(load_scenario(folder / "one.toml"))}


COMMANDS = [
    ["plan", "one.toml", "--json", "plan.json"],
    ["size", "one.toml", "--target-kw-per-tonne", "500", "--solve-for", "radiator.temperature_k"],
    ["drag", "one.toml"],
    ["eclipse", "one.toml"],
    ["links", "one.toml", "--graphml", "mesh.graphml"],
    ["compare", "one.toml"],
    ["propagate", "one.toml", "--hours", "0.01", "--step-s", "60", "--out", "p.npz"],
    ["omm", "one.toml", "--out", "one.json"],
    ["report", "one.toml", "-o", "r.html", "--figures", "figs", "--figure-format", "svg"],
    ["plan", "tracked.toml"],
    ["presets"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_every_command_says_1_in_the_singular(folder, plans, monkeypatch, capsys, args):
    import viz.export

    monkeypatch.setattr(  # no browser: tests/viz/test_export.py draws with one
        viz.export, "_render", lambda figures, image_format, progress=None: [b""] * len(figures)
    )
    reuse_plans(monkeypatch, dict(plans))
    monkeypatch.chdir(folder)
    status = main(args)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert_singular(out + err)
    if args[0] in ("propagate", "omm"):  # the lines that count what they wrote
        assert re.search(r"\b1 (satellite x 1 step|OMM element set) ", err), err
    if args[1:2] == ["tracked.toml"]:
        assert "1 satellite of 1 has elements more than 30 days" in err
        assert "1 satellite of 1 had failed in SGP4 (decayed) before the epoch and is left" in err


def test_the_figures_say_1_in_the_singular(plans):
    from constellations.present.report import plan_figures

    texts = []

    def strings(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                strings(item)

    for heading, figure in plan_figures(plans["one"]):
        texts.append(heading)
        strings(figure.to_plotly_json())
    assert any("1 satellite;" in text for text in texts)  # the globe's note
    assert_singular("\n".join(texts))


@pytest.mark.parametrize(
    "n, words, expected",
    [
        (0, ("satellite",), "0 satellites"),
        (1, ("satellite",), "1 satellite"),
        (2, ("plane",), "2 planes"),
        (1_000_000, ("satellite",), "1,000,000 satellites"),
        (1, ("entry", "entries"), "1 entry"),
        (3, ("entry", "entries"), "3 entries"),
        (1, ("OMM element set",), "1 OMM element set"),
    ],
)
def test_plural(n, words, expected):
    assert plural(n, *words) == expected

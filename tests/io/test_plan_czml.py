"""The plan as CZML (constellations/present/czml.py, ``orbital-dc plan --czml``).

Authorities, none of them the code under test:

* ``czml3``'s own reader (``czml3.Document.model_validate_json``): the file is a valid
  CZML document;
* Skyfield: ``EarthSatellite.from_satrec(...).at(t).frame_xyz(itrs)`` for the satellites'
  Earth-fixed positions, and ``is_sunlit`` with JPL's DE421 for their sunlight;
* the +Grid's definition: a link closes or not from its two ends alone, so a sample's
  links close exactly when the same links of the whole constellation do.
"""

import json

import numpy as np
import pytest
from helpers import CZML_SCENARIO
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

#: The CZML writes positions to 0.1 m; SGP4 through two ITRS rotations agrees to ulps
#: (tests/orbital/test_frames.py), so 1 m is the rounding with room to spare.
POSITION_TOL_M = 1.0
#: The document's times are written to the millisecond.
TIME_TOL_S = 1e-3


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan

    path = tmp_path_factory.mktemp("czml") / "w53.toml"
    path.write_text(CZML_SCENARIO)
    return plan(load_scenario(str(path)), stages=("resolve", "network"))


@pytest.fixture(scope="module")
def whole(planned):
    from constellations.present.czml import plan_czml

    return plan_czml(planned)


def read_back(result):
    """The document written and parsed again by czml3's reader, and as plain JSON."""
    import czml3

    text = result.document.dumps()
    return czml3.Document.model_validate_json(text), json.loads(text)


def seconds(iso: str) -> float:
    import datetime as dt

    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    return (dt.datetime.fromisoformat(iso.replace("Z", "+00:00")) - start).total_seconds()


def test_the_document_validates_with_czml3s_reader_and_counts_its_entities(whole):
    document, packets = read_back(whole)
    ids = [p.id for p in document.packets]
    assert ids[0] == "document" and len(set(ids)) == len(ids)
    satellites = [i for i in ids if i.startswith("sat/")]
    links = [i for i in ids if i.startswith("link/")]
    assert satellites == [f"sat/{k}" for k in range(24)]
    assert [i for i in ids if i.startswith("shell/")] == ["shell/w53"]
    assert len(links) == whole.links > 0 and "links" in ids
    assert whole.entities == 1 + 24 + 1 + len(links) == len(packets) - 1
    assert "all 24 satellites" in packets[0]["description"]
    for packet in packets[1:]:
        assert packet["id"] == "links" or packet["id"].startswith("shell/") or packet["parent"]
    # No Cesium ion: nothing in the file names an imagery or terrain server.
    text = json.dumps(packets)
    assert "cesium.com" not in text and "http" not in text


def test_the_clock_and_every_position_span_one_orbit_from_the_epoch(planned, whole):
    from constellations.present.czml import INTERPOLATION_DEGREE, POSITION_STEPS

    _, packets = read_back(whole)
    period_s = 60.0 * planned.resolved[0].period_min
    start, end = packets[0]["clock"]["interval"].split("/")
    assert seconds(start) == 0.0 and seconds(end) == pytest.approx(period_s, abs=TIME_TOL_S)
    assert packets[0]["clock"]["currentTime"] == start
    for packet in packets:
        if packet["id"].startswith("sat/"):
            position = packet["position"]
            assert position["referenceFrame"] == "FIXED" and seconds(position["epoch"]) == 0.0
            assert position["interpolationAlgorithm"] == "LAGRANGE"
            assert position["interpolationDegree"] == INTERPOLATION_DEGREE
            t = np.asarray(position["cartesian"][::4])
            assert len(t) == POSITION_STEPS + 1
            assert t[-1] == pytest.approx(period_s, abs=TIME_TOL_S)
            np.testing.assert_allclose(np.diff(t), period_s / POSITION_STEPS, atol=TIME_TOL_S)


def skyfield_itrs_m(planned, index, t_s, ts):
    satrec = planned.resolved[0].walker.satrec(index)
    satellite = EarthSatellite.from_satrec(satrec, ts)
    time = ts.utc(2027, 1, 1, 0, 0, np.atleast_1d(t_s))
    return satellite, time, satellite.at(time).frame_xyz(itrs).m.T


@pytest.mark.parametrize("index", [0, 13, 23])
def test_positions_are_skyfields_earth_fixed_positions(planned, whole, ts, index):
    _, packets = read_back(whole)
    (packet,) = [p for p in packets if p["id"] == f"sat/{index}"]
    samples = np.asarray(packet["position"]["cartesian"]).reshape(-1, 4)
    _, _, want = skyfield_itrs_m(planned, index, samples[:, 0], ts)
    np.testing.assert_allclose(samples[0, 1:], want[0], rtol=0, atol=POSITION_TOL_M)
    np.testing.assert_allclose(samples[:, 1:], want, rtol=0, atol=POSITION_TOL_M)


def test_sunlight_states_agree_with_skyfields_is_sunlit(planned, whole, ts, de421):
    """Away from the shadow's edges (runs longer than 20 s, checked at their middle), gold
    is Skyfield's sunlit and blue its shadow; most planes of this shell are eclipsed in
    January, those at a beta angle beyond about 68 deg are not."""
    from constellations.present.czml import STATE_NAMES

    _, packets = read_back(whole)
    checked, seen = 0, set()
    for packet in packets:
        if not packet["id"].startswith("sat/"):
            continue
        runs = packet["properties"]["sunlight"]
        seen |= {r["string"] for r in runs}
        starts = np.array([seconds(r["interval"].split("/")[0]) for r in runs])
        ends = np.array([seconds(r["interval"].split("/")[1]) for r in runs])
        mids = (starts + ends) / 2
        steady = [k for k, r in enumerate(runs) if ends[k] - starts[k] > 20.0]
        satellite, time, _ = skyfield_itrs_m(planned, int(packet["id"][4:]), mids[steady], ts)
        lit = satellite.at(time).is_sunlit(de421)
        for k, sunlit in zip(steady, lit, strict=True):
            assert runs[k]["string"] in ("sunlit", "umbra")
            assert sunlit == (runs[k]["string"] == "sunlit")
            checked += 1
        colours = packet["point"]["color"]
        if len(runs) == 1:  # one state all orbit: one colour, not intervals
            assert "rgba" in colours
        else:
            assert [c["interval"] for c in colours] == [r["interval"] for r in runs]
    assert seen == set(STATE_NAMES) and checked >= 24


def test_the_links_shown_are_the_plans_mesh_over_the_orbit(planned, whole):
    """The plan's network stage counts the links closed at its times of the orbit
    (mesh_orbit.py's own sweep, a subset of the document's); the document shows that many."""
    _, packets = read_back(whole)
    over = planned.network.over_orbit
    times = np.asarray(over.time_s)
    shown = np.zeros(len(times), dtype=int)
    for packet in packets:
        if packet["id"].startswith("link/"):
            a, b = packet["polyline"]["positions"]["references"]
            assert a.endswith("#position") and b.endswith("#position")
            assert packet["polyline"]["arcType"] == "NONE"
            show = packet["polyline"]["show"]
            if show is True:  # closed all orbit
                shown += 1
                continue
            for run in show:
                start, end = (seconds(s) for s in run["interval"].split("/"))
                inside = (times >= start - TIME_TOL_S) & (times < end - TIME_TOL_S)
                shown[inside] += bool(run["boolean"])
    np.testing.assert_array_equal(shown, over.links)


def test_above_the_limit_a_seeded_sample_is_drawn_and_said(planned, whole):
    from constellations.present.czml import plan_czml

    sample = plan_czml(planned, max_satellites=15)
    _, packets = read_back(sample)
    satellites = {p["id"] for p in packets if p["id"].startswith("sat/")}
    assert len(satellites) == sample.shown == 15 and sample.n_sats == 24
    assert (
        "15 of 24 satellites, a uniform random sample (seed 20270101)"
        in (packets[0]["description"])
    )
    assert "15 of 24 satellites drawn" in packets[1]["description"]
    # The same sample on every run.
    assert plan_czml(planned, max_satellites=15).document.dumps() == sample.document.dumps()
    # +Grid links of the sample: both ends drawn, closing exactly as in the whole document.
    _, full = read_back(whole)
    full_links = {p["id"]: p["polyline"]["show"] for p in full if p["id"].startswith("link/")}
    links = [p for p in packets if p["id"].startswith("link/")]
    assert 0 < len(links) < len(full_links)
    for packet in links:
        for end in packet["polyline"]["positions"]["references"]:
            assert end.split("#")[0] in satellites
        assert packet["polyline"]["show"] == full_links[packet["id"]]


def test_max_satellites_below_one_is_refused(planned):
    from constellations.present.czml import plan_czml

    with pytest.raises(ValueError, match="max_satellites=0"):
        plan_czml(planned, max_satellites=0)


def test_plan_writes_the_czml_file(cli_in_process, tmp_path):
    import czml3

    scenario = tmp_path / "w53.toml"
    scenario.write_text(CZML_SCENARIO)
    out = tmp_path / "w53.czml"
    result = cli_in_process("plan", scenario, "--stages", "resolve", "--czml", out)
    assert result.returncode == 0, result.stderr
    assert f"CZML written to {out} (all 24 satellites, " in result.stderr
    document = czml3.Document.load(out)
    assert sum(p.id.startswith("sat/") for p in document.packets) == 24
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_plan_refuses_a_czml_target_that_is_a_folder_before_planning(cli_in_process, tmp_path):
    scenario = tmp_path / "w53.toml"
    scenario.write_text(CZML_SCENARIO)
    result = cli_in_process("plan", scenario, "--czml", tmp_path)
    assert result.returncode == 2
    assert f"--czml {tmp_path}: is a folder; give a file name such as" in result.stderr
    assert "out.czml" in result.stderr


def test_plan_help_names_czml_and_imports_no_czml3(cli_in_process):
    import subprocess
    import sys

    result = cli_in_process("plan", "--help")
    assert result.returncode == 0 and "--czml FILE" in result.stdout
    probe = (
        "import sys, constellations.cli as c; c.build_parser().format_help(); "
        "print('czml3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_satellite_that_fails_in_sgp4_is_drawn_until_its_last_position(planned, monkeypatch):
    """SGP4's failures are NaN from the failure on (satellite 3 from the 400th of the 769
    fine steps, satellite 5 throughout): 3 is available until its last finite step, 5 is
    left out with its links and counted."""
    import constellations.stages.propagate as propagate
    from constellations.present.czml import SUNLIGHT_REFINE, plan_czml

    real = propagate.sample_positions

    def failing(*args, **kwargs):
        out = real(*args, **kwargs)
        out[3, 400:] = np.nan
        out[5] = np.nan
        return out

    monkeypatch.setattr(propagate, "sample_positions", failing)
    result = plan_czml(planned)
    _, packets = read_back(result)
    assert (result.shown, result.failed) == (23, 1)
    assert (
        "all 24 satellites (1 of them failed in SGP4 and are not drawn)"
        in (packets[0]["description"])
    )
    assert "1 failed in SGP4" in result.summary
    by_id = {p["id"]: p for p in packets}
    assert "sat/5" not in by_id
    assert not [p for p in packets if p["id"].startswith("link/") and "sat/5#" in json.dumps(p)]
    three = by_id["sat/3"]
    samples = np.asarray(three["position"]["cartesian"]).reshape(-1, 4)
    assert len(samples) == 399 // SUNLIGHT_REFINE + 1 and np.isfinite(samples).all()
    end = seconds(three["availability"].split("/")[1])
    period_s = 60.0 * planned.resolved[0].period_min
    assert end == pytest.approx(399 * period_s / 768, abs=TIME_TOL_S)
    assert seconds(three["properties"]["sunlight"][-1]["interval"].split("/")[1]) == (
        pytest.approx(end, abs=TIME_TOL_S)
    )


def test_an_element_set_is_a_folder_of_numbered_satellites(cli_in_process, tmp_path):
    """The shell written as OMM and read back as an element set: no planes, so its
    satellites are numbered within the set; no shell, so one orbit is 95 minutes."""
    import czml3

    (tmp_path / "w53.toml").write_text(CZML_SCENARIO)
    result = cli_in_process("omm", tmp_path / "w53.toml", "--out", tmp_path / "w53.json")
    assert result.returncode == 0, result.stderr
    scenario = tmp_path / "tracked.toml"
    scenario.write_text(
        '[scenario]\nname = "tracked"\nepoch = "2027-01-01T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "w53.json"\n'
    )
    out = tmp_path / "tracked.czml"
    result = cli_in_process("plan", scenario, "--stages", "resolve", "--czml", out)
    assert result.returncode == 0, result.stderr
    packets = json.loads(czml3.Document.load(out).dumps())
    assert [p["id"] for p in packets[1:3]] == ["shell/tracked", "sat/0"]
    assert "an element set; 24 of 24 satellites drawn" in packets[1]["description"]
    assert packets[2]["name"] == "tracked #0" and packets[2]["parent"] == "shell/tracked"
    assert len(packets) == 1 + 1 + 24
    start, end = packets[0]["clock"]["interval"].split("/")
    assert seconds(end) - seconds(start) == pytest.approx(95 * 60.0, abs=TIME_TOL_S)

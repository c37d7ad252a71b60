"""Element sets far from the scenario epoch or failed before it, at the command line.

The reproducer of issue 13, item 1 (NORAD 55897, which python-sgp4 stepped minute by minute
shows decayed within a day of its epoch: tests/orbital/test_validity.py) and the ISS element
set of 2019 in a 2027 scenario (days from the calendar).
"""

import json

import numpy as np
from helpers import run_cli_in_process as run_cli

DECAYED_TLE = """OBJECT A
1 55897U 22151AAV 25058.12407234  .09435527  24934+0  44853-1 0  9999
2 55897  98.5849 110.9278 0014449 269.2407  90.7207 15.92146194 26688
"""
ISS_TLE = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
"""


def scenario(tmp_path, epoch: str, tle: str):
    (tmp_path / "tracked.tle").write_text(tle)
    path = tmp_path / "tracked.toml"
    path.write_text(
        f'[scenario]\nname = "tracked"\nepoch = "{epoch}"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "tracked.tle"\n'
    )
    return path


def test_plan_of_a_decayed_element_set_counts_it_failed_and_says_so(tmp_path):
    path = scenario(tmp_path, "2025-03-20T21:39:16Z", DECAYED_TLE)
    result = run_cli("plan", str(path), "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: element set tracked: 1 satellite of 1 had failed in SGP4 (decayed) "
        "before the epoch and is left out: OBJECT A"
    ) in result.stderr
    assert "element epochs 21.8 days before the scenario epoch" in result.stderr
    assert "Fleet over one orbit from the epoch: no working satellite; 1 satellite failed" in (
        result.stdout
    )
    record = json.loads((tmp_path / "plan.json").read_text())
    assert record["fleet_illumination"]["failed_sats"] == 1
    assert record["element_sets"][0]["failed_before_epoch"] == ["OBJECT A"]


def test_propagate_of_a_decayed_element_set_writes_nan_and_says_so(tmp_path):
    path = scenario(tmp_path, "2025-03-20T21:39:16Z", DECAYED_TLE)
    result = run_cli(
        "propagate", str(path), "--hours", "1", "--step-s", "600", "--out", "p.npz", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "had failed in SGP4 (decayed) before the epoch" in result.stderr
    with np.load(tmp_path / "p.npz") as archive:
        assert np.isnan(archive["positions_km"]).all()


def test_elements_from_after_the_epoch_are_warned_about_as_after(tmp_path):
    """The gap is signed positive before the epoch: one after it was listed as "-342.7 d"
    under a summary line saying "342.7 days after"."""
    path = scenario(tmp_path, "2019-01-01T00:00:00Z", ISS_TLE)
    result = run_cli("plan", str(path), "--stages", "resolve", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # 2019 day 343.69339541 (2019-12-09 16:38:29.363 UTC) minus 2019-01-01 = 342.693 days.
    assert "element epochs 342.7 days after the scenario epoch" in result.stderr
    assert "ISS (ZARYA) (342.7 d after)" in result.stderr


def test_elements_seven_years_old_are_warned_about(tmp_path):
    path = scenario(tmp_path, "2027-01-01T00:00:00Z", ISS_TLE)
    result = run_cli("plan", str(path), "--stages", "fleet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # 2027-01-01 minus 2019 day 343.69339541 (2019-12-09 16:38:29.363 UTC) = 2579.307 days.
    assert (
        "warning: element set tracked: 1 satellite of 1 has elements more than 30 days "
        "from the epoch"
    ) in result.stderr
    assert "ISS (ZARYA) (2,579.3 d before)" in result.stderr
    assert "had failed" not in result.stderr
    assert "Fleet over one orbit from the epoch:" in result.stdout
    assert "failed" not in result.stdout


def test_links_of_element_sets_on_a_grid_says_why_and_what_to_change(tmp_path):
    """The message was every skipped stage's reason run together ("...no planes no Walker
    shells: ... needs illumination, which could not run"); it is the mesh's own."""
    path = scenario(tmp_path, "2019-12-10T00:00:00Z", ISS_TLE)
    result = run_cli("links", str(path), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert error.endswith(
        "no Walker shells for a +grid mesh; add a [[shells]] table or set [links] "
        'topology = "nearest"'
    )


def test_a_set_repeated_in_the_file_is_warned_about_with_its_place(tmp_path):
    # Two catalogues pasted together: the ISS twice, then the decayed object, then the ISS
    # again with another epoch (a second element set of the same satellite, not a copy).
    later = ISS_TLE.replace("19343.69339541", "19344.69339541").replace("0  9991", "0  9992")
    path = scenario(tmp_path, "2019-12-20T00:00:00Z", ISS_TLE + ISS_TLE + DECAYED_TLE + later)
    result = run_cli("plan", str(path), "--stages", "fleet", "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: element set tracked: 1 set of 4 repeats an earlier set exactly (catalogue "
        "number, epoch and elements; in this file or an element set listed before it) and is "
        "planned as a satellite of its own; remove the copies if they are one satellite: "
        "ISS (ZARYA) (set 2 repeats set 1)"
    ) in result.stderr
    (entry,) = json.loads((tmp_path / "plan.json").read_text())["element_sets"]
    assert entry["n_repeated"] == 1
    assert entry["repeated"] == [
        {"name": "ISS (ZARYA)", "index": 1, "copy_of": 0, "copy_of_element_set": "tracked"}
    ]


def test_a_file_named_twice_is_warned_about_in_the_second_entry(tmp_path):
    # The same catalogue listed as two element sets: every set of the second repeats the
    # first's; the first has no copies of its own.
    (tmp_path / "tracked.tle").write_text(ISS_TLE + DECAYED_TLE)
    path = tmp_path / "twice.toml"
    path.write_text(
        '[scenario]\nname = "twice"\nepoch = "2019-12-20T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "a"\nfile = "tracked.tle"\n\n'
        '[[element_sets]]\nname = "b"\nfile = "tracked.tle"\n'
    )
    result = run_cli("plan", str(path), "--stages", "fleet", "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert not [
        line for line in lines if line.startswith("warning: element set a:") and "repeat" in line
    ]
    assert (
        "warning: element set b: 2 sets of 2 repeat an earlier set exactly" in result.stderr
        and "ISS (ZARYA) (set 1 repeats set 1 of element set a), OBJECT A (set 2 repeats "
        "set 2 of element set a)"
        in result.stderr
    )
    first, second = json.loads((tmp_path / "plan.json").read_text())["element_sets"]
    assert first["n_repeated"] == 0 and second["n_repeated"] == 2
    assert second["repeated"][1] == {
        "name": "OBJECT A", "index": 1, "copy_of": 1, "copy_of_element_set": "a"
    }  # fmt: skip


def test_names_with_line_breaks_or_terminal_escapes_stay_on_the_warning_line(tmp_path):
    """An OMM OBJECT_NAME is any JSON string: one holding a line break forged a second
    warning line, and one holding ESC reached the terminal as a control sequence."""
    import unicodedata

    from helpers import MARIO_RECORD

    forged = dict(MARIO_RECORD, OBJECT_NAME="EVIL\nwarning: forged\x1b[31m")
    (tmp_path / "tracked.json").write_text(json.dumps([forged, forged]))
    path = tmp_path / "tracked.toml"
    path.write_text(
        '[scenario]\nname = "tracked"\nepoch = "2023-04-26T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "tracked.json"\n'
    )
    result = run_cli("plan", str(path), "--stages", "resolve", "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert not [line for line in lines if line.startswith("warning: forged")]
    (warning,) = [line for line in lines if "repeats an earlier set" in line]
    assert warning.endswith("(set 2 repeats set 1)")
    # Control characters (Unicode category Cc) are gone from stderr but its line ends.
    assert not [c for c in result.stderr if unicodedata.category(c) == "Cc" and c != "\n"]
    # The plan JSON keeps the name as the file wrote it.
    (entry,) = json.loads((tmp_path / "plan.json").read_text())["element_sets"]
    assert entry["repeated"][0]["name"] == forged["OBJECT_NAME"]


def test_outputs_that_would_replace_the_scenario_or_its_element_file_are_refused(tmp_path):
    """``--json tracked.json`` next to an element-set file of that name replaced the file
    with the plan JSON (and ``--json`` on the scenario replaced the scenario)."""
    from helpers import MARIO_RECORD

    elements = json.dumps([MARIO_RECORD])
    (tmp_path / "tracked.json").write_text(elements)
    path = tmp_path / "tracked.toml"
    toml = (
        '[scenario]\nname = "tracked"\nepoch = "2023-04-26T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "tracked.json"\n'
    )
    path.write_text(toml)
    for command, option, target in [
        ("plan", "--json", "tracked.json"),
        ("plan", "--html", "./tracked.json"),
        ("plan", "--json", "tracked.toml"),
        ("report", "-o", "tracked.json"),
    ]:
        extra = ("--stages", "resolve") if command == "plan" else ()
        result = run_cli(command, str(path), *extra, option, target, cwd=tmp_path)
        assert result.returncode == 2, (command, option, target, result.stderr)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"orbital-dc {command}: error: {option} {target}: is the ")
        assert "give another file name" in line
        assert (tmp_path / "tracked.json").read_text() == elements
        assert path.read_text() == toml
    # Another name in the same folder is written as before.
    result = run_cli("plan", str(path), "--stages", "resolve", "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "plan.json").read_text())["element_sets"][0]["n_sats"] == 1


def test_propagate_out_that_would_replace_its_element_file_is_refused(tmp_path):
    import csv
    import io

    from helpers import MARIO_RECORD

    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(MARIO_RECORD))
    writer.writeheader()
    writer.writerow(MARIO_RECORD)
    (tmp_path / "tracked.csv").write_text(text.getvalue(), newline="")
    path = tmp_path / "tracked.toml"
    path.write_text(
        '[scenario]\nname = "tracked"\nepoch = "2023-04-26T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "tracked.csv"\n'
    )
    before = (tmp_path / "tracked.csv").read_bytes()
    result = run_cli(
        "propagate",
        str(path),
        "--hours",
        "1",
        "--step-s",
        "600",
        "--out",
        "tracked.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert (
        "orbital-dc propagate: error: --out tracked.csv: is the element set tracked's file"
    ) in result.stderr
    assert (tmp_path / "tracked.csv").read_bytes() == before


def test_compare_json_that_would_replace_a_scenario_is_refused(tmp_path):
    preset = run_cli("presets", "dawn-dusk-340", cwd=tmp_path)
    assert preset.returncode == 0, preset.stderr
    (tmp_path / "a.toml").write_text(preset.stdout)
    (tmp_path / "b.toml").write_text(preset.stdout)
    result = run_cli("compare", "a.toml", "b.toml", "--json", "b.toml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "orbital-dc compare: error: --json b.toml: is the scenario file (b.toml); writing "
        "there would replace it, give another file name\n"
    )
    assert (tmp_path / "b.toml").read_text() == preset.stdout

"""OMM and TLE interop: round trips against the planner, real files against outside authorities.

Outside references used here:

* the ISS TLE from python-sgp4's README ("Usage" section, also its
  ``export_tle`` example), propagated by Skyfield's ``EarthSatellite``;
* CelesTrak's MARIO element set (NORAD 55123) in TLE, OMM XML and OMM CSV,
  as kept in python-sgp4's own test suite (``sgp4/tests.py``, fetched from
  https://celestrak.org/NORAD/elements/gp.php?CATNR=55123&FORMAT=XML / CSV);
  the JSON form below carries the same values as CelesTrak's FORMAT=JSON.
"""

import json

import numpy as np
import pytest
from helpers import ISS_TLE
from helpers import MARIO_RECORD as MARIO_JSON_RECORD
from sgp4.api import Satrec, jday
from sgp4.exporter import export_omm

from constellations.errors import ExportError
from constellations.io.omm import OMM_KEYS, read_element_file, shell_omm_records, write_omm
from constellations.model.constellation import Constellation, Shell
from constellations.stages.resolve import resolve
from orbital.propagation import collect, propagate_satrecs, propagate_walker
from orbital.times import TimeGrid

#: What "the same position" means for a file read back: one millimetre.
ONE_MM_KM = 1e-6
#: Agreement asked of two SGP4 implementations fed the same TLE: one metre.
ONE_M_KM = 1e-3

EPOCH = "2027-01-01T00:00:00Z"
FORMATS = ("json", "csv", "xml")

# python-sgp4 README, "Usage": the ISS (ZARYA) element set of 2019-12-09.
ISS_LINE1, ISS_LINE2 = ISS_TLE

# CelesTrak's MARIO (NORAD 55123), every element non-zero; see the module docstring.
MARIO_TLE = (
    "MARIO".ljust(24)
    + """
1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999
2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396
"""
)
MARIO_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<ndm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd">
<omm id="CCSDS_OMM_VERS" version="2.0">
<header><CREATION_DATE/><ORIGINATOR/></header><body><segment><metadata><OBJECT_NAME>MARIO</OBJECT_NAME><OBJECT_ID>1998-067UQ</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM><MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data><meanElements><EPOCH>2023-04-25T10:45:30.642912</EPOCH><MEAN_MOTION>15.99081912</MEAN_MOTION><ECCENTRICITY>.0014649</ECCENTRICITY><INCLINATION>51.6242</INCLINATION><RA_OF_ASC_NODE>216.2930</RA_OF_ASC_NODE><ARG_OF_PERICENTER>331.8976</ARG_OF_PERICENTER><MEAN_ANOMALY>28.1241</MEAN_ANOMALY></meanElements><tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE><CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>55123</NORAD_CAT_ID><ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>1839</REV_AT_EPOCH><BSTAR>.1568E-2</BSTAR><MEAN_MOTION_DOT>.787702E-2</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>.29408E-3</MEAN_MOTION_DDOT></tleParameters></data></segment></body></omm>
</ndm>
"""  # noqa: E501  (CelesTrak serves each <omm> on one line)
MARIO_CSV = """\
OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT
MARIO,1998-067UQ,2023-04-25T10:45:30.642912,15.99081912,.0014649,51.6242,216.2930,331.8976,28.1241,0,U,55123,999,1839,.1568E-2,.787702E-2,.29408E-3
"""  # noqa: E501


def _walker_constellation(epoch=EPOCH) -> Constellation:
    """Two small 53-degree shells at 340 km, one without drag and one with."""
    return Constellation(
        "interop",
        epoch,
        shells=(
            Shell.walker(
                "w53",
                altitude_km=340.0,
                inclination_deg=53.0,
                planes=3,
                sats_per_plane=4,
                phasing=1,
            ),
            Shell.walker(
                "w53drag",
                altitude_km=340.0,
                inclination_deg=53.0,
                planes=3,
                sats_per_plane=4,
                phasing=1,
                bstar=1e-4,
                raan_deg=17.5,
            ),
        ),
    )


def _two_hours(epoch) -> TimeGrid:
    return TimeGrid.uniform(epoch, duration_s=7200.0, step_s=60.0)


def _positions_km(satrecs, grid: TimeGrid) -> np.ndarray:
    """TEME positions ``(n_sat, n_t, 3)`` km of any satellites, by python-sgp4's array path."""
    return collect(propagate_satrecs(satrecs, grid, frame="teme"), len(satrecs), len(grid))


# --------------------------------------------------------------------------
# Walker shells out as OMM and back
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shell_index", [0, 1], ids=["no-drag", "bstar-1e-4"])
@pytest.mark.parametrize("epoch", [EPOCH, "2027-03-14T15:09:26.535897Z"], ids=["0h", "odd"])
def test_omm_file_read_back_propagates_to_the_planners_positions(tmp_path, fmt, shell_index, epoch):
    resolved = resolve(_walker_constellation(epoch))[shell_index]
    grid = _two_hours(epoch)
    path = write_omm(shell_omm_records(resolved), tmp_path / f"shell.{fmt}")

    element_set = read_element_file(path)

    planner_km = collect(
        propagate_walker(resolved.walker, grid, frame="teme"), resolved.n_sats, len(grid)
    )
    read_back_km = _positions_km(element_set.satrecs, grid)
    assert element_set.n_sats == resolved.n_sats == 12
    assert np.isfinite(read_back_km).all()
    assert np.abs(read_back_km - planner_km).max() < ONE_MM_KM
    assert element_set.name == "shell"
    assert element_set.source == str(path)
    assert element_set.names[5] == f"{resolved.shell.name}-P0001-S0001"


def test_records_hold_the_planners_own_satrecs_as_sgp4_exports_them():
    """Every record equals python-sgp4's ``export_omm`` of the planner's ``Satrec``."""
    resolved = resolve(_walker_constellation())[1]
    records = shell_omm_records(resolved)
    compared = [k for k in OMM_KEYS if k != "ELEMENT_SET_NO"]  # sgp4init leaves elnum 0
    for index, record in enumerate(records):
        satrec = resolved.walker.satrec(index)
        satrec.intldesg = "27000A"  # export_omm needs a designator; sgp4init leaves none
        exported = export_omm(satrec, record["OBJECT_NAME"])
        assert list(record) == list(exported)
        for key in compared:
            want = exported[key]
            if not isinstance(want, str):
                want = pytest.approx(want, rel=1e-13, abs=1e-13)
            assert record[key] == want, key


def test_records_follow_the_planners_satellite_order():
    """Record ``p * S + s`` is satellite ``s`` of plane ``p``: its plane's node, Walker's phase."""
    resolved = resolve(_walker_constellation())[1]
    records = shell_omm_records(resolved)
    planes, per_plane, phasing = 3, 4, 1
    total = planes * per_plane
    for plane in range(planes):
        for slot in range(per_plane):
            record = records[plane * per_plane + slot]
            assert record["OBJECT_NAME"] == f"w53drag-P{plane:04d}-S{slot:04d}"
            assert record["RA_OF_ASC_NODE"] == pytest.approx(17.5 + 120.0 * plane, abs=1e-12)
            phase_deg = ((slot * planes + plane * phasing) % total) * 360.0 / total
            assert record["MEAN_ANOMALY"] == pytest.approx(phase_deg, abs=1e-12)
            assert record["NORAD_CAT_ID"] == 12 + plane * per_plane + slot  # after shell w53


def test_norad_cat_id_wraps_at_340000(tmp_path):
    """Ids run on across shells; SGP4 gets them modulo 340000, like the planner's satrecs."""
    filler = Shell.walker(
        "filler", altitude_km=340.0, inclination_deg=53.0, planes=2, sats_per_plane=169_999
    )
    small = Shell.walker(
        "small", altitude_km=340.0, inclination_deg=53.0, planes=3, sats_per_plane=4
    )
    resolved = resolve(Constellation("wrap", EPOCH, shells=(filler, small)))[1]
    assert resolved.first_id == 339_998

    records = shell_omm_records(resolved)
    element_set = read_element_file(write_omm(records, tmp_path / "wrap.json"))

    expected = [339_998, 339_999] + list(range(10))
    assert [r["NORAD_CAT_ID"] for r in records] == expected
    assert [s.satnum for s in element_set.satrecs] == expected
    assert [resolved.walker.satrec(i).satnum for i in range(12)] == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_with_markup_characters_survive_every_format(tmp_path, fmt):
    name = 'a&b <"c">, d'
    shell = Shell.walker(name, altitude_km=550.0, inclination_deg=97.6, planes=1, sats_per_plane=2)
    resolved = resolve(Constellation("names", EPOCH, shells=(shell,)))[0]

    element_set = read_element_file(write_omm(shell_omm_records(resolved), tmp_path / f"n.{fmt}"))

    assert element_set.names == (f"{name}-P0000-S0000", f"{name}-P0000-S0001")


def test_xml_puts_every_key_in_its_ccsds_block(tmp_path):
    import xml.etree.ElementTree as ET

    resolved = resolve(_walker_constellation())[0]
    path = write_omm(shell_omm_records(resolved)[:1], tmp_path / "one.xml")

    segment = ET.parse(path).getroot().find("omm/body/segment")
    assert [e.tag for e in segment.find("metadata")][:2] == ["OBJECT_NAME", "OBJECT_ID"]
    assert [e.tag for e in segment.find("data/meanElements")][0] == "EPOCH"
    assert "BSTAR" in [e.tag for e in segment.find("data/tleParameters")]
    assert "BSTAR" not in [e.tag for e in segment.find("data/meanElements")]


# --------------------------------------------------------------------------
# Element files from elsewhere
# --------------------------------------------------------------------------


def test_iss_tle_matches_skyfield_in_two_and_three_line_form(tmp_path):
    from skyfield.api import EarthSatellite, load
    from skyfield.sgp4lib import TEME

    two_line = tmp_path / "iss.tle"
    two_line.write_text(f"{ISS_LINE1}\n{ISS_LINE2}\n")
    three_line = tmp_path / "iss.txt"
    three_line.write_text(f"ISS (ZARYA)\n{ISS_LINE1}\n{ISS_LINE2}\n")
    grid = _two_hours("2019-12-09T16:00:00Z")
    ts = load.timescale(builtin=True)
    t = ts.utc(2019, 12, 9, 16, 0, grid.t_s)
    skyfield_km = EarthSatellite(ISS_LINE1, ISS_LINE2, ts=ts).at(t).frame_xyz(TEME).km.T

    for path, name in ((two_line, "25544"), (three_line, "ISS (ZARYA)")):
        element_set = read_element_file(path)
        assert element_set.names == (name,)
        positions_km = _positions_km(element_set.satrecs, grid)[0]
        assert np.abs(positions_km - skyfield_km).max() < ONE_M_KM


def test_celestrak_mario_reads_the_same_from_tle_xml_csv_and_json(tmp_path):
    files = {
        "mario.tle": MARIO_TLE,
        "mario.xml": MARIO_XML,
        "mario.csv": MARIO_CSV,
        "mario.json": json.dumps([MARIO_JSON_RECORD]),
        "single.json": json.dumps(MARIO_JSON_RECORD),  # one record, not in a list
    }
    grid = _two_hours("2023-04-25T10:00:00Z")
    line1, line2 = MARIO_TLE.splitlines()[1:]
    reference_km = _positions_km([Satrec.twoline2rv(line1, line2)], grid)

    for file_name, text in files.items():
        (tmp_path / file_name).write_text(text)
        element_set = read_element_file(tmp_path / file_name, name="mario")
        assert element_set.names == ("MARIO",), file_name
        assert element_set.satrecs[0].satnum == 55123
        positions_km = _positions_km(element_set.satrecs, grid)
        assert np.abs(positions_km - reference_km).max() < ONE_MM_KM, file_name


def test_omm_epoch_with_z_and_no_fraction_is_accepted(tmp_path):
    record = dict(MARIO_JSON_RECORD, EPOCH="2023-04-25T10:45:30Z")
    (tmp_path / "z.json").write_text(json.dumps([record]))

    satrec = read_element_file(tmp_path / "z.json").satrecs[0]

    jd, fr = jday(2023, 4, 25, 10, 45, 30.0)
    assert (satrec.jdsatepoch - jd) + (satrec.jdsatepochF - fr) == pytest.approx(0.0, abs=1e-9)


def test_omm_whole_numbers_written_as_decimals_or_text_are_read(tmp_path):
    """A JSON writer may give 55123.0 for 55123, a CSV or XML file gives text."""
    record = dict(
        MARIO_JSON_RECORD, NORAD_CAT_ID=55123.0, ELEMENT_SET_NO="999", REV_AT_EPOCH=1839.0
    )
    (tmp_path / "f.json").write_text(json.dumps([record]))

    satrec = read_element_file(tmp_path / "f.json").satrecs[0]

    assert (satrec.satnum, satrec.elnum, satrec.revnum) == (55123, 999, 1839)


def test_tle_mixes_named_and_unnamed_sets_and_blank_lines(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(f"\n0 ISS\r\n{ISS_LINE1}\r\n{ISS_LINE2}\r\n\n{ISS_LINE1}\n{ISS_LINE2}\n")

    assert read_element_file(path).names == ("ISS", "25544")


# --------------------------------------------------------------------------
# Refusals: one line, naming the file
# --------------------------------------------------------------------------


def _omm_without_mean_motion() -> str:
    second = {k: v for k, v in MARIO_JSON_RECORD.items() if k != "MEAN_MOTION"}
    return json.dumps([MARIO_JSON_RECORD, second])


def _corrupted_checksum() -> str:
    return f"ISS\n{ISS_LINE1}\n{ISS_LINE2[:-1]}3\n"


BAD_FILES = {
    "bad extension": ("sats.omm", "{}", [".json", ".csv", ".xml", ".tle", ".txt"]),
    "missing MEAN_MOTION": ("sats.json", _omm_without_mean_motion(), ["MEAN_MOTION", "index 1"]),
    "corrupted checksum": ("sats.tle", _corrupted_checksum(), ["line 3", "checksum"]),
    "empty": ("sats.csv", "", ["empty"]),
    "blank lines only": ("sats.tle", "\n  \n", ["empty"]),
    "malformed JSON": ("sats.json", '[{"OBJECT_NAME": "X",', ["JSON", "line 1"]),
    "malformed XML": ("sats.xml", "<ndm><omm>", ["XML"]),
    "XML segment without data": (
        "sats.xml",
        "<ndm><omm><body><segment><metadata/></segment></body></omm></ndm>",
        ["meanElements", "index 0"],
    ),
    "CSV header only": ("sats.csv", MARIO_CSV.splitlines()[0] + "\n", ["no satellites"]),
    "TLE line 2 missing": ("sats.tle", f"ISS\n{ISS_LINE1}\n", ["line 2", "TLE line 2"]),
    "TLE letter in a number": (  # O for 0 keeps the checksum: the layout check must catch it
        "sats.tle",
        f"{ISS_LINE1}\n{ISS_LINE2.replace(' 0007417 ', ' O007417 ')}\n",
        ["line 2", "column 27"],
    ),
    "TLE line cut short": ("sats.tle", f"{ISS_LINE1[:-3]}\n{ISS_LINE2}\n", ["line 1", "69"]),
    "bad OMM value": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, INCLINATION="steep")]),
        ["index 0", "INCLINATION='steep': must be a number"],
    ),
    # Issue 14, found by tests/cli/test_scenario_fuzz.py: python-sgp4 took these silently
    # (3.5 as 3, NaN elements, true as 1), or failed naming no field.
    "OMM fraction for an integer": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, ELEMENT_SET_NO=3.5)]),
        ["index 0 (MARIO): ELEMENT_SET_NO=3.5: must be a whole number"],
    ),
    "OMM NaN element": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, MEAN_MOTION=float("nan"))]),
        ["MEAN_MOTION=nan: must be a number"],
    ),
    "OMM boolean element": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, ECCENTRICITY=True)]),
        ["ECCENTRICITY=True: must be a number"],
    ),
    "OMM epoch as a number": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, EPOCH=3)]),
        ["EPOCH=3: must be a UTC time such as 2023-04-25T10:45:30.642912"],
    ),
    "OMM CSV text in a whole-number field": (
        "sats.csv",
        MARIO_CSV.replace(",0,U,55123,", ",zero,U,55123,"),
        ["EPHEMERIS_TYPE='zero': must be a whole number"],
    ),
    "OMM negative catalogue number": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, NORAD_CAT_ID=-1)]),
        ["NORAD_CAT_ID=-1: is negative; catalogue numbers start at 0"],
    ),
    # A mean motion is revolutions per day, above 0 (CCSDS 502.0-B-3, OMM); python-sgp4's
    # sgp4init took -15 with error 0 and Satrec.a NaN, so every position was NaN unreported.
    "OMM negative mean motion": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, MEAN_MOTION=-15.0)]),
        ["index 0 (MARIO): MEAN_MOTION=-15.0: must be above 0 revolutions per day"],
    ),
    "OMM CSV mean motion of zero": (
        "sats.csv",
        MARIO_CSV.replace(",15.99081912,", ",0.0,"),
        ["MEAN_MOTION='0.0': must be above 0 revolutions per day"],
    ),
    # CCSDS 502.0-B-3 (OMM): the mean inclination lies in 0-180 deg; sgp4init would take 400
    # as 40 (its sine and cosine) without an error code.
    "OMM inclination above 180 degrees": (
        "sats.json",
        json.dumps([dict(MARIO_JSON_RECORD, INCLINATION=400.0)]),
        ["index 0 (MARIO): INCLINATION=400.0: must be from 0 to 180 degrees"],
    ),
    "OMM CSV negative inclination": (
        "sats.csv",
        MARIO_CSV.replace(",51.6242,", ",-51.6242,"),
        ["INCLINATION='-51.6242': must be from 0 to 180 degrees"],
    ),
    "OMM JSON number of 5,000 digits": (
        "sats.json",
        '[{"NORAD_CAT_ID": 1' + "0" * 5000 + "}]",
        ["a number of more than 4,300 digits"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_element_files_are_refused_in_one_line_naming_the_file(tmp_path, case):
    file_name, text, fragments = BAD_FILES[case]
    path = tmp_path / file_name
    path.write_text(text)

    with pytest.raises(ValueError) as caught:
        read_element_file(path)

    message = str(caught.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_missing_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "nowhere.json"
    with pytest.raises(ValueError, match="no such file") as caught:
        read_element_file(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


# --------------------------------------------------------------------------
# Writing: atomic, refusing what it cannot write
# --------------------------------------------------------------------------


def test_write_omm_into_a_missing_folder_leaves_nothing(tmp_path):
    records = shell_omm_records(resolve(_walker_constellation())[0])
    with pytest.raises(ExportError, match="does not exist"):
        write_omm(records, tmp_path / "missing" / "shell.json")
    assert list(tmp_path.iterdir()) == []


def test_write_omm_refuses_an_unknown_extension(tmp_path):
    records = shell_omm_records(resolve(_walker_constellation())[0])
    with pytest.raises(ValueError, match=r"\.json, \.csv, \.xml"):
        write_omm(records, tmp_path / "shell.tle")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    records = shell_omm_records(resolve(_walker_constellation())[0])
    path = write_omm(records, tmp_path / "shell.json")
    before = path.read_bytes()
    broken = [dict(records[0]), dict(records[1], BSTAR=float("nan"))]

    with pytest.raises(ValueError, match="shell.json"):
        write_omm(broken, path)

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["shell.json"]


def test_xml_refuses_keys_outside_the_omm_blocks(tmp_path):
    records = [dict(shell_omm_records(resolve(_walker_constellation())[0])[0], COLOR="red")]
    with pytest.raises(ValueError, match="COLOR"):
        write_omm(records, tmp_path / "shell.xml")
    assert list(tmp_path.iterdir()) == []

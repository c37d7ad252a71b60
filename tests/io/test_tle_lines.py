"""TLE lines as real files write them: which variants are read, which refused, and why.

Authorities, called directly on the same lines:

* python-sgp4's pure-Python reader ``sgp4.io.twoline2rv`` (fixed columns), a
  second parser independent of the compiled ``Satrec.twoline2rv`` the planner
  calls: every accepted line must give it the same elements;
* Skyfield's ``EarthSatellite`` for positions;
* ``sgp4.io.fix_checksum`` / ``compute_checksum`` for the checksums of edited lines.

Lines used:

* HIGH-DRAG 45110, from Mike McCants' classfd.tle as quoted in project issue 13
  (item 2): the first derivative of mean motion written ``0.00110000``;
* CelesTrak's MARIO (NORAD 55123), every element non-zero, as kept in
  python-sgp4's test suite (see tests/io/test_interop.py);
* the ISS of 2019-12-09 from python-sgp4's README ("Usage").
"""

import math

import numpy as np
import pytest
from helpers import ISS_TLE
from helpers import run_cli_in_process as run_cli
from sgp4.api import Satrec
from sgp4.earth_gravity import wgs72
from sgp4.io import compute_checksum, fix_checksum
from sgp4.io import twoline2rv as python_twoline2rv

from constellations.io.omm import read_element_file
from orbital.propagation import collect, propagate_satrecs
from orbital.times import TimeGrid

#: Two callers of the same compiled SGP4 on the same elements (the planner's
#: SatrecArray path and Skyfield's EarthSatellite, through their own time
#: arithmetic and TEME handling): well under a metre, asked to a millimetre.
SAME_SGP4_KM = 1e-6
#: Two parsers reading the same decimal text: the same double up to the last
#: bits of the unit conversions (rev/day to rad/min, degrees to radians).
SAME_PARSE_REL = 1e-12
#: The compiled reader rounds the epoch's day fraction to the TLE's 8 decimals.
EPOCH_DAYS = 1e-8

HIGH_DRAG = (
    "HIGH-DRAG 45110",
    "1 45110U 20007A   23232.80903846 0.00110000  00000-0  32750-2 0    04",
    "2 45110  69.9913 111.5649 0009740 159.9373 200.0626 15.34502222    06",
)
MARIO_1 = "1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999"
MARIO_2 = "2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396"
ISS_1, ISS_2 = ISS_TLE

#: TLE revolutions per day squared in SGP4's radians per minute squared.
RAD_PER_MIN2_PER_REV_PER_DAY2 = 2.0 * math.pi / 1440.0**2

ELEMENTS = ("ndot", "nddot", "bstar", "inclo", "nodeo", "ecco", "argpo", "mo", "no_kozai")


def _put(line: str, column: int, text: str) -> str:
    """``line`` with ``text`` from ``column`` (1-based, as the user counts) on."""
    return line[: column - 1] + text + line[column - 1 + len(text) :]


def _signed(line: str, column: int, text: str) -> str:
    """``_put`` with the checksum recomputed by python-sgp4's ``fix_checksum``."""
    return fix_checksum(_put(line, column, text))


def _read(tmp_path, *lines, file_name="sats.tle"):
    path = tmp_path / file_name
    path.write_text("\n".join(lines) + "\n")
    return read_element_file(path)


def _grid(epoch: str) -> TimeGrid:
    return TimeGrid.uniform(epoch, duration_s=3 * 3600.0, step_s=300.0)


def _planner_km(satrecs, grid) -> np.ndarray:
    return collect(propagate_satrecs(satrecs, grid, frame="teme"), len(satrecs), len(grid))


def _skyfield_km(line1: str, line2: str, grid: TimeGrid) -> np.ndarray:
    from skyfield.api import EarthSatellite, load
    from skyfield.sgp4lib import TEME

    ts = load.timescale(builtin=True)
    start = grid.epoch.datetime
    t = ts.utc(start.year, start.month, start.day, start.hour, start.minute, grid.t_s)
    return EarthSatellite(line1, line2, ts=ts).at(t).frame_xyz(TEME).km.T


def _assert_python_sgp4_reads_the_same(satrec, line1: str, line2: str) -> None:
    """``satrec`` (the planner's) holds the elements python-sgp4's pure-Python reader finds."""
    reference = python_twoline2rv(line1, line2, wgs72)
    for name in ELEMENTS:
        assert getattr(satrec, name) == pytest.approx(
            getattr(reference, name), rel=SAME_PARSE_REL, abs=0.0
        ), name
    assert satrec.satnum == reference.satnum
    epoch = satrec.jdsatepoch + satrec.jdsatepochF
    assert epoch == pytest.approx(reference.jdsatepoch, rel=0.0, abs=EPOCH_DAYS)


# --------------------------------------------------------------------------
# The reproducer
# --------------------------------------------------------------------------


def test_mccants_zero_in_the_sign_column_reads_as_skyfield_does(tmp_path):
    name, line1, line2 = HIGH_DRAG
    element_set = _read(tmp_path, *HIGH_DRAG, file_name="classfd.tle")

    satrec = element_set.satrecs[0]
    assert element_set.names == (name,)
    # 0.00110000 rev/day^2 by the TLE's definition: 3.333e-9 rad/min^2, positive.
    assert satrec.ndot == pytest.approx(0.0011 * RAD_PER_MIN2_PER_REV_PER_DAY2, rel=1e-12)
    assert satrec.ndot == pytest.approx(3.333e-9, rel=1e-3)
    _assert_python_sgp4_reads_the_same(satrec, line1, line2)
    grid = _grid("2023-08-20T19:00:00Z")
    planner_km = _planner_km(element_set.satrecs, grid)[0]
    assert np.abs(planner_km - _skyfield_km(line1, line2, grid)).max() < SAME_SGP4_KM
    # ...and it is the same satellite as with the layout's blank sign.
    blank_sign = _signed(line1, 34, " ")
    assert np.abs(planner_km - _skyfield_km(blank_sign, line2, grid)).max() < SAME_SGP4_KM


def test_mccants_line_plans_from_the_command_line(tmp_path):
    (tmp_path / "classfd.tle").write_text("\n".join(HIGH_DRAG) + "\n")
    (tmp_path / "hd.toml").write_text(
        '[scenario]\nname = "hd"\nepoch = "2023-08-20T20:00:00Z"\n\n'
        '[[element_sets]]\nname = "hd"\nfile = "classfd.tle"\n'
    )
    result = run_cli("plan", "hd.toml", "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plan.json").is_file()


# --------------------------------------------------------------------------
# Sign columns
# --------------------------------------------------------------------------

#: 1-based columns of the mantissa signs and the exponent signs on line 1.
MANTISSA_SIGNS = {"ndot": 34, "nddot": 45, "bstar": 54}
EXPONENT_SIGNS = {"nddot": 51, "bstar": 60}


@pytest.mark.parametrize("sign", ["+", " ", "0", "-"], ids=["plus", "blank", "zero", "minus"])
@pytest.mark.parametrize("element", list(MANTISSA_SIGNS))
def test_mantissa_sign_columns_read_as_python_sgp4_and_skyfield_do(tmp_path, element, sign):
    line1 = _signed(MARIO_1, MANTISSA_SIGNS[element], sign)
    satrec = _read(tmp_path, line1, MARIO_2).satrecs[0]

    _assert_python_sgp4_reads_the_same(satrec, line1, MARIO_2)
    unsigned = getattr(python_twoline2rv(MARIO_1, MARIO_2, wgs72), element)  # blank sign
    assert unsigned > 0.0
    expected = -unsigned if sign == "-" else unsigned
    assert getattr(satrec, element) == pytest.approx(expected, rel=SAME_PARSE_REL, abs=0.0)
    grid = _grid("2023-04-25T10:00:00Z")
    skyfield_km = _skyfield_km(line1, MARIO_2, grid)
    assert np.abs(_planner_km([satrec], grid)[0] - skyfield_km).max() < SAME_SGP4_KM


@pytest.mark.parametrize("sign", ["+", " ", "0", "-"], ids=["plus", "blank", "zero", "minus"])
@pytest.mark.parametrize("element", list(EXPONENT_SIGNS))
def test_exponent_sign_columns_read_as_python_sgp4_does(tmp_path, element, sign):
    line1 = _signed(MARIO_1, EXPONENT_SIGNS[element], sign)
    satrec = _read(tmp_path, line1, MARIO_2).satrecs[0]

    _assert_python_sgp4_reads_the_same(satrec, line1, MARIO_2)
    mantissa = {"nddot": 0.29408, "bstar": 0.15680}[element]
    exponent = {"nddot": 3, "bstar": 2}[element] * (-1 if sign == "-" else 1)
    scale = RAD_PER_MIN2_PER_REV_PER_DAY2 / 1440.0 if element == "nddot" else 1.0
    assert getattr(satrec, element) == pytest.approx(mantissa * 10.0**exponent * scale, rel=1e-12)


# --------------------------------------------------------------------------
# Blanks, line ends, names, missing checksums
# --------------------------------------------------------------------------

#: Blanks where python-sgp4's two readers both read the value the TLE means:
#: before a number's first digit, after its last decimal, anywhere in the
#: eccentricity (read as zeros).  Each is compared with python-sgp4's
#: pure-Python reader and Skyfield on the same lines; ``PADDED_VALUES`` gives
#: some of their values as the TLE format defines them.
PADDED_LINES = {
    "day padded left": (_signed(ISS_1, 19, "19  1.69339541"), ISS_2),
    "decimals padded right": (_signed(ISS_1, 34, " .0000176 "), ISS_2),
    "bstar padded right": (_signed(ISS_1, 54, " 3879 -4"), ISS_2),
    "angle padded left": (ISS_1, _signed(ISS_2, 35, "  7.6667")),
    "eccentricity blanks": (ISS_1, _signed(ISS_2, 27, "   7417")),
    "mean motion < 10": (ISS_1, _signed(ISS_2, 53, " 5.50103472")),
    "revolution number padded left": (ISS_1, _signed(ISS_2, 64, "  248")),
    "catalogue number padded left": (_signed(ISS_1, 3, "  544"), _signed(ISS_2, 3, "  544")),
    "alpha-5 catalogue number": (_signed(ISS_1, 3, "T5544"), _signed(ISS_2, 3, "T5544")),
}

PADDED_VALUES = {
    "eccentricity blanks": ("ecco", 0.0007417),
    "bstar padded right": ("bstar", 0.3879e-4),
    "mean motion < 10": ("no_kozai", 5.50103472 * 2.0 * math.pi / 1440.0),  # rad/min
    "catalogue number padded left": ("satnum", 544),
    "alpha-5 catalogue number": ("satnum", 27 * 10000 + 5544),  # T is the 27th: A=10, no I, O
}


@pytest.mark.parametrize("case", list(PADDED_LINES))
def test_blank_padding_reads_as_python_sgp4_and_skyfield_do(tmp_path, case):
    line1, line2 = PADDED_LINES[case]
    satrec = _read(tmp_path, line1, line2).satrecs[0]

    _assert_python_sgp4_reads_the_same(satrec, line1, line2)
    if case in PADDED_VALUES:
        element, value = PADDED_VALUES[case]
        assert getattr(satrec, element) == pytest.approx(value, rel=SAME_PARSE_REL)
    grid = _grid("2019-12-09T16:00:00Z")
    skyfield_km = _skyfield_km(line1, line2, grid)
    assert np.abs(_planner_km([satrec], grid)[0] - skyfield_km).max() < SAME_SGP4_KM


def test_line_ends_trailing_blanks_names_and_mixed_sets(tmp_path):
    """CR LF line ends, blanks after lines, padded and ``0 `` names, 2LE among 3LE."""
    path = tmp_path / "mixed.txt"
    text = (
        "MARIO                   \r\n"  # CelesTrak pads names to 24 columns
        f"{MARIO_1}   \r\n{MARIO_2}\t\r\n"
        f"{ISS_1}\r\n{ISS_2}\r\n"  # no name: a two-line set between three-line sets
        "\r\n"
        f"0 {HIGH_DRAG[0]}  \r\n{HIGH_DRAG[1]}\r\n{HIGH_DRAG[2]}  \r\n"
    )
    path.write_bytes(text.encode())

    element_set = read_element_file(path)

    assert element_set.names == ("MARIO", "25544", "HIGH-DRAG 45110")
    assert [s.satnum for s in element_set.satrecs] == [55123, 25544, 45110]
    for satrec, (line1, line2) in zip(
        element_set.satrecs, [(MARIO_1, MARIO_2), (ISS_1, ISS_2), HIGH_DRAG[1:]], strict=True
    ):
        _assert_python_sgp4_reads_the_same(satrec, line1, line2)


def test_lines_without_checksum_read_as_with_it(tmp_path):
    """68 columns: python-sgp4 and Skyfield read them; nothing is lost but the check."""
    line1, line2 = ISS_1[:68], ISS_2[:68]
    satrec = _read(tmp_path, line1, line2).satrecs[0]

    _assert_python_sgp4_reads_the_same(satrec, line1, line2)
    grid = _grid("2019-12-09T16:00:00Z")
    skyfield_km = _skyfield_km(ISS_1, ISS_2, grid)  # the full lines, checksums included
    assert np.abs(_planner_km([satrec], grid)[0] - skyfield_km).max() < SAME_SGP4_KM


# --------------------------------------------------------------------------
# Refusals: what python-sgp4 cannot read, or reads two ways
# --------------------------------------------------------------------------


def _python_sgp4_refuses(line1, line2) -> bool:
    try:
        python_twoline2rv(line1, line2, wgs72)
    except ValueError:
        return True
    return False


def _readers_disagree(line1, line2) -> bool:
    """python-sgp4's compiled reader (the planner's, Skyfield's) and its Python one differ."""
    if _python_sgp4_refuses(line1, line2):
        return True
    compiled, python = Satrec.twoline2rv(line1, line2), python_twoline2rv(line1, line2, wgs72)
    return (
        any(
            getattr(compiled, name) != pytest.approx(getattr(python, name), rel=SAME_PARSE_REL)
            for name in ELEMENTS
        )
        or abs(compiled.jdsatepoch + compiled.jdsatepochF - python.jdsatepoch) > EPOCH_DAYS
    )


def _checksum_hides(edited: str, original: str) -> bool:
    """The edit tallies like ``original``: a corrupted line would pass its checksum."""
    return edited != original and compute_checksum(edited) == compute_checksum(original)


#: Refused lines: (line 1, line 2, TLE line number, 1-based column, why it is ambiguous).
REFUSED = {
    "digit 1 as the ndot sign": (  # tallies like '-' and is read as 1.00787702
        _signed(MARIO_1, 34, "1"),
        MARIO_2,
        1,
        34,
        lambda l1, l2: _checksum_hides(l1, _put(MARIO_1, 34, "-")),
    ),
    "digit 1 as the bstar exponent sign": (  # "15680-2" read as 0.1568e12, checksum intact
        _put(MARIO_1, 60, "1"),
        MARIO_2,
        1,
        60,
        lambda l1, l2: _checksum_hides(l1, MARIO_1),
    ),
    "blank inside ndot": (_signed(MARIO_1, 38, " "), MARIO_2, 1, 38, _readers_disagree),
    "blank in the epoch year": (_signed(MARIO_1, 19, " "), MARIO_2, 1, 19, _readers_disagree),
    "blank exponent": (_signed(MARIO_1, 52, " "), MARIO_2, 1, 52, _python_sgp4_refuses),
    "blank bstar": (_signed(MARIO_1, 55, "     "), MARIO_2, 1, 55, _python_sgp4_refuses),
    "blank inside an angle": (ISS_1, _signed(ISS_2, 40, " "), 2, 40, _python_sgp4_refuses),
    "mean motion under 1 without its 0": (
        ISS_1,
        _signed(ISS_2, 53, "  "),
        2,
        54,
        _readers_disagree,
    ),
    "tab in the designator": (_signed(ISS_1, 13, "\t"), ISS_2, 1, 13, _readers_disagree),
    "minus in an angle": (  # '-' tallies like '1': "-51.6439" could be a corrupted "151.6439"
        ISS_1,
        _signed(ISS_2, 9, "-"),
        2,
        9,
        lambda l1, l2: _checksum_hides(l2, _put(ISS_2, 9, "1")),
    ),
    "alpha-5 I (the same number as J)": (
        _signed(ISS_1, 3, "I"),
        _signed(ISS_2, 3, "I"),
        1,
        3,
        lambda l1, l2: (
            Satrec.twoline2rv(l1, l2).satnum
            == Satrec.twoline2rv(_signed(l1, 3, "J"), _signed(l2, 3, "J")).satnum
        ),
    ),
    "corrupted checksum": (ISS_1, ISS_2[:-1] + "3", 2, 69, lambda l1, l2: True),
    "checksum not a digit": (ISS_1[:-1] + "X", ISS_2, 1, 69, lambda l1, l2: True),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_ambiguous_lines_are_refused_with_line_and_column(tmp_path, case):
    line1, line2, tle_line, column, ambiguous = REFUSED[case]
    assert ambiguous(line1, line2), "the case does not show what it claims"
    path = tmp_path / "sats.tle"
    path.write_text(f"SAT\n{line1}\n{line2}\n")

    with pytest.raises(ValueError) as caught:
        read_element_file(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: line {tle_line + 1}: ")
    assert f"column {column}" in message
    assert "\n" not in message


@pytest.mark.parametrize("length", [66, 67, 70])
def test_lines_cut_or_extended_are_refused(tmp_path, length):
    line1 = (ISS_1 + "0")[:length]
    with pytest.raises(ValueError, match=rf"line 1: .*69 characters .* this one {length}"):
        _read(tmp_path, line1, ISS_2)


def test_sign_refusal_says_what_to_write_from_the_command_line(tmp_path):
    (tmp_path / "bad.tle").write_text(f"{_signed(MARIO_1, 34, '1')}\n{MARIO_2}\n")
    (tmp_path / "bad.toml").write_text(
        '[scenario]\nname = "bad"\nepoch = "2023-04-25T10:00:00Z"\n\n'
        '[[element_sets]]\nname = "bad"\nfile = "bad.tle"\n'
    )
    result = run_cli("plan", "bad.toml", cwd=tmp_path)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "bad.tle: line 1: column 34 is '1'" in lines[0]
    assert "'+', '-', a blank or '0'" in lines[0]


PAIRS = {"ISS": (ISS_1, ISS_2), "MARIO": (MARIO_1, MARIO_2), "HIGH-DRAG": HIGH_DRAG[1:]}


@pytest.mark.parametrize("which", [0, 1], ids=["line1", "line2"])
@pytest.mark.parametrize("pair", list(PAIRS))
def test_only_python_sgp4s_checksum_is_accepted(tmp_path, pair, which):
    """Column 69 tried with every digit: only ``sgp4.io.compute_checksum``'s is read."""
    lines = list(PAIRS[pair])
    for digit in "0123456789":
        lines[which] = lines[which][:68] + digit
        if int(digit) == compute_checksum(lines[which]):
            assert _read(tmp_path, *lines).n_sats == 1
        else:
            with pytest.raises(ValueError, match=f"line {which + 1}: checksum '{digit}'"):
                _read(tmp_path, *lines)


def test_a_bare_zero_name_line_leaves_the_catalogue_number(tmp_path):
    """``0`` with no name after it (an empty three-line name) names no satellite."""
    assert _read(tmp_path, "0 ", ISS_1, ISS_2).names == ("25544",)


#: Epoch days (columns 21-32) against the TLE format's day of the year: day 1.0 is
#: 1 January 00:00 UTC, so a year's days run from 1.0 to before 366.0, or 367.0 in a
#: leap year (CelesTrak, T.S. Kelso, "FAQs: Two-Line Element Set Format").  Year, day,
#: and whether it is a day of that year.
EPOCH_DAYS_OF_THE_YEAR = {
    "day 1 of 2019": ("19", "001.00000000", True),
    "last instant of 2019": ("19", "365.99999999", True),
    "day 366 of 2020, a leap year": ("20", "366.50000000", True),
    "day 0 of 2019": ("19", "000.50000000", False),
    "day 366 of 2019": ("19", "366.00000000", False),
    "day 367 of 2020": ("20", "367.00000000", False),
    "day 999 of 2019": ("19", "999.99999999", False),
}


@pytest.mark.parametrize("case", list(EPOCH_DAYS_OF_THE_YEAR))
def test_an_epoch_day_outside_its_year_is_refused(tmp_path, case):
    """python-sgp4 reads any three digits (day 999 of 2019 as 2021-09-25): a corrupted day
    whose checksum still matches would move the epoch by up to years unnoticed.  A day of
    the year is read as 1 January of the year plus the day less one, by ``datetime``."""
    import datetime

    year, day, valid = EPOCH_DAYS_OF_THE_YEAR[case]
    line1 = _signed(ISS_1, 19, year + day)
    if valid:
        (satrec,) = _read(tmp_path, "ISS", ISS_1, ISS_2, "ISS", line1, ISS_2).satrecs[1:]
        start = datetime.datetime(2000 + int(year), 1, 1, tzinfo=datetime.UTC)
        unix_days = (start - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)).days
        expected_jd = 2440587.5 + unix_days + float(day) - 1.0  # JD of 1970-01-01 00:00
        assert satrec.jdsatepoch + satrec.jdsatepochF == pytest.approx(expected_jd, abs=EPOCH_DAYS)
    else:
        # after a good set, so that the whole-file reading gives way to the set-by-set one
        with pytest.raises(ValueError, match=rf"line 5: the epoch day '{day}' \(columns 21-32\)"):
            _read(tmp_path, "ISS", ISS_1, ISS_2, "ISS", line1, ISS_2)

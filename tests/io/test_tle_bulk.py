"""The whole-file TLE check accepts exactly what the line-by-line check accepts.

The reader checks a TLE file at once (``constellations.io.tle_layout.lines_fit``
over a byte array of every line, then ``Satrec.twoline2rv`` on each pair) and
reads a file that fails again set by set, which names the first problem.  The
authority here is that line-by-line check (``_check_tle_line``, a regular
expression per line, pinned against python-sgp4's two readers in
``tests/io/test_tle_lines.py``): every edit of every column of real lines, and
every padding of every numeric field, must be taken or refused by both alike,
and a refused file must give the message the line-by-line reader gives.

Lines: the ISS of 2019-12-09 (python-sgp4's README), CelesTrak's MARIO (NORAD
55123, every element non-zero) and HIGH-DRAG 45110 from Mike McCants'
classfd.tle (project issue 13), as in ``tests/io/test_tle_lines.py``.
"""

import gc
import itertools
import string

import numpy as np
import pytest
from helpers import ISS_TLE
from sgp4.io import fix_checksum

from constellations.io import omm
from constellations.io.tle_layout import (
    TLE_DATA_COLUMNS,
    TLE_LINE1_FIELDS,
    TLE_LINE2_FIELDS,
    TLE_LINE_COLUMNS,
    lines_fit,
)

ISS = ISS_TLE
MARIO = (
    "1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999",
    "2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396",
)
HIGH_DRAG = (
    "1 45110U 20007A   23232.80903846 0.00110000  00000-0  32750-2 0    04",
    "2 45110  69.9913 111.5649 0009740 159.9373 200.0626 15.34502222    06",
)
FIELDS = (TLE_LINE1_FIELDS, TLE_LINE2_FIELDS)
#: Every digit and a character of every other class the layout tells apart (blank, signs,
#: point, Alpha-5 letters and the letters I and O it leaves out, lower case, other
#: printable ASCII), a tab and one beyond ASCII (Latin-1 in the byte array).
CHARACTERS = string.digits + " +-.ATZIOa#\t\xe9"


def _line_fits(line: str, fields: tuple) -> bool:
    """The line-by-line check's verdict on one line."""
    try:
        omm._check_tle_line(line, fields, 1, "f.tle")
    except ValueError:
        return False
    return True


def _bulk_fits(lines: list, fields: tuple) -> np.ndarray:
    """The reader's whole-file verdict on ``lines`` (taken, as it takes them, without
    trailing blanks): 68 or 69 characters, then ``lines_fit`` on the byte array."""
    lines = [line.rstrip() for line in lines]
    length_ok = np.array([len(line) in (TLE_DATA_COLUMNS, TLE_LINE_COLUMNS) for line in lines])
    data = "".join(line[:TLE_LINE_COLUMNS].ljust(TLE_LINE_COLUMNS) for line in lines)
    array = np.frombuffer(data.encode("latin-1"), np.uint8).reshape(-1, TLE_LINE_COLUMNS)
    return length_ok & lines_fit(array, fields)


def _edits(line: str) -> list:
    """``line`` with each column replaced by each of :data:`CHARACTERS`, the checksum
    recomputed by ``sgp4.io.fix_checksum`` and left as it was, and without a checksum."""
    edited = []
    for column, char in itertools.product(range(TLE_LINE_COLUMNS), CHARACTERS):
        new = line[:column] + char + line[column + 1 :]
        edited.append(new)
        if column < TLE_DATA_COLUMNS:
            edited.append(new[:TLE_DATA_COLUMNS])
            if char.isascii():
                edited.append(fix_checksum(new))
    return edited


@pytest.mark.parametrize("which", [0, 1], ids=["line1", "line2"])
@pytest.mark.parametrize("pair", [ISS, MARIO], ids=["ISS", "MARIO"])
def test_every_character_in_every_column_is_judged_alike(pair, which):
    lines = _edits(pair[which])
    expected = [_line_fits(line.rstrip(), FIELDS[which]) for line in lines]

    bulk = _bulk_fits(lines, FIELDS[which])

    disagree = [line for line, a, b in zip(lines, expected, bulk, strict=True) if a != b]
    assert not disagree, disagree[:3]
    assert 0 < sum(expected) < len(expected)  # both verdicts occur


def _paddings(field) -> list:
    """Every text of ``field``'s width over blanks, digits and (satellite numbers) letters."""
    width = field.stop - field.start
    alphabet = (" 5" if width > 5 else " 05") + ("TI" if field.kind == "satnum" else "")
    return ["".join(chars) for chars in itertools.product(alphabet, repeat=width)]


@pytest.mark.parametrize("which", [0, 1], ids=["line1", "line2"])
def test_every_padding_of_every_field_is_judged_alike(which):
    fields = FIELDS[which]
    base = ISS[which][:TLE_DATA_COLUMNS]
    lines = []
    for field in fields:
        if field.kind != "literal":
            lines += [
                fix_checksum(base[: field.start] + text + base[field.stop :] + "0")
                for text in _paddings(field)
            ]
    expected = [_line_fits(line.rstrip(), fields) for line in lines]

    bulk = _bulk_fits(lines, fields)

    disagree = [line for line, a, b in zip(lines, expected, bulk, strict=True) if a != b]
    assert not disagree, disagree[:3]
    assert 0 < sum(expected) < len(expected)


def _file(tmp_path, text: str):
    path = tmp_path / "sats.tle"
    path.write_bytes(text.encode())
    return path


def _per_set_message(path) -> str:
    with pytest.raises(ValueError) as caught:
        omm._satrecs_from_tle_per_set(path.read_bytes().decode(), path)
    return str(caught.value)


#: One bad character in a field of each kind, and files whose sets do not pair up.
BAD = {
    "literal": (1, 9, "X"),
    "satnum": (1, 4, "A"),
    "text": (1, 10, "\t"),
    "digits": (1, 19, " "),
    "whole": (2, 10, " "),
    "count": (1, 63, "X"),
    "decimals": (2, 14, " "),
    "zeros": (2, 28, "O"),
    "sign": (1, 34, "1"),
    "checksum": (2, 69, "0"),
    "beyond ASCII": (2, 30, "\xe9"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_character_in_each_field_kind_gives_the_line_by_line_message(tmp_path, case):
    tle_line, column, char = BAD[case]
    sets = [list(ISS), list(MARIO), list(HIGH_DRAG)]
    line = sets[1][tle_line - 1]
    sets[1][tle_line - 1] = line[: column - 1] + char + line[column:]
    path = _file(tmp_path, "".join(f"SAT {i}\n{a}\n{b}\n" for i, (a, b) in enumerate(sets)))

    with pytest.raises(ValueError) as caught:
        omm.read_element_file(path)

    assert str(caught.value) == _per_set_message(path)
    assert f"line {3 + 1 + tle_line}: " in str(caught.value)  # the second set's line


STRUCTURES = {
    "line 2 missing": f"{ISS[0]}\n{MARIO[0]}\n{MARIO[1]}\n",
    "name last": f"{ISS[0]}\n{ISS[1]}\nLONELY\n",
    "two names": f"A\nB\n{ISS[0]}\n{ISS[1]}\n",
    "line 2 first": f"{ISS[1]}\n{ISS[0]}\n",
    "different satellites": f"{ISS[0]}\n{MARIO[1]}\n",
    "line cut short": f"{ISS[0]}\n{ISS[1][:60]}\n",
    "name only": "JUST A NAME\n",
}


@pytest.mark.parametrize("case", list(STRUCTURES))
def test_sets_that_do_not_pair_up_give_the_line_by_line_message(tmp_path, case):
    path = _file(tmp_path, STRUCTURES[case])

    with pytest.raises(ValueError) as caught:
        omm.read_element_file(path)

    assert str(caught.value) == _per_set_message(path)


def test_a_readable_file_reads_in_bulk_as_set_by_set(tmp_path):
    """Names beyond ASCII and starting ``2 ``, ``0 `` names, two-line sets, CR LF and lone
    CR line ends, blank lines, trailing blanks, lines without checksum."""
    text = (
        f"2 ÉTOILE \r\n{ISS[0]}\r\n{ISS[1]}\r\n\r\n"
        f"{MARIO[0][:68]}  \r{MARIO[1]}\r"
        f"0 HIGH-DRAG\n{HIGH_DRAG[0]}\n{HIGH_DRAG[1][:68]}\n   \n"
        f"0\n{ISS[0]}\n{ISS[1]}"
    )
    bulk = omm._tle_sets_in_bulk(text)
    satrecs, names = omm._satrecs_from_tle_per_set(text, "f.tle")

    assert bulk is not None
    assert bulk[1] == names == ["2 ÉTOILE", "55123", "HIGH-DRAG", "25544"]
    for ours, theirs in zip(bulk[0], satrecs, strict=True):
        assert (ours.satnum, ours.jdsatepoch, ours.jdsatepochF) == (
            theirs.satnum,
            theirs.jdsatepoch,
            theirs.jdsatepochF,
        )
        for name in ("ndot", "nddot", "bstar", "inclo", "nodeo", "ecco", "argpo", "mo", "no_kozai"):
            assert getattr(ours, name) == getattr(theirs, name), name


def test_sgp4_refusing_elements_gives_the_line_by_line_message(tmp_path):
    """An eccentricity of 0.9999999 (SGP4's error 4 at 15.5 rev/day) passes the layout
    check."""
    line2 = fix_checksum(ISS[1][:26] + "9999999" + ISS[1][33:])
    path = _file(tmp_path, f"{MARIO[0]}\n{MARIO[1]}\n{ISS[0]}\n{line2}\n")

    with pytest.raises(ValueError, match="lines 3-4: SGP4 refuses") as caught:
        omm.read_element_file(path)

    assert str(caught.value) == _per_set_message(path)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_reading_and_left_as_it_was(tmp_path, monkeypatch, enabled):
    """Every ``Satrec`` is made with the cyclic collector paused, and the collector is as it
    was after a file read and after one refused (from the set-by-set reader)."""
    paused = []
    real = omm.Satrec

    class Spy:
        @staticmethod
        def twoline2rv(line1, line2):
            paused.append(not gc.isenabled())
            return real.twoline2rv(line1, line2)

    monkeypatch.setattr(omm, "Satrec", Spy)
    good = _file(tmp_path, f"{ISS[0]}\n{ISS[1]}\n")
    bad = tmp_path / "bad.tle"
    bad.write_text(f"{MARIO[0]}\n{MARIO[1]}\n{ISS[0]}\n{ISS[1][:-1]}0\n")
    (gc.enable if enabled else gc.disable)()
    try:
        omm.read_element_file(good)
        after_good = gc.isenabled()
        with pytest.raises(ValueError, match="line 4: checksum"):
            omm.read_element_file(bad)
        after_bad = gc.isenabled()
    finally:
        gc.enable()
    assert after_good == after_bad == enabled
    assert len(paused) == 2 and all(paused)  # the good file's set, and MARIO's set by set

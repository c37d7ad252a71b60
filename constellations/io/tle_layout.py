"""The TLE line layout, field by field, and its check over many lines at once.

A TLE line's 68 columns before the checksum are fields of fixed columns
(:data:`TLE_LINE1_FIELDS`, :data:`TLE_LINE2_FIELDS`), each of a kind that says
what it may hold.  :func:`lines_fit` checks a whole file's lines as one
``(n, 69)`` byte array: a lookup table gives each byte's character class, each
column allows a set of classes, literals are compared byte for byte, and for
fields whose blanks may only pad one side each pair of neighbouring columns is
checked.  It accepts exactly the lines that the per-line regular expression of
``constellations.io.omm`` (built from the same fields) accepts, which
``tests/io/test_tle_bulk.py`` checks character by character; the reader
diagnoses a refused line with the per-line code, for the message.

Sources: the TLE format as python-sgp4 reads it (``sgp4.io.twoline2rv``, fixed
columns; ``sgp4.io.compute_checksum`` for the checksum).
"""

from typing import NamedTuple

import numpy as np


class TleField(NamedTuple):
    """Columns ``start:stop`` (0-based) of a TLE line and the kind of text they hold."""

    name: str
    start: int
    stop: int
    kind: str
    text: str = ""  # a literal's text


#: Columns of a TLE line before its checksum, which is column 69.
TLE_DATA_COLUMNS = 68


def tle_fields(*specs) -> tuple:
    """Fields from ``(literal, start)`` or ``(name, start, kind)``, each up to the next."""
    stops = [spec[1] for spec in specs[1:]] + [TLE_DATA_COLUMNS]
    return tuple(
        TleField(repr(spec[0]), spec[1], stop, "literal", spec[0])
        if len(spec) == 2
        else TleField(spec[0], spec[1], stop, spec[2])
        for spec, stop in zip(specs, stops, strict=True)
    )


#: The fields of TLE lines 1 and 2 by kind, such that python-sgp4's two
#: parsers, the compiled ``Satrec.twoline2rv`` (``sscanf`` after patching
#: blanks) and the pure-Python ``sgp4.io.twoline2rv`` (fixed columns), both
#: read each field as the value the TLE format means:
#:
#: * ``literal``: exactly its text (the line number, separating blanks, points);
#: * ``satnum``: digits after any leading blanks, or an Alpha-5 letter (A-Z
#:   without I and O) and four digits;
#: * ``text``: printable ASCII (classification, international designator);
#: * ``digits``: digits only: a blank in a two-digit year or an exponent is
#:   skipped by ``sscanf``, which then reads the next column;
#: * ``whole``: digits after any leading blanks, at least one; ``count`` the
#:   same or all blank (ephemeris type, revolution number; neither enters SGP4);
#: * ``decimals``: digits before any trailing blanks, at least one (a blank
#:   inside a number makes ``sscanf`` stop there and read the rest as the next
#:   field, where ``sgp4.io`` refuses the line);
#: * ``zeros``: digits or blanks, a blank read as 0 by both (eccentricity);
#: * ``sign``: ``+``, ``-``, a blank or ``0``.  Both parsers read the sign
#:   column as part of the number, so ``0`` (some catalogues write the first
#:   derivative ``0.00110000``) is ``+`` and tallies like it in the checksum;
#:   another digit would change the number, and ``1`` tallies like ``-``.
TLE_LINE1_FIELDS = tle_fields(
    ("1 ", 0),
    ("the satellite number", 2, "satnum"),
    ("the classification", 7, "text"),
    (" ", 8),
    ("the international designator", 9, "text"),
    (" ", 17),
    ("the epoch year", 18, "digits"),
    ("the epoch's whole day", 20, "whole"),
    (".", 23),
    ("the epoch day's decimals", 24, "decimals"),
    (" ", 32),
    ("the sign of the first derivative of mean motion", 33, "sign"),
    (".", 34),
    ("the first derivative of mean motion", 35, "decimals"),
    (" ", 43),
    ("the sign of the second derivative of mean motion", 44, "sign"),
    ("the second derivative's mantissa", 45, "decimals"),
    ("the second derivative's exponent sign", 50, "sign"),
    ("the second derivative's exponent", 51, "digits"),
    (" ", 52),
    ("BSTAR's sign", 53, "sign"),
    ("BSTAR's mantissa", 54, "decimals"),
    ("BSTAR's exponent sign", 59, "sign"),
    ("BSTAR's exponent", 60, "digits"),
    (" ", 61),
    ("the ephemeris type", 62, "count"),
    (" ", 63),
    ("the element set number", 64, "whole"),
)
TLE_LINE2_FIELDS = tle_fields(
    ("2 ", 0),
    ("the satellite number", 2, "satnum"),
    (" ", 7),
    ("the inclination's whole degrees", 8, "whole"),
    (".", 11),
    ("the inclination's decimals", 12, "decimals"),
    (" ", 16),
    ("the node's whole degrees", 17, "whole"),
    (".", 20),
    ("the node's decimals", 21, "decimals"),
    (" ", 25),
    ("the eccentricity", 26, "zeros"),
    (" ", 33),
    ("the argument of perigee's whole degrees", 34, "whole"),
    (".", 37),
    ("the argument of perigee's decimals", 38, "decimals"),
    (" ", 42),
    ("the mean anomaly's whole degrees", 43, "whole"),
    (".", 46),
    ("the mean anomaly's decimals", 47, "decimals"),
    (" ", 51),
    ("the mean motion's whole revolutions", 52, "whole"),
    (".", 54),
    ("the mean motion's decimals", 55, "decimals"),
    ("the revolution number", 63, "count"),
)

DIGITS = frozenset("0123456789")
ALPHA5_LETTERS = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ")
#: Characters a field of each kind may hold in any column.
TLE_CHARACTERS = {
    "text": frozenset(chr(code) for code in range(0x20, 0x7F)),
    "digits": DIGITS,
    "zeros": DIGITS | {" "},
    "sign": frozenset("+- 0"),
}

#: Columns of a line's array in :func:`lines_fit`: the data columns and the checksum.
TLE_LINE_COLUMNS = TLE_DATA_COLUMNS + 1
_BLANK = ord(" ")


#: Character classes, one bit each, of every byte: what a column may hold is a set of classes.
_ZERO, _DIGIT, _BLANK_CLASS, _SIGN, _ALPHA5, _OTHER = 1, 2, 4, 8, 16, 32


def _character_classes() -> np.ndarray:
    """Each byte's class bit: zero, other digit, blank, sign, Alpha-5 letter, other
    printable ASCII; 0 (nothing a TLE column holds) for the rest."""
    classes = np.zeros(256, dtype=np.uint8)
    classes[0x20:0x7F] = _OTHER
    for char, bit in [("0", _ZERO), (" ", _BLANK_CLASS), ("+", _SIGN), ("-", _SIGN)]:
        classes[ord(char)] = bit
    classes[[ord(char) for char in "123456789"]] = _DIGIT
    classes[[ord(char) for char in ALPHA5_LETTERS]] = _ALPHA5
    return classes


_CLASS = _character_classes()


def _classes(chars) -> int:
    """The class bits that cover exactly ``chars`` (checked: no class is split)."""
    bits = int(np.bitwise_or.reduce(_CLASS[[ord(char) for char in chars]]))
    covered = {chr(code) for code in range(256) if _CLASS[code] & bits}
    if covered != set(chars):
        raise ValueError(f"character classes do not cover exactly {sorted(chars)}")
    return bits


class _LineTables(NamedTuple):
    """One line's layout as arrays: what each column may hold, and the padding rules."""

    classes: np.ndarray  # (68,) uint8: the class bits column c may hold
    literal_columns: np.ndarray  # columns that hold one given character...
    literal_bytes: np.ndarray  # ...this one
    no_blank_after: np.ndarray  # columns c whose non-blank forbids a blank in c + 1
    no_blank_before: np.ndarray  # columns c whose blank forbids a non-blank in c + 1
    filled: np.ndarray  # columns that may not be blank


def _line_tables(fields: tuple) -> _LineTables:
    """The arrays of :func:`lines_fit` for ``fields``, from each field's kind.

    ``whole``, ``count`` and ``satnum`` fields pad only on the left (a
    non-blank is never followed by a blank), ``decimals`` only on the right
    (a blank is never followed by a non-blank); ``whole`` and ``satnum`` end
    on a non-blank, ``decimals`` start on one.  An Alpha-5 letter may stand
    only in a satellite number's first column, and counts as a non-blank.
    """
    classes = np.zeros(TLE_DATA_COLUMNS, dtype=np.uint8)
    literal_columns, literal_bytes, after, before, filled = [], [], [], [], []
    padded = DIGITS | {" "}
    for field in fields:
        columns = range(field.start, field.stop)
        if field.kind == "literal":
            literal_columns.extend(columns)
            literal_bytes.extend(field.text.encode("ascii"))
            classes[field.start : field.stop] = 0xFF  # any class: compared byte for byte
            continue
        classes[field.start : field.stop] = _classes(TLE_CHARACTERS.get(field.kind, padded))
        pairs = range(field.start, field.stop - 1)
        if field.kind == "satnum":
            classes[field.start] = _classes(padded | ALPHA5_LETTERS)
        if field.kind in ("whole", "count", "satnum"):
            after.extend(pairs)
        if field.kind in ("whole", "satnum"):
            filled.append(field.stop - 1)
        if field.kind == "decimals":
            before.extend(pairs)
            filled.append(field.start)
    return _LineTables(
        classes,
        np.array(literal_columns),
        np.array(literal_bytes, dtype=np.uint8),
        np.array(after),
        np.array(before),
        np.array(filled),
    )


_TABLES = {fields: _line_tables(fields) for fields in (TLE_LINE1_FIELDS, TLE_LINE2_FIELDS)}

#: Each byte's character class (low byte) and part in the TLE checksum (high byte:
#: a digit its value, ``-`` 1, anything else 0, as ``sgp4.io.compute_checksum``).
_LOOKUP = _CLASS.astype(np.uint16)
_LOOKUP[[ord(digit) for digit in "0123456789"]] += np.arange(10, dtype=np.uint16) << 8
_LOOKUP[ord("-")] += 1 << 8


def lines_fit(lines: np.ndarray, fields: tuple) -> np.ndarray:
    """Which lines hold what ``fields`` allow in columns 1-68 and a valid column 69.

    ``lines`` is a ``(n, 69)`` ``uint8`` array of ASCII lines, a line of 68
    characters padded with a blank in column 69 (no checksum, which is
    allowed).  A checksum present must be the one of ``sgp4.io.compute_checksum``.
    Returns a ``(n,)`` bool array.  Lines that fail are not diagnosed here.
    """
    data = lines[:, :TLE_DATA_COLUMNS]
    tables = _TABLES[fields]
    looked_up = _LOOKUP.take(data)
    fit = ((looked_up.astype(np.uint8) & tables.classes) != 0).all(axis=1)
    fit &= (data[:, tables.literal_columns] == tables.literal_bytes).all(axis=1)
    blank = data == _BLANK
    after, before = tables.no_blank_after, tables.no_blank_before
    fit &= ~(~blank[:, after] & blank[:, after + 1]).any(axis=1)
    fit &= ~(blank[:, before] & ~blank[:, before + 1]).any(axis=1)
    fit &= ~blank[:, tables.filled].any(axis=1)
    checksum = lines[:, TLE_DATA_COLUMNS]
    expected = (looked_up >> 8).sum(axis=1) % 10 + ord("0")
    return fit & ((checksum == _BLANK) | (checksum == expected))

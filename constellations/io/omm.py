"""OMM and TLE interop: element files in, Walker shells out as OMM.

Reading (:func:`read_element_file`) turns a CelesTrak-style OMM file (JSON,
CSV or CCSDS NDM XML) or a TLE file (two-line or three-line) into an
:class:`~constellations.model.constellation.ElementSet`, the alternative to a Walker shell.
OMM records go through python-sgp4's own ``sgp4.omm`` parsers and
``sgp4.omm.initialize``'s arithmetic; TLE lines through ``Satrec.twoline2rv``
after each field and the checksum are checked here: the compiled ``twoline2rv``
reads anything, often as another value, so a line is taken only in forms that
it and python-sgp4's pure-Python ``sgp4.io.twoline2rv`` both read as the TLE
means.  A file is checked whole, field by field over every set at once
(``constellations.io.tle_layout.lines_fit`` for TLE lines); only a file that
fails is read set by set, for a message that names the first problem.

Writing (:func:`shell_omm_records`, :func:`write_omm`) exports a resolved
Walker shell as OMM records with the keys of ``sgp4.exporter.export_omm``,
floats at full precision, so that the file read back propagates to the
planner's own positions (to well under a millimetre).

Every problem with a file raises ``ValueError`` with one line that names the
file and says what to fix.
"""

import csv
import datetime
import gc
import io
import json
import math
import re
import reprlib
import sys
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from operator import attrgetter, itemgetter
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sgp4.api import SGP4_ERRORS, WGS72, Satrec
from sgp4.omm import initialize, parse_csv, parse_xml

from constellations.errors import ScenarioError
from constellations.io.atomic import atomic_write
from constellations.io.tle_layout import (
    ALPHA5_LETTERS,
    DIGITS,
    TLE_CHARACTERS,
    TLE_DATA_COLUMNS,
    TLE_LINE1_FIELDS,
    TLE_LINE2_FIELDS,
    TLE_LINE_COLUMNS,
    TleField,
    lines_fit,
)
from constellations.model.constellation import ElementSet
from orbital.constants import SGP4_MAX_SATNUM
from orbital.sgp4_bounds import satrec_columns
from orbital.times import Epoch

#: Keys of an OMM record, in the order ``sgp4.exporter.export_omm`` gives them,
#: grouped as the CCSDS NDM/XML blocks hold them.
OMM_METADATA_KEYS = (
    "OBJECT_NAME",
    "OBJECT_ID",
    "CENTER_NAME",
    "REF_FRAME",
    "TIME_SYSTEM",
    "MEAN_ELEMENT_THEORY",
)
OMM_MEAN_ELEMENT_KEYS = (
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
)
OMM_TLE_PARAMETER_KEYS = (
    "EPHEMERIS_TYPE",
    "CLASSIFICATION_TYPE",
    "NORAD_CAT_ID",
    "ELEMENT_SET_NO",
    "REV_AT_EPOCH",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)
OMM_KEYS = OMM_METADATA_KEYS + OMM_MEAN_ELEMENT_KEYS + OMM_TLE_PARAMETER_KEYS

#: Fields ``sgp4.omm.initialize`` reads: an OMM record without one is refused.
OMM_REQUIRED_KEYS = ("OBJECT_ID",) + OMM_MEAN_ELEMENT_KEYS + OMM_TLE_PARAMETER_KEYS

#: File extensions read by :func:`read_element_file` and written by :func:`write_omm`.
OMM_EXTENSIONS = (".json", ".csv", ".xml")
TLE_EXTENSIONS = (".tle", ".txt")

#: The EPOCH layout ``sgp4.omm.initialize`` parses (UTC, microseconds).
OMM_EPOCH_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"

#: OBJECT_ID of planned satellites: launch number 000 is never assigned, so it
#: cannot be mistaken for a catalogued object.
PLANNED_OBJECT_ID_FORMAT = "{year}-000A"

#: ELEMENT_SET_NO of generated element sets: 999, the number CelesTrak's GP
#: element sets carry (see the ISS TLE in python-sgp4's README).
GENERATED_ELEMENT_SET_NO = 999

#: SGP4's units: degrees per radian and revolutions per day per rad/min,
#: the same expressions as ``sgp4.exporter`` so values round-trip through
#: ``sgp4.omm.initialize`` to the last bit or two.
_DEG2RAD = math.pi / 180.0
_REV_DAY_PER_RAD_MIN = 1440.0 / (2.0 * math.pi)

#: The schema CelesTrak's NDM XML names.  Its elements have no XML namespace,
#: which ``sgp4.omm.parse_xml`` relies on (it finds ``.//segment``).
_NDM_SCHEMA = "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd"


def _accepted() -> str:
    return f"{', '.join(OMM_EXTENSIONS)} (OMM) or {', '.join(TLE_EXTENSIONS)} (TLE)"


def _fail(path, problem: str) -> ScenarioError:
    """A ``ScenarioError`` (a ``ValueError``) naming ``path``, on one line."""
    return ScenarioError(" ".join(f"{path}: {problem}".splitlines()))


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_element_file(path, name: str | None = None) -> ElementSet:
    """Satellites of an OMM (``.json``, ``.csv``, ``.xml``) or TLE (``.tle``, ``.txt``) file.

    The format follows the extension.  OMM JSON is a list of records as
    CelesTrak serves them (a single record is accepted too); OMM CSV has a
    header row of field names; OMM XML is CCSDS NDM.  TLE files hold
    two-line sets, optionally each after a name line (``0 NAME`` accepted).
    The set is called ``name`` (default: the file's stem), ``source`` is
    ``str(path)`` and ``names`` are the OBJECT_NAMEs (TLE name lines), or
    catalogue numbers where there is no name.  Catalogue numbers above
    339999 are passed to SGP4 modulo 340000, as the planner does for its own.

    Raises ``ValueError`` (one line naming the file) for a missing file, an
    unknown extension, a malformed file, an incomplete OMM record, a bad TLE
    line, elements SGP4 refuses, or a file with no satellites.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in OMM_EXTENSIONS + TLE_EXTENSIONS:
        raise _fail(path, f"unknown extension {file.suffix!r}; element files end in {_accepted()}")
    if file.is_dir():
        raise _fail(path, "is a folder; give an OMM or TLE file inside it")
    if not file.is_file():
        raise _fail(path, "no such file; check the path and the working folder")
    data = _read_bytes(file, path)
    if not data.strip():
        raise _fail(path, "is empty; it holds no satellites")
    with _collector_paused():
        if suffix in TLE_EXTENSIONS:
            satrecs, names = _satrecs_from_tle(_decode(data, path), path)
        else:
            satrecs, names = _satrecs_from_omm(_omm_records(suffix, data, path), path)
    return ElementSet(name or file.stem, tuple(satrecs), tuple(names), source=str(path))


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused for the block, then as it was.

    A file's sets become tens of thousands of objects the collector tracks
    (``Satrec``, JSON records, tuples of fields), none of them in a reference
    cycle; left running, the collector passes over young objects every 700 of
    them and over every object of the process now and then: 70-90 ms of the
    reading of 10,361 TLE sets after the planner's imports, more than the
    layout check (docs/design.md, "Element-set files").  Cycles made meanwhile
    (an exception's traceback) are collected at its next pass.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_bytes(file: Path, path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror}); check its permissions") from None


def _decode(data: bytes, path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            path, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 or ASCII"
        ) from None


def _omm_records(suffix: str, data: bytes, path) -> list:
    """Raw OMM records (dicts of field name to value) of a ``.json``, ``.csv`` or ``.xml`` file."""
    if suffix == ".json":
        records = _json_records(_decode(data, path), path)
    elif suffix == ".csv":
        records = _csv_records(_decode(data, path), path)
    else:
        records = _xml_records(data, path)
    if not records:
        raise _fail(path, f"holds no OMM records, so no satellites; {_what_omm(suffix)}")
    return records


def _what_omm(suffix: str) -> str:
    return {
        ".json": "expected a JSON list of OMM objects, as CelesTrak serves with FORMAT=json",
        ".csv": "expected a header row of OMM field names and one row per satellite",
        ".xml": "expected CCSDS NDM XML with <segment> elements and no XML namespace",
    }[suffix]


def _json_records(text: str, path) -> list:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            path,
            f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "fix the file (OMM JSON is a list of objects)",
        ) from None
    except ValueError:  # a number longer than Python reads (sys.get_int_max_str_digits)
        raise _fail(
            path,
            f"holds a number of more than {sys.get_int_max_str_digits():,} digits, which no "
            "OMM field takes; fix the file",
        ) from None
    records = [value] if isinstance(value, dict) else value
    if not isinstance(records, list):
        raise _fail(path, f"holds a JSON {_json_type(value)}; OMM JSON is a list of objects")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise _fail(
                path,
                f"OMM record at index {index} is a JSON {_json_type(record)}, not an object "
                "of OMM fields; fix or remove it",
            )
    return records


def _json_type(value) -> str:
    """The JSON Schema type name of ``value`` as ``json.loads`` read it (not Python's)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _csv_records(text: str, path) -> list:
    try:
        return list(parse_csv(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _fail(path, f"is not valid CSV ({exc}); fix the file") from None


def _xml_records(data: bytes, path) -> list:
    records = []
    try:
        for record in parse_xml(io.BytesIO(data)):
            records.append(record)
    except ET.ParseError as exc:
        raise _fail(path, f"is not well-formed XML ({exc}); fix the file") from None
    except (AttributeError, TypeError):
        raise _fail(
            path,
            f"OMM <segment> at index {len(records)} lacks a <metadata>, <data><meanElements> "
            "or <data><tleParameters> block; add it",
        ) from None
    return records


def _satrecs_from_omm(records: list, path) -> tuple[list, list]:
    """``Satrec`` and name of every OMM record, in file order.

    The records are checked field by field over all records at once
    (:func:`_omm_sets_in_bulk`); a file that fails is read again record by
    record, which stops at the first problem and names its record and field.
    """
    sets = _omm_sets_in_bulk(records)
    return sets if sets is not None else _satrecs_from_omm_per_record(records, path)


#: The EPOCH texts the bulk path reads (``_sgp4_epoch_text`` applied): the form
#: ``OMM_EPOCH_FORMAT`` parses, every field in range; others are read record by record.
_OMM_EPOCH_PATTERN = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{1,6}"
)
#: SGP4's epoch origin, 1949 December 31 00:00 UTC, as ``sgp4.omm`` counts from it.
_SGP4_EPOCH0 = np.datetime64("1949-12-31T00:00:00", "us")
#: ``sgp4.omm``'s units of the mean motion's derivatives (rev/day^2 and rev/day^3 per
#: rad/min^2 and rad/min^3), the same expressions so that values agree to the bit.
_NDOT_UNITS = 1036800.0 / math.pi
_NDDOT_UNITS = 2985984000.0 / 2.0 / math.pi


def _omm_sets_in_bulk(records: list) -> tuple[list, list] | None:
    """What :func:`_satrecs_from_omm_per_record` returns, or ``None`` where it might raise.

    Each field is taken as a column: numbers through ``float`` (as
    ``sgp4.omm.initialize`` takes them) and checked finite at once, whole
    numbers through ``int``, epochs by one pattern and numpy's ``datetime64``;
    then each record's ``Satrec`` is initialised with the arithmetic of
    ``sgp4.omm.initialize``, so that it is the same to the bit.  Values the
    record-by-record reader would also take in other forms (a whole number
    written ``5.0``, an epoch without its fraction's digits) return ``None``.
    """
    try:  # a record without a field is read record by record, which names it
        rows = list(map(itemgetter(*OMM_REQUIRED_KEYS), records))
    except KeyError:
        return None
    column = dict(zip(OMM_REQUIRED_KEYS, map(list, zip(*rows, strict=True)), strict=True))
    numbers = {key: _float_column(column[key]) for key in _OMM_NUMBERS}
    whole = {key: _int_column(column[key], *_OMM_WHOLE_NUMBERS[key]) for key in _OMM_WHOLE_NUMBERS}
    epochs = _epoch_column(column["EPOCH"])
    classes, ids = column["CLASSIFICATION_TYPE"], column["OBJECT_ID"]
    if (
        any(value is None for value in (*numbers.values(), *whole.values(), epochs))
        or not all(np.all(within(numbers[key])) for key, (within, _) in _OMM_RANGES.items())
        or not all(isinstance(c, str) and len(c) == 1 and c.isascii() and not c.isspace()
                   for c in classes)
        or not all(isinstance(i, str) and i.strip() for i in ids)
    ):  # fmt: skip
        return None
    argpo = (numbers["ARG_OF_PERICENTER"] * _DEG2RAD).tolist()
    inclo = (numbers["INCLINATION"] * _DEG2RAD).tolist()
    mo = (numbers["MEAN_ANOMALY"] * _DEG2RAD).tolist()
    nodeo = (numbers["RA_OF_ASC_NODE"] * _DEG2RAD).tolist()
    ndot = (numbers["MEAN_MOTION_DOT"] / _NDOT_UNITS).tolist()
    nddot = (numbers["MEAN_MOTION_DDOT"] / _NDDOT_UNITS).tolist()
    no_kozai = (numbers["MEAN_MOTION"] / 720.0 * math.pi).tolist()
    bstar, ecco = numbers["BSTAR"].tolist(), numbers["ECCENTRICITY"].tolist()
    catalogue = whole["NORAD_CAT_ID"]
    satnums = [number % (SGP4_MAX_SATNUM + 1) for number in catalogue]
    satrecs = []
    for i in range(len(records)):
        satrec = Satrec()
        satrec.classification = classes[i]
        satrec.intldesg = ids[i][2:].replace("-", "")
        satrec.ephtype = whole["EPHEMERIS_TYPE"][i]
        satrec.elnum = whole["ELEMENT_SET_NO"][i]
        satrec.revnum = whole["REV_AT_EPOCH"][i]
        satrec.sgp4init(WGS72, "i", satnums[i], epochs[i], bstar[i], ndot[i], nddot[i],
                        ecco[i], argpo[i], inclo[i], mo[i], no_kozai[i], nodeo[i])  # fmt: skip
        satrecs.append(satrec)
    if any(map(attrgetter("error"), satrecs)):
        return None
    names = [record.get("OBJECT_NAME") for record in records]
    return satrecs, [
        str(number) if _blank(name) else str(name).strip()
        for name, number in zip(names, catalogue, strict=True)
    ]


def _float_column(values: list) -> np.ndarray | None:
    """``float`` of every value, or ``None`` unless all are finite numbers or text of them."""
    kinds = set(map(type, values))
    if not (kinds <= {float, int} or kinds == {str}):
        return None
    try:
        column = np.array(list(map(float, values)))
    except (ValueError, OverflowError):
        return None
    return column if np.isfinite(column).all() else None


def _int_column(values: list, low: int, high: int) -> list | None:
    """``int`` of every value, or ``None`` unless all are whole numbers (or their digits)
    from ``low`` to ``high``."""
    kinds = set(map(type, values))
    if not (kinds <= {int} or kinds == {str}):
        return None
    try:
        column = list(map(int, values))
    except ValueError:
        return None
    return column if low <= min(column) and max(column) <= high else None


def _epoch_column(values: list) -> list | None:
    """SGP4's epochs (days since 1949 December 31 00:00 UTC, as ``sgp4.omm.initialize``
    computes them) of OMM EPOCH texts, or ``None`` unless all are in the pattern."""
    if set(map(type, values)) != {str}:
        return None
    texts = list(map(_sgp4_epoch_text, values))
    if not all(map(_OMM_EPOCH_PATTERN.fullmatch, texts)):
        return None
    try:
        instants = np.array(texts, dtype="datetime64[us]")
    except ValueError:
        return None
    if (instants < np.datetime64("0001-01-01", "us")).any():
        return None
    microseconds = (instants - _SGP4_EPOCH0).astype(np.int64)
    return (microseconds / 1e6 / 86400.0).tolist()


def _satrecs_from_omm_per_record(records: list, path) -> tuple[list, list]:
    """:func:`_satrecs_from_omm` record by record, raising at the first problem."""
    satrecs, names = [], []
    for index, record in enumerate(records):
        satrec, name = _satrec_from_omm(record, index, path)
        satrecs.append(satrec)
        names.append(name)
    return satrecs, names


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _satrec_from_omm(record: dict, index: int, path):
    """One ``Satrec`` and its name from one OMM record, via ``sgp4.omm.initialize``."""
    _require_omm_fields(record, index, path)
    satrec = Satrec()
    try:
        fields = dict(record)
        for key in _OMM_WHOLE_NUMBERS:  # "999" and 999.0 alike
            fields[key] = int(_omm_number(record[key]))
        catalogue_number = fields["NORAD_CAT_ID"]
        fields["EPOCH"] = _sgp4_epoch_text(record["EPOCH"])
        fields["NORAD_CAT_ID"] = catalogue_number % (SGP4_MAX_SATNUM + 1)
        initialize(satrec, fields)
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise _omm_record_error(record, index, path, exc) from None
    _require_sgp4_ok(satrec, _omm_where(record, index), path)
    name = record.get("OBJECT_NAME")
    return satrec, str(catalogue_number) if _blank(name) else str(name).strip()


#: OMM fields by what they must hold for ``sgp4.omm.initialize``, and what to write instead.
_OMM_NUMBERS = OMM_MEAN_ELEMENT_KEYS[1:] + ("BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
#: Ranges of OMM numbers that python-sgp4 takes without an error code though SGP4 cannot
#: use them: ``key: (within(values) -> bool or bool array, what to say)``, checked in bulk
#: and record by record.  A negative mean motion gave Satrec.a NaN and every position NaN
#: (zero is sgp4init's error 2); CCSDS 502.0-B-3 (OMM) gives the mean inclination
#: 0-180 deg, and sgp4init would take 400 as 40 through its sine and cosine.
_OMM_RANGES = {
    "MEAN_MOTION": (lambda v: v > 0, "must be above 0 revolutions per day"),
    "INCLINATION": (lambda v: (v >= 0) & (v <= 180), "must be from 0 to 180 degrees"),
}
_OMM_WHOLE_NUMBERS = {
    # SGP4 elements are type 0; TLEs carry the type in one column.
    "EPHEMERIS_TYPE": (0, 9),
    "NORAD_CAT_ID": (0, 2**63 - 1),
    "ELEMENT_SET_NO": (0, 2**63 - 1),
    "REV_AT_EPOCH": (0, 2**63 - 1),
}


def _require_omm_fields(record: dict, index: int, path) -> None:
    """Refuse a record missing a field ``sgp4.omm.initialize`` reads, or holding one it
    would misread (a float where SGP4 keeps an integer, NaN, a boolean), naming the field."""
    where = _omm_where(record, index)
    missing = [key for key in OMM_REQUIRED_KEYS if _blank(record.get(key))]
    if missing:
        fix = "add it" if len(missing) == 1 else "add them"
        raise _fail(path, f"{where} has no {', '.join(missing)}; {fix}")
    for key in OMM_REQUIRED_KEYS:
        problem = _omm_field_problem(key, record[key])
        if problem:
            shown = reprlib.repr(record[key])
            raise _fail(path, f"{where}: {key}={shown}: {problem}; fix it")


def _omm_field_problem(key: str, value) -> str | None:
    """What is wrong with the value of OMM field ``key`` (a JSON value, or text from CSV or
    XML), or None."""
    number = _omm_number(value)
    if key in _OMM_NUMBERS:
        if isinstance(number, int) and abs(number) > sys.float_info.max:
            return f"must be a number of at most {sys.float_info.max:.3g} in size"
        if number is None or not math.isfinite(number):
            return "must be a number"
        within, problem = _OMM_RANGES.get(key, (None, None))
        return problem if within is not None and not within(number) else None
    if key in _OMM_WHOLE_NUMBERS:
        low, high = _OMM_WHOLE_NUMBERS[key]
        if number is None or not (isinstance(number, int) or number.is_integer()):
            return "must be a whole number"
        if not low <= int(number) <= high and key == "EPHEMERIS_TYPE":
            return "must be 0, the type of SGP4 elements (a digit from 0 to 9)"
        if int(number) < 0 and key == "NORAD_CAT_ID":
            return "is negative; catalogue numbers start at 0"
        if not low <= int(number) <= high:
            return f"must be a whole number from {low:,} to {high:,}"
        return None
    if key == "EPOCH":
        try:
            datetime.datetime.strptime(_sgp4_epoch_text(value), OMM_EPOCH_FORMAT)
        except (TypeError, ValueError):
            return "must be a UTC time such as 2023-04-25T10:45:30.642912"
        return None
    if key == "CLASSIFICATION_TYPE" and not (
        isinstance(value, str) and len(value) == 1 and value.isascii()
    ):
        return "must be one letter, such as U (unclassified)"
    if key == "OBJECT_ID" and not isinstance(value, str):
        return "must be text, the international designator such as 1998-067A"
    return None


def _omm_number(value) -> float | int | None:
    """A JSON number, or text of one (CSV, XML), as a number; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _omm_where(record: dict, index: int) -> str:
    name = record.get("OBJECT_NAME")
    return f"OMM record at index {index}" + ("" if _blank(name) else f" ({str(name).strip()})")


def _omm_record_error(record: dict, index: int, path, exc: Exception) -> ValueError:
    """The one-line error for a record ``sgp4.omm.initialize`` could not take although
    every field holds what it should."""
    return _fail(path, f"{_omm_where(record, index)} has a bad value ({exc}); fix it")


def _sgp4_epoch_text(value) -> str:
    """An OMM EPOCH in the form ``sgp4.omm.initialize`` parses (``Z`` dropped, fraction added)."""
    text = str(value).strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1]
    return text if "." in text else text + ".000000"


def _require_sgp4_ok(satrec, where: str, path) -> None:
    if satrec.error:
        message = SGP4_ERRORS.get(satrec.error, f"error {satrec.error}")
        raise _fail(path, f"{where}: SGP4 refuses its elements ({message}); fix the elements")


# --------------------------------------------------------------------------
# TLE
# --------------------------------------------------------------------------


def _satrecs_from_tle(text: str, path) -> tuple[list, list]:
    """``Satrec`` and name of every two- or three-line element set in ``text``.

    Lines are taken without their line ends (``\\n``, ``\\r\\n``, ``\\r``) and
    trailing blanks, and blank lines are skipped.  A line that does not start
    with ``1 `` where a set begins is that set's name, so two- and three-line
    sets may be mixed in one file.

    The whole file is checked at once (:func:`_tle_sets_in_bulk`); a file that
    fails any check is read again set by set, which stops at the first
    problem and names its line and column.
    """
    sets = _tle_sets_in_bulk(text)
    return sets if sets is not None else _satrecs_from_tle_per_set(text, path)


def _tle_sets_in_bulk(text: str) -> tuple[list, list] | None:
    """What :func:`_satrecs_from_tle_per_set` returns, or ``None`` where it would raise.

    In a file that reads, the lines starting ``1 `` are exactly the sets'
    first lines (a name line starting so would be read as one), each followed
    by a line starting ``2 ``, and every other line is a name just before a
    first line.  The lines are looked at as one byte array (UTF-8, each line
    ended by ``\\n``), the TLE lines as a ``(n_sets, 69)`` array of it.
    """
    lines = list(filter(None, map(str.rstrip, text.splitlines())))
    if not lines:
        return None
    joined = "\n".join(lines).encode() + b"\n\n"  # two: a last line of one character has a 2nd
    data = np.frombuffer(joined, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))[: len(lines)]
    starts = np.concatenate(([0], ends[:-1] + 1))
    head = data[starts] + (data[starts + 1] == ord(" ")) * np.uint16(256)
    first = np.flatnonzero(head == ord("1") + 256)
    n_lines = len(lines)
    if not len(first) or first[-1] + 1 >= n_lines or (head[first + 1] != ord("2") + 256).any():
        return None
    role = np.zeros(n_lines + 1, dtype=np.int8)  # a name line last is followed by "none"
    role[first], role[first + 1] = 1, 2
    name_lines = np.flatnonzero(role[:n_lines] == 0)
    if not (role[name_lines + 1] == 1).all():
        return None
    columns1 = _tle_columns(data, starts[first], ends[first])
    columns2 = _tle_columns(data, starts[first + 1], ends[first + 1])
    if columns1 is None or columns2 is None:
        return None
    if not (
        lines_fit(columns1, TLE_LINE1_FIELDS).all()
        and lines_fit(columns2, TLE_LINE2_FIELDS).all()
        and (columns1[:, 2:7] == columns2[:, 2:7]).all()
    ):
        return None
    line1 = [lines[i] for i in first.tolist()]
    line2 = [lines[i] for i in (first + 1).tolist()]
    satrecs = list(map(Satrec.twoline2rv, line1, line2))
    if any(map(attrgetter("error"), satrecs)) or not _tle_epoch_days_valid(satrecs).all():
        return None
    names = np.full(len(satrecs), "", dtype=object)
    texts = list(map(str.strip, [lines[i] for i in name_lines.tolist()]))
    for k in np.flatnonzero(data[starts[name_lines]] == ord("0")).tolist():
        texts[k] = _tle_name(texts[k])  # "0 NAME" and "0": the name after the 0
    names[np.searchsorted(first, name_lines)] = texts  # the set whose first line follows
    return satrecs, [
        name or str(satrec.satnum) for name, satrec in zip(names, satrecs, strict=True)
    ]


def _tle_columns(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray | None:
    """The lines ``data[starts:ends]`` as a ``(n, 69)`` ``uint8`` array, a 68-byte line
    padded with a blank; ``None`` when a line has another length."""
    lengths = ends - starts
    if not ((lengths == TLE_DATA_COLUMNS) | (lengths == TLE_LINE_COLUMNS)).all():
        return None
    columns = sliding_window_view(data, TLE_LINE_COLUMNS)[starts]
    columns[lengths == TLE_DATA_COLUMNS, TLE_DATA_COLUMNS] = ord(" ")
    return columns


def _satrecs_from_tle_per_set(text: str, path) -> tuple[list, list]:
    """:func:`_satrecs_from_tle` set by set, raising at the first problem in the file."""
    lines = [(number, line.rstrip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    satrecs, names, i = [], [], 0
    while i < len(lines):
        name = None
        if not lines[i][1].startswith("1 "):
            name, i = _tle_name(lines[i][1]), i + 1
        first, second = _tle_pair(lines, i, path)
        satrec = _satrec_from_tle(first, second, path)
        satrecs.append(satrec)
        names.append(name or str(satrec.satnum))
        i += 2
    if not satrecs:
        raise _fail(path, "holds no TLE sets; it holds no satellites")
    return satrecs, names


def _tle_name(line: str) -> str:
    """The satellite name of a three-line set's name line (a leading ``0 `` dropped)."""
    name = line.strip()
    return name[1:].strip() if name == "0" or name.startswith("0 ") else name


def _tle_pair(lines: list, i: int, path) -> tuple:
    """Lines ``i`` and ``i + 1`` as TLE lines 1 and 2, each ``(line_number, text)``."""
    for offset, digit in ((0, "1"), (1, "2")):
        if i + offset >= len(lines):
            after = lines[i + offset - 1][0]
            raise _fail(path, f"line {after}: TLE line {digit} is missing after it; add it")
        number, text = lines[i + offset]
        if not text.startswith(f"{digit} "):
            raise _fail(
                path,
                f"line {number}: expected TLE line {digit} (starting {digit!r} and a space), "
                f"found {text[:24]!r}; fix or remove it",
            )
    return lines[i], lines[i + 1]


def _satrec_from_tle(first: tuple, second: tuple, path):
    """A ``Satrec`` from TLE lines ``(line_number, text)``, once they pass the checks."""
    for (number, text), fields in ((first, TLE_LINE1_FIELDS), (second, TLE_LINE2_FIELDS)):
        _check_tle_line(text, fields, number, path)
    if first[1][2:7] != second[1][2:7]:
        raise _fail(
            path,
            f"line {second[0]}: satellite number {second[1][2:7]!r} differs from "
            f"{first[1][2:7]!r} on line {first[0]}; the two lines belong to different satellites",
        )
    satrec = Satrec.twoline2rv(first[1], second[1])
    if not _tle_epoch_days_valid([satrec])[0]:
        year = _tle_epoch_years([satrec])[0]
        raise _fail(
            path,
            f"line {first[0]}: the epoch day {first[1][20:32]!r} (columns 21-32) is not a "
            f"day of {year}, which runs from day 1.0 to before day "
            f"{366 + _is_leap(year)}.0; the line is corrupted, fetch it again",
        )
    _require_sgp4_ok(satrec, f"TLE on lines {first[0]}-{second[0]}", path)
    return satrec


def _tle_epoch_years(satrecs: list) -> np.ndarray:
    """The epoch year of each TLE: its two digits 57-99 are 1957-1999, 00-56 2000-2056
    (the TLE format's rule, as ``sgp4.io.twoline2rv`` reads it)."""
    (two_digits,) = satrec_columns(satrecs, "epochyr", dtype=int)
    return np.where(two_digits < 57, 2000, 1900) + two_digits


def _is_leap(year):
    """Whether ``year`` (1957-2056, an int or array) has 366 days: every fourth (2000 too)."""
    return year % 4 == 0


def _tle_epoch_days_valid(satrecs: list) -> np.ndarray:
    """``(n,)`` True where the TLE's epoch day of the year (columns 21-32), day 1.0 being
    1 January 00:00 UTC, falls within its year.  python-sgp4 takes any day (000.5 as the
    31 December before, 999 as 634 days into the next year) and the layout check lets
    any digits through, so a corrupted day whose checksum still matches would move the
    epoch by up to years."""
    (days,) = satrec_columns(satrecs, "epochdays")
    return (days >= 1.0) & (days < 366 + _is_leap(_tle_epoch_years(satrecs)))


#: What a field of each kind holds, for the error message.
_TLE_FIELD_HOLDS = {
    "satnum": "digits after any leading blanks, or an Alpha-5 letter (not I or O) and 4 digits",
    "text": "printable ASCII",
    "digits": "digits, no blanks",
    "whole": "digits, padded with blanks only on the left",
    "count": "digits, padded with blanks only on the left",
    "decimals": "digits, padded with blanks only on the right",
    "zeros": "digits (a blank reads as 0)",
    "sign": "'+', '-', a blank or '0' (read as '+')",
}


def _tle_line_pattern(fields: tuple) -> re.Pattern:
    """One regular expression for a whole line of ``fields`` (columns 1-68)."""
    return re.compile("".join(_tle_field_pattern(field) for field in fields))


def _check_tle_line(text: str, fields: tuple, number: int, path) -> None:
    """Refuse a TLE line whose length, any field, or checksum is not as the TLE format says.

    Each field is checked by its kind (see ``TLE_LINE1_FIELDS``).  The
    checksum (column 69) may be absent, as python-sgp4 and Skyfield allow;
    when present it must match, since a mismatch means some character was
    changed and nothing tells which.
    """
    if len(text) not in (TLE_DATA_COLUMNS, TLE_DATA_COLUMNS + 1):
        raise _fail(
            path,
            f"line {number}: a TLE line has 69 characters (68 without its checksum), "
            f"this one {len(text)}; restore the missing or extra characters",
        )
    if not _TLE_LINE_PATTERNS[fields].fullmatch(text, 0, TLE_DATA_COLUMNS):
        raise _fail(path, _tle_line_problem(text, fields, number))
    if len(text) > TLE_DATA_COLUMNS and text[-1] != str(_tle_checksum(text)):
        raise _fail(
            path,
            f"line {number}: checksum {text[-1]!r} in column 69 does not match (expected "
            f"{_tle_checksum(text)}); the line is corrupted, fetch it again",
        )


def _tle_checksum(text: str) -> int:
    """The TLE checksum of a checked line: its digits summed, ``-`` as 1, modulo 10
    (``sgp4.io.compute_checksum``'s rule, without a loop in Python)."""
    digits = text[:TLE_DATA_COLUMNS].translate(_TLE_CHECKSUM_DIGITS)
    return (sum(digits.encode()) - ord("0") * len(digits)) % 10


#: Printable ASCII to the checksum's digits: ``-`` to 1, other non-digits dropped.
_TLE_CHECKSUM_DIGITS = str.maketrans(
    "-", "1", "".join(sorted(TLE_CHARACTERS["text"] - DIGITS - {"-"}))
)


def _tle_field_pattern(field: TleField) -> str:
    """A regular expression for what ``field`` may hold (see ``TLE_LINE1_FIELDS``)."""
    width = field.stop - field.start
    if field.kind == "literal":
        return re.escape(field.text)
    if field.kind in TLE_CHARACTERS:
        chars = "".join(sorted(TLE_CHARACTERS[field.kind]))
        return f"[{re.escape(chars)}]{{{width}}}"
    if field.kind == "decimals":
        padded = (f"[0-9]{{{width - blanks}}} {{{blanks}}}" for blanks in range(width))
    else:  # whole, count, satnum: blanks before the first digit (all blank for a count)
        most = width if field.kind == "count" else width - 1
        padded = (f" {{{blanks}}}[0-9]{{{width - blanks}}}" for blanks in range(most + 1))
    alpha5 = [f"[{''.join(sorted(ALPHA5_LETTERS))}][0-9]{{{width - 1}}}"]
    return "(?:" + "|".join([*padded, *(alpha5 if field.kind == "satnum" else [])]) + ")"


def _tle_line_problem(text: str, fields: tuple, number: int) -> str:
    """The message for the first field of ``text`` that does not hold what it may."""
    for field in fields:
        value = text[field.start : field.stop]
        if not re.fullmatch(_tle_field_pattern(field), value):
            offset = _tle_field_mismatch(value, field)
            return _tle_field_problem(text, field, field.start + (offset or 0), number)
    raise AssertionError(f"TLE line {text!r} fits its fields")  # pragma: no cover


def _tle_field_mismatch(value: str, field: TleField) -> int | None:
    """Offset in ``value`` of the first character ``field`` cannot hold, or ``None``."""
    if field.kind == "literal":
        return _first_outside(value, None, field.text)
    if field.kind in TLE_CHARACTERS:
        return _first_outside(value, TLE_CHARACTERS[field.kind])
    if field.kind == "satnum" and value[0] in ALPHA5_LETTERS:
        bad = _first_outside(value[1:], DIGITS)
        return None if bad is None else 1 + bad
    if field.kind == "decimals":  # blanks only after the last digit
        digits = value.rstrip(" ")
        return _first_outside(digits, DIGITS) if digits else 0
    digits = value.lstrip(" ")  # whole, count, satnum: blanks only before the first digit
    if not digits:
        return None if field.kind == "count" else len(value) - 1
    bad = _first_outside(digits, DIGITS)
    return None if bad is None else len(value) - len(digits) + bad


def _first_outside(value: str, allowed, exactly: str = "") -> int | None:
    """Offset of the first character of ``value`` not in ``allowed`` (or not ``exactly``'s)."""
    for offset, char in enumerate(value):
        if (char != exactly[offset]) if exactly else (char not in allowed):
            return offset
    return None


def _tle_field_problem(text: str, field: TleField, column: int, number: int) -> str:
    """The message for column ``column`` (0-based) of TLE line ``text`` in ``field``."""
    where = f"line {number}: column {column + 1} is {text[column]!r}"
    if field.kind == "literal":
        return f"{where} where a TLE line has {field.text[column - field.start]!r}; fix the line"
    columns = (
        f"column {field.stop}"
        if field.stop - field.start == 1
        else f"columns {field.start + 1}-{field.stop}"
    )
    holds = _TLE_FIELD_HOLDS[field.kind]
    return f"{where} in {field.name} ({columns}), which holds {holds}; fix the line"


#: Each line's fields as one regular expression, to check a line in one call.
_TLE_LINE_PATTERNS = {
    fields: _tle_line_pattern(fields) for fields in (TLE_LINE1_FIELDS, TLE_LINE2_FIELDS)
}


# --------------------------------------------------------------------------
# Exporting a resolved Walker shell
# --------------------------------------------------------------------------


def shell_omm_records(resolved) -> list[dict]:
    """OMM records of every satellite of a resolved shell, in the planner's order.

    ``resolved`` is a :class:`constellations.stages.resolve.ResolvedShell` (not imported
    here, so that reading element files does not load the propagation stages).

    Satellite ``s`` of plane ``p`` is record ``p * sats_per_plane + s``,
    named ``"{shell}-P{p:04d}-S{s:04d}"`` with NORAD_CAT_ID ``(first_id +
    index) % 340000`` (the number the planner's own ``Satrec`` carries).
    Elements come from ``resolved.walker``; floats are Python floats, which
    JSON, CSV and :func:`write_omm` write at full precision.  Returns
    ``n_sats`` dicts with the keys :data:`OMM_KEYS`.
    """
    walker = resolved.walker
    index = np.arange(walker.n_sats, dtype=np.int64)
    plane, slot = np.divmod(index, walker.sats_per_plane)
    names = [
        f"{resolved.shell.name}-P{p:04d}-S{s:04d}"
        for p, s in zip(plane.tolist(), slot.tolist(), strict=True)
    ]
    catalogue_numbers = ((walker.first_id + index) % (SGP4_MAX_SATNUM + 1)).tolist()
    raan_deg = (np.asarray(walker.raan_rad, dtype=float)[plane] / _DEG2RAD).tolist()
    mean_anomaly_deg = (walker.phases_rad().ravel() / _DEG2RAD).tolist()
    common = _walker_common_fields(walker)
    return [
        _walker_record(common, name, number, node_deg, anomaly_deg)
        for name, number, node_deg, anomaly_deg in zip(
            names, catalogue_numbers, raan_deg, mean_anomaly_deg, strict=True
        )
    ]


def _walker_common_fields(walker) -> dict:
    """OMM fields every satellite of a Walker shell shares."""
    epoch = Epoch.parse(walker.epoch)
    return {
        "OBJECT_ID": PLANNED_OBJECT_ID_FORMAT.format(year=epoch.year),
        "EPOCH": epoch.strftime(OMM_EPOCH_FORMAT),
        "MEAN_MOTION": float(walker.no_kozai_rad_min) * _REV_DAY_PER_RAD_MIN,
        "INCLINATION": float(walker.inclination_rad) / _DEG2RAD,
        "BSTAR": float(walker.bstar),
    }


def _walker_record(common: dict, name: str, number: int, raan_deg: float, anomaly_deg: float):
    """One satellite's OMM record, keys in :data:`OMM_KEYS` order."""
    return {
        "OBJECT_NAME": name,
        "OBJECT_ID": common["OBJECT_ID"],
        "CENTER_NAME": "EARTH",
        "REF_FRAME": "TEME",
        "TIME_SYSTEM": "UTC",
        "MEAN_ELEMENT_THEORY": "SGP4",
        "EPOCH": common["EPOCH"],
        "MEAN_MOTION": common["MEAN_MOTION"],
        "ECCENTRICITY": 0.0,
        "INCLINATION": common["INCLINATION"],
        "RA_OF_ASC_NODE": raan_deg,
        "ARG_OF_PERICENTER": 0.0,
        "MEAN_ANOMALY": anomaly_deg,
        "EPHEMERIS_TYPE": 0,
        "CLASSIFICATION_TYPE": "U",
        "NORAD_CAT_ID": number,
        "ELEMENT_SET_NO": GENERATED_ELEMENT_SET_NO,
        "REV_AT_EPOCH": 0,
        "BSTAR": common["BSTAR"],
        "MEAN_MOTION_DOT": 0.0,
        "MEAN_MOTION_DDOT": 0.0,
    }


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_omm(records, path) -> Path:
    """Write OMM records to ``path`` (``.json``, ``.csv`` or ``.xml``), atomically.

    ``records`` is a sequence of dicts such as :func:`shell_omm_records`
    returns.  JSON is a list of objects, indented one per line; CSV has a
    header row of the keys (in order of first appearance); XML is CCSDS NDM
    with one ``<omm>`` per record, as CelesTrak serves it and
    ``sgp4.omm.parse_xml`` reads it.  Floats are written with ``repr`` (full
    precision).  A failed write leaves ``path`` as it was, with no partial
    file.  Raises ``ValueError`` for an unknown extension, no records, a
    missing folder, a value the format cannot hold (NaN in JSON), or (XML)
    a key that is not an OMM field.  Returns the ``Path`` written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    writers = {".json": _write_json, ".csv": _write_csv, ".xml": _write_xml}
    if suffix not in writers:
        raise _fail(
            path,
            f"unknown extension {target.suffix!r}; write OMM as one of {', '.join(OMM_EXTENSIONS)}",
        )
    records = list(records)
    _require_records(records, path)
    if suffix == ".xml":
        _require_xml_keys(records, path)
    with atomic_write(target) as handle:
        try:
            writers[suffix](records, handle)
        except (ValueError, TypeError) as exc:
            raise _fail(path, f"cannot be written as OMM ({exc}); fix the records") from None
    return target


def _numpy_scalar_as_python(value):
    """JSON's fallback for numpy scalars (``np.int64``, ``np.float32``): the Python number."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} {value!r} cannot be written to OMM JSON")


def _write_json(records: list, handle) -> None:
    """A JSON list indented one object per line (the C encoder: 10x faster than ``indent=``)."""
    handle.write("[\n")
    last = len(records) - 1
    for index, record in enumerate(records):
        text = json.dumps(record, allow_nan=False, default=_numpy_scalar_as_python)
        handle.write(" " + text + (",\n" if index < last else "\n"))
    handle.write("]\n")


def _write_csv(records: list, handle) -> None:
    keys = list(dict.fromkeys(key for record in records for key in record))
    writer = csv.DictWriter(handle, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)


def _require_records(records: list, path) -> None:
    if not records:
        raise _fail(path, "no OMM records to write; pass at least one")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise _fail(
                path, f"OMM record at index {index} is a {type(record).__name__}, not a dict"
            )


def _require_xml_keys(records: list, path) -> None:
    known = set(OMM_KEYS)
    for index, record in enumerate(records):
        unknown = [key for key in record if key not in known]
        if unknown:
            raise _fail(
                path,
                f"OMM record at index {index} has {unknown[0]!r}, which CCSDS OMM XML has no "
                f"place for; keep to the keys {', '.join(OMM_KEYS)}",
            )


def _write_xml(records: list, handle) -> None:
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    handle.write(
        '<ndm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:noNamespaceSchemaLocation="{_NDM_SCHEMA}">\n'
    )
    handle.writelines(_xml_omm(record) for record in records)
    handle.write("</ndm>\n")


def _xml_omm(record: dict) -> str:
    """One ``<omm>`` element (one line) holding one record."""
    metadata = _xml_block(record, OMM_METADATA_KEYS)
    mean_elements = _xml_block(record, OMM_MEAN_ELEMENT_KEYS)
    tle_parameters = _xml_block(record, OMM_TLE_PARAMETER_KEYS)
    return (
        '<omm id="CCSDS_OMM_VERS" version="2.0">'
        "<header><CREATION_DATE/><ORIGINATOR/></header><body><segment>"
        f"<metadata>{metadata}</metadata><data><meanElements>{mean_elements}</meanElements>"
        f"<tleParameters>{tle_parameters}</tleParameters></data>"
        "</segment></body></omm>\n"
    )


def _xml_block(record: dict, keys: tuple) -> str:
    return "".join(f"<{key}>{_xml_text(record[key])}</{key}>" for key in keys if key in record)


def _xml_text(value) -> str:
    """Element text: strings escaped, floats at full precision, ``None`` empty."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, np.generic):
        return _xml_text(value.item())
    return "" if value is None else escape(str(value))

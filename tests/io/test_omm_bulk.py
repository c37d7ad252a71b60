"""OMM records read column by column give the Satrecs python-sgp4's own reader gives.

The reader takes an OMM file's fields over all records at once and initialises
each ``Satrec`` with ``sgp4.omm.initialize``'s arithmetic; a file it cannot
take so is read record by record.  Authority: ``sgp4.omm.initialize`` called
directly on the same records, which must give the same elements to the bit.

Records: CelesTrak's MARIO (NORAD 55123, every element non-zero, as kept in
python-sgp4's test suite) and varied Starlink-like records made by
``benchmarks/element_files.py``'s recipe in small.
"""

import json

import pytest
from helpers import MARIO_RECORD as MARIO
from sgp4.api import Satrec
from sgp4.omm import initialize

from constellations.io import omm

ATTRIBUTES = (
    "satnum", "jdsatepoch", "jdsatepochF", "bstar", "ndot", "nddot", "ecco", "argpo", "inclo",
    "mo", "no_kozai", "nodeo", "classification", "intldesg", "ephtype", "elnum", "revnum",
)  # fmt: skip


def _records(n: int) -> list:
    """``n`` records varying every element, epochs over three days, numbers and text."""
    records = []
    for i in range(n):
        record = dict(MARIO, OBJECT_NAME=f"SAT-{i}", NORAD_CAT_ID=40000 + 7 * i)
        record.update(
            EPOCH=f"2023-04-{20 + i % 3:02d}T{i % 24:02d}:{i % 60:02d}:{(7 * i) % 60:02d}."
            f"{(123457 * i) % 10**6:06d}",
            MEAN_MOTION=15.0 + i / 997.0,
            ECCENTRICITY=(i % 50) * 1.3e-5,
            INCLINATION=40.0 + i / 13.0,
            RA_OF_ASC_NODE=(i * 17.3) % 360.0,
            ARG_OF_PERICENTER=(i * 41.9) % 360.0,
            MEAN_ANOMALY=(i * 101.7) % 360.0,
            BSTAR=(-1) ** i * 1e-4 * (1 + i % 7),
            MEAN_MOTION_DOT=1e-6 * (i % 11) - 3e-6,
            REV_AT_EPOCH=i * 31,
        )
        records.append(record)
    return records + [MARIO, dict(MARIO, NORAD_CAT_ID=412345, OBJECT_NAME="")]  # wraps at 340000


def _python_sgp4(record: dict) -> Satrec:
    fields = dict(record, NORAD_CAT_ID=int(record["NORAD_CAT_ID"]) % 340000)
    satrec = Satrec()
    initialize(satrec, fields)
    return satrec


@pytest.mark.parametrize("fmt", ["json", "csv", "xml"])
def test_bulk_satrecs_are_python_sgp4s_to_the_bit(tmp_path, fmt):
    records = _records(200)
    path = omm.write_omm(records, tmp_path / f"sats.{fmt}")
    raw = omm._omm_records(f".{fmt}", path.read_bytes(), path)  # as each format holds them

    bulk = omm._omm_sets_in_bulk(raw)

    assert bulk is not None
    satrecs, names = bulk
    for ours, record in zip(satrecs, records, strict=True):
        theirs = _python_sgp4(record)
        for name in ATTRIBUTES:
            assert getattr(ours, name) == getattr(theirs, name), name
    assert names[:2] == ["SAT-0", "SAT-1"] and names[-1] == "412345"
    assert omm.read_element_file(path).names == tuple(names)


#: Records the bulk path leaves to the record-by-record reader, which reads them.
READ_ONE_BY_ONE = {
    "whole number written 999.0": dict(MARIO, ELEMENT_SET_NO=999.0),
    "epoch with Z": dict(MARIO, EPOCH="2023-04-25T10:45:30Z"),
    "catalogue number as text": dict(MARIO, NORAD_CAT_ID="55123"),
}


@pytest.mark.parametrize("case", list(READ_ONE_BY_ONE))
def test_forms_left_to_the_record_by_record_reader_are_read_alike(tmp_path, case):
    record = READ_ONE_BY_ONE[case]
    path = tmp_path / "sats.json"
    path.write_text(json.dumps([MARIO, record]))

    satrecs = omm.read_element_file(path).satrecs

    reference = omm._satrecs_from_omm_per_record([MARIO, record], path)[0]
    for ours, theirs in zip(satrecs, reference, strict=True):
        for name in ATTRIBUTES:
            assert getattr(ours, name) == getattr(theirs, name), name


#: Records the bulk path must not take: the message is the record-by-record reader's.
REFUSED = {
    "NaN": dict(MARIO, MEAN_MOTION=float("nan")),
    "boolean": dict(MARIO, ECCENTRICITY=True),
    "missing": {k: v for k, v in MARIO.items() if k != "BSTAR"},
    "blank classification": dict(MARIO, CLASSIFICATION_TYPE=" "),
    "two-letter classification": dict(MARIO, CLASSIFICATION_TYPE="UU"),
    "day out of range": dict(MARIO, EPOCH="2023-02-30T10:45:30.642912"),
    "year 0": dict(MARIO, EPOCH="0000-04-25T10:45:30.642912"),
    "leap second": dict(MARIO, EPOCH="2016-12-31T23:59:60.000000"),
    "ephemeris type 10": dict(MARIO, EPHEMERIS_TYPE=10),
    "negative catalogue number": dict(MARIO, NORAD_CAT_ID=-1),
    "number object id": dict(MARIO, OBJECT_ID=1998),
    "eccentricity 1 (SGP4 refuses)": dict(MARIO, ECCENTRICITY=1.5),
    "negative mean motion (SGP4 takes it, NaN)": dict(MARIO, MEAN_MOTION=-15.0),
    "inclination 400 (SGP4 takes it as 40)": dict(MARIO, INCLINATION=400.0),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_records_give_the_record_by_record_message(tmp_path, case):
    records = [MARIO, REFUSED[case]]
    path = tmp_path / "sats.json"
    path.write_text(json.dumps(records))

    with pytest.raises(ValueError) as caught:
        omm.read_element_file(path)

    assert omm._omm_sets_in_bulk(records) is None
    with pytest.raises(ValueError) as per_record:
        omm._satrecs_from_omm_per_record(records, path)
    assert str(caught.value) == str(per_record.value)
    assert "index 1" in str(caught.value)


#: JSON texts that are not a list of OMM objects, whole or as a list's second entry.
NOT_OMM_JSON = ("null", "true", "3", "2.5", '"ISS"', "[[1]]", "[null]", '[{}, "x"]')


@pytest.mark.parametrize("text", NOT_OMM_JSON)
def test_json_that_is_not_omm_objects_is_named_by_its_json_type(tmp_path, text):
    """The message named Python's type ("a JSON NoneType", "a JSON str"): it names the
    JSON Schema type that jsonschema's own type checker gives the value."""
    from jsonschema import Draft202012Validator

    path = tmp_path / "sats.json"
    path.write_text(text)
    value = json.loads(text)
    wrong = value if not isinstance(value, list) else next(v for v in value if v != {})
    checker = Draft202012Validator.TYPE_CHECKER
    names = {"null", "boolean", "number", "string", "array", "object"}
    (expected,) = [t for t in names if checker.is_type(wrong, t)]

    with pytest.raises(ValueError) as caught:
        omm.read_element_file(path)

    assert f"a JSON {expected}" in str(caught.value)
    assert "NoneType" not in str(caught.value)

"""Issue 14: any scenario document either plans or is refused in one line, never worse.

Hypothesis writes TOML scenarios over the whole schema: valid documents of a few small
shells (and element sets), then changed at random: wrong types, missing and unknown keys,
NaN, infinities, huge and negative numbers, empty and unicode text, arrays of tables and
tables swapped, names used twice, element sets naming bad files, counts beyond the
satellite limit, and text-level damage (cut short, a stray character, an integer of
thousands of digits, bytes that are not UTF-8).  For each, in a folder of its own:

* ``orbital-dc plan s.toml --stages resolve --json plan.json`` (resolve is the cheapest
  stage; loading checks the whole document, element set files included) exits 0 and
  writes JSON that parses, or exits 2 with one line on stderr and leaves the folder as it
  was: no traceback, no ``a bug in orbital-dc``, no partial file;
* ``read_scenario`` accepts the same documents and raises a ``ScenarioError`` with the
  very message the command line printed; what is accepted passes the JSON Schema that
  ``orbital-dc schema scenario`` exports for editors;
* the same tables given to the Python models (``Shell(**table)``, ``LinksDesign(**table)``,
  ``SatelliteDesign.from_tables(...)``, ``Constellation(...)``) are accepted alike, build
  an equal design, and refuse with the same words after their own prefix.

The examples are derandomized (the same ones every run) and bounded: a valid document
plans in milliseconds, so the module runs in well under a minute.
"""

import contextlib
import copy
import datetime
import functools
import io
import json
import math
import os
import re
import signal
import tempfile
import tomllib
from pathlib import Path

import jsonschema
import pytest
from helpers import MARIO_RECORD as MARIO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from constellations import Constellation, Shell
from constellations.cli import main
from constellations.errors import OrbitalDcError, ScenarioError
from constellations.io.scenario import read_scenario
from constellations.model.cost import CostDesign
from constellations.model.drag import DragDesign
from constellations.model.launch import LaunchDesign
from constellations.model.links import LinksDesign
from constellations.model.satellite import SatelliteDesign
from constellations.model.scenario import ScenarioFile

SCENARIO = "s.toml"
PLAN_JSON = "plan.json"
COMMAND = ("plan", SCENARIO, "--stages", "resolve", "--json", PLAN_JSON)
ERROR_PREFIX = "orbital-dc plan: error: "
#: Longest a document may take to plan or be refused before the test calls it a hang, s;
#: a valid one takes milliseconds, the largest valid shells here under a second.
HANG_S = 30.0

# ------------------------------------------------------------------------- TOML text


def toml_text(document: dict) -> str:
    """``document`` as TOML: top-level values, then tables and arrays of tables."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in document.items() if not _is_table(v)]
    for name, value in document.items():
        if isinstance(value, dict):
            lines += ["", f"[{_key(name)}]"] + [
                f"{_key(k)} = {_value(v)}" for k, v in value.items()
            ]
        elif _is_table(value):
            for table in value:
                lines += ["", f"[[{_key(name)}]]"]
                lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _is_table(value) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # Python writes at most 4,300 digits of a number as text; TOML's hexadecimal has none.
        return hex(value) if value > 10**4000 else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


# ------------------------------------------------------------------------- element files

ISS_TLE = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
"""
#: Files every example's folder holds (``omm.json`` is drawn per example); a name with a
#: trailing slash is a folder.  ``missing.tle`` is named by documents but never written.
ELEMENT_FILES = {
    "iss.tle": ISS_TLE.encode(),
    "checksum.tle": ISS_TLE.replace("0  9991", "0  9992").encode(),
    "short.tle": ISS_TLE[: ISS_TLE.index("\n2 ")].encode(),
    "empty.json": b"",
    "object.json": b'{"OBJECT_NAME": 3}',
    "broken.xml": b"<ndm><omm>",
    "latin1.csv": "OBJECT_NAME\nSAT\xe9\n".encode("latin-1"),
    "notes.md": b"not an element file",
    "long.json": b'[{"NORAD_CAT_ID": 1' + b"0" * 5000 + b"}]",
    "long.csv": b"OBJECT_NAME,NORAD_CAT_ID\nX,1" + b"0" * 5000 + b"\n",
    "folder.tle/": b"",
}
ELEMENT_FILE_NAMES = [*ELEMENT_FILES, "omm.json", "missing.tle", "", "/nonexistent/x.tle"]

# ------------------------------------------------------------------------- values

NAN, INF = float("nan"), float("inf")
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
#: Values of the wrong type or out of any range, and a few plausible ones.
ODD = (
    NAN, INF, -INF, 0, -1, 0.0, -0.0, 0.5, 1, 2, 3, 4, 10, 100, 340.0, 1e308, -1e308, 5e-324,
    10**18, 2**63 - 1, 2**63, -(2**63), 10**30, 10**400, -(10**400), 16**4000, True, False,
    "", " ", "10", "340.0", "nan", "été", "日本", "\u2028", "\x00", "a" * 200, [], [1, 2], [[]],
    ["x"], [NAN], {},
    {"a": 1}, datetime.date(2027, 1, 1), datetime.time(12, 0), datetime.datetime(2027, 1, 1),
    datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
)  # fmt: skip
ODD_VALUES = st.one_of(
    st.integers(0, len(ODD) - 1).map(lambda i: copy.deepcopy(ODD[i])),
    st.integers(-2, 12),  # around the bounds of counts, terminals, faces
    st.floats(-400.0, 2100.0),  # around the bounds of altitudes, angles, temperatures
    st.integers(),
    st.floats(),
    TEXT,
    st.booleans(),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(), TEXT), max_size=3),
)
#: The same, as Python's JSON writer can write them (at most 4,300 digits of a number).
JSON_VALUES = ODD_VALUES.filter(lambda v: not (isinstance(v, int) and abs(v) > 10**4000))
EPOCHS = st.one_of(
    st.sampled_from(
        [
            "2027-01-01T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2017-06-30T23:59:60Z",
            "2027-01-01",
            "2027-13-01T00:00:00Z",
            "2027-01-01T00:00:00+05:30",
            "2027-01-01T00:00:00.123456789Z",
            "1800-01-01T00:00:00Z",
            "2099-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "now",
            "",
            "2027-02-29T00:00:00Z",
            datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
            datetime.datetime(2027, 6, 1),
            datetime.date(2027, 1, 1),
            datetime.time(0, 0),
            2027,
            2027.5,
        ]
    ),  # fmt: skip
    TEXT,
)

#: The models of the tables a scenario holds, by section.
TABLES = {
    "scenario": ScenarioFile.model_fields["scenario"].annotation,
    "satellite": ScenarioFile.model_fields["satellite"].annotation,
    "solar_array": ScenarioFile.model_fields["solar_array"].annotation,
    "battery": ScenarioFile.model_fields["battery"].annotation,
    "radiator": ScenarioFile.model_fields["radiator"].annotation,
    "drag": DragDesign,
    "links": LinksDesign,
    "launch": LaunchDesign,
    "cost": CostDesign,
}
SECTIONS = [*TABLES, "shells", "element_sets"]


def keys_of(model) -> list[str]:
    """The keys a table of ``model`` may hold, as a file writes them."""
    return [info.alias or name for name, info in model.model_fields.items()]


# ------------------------------------------------------------------------- documents


@st.composite
def shells(draw, index: int) -> dict:
    """A small valid shell: 1-3 planes of 1-3 satellites, Walker or sun-synchronous."""
    planes = draw(st.integers(1, 3))
    shell = {
        "name": draw(st.sampled_from([f"s{index}", f"shell {index}", f"é{index}"])),
        "altitude_km": draw(st.sampled_from([340.0, 330, 350.5, 150.0, 2000])),
        "planes": planes,
        "sats_per_plane": draw(st.integers(1, 3)),
        "phasing": draw(st.integers(0, planes - 1)),
    }
    if draw(st.booleans()):
        shell["sun_synchronous"] = True
        if draw(st.booleans()):
            shell["ltan_hours"] = draw(st.sampled_from([18.0, 10.5, 0, 24]))
        if draw(st.booleans()):
            shell["ltan_reference"] = draw(st.sampled_from(["mean", "apparent"]))
        if draw(st.booleans()):
            shell["sso_inclination"] = draw(st.sampled_from(["sgp4", "j2"]))
    else:
        shell["inclination_deg"] = draw(st.sampled_from([53.0, 0, 97.6, 180]))
    optional = {
        "pattern": st.sampled_from(["delta", "star"]),
        "raan_deg": st.sampled_from([0.0, -360, 359.5]),
        "raan_spread_deg": st.sampled_from([0.0, 10.0, 360]),
        "bstar": st.sampled_from([0.0, 1e-4, 1]),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            shell[key] = draw(values)
    return shell


#: Plausible tables beside the shells (the rest of each table takes its defaults).
OPTIONAL_TABLES = {
    "satellite": st.fixed_dictionaries(
        {},
        optional={
            "payload": st.sampled_from(["gb300-nvl72", "gb300"]),
            "payload_units": st.integers(1, 3),
            "laser_terminals": st.integers(0, 8),
            "max_mass_kg": st.sampled_from([100.0, 1e5]),
        },
    ),
    "battery": st.fixed_dictionaries({}, optional={"policy": st.sampled_from(["shed", "ride"])}),
    "radiator": st.fixed_dictionaries(
        {}, optional={"attitude": st.sampled_from(["nadir", "velocity"]), "faces": st.just(1)}
    ),
    "drag": st.fixed_dictionaries({}, optional={"f107": st.just(150.0), "ap": st.just(15.0)}),
    "links": st.fixed_dictionaries(
        {},
        optional={
            "topology": st.sampled_from(["+grid", "nearest"]),
            "terminals": st.integers(1, 6),
            "inter_shell": st.booleans(),
        },
    ),
    "launch": st.fixed_dictionaries(
        {},
        optional={
            "years": st.integers(1, 3),
            "flights_per_year": st.one_of(st.just(100.0), st.lists(st.just(10), max_size=3)),
            "flights_start": st.just(10.0),
        },
    ),
    "cost": st.fixed_dictionaries(
        {},
        optional={
            "discount_rate": st.sampled_from([0.0, 0.08, -0.5]),
            "failure_rule": st.sampled_from(["satellite", "hardware"]),
            "progress_ratio": st.sampled_from([0.85, 1.0]),
            "economic_life_years": st.sampled_from([3.0, 5]),
            "ground": st.fixed_dictionaries(
                {},
                optional={
                    "generation": st.sampled_from(["grid", "gas"]),
                    "pue": st.sampled_from([1.0, 1.2]),
                },
            ),
        },
    ),
}


@st.composite
def documents(draw) -> dict:
    """A scenario as data: mostly valid, then changed by up to three mutations."""
    document = {"scenario": {"name": draw(st.sampled_from(["fuzz", "日本 ✓"])), "epoch": "x"}}
    document["scenario"]["epoch"] = draw(
        st.one_of(st.just("2027-01-01T00:00:00Z"), st.just("2016-12-31T23:59:60Z"))
    )
    n_shells = draw(st.integers(0, 2))
    document["shells"] = [draw(shells(i)) for i in range(n_shells)]
    if draw(st.integers(0, 3)) == 0 or not n_shells:
        files = st.one_of(st.just("omm.json"), st.sampled_from(ELEMENT_FILE_NAMES))
        names = st.one_of(st.none(), st.sampled_from(["tracked", "s0", ""]))
        document["element_sets"] = []
        for _ in range(draw(st.integers(1, 2))):
            table = {"file": draw(files)}
            name = draw(names)
            if name is not None:
                table["name"] = name
            document["element_sets"].append(table)
    for section, tables in OPTIONAL_TABLES.items():
        if draw(st.integers(0, 4)) == 0:
            document[section] = draw(tables)
    for _ in range(draw(st.integers(0, 3))):
        mutate(draw, document)
    return document


def mutate(draw, document: dict) -> None:
    """One change to ``document``, in place."""
    kind = draw(
        st.sampled_from(["set", "set", "set", "drop", "unknown", "swap", "twice", "huge", "epoch"])
    )
    if kind == "epoch":
        scenario = document.get("scenario")
        if isinstance(scenario, dict):
            scenario["epoch"] = draw(EPOCHS)
        return
    if kind == "huge":
        big = draw(st.sampled_from([(10_000, 1_000_000), (2_001, 1_000), (1, 2_000_001)]))
        shell = {"name": "huge", "altitude_km": 340.0, "inclination_deg": 53.0}
        shell["planes"], shell["sats_per_plane"] = big
        document.setdefault("shells", [])
        if isinstance(document["shells"], list):
            document["shells"].append(shell)
        return
    if kind == "twice":
        group = draw(st.sampled_from(["shells", "element_sets"]))
        if isinstance(document.get(group), list) and document[group]:
            document[group].append(dict(draw(st.sampled_from(document[group]))))
        return
    section = draw(st.sampled_from(SECTIONS))
    if kind == "swap":
        value = document.get(section)
        if isinstance(value, list):
            document[section] = value[0] if value else {}
        elif isinstance(value, dict):
            document[section] = [value]
        else:
            document[section] = draw(ODD_VALUES)
        return
    table = _table(draw, document, section)
    if table is None:
        return
    if kind == "drop":
        if table:
            del table[draw(st.sampled_from(sorted(table)))]
        elif draw(st.booleans()):
            del document[section]
        return
    if kind == "unknown":
        key = draw(st.one_of(st.sampled_from(["shell", "altitude", "Planes", "sats"]), TEXT))
    else:
        model = Shell if section == "shells" else TABLES.get(section)
        known = keys_of(model) if model is not None else ["name", "file"]
        key = draw(st.sampled_from(known))
    table[key] = draw(ODD_VALUES)


def _table(draw, document: dict, section: str) -> dict | None:
    """The table of ``section`` to change: one of an array's, or the table (made if absent)."""
    value = document.get(section)
    if isinstance(value, list):
        tables = [v for v in value if isinstance(v, dict)]
        return draw(st.sampled_from(tables)) if tables else None
    if value is None:
        document[section] = value = {}
    return value if isinstance(value, dict) else None


@st.composite
def scenario_bytes(draw) -> tuple[bytes, dict]:
    """The bytes of ``s.toml`` (a document as TOML, sometimes damaged) and its document."""
    document = draw(documents())
    text = toml_text(document)
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "insert", "bytes", "bom"]))
    if damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(text)))
        junk = draw(
            st.sampled_from(
                [
                    "=",
                    "[",
                    '"',
                    "\n[[shells]]\n",
                    "\nx = 1\nx = 2\n",
                    "\x00",
                    "\ufeff",
                    "\nepoch = 2016-12-31T23:59:60Z\n",
                    "\nplanes = " + "1" * 5000 + "\n",
                    "\nx = 0x" + "F" * 4000 + "\n",
                    "\n[scenario]\n",
                    "\n[shells.name]\n",
                ]
            )  # fmt: skip
        )
        text = text[:at] + junk + text[at:]
    if damage == "bytes":
        return text.encode() + b"\xff\xfe\n", document
    if damage == "bom":
        return b"\xef\xbb\xbf" + text.encode(), document
    return text.encode(), document


def omm_records():
    """An OMM JSON file: MARIO, sometimes with one field changed."""
    changed = st.fixed_dictionaries(
        {}, optional={key: st.one_of(JSON_VALUES, st.none()) for key in MARIO}
    )
    return changed.map(lambda change: json.dumps([{**MARIO, **change}], default=str).encode())


# ------------------------------------------------------------------------- running


class Hang(BaseException):
    """Raised by the watchdog; the command line catches ``Exception``, not this."""


@contextlib.contextmanager
def watchdog(seconds: float):
    def handler(signum, frame):
        raise Hang(f"no answer in {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def check_document(data: bytes, omm: bytes, document: dict) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        for name, content in ELEMENT_FILES.items():
            if name.endswith("/"):
                os.mkdir(name)
            else:
                Path(name).write_bytes(content)
        Path("omm.json").write_bytes(omm)
        Path(SCENARIO).write_bytes(data)
        inputs = sorted(os.listdir())
        with watchdog(HANG_S):
            check_answers(data, document, inputs)


@functools.cache
def scenario_schema():
    """The JSON Schema ``orbital-dc schema scenario`` prints."""
    status, out, _ = run_cli("schema", "scenario")
    assert status == 0
    return jsonschema.Draft202012Validator(json.loads(out))


def as_json(value):
    """TOML data as an editor checks it against a JSON Schema: date-times as text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


#: Python's words, which say nothing to a user about the file: a TOML file cannot hold
#: None, and a message naming Python's internals names no key.
PYTHON_SPELLINGS = (
    "=None",
    "NoneType",
    "sys.",
    "object is not",
    "invalid literal",
    "could not convert",
    "does not match format",
    "argument must be",
    "datetime.",
    "list[",
    "tuple[",
)


def check_answers(data: bytes, document: dict, inputs: list) -> None:
    """The command line's answer in the current folder, and the API's, agree and are clean."""
    status, out, err = run_cli(*COMMAND)
    assert "Traceback" not in err + out and "a bug in orbital-dc" not in err, err
    if status == 0:
        assert sorted(os.listdir()) == sorted([*inputs, PLAN_JSON])
        record = json.loads(Path(PLAN_JSON).read_text("utf-8"))
        assert record["provenance"]["stages"] == ["resolve"]
        constellation, _ = read_scenario(SCENARIO)  # the API accepts it too
        # What the planner takes, the JSON Schema it exports for editors takes too.
        scenario_schema().validate(as_json(tomllib.loads(data.decode("utf-8-sig"))))
        if data == toml_text(document).encode():  # not damaged as text
            check_python_models(document, constellation, None)
        return
    assert status == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    assert sorted(os.listdir()) == inputs, "a file was left behind"
    message = lines[0][len(ERROR_PREFIX) :]
    for python in PYTHON_SPELLINGS:
        assert python not in message, message
    with pytest.raises(OrbitalDcError) as refused:
        read_scenario(SCENARIO)
    assert isinstance(refused.value, ScenarioError)
    assert str(refused.value) == message  # the same words, on one line
    if data == toml_text(document).encode():  # not damaged as text
        check_python_models(document, None, message[len(SCENARIO) :])


# ------------------------------------------------------------------------- the Python models

#: Where a file's message puts a table's error: ``s.toml shells[0]: `` or ``s.toml [links]: ``
#: (a rule across the scenario's shells: ``s.toml: shells[1]: ``).
_WHERE = re.compile(r"^:? ?(?:(?P<shell>shells\[(?P<index>\d+)\])|\[(?P<table>[a-z_]+)\]): ")


def check_python_models(document: dict, accepted, refused: str | None) -> None:
    """The document's tables given to the Python models: accepted as the file was (an equal
    design), or, where the file's message names one table, refused by that table's model
    in the same words after the model's own prefix."""
    where = _WHERE.match(refused) if refused is not None else None
    if refused is not None and where is None:
        return  # the file as a whole (TOML, a section's type, element set files)
    if not _plain_structure(document):
        return
    if refused is None:
        assert build_in_python(document) == accepted
        return
    detail = refused[where.end() :]
    table = where["table"]
    if table == "scenario" and detail.startswith("unknown key"):
        return  # Constellation() also takes the tables, so it names other keys as close
    with pytest.raises(ScenarioError) as info:
        if where["shell"] and refused.startswith(":"):  # a rule across the shells
            shells = [Shell(**table) for table in document["shells"]]
            Constellation(**document["scenario"], shells=shells)
        elif where["shell"]:
            Shell(**document["shells"][int(where["index"])])
        elif table in ("satellite", "solar_array", "battery", "radiator"):
            _satellite(document)
        elif table == "scenario":  # the [scenario] table holds the Constellation's own keys
            Constellation(**document["scenario"], shells=[Shell(**PLACEHOLDER_SHELL)])
        else:
            PYTHON_MODELS[table](**document.get(table, {}))
    assert str(info.value).endswith(": " + detail), (str(info.value), detail)


PYTHON_MODELS = {
    "drag": DragDesign,
    "links": LinksDesign,
    "launch": LaunchDesign,
    "cost": CostDesign,
}
PLACEHOLDER_SHELL = {
    "name": "placeholder",
    "altitude_km": 340.0,
    "inclination_deg": 53.0,
    "planes": 1,
    "sats_per_plane": 1,
}


def _plain_structure(document: dict) -> bool:
    """True when every section is of the type the file needs and no element set is named,
    so that the same tables can be handed to the models."""
    tables_ok = all(isinstance(document.get(s, {}), dict) for s in TABLES)
    shells = document.get("shells", [])
    return (
        tables_ok
        and "scenario" in document
        and isinstance(shells, list)
        and all(isinstance(s, dict) for s in shells)
        and not document.get("element_sets")
        and set(document) <= set(SECTIONS)
    )


def _satellite(document: dict) -> SatelliteDesign:
    tables = ("satellite", "solar_array", "battery", "radiator")
    return SatelliteDesign.from_tables(*(document.get(t) for t in tables))


def build_in_python(document: dict) -> Constellation:
    """The document's design built from Python: each table given to its model."""
    return Constellation(
        **document["scenario"],
        shells=[Shell(**table) for table in document.get("shells", [])],
        satellite=_satellite(document),
        **{name: model(**document.get(name, {})) for name, model in PYTHON_MODELS.items()},
    )


# ------------------------------------------------------------------------- the property

SMALL = {
    "scenario": {"name": "fuzz", "epoch": "2027-01-01T00:00:00Z"},
    "shells": [
        {
            "name": "s0",
            "altitude_km": 340.0,
            "planes": 1,
            "sats_per_plane": 1,
            "inclination_deg": 53,
        }
    ],
}
MARIO_OMM = json.dumps([MARIO]).encode()


def case(text: str | None = None, **sections) -> tuple[bytes, dict]:
    """An explicit example: the small scenario with ``sections`` replaced (or its TOML text
    changed by ``text(toml)``)."""
    document = {**copy.deepcopy(SMALL), **sections}
    toml = toml_text(document)
    return (text(toml) if text else toml).encode(), document


def shell(**changes) -> list[dict]:
    return [{**SMALL["shells"][0], **changes}]


def omm(**changes) -> bytes:
    return json.dumps([{**MARIO, **changes}]).encode()


#: What hypothesis found, each once a bug (exit 3, a message naming no key, or the Python
#: models refusing in other words than the file).
FOUND = [
    # An integer of 5,000 digits: Python's TOML reader raised a bare ValueError.
    (case(text=lambda t: t.replace("planes = 1", "planes = " + "1" * 5000)), MARIO_OMM),
    # A hexadecimal one of 4,817 digits: the message could not show it.
    (case(shells=shell(planes=16**4000)), MARIO_OMM),
    # ... and in the launch cadence, an OverflowError.
    (case(launch={"flights_per_year": 10**400}), MARIO_OMM),
    # sources: the file said "must be text in quotes" for a list holding a number, Python
    # "must be a list in brackets" for nan.
    (case(scenario={**SMALL["scenario"], "sources": NAN}), MARIO_OMM),
    (case(scenario={**SMALL["scenario"], "sources": ["a", 2]}), MARIO_OMM),
    # No epoch: Python's Constellation gave no hint of what to write.
    (case(scenario={"name": "fuzz"}), MARIO_OMM),
    # Two element sets without a name: "name=None is used twice".
    (case(shells=[], element_sets=[{"file": "iss.tle"}, {"file": "omm.json"}]), MARIO_OMM),
    (case(shells=[], element_sets=[{"file": "omm.json"}, {"file": "./omm.json"}]), MARIO_OMM),
    # OMM JSON with a number of 5,000 digits: Python's ValueError, naming no file.
    (case(shells=[], element_sets=[{"file": "long.json"}]), MARIO_OMM),
    # OMM fields SGP4 misreads: no field named ("'int' object is not subscriptable", "time
    # data '3.000000' does not match format"), a RuntimeWarning from sgp4 (an exception
    # under -W error).  tests/io/test_interop.py has the fields SGP4 took silently.
    (case(shells=[], element_sets=[{"file": "omm.json"}]), omm(OBJECT_ID=3)),
    (case(shells=[], element_sets=[{"file": "omm.json"}]), omm(EPOCH=3)),
    (case(shells=[], element_sets=[{"file": "omm.json"}]), omm(EPHEMERIS_TYPE=2**31)),
    # Two spaces in a value: the command line squeezed them, so its line differed from the
    # API's message.
    (case(shells=[], element_sets=[{"file": "omm.json"}]), omm(MEAN_MOTION_DDOT="0  0")),
]


def with_found(test):
    for scenario, omm_file in reversed(FOUND):
        test = example(scenario=scenario, omm=omm_file)(test)
    return test


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenario_bytes(), omm=omm_records())
@with_found
def test_any_document_plans_or_is_refused_in_one_line(scenario, omm):
    data, document = scenario
    check_document(data, omm, document)

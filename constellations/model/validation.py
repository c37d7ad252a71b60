"""The designs' common base, and the one formatter of their errors.

Every value the user states (a :class:`~constellations.model.constellation.Shell`,
the ``[links]`` table, a whole scenario file) is a :class:`Design`: a pydantic
v2 model that is frozen and refuses unknown keys, NaN and infinities.  It is
strict: a boolean is not a number, ``"100"`` is not ``100`` and ``"yes"`` is
not ``true``; but a whole number is taken where a float is expected (TOML
users write ``altitude_km = 340``), and a NumPy scalar counts as the Python
number it holds (``np.int64(10)`` planes).

Built from Python or read from TOML, a design passes the same fields, ranges
and validators.  What fails is raised as one
:class:`~constellations.errors.ScenarioError` of one line
(:func:`scenario_error`): where (the table and the key as the user wrote
them), what is wrong, and what to change::

    s.toml shells[0]: altitude_km=5.0: must be between 150 and 2000 km
    [links]: terminals=4.5: must be a whole number, not a fraction
    s.toml: unknown section 'shell'; did you mean 'shells'?
"""

import dataclasses
import datetime
import math
import sys
import typing
from types import UnionType
from typing import ClassVar

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic.fields import FieldInfo

from constellations.errors import ScenarioError
from constellations.model.keys import closest, did_you_mean


@dataclasses.dataclass(frozen=True)
class Hint:
    """What to write, appended to a field's error message: ``Hint("18.0 is a dawn-dusk orbit")``.

    Put it in the field's ``Annotated[...]``; the JSON Schema does not show it
    (the field's ``description`` is for editors).
    """

    text: str


@dataclasses.dataclass(frozen=True)
class Items:
    """How a list key's items read in its errors: ``Items("[low, high]")`` makes a list of
    the wrong length read "give two numbers, [low, high]".

    Put it in the field's ``Annotated[...]``, beside its :class:`Hint`.
    """

    text: str


_ModelMetaclass = type(BaseModel)


class _DesignMetaclass(_ModelMetaclass):
    """Builds designs from Python: positional arguments in field order, errors as ScenarioError.

    Validation from data (``model_validate``, nested tables) does not pass
    here, so a nested failure keeps its location in the outer error, and a
    table must use a field's alias (``sun_synchronous``) where Python may also
    use its name (``is_sun_synchronous``).
    """

    def __call__(cls, *args, **kwargs):
        if args:
            names = list(cls.model_fields)
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__}() takes at most {len(names)} positional arguments")
            for name, value in zip(names, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{cls.__name__}() got two values for {name!r}")
                kwargs[name] = value
        for name, info in cls.model_fields.items():  # Python may use the field's own name
            if info.alias and info.alias != name and name in kwargs:
                if info.alias in kwargs:
                    raise TypeError(f"{cls.__name__}() got {name!r} and {info.alias!r}")
                kwargs[info.alias] = kwargs.pop(name)
        try:
            return super().__call__(**kwargs)
        except ValidationError as exc:
            raise scenario_error(exc, cls, cls.where(kwargs)) from None


class Design(BaseModel, metaclass=_DesignMetaclass):
    """A frozen, strictly checked design value; ``replace(**changes)`` gives a checked copy.

    Subclasses say how an error names them: ``table_name`` (``"[links]"``),
    or :meth:`where` from the values given (``"shell 'dd340'"``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    #: How an error names a design built from Python, such as "[links]".
    table_name: ClassVar[str] = ""
    #: What an unknown name at this level is called in errors ("key", or "section").
    key_noun: ClassVar[str] = "key"
    #: Fields shown as TOML tables in errors ("[links]" rather than "links").
    bracket_tables: ClassVar[bool] = False
    #: Fields that errors name by another table, each with the model that checks it:
    #: ``{"array": (SolarArrayTable, "[solar_array]")}``; the model None for a plain field.
    field_tables: ClassVar[dict] = {}

    @classmethod
    def where(cls, data: dict) -> str:
        """The prefix of an error in a design built from Python with ``data``."""
        return cls.table_name

    @classmethod
    def from_table(cls, table):
        """This design from a TOML table (a dict), an instance of it, or None (the defaults).

        Raises :class:`~constellations.errors.ScenarioError` naming the table.
        """
        if table is None:
            table = {}
        if isinstance(table, cls):
            return table
        try:
            return cls.model_validate(table)
        except ValidationError as exc:
            raise scenario_error(exc, cls, cls.where({})) from None

    @model_validator(mode="before")
    @classmethod
    def _python_scalars(cls, data):
        """NumPy scalars (``np.int64(10)``, ``np.float32(340)``) as the Python numbers they hold."""
        if isinstance(data, dict):
            return {key: _python_scalar(value) for key, value in data.items()}
        return data

    def replace(self, **changes):
        """A checked copy with ``changes`` (field names as keywords); raises ScenarioError."""
        written = {name: info.alias or name for name, info in type(self).model_fields.items()}
        values = {written[name]: getattr(self, name) for name in written}
        values.update({written.get(key, key): value for key, value in changes.items()})
        return type(self)(**values)

    def __setattr__(self, name, value):
        raise dataclasses.FrozenInstanceError(
            f"cannot assign to field {name!r}: designs are frozen; use .replace({name}=...)"
        )

    def __delattr__(self, name):
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}: designs are frozen")


def _python_scalar(value):
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


# --- the formatter ------------------------------------------------------------------------


def scenario_error(exc: ValidationError, model: type, prefix: str = "") -> ScenarioError:
    """The one-line :class:`ScenarioError` for a failed validation of ``model``.

    ``prefix`` is where the data came from (a file, a preset, ``shell 'dd340'``).
    Of several errors it reports the first, except that an unknown key at the
    same level or above comes first (a misspelt key also leaves one missing).
    """
    errors = exc.errors(include_url=False)
    error = _most_telling(errors)
    return ScenarioError(_message(error, model, prefix))


def _most_telling(errors: list) -> dict:
    first = errors[0]
    parent = first["loc"][:-1]
    for error in errors:
        level = error["loc"][:-1]
        if error["type"] == "extra_forbidden" and parent[: len(level)] == level:
            return error
    return first


def _message(error: dict, model: type, prefix: str) -> str:
    parts, owner, key, info = _locate(model, error["loc"], error["type"])
    where = " ".join(p for p in (prefix, *parts) if p)
    detail = _detail(error, owner, key, info)
    return f"{where}: {detail}" if where else detail


def _locate(model: type, loc: tuple, kind: str):
    """``(where parts, model owning the key, key as written, its FieldInfo)`` of ``loc``.

    The key is None for an error of a table as a whole (a rule across its keys).
    """
    parts, owner, i = [], model, 0
    while i < len(loc):
        key = loc[i]
        info = _fields_as_written(owner).get(key) if isinstance(key, str) else None
        tables = getattr(owner, "field_tables", {})
        if key in tables:
            checker, label = tables[key]
            parts.append(label)
            if checker is not None and i + 1 < len(loc):
                owner, i = checker, i + 1
                continue
        inner = _model_in(info.annotation) if info is not None else None
        whole_table = i + 1 == len(loc) and kind not in _NOT_INSIDE
        if inner is not None and (i + 1 < len(loc) or whole_table):
            if whole_table:  # a rule across the table's keys failed
                _append_table(parts, key, getattr(owner, "bracket_tables", False))
                return parts, inner, None, None
            if isinstance(loc[i + 1], int):
                parts.append(f"{key}[{loc[i + 1]}]")
                i += 2
            else:
                _append_table(parts, key, getattr(owner, "bracket_tables", False))
                i += 1
            owner = inner
            continue
        if key in tables and (tables[key][0] is not None):
            return parts, owner, None, None
        # Past a plain field only list indices are the user's; strings there are pydantic's
        # names of a union's branches ("str", "list[str]"), which no scenario spells.
        rest = "".join(f"[{k}]" for k in loc[i + 1 :] if isinstance(k, int))
        return parts, owner, f"{key}{rest}", info
    return parts, owner, None, None


def _append_table(parts: list, key: str, bracket: bool) -> None:
    """A table's name in a location: ``[key]``, or ``[outer.key]`` inside a bracketed table
    (the way TOML writes it: ``[cost.ground]``), or the bare key."""
    if bracket:
        parts.append(f"[{key}]")
    elif parts and parts[-1].startswith("[") and parts[-1].endswith("]") and "[" not in key:
        parts[-1] = f"{parts[-1][:-1]}.{key}]"
    else:
        parts.append(key)


def _fields_as_written(model) -> dict:
    """``{key as a table writes it: FieldInfo}`` of a model (the alias where there is one)."""
    fields = getattr(model, "model_fields", {})
    return {(info.alias or name): info for name, info in fields.items()}


def _model_in(annotation):
    """The Design class a field holds (itself, in a tuple or list, or optional), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_TABLE_TYPES = {"model_type", "dict_type", "model_attributes_type", "dataclass_type"}
#: Errors about a table's field itself (absent, or not a table), not about its keys.
_NOT_INSIDE = _TABLE_TYPES | {"missing", "list_type", "tuple_type", "extra_forbidden"}


def _detail(error: dict, owner, key, info) -> str:
    kind = error["type"]
    if key is None:  # the design as a whole: a cross-field rule, or not a table at all
        if kind in _TABLE_TYPES:
            return "must be a table of keys"
        return _problem(error, None, None)
    if kind == "extra_forbidden":
        noun = getattr(owner, "key_noun", "key")
        allowed = list(_fields_as_written(owner))
        return f"unknown {noun} {key!r}; {did_you_mean(key, allowed, noun)}"
    if kind == "missing" and isinstance(error["loc"][-1], int) and _list_shape(info):
        written = key[: key.index("[")]  # an item missing from a list too short
        too_short = {**error, "type": "too_short"}
        return f"{written}={_shown(error['input'])}: {_problem(too_short, written, info)}"
    if kind == "missing":
        hint = _hint(info)
        what = f"[{key}] table" if _model_in(getattr(info, "annotation", None)) else repr(key)
        return f"missing {what}" + (f"; {hint}" if hint else "")
    if kind in _TABLE_TYPES:
        return f"write [{key}] as a table of keys"
    if kind in ("list_type", "tuple_type") and _model_in(getattr(info, "annotation", None)):
        return f"write {key} as [[{key}]] tables (an array of tables)"
    return f"{key}={_shown(error['input'])}: {_problem(error, key, info)}"


#: Whole numbers this long or longer are shown by their length: Python refuses to write
#: one of more than 4,300 digits as text (``sys.get_int_max_str_digits``), and a TOML file
#: can hold one in hexadecimal.
_LONGEST_SHOWN = 10**30


def _shown(value) -> str:
    """``value`` as the scenario file writes it: ``true``/``false``, a list as ``[a, b]``
    (also where Python made it a tuple), an inline table as ``{a = 1}``, a date or time as
    written (``2027-01-01``, not ``datetime.date(2027, 1, 1)``), a whole number of more
    than 30 digits by its length; text as Python quotes it (``'mesh'`` is a TOML literal
    string too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, int) and abs(value) >= _LONGEST_SHOWN:
        digits = int(math.log10(abs(value))) + 1
        return f"<a {'negative ' if value < 0 else ''}whole number of {digits:,} digits>"
    return repr(value)


_RANGE_TYPES = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _problem(error: dict, key, info) -> str:
    """What is wrong with the value, and what to write instead."""
    kind, value, ctx = error["type"], error["input"], error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):  # the validators' own words
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return _choice(value, info)
    if kind in _RANGE_TYPES:
        text = _range(kind, key, info)
    elif kind in ("int_type", "int_from_float", "int_parsing"):
        text = _whole_number(value)
        out_of_range = _outside(value, info)
        if out_of_range:  # 1e12 planes: "write 1000000000000" would be refused next
            text = _range(out_of_range, key, info)
    elif kind in ("float_type", "float_parsing"):
        text = _number(value)
        if isinstance(value, int) and not isinstance(value, bool):  # beyond a float's range
            text = _beyond_floats(value, key, info)
    elif kind == "finite_number":
        text = "must be a finite number, not nan or inf"
    elif kind in ("bool_type", "bool_parsing"):
        text = "must be true or false" + _not_a(value)
    elif kind == "string_type":
        text = "must be text in quotes" + _not_a(value, text_too=False)
    elif kind == "string_too_short":
        text = "must not be empty"
    elif kind == "string_too_long":
        text = f"must be at most {ctx.get('max_length')} characters"
    elif kind == "string_pattern_mismatch":
        text = "must not be blank"
    elif kind in ("list_type", "tuple_type", "too_short", "too_long"):
        text = _give(kind, ctx, info)
    elif kind.startswith("datetime"):
        text = (
            "must be a time"
            + _not_a(value, text_too=False)
            + ("" if _hint(info) else " such as '2027-01-01T00:00:00Z'")
        )
    else:
        text = error["msg"][:1].lower() + error["msg"][1:]
    hint = _hint(info)
    return f"{text} ({hint})" if hint else text


def _whole_number(value) -> str:
    if isinstance(value, bool):
        return "must be a whole number, not true or false"
    if isinstance(value, (list, tuple, dict)):
        return "must be one whole number" + _not_a(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "must be a whole number"
        if value.is_integer():
            return f"must be a whole number: write {int(value)}"
        return "must be a whole number, not a fraction"
    if isinstance(value, str):
        if value.strip().lstrip("+-").isdigit():
            return f"must be a whole number, not text: write {value.strip()} without quotes"
        return "must be a whole number, not text"
    return "must be a whole number"


def _outside(value, info) -> str | None:
    """The range error kind a whole number written as a float (``1e12``) would meet, or None."""
    if not (isinstance(value, float) and math.isfinite(value) and value.is_integer()):
        return None
    low, low_open, high, high_open = _bounds(info)
    if low is not None and (value <= low if low_open else value < low):
        return "greater_than" if low_open else "greater_than_equal"
    if high is not None and (value >= high if high_open else value > high):
        return "less_than" if high_open else "less_than_equal"
    return None


def _beyond_floats(value: int, key, info) -> str:
    """A whole number too large for a float, where a number is expected: the field's range,
    or, where it has none on that side, the float's."""
    low, _, high, _ = _bounds(info)
    if value > 0 and high is not None:
        return _range("less_than_equal", key, info)
    if value < 0 and low is not None:
        return _range("greater_than_equal", key, info)
    return f"must be a number of at most {sys.float_info.max:.3g} in size"


def _number(value) -> str:
    if isinstance(value, bool):
        return "must be a number, not true or false"
    if isinstance(value, (list, tuple, dict)):
        return "must be one number" + _not_a(value)
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return "must be a number, not text"
        return f"must be a number, not text: write {value.strip()} without quotes"
    return "must be a number"


def _not_a(value, text_too: bool = True) -> str:
    """``, not a list`` (or a table, text in quotes, true or false): what was written
    instead of a single value, or nothing."""
    if isinstance(value, (list, tuple)):
        return ", not a list"
    if isinstance(value, dict):
        return ", not a table"
    if isinstance(value, str) and text_too:
        return ", not text in quotes"
    if isinstance(value, bool):
        return ", not true or false"
    return ""


_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _give(kind: str, ctx: dict, info) -> str:
    """What a list key of the wrong length or type must hold: ``give two numbers, [low,
    high]`` (the field's :class:`Items`), from its annotation and length rules."""
    count, least, most, items_kind = _list_shape(info) or (None, None, None, "items")
    spelled = next((item.text for item in _constraints(info) if isinstance(item, Items)), "")
    tail = f", {spelled}" if spelled else " in brackets"
    if count is not None:
        return f"give {_COUNTS.get(count, str(count))} {items_kind}{tail}"
    if kind == "too_short":
        return f"give at least {ctx.get('min_length', least)} {items_kind}{tail}"
    if kind == "too_long":
        return f"give at most {ctx.get('max_length', most)} {items_kind}{tail}"
    return "must be a list in brackets" + (f", {spelled}" if spelled else "")


def _list_shape(info):
    """``(count or None, least, most, "numbers"/"texts in quotes"/"items")`` of a list or
    tuple field (a fixed tuple's length, or its equal length rules), or None for a field
    holding no list."""
    stack = [getattr(info, "annotation", None)]
    while stack:
        annotation = stack.pop()
        origin = typing.get_origin(annotation)
        if origin in (tuple, list):
            args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
            fixed = origin is tuple and Ellipsis not in typing.get_args(annotation)
            least = most = None
            for item in _constraints(info):
                if isinstance(item, annotated_types.MinLen):
                    least = item.min_length
                elif isinstance(item, annotated_types.MaxLen):
                    most = item.max_length
            count = len(args) if fixed else (least if least is not None and least == most else None)
            return count, least, most, _items_kind(args[0] if args else None)
        if origin is typing.Annotated or origin in (typing.Union, UnionType):
            stack.extend(
                typing.get_args(annotation)[:1]
                if origin is typing.Annotated
                else typing.get_args(annotation)
            )
    return None


def _items_kind(annotation) -> str:
    """``numbers``, ``texts in quotes`` or ``items``: what a list's items are."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    kinds = set(typing.get_args(annotation)) if typing.get_args(annotation) else {annotation}
    if kinds and kinds <= {int, float}:
        return "numbers"
    if kinds == {str}:
        return "texts in quotes"
    return "items"


def _choice(value, info) -> str:
    choices = [str(c) for c in _literal_choices(info)]
    quoted = [f'"{c}"' for c in choices]
    listed = " or ".join(quoted) if len(quoted) <= 2 else "one of " + ", ".join(quoted)
    close = closest(value, choices) if isinstance(value, str) else None
    if close:
        return f"did you mean {close!r}? (must be {listed})"
    hint = _hint(info)
    return f"must be {listed}" + _not_a(value, text_too=False) + (f" ({hint})" if hint else "")


def _literal_choices(info) -> tuple:
    stack = [getattr(info, "annotation", None)]
    while stack:
        annotation = stack.pop()
        if typing.get_origin(annotation) is typing.Literal:
            return typing.get_args(annotation)
        stack.extend(typing.get_args(annotation))
    return ()


def _range(kind: str, key, info) -> str:
    low, low_open, high, high_open = _bounds(info)
    unit = _unit(key)
    low_broken = kind in ("greater_than", "greater_than_equal")
    low_word = "above" if low_open else "at least"
    high_word = "below" if high_open else "at most"
    if _is_int(info) and low is not None and high is not None and high - low <= 2:
        values = [str(v) for v in range(int(low) + low_open, int(high) + 1 - high_open)]
        if len(values) > 1:
            return f"must be {', '.join(values[:-1])} or {values[-1]}"
    if low_broken and low == 0:
        return "must be positive" if low_open else "must not be negative"
    if low_broken and (high is None or _is_int(info)):
        return f"must be {low_word} {_show(low)}{unit}"
    if not low_broken and low is None:
        return f"must be {high_word} {_show(high)}{unit}"
    if not (low_open or high_open):
        return f"must be between {_show(low)} and {_show(high)}{unit}"
    return f"must be {low_word} {_show(low)} and {high_word} {_show(high)}{unit}"


def _constraints(info) -> list:
    """Every metadata object of a field: its own and those inside its annotation."""
    if info is None:
        return []
    found = list(info.metadata)
    stack = [info.annotation]
    while stack:
        annotation = stack.pop()
        if typing.get_origin(annotation) is typing.Annotated:
            base, *metadata = typing.get_args(annotation)
            for item in metadata:
                found.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            stack.append(base)
        elif typing.get_origin(annotation) in (typing.Union, UnionType):
            stack.extend(typing.get_args(annotation))
    return found


def _bounds(info) -> tuple:
    low = low_open = high = high_open = None
    for item in _constraints(info):
        if isinstance(item, annotated_types.Ge):
            low, low_open = item.ge, False
        elif isinstance(item, annotated_types.Gt):
            low, low_open = item.gt, True
        elif isinstance(item, annotated_types.Le):
            high, high_open = item.le, False
        elif isinstance(item, annotated_types.Lt):
            high, high_open = item.lt, True
    return low, bool(low_open), high, bool(high_open)


def _hint(info) -> str:
    return next((item.text for item in _constraints(info) if isinstance(item, Hint)), "")


def _is_int(info) -> bool:
    stack = [getattr(info, "annotation", None)]
    while stack:
        annotation = stack.pop()
        if annotation is int:
            return True
        stack.extend(typing.get_args(annotation))
    return False


def _show(number) -> str:
    if abs(number) < 1e5:
        return f"{number:g}"
    return f"{number:,}" if isinstance(number, int) else f"{number:,.0f}"  # ints exactly


#: Units by the end of a field's name (the project writes units in names), longest first.
_UNITS = (
    ("_m2_per_tonne", "m^2 per tonne"),
    ("_kg_per_tonne_year", "kg per tonne a year"),
    ("_kg_per_tonne", "kg per tonne"),
    ("_w_per_tonne", "W per tonne"),
    ("_kg_m2", "kg/m^2"),
    ("_wh_kg", "Wh/kg"),
    ("_per_year", "a year"),
    ("_km", "km"),
    ("_deg", "degrees"),
    ("_hours", "hours"),
    ("_years", "years"),
    ("_kg", "kg"),
    ("_kw", "kW"),
    ("_w", "W"),
    ("_k", "K"),
    ("_t", "t"),
    ("_usd", "USD"),
    ("_gbps", "Gbps"),
    ("_gb", "GB"),
    ("_pflops", "PFLOPS"),
)


#: Units after ``_usd_per_`` in a price's name.
_PER = {
    "kw": "kW", "w": "W", "kg": "kg", "m2": "m^2", "wh": "Wh", "kwh": "kWh", "mwh": "MWh",
    "mmbtu": "MMBtu", "gpu": "accelerator", "kw_year": "kW-year",
}  # fmt: skip


def _unit(key) -> str:
    name = str(key or "")
    if "_usd_per_" in name:
        per = name.rsplit("_usd_per_", 1)[1]
        return f" USD per {_PER.get(per, per)}"
    if name.endswith("_btu_per_kwh"):
        return " Btu per kWh"
    for suffix, unit in _UNITS:
        if name.endswith(suffix):
            return f" {unit}"
    return ""


def with_origin(origin: str, error: ScenarioError) -> ScenarioError:
    """``error`` with ``origin`` (a file or a preset) in front, as the file's errors read."""
    text = str(error)
    return ScenarioError(f"{origin} {text}" if text.startswith("[") else f"{origin}: {text}")


def field_bounds(info) -> tuple[float, float, bool, bool]:
    """``(low, high, low_included, high_included)`` of a numeric pydantic field (its
    ``ge``/``gt``/``le``/``lt`` rules, also inside its annotation; infinite where it has
    none)."""
    low, low_open, high, high_open = _bounds(info)
    return (
        -math.inf if low is None else low,
        math.inf if high is None else high,
        low is not None and not low_open,
        high is not None and not high_open,
    )

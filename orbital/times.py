"""Time grids: an epoch plus offsets in seconds, for SGP4 and for Skyfield.

The epoch is an :class:`Epoch`: a UTC instant to the microsecond, held as its
calendar fields so that it can be a leap second (``23:59:60``), which a Python
``datetime`` cannot hold.  Which days end with a leap second is read from
Skyfield's builtin timescale (its leap-second table), the same table Skyfield
uses to turn the epoch into TAI and TT.

Offsets from the epoch, ``t_s``, are elapsed SI seconds (leap seconds
counted, as ``Epoch - Epoch``), one definition for every clock.  Skyfield
takes its own ``Time`` objects of those instants, built from the builtin
timescale so that nothing is downloaded; SGP4 takes split UTC Julian dates
``(jd, fr)`` (python-sgp4's "Array interface"), the UTC of the same instants
(:meth:`Epoch.sgp4_offsets_s`).
"""

import bisect
import dataclasses
import datetime as _dt
import functools
import math
import operator
import re
from dataclasses import dataclass

import numpy as np

from orbital.constants import SECONDS_PER_DAY

#: How an epoch is written in messages.
EXAMPLE_EPOCH = "2027-01-01T00:00:00Z"
#: Julian date of 0001-01-01 00:00 UTC, the day ``date.toordinal()`` numbers 1.
_JD_OF_ORDINAL_ZERO_MIDNIGHT = 1721424.5
#: Microseconds a second.
_US = 1_000_000
#: During a leap second 23:59:60.x SGP4 is given 23:59:59.5 + x: this much before the next
#: midnight's reading (Skyfield's sgp4lib does the same).
_LEAP_SECOND_READING_BACK_S = 0.5
#: strftime directives that would spell a leap second's time from its stand-in datetime.
_SECONDS_HIDING_DIRECTIVES = frozenset("TXcrs")
#: The seconds field ``60`` of an ISO-8601 time (extended or basic form), before any
#: fraction or offset.
_SECOND_60 = re.compile(r"(?P<head>[Tt ]\d\d(?P<sep>:?)\d\d(?P=sep))60(?=[.,]\d|[+-]|$)")


@functools.cache
def builtin_timescale():
    """Skyfield's timescale from the tables it ships (no download), loaded once per process.

    The timescale is immutable data (leap seconds and Delta T tables), so one
    instance serves every caller.
    """
    from skyfield.api import load

    return load.timescale(builtin=True)


@dataclass(frozen=True)
class _LeapTable:
    """Skyfield's leap-second table by day: TAI - UTC from each change on, and the leap days."""

    change_days: tuple[int, ...]  # proleptic ordinals of the days a new offset starts
    offsets_s: tuple[int, ...]  # TAI - UTC from that day's 00:00 UTC, whole seconds
    before_s: int  # TAI - UTC before the first change (Skyfield's value there)
    leap_days: frozenset[int]  # ordinals of the days that end with 23:59:60
    last_leap_day: int
    leap_starts_tai_s: tuple[int, ...]  # each 23:59:60 on :meth:`Epoch._tai_us`'s count, s

    def offset_s(self, ordinal: int) -> int:
        """TAI - UTC through the UTC day ``ordinal`` (including its leap second, if any)."""
        i = bisect.bisect_right(self.change_days, ordinal) - 1
        return self.offsets_s[i] if i >= 0 else self.before_s


@functools.cache
def _leap_table() -> _LeapTable:
    """The builtin timescale's leap seconds, read once.

    Skyfield keeps ``leap_dates`` (UTC Julian dates, at 00:00, from which a new
    TAI - UTC holds) and ``leap_offsets``; before its first date it takes one
    second less than the first offset, and so does this table.  A day ends with
    a leap second when the offset grows by one second at the next midnight.
    """
    ts = builtin_timescale()
    pairs = [
        (int(round(float(jd) - _JD_OF_ORDINAL_ZERO_MIDNIGHT)), int(round(float(offset))))
        for jd, offset in zip(ts.leap_dates, ts.leap_offsets, strict=True)
        if math.isfinite(jd)
    ]
    days = tuple(day for day, _ in pairs)
    offsets = tuple(offset for _, offset in pairs)
    before = offsets[0] - 1
    previous = (before, *offsets[:-1])
    steps = zip(days, offsets, previous, strict=True)
    leap_days = frozenset(day - 1 for day, offset, old in steps if offset - old == 1)
    table = _LeapTable(days, offsets, before, leap_days, max(leap_days), ())
    # 23:59:60 reads as the next midnight on the 86400-second clock and keeps its day's offset.
    starts = tuple((day + 1) * 86400 + table.offset_s(day) for day in sorted(leap_days))
    return dataclasses.replace(table, leap_starts_tai_s=starts)


def _leap_seconds_passed(t_s, start_s):
    """How much of the leap second starting ``start_s`` has passed for SGP4 at ``t_s``.

    0 before it, 1 after it, and 0.5 during it (Skyfield's sgp4lib: TAI - UTC
    interpolated at whole TAI seconds, and 23:59:60 is half way).
    """
    during = np.where(t_s >= start_s, _LEAP_SECOND_READING_BACK_S, 0.0)
    return np.where(t_s >= start_s + 1.0, 1.0, during)


class EpochError(ValueError):
    """An impossible epoch; ``reason`` is the message without the value in front."""

    def __init__(self, value_text: str, reason: str):
        super().__init__(f"epoch={value_text}: {reason}")
        self.reason = reason


def _whole(name: str, value) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name}={value!r}: must be a whole number, not true or false")
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name}={value!r}: must be a whole number") from None


@dataclass(frozen=True, order=True)
class Epoch:
    """A UTC instant to the microsecond, which may be a leap second.

    The fields are the UTC calendar date and time of day; ``second`` runs
    ``0 <= second < 61``, and reaches 60 only at ``23:59`` on a day that ends
    with a leap second in Skyfield's builtin leap-second table
    (``2016-12-31T23:59:60Z``; ``2017-06-30T23:59:60Z`` is refused).  A
    ``datetime`` cannot hold such a second, so the scenario's epoch is an
    ``Epoch``.  ``second`` is kept as ``whole + microseconds * 1e-6`` (the
    float a ``datetime``'s ``second + microsecond * 1e-6`` gives), rounded to
    the microsecond when it is made (never up into the next second), so that
    equal instants are equal values.

    Build one with :meth:`parse` (an ISO-8601 string, a ``datetime`` or an
    ``Epoch``) or from the fields.  Epochs order and compare as instants, hash,
    pickle, and subtract (``a - b``) to the elapsed SI seconds between them as
    a ``timedelta``, leap seconds counted.  Raises ``ValueError``.
    """

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: float

    def __post_init__(self):
        fields = {}
        for name in ("year", "month", "day", "hour", "minute"):
            fields[name] = _whole(name, getattr(self, name))
        try:
            date = _dt.date(fields["year"], fields["month"], fields["day"])
        except ValueError as exc:
            raise ValueError(
                f"epoch {fields['year']}-{fields['month']}-{fields['day']}: {exc}"
            ) from None
        if not 0 <= fields["hour"] <= 23:
            raise ValueError(f"hour={fields['hour']}: must be 0 to 23")
        if not 0 <= fields["minute"] <= 59:
            raise ValueError(f"minute={fields['minute']}: must be 0 to 59")
        second = self.second
        if isinstance(second, bool) or not isinstance(second, (int, float, np.number)):
            raise ValueError(f"second={second!r}: must be a number of seconds")
        second = float(second)
        if not (math.isfinite(second) and 0.0 <= second < 61.0):
            raise ValueError(f"second={second!r}: must be at least 0 and less than 61")
        whole = math.floor(second)
        micro = min(round((second - whole) * _US), _US - 1)
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "second", whole + micro * 1e-6)
        if whole == 60:
            self._require_leap_second(date)

    def _require_leap_second(self, date: _dt.date) -> None:
        table = _leap_table()
        if (self.hour, self.minute) != (23, 59):
            reason = (
                "a second of 60 is a leap second, which comes only at 23:59:60 UTC at the "
                "end of a day with one in Skyfield's builtin leap-second table"
            )
        elif date.toordinal() not in table.leap_days:
            last = _dt.date.fromordinal(table.last_leap_day).isoformat()
            reason = (
                f"23:59:60 is a leap second, and {date.isoformat()} does not end with one in "
                f"Skyfield's builtin leap-second table (the latest: {last}); write 23:59:59 "
                "or the next day's 00:00:00"
            )
        else:
            return
        raise EpochError(repr(self.iso_z()), reason)

    # --- making one -----------------------------------------------------------------------

    @classmethod
    def parse(cls, value) -> "Epoch":
        """An Epoch from an ISO-8601 string, a ``datetime`` or an Epoch.

        A string may end in ``Z``, an offset, or nothing (UTC); a naive
        ``datetime`` is UTC.  Seconds may have a fraction (beyond microseconds
        it is cut, as ``datetime.fromisoformat`` does) and may be ``60`` on a
        day with a leap second.  Raises ``ValueError`` naming the value and the
        expected form (an :class:`EpochError` for a second of 60 on another day).
        """
        if isinstance(value, Epoch):
            return value
        if isinstance(value, _dt.datetime):
            return cls._from_datetime(value)
        if not isinstance(value, str):
            raise ValueError(f"epoch={value!r}: must be an ISO-8601 time such as {EXAMPLE_EPOCH!r}")
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            return cls._from_datetime(_dt.datetime.fromisoformat(text))
        except ValueError:
            pass
        leap = _SECOND_60.search(text)
        try:
            if leap is None:
                raise ValueError(text)
            moment = cls._from_datetime(
                _dt.datetime.fromisoformat(_SECOND_60.sub(r"\g<head>59", text, count=1))
            )
        except ValueError:
            raise ValueError(
                f"epoch={value!r}: not an ISO-8601 time; write it like {EXAMPLE_EPOCH!r}"
            ) from None
        try:
            return moment._leap_second_after()
        except EpochError as exc:
            raise EpochError(repr(value), exc.reason) from None

    @classmethod
    def _from_datetime(cls, moment: _dt.datetime) -> "Epoch":
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_dt.UTC)
        u = moment.astimezone(_dt.UTC)
        return cls(u.year, u.month, u.day, u.hour, u.minute, u.second + u.microsecond * 1e-6)

    def _leap_second_after(self) -> "Epoch":
        """The leap second 60.x that a string wrote where this epoch has second 59.x."""
        if (self.hour, self.minute, math.floor(self.second)) != (23, 59, 59):
            raise EpochError(
                repr(self.iso_z()),
                "a second of 60 is a leap second, which comes only at 23:59:60 UTC at the "
                "end of a day with one in Skyfield's builtin leap-second table",
            )
        return Epoch(self.year, self.month, self.day, 23, 59, 60 + self.microsecond * 1e-6)

    # --- its parts ------------------------------------------------------------------------

    @property
    def microsecond(self) -> int:
        """Microseconds past the whole second, 0 to 999999."""
        return round((self.second - math.floor(self.second)) * _US)

    @property
    def is_leap_second(self) -> bool:
        return self.second >= 60.0

    @property
    def date(self) -> _dt.date:
        """The UTC calendar day."""
        return _dt.date(self.year, self.month, self.day)

    @property
    def datetime(self) -> _dt.datetime:
        """The instant as an aware UTC ``datetime``.

        A ``datetime`` has no second 60, so a leap second ``23:59:60.x`` gives
        ``23:59:59.999999``: the last instant a ``datetime`` can name before the
        next day, so the calendar day, the year and the order against other
        times stay right.  Arithmetic on it does not count the leap second;
        subtract Epochs for elapsed time.
        """
        if self.is_leap_second:
            return _dt.datetime(self.year, self.month, self.day, 23, 59, 59, _US - 1, _dt.UTC)
        whole, micro = math.floor(self.second), self.microsecond
        return _dt.datetime(
            self.year, self.month, self.day, self.hour, self.minute, whole, micro, _dt.UTC
        )

    # --- as text --------------------------------------------------------------------------

    def isoformat(self) -> str:
        """ISO-8601 with ``+00:00``, as ``datetime.isoformat()`` writes a UTC time.

        ``2027-01-01T00:00:00+00:00``; microseconds only when there are some
        (``...T15:09:26.535897+00:00``); a leap second ``2016-12-31T23:59:60+00:00``.
        """
        text = (
            f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            f"T{self.hour:02d}:{self.minute:02d}:{math.floor(self.second):02d}"
        )
        if self.microsecond:
            text += f".{self.microsecond:06d}"
        return text + "+00:00"

    def iso_z(self) -> str:
        """ISO-8601 UTC with a ``Z``, fractions of a second only when there are some."""
        return self.isoformat().replace("+00:00", "Z")

    def __str__(self) -> str:
        return self.iso_z()

    def strftime(self, fmt: str) -> str:
        """``datetime.strftime`` of the instant, with a leap second's ``%S`` as ``60``.

        For a leap second, ``%S`` gives ``60`` and ``%f`` its microseconds; the
        directives that would spell its time from the stand-in ``datetime``
        (``%T``, ``%X``, ``%c``, ``%r``, ``%s``) are refused with ``ValueError``.
        """
        if not self.is_leap_second:
            return self.datetime.strftime(fmt)
        pieces, i = [], 0
        while i < len(fmt):
            if fmt[i] == "%" and i + 1 < len(fmt):
                directive = fmt[i + 1]
                if directive == "S":
                    pieces.append("60")
                elif directive == "f":
                    pieces.append(f"{self.microsecond:06d}")
                elif directive in _SECONDS_HIDING_DIRECTIVES:
                    raise ValueError(
                        f"strftime {fmt!r}: %{directive} cannot write the leap second "
                        f"{self.iso_z()}; spell the time with %H:%M:%S"
                    )
                else:
                    pieces.append(fmt[i : i + 2])
                i += 2
            else:
                pieces.append(fmt[i])
                i += 1
        return self.datetime.strftime("".join(pieces))

    # --- as other clocks ------------------------------------------------------------------

    def sgp4_dates(self) -> tuple[float, float]:
        """Split UTC Julian date ``(jd, fr)`` that SGP4 is given at this instant.

        python-sgp4's ``jday`` of the fields.  UTC Julian dates count days of
        86400 s and have no name for a leap second: at ``23:59:60.x`` SGP4 is
        given ``23:59:59.5 + x`` (:meth:`sgp4_offsets_s`), as Skyfield's sgp4lib
        does.  Element sets made at this epoch take it as theirs, so that they
        are propagated from 0 s at this instant.
        """
        from sgp4.api import jday

        second = self.second - _LEAP_SECOND_READING_BACK_S if self.is_leap_second else self.second
        return jday(self.year, self.month, self.day, self.hour, self.minute, second)

    def sgp4_offsets_s(self, t_s) -> np.ndarray:
        """Where the instants ``t_s`` SI seconds after the epoch fall on SGP4's clock.

        SGP4 takes UTC Julian dates, days of 86400 s with no leap seconds; the
        result is in seconds after :meth:`sgp4_dates`: ``t_s`` less the leap
        seconds that come between the epoch and each instant, so that SGP4 sees
        the UTC of each instant.  During a leap second ``23:59:60.x`` (which no
        UTC Julian date names) SGP4 is given ``23:59:59.5 + x``, as Skyfield's
        sgp4lib does (it interpolates TAI - UTC across the leap second at whole
        TAI seconds): SGP4's time steps back half a second at ``23:59:60`` and
        again at the next ``00:00:00``, and never strays more than half a
        second from either reading of the instant.  With no leap second
        between the epoch and the instants the result is ``t_s``, bit for bit.
        An array of the shape of ``t_s``.
        """
        t_s = np.asarray(t_s, dtype=float)
        span = (min(float(t_s.min(initial=0.0)), 0.0), max(float(t_s.max(initial=0.0)), 0.0))
        epoch_tai_us = self._tai_us()
        back = np.zeros(t_s.shape)
        for start_s in _leap_table().leap_starts_tai_s:
            start = (start_s * _US - epoch_tai_us) / _US  # the leap second, s after the epoch
            if span[0] >= start + 1.0 or span[1] < start:
                continue  # wholly before or wholly after every instant and the epoch
            back += _leap_seconds_passed(t_s, start) - _leap_seconds_passed(0.0, start)
        return t_s - back if back.any() else t_s.copy()

    def skyfield(self, ts, offsets_s=0.0):
        """Skyfield ``Time`` ``offsets_s`` SI seconds after the epoch, on timescale ``ts``.

        ``ts.utc(year, month, day, hour, minute, second + offsets_s)``: Skyfield
        counts the seconds from the day's start in TAI, so a leap second and
        offsets across one land where they should.  An array of offsets gives
        an array ``Time``.
        """
        seconds = self.second + offsets_s
        return ts.utc(self.year, self.month, self.day, self.hour, self.minute, seconds)

    def _utc_clock_us(self) -> int:
        """Microseconds since 0001-01-01 00:00 UTC on a clock of 86400-second days.

        23:59:60 reads as the next day's 00:00:00 here.
        """
        ordinal = _dt.date(self.year, self.month, self.day).toordinal()
        seconds = ordinal * 86400 + self.hour * 3600 + self.minute * 60 + math.floor(self.second)
        return seconds * _US + self.microsecond

    def _tai_us(self) -> int:
        """TAI in whole microseconds, counted so that differences are exact.

        The clock of :meth:`_utc_clock_us` plus TAI - UTC through the UTC day:
        a leap second 23:59:60 keeps its day's offset and the next midnight has
        one second more.
        """
        ordinal = _dt.date(self.year, self.month, self.day).toordinal()
        return self._utc_clock_us() + _leap_table().offset_s(ordinal) * _US

    def __sub__(self, other) -> _dt.timedelta:
        """Elapsed SI seconds from ``other`` (an Epoch or a datetime) to this epoch.

        Both are taken to TAI with the builtin leap-second table, so a leap
        second between them counts: ``2017-01-01T00:00:00Z - 2016-12-31T23:59:59Z``
        is 2 s.  Exact to the microsecond.  This is how ``t_s`` counts: the
        instant ``t_s`` after an epoch is the one ``t_s`` SI seconds later.
        """
        if isinstance(other, (Epoch, _dt.datetime)):
            other = Epoch.parse(other)
            return _dt.timedelta(microseconds=self._tai_us() - other._tai_us())
        return NotImplemented

    def __rsub__(self, other) -> _dt.timedelta:
        if isinstance(other, _dt.datetime):
            return Epoch.parse(other) - self
        return NotImplemented


def parse_epoch(value) -> Epoch:
    """An :class:`Epoch` from an ISO-8601 string, a datetime or an Epoch (:meth:`Epoch.parse`).

    Naive datetimes and strings without an offset are taken as UTC.
    Raises ``ValueError`` naming the expected form.
    """
    return Epoch.parse(value)


def julian_date_utc(epoch) -> tuple[float, float]:
    """Split UTC Julian date ``(whole, fraction)`` of an epoch, as SGP4 wants it.

    ``epoch`` is anything :meth:`Epoch.parse` takes; see :meth:`Epoch.sgp4_dates`.
    """
    return Epoch.parse(epoch).sgp4_dates()


@dataclass(frozen=True, eq=False)
class TimeGrid:
    """An epoch (UTC) and offsets from it in SI seconds, shape ``(n_t,)``.

    ``t_s`` counts elapsed SI seconds, leap seconds included (``Epoch - Epoch``):
    Skyfield's times (:meth:`skyfield`, and so every rotation) and SGP4's UTC
    Julian dates (:meth:`sgp4_dates`) are of the same instants.

    ``epoch`` is anything :meth:`Epoch.parse` takes, kept as an :class:`Epoch`.
    """

    epoch: Epoch
    t_s: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "epoch", Epoch.parse(self.epoch))

    @classmethod
    def uniform(cls, epoch, duration_s: float, step_s: float) -> "TimeGrid":
        """Samples every ``step_s`` from the epoch up to and including ``duration_s``."""
        if not step_s > 0:
            raise ValueError(f"step_s={step_s}: must be a positive number of seconds")
        if not duration_s >= 0:
            raise ValueError(f"duration_s={duration_s}: must not be negative")
        n_steps = int(np.floor(duration_s / step_s + 1e-9))
        return cls(Epoch.parse(epoch), np.arange(n_steps + 1) * float(step_s))

    @classmethod
    def from_offsets(cls, epoch, t_s) -> "TimeGrid":
        return cls(Epoch.parse(epoch), np.atleast_1d(np.asarray(t_s, dtype=float)))

    def __len__(self) -> int:
        return len(self.t_s)

    def sgp4_dates(self) -> tuple[np.ndarray, np.ndarray]:
        """Split UTC Julian dates ``(jd, fr)`` SGP4 is given at the instants, each ``(n_t,)``.

        The UTC of each instant, leap seconds counted (:meth:`Epoch.sgp4_offsets_s`).
        """
        jd0, fr0 = self.epoch.sgp4_dates()
        jd = np.full(len(self.t_s), jd0)
        fr = fr0 + self.epoch.sgp4_offsets_s(self.t_s) / SECONDS_PER_DAY
        return jd, fr

    def erfa_utc_dates(self) -> tuple[np.ndarray, np.ndarray]:
        """Split UTC Julian dates ``(jd, fr)`` of the instants as ERFA and astropy read them.

        ERFA's UTC Julian dates (``astropy.time.Time(jd, fr, format="jd",
        scale="utc")``) count a day that ends with a leap second as 86401 s,
        so every instant of it, 23:59:60.x too, has its own date.  On other
        days they are :meth:`sgp4_dates`, bit for bit.
        """
        jd, fr = self.sgp4_dates()
        epoch_tai_us = self.epoch._tai_us()
        table = _leap_table()
        for day, start_s in zip(sorted(table.leap_days), table.leap_starts_tai_s, strict=True):
            midnight_s = ((start_s - 86400) * _US - epoch_tai_us) / _US  # that day's 00:00
            on = (self.t_s >= midnight_s) & (self.t_s < midnight_s + 86401.0)
            if on.any():
                jd = np.where(on, day + _JD_OF_ORDINAL_ZERO_MIDNIGHT, jd)
                fr = np.where(on, (self.t_s - midnight_s) / 86401.0, fr)
        return jd, fr

    def skyfield(self, ts):
        """The same instants as a Skyfield ``Time`` array on timescale ``ts``."""
        return self.epoch.skyfield(ts, self.t_s)

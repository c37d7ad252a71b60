"""Time grids: an epoch plus offsets in seconds, for SGP4 and for Skyfield.

SGP4 takes split UTC Julian dates ``(jd, fr)`` to keep precision (python-sgp4
README, "Array interface"); Skyfield takes its own ``Time`` objects, built
from the builtin timescale so that nothing is downloaded.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from orbital.constants import SECONDS_PER_DAY


@functools.cache
def builtin_timescale():
    """Skyfield's timescale from the tables it ships (no download), loaded once per process.

    The timescale is immutable data (leap seconds and Delta T tables), so one
    instance serves every caller.
    """
    from skyfield.api import load

    return load.timescale(builtin=True)


def parse_epoch(value) -> datetime:
    """A timezone-aware UTC ``datetime`` from an ISO-8601 string or a datetime.

    Naive datetimes and strings without an offset are taken as UTC.
    Raises ``ValueError`` naming the expected form.
    """
    if isinstance(value, datetime):
        epoch = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            epoch = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"epoch={value!r}: not an ISO-8601 time; write it like '2027-01-01T00:00:00Z'"
            ) from None
    else:
        raise ValueError(
            f"epoch={value!r}: must be an ISO-8601 time such as '2027-01-01T00:00:00Z'"
        )
    if epoch.tzinfo is None:
        epoch = epoch.replace(tzinfo=UTC)
    return epoch.astimezone(UTC)


def julian_date_utc(epoch: datetime) -> tuple[float, float]:
    """Split UTC Julian date ``(whole, fraction)`` of a UTC datetime, as SGP4 wants it."""
    from sgp4.api import jday

    seconds = epoch.second + epoch.microsecond * 1e-6
    jd, fr = jday(epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, seconds)
    return jd, fr


@dataclass(frozen=True, eq=False)
class TimeGrid:
    """An epoch (UTC) and offsets from it in seconds, shape ``(n_t,)``."""

    epoch: datetime
    t_s: np.ndarray

    @classmethod
    def uniform(cls, epoch, duration_s: float, step_s: float) -> "TimeGrid":
        """Samples every ``step_s`` from the epoch up to and including ``duration_s``."""
        if not step_s > 0:
            raise ValueError(f"step_s={step_s}: must be a positive number of seconds")
        if not duration_s >= 0:
            raise ValueError(f"duration_s={duration_s}: must not be negative")
        n_steps = int(np.floor(duration_s / step_s + 1e-9))
        return cls(parse_epoch(epoch), np.arange(n_steps + 1) * float(step_s))

    @classmethod
    def from_offsets(cls, epoch, t_s) -> "TimeGrid":
        return cls(parse_epoch(epoch), np.atleast_1d(np.asarray(t_s, dtype=float)))

    def __len__(self) -> int:
        return len(self.t_s)

    def sgp4_dates(self) -> tuple[np.ndarray, np.ndarray]:
        """Split UTC Julian dates ``(jd, fr)``, each of shape ``(n_t,)``."""
        jd0, fr0 = julian_date_utc(self.epoch)
        jd = np.full(len(self.t_s), jd0)
        fr = fr0 + self.t_s / SECONDS_PER_DAY
        return jd, fr

    def skyfield(self, ts):
        """The same instants as a Skyfield ``Time`` array on timescale ``ts``."""
        e = self.epoch
        seconds = e.second + e.microsecond * 1e-6 + self.t_s
        return ts.utc(e.year, e.month, e.day, e.hour, e.minute, seconds)

"""The planner's errors: one hierarchy, one line each, saying what to change.

Every error the planner raises on purpose is an :class:`OrbitalDcError`; the
command line prints its message as one line and exits with status 2.  Any
other exception is a bug in the planner (exit status 3).  A model out of its
range or a design that does not close is not an error: it is stated on the
stage's result.
"""


class OrbitalDcError(Exception):
    """Base of the planner's errors; the message is one line that says what to change."""


class ScenarioError(OrbitalDcError, ValueError):
    """Bad input: a scenario file, a preset name, a design built in Python, or a command option.

    A ``ValueError`` too, so code that caught the planner's ``ValueError`` still does.
    """


class LimitError(OrbitalDcError):
    """Work that cannot fit in this machine's memory or time, refused before it starts.

    The message gives the estimate and what to change (fewer satellites, a
    coarser step, a streamed output).
    """


class ExportError(OrbitalDcError):
    """An output that cannot be written: a missing folder, a file format, a browser for images."""

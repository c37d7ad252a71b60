"""Names the user got wrong, answered with the closest valid one."""

import difflib


def closest(name, allowed, cutoff: float = 0.5) -> str | None:
    """The one of ``allowed`` closest to ``name`` (compared as text), or None when none is
    close (difflib's ratio below ``cutoff``)."""
    close = difflib.get_close_matches(str(name), [str(a) for a in allowed], n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name, allowed, noun: str = "key") -> str:
    """``did you mean 'altitude_km'?`` for the closest of ``allowed``, or all of them listed.

    ``name`` is what the user wrote (any value: it is compared as text);
    ``allowed`` the valid names in their documented order; ``noun`` names
    them in the list (``valid sections: scenario, shells, ...``).
    """
    allowed = [str(a) for a in allowed]
    close = closest(name, allowed)
    return f"did you mean {close!r}?" if close else f"valid {noun}s: {', '.join(allowed)}"

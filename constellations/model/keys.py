"""Names the user got wrong, answered with the closest valid one."""

import difflib


def did_you_mean(name, allowed, noun: str = "key") -> str:
    """``did you mean 'altitude_km'?`` for the closest of ``allowed``, or all of them listed.

    ``name`` is what the user wrote (any value: it is compared as text);
    ``allowed`` the valid names in their documented order; ``noun`` names
    them in the list (``valid sections: scenario, shells, ...``).
    """
    allowed = [str(a) for a in allowed]
    close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else f"valid {noun}s: {', '.join(allowed)}"

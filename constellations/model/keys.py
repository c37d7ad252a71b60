"""Unknown names in scenario tables, refused with the closest valid one."""

import difflib


def check_keys(where: str, table: dict, allowed, noun: str = "key", error=ValueError) -> None:
    """Raise ``error`` naming the first key of ``table`` not in ``allowed``.

    The message suggests the closest valid key (``did you mean 'altitude_km'?``),
    or lists them all when none is close.
    """
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"valid {noun}s: {', '.join(allowed)}"
            )
            raise error(f"{where}: unknown {noun} {key!r}; {hint}")

"""Altitude bands: one ``[[shells]]`` table for planes spread over a range of altitudes.

A band (``altitude_range_km = [low, high]`` with ``altitude_spacing_km``) stands for
``L = (high - low) / spacing + 1`` levels at ``low, low + spacing, ..., high``.  Its ``P``
planes are dealt round-robin: level ``k`` flies planes ``k, k + L, k + 2L, ...``, so
neighbouring planes sit at different altitudes and each level is itself a symmetric
Walker shell of ``P / L`` planes whose first node is the band's plane ``k``'s
(:func:`level_node_offsets_deg`) and whose nodes keep the band's spacing (the same
spread over ``P / L`` planes).  :meth:`constellations.model.constellation.Shell.levels`
builds the level shells; this module holds the arithmetic and the one-line reasons a
band is refused (each returns None when the band is fine).
"""

import numpy as np

#: Most levels a band may expand into: a plausibility bound above the 129 levels of the
#: largest filed band (Blue Origin's 2026 filing: planes 10 km apart over 520-1,800 km)
#: that keeps a scenario's shells, and its tables, in the hundreds.
MAX_BAND_LEVELS = 500
#: How far ``range / spacing`` may sit from a whole number and still divide it, relative:
#: the rounding of the decimal spacings users write (0.1 km is not a binary fraction).
_DIVIDES_RTOL = 1e-9


def level_count(low_km: float, high_km: float, spacing_km: float) -> float:
    """Levels of a band, ``(high - low) / spacing + 1``; not a whole number when the
    spacing does not divide the range."""
    return (high_km - low_km) / spacing_km + 1.0


def level_altitudes_km(low_km: float, high_km: float, spacing_km: float) -> tuple[float, ...]:
    """Altitudes of a band's levels, km: ``low, low + spacing, ..., high`` (rounded to the
    nanometre so that 0.1 km steps print as written).  The spacing must divide the range."""
    levels = round(level_count(low_km, high_km, spacing_km))
    return tuple(round(low_km + k * spacing_km, 12) for k in range(levels - 1)) + (high_km,)


def level_node_offsets_deg(planes: int, levels: int, spread_deg: float) -> list[float]:
    """Node of each level's first plane relative to the band's first plane, degrees,
    ``(levels,)``: level ``k`` starts at the band's plane ``k``, ``k * spread / planes``
    (:func:`orbital.walker.raan_offsets_deg`)."""
    return [k * (spread_deg / planes) for k in range(levels)]


def node_indices(altitudes_km, spacing_km: float):
    """Indices into the rising ``altitudes_km`` of the levels evaluated in full when the rest
    are interpolated between them: the lowest and the highest, and enough between that no
    two consecutive ones are more than ``spacing_km`` apart (closer where the levels do
    not fall on the spacing).  An ``int`` array, rising."""
    keep = [0]
    for k in range(1, len(altitudes_km)):
        if altitudes_km[k] - altitudes_km[keep[-1]] > spacing_km:
            keep.append(max(k - 1, keep[-1] + 1))
    if keep[-1] != len(altitudes_km) - 1:
        keep.append(len(altitudes_km) - 1)
    return np.unique(keep)


def log_linear(low, high, w: float):
    """``low`` and ``high`` (arrays or floats, not negative) blended log-linearly, a fraction
    ``w`` of the way to ``high``: how a level between two nodes takes a quantity that
    falls or rises exponentially with altitude (densities, fluxes, doses)."""
    a = np.log(np.maximum(low, 1e-300))
    b = np.log(np.maximum(high, 1e-300))
    return np.exp((1.0 - w) * a + w * b)


def range_problem(low_km: float, high_km: float, min_km: float, max_km: float) -> str | None:
    """Why ``[low, high]`` is not a band's range (the ends out of order or outside
    ``[min_km, max_km]``), or None."""
    if not low_km < high_km:
        return (
            f"the low end must be below the high end; write [{_km(min(low_km, high_km))}, "
            f"{_km(max(low_km, high_km))}]"
            if low_km != high_km
            else f"a band needs two different ends; for one altitude write altitude_km = "
            f"{_km(low_km)} instead"
        )
    if low_km < min_km or high_km > max_km:
        return f"both ends must be between {min_km:g} and {max_km:g} km"
    return None


def spacing_problem(low_km: float, high_km: float, spacing_km: float) -> str | None:
    """Why ``spacing_km`` cannot make levels of ``[low, high]`` (it does not divide the
    range, or gives more than :data:`MAX_BAND_LEVELS` levels), or None."""
    width_km = high_km - low_km
    count = level_count(low_km, high_km, spacing_km)
    if abs(count - round(count)) > _DIVIDES_RTOL * count:
        fits = divisors_near(width_km, spacing_km)
        such_as = f", such as {_listed(fits)}" if fits else ""
        return (
            f"does not divide altitude_range_km {_km(low_km)}-{_km(high_km)} "
            f"({_km(width_km)} km); choose a spacing that divides it{such_as}"
        )
    if round(count) > MAX_BAND_LEVELS:
        return (
            f"makes {round(count):,} levels of altitude_range_km {_km(low_km)}-{_km(high_km)}: "
            f"at most {MAX_BAND_LEVELS}; choose a wider spacing that divides it, such as "
            f"{_listed(divisors_near(width_km, width_km / (MAX_BAND_LEVELS - 1), above=True))}"
        )
    return None


def divisors_near(width_km: float, spacing_km: float, *, above: bool = False) -> list[float]:
    """Up to four spacings that divide ``width_km`` into at most ``MAX_BAND_LEVELS - 1``
    steps, nearest ``spacing_km`` (``above``: no narrower than it), ascending.

    Whole kilometres are preferred; a width that has none takes spacings of two decimals.
    """
    steps = range(1, MAX_BAND_LEVELS)
    for decimals in (0, 2):
        fits = [width_km / n for n in steps]
        fits = [d for d in fits if abs(d - round(d, decimals)) < 1e-9 * d]
        if above:
            fits = [d for d in fits if d >= spacing_km * (1 - 1e-12)]
        if fits:
            return sorted(sorted(fits, key=lambda d: abs(d - spacing_km))[:4])
    return []


def planes_problem(planes: int, levels: int) -> str | None:
    """Why ``planes`` cannot be dealt evenly to ``levels`` levels, or None."""
    if planes % levels == 0:
        return None
    below, above = planes // levels * levels, (planes // levels + 1) * levels
    nearest = f"{below:,} or {above:,}" if below else f"{above:,}"
    return (
        f"is not a multiple of the band's {levels:,} levels (each level flies planes / levels "
        f"of them); use planes = {nearest}"
    )


def _km(value: float) -> str:
    return f"{value:g}"


def _listed(values: list[float]) -> str:
    shown = [f"{v:g}" for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"

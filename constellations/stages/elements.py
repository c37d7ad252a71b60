"""Element sets at the epoch: how far each is from it, and which had failed in SGP4 before it.

Part of resolving the constellation: :func:`check_element_sets` runs with
every plan that has element sets, and ``orbital-dc propagate`` runs it too.
The propagation itself leaves the same satellites out (NaN positions from
the start, :mod:`orbital.validity`); this stage says which they are.
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.constellation import Constellation
from orbital.constants import STALE_ELEMENTS_DAYS


@dataclass(frozen=True, eq=False)
class ElementSetCheck:
    """One ``[[element_sets]]`` file at the epoch.

    ``object_names`` has one name per satellite (the file's order);
    ``epoch_gap_days`` ``(n_sats,)`` is the epoch minus each satellite's
    element epoch, days (positive: elements older than the epoch);
    ``failed_before_epoch`` ``(n_sats,)`` is True for each satellite SGP4
    fails on between its element epoch and the epoch (decay, an error code, a
    radius out of reach or an orbit meeting the Earth:
    :func:`orbital.validity.failed_before`).
    ``copies`` holds, in file order, ``(index, element_set, earlier)`` for each
    set that repeats an earlier set exactly (:func:`repeated_sets`): its index
    in this file, the name of the element set whose file holds the earlier one
    (this one's, or one listed before it in the scenario) and that one's index
    there.  A copy is planned as a satellite of its own, as the scenario asks,
    though it is most likely the same one.
    ``stale_after_days`` is :data:`orbital.constants.STALE_ELEMENTS_DAYS`.
    """

    name: str
    object_names: tuple[str, ...]
    epoch_gap_days: np.ndarray
    failed_before_epoch: np.ndarray
    copies: tuple[tuple[int, str, int], ...]
    stale_after_days: float = STALE_ELEMENTS_DAYS

    @property
    def n_sats(self) -> int:
        return len(self.object_names)

    @property
    def stale(self) -> np.ndarray:
        """``(n_sats,)`` True where the elements are over ``stale_after_days`` from the epoch."""
        return np.abs(self.epoch_gap_days) > self.stale_after_days

    @property
    def failed_names(self) -> tuple[str, ...]:
        return tuple(np.asarray(self.object_names, dtype=object)[self.failed_before_epoch])

    @property
    def stale_names(self) -> tuple[str, ...]:
        return tuple(np.asarray(self.object_names, dtype=object)[self.stale])

    @property
    def repeated(self) -> np.ndarray:
        """``(n_sats,)`` True for each set that repeats an earlier one (:attr:`copies`)."""
        mask = np.zeros(self.n_sats, dtype=bool)
        mask[[index for index, _, _ in self.copies]] = True
        return mask


#: The ``Satrec`` attributes that make two element sets one: the catalogue number, the
#: element epoch and everything SGP4 propagates from (``ndot`` and ``nddot`` it ignores).
IDENTITY_ATTRIBUTES = (
    "satnum", "jdsatepoch", "jdsatepochF", "no_kozai", "ecco", "inclo", "nodeo", "argpo",
    "mo", "bstar",
)  # fmt: skip


def repeated_sets(satrecs) -> np.ndarray:
    """For each of ``satrecs`` (python-sgp4 ``Satrec``), the index of the earlier one it
    repeats exactly, else -1: ``(n,)`` int64.

    Exactly: the same catalogue number, element epoch and mean elements
    (:data:`IDENTITY_ATTRIBUTES`), so SGP4 flies it where the earlier one flies; the
    earlier one is the first of the file's copies.  A file made of two catalogues that
    overlap (a download of active satellites and one of a constellation) has such copies.
    A catalogue number alone repeating is not one: numbers wrap past 339,999 in a TLE, and
    a number with two epochs is two element sets.
    """
    from orbital.sgp4_bounds import satrec_columns

    n = len(satrecs)
    copy_of = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return copy_of
    # Only sets sharing a catalogue number can be copies: most files have none.
    (number,) = satrec_columns(satrecs, "satnum", dtype=np.int64)
    by_number = np.argsort(number, kind="stable")
    shared = number[by_number][1:] == number[by_number][:-1]
    if not shared.any():
        return copy_of
    sharing = np.sort(
        by_number[np.concatenate([[False], shared]) | np.concatenate([shared, [False]])]
    )
    columns = satrec_columns([satrecs[k] for k in sharing], *IDENTITY_ATTRIBUTES)
    order = np.lexsort(columns[::-1])  # stable: equal sets keep the file's order
    ordered = columns[:, order]
    same = np.all(ordered[:, 1:] == ordered[:, :-1], axis=0)  # as the set before it
    # Each run of equal sets starts at its first copy in the file.
    run_start = np.maximum.accumulate(
        np.where(np.concatenate([[False], same]), 0, np.arange(len(order)))
    )
    copy_of[sharing[order[1:][same]]] = sharing[order[run_start[1:][same]]]
    return copy_of


def check_element_sets(constellation: Constellation) -> tuple[ElementSetCheck, ...]:
    """One :class:`ElementSetCheck` per element set of ``constellation``, in scenario order.

    Costs about 22 SGP4 propagations a satellite for elements seven months
    from the epoch (:func:`orbital.validity.failed_before`).
    """
    from orbital.validity import epoch_gap_days, failed_before

    if not constellation.element_sets:
        return ()
    jd, fr = constellation.epoch.sgp4_dates()
    sets = constellation.element_sets
    # Copies are looked for over every file at once: the same file named twice, or two
    # catalogues that overlap, repeat sets across entries as a pasted file does within one.
    first = np.cumsum([0] + [len(e.satrecs) for e in sets])
    copy_of = repeated_sets([satrec for e in sets for satrec in e.satrecs])
    owner = np.searchsorted(first, copy_of, side="right") - 1  # the entry holding each copy
    checks = []
    for k, e in enumerate(sets):
        mine = copy_of[first[k] : first[k + 1]]
        copies = tuple(
            (int(index), sets[owner[first[k] + index]].name,
             int(mine[index] - first[owner[first[k] + index]]))
            for index in np.flatnonzero(mine >= 0)
        )  # fmt: skip
        checks.append(
            ElementSetCheck(
                name=e.name,
                object_names=tuple(e.names),
                epoch_gap_days=epoch_gap_days(e.satrecs, jd, fr),
                failed_before_epoch=failed_before(e.satrecs, jd, fr),
                copies=copies,
            )
        )
    return tuple(checks)

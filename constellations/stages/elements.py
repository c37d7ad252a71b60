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
    ``stale_after_days`` is :data:`orbital.constants.STALE_ELEMENTS_DAYS`.
    """

    name: str
    object_names: tuple[str, ...]
    epoch_gap_days: np.ndarray
    failed_before_epoch: np.ndarray
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


def check_element_sets(constellation: Constellation) -> tuple[ElementSetCheck, ...]:
    """One :class:`ElementSetCheck` per element set of ``constellation``, in scenario order.

    Costs about 22 SGP4 propagations a satellite for elements seven months
    from the epoch (:func:`orbital.validity.failed_before`).
    """
    from orbital.validity import epoch_gap_days, failed_before

    if not constellation.element_sets:
        return ()
    jd, fr = constellation.epoch.sgp4_dates()
    return tuple(
        ElementSetCheck(
            name=e.name,
            object_names=tuple(e.names),
            epoch_gap_days=epoch_gap_days(e.satrecs, jd, fr),
            failed_before_epoch=failed_before(e.satrecs, jd, fr),
        )
        for e in constellation.element_sets
    )

"""Benchmark: the suncatcher-81 preset planned end to end, and its members' positions.

Usage::

    python benchmarks/bench_formation_plan.py

Measured in one run:

* ``orbital-dc plan suncatcher-81`` in a fresh interpreter (target 30 s, the plan of the
  default preset's order on this shared machine).
* The members' positions over a day at 60 s, in ITRS (an SGP4 chief plus SS offsets,
  :mod:`orbital.formation_propagation`), against python-sgp4's ``SatrecArray`` on 81
  satellites over the same times (the raw library, ratio printed).
"""

import sys
import tempfile
import time

import numpy as np
from common import finish, machine, seconds_text, timed_cli, verdict


def main() -> int:
    from sgp4.api import SatrecArray

    from constellations.io.scenario import load_scenario
    from constellations.stages.propagate import stream_positions
    from constellations.stages.resolve import resolve
    from orbital.times import TimeGrid

    rows, notes = [], [f"machine: {machine(('numpy', 'sgp4', 'scipy'))}"]
    with tempfile.TemporaryDirectory() as folder:
        wall, result = timed_cli(["plan", "suncatcher-81"], folder)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    rows.append(
        ("orbital-dc plan suncatcher-81", 81, "30 s", seconds_text(wall), verdict(wall, 30.0))
    )

    c = load_scenario("suncatcher-81")
    (shell,) = resolve(c)
    grid = TimeGrid.from_offsets(c.epoch, np.arange(0.0, 86400.0, 60.0))
    list(stream_positions(c, TimeGrid.from_offsets(c.epoch, [0.0]), resolved=[shell]))  # warm
    start = time.perf_counter()
    n = sum(ch.stop - ch.start for ch in stream_positions(c, grid, resolved=[shell]))
    ours = time.perf_counter() - start
    satrecs = [shell.walker.satrec(k) for k in range(81)]
    jd, fr = grid.sgp4_dates()
    start = time.perf_counter()
    SatrecArray(satrecs).sgp4(jd, fr)
    raw = time.perf_counter() - start
    rows.append(
        ("positions, 81 x 1 day at 60 s (ITRS)", n, "1 s", seconds_text(ours), verdict(ours, 1.0))
    )
    notes.append(
        f"python-sgp4 SatrecArray, 81 satellites, same times (TEME): {seconds_text(raw)}; "
        f"ours / raw = {ours / raw:.1f}"
    )
    return finish(rows, notes)


if __name__ == "__main__":
    sys.exit(main())

"""Who is who among chosen satellites, without the whole table."""

import numpy as np

from constellations.io.scenario import load_scenario
from constellations.stages.propagate import satellite_rows, satellite_table


def test_rows_of_chosen_satellites_are_the_tables_own():
    constellation = load_scenario("million-340")  # w330 400 x 800, dd340 340 x 1000, w350
    chosen = np.sort(np.random.default_rng(7).choice(constellation.n_sats, 5000, replace=False))
    chosen = np.concatenate([[0, 319_999, 320_000, 320_000 + 5 * 1000 + 7], chosen])
    rows = satellite_rows(constellation, chosen)
    table = satellite_table(constellation)
    for key in ("shell", "plane", "slot"):
        np.testing.assert_array_equal(rows[key], table[key][chosen])
    # Written out: the last of w330 (plane 399, slot 799), dd340's first, its plane 5 slot 7.
    assert [tuple(int(rows[k][i]) for k in ("shell", "plane", "slot")) for i in range(4)] == [
        (0, 0, 0),
        (0, 399, 799),
        (1, 0, 0),
        (1, 5, 7),
    ]


def test_group_bounds_are_where_each_group_s_satellites_start_and_end():
    # million-340's description: 320,000 at 330 km, 340,000 in the dawn-dusk band, 340,000
    # at 350 km, in that order; every satellite's row names the group its bounds give.
    constellation = load_scenario("million-340")
    assert constellation.group_bounds == (0, 320_000, 660_000, 1_000_000)
    picked = np.array([0, 319_999, 320_000, 659_999, 660_000, 999_999])
    rows = satellite_rows(constellation, picked)
    np.testing.assert_array_equal(rows["shell"], [0, 0, 1, 1, 2, 2])

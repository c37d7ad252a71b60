"""The greedy b-matching, compiled and not, against a plain Python greedy; numba's disk cache.

Authority: the greedy rule itself, written independently below in plain Python (Python's
``sorted`` is stable, so equal lengths keep the order given, as the planner's rule says),
and worked examples small enough to follow by hand.
"""

import functools

import numpy as np
import pytest

from orbital import greedy_matching
from orbital.greedy_matching import greedy_b_matching


def python_greedy(i, j, length, terminals):
    """Shortest candidate first, ties in the order given; kept while both ends are free."""
    free = [int(t) for t in terminals]
    kept = [False] * len(i)
    for e in sorted(range(len(i)), key=lambda e: float(length[e])):
        u, v = int(i[e]), int(j[e])
        if free[u] > 0 and free[v] > 0:
            free[u] -= 1
            free[v] -= 1
            kept[e] = True
    return np.array(kept, dtype=bool)


def random_candidates(rng, n, m, distinct_lengths):
    """``m`` candidates on ``n`` satellites; lengths drawn from a few values, so many tie.

    Pairs repeat (in both orientations) and terminal counts include 0.
    """
    i = rng.integers(0, n, m)
    j = (i + rng.integers(1, n, m)) % n  # never i itself
    length = rng.choice(rng.uniform(100.0, 5000.0, distinct_lengths), m)
    terminals = rng.integers(0, 5, n)
    return i, j, length, terminals


#: greedy_b_matching's paths: numba; the scan in Python; vectorised rounds to the end; rounds
#: stopped early (few left, or a round deciding under half), the rest scanned in Python.
SCAN_PATHS = ["compiled", "in Python", "rounds to the end", "rounds, then the scan"]


@pytest.fixture(params=SCAN_PATHS)
def scan_path(request, monkeypatch):
    """Force one of greedy_b_matching's paths."""
    if request.param == "compiled":
        monkeypatch.setattr(greedy_matching, "COMPILE_FROM_CANDIDATES", 0)
        monkeypatch.setattr(greedy_matching, "_large_inputs_uncompiled", [1])
        return request.param

    @functools.cache
    def not_compiled():
        raise AssertionError("the compiled scan was called")

    monkeypatch.setattr(greedy_matching, "_compiled_scan", not_compiled)
    if request.param == "in Python":
        monkeypatch.setattr(greedy_matching, "ROUNDS_FROM_CANDIDATES", 10**9)
    else:
        monkeypatch.setattr(greedy_matching, "ROUNDS_FROM_CANDIDATES", 0)
        to_the_end = request.param == "rounds to the end"
        monkeypatch.setattr(greedy_matching, "ROUNDS_LEAVE_CANDIDATES", 0 if to_the_end else 3)
        monkeypatch.setattr(greedy_matching, "ROUNDS_MIN_DECIDED_SHARE", 0.0 if to_the_end else 0.5)
    return request.param


@pytest.mark.parametrize(
    "seed, n, m, distinct_lengths",
    [(0, 2, 6, 1), (1, 5, 20, 2), (2, 30, 200, 5), (3, 300, 3000, 20), (4, 2000, 20000, 300)],
)
def test_the_greedy_keeps_the_links_a_python_greedy_keeps(scan_path, seed, n, m, distinct_lengths):
    i, j, length, terminals = random_candidates(np.random.default_rng(seed), n, m, distinct_lengths)
    given = terminals.copy()
    got = greedy_b_matching(i, j, length, terminals)
    assert np.array_equal(got, python_greedy(i, j, length, terminals))
    assert np.array_equal(terminals, given), "the caller's terminal counts were used up"
    used = np.bincount(np.concatenate([i[got], j[got]]), minlength=n)
    assert np.all(used <= terminals)


def test_worked_examples(scan_path):
    # A path 0-1-2-3 with lengths 2, 1, 3 and one terminal each: 1-2 goes first and
    # leaves neither 0-1 nor 2-3 a free end.
    assert greedy_b_matching([0, 1, 2], [1, 2, 3], [2.0, 1.0, 3.0], [1, 1, 1, 1]).tolist() == [
        False,
        True,
        False,
    ]
    # With two terminals each every link fits.
    assert greedy_b_matching([0, 1, 2], [1, 2, 3], [2.0, 1.0, 3.0], [2, 2, 2, 2]).all()
    # A triangle of equal lengths with one terminal each: the first given wins the tie.
    assert greedy_b_matching([1, 0, 0], [2, 2, 1], [5.0, 5.0, 5.0], [1, 1, 1]).tolist() == [
        True,
        False,
        False,
    ]
    # A NaN length comes last: 0-2 and 0-3 have taken both terminals of 0 before 0-1.
    assert greedy_b_matching([0, 0, 0], [1, 2, 3], [np.nan, 1.0, 2.0], [2, 1, 1, 1]).tolist() == [
        False,
        True,
        True,
    ]
    assert greedy_b_matching([], [], [], [4, 4]).tolist() == []


@pytest.mark.parametrize("rounds_leave", [0, 10])
def test_a_chain_stalls_the_rounds_and_the_scan_finishes_it(monkeypatch, rounds_leave):
    # A path whose links lengthen along it, one terminal each: each round can decide only
    # the shortest link left (every other waits for the one before it), so the rounds stop
    # at once and the scan takes the rest; the greedy keeps every other link.
    links = 400
    monkeypatch.setattr(greedy_matching, "_compiled_scan", functools.cache(lambda: None))
    monkeypatch.setattr(greedy_matching, "ROUNDS_FROM_CANDIDATES", 0)
    monkeypatch.setattr(greedy_matching, "ROUNDS_LEAVE_CANDIDATES", rounds_leave)
    left = []
    rounds = greedy_matching._decide_in_rounds

    def spy(*args):
        out = rounds(*args)
        left.append(len(out[0]))
        return out

    monkeypatch.setattr(greedy_matching, "_decide_in_rounds", spy)
    i, j = np.arange(links), np.arange(1, links + 1)
    got = greedy_b_matching(i, j, np.arange(links, dtype=float), np.ones(links + 1, int))
    assert np.array_equal(got, np.arange(links) % 2 == 0)
    assert left == [links - 1], "the rounds should have stopped after the first"


@pytest.mark.parametrize(
    "i, j, length, terminals, message",
    [
        ([0, 1], [1], [1.0, 2.0], [1, 1], "1-D of one length"),
        ([0], [2], [1.0], [1, 1], "index the 2 satellites"),
        ([-1], [1], [1.0], [1, 1], "index the 2 satellites"),
        ([1], [1], [1.0], [1, 1], "joins satellite 1 to itself"),
        ([0], [1], [1.0], [1, -1], "must not be negative"),
        ([0.0], [1], [1.0], [1, 1], "i must hold integers"),
        ([0], [1], [1.0], [1.5, 1.0], "terminals must hold integers"),
        ([0], [1], [1.0], [[1, 1]], "terminals must be 1-D"),
    ],
)
def test_bad_input_is_refused(i, j, length, terminals, message):
    with pytest.raises(ValueError, match=message):
        greedy_b_matching(i, j, length, terminals)

"""The mesh with growing shares of its satellites failed: ``failure_sweep`` and the plan JSON.

``failure_sweep`` returns a :class:`~constellations.stages.network.FailureSweep`: a tuple per
figure, one entry per failed share; the plan JSON carries it as lists under
``network.under_failures``.

The expectations come from graphs whose answers are known without the code:
an L x L torus lattice (site percolation: the square lattice's threshold is an
occupied share of p_c = 0.592746, i.e. about 40.7 % failed), rings (hop
diameter n // 2; a ring cut anywhere is a path of k satellites, diameter k - 1),
a complete graph (its largest cluster is every working satellite) and a
checkerboard of sunlit and eclipsed satellites on a bipartite torus.
"""

import dataclasses
import json

import numpy as np
import pytest

from constellations.stages.network import failure_sweep
from orbital.links import LinkGraph

#: Square-lattice site percolation threshold (occupied share), Newman & Ziff 2000.
P_C = 0.592746
L = 120  # 14,400 satellites: far above the exact-diameter size, percolation well resolved
FRACTIONS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.55, 0.7, 0.9)
SEED = 7
KEYS = {
    "failure_fraction",
    "working_sats",
    "largest_cluster_sats",
    "largest_cluster_share_of_working",
    "largest_cluster_compute_mw",
    "clusters",
    "hop_diameter",
    "hop_diameter_exact",
    "largest_cluster_shells",
    "seed",
}


def make_graph(n, i, j, sunlit=None, compute_kw=None):
    i, j = np.asarray(i, dtype=int), np.asarray(j, dtype=int)
    nodes = {
        "compute_kw": np.ones(n) if compute_kw is None else np.asarray(compute_kw, dtype=float),
        "sunlit": np.ones(n) if sunlit is None else np.asarray(sunlit, dtype=float),
    }
    return LinkGraph(n, i, j, np.ones(len(i)), np.ones(len(i)), nodes)


def torus(side, sunlit=None):
    """An ``side x side`` torus lattice: node ``r * side + c``, links right and down (wrapped)."""
    index = np.arange(side * side).reshape(side, side)
    right = np.roll(index, -1, axis=1)
    down = np.roll(index, -1, axis=0)
    i = np.concatenate([index.ravel(), index.ravel()])
    j = np.concatenate([right.ravel(), down.ravel()])
    return make_graph(side * side, i, j, sunlit)


def checkerboard(side):
    """1 where ``row + column`` is even (sunlit), 0 where odd (eclipsed): half of each."""
    rows, cols = np.indices((side, side))
    return ((rows + cols) % 2 == 0).astype(float).ravel()


def ring(n):
    i = np.arange(n)
    return make_graph(n, i, (i + 1) % n)


def complete(n, sunlit=None):
    i, j = np.triu_indices(n, k=1)
    return make_graph(n, i, j, sunlit)


@pytest.fixture(scope="module")
def lattice():
    return torus(L)


@pytest.fixture(scope="module")
def sweep(lattice):
    return failure_sweep(lattice, shed=False, seed=SEED, fractions=FRACTIONS)


def at(sweep, fraction):
    return sweep.failure_fraction.index(fraction)


def test_sweep_has_the_documented_keys_one_value_per_fraction(sweep):
    assert {f.name for f in dataclasses.fields(sweep)} == KEYS
    assert sweep.failure_fraction == FRACTIONS
    assert sweep.seed == SEED
    for key in KEYS - {"failure_fraction", "seed"}:
        assert len(getattr(sweep, key)) == len(FRACTIONS), key


def test_intact_torus_is_one_cluster_of_everything_with_hop_diameter_l(sweep):
    k = at(sweep, 0.0)
    n = L * L
    assert sweep.working_sats[k] == n
    assert sweep.largest_cluster_sats[k] == n
    assert sweep.largest_cluster_share_of_working[k] == 1.0
    assert sweep.clusters[k] == 1
    # Even L: the farthest node is L/2 away along each axis, L hops in all.
    assert sweep.hop_diameter[k] == L
    assert sweep.largest_cluster_compute_mw[k] == pytest.approx(n * 1.0 / 1000.0, rel=1e-12)


def test_working_satellites_follow_the_failed_share(sweep):
    n = L * L
    for fraction, working in zip(FRACTIONS, sweep.working_sats, strict=True):
        # Each satellite fails independently with probability `fraction`: binomial spread.
        sigma = np.sqrt(n * fraction * (1 - fraction))
        assert abs(working - n * (1 - fraction)) <= 5 * sigma + 1, fraction


def test_percolation_giant_cluster_above_threshold_fragments_below(sweep):
    share = dict(zip(FRACTIONS, sweep.largest_cluster_share_of_working, strict=True))
    # Occupied share 0.8 and 0.9, far above p_c: nearly every working satellite is in one cluster.
    assert 1 - 0.2 > P_C and share[0.2] > 0.9
    assert share[0.1] > 0.95 and share[0.05] > 0.98
    # Occupied share 0.45, 0.3, 0.1, below p_c: only finite clusters, a small share each.
    assert 1 - 0.55 < P_C and share[0.55] < 0.3
    assert share[0.7] < 0.05 and share[0.9] < 0.05
    # Above the threshold the giant cluster spans the torus: one cluster dwarfs the rest.
    k = at(sweep, 0.2)
    assert sweep.clusters[k] > 1
    assert sweep.largest_cluster_sats[k] > 0.9 * sweep.working_sats[k]
    # Below it, many clusters.
    assert sweep.clusters[at(sweep, 0.55)] > 500


def test_counts_are_consistent_and_shrink_as_failures_nest(sweep):
    working = sweep.working_sats
    largest = sweep.largest_cluster_sats
    compute = sweep.largest_cluster_compute_mw
    assert all(a >= b for a, b in zip(working, working[1:], strict=False))
    # Nested failures: a cluster at a larger share is connected at the smaller one too, so
    # it lies inside some cluster there: the largest cluster never grows.
    assert all(a >= b for a, b in zip(largest, largest[1:], strict=False))
    assert all(a >= b for a, b in zip(compute, compute[1:], strict=False))
    for w, m, s, c, clusters in zip(
        working,
        largest,
        sweep.largest_cluster_share_of_working,
        compute,
        sweep.clusters,
        strict=True,
    ):
        assert 0 < m <= w
        assert s == pytest.approx(m / w)
        # 1 kW each, nothing shed.
        assert c == pytest.approx(m * 1.0 / 1000.0, rel=1e-12)
        # The largest cluster and at least one satellite per other cluster.
        assert clusters <= w - m + 1


def test_failed_sets_are_seeded_nested_and_independent_of_the_other_shares(lattice, sweep):
    alone = failure_sweep(lattice, shed=False, seed=SEED, fractions=(0.3,))
    k = at(sweep, 0.3)
    for key in KEYS - {"failure_fraction", "seed"}:
        assert getattr(alone, key) == (getattr(sweep, key)[k],), key
    other = failure_sweep(lattice, shed=False, seed=SEED + 1, fractions=(0.3,))
    assert other.working_sats != alone.working_sats


def test_working_sets_are_nested_read_back_through_the_compute():
    """On a complete graph the largest cluster is every working satellite; lighting one
    satellite at a time (sunlit 1, the rest 0, shed) reads its state back from the compute."""
    n, fractions = 40, (0.0, 0.1, 0.25, 0.5, 0.75, 0.9)
    working = np.zeros((len(fractions), n), dtype=bool)
    counts = None
    for node in range(n):
        sunlit = np.zeros(n)
        sunlit[node] = 1.0
        result = failure_sweep(complete(n, sunlit), shed=True, seed=3, fractions=fractions)
        mw = np.array(result.largest_cluster_compute_mw)
        assert np.all((mw == 0.0) | np.isclose(mw, 1e-3, rtol=1e-12, atol=0.0)), mw
        working[:, node] = mw > 0
        counts = result.working_sats if counts is None else counts
        assert result.working_sats == counts  # the same draw whatever the sunlight
    assert tuple(working.sum(axis=1).tolist()) == counts
    assert working[0].all()
    for smaller, larger in zip(working, working[1:], strict=False):
        # Every satellite failed at the smaller share is failed at the larger one.
        assert np.all(larger <= smaller)
    assert counts[-1] < counts[0]


def test_shedding_counts_only_the_sunlit_members():
    side = 60
    lit = checkerboard(side)
    full = failure_sweep(torus(side), shed=False, seed=SEED, fractions=FRACTIONS)
    shed = failure_sweep(torus(side, sunlit=lit), shed=True, seed=SEED, fractions=FRACTIONS)
    # Sunlight changes compute, never which satellites fail or how they cluster.
    for key in ("working_sats", "largest_cluster_sats", "clusters", "hop_diameter"):
        assert getattr(shed, key) == getattr(full, key), key
    # Intact: all satellites, half of them lit.
    assert shed.largest_cluster_compute_mw[0] == pytest.approx(side * side / 2 / 1000.0)
    for fraction, members, mw in zip(
        FRACTIONS, shed.largest_cluster_sats, shed.largest_cluster_compute_mw, strict=True
    ):
        lit_members = mw * 1000.0
        assert lit_members == pytest.approx(round(lit_members), abs=1e-9)  # whole satellites
        if members >= 2:
            # The even-L torus is bipartite in the checkerboard colouring: in a connected
            # cluster every member has a neighbour of the other colour, and a satellite has
            # at most 4 neighbours, so either colour holds between 1/5 and 4/5 of it.
            assert members / 5 - 1e-9 <= lit_members <= 4 * members / 5 + 1e-9, fraction
        if fraction <= 0.3:
            # A giant cluster of thousands: lit and eclipsed satellites in it about equally.
            assert lit_members / members == pytest.approx(0.5, abs=0.05), fraction
    # Penumbra: every satellite at half the Sun, so exactly half of the compute everywhere.
    half = failure_sweep(
        torus(side, sunlit=np.full(side * side, 0.5)), shed=True, seed=SEED, fractions=FRACTIONS
    )
    for members, mw in zip(half.largest_cluster_sats, half.largest_cluster_compute_mw, strict=True):
        assert mw == pytest.approx(0.5 * members / 1000.0, rel=1e-12)


@pytest.mark.parametrize("n", [100, 101, 2001])
def test_intact_ring_has_hop_diameter_half_its_length(n):
    result = failure_sweep(ring(n), shed=False, seed=0, fractions=(0.0,))
    assert result.hop_diameter == (n // 2,)
    assert result.clusters == (1,) and result.largest_cluster_sats == (n,)
    if n <= 2000:  # documented: exact up to 2,000 satellites
        assert result.hop_diameter_exact == (True,)


def test_small_torus_diameter_is_exact():
    result = failure_sweep(torus(20), shed=False, seed=0, fractions=(0.0,))
    assert result.hop_diameter == (20,)
    assert result.hop_diameter_exact == (True,)


def test_a_cut_ring_falls_into_paths():
    n = 1500
    fractions = (0.02, 0.1, 0.3)
    result = failure_sweep(ring(n), shed=False, seed=5, fractions=fractions)
    for k in range(len(fractions)):
        working = result.working_sats[k]
        members = result.largest_cluster_sats[k]
        failed = n - working
        assert failed > 0
        # Each run of working satellites ends at a failed one: at most one cluster per failure.
        assert 1 <= result.clusters[k] <= failed
        # The largest cluster is a path: its diameter is one hop less than its length.
        assert result.hop_diameter[k] == members - 1
        assert result.hop_diameter_exact[k] is True


def test_everything_failed_leaves_nothing():
    result = failure_sweep(torus(10), shed=True, seed=1, fractions=(0.0, 1.0))
    assert result.working_sats == (100, 0)
    assert result.largest_cluster_sats == (100, 0)
    assert result.largest_cluster_share_of_working[1] == 0.0
    assert result.largest_cluster_compute_mw[1] == 0.0
    assert result.clusters == (1, 0)
    assert result.hop_diameter[1] is None


# --- the plan JSON -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def planned(tmp_path_factory, cli_in_process):
    folder = tmp_path_factory.mktemp("plan")
    result = cli_in_process("plan", "dawn-dusk-340", "--json", "-", cwd=folder, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_plan_json_carries_the_failure_sweep_of_the_epoch_mesh(planned):
    network = planned["network"]
    sweep = network["under_failures"]
    assert KEYS <= set(sweep)
    fractions = sweep["failure_fraction"]
    assert fractions[0] == 0.0 and len(fractions) >= 3
    assert all(a < b for a, b in zip(fractions, fractions[1:], strict=False))
    assert all(0.0 <= f < 1.0 for f in fractions)
    for key in KEYS - {"failure_fraction", "seed"}:
        assert len(sweep[key]) == len(fractions), key
    assert sweep["seed"] == network["design"]["failure_seed"]
    # No failures: the sweep's first point is the snapshot itself.
    assert sweep["working_sats"][0] == planned["n_sats"]
    assert sweep["largest_cluster_sats"][0] == network["largest_cluster_sats"]
    assert sweep["clusters"][0] == network["components"]
    assert sweep["largest_cluster_compute_mw"][0] == pytest.approx(
        network["largest_cluster_compute_mw"]
    )
    assert sweep["hop_diameter"][0] == network["hop_diameter"]
    working, largest = sweep["working_sats"], sweep["largest_cluster_sats"]
    assert all(a >= b for a, b in zip(working, working[1:], strict=False))
    assert all(a >= b for a, b in zip(largest, largest[1:], strict=False))
    for w, m, s in zip(working, largest, sweep["largest_cluster_share_of_working"], strict=True):
        assert 0 <= m <= w and s == pytest.approx(m / w if w else 0.0)


def test_the_intact_share_reports_the_snapshots_own_hop_diameter(lattice):
    """A share at which nothing fails is the snapshot's mesh: its hop diameter is the one
    ``measure`` found (given, not searched again); the torus's is ``L`` (L // 2 each way)."""
    from orbital.network_metrics import diameter

    intact = diameter(lattice, np.arange(lattice.n))
    assert intact.lower == L  # bounded (a torus alone is no Walker grid), found exactly
    given = failure_sweep(lattice, shed=False, seed=SEED, fractions=FRACTIONS,
                          intact_hop_diameter=intact)  # fmt: skip
    searched = failure_sweep(lattice, shed=False, seed=SEED, fractions=FRACTIONS)
    assert given == searched
    assert given.hop_diameter[0] == L
    # Given a different figure, the intact share reports it, and only that share.
    other = dataclasses.replace(intact, lower=1.0, upper=1.0)
    marked = failure_sweep(lattice, shed=False, seed=SEED, fractions=FRACTIONS,
                           intact_hop_diameter=other)  # fmt: skip
    assert marked.hop_diameter[0] == 1.0
    assert marked.hop_diameter[1:] == searched.hop_diameter[1:]
    # Given as a function (the sweep may start before it is known): asked once, at that share.
    asked = []
    late = failure_sweep(lattice, shed=False, seed=SEED, fractions=FRACTIONS,
                         intact_hop_diameter=lambda: asked.append(1) or other)  # fmt: skip
    assert late == marked and asked == [1]


def test_the_sweep_names_the_shell_its_largest_cluster_flies_in():
    # Two shells: a ring of 60 ("ring") and a complete graph of 50 ("full").  Intact, the
    # largest cluster is the ring (hop diameter 30); with 30 % failed the ring breaks into
    # paths far shorter than the 35 or so working members of the complete graph, which stay
    # one cluster of hop diameter 1; with everything failed, nothing.
    n_ring, n_full = 60, 50
    a, b = np.triu_indices(n_full, k=1)
    i = np.concatenate([np.arange(n_ring), n_ring + a])
    j = np.concatenate([(np.arange(n_ring) + 1) % n_ring, n_ring + b])
    graph = make_graph(n_ring + n_full, i, j)
    graph.nodes["shell"] = np.repeat([0, 1], [n_ring, n_full])
    result = failure_sweep(graph, shed=False, seed=0, fractions=(0.0, 0.3, 1.0),
                           group_names=("ring", "full"))  # fmt: skip
    assert result.largest_cluster_shells == ("ring", "full", "")
    assert result.hop_diameter[:2] == (n_ring // 2, 1)
    # Unnamed groups are named by their index; a cluster over two groups names both.
    joined = make_graph(4, [0, 1, 2], [1, 2, 3])
    joined.nodes["shell"] = np.array([0, 0, 1, 1])
    both = failure_sweep(joined, shed=False, seed=0, fractions=(0.0,))
    assert both.largest_cluster_shells == ("0 + 1",)

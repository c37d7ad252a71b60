"""A study's zarr store: chunks written whole or not at all, resume, refusals, the cache.

Expected values are the arrays the tests write themselves; the store is read back
through xarray and zarr directly, not only through its own reader.  Parallel writers
are real processes (multiprocessing, spawn), as Dask's workers are.
"""

import json
import multiprocessing
import os

import numpy as np
import pytest

from constellations.errors import ScenarioError
from constellations.io import study_store
from constellations.io.study_store import NOT_COMPUTED, StudyStore, cache_key

INPUTS = {"launch.cost_per_flight_usd": "float64", "shells[*].planes": "int64"}
OUTPUTS = ["kw_per_tonne", "lcoc_usd_per_kw_year"]
ATTRS = {"study": "t", "design": "latin-hypercube", "outputs": OUTPUTS}
#: Seconds the spawned processes may take in all (start-up is most of it).
PROCESS_TIMEOUT_S = 120


def make(path, n_samples=10, chunk_size=4, fingerprint="study-a 0.1.0") -> StudyStore:
    return StudyStore.create(
        path,
        n_samples=n_samples,
        chunk_size=chunk_size,
        inputs=INPUTS,
        outputs=OUTPUTS,
        fingerprint=fingerprint,
        attrs=ATTRS,
    )


def chunk_values(store: StudyStore, index: int) -> tuple[dict, dict, list]:
    """Made-up rows for chunk ``index``: inputs, outputs, and each sample's reason (or None)."""
    rows = np.arange(store.n_samples)[store.rows(index)]
    inputs = {
        "launch.cost_per_flight_usd": 1e7 + rows * 0.5,
        "shells[*].planes": rows * 3 + 1,
    }
    outputs = {"kw_per_tonne": rows / 7.0, "lcoc_usd_per_kw_year": np.where(rows % 3, rows, np.nan)}
    reasons = [None if r % 3 else f"array too large at sample {r % 2}" for r in rows]
    return inputs, outputs, reasons


def write(store: StudyStore, index: int) -> None:
    inputs, outputs, reasons = chunk_values(store, index)
    store.write_chunk(index, inputs, outputs, store.reason_codes(reasons))


def expected_columns(n_samples: int) -> dict:
    """Every sample's values as :func:`chunk_values` makes them (all chunks written)."""
    rows = np.arange(n_samples)
    return {
        "launch.cost_per_flight_usd": 1e7 + rows * 0.5,
        "shells[*].planes": rows * 3 + 1,
        "kw_per_tonne": rows / 7.0,
        "lcoc_usd_per_kw_year": np.where(rows % 3, rows, np.nan),
    }


def decoded_reasons(dataset) -> list:
    sentences = dataset["reason"].attrs["reasons"]
    return [None if code == 0 else sentences[code] for code in dataset["reason"].values]


def test_round_trip_through_xarray(tmp_path):
    import xarray as xr

    store = make(tmp_path / "store")
    for index in range(store.n_chunks):
        write(store, index)
    ds = xr.open_zarr(tmp_path / "store")  # warnings are errors: none may be raised here
    assert dict(ds.sizes) == {"sample": 10}
    assert set(ds.data_vars) == {*INPUTS, *OUTPUTS, "reason"}
    for name, values in expected_columns(10).items():
        np.testing.assert_array_equal(ds[name].values, values)
    assert ds["shells[*].planes"].dtype == np.int64
    assert ds["reason"].dtype == np.int16
    assert ds.attrs["study"] == "t" and ds.attrs["outputs"] == OUTPUTS
    json.dumps(ds.attrs, allow_nan=False)  # JSON values only
    rows = range(10)
    assert decoded_reasons(ds) == [
        None if r % 3 else f"array too large at sample {r % 2}" for r in rows
    ]
    assert ds["reason"].attrs["reasons"][0] == "the design closes"
    mine = store.dataset()
    assert mine.equals(ds.load()) and mine.attrs == ds.attrs


def test_a_chunk_killed_before_its_flag_is_missing_and_never_read(tmp_path):
    import zarr

    class Killed(BaseException):
        """A kill between a chunk's rows and its done flag."""

    class KilledBeforeFlag(StudyStore):
        def _mark_done(self, index):
            raise Killed

    store = make(tmp_path / "store")
    write(store, 0)
    killed = KilledBeforeFlag.open(tmp_path / "store", "study-a 0.1.0")
    with pytest.raises(Killed):
        write(killed, 1)
    on_disk = zarr.open_array(str(tmp_path / "store"), path="kw_per_tonne", mode="r")
    np.testing.assert_array_equal(on_disk[4:8], np.arange(4, 8) / 7.0)  # the rows did land
    assert store.missing_chunks() == [1, 2]
    ds = store.dataset()
    assert np.isnan(ds["kw_per_tonne"].values[4:]).all()
    assert np.isnan(ds["launch.cost_per_flight_usd"].values[4:]).all()
    assert (ds["reason"].values[4:] == NOT_COMPUTED).all()
    np.testing.assert_array_equal(ds["kw_per_tonne"].values[:4], np.arange(4) / 7.0)


def test_resume_lists_exactly_the_missing_chunks_and_completes(tmp_path):
    store = make(tmp_path / "store", n_samples=45, chunk_size=4)  # 12 chunks, the last of 1
    written = {0, 3, 4, 7, 11}
    for index in sorted(written):
        write(store, index)
    resumed = StudyStore.open(tmp_path / "store", "study-a 0.1.0")
    assert resumed.missing_chunks() == sorted(set(range(12)) - written)
    for index in resumed.missing_chunks():
        write(resumed, index)
    write(resumed, 3)  # a retried task writes its chunk again
    assert resumed.missing_chunks() == [] and resumed.done_chunks().all()
    ds = resumed.dataset()
    for name, values in expected_columns(45).items():
        np.testing.assert_array_equal(ds[name].values, values)


@pytest.mark.parametrize(
    "fingerprint", ["study-b 0.1.0", "study-a 0.1.1"], ids=["other study", "other version"]
)
def test_another_fingerprint_is_refused_in_one_line(tmp_path, fingerprint):
    make(tmp_path / "store")
    with pytest.raises(ScenarioError) as refused:
        StudyStore.open(tmp_path / "store", fingerprint)
    assert str(refused.value) == (
        f"--store {tmp_path / 'store'}: the store was written by another study; remove it or "
        "choose another --store"
    )


def test_refused_paths_in_one_line(tmp_path):
    file = tmp_path / "results.nc"
    file.write_text("not a store")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    make(tmp_path / "store")
    cases = {
        file: "is a file, not a folder",
        foreign: "a folder that is not a study's store",
        tmp_path / "store": "holds a study's store already; resume it with --resume",
        tmp_path / "no-such-folder" / "store": "does not exist; create it first",
    }
    for path, words in cases.items():
        with pytest.raises(ScenarioError) as refused:
            make(path)
        message = str(refused.value)
        assert message.startswith(f"--store {path}: ") and words in message
        assert "\n" not in message
    assert file.read_text() == "not a store" and os.listdir(foreign) == ["cat.jpg"]
    for path, words in {
        file: "is a file",
        foreign: "not a study's store",
        tmp_path / "none": "no such folder",
    }.items():
        with pytest.raises(ScenarioError, match=words) as refused:
            StudyStore.open(path, "study-a 0.1.0")
        assert str(refused.value).startswith(f"--store {path}: ")


def test_an_empty_folder_becomes_the_store(tmp_path):
    (tmp_path / "store").mkdir()
    store = make(tmp_path / "store")
    assert store.missing_chunks() == [0, 1, 2]


def test_nothing_is_written_outside_the_store(tmp_path, monkeypatch):
    import xarray as xr

    home, work, where = tmp_path / "home", tmp_path / "cwd", tmp_path / "results"
    for folder in (home, work, where):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    store = make(where / "store")
    for index in range(store.n_chunks):
        write(store, index)
    key = cache_key({"altitude_km": 340.0})
    store.cache_put(key, {"t_s": np.arange(3.0)}, {"shell": "dd340"})
    store.cache_get(key)
    store.dataset()
    xr.open_zarr(where / "store").load()
    assert os.listdir(where) == ["store"]
    assert os.listdir(home) == [] and os.listdir(work) == []


def test_bad_chunks_are_refused(tmp_path):
    store = make(tmp_path / "store")
    inputs, outputs, reasons = chunk_values(store, 0)
    codes = store.reason_codes(reasons)
    with pytest.raises(IndexError):
        store.write_chunk(3, inputs, outputs, codes)
    with pytest.raises(ValueError, match="chunk has 2 samples"):
        store.write_chunk(2, inputs, outputs, codes)
    with pytest.raises(ValueError, match="missing"):
        store.write_chunk(0, {"shells[*].planes": inputs["shells[*].planes"]}, outputs, codes)
    with pytest.raises(ValueError, match="integer input"):
        store.write_chunk(0, {**inputs, "shells[*].planes": np.full(4, 2.5)}, outputs, codes)
    with pytest.raises(ValueError, match="reason: codes"):
        store.write_chunk(0, inputs, outputs, np.full(4, 9))
    assert store.missing_chunks() == [0, 1, 2]


def write_every_other_chunk(store: StudyStore, first: int, barrier, codes) -> None:
    """A worker process: reasons of its own, then chunks first, first + 2, ... (whose
    reasons the other worker meets too); ``codes`` gets each (sentence, code) it was given."""
    barrier.wait()
    for i in range(15):
        sentence = f"worker {first}, reason {i}"
        codes.put((sentence, int(store.reason_codes([sentence])[0])))
    for index in range(first, store.n_chunks, 2):
        write(store, index)


def test_two_processes_write_one_store(tmp_path):
    import xarray as xr

    store = make(tmp_path / "store", n_samples=64, chunk_size=4)
    context = multiprocessing.get_context("spawn")
    barrier, codes = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=write_every_other_chunk, args=(store, first, barrier, codes))
        for first in (0, 1)
    ]
    for worker in workers:
        worker.start()
    given = [codes.get(timeout=PROCESS_TIMEOUT_S) for _ in range(30)]
    for worker in workers:
        worker.join(PROCESS_TIMEOUT_S)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert store.missing_chunks() == []
    ds = xr.open_zarr(tmp_path / "store")
    for name, values in expected_columns(64).items():
        np.testing.assert_array_equal(ds[name].values, values)
    # Every sentence has one code, the one each worker was given, whoever appended first.
    sentences = ds["reason"].attrs["reasons"]
    assert len(sentences) == len(set(sentences)) == 1 + 30 + 2
    assert all(sentences[code] == sentence for sentence, code in given)
    assert decoded_reasons(ds) == [
        None if r % 3 else f"array too large at sample {r % 2}" for r in range(64)
    ]


def test_cache_round_trip(tmp_path):
    store = make(tmp_path / "store")
    key = cache_key({"altitude_km": 340.0, "inclination_deg": 96.84, "planes": 2})
    assert store.cache_get(key) is None and store.cache_meta(key) is None
    arrays = {
        "beta_deg": np.linspace(-80.0, 80.0, 7),
        "eclipse_min": np.arange(6, dtype=np.float32).reshape(2, 3),
        "file": np.array([1, 2]),  # a name np.savez itself would not take
    }
    store.cache_put(key, arrays, {"shell": "dd340", "epoch": "2027-01-01T00:00:00Z"})
    got = store.cache_get(key)
    assert set(got) == set(arrays)
    for name, values in arrays.items():
        np.testing.assert_array_equal(got[name], values)
        assert got[name].dtype == values.dtype
    assert store.cache_meta(key) == {"shell": "dd340", "epoch": "2027-01-01T00:00:00Z"}
    with pytest.raises(ValueError, match="Python objects"):
        store.cache_put(key, {"x": np.array([{}], dtype=object)}, {})
    with pytest.raises(ValueError, match="not a key"):
        store.cache_get("../../escape")


def test_cache_keys(monkeypatch):
    parts = {"altitude_km": 340.0, "shells": [{"planes": 2, "ltan_hours": 18.0}]}
    key = cache_key(parts)
    assert len(key) == 64 and set(key) <= set("0123456789abcdef")
    reordered = {"shells": [{"ltan_hours": 18.0, "planes": 2}], "altitude_km": 340.0}
    assert cache_key(reordered) == key
    assert cache_key({**parts, "altitude_km": np.float64(340.0)}) == key
    assert cache_key({**parts, "altitude_km": 340.0000001}) != key
    with pytest.raises(ValueError):
        cache_key({"altitude_km": float("nan")})
    monkeypatch.setattr(study_store, "package_version", lambda: "99.0")
    assert cache_key(parts) != key


def put_repeatedly(store: StudyStore, key: str, fill: float, barrier) -> None:
    """A worker process: put one key again and again, each time a whole entry of ``fill``."""
    barrier.wait()
    for _ in range(40):
        store.cache_put(key, {"values": np.full(20_000, fill)}, {"fill": fill})


def test_two_processes_put_one_key(tmp_path):
    store = make(tmp_path / "store")
    key = cache_key({"altitude_km": 350.0})
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    workers = [
        context.Process(target=put_repeatedly, args=(store, key, fill, barrier))
        for fill in (1.0, 2.0)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    while any(worker.is_alive() for worker in workers):
        entry = store.cache_get(key)
        if entry is not None:  # whole, from one writer, never a mix or a torn archive
            values = entry["values"]
            assert values.shape == (20_000,) and values[0] in (1.0, 2.0)
            assert (values == values[0]).all()
    for worker in workers:
        worker.join(PROCESS_TIMEOUT_S)
    assert [worker.exitcode for worker in workers] == [0, 0]
    last = store.cache_get(key)["values"]
    assert last[0] in (1.0, 2.0) and (last == last[0]).all()
    assert store.cache_meta(key) == {"fill": last[0]}
    # no temporary left behind
    assert sorted(os.listdir(tmp_path / "store" / "cache")) == sorted(["zarr.json", f"{key}.npz"])


def test_a_writer_never_shares_a_zarr_chunk(tmp_path):
    import zarr

    store = make(tmp_path / "store")
    root = zarr.open_group(str(tmp_path / "store"), mode="r+", use_consolidated=False)
    root.create_array(
        "kw_per_tonne", shape=(10,), chunks=(2,), dtype="float64", overwrite=True
    )  # another chunking than the layout says
    inputs, outputs, reasons = chunk_values(store, 0)
    with pytest.raises(RuntimeError, match="'kw_per_tonne' is chunked by \\(2,\\)"):
        store.write_chunk(0, inputs, outputs, store.reason_codes(reasons))
    assert store.missing_chunks() == [0, 1, 2]

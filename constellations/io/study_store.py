"""A trade study's results on disk: a zarr (format 3) store written chunk by chunk.

One folder holds a study's samples and the orbital design points it computed:

- at its root, one array along the ``sample`` dimension for each input (float64 or
  int64) and each output (float64), and ``reason`` (int16: ``0``, the design closes;
  ``k > 0``, the design does not close for ``reason.attrs["reasons"][k]``;
  :data:`NOT_COMPUTED`, ``-1``, the sample's chunk has not been written).  All are
  chunked by the study's ``chunk_size``, so ``xarray.open_zarr(path)`` reads them as
  a Dataset with the one dimension ``sample`` and the study's attributes.
- ``progress/done``: one bool per chunk of samples, each in its own object (zarr
  chunks of one element), the chunk's commit marker.
- ``cache/<key>.npz``: orbital design points (:func:`cache_key`), NumPy archives
  without pickles, each written whole under a temporary name and renamed into place.

A study is created once, in the client (:meth:`StudyStore.create`); Dask tasks then
write chunks in parallel from any number of processes (:meth:`StudyStore.write_chunk`),
each only its own chunk's rows, which are whole zarr chunks of every array, so no two
writers ever share an object.  ``--resume`` reopens the store
(:meth:`StudyStore.open`) and recomputes only :meth:`StudyStore.missing_chunks`.

Why a chunk is either done or recomputed: zarr's ``LocalStore`` (3.1.3 and later)
writes every object to a temporary file beside it and renames it into place, so no
object is ever half-written; but a chunk of samples is one object per array, and a
process killed between two of them leaves some arrays written and others not.  So
the rows are written first and the chunk's ``done`` flag last: a chunk is complete
exactly when its flag is set, and the rows of a chunk without it are rewritten on
resume and never read by :meth:`StudyStore.dataset`, which masks them
(``xarray.open_zarr`` shows every row as it lies on disk: mask it by
``progress/done``).  Rewriting is harmless, so a retried task may write its chunk
again.  What the store keeps is what
the file system keeps after a killed process; after a power cut, the file system's
own ordering of renames decides (nothing here calls fsync).

The root's metadata is consolidated (``zarr.json`` holds its members' metadata, the
form ``xarray.open_zarr`` looks for first; without it xarray warns), and written again
whenever the reason sentences grow.  Appending a reason (:meth:`StudyStore.reason_codes`)
is serialised between processes by an advisory lock (``flock``) on the ``reason``
array's folder, so two workers never give two sentences the same code; the store
must be on a file system where ``flock`` works between the processes that write it
(a local disk).
"""

import errno
import fcntl
import hashlib
import json
import math
import os
import re
import secrets
import shutil
import zipfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import numpy as np

from constellations.errors import ExportError, LimitError, ScenarioError
from constellations.io.atomic import atomic_write

#: ``reason`` of a sample whose chunk has not been written (the arrays' fill value).
NOT_COMPUTED = -1
#: ``reason`` of a sample whose design closes.
CLOSES = 0
#: The sentence of :data:`CLOSES`, first of ``reason.attrs["reasons"]``.
CLOSES_SENTENCE = "the design closes"
#: Root attribute naming a store of ours, holding its layout (a format number, below).
LAYOUT_ATTR = "orbital_dc_study_store"
#: Version of the layout written here; another one is refused.
FORMAT = 1
#: The dtypes an input may have.
INPUT_DTYPES = (np.dtype("float64"), np.dtype("int64"))

_DONE = "progress/done"
_CACHE = "cache"
_RESERVED = ("reason", "progress", "cache")
_KEY = re.compile(r"[0-9a-f]{64}")
_META = "__meta__"  # the member of a cache entry's archive holding its meta (JSON text)
_MAX_REASON = int(np.iinfo(np.int16).max)


def package_version() -> str:
    """The installed orbital-dc's version (from the package's metadata)."""
    return metadata.version("orbital-dc")


def cache_key(parts: dict) -> str:
    """The cache key of an orbital design point: 64 hex digits.

    ``parts`` holds the inputs that determine the design point (JSON values: str, bool,
    int, float, None, lists and dicts of them; NumPy scalars and arrays are taken as
    their Python values).  The key is the SHA-256 of their canonical JSON (keys sorted,
    no spaces) together with the package version, so an upgrade computes anew.  ``1``
    and ``1.0`` are different values here: give each input one type.  Raises
    ValueError for NaN or infinity, TypeError for other types.
    """
    document = {"orbital_dc": package_version(), "parts": _plain(parts)}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value):
    """``value`` with NumPy scalars and arrays turned into Python values, tuples into lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cache_key: {value!r} is not a finite number")
    return value


def _json_attrs(attrs: dict, what: str) -> dict:
    """``attrs`` as they read back from JSON; ValueError or TypeError if they are not JSON."""
    try:
        return json.loads(json.dumps(_plain(attrs), allow_nan=False))
    except ValueError as exc:
        raise ValueError(f"{what}: not JSON ({exc})") from None
    except TypeError as exc:
        raise TypeError(f"{what}: not JSON ({exc})") from None


def _named(option: str, path) -> str:
    return f"{option} {path}" if option else str(path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):  # absent, a folder, not JSON
        return None


def _layout_of(path: Path) -> dict | None:
    """The layout attribute of the store at ``path``, or None when it is not ours."""
    root = _read_json(path / "zarr.json")
    if not isinstance(root, dict) or root.get("node_type") != "group":
        return None
    layout = root.get("attributes", {}).get(LAYOUT_ATTR)
    return layout if isinstance(layout, dict) else None


@contextmanager
def _locked(folder: Path):
    """An exclusive advisory lock on ``folder``, held for the block (between processes)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class StudyStore:
    """A study's store at ``path`` (made by :meth:`create`, reopened by :meth:`open`).

    Picklable (a Dask task takes it to its worker): it holds the path and the layout,
    and each process opens the zarr arrays it writes on first use.

    Attributes: ``path`` (Path), ``n_samples``, ``chunk_size``, ``n_chunks`` (ints),
    ``inputs`` (dict name -> numpy dtype), ``outputs`` (tuple of names),
    ``fingerprint`` (str).
    """

    def __init__(self, path, layout: dict):
        self.path = Path(path)
        self.n_samples = int(layout["n_samples"])
        self.chunk_size = int(layout["chunk_size"])
        self.n_chunks = -(-self.n_samples // self.chunk_size)
        self.inputs = {name: np.dtype(dtype) for name, dtype in layout["inputs"].items()}
        self.outputs = tuple(layout["outputs"])
        self.fingerprint = str(layout["fingerprint"])
        self._arrays = {}

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_arrays"] = {}
        return state

    def __repr__(self) -> str:
        return (
            f"StudyStore({str(self.path)!r}, n_samples={self.n_samples}, "
            f"chunk_size={self.chunk_size})"
        )

    # -- making and opening ------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path,
        *,
        n_samples: int,
        chunk_size: int,
        inputs: dict,
        outputs: list,
        fingerprint: str,
        attrs: dict,
        option: str = "--store",
    ) -> "StudyStore":
        """Make a new, empty store at ``path`` (a folder) and return it.

        ``inputs`` maps each input's name to its dtype (float64 or int64), ``outputs``
        lists the outputs' names (float64); ``fingerprint`` is the study's content hash
        and package version, computed by the caller and checked by :meth:`open`;
        ``attrs`` (JSON values) become the Dataset's attributes.  The store is built in
        a hidden folder beside ``path`` and renamed into place, so ``path`` is either
        absent or a whole store.

        ``path`` may be absent or an empty folder.  Raises ScenarioError of one line,
        naming ``option``, when it is a file, a store already (resume it instead) or a
        folder holding anything else, or when its folder does not exist; ExportError
        when it cannot be written; ValueError or TypeError for arguments that do not
        fit (names clashing or reserved, a dtype other than float64 or int64, attrs
        that are not JSON).
        """
        layout = _checked_layout(n_samples, chunk_size, inputs, outputs, fingerprint)
        attrs = _json_attrs(attrs, "attrs")
        if LAYOUT_ATTR in attrs:
            raise ValueError(f"attrs: {LAYOUT_ATTR!r} is the store's own attribute")
        target = _creatable(Path(path), option)
        building = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            _build(building, layout, attrs)
            os.rename(building, target)  # an empty folder at ``target`` is replaced
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise ScenarioError(
                    f"{_named(option, path)}: appeared while the store was being made; "
                    f"remove it or choose another {option or 'folder'}"
                ) from None
            raise ExportError(
                f"{_named(option, path)}: cannot be written ({exc.strerror or exc})"
            ) from None
        finally:
            shutil.rmtree(building, ignore_errors=True)
        return cls(path, layout)

    @classmethod
    def open(cls, path, fingerprint: str, *, option: str = "--store") -> "StudyStore":
        """The store at ``path``, to resume the study whose ``fingerprint`` made it.

        Raises ScenarioError of one line, naming ``option``, when ``path`` holds no
        store of ours (or one of another layout version), or a store written by a
        study with another fingerprint.
        """
        path = Path(path)
        named = _named(option, path)
        if not path.exists():
            raise ScenarioError(f"{named}: no such folder; run the study without --resume")
        if not path.is_dir():
            raise ScenarioError(f"{named}: is a file, not a study's store; check {option}")
        layout = _layout_of(path)
        if layout is None:
            raise ScenarioError(
                f"{named}: not a study's store (no orbital-dc study there); check {option}"
            )
        if layout.get("format") != FORMAT:
            raise ScenarioError(
                f"{named}: a study store of layout {layout.get('format')!r}, this orbital-dc "
                f"writes layout {FORMAT}; run the study again into another {option}"
            )
        if layout.get("fingerprint") != fingerprint:
            raise ScenarioError(
                f"{named}: the store was written by another study; remove it or choose "
                f"another {option}"
            )
        return cls(path, layout)

    # -- chunks ------------------------------------------------------------------------

    def rows(self, index: int) -> slice:
        """The samples of chunk ``index`` (0 <= index < n_chunks); IndexError otherwise."""
        if not 0 <= index < self.n_chunks:
            raise IndexError(f"chunk {index}: the store has chunks 0 to {self.n_chunks - 1}")
        start = index * self.chunk_size
        return slice(start, min(start + self.chunk_size, self.n_samples))

    def write_chunk(self, index: int, inputs: dict, outputs: dict, reason: np.ndarray) -> None:
        """Write chunk ``index``'s rows, then mark it done.

        ``inputs`` and ``outputs`` map every input and output name of the store to an
        array of the chunk's length (``rows(index)``); ``reason`` holds the samples'
        codes (:data:`CLOSES` or a code from :meth:`reason_codes`).  The done flag is
        written last, so a process killed before it leaves the chunk missing
        (recomputed on resume); writing a chunk again rewrites the same rows.

        Raises IndexError for a chunk out of range, ValueError for missing or unknown
        names, arrays of another length, integer inputs that are not whole numbers,
        or unknown reason codes; RuntimeError if an array on disk is not chunked by the
        study's chunk size (its chunks would not be this task's alone).
        """
        rows = self.rows(index)
        n = rows.stop - rows.start
        columns = {}
        _same_names(inputs, self.inputs, "inputs")
        _same_names(outputs, self.outputs, "outputs")
        for name, dtype in self.inputs.items():
            columns[name] = _column(inputs[name], dtype, n, name)
        for name in self.outputs:
            columns[name] = _column(outputs[name], np.dtype("float64"), n, name)
        codes = _column(reason, np.dtype("int64"), n, "reason")
        known = len(self.reasons())
        if codes.size and (codes.min() < 0 or codes.max() >= known):
            raise ValueError(
                f"reason: codes must be 0 to {known - 1} (from reason_codes); got "
                f"{int(codes.min())} to {int(codes.max())}"
            )
        columns["reason"] = codes.astype(np.int16)
        arrays = {name: self._array(name) for name in columns}
        for name, array in arrays.items():
            # Each writer must own whole zarr chunks: a chunk shared by two writers would
            # be read, changed and written back by both, and one of them lost.
            if array.chunks != (self.chunk_size,) or rows.start % array.chunks[0]:
                raise RuntimeError(
                    f"{self.path}: array {name!r} is chunked by {array.chunks}, not by the "
                    f"study's {self.chunk_size} samples; chunk {index} would share zarr chunks"
                )
        for name, values in columns.items():
            arrays[name][rows] = values
        self._mark_done(index)

    def _mark_done(self, index: int) -> None:
        """Set chunk ``index``'s done flag: the last write of a chunk, its commit."""
        self._array(_DONE)[index] = True

    def forget_chunks(self, indices) -> None:
        """Clear the done flags of chunks ``indices``: a resumed study computes them again
        (what a run killed before finishing them leaves).  Raises IndexError out of range."""
        flags = self._array(_DONE)
        for index in indices:
            self.rows(int(index))
            flags[int(index)] = False

    def done_chunks(self) -> np.ndarray:
        """One bool per chunk, shape (n_chunks,): whether the chunk is complete."""
        return np.asarray(self._array(_DONE, fresh=True)[:], dtype=bool)

    def missing_chunks(self) -> list[int]:
        """The chunks not yet complete, in order: what a resumed study computes."""
        return [int(i) for i in np.flatnonzero(~self.done_chunks())]

    # -- reasons -----------------------------------------------------------------------

    def reasons(self) -> list[str]:
        """The reason sentences: ``reasons()[code]`` for every code, ``[0]`` the design closes."""
        return list(self._array("reason", fresh=True).attrs["reasons"])

    def reason_codes(self, sentences) -> np.ndarray:
        """The codes of ``sentences`` (None, or a reason a design does not close), int16.

        None gives :data:`CLOSES`; a sentence not seen before is appended to
        ``reason.attrs["reasons"]`` (safe from parallel processes: one lock on the
        store).  Raises LimitError beyond 32,767 distinct reasons.
        """
        sentences = list(sentences)
        wanted = {s for s in sentences if s is not None}
        known = self.reasons()
        if wanted <= set(known):
            return self._codes(sentences, known)
        with _locked(self.path / "reason"):
            known = self.reasons()
            new = sorted(wanted - set(known))
            if new:
                if len(known) + len(new) - 1 > _MAX_REASON:
                    raise LimitError(
                        f"{self.path}: more than {_MAX_REASON:,} different reasons a design "
                        "does not close; record fewer outputs or study fewer samples per store"
                    )
                known = known + new
                self._array("reason", fresh=True).attrs["reasons"] = known
                _consolidate(self.path, self)
        return self._codes(sentences, known)

    @staticmethod
    def _codes(sentences, known) -> np.ndarray:
        code = {sentence: i for i, sentence in enumerate(known)}
        return np.array(
            [CLOSES if s is None else code[s] for s in sentences], dtype=np.int16
        ).reshape(len(sentences))

    # -- reading -----------------------------------------------------------------------

    def dataset(self):
        """The study's results as an in-memory ``xarray.Dataset`` of dims ("sample",).

        Variables: every input (its dtype), every output (float64) and ``reason``
        (int16, with ``attrs["reasons"]``); attributes: the study's attrs and the
        store's layout.  Only rows of done chunks are valid: those of the other chunks
        are NaN, 0 for integer inputs, and ``reason`` :data:`NOT_COMPUTED`, whatever a
        killed task left there (those rows are never read).
        """
        import xarray as xr
        import zarr

        done = self.done_chunks()
        root = zarr.open_group(str(self.path), mode="r", use_consolidated=False)
        variables = {}
        for name in (*self.inputs, *self.outputs, "reason"):
            array = root[name]
            values = np.full(self.n_samples, array.fill_value, dtype=array.dtype)
            for start, stop in _runs(done):
                rows = slice(start * self.chunk_size, min(stop * self.chunk_size, self.n_samples))
                values[rows] = array[rows]
            variables[name] = xr.Variable(("sample",), values, attrs=dict(array.attrs))
        return xr.Dataset(variables, attrs=dict(root.attrs))

    # -- the orbital cache -------------------------------------------------------------

    def _cache_file(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"cache key {key!r}: not a key from cache_key (64 hex digits)")
        return self.path / _CACHE / f"{key}.npz"

    def cache_get(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays cached under ``key`` (name -> array), or None if there are none.

        An entry that cannot be read is taken as missing (the next put replaces it).
        Raises ValueError for a key not made by :func:`cache_key`.
        """
        entry = self._cache_entry(key)
        return None if entry is None else entry[0]

    def cache_meta(self, key: str) -> dict | None:
        """The ``meta`` cached with ``key``'s arrays, or None if there is no entry."""
        entry = self._cache_entry(key)
        return None if entry is None else entry[1]

    def _cache_entry(self, key: str):
        file = self._cache_file(key)
        try:
            with np.load(file, allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # not whole
            return None
        meta = arrays.pop(_META, None)
        return arrays, ({} if meta is None else json.loads(str(meta)))

    def cache_put(self, key: str, arrays: dict, meta: dict) -> None:
        """Cache ``arrays`` (name -> numeric array) and ``meta`` (JSON values) under ``key``.

        The archive is written under a temporary name and renamed into place: a reader
        sees no entry or a whole one, and of two processes putting the same key at
        once the last to finish wins.  Raises ValueError for a bad key, a name starting
        with ``__`` or an array of Python objects; TypeError for meta that is not JSON.
        """
        target = self._cache_file(key)
        members = {}
        for name, values in arrays.items():
            values = np.asarray(values)
            if str(name).startswith("__"):
                raise ValueError(f"cache_put: array name {name!r} must not start with '__'")
            if values.dtype.hasobject:
                raise ValueError(f"cache_put: {name!r} holds Python objects; give numbers")
            members[str(name)] = values
        members[_META] = np.array(json.dumps(_json_attrs(meta, "meta"), sort_keys=True))
        # np.savez's layout (one .npy member per array), written here so that any array
        # name is allowed (np.savez's own parameters would clash) and nothing is pickled.
        with atomic_write(target, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for name, values in members.items():
                with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, values, allow_pickle=False)

    # -- zarr --------------------------------------------------------------------------

    def _array(self, name: str, fresh: bool = False):
        """The zarr array ``name``, opened once per process (``fresh``: read again)."""
        if fresh or name not in self._arrays:
            import zarr

            self._arrays[name] = zarr.open_array(
                str(self.path), path=name, mode="r+", zarr_format=3
            )
        return self._arrays[name]


def _checked_layout(n_samples, chunk_size, inputs, outputs, fingerprint) -> dict:
    for label, value in (("n_samples", n_samples), ("chunk_size", chunk_size)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{label}={value!r}: must be a whole number of at least 1")
    if not isinstance(fingerprint, str) or not fingerprint:
        raise ValueError("fingerprint: must be a non-empty string")
    dtypes = {}
    for name, dtype in inputs.items():
        dtype = np.dtype(dtype)
        if dtype not in INPUT_DTYPES:
            raise ValueError(f"inputs: {name!r} is {dtype}; an input is float64 or int64")
        dtypes[str(name)] = dtype.name
    names = [*dtypes, *map(str, outputs)]
    for name in names:
        if (
            name in _RESERVED
            or not name
            or "/" in name
            or name.startswith("__")
            or not (name.strip("."))
        ):
            raise ValueError(f"{name!r}: not a name for a store's array (reserved or not a name)")
    if len(set(names)) != len(names):
        raise ValueError(f"inputs and outputs: a name given twice in {names}")
    return {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "n_samples": int(n_samples),
        "chunk_size": int(chunk_size),
        "inputs": dtypes,
        "outputs": [str(o) for o in outputs],
    }


def _creatable(path: Path, option: str) -> Path:
    """The folder to rename a new store onto (a link is followed); ScenarioError if none."""
    named = _named(option, path)
    if str(path) == "":
        raise ScenarioError(f"{option} '': an empty folder name; give a folder for the store")
    if path.is_symlink():
        if not path.exists():
            raise ScenarioError(
                f"{named}: a link to nothing ({os.readlink(path)}); fix or remove it"
            )
        path = path.resolve()
    if path.exists():
        if not path.is_dir():
            raise ScenarioError(
                f"{named}: is a file, not a folder; give a new folder for the study's store"
            )
        if _layout_of(path) is not None:
            raise ScenarioError(
                f"{named}: holds a study's store already; resume it with --resume, or remove "
                f"it or choose another {option}"
            )
        if any(path.iterdir()):
            raise ScenarioError(
                f"{named}: a folder that is not a study's store (it holds other files); "
                f"choose a new or empty folder for {option}"
            )
    parent = path.absolute().parent
    if not parent.is_dir():
        raise ScenarioError(f"{named}: folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(
            f"{named}: cannot write into folder {parent} (permission denied); choose a folder "
            "you can write to"
        )
    return path


def _build(folder: Path, layout: dict, attrs: dict) -> None:
    """Write a new store's metadata into ``folder`` (which must not exist)."""
    import zarr

    root = zarr.open_group(
        str(folder), mode="w-", zarr_format=3, attributes={**attrs, LAYOUT_ATTR: layout}
    )
    n, chunk = layout["n_samples"], layout["chunk_size"]

    def along_samples(name, dtype, fill, **attributes):
        root.create_array(
            name,
            shape=(n,),
            chunks=(chunk,),
            dtype=dtype,
            fill_value=fill,
            dimension_names=["sample"],
            attributes=attributes,
        )

    for name, dtype in layout["inputs"].items():
        along_samples(name, dtype, np.nan if dtype == "float64" else 0)
    for name in layout["outputs"]:
        along_samples(name, "float64", np.nan)
    along_samples(
        "reason",
        "int16",
        NOT_COMPUTED,
        reasons=[CLOSES_SENTENCE],
        not_computed=NOT_COMPUTED,
        description=(
            "why a sample's design does not close: reasons[code]; 0, it closes; "
            f"{NOT_COMPUTED}, not computed"
        ),
    )
    progress = root.create_group("progress")
    progress.create_array(
        "done",
        shape=(-(-n // chunk),),
        chunks=(1,),
        dtype="bool",
        fill_value=False,
        dimension_names=["chunk"],
    )
    root.create_group(_CACHE)
    _consolidate(folder, layout)


def _consolidate(folder: Path, layout) -> None:
    """Write the root's ``zarr.json`` with its members' metadata consolidated in it.

    zarr's own ``consolidate_metadata`` walks every folder of the store, where the
    cache's archives are not zarr nodes, and warns that consolidated metadata is not
    yet in the format 3 specification; the layout is fixed, so its members are read
    here by name, in the form zarr-python writes and reads (``kind: inline``).
    """
    if isinstance(layout, StudyStore):
        names = [*layout.inputs, *layout.outputs]
    else:
        names = [*layout["inputs"], *layout["outputs"]]

    def node(relative: str, children: dict | None = None) -> dict:
        document = json.loads((folder / relative / "zarr.json").read_text(encoding="utf-8"))
        document.pop("consolidated_metadata", None)
        if children is not None:
            document["consolidated_metadata"] = {
                "kind": "inline",
                "must_understand": False,
                "metadata": children,
            }
        return document

    members = {name: node(name) for name in (*names, "reason")}
    members["progress"] = node("progress", {"done": node(_DONE)})
    members[_CACHE] = node(_CACHE, {})
    root = node("", members)
    with atomic_write(folder / "zarr.json") as handle:
        json.dump(root, handle, indent=2, allow_nan=False)


def _same_names(given: dict, expected, what: str) -> None:
    if set(given) != set(expected):
        missing = sorted(set(expected) - set(given))
        unknown = sorted(set(given) - set(expected))
        raise ValueError(f"{what}: missing {missing}, unknown {unknown}")


def _column(values, dtype: np.dtype, n: int, name: str) -> np.ndarray:
    values = np.asarray(values)
    if values.shape != (n,):
        raise ValueError(f"{name}: shape {values.shape}, the chunk has {n} samples")
    if dtype.kind in "iu" and values.dtype.kind not in "iub":
        whole = np.isfinite(values) & (values == np.round(values))
        if not whole.all():
            raise ValueError(f"{name}: an integer input; got {values[~whole][0]!r}")
    return values.astype(dtype)


def _runs(flags: np.ndarray):
    """(start, stop) of each run of True in ``flags``."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)

"""Writers for propagated positions, streamed chunk by chunk with bounded memory.

``.npz``: a NumPy archive (``numpy.load`` reads it) holding ``positions_km``
``(n_sat, n_t, 3)``, ``t_s`` ``(n_t,)``, ``sat_id``, ``shell``, ``plane``,
``slot`` ``(n_sat,)``, ``shell_names``, ``epoch`` and ``frame``.  The big array
is streamed into the zip entry, never held whole.
``.csv``: one row per satellite and time step, for small runs and spreadsheets.
Both are written atomically.
"""

import io
import os
import zipfile
from pathlib import Path

import numpy as np

from constellations.errors import ExportError, LimitError
from constellations.io.atomic import atomic_write, check_writable

FORMATS = (".npz", ".csv")
#: Above this many rows a CSV becomes unwieldy; the writer refuses and suggests .npz.
MAX_CSV_ROWS = 5_000_000


def check_output(path, n_rows: int):
    path = check_writable(path)
    if path.suffix.lower() not in FORMATS:
        raise ExportError(f"{path}: unknown output format; name the file .npz (NumPy) or .csv")
    if path.suffix.lower() == ".csv" and n_rows > MAX_CSV_ROWS:
        raise LimitError(
            f"{path}: {n_rows:,} rows is too many for CSV (limit {MAX_CSV_ROWS:,}); "
            "write .npz instead, or shorten --hours / lengthen --step-s"
        )
    return path


def check_fits(path, n_sat: int, n_steps: int, bytes_per_value: int) -> None:
    """Refuse, before any work, a run whose buffers or file cannot fit this machine.

    The stream holds one chunk of up to ``DEFAULT_CHUNK_SATS`` satellites over every step
    (positions and their rotation buffer, float64); the file holds every satellite's.
    Raises ``LimitError`` with the estimate and what to change.
    """
    import shutil

    from orbital.propagation import DEFAULT_CHUNK_SATS

    buffer_bytes = 2 * min(n_sat, DEFAULT_CHUNK_SATS) * n_steps * 3 * 8
    memory_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    change = "shorten --hours or lengthen --step-s"
    if buffer_bytes > memory_bytes // 2:
        raise LimitError(
            f"{n_steps:,} time steps: one chunk of satellites would need "
            f"{buffer_bytes / 1e9:,.1f} GB of memory, more than half of this machine's "
            f"{memory_bytes / 1e9:,.0f} GB; {change}"
        )
    file_bytes = n_sat * n_steps * 3 * bytes_per_value
    folder = Path(path).resolve().parent
    free_bytes = shutil.disk_usage(folder).free if folder.is_dir() else None
    if free_bytes is not None and file_bytes > free_bytes:
        raise LimitError(
            f"{path}: {n_sat:,} satellite{'s' * (n_sat != 1)} x {n_steps:,} steps is about "
            f"{file_bytes / 1e9:,.1f} GB, more than the {free_bytes / 1e9:,.1f} GB free there; "
            f"{change}, or write --float32"
        )


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def write_positions(
    path, chunks, *, n_sat, t_s, table, shell_names, epoch, frame, dtype, progress=None
):
    """Stream ``chunks`` (PositionChunk) into ``path`` (.npz or .csv)."""
    path = check_output(path, n_sat * len(t_s))
    if path.suffix.lower() == ".csv":
        _write_csv(path, chunks, t_s, table, shell_names, progress)
    else:
        _write_npz(path, chunks, n_sat, t_s, table, shell_names, epoch, frame, dtype, progress)
    return path


def _write_npz(path, chunks, n_sat, t_s, table, shell_names, epoch, frame, dtype, progress):
    with atomic_write(path, "wb") as handle:
        with zipfile.ZipFile(
            handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True
        ) as archive:
            with archive.open("positions_km.npy", "w", force_zip64=True) as entry:
                header = {
                    "descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
                    "fortran_order": False,
                    "shape": (n_sat, len(t_s), 3),
                }
                np.lib.format.write_array_header_2_0(entry, header)
                written = 0
                for chunk in chunks:
                    if chunk.start != written:
                        raise RuntimeError("position chunks arrived out of order")
                    entry.write(np.ascontiguousarray(chunk.positions_km, dtype=dtype).tobytes())
                    written = chunk.stop
                    if progress:
                        progress(chunk.stop - chunk.start)
                if written != n_sat:
                    raise RuntimeError(f"expected {n_sat} satellites, got {written}")
            extras = {
                "t_s": np.asarray(t_s, dtype=float),
                "shell_names": np.asarray(shell_names, dtype=str),
                "epoch": np.asarray(epoch, dtype=str),
                "frame": np.asarray(frame, dtype=str),
                **table,
            }
            for name, array in extras.items():
                archive.writestr(f"{name}.npy", _npy_bytes(np.asarray(array)))


#: Rows formatted at once by the CSV writer (bounded memory, one C-level format call).
CSV_BLOCK_ROWS = 50_000


def _csv_field(text: str) -> str:
    """``text`` as one CSV field, quoted as the csv module would when it must be."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_csv(path, chunks, t_s, table, shell_names, progress):
    names = [_csv_field(str(name)) for name in shell_names]
    t_text = [f"{t:g}" for t in t_s]
    n_t = len(t_s)
    row = "%d,%s,%d,%d,%s,%.6f,%.6f,%.6f\r\n"  # RFC 4180 line ends, as csv.writer
    sats_per_block = max(1, CSV_BLOCK_ROWS // max(n_t, 1))
    with atomic_write(path, "w") as handle:
        handle.write("sat_id,shell,plane,slot,t_s,x_km,y_km,z_km\r\n")
        for chunk in chunks:
            for lo in range(chunk.start, chunk.stop, sats_per_block):
                hi = min(lo + sats_per_block, chunk.stop)
                k = np.arange(lo, hi)
                xyz = np.asarray(chunk.positions_km[lo - chunk.start : hi - chunk.start], float)
                columns = (
                    np.repeat(table["sat_id"][k], n_t).tolist(),
                    [names[s] for s in np.repeat(table["shell"][k], n_t).tolist()],
                    np.repeat(table["plane"][k], n_t).tolist(),
                    np.repeat(table["slot"][k], n_t).tolist(),
                    t_text * (hi - lo),
                    xyz[:, :, 0].ravel().tolist(),
                    xyz[:, :, 1].ravel().tolist(),
                    xyz[:, :, 2].ravel().tolist(),
                )
                values = tuple(v for fields in zip(*columns, strict=True) for v in fields)
                handle.write((row * ((hi - lo) * n_t)) % values)
            if progress:
                progress(chunk.stop - chunk.start)

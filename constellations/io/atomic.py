"""Write output files atomically: a reader sees the old file or the whole new one.

The data goes to a hidden temporary file beside the target, which replaces
the target only when writing finished; on any error the temporary file is
removed, and on SIGTERM or SIGHUP the command line's handler removes it
(:func:`remove_temporaries`), so nothing half-written is left behind.

Only regular files are replaced.  A symbolic link is followed and the file
it names is replaced (the link stays); a device, a FIFO or a socket (say
``/dev/stdout`` or a named pipe) is written in place, as given: renaming
over it would destroy the node (as root, even ``/dev/null``).
"""

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from constellations.errors import ExportError

#: Temporary files being written by this process, removed by :func:`remove_temporaries`
#: when a signal ends the process (the command line's SIGTERM and SIGHUP handlers).
_ACTIVE: set = set()


def remove_temporaries() -> None:
    """Remove every temporary file this process is writing (from a signal handler)."""
    for name in list(_ACTIVE):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        _ACTIVE.discard(name)


def _temporary_beside(path: Path) -> str:
    """A new empty hidden file next to ``path``, with the permissions a plain open() would give.

    Created with mode 0o666 so the process umask applies, as for ``open(path, "w")``
    (``tempfile.mkstemp`` would make it private to the owner).
    """
    for _ in range(100):
        name = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        _ACTIVE.add(name)
        os.close(fd)
        return name
    raise OSError(f"{path.parent}: cannot create a temporary file there")


def check_writable(path) -> Path:
    """``path`` as a Path; ``ExportError`` if it is a folder or its folder does not exist."""
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise ExportError(f"{path}: a link to nothing ({os.readlink(path)}); fix or remove it")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name such as {path / 'out.json'}")
    if not path.parent.exists():
        raise ExportError(f"{path}: folder {path.parent} does not exist; create it first")
    return path


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, FIFO or socket)."""
    return path.exists() and not path.is_file()


@contextmanager
def atomic_path(path):
    """A temporary path to write (by any library) that becomes ``path`` on success.

    A link is followed (the file it names is replaced); a device, FIFO or
    socket is handed over as it is, to be written in place.
    """
    path = check_writable(path)
    if path.is_symlink():
        path = path.resolve()
    if _is_special(path):
        try:
            yield path
        except OSError as exc:
            raise ExportError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        return
    tmp_name = _temporary_beside(path)
    try:
        yield Path(tmp_name)
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, ExportError):
            raise ExportError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        raise
    finally:
        _ACTIVE.discard(tmp_name)


@contextmanager
def atomic_write(path, mode: str = "w", **open_kwargs):
    """Open a temporary file for writing that becomes ``path`` on success.

    ``mode`` is ``"w"`` (text, UTF-8 unless ``encoding`` is given) or ``"wb"``.
    """
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
        open_kwargs.setdefault("newline", "")
    with atomic_path(path) as tmp_path, open(tmp_path, mode, **open_kwargs) as handle:
        yield handle

"""Write output files atomically: a reader sees the old file or the whole new one.

The data goes to a hidden temporary file beside the target, which replaces
the target only when writing finished; on any error the temporary file is
removed, and on SIGTERM or SIGHUP the command line's handler removes it
(:func:`remove_temporaries`), so nothing half-written is left behind.

Only regular files are replaced.  A symbolic link is followed and the file
it names is replaced (the link stays); a device, a FIFO or a socket (say
``/dev/null`` or a named pipe) is written in place, as given: renaming
over it would destroy the node (as root, even ``/dev/null``).  So is any
path through ``/dev`` or ``/proc`` (``/dev/stdout`` is a link to
``/proc/self/fd/1``, which names whatever stdout is, perhaps a regular file
the shell opened: it is written through the process's own stdout, so that it
and the tables printed there follow one another instead of overwriting).
"""

import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

from constellations.errors import ExportError

#: Temporary files being written by this process, removed by :func:`remove_temporaries`
#: when a signal ends the process (the command line's SIGTERM and SIGHUP handlers).
_ACTIVE: set = set()


#: What else a signal must stop before the process exits (a study's local cluster, whose
#: worker processes would otherwise outlive it): callables, run by :func:`remove_temporaries`.
_AT_TERMINATION: list = []


@contextmanager
def stopped_at_termination(stop):
    """Within this block, a SIGTERM or SIGHUP calls ``stop()`` before the process exits."""
    _AT_TERMINATION.append(stop)
    try:
        yield
    finally:
        _AT_TERMINATION.remove(stop)


def remove_temporaries() -> None:
    """Remove every temporary file this process is writing, and stop what
    :func:`stopped_at_termination` registered (from a signal handler)."""
    for stop in reversed(list(_AT_TERMINATION)):
        try:
            stop()
        except Exception:  # a signal handler must reach the exit whatever happens here
            pass
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


#: Folders whose files are the kernel's (devices, a process's open files): written in place.
_KERNEL_FOLDERS = ("/dev/", "/proc/")


def _through_kernel_folders(path: Path) -> bool:
    """Whether ``path``, or a link on the way to what it names, lies in /dev or /proc."""
    current = Path(os.path.abspath(path))
    for _ in range(40):  # the kernel's own limit on links followed is 40
        if str(current).startswith(_KERNEL_FOLDERS):
            return True
        if not current.is_symlink():
            return False
        current = Path(os.path.abspath(current.parent / os.readlink(current)))
    return False


def _written_in_place(path: Path) -> bool:
    """Whether ``path`` is written as given rather than replaced: it names a device, FIFO
    or socket, or it goes through /dev or /proc (``/dev/stdout``)."""
    return _is_special(path) or _through_kernel_folders(path)


def check_writable(path, option: str = "") -> Path:
    """``path`` as a Path; ``ExportError`` if it is empty, a folder, in a folder that does
    not exist or that this process cannot write into.  ``option`` (``--json``) names an
    empty path in the message."""
    if str(path) == "":
        named = f"{option} ''" if option else "''"
        raise ExportError(f"{named}: an empty file name; give a file name to write to")
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise ExportError(f"{path}: a link to nothing ({os.readlink(path)}); fix or remove it")
    if path.is_dir():
        example = path / {"--html": "out.html", "--czml": "out.czml"}.get(option, "out.json")
        named = f"{option} {path}" if option else str(path)
        raise ExportError(f"{named}: is a folder; give a file name such as {example}")
    if not path.parent.exists():
        raise ExportError(f"{path}: folder {path.parent} does not exist; create it first")
    if not _written_in_place(path):
        folder = (path.resolve() if path.is_symlink() else path).parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(
                f"{path}: cannot write into folder {folder} (permission denied); choose a "
                "folder you can write to"
            )
    return path


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, FIFO or socket)."""
    return path.exists() and not path.is_file()


def _standard_stream(path: Path):
    """``sys.stdout`` or ``sys.stderr`` when ``path`` is the very file that stream writes
    (``/dev/stdout``, ``/proc/self/fd/1``), else None."""
    if not _through_kernel_folders(path):
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            if os.path.samestat(os.stat(path), os.fstat(stream.fileno())):
                return stream
        except (OSError, ValueError, AttributeError):  # no descriptor (a StringIO), closed
            continue
    return None


def _through_stream(path: Path, stream):
    """Let a library write a private temporary file, then copy it to ``stream``."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="orbital-dc-") as folder:
        tmp = Path(folder) / (path.name or "out")
        yield tmp
        data = tmp.read_bytes()
    try:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8", "replace"))
            stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise ExportError(f"{path}: cannot be written ({exc.strerror or exc})") from None


@contextmanager
def atomic_path(path):
    """A temporary path to write (by any library) that becomes ``path`` on success.

    A link is followed (the file it names is replaced); a device, FIFO or
    socket is handed over as it is, to be written in place.
    """
    path = check_writable(path)
    stream = _standard_stream(path)
    if stream is not None:
        yield from _through_stream(path, stream)
        return
    if _written_in_place(path):
        try:
            yield path
        except OSError as exc:
            raise ExportError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        return
    if path.is_symlink():
        path = path.resolve()
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


#: Each command's output options by their ``args`` name, as the user spells them.
OUTPUT_OPTIONS = {
    "json": "--json", "html": "--html", "czml": "--czml", "graphml": "--graphml", "out": "-o",
}  # fmt: skip


def check_not_inputs(args, *constellations, options=OUTPUT_OPTIONS, scenarios=None) -> None:
    """``ExportError`` if an output option of ``args`` (``options``) names a scenario file
    (``scenarios``, else ``args.scenario``) or a file of the ``constellations``' element
    sets (their ``source``): writing it would replace the input.  Checked before any work."""
    names = [args.scenario] if scenarios is None else scenarios
    inputs = [("scenario file", Path(name)) for name in names]
    inputs += [
        (f"element set {e.name}'s file", Path(e.source))
        for constellation in constellations
        for e in constellation.element_sets
    ]
    for name, option in options.items():
        path = getattr(args, name, None)
        if path is None or path == "-" or not Path(path).is_file():
            continue
        for what, source in inputs:
            if source.is_file() and os.path.samefile(path, source):
                raise ExportError(
                    f"{option} {path}: is the {what} ({source}); writing there would replace "
                    "it, give another file name"
                )

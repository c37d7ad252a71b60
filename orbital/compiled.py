"""Where numba may cache compiled code: where Python caches the module's bytecode.

A compiled loop costs 0.5-1.5 s of CPU the first time a process needs it, more
than the loop itself saves in a single plan.  numba's disk cache keeps it for
the next process.  The rule is Python's own for bytecode:

- ``NUMBA_CACHE_DIR`` (numba's setting) names a folder: cache there when it can
  be made and written, else not at all.
- Otherwise cache in the ``__pycache__`` folder next to the module's source,
  where Python writes the module's ``.pyc``, when Python writes bytecode
  (not under ``python -B`` or ``PYTHONDONTWRITEBYTECODE``) and that folder can
  be made and written.
- Otherwise nothing is cached: numba's next choice would be a folder in the
  user's home, which is not this planner's to write into.

Nothing is ever written into the working folder.
"""

import os
import sys


def disk_cache_wanted(cache_dir: str) -> bool:
    """Whether ``cache_dir`` (``NUMBA_CACHE_DIR``) is a folder that can be made and written.

    numba falls back to the package's own ``__pycache__`` when that folder
    cannot be written, so the check is made here first.
    """
    if not cache_dir:
        return False
    try:
        os.makedirs(cache_dir, exist_ok=True)
    except OSError:
        return False
    return os.access(cache_dir, os.W_OK | os.X_OK)


def cache_compiled(module_file: str) -> bool:
    """Whether to give numba ``cache=True`` for a loop defined in ``module_file``.

    See the module's rule.  When this returns True numba's first choice of
    folder (``NUMBA_CACHE_DIR``, else the source's ``__pycache__``) is the one
    checked here, so numba never falls back to the home folder.
    """
    import numba

    if numba.config.CACHE_DIR:
        return disk_cache_wanted(numba.config.CACHE_DIR)
    if sys.dont_write_bytecode:
        return False
    return disk_cache_wanted(
        os.path.join(os.path.dirname(os.path.abspath(module_file)), "__pycache__")
    )

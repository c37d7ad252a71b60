"""Where numba may cache compiled code: only in a writable ``NUMBA_CACHE_DIR``."""

import os


def disk_cache_wanted(cache_dir: str) -> bool:
    """Cache on disk only in a writable ``NUMBA_CACHE_DIR`` (``cache_dir``, numba's setting).

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

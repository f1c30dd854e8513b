"""The worker's memory allocator: fewer glibc arenas than it makes by itself."""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Call before any thread starts. glibc gives a thread that allocates an arena of its own, up to eight per core,
    and each keeps the memory freed in it: the worker's threads (the SDK core's, the workflow tasks') held it apart.
    Two arenas: the national cohort's worker peaked at 244 MiB against 269 (bench/worker_memory.py --cache 400, one
    run each). MALLOC_ARENA_MAX, when set, is glibc's to read and wins; True if the limit was set here."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc's C library: its allocator is its own
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))

"""Files at rest are private: the read model, documents, exports, reports and keys hold personal data, so what
this program creates is 0600 and its folders 0700, whatever umask the shell that started it had.

`restrict_process_umask` covers what libraries create (SQLite's files, the embedded Temporal server's database);
`private_dir` and `write_private` state the modes outright where the code writes, so they hold in tests and in any
process that did not start through `starter.py` or `worker.py`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077


def restrict_process_umask() -> None:
    """First thing in the entry points: everything this process and its children create is theirs alone."""
    os.umask(PRIVATE_UMASK)


def new_dirs_private(path: Path) -> Path:
    """The folder, with its missing parts created 0700; an existing folder keeps its mode. For a folder someone named
    (`--out`, a database URL), which may be their home or /tmp: not ours to tighten."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by another process (the worker and the starter at first start)
        folder.chmod(PRIVATE_DIR)  # mkdir's mode passes through the umask; chmod does not
    return path


def private_dir(path: Path) -> Path:
    """A folder of ours (the data folder and what is under it): created 0700 with its missing parents, and an
    existing one (made by an older version, or by hand) tightened to 0700."""
    new_dirs_private(path)
    path.chmod(PRIVATE_DIR)
    return path


def write_private(path: Path, data: bytes | str) -> None:
    """Write the whole file 0600, atomically: readers see the old file or the new one, never a part, and the data is
    never readable by others, not even briefly. The folder must exist; its mode is the caller's business."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")  # one per writer, even in one process
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def open_private_append(path: Path) -> int:
    """A descriptor appending to `path`, a log of ours: created 0600, and one left by an older version tightened."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)
    return descriptor

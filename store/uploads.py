"""The documents a group hands in (a work requirement, the written assignment), kept outside Temporal.

A file is stored once under `DATA_DIR/uploads/` (0700, files 0600) by the SHA-256 of its content, with a small JSON
file beside it (the name it was handed in under, its type and size), and only once the workflow accepted the
hand-in: until then it waits under a staging name of its own. The workflow is sent only the SHA-256 (`DocumentHash`), so
its history holds no document and no file name; the web app serves a file only to those who may see the group
that handed it in, and only if that group's state names its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from domain.refusals import Refusal

UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # a report with pictures; more is a mistake (a video) rather than a document
NAME_MAX = 120
CHUNK = 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE = re.compile(r"[^\w .()+-]", re.UNICODE)
# the types a download keeps; any other (text/html, say) is served as bytes to save, never shown by the browser
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "image/png",
        "image/jpeg",
        "text/plain",
    }
)


class Readable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Upload:
    sha256: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Staged:
    """A hand-in's file, written where only this hand-in knows it, until the workflow has said yes (`keep`) or
    no (`discard`). Two hand-ins of the same bytes never share a staged file, so neither can lose the other's."""

    upload: Upload
    path: Path


class Uploads:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "uploads"

    async def stage(self, file: Readable, filename: str, content_type: str | None) -> Staged:
        """Write the file to its own staging name (0600) and hash it. ValueError for an empty file or one over
        UPLOAD_MAX_BYTES; nothing is kept then."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".upload-")  # created 0600
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := await file.read(CHUNK):
                    size += len(chunk)
                    if size > UPLOAD_MAX_BYTES:
                        raise Refusal("upload.too_large", megabytes=UPLOAD_MAX_BYTES // (1024 * 1024))
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise Refusal("upload.empty")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        kind = content_type if content_type in DOCUMENT_TYPES else "application/octet-stream"
        return Staged(Upload(digest.hexdigest(), _safe_name(filename), kind, size), Path(temporary))

    def keep(self, staged: Staged) -> None:
        """The workflow accepted the hand-in: the file under its hash, once; the same bytes handed in again keep the
        name they were first handed in under. A stored file is never replaced or removed here."""
        upload = staged.upload
        try:  # what is known of it first, so a stored file always has it (`find` wants both)
            descriptor = os.open(self._about(upload.sha256), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as about:
                about.write(json.dumps(asdict(upload)))
        try:
            os.link(staged.path, self.folder / upload.sha256)
        except FileExistsError:
            pass
        finally:
            staged.path.unlink(missing_ok=True)

    def discard(self, staged: Staged) -> None:
        """The workflow refused the hand-in: only its own staged file goes."""
        staged.path.unlink(missing_ok=True)

    def find(self, sha256: str) -> tuple[Upload, Path] | None:
        """The stored file of this hash and what is known of it, or None."""
        if not _HASH.match(sha256) or not (self.folder / sha256).is_file() or not self._about(sha256).is_file():
            return None
        about = json.loads(self._about(sha256).read_text(encoding="utf-8"))
        return Upload(**about), self.folder / sha256

    def _about(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"


def _safe_name(filename: str) -> str:
    """The last part of the name the browser sent, without characters a download header or a file system
    would trip on, cut short; 'dokument' when nothing is left."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip(" .")
    return name[:NAME_MAX] or "dokument"

"""The documents a group hands in (a work requirement, the written assignment), kept outside Temporal.

A file is stored once under `DATA_DIR/uploads/` by the SHA-256 of its content, with a small JSON file beside it
(the name it was handed in under, its type and size). The workflow is sent only the SHA-256 (`DocumentHash`), so
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
class Saved:
    upload: Upload
    new: bool  # not stored before: a refused action removes it again (`Uploads.remove`)


class Uploads:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "uploads"

    async def save(self, file: Readable, filename: str, content_type: str | None) -> Saved:
        """Store the file (once per content) and return what the workflow and the page need. ValueError for an
        empty file or one over UPLOAD_MAX_BYTES; nothing is kept then."""
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := await file.read(CHUNK):
                    size += len(chunk)
                    if size > UPLOAD_MAX_BYTES:
                        raise ValueError(f"document: at most {UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise ValueError("document: the file is empty")
            kind = content_type if content_type in DOCUMENT_TYPES else "application/octet-stream"
            upload = Upload(digest.hexdigest(), _safe_name(filename), kind, size)
            new = not (self.folder / upload.sha256).exists()
            os.replace(temporary, self.folder / upload.sha256)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if new:  # the same bytes handed in again keep the name they were first handed in under
            self._about(upload.sha256).write_text(json.dumps(asdict(upload)), encoding="utf-8")
        return Saved(upload, new)

    def remove(self, sha256: str) -> None:
        """Forget a file the workflow refused (only one this action stored: see `Saved.new`)."""
        if _HASH.match(sha256):
            (self.folder / sha256).unlink(missing_ok=True)
            self._about(sha256).unlink(missing_ok=True)

    def find(self, sha256: str) -> tuple[Upload, Path] | None:
        """The stored file of this hash and what is known of it, or None."""
        if not _HASH.match(sha256) or not (self.folder / sha256).is_file():
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

"""Handed-in documents on disk, by content: types a browser could run are served as bytes, a name cannot climb out
of the folder, the same bytes keep their first name, and a refused or broken upload leaves nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from store import uploads
from store.uploads import Uploads


class File:
    def __init__(self, content: bytes) -> None:
        self.content = content

    async def read(self, size: int = -1) -> bytes:
        chunk, self.content = self.content[:size], self.content[size:]
        return chunk


async def test_a_page_is_kept_as_bytes_and_a_name_stays_in_the_folder(tmp_path: Path) -> None:
    store = Uploads(tmp_path)
    saved = await store.save(File(b"<script>alert(1)</script>"), "../../etc/passwd.html", "text/html")
    assert saved.new and saved.upload.content_type == "application/octet-stream"
    assert saved.upload.filename == "passwd.html"
    assert (await store.save(File(b"%PDF-1.7"), "Rapport.pdf", "application/pdf")).upload.content_type == (
        "application/pdf"
    )
    again = await store.save(File(b"<script>alert(1)</script>"), "other.txt", "text/plain")
    assert not again.new
    found = store.find(saved.upload.sha256)
    assert found is not None and found[0].filename == "passwd.html"  # the first name stays
    assert store.find("../" + "0" * 61) is None and store.find("0" * 64) is None


async def test_an_empty_or_oversized_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Uploads(tmp_path)
    with pytest.raises(ValueError, match="the file is empty"):
        await store.save(File(b""), "tom.pdf", "application/pdf")
    monkeypatch.setattr(uploads, "UPLOAD_MAX_BYTES", 10)
    with pytest.raises(ValueError, match="document: at most"):
        await store.save(File(b"x" * 11), "stor.pdf", "application/pdf")
    assert list(store.folder.iterdir()) == []
    saved = await store.save(File(b"x" * 10), "akkurat.pdf", "application/pdf")
    assert saved.upload.sha256 == hashlib.sha256(b"x" * 10).hexdigest()
    store.remove(saved.upload.sha256)
    assert list(store.folder.iterdir()) == []

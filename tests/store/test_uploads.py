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
    staged = await store.stage(File(b"<script>alert(1)</script>"), "../../etc/passwd.html", "text/html")
    assert staged.upload.content_type == "application/octet-stream"
    assert staged.upload.filename == "passwd.html"
    assert store.find(staged.upload.sha256) is None  # nothing is found until the workflow accepted it
    store.keep(staged)
    pdf = await store.stage(File(b"%PDF-1.7"), "Rapport.pdf", "application/pdf")
    assert pdf.upload.content_type == "application/pdf"
    store.discard(pdf)
    again = await store.stage(File(b"<script>alert(1)</script>"), "other.txt", "text/plain")
    store.keep(again)
    found = store.find(staged.upload.sha256)
    assert found is not None and found[0].filename == "passwd.html"  # the first name stays
    assert store.find("../" + "0" * 61) is None and store.find("0" * 64) is None
    assert store.find(pdf.upload.sha256) is None  # discarded: never stored


async def test_an_empty_or_oversized_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Uploads(tmp_path)
    with pytest.raises(ValueError, match="Dokument: filen er tom"):
        await store.stage(File(b""), "tom.pdf", "application/pdf")
    monkeypatch.setattr(uploads, "UPLOAD_MAX_BYTES", 10)
    with pytest.raises(ValueError, match="Dokument: høyst"):
        await store.stage(File(b"x" * 11), "stor.pdf", "application/pdf")
    assert list(store.folder.iterdir()) == []
    staged = await store.stage(File(b"x" * 10), "akkurat.pdf", "application/pdf")
    assert staged.upload.sha256 == hashlib.sha256(b"x" * 10).hexdigest()
    store.discard(staged)
    assert list(store.folder.iterdir()) == []

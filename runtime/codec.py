"""Payloads are encrypted before they reach the Temporal service: names, e-mails and grades are personal data.

Client and worker use the same `data_converter(key)`; the service and its UI see only ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes, PayloadCodec

from runtime.files import private_dir
from runtime.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
KEY_BYTES = 32


class EncryptionCodec(PayloadCodec):
    """AES-256-GCM per payload: a fresh random nonce each time, and the tag makes tampering fail to decode."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"codec key must be {KEY_BYTES} bytes, got {len(key)}")
        self._aead = AESGCM(key)
        # a fingerprint, not the key: tells "wrong key" apart from "tampered" when keys are rotated
        self.key_id = hashlib.sha256(key).hexdigest()[:16]

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(payload) for payload in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, payload.SerializeToString(), None)
        return Payload(metadata={"encoding": ENCODING, KEY_ID: self.key_id.encode()}, data=nonce + sealed)

    def _decrypt(self, payload: Payload) -> Payload:
        # payloads written before encryption was switched on (or by other tools) pass through untouched
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        if key_id != self.key_id:
            raise ValueError(f"payload encrypted with key {key_id!r}, this codec has key {self.key_id!r}")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        return Payload.FromString(self._aead.decrypt(nonce, sealed, None))


def load_or_create_key(settings: Settings) -> bytes:
    """The key from NIS_CODEC_KEY (base64), else from `data_dir/codec.key`, created (0600) on first use."""
    if settings.codec_key is not None:
        return _decode_key(settings.codec_key.get_secret_value(), "NIS_CODEC_KEY")
    path = settings.data_dir / "codec.key"
    if not path.exists():
        _create_key_file(path)
    return _decode_key(path.read_text(), str(path))


def _decode_key(text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as error:
        raise ValueError(f"{source} is not base64") from error
    if len(key) != KEY_BYTES:
        raise ValueError(f"{source} must hold {KEY_BYTES} bytes, it holds {len(key)}")
    return key


def _create_key_file(path: Path) -> None:
    # written whole under a temporary name, then linked into place: a worker and a starter racing at first
    # start both end up reading the one complete key, never a half-written or a second one
    private_dir(path.parent)  # the data folder
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.b64encode(os.urandom(KEY_BYTES)).decode() + "\n")
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process won the race; its key is the key
    finally:
        temporary.unlink(missing_ok=True)


def data_converter(key: bytes) -> DataConverter:
    """The pydantic converter with encryption; failure messages and traces are encrypted too.

    Error texts can quote personal data (a validator echoing a bad e-mail address), so failures are
    encoded like payloads rather than stored as plain text in the workflow history.
    """
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(key),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )

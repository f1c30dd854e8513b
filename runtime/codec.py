"""Payloads are encrypted before they reach the Temporal service: names, e-mails and grades are personal data.

Client and worker use the same `data_converter(keys)`; the service and its UI see only ciphertext. It refuses a
payload it did not encrypt: anyone who reaches the Temporal UI or API could otherwise send a plain-JSON signal (a
participant's `final` grade) that a workflow would take as ours. The codec replaces such a payload (or one that does
not open under the key it names: altered or forged) by a refusal without its data, and the converter refuses to turn
that into a value, with the reason, wherever one is asked for: a signal is dropped and logged by the SDK, an update
is rejected to its sender, a workflow's input fails its workflow task. Raising in the codec itself would fail every
workflow task of that workflow from then on (the signal stays in its history), queries included, until someone
reset it. Search attributes are never encoded (the SDK skips them) and a payload with nothing in it carries
nothing, so both pass as they are.

**Compression.** A payload of `COMPRESS_FROM` bytes or more is compressed with zlib before it is sealed, where that
makes it shorter, and marked so (`encryption-compression: zlib`); the mark is sealed in as associated data, so a copy
whose mark was added or taken away does not open. Payloads sealed before there was compression have no mark and read
as they are. What the server can see is only the sealed length, now the compressed one.

**Keys.** Several keys, newest first: payloads are written under the newest and read under whichever key their key
ID names, so a rotation (`starter.py keys rotate`) leaves running workflows readable. The keys come from
`NIS_CODEC_KEY` (+ `NIS_CODEC_OLD_KEYS`), else from `data_dir/codec.key` (0600, one base64 key a line, newest
first). The identity key (person IDs, verification codes) does not rotate: `NIS_ID_KEY`, by default the oldest
codec key, which is the key a fresh install starts with, so IDs stay what they were before there were two keys.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticPayloadConverter, pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    EncodingPayloadConverter,
    PayloadCodec,
)

from runtime.files import private_dir, write_private
from runtime.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
# A payload this long or longer is compressed before it is sealed, where that makes it shorter: the JSON of read-model
# rows and states (a group's effects write, 5.5 kB on average in a national year) shrinks to about a third, and every
# byte is stored by the server and, for a cached workflow's commands, held by the worker until its run ends.
COMPRESSION = "encryption-compression"
ZLIB = b"zlib"
COMPRESS_FROM = 256
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_FILE = "codec.key"
EMPTY = Payload()
REFUSED = b"binary/refused"


class RefusedPayload(ValueError):
    """A payload this codec did not encrypt, or one that does not open under the key it names (altered or forged):
    refused on the way into workflows and activities."""


class _RefusedConverter(EncodingPayloadConverter):
    """Turns the codec's refusal into an error wherever a value is asked of it; never encodes anything."""

    @property
    def encoding(self) -> str:
        return REFUSED.decode()

    def to_payload(self, value: Any) -> Payload | None:
        return None

    def from_payload(self, payload: Payload, type_hint: type | None = None) -> Any:
        raise RefusedPayload(payload.data.decode())


class RefusingPayloadConverter(PydanticPayloadConverter):
    """The pydantic converter, and the refusal of what the codec did not decrypt."""

    def __init__(self) -> None:
        super().__init__()
        self._set_converters(*self.converters.values(), _RefusedConverter())


class UnknownKey(ValueError):
    """A payload encrypted under a key this process does not hold; the message names the key ID, never a key."""


def key_id(key: bytes) -> str:
    """A fingerprint, not the key: tells "wrong key" apart from "tampered", and picks the key to decrypt with."""
    return hashlib.sha256(key).hexdigest()[:16]


class EncryptionCodec(PayloadCodec):
    """AES-256-GCM per payload: a fresh random nonce each time, and the tag makes tampering fail to decode.

    `keys` newest first (one key alone is a ring of one). A payload that is not encrypted, or does not open under
    the key it names, becomes a refusal that `RefusingPayloadConverter` will not convert. A payload under a key this
    process lacks raises UnknownKey instead: after a rotation that is a worker not yet restarted with the new key,
    whose workflow task must fail and be retried, not lose the message. `ui=True` is the codec server the Temporal
    UI calls, for an admin: it shows a plain payload as it is stored and raises on an altered one.
    """

    def __init__(self, keys: bytes | Sequence[bytes], *, ui: bool = False) -> None:
        ring = [keys] if isinstance(keys, bytes) else list(keys)
        if not ring:
            raise ValueError("the codec needs at least one key")
        for key in ring:
            if len(key) != KEY_BYTES:
                raise ValueError(f"codec key must be {KEY_BYTES} bytes, got {len(key)}")
        self.key_id = key_id(ring[0])
        self._current = AESGCM(ring[0])
        self._by_id = {key_id(key): AESGCM(key) for key in ring}
        self._ui = ui

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(payload) for payload in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        plain = payload.SerializeToString()
        metadata = {"encoding": ENCODING, KEY_ID: self.key_id.encode()}
        packed = zlib.compress(plain) if len(plain) >= COMPRESS_FROM else plain
        if len(packed) < len(plain):
            # the mark is sealed in as associated data: a payload whose mark was added or taken away does not open
            metadata[COMPRESSION] = ZLIB
            return Payload(metadata=metadata, data=nonce + self._current.encrypt(nonce, packed, ZLIB))
        return Payload(metadata=metadata, data=nonce + self._current.encrypt(nonce, plain, None))

    def _decrypt(self, payload: Payload) -> Payload:
        encoding = payload.metadata.get("encoding", b"")
        if encoding != ENCODING:
            if self._ui or payload == EMPTY:
                return payload
            shown = encoding.decode(errors="replace")[:40] or "ingen"
            return _refusal(
                f"payload er ikke kryptert (encoding {shown!r}): avvist, bare krypterte payloads slipper inn"
            )
        found = payload.metadata.get(KEY_ID, b"").decode(errors="replace")[:40]
        aead = self._by_id.get(found)
        if aead is None:
            known = ", ".join(self._by_id)
            raise UnknownKey(
                f"payload kryptert med en ukjent nøkkel: nøkkel-ID {found!r} (kjente nøkkel-ID-er: {known})"
            )
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        compressed = payload.metadata.get(COMPRESSION)  # None on every payload written before compression
        try:
            opened = aead.decrypt(nonce, sealed, compressed)
            return Payload.FromString(zlib.decompress(opened) if compressed == ZLIB else opened)
        except InvalidTag:
            if self._ui:
                raise
            return _refusal(
                f"payload kan ikke åpnes med nøkkelen den oppgir ({found}): endret eller forfalsket, avvist"
            )


def _refusal(reason: str) -> Payload:
    """What a refused payload becomes: its reason, none of its data."""
    return Payload(metadata={"encoding": REFUSED}, data=reason.encode())


@dataclasses.dataclass(frozen=True)
class CodecKeys:
    """The codec's keys, newest first, and the identity key that does not rotate with them."""

    keys: tuple[bytes, ...]
    identity: bytes
    source: str  # where the keys are kept: the key file's path or NIS_CODEC_KEY

    @property
    def current(self) -> bytes:
        return self.keys[0]


def load_keys(settings: Settings) -> CodecKeys:
    """NIS_CODEC_KEY and NIS_CODEC_OLD_KEYS (base64), else `data_dir/codec.key`, created (0600) on first use."""
    if settings.codec_key is not None:
        keys = [_decode_key(settings.codec_key.get_secret_value(), "NIS_CODEC_KEY")]
        source = "NIS_CODEC_KEY"
    else:
        path = key_file(settings)
        if not path.exists():
            _create_key_file(path)
        keys = read_key_file(path)
        source = str(path)
    for index, old in enumerate(settings.codec_old_keys):
        keys.append(_decode_key(old.get_secret_value(), f"NIS_CODEC_OLD_KEYS[{index}]"))
    ring = tuple(dict.fromkeys(keys))  # a key listed twice counts once
    if settings.id_key is not None:
        identity = _decode_key(settings.id_key.get_secret_value(), "NIS_ID_KEY")
    else:
        identity = ring[-1]  # the first key this install had
    return CodecKeys(keys=ring, identity=identity, source=source)


def load_or_create_key(settings: Settings) -> bytes:
    """The current (newest) codec key."""
    return load_keys(settings).current


def key_file(settings: Settings) -> Path:
    return settings.data_dir / KEY_FILE


def read_key_file(path: Path) -> list[bytes]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    keys = [_decode_key(line, f"{path}, line {n}") for n, line in enumerate(lines, 1) if line]
    if not keys:
        raise ValueError(f"{path} holds no key")
    return keys


def add_key_to_file(path: Path) -> bytes:
    """A new random key, written first in the key file, the older ones kept after it (the whole file replaced at
    once, 0600); returns the new key. OSError when the file or its folder cannot be written."""
    older = read_key_file(path) if path.exists() else []
    key = os.urandom(KEY_BYTES)
    write_private(path, "".join(base64.b64encode(k).decode() + "\n" for k in (key, *older)))
    return key


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


def data_converter(keys: bytes | Sequence[bytes]) -> DataConverter:
    """The pydantic converter with encryption; failure messages and traces are encrypted too.

    Error texts can quote personal data (a validator echoing a bad e-mail address), so failures are
    encoded like payloads rather than stored as plain text in the workflow history.
    """
    return dataclasses.replace(
        pydantic_data_converter,
        payload_converter_class=RefusingPayloadConverter,
        payload_codec=EncryptionCodec(keys),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )

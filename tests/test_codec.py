from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError

from domain.models import Contact
from runtime.codec import EncryptionCodec, data_converter, load_or_create_key
from runtime.settings import Settings

KEY = bytes(range(32))
NOTICE = Contact(name="Kari Nordmann", email="kari.nordmann@kommune.no")  # a payload with personal data


async def encode(value: object, key: bytes = KEY) -> Payload:
    [payload] = await data_converter(key).encode([value])
    return payload


async def test_round_trip() -> None:
    payload = await encode(NOTICE)
    assert payload.metadata["encoding"] == b"binary/encrypted"
    assert await data_converter(KEY).decode([payload], [Contact]) == [NOTICE]


async def test_stored_bytes_hold_no_name_or_address() -> None:
    stored = (await encode(NOTICE)).SerializeToString()
    assert b"Nordmann" not in stored and b"kari.nordmann@kommune.no" not in stored


async def test_each_encoding_uses_a_fresh_nonce() -> None:
    assert (await encode(NOTICE)).data != (await encode(NOTICE)).data


async def test_a_tampered_payload_fails_to_decode() -> None:
    payload = await encode(NOTICE)
    payload.data = payload.data[:-1] + bytes([payload.data[-1] ^ 1])
    with pytest.raises(InvalidTag):
        await data_converter(KEY).decode([payload], [Contact])


async def test_a_payload_from_another_key_is_refused() -> None:
    payload = await encode(NOTICE, key=os.urandom(32))
    with pytest.raises(ValueError, match="encrypted with key"):
        await EncryptionCodec(KEY).decode([payload])


async def test_unencrypted_payloads_pass_through() -> None:
    [plain] = await pydantic_data_converter.encode([NOTICE])
    assert await EncryptionCodec(KEY).decode([plain]) == [plain]


async def test_failure_messages_are_encrypted_too() -> None:
    failure = Failure()
    await data_converter(KEY).encode_failure(ApplicationError("'kari@kommune.no' is not valid"), failure)
    assert b"kari@kommune.no" not in failure.SerializeToString()


def settings(tmp_path: Path, codec_key: str | None = None) -> Settings:
    return Settings(data_dir=tmp_path / "data", codec_key=SecretStr(codec_key) if codec_key else None)


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    key = load_or_create_key(settings(tmp_path))
    key_file = tmp_path / "data" / "codec.key"
    assert len(key) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_or_create_key(settings(tmp_path)) == key
    assert [p.name for p in key_file.parent.iterdir()] == ["codec.key"]


def test_a_configured_key_wins_over_the_file(tmp_path: Path) -> None:
    configured = os.urandom(32)
    assert load_or_create_key(settings(tmp_path, base64.b64encode(configured).decode())) == configured
    assert not (tmp_path / "data" / "codec.key").exists()


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_bad_configured_key_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="NIS_CODEC_KEY"):
        load_or_create_key(settings(tmp_path, bad))

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError

from domain.models import Contact
from runtime.codec import (
    EncryptionCodec,
    RefusedPayload,
    UnknownKey,
    add_key_to_file,
    data_converter,
    key_id,
    load_keys,
    load_or_create_key,
)
from runtime.settings import Settings

KEY = bytes(range(32))
NEW_KEY = bytes(range(32, 64))
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
    with pytest.raises(RefusedPayload, match=f"kan ikke åpnes med nøkkelen den oppgir \\({key_id(KEY)}\\): endret"):
        await data_converter(KEY).decode([payload], [Contact])
    with pytest.raises(InvalidTag):  # the UI's codec server says so to the admin (web.codec_altered)
        await EncryptionCodec(KEY, ui=True).decode([payload])


async def test_a_long_payload_is_compressed_before_it_is_sealed_and_reads_back_the_same() -> None:
    """A list of read-model rows as a group's effects write carries them: sealed in a third of its length or less."""
    rows = [Contact(name=f"Deltaker {i}", email=f"deltaker.{i}@kommune.no") for i in range(40)]
    [plain] = await pydantic_data_converter.encode([rows])
    payload = await encode(rows)
    assert payload.metadata["encryption-compression"] == b"zlib"
    assert len(payload.data) < len(plain.SerializeToString()) / 3
    assert b"Deltaker" not in payload.SerializeToString()
    assert await data_converter(KEY).decode([payload], [list[Contact]]) == [rows]
    short = await encode("ja")  # too short to gain: sealed as it is, without the mark
    assert "encryption-compression" not in short.metadata
    assert await data_converter(KEY).decode([short], [str]) == ["ja"]


async def test_a_payload_sealed_before_compression_still_reads() -> None:
    """What running workflows' histories hold from before: sealed whole, with no mark and no associated data."""
    [plain] = await pydantic_data_converter.encode([[NOTICE] * 20])
    nonce = os.urandom(12)
    sealed = AESGCM(KEY).encrypt(nonce, plain.SerializeToString(), None)
    old = Payload(
        metadata={"encoding": b"binary/encrypted", "encryption-key-id": key_id(KEY).encode()}, data=nonce + sealed
    )
    assert await data_converter(KEY).decode([old], [list[Contact]]) == [[NOTICE] * 20]


async def test_a_compression_mark_added_or_taken_away_is_refused() -> None:
    """The mark is sealed in: whoever changes it in the server's copy gets a refusal, not a payload read wrongly."""
    compressed = await encode([NOTICE] * 20)
    del compressed.metadata["encryption-compression"]
    uncompressed = await encode(NOTICE)
    uncompressed.metadata["encryption-compression"] = b"zlib"
    for altered in (compressed, uncompressed):
        with pytest.raises(RefusedPayload, match="kan ikke åpnes med nøkkelen den oppgir"):
            await data_converter(KEY).decode([altered], [object])


async def test_a_payload_from_an_unknown_key_is_refused_naming_the_key_id_never_the_key() -> None:
    other = os.urandom(32)
    payload = await encode(NOTICE, key=other)
    with pytest.raises(UnknownKey, match=f"nøkkel-ID '{key_id(other)}'") as refused:
        await EncryptionCodec(KEY).decode([payload])
    assert base64.b64encode(other).decode() not in str(refused.value) and other.hex() not in str(refused.value)


async def test_unencrypted_payloads_are_refused() -> None:
    """A plain-JSON payload (what anyone reaching the Temporal UI or API can send) never becomes a value: the codec
    drops its data, and the converter refuses with the reason wherever a workflow or activity would read it."""
    [plain] = await pydantic_data_converter.encode([{"final": "A"}])
    [refused] = await EncryptionCodec(KEY).decode([plain])
    assert refused.metadata["encoding"] == b"binary/refused" and b'"A"' not in refused.data
    with pytest.raises(RefusedPayload, match="payload er ikke kryptert \\(encoding 'json/plain'\\)"):
        await data_converter(KEY).decode([plain], [dict])


async def test_a_payload_with_nothing_in_it_passes() -> None:
    assert await EncryptionCodec(KEY).decode([Payload()]) == [Payload()]


async def test_the_ui_codec_shows_unencrypted_payloads_as_they_are() -> None:
    [plain] = await pydantic_data_converter.encode([NOTICE])
    assert await EncryptionCodec(KEY, ui=True).decode([plain]) == [plain]


async def test_after_a_rotation_old_payloads_read_and_new_ones_are_written_under_the_new_key() -> None:
    old = await encode(NOTICE, key=KEY)
    rotated = data_converter([NEW_KEY, KEY])
    assert await rotated.decode([old], [Contact]) == [NOTICE]
    [new] = await rotated.encode([NOTICE])
    assert new.metadata["encryption-key-id"] == key_id(NEW_KEY).encode()
    assert await data_converter(NEW_KEY).decode([new], [Contact]) == [NOTICE]
    with pytest.raises(UnknownKey, match=key_id(NEW_KEY)):  # a worker not yet restarted with the new key
        await data_converter(KEY).decode([new], [Contact])


async def test_failure_messages_are_encrypted_too() -> None:
    failure = Failure()
    await data_converter(KEY).encode_failure(ApplicationError("'kari@kommune.no' is not valid"), failure)
    assert b"kari@kommune.no" not in failure.SerializeToString()


def settings(tmp_path: Path, codec_key: str | None = None, **more: object) -> Settings:
    return Settings.model_validate({"data_dir": tmp_path / "data", "codec_key": codec_key} | more)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


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


def test_a_key_added_to_the_file_becomes_current_and_the_older_stay(tmp_path: Path) -> None:
    first = load_or_create_key(settings(tmp_path))
    key_file = tmp_path / "data" / "codec.key"
    added = add_key_to_file(key_file)
    keys = load_keys(settings(tmp_path))
    assert keys.keys == (added, first) and keys.current == added
    assert keys.identity == first  # person IDs and verification codes keep the first key's
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["codec.key"]  # no temporary file left


def test_keys_from_the_environment_newest_first_and_the_identity_key(tmp_path: Path) -> None:
    env = settings(tmp_path, b64(NEW_KEY), codec_old_keys=[SecretStr(b64(KEY))])
    keys = load_keys(env)
    assert keys.keys == (NEW_KEY, KEY) and keys.identity == KEY and keys.source == "NIS_CODEC_KEY"
    own = os.urandom(32)
    assert load_keys(settings(tmp_path, b64(NEW_KEY), id_key=SecretStr(b64(own)))).identity == own


@pytest.mark.parametrize("field", ["codec_old_keys", "id_key"])
def test_a_bad_old_key_or_identity_key_is_refused_by_name(tmp_path: Path, field: str) -> None:
    bad = SecretStr(b64(b"short"))
    value: object = [bad] if field == "codec_old_keys" else bad
    with pytest.raises(ValueError, match="NIS_CODEC_OLD_KEYS\\[0\\]" if field == "codec_old_keys" else "NIS_ID_KEY"):
        load_keys(settings(tmp_path, b64(KEY), **{field: value}))


@pytest.mark.parametrize("listed", ['["{new}", "{old}"]', "{new},{old}"])
def test_old_keys_from_the_environment_as_a_json_list_or_comma_separated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: str
) -> None:
    monkeypatch.setenv("NIS_CODEC_OLD_KEYS", listed.format(new=b64(NEW_KEY), old=b64(KEY)))
    assert load_keys(settings(tmp_path, b64(os.urandom(32)))).keys[1:] == (NEW_KEY, KEY)

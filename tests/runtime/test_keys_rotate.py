"""`starter.py keys rotate` and `keys rewrap`, run as an operator runs them, on the key file and the register."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from domain.models import Sector
from runtime.codec import key_id, load_keys
from runtime.settings import Settings
from runtime.wiring import register_with
from store.db import create_schema, make_engine, make_session_factory
from store.people import PersonData

ROOT = Path(__file__).parents[2]
KARI = PersonData(name="Kari Nordmann", email="kari@bodo.kommune.no", kind="participant", sector=Sector.HELSE_OMSORG)


def starter(data_dir: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("NIS_")}
    return subprocess.run(
        [sys.executable, "starter.py", *argv],
        cwd=ROOT,
        env=clean | {"NIS_DATA_DIR": str(data_dir)} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def register_kari(settings: Settings) -> tuple[str, PersonData | None]:
    """Kari registered (or read back) with the keys the settings give now: her person ID and her data."""
    engine = make_engine(settings.resolved_database_url)
    try:
        await create_schema(engine)
        people = register_with(load_keys(settings), make_session_factory(engine))
        person_id = people.person_id("2022", KARI.email)
        if await people.get(person_id) is None:
            await people.register("2022", KARI)
        return person_id, await people.get(person_id)
    finally:
        await engine.dispose()


async def test_rotate_adds_a_current_key_and_rewraps_the_register(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first_id, _ = await register_kari(settings)
    first = load_keys(settings).current
    rotated = starter(tmp_path, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    keys = load_keys(settings)
    assert keys.keys[1:] == (first,) and keys.identity == first
    out = rotated.stdout
    assert f"ny nøkkel {key_id(keys.current)} er gjeldende: lagret først i {tmp_path / 'codec.key'} (mode 600" in out
    assert "1 eldre nøkkel(er) beholdt" in out and "registeret: 1 datanøkkel(er) pakket inn på nytt" in out
    assert base64.b64encode(keys.current).decode() not in out + rotated.stderr  # where, never the key itself
    assert await register_kari(settings) == (first_id, KARI)  # same person ID, still readable
    again = starter(tmp_path, "keys", "rewrap")
    assert again.returncode == 0 and "0 datanøkkel(er) pakket inn på nytt" in again.stdout
    assert "1 var det allerede" in again.stdout and load_keys(settings).keys == keys.keys  # no key added


async def test_keys_from_the_environment_are_not_written_and_the_register_is_rewrapped(tmp_path: Path) -> None:
    old, new = os.urandom(32), os.urandom(32)
    before = Settings(data_dir=tmp_path, codec_key=base64.b64encode(old).decode())
    person_id, _ = await register_kari(before)
    env = {"NIS_CODEC_KEY": base64.b64encode(new).decode(), "NIS_CODEC_OLD_KEYS": base64.b64encode(old).decode()}
    done = starter(tmp_path, "keys", "rotate", **env)
    assert done.returncode == 0, done.stderr
    assert "nøklene står i NIS_CODEC_KEY og NIS_CODEC_OLD_KEYS, som denne kommandoen ikke kan skrive" in done.stdout
    assert f"gjeldende nøkkel {key_id(new)} (NIS_CODEC_KEY); 1 eldre" in done.stdout
    assert "registeret: 1 datanøkkel(er) pakket inn på nytt" in done.stdout
    assert not (tmp_path / "codec.key").exists()
    after = Settings(data_dir=tmp_path, codec_key=env["NIS_CODEC_KEY"])
    assert await register_kari(after.model_copy(update={"id_key": before.codec_key})) == (person_id, KARI)


def test_a_key_file_that_cannot_be_written_is_a_clear_error_and_nothing_changes(tmp_path: Path) -> None:
    assert starter(tmp_path, "keys", "rotate").returncode == 0
    key_file = tmp_path / "codec.key"
    key_file.chmod(0o400)
    held = key_file.read_bytes()
    refused = starter(tmp_path, "keys", "rotate")
    assert refused.returncode == 2
    assert (
        refused.stderr.strip()
        == f"feil: nøkkelfilen {key_file} kan ikke skrives (skrivebeskyttet): ingenting er endret"
    )
    assert key_file.read_bytes() == held

"""The codec's keys: `rotate` adds a new key as the current one and re-wraps the register's data keys under it.

Where the keys live decides what a rotation can do. From the key file (`data_dir/codec.key`, the development
default) it writes a new key first in the file and keeps the older ones after it. From the environment
(`NIS_CODEC_KEY`, `NIS_CODEC_OLD_KEYS`) it cannot write them: the operator sets the new key there first and the
rotation re-wraps. Either way the re-wrap leaves alone what is already under the newest key, so running it again
finishes one cut short. Workers and the web app read the keys at start: restart them after a rotation (a process
with the old keys cannot read what is written under the new one, and tries again until it can).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from runtime.codec import add_key_to_file, key_file, key_id, load_keys
from runtime.settings import Settings
from runtime.wiring import database_engine, register_with
from store.db import create_schema, make_session_factory
from store.people import Rewrapped


class KeyStoreNotWritable(Exception):
    """The key file (or its folder) cannot be written: nothing was changed."""


@dataclass(frozen=True)
class Rotation:
    key_id: str  # the current key's fingerprint, never the key
    added: bool  # a new key was written (False: the keys come from the environment)
    stored_in: str  # the key file's path, or NIS_CODEC_KEY
    older: int  # older keys still known, so what they encrypted still reads
    register: Rewrapped


def _writable(path: Path) -> bool:
    # the owner's write bit too: a key file locked with chmod 400 is one not to change, even for root
    return bool(path.stat().st_mode & stat.S_IWUSR) and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


async def rotate(settings: Settings, *, new_key: bool = True) -> Rotation:
    """Add a key (to the key file; `new_key=False` or keys from the environment: none) and re-wrap the register."""
    keys = load_keys(settings)  # creates the key file on first use, and checks every key before anything changes
    added = new_key and settings.codec_key is None
    if added:
        path = key_file(settings)
        if not _writable(path):
            raise KeyStoreNotWritable(f"nøkkelfilen {path} kan ikke skrives (skrivebeskyttet): ingenting er endret")
        try:
            add_key_to_file(path)
        except OSError as error:
            reason = f"nøkkelfilen {path} kan ikke skrives ({error.strerror}): ingenting er endret"
            raise KeyStoreNotWritable(reason) from None
        keys = load_keys(settings)
    engine = database_engine(settings)
    try:
        await create_schema(engine)
        rewrapped = await register_with(keys, make_session_factory(engine)).rewrap()
    finally:
        await engine.dispose()
    return Rotation(key_id(keys.current), added, keys.source, len(keys.keys) - 1, rewrapped)

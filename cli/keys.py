"""`starter.py keys rotate`: a new codec key becomes the current one and the register's data keys are re-wrapped
under it (gateway/keys.py); `keys rewrap` re-wraps alone (after the keys were changed in the environment, or to
finish a rotation cut short). Exit codes: 0 done, 2 a key store that cannot be written or a bad key, 3 the database
cannot be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.exc import SQLAlchemyError

from gateway.keys import KeyStoreNotWritable, Rotation, rotate
from runtime.settings import get_settings


def rotate_keys(args: argparse.Namespace) -> int:
    return _run(new_key=args.verb == "rotate")


def _run(*, new_key: bool) -> int:
    try:
        done = asyncio.run(rotate(get_settings(), new_key=new_key))
    except (KeyStoreNotWritable, ValueError) as error:  # ValueError: a key that is not base64 or not 32 bytes
        print(f"feil: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(f"kan ikke bruke databasen: {error}", file=sys.stderr)
        return 3
    _report(done, new_key)
    return 0


def _report(done: Rotation, new_key: bool) -> None:
    if done.added:
        print(f"ny nøkkel {done.key_id} er gjeldende: lagret først i {done.stored_in} (mode 600, én base64-nøkkel")
        print(f"  per linje, nyeste først); {done.older} eldre nøkkel(er) beholdt: det de krypterte kan fortsatt leses")
    else:
        if new_key:
            print("nøklene står i NIS_CODEC_KEY og NIS_CODEC_OLD_KEYS, som denne kommandoen ikke kan skrive: sett den")
            print("  nye nøkkelen i NIS_CODEC_KEY og flytt den gamle først i NIS_CODEC_OLD_KEYS, så kjør denne igjen")
        print(f"gjeldende nøkkel {done.key_id} ({done.stored_in}); {done.older} eldre nøkkel(er)")
    register = done.register
    print(f"registeret: {register.rewrapped} datanøkkel(er) pakket inn på nytt under gjeldende nøkkel,")
    print(f"  {register.current} var det allerede, {register.unreadable} kunne ingen kjent nøkkel åpne")
    print("person-ID-er og verifiseringskoder endres ikke (NIS_ID_KEY, ellers den eldste nøkkelen)")
    if done.added:
        print("start arbeiderne og webappen på nytt: de leser nøklene når de starter")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="the payload codec's keys").add_subparsers(dest="verb", required=True)
    sub = keys.add_parser("rotate", help="add a new current key (key file) and re-wrap the register's data keys")
    sub.set_defaults(handler=rotate_keys)
    sub = keys.add_parser("rewrap", help="re-wrap the register's data keys under the current key (safe to re-run)")
    sub.set_defaults(handler=rotate_keys)

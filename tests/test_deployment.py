"""The compose file, the Dockerfile and the settings agree: the worker gets only settings it reads."""

from __future__ import annotations

import base64
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import AliasChoices, SecretStr

from runtime.settings import Settings

ROOT = Path(__file__).parents[1]
DUMMY_KEY = base64.b64encode(bytes(32)).decode()
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message} as docker compose reads them
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return parsed


@pytest.fixture(scope="module")
def worker_env(compose: dict[str, Any]) -> dict[str, str]:
    """The worker's environment after interpolation, with a dummy value for the required codec key."""
    environment = compose["services"]["worker"]["environment"]
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: interpolate(str(value), {"NIS_CODEC_KEY": DUMMY_KEY}) for name, value in environment.items()}


def interpolate(text: str, given: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"] or "", match["arg"] or ""
        if name in given:
            return given[name]
        if op.endswith("?"):
            raise AssertionError(f"{name} is required ({arg}) and the test gives no value")
        return arg if op.endswith("-") else ""

    return _VARIABLE.sub(value, text)


def accepted_names() -> dict[str, str]:
    """Environment variable name -> Settings field, from the fields' aliases and the env prefix."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names[alias.upper()] = field_name
        elif isinstance(alias, AliasChoices):
            names.update({c.upper(): field_name for c in alias.choices if isinstance(c, str)})
        else:
            names[f"{prefix}{field_name}".upper()] = field_name
    return names


def test_every_image_is_pinned_to_a_version(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name
        if "image" in service:
            image = service["image"]
            repository, _, tag = image.rpartition(":")
            assert repository and "/" not in tag, f"{name}: {image} has no tag"
            assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned to a version"


def test_worker_builds_from_the_dockerfile(compose: dict[str, Any]) -> None:
    build = compose["services"]["worker"]["build"]
    if isinstance(build, str):
        build = {"context": build}
    dockerfile = ROOT / build["context"] / build.get("dockerfile", "Dockerfile")
    assert dockerfile.resolve() == (ROOT / "Dockerfile").resolve()
    assert "image" not in compose["services"]["worker"]


def test_worker_gets_only_variables_that_settings_reads(worker_env: dict[str, str]) -> None:
    accepted = accepted_names()
    assert {"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "NIS_DATABASE_URL", "NIS_CODEC_KEY"} <= set(worker_env)
    unknown = sorted(set(worker_env) - set(accepted))
    assert not unknown, f"the worker gets variables config.Settings does not read: {unknown}"


def test_settings_load_from_exactly_the_worker_environment(
    worker_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.upper().startswith(("NIS_", "TEMPORAL_"))]:
        monkeypatch.delenv(name)
    for name, value in worker_env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    for name, value in worker_env.items():
        loaded = getattr(settings, accepted_names()[name])
        shown = loaded.get_secret_value() if isinstance(loaded, SecretStr) else str(loaded)
        assert shown == value, name


def test_worker_reaches_postgres_and_temporal_by_service_name(
    compose: dict[str, Any], worker_env: dict[str, str]
) -> None:
    services = compose["services"]
    database = urlsplit(worker_env["NIS_DATABASE_URL"])
    assert database.scheme == "postgresql+asyncpg"
    assert database.hostname in services and services[database.hostname]["image"].startswith("postgres:")
    temporal_host = worker_env["TEMPORAL_ADDRESS"].rsplit(":", 1)[0]
    assert services[temporal_host]["image"].startswith("temporalio/auto-setup:")


def test_worker_runs_replicated_after_its_dependencies_are_healthy(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert worker["deploy"]["replicas"] >= 2
    for dependency, condition in worker["depends_on"].items():
        assert condition["condition"] == "service_healthy"
        assert "healthcheck" in compose["services"][dependency], dependency


def test_dockerfile_runs_the_worker_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    base = next(line for line in instructions if line.upper().startswith("FROM ")).split()[1]
    assert ":" in base and not base.endswith(":latest")
    cmd = json.loads(next(line for line in reversed(instructions) if line.upper().startswith("CMD "))[4:])
    assert cmd[0].startswith("python") and cmd[-1] == "worker.py"
    user = [line.split()[1] for line in instructions if line.upper().startswith("USER ")]
    assert user and user[-1] not in {"root", "0"}


def test_the_web_app_and_the_ui_decoding_through_it_read_only_what_settings_has(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert web["command"] == ["python", "starter.py", "web"]
    names = {n.lower() for n in Settings.model_fields} | {"temporal_address", "temporal_namespace"}
    assert all(key.lower().removeprefix("nis_") in names for key in web["environment"])
    ui = compose["services"]["temporal-ui"]["environment"]
    assert ui["TEMPORAL_CODEC_ENDPOINT"].endswith(":8000/codec") and ui["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] == "true"


def test_pip_install_takes_every_package_and_every_template() -> None:
    """The Dockerfile runs `pip install .`: a package or a data file pyproject does not name is left out of the
    image (web.routes once was), though everything works from the source tree."""
    root = Path(__file__).parents[1]
    setup = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = set(setup["packages"])
    found = {
        ".".join(init.parent.relative_to(root).parts)
        for init in root.glob("*/**/__init__.py")
        if init.parts[len(root.parts)] not in ("tests", "bench", ".venv", "deploy")
    }
    assert found == packages, found ^ packages
    for package in packages:
        folder = root / package.replace(".", "/")
        data = [
            p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc") and p.name != "README.md"
        ]
        data = [
            p
            for p in data
            if "__pycache__" not in p.parts and not (p.parent != folder and (p.parent / "__init__.py").exists())
        ]
        globs = setup["package-data"].get(package, [])
        missing = [p for p in data if not any(p.relative_to(folder).match(g) for g in globs)]
        assert not missing, (package, missing)

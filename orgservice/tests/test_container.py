"""The container files: docker-compose.yml renders (docker-compose config), Dockerfile is sane."""

import os
import shutil
import subprocess

import pytest
import yaml

from orgservice.testing import ROOT

KEYS = {"SECRET_KEY": "k" * 60, "JWT_SIGNING_KEY": "j" * 60}


def _compose(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing; .ci/run installs it")
        pytest.skip("docker-compose is not installed here (CI installs it)")
    empty = tmp_path / "empty.env"  # keep a local .env out of the interpolation
    empty.write_text("")
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "JWT_SIGNING_KEY")}
    return subprocess.run(
        [binary, "--env-file", str(empty), "-f", str(ROOT / "docker-compose.yml"), "config", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_docker_compose_config_validates_the_file(tmp_path):
    result = _compose(tmp_path, "-q", **KEYS)
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_render_without_a_secret_key(tmp_path):
    result = _compose(tmp_path, "-q")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_docker_compose_refuses_to_render_without_a_separate_jwt_signing_key(tmp_path):
    result = _compose(tmp_path, "-q", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "JWT_SIGNING_KEY" in result.stderr


def test_the_service_runs_against_a_three_member_replica_set_once_it_is_initiated(tmp_path):
    result = _compose(tmp_path, **KEYS)
    services = yaml.safe_load(result.stdout)["services"]
    members = [name for name, s in services.items() if "--replSet" in s.get("command", [])]
    assert sorted(members) == ["mongo1", "mongo2", "mongo3"]
    assert all(
        services[m]["command"][services[m]["command"].index("--replSet") + 1] == "rs0"
        for m in members
    )
    assert "rs.initiate" in " ".join(services["mongo-init"]["command"])
    web = services["web"]
    assert web["environment"]["MONGO_URL"] == "mongodb://mongo1,mongo2,mongo3/?replicaSet=rs0"
    assert web["environment"]["DEBUG"] == "false"
    assert web["depends_on"]["mongo-init"]["condition"] == "service_completed_successfully"


def test_the_image_is_multi_stage_slim_non_root_and_health_checked():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and all(s.startswith("FROM python:3.11-slim") for s in stages)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert "/healthz" in (ROOT / "Dockerfile").read_text()
    assert "gunicorn -c gunicorn.conf.py orgservice.wsgi" in lines[-1]


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", ".git", "var"} <= ignored

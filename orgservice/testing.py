"""Test support: run the service as `make run` does (gunicorn, litemongo on disk) and talk HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from accounts.rates import RATE_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
# Rates for gunicorn(..., **GENEROUS_RATES): tests that sign up, log in and invite a lot reach
# each operation's own answers, not 429s.
GENEROUS_RATES = dict.fromkeys(RATE_SETTINGS, "100000/min")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server or command using the embedded store under ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONGO_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        LITEMONGO_PATH=str(data_dir / "mongo"),
        DATABASE_URL=f"sqlite:///{data_dir / 'django.sqlite3'}",
        BCRYPT_ROUNDS="4",
        DEBUG="false",
        SECRET_KEY="test-only-key-" + "x" * 50,
        JWT_SIGNING_KEY="test-only-jwt-key-" + "y" * 50,
        # plain http://127.0.0.1 as `make run` serves it (a fresh clone's .env says the same)
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    env.update(extra)
    return env


def manage(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` in a subprocess against ``data_dir``'s embedded store."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=service_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def gunicorn_process(
    data_dir: Path, *, workers: int = 2, **env: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start gunicorn with the project's gunicorn.conf.py; yields (base URL, master process)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    assert manage(data_dir, "migrate", "--noinput", "-v", "0").returncode == 0
    assert manage(data_dir, "ensure_indexes").returncode == 0
    port = free_port()
    log = open(data_dir / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "orgservice.wsgi",
        ],
        cwd=ROOT,
        env=service_env(
            data_dir, HOST="127.0.0.1", PORT=str(port), WEB_WORKERS=str(workers), **env
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@contextmanager
def gunicorn(data_dir: Path, *, workers: int = 2, **env: str) -> Iterator[str]:
    """Start gunicorn as `make run` does; yields the base URL."""
    with gunicorn_process(data_dir, workers=workers, **env) as (base, _):
        yield base


def _wait_ready(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            requests.get(f"{base}/org/get", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in 60 s")

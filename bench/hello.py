"""A bare WSGI hello-world app, served by gunicorn with the service's own gunicorn.conf.py: the
floor that /healthz is compared with (`make bench`, scenario 9)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orgservice.testing import ROOT, free_port, service_env

BODY = b'{"status": "ok"}'


def app(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """gunicorn -c gunicorn.conf.py bench.hello:app, as `make run` configures it; the base URL."""
    from orgservice.testing import _wait_ready

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "bench.hello:app",
        ],
        cwd=ROOT,
        env=service_env(data_dir, HOST="127.0.0.1", PORT=str(port), WEB_WORKERS="2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)

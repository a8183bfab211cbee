"""Under gunicorn with two workers, /metrics adds up what every worker counted, and each run of
the server starts counting from zero."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow

TOKEN = "scrape-token-" + "g" * 30
HEALTHZ = {"method": "GET", "route": "healthz", "status": "200"}


def _healthz_count(families) -> float:
    return sum(
        sample.value
        for family in families
        for sample in family.samples
        if sample.name == "orgservice_http_requests_total" and sample.labels == HEALTHZ
    )


def _scraped_healthz_count(base: str) -> float:
    response = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return _healthz_count(text_string_to_metric_families(response.text))


def _per_worker_counts(metrics_dir: Path) -> list[float]:
    """What each worker has counted so far, read from its own file (counter_<pid>.db)."""
    return [
        _healthz_count(MultiProcessCollector.merge([str(path)]))
        for path in sorted(metrics_dir.glob("counter_*.db"))
    ]


def _healthz(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    finally:
        connection.close()


def _send_across_both_workers(base: str, metrics_dir: Path) -> int:
    """GET /healthz until both workers have served some; returns how many were sent. With
    --worker-connections 1, an idle connection held open keeps the worker that accepted it from
    accepting, so the request tends to go to the other (left alone, the kernel hands nearly every
    connection to one worker)."""
    port = urlsplit(base).port
    sent = 0
    while sent < 80:
        with socket.create_connection(("127.0.0.1", port), timeout=10):
            _healthz(port)
        _healthz(port)
        sent += 2
        counts = _per_worker_counts(metrics_dir)
        if sent >= 20 and len(counts) == 2 and min(counts) >= 3:
            break
    return sent


def test_two_workers_counts_add_up_in_one_scrape_and_a_new_run_starts_from_zero(tmp_path):
    metrics_dir = tmp_path / "prometheus"
    env = {
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "GUNICORN_CMD_ARGS": "--worker-connections 1",
    }
    with gunicorn(tmp_path, workers=2, **env) as base:
        sent = _send_across_both_workers(base, metrics_dir)
        per_worker = _per_worker_counts(metrics_dir)
        assert len(per_worker) == 2 and min(per_worker) > 0, per_worker
        assert sum(per_worker) == sent
        assert _scraped_healthz_count(base) == sent
        assert _scraped_healthz_count(base) == sent  # whichever worker answers the scrape

    with gunicorn(tmp_path, workers=2, **env) as base:  # same folder: emptied at start
        for _ in range(3):
            _healthz(urlsplit(base).port)
        assert _scraped_healthz_count(base) == 3

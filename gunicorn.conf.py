"""gunicorn settings for `make run` and production; every value overridable by environment."""

import os
import random
import tempfile
from pathlib import Path

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# One threaded worker per CPU this process may use (at least 2, at most 12: each holds its own
# MongoDB pool). Measured on 2 cores (make bench, GET at concurrency 8): 2 workers x 4 threads
# gave p99 17-19 ms, 5 x 4 (the 2n+1 rule of sync workers) 23-121 ms at the same throughput;
# on the embedded store each extra process also re-reads a collection's index after another
# process writes to it.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("WEB_WORKERS", str(min(max(_cores, 2), 12))))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# On SIGTERM, workers finish in-flight requests for up to this long before they are killed.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Like nginx's keepalive_requests: a keep-alive connection is closed after about this many
# requests (each request closes it with probability 1/N; 0: never). A worker keeps every
# connection it accepted, so a few long-lived connections (a proxy's pool, a load generator) can
# all land on one worker and stay there while the others idle: measured with 16 connections, one
# run in five or ten did so and served a third of the usual throughput. A closed connection
# reconnects to whichever worker accepts first, which is an idle one.
keepalive_requests = int(os.environ.get("WEB_KEEPALIVE_REQUESTS", "100"))
# WEB_MAX_REQUESTS=N recycles a worker after about N requests (jittered); 0, the default, never.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Every line gunicorn writes is JSON (orgservice.gunicorn_log). The app already logs one JSON
# access line per request with route, request id and org id, so gunicorn's own access line is
# off unless WEB_ACCESS_LOG is set (to "-" for stdout, or a file).
logger_class = "orgservice.gunicorn_log.JsonLogger"
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"


def pre_request(worker, req):
    if keepalive_requests and random.random() * keepalive_requests < 1:
        req.must_close = True  # answered with "Connection: close", then closed


def post_fork(server, worker):
    """A forked worker must never reuse its parent's MongoDB client."""
    from tenancy.stores.client import reset_clients

    reset_clients()


# Prometheus metrics (kernel.metrics) are written per worker to files in PROMETHEUS_MULTIPROC_DIR
# and summed at scrape time. Each run starts from zero: the folder (a fresh temporary one unless
# the variable names one) is emptied before any worker starts; workers inherit the variable.
_made_metrics_dir: list[str] = []


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        path = tempfile.mkdtemp(prefix="orgservice-metrics-")
        _made_metrics_dir.append(path)
    Path(path).mkdir(parents=True, exist_ok=True)
    for stale in Path(path).glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


def child_exit(server, worker):
    """A dead worker's live gauges stop counting; its counters and histograms still add up."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    for path in _made_metrics_dir:
        for stale in Path(path).glob("*.db"):
            stale.unlink()
        Path(path).rmdir()

"""Prometheus metrics of the service, counted per process and summed over gunicorn workers.

Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before the workers start, so
every value below lives in a memory-mapped file per worker and a scrape adds them up
(``registry()``). Without it (tests, ``manage.py runserver``) they are plain in-process values.
Label values are bounded: a route pattern, never a raw path; a known HTTP method or ``other``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from time import perf_counter
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "orgservice_http_requests",
    "HTTP requests answered, by method, route pattern and status code.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "orgservice_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route pattern.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LOGINS = Counter(
    "orgservice_logins",
    "Org admin login attempts by outcome: success, failure (bad credentials) or throttled.",
    ["outcome"],
)
THROTTLED = Counter(
    "orgservice_throttled",
    "Requests refused with 429 by a brute-force limit, by scope (e.g. login-ip, signup-ip).",
    ["scope"],
)
STORE_SECONDS = Histogram(
    "orgservice_store_duration_seconds",
    "Time spent in one MongoDB call made by tenancy (tenancy.driver_errors.translate).",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)

LOGIN_OUTCOMES = ("success", "failure", "throttled")
for _outcome in LOGIN_OUTCOMES:
    LOGINS.labels(_outcome)  # every outcome is exported from the start, at 0: ratios work

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # the route of a request no URL pattern matched (a 404)

_observe_store = STORE_SECONDS.observe


# (method, route, status) -> its counter and histogram children: labels() costs more than the
# increment itself. Bounded like the labels: known methods, URL patterns, status codes.
_children: dict[tuple[str, str | None, int], tuple[Any, Any]] = {}


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    children = _children.get((method, route, status))
    if children is None:
        label = method if method in _METHODS else "other"
        pattern = route if route is not None else UNMATCHED
        children = (
            REQUESTS.labels(label, pattern, str(status)),
            REQUEST_SECONDS.labels(label, pattern),
        )
        if method in _METHODS:
            _children[(method, route, status)] = children
    children[0].inc()
    children[1].observe(seconds)


def observe_store(started: float) -> None:
    """Record a store call that began at ``perf_counter()`` value ``started``."""
    _observe_store(perf_counter() - started)


def multiprocess_dir() -> str | None:
    """The folder the gunicorn workers write their values to, if any."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def registry(extra: Iterable[Collector] = ()) -> CollectorRegistry:
    """What a scrape exports: every worker's values (or this process's), plus ``extra``
    collectors that are read once per scrape (not once per worker)."""
    path = multiprocess_dir()
    if path is None:
        scrape = CollectorRegistry(auto_describe=True)
        scrape.register(_ProcessValues())
    else:
        from prometheus_client.multiprocess import MultiProcessCollector

        scrape = CollectorRegistry()
        MultiProcessCollector(scrape, path=path)
    for collector in extra:
        scrape.register(collector)
    return scrape


class _ProcessValues(Collector):
    """The default registry's metrics, re-exported into a per-scrape registry."""

    def collect(self):
        return REGISTRY.collect()

    def describe(self):
        return []

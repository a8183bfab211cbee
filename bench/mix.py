"""A day in the life: a weighted mix of routes from many keep-alive clients, timed per route.

The clients run in separate processes (threads inside each, one HTTP/1.1 connection per thread)
so that the load generator is not one GIL; every loop stops at its deadline."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import random
import statistics
import threading
import time
from urllib.parse import quote, urlsplit

# route: share of requests (the [perf-2] issue's mix)
MIX = {"get_org": 0.70, "login": 0.10, "record_read": 0.15, "record_write": 0.05}
PROCESSES = 4


def _request(conn, route: str, org: dict, password: str) -> int:
    if route == "get_org":
        conn.request("GET", f"/org/get?organization_name={quote(org['name'])}")
    elif route == "login":
        body = json.dumps({"email": org["email"], "password": password})
        conn.request("POST", "/admin/login", body, {"Content-Type": "application/json"})
    elif route == "record_read":
        path = f"/api/v1/orgs/{org['slug']}/records/{org['record_id']}/"
        conn.request("GET", path, headers={"Authorization": f"Bearer {org['token']}"})
    else:
        body = json.dumps({"kind": "mix", "n": random.randrange(1000)})
        headers = {"Authorization": f"Bearer {org['token']}", "Content-Type": "application/json"}
        conn.request("POST", f"/api/v1/orgs/{org['slug']}/records/", body, headers)
    response = conn.getresponse()
    response.read()
    return response.status


def _client(base: str, orgs: list[dict], password: str, deadline: float, out: list) -> None:
    host = urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    routes, weights = list(MIX), list(MIX.values())
    rng = random.Random()
    while time.monotonic() < deadline:
        route = rng.choices(routes, weights)[0]
        started = time.perf_counter()
        try:
            status = _request(conn, route, rng.choice(orgs), password)
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        out.append((route, (time.perf_counter() - started) * 1000, status))


def _process(base: str, orgs: list, password: str, threads: int, seconds: float, queue) -> None:
    deadline = time.monotonic() + seconds
    samples: list = []
    workers = [
        threading.Thread(target=_client, args=(base, orgs, password, deadline, samples))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(samples)


def run(base: str, orgs: list[dict], password: str, *, clients: int, seconds: float) -> dict:
    """``clients`` connections for ``seconds``; p50/p99 ms, req/s and non-2xx count per route."""
    queue = multiprocessing.get_context("fork").Queue()
    per = [clients // PROCESSES + (i < clients % PROCESSES) for i in range(PROCESSES)]
    procs = [
        multiprocessing.get_context("fork").Process(
            target=_process, args=(base, orgs, password, n, seconds, queue)
        )
        for n in per
        if n
    ]
    for proc in procs:
        proc.start()
    samples = [s for _ in procs for s in queue.get(timeout=seconds + 120)]
    for proc in procs:
        proc.join(timeout=30)
    return {route: _summary(samples, route, seconds) for route in MIX}


def _summary(samples: list, route: str, seconds: float) -> dict:
    times = sorted(ms for r, ms, _ in samples if r == route)
    errors = sum(1 for r, _, status in samples if r == route and not 200 <= status < 300)
    if not times:
        return {"n": 0, "p50_ms": 0.0, "p99_ms": 0.0, "rps": 0.0, "non_2xx": errors}
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "rps": round(len(times) / seconds, 1),
        "non_2xx": errors,
    }

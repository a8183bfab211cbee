"""The benchmark scenarios of the [perf] issue; each returns a dict of figures."""

from __future__ import annotations

import os
import statistics
import time
from itertools import count
from pathlib import Path

import bcrypt
import requests

from bench import load

PASSWORD = "Correct-Horse-9-Battery"
GET_SECONDS = 4 if os.environ.get("BENCH_QUICK") == "1" else 10
_ids = count()


def _unique(prefix: str) -> str:
    return f"{prefix}-{time.time_ns() % 10**9}-{next(_ids)}"


def create_org(base: str, name: str | None = None) -> tuple[str, str]:
    """Create an org over HTTP; returns (name, admin email)."""
    name = name or _unique("Bench Org")
    email = f"{_unique('admin')}@bench.example"
    body = {"organization_name": name, "email": email, "password": PASSWORD}
    requests.post(f"{base}/org/create", json=body, timeout=30).raise_for_status()
    return name, email


def token(base: str, email: str) -> str:
    response = requests.post(
        f"{base}/admin/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access_token"]


def bcrypt_ms(rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(3):
        bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=rounds))
    return round((time.perf_counter() - start) / 3 * 1000, 1)


def create_latency(base: str, *, n: int = 12) -> dict:
    session = requests.Session()

    def call(i: int):
        body = {
            "organization_name": _unique("Create Org"),
            "email": f"{_unique('c')}@bench.example",
            "password": PASSWORD,
        }
        return session.post(f"{base}/org/create", json=body, timeout=30)

    return load.timed(call, count=n, max_seconds=60)


def login_latency(base: str, email: str, *, n: int = 12) -> dict:
    session = requests.Session()
    body = {"email": email, "password": PASSWORD}
    return load.timed(
        lambda i: session.post(f"{base}/admin/login", json=body, timeout=30),
        count=n,
        max_seconds=60,
    )


def get_url(base: str, name: str) -> str:
    return f"{base}/org/get?organization_name={requests.utils.quote(name)}"


def get_throughput(base: str, name: str, connections: int) -> dict:
    """wrk for GET_SECONDS, after 2 s of the same load to warm every worker thread (each builds
    its embedded-store client and in-memory indexes on first use)."""
    load.wrk(get_url(base, name), connections=connections, seconds=2)
    return load.wrk(get_url(base, name), connections=connections, seconds=GET_SECONDS)


def get_under_logins(base: str, name: str, email: str) -> dict:
    """Fair to logins: GET p99 with 16 clients and login p50, each alone and then together
    (16 GET clients and 2 login loops), in one run."""
    alone = get_throughput(base, name, 16)
    login_alone = login_latency(base, email, n=10)
    session = requests.Session()
    body = {"email": email, "password": PASSWORD}
    login_ms: list[float] = []

    def login() -> None:
        started = time.perf_counter()
        session.post(f"{base}/admin/login", json=body, timeout=30).raise_for_status()
        login_ms.append((time.perf_counter() - started) * 1000)

    with load.Background(login, clients=2, max_seconds=GET_SECONDS + 20) as logins:
        loaded = load.wrk(get_url(base, name), connections=16, seconds=GET_SECONDS)
    login_p50 = statistics.median(login_ms) if login_ms else float("inf")
    return {
        "alone": alone,
        "with_2_login_loops": loaded,
        "logins_done": logins.calls,
        "login_alone_p50_ms": login_alone["median_ms"],
        "login_loaded_p50_ms": round(login_p50, 1),
        "login_p50_growth": round(login_p50 / login_alone["median_ms"], 2),
        "p50_growth": round(loaded["p50_ms"] / alone["p50_ms"], 2),
        "p99_growth": round(loaded["p99_ms"] / alone["p99_ms"], 2),
    }


FLOOR_ROUNDS = 3


def floor(base: str, name: str, hello_base: str) -> dict:
    """GET /org/get, the service's /healthz and a bare WSGI app, 8 clients each, measured in
    FLOOR_ROUNDS interleaved rounds (hello, /healthz, GET; again; again) so that a drift of the
    machine's speed during the run lands on all three. Each figure is the median over the
    rounds, each ratio the median of the rounds' own ratios; the rounds are kept too."""
    urls = {"hello": f"{hello_base}/", "healthz": f"{base}/healthz", "get": get_url(base, name)}
    for url in urls.values():
        load.wrk(url, connections=8, seconds=2)  # warm every worker thread
    seconds = max(2, GET_SECONDS * 2 // 5)
    rounds = [
        {kind: load.wrk(url, connections=8, seconds=seconds) for kind, url in urls.items()}
        for _ in range(FLOOR_ROUNDS)
    ]
    out = {
        kind: {
            field: statistics.median(r[kind][field] for r in rounds)
            for field in ("rps", "p50_ms", "p99_ms")
        }
        for kind in urls
    }
    out["get_over_healthz"] = _median_ratio(rounds, "get", "healthz")
    out["healthz_over_hello"] = _median_ratio(rounds, "healthz", "hello")
    out["rounds"] = rounds
    return out


def _median_ratio(rounds: list[dict], top: str, bottom: str) -> float:
    return round(statistics.median(r[top]["rps"] / r[bottom]["rps"] for r in rounds), 2)


def get_throughput_url(url: str, connections: int) -> dict:
    load.wrk(url, connections=connections, seconds=2)
    return load.wrk(url, connections=connections, seconds=GET_SECONDS)


def bulk_fill(base: str, slug: str, auth: dict, records: int) -> dict:
    """Insert ``records`` through the bulk endpoint, 1000 a request; returns the rate."""
    session = requests.Session()
    start = time.perf_counter()
    for offset in range(0, records, 1000):
        batch = [
            {"n": offset + i, "kind": "bench", "tags": ["a", "b"], "score": i % 7}
            for i in range(min(1000, records - offset))
        ]
        response = session.post(
            f"{base}/api/v1/orgs/{slug}/records/bulk/",
            json={"records": batch},
            headers=auth,
            timeout=120,
        )
        response.raise_for_status()
    seconds = time.perf_counter() - start
    return {
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds) if seconds else 0,
    }


def rename_http(base: str, records: int, count_in) -> dict:
    """Fill an org through the bulk endpoint, then time PUT /org/update renaming it and check
    that every record moved. Returns the figures and, for later scenarios, the org's address."""
    _, email = create_org(base)
    auth = {"Authorization": f"Bearer {token(base, email)}"}
    slug = _slug_of(base, auth)
    fill = bulk_fill(base, slug, auth, records)
    start = time.perf_counter()
    response = requests.put(
        f"{base}/org/update",
        json={"organization_name": _unique("Renamed Org")},
        headers=auth,
        timeout=300,
    )
    seconds = time.perf_counter() - start
    response.raise_for_status()
    body = response.json()
    moved = count_in(body["collection"])
    left = count_in(f"org_{slug}")
    return {
        "records": records,
        "seconds": round(seconds, 3),
        "all_moved": moved == records and left == 0,
        "fill": fill,
        "slug": body["slug"],
        "auth": auth,
    }


def _slug_of(base: str, auth: dict) -> str:
    """The slug of the token's org (read from the token's claims through the API)."""
    import jwt

    org_id = jwt.decode(auth["Authorization"].split()[1], options={"verify_signature": False})[
        "org_id"
    ]
    from tenancy import orgs

    return orgs.get(org_id).slug


def list_page_latency(base: str, slug: str, auth: dict) -> dict:
    session = requests.Session()
    return load.timed(
        lambda i: session.get(
            f"{base}/api/v1/orgs/{slug}/records/?limit=50", headers=auth, timeout=30
        ),
        count=40,
        max_seconds=60,
    )


def export_time(base: str, slug: str, auth: dict, expected: int) -> dict:
    start = time.perf_counter()
    lines = 0
    with requests.get(
        f"{base}/api/v1/orgs/{slug}/export/", headers=auth, stream=True, timeout=300
    ) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            lines += bool(line)
    seconds = time.perf_counter() - start
    return {"records": expected, "seconds": round(seconds, 2), "complete": lines == expected}


def rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)

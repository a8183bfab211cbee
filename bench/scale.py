"""Flat in the number of orgs: create, login, GET and a day-in-the-life mix on a store seeded with
100 orgs, then with 10,000 (the default gunicorn configuration, bcrypt cost 4)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import requests

from bench import mix
from bench import scenarios as s

QUICK = os.environ.get("BENCH_QUICK") == "1"
FEW_ORGS = 100
MANY_ORGS = int(os.environ.get("BENCH_ORGS", "2000" if QUICK else "10000"))
MIX_CLIENTS = 32
MIX_SECONDS = 10 if QUICK else 30
MIX_ORGS = 16
SEED_CHUNK = 2000


def seed(data_dir: Path, upto: int, env: dict) -> float:
    """Demo orgs demo-0001..demo-<upto> through `manage.py seed_demo`, in chunks: each process
    keeps the collection files it opened open."""
    from orgservice.testing import manage

    start = time.perf_counter()
    for first in range(1, upto + 1, SEED_CHUNK):
        last = min(first + SEED_CHUNK - 1, upto)
        args = ("seed_demo", "--first", str(first), "--orgs", str(last), "--password", s.PASSWORD)
        result = manage(data_dir, *args, BCRYPT_ROUNDS="4", **env)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        sys.stderr.write(f"  seeded {last} orgs\n")
    return round(time.perf_counter() - start, 1)


def _demo(n: int) -> dict:
    name = f"demo-{n:04d}"
    return {"name": name, "slug": name, "email": f"admin@{name}.example"}


def _mix_orgs(base: str, seeded: int) -> list[dict]:
    """Orgs spread over the seeded range, each with a token and one record to read."""
    orgs = []
    for i in range(MIX_ORGS):
        org = _demo(1 + i * (seeded - 1) // (MIX_ORGS - 1))
        org["token"] = s.token(base, org["email"])
        response = requests.post(
            f"{base}/api/v1/orgs/{org['slug']}/records/",
            json={"kind": "seed"},
            headers={"Authorization": f"Bearer {org['token']}"},
            timeout=30,
        )
        response.raise_for_status()
        org["record_id"] = response.json()["id"]
        orgs.append(org)
    return orgs


def measure(data_dir: Path, seeded: int, env: dict) -> dict:
    """Create and login latency (sequential), GET at 8 clients, the mix, worker RSS."""
    from orgservice.testing import gunicorn_process

    with gunicorn_process(data_dir, BCRYPT_ROUNDS="4", **env) as (base, proc):
        out = {"orgs": seeded, "create": s.create_latency(base, n=20)}
        out["login"] = s.login_latency(base, _demo(seeded // 2)["email"], n=20)
        out["get_c8"] = s.get_throughput(base, _demo(seeded // 2)["name"], 8)
        out["mix"] = mix.run(
            base, _mix_orgs(base, seeded), s.PASSWORD, clients=MIX_CLIENTS, seconds=MIX_SECONDS
        )
        out["rss_mb"] = s.rss_mb(proc.pid)
    return out

"""`make bench`: run every scenario twice against gunicorn as `make run` starts it, print a
markdown table (medians of the two repetitions, with targets) and write JSON to bench/results/.

All traffic stays on 127.0.0.1; every loop is bounded in count and time. The load comes from
this process (requests, threads) and from wrk, never from the server's own processes.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import runpy
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
RECORD_COUNTS = (0, 10_000, 100_000)
# BENCH_QUICK=1: one repetition, shorter loads, fewer orgs (for iterating, not for the README).
QUICK = os.environ.get("BENCH_QUICK") == "1"
_gunicorn: dict = {}  # the server's settings, as gunicorn.conf.py computes them
PASSWORD = "Correct-Horse-9-Battery"
# All load comes from one address and a few accounts: the login and sign-up throttles (which
# work as intended) would answer 429 and measure nothing.
UNTHROTTLED = {
    "LOGIN_RATE_PER_EMAIL": "1000000/min",
    "LOGIN_RATE_PER_IP": "1000000/min",
    "SIGNUP_RATE_PER_IP": "1000000/hour",
}


def _setup_django() -> None:
    os.environ.update(MONGO_URL="mongomock://", BCRYPT_ROUNDS="4", **UNTHROTTLED)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orgservice.settings")
    import django

    django.setup()
    logging.disable(logging.WARNING)  # no audit line per org this process creates


def _point_at(data_dir: Path, url: str = "") -> None:
    """Make this process read the server's embedded store (or mongomock)."""
    from django.conf import settings

    from tenancy.indexes import ensure_master_indexes
    from tenancy.stores.client import reset_clients

    settings.MONGO_URL = url
    settings.LITEMONGO_PATH = data_dir / "mongo"
    reset_clients()
    ensure_master_indexes()


def _count_in(collection: str) -> int:
    from tenancy.stats import collection_stats
    from tenancy.stores.client import reset_clients

    reset_clients()  # re-read what the server's processes wrote
    return collection_stats(collection).documents


def main_server(data_dir: Path) -> dict:
    from bench import hello
    from bench import scenarios as s
    from orgservice.testing import gunicorn_process

    out: dict = {"bcrypt_r12_ms": s.bcrypt_ms(12), "bcrypt_r4_ms": s.bcrypt_ms(4)}
    with gunicorn_process(data_dir, BCRYPT_ROUNDS="12", **UNTHROTTLED) as (base, proc):
        _point_at(data_dir)
        name, email = s.create_org(base)
        out["create_r12"] = s.create_latency(base)
        out["login_r12"] = s.login_latency(base, email)
        for c in (1, 8, 32):
            out[f"get_c{c}"] = s.get_throughput(base, name, c)
        with hello.served(data_dir / "hello") as hello_base:
            out["floor"] = s.floor(base, name, hello_base)
        out["get_under_logins"] = s.get_under_logins(base, name, email)
        renames = [s.rename_http(base, n, _count_in) for n in RECORD_COUNTS]
        for r in renames[1:]:
            out[f"export_{r['records']}"] = s.export_time(base, r["slug"], r["auth"], r["records"])
        out["list_page"] = s.list_page_latency(base, renames[-1]["slug"], renames[-1]["auth"])
        out["bulk_insert"] = renames[-1]["fill"]
        out["rename_embedded"] = [
            {k: r[k] for k in ("records", "seconds", "all_moved")} for r in renames
        ]
        out["rss_after_records_mb"] = s.rss_mb(proc.pid)
    return out


def org_scale(data_dir: Path, seeded: dict) -> dict:
    """Scenarios 6 and 10 at 100 orgs (a fresh store) and at MANY_ORGS (seeded once)."""
    from bench import scale

    few = data_dir / f"few-{len(seeded)}"
    scale.seed(few, scale.FEW_ORGS, UNTHROTTLED)
    out = {"few": scale.measure(few, scale.FEW_ORGS, UNTHROTTLED)}
    many = data_dir / "many"
    if "seconds" not in seeded:
        seeded["seconds"] = scale.seed(many, scale.MANY_ORGS, UNTHROTTLED)
    out["many"] = scale.measure(many, scale.MANY_ORGS, UNTHROTTLED)
    return out


class _Principal:
    def __init__(self, org_id: str):
        self.org_id = org_id


def mongomock_rename() -> list[dict]:
    """Rename through the service on mongomock (in this process) with 0/10k/100k records."""
    from organizations.orgs.services import organization_create, organization_rename
    from tenancy import record_store
    from tenancy.stats import collection_stats

    _point_at(Path(tempfile.gettempdir()), "mongomock://")
    out = []
    for n in RECORD_COUNTS:
        org = organization_create(
            name=f"Mock Org {n}", admin_email=f"mock{n}@bench.example", admin_password=PASSWORD
        )
        handle = record_store.for_principal(_Principal(org.id))
        for offset in range(0, n, 5000):
            handle.insert_many([{"n": offset + i} for i in range(min(5000, n - offset))])
        start = time.perf_counter()
        done = organization_rename(org_id=org.id, new_name=f"Mock Renamed {n}")
        seconds = time.perf_counter() - start
        out.append(
            {
                "records": n,
                "seconds": round(seconds, 4),
                "all_moved": collection_stats(done.collection).documents == n,
            }
        )
    return out


def _versions() -> dict:
    from importlib.metadata import version

    names = ["django", "djangorestframework", "pymongo", "litemongo", "mongomock", "gunicorn"]
    return {"python": platform.python_version(), **{n: version(n) for n in names}}


def main() -> None:
    _gunicorn.update(
        runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    )
    _setup_django()
    from bench import scale
    from bench.report import table

    RESULTS.mkdir(parents=True, exist_ok=True)
    runs, seeded = [], {}
    with tempfile.TemporaryDirectory(prefix="orgservice-bench-") as tmp:
        for rep in (1,) if QUICK else (1, 2):
            sys.stderr.write(f"repetition {rep}\n")
            run = {"main": main_server(Path(tmp) / f"main-{rep}")}
            run["scale"] = org_scale(Path(tmp), seeded)
            run["rename_mongomock"] = mongomock_rename()
            runs.append(run)
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cores": os.cpu_count(),
        "versions": _versions(),
        "workers": _gunicorn["workers"],
        "threads": _gunicorn["threads"],
        "seeded_orgs": {"count": scale.MANY_ORGS, "seconds": seeded.get("seconds")},
        "runs": runs,
    }
    path = RESULTS / f"bench-{result['when'].replace(':', '')}.json"
    path.write_text(json.dumps(result, indent=2))
    sys.stdout.write(table(result) + f"\nJSON: {path}\n")


if __name__ == "__main__":
    main()

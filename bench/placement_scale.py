"""Placement benchmark: N orgs on litemongo under each placement (collection, shared, database):
create, rename and delete times, lookup latency, collections, files and bytes on disk.

    .venv/bin/python -m bench.placement_scale      # BENCH_PLACEMENT_ORGS (default 10000),
                                             # BENCH_PLACEMENT_RECORDS per org (default 5)

Runs in this process against a temporary litemongo folder per placement; prints a markdown table.
"""

from __future__ import annotations

import logging
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ORGS = int(os.environ.get("BENCH_PLACEMENT_ORGS", "10000"))
RECORDS = int(os.environ.get("BENCH_PLACEMENT_RECORDS", "5"))
SAMPLE = 50
PASSWORD = "Correct-Horse-9-Battery"


def _setup_django() -> None:
    os.environ.update(MONGO_URL="", BCRYPT_ROUNDS="4", SIGNUP_RATE_PER_IP="1000000000/hour")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orgservice.settings")
    import django

    django.setup()
    logging.disable(logging.WARNING)  # no audit line per created org on the terminal


def _use(folder: Path) -> None:
    from django.conf import settings

    from tenancy.indexes import ensure_master_indexes
    from tenancy.stores.client import reset_clients

    settings.MONGO_URL = ""
    settings.LITEMONGO_PATH = folder
    reset_clients()
    ensure_master_indexes()


class _Admin:
    def __init__(self, org_id: str):
        self.org_id = org_id


def _create_all(where: str) -> tuple[list, float]:
    from organizations.orgs.services import organization_create
    from tenancy.record_store import for_principal

    made, start = [], time.perf_counter()
    for i in range(ORGS):
        org = organization_create(
            name=f"Bench Org {i:05d}",
            admin_email=f"b{i}@bench.example",
            admin_password=PASSWORD,
            placement=where,
        )
        records = for_principal(_Admin(org.id)).insert_many([{"n": n} for n in range(RECORDS)])
        made.append((org, records[0].id if records else None))
        if i % 1000 == 999:
            sys.stderr.write(f"  {where}: {i + 1} orgs\n")
    return made, time.perf_counter() - start


def _failed(where: str, exc: BaseException) -> dict:
    from tenancy import orgs
    from tenancy.stores.client import reset_clients

    reset_clients()  # give back the files the store holds open
    created = orgs.count()
    reset_clients()
    return {"placement": where, "orgs": ORGS, "failed": f"{type(exc).__name__} at {created} orgs"}


def _lookup_ms(made: list) -> tuple[float, float]:
    from tenancy import orgs
    from tenancy.record_store import for_principal

    times = []
    for org, record_id in random.sample(made, min(len(made), 500)):
        start = time.perf_counter()
        found = orgs.get_by_slug(org.slug)
        assert for_principal(_Admin(found.id)).get(record_id) is not None
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _timed_ms(action, items: list) -> float:
    start = time.perf_counter()
    for item in items:
        action(item)
    return (time.perf_counter() - start) * 1000 / max(len(items), 1)


def _disk(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _collections() -> int:
    from tenancy.stores.client import get_client

    client = get_client()
    return sum(len(client[name].list_collection_names()) for name in client.list_database_names())


def measure(where: str, folder: Path) -> dict:
    from organizations.orgs.services import organization_delete, organization_rename

    _use(folder)
    try:
        made, seconds = _create_all(where)
    except Exception as exc:  # noqa: BLE001 (a store that gives out is a result, not a crash)
        return _failed(where, exc)
    p50, p95 = _lookup_ms(made)
    files, size = _disk(folder)
    row = {
        "placement": where,
        "orgs": ORGS,
        "create_ms": seconds * 1000 / ORGS,
        "lookup_p50_ms": p50,
        "lookup_p95_ms": p95,
        "collections": _collections(),
        "files": files,
        "disk_mb": size / 1e6,
    }
    sample = random.sample(made, min(len(made), 2 * SAMPLE))
    row["rename_ms"] = _timed_ms(
        lambda pair: organization_rename(org_id=pair[0].id, new_name=pair[0].name + " X"),
        sample[:SAMPLE],
    )
    row["delete_ms"] = _timed_ms(
        lambda pair: organization_delete(org_id=pair[0].id), sample[SAMPLE:]
    )
    return row


def table(rows: list[dict]) -> str:
    head = (
        "| placement | orgs | create ms/org | lookup p50 / p95 ms | rename ms | delete ms "
        "| collections | files | disk MB |\n|---|---|---|---|---|---|---|---|---|"
    )
    lines = [
        f"| {r['placement']} | {r['orgs']} | failed: {r['failed']} | | | | | | |"
        if "failed" in r
        else f"| {r['placement']} | {r['orgs']} | {r['create_ms']:.1f} | "
        f"{r['lookup_p50_ms']:.2f} / {r['lookup_p95_ms']:.2f} | {r['rename_ms']:.1f} | "
        f"{r['delete_ms']:.1f} | {r['collections']} | {r['files']} | {r['disk_mb']:.1f} |"
        for r in rows
    ]
    return "\n".join([head, *lines])


def _raise_file_limit() -> int:
    """litemongo keeps every collection file it opened open (three descriptors each with its
    WAL): collection-per-tenant needs about 3 per org in one process. Raise the limit as far as
    this process may, and return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, 4 * ORGS + 1000)
    for limit in ((wanted, max(hard, wanted)), (min(wanted, hard), hard)):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, limit)
            break
        except (ValueError, OSError):
            continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def main() -> None:
    limit = _raise_file_limit()
    sys.stderr.write(f"open-file limit: {limit}\n")
    _setup_django()
    random.seed(9)
    rows = []
    with tempfile.TemporaryDirectory(
        prefix="orgservice-placement-", ignore_cleanup_errors=True
    ) as tmp:
        for where in ("collection", "shared", "database"):
            start = time.perf_counter()
            rows.append(measure(where, Path(tmp) / where))
            sys.stderr.write(f"{where}: {time.perf_counter() - start:.0f} s\n")
    sys.stdout.write(table(rows) + f"\n({RECORDS} records per org; litemongo)\n")


if __name__ == "__main__":
    main()

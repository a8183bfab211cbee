"""litemongo across processes: racing inserts of one key, exactly one wins; racing conditional
updates, exactly one wins per version. (MongoDB gives both by itself; litemongo needs
tenancy.stores.write_lock, without which 3 processes racing 300 inserts won 307 times.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from orgservice.testing import ROOT, service_env
from tenancy import orgs
from tenancy.documents import new_id, utcnow
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

PROCESSES = 3
KEYS = 300

_RACER = """
import os, sys, time
from pathlib import Path
from tenancy.signals import Taken
from tenancy import orgs
barrier, org_id, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
orgs.get(org_id)
(barrier / str(os.getpid())).touch()
deadline = time.time() + 120
while len(list(barrier.iterdir())) < {processes} and time.time() < deadline:
    pass
late = time.time() >= deadline
wins = 0
for i in range({keys}):
    if mode == "claims":
        try:
            orgs.claim_slug(f"slug-{{i}}", org_id)
            wins += 1
        except Taken:
            pass
    else:
        current = orgs.get(org_id)
        if orgs.transition(org_id, version=current.version, changes={{"name": "x"}}):
            wins += 1
print(-1 if late else wins)
"""


def _race(data_dir, org_id: str, mode: str) -> list[int]:
    barrier = data_dir / f"barrier-{mode}"
    barrier.mkdir()
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'orgservice.settings');"
        " django.setup()\n" + _RACER.format(keys=KEYS, processes=PROCESSES)
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(barrier), org_id, mode],
            cwd=ROOT,
            env=service_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    reset_clients()
    wins = [int(out.strip()) for out, _ in results]
    assert -1 not in wins, "a racer started late: the processes did not race"
    return wins


def _org() -> str:
    oid = new_id()
    now = utcnow()
    orgs.insert(
        {
            "_id": oid,
            "name": "Race",
            "slug": "race-org",
            "collection": "org_race-org",
            "status": "active",
            "pending": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    )
    return str(oid)


def test_racing_processes_claim_each_slug_exactly_once(disk):
    wins = _race(disk, _org(), "claims")
    assert sum(wins) == KEYS
    assert len(orgs.claims()) == KEYS


def test_racing_conditional_updates_win_once_per_version(disk):
    org_id = _org()
    wins = _race(disk, org_id, "transitions")
    assert orgs.get(org_id).version == 1 + sum(wins)

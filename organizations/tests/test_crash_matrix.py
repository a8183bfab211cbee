"""Crash matrix: each operation is killed (os._exit) at every failpoint in a real subprocess
on litemongo on disk, then reconcile runs, and DESIGN.md's invariants must hold.

Expected outcomes (operation × step → outcome) are part of the contract, listed in OUTCOMES.
"""

from __future__ import annotations

import pytest

from accounts import services as accounts
from conftest import PASSWORD
from orgservice import failpoints
from orgservice.testing import manage
from organizations.services import organization_create
from organizations.tests.invariants import assert_consistent, checksum
from tenancy import lifecycle, orgs
from tenancy.client import master_db, reset_clients

pytestmark = pytest.mark.slow

EMAIL = "boss@acme.example"
RECORDS = 300

# What reconcile makes of an operation killed right after each step.
OUTCOMES = {
    "create.slug_claimed": "absent",
    "create.org_inserted": "absent",
    "create.admin_inserted": "created",
    "create.collection_created": "created",
    "create.org_activated": "created",
    "rename.slug_claimed": "old",
    "rename.intent_recorded": "new",
    "rename.collection_renamed": "new",
    "rename.metadata_updated": "new",
    "rename.old_slug_released": "new",
    "delete.intent_recorded": "deleted",
    "delete.admins_removed": "deleted",
    "delete.collection_dropped": "deleted",
    "delete.org_removed": "deleted",
    "delete.slugs_released": "deleted",
}


def test_every_failpoint_has_an_expected_outcome():
    assert set(OUTCOMES) == set(failpoints.NAMES)


def _killed_at(data_dir, failpoint: str, *args: str) -> None:
    result = manage(data_dir, *args, ORGSERVICE_FAILPOINTS=failpoint)
    assert result.returncode == failpoints.EXIT_CODE, result.stderr


def _reconcile(data_dir) -> str:
    result = manage(data_dir, "reconcile_orgs", "--grace", "0")
    assert result.returncode == 0, result.stderr
    reset_clients()  # re-read what the other processes wrote
    return result.stdout


def _seed() -> tuple[int, str]:
    org = organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
    master_db()[org.collection].insert_many([{"n": i, "tag": f"r{i}"} for i in range(RECORDS)])
    return checksum(org.collection)


def _can_log_in() -> bool:
    return bool(accounts.login(email=EMAIL, password=PASSWORD).access_token)


@pytest.mark.parametrize("failpoint", [n for n in failpoints.NAMES if n.startswith("create.")])
def test_interrupted_create_is_finished_or_rolled_back(disk, failpoint):
    _killed_at(disk, failpoint, "create_org", "Acme Corp", "--email", EMAIL, "--password", PASSWORD)
    _reconcile(disk)
    assert_consistent()
    org = orgs.get_by_slug("acme-corp")
    if OUTCOMES[failpoint] == "created":
        assert org is not None and org.is_active and lifecycle.exists(org.collection)
        assert _can_log_in()
    else:
        assert org is None and orgs.count() == 0
        organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
        assert_consistent()
    assert "Nothing to do." in _reconcile(disk)


@pytest.mark.parametrize("failpoint", [n for n in failpoints.NAMES if n.startswith("rename.")])
def test_interrupted_rename_loses_nothing_and_lands_wholly_old_or_new(disk, failpoint):
    before = _seed()
    _killed_at(disk, failpoint, "rename_org", "Acme Corp", "Acme Two")
    _reconcile(disk)
    assert_consistent()
    (org,) = orgs.all_orgs()
    expected = {"old": ("acme-corp", "Acme Corp"), "new": ("acme-two", "Acme Two")}
    assert (org.slug, org.name) == expected[OUTCOMES[failpoint]]
    assert org.collection == f"org_{org.slug}"
    assert checksum(org.collection) == before
    assert _can_log_in()
    assert "Nothing to do." in _reconcile(disk)


@pytest.mark.parametrize("failpoint", [n for n in failpoints.NAMES if n.startswith("delete.")])
def test_interrupted_delete_ends_fully_done_and_a_new_org_starts_empty(disk, failpoint):
    _seed()
    _killed_at(disk, failpoint, "drop_org", "Acme Corp", "--no-input")
    _reconcile(disk)
    assert_consistent()
    assert orgs.count() == 0
    org = organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
    assert lifecycle.count(org.collection) == 0
    assert_consistent()


def test_concurrent_reconciles_agree(disk):
    import subprocess
    import sys

    from orgservice.testing import ROOT, service_env

    before = _seed()
    _killed_at(disk, "rename.intent_recorded", "rename_org", "Acme Corp", "Acme Two")
    procs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "reconcile_orgs", "--grace", "0"],
            cwd=ROOT, env=service_env(disk), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()[-3000:]) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    reset_clients()
    assert_consistent()
    (org,) = orgs.all_orgs()
    assert org.slug == "acme-two" and checksum(org.collection) == before

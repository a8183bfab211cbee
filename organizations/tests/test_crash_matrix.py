"""Crash matrix: each operation is killed (os._exit) at every failpoint in a real subprocess
on litemongo on disk, then reconcile runs, and DESIGN.md's invariants must hold; for every
placement of the org's records (a failpoint listed in ONLY_FOR exists in some placements only).

Expected outcomes (operation × step → outcome) are part of the contract, listed in OUTCOMES.
Standing changes (suspend, resume, soft_delete, restore) move no record: they run here on the
collection placement only, as does purge (the in-process matrices run both on every placement
and both backends). A purge killed at each step of its delete is finished by
the next purge_orgs, without reconcile.
"""

from __future__ import annotations

import pytest

from accounts import services as accounts
from conftest import PASSWORD
from kernel import failpoints
from organizations.orgs.services import organization_create, organization_delete
from organizations.orgs.suspension import organization_suspend
from organizations.tests.invariants import assert_consistent, checksum
from organizations.tests.steps import expire
from orgservice.testing import manage
from tenancy import audit, orgs, placement, purge_journal
from tenancy.record_store import for_principal
from tenancy.stores.client import reset_clients

pytestmark = pytest.mark.slow

EMAIL = "boss@acme.example"
RECORDS = 30
BATCH = "10"  # ORG_BATCH_SIZE of the killed commands: batch failpoints fire mid-way
PLACEMENTS = placement.PLACEMENTS
# A move goes to the next placement: collection -> shared -> database -> collection.
MOVE_TO = dict(zip(PLACEMENTS, PLACEMENTS[1:] + PLACEMENTS[:1], strict=True))
ONLY_FOR = {"delete.batch_removed": ("shared",)}

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
    "delete.batch_removed": "deleted",
    "delete.collection_dropped": "deleted",
    "delete.org_removed": "deleted",
    "delete.slugs_released": "deleted",
    "move.intent_recorded": "moved",
    "move.batch_copied": "moved",
    "move.copied": "moved",
    "move.verified": "moved",
    "move.switched": "moved",
    "move.source_removed": "moved",
    # Standing changes are finished forward from their first step: the status they set.
    "suspend.status_set": "suspended",
    "suspend.audited": "suspended",
    "suspend.settled": "suspended",
    "resume.status_set": "active",
    "resume.audited": "active",
    "resume.settled": "active",
    "soft_delete.status_set": "deleted",
    "soft_delete.audited": "deleted",
    "soft_delete.settled": "deleted",
    "restore.status_set": "active",
    "restore.audited": "active",
    "restore.settled": "active",
}


def test_every_failpoint_has_an_expected_outcome():
    assert set(OUTCOMES) == set(failpoints.NAMES)


def _cases(operation: str) -> list[tuple[str, str]]:
    """(failpoint, placement) for every failpoint of ``operation`` where it exists."""
    return [
        (name, where)
        for name in failpoints.NAMES
        if name.startswith(f"{operation}.")
        for where in ONLY_FOR.get(name, PLACEMENTS)
    ]


def _killed_at(data_dir, failpoint: str, *args: str, **env: str) -> None:
    result = manage(data_dir, *args, ORGSERVICE_FAILPOINTS=failpoint, ORG_BATCH_SIZE=BATCH, **env)
    assert result.returncode == failpoints.EXIT_CODE, result.stderr


def _reconcile(data_dir) -> str:
    result = manage(data_dir, "reconcile_orgs", "--grace", "0")
    assert result.returncode == 0, result.stderr
    reset_clients()  # re-read what the other processes wrote
    return result.stdout


def _seed(where: str = "collection") -> tuple[int, str]:
    org = organization_create(
        name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
    )
    records = for_principal(type("Admin", (), {"org_id": org.id})())
    records.insert_many([{"n": i, "tag": f"r{i}"} for i in range(RECORDS)])
    return checksum(org)


def _can_log_in() -> bool:
    return bool(accounts.login(email=EMAIL, password=PASSWORD).access_token)


@pytest.mark.parametrize(("failpoint", "where"), _cases("create"))
def test_interrupted_create_is_finished_or_rolled_back(disk, failpoint, where):
    _killed_at(
        disk,
        failpoint,
        "create_org",
        "Acme Corp",
        "--email",
        EMAIL,
        "--password",
        PASSWORD,
        "--placement",
        where,
    )
    _reconcile(disk)
    assert_consistent()
    org = orgs.get_by_slug("acme-corp")
    if OUTCOMES[failpoint] == "created":
        assert org is not None and org.is_active and org.placement == where
        assert placement.exists(placement.of(org))
        assert _can_log_in()
    else:
        assert org is None and orgs.count() == 0
        organization_create(name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD)
        assert_consistent()
    assert "Nothing to do." in _reconcile(disk)


@pytest.mark.parametrize(("failpoint", "where"), _cases("rename"))
def test_interrupted_rename_loses_nothing_and_lands_wholly_old_or_new(disk, failpoint, where):
    before = _seed(where)
    _killed_at(disk, failpoint, "rename_org", "Acme Corp", "Acme Two")
    _reconcile(disk)
    assert_consistent()
    (org,) = orgs.all_orgs()
    expected = {"old": ("acme-corp", "Acme Corp"), "new": ("acme-two", "Acme Two")}
    assert (org.slug, org.name, org.placement) == (*expected[OUTCOMES[failpoint]], where)
    if where == "collection":
        assert org.collection == f"org_{org.slug}"
    assert checksum(org) == before
    assert _can_log_in()
    assert "Nothing to do." in _reconcile(disk)


@pytest.mark.parametrize(("failpoint", "where"), _cases("delete"))
def test_interrupted_delete_ends_fully_done_and_a_new_org_starts_empty(disk, failpoint, where):
    _seed(where)
    _killed_at(disk, failpoint, "drop_org", "Acme Corp", "--no-input")
    _reconcile(disk)
    assert_consistent()
    assert orgs.count() == 0
    org = organization_create(
        name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
    )
    assert placement.count(placement.of(org)) == 0
    assert_consistent()


@pytest.mark.parametrize(("failpoint", "where"), _cases("move"))
def test_interrupted_move_is_rolled_forward_with_every_record(disk, failpoint, where):
    before = _seed(where)
    _killed_at(disk, failpoint, "move_org", "Acme Corp", "--to", MOVE_TO[where])
    assert "move finished" in _reconcile(disk)
    assert_consistent()
    (org,) = orgs.all_orgs()
    assert OUTCOMES[failpoint] == "moved" and org.placement == MOVE_TO[where]
    assert checksum(org) == before
    assert _can_log_in()
    assert "Nothing to do." in _reconcile(disk)


def test_concurrent_reconciles_agree(disk):
    import subprocess
    import sys

    from orgservice.testing import ROOT, service_env

    before = _seed()
    _killed_at(disk, "rename.intent_recorded", "rename_org", "Acme Corp", "Acme Two")
    procs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "reconcile_orgs", "--grace", "0"],
            cwd=ROOT,
            env=service_env(disk),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()[-3000:]) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    reset_clients()
    assert_consistent()
    (org,) = orgs.all_orgs()
    assert org.slug == "acme-two" and checksum(org) == before


STANDING_COMMANDS = {
    "suspend": ("suspend_org", "Acme Corp", "--reason", "Unpaid invoices"),
    "resume": ("resume_org", "Acme Corp"),
    "soft_delete": ("drop_org", "Acme Corp", "--no-input"),
    "restore": ("restore_org", "Acme Corp"),
}
STANDING_EVENTS = {"suspend": "org_suspended", "resume": "org_resumed"}
STANDING_EVENTS |= {"soft_delete": "org_deleted", "restore": "org_restored"}
RETENTION = {"ORG_DELETE_RETENTION": "1h"}


def _standing_cases() -> list[str]:
    """Each step that leaves an intent to recover (after ``settled`` there is none; the
    in-process matrices cover it)."""
    steps = [name for op in STANDING_COMMANDS for name, _ in _cases(op) if _ == "collection"]
    return [name for name in steps if not name.endswith(".settled")]


@pytest.mark.parametrize("failpoint", _standing_cases())
def test_interrupted_standing_change_is_finished_forward(disk, settings, failpoint):
    op = failpoint.split(".")[0]
    settings.ORG_DELETE_RETENTION = 3600
    before = _seed()
    org = orgs.get_by_slug("acme-corp")
    if op == "resume":
        organization_suspend(org_id=org.id, reason="Unpaid invoices", actor="test")
    if op == "restore":
        organization_delete(org_id=org.id)
    _killed_at(disk, failpoint, *STANDING_COMMANDS[op], **RETENTION)
    assert f"{op} finished" in _reconcile(disk)
    assert_consistent()
    (org,) = orgs.all_orgs()
    assert (org.status, org.pending) == (OUTCOMES[failpoint], None)
    assert checksum(org) == before
    assert [e["event"] for e in audit.recent(org_id=org.id)].count(STANDING_EVENTS[op]) == 1
    if org.status == "active":
        assert _can_log_in()
    assert "Nothing to do." in _reconcile(disk)


@pytest.mark.parametrize(
    ("failpoint", "where"), [c for c in _cases("delete") if c[1] == "collection"]
)
def test_interrupted_purge_is_finished_by_the_next_purge(disk, settings, failpoint, where):
    settings.ORG_DELETE_RETENTION = 3600
    _seed(where)
    org = orgs.get_by_slug("acme-corp")
    organization_delete(org_id=org.id)
    expire(orgs.get(org.id))
    _killed_at(disk, failpoint, "purge_orgs", "--no-input", **RETENTION)
    again = manage(disk, "purge_orgs", "--no-input", **RETENTION)
    assert again.returncode == 0 and "acme-corp: purged" in again.stdout, again.stderr
    reset_clients()
    assert orgs.count() == 0 and purge_journal.entries() == []
    assert_consistent()
    assert "Nothing to purge." in manage(disk, "purge_orgs", "--no-input", **RETENTION).stdout
    fresh = organization_create(
        name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
    )
    assert placement.count(placement.of(fresh)) == 0

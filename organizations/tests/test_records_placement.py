"""Placements: the shared collection's row-level scoping, metadata-only renames, batched and
resumable shared deletes, online moves between placements, the placement of new orgs."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.principal import MemberPrincipal
from kernel.errors import InvalidInput
from organizations.orgs import services
from organizations.orgs.reconcile import reconcile
from organizations.tests.invariants import assert_consistent, checksum, stored
from tenancy import orgs, placement
from tenancy.documents import object_id
from tenancy.record_store import for_principal
from tenancy.scoped import ScopedCollection
from tenancy.stores.client import master_db

PLACEMENTS = ["collection", "shared", "database"]


class Crash(Exception):
    """Stands in for the process dying at a failpoint (the subprocess matrix does it for real)."""


def _records(org):
    return for_principal(MemberPrincipal(member_id="", org_id=org.id, email=""))


def _crash_at(monkeypatch, name: str) -> None:
    def hit(step: str) -> None:
        if step == name:
            raise Crash(step)

    monkeypatch.setattr("kernel.failpoints.hit", hit)


class _Recorder:
    """Stands between the scoped wrapper and the real collection, noting every call."""

    def __init__(self, collection, calls: list):
        self._collection, self._calls = collection, calls

    def __getattr__(self, name):
        method = getattr(self._collection, name)
        if not callable(method):
            return method

        def record(*args, **kwargs):
            self._calls.append((name, args))
            return method(*args, **kwargs)

        return record


def test_no_query_of_the_shared_handle_can_leave_its_org(make_org, monkeypatch, authed):
    org, email, _ = make_org("Alpha Org", placement="shared")
    other, _, _ = make_org("Bravo Org", placement="shared")
    _records(other).insert_many([{"theirs": i} for i in range(3)])
    calls: list = []
    real = placement.open_records

    def recorded(where):
        scoped = real(where)
        scoped._collection = _Recorder(scoped._collection, calls)
        return scoped

    monkeypatch.setattr(placement, "open_records", recorded)
    monkeypatch.setattr("tenancy.record_store.open_records", recorded)
    monkeypatch.setattr("tenancy.record_copy.open_records", recorded)
    handle = _records(org)
    first, second = handle.insert_many([{"k": "a"}, {"k": "b"}])
    handle.get(first.id)
    handle.page(before=second.id, limit=5, filters={"k": ["a"], "org_id": ["x"]})
    handle.replace(first.id, {"k": "c"})
    handle.replace(first.id, {"k": "d"}, rev=2)
    handle.delete(second.id)
    list(handle.iter_all(batch=1))
    client = authed(email)
    client.get("/api/v1/orgs/alpha-org/records/?k=d")
    b"".join(client.get("/api/v1/orgs/alpha-org/export/").streaming_content)
    services.organization_delete(org_id=org.id)

    mine = object_id(org.id)
    assert len(calls) > 10
    for name, args in calls:
        query, *rest = args
        documents = query if name == "insert_many" else [query]
        if name in ("replace_one", "insert_one"):
            documents = [query, rest[0]]
        assert all(d["org_id"] == mine for d in documents), (name, args)
    assert [r.data for r in _records(other).iter_all()] == [{"theirs": i} for i in range(3)]


def test_the_scoped_collection_overrides_a_callers_org_id_and_refuses_to_change_it():
    theirs, mine = object_id("0" * 24), object_id("1" * 24)
    raw = master_db()["scoped_probe"]
    raw.insert_many([{"_id": 1, "org_id": theirs}, {"_id": 2, "org_id": mine}])
    scoped = ScopedCollection(raw, mine)
    assert [d["_id"] for d in scoped.find({"org_id": theirs})] == [2]
    assert scoped.count_documents({"$or": [{"_id": 1}, {"_id": 2}]}) == 1
    assert scoped.delete_many({}).deleted_count == 1
    with pytest.raises(ValueError):
        scoped.find_one_and_update({"_id": 1}, {"$set": {"org_id": mine}})
    scoped.insert_one({"_id": 3, "org_id": theirs})
    assert raw.find_one({"_id": 3})["org_id"] == mine


def test_two_shared_orgs_never_reach_each_others_records(make_org):
    alpha, _, _ = make_org("Alpha Org", placement="shared")
    bravo, _, _ = make_org("Bravo Org", placement="shared")
    (a_record,) = _records(alpha).insert_many([{"secret": "alpha"}])
    _records(bravo).insert_many([{"n": i} for i in range(5)])
    b = _records(bravo)
    assert b.get(a_record.id) is None
    assert b.replace(a_record.id, {"stolen": True}) is None
    assert b.delete(a_record.id) is False
    assert b.count() == 5 and len(b.page(before=None, limit=100, filters={})) == 5
    assert all("secret" not in r.data for r in b.iter_all())
    services.organization_delete(org_id=bravo.id)
    assert [r.data for r in _records(alpha).iter_all()] == [{"secret": "alpha"}]
    assert master_db()[placement.SHARED_COLLECTION].count_documents({}) == 1


@pytest.mark.parametrize("where", ["shared", "database"])
def test_rename_outside_the_collection_placement_changes_metadata_only(make_org, where):
    org, _, _ = make_org("Acme Corp", placement=where)
    _records(org).insert_many([{"i": i} for i in range(20)])
    before = checksum(org)
    renamed = services.organization_rename(org_id=org.id, new_name="Acme Two")
    assert (renamed.slug, renamed.placement) == ("acme-two", where)
    assert placement.of(renamed) == placement.of(org)
    assert checksum(renamed) == before
    if where == "database":
        assert renamed.database == f"orgdb_{org.id}"
    assert_consistent()


def test_an_org_stored_before_placements_is_a_collection_org(make_org):
    org, _, _ = make_org("Acme Corp")
    master_db()["organizations"].update_one({"slug": "acme-corp"}, {"$unset": {"placement": 1}})
    legacy = orgs.get(org.id)
    assert legacy.placement == "collection"
    _records(legacy).insert_many([{"old": True}])
    assert master_db()["org_acme-corp"].count_documents({}) == 1


def test_new_orgs_take_the_configured_placement_and_staff_can_choose(make_org, settings):
    settings.ORG_PLACEMENT = "shared"
    assert make_org("Alpha Org")[0].placement == "shared"
    assert make_org("Bravo Org", placement="database")[0].database.startswith("orgdb_")
    out = StringIO()
    call_command(
        "create_org",
        "Charlie Org",
        "--email",
        "c@charlie.example",
        "--password",
        "Correct-Horse-9-Battery",
        "--placement",
        "database",
        stdout=out,
    )
    assert orgs.get_by_slug("charlie-org").placement == "database"
    with pytest.raises(InvalidInput):
        make_org("Delta Org", placement="cloud")
    assert orgs.get_by_slug("delta-org") is None


def test_a_shared_delete_interrupted_between_batches_is_finished_by_reconcile(
    backend, make_org, monkeypatch, settings
):
    settings.ORG_BATCH_SIZE = 7
    org, _, _ = make_org("Acme Corp", placement="shared")
    keep, _, _ = make_org("Keep Corp", placement="shared")
    _records(org).insert_many([{"i": i} for i in range(30)])
    _records(keep).insert_many([{"i": i} for i in range(3)])
    _crash_at(monkeypatch, "delete.batch_removed")
    with pytest.raises(Crash):
        services.organization_delete(org_id=org.id)
    assert len(stored(org)) == 23
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)
    assert reconcile(grace_seconds=0).operations == {"acme-corp": "delete finished"}
    assert stored(org) == [] and len(stored(keep)) == 3
    assert_consistent()


PAIRS = [(a, b) for a in PLACEMENTS for b in PLACEMENTS if a != b]


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_a_move_carries_every_record_and_removes_the_source(backend, make_org, source, target):
    org, _, _ = make_org("Acme Corp", placement=source)
    _records(org).insert_many([{"i": i, "deep": {"l": [i]}} for i in range(120)])
    before = checksum(org)
    done = services.organization_move(org_id=org.id, to=target)
    assert (done.placement, done.status, done.pending) == (target, "active", None)
    assert checksum(done) == before
    assert stored(org) == []
    (added,) = _records(done).insert_many([{"after": True}])
    assert _records(done).get(added.id).data == {"after": True}
    assert_consistent()


def test_record_writes_during_a_move_are_409_and_reads_still_answer(make_org, authed, monkeypatch):
    org, email, _ = make_org("Acme Corp")
    client = authed(email)
    created = client.post("/api/v1/orgs/acme-corp/records/", {"a": 1}, format="json").json()
    _crash_at(monkeypatch, "move.copied")
    with pytest.raises(Crash):
        services.organization_move(org_id=org.id, to="shared")
    response = client.post("/api/v1/orgs/acme-corp/records/", {"a": 2}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "org_busy")
    assert client.get(f"/api/v1/orgs/acme-corp/records/{created['id']}/").json() == created


def test_a_write_that_raced_the_moves_intent_is_not_lost(make_org, monkeypatch):
    org, _, _ = make_org("Acme Corp")
    stale = _records(org)  # checked the org active before the move started
    written = []

    def hit(step: str) -> None:
        if step == "move.copied" and not written:
            written.extend(stale.insert_many([{"late": True}]))

    monkeypatch.setattr("kernel.failpoints.hit", hit)
    done = services.organization_move(org_id=org.id, to="database")
    assert _records(done).get(written[0].id).data == {"late": True}
    assert_consistent()


def test_a_move_interrupted_at_any_step_is_rolled_forward_by_reconcile(make_org, monkeypatch):
    org, _, _ = make_org("Acme Corp", placement="shared")
    _records(org).insert_many([{"i": i} for i in range(10)])
    before = checksum(org)
    _crash_at(monkeypatch, "move.batch_copied")
    with pytest.raises(Crash):
        services.organization_move(org_id=org.id, to="collection")
    monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)
    assert reconcile(grace_seconds=0).operations == {"acme-corp": "move finished"}
    assert reconcile(grace_seconds=0).changed is False
    moved = orgs.get(org.id)
    assert moved.placement == "collection" and checksum(moved) == before
    assert_consistent()


def test_move_org_command_reports_progress_and_the_new_placement(make_org):
    org, _, _ = make_org("Acme Corp")
    _records(org).insert_many([{"i": i} for i in range(30)])
    out = StringIO()
    call_command("move_org", "Acme Corp", "--to", "shared", stdout=out)
    assert "copying records: 30/30 (100%)" in out.getvalue()
    assert "now in placement shared" in out.getvalue()
    assert orgs.get(org.id).placement == "shared"


def test_reconcile_removes_orphan_databases_and_orphan_shared_records(make_org):
    org, _, _ = make_org("Acme Corp", placement="shared")
    _records(org).insert_many([{"i": 1}])
    ghost = "f" * 24
    placement.create(placement.Location("database", "records", f"orgdb_{ghost}"))
    placement.open_records(placement.Location("database", "records", f"orgdb_{ghost}")).insert_one(
        {"x": 1}
    )
    master_db()[placement.SHARED_COLLECTION].insert_one({"org_id": object_id(ghost), "x": 1})
    report = reconcile(grace_seconds=0)
    assert report.dropped_databases == [f"orgdb_{ghost}"]
    assert report.removed_shared_of == [ghost]
    assert len(stored(org)) == 1
    assert_consistent()

"""The per-tenant records handle: scoped to the principal's org, and no write lost to a rename.

The race tests run a rename (or delete) inside the handle's pre-write check, so the write that
follows goes to a collection the org no longer uses. On MongoDB that write re-creates the old
collection; the embedded backends behave the same way here.
"""

from dataclasses import dataclass

import pytest

from tenancy import collection_ops, orgs
from tenancy.documents import ACTIVE, DELETING, RENAMING, new_id, utcnow
from tenancy.record_store import TenantRecords, for_principal
from tenancy.signals import OrgGone, OrgNotActive
from tenancy.stores.client import master_db


@dataclass(frozen=True)
class Principal:
    org_id: str


def _org(slug: str, collection: str | None = None):
    now = utcnow()
    org = orgs.insert(
        {
            "_id": new_id(),
            "name": slug,
            "slug": slug,
            "collection": collection or f"org_{slug}",
            "status": ACTIVE,
            "pending": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    )
    collection_ops.create(org.collection)
    return org


def _rename_now(org_id: str, slug: str) -> None:
    """What a rename does, all at once: collection moved, metadata updated."""
    org = orgs.get(org_id)
    collection_ops.rename(org.collection, f"org_{slug}")
    orgs.transition(
        org.id, version=org.version, changes={"slug": slug, "collection": f"org_{slug}"}
    )


def _during_check(monkeypatch, action) -> None:
    """Run ``action`` between the handle's pre-write check and its write."""
    check = TenantRecords._writable

    def racing(self):
        where = check(self)
        action()
        return where

    monkeypatch.setattr(TenantRecords, "_writable", racing)


def _ids(collection: str) -> set[str]:
    return {str(d["_id"]) for d in master_db()[collection].find({})}


def test_a_handle_comes_from_the_principals_org_and_sees_only_its_records():
    a, b = _org("alpha"), _org("bravo")
    a_records = for_principal(Principal(a.id))
    (mine,) = a_records.insert_many([{"owner": "a"}])
    for_principal(Principal(b.id)).insert_many([{"owner": "b"}])
    assert a_records.org.id == a.id
    assert [r.data for r in a_records.page(before=None, limit=10, filters={})] == [{"owner": "a"}]
    assert for_principal(Principal(b.id)).get(mine.id) is None
    assert for_principal(Principal(str(new_id()))) is None


def test_the_handle_uses_the_stored_collection_name_not_one_derived_from_the_slug():
    org = _org("alpha", collection="org_stored-elsewhere")
    for_principal(Principal(org.id)).insert_many([{"a": 1}])
    assert master_db()["org_stored-elsewhere"].count_documents({}) == 1
    assert not collection_ops.exists("org_alpha")


def test_ids_are_strings_and_a_malformed_id_finds_nothing():
    records = for_principal(Principal(_org("alpha").id))
    (record,) = records.insert_many([{"a": 1}])
    assert isinstance(record.id, str) and records.get(record.id) == record
    for bad in ("", "xyz", "0" * 25, "g" * 24):
        assert records.get(bad) is None
        assert records.replace(bad, {"b": 2}) is None
        assert records.delete(bad) is False


def test_a_write_racing_a_rename_lands_in_the_new_collection(backend, monkeypatch):
    org = _org("alpha")
    records = for_principal(Principal(org.id))
    _during_check(monkeypatch, lambda: _rename_now(org.id, "alpha-two"))
    created = records.insert_many([{"i": i} for i in range(5)])
    assert _ids("org_alpha-two") == {r.id for r in created}
    assert _ids("org_alpha") == set()


def test_replace_and_delete_racing_a_rename_apply_to_the_moved_record(backend, monkeypatch):
    org = _org("alpha")
    first, second = for_principal(Principal(org.id)).insert_many([{"v": 1}, {"v": 2}])
    records = for_principal(Principal(org.id))
    _during_check(monkeypatch, lambda: _rename_now(org.id, "alpha-two"))
    assert records.replace(first.id, {"v": 10}).data == {"v": 10}
    monkeypatch.undo()
    records = for_principal(Principal(org.id))
    _during_check(monkeypatch, lambda: _rename_now(org.id, "alpha-three"))
    assert records.delete(second.id) is True
    docs = list(master_db()["org_alpha-three"].find({}))
    assert [(str(d["_id"]), d["data"]) for d in docs] == [(first.id, {"v": 10})]
    assert _ids("org_alpha") == _ids("org_alpha-two") == set()


def test_a_write_after_the_rename_moved_the_collection_but_before_metadata_follows_it(
    backend, monkeypatch
):
    org = _org("alpha")
    records = for_principal(Principal(org.id))

    def rename_collection_only():
        pending = {
            "op": "rename",
            "from_collection": "org_alpha",
            "to_collection": "org_beta",
            "from_slug": "alpha",
            "to_slug": "beta",
            "to_name": "beta",
            "started_at": utcnow(),
        }
        orgs.transition(
            org.id, version=org.version, changes={"status": RENAMING, "pending": pending}
        )
        collection_ops.rename("org_alpha", "org_beta")

    _during_check(monkeypatch, rename_collection_only)
    (record,) = records.insert_many([{"late": True}])
    assert _ids("org_beta") == {record.id}
    assert _ids("org_alpha") == set()


def test_a_write_racing_a_delete_is_removed_again_and_reported_gone(backend, monkeypatch):
    org = _org("alpha")
    records = for_principal(Principal(org.id))

    def delete_org():
        collection_ops.drop("org_alpha")
        orgs.delete(org.id)

    _during_check(monkeypatch, delete_org)
    with pytest.raises(OrgGone):
        records.insert_many([{"orphan": True}])
    assert _ids("org_alpha") == set()


def test_writes_to_an_org_with_an_operation_in_flight_are_refused_as_not_active():
    org = _org("alpha")
    orgs.transition(org.id, version=org.version, changes={"status": DELETING})
    records = for_principal(Principal(org.id))
    with pytest.raises(OrgNotActive):
        records.insert_many([{"a": 1}])
    assert master_db()["org_alpha"].count_documents({}) == 0


def test_iter_all_reads_in_batches_oldest_first(backend):
    # What an export does when the org changes meanwhile is organizations.orgs.orgstate's concern
    # (organizations/tests/test_orgstate.py: the stream is cut, never ended short).
    org = _org("alpha")
    records = for_principal(Principal(org.id))
    created = records.insert_many([{"i": i} for i in range(10)])
    assert [r.id for r in records.iter_all(batch=3)] == [r.id for r in created]

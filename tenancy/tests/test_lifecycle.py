"""Tenant collection operations are idempotent and never lose a document."""

from tenancy import collection_ops
from tenancy.stores.client import master_db


def _fill(name: str, ids: range) -> None:
    master_db()[name].insert_many([{"_id": i, "v": i} for i in ids])


def test_rename_moves_every_document(backend):
    _fill("org_old", range(50))
    collection_ops.rename("org_old", "org_new")
    assert not collection_ops.exists("org_old")
    assert sorted(d["_id"] for d in master_db()["org_new"].find()) == list(range(50))


def test_rename_repeated_after_completion_changes_nothing(backend):
    _fill("org_old", range(5))
    collection_ops.rename("org_old", "org_new")
    collection_ops.rename("org_old", "org_new")
    assert master_db()["org_new"].count_documents({}) == 5


def test_rename_with_both_collections_present_merges_instead_of_losing(backend):
    # litemongo renames by copy-then-drop; a crash between them leaves both populated, and a
    # record write racing a rename can re-create the source. MongoDB's rename is atomic.
    _fill("org_old", range(10))
    _fill("org_new", range(5, 15))
    collection_ops.rename("org_old", "org_new")
    assert not collection_ops.exists("org_old")
    assert master_db()["org_new"].count_documents({}) == 15


def test_drop_is_idempotent(backend):
    _fill("org_gone", range(3))
    collection_ops.drop("org_gone")
    collection_ops.drop("org_gone")
    assert "org_gone" not in collection_ops.tenant_collections()

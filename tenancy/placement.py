"""Where an org's records live: its own collection, the shared collection, or its own database.

| placement      | records in                                | rename           | delete          |
| -------------- | ----------------------------------------- | ---------------- | --------------- |
| ``collection`` | ``org_<slug>`` in the master database     | renameCollection | drop            |
| ``shared``     | ``tenant_records``, led by ``org_id``     | metadata only    | batched deletes |
| ``database``   | ``orgdb_<org id>.records``                | metadata only    | dropDatabase    |

Under ``shared`` every document carries ``org_id`` and every index is led by it.

A database cannot be renamed on MongoDB, so a ``database`` org's database is named by its id,
which never changes. An org stored before placements existed has no ``placement`` field and is a
``collection`` org. A ``Location`` is one org's records, wherever they are; ``open`` gives the
collection to query, scoped to the org under ``shared`` (tenancy.scoped), so every placement is
used through the same methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from django.conf import settings
from pymongo import ASCENDING
from pymongo.write_concern import WriteConcern

from tenancy import collection_ops
from tenancy.documents import Org, object_id
from tenancy.driver_errors import translate
from tenancy.names import collection_for
from tenancy.scoped import ScopedCollection
from tenancy.signals import PlacementNotEnabled, UnknownPlacement
from tenancy.stores import embedded
from tenancy.stores.client import engine, get_client, master_db
from tenancy.stores.scan import BATCH, scan

COLLECTION = "collection"
SHARED = "shared"
DATABASE = "database"
PLACEMENTS = (COLLECTION, SHARED, DATABASE)
SHARED_COLLECTION = "tenant_records"
DATABASE_PREFIX = "orgdb_"
DATABASE_COLLECTION = "records"
# Every index of the shared collection is led by org_id; this one also serves newest-first pages.
SHARED_INDEX = ([("org_id", ASCENDING), ("_id", ASCENDING)], {"unique": True, "name": "org_id_id"})


@dataclass(frozen=True)
class Location:
    """One org's records: a collection in the master database or in ``database``; under
    ``shared`` only the documents of ``org_id``."""

    placement: str
    collection: str
    database: str | None = None
    org_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> Location:
        return cls(**{k: raw.get(k) for k in ("placement", "collection", "database", "org_id")})


def enabled() -> tuple[str, ...]:
    """The placements orgs may use (settings.ORG_PLACEMENTS); the MongoDB user needs the
    privileges of each (tenancy.privileges)."""
    return tuple(p for p in PLACEMENTS if p in settings.ORG_PLACEMENTS)


def check(value: object) -> str:
    """A valid, enabled placement name; raises UnknownPlacement or PlacementNotEnabled."""
    if value not in PLACEMENTS:
        raise UnknownPlacement(value, PLACEMENTS)
    if value not in enabled():
        raise PlacementNotEnabled(str(value), enabled())
    return str(value)


def default() -> str:
    """The placement of new orgs (settings.ORG_PLACEMENT)."""
    return check(settings.ORG_PLACEMENT)


def fields_for(placement: str, *, org_id: str, slug: str) -> dict[str, str | None]:
    """The org document's ``placement``, ``collection`` and ``database`` for a placement."""
    if placement == SHARED:
        return {"placement": SHARED, "collection": SHARED_COLLECTION, "database": None}
    if placement == DATABASE:
        return {
            "placement": DATABASE,
            "collection": DATABASE_COLLECTION,
            "database": DATABASE_PREFIX + org_id,
        }
    return {"placement": COLLECTION, "collection": collection_for(slug), "database": None}


def location(fields: dict, org_id: str) -> Location:
    """The Location described by an org document's placement fields."""
    placement = fields.get("placement") or COLLECTION
    scope = org_id if placement == SHARED else None
    return Location(placement, fields["collection"], fields.get("database"), scope)


def of(org: Org) -> Location:
    """Where the org's records are, according to its metadata."""
    return location(
        {"placement": org.placement, "collection": org.collection, "database": org.database},
        org.id,
    )


def database(name: str | None):
    """The master database (``None``) or a per-org database."""
    if name is None:
        return master_db()
    db = get_client()[name]
    if engine() == "mongodb":
        return db.with_options(write_concern=WriteConcern(w="majority"))
    return db


def open_records(where: Location):
    """The collection holding ``where``'s records, scoped to the org under ``shared``."""
    collection = database(where.database)[where.collection]
    if where.placement == SHARED:
        return ScopedCollection(collection, object_id(where.org_id))
    return collection


def stream(where: Location, *, batch: int = BATCH) -> Iterator[dict]:
    """Every stored document at ``where``, oldest first, in constant memory (tenancy.stores.scan):
    on litemongo one snapshot of the store instead of a full read per batch."""
    records = open_records(where)
    if isinstance(records, ScopedCollection):
        return records.scan(batch=batch)
    return scan(records, batch=batch)


def ensure_shared() -> None:
    """Create the shared collection's org-led index (idempotent)."""
    keys, options = SHARED_INDEX
    if engine() == "mongomock":
        # mongomock checks a unique compound index by scanning every document on each insert
        # (10,000 inserts take minutes); _id is unique anyway, so the tests lose nothing.
        options = {**options, "unique": False}
    with translate():
        master_db()[SHARED_COLLECTION].create_index(keys, **options)


def create(where: Location) -> None:
    """Make ``where`` ready to hold records (idempotent)."""
    if where.placement == SHARED:
        if not collection_ops.exists(SHARED_COLLECTION):
            ensure_shared()
        return
    collection_ops.create(where.collection, database(where.database))


def exists(where: Location) -> bool:
    if where.placement == SHARED:
        return True
    return collection_ops.exists(where.collection, database(where.database))


def remove(where: Location, *, batch: int, on_batch: Callable[[int], None] | None = None) -> None:
    """Remove every record of ``where`` (idempotent). Under ``shared`` in batches of ``batch``
    ids (bounded work per write, resumable after a crash); ``on_batch`` hears each count."""
    with translate():
        if where.placement == COLLECTION:
            master_db().drop_collection(where.collection)
        elif where.placement == DATABASE:
            get_client().drop_database(where.database)
        else:
            _remove_in_batches(open_records(where), batch, on_batch)


def _remove_in_batches(records, batch: int, on_batch: Callable[[int], None] | None) -> None:
    while True:
        ids = [d["_id"] for d in records.find({}, {"_id": 1}).sort("_id", ASCENDING).limit(batch)]
        if not ids:
            return
        records.delete_many({"_id": {"$in": ids}})
        if on_batch is not None:
            on_batch(len(ids))


def count(where: Location) -> int:
    with translate():
        return open_records(where).count_documents({})


def tenant_databases() -> set[str]:
    """Every ``orgdb_*`` database on the server."""
    with translate():
        client = get_client()
        mongodb = engine() == "mongodb"
        names = client.list_database_names() if mongodb else embedded.database_names(client)
        return {n for n in names if n.startswith(DATABASE_PREFIX)}


def shared_org_ids() -> set[str]:
    """The ids of every org with a document in the shared collection."""
    with translate():
        return {str(v) for v in master_db()[SHARED_COLLECTION].distinct("org_id")}


def remove_shared_of(org_id: str, *, batch: int) -> None:
    """Remove an org's documents from the shared collection (orphans after a failed move)."""
    remove(Location(SHARED, SHARED_COLLECTION, None, org_id), batch=batch)

"""The private parts of litemongo and mongomock that tenancy.stores relies on, pinned and listed.

tenancy.stores.embedded, embedded_threads, embedded_changes and write_lock adapt the embedded
backends through these names; tenancy/tests/test_store_internals.py checks every one of them
against the installed versions, so an upgrade that renames or drops one fails loudly there
instead of silently changing behaviour. Bump PINNED only together with requirements.txt.
"""

from __future__ import annotations

from importlib import import_module, metadata

PINNED = {"litemongo": "0.2.0", "mongomock": "4.3.0"}

# module -> class (or "" for the module itself) -> attributes read, wrapped or replaced.
CLASS_REACH: dict[str, dict[str, tuple[str, ...]]] = {
    "litemongo.sqlite_store": {
        "": ("sqlite3", "KEY_FORMAT_TYPED", "DatabaseStore", "CollectionStore"),
        "DatabaseStore": ("__getitem__", "create_collection", "rename"),
        "CollectionStore": ("open", "_get_query_index", "_iter_items"),
    },
    "litemongo._vendor.mongomock.collection": {
        "Cursor": ("__next__", "_compute_results", "distinct"),
        "Collection": ("_iter_documents", "rename", "drop", "insert_one", "bulk_write"),
    },
    "litemongo._vendor.mongomock.database": {
        "Database": ("__getitem__", "create_collection", "drop_collection", "rename_collection"),
    },
    "litemongo._vendor.mongomock.mongo_client": {"MongoClient": ("__getitem__",)},
    "litemongo._vendor.mongomock.indexing": {"": ("CollectionIndexes", "index_paths")},
    "litemongo._vendor.mongomock.filtering": {"": ("filter_applies",)},
    "litemongo._vendor.mongomock.helpers": {"": ("make_datetime_timezone_aware_in_document",)},
    "mongomock.collection": {"Cursor": ("__next__", "_compute_results")},
}

# Attributes of live objects (set in their constructors, so not visible on the classes).
INSTANCE_REACH: dict[str, tuple[str, ...]] = {
    "client._store": ("_databases", "_dirpath"),
    "database._store": ("_collections", "_dirpath", "_codec_options"),
    "collection._store": (
        "_path",
        "_documents",
        "_connection",
        "_is_force_created",
        "_query_index",
        "_data_version",
    ),
    "collection._store._documents": ("_decode_doc", "key_format"),
    "cursor": ("_skip", "_limit", "_emitted"),
}


def version_drift() -> list[str]:
    """Installed versions that differ from PINNED, as readable lines."""
    return [
        f"{name} {metadata.version(name)} installed, {pinned} pinned"
        for name, pinned in PINNED.items()
        if metadata.version(name) != pinned
    ]


def missing_class_attributes() -> list[str]:
    """Every name of CLASS_REACH the installed packages no longer have."""
    missing = []
    for module_name, classes in CLASS_REACH.items():
        module = import_module(module_name)
        for class_name, names in classes.items():
            owner = getattr(module, class_name) if class_name else module
            missing += [f"{module_name}.{class_name}.{n}" for n in names if not hasattr(owner, n)]
    return missing

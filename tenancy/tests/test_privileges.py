"""The privilege check against connectionStatus replies a MongoDB 7 server gives.

No MongoDB server runs here, so, as for shard_setup, the replies are recorded: the
``authInfo.authenticatedUserPrivileges`` of a user holding the README's roles, of users missing
one grant, of ``readWriteAnyDatabase`` and of ``root`` (each trimmed to the privileges that
matter; the server lists every action of every role the user holds).
"""

from __future__ import annotations

import pytest
from pymongo.errors import OperationFailure

from tenancy import privileges
from tenancy.placement import COLLECTION, DATABASE, PLACEMENTS, SHARED

MASTER = "orgservice_master"
MASTER_ACTIONS = [
    "createCollection", "createIndex", "find", "insert", "killCursors", "listCollections",
    "listIndexes", "remove", "update", "collStats",
]  # fmt: skip


def _status(privileges_: list[dict], roles: list[dict], user: str = "orgservice") -> dict:
    return {
        "authInfo": {
            "authenticatedUsers": [{"user": user, "db": "admin"}],
            "authenticatedUserRoles": roles,
            "authenticatedUserPrivileges": privileges_,
        },
        "ok": 1.0,
    }


README_ROLES = [{"role": "orgservice", "db": "admin"}, {"role": "orgservice_orgdb", "db": "admin"}]
# A user granted the README's roles for every placement.
ALL_GRANTED = _status(
    [
        {
            "resource": {"db": MASTER, "collection": ""},
            "actions": MASTER_ACTIONS + ["dropCollection", "renameCollectionSameDB"],
        },
        {
            "resource": {"db": "", "collection": "records"},
            "actions": [
                "collStats",
                "createCollection",
                "find",
                "insert",
                "killCursors",
                "remove",
                "update",
            ],  # fmt: skip
        },
        {"resource": {"db": "", "collection": ""}, "actions": ["dropDatabase", "listCollections"]},
        {"resource": {"cluster": True}, "actions": ["listDatabases"]},
    ],
    README_ROLES,
)
# The same without renameCollectionSameDB (as a hand-written role might forget it).
NO_RENAME = _status(
    [
        {
            "resource": {"db": MASTER, "collection": ""},
            "actions": MASTER_ACTIONS + ["dropCollection"],
        },
        *ALL_GRANTED["authInfo"]["authenticatedUserPrivileges"][1:],
    ],
    README_ROLES,
)
# The README's old advice: readWrite on the master database only.
READ_WRITE_MASTER = _status(
    [
        {
            "resource": {"db": MASTER, "collection": ""},
            "actions": [
                "changeStream",
                "collStats",
                "compactStructuredEncryptionData",
                "convertToCapped",
                "createCollection",
                "createIndex",
                "dbHash",
                "dbStats",
                "dropCollection",
                "dropIndex",
                "find",
                "insert",
                "killCursors",
                "listCollections",
                "listIndexes",
                "listSearchIndexes",
                "planCacheRead",
                "remove",
                "renameCollectionSameDB",
                "update",
            ],  # fmt: skip
        },
        {"resource": {"db": MASTER, "collection": "system.js"}, "actions": ["find", "insert"]},
    ],
    [{"role": "readWrite", "db": MASTER}],
)
# readWriteAnyDatabase: readWrite on every database, and listDatabases; no dropDatabase.
READ_WRITE_ANY = _status(
    [
        {
            "resource": {"db": "", "collection": ""},
            "actions": READ_WRITE_MASTER["authInfo"]["authenticatedUserPrivileges"][0]["actions"],
        },
        {"resource": {"cluster": True}, "actions": ["listDatabases"]},
    ],
    [{"role": "readWriteAnyDatabase", "db": "admin"}],
)
ROOT = _status(
    [
        {
            "resource": {"db": "", "collection": ""},
            "actions": READ_WRITE_MASTER["authInfo"]["authenticatedUserPrivileges"][0]["actions"]
            + ["dropDatabase", "enableProfiler", "createRole", "grantRole"],
        },
        {"resource": {"cluster": True}, "actions": ["listDatabases", "shutdown", "addShard"]},
        {"resource": {"anyResource": True}, "actions": ["collStats", "validate"]},
    ],
    [{"role": "root", "db": "admin"}],
    user="admin",
)
NO_USER = {
    "authInfo": {
        "authenticatedUsers": [],
        "authenticatedUserRoles": [],
        "authenticatedUserPrivileges": [],
    },
    "ok": 1.0,
}
UNAUTHORIZED = {
    "ok": 0.0,
    "errmsg": "Command listCollections requires authentication",
    "code": 13,
    "codeName": "Unauthorized",
}
LIST_COLLECTIONS = {"cursor": {"id": 0, "ns": f"{MASTER}.$cmd.listCollections", "firstBatch": []}}


class Server:
    """A command callable answering from recorded replies, noting each command."""

    def __init__(self, replies: dict[str, dict]):
        self.replies, self.sent = replies, []

    def __call__(self, doc: dict) -> dict:
        self.sent.append(doc)
        reply = self.replies[next(iter(doc))]
        if not reply.get("ok", 1):
            raise OperationFailure(reply["errmsg"], code=reply["code"], details=reply)
        return reply


def _missing(status: dict, placements=PLACEMENTS) -> list[str]:
    return privileges.missing(Server({"connectionStatus": status}), placements, MASTER)


def test_the_readme_roles_grant_everything_every_placement_needs():
    server = Server({"connectionStatus": ALL_GRANTED})
    assert privileges.missing(server, PLACEMENTS, MASTER) == []
    assert server.sent == [{"connectionStatus": 1, "showPrivileges": True}]


def test_a_role_without_rename_lacks_it_for_the_collection_placement_only():
    assert _missing(NO_RENAME) == [f"renameCollectionSameDB on {MASTER}"]
    assert _missing(NO_RENAME, (SHARED, DATABASE)) == []


def test_readwrite_on_the_master_database_lacks_every_org_database_grant():
    assert _missing(READ_WRITE_MASTER, (COLLECTION, SHARED)) == []
    assert _missing(READ_WRITE_MASTER) == [
        "find on orgdb_*.records",
        "insert on orgdb_*.records",
        "update on orgdb_*.records",
        "remove on orgdb_*.records",
        "createCollection on orgdb_*.records",
        "killCursors on orgdb_*.records",
        "listCollections on orgdb_*",
        "dropDatabase on orgdb_*",
        "listDatabases on cluster",
    ]


def test_a_grant_on_one_existing_org_database_does_not_cover_the_next_org():
    one_org = [{"resource": {"db": "orgdb_65a1", "collection": ""}, "actions": ["find"]}]
    status = _status(READ_WRITE_MASTER["authInfo"]["authenticatedUserPrivileges"] + one_org, [])
    assert "find on orgdb_*.records" in _missing(status)


def test_read_write_any_database_lacks_only_drop_database_for_the_database_placement():
    assert _missing(READ_WRITE_ANY) == ["dropDatabase on orgdb_*"]
    assert _missing(READ_WRITE_ANY, (COLLECTION, SHARED)) == []


def test_root_lacks_nothing():
    assert _missing(ROOT) == []


def test_any_action_on_any_resource_lacks_nothing():
    system = _status([{"resource": {"anyResource": True}, "actions": ["anyAction"]}], [])
    assert _missing(system) == []


def test_a_grant_on_another_database_or_collection_does_not_count():
    other = _status(
        [
            {"resource": {"db": "otherapp", "collection": ""}, "actions": MASTER_ACTIONS},
            {"resource": {"db": MASTER, "collection": "admins"}, "actions": MASTER_ACTIONS},
        ],
        [],
    )
    assert _missing(other, (SHARED,)) == [
        f"{action} on {MASTER}" for action in privileges.MASTER_ACTIONS
    ]


def test_without_a_user_and_with_access_control_on_authentication_is_missing():
    server = Server({"connectionStatus": NO_USER, "listCollections": UNAUTHORIZED})
    assert privileges.missing(server, PLACEMENTS, MASTER) == [
        "authentication (no authenticated user; access control is on)"
    ]


def test_without_a_user_and_with_access_control_off_nothing_is_missing():
    server = Server({"connectionStatus": NO_USER, "listCollections": LIST_COLLECTIONS})
    assert privileges.missing(server, PLACEMENTS, MASTER) == []


@pytest.mark.parametrize("placements", [(COLLECTION,), (SHARED,), (DATABASE,)])
def test_each_placement_alone_needs_the_master_database(placements):
    nothing = _status([], [])
    assert f"find on {MASTER}" in _missing(nothing, placements)

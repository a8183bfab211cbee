"""shard_setup's command logic against replies a MongoDB 7 router and replica set give."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from pymongo.errors import OperationFailure

from tenancy import sharding
from tenancy.signals import Refused

# Replies as the servers send them (cluster times and connection details trimmed).
MONGOS_HELLO = {
    "isWritablePrimary": True,
    "msg": "isdbgrid",
    "maxBsonObjectSize": 16777216,
    "maxWireVersion": 21,
    "minWireVersion": 0,
    "ok": 1.0,
}
REPLICA_SET_HELLO = {
    "isWritablePrimary": True,
    "setName": "rs0",
    "hosts": ["mongo:27017"],
    "maxWireVersion": 21,
    "ok": 1.0,
}
ENABLE_SHARDING_OK = {"ok": 1.0}
SHARD_COLLECTION_OK = {"collectionsharded": "orgservice_master.tenant_records", "ok": 1.0}
ALREADY_SHARDED_OTHER_KEY = {
    "ok": 0.0,
    "errmsg": "sharding already enabled for collection orgservice_master.tenant_records with "
    'options { key: { org_id: "hashed" }, unique: false }',
    "code": 23,
    "codeName": "AlreadyInitialized",
}
ENABLE_SHARDING_ALREADY = {
    "ok": 0.0,
    "errmsg": "sharding already enabled for database orgservice_master",
    "code": 23,
    "codeName": "AlreadyInitialized",
}
UNAUTHORIZED = {
    "ok": 0.0,
    "errmsg": "not authorized on admin",
    "code": 13,
    "codeName": "Unauthorized",
}


class Server:
    """An admin-command callable answering from recorded replies, noting each command."""

    def __init__(self, replies: dict[str, dict]):
        self.replies, self.sent = replies, []

    def __call__(self, doc: dict) -> dict:
        self.sent.append(doc)
        reply = self.replies[next(iter(doc))]
        if not reply["ok"]:
            raise OperationFailure(reply["errmsg"], code=reply["code"], details=reply)
        return reply


def _cluster(**overrides: dict) -> Server:
    replies = {
        "hello": MONGOS_HELLO,
        "enableSharding": ENABLE_SHARDING_OK,
        "shardCollection": SHARD_COLLECTION_OK,
    }
    return Server({**replies, **overrides})


def test_a_router_is_a_sharded_cluster_and_a_replica_set_is_not():
    assert sharding.is_sharded_cluster(_cluster()) is True
    assert sharding.is_sharded_cluster(Server({"hello": REPLICA_SET_HELLO})) is False


def test_on_a_cluster_the_shared_collection_is_sharded_on_org_id_then_id():
    server = _cluster()
    steps = sharding.shard_shared(server, database="orgservice_master")
    assert server.sent == [
        {"hello": 1},
        {"enableSharding": "orgservice_master"},
        {"shardCollection": "orgservice_master.tenant_records", "key": {"org_id": 1, "_id": 1}},
    ]
    assert list(server.sent[2]["key"]) == ["org_id", "_id"]
    assert steps[-1].startswith("sharded orgservice_master.tenant_records")


def test_running_it_again_on_an_already_enabled_database_still_succeeds():
    server = _cluster(enableSharding=ENABLE_SHARDING_ALREADY)
    steps = sharding.shard_shared(server, database="orgservice_master")
    assert steps[0] == "sharding already enabled for orgservice_master"


def test_a_replica_set_is_left_alone():
    server = Server({"hello": REPLICA_SET_HELLO})
    assert "nothing to do" in sharding.shard_shared(server, database="orgservice_master")[0]
    assert server.sent == [{"hello": 1}]


@pytest.mark.parametrize("refusal", [ALREADY_SHARDED_OTHER_KEY, UNAUTHORIZED])
def test_a_collection_sharded_on_another_key_or_a_refusal_is_a_clear_error(refusal):
    with pytest.raises(Refused) as err:
        sharding.shard_shared(_cluster(shardCollection=refusal), database="orgservice_master")
    assert refusal["errmsg"] in err.value.reason


def test_the_command_on_an_embedded_store_says_there_is_nothing_to_shard():
    out = StringIO()
    call_command("shard_setup", stdout=out)
    assert "mongomock is an embedded store" in out.getvalue()

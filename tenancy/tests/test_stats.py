"""Collection statistics for the admin panel: exact counts, the server's data size on MongoDB,
an estimate from a sample on the embedded backends."""

from __future__ import annotations

import bson
from pymongo.errors import OperationFailure

from tenancy import stats
from tenancy.stores.client import master_db


def test_a_small_collection_is_measured_exactly_even_when_estimated(backend):
    docs = [{"title": "x" * n} for n in (1, 10, 100)]
    master_db()["org_acme"].insert_many(docs)
    measured = stats.collection_stats("org_acme")
    assert measured.documents == 3
    assert measured.data_bytes == sum(len(bson.encode(d)) for d in docs)
    assert measured.estimated is (backend != "mongodb")


def test_a_large_collection_is_estimated_from_a_sample(backend):
    master_db()["org_big"].insert_many([{"n": i, "pad": "y" * 20} for i in range(stats.SAMPLE * 3)])
    measured = stats.collection_stats("org_big")
    one = len(bson.encode({"_id": bson.ObjectId(), "n": 1, "pad": "y" * 20}))
    assert measured.documents == stats.SAMPLE * 3
    assert abs(measured.data_bytes - one * stats.SAMPLE * 3) <= stats.SAMPLE * 3


def test_a_missing_collection_has_no_documents_and_no_size():
    assert stats.collection_stats("org_missing") == stats.CollectionStats(0, 0, True)


class _Collection:
    def __init__(self, shards):
        self.shards = shards

    def aggregate(self, pipeline):
        if self.shards is None:
            raise OperationFailure("$collStats is not allowed here")
        assert pipeline == [{"$collStats": {"storageStats": {}}}]
        return iter(self.shards)


class _Database:
    """Answers like a MongoDB server would (there is none on the development machines)."""

    def __init__(self, shards, command_size=None):
        self.collection = _Collection(shards)
        self.command_size = command_size

    def __getitem__(self, name):
        return self.collection

    def command(self, name, collection):
        if self.command_size is None:
            raise OperationFailure("not authorized")
        return {"size": self.command_size}


def test_the_server_size_is_the_sum_over_shards_with_collstats_as_fallback():
    shards = [{"storageStats": {"size": 700}}, {"storageStats": {"size": 300}}]
    assert stats.server_data_size(_Database(shards), "org_acme") == 1000
    assert stats.server_data_size(_Database(None, command_size=42), "org_acme") == 42
    assert stats.server_data_size(_Database(None), "org_acme") is None

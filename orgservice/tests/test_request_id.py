"""Request ids: taken when sane, generated otherwise, echoed, and on every log line."""

import logging
import os
import re
import uuid

import pytest
from django.http import JsonResponse
from django.urls import path

from kernel import request_id


def test_a_sane_request_id_from_the_client_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="edge-7f3a.01_B")
    assert response["X-Request-ID"] == "edge-7f3a.01_B"


def test_a_request_without_an_id_gets_a_fresh_uuid4_hex(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    for made in (first, second, *(request_id.accept(None) for _ in range(200))):
        parsed = uuid.UUID(hex=made)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122) and parsed.hex == made


@pytest.mark.parametrize(
    "insane",
    ['a"b', "x y", "id\nforged-line", "a" * 129, "ünïcode", '{"json":1}'],
)
def test_an_insane_request_id_is_replaced_not_echoed(client, insane):
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID=insane)["X-Request-ID"]
    assert echoed != insane
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_made_ids_never_repeat_across_batches_threads_and_a_fork():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: request_id.accept(None), range(3000)))  # > 10 batches
    assert len(set(made)) == len(made)
    for one in made[::97]:
        assert uuid.UUID(hex=one).version == 4

    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child's next ids, for the parent to compare with its own
        os.write(writer, " ".join(request_id.accept(None) for _ in range(50)).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        childs = pipe.read().split()
    os.waitpid(child, 0)
    parents = [request_id.accept(None) for _ in range(50)]
    assert len(childs) == 50
    assert not set(childs) & set(parents)


def test_the_longest_sane_id_is_kept():
    assert request_id.accept("a" * 128) == "a" * 128


def test_every_log_line_of_a_request_carries_its_id(client, json_log, make_org):
    make_org("Acme Corp")
    client.get("/org/get", {"organization_name": "Nope"}, HTTP_X_REQUEST_ID="req-1")
    client.get("/org/get", {"organization_name": "Acme Corp"}, HTTP_X_REQUEST_ID="req-2")
    lines = json_log.access()
    seen = [(line["request_id"], line["status"]) for line in lines]
    assert seen == [("req-1", 404), ("req-2", 200)]


def _view_that_logs(request):
    logging.getLogger("orgservice.test").warning("inside the view")
    return JsonResponse({})


urlpatterns = [path("logs", _view_that_logs)]


def test_a_line_logged_inside_a_view_carries_the_id_and_none_is_left_behind(
    client, json_log, settings
):
    settings.ROOT_URLCONF = __name__
    client.get("/logs", HTTP_X_REQUEST_ID="req-inner")
    inner = [r for r in json_log.records() if r["logger"] == "orgservice.test"]
    assert [r["request_id"] for r in inner] == ["req-inner"]
    assert request_id.current() is None

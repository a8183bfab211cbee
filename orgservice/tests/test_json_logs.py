"""The JSON log: one parseable line per request, the right fields, and never a secret."""

import io
import json
import logging
import os
import random
import re
import sys
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial

import pytest

from conftest import PASSWORD
from kernel import redaction, request_id
from kernel.jsonlog import JsonFormatter, timestamp
from kernel.redaction import MASK, redact, scrub
from orgservice.access_log import AccessRecord
from tenancy import admins

NEW_PASSWORD = "Another-Horse-7-Staple"


def _flow(api, json_log) -> dict:
    """Create, log in, change the password and rename over the API; returns the secrets seen."""
    body = {"organization_name": "Acme Corp", "email": "boss@acme.example", "password": PASSWORD}
    assert api.post("/org/create", body, format="json").status_code == 201
    tokens = api.post(
        "/admin/login", {"email": body["email"], "password": PASSWORD}, format="json"
    ).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    updated = api.put(
        "/org/update",
        {"organization_name": "Acme Two", "password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )
    assert updated.status_code == 200, updated.content
    wrong = api.post("/admin/login", {"email": body["email"], "password": PASSWORD}, format="json")
    assert wrong.status_code == 401
    return {
        "password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "password_hash": admins.get_by_email(body["email"]).password_hash,
    }


def test_each_request_writes_one_json_access_line_with_its_fields(api, json_log):
    _flow(api, json_log)
    lines = json_log.access()
    assert [(r["method"], r["route"], r["status"]) for r in lines] == [
        ("POST", "org/create", 201),
        ("POST", "admin/login", 200),
        ("PUT", "org/update", 200),
        ("POST", "admin/login", 401),
    ]
    for line in lines:
        assert line["level"] == "INFO" and line["message"] == "request"
        assert line["path"].startswith("/") and isinstance(line["duration_ms"], float)
        assert len(line["request_id"]) == 32 and line["ts"].endswith("+00:00")


def test_the_access_line_names_the_org_only_when_an_admin_is_authenticated(api, json_log):
    _flow(api, json_log)
    org_ids = [r["org_id"] for r in json_log.access()]
    assert org_ids[0] is None and org_ids[1] is None
    assert isinstance(org_ids[2], str) and len(org_ids[2]) == 24


def test_no_password_hash_or_token_reaches_the_log_in_a_full_flow(api, json_log):
    secrets = _flow(api, json_log)
    assert len(json_log.records()) >= 4
    for name, value in secrets.items():
        text = value.decode() if isinstance(value, bytes) else value
        assert text not in json_log.text, name


def test_a_careless_line_is_masked_but_kept(json_log):
    logging.getLogger("orgservice.test").warning(
        "login with %s",
        {"email": "a@b.example", "password": "hunter2-hunter2"},
        extra={"headers": {"Authorization": "Bearer abc.def.ghi"}, "token": "t0ken"},
    )
    (record,) = json_log.records()
    assert "hunter2" not in json_log.text and "t0ken" not in json_log.text
    assert "abc.def.ghi" not in json_log.text
    assert record["headers"] == {"Authorization": MASK} and record["token"] == MASK
    assert "a@b.example" in record["message"]


def test_scrub_masks_bearer_tokens_jwts_bcrypt_hashes_and_password_pairs():
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhZG1pbl9pZCI6IjEifQ.c2lnbmF0dXJl"
    bcrypt_hash = "$2b$12$" + "a" * 53
    text = f'Bearer xyz {jwt} {bcrypt_hash} password=hunter2 "token": "t0k"'
    scrubbed = scrub(text)
    for secret in ("xyz", jwt, bcrypt_hash, "hunter2", "t0k"):
        assert secret not in scrubbed


def test_redact_masks_secret_keys_at_any_depth_and_keeps_the_rest():
    value = {"user": {"email": "a@b.example", "password_hash": b"$2b$"}, "items": [{"api_key": 1}]}
    assert redact(value) == {
        "user": {"email": "a@b.example", "password_hash": MASK},
        "items": [{"api_key": MASK}],
    }


def test_an_exception_traceback_is_one_json_line_and_scrubbed(json_log):
    try:
        raise ValueError("bad token=s3cr3t-value")
    except ValueError:
        logging.getLogger("orgservice.test").exception("failed")
    (record,) = json_log.records()
    assert "ValueError" in record["exc"] and "s3cr3t-value" not in json_log.text


def test_a_secret_in_a_text_field_is_masked_when_the_message_has_none(json_log):
    logging.getLogger("orgservice.test").info(
        "signed in", extra={"note": "sent Bearer abc123 along", "who": "a@b.example", "n": 3}
    )
    (record,) = json_log.records()
    assert "abc123" not in json_log.text and record["note"] == f"sent Bearer {MASK} along"
    assert (record["message"], record["who"], record["n"]) == ("signed in", "a@b.example", 3)


def _every_mask(text: str) -> str:
    for pattern, replacement in redaction._SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def test_the_quick_check_passes_no_text_that_a_mask_would_change():
    """scrub() skips its masks for text its case-folded quick check finds nothing in. The masks
    match case-insensitively, so each keyword is tried with every cased character of Unicode in
    each of its places (the Turkish dotted and dotless i are why the check says "author")."""
    cased = [c for c in map(chr, range(sys.maxunicode + 1)) if c.lower() != c or c.upper() != c]
    keywords = ["Bearer x", "password=x", "passwd=x", "secret=x", "token=x", "authorization=x"]
    for keyword in keywords:
        for place in range(keyword.index("x") - 1):
            for char in cased:
                text = keyword[:place] + char + keyword[place + 1 :]
                assert scrub(text) == _every_mask(text), text
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhZG1pbl9pZCI6IjEifQ.c2ln"
    for text in (jwt, jwt.upper(), "$2b$12$" + "a" * 53, "nothing to see here"):
        assert scrub(text) == _every_mask(text)


@pytest.mark.parametrize(
    "created", [0.0, 0.0004995, 0.0005, 1796017615.0709994, 1796017615.9999996, 4102444799.9995]
)
def test_the_line_stamp_is_datetimes_own_to_the_millisecond(created):
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert timestamp(created) == expected


def test_the_line_stamp_matches_datetime_across_many_times():
    rng = random.Random(15)
    for _ in range(20000):
        created = rng.uniform(0, 4.1e9)
        expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
        assert timestamp(created) == expected


def test_an_access_record_writes_the_line_logger_info_would():
    fields = {
        "method": "GET",
        "route": "org/get",
        "path": "/org/get",
        "status": 200,
        "duration_ms": 1.25,
        "org_id": None,
    }
    made = AccessRecord(dict(fields))
    logger = logging.getLogger("orgservice.access")
    usual = logger.makeRecord(
        logger.name, logging.INFO, "x.py", 1, "request", (), None, extra=dict(fields)
    )
    usual.created, usual.msecs = made.created, made.msecs
    for record in (made, usual):
        redaction.RedactionFilter().filter(record)
        record.request_id = "r-1"
    assert JsonFormatter().format(made) == JsonFormatter().format(usual)
    assert set(vars(made)) == set(vars(usual))
    every_field = logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(module)s %(filename)s %(lineno)d %(funcName)s "
        "%(thread)s %(threadName)s %(process)s %(relativeCreated)d %(msecs)d %(message)s"
    )
    assert every_field.format(made).endswith(" request")
    assert 0 <= made.relativeCreated <= usual.relativeCreated + 1000


def test_an_access_record_names_its_thread_and_process_when_logging_is_asked_to(monkeypatch):
    assert AccessRecord({}).thread is None  # kernel.jsonlog turns the lookups off
    monkeypatch.setattr(logging, "logThreads", True)
    monkeypatch.setattr(logging, "logProcesses", True)
    made = AccessRecord({})
    assert made.thread == threading.get_ident()
    assert made.threadName == threading.current_thread().name
    assert made.process == os.getpid()


_ACCESS_CASES = [
    ("GET", "healthz", "/healthz", 200, 0.00125, None),
    ("GET", "org/get", "/org/get", 200, 0.1, "65a1b2c3d4e5f60718293a4b"),
    ("HEAD", None, "/nowhere/ü/日本/\u2028", 404, 12.0, None),
    ("POST", "x", '/a"b\\c\td\ne\x00f\x1f', 500, 3.14159, None),
    ("BREW", None, "/😀/%22", 405, 0.0, None),
    ("GET", None, "/x/password=hunter2/Bearer abc123", 404, 0.002, None),  # masked
    ("GET", None, "/x/eyJa.eyJb.c/$2b$12$" + "a" * 53, 404, 0.002, None),  # masked
    ("GET", None, "/x/TOKEN/İ", 404, 0.002, None),
]


@contextmanager
def _as_shipped():
    """The root logger with only the handler settings.LOGGING gives it, as under gunicorn.
    (pytest adds its own capture handlers while a test runs, and the access line then goes
    through logging.) Used inside the test body, after pytest has added them."""
    from orgservice import access_log

    root = logging.getLogger()
    shipped = next(h for h in root.handlers if isinstance(h.formatter, JsonFormatter))
    handlers = root.handlers
    root.handlers = [shipped]
    previous = shipped.setStream(io.StringIO())
    try:
        assert access_log._shipped_handler() is shipped
        yield shipped
    finally:
        shipped.setStream(previous)
        root.handlers = handlers


def _written(handler, write) -> str:
    handler.setStream(io.StringIO())
    write()
    text = handler.stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    return text


def test_the_access_line_written_directly_is_byte_for_byte_the_line_logging_writes():
    from orgservice.access_log import access_fields, log_access

    logger = logging.getLogger("orgservice.access")
    stamp = re.compile(r'^\{"ts": "[^"]+"')
    token = request_id.bind("rid-1")
    with _as_shipped() as as_shipped:
        for case in _ACCESS_CASES:
            direct = _written(as_shipped, partial(log_access, *case))
            usual = _written(as_shipped, partial(logger.handle, AccessRecord(access_fields(*case))))
            assert stamp.sub("", direct) == stamp.sub("", usual), case
            assert "hunter2" not in direct and "abc123" not in direct and "eyJb" not in direct
    request_id.unbind(token)


def test_an_added_handler_or_filter_gets_the_access_record_as_logging_gives_it():
    with _as_shipped() as shipped:
        _added_handler_and_filter(shipped)


def _added_handler_and_filter(as_shipped):
    from orgservice.access_log import log_access

    logger = logging.getLogger("orgservice.access")
    seen: list[logging.LogRecord] = []
    extra = logging.Handler()
    extra.emit = seen.append
    logger.addHandler(extra)
    try:
        log_access("GET", "healthz", "/healthz", 200, 0.001, None)
    finally:
        logger.removeHandler(extra)
    assert [(r.getMessage(), r.path, r.status) for r in seen] == [("request", "/healthz", 200)]
    assert json.loads(as_shipped.stream.getvalue())["path"] == "/healthz"

    class DropAll(logging.Filter):
        def filter(self, record):
            return False

    as_shipped.setStream(io.StringIO())
    dropping = DropAll()
    logger.addFilter(dropping)
    try:
        log_access("GET", "healthz", "/healthz", 200, 0.001, None)
    finally:
        logger.removeFilter(dropping)
    assert as_shipped.stream.getvalue() == ""

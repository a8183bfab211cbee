"""Hostile headers against real gunicorn: whatever bytes a client sends in Authorization,
Cookie, X-Request-ID, Host or Content-Type, the answer is never a 5xx, and what the application
answers is JSON in the error shape. Requests go out as raw bytes over a socket, so non-UTF-8
values really reach the server (requests and http.client would refuse or re-encode them)."""

from __future__ import annotations

import json
import random
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from conftest import PASSWORD
from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow

SEED = 14
REQUESTS = 400

_BAD_BYTES = [b"\xff\xfe\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\x7f\x01", "é☃".encode()]


def _huge(n: int) -> bytes:
    return b"A" * n


def _authorizations(token: bytes) -> list[bytes]:
    return [
        b"Bearer " + _BAD_BYTES[0],
        b"Bearer " + token[:20] + b"\xff" + token[20:],
        b"Bearer " + token + b"\xc3\x28",
        b"Bearer " + token.replace(b".", b"\x80", 1),
        b"Bearer " + _huge(8000),
        b"Bearer a.b.c",
        b"Bearer ..",
        b"Bearer " + b".".join([b"\xff" * 40] * 3),
        b"Bearer",
        b"Bearer  ",
        b"Bearer a b",
        b"Basic \xff\xfe",
        b"\xff" * 64,
        token,
    ]


_COOKIES = [
    b"sessionid=\xff\xfe\x80; csrftoken=\xc3\x28",
    b"sessionid=" + _huge(7000),
    b"sessionid=.eJyrVspMUbJSSk4sLUlVqgUAJ3kE9g:1:bad",
    b"sessionid=\x00\x01; =; ;;; csrftoken",
    b"csrftoken=" + "☃".encode() * 20,
    b'sessionid="unterminated',
    b"\xff=\xff",
]
_REQUEST_IDS = [b"\xff" * 200, _huge(7000), b"a\x00b", "ид".encode(), b"../../etc/passwd", b""]
_HOSTS = [
    b"\xff\xfe",
    b"127.0.0.1:\xff",
    b"evil.example",
    _huge(5000),
    b"127.0.0.1:99999999999999999999",
    b"[::1",
    b"localhost\x00.evil",
]
_CONTENT_TYPES = [
    b"application/json; charset=\xff",
    b"application/json; charset=utf-99",
    b"application/json; charset=utf-16",
    b"application/json; charset=utf-7",
    b"application/x-www-form-urlencoded; charset=ebcdic",
    b"application/x-www-form-urlencoded; charset=\xc3\x28",
    b"multipart/form-data; boundary=\xff",
    b"multipart/form-data",
    b"text/plain; charset=" + _huge(3000),
    "application/json; charset=ütf-8".encode(),
    b";;;===",
]
_BODIES = [b"", b'{"email": "x"}', b"\xff\xfe{\x00}", '{"a": "☃"}'.encode("utf-16"), b"a=\xff"]


def _routes(slug: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"/api/v1/orgs/{slug}/records/"),
        ("POST", f"/api/v1/orgs/{slug}/records/"),
        ("PUT", "/org/update"),
        ("DELETE", "/org/delete"),
        ("POST", "/org/create"),
        ("POST", "/admin/login"),
        ("GET", "/org/get?organization_name=Acme"),
        ("POST", "/api/v1/auth/refresh/"),
        ("POST", "/api/v1/auth/logout/"),
        ("POST", f"/api/v1/orgs/{slug}/invitations/"),
        ("POST", "/api/v1/invitations/accept/"),
        ("GET", "/api/v1/"),
        ("POST", "/api-auth/login/"),
        ("GET", "/admin/"),
        ("GET", "/no/such/route"),
    ]


def _send(base: str, method: str, path: str, headers: dict[bytes, bytes], body: bytes):
    """One request as raw bytes; returns (status, headers, body) as the server answered."""
    address = urlsplit(base)
    lines = [f"{method} {path} HTTP/1.1".encode()]
    wire = {b"Host": b"127.0.0.1", b"Connection": b"close", b"Content-Length": b"%d" % len(body)}
    wire.update(headers)
    lines += [name + b": " + value for name, value in wire.items()]
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    answered = dict(
        (k.strip().lower(), v.strip()) for k, _, v in (h.partition(b":") for h in header_lines)
    )
    return int(status_line.split()[1]), answered, payload


def _json_error(headers: dict[bytes, bytes], payload: bytes) -> dict:
    assert headers.get(b"content-type", b"").startswith(b"application/json"), headers
    if headers.get(b"transfer-encoding") == b"chunked":
        size, _, rest = payload.partition(b"\r\n")
        payload = rest[: int(size, 16)]
    body = json.loads(payload)
    assert set(body) >= {"code", "detail"}, body
    return body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn as `make run` starts it, with one org whose admin is logged in."""
    data = Path(tmp_path_factory.mktemp("hostile"))
    with gunicorn(data) as base:
        body = {"organization_name": "Acme", "email": "boss@acme.example", "password": PASSWORD}
        assert requests.post(f"{base}/org/create", json=body, timeout=10).status_code == 201
        login = {"email": body["email"], "password": PASSWORD}
        token = requests.post(f"{base}/admin/login", json=login, timeout=10).json()
        yield base, token["access_token"].encode(), data / "gunicorn.log"


def _unhandled(log: Path) -> list[dict]:
    """Log lines of requests that failed with an exception (Django logs those on
    django.request at ERROR, with the traceback)."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "django.request"]


def test_non_utf8_bytes_after_bearer_get_a_json_401_not_an_html_500(server):
    base, _, log = server
    for method, path in (("GET", "/api/v1/orgs/acme/records/"), ("PUT", "/org/update")):
        status, headers, payload = _send(
            base, method, path, {b"Authorization": b"Bearer \xff\xfe\x80"}, b""
        )
        assert status == 401
        assert _json_error(headers, payload)["code"] == "authentication_failed"
    assert _unhandled(log) == []  # no traceback per hostile request either


def test_a_disallowed_or_undecodable_host_gets_a_json_400(server):
    base, _, _ = server
    for host in (b"evil.example", b"\xff\xfe"):
        status, headers, payload = _send(base, "GET", "/org/get", {b"Host": host}, b"")
        assert status == 400
        assert _json_error(headers, payload)["code"] == "bad_request"


def test_hostile_header_fuzz_gets_no_5xx_and_json_from_the_app(server):
    """A bounded, seeded fuzz: REQUESTS requests over every route, each with one to three hostile
    headers. gunicorn itself refuses some requests (over-long or invalid header fields) with its
    own 400 before Django sees them; everything else must be the app's JSON."""
    base, token, log = server
    pools = {
        b"Authorization": _authorizations(token),
        b"Cookie": _COOKIES,
        b"X-Request-ID": _REQUEST_IDS,
        b"Host": _HOSTS,
        b"Content-Type": _CONTENT_TYPES,
    }
    rng = random.Random(SEED)
    routes = _routes("acme")
    statuses: dict[int, int] = {}
    for _ in range(REQUESTS):
        method, path = rng.choice(routes)
        names = rng.sample(sorted(pools), k=rng.randint(1, 3))
        headers = {name: rng.choice(pools[name]) for name in names}
        status, answered, payload = _send(base, method, path, headers, rng.choice(_BODIES))
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (method, path, headers, status, payload[:300])
        # The app answered (gunicorn's own 400s carry no request id): an error is JSON.
        if b"x-request-id" in answered and status >= 400:
            _json_error(answered, payload)
    assert sum(statuses.values()) == REQUESTS
    assert any(400 <= s < 500 for s in statuses)
    assert _unhandled(log) == []

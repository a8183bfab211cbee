"""Idempotency keys: who may reuse a key, what counts as the same request, what is replayed.

A request with an ``Idempotency-Key`` header either takes the key (and runs), replays the response
stored under it, or is refused: 422 ``idempotency_key_reused`` when the key came with another
request, 409 ``idempotency_in_progress`` (Retry-After) while the first one still runs. A lock
older than IDEMPOTENCY_LOCK_SECONDS was left by a request that never finished (its process died)
and is taken over. Fingerprints and anonymous scopes are HMACs keyed by SECRET_KEY: bodies carry
passwords and invitation tokens, which must not be stored in a form one could test guesses on.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac
from rest_framework.utils.encoders import JSONEncoder

from kernel.errors import Busy, InvalidInput, Unprocessable
from tenancy import idempotency_keys as store
from tenancy.documents import utcnow

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEPT_HEADERS = ("Location", "Content-Location")


@dataclass(frozen=True)
class Held:
    """This request holds the key: run it, then ``finish`` or ``release``."""

    record_id: Any
    token: str


@dataclass(frozen=True)
class Replay:
    """The response stored under the key, to answer again."""

    status: int
    data: Any
    headers: dict[str, str]


def check_key(value: str) -> str:
    """The header's value if it is 1-255 printable ASCII characters; InvalidInput otherwise."""
    if not 1 <= len(value) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in value):
        raise InvalidInput(
            f"{HEADER} must be 1-{MAX_KEY_LENGTH} printable ASCII characters.",
            code="invalid_idempotency_key",
        )
    return value


def _hmac(purpose: str, value: str) -> str:
    return salted_hmac(f"orgservice.idempotency.{purpose}", value, algorithm="sha256").hexdigest()


def canonical(data: Any) -> str:
    """One text per JSON value: keys sorted, no spaces, so formatting and key order do not
    matter."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)


def fingerprint(*, method: str, path: str, data: Any) -> str:
    """What makes two requests the same: method, path and body."""
    return _hmac("fingerprint", f"{method}\n{path}\n{canonical(data)}")


def member_scope(member_id: str) -> str:
    return f"member:{member_id}"


def anonymous_scope(values: list[Any]) -> str:
    """The scope of an unauthenticated caller: an HMAC of the body fields that identify it
    (the sign-up email, the invitation token)."""
    return "anon:" + _hmac("scope", canonical(values))


def begin(*, scope: str, key: str, fingerprint: str) -> Held | Replay:
    """Take the key, or answer what it already holds. Raises Unprocessable
    (``idempotency_key_reused``) and Busy (``idempotency_in_progress``)."""
    now, token = utcnow(), uuid.uuid4().hex
    expires_at = now + timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)
    found = store.claim(
        scope=scope, key=key, fingerprint=fingerprint, token=token, now=now, expires_at=expires_at
    )
    if found["token"] == token:
        return Held(found["_id"], token)
    if found["fingerprint"] != fingerprint:
        raise Unprocessable(
            f"This {HEADER} was used with another request; use a new key.",
            code="idempotency_key_reused",
        )
    if found["state"] == store.DONE:
        stored = found["response"]
        return Replay(stored["status"], json.loads(stored["body"]), dict(stored["headers"]))
    stale_before = now - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
    if found["locked_at"] <= stale_before and store.take_over(
        found["_id"], old_token=found["token"], token=token, stale_before=stale_before, now=now
    ):
        return Held(found["_id"], token)
    raise Busy(
        f"A request with this {HEADER} is in progress; retry to get its result.",
        code="idempotency_in_progress",
    )


def is_final(status: int, headers: dict[str, str]) -> bool:
    """Whether an answer is stored for replay: 2xx-4xx, except 400 (the input was refused
    before anything ran: fix it and retry with the same key) and refusals that ask for a retry
    (Retry-After: 409 ``org_busy``, 429). 5xx answers are not final."""
    return status < 500 and status != 400 and "Retry-After" not in headers


def finish(held: Held, *, status: int, data: Any, headers: dict[str, str]) -> None:
    """Store the answer for replay if it is final, else give the key up."""
    if not is_final(status, headers):
        store.release(held.record_id, token=held.token)
        return
    kept = {name: headers[name] for name in KEPT_HEADERS if name in headers}
    # As answered (key order kept), so a replay is byte-for-byte the first answer's body.
    body = json.dumps(data, ensure_ascii=False, cls=JSONEncoder)
    response = {"status": status, "body": body, "headers": kept}
    store.complete(held.record_id, token=held.token, response=response, now=utcnow())


def release(held: Held) -> None:
    store.release(held.record_id, token=held.token)

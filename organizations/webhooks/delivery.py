"""The delivery worker's work: fan events out of the outbox, then claim due deliveries under a
lease, POST them signed, and record each attempt; failures retry with exponential backoff and
jitter, and an endpoint failing too long is disabled with the reason.

At least once: a delivery is settled only after its POST, so a worker killed in between leaves
it leased; the lease expires and another run sends it again, with the same ``webhook-id``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import perf_counter

from django.conf import settings

from kernel import failpoints
from organizations.webhooks import addresses, held, signing, transport
from organizations.webhooks.events import ORG_DELETED
from tenancy import webhook_deliveries as deliveries
from tenancy import webhook_endpoints as endpoints
from tenancy import webhook_outbox as outbox
from tenancy.documents import aware, utcnow
from tenancy.webhook_endpoints import Endpoint

# Hit once a POST has been answered, before the outcome is recorded (crash tests).
SENT_FAILPOINT = "webhooks.sent"
FAN_OUT_BATCH = 100
MAX_PER_RUN = 500


@dataclass
class Summary:
    fanned_out: int = 0
    delivered: int = 0
    failed: int = 0


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempt: int) -> timedelta:
    """The wait before retry number ``attempt`` (1 = after the first failure)."""
    base = settings.WEBHOOK_BACKOFF_BASE_SECONDS * 2 ** min(attempt - 1, 30)
    delay = min(settings.WEBHOOK_BACKOFF_MAX_SECONDS, base)
    return timedelta(seconds=delay * (1 - settings.WEBHOOK_BACKOFF_JITTER * random.random()))


def body(event: dict) -> bytes:
    """The JSON every endpoint receives for ``event`` (README "Webhooks": payload)."""
    payload = {
        "id": event["_id"],
        "type": event["type"],
        "timestamp": aware(event["created_at"]).isoformat().replace("+00:00", "Z"),
        "org_id": event["org_id"],
        "data": event["data"],
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signing_secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while the rotation overlap lasts."""
    previous = endpoint.previous_secret
    if previous and endpoint.previous_expires_at and endpoint.previous_expires_at > now:
        return [endpoint.secret, previous]
    return [endpoint.secret]


def fan_out(now: datetime) -> int:
    """Settle overdue held events, then queue one delivery per released event and subscribed
    endpoint (idempotent: keyed by both ids)."""
    held.settle(now)
    events = outbox.not_fanned_out(limit=FAN_OUT_BATCH)
    for event in events:
        for endpoint in endpoints.subscribed(event["org_id"], event["type"]):
            key = f"{event['_id']}.{endpoint.id}"
            deliveries.add(delivery_id=key, event=event, endpoint_id=endpoint.id, now=now)
        if _org_gone(event):  # the rest go once they have had this last event
            endpoints.delete_all_but_subscribed(event["org_id"], ORG_DELETED)
        outbox.mark_fanned_out(event["_id"])
    return len(events)


def _send(endpoint: Endpoint, event: dict, now: datetime) -> tuple[int | None, str | None]:
    """(status code, error): one signed POST to the endpoint, its address checked again."""
    payload = body(event)
    headers = signing.headers(
        signing_secrets(endpoint, now), event["_id"], int(time.time()), payload
    )
    try:
        target = addresses.check(endpoint.url)
        status = transport.post(target, payload, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    except addresses.UnsafeTarget as exc:
        return None, f"refused: {exc}"
    except TimeoutError:
        return None, f"timed out after {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    return status, None if 200 <= status < 300 else f"answered HTTP {status}"


def _gone(delivery: dict, owner: str, reason: str) -> None:
    changes = {"status": deliveries.FAILED, "last_error": reason, "updated_at": utcnow()}
    deliveries.settle(delivery["_id"], owner=owner, changes=changes)


def _log(delivery: dict, event: dict, now: datetime, status, error, started: float) -> None:
    deliveries.log_attempt(
        {
            "endpoint_id": delivery["endpoint_id"],
            "org_id": delivery["org_id"],
            "delivery_id": delivery["_id"],
            "event_id": event["_id"],
            "event_type": event["type"],
            "attempt": delivery["attempts"] + 1,
            "at": now,
            "outcome": "delivered" if error is None else "failed",
            "status_code": status,
            "duration_ms": round((perf_counter() - started) * 1000, 1),
            "error": error,
            "purge_at": now + timedelta(days=settings.WEBHOOK_RETENTION_DAYS),
        }
    )


def _failed(delivery: dict, owner: str, now: datetime, error: str) -> bool:
    """Record a failed attempt; True when the delivery is given up."""
    attempts = delivery["attempts"] + 1
    changes: dict = {"last_error": error, "updated_at": now}
    if attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        changes["status"] = deliveries.FAILED
    else:
        changes["next_at"] = now + backoff(attempts)
    deliveries.settle(delivery["_id"], owner=owner, changes=changes)
    streak = endpoints.record_failure(delivery["endpoint_id"], now=now)
    if streak is not None:
        _maybe_disable(streak, now, error)
    return "status" in changes


def _maybe_disable(endpoint: Endpoint, now: datetime, error: str) -> None:
    count = endpoint.consecutive_failures
    since = endpoint.failing_since or now
    too_long = now - since >= timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS)
    if count >= settings.WEBHOOK_DISABLE_AFTER_FAILURES or too_long:
        reason = (
            f"Disabled after {count} failed deliveries in a row since "
            f"{since.isoformat(timespec='seconds')}; the last one: {error}."
        )
        endpoints.disable(endpoint.id, reason=reason, now=now)


def deliver_one(now: datetime, owner: str) -> str | None:
    """Claim and attempt one due delivery: "delivered", "failed", or None when none is due."""
    delivery = deliveries.claim(
        now=now, lease=timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS), owner=owner
    )
    if delivery is None:
        return None
    event = outbox.get(delivery["event_id"], org_id=delivery["org_id"])
    endpoint = endpoints.get(delivery["endpoint_id"], org_id=delivery["org_id"])
    if event is None or endpoint is None or not endpoint.enabled:
        _gone(delivery, owner, "the endpoint is disabled or deleted, or the event expired")
        if event is not None and endpoint is not None:
            _retire_after_last_event(event, endpoint)
        return "failed"
    started = perf_counter()
    status, error = _send(endpoint, event, now)
    failpoints.hit(SENT_FAILPOINT)
    _log(delivery, event, now, status, error, started)
    if error is not None:
        if _failed(delivery, owner, now, error):
            _retire_after_last_event(event, endpoint)
        return "failed"
    changes = {"status": deliveries.DELIVERED, "last_error": None, "delivered_at": now}
    deliveries.settle(delivery["_id"], owner=owner, changes={**changes, "updated_at": now})
    endpoints.record_success(endpoint.id)
    _retire_after_last_event(event, endpoint)
    return "delivered"


def _org_gone(event: dict) -> bool:
    """The org is gone for good: an ``org.deleted`` without ``retained_until`` (a delete within
    ORG_DELETE_RETENTION may be restored, so its endpoints stay until the purge)."""
    return event["type"] == ORG_DELETED and "retained_until" not in event["data"]


def _retire_after_last_event(event: dict, endpoint: Endpoint) -> None:
    """An endpoint of a deleted org goes once its org.deleted delivery is done (or given up)."""
    if _org_gone(event):
        endpoints.delete(endpoint.id, org_id=endpoint.org_id)


def run_once(*, now: datetime | None = None, owner: str | None = None) -> Summary:
    """Fan out the outbox, then attempt every delivery due at ``now`` (default: the clock)."""
    owner = owner or worker_id()
    summary = Summary(fanned_out=fan_out(now or utcnow()))
    for _ in range(MAX_PER_RUN):
        outcome = deliver_one(now or utcnow(), owner)
        if outcome is None:
            break
        if outcome == "delivered":
            summary.delivered += 1
        else:
            summary.failed += 1
    return summary

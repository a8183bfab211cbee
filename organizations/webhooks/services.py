"""Webhook endpoint services: an org's owners register, list, change, delete endpoints, rotate
their secrets, read their delivery log and replay events. Every function takes the org the
view resolved from the principal (organizations.members.services.member_org)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from accounts import roles
from accounts.principal import MemberPrincipal
from kernel.errors import Conflict, InvalidInput, NotFound
from organizations.webhooks import addresses, events, signing
from tenancy import webhook_deliveries as deliveries
from tenancy import webhook_endpoints as endpoints
from tenancy import webhook_outbox as outbox
from tenancy.documents import Org, utcnow
from tenancy.webhook_endpoints import Endpoint

MAX_DESCRIPTION = 200


@dataclass(frozen=True)
class WithSecret:
    """An endpoint with its new secret: shown once, at creation and at rotation."""

    endpoint: Endpoint
    secret: str


def _not_found() -> NotFound:
    return NotFound("Webhook endpoint not found.", code="webhook_not_found")


def checked_url(url: object) -> str:
    """``url`` once its host resolves only to allowed addresses. Raises InvalidInput."""
    try:
        addresses.check(url)
    except addresses.UnsafeTarget as exc:
        raise InvalidInput(str(exc), code=exc.code, fields={"url": [str(exc)]}) from exc
    return url


def checked_events(value: object) -> list[str]:
    """A non-empty list of known event types, without repeats. Raises InvalidInput."""
    if value is None:
        return list(events.DEFAULT_EVENTS)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v in events.EVENT_TYPES for v in value)
    ):
        choices = ", ".join(events.EVENT_TYPES)
        message = f"Give a non-empty list of event types from: {choices}."
        raise InvalidInput(message, code="webhook_invalid_events", fields={"events": [message]})
    return list(dict.fromkeys(value))


def _description(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION or "\x00" in value:
        message = f"At most {MAX_DESCRIPTION} characters."
        raise InvalidInput(message, fields={"description": [message]})
    return value


def endpoint_create(
    *,
    actor: MemberPrincipal,
    org: Org,
    url: object,
    events_: object = None,
    description: object = None,
) -> WithSecret:
    """Register an endpoint (owners only); its secret is returned once. Raises Forbidden,
    InvalidInput (``webhook_invalid_url``, ``webhook_url_forbidden``, ...), Conflict
    (``webhook_limit``)."""
    roles.require_owner(actor.role)
    checked = checked_url(url)
    wanted = checked_events(events_)
    text = _description(description)
    if len(endpoints.for_org(org.id)) >= settings.WEBHOOK_MAX_ENDPOINTS:
        message = f"An organization has at most {settings.WEBHOOK_MAX_ENDPOINTS} webhook endpoints."
        raise Conflict(message, code="webhook_limit")
    secret = signing.new_secret()
    created = endpoints.insert(
        org_id=org.id, url=checked, events=wanted, description=text, secret=secret
    )
    return WithSecret(created, secret)


def endpoint_list(*, actor: MemberPrincipal, org: Org) -> list[Endpoint]:
    roles.require_owner(actor.role)
    return endpoints.for_org(org.id)


def endpoint_get(*, actor: MemberPrincipal, org: Org, endpoint_id: str) -> Endpoint:
    roles.require_owner(actor.role)
    found = endpoints.get(endpoint_id, org_id=org.id)
    if found is None:
        raise _not_found()
    return found


def endpoint_update(
    *, actor: MemberPrincipal, org: Org, endpoint_id: str, changes: dict
) -> Endpoint:
    """Change url, events, description or enabled. Enabling a disabled endpoint clears its
    failure streak and reason. Raises Forbidden, NotFound, InvalidInput."""
    endpoint_get(actor=actor, org=org, endpoint_id=endpoint_id)
    update: dict = {}
    if "url" in changes:
        update["url"] = checked_url(changes["url"])
    if "events" in changes:
        update["events"] = checked_events(changes["events"])
    if "description" in changes:
        update["description"] = _description(changes["description"])
    if changes.get("enabled") is True:
        update |= {"enabled": True, "disabled_reason": None, "disabled_at": None}
        update |= {"consecutive_failures": 0, "failing_since": None}
    elif changes.get("enabled") is False:
        update |= {"enabled": False, "disabled_reason": "Disabled by an owner."}
        update["disabled_at"] = utcnow()
    updated = endpoints.update(endpoint_id, org_id=org.id, changes=update)
    if updated is None:
        raise _not_found()
    return updated


def endpoint_delete(*, actor: MemberPrincipal, org: Org, endpoint_id: str) -> None:
    roles.require_owner(actor.role)
    if not endpoints.delete(endpoint_id, org_id=org.id):
        raise _not_found()
    deliveries.delete_for_endpoint(endpoint_id)


def endpoint_rotate(*, actor: MemberPrincipal, org: Org, endpoint_id: str) -> WithSecret:
    """A new secret; the current one keeps signing too (a second signature) for the overlap
    period (WEBHOOK_ROTATION_OVERLAP_SECONDS), so receivers can switch without a gap."""
    current = endpoint_get(actor=actor, org=org, endpoint_id=endpoint_id)
    secret = signing.new_secret()
    overlap = timedelta(seconds=settings.WEBHOOK_ROTATION_OVERLAP_SECONDS)
    changes = {
        "secret": secret,
        "previous_secret": current.secret,
        "previous_expires_at": utcnow() + overlap,
    }
    updated = endpoints.update(endpoint_id, org_id=org.id, changes=changes)
    if updated is None:
        raise _not_found()
    return WithSecret(updated, secret)


def endpoint_log(*, actor: MemberPrincipal, org: Org, endpoint_id: str, limit: int) -> list[dict]:
    """The endpoint's delivery attempts, newest first."""
    endpoint_get(actor=actor, org=org, endpoint_id=endpoint_id)
    return deliveries.attempts_for(endpoint_id, limit=limit)


def event_list(*, actor: MemberPrincipal, org: Org, limit: int) -> list[dict]:
    """The org's recent events (kept WEBHOOK_RETENTION_DAYS), newest first."""
    roles.require_owner(actor.role)
    return outbox.recent(org.id, limit=limit)


def event_replay(*, actor: MemberPrincipal, org: Org, endpoint_id: str, event_id: object) -> str:
    """Send the event to the endpoint again (same ``webhook-id``); returns the delivery id.
    Raises Forbidden, NotFound (``webhook_not_found``, ``webhook_event_not_found``), Conflict
    (``webhook_disabled``)."""
    endpoint = endpoint_get(actor=actor, org=org, endpoint_id=endpoint_id)
    if not endpoint.enabled:
        message = "The endpoint is disabled: enable it (PATCH enabled: true) before replaying."
        raise Conflict(message, code="webhook_disabled")
    event = outbox.get(event_id, org_id=org.id) if isinstance(event_id, str) else None
    if event is None:
        raise NotFound("Event not found.", code="webhook_event_not_found")
    delivery_id = deliveries.new_replay_id(event["_id"], endpoint.id)
    deliveries.add(delivery_id=delivery_id, event=event, endpoint_id=endpoint.id, now=utcnow())
    return delivery_id

"""Invitation services: an owner or admin invites an email with a role; the invitee accepts
with the token and a password and becomes a member. Tokens are random, single-use and expire
after INVITATION_DAYS; only their SHA-256 hash is stored, and the INVITATION_SENDER delivers them
(organizations.members.senders)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.module_loading import import_string

from accounts import org_access, passwords, roles, throttling
from accounts.emails import normalize_email
from accounts.principal import MemberPrincipal
from kernel.errors import AlreadyExists, AppError, Conflict, Gone, NotFound
from organizations.members.senders import Delivery
from organizations.members.services import Member, check_role
from organizations.orgs import selectors
from organizations.webhooks import events
from tenancy import admins, audit, invitation_store, owners
from tenancy.documents import OWNER, Org, utcnow
from tenancy.invitation_store import Invitation
from tenancy.signals import Taken

TOKEN_BYTES = 32
# How long an accepted, revoked or expired invitation stays listed in the database afterwards.
PURGE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class CreatedInvitation:
    invitation: Invitation
    token: str | None  # for the inviter to pass on, unless the sender delivered it


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_handle(actor: MemberPrincipal, role: str) -> None:
    if not (roles.may_manage_invitations(actor.role) and roles.may_grant(actor.role, role)):
        raise roles.forbidden()


def _already_member() -> AlreadyExists:
    return AlreadyExists(
        "This email already belongs to a member of this organization.", code="already_member"
    )


def _email_taken() -> AlreadyExists:
    # Told only to the invitee, who owns the address: the inviter learns nothing.
    return AlreadyExists(
        "This email already has an account in another organization, and an email can belong "
        "to one organization only. Accept with another email, or leave the other organization "
        "first.",
        code="email_taken",
    )


def _check_inviter(invitation: Invitation) -> None:
    """The invitation carries its sender's authority: the sender must still be a member of the
    org whose role may grant the invited role. Otherwise the invitation is revoked here."""
    sender = admins.get(invitation.invited_by)
    if (
        sender is not None
        and sender.org_id == invitation.org_id
        and roles.may_grant(sender.role, invitation.role)
    ):
        return
    if invitation_store.revoke(invitation.id, org_id=invitation.org_id, by="system") is not None:
        audit.record(
            "invitation_revoked",
            org_id=invitation.org_id,
            actor="system",
            invitation_id=invitation.id,
            email=invitation.email,
            role=invitation.role,
            reason="inviter_lacks_authority",
        )
    raise Gone(
        "Whoever sent this invitation can no longer grant this role; ask the organization "
        "for a new invitation.",
        code="inviter_lacks_authority",
    )


def _deliver(invitation: Invitation, org: Org, token: str) -> str | None:
    sender = import_string(settings.INVITATION_SENDER)
    return sender(Delivery(invitation=invitation, org_name=org.name, token=token))


def invitation_create(
    *, actor: MemberPrincipal, org: Org, email: object, role: object, ip: str | None = None
) -> CreatedInvitation:
    """Invite ``email`` to join ``org`` as ``role``; an earlier pending invitation of the same
    email to the org is revoked (superseded). Raises Forbidden (``role_forbidden``: a member, or
    an admin inviting an owner), InvalidInput, AlreadyExists (``already_member``), Unavailable
    (the sender failed; the invitation is then revoked), RateLimited.

    Whether the address belongs to another org is not told (that would be an oracle for any
    org's member list): the answer is the same 201, and the invitee learns it on accepting.
    Invitations count per inviting member and per client (accounts.throttling)."""
    wanted = check_role(role)
    _may_handle(actor, wanted)
    throttling.check_invitation(actor=actor.member_id, ip=ip)
    address = normalize_email(email)
    existing = admins.get_by_email(address)
    if existing is not None and existing.org_id == org.id:
        raise _already_member()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = utcnow() + timedelta(days=settings.INVITATION_DAYS)
    superseded = invitation_store.revoke_pending_for_email(
        org_id=org.id, email=address, by=actor.member_id
    )
    invitation = invitation_store.insert(
        org_id=org.id,
        email=address,
        role=wanted,
        token_hash=_hash(token),
        invited_by=actor.member_id,
        expires_at=expires_at,
        purge_at=expires_at + PURGE_AFTER,
    )
    try:
        handed = _deliver(invitation, org, token)
    except AppError:
        invitation_store.revoke(invitation.id, org_id=org.id, by=actor.member_id)
        raise
    audit.record(
        "member_invited",
        org_id=org.id,
        actor=actor.member_id,
        invitation_id=invitation.id,
        email=address,
        role=wanted,
        superseded=superseded,
        ip=ip,
    )
    return CreatedInvitation(invitation=invitation, token=handed)


def invitation_list(*, actor: MemberPrincipal, org: Org) -> list[Invitation]:
    """The org's pending invitations (expired ones shown as such), newest first. Raises
    Forbidden for a member."""
    if not roles.may_manage_invitations(actor.role):
        raise roles.forbidden()
    return invitation_store.pending_for_org(org.id)


def invitation_revoke(
    *, actor: MemberPrincipal, org: Org, invitation_id: str, ip: str | None = None
) -> None:
    """Revoke a pending invitation: its token stops working. Raises NotFound, Forbidden (a
    member, or an admin revoking an owner's invitation), Conflict (``invitation_not_pending``)."""
    invitation = invitation_store.get(invitation_id, org_id=org.id)
    if invitation is None:
        raise NotFound("Invitation not found.", code="invitation_not_found")
    _may_handle(actor, invitation.role)
    if invitation_store.revoke(invitation.id, org_id=org.id, by=actor.member_id) is None:
        raise Conflict("The invitation is no longer pending.", code="invitation_not_pending")
    audit.record(
        "invitation_revoked",
        org_id=org.id,
        actor=actor.member_id,
        invitation_id=invitation.id,
        email=invitation.email,
        role=invitation.role,
        ip=ip,
    )


def _usable(invitation: Invitation | None) -> Invitation:
    """The invitation if it can still be accepted; otherwise the error saying why not."""
    if invitation is None:
        raise NotFound("This invitation does not exist.", code="invitation_not_found")
    status = invitation.status
    if status == invitation_store.EXPIRED:
        raise Gone("This invitation has expired; ask for a new one.", code="invitation_expired")
    if status == invitation_store.REVOKED:
        raise Gone("This invitation was revoked.", code="invitation_revoked")
    if status == invitation_store.ACCEPTED:
        raise Gone("This invitation was already used.", code="invitation_used")
    return invitation


@contextmanager
def _announcing_accepted(invitation: Invitation) -> Iterator[list[dict]]:
    """member.added and invitation.accepted, held until the member exists (the caller fills in
    ``member_id`` then); keyed by the invitation, which is used once."""
    org_id = invitation.org_id
    added = {"email": invitation.email, "role": invitation.role}
    accepted = {"invitation_id": invitation.id, **added}
    announced = {
        events.event_id(org_id, events.MEMBER_ADDED, invitation.id): (events.MEMBER_ADDED, added),
        events.event_id(org_id, events.INVITATION_ACCEPTED, invitation.id): (
            events.INVITATION_ACCEPTED,
            accepted,
        ),
    }
    with events.announcing_all(org_id, announced, completed=True):
        yield [added, accepted]


def _find(token: object) -> Invitation | None:
    if not isinstance(token, str) or not token:
        return None
    return invitation_store.get_by_token_hash(_hash(token))


def invitation_accept(*, token: object, password: object, ip: str | None = None) -> Member:
    """Create the invited member with ``password`` (checked like a sign-up's). The token works
    once: of two requests presenting it together, one gets the member, the other 410.

    Raises NotFound (unknown token or org, or a deleted one), Forbidden (``org_suspended``),
    Gone (``invitation_expired``, ``invitation_revoked``,
    ``invitation_used``, ``inviter_lacks_authority``: the sender was removed or may no longer
    grant the role), InvalidInput (weak password), AlreadyExists (``email_taken``: the address
    belongs to another org)."""
    invitation = _usable(_find(token))
    _check_inviter(invitation)
    org = selectors.organization_by_id(invitation.org_id)
    org_access.require_org_in_service(org.id, at_login=True)  # 403 org_suspended
    checked = passwords.check_strength(password, email=invitation.email)
    password_hash = passwords.hash_password(checked)
    if invitation.role == OWNER:
        owners.ensure(org.id)
    if invitation_store.claim(invitation.id) is None:
        _usable(_find(token))
        raise Gone("This invitation was already used.", code="invitation_used")
    with _announcing_accepted(invitation) as announced:
        try:
            admin = admins.insert(
                org_id=org.id,
                email=invitation.email,
                password_hash=password_hash,
                role=invitation.role,
            )
        except Taken as exc:
            invitation_store.unclaim(invitation.id)
            raise _email_taken() from exc
        for data in announced:
            data["member_id"] = admin.id
    invitation_store.set_accepted_by(invitation.id, admin.id)
    if admin.role == OWNER:
        owners.add(org.id)
    audit.record(
        "invitation_accepted",
        org_id=org.id,
        actor=admin.id,
        admin_id=admin.id,
        invitation_id=invitation.id,
        role=admin.role,
        ip=ip,
    )
    return Member.of(admin)

"""Delivery of invitations, chosen by the INVITATION_SENDER setting (a dotted path).

A sender is called with the invitation and its token, once, right after the invitation is
stored, and returns what the inviter gets back: the token when the inviter is the one to pass it
on, None when the sender delivered it to the invitee itself. Neither writes the token to a log.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from kernel.errors import Unavailable
from tenancy.invitation_store import Invitation

logger = logging.getLogger("orgservice.invitations")
ACCEPT_PATH = "/api/v1/invitations/accept/"


@dataclass(frozen=True)
class Delivery:
    invitation: Invitation
    org_name: str
    token: str


def return_to_inviter(delivery: Delivery) -> str | None:
    """The default: log that the invitation exists (id and email, never the token) and give the
    token to the inviter, who sends it to the invitee by any channel they trust."""
    invitation = delivery.invitation
    logger.info(
        "invitation created",
        extra={
            "invitation_id": invitation.id,
            "org_id": invitation.org_id,
            "email": invitation.email,
            "role": invitation.role,
        },
    )
    return delivery.token


def _body(delivery: Delivery) -> str:
    invitation = delivery.invitation
    return (
        f"You are invited to join {delivery.org_name} as {invitation.role}.\n\n"
        f"To accept, POST your invitation code and a password to {ACCEPT_PATH}:\n"
        f'  {{"token": "{delivery.token}", "password": "..."}}\n\n'
        f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC.\n"
    )


def send_email(delivery: Delivery) -> str | None:
    """Mail the token to the invitee through Django's email backend (EMAIL_* settings); the
    inviter never sees it. Raises Unavailable when the mail cannot be handed over."""
    invitation = delivery.invitation
    try:
        send_mail(
            subject=f"Invitation to join {delivery.org_name}",
            message=_body(delivery),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except (smtplib.SMTPException, OSError) as exc:
        raise Unavailable(
            "The invitation email could not be sent.", code="invitation_not_sent"
        ) from exc
    logger.info("invitation emailed", extra={"invitation_id": invitation.id})
    return None

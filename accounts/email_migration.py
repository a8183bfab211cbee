"""Bring stored emails to the canonical form of accounts.emails: report, then migrate.

Addresses stored under an older rule (only lower-cased) may change under NFKC and IDNA, and two
members may turn out to share one mailbox. Those are conflicts: reported, never merged. An address
that is not valid at all any more (it holds a soft hyphen, a zero-width space...) is reported too,
for staff to resolve with the member.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from accounts.emails import normalize_email
from kernel.errors import InvalidInput
from tenancy import admins, audit, invitation_store
from tenancy.signals import Taken

WOULD_CHANGE = "would_change"
CHANGED = "changed"
CONFLICT = "conflict"
INVALID = "invalid"
MOVED_ON = "changed_meanwhile"


@dataclass(frozen=True)
class EmailFix:
    """One stored address that is not canonical: a member's (``admin``) or a pending
    invitation's (``invitation``), what it becomes, and what happened to it."""

    kind: str
    id: str
    old: str
    new: str | None
    outcome: str
    detail: str = ""


def _canonical(email: str) -> str | None:
    try:
        return normalize_email(email)
    except InvalidInput:
        return None


def _admin_fixes() -> list[EmailFix]:
    stored = admins.emails()
    owners: dict[str, list[str]] = defaultdict(list)
    for member_id, _, email in stored:
        owners[_canonical(email) or email].append(member_id)
    fixes = []
    for member_id, _, email in stored:
        new = _canonical(email)
        if new == email:
            continue
        if new is None:
            fixes.append(EmailFix("admin", member_id, email, None, INVALID, "not a valid address"))
        elif len(owners[new]) > 1:
            others = ", ".join(i for i in owners[new] if i != member_id)
            fixes.append(EmailFix("admin", member_id, email, new, CONFLICT, f"same as {others}"))
        else:
            fixes.append(EmailFix("admin", member_id, email, new, WOULD_CHANGE))
    return fixes


def _invitation_fixes() -> list[EmailFix]:
    fixes = []
    for invitation_id, email in invitation_store.pending_emails():
        new = _canonical(email)
        if new != email:
            outcome = INVALID if new is None else WOULD_CHANGE
            fixes.append(EmailFix("invitation", invitation_id, email, new, outcome))
    return fixes


def email_report() -> list[EmailFix]:
    """Every stored address that the canonical form would change (nothing is written)."""
    return _admin_fixes() + _invitation_fixes()


def _apply(fix: EmailFix, *, actor: str) -> EmailFix:
    replace = admins.replace_email if fix.kind == "admin" else invitation_store.replace_email
    try:
        done = replace(fix.id, old=fix.old, new=fix.new)
    except Taken:
        return EmailFix(fix.kind, fix.id, fix.old, fix.new, CONFLICT, "taken meanwhile")
    if not done:
        return EmailFix(fix.kind, fix.id, fix.old, fix.new, MOVED_ON)
    audit.record("email_normalized", kind=fix.kind, target_id=fix.id, actor=actor)
    return EmailFix(fix.kind, fix.id, fix.old, fix.new, CHANGED)


def email_migrate(*, actor: str) -> list[EmailFix]:
    """Rewrite every address that has one canonical form nobody else holds; each write is
    conditional on the address read, so a concurrent change is left alone. Conflicts and invalid
    addresses are returned unchanged."""
    return [
        _apply(fix, actor=actor) if fix.outcome == WOULD_CHANGE else fix for fix in email_report()
    ]

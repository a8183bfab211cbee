"""Staff operations for the admin panel: the API's own services, each audited with the staff
user's name as ``actor`` ("staff:<username>", never confused with an org admin's id)."""

from __future__ import annotations

from accounts import services as accounts
from kernel.errors import InvalidInput, NotFound
from organizations.orgs import orgstate, retention, services, suspension
from organizations.orgs.name_rules import clean_name, slugify
from organizations.orgs.reconcile import Report, reconcile
from tenancy import admins, audit, orgs
from tenancy.documents import Org
from tenancy.names import is_slug


def actor_for(username: str) -> str:
    """The audit ``actor`` of a staff user."""
    return f"staff:{username}"


def staff_org(org_id: str) -> Org:
    """The org with this id, whatever its status; raises NotFound."""
    org = orgs.get(org_id)
    if org is None:
        raise NotFound("Organization not found.", code="org_not_found")
    return org


def staff_org_by_slug(slug: str) -> Org:
    """The org with this slug, whatever its status; raises NotFound."""
    org = orgs.get_by_slug(slug) if is_slug(slug) else None
    if org is None:
        raise NotFound("Organization not found.", code="org_not_found")
    return org


def create_org(*, username: str, name: object, admin_email: object, admin_password: object) -> Org:
    """Create an org and its admin (organization_create's rules and errors)."""
    org = services.organization_create(
        name=name,
        admin_email=admin_email,
        admin_password=admin_password,
        actor=actor_for(username),
    )
    return org


def rename_org(*, username: str, org_id: str, new_name: object) -> Org:
    """Rename the org (organization_rename's rules and errors); audited as org_renamed."""
    return services.organization_rename(org_id=org_id, new_name=new_name, actor=actor_for(username))


def reset_password(*, username: str, org_id: str, member_id: str, password: object) -> None:
    """Set a new password for one of the org's admins; every token and browser session of that
    admin stops working. Raises NotFound (no such admin in this org), InvalidInput (weak)."""
    admin = admins.get(member_id)
    if admin is None or admin.org_id != org_id:
        raise NotFound("This organization has no such admin.", code="admin_not_found")
    accounts.change_credentials(member_id=admin.id, password=password)
    audit.record(
        "staff_reset_password", org_id=org_id, admin_id=admin.id, actor=actor_for(username)
    )


def delete_org(*, username: str, org_id: str) -> Org | None:
    """Delete the org with its admins and data (organization_delete); audited as org_deleted.
    Returns the org when it is kept for its restore window (ORG_DELETE_RETENTION)."""
    return services.organization_delete(org_id=org_id, actor=actor_for(username))


def reconcile_org(*, username: str, org_id: str) -> str:
    """Finish or roll back the org's interrupted operation; returns what happened. An operation
    younger than the grace period may still be running elsewhere and is left alone, as
    organizations.orgs.reconcile does. Raises NotFound."""
    outcome = orgstate.finish_overdue(staff_org(org_id))
    audit.record("staff_reconciled_org", org_id=org_id, actor=actor_for(username), outcome=outcome)
    return outcome


def reconcile_all(*, username: str) -> Report:
    """Reconcile every org and remove orphans (organizations.orgs.reconcile)."""
    report = reconcile()
    audit.record(
        "staff_reconciled_all",
        actor=actor_for(username),
        operations=report.operations,
        dropped=report.dropped_collections,
    )
    return report


def staff_org_by_name(name: object) -> Org:
    """The org a display name refers to (matched by slug), whatever its status; raises
    InvalidInput (no name), NotFound."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("organization_name is required.", code="invalid_name")
    try:
        slug = slugify(clean_name(name))
    except InvalidInput as exc:
        raise NotFound("Organization not found.", code="org_not_found") from exc
    return staff_org_by_slug(slug)


def suspend_org(*, username: str, org_id: str, reason: object) -> Org:
    """Suspend the org (organizations.orgs.suspension); audited as org_suspended."""
    return suspension.organization_suspend(org_id=org_id, reason=reason, actor=actor_for(username))


def resume_org(*, username: str, org_id: str) -> Org:
    """Resume a suspended org; audited as org_resumed."""
    return suspension.organization_resume(org_id=org_id, actor=actor_for(username))


def restore_org(*, username: str, org_id: str) -> Org:
    """Restore a deleted org within its window (organizations.orgs.retention)."""
    return retention.organization_restore(org_id=org_id, actor=actor_for(username))


def purge_orgs(*, username: str, on_done=None) -> dict[str, str]:
    """Purge every deleted org whose restore window ended (retention.purge_expired)."""
    outcomes = retention.purge_expired(actor=actor_for(username), on_done=on_done)
    audit.record("staff_purged_orgs", actor=actor_for(username), outcomes=outcomes)
    return outcomes

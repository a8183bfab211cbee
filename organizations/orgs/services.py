"""Organization services: create, rename, change credentials, delete. Business rules live here;
API views, admin views and management commands all call these."""

from __future__ import annotations

from collections.abc import Callable

from accounts import passwords
from accounts import services as accounts
from accounts.emails import normalize_email
from accounts.store_errors import api_errors
from kernel.errors import AlreadyExists
from organizations.orgs import orgstate, retention
from organizations.orgs.name_rules import clean_name, slugify
from tenancy import admins, audit
from tenancy import placement as placements
from tenancy.documents import OWNER, Org, new_id


@api_errors()
def organization_create(
    *,
    name: object,
    admin_email: object,
    admin_password: object,
    ip: str | None = None,
    placement: object = None,
    actor: str | None = None,
) -> Org:
    """Create an org, its admin and where its records live: ``placement`` (collection,
    shared or database; settings.ORG_PLACEMENT when None). ``actor`` names staff acting.

    Raises InvalidInput (name, email, weak or over-long password, placement) and AlreadyExists
    (``org_name_taken``, ``email_taken``). Nothing is left behind on failure."""
    where = placements.default() if placement is None else placements.check(placement)
    display = clean_name(name)
    slug = slugify(display)
    email = normalize_email(admin_email)
    password_hash = passwords.hash_password(passwords.check_strength(admin_password, email=email))
    oid = new_id()
    doc = {
        "_id": oid,
        "name": display,
        "slug": slug,
        **placements.fields_for(where, org_id=str(oid), slug=slug),
    }

    def add_admin(org: Org):
        return admins.insert(org_id=org.id, email=email, password_hash=password_hash, role=OWNER)

    org, admin = orgstate.create_with_admin(doc, add_admin)
    audit.record("org_created", org_id=org.id, admin_id=admin.id, slug=slug, ip=ip, actor=actor)
    return org


def organization_rename(
    *, org_id: str, new_name: object, actor: str | None = None, ip: str | None = None
) -> Org:
    """Rename the org; a ``collection`` org's collection moves to ``org_<new slug>`` with
    everything in it (other placements keep their records where they are: metadata only).

    Raises InvalidInput, NotFound, AlreadyExists (``org_name_taken``), Conflict (``org_busy``)."""
    display = clean_name(new_name)
    return _rename(org_id, display, actor=actor, ip=ip)


@api_errors()
def _rename(org_id: str, display: str, *, actor: str | None, ip: str | None, alongside=None) -> Org:
    slug = slugify(display)
    before, done = orgstate.rename(org_id, display=display, slug=slug, alongside=alongside)
    if before.slug != slug:
        audit.record("org_renamed", org_id=done.id, actor=actor, ip=ip, old=before.slug, new=slug)
    return done


def _check_email_free(email: str, *, member_id: str) -> None:
    holder = admins.get_by_email(email)
    if holder is not None and holder.id != member_id:
        raise AlreadyExists("This email is already registered.", code="email_taken")


def organization_update(
    *,
    org_id: str,
    member_id: str,
    new_name: object = None,
    email: object = None,
    password: object = None,
    current_password: object = None,
    ip: str | None = None,
) -> Org:
    """The assignment's update: rename and/or change the acting admin's credentials, all or
    nothing. Every part is validated and every claim taken (the new slug claimed, the email
    checked free) before anything changes; the credentials change runs inside the rename,
    after its intent and before its records move, and a failure undoes the intent. On any
    error nothing has changed and no token is revoked. Changing the email or the password takes
    ``current_password`` first (accounts.services.reauthenticate: 400, 403, throttled).

    Raises InvalidInput, NotFound, AlreadyExists (``org_name_taken``, ``email_taken``), Busy."""
    if email is not None or password is not None:
        accounts.reauthenticate(
            member_id=member_id, current_password=current_password, new_email=email, ip=ip
        )
    display = clean_name(new_name) if new_name is not None else None
    if display is not None:
        slugify(display)
    new_email = normalize_email(email) if email is not None else None
    if password is not None:
        passwords.check_strength(password, email=new_email or "")
    if new_email is not None:
        _check_email_free(new_email, member_id=member_id)

    def credentials() -> None:
        if email is not None or password is not None:
            accounts.change_credentials(member_id=member_id, email=email, password=password, ip=ip)

    if display is None:
        orgstate.settled(org_id)
        credentials()
        return orgstate.settled(org_id)
    return _rename(org_id, display, actor=member_id, ip=ip, alongside=credentials)


def organization_delete(
    *, org_id: str, actor: str | None = None, ip: str | None = None
) -> Org | None:
    """Delete the org: its admins (their tokens stop working), its collection with every
    record, its metadata and its slug. With ORG_DELETE_RETENTION above 0 the org is only
    ``deleted`` until its window ends (organizations.orgs.retention), and returned as it now
    is. Raises NotFound, Conflict (``org_busy``)."""
    if retention.window():
        return retention.organization_retire(org_id=org_id, actor=actor, ip=ip)
    org = orgstate.delete(org_id)
    audit.record("org_deleted", org_id=org.id, actor=actor, ip=ip, slug=org.slug)
    return None


@api_errors()
def organization_move(
    *,
    org_id: str,
    to: object,
    actor: str | None = None,
    on_copied: Callable[[int], None] | None = None,
) -> Org:
    """Move the org's records to placement ``to``, online: copy, verify, switch, clean up
    (organizations.orgs.moves); record writes get 409 ``org_busy`` meanwhile. ``on_copied`` hears
    each copied batch's size. Returns the org unchanged when it is already there.

    Raises InvalidInput (placement), NotFound, Conflict (``org_busy``, ``move_unverified``)."""
    target = placements.check(to)
    before, done = orgstate.move(org_id, to=target, on_copied=on_copied)
    if before.placement != target:
        audit.record("org_moved", org_id=done.id, actor=actor, source=before.placement, target=to)
    return done

"""Read-side queries for organizations (no writes)."""

from __future__ import annotations

import functools

from accounts import roles
from kernel.errors import Forbidden, InvalidInput, NotFound
from organizations.orgs.name_rules import clean_name, slugify
from tenancy import orgs
from tenancy.documents import CREATING, DELETED, DELETING, Org
from tenancy.names import is_slug
from tenancy.stores import org_cache

_HIDDEN = (CREATING, DELETING, DELETED)  # a deleted org in its restore window too


def _not_found() -> NotFound:
    return NotFound("Organization not found.", code="org_not_found")


def organization_by_slug(slug: str) -> Org:
    """The visible org with this slug (not one being created or deleted, nor deleted within
    its restore window); raises NotFound."""
    org = org_cache.get_by_slug(slug) if is_slug(slug) else None
    if org is None or org.status in _HIDDEN:
        raise _not_found()
    return org


def organization_by_name(name: object) -> Org:
    """The org a display name refers to. Names are matched by slug, so case, accents and
    punctuation do not matter. Raises InvalidInput (no name), NotFound."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("organization_name is required.", code="invalid_name")
    try:
        slug = _slug_of(name)
    except InvalidInput as exc:
        raise _not_found() from exc
    return organization_by_slug(slug)


@functools.lru_cache(maxsize=4096)
def _slug_of(name: str) -> str:
    # A pure function of the name, called on every GET /org/get (profiled: a tenth of the
    # route's own time). Refused names raise and are not cached; cached ones are short.
    return slugify(clean_name(name))


def organization_by_id(org_id: str) -> Org:
    org = orgs.get(org_id)
    if org is None or org.status in _HIDDEN:
        raise _not_found()
    return org


def organization_owned_by(principal, slug: str) -> Org:
    """The org at ``slug`` if the principal is one of its owners: NotFound when there is no such
    org, Forbidden when it is another org's (org existence is public through GET anyway) or the
    principal is only an admin or member of it (``owner_required``)."""
    org = organization_by_slug(slug)
    if org.id != principal.org_id:
        raise Forbidden("This organization is not yours.", code="not_your_org")
    roles.require_owner(principal.role)
    return org

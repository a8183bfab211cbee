"""The owner count and the role queries behind it, on every backend."""

from __future__ import annotations

from datetime import timedelta

from tenancy import admins, invitation_store, owners
from tenancy.documents import ADMIN, MEMBER, OWNER, utcnow
from tenancy.indexes import ADMINS
from tenancy.stores.client import master_db

ORG = "64b000000000000000000001"


def _add(email: str, role: str) -> str:
    return admins.insert(org_id=ORG, email=email, password_hash=b"x", role=role).id


def test_the_count_starts_from_the_members_and_a_missing_role_is_not_an_owner(backend):
    _add("a@x.example", OWNER)
    legacy = _add("b@x.example", OWNER)
    _add("c@x.example", MEMBER)
    master_db()[ADMINS].update_one({"email": "b@x.example"}, {"$unset": {"role": ""}})
    owners.ensure(ORG)
    assert owners.count(ORG) == 1
    assert admins.set_role(legacy, org_id=ORG, current=OWNER, new=ADMIN) is None
    assert admins.set_role(legacy, org_id=ORG, current=None, new=OWNER).role == OWNER
    assert [a.id for a in admins.without_role(("owner", "admin", "member"))] == []


def test_release_refuses_the_last_owner_and_changes_nothing(backend):
    _add("a@x.example", OWNER)
    _add("b@x.example", OWNER)
    assert owners.release(ORG) is True
    assert owners.release(ORG) is False
    assert owners.count(ORG) == 1


def test_a_role_change_misses_when_the_role_is_no_longer_the_one_seen(backend):
    member = _add("a@x.example", MEMBER)
    assert admins.set_role(member, org_id=ORG, current=ADMIN, new=OWNER) is None
    assert admins.remove(member, org_id=ORG, current=OWNER) is False
    changed = admins.set_role(member, org_id=ORG, current=MEMBER, new=ADMIN)
    assert (changed.role, changed.token_version) == (ADMIN, 1)


def test_an_invitation_is_claimed_once_and_not_after_it_expires(backend):
    now = utcnow()
    fresh, stale = (
        invitation_store.insert(
            org_id=ORG,
            email=f"{n}@x.example",
            role=MEMBER,
            token_hash=n,
            invited_by="a",
            expires_at=now + delta,
            purge_at=now + timedelta(days=9),
        )
        for n, delta in (("fresh", timedelta(days=1)), ("stale", timedelta(seconds=-1)))
    )
    assert invitation_store.claim(fresh.id).stored_status == invitation_store.ACCEPTED
    assert invitation_store.claim(fresh.id) is None
    assert invitation_store.claim(stale.id) is None
    assert invitation_store.get(stale.id, org_id=ORG).status == invitation_store.EXPIRED


def test_deleting_an_orgs_members_removes_its_invitations_and_count(backend):
    _add("a@x.example", OWNER)
    owners.ensure(ORG)
    invitation_store.insert(
        org_id=ORG,
        email="n@x.example",
        role=MEMBER,
        token_hash="h",
        invited_by="a",
        expires_at=utcnow(),
        purge_at=utcnow() + timedelta(days=9),
    )
    assert admins.delete_for_org(ORG) == 1
    assert owners.count(ORG) is None
    assert invitation_store.get_by_token_hash("h") is None

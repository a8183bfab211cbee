"""An interrupted operation is finished by the next request that meets it after the grace
period, and refused as busy (409) before; concurrent operations on one org: one wins."""

import pytest

from conftest import PASSWORD
from kernel.errors import AlreadyExists, Conflict, NotFound
from organizations.orgs import services
from organizations.tests.invariants import assert_consistent, checksum
from tenancy import orgs
from tenancy.stores.client import master_db


class Crash(Exception):
    """Stands in for the process dying at a failpoint (the subprocess matrix does it for real)."""


@pytest.fixture
def crash_at(monkeypatch):
    def arm(name: str) -> None:
        def hit(step: str) -> None:
            if step == name:
                raise Crash(step)

        monkeypatch.setattr("kernel.failpoints.hit", hit)

    return arm


@pytest.fixture
def disarm(monkeypatch):
    return lambda: monkeypatch.setattr("kernel.failpoints.hit", lambda step: None)


def test_a_pending_rename_blocks_other_operations_within_the_grace(
    backend, make_org, crash_at, settings
):
    org, _, _ = make_org("Acme Corp")
    crash_at("rename.intent_recorded")
    with pytest.raises(Crash):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    settings.LIFECYCLE_GRACE_SECONDS = 3600
    with pytest.raises(Conflict) as err:
        services.organization_delete(org_id=org.id)
    assert err.value.code == "org_busy"


def test_the_next_request_after_the_grace_finishes_an_interrupted_rename(
    backend, make_org, crash_at, disarm, settings
):
    org, _, _ = make_org("Acme Corp")
    master_db()[org.collection].insert_many([{"n": i} for i in range(100)])
    before = checksum(org.collection)
    crash_at("rename.collection_renamed")
    with pytest.raises(Crash):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    disarm()
    settings.LIFECYCLE_GRACE_SECONDS = 0
    done = services.organization_rename(org_id=org.id, new_name="Acme Three")
    assert done.slug == "acme-three"
    assert checksum(done.collection) == before
    assert_consistent()


def test_a_crashed_rename_never_frees_the_target_name_for_another_org(
    backend, make_org, crash_at, disarm
):
    org, _, _ = make_org("Acme Corp")
    crash_at("rename.intent_recorded")
    with pytest.raises(Crash):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    disarm()
    with pytest.raises(AlreadyExists):
        make_org("Acme Two", email="other@example.com")


def test_rename_after_delete_is_not_found(backend, make_org):
    org, _, _ = make_org("Acme Corp")
    services.organization_delete(org_id=org.id)
    with pytest.raises(NotFound):
        services.organization_rename(org_id=org.id, new_name="Acme Two")


def test_a_stale_version_loses_and_releases_its_claim(backend, make_org, monkeypatch):
    org, _, _ = make_org("Acme Corp")
    real_transition = orgs.transition

    def interleaved(org_id, *, version, changes):
        # Another operation bumps the version between our read and our conditional write.
        real_transition(org_id, version=version, changes={"name": "Acme Corp"})
        return real_transition(org_id, version=version, changes=changes)

    monkeypatch.setattr("tenancy.orgs.transition", interleaved)
    with pytest.raises(Conflict):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    assert orgs.slug_claim("acme-two") is None
    assert orgs.get(org.id).slug == "acme-corp"


def test_credential_change_of_a_deleted_org_fails_cleanly(backend, make_org):
    from accounts import services as accounts
    from kernel.errors import AuthenticationFailed
    from tenancy import admins

    org, email, _ = make_org("Acme Corp")
    admin = admins.get_by_email(email)
    services.organization_delete(org_id=org.id)
    with pytest.raises(AuthenticationFailed):
        accounts.change_credentials(member_id=admin.id, password=PASSWORD + "x")
    assert admins.get_by_email(email) is None


def test_a_records_request_finishes_an_overdue_interrupted_rename(
    backend, make_org, crash_at, disarm, settings
):
    from organizations.records.services import records_for
    from tenancy.admins import get_by_email

    org, email, _ = make_org("Acme Corp")
    crash_at("rename.collection_renamed")
    with pytest.raises(Crash):
        services.organization_rename(org_id=org.id, new_name="Acme Two")
    disarm()
    principal = type("P", (), {"org_id": org.id, "member_id": get_by_email(email).id})()
    settings.LIFECYCLE_GRACE_SECONDS = 3600
    assert records_for(principal, "acme-corp").org.status == "renaming"
    settings.LIFECYCLE_GRACE_SECONDS = 0
    with pytest.raises(NotFound):
        records_for(principal, "acme-corp")
    assert records_for(principal, "acme-two").org.is_active
    assert_consistent()

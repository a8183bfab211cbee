"""Creating an organization: metadata, admin, collection; uniqueness under races."""

import threading

import pytest

from conftest import PASSWORD
from kernel.errors import AlreadyExists, InvalidInput
from organizations.orgs.services import organization_create
from tenancy import admins, collection_ops, orgs
from tenancy.stores.client import master_db


def test_create_stores_org_admin_and_collection(backend, make_org):
    org, email, _ = make_org("Acme Corp")
    assert (org.name, org.slug, org.collection, org.status) == (
        "Acme Corp",
        "acme-corp",
        "org_acme-corp",
        "active",
    )
    assert collection_ops.exists("org_acme-corp")
    (admin,) = admins.for_org(org.id)
    assert admin.email == email
    assert admin.password_hash.startswith(b"bcrypt_sha256$")
    assert PASSWORD.encode() not in admin.password_hash


def test_create_rejects_a_slug_that_differs_only_in_case(backend, make_org):
    make_org("Acme Corp")
    with pytest.raises(AlreadyExists) as err:
        make_org("ACME  corp", email="other@example.com")
    assert err.value.code == "org_name_taken"
    assert orgs.count() == 1


def test_create_rejects_an_email_already_registered_and_leaves_nothing(backend, make_org):
    make_org("Acme Corp", email="boss@example.com")
    with pytest.raises(AlreadyExists) as err:
        make_org("Other Org", email="BOSS@example.com")
    assert err.value.code == "email_taken"
    assert orgs.get_by_slug("other-org") is None
    assert not collection_ops.exists("org_other-org")
    assert orgs.slug_claim("other-org") is None


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "weak_password"),
        ("password123", "weak_password"),
        ("é" * 2049, "password_too_long"),
    ],
)
def test_create_refuses_weak_or_overlong_passwords_without_writing(backend, password, code):
    with pytest.raises(InvalidInput) as err:
        organization_create(name="Acme Corp", admin_email="a@example.com", admin_password=password)
    assert err.value.code == code
    assert orgs.count() == 0


def test_racing_creates_of_one_name_leave_exactly_one_org(backend, tmp_path):
    results: list[str] = []

    def create(i: int) -> None:
        try:
            organization_create(
                name="Race Org", admin_email=f"racer{i}@example.com", admin_password=PASSWORD
            )
            results.append("ok")
        except AlreadyExists:
            results.append("taken")

    threads = [threading.Thread(target=create, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] + ["taken"] * 5
    assert master_db()["organizations"].count_documents({"slug": "race-org"}) == 1

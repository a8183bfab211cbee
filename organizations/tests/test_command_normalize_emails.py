"""manage.py normalize_emails: addresses stored under the old rule are reported, then migrated;
two members who turn out to share a mailbox are reported, never merged."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from accounts import passwords
from conftest import PASSWORD
from tenancy import admins, audit, invitation_store
from tenancy.documents import utcnow


def _stored(org, email: str):
    """A member stored as an older release did: the email only lower-cased."""
    hashed = passwords.hash_password(PASSWORD)
    return admins.insert(org_id=org.id, email=email, password_hash=hashed, role="member")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("normalize_emails", *args, stdout=out)
    return out.getvalue()


def test_the_default_run_reports_and_changes_nothing(make_org):
    org, _, _ = make_org("Acme Corp")
    legacy = _stored(org, "ann@\uff45xample.com")
    report = _run()
    assert "would_change" in report and legacy.id in report
    assert admins.get(legacy.id).email == "ann@\uff45xample.com"
    assert _run("--dry-run") == report


def test_apply_migrates_an_address_so_login_finds_it(make_org, login):
    org, _, _ = make_org("Acme Corp")
    legacy = _stored(org, "ann@xn--bcher-kva.example")
    report = _run("--apply")
    assert "changed" in report
    assert admins.get(legacy.id).email == "ann@bücher.example"
    assert login("ann@bücher.example")["access_token"]
    assert any(e["event"] == "email_normalized" for e in audit.recent(org_id=None))
    assert "0 address(es)" in _run()  # idempotent: nothing left to do


def test_two_members_sharing_one_mailbox_are_reported_not_merged(make_org):
    org, _, _ = make_org("Acme Corp")
    plain = _stored(org, "bob@example.com")
    twin = _stored(org, "bob@\uff45xample.com")
    report = _run("--apply")
    assert "conflict" in report and plain.id in report
    assert admins.get(twin.id).email == "bob@\uff45xample.com"
    assert admins.get(plain.id).email == "bob@example.com"
    assert "need staff" in report


def test_an_address_with_an_invisible_character_is_reported_for_staff(make_org):
    org, _, _ = make_org("Acme Corp")
    hidden = _stored(org, "eve@exam\u00adple.com")
    report = _run("--apply")
    assert "invalid" in report and hidden.id in report
    assert admins.get(hidden.id).email == "eve@exam\u00adple.com"


def test_a_pending_invitation_gets_the_canonical_address_so_acceptance_cannot_make_a_twin(
    make_org,
):
    org, _, _ = make_org("Acme Corp")
    later = utcnow() + timedelta(days=7)
    pending = invitation_store.insert(
        org_id=org.id,
        email="new@\uff45xample.com",
        role="member",
        token_hash="0" * 64,
        invited_by=org.id,
        expires_at=later,
        purge_at=later,
    )
    assert "would_change\tinvitation" in _run()
    _run("--apply")
    assert invitation_store.get(pending.id, org_id=org.id).email == "new@example.com"

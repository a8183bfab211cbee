"""The staff commands: thin wrappers over the services, clear messages, non-zero on failure."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import PASSWORD
from kernel import failpoints
from tenancy import collection_ops, orgs


def _run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_create_list_rename_drop_round_trip():
    assert "slug acme-corp" in _run(
        "create_org", "Acme Corp", "--email", "a@acme.example", "--password", PASSWORD
    )
    assert "acme-corp\tactive\torg_acme-corp\tAcme Corp" in _run("list_orgs")
    assert "org_acme-two" in _run("rename_org", "acme corp", "Acme Two")
    assert "Deleted" in _run("drop_org", "Acme Two", "--no-input")
    assert orgs.count() == 0 and not collection_ops.exists("org_acme-two")


def test_create_without_password_and_without_terminal_fails_clearly(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password is required"):
        _run("create_org", "Acme Corp", "--email", "a@acme.example")


def test_create_prompts_for_the_password_on_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    _run("create_org", "Acme Corp", "--email", "a@acme.example")
    assert orgs.get_by_slug("acme-corp") is not None


def test_duplicate_and_unknown_names_are_command_errors():
    _run("create_org", "Acme Corp", "--email", "a@acme.example", "--password", PASSWORD)
    with pytest.raises(CommandError, match="org_name_taken"):
        _run("create_org", "ACME CORP", "--email", "b@acme.example", "--password", PASSWORD)
    with pytest.raises(CommandError, match="org_not_found"):
        _run("rename_org", "Ghost", "Spirit")


def test_drop_asks_for_confirmation_and_keeps_the_org_when_not_confirmed(monkeypatch):
    _run("create_org", "Acme Corp", "--email", "a@acme.example", "--password", PASSWORD)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not confirmed"):
        _run("drop_org", "Acme Corp")
    assert orgs.get_by_slug("acme-corp") is not None
    monkeypatch.setattr("builtins.input", lambda prompt: "acme-corp")
    _run("drop_org", "Acme Corp")
    assert orgs.get_by_slug("acme-corp") is None


def test_list_failpoints_prints_every_name():
    assert _run("list_failpoints").split() == list(failpoints.NAMES)

"""Audit events are stored and also logged as structured lines, without secrets."""

import logging

from tenancy import audit


def test_an_event_is_stored_and_logged_with_its_details(caplog):
    with caplog.at_level(logging.INFO, logger="orgservice.audit"):
        audit.record("org_renamed", org_id="o1", actor="a1", old="acme", new="acme-two", name="x")
    (stored,) = audit.recent(org_id="o1")
    assert (stored["event"], stored["old"], stored["new"]) == ("org_renamed", "acme", "acme-two")
    (line,) = [r for r in caplog.records if r.name == "orgservice.audit"]
    assert (line.event, line.org_id, line.new, line.detail_name) == (
        "org_renamed",
        "o1",
        "acme-two",
        "x",
    )

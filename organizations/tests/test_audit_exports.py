"""Audit export rows: CSV cells a spreadsheet would evaluate are neutralised; the cursor is
opaque and refuses anything it did not make."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kernel.errors import InvalidInput
from organizations.audit import filters as query
from organizations.audit.exports import event_body, safe_cell
from tenancy.audit import AuditEvent


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_starts_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["login", "6b0cbd9b892aa1f0810ea767", "a=b", None, 5])
def test_other_cells_are_kept_as_they_are(value):
    assert safe_cell(value) == ("" if value is None else str(value))


def test_a_cursor_round_trips_and_a_forged_one_is_refused():
    at = datetime(2026, 11, 30, 1, 2, 3, 456000, tzinfo=UTC)
    cursor = query.encode_cursor(at, "6b0cbd9b892aa1f0810ea767")
    assert query.decode_cursor(cursor) == (at, "6b0cbd9b892aa1f0810ea767")
    for forged in ("", "!!", query.encode_cursor(at, "not-an-id"), cursor[:-3]):
        with pytest.raises(InvalidInput) as refused:
            query.decode_cursor(forged)
        assert refused.value.code == "invalid_cursor"


def test_an_event_on_a_whole_second_keeps_its_fraction_digits():
    at = datetime(2026, 11, 30, 1, 1, 18, tzinfo=UTC)
    body = event_body(AuditEvent("i", "login", None, at, None, {}))
    assert body["at"] == "2026-11-30T01:01:18.000000Z"

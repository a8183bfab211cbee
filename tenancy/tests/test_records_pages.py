"""Records list pages: newest first, a cursor that continues where the last page stopped, and
equality filters, the same on every backend (litemongo reads them by an index range scan)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tenancy.record_store import for_principal
from tenancy.signals import BadCursor
from tenancy.tests.test_records_handle import _org


@dataclass(frozen=True)
class Principal:
    org_id: str


def _pages(records, *, limit: int, filters: dict) -> list[list]:
    pages, before = [], None
    while True:
        page = records.page(before=before, limit=limit, filters=filters)
        if not page:
            return pages
        pages.append(page)
        before = page[-1].id


def test_pages_walk_every_record_newest_first_without_gaps_or_repeats(backend):
    records = for_principal(Principal(_org("paged").id))
    made = records.insert_many([{"n": n, "even": n % 2 == 0} for n in range(120)])
    pages = _pages(records, limit=50, filters={})
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [r.id for p in pages for r in p] == [r.id for r in reversed(made)]


def test_a_filtered_page_holds_only_matching_records_and_continues_past_the_others(backend):
    records = for_principal(Principal(_org("filtered").id))
    records.insert_many([{"n": n, "even": n % 2 == 0} for n in range(30)])
    records.insert_many([{"n": n, "even": [True]} for n in range(3)])  # arrays never match
    pages = _pages(records, limit=4, filters={"even": [True]})
    assert [r.data["n"] for p in pages for r in p] == list(range(28, -1, -2))


def test_a_page_sees_a_record_written_after_the_previous_page(backend):
    records = for_principal(Principal(_org("fresh").id))
    first = records.insert_many([{"n": 0}])[0]
    assert [r.id for r in records.page(before=None, limit=5, filters={})] == [first.id]
    second = records.insert_many([{"n": 1}])[0]
    assert [r.id for r in records.page(before=None, limit=5, filters={})] == [second.id, first.id]
    records.delete(first.id)
    assert [r.id for r in records.page(before=None, limit=5, filters={})] == [second.id]


def test_a_malformed_cursor_is_refused(backend):
    records = for_principal(Principal(_org("cursor").id))
    with pytest.raises(BadCursor):
        records.page(before="not-an-id", limit=5, filters={})

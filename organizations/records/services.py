"""Record services: an org's admin creates, lists, reads, changes, deletes and exports the org's
records. Every function takes the handle from ``records_for``, so the tenant always comes from
the authenticated principal."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from accounts import org_access
from accounts.store_errors import api_errors
from kernel.errors import Busy, Conflict, NotFound
from organizations.orgs import orgstate
from organizations.records import query as records_query
from organizations.records.rules import clean_bulk, clean_record
from organizations.webhooks import events
from tenancy.documents import CREATING, DELETED, DELETING
from tenancy.record_store import (
    HasOrgId,
    Record,
    TenantRecords,
    for_org,
    for_principal,
    new_record_ids,
)
from tenancy.signals import OrgGone, OrgNotActive

PATCH_ATTEMPTS = 5
_HIDDEN = (CREATING, DELETING, DELETED)  # deleted: within its restore window


@dataclass(frozen=True)
class RecordPage:
    results: list[Record]
    next_cursor: str | None


def _record_not_found() -> NotFound:
    return NotFound("Record not found.", code="record_not_found")


def _org_not_found() -> NotFound:
    return NotFound("Organization not found.", code="org_not_found")


@contextmanager
def _writing() -> Iterator[None]:
    """Storage refusals of a write as clients see them: 409 ``org_busy`` while an operation is
    in flight, 404 ``org_not_found`` when the org was deleted meanwhile."""
    try:
        yield
    except OrgNotActive:
        raise Busy("The organization is being renamed, moved or deleted; retry shortly.") from None
    except OrgGone:
        raise _org_not_found() from None


def records_for(principal: HasOrgId, slug: str) -> TenantRecords:
    """The records of the org at ``slug``, if the principal administers it.

    The org is loaded from the principal's own org id; ``slug`` only has to agree with it.
    Another org's admin gets the very NotFound an unknown slug gets, never a 403: the records
    routes do not reveal whether some other org exists, nor anything about its records.
    The org read at authentication on this request serves (org_access.principal_org)."""
    org = org_access.principal_org(principal)
    records = for_org(org) if org is not None else None
    if records is not None and orgstate.settle_overdue(records.org):
        records = for_principal(principal)
    if records is None or records.org.slug != slug or records.org.status in _HIDDEN:
        raise _org_not_found()
    return records


def record_create(records: TenantRecords, *, data: object) -> Record:
    """Store one record. Raises InvalidInput (refused shape), Conflict (``org_busy``)."""
    return record_bulk_insert(records, [clean_record(data)])[0]


def record_bulk_insert(records: TenantRecords, cleaned: list[dict]) -> list[Record]:
    """Insert validated records, announcing them (record.created) if some endpoint opted in."""
    ids = new_record_ids(len(cleaned))
    changed: list[tuple[str, int | None]] = [(record_id, 1) for record_id in ids]
    with events.announcing_records(records.org.id, events.RECORD_CREATED, changed), _writing():
        return records.insert_many(cleaned, ids=ids)


def record_bulk_create(records: TenantRecords, *, body: object) -> list[Record]:
    """Store ``body["records"]`` (1 to 1000); all are validated before any is written."""
    return record_bulk_insert(records, clean_bulk(body))


def record_page(records: TenantRecords, *, params: Mapping[str, list[str]]) -> RecordPage:
    """One page, newest first, from wherever the records are whole (organizations.orgs.orgstate).
    Raises InvalidInput for a bad limit, cursor or filter, Busy, NotFound."""
    query = records_query.parse(params)
    with api_errors():
        found = orgstate.read(
            records.org.id,
            lambda at: records.page(
                before=query.before, limit=query.limit + 1, filters=query.filters, at=at
            ),
            known=records.org,
        )
    results = found[: query.limit]
    more = len(found) > query.limit
    return RecordPage(results, records_query.encode_cursor(results[-1].id) if more else None)


def record_get(records: TenantRecords, *, record_id: str) -> Record:
    """The record, from wherever the org's records are whole. Raises NotFound, Busy."""
    record = orgstate.read(
        records.org.id, lambda at: records.get(record_id, at=at), known=records.org
    )
    if record is None:
        raise _record_not_found()
    return record


def record_replace(records: TenantRecords, *, record_id: str, data: object) -> Record:
    """Replace the record's fields with ``data``. Raises InvalidInput, NotFound, Conflict."""
    cleaned = clean_record(data)
    if events.wanted(records.org.id, events.RECORD_UPDATED):
        # Announced at the revision it will have: written only at the one read (as PATCH).
        return _replace_at_rev(records, record_id, lambda current: cleaned, wants=True)
    with _writing():
        record = records.replace(record_id, cleaned)
    if record is None:
        raise _record_not_found()
    return record


def _replace_at_rev(
    records: TenantRecords,
    record_id: str,
    merge: Callable[[Record], dict],
    *,
    wants: bool | None = None,
) -> Record:
    """Replace the record with ``merge(current)`` if it is still at the revision read, and
    announce record.updated at the next one (if some endpoint opted in); retries a few times.
    Raises NotFound, Conflict (``record_busy``)."""
    if wants is None:
        wants = events.wanted(records.org.id, events.RECORD_UPDATED)
    for _ in range(PATCH_ATTEMPTS):
        current = record_get(records, record_id=record_id)
        merged = clean_record(merge(current))
        changed: list[tuple[str, int | None]] = [(current.id, current.rev + 1)]
        try:
            with events.announcing_records(
                records.org.id, events.RECORD_UPDATED, changed, wants=wants
            ):
                with _writing():
                    record = records.replace(record_id, merged, rev=current.rev)
                if record is None:
                    raise _Missed
        except _Missed:
            continue
        return record
    raise Conflict("The record keeps changing; retry.", code="record_busy")


class _Missed(Exception):
    """The record changed between the read and the write (the announced event is dropped)."""


def record_patch(records: TenantRecords, *, record_id: str, changes: object) -> Record:
    """Merge ``changes`` into the record's top-level fields (a nested object is replaced
    whole; ``null`` stores null; PUT removes fields). The merged record obeys every rule,
    size included. Raises InvalidInput, NotFound, Conflict (``record_busy`` when other
    writers keep changing the record)."""
    patch = clean_record(changes)
    return _replace_at_rev(records, record_id, lambda current: {**current.data, **patch})


def record_delete(records: TenantRecords, *, record_id: str) -> None:
    changed: list[tuple[str, int | None]] = [(record_id, None)]
    with events.announcing_records(records.org.id, events.RECORD_DELETED, changed):
        with _writing():
            deleted = records.delete(record_id)
        if not deleted:
            raise _record_not_found()


def record_export(records: TenantRecords) -> Iterator[Record]:
    """Every record, oldest first, read lazily in batches (constant memory), from wherever the
    org's records are whole; raises Busy or NotFound before anything is sent, and cuts the
    stream (Busy) if the org changes while it runs (organizations.orgs.orgstate.export)."""
    return orgstate.export(records.org.id, lambda at: records.iter_all(at=at))

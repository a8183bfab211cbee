"""Record services: an org's admin creates, lists, reads, changes, deletes and exports the org's
records. Every function takes the handle from ``records_for``, so the tenant always comes from
the authenticated principal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from accounts.store_errors import api_errors
from kernel.errors import Busy, Conflict, NotFound
from organizations.orgs import orgstate
from organizations.records import query as records_query
from organizations.records.rules import clean_bulk, clean_record
from organizations.webhooks import events
from tenancy.documents import CREATING, DELETED, DELETING
from tenancy.record_store import HasOrgId, Record, TenantRecords, for_principal
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
    routes do not reveal whether some other org exists, nor anything about its records."""
    records = for_principal(principal)
    if records is not None and orgstate.settle_overdue(records.org):
        records = for_principal(principal)
    if records is None or records.org.slug != slug or records.org.status in _HIDDEN:
        raise _org_not_found()
    return records


def record_create(records: TenantRecords, *, data: object) -> Record:
    """Store one record. Raises InvalidInput (refused shape), Conflict (``org_busy``)."""
    cleaned = clean_record(data)
    with _writing():
        (record,) = records.insert_many([cleaned])
    events.emit_records(records.org.id, events.RECORD_CREATED, [(record.id, record.rev)])
    return record


def record_bulk_create(records: TenantRecords, *, body: object) -> list[Record]:
    """Store ``body["records"]`` (1 to 1000); all are validated before any is written."""
    cleaned = clean_bulk(body)
    with _writing():
        created = records.insert_many(cleaned)
    changed = [(record.id, record.rev) for record in created]
    events.emit_records(records.org.id, events.RECORD_CREATED, changed)
    return created


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
        )
    results = found[: query.limit]
    more = len(found) > query.limit
    return RecordPage(results, records_query.encode_cursor(results[-1].id) if more else None)


def record_get(records: TenantRecords, *, record_id: str) -> Record:
    """The record, from wherever the org's records are whole. Raises NotFound, Busy."""
    record = orgstate.read(records.org.id, lambda at: records.get(record_id, at=at))
    if record is None:
        raise _record_not_found()
    return record


def record_replace(records: TenantRecords, *, record_id: str, data: object) -> Record:
    """Replace the record's fields with ``data``. Raises InvalidInput, NotFound, Conflict."""
    cleaned = clean_record(data)
    with _writing():
        record = records.replace(record_id, cleaned)
    if record is None:
        raise _record_not_found()
    events.emit_records(records.org.id, events.RECORD_UPDATED, [(record.id, record.rev)])
    return record


def record_patch(records: TenantRecords, *, record_id: str, changes: object) -> Record:
    """Merge ``changes`` into the record's top-level fields (a nested object is replaced
    whole; ``null`` stores null; PUT removes fields). The merged record obeys every rule,
    size included. Raises InvalidInput, NotFound, Conflict (``record_busy`` when other
    writers keep changing the record)."""
    patch = clean_record(changes)
    for _ in range(PATCH_ATTEMPTS):
        current = record_get(records, record_id=record_id)
        merged = clean_record({**current.data, **patch})
        with _writing():
            record = records.replace(record_id, merged, rev=current.rev)
        if record is not None:
            events.emit_records(records.org.id, events.RECORD_UPDATED, [(record.id, record.rev)])
            return record
    raise Conflict("The record keeps changing; retry.", code="record_busy")


def record_delete(records: TenantRecords, *, record_id: str) -> None:
    with _writing():
        deleted = records.delete(record_id)
    if not deleted:
        raise _record_not_found()
    events.emit_records(records.org.id, events.RECORD_DELETED, [(record_id, None)])


def record_export(records: TenantRecords) -> Iterator[Record]:
    """Every record, oldest first, read lazily in batches (constant memory), from wherever the
    org's records are whole; raises Busy or NotFound before anything is sent, and cuts the
    stream (Busy) if the org changes while it runs (organizations.orgs.orgstate.export)."""
    return orgstate.export(records.org.id, lambda at: records.iter_all(at=at))

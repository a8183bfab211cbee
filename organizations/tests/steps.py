"""Test helpers for the state machine: pause an operation after a step (on an event the test
holds), stop it there in-process, run each operation, and check what a read answered."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bson import ObjectId

from conftest import PASSWORD
from kernel import failpoints
from kernel.errors import AppError, Busy, NotFound
from organizations.orgs import retention, services, suspension
from organizations.records import services as record_services
from tenancy import orgs, placement
from tenancy.documents import Org, utcnow
from tenancy.indexes import ORGS
from tenancy.record_store import for_principal
from tenancy.stores.client import master_db

TIMEOUT = 60  # seconds an event may take before the test fails (a hang, never a pacing sleep)
EMAIL = "boss@acme.example"
PLACEMENTS = placement.PLACEMENTS
# A move goes to the next placement: collection -> shared -> database -> collection.
MOVE_TO = dict(zip(PLACEMENTS, PLACEMENTS[1:] + PLACEMENTS[:1], strict=True))
ONLY_FOR = {"delete.batch_removed": ("shared",)}
REASON = "Unpaid invoices"
STAFF = "staff:root"


def cells(operation: str | None = None) -> list[tuple[str, str]]:
    """(step, placement) for every step of ``operation`` (every operation when None)."""
    return [
        (name, where)
        for name in failpoints.NAMES
        if operation is None or name.startswith(f"{operation}.")
        for where in ONLY_FOR.get(name, PLACEMENTS)
    ]


class Killed(BaseException):
    """The process dying at a step: a BaseException, so no ``except`` in the service sees it."""


@contextmanager
def killed_at(step: str) -> Iterator[None]:
    """Stop the operation run inside the block right after ``step``, as a crash would."""
    fired = threading.Event()

    def hook(name: str) -> None:
        if name == step and not fired.is_set():
            fired.set()
            raise Killed(step)

    failpoints.add_hook(hook)
    try:
        yield
    finally:
        failpoints.remove_hook(hook)
    assert fired.is_set(), f"{step} was never reached"


@dataclass
class Paused:
    """An operation running in its own thread, held right after ``step`` until ``release``."""

    step: str
    run: Callable[[], Any]
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None

    def _hook(self, name: str) -> None:
        mine = threading.current_thread() is self._thread
        if name == self.step and mine and not self.reached.is_set():
            self.reached.set()
            assert self.released.wait(TIMEOUT), "the test never released the operation"

    def _target(self) -> None:
        try:
            self.result = self.run()
        except BaseException as exc:  # reported to the test by finish()
            self.error = exc
        finally:
            self.reached.set()

    def start(self) -> Paused:
        self._thread = threading.Thread(target=self._target, daemon=True)
        failpoints.add_hook(self._hook)
        self._thread.start()
        assert self.reached.wait(TIMEOUT), f"{self.step} was never reached"
        assert self.error is None, f"the operation failed before {self.step}: {self.error!r}"
        return self

    def finish(self) -> Any:
        """Release the operation and wait for its end; its result, or its AppError."""
        self.released.set()
        self._thread.join(TIMEOUT)
        failpoints.remove_hook(self._hook)
        assert not self._thread.is_alive(), "the operation did not finish"
        if self.error is not None and not isinstance(self.error, AppError):
            raise self.error
        return self.error or self.result


@dataclass(frozen=True)
class Principal:
    org_id: str


def seed(where: str, name: str = "Acme Corp", email: str = EMAIL, count: int = 12) -> Org:
    org = services.organization_create(
        name=name, admin_email=email, admin_password=PASSWORD, placement=where
    )
    for_principal(Principal(org.id)).insert_many([{"n": i} for i in range(count)])
    return org


def stored_ids(org: Org) -> list[str]:
    """The ids stored where the org's placement keeps its records (duplicates kept)."""
    return [str(d["_id"]) for d in placement.open_records(placement.of(org)).find({})]


def operation(step: str, org: Org | None, where: str) -> Callable[[], Any]:
    """The operation a matrix cell runs: the one named by ``step``, on ``org``."""
    op = step.split(".")[0]
    if op == "create":
        return lambda: services.organization_create(
            name="Acme Corp", admin_email=EMAIL, admin_password=PASSWORD, placement=where
        )
    if op == "rename":
        return lambda: services.organization_rename(org_id=org.id, new_name="Acme Two")
    if op in ("delete", "soft_delete"):  # soft_delete: with ORG_DELETE_RETENTION (prepare)
        return lambda: services.organization_delete(org_id=org.id)
    if op == "suspend":
        return lambda: suspension.organization_suspend(org_id=org.id, reason=REASON, actor=STAFF)
    if op == "resume":
        return lambda: suspension.organization_resume(org_id=org.id, actor=STAFF)
    if op == "restore":
        return lambda: retention.organization_restore(org_id=org.id, actor=STAFF)
    return lambda: services.organization_move(org_id=org.id, to=MOVE_TO[where])


# The status each standing change leaves (organizations.orgs.standing).
STANDING_ENDS = {"suspend": "suspended", "resume": "active", "soft_delete": "deleted"}
STANDING_ENDS["restore"] = "active"


def prepare(op: str, org: Org | None, settings) -> None:
    """Put the seeded org where ``op`` starts: suspended to resume, deleted within a restore
    window to restore (and a window for soft_delete); other operations start at rest."""
    if op in ("soft_delete", "restore"):
        settings.ORG_DELETE_RETENTION = 3600
    if op == "resume":
        suspension.organization_suspend(org_id=org.id, reason=REASON, actor=STAFF)
    if op == "restore":
        services.organization_delete(org_id=org.id)


def expire(org: Org) -> Org:
    """Move a deleted org's restore window into the past (as if it had ended)."""
    past = utcnow() - timedelta(seconds=1)
    master_db()[ORGS].update_one({"_id": ObjectId(org.id)}, {"$set": {"purge_after": past}})
    return orgs.get(org.id)


def answer(call: Callable[[], Any]) -> Any:
    """What a request would answer: the value, or the application error."""
    try:
        return call()
    except AppError as exc:
        return exc


def refused(value: Any) -> bool:
    """A refusal a read may give: 409 org_busy with Retry-After, or 404 for an org that is not
    visible (being created or deleted)."""
    if isinstance(value, Busy):
        return value.code == "org_busy" and value.retry_after > 0
    return isinstance(value, NotFound) and value.code == "org_not_found"


def read_everything(org_id: str, slug: str, record_id: str | None) -> dict[str, Any]:
    """list, get (when there is a record to get) and export of the org's records as its
    admin, each an answer."""
    principal = Principal(org_id)

    def handle():
        return record_services.records_for(principal, slug)

    def listing():
        page = record_services.record_page(handle(), params={"limit": ["1000"]})
        return [r.id for r in page.results]

    def export():
        return [r.id for r in record_services.record_export(handle())]

    reads = {"list": answer(listing), "export": answer(export)}
    if record_id is not None:
        reads["get"] = answer(lambda: record_services.record_get(handle(), record_id=record_id).id)
    return reads


def assert_reads_whole(reads: dict[str, Any], expected: set[str], record_id: str) -> None:
    """Every read served the whole set (or the record) or refused; never a partial answer."""
    for kind in ("list", "export"):
        value = reads[kind]
        assert refused(value) or sorted(value) == sorted(expected), (kind, value)
    if "get" in reads:
        assert refused(reads["get"]) or reads["get"] == record_id, reads["get"]

"""manage.py seed_demo --orgs N --records M [--password P]"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from kernel.errors import AlreadyExists
from kernel.progress import Progress
from organizations.management.base import ServiceCommand
from organizations.orgs.services import organization_create
from organizations.records.services import record_bulk_create, records_for
from tenancy.documents import Org

BATCH = 500


@dataclass(frozen=True)
class _SeedingAs:
    """Stands for the org's admin: the records handle takes the tenant from a principal."""

    org_id: str


def seed_records(org: Org, count: int) -> None:
    """Add ``count`` demo records to ``org`` through the same service the records API uses."""
    records = records_for(_SeedingAs(org.id), org.slug)
    for start in range(0, count, BATCH):
        items = [
            {"n": n, "label": f"{org.slug} record {n}"}
            for n in range(start, min(start + BATCH, count))
        ]
        record_bulk_create(records, body={"records": items})


class Command(ServiceCommand):
    help = "Create demo orgs demo-0001... each with M records (existing demo orgs are skipped)."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True)
        parser.add_argument("--records", type=int, default=0, help="Records per new org.")
        parser.add_argument("--password", help="The demo admins' password (default: random).")
        parser.add_argument(
            "--first", type=int, default=1, help="Start at demo-<first> (seeding in chunks)."
        )

    def handle(self, *args, orgs, records, password, first, **options):
        shown = "" if password else None
        password = password or secrets.token_urlsafe(12)
        progress = Progress(self.stdout, orgs - first + 1, "seeding orgs")
        created = 0
        for n in range(first, orgs + 1):
            name = f"demo-{n:04d}"
            try:
                org = organization_create(
                    name=name, admin_email=f"admin@{name}.example", admin_password=password
                )
            except AlreadyExists:
                progress.advance()
                continue
            seed_records(org, records)
            created += 1
            progress.advance()
        progress.finish()
        # A generated password is shown once, or nobody could log in; a given one is not echoed.
        shown = f", password {password}" if shown is None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} demo orgs ({orgs - first + 1 - created} already existed), "
                f"{records} records each; admins admin@demo-NNNN.example{shown}"
            )
        )

"""manage.py reconcile_orgs [--grace SECONDS]"""

from organizations.management.base import ServiceCommand
from organizations.orgs.reconcile import reconcile


class Command(ServiceCommand):
    help = "Finish or roll back interrupted org operations and remove orphans (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            help="Leave operations younger than this many seconds alone (default: settings).",
        )

    def handle(self, *args, grace, **options):
        report = reconcile(grace_seconds=grace)
        for slug, outcome in sorted(report.operations.items()):
            self.stdout.write(f"{slug}: {outcome}")
        for name in report.dropped_collections:
            self.stdout.write(f"dropped orphan collection {name}")
        for name in report.dropped_databases:
            self.stdout.write(f"dropped orphan database {name}")
        for org_id in report.removed_shared_of:
            self.stdout.write(f"removed shared records of missing org {org_id}")
        for org_id in report.removed_admins_of:
            self.stdout.write(f"removed admins of missing org {org_id}")
        for slug in report.released_slugs:
            self.stdout.write(f"released stale slug claim {slug}")
        self.stdout.write(self.style.SUCCESS("Reconciled." if report.changed else "Nothing to do."))

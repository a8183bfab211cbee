"""manage.py ensure_indexes: create the master database's indexes (idempotent)."""

from django.core.management.base import BaseCommand

from tenancy.indexes import ensure_master_indexes


class Command(BaseCommand):
    help = "Create the master database's indexes (safe to run any time)."

    def handle(self, *args, **options):
        names = ensure_master_indexes()
        self.stdout.write(self.style.SUCCESS(f"{len(names)} master indexes in place."))

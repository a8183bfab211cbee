"""manage.py expire_documents: remove TTL-expired master documents now (embedded store)."""

from django.core.management.base import BaseCommand

from tenancy.expiry import sweep
from tenancy.stores.client import engine


class Command(BaseCommand):
    help = (
        "Remove master documents whose TTL has passed, as MongoDB's TTL monitor does "
        "(the embedded store only; the webhook worker runs this every minute)."
    )

    def handle(self, *args, **options):
        if engine() != "litemongo":
            self.stdout.write(f"Nothing to do on {engine()}: it expires documents itself.")
            return
        removed = sweep()
        total = sum(removed.values())
        detail = ", ".join(f"{name} {count}" for name, count in sorted(removed.items()))
        suffix = f" ({detail})." if detail else "."
        self.stdout.write(f"Removed {total} expired documents{suffix}")

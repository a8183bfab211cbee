"""manage.py list_failpoints"""

from django.core.management.base import BaseCommand

from kernel import failpoints


class Command(BaseCommand):
    help = "Print every failpoint name, one per line (arm with ORGSERVICE_FAILPOINTS)."

    def handle(self, *args, **options):
        for name in failpoints.NAMES:
            self.stdout.write(name)

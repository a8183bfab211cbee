"""manage.py shard_setup"""

from accounts.store_errors import api_errors
from organizations.management.base import ServiceCommand
from tenancy.sharding import shard_setup


class Command(ServiceCommand):
    help = (
        "On a sharded MongoDB cluster, shard the shared records collection on "
        "{org_id: 1, _id: 1} (idempotent; does nothing elsewhere)."
    )

    def handle(self, *args, **options):
        with api_errors():
            steps = shard_setup()
        for step in steps:
            self.stdout.write(step)
        self.stdout.write(self.style.SUCCESS("Shard setup done."))

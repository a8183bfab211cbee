"""manage.py rename_org OLD NEW"""

from organizations.management.base import ServiceCommand
from organizations.orgs.selectors import organization_by_name
from organizations.orgs.services import organization_rename


class Command(ServiceCommand):
    help = "Rename an organization; its collection and every record move with it."

    def add_arguments(self, parser):
        parser.add_argument("old")
        parser.add_argument("new")

    def handle(self, *args, old, new, **options):
        org = organization_by_name(old)
        done = organization_rename(org_id=org.id, new_name=new, actor="manage.py")
        self.stdout.write(
            self.style.SUCCESS(f"Renamed to {done.name!r} (collection {done.collection}).")
        )

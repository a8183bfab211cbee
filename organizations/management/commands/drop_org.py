"""manage.py drop_org NAME [--no-input]"""

from django.core.management.base import CommandError

from organizations.management.base import ServiceCommand
from organizations.orgs.selectors import organization_by_name
from organizations.orgs.services import organization_delete


class Command(ServiceCommand):
    help = "Delete an organization with its admin and all its records."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, name, interactive, **options):
        org = organization_by_name(name)
        if interactive:
            answer = input(f"Delete {org.name!r} and all its data? Type its slug to confirm: ")
            if answer.strip() != org.slug:
                raise CommandError("Not confirmed; nothing deleted.")
        kept = organization_delete(org_id=org.id, actor="manage.py")
        until = f"; restorable until {kept.purge_after:%Y-%m-%d %H:%M:%S} UTC" if kept else ""
        self.stdout.write(self.style.SUCCESS(f"Deleted {org.name!r}{until}."))

"""manage.py list_orgs"""

from organizations.management.base import ServiceCommand
from tenancy import orgs


class Command(ServiceCommand):
    help = "List every organization: slug, status, collection, name."

    def handle(self, *args, **options):
        count = 0
        for org in orgs.all_orgs():
            self.stdout.write(f"{org.slug}\t{org.status}\t{org.collection}\t{org.name}")
            count += 1
        self.stdout.write(self.style.SUCCESS(f"{count} organization(s)."))

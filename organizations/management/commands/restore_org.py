"""manage.py restore_org NAME"""

from organizations.management.base import ServiceCommand
from organizations.orgs.retention import organization_restore
from organizations.staff.services import staff_org_by_name


class Command(ServiceCommand):
    help = "Restore a deleted organization within its restore window (ORG_DELETE_RETENTION)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        org = staff_org_by_name(name)
        done = organization_restore(org_id=org.id, actor="manage.py")
        self.stdout.write(self.style.SUCCESS(f"Restored {done.name!r} ({done.status})."))

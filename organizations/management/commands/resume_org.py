"""manage.py resume_org NAME"""

from organizations.management.base import ServiceCommand
from organizations.orgs.suspension import organization_resume
from organizations.staff.services import staff_org_by_name


class Command(ServiceCommand):
    help = "Resume a suspended organization: its members can log in and use their tokens again."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        org = staff_org_by_name(name)
        done = organization_resume(org_id=org.id, actor="manage.py")
        self.stdout.write(self.style.SUCCESS(f"Resumed {done.name!r}."))

"""manage.py suspend_org NAME --reason TEXT"""

from organizations.management.base import ServiceCommand
from organizations.orgs.suspension import organization_suspend
from organizations.staff.services import staff_org_by_name


class Command(ServiceCommand):
    help = (
        "Suspend an organization: its members' logins and tokens are refused (org_suspended) "
        "until resume_org; its records are kept untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--reason", required=True, help="Shown with the org's metadata.")

    def handle(self, *args, name, reason, **options):
        org = staff_org_by_name(name)
        done = organization_suspend(org_id=org.id, reason=reason, actor="manage.py")
        self.stdout.write(self.style.SUCCESS(f"Suspended {done.name!r}: {reason.strip()}"))

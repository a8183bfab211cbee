"""manage.py roleless_members [--set-role ROLE]"""

from organizations.management.base import ServiceCommand
from organizations.members.role_repair import member_assign_role, roleless_members
from organizations.members.services import check_role


class Command(ServiceCommand):
    help = (
        "List members whose role is missing or unknown (they may do nothing); --set-role gives"
        " each of them that role (e.g. owner for admins stored before roles existed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set-role", dest="role", help="owner, admin or member")

    def handle(self, *args, role: str | None, **options):
        if role is not None:
            check_role(role)
        found = roleless_members()
        for member in found:
            self.stdout.write(f"{member.org_id}\t{member.id}\t{member.email}\t{member.role!r}")
            if role is not None:
                member_assign_role(member=member, role=role, actor="manage.py")
        done = f"given the role {role!r}" if role else "left without access"
        self.stdout.write(self.style.SUCCESS(f"{len(found)} member(s) without a role, {done}."))

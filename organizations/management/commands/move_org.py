"""manage.py move_org NAME --to collection|shared|database"""

from kernel.progress import Progress
from organizations.management.base import ServiceCommand
from organizations.orgs.selectors import organization_by_name
from organizations.orgs.services import organization_move
from tenancy import placement


class Command(ServiceCommand):
    help = (
        "Move an organization's records to another placement, online: copy in batches, verify "
        "counts and checksums, switch, remove the source. Record writes get 409 meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--to", required=True, choices=placement.PLACEMENTS)

    def handle(self, *args, name, to, **options):
        org = organization_by_name(name)
        total = placement.count(placement.of(org))
        progress = Progress(self.stdout, total, "copying records")
        done = organization_move(
            org_id=org.id, to=to, actor="manage.py", on_copied=progress.advance
        )
        progress.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.name!r} is now in placement {done.placement} (collection {done.collection}"
                + (f", database {done.database})." if done.database else ").")
            )
        )

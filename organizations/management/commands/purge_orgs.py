"""manage.py purge_orgs [--no-input]"""

from django.core.management.base import CommandError

from kernel.progress import Progress
from organizations.management.base import ServiceCommand
from organizations.orgs.retention import purge_expired, purgeable_count


class Command(ServiceCommand):
    help = (
        "Remove for good every deleted organization whose restore window has ended, with its "
        "members and records (the delete operation's steps). Idempotent; a purge killed "
        "mid-way is finished by the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, interactive, **options):
        total = purgeable_count()
        if total == 0:
            self.stdout.write("Nothing to purge.")
            return
        if interactive:
            answer = input(f"Purge {total} deleted organization(s) for good? Type 'purge': ")
            if answer.strip() != "purge":
                raise CommandError("Not confirmed; nothing purged.")
        progress = Progress(self.stdout, total, "purging organizations")

        def done(slug: str, outcome: str) -> None:
            progress.advance()

        outcomes = purge_expired(actor="manage.py", on_done=done)
        progress.finish()
        for slug, outcome in outcomes.items():
            self.stdout.write(f"{slug}: {outcome}")
        purged = sum(o == "purged" for o in outcomes.values())
        self.stdout.write(self.style.SUCCESS(f"Purged {purged} of {len(outcomes)}."))

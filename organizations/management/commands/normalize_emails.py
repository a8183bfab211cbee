"""manage.py normalize_emails [--dry-run | --apply]"""

from accounts.email_migration import CHANGED, CONFLICT, INVALID, email_migrate, email_report
from organizations.management.base import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Report stored emails (members, pending invitations) that the canonical form (NFKC, IDNA"
        " domain) would change; --apply rewrites them. Conflicts are reported, never merged."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="report only (the default)")
        mode.add_argument("--apply", action="store_true", help="rewrite the addresses")

    def handle(self, *args, apply: bool, **options):
        fixes = email_migrate(actor="manage.py") if apply else email_report()
        for fix in fixes:
            line = f"{fix.outcome}\t{fix.kind}\t{fix.id}\t{fix.old!r} -> {fix.new!r}"
            text = f"{line}\t{fix.detail}".rstrip()
            warn = fix.outcome in (CONFLICT, INVALID)
            self.stdout.write(self.style.WARNING(text) if warn else text)
        problems = sum(f.outcome in (CONFLICT, INVALID) for f in fixes)
        changed = sum(f.outcome == CHANGED for f in fixes)
        verb = f"{changed} changed" if apply else f"{len(fixes) - problems} to change"
        summary = f"{len(fixes)} address(es) not canonical: {verb}, {problems} need staff."
        style = self.style.ERROR if problems else self.style.SUCCESS
        self.stdout.write(style(summary))

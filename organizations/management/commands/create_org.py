"""manage.py create_org NAME --email E [--password P] [--placement collection|shared|database]"""

import getpass
import sys

from django.core.management.base import CommandError

from organizations.management.base import ServiceCommand
from organizations.orgs.services import organization_create
from tenancy.placement import PLACEMENTS


class Command(ServiceCommand):
    help = "Create an organization with its admin (prompts for the password on a terminal)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="Omit to be prompted (keeps it out of history).")
        parser.add_argument(
            "--placement",
            choices=PLACEMENTS,
            help="Where its records live (default: settings.ORG_PLACEMENT).",
        )

    def handle(self, *args, name, email, password, placement=None, **options):
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError("--password is required when no terminal is attached.")
            password = getpass.getpass("Admin password: ")
        org = organization_create(
            name=name, admin_email=email, admin_password=password, placement=placement
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created {org.name!r} (slug {org.slug}, id {org.id}).")
        )

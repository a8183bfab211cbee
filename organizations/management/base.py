"""Base for the staff commands: application errors become CommandError (non-zero exit)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kernel.errors import AppError


class ServiceCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except AppError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc

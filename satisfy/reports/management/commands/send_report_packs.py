from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.reports.services import send_report_packs


class Command(BaseCommand):
    help = (
        "Render and e-mail every due scheduled report pack (each unit and period once)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date like 2026-05-01, not {options['today']!r}."
                ) from None
        result = send_report_packs(today=today)
        for line in result.lines:
            self.stdout.write(line)
        self.stdout.write(
            f"{result.sent} packs sent, {result.skipped} skipped, {result.failed} failed."
        )
        if result.failed:
            raise CommandError(f"{result.failed} packs could not be sent.")

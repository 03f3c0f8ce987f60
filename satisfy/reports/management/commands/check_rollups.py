from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.reports.rollups import check_rollups
from satisfy.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Compare the stored rollups with the raw answers; exit 1 and list the "
        "differences when they disagree (fix with rebuild_rollups)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--survey", help="survey slug (default: every survey)")
        parser.add_argument("--limit", type=int, default=50, help="differences to list")

    def handle(self, *args: Any, **options: Any) -> None:
        survey_ids = None
        if options["survey"]:
            survey = Survey.objects.filter(slug=options["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey with the slug {options['survey']!r}.")
            survey_ids = [survey.pk]
        result = check_rollups(survey_ids=survey_ids, limit=options["limit"])
        if result.ok:
            self.stdout.write(
                f"Rollups agree with the answers ({result.rows_checked} rows in "
                f"{result.windows} windows)."
            )
            return
        for line in result.mismatches:
            self.stdout.write(line)
        raise CommandError(
            f"{len(result.mismatches)} rollup rows differ from the answers; "
            "run `satisfy rebuild_rollups`."
        )

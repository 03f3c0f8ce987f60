from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.reports.rollups import rebuild_rollups
from satisfy.surveys.models import Survey


class Command(BaseCommand):
    help = "Recompute the dashboard rollups from the raw answers (all surveys or one)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--survey", help="survey slug (default: every survey)")

    def handle(self, *args: Any, **options: Any) -> None:
        survey_ids = None
        if options["survey"]:
            survey = Survey.objects.filter(slug=options["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey with the slug {options['survey']!r}.")
            survey_ids = [survey.pk]
        verbose = options["verbosity"] > 1
        started = time.perf_counter()
        result = rebuild_rollups(
            survey_ids=survey_ids, progress=self.stdout.write if verbose else None
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Rebuilt rollups of {result.versions} survey versions: "
                f"{result.responses} responses, {result.detail_rows} detail rows, "
                f"{result.unit_rows} unit rows in {time.perf_counter() - started:.1f} s."
            )

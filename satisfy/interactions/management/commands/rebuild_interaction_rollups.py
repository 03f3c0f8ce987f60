from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from satisfy.interactions.rollups import rebuild_all


class Command(BaseCommand):
    help = (
        "Recompute the interaction KPI rollups from the stored interactions (after "
        "changing TIME_ZONE, or after writing interactions outside the importer and "
        "the events API)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--chunk-days",
            type=int,
            default=31,
            help="days rebuilt per INSERT … SELECT (default 31)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        started = time.perf_counter()
        result = rebuild_all(
            progress=self.stdout.write if verbose else None,
            chunk_days=max(1, options["chunk_days"]),
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Rebuilt the interaction rollups of {result.days} days "
                f"({settings.TIME_ZONE}): {result.rows} rows, {result.agent_rows} "
                f"agent rows in {time.perf_counter() - started:.1f} s."
            )

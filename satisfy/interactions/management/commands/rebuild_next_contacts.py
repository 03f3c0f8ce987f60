from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from satisfy.interactions.next_contacts import rebuild_all


class Command(BaseCommand):
    help = (
        "Recompute every interaction's gap to the same customer's next contact "
        "(next_contact_seconds, behind FCR and ACR), after writing interactions "
        "outside the importer and the events API. One transaction per chunk of "
        "customers; safe to interrupt and run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--chunk-customers",
            type=int,
            default=None,
            help="customers per UPDATE (default 20000 on PostgreSQL, 900 on SQLite)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        started = time.perf_counter()
        result = rebuild_all(
            progress=self.stdout.write if verbose else None,
            chunk_customers=options["chunk_customers"],
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Recomputed the next contacts of {result.customers} customers: "
                f"{result.changed} rows changed in "
                f"{time.perf_counter() - started:.1f} s."
            )

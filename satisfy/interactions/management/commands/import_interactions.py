from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.formats.anonymous_bank import read_anonymous_bank
from satisfy.formats.interactions_csv import (
    InteractionFileError,
    load_mapping,
    read_interactions,
)
from satisfy.interactions.management.file_import import (
    FileImport,
    add_file_arguments,
    rejected,
)
from satisfy.interactions.services import import_interactions


class Command(BaseCommand):
    help = (
        "Import interactions (calls, chats, e-mails, visits) from a file: validate "
        "every row, then store all of them, or none."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            required=True,
            choices=("anonymous-bank", "csv"),
            help="anonymous-bank: the Technion Anonymous Bank log; csv: CSV or XLSX",
        )
        add_file_arguments(parser, map_help="YAML column mapping (csv format only)")

    def handle(self, *args: Any, **options: Any) -> None:
        run = FileImport.from_options(options)
        path = run.path
        try:
            if options["format"] == "anonymous-bank":
                if options["map"]:
                    raise CommandError("--map is only used with --format csv")
                records = read_anonymous_bank(path)
            else:
                mapping = load_mapping(options["map"]) if options["map"] else None
                records = read_interactions(path, mapping)
            run.say(
                f"  read and checked {len(records):,} records in "
                f"{time.perf_counter() - run.started:.1f} s\n"
            )
            result = import_interactions(
                records=records,
                default_unit=run.unit,
                progress=run.progress,
                tz=run.tz,
            )
        except InteractionFileError as exc:
            raise rejected(exc) from None
        excluded = ", ".join(f"{k} {v:,}" for k, v in result.excluded.items())
        self.stdout.write(
            f"Imported {result.imported:,} interactions from {path.name} in "
            f"{result.seconds:.1f} s ({result.method}); left out of the queue KPIs: "
            f"{excluded or 'none'}; {len(result.warnings):,} rows with warnings."
        )

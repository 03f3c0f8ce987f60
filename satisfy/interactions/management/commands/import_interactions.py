from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from satisfy.formats.anonymous_bank import read_anonymous_bank
from satisfy.formats.interactions_csv import (
    InteractionFileError,
    load_mapping,
    read_interactions,
)
from satisfy.interactions.services import import_interactions
from satisfy.org.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Import interactions (calls, chats, e-mails, visits) from a file: validate "
        "every row, then store all of them, or none."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            required=True,
            choices=("anonymous-bank", "csv"),
            help="anonymous-bank: the Technion Anonymous Bank log; csv: CSV or XLSX",
        )
        parser.add_argument(
            "--map", type=Path, help="YAML column mapping (csv format only)"
        )
        parser.add_argument(
            "--unit", default="", help="org unit code for rows without unit or agent"
        )
        parser.add_argument(
            "--timezone",
            default="",
            help="time zone of naive times in the file (default: TIME_ZONE)",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="no progress lines, only the summary"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"--unit: no org unit with code {options['unit']!r}")
        tz = None
        if options["timezone"]:
            try:
                tz = ZoneInfo(options["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(
                    f"--timezone: unknown time zone {options['timezone']!r}"
                ) from None
        quiet = options["quiet"]
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if not quiet:
                sys.stderr.write(
                    f"\r  stored {done:,} of {total:,} ({done / total:.0%}) "
                    f"{time.perf_counter() - started:.1f} s"
                )
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            if options["format"] == "anonymous-bank":
                if options["map"]:
                    raise CommandError("--map is only used with --format csv")
                records = read_anonymous_bank(path)
            else:
                mapping = load_mapping(options["map"]) if options["map"] else None
                records = read_interactions(path, mapping)
            if not quiet:
                sys.stderr.write(
                    f"  read and checked {len(records):,} records in "
                    f"{time.perf_counter() - started:.1f} s\n"
                )
            result = import_interactions(
                records=records, default_unit=unit, progress=progress, tz=tz
            )
        except InteractionFileError as exc:
            lines = [str(exc)]
            lines += [f"  {issue}" for issue in exc.issues]
            if exc.total_issues > len(exc.issues):
                lines.append(
                    f"  … and {exc.total_issues - len(exc.issues)} more; nothing was stored"
                )
            else:
                lines.append("  nothing was stored")
            raise CommandError("\n".join(lines)) from None
        excluded = ", ".join(f"{k} {v:,}" for k, v in result.excluded.items())
        self.stdout.write(
            f"Imported {result.imported:,} interactions from {path.name} in "
            f"{result.seconds:.1f} s ({result.method}); left out of the queue KPIs: "
            f"{excluded or 'none'}; {len(result.warnings):,} rows with warnings."
        )

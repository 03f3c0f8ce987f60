from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from satisfy.customers.importing import FIELDS, ColumnMapping, ImportFileError
from satisfy.customers.services import import_customers
from satisfy.org.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Import customers from a CSV or XLSX file: validate every row, then insert or "
        "update all of them, or none."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mapping",
            type=Path,
            help="YAML/JSON column mapping ({email: E-mail, attributes: [Region]})",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"map one field ({', '.join(FIELDS)}) to a column; repeatable",
        )
        parser.add_argument(
            "--attribute",
            action="append",
            default=[],
            metavar="COLUMN",
            help="keep a column as an attribute (with --only-mapped)",
        )
        parser.add_argument(
            "--only-mapped",
            action="store_true",
            help="do not keep unmapped columns as attributes",
        )
        parser.add_argument(
            "--region", default="", help="default phone region, e.g. GB"
        )
        parser.add_argument(
            "--unit", default="", help="org unit code for rows without one"
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--json", action="store_true", help="print the report as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        data: dict[str, Any] = {}
        if options["mapping"]:
            data = yaml.safe_load(options["mapping"].read_text(encoding="utf-8")) or {}
        for item in options["map"]:
            field, _sep, column = item.partition("=")
            if not column:
                raise CommandError(f"--map {item!r}: write FIELD=COLUMN")
            data[field.strip()] = column.strip()
        if options["attribute"]:
            data["attributes"] = list(options["attribute"])
        if options["only_mapped"]:
            data["keep_other_columns"] = False
        try:
            mapping = ColumnMapping.from_dict(data)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no org unit with code {options['unit']!r}")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")

        def progress(phase: str, count: int) -> None:
            if not options["json"]:
                sys.stderr.write(f"\r{phase} {count:,} rows")
                sys.stderr.flush()

        try:
            with path.open("rb") as stream:
                report = import_customers(
                    stream=stream,
                    filename=path.name,
                    mapping=mapping,
                    region=options["region"],
                    default_unit=unit,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if not options["json"]:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "rows": report.total_rows,
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                        "dry_run": report.dry_run,
                        "problems": [
                            {"row": p.row, "column": p.column, "reason": p.reason}
                            for p in report.problems
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        elif report.ok:
            verb = "would import" if report.dry_run else "imported"
            self.stdout.write(
                f"{path.name}: {verb} {report.total_rows} rows: {report.created} new, "
                f"{report.updated} updated, {report.unchanged} unchanged"
            )
        else:
            for problem in report.problems:
                self.stderr.write(
                    f"{path.name}: row {problem.row}, column {problem.column or '-'}: "
                    f"{problem.reason}"
                )
            if report.truncated:
                self.stderr.write("(more problems not shown)")
        if not report.ok:
            raise CommandError(
                f"{path.name}: nothing imported ({len(report.problems)} problems)"
            )

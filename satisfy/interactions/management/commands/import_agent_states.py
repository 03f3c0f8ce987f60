from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from satisfy.formats.agent_states import (
    AgentStateFileError,
    load_agent_state_mapping,
    read_agent_states,
)
from satisfy.interactions.services.agent_states import import_agent_states
from satisfy.org.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Import agent-state records (available, talk, hold, after-call work, not "
        "ready, logged out) from a CSV or XLSX file: validate every row, then store "
        "all of them, or none. They give occupancy on the operations page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--map", type=Path, help="YAML column and state-name mapping"
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
            mapping = (
                load_agent_state_mapping(options["map"]) if options["map"] else None
            )
            records = read_agent_states(path, mapping)
            result = import_agent_states(
                records=records, default_unit=unit, progress=progress, tz=tz
            )
        except AgentStateFileError as exc:
            lines = [str(exc)]
            lines += [f"  {issue}" for issue in exc.issues]
            if exc.total_issues > len(exc.issues):
                lines.append(
                    f"  … and {exc.total_issues - len(exc.issues)} more; nothing was stored"
                )
            else:
                lines.append("  nothing was stored")
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"Imported {result.imported:,} agent-state records of {result.agents:,} "
            f"agents from {path.name} in {result.seconds:.1f} s."
        )

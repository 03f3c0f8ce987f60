"""What the file-import commands share: their options, progress lines and errors."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import CommandError

from satisfy.formats.interactions_csv import InteractionFileError
from satisfy.org.models import OrgUnit


def add_file_arguments(parser: ArgumentParser, *, map_help: str) -> None:
    """FILE, --map, --unit, --timezone and --quiet."""
    parser.add_argument("file", type=Path)
    parser.add_argument("--map", type=Path, help=map_help)
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


@dataclass
class FileImport:
    """The checked options of one import, and its progress lines on stderr."""

    path: Path
    unit: OrgUnit | None
    tz: tzinfo | None
    quiet: bool
    started: float = field(default_factory=time.perf_counter)

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> FileImport:
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
        return cls(path, unit, tz, bool(options["quiet"]))

    def say(self, line: str) -> None:
        if not self.quiet:
            sys.stderr.write(line)
            sys.stderr.flush()

    def progress(self, done: int, total: int) -> None:
        self.say(
            f"\r  stored {done:,} of {total:,} ({done / total:.0%}) "
            f"{time.perf_counter() - self.started:.1f} s"
            + ("\n" if done == total else "")
        )


def rejected(exc: InteractionFileError) -> CommandError:
    """The file's problems by row, and that nothing was stored."""
    lines = [str(exc)]
    lines += [f"  {issue}" for issue in exc.issues]
    if exc.total_issues > len(exc.issues):
        lines.append(
            f"  … and {exc.total_issues - len(exc.issues)} more; nothing was stored"
        )
    else:
        lines.append("  nothing was stored")
    return CommandError("\n".join(lines))

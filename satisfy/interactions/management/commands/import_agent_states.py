from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from satisfy.formats.agent_states import (
    AgentStateFileError,
    load_agent_state_mapping,
    read_agent_states,
)
from satisfy.interactions.management.file_import import (
    FileImport,
    add_file_arguments,
    rejected,
)
from satisfy.interactions.services.agent_states import import_agent_states


class Command(BaseCommand):
    help = (
        "Import agent-state records (available, talk, hold, after-call work, not "
        "ready, logged out) from a CSV or XLSX file: validate every row, then store "
        "all of them, or none. They give occupancy on the operations page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_file_arguments(parser, map_help="YAML column and state-name mapping")

    def handle(self, *args: Any, **options: Any) -> None:
        run = FileImport.from_options(options)
        try:
            mapping = (
                load_agent_state_mapping(options["map"]) if options["map"] else None
            )
            records = read_agent_states(run.path, mapping)
            result = import_agent_states(
                records=records,
                default_unit=run.unit,
                progress=run.progress,
                tz=run.tz,
            )
        except AgentStateFileError as exc:
            raise rejected(exc) from None
        self.stdout.write(
            f"Imported {result.imported:,} agent-state records of {result.agents:,} "
            f"agents from {run.path.name} in {result.seconds:.1f} s."
        )

"""The ``satisfy`` command: one entry point for demo, serve, imports and reports.

File-mode tools (``metrics``, ``analyze``, ``kpi``, ``staffing``) read files and
print results without a database or Django; everything else is a Django
management command run with Satisfy's settings.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

# Commands that work on files alone: module path of a ``main(argv) -> int``.
FILE_COMMAND_HELP: dict[str, str] = {
    "metrics": "NPS, CSAT, CES or CSI with intervals from a CSV column",
    "analyze": "key drivers, importance-performance, PLS (ACSI/ECSI) and gaps",
    "kpi": "contact-centre KPIs from a call log",
    "staffing": "Erlang C agents needed for a service-level target",
}
FILE_COMMANDS: dict[str, str] = {
    "metrics": "satisfy.filecli.metrics",
    "analyze": "satisfy.filecli.analyze",
    "kpi": "satisfy.filecli.kpi",
    "staffing": "satisfy.filecli.staffing",
}

# Management commands shown by ``satisfy help`` with a one-line summary.
DJANGO_COMMANDS: dict[str, str] = {
    "demo": "build a realistic demo contact centre and serve it",
    "serve": "run the web app with a production server",
    "worker": "run background job workers",
    "migrate": "create or update the database tables",
    "createadmin": "create an administrator account",
    "templates": "list, show or validate the built-in survey templates",
    "survey": "create, publish, export or import surveys",
    "create_api_token": "create a token for the JSON API (/api/v1)",
    "import_customers": "import customers from CSV or XLSX (all or nothing)",
    "import_interactions": "import a call log (Anonymous Bank format or CSV/XLSX)",
    "import_agent_states": "import agent states (CSV/XLSX) for occupancy",
    "draw_sample": "draw a sample of customers or interactions for a wave",
    "launch_wave": "launch a wave: queue its invitations",
    "send_invitations": "send queued invitations now",
    "report": "write a survey report as XLSX, PDF, DOCX, CSV or SPSS .sav",
    "send_report_packs": "render and email scheduled report packs",
    "rebuild_rollups": "rebuild the dashboard summaries from the answers",
    "check_rollups": "check the dashboard summaries against the answers",
    "rebuild_interaction_rollups": "rebuild the contact-centre KPI rollups from the calls",
    "rebuild_next_contacts": "recompute each call's gap to the customer's next contact (FCR)",
}

USAGE = """usage: satisfy COMMAND [options]

Commands that need the database:
{django}

Commands that work on files alone (no database):
{files}

Any other Django management command also works (e.g. `satisfy shell`).
Run `satisfy COMMAND --help` for a command's options.
"""


def _usage() -> str:
    django = "\n".join(f"  {name:<20} {text}" for name, text in DJANGO_COMMANDS.items())
    files = "\n".join(
        f"  {name:<20} {text}" for name, text in FILE_COMMAND_HELP.items()
    )
    return USAGE.format(django=django, files=files)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    command = args[0]
    if command in FILE_COMMANDS:
        module = importlib.import_module(FILE_COMMANDS[command])
        file_main: Callable[[list[str]], int] = module.main
        return file_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satisfy.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["satisfy", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from satisfy.demo import synth
from satisfy.demo.loader import (
    SURVEY_SLUG,
    DemoError,
    DemoSummary,
    build_demo,
    delete_demo,
    demo_counts,
    demo_exists,
    sample_invitation,
)
from satisfy.demo.personas import write_logins
from satisfy.distribution.codes import format_short_code


class Command(BaseCommand):
    help = (
        "Build a realistic synthetic contact centre (Acme Support: 120 agents, 50,000 "
        "interactions, ~8,000 survey responses) and serve it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="build, print a summary and stop"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiply customers and interactions (default 1)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="remove the demo data and build them again",
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["scale"] > 0:
            raise CommandError(
                f"--scale must be a positive number, not {options['scale']}."
            )
        started = time.perf_counter()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.say(f"Data directory: {settings.DATA_DIR}")
        self.say("Migrating the database …")
        call_command("migrate", verbosity=0)
        self.say(f"  database ready{'':>20}{time.perf_counter() - started:5.1f} s")
        base_url = _base_url(options["host"], options["port"])
        summary: DemoSummary | None = None
        try:
            if options["reset"] and demo_exists():
                self.say("Removing the previous demo …")
                delete_demo(progress=self.say)
            if demo_exists():
                self.say(
                    "The demo is already built in this database; not rebuilding (use --reset)."
                )
            else:
                self.say(
                    f"Building the demo contact centre (seed {options['seed']}, scale {options['scale']:g}) …"
                )
                summary = build_demo(
                    seed=options["seed"], scale=options["scale"], progress=self.say
                )
        except DemoError as error:
            raise CommandError(str(error)) from error
        self._print_summary(summary, base_url=base_url)
        if options["no_serve"]:
            return
        if "serve" not in get_commands():
            raise CommandError("`satisfy serve` is not available here; use --no-serve.")
        self.say(
            f"\nOpen {base_url}/ and sign in as alice (logins: {settings.DATA_DIR / 'demo-logins.txt'})."
        )
        connections.close_all()  # the server forks workers: no connection is shared
        call_command("serve", host=options["host"], port=options["port"])

    def _print_summary(self, summary: DemoSummary | None, *, base_url: str) -> None:
        counts = summary.counts if summary is not None else demo_counts()
        self.say("")
        self.say("Acme Support demo:")
        for label, count in counts.items():
            self.say(f"  {label:<20}{count:>10,}")
        if summary is not None:
            self.say(f"  built in {summary.seconds:.1f} s")
            path = write_logins(summary.logins, base_url=base_url)
            self.say("")
            self.say(f"Logins (also in {path}):")
            for login in summary.logins:
                self.say(
                    f"  {login.username:<8} {login.password:<20} {login.description}"
                )
        else:
            self.say(f"Logins: see {settings.DATA_DIR / 'demo-logins.txt'}")
        sample = sample_invitation()
        self.say("")
        if sample is not None:
            self.say(f"Try the survey: {base_url}/s/{sample.token}")
            self.say(
                f"  or with its short code: {format_short_code(sample.short_code)}"
            )
        self.say(f"Public survey link: {base_url}/s/{SURVEY_SLUG}")


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", "", "::"} else host  # noqa: S104 - only displayed
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"

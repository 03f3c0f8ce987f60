from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from satisfy.distribution.services import deliver_all_due


class Command(BaseCommand):
    help = (
        "Send the due invitations and reminders in the outbox (what the background "
        "worker does every minute). Safe to run in several processes at once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--channel", choices=["email", "sms"], default=None)
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--loop",
            action="store_true",
            help="keep running, checking every --interval seconds",
        )
        parser.add_argument("--interval", type=float, default=10.0)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            stats = deliver_all_due(
                batch_size=options["batch_size"], channel=options["channel"]
            )
            summary = {
                "sent": stats.sent,
                "already_delivered": stats.duplicates,
                "retried": stats.retried,
                "failed": stats.failed,
                "cancelled": stats.cancelled,
            }
            if options["json"]:
                self.stdout.write(json.dumps(summary))
            else:
                self.stdout.write(
                    "sent {sent} ({already_delivered} already delivered), "
                    "{retried} to retry, {failed} failed, {cancelled} cancelled".format(
                        **summary
                    )
                )
            if not options["loop"]:
                return
            time.sleep(options["interval"])

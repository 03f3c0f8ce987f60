from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.distribution.models import Wave
from satisfy.distribution.services import WaveError, launch_wave


class Command(BaseCommand):
    help = "Invite every sampled customer of a wave (messages go out from its start)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("wave", type=int, help="wave id")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.filter(pk=options["wave"]).first()
        if wave is None:
            raise CommandError(f"no wave with id {options['wave']}")
        try:
            result = launch_wave(wave=wave)
        except WaveError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{result.created} invitations queued, {result.already_invited} already invited"
        )

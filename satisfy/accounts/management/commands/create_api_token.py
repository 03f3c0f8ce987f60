from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satisfy.accounts.models import User
from satisfy.accounts.services import create_api_token


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print its secret once "
        "(send it as 'Authorization: Bearer <secret>')."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="the user the token acts as")
        parser.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'IVR collector'"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        token, secret = create_api_token(user=user, name=options["name"])
        self.stderr.write(
            f"Created token {token.prefix!r} ({token.name}) for {username}. "
            "This is the only time the secret is shown:"
        )
        self.stdout.write(secret)

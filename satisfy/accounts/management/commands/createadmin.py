from __future__ import annotations

import secrets
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from satisfy.accounts.models import RoleAssignment, User
from satisfy.accounts.services import grant_role
from satisfy.org.models import OrgUnit
from satisfy.org.services import create_unit


class Command(BaseCommand):
    help = "Create an administrator account (and the company unit if there is none)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", default="", help="omit to generate a strong one and print it"
        )
        parser.add_argument("--company", default="My organisation")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        password: str = options["password"] or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            username=username, email=options["email"], password=password
        )
        root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
        if root is None:
            root = create_unit(
                name=options["company"], code="company", kind=OrgUnit.Kind.COMPANY
            )
        grant_role(user=user, role=RoleAssignment.Role.ADMIN, unit=root)
        self.stdout.write(f"Created administrator {username!r} for {root.name}.")
        if not options["password"]:
            self.stdout.write(f"Password: {password}")

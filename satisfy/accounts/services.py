from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from satisfy.accounts.models import ApiToken, RoleAssignment, User
from satisfy.org.models import OrgUnit


@transaction.atomic
def grant_role(*, user: User, role: str, unit: OrgUnit) -> RoleAssignment:
    """Give ``user`` a role over ``unit`` and its subtree (idempotent)."""
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit
    )
    return assignment


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a machine token; the full secret is returned once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=hash_token_secret(secret)
    )
    return token, f"sat_{prefix}_{secret}"

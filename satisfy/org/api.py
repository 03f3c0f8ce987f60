"""Org units the caller may read."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from satisfy.accounts.models import User
from satisfy.org.models import OrgUnit
from satisfy.org.queries import units_for_user

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> QuerySet[OrgUnit]:
    """The units in the caller's subtrees, in tree order; empty without a role."""
    return units_for_user(cast(User, request.user))

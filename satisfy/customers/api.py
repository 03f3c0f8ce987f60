"""Customers: list, read, and import a CSV/XLSX file (all rows or none)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.customers.importing import ColumnMapping, ImportFileError
from satisfy.customers.queries import (
    customers_for_user,
    get_customer_for_user,
    scope_can_import_into,
)
from satisfy.customers.services import ImportReport, import_customers
from satisfy.org.models import OrgUnit
from satisfy.org.queries import units_for_user

router = Router(tags=["customers"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class CustomerOut(Schema):
    id: int
    external_id: str
    name: str
    email: str
    phone: str
    language: str
    segment: str
    unit: str | None
    attributes: dict[str, Any]
    has_consent: bool
    opted_out_at: datetime | None

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return obj.unit.code if obj.unit is not None else None


class ProblemOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    ok: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    problems: list[ProblemOut]
    more_problems: bool


@router.get("", response=list[CustomerOut])
@paginate(LimitOffsetPagination)
def list_customers(request: HttpRequest, search: str = "", segment: str = "") -> Any:
    customers = customers_for_user(_user(request)).order_by("external_id")
    if search:
        customers = customers.filter(
            Q(external_id__icontains=search)
            | Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
    if segment:
        customers = customers.filter(segment=segment)
    return customers


@router.get("/{int:customer_id}", response=CustomerOut)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    return get_customer_for_user(_user(request), customer_id)


def _report(report: ImportReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "dry_run": report.dry_run,
        "problems": [
            {"row": p.row, "column": p.column, "reason": p.reason}
            for p in report.problems
        ],
        "more_problems": report.truncated,
    }


@router.post("/import", response={200: ImportOut, 422: ImportOut})
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    mapping: Form[str] = "{}",
    region: Form[str] = "",
    unit: Form[str] = "",
    dry_run: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Validate the whole file; import every row or, with any problem, none (422)."""
    user = _user(request)
    scope = scope_for_user(user)
    if not scope.can_manage_any:
        raise PermissionDenied("Only administrators may import customers.")
    try:
        column_mapping = ColumnMapping.from_dict(json.loads(mapping or "{}"))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            [{"loc": ["form", "mapping"], "msg": str(exc), "type": "value_error"}]
        ) from None
    default_unit = None
    if unit:
        default_unit = units_for_user(user).filter(code=unit).first()
        if default_unit is None:
            raise ValidationError(
                [
                    {
                        "loc": ["form", "unit"],
                        "msg": f"no unit {unit!r} you can see",
                        "type": "value_error",
                    }
                ]
            )

    def allowed(target: OrgUnit | None) -> bool:
        return scope_can_import_into(scope, target)

    stream = file.file
    if stream is None:
        raise ValidationError(
            [{"loc": ["form", "file"], "msg": "no file", "type": "value_error"}]
        )
    try:
        report = import_customers(
            stream=stream,
            filename=file.name or "upload.csv",
            mapping=column_mapping,
            region=region,
            default_unit=default_unit,
            allowed_units=allowed,
            dry_run=dry_run,
        )
    except ImportFileError as exc:
        raise ValidationError(
            [{"loc": ["form", "file"], "msg": str(exc), "type": "value_error"}]
        ) from None
    return Status(200 if report.ok else 422, _report(report))

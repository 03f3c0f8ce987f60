from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from satisfy.customers.importing import (
    ColumnMapping,
    CustomerRow,
    ImportProblem,
    parse_customers,
)
from satisfy.customers.models import Customer
from satisfy.org.models import OrgUnit

Progress = Callable[[str, int], None]
BATCH = 2000
UPDATED_FIELDS = [
    "name",
    "email",
    "phone",
    "language",
    "segment",
    "unit",
    "attributes",
    "has_consent",
    "opted_out_at",
    "updated_at",
]


@dataclass
class ImportReport:
    """What an import did, or every reason it did nothing."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    truncated: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _auto_external_id(row: CustomerRow) -> str:
    # Stable, so importing the same file twice matches the same customer.
    basis = row.email or row.phone
    return "auto-" + hashlib.sha256(basis.encode()).hexdigest()[:20]


def _existing_index(
    rows: list[CustomerRow],
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Stored customers that any row could match, by external id, e-mail and phone."""
    by_id: dict[str, int] = {}
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    if not Customer.objects.exists():
        return by_id, by_email, by_phone
    ids = [r.external_id or _auto_external_id(r) for r in rows]
    emails = [r.email for r in rows if r.email]
    phones = [r.phone for r in rows if r.phone]
    step = 900
    for values, lookup in ((ids, "external_id"), (emails, "email"), (phones, "phone")):
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            for pk, external_id, email, phone in Customer.objects.filter(
                Q(**{f"{lookup}__in": chunk})
            ).values_list("pk", "external_id", "email", "phone"):
                by_id[external_id] = pk
                if email:
                    by_email.setdefault(email, pk)
                if phone:
                    by_phone.setdefault(phone, pk)
    return by_id, by_email, by_phone


def import_customers(
    *,
    stream: IO[bytes],
    filename: str,
    mapping: ColumnMapping,
    region: str = "",
    default_unit: OrgUnit | None = None,
    allowed_units: Callable[[OrgUnit | None], bool] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Validate a customer file completely, then insert or update all rows or none.

    A row matches a stored customer by external id, else e-mail, else phone.
    ``allowed_units`` (when given) must accept every unit a row lands in; the
    importing user's scope is checked through it.
    """
    parsed = parse_customers(
        stream, filename=filename, mapping=mapping, region=region, progress=progress
    )
    report = ImportReport(
        total_rows=parsed.total_rows,
        problems=parsed.problems,
        truncated=parsed.truncated,
        dry_run=dry_run,
    )
    if parsed.problems:
        return report
    rows = parsed.rows
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(
            code__in={r.unit_code for r in rows if r.unit_code}
        )
    }
    by_id, by_email, by_phone = _existing_index(rows)
    matches: list[int | None] = []
    for row in rows:
        if row.unit_code and row.unit_code not in units:
            report.problems.append(
                ImportProblem(
                    row.row, "unit", f"no org unit with code {row.unit_code!r}"
                )
            )
        unit = units.get(row.unit_code) if row.unit_code else default_unit
        if allowed_units is not None and not allowed_units(unit):
            report.problems.append(
                ImportProblem(
                    row.row, "unit", "you may not import customers into this unit"
                )
            )
        candidates = {
            kind: pk
            for kind, pk in (
                ("external id", by_id.get(row.external_id or _auto_external_id(row))),
                ("e-mail", by_email.get(row.email) if row.email else None),
                ("phone", by_phone.get(row.phone) if row.phone else None),
            )
            if pk is not None
        }
        distinct = set(candidates.values())
        if len(distinct) > 1:
            report.problems.append(
                ImportProblem(
                    row.row,
                    ", ".join(candidates),
                    "matches more than one stored customer ("
                    + ", ".join(f"{kind}" for kind in candidates)
                    + " point to different customers)",
                )
            )
        elif distinct and row.external_id and "external id" not in candidates:
            report.problems.append(
                ImportProblem(
                    row.row,
                    next(iter(candidates)),
                    "belongs to a stored customer with a different external id",
                )
            )
        matches.append(next(iter(distinct)) if distinct else None)
    if report.problems:
        return report
    if dry_run:
        report.created = sum(1 for m in matches if m is None)
        report.updated = len(matches) - report.created
        return report
    _commit(rows, matches, units, default_unit, report, progress, now or timezone.now())
    return report


@transaction.atomic
def _commit(
    rows: list[CustomerRow],
    matches: list[int | None],
    units: dict[str, OrgUnit],
    default_unit: OrgUnit | None,
    report: ImportReport,
    progress: Progress | None,
    now: datetime,
) -> None:
    update_rows = [
        (row, pk) for row, pk in zip(rows, matches, strict=True) if pk is not None
    ]
    new_rows = [row for row, pk in zip(rows, matches, strict=True) if pk is None]
    _insert(new_rows, units, default_unit, now, report, progress)
    for start in range(0, len(update_rows), BATCH):
        chunk = update_rows[start : start + BATCH]
        stored = Customer.objects.in_bulk([pk for _row, pk in chunk])
        changed: list[Customer] = []
        for row, pk in chunk:
            customer = stored[pk]
            before = _state(customer)
            customer.name = row.name or customer.name
            customer.email = row.email or customer.email
            customer.phone = row.phone or customer.phone
            customer.language = row.language if row.language else customer.language
            customer.segment = row.segment or customer.segment
            if row.unit_code:
                customer.unit = units[row.unit_code]
            customer.attributes = {**customer.attributes, **row.attributes}
            if row.has_consent is not None:
                customer.has_consent = row.has_consent
            if row.opted_out is True and customer.opted_out_at is None:
                customer.opted_out_at = now
            elif row.opted_out is False:
                customer.opted_out_at = None
            if _state(customer) == before:
                report.unchanged += 1
                continue
            customer.updated_at = now
            changed.append(customer)
        Customer.objects.bulk_update(changed, UPDATED_FIELDS)
        report.updated += len(changed)
    if progress is not None:
        progress("saved", report.created + report.updated + report.unchanged)


def _insert(
    rows: list[CustomerRow],
    units: dict[str, OrgUnit],
    default_unit: OrgUnit | None,
    now: datetime,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Insert new customers with executemany: the ORM's per-object work dominates
    big imports (a million rows), and these rows are already validated."""
    table = Customer._meta.db_table
    columns = [
        "external_id", "name", "email", "phone", "language", "segment", "unit_id",
        "attributes", "has_consent", "opted_out_at", "created_at", "updated_at",
    ]  # fmt: skip
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - fixed names
    default_unit_id = default_unit.pk if default_unit is not None else None
    # The database driver adapts datetimes itself; SQLite needs Django's adapter.
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10 * BATCH):
            chunk = rows[start : start + 10 * BATCH]
            cursor.executemany(
                sql,
                [
                    (
                        row.external_id or _auto_external_id(row),
                        row.name,
                        row.email,
                        row.phone,
                        row.language,
                        row.segment,
                        units[row.unit_code].pk if row.unit_code else default_unit_id,
                        json.dumps(row.attributes, ensure_ascii=False),
                        True if row.has_consent is None else row.has_consent,
                        stamp if row.opted_out else None,
                        stamp,
                        stamp,
                    )
                    for row in chunk
                ],
            )
            report.created += len(chunk)
            if progress is not None:
                progress("saved", report.created)


def _state(customer: Customer) -> tuple[object, ...]:
    return (
        customer.name,
        customer.email,
        customer.phone,
        customer.language,
        customer.segment,
        customer.unit_id,
        dict(customer.attributes),
        customer.has_consent,
        customer.opted_out_at,
    )


@transaction.atomic
def opt_out_customer(*, customer: Customer, now: datetime | None = None) -> bool:
    """Record that the customer wants no more surveys; False when already opted out."""
    return bool(
        Customer.objects.filter(pk=customer.pk, opted_out_at__isnull=True).update(
            opted_out_at=now or timezone.now(), updated_at=now or timezone.now()
        )
    )

"""Fast, generic writes for the demo loader: timestamps, bulk inserts, bulk deletes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any

import numpy as np
from django.db import connection, models
from django.db.models import ForeignObjectRel
from django.utils import timezone

BATCH_SIZE = 2000


class MissingTimestampError(ValueError):
    """A timestamp that must exist is missing from the generated data."""


class Timeline:
    """Seconds of local wall-clock time after ``first_day`` midnight → aware datetimes."""

    def __init__(self, first_day: date) -> None:
        self.zone = timezone.get_current_timezone()
        self.origin = np.datetime64(first_day.isoformat(), "us")

    def seconds_of(self, moment: datetime) -> float:
        local = timezone.localtime(moment, self.zone).replace(tzinfo=None)
        return float(
            (np.datetime64(local, "us") - self.origin) / np.timedelta64(1, "s")
        )

    def at(self, seconds: np.ndarray) -> list[datetime | None]:
        values = np.asarray(seconds, dtype=np.float64)
        micro = np.nan_to_num(values, nan=0.0) * 1e6
        naive = (
            (self.origin + micro.astype("timedelta64[us]")).astype(datetime).tolist()
        )
        return [
            None if np.isnan(value) else moment.replace(tzinfo=self.zone)
            for value, moment in zip(values.tolist(), naive, strict=True)
        ]

    def required(self, seconds: np.ndarray) -> list[datetime]:
        moments = self.at(seconds)
        if any(moment is None for moment in moments):
            raise MissingTimestampError(
                "A required timestamp of the demo data is missing."
            )
        return [moment for moment in moments if moment is not None]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """INSERT many rows at once, bypassing model instances (the demo's hot path).

    Values go through each field's ``get_db_prep_save`` only where the database
    needs it (datetimes, JSON); ``bulk_create`` spent most of a build compiling SQL
    per value. Columns not given get the model's defaults, as ``Model()`` would.
    """
    by_name = {f.name: f for f in model._meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    converters: list[Callable[[Any], Any] | None] = []
    for model_field in fields:
        if isinstance(model_field, models.DateTimeField):
            # Aware datetimes only (the timeline makes them): the adapter suffices.
            converters.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(model_field, models.JSONField):
            converters.append(
                partial(model_field.get_db_prep_save, connection=connection)
            )
        else:
            converters.append(None)
    # Columns the demo does not fill (some added later by other apps) get the
    # value a model instance would get: its default, or now for auto_now(_add).
    extra = [
        f for f in model._meta.concrete_fields if not f.primary_key and f not in fields
    ]
    moment = timezone.now()
    defaults = tuple(
        f.get_db_prep_save(
            moment
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in extra
    )
    prepared: list[tuple[Any, ...]] = [
        (
            *(
                value if convert is None or value is None else convert(value)
                for value, convert in zip(row, converters, strict=True)
            ),
            *defaults,
        )
        for row in rows
    ]
    fields += extra
    quote = connection.ops.quote_name
    # Identifiers come from the model's meta and are quoted; values are parameters.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields)
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # psycopg 3: COPY streams the rows, an order of magnitude faster.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table),
                ", ".join(quote(str(f.column)) for f in fields),
            )
            with raw.copy(copy_sql) as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            sql = head + "(" + ", ".join(["%s"] * len(fields)) + ")"
            for offset in range(0, len(prepared), BATCH_SIZE):
                cursor.executemany(sql, prepared[offset : offset + BATCH_SIZE])
    return len(prepared)


def ids_by_key(model: type[models.Model], key: str, prefix: str) -> dict[str, int]:
    """Primary keys of freshly inserted rows by a unique text column."""
    pairs = model._default_manager.filter(**{f"{key}__startswith": prefix}).values_list(
        key, "pk"
    )
    return {str(value): int(pk) for value, pk in pairs}


def delete_rows(queryset: models.QuerySet[Any]) -> None:
    """Delete with one statement when no row anywhere refers to the doomed rows.

    Django's collector honours CASCADE/SET_NULL/PROTECT but issues a query per
    thousand rows and relation; the demo's big tables are usually referenced only
    by rows deleted just before, so check each reverse relation first and fall
    back to the collector when anything still points at them.
    """
    model = queryset.model
    relations = [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if isinstance(f, ForeignObjectRel)  # incl. related_name="+" ones
    ]
    for relation in relations:
        if relation.on_delete is models.DO_NOTHING:
            continue
        if relation.many_to_many or relation.field is None:
            queryset.delete()
            return
        referring = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": queryset.values("pk")}
        )
        if referring.exists():
            queryset.delete()
            return
    queryset._raw_delete(queryset.db)

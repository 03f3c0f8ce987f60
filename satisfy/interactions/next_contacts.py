"""Each contact's gap to the same customer's next contact (``next_contact_seconds``).

Repeat contacts, FCR and ACR (docs/metrics.md) rest on one per-contact fact: how long
after this contact the same identified customer contacted again (any channel, any
outcome). ``Interaction.next_contact_seconds`` stores it, so
``queries.resolution_report`` is one aggregate query instead of a read of every
contact into Python.

* A customer's identity is ``customer_key``, else ``"customer:<customer_id>"``;
  both empty: unidentified, the column stays NULL (as in ``queries._customer_keys``
  and the library's ``repeat_contact_flags``).
* The value is ``epoch(next arrival) - epoch(this arrival)`` with the epochs of
  ``queries.EpochSeconds`` (the same SQL expression, so the same floats as the
  former Python path), the next contact being the following row of
  ``LEAD(...) OVER (PARTITION BY identity ORDER BY arrived_at, id)``: rows with the
  same arrival are ordered by id, the earlier ones getting a gap of 0.
* NULL: no later contact of that customer is stored.

Kept current by :func:`refresh_customers` (all contacts of some customers, one
``UPDATE … FROM (SELECT … LEAD … )`` per chunk of customers, only rows whose value
changes are written): the importer calls it in its transaction for the customers of
the file, a live event for the customer of its interaction (and the former one when
the event changed it), and :func:`rebuild_all` (``satisfy rebuild_next_contacts``,
migration 0006) recomputes every customer chunk by chunk. On PostgreSQL writers
take a transaction-level advisory lock first, so a writer's window reads every
contact committed before it (two imports of the same customer cannot each miss
the other's rows). Rows written any other way (``bulk_create``, raw SQL) need
``satisfy rebuild_next_contacts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

#: Arbitrary key of the PostgreSQL advisory lock that serialises writers.
_LOCK_KEY = 0x5A7_1CF5
#: Customers per UPDATE: parameters stay under SQLite's limit; PostgreSQL takes arrays.
_CHUNK_SQLITE = 900
_CHUNK_POSTGRESQL = 20_000

_PREFIX = "customer:"


def identity(customer_key: str | None, customer_id: int | None) -> str | None:
    """The customer identity of a contact (None: unidentified)."""
    if customer_key:
        return customer_key
    if customer_id is not None:
        return f"{_PREFIX}{customer_id}"
    return None


def identities(
    customer_keys: Iterable[str | None], customer_ids: Iterable[int | None]
) -> set[str]:
    """The identities of some contacts, unidentified ones left out."""
    found = {identity(k, i) for k, i in zip(customer_keys, customer_ids, strict=True)}
    found.discard(None)
    return {str(v) for v in found}


def _table() -> str:
    from satisfy.interactions.models import Interaction

    return str(connection.ops.quote_name(Interaction._meta.db_table))


def _epoch(column: str) -> str:
    # Exactly ``queries.EpochSeconds``: the gap is the difference of the same floats
    # the former Python path computed, so the window test gives the same answer.
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::double precision"
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def _identity_sql() -> str:
    return (
        "COALESCE(NULLIF(customer_key, ''), 'customer:' || CAST(customer_id AS TEXT))"
    )


def _split(chosen: Sequence[str]) -> tuple[list[str], list[int]]:
    """Keys to match on ``customer_key``; ids whose keyless rows share an identity."""
    ids = []
    for value in chosen:
        if value.startswith(_PREFIX) and value[len(_PREFIX) :].isdigit():
            ids.append(int(value[len(_PREFIX) :]))
    return list(chosen), ids


def _filter(keys: list[str], ids: list[int]) -> tuple[str, list[Any]]:
    """Rows whose identity is one of ``keys`` (ids: the ``customer:<id>`` ones)."""
    if connection.vendor == "postgresql":
        sql = "customer_key = ANY(%s)"
        params: list[Any] = [keys]
        if ids:
            sql += " OR (customer_key = '' AND customer_id = ANY(%s))"
            params.append(ids)
        return sql, params
    sql = f"customer_key IN ({', '.join(['%s'] * len(keys))})"
    params = list(keys)
    if ids:
        sql += f" OR (customer_key = '' AND customer_id IN ({', '.join(['%s'] * len(ids))}))"
        params.extend(ids)
    return sql, params


def _update_sql(where: str) -> str:
    table = _table()
    changed = (
        "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    )  # NULL-safe inequality
    # Only the rows whose value changes leave the subquery, so the join back to the
    # table (by primary key) stays small: in an import most of them keep NULL.
    return (
        f"UPDATE {table} SET next_contact_seconds = s.gap FROM ("  # noqa: S608
        " SELECT w.id, w.gap FROM ("
        "  SELECT c.id, c.old, LEAD(c.epoch) OVER ("
        "   PARTITION BY c.ident ORDER BY c.arrived_at, c.id) - c.epoch AS gap"
        f"  FROM (SELECT id, arrived_at, {_identity_sql()} AS ident,"
        f"   {_epoch('arrived_at')} AS epoch, next_contact_seconds AS old"
        f"   FROM {table} WHERE {where}) AS c"
        f" ) AS w WHERE w.gap {changed} w.old"
        f") AS s WHERE {table}.id = s.id"
    )


def _lock() -> None:
    """Serialise writers on PostgreSQL until the transaction ends (see module doc)."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    size = _CHUNK_POSTGRESQL if connection.vendor == "postgresql" else _CHUNK_SQLITE
    for i in range(0, len(values), size):
        yield list(values[i : i + size])


def _refresh_chunk(chunk: list[str]) -> int:
    keys, ids = _split(chunk)
    where, params = _filter(keys, ids)
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(where), params)
        return max(0, int(cursor.rowcount))


def refresh_customers(customers: Iterable[str | None]) -> int:
    """Recompute ``next_contact_seconds`` of every contact of these customers.

    ``customers`` are identities (see :func:`identity`; None and "" are skipped).
    Joins the caller's transaction (an import's, an event's). Returns the number of
    rows whose value changed.
    """
    chosen = sorted({c for c in customers if c})
    if not chosen:
        return 0
    changed = 0
    with transaction.atomic():
        _lock()
        for chunk in _chunks(chosen):
            changed += _refresh_chunk(chunk)
    return changed


def clear(interaction_ids: Iterable[int]) -> None:
    """Set the column to NULL on these contacts (their customer became unidentified)."""
    from satisfy.interactions.models import Interaction

    Interaction.objects.filter(
        pk__in=list(interaction_ids), next_contact_seconds__isnull=False
    ).update(next_contact_seconds=None)


@dataclass
class RebuildResult:
    customers: int = 0
    changed: int = 0


def rebuild_all(
    *,
    progress: Callable[[str], None] | None = None,
    chunk_customers: int | None = None,
) -> RebuildResult:
    """Recompute the column for every stored contact, one chunk of customers at a time.

    Each chunk is its own transaction unless the caller holds one (a migration):
    a chunk is complete in itself (every contact of its customers), so an
    interrupted rebuild leaves correct values behind and can simply be run again.
    """
    result = RebuildResult()
    table = _table()
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            # Unidentified contacts have no next contact.
            cursor.execute(
                f"UPDATE {table} SET next_contact_seconds = NULL"  # noqa: S608
                " WHERE customer_key = '' AND customer_id IS NULL"
                " AND next_contact_seconds IS NOT NULL"
            )
            result.changed += max(0, cursor.rowcount)
            cursor.execute(
                f"SELECT DISTINCT {_identity_sql()} FROM {table}"  # noqa: S608
                " WHERE customer_key <> '' OR customer_id IS NOT NULL"
            )
            everyone = sorted(str(row[0]) for row in cursor.fetchall())
    result.customers = len(everyone)
    if chunk_customers is None:
        chunks: Iterable[list[str]] = _chunks(everyone)
    else:
        size = max(1, chunk_customers)
        if connection.vendor != "postgresql":
            size = min(size, _CHUNK_SQLITE)
        chunks = (everyone[i : i + size] for i in range(0, len(everyone), size))
    done = 0
    for chunk in chunks:
        with transaction.atomic():
            _lock()
            result.changed += _refresh_chunk(chunk)
        done += len(chunk)
        if progress is not None:
            progress(
                f"{done:,} of {len(everyone):,} customers, {result.changed:,} rows changed"
            )
    return result


__all__ = [
    "RebuildResult",
    "clear",
    "identities",
    "identity",
    "rebuild_all",
    "refresh_customers",
]

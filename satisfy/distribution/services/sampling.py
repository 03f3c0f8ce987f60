"""Sampling frames, exclusions and sample draws for a wave."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.analytics.sampling import (
    ALLOCATIONS,
    representativeness,
    simple_random_sample,
    stratified_sample,
    systematic_sample,
)
from satisfy.customers.models import Customer
from satisfy.distribution.models import (
    ContactRule,
    Invitation,
    Sample,
    SampleMember,
    Wave,
)
from satisfy.distribution.services.invitations import insert_sql
from satisfy.interactions.models import Interaction

EXCLUSION_REASONS = ("opted_out", "no_contact", "recently_surveyed", "already_in_wave")
LINK_CHANNELS = {"web", "qr", "short_code"}
BLANK = "(blank)"
INTERACTION_FIELDS = {
    "agent": "agent__code",
    "queue": "queue",
    "unit": "unit__code",
    "channel": "channel",
    "outcome": "outcome",
    "reason": "reason_code",
}
CUSTOMER_FIELDS = {"segment": "segment", "language": "language", "unit": "unit__code"}


class SampleError(ValueError):
    """The sample cannot be drawn as asked (message says why)."""


class Frame(NamedTuple):
    """The eligible part of a sampling frame, as columns (a frame can hold a million).

    ``rows`` are the database rows as fetched: customer id, interaction id (the
    customer id again on the customer frame), may be surveyed, has an e-mail
    address, has a phone number, stratum values; ``strata`` holds each row's
    stratum label ("" without strata).
    """

    rows: list[tuple[Any, ...]]
    strata: list[str]
    interactions: bool


def contact_rule_days(survey_id: int | None) -> tuple[int | None, int | None]:
    """(global days, this survey's days); None where no rule is set."""
    rules = {
        r.survey_id: r.days
        for r in ContactRule.objects.filter(
            Q(survey__isnull=True) | Q(survey_id=survey_id)
        )
    }
    return rules.get(None), rules.get(survey_id) if survey_id is not None else None


def channel_for(
    channels: Sequence[str], *, email: str | bool, phone: str | bool
) -> str | None:
    """The first channel of the plan this customer can be reached on.

    ``email`` and ``phone`` are the addresses, or whether there is one.
    """
    for channel in channels:
        if channel == "email" and email:
            return channel
        if channel in {"sms", "ivr"} and phone:
            return channel
        if channel in LINK_CHANNELS:
            return channel
    return None


def _stratum_lookup(name: str, *, frame: str) -> str:
    if frame == Sample.Frame.INTERACTIONS:
        if name in INTERACTION_FIELDS:
            return INTERACTION_FIELDS[name]
        if name in CUSTOMER_FIELDS:
            return "customer__" + CUSTOMER_FIELDS[name]
        return f"customer__attributes__{name}"
    if name in CUSTOMER_FIELDS:
        return CUSTOMER_FIELDS[name]
    return f"attributes__{name}"


def _stratum_expression(name: str, *, frame: str) -> Any:
    """A column or, for JSON attributes, their text (``->>``, the same on every database)."""
    lookup = _stratum_lookup(name, frame=frame)
    if "attributes__" not in lookup:
        return lookup
    # PostgreSQL needs ->> for text; on SQLite KT costs three JSON parses where
    # JSON_EXTRACT (the plain key lookup) already returns the text of a string.
    return KT(lookup) if connection.vendor == "postgresql" else lookup


def _label(values: Sequence[Any]) -> str:
    return "|".join(
        [
            v if type(v) is str and v else BLANK if v is None or v == "" else str(v)
            for v in values
        ]
    )


def _flag(condition: Q) -> ExpressionWrapper[Q]:
    """A condition as a selected column (true/false, 1/0 on SQLite)."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def _frame_queryset(
    wave: Wave, frame: str, filters: Mapping[str, Any]
) -> tuple[QuerySet[Any], str]:
    unit_q = Q(unit__path__startswith=wave.unit.path)
    if wave.unit.depth == 0:
        unit_q |= Q(unit__isnull=True)
    if frame == Sample.Frame.CUSTOMERS:
        qs: QuerySet[Any] = Customer.objects.filter(unit_q)
        prefix = ""
    elif frame == Sample.Frame.INTERACTIONS:
        qs = Interaction.objects.filter(unit_q, customer__isnull=False)
        prefix = "customer__"
        if filters.get("since"):
            qs = qs.filter(arrived_at__gte=filters["since"])
        if filters.get("until"):
            qs = qs.filter(arrived_at__lt=filters["until"])
        for key in ("outcome", "queue", "channel"):
            if filters.get(key):
                qs = qs.filter(**{f"{key}__in": list(filters[key])})
    else:
        raise SampleError(
            f"unknown sampling frame {frame!r}; use customers or interactions"
        )
    for key, wanted in filters.get("attributes", {}).items():
        values = [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
        qs = qs.filter(**{f"{_stratum_lookup(key, frame=frame)}__in": values})
    return qs, prefix


def _frame_rows(
    *,
    wave: Wave,
    frame: str,
    strata: Sequence[str],
    filters: Mapping[str, Any],
    now: datetime,
) -> tuple[Frame, Counter[str], int]:
    """Eligible frame rows, exclusion counts and the population size."""
    qs, prefix = _frame_queryset(wave, frame, filters)
    global_days, survey_days = contact_rule_days(wave.survey_id)
    # Who was contacted lately, and who is already in this wave: sets of customer
    # ids read once, so the frame scan needs no per-row subquery.
    contacted = Invitation.objects.exclude(status=Invitation.Status.FAILED).filter(
        customer__isnull=False
    )
    recent: set[int] = set()
    if global_days is not None:
        recent.update(
            contacted.filter(created_at__gte=now - timedelta(days=global_days))
            .values_list("customer_id", flat=True)
            .distinct()
        )
    if survey_days is not None:
        recent.update(
            contacted.filter(
                survey_id=wave.survey_id,
                created_at__gte=now - timedelta(days=survey_days),
            )
            .values_list("customer_id", flat=True)
            .distinct()
        )
    in_wave = set(
        Invitation.objects.filter(wave=wave, customer__isnull=False).values_list(
            "customer_id", flat=True
        )
    )
    in_wave.update(
        SampleMember.objects.filter(sample__wave=wave).values_list(
            "customer_id", flat=True
        )
    )
    # Truth values, not the addresses: a million e-mail strings cost more to fetch
    # than to test, and only whether there is one matters here.
    fields = [
        f"{prefix}pk",
        "pk",
        _flag(
            Q(**{f"{prefix}has_consent": True, f"{prefix}opted_out_at__isnull": True})
        ),
        _flag(~Q(**{f"{prefix}email": ""})),
        _flag(~Q(**{f"{prefix}phone": ""})),
        *(_stratum_expression(name, frame=frame) for name in strata),
    ]
    order = [f"{prefix}pk", "-arrived_at"] if prefix else ["pk"]
    rows = qs.order_by(*order).values_list(*fields)
    # Plain cursor rows: Django's per-row conversions cost more than the whole
    # draw for a frame of a million customers; only truthiness is read here.
    sql, params = rows.query.sql_with_params()
    kept: list[tuple[Any, ...]] = []
    labels: list[str] = []
    population = repeats = opted_out = no_contact = recently = already = 0
    last_customer: int | None = None
    first_stratum = 5
    has_strata = bool(strata)
    channels = [c.split(":")[0] for c in wave.channels]
    reaches_everyone = any(c in LINK_CHANNELS for c in channels)
    needs_email = "email" in channels
    needs_phone = "sms" in channels or "ivr" in channels
    # Few distinct strata, a million rows: each label is built once. Only labels of
    # text values are kept, as 1 == 1.0 == True would mix up their different labels.
    label_of: dict[tuple[Any, ...], str] = {}
    keep, add_label = kept.append, labels.append
    for chunk in _fetch(sql, params):
        for row in chunk:
            customer_id = row[0]
            if prefix:
                if customer_id == last_customer:
                    repeats += 1
                    continue
                last_customer = customer_id
            population += 1
            if not row[2]:
                opted_out += 1
            elif not (
                reaches_everyone or (needs_email and row[3]) or (needs_phone and row[4])
            ):
                no_contact += 1
            elif customer_id in recent:
                recently += 1
            elif customer_id in in_wave:
                already += 1
            else:
                keep(row)
                if has_strata:
                    values = row[first_stratum:]
                    label = label_of.get(values)
                    if label is None:
                        label = _label(values)
                        if all(v is None or type(v) is str for v in values):
                            label_of[values] = label
                    add_label(label)
    excluded: Counter[str] = Counter()
    for reason, count in (
        ("repeat_interaction", repeats),
        ("opted_out", opted_out),
        ("no_contact", no_contact),
        ("recently_surveyed", recently),
        ("already_in_wave", already),
    ):
        if count:
            excluded[reason] = count
    if not has_strata:
        labels = [""] * len(kept)
    return Frame(kept, labels, bool(prefix)), excluded, population


def _fetch(sql: str, params: Sequence[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a query in chunks, as plain tuples (no Django conversions)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(20_000):
            yield chunk


def draw_sample(
    *,
    wave: Wave,
    method: str,
    n: int | None = None,
    frame: str = Sample.Frame.CUSTOMERS,
    strata: Sequence[str] = (),
    allocation: str = "proportional",
    minimum: int = 0,
    seed: int | None = None,
    filters: Mapping[str, Any] | None = None,
    created_by: User | None = None,
    now: datetime | None = None,
) -> Sample:
    """Draw a sample for a wave, recording exclusions and representativeness."""
    drawn_at = now or timezone.now()
    if wave.status == Wave.Status.CLOSED:
        raise SampleError("the wave is closed")
    if method not in Sample.Method.values:
        raise SampleError(
            f"unknown sampling method {method!r}; use {', '.join(Sample.Method.values)}"
        )
    if method == Sample.Method.STRATIFIED:
        if not strata:
            raise SampleError(
                "a stratified sample needs at least one stratum attribute"
            )
        if allocation not in ALLOCATIONS:
            raise SampleError(
                f"unknown allocation {allocation!r}; use {', '.join(ALLOCATIONS)}"
            )
    if method != Sample.Method.ALL and (n is None or n < 1):
        raise SampleError("give the sample size n (a whole number above zero)")
    if not wave.channels:
        raise SampleError("the wave has no channels")
    seed = secrets.randbits(48) if seed is None else seed
    frame_rows, excluded, population = _frame_rows(
        wave=wave, frame=frame, strata=strata, filters=filters or {}, now=drawn_at
    )
    labels = frame_rows.strata
    size = len(labels)
    want = size if n is None else min(n, size)
    weights: list[float]
    population_counts: Mapping[Hashable, int] | None = None
    if method == Sample.Method.ALL or want == size:
        positions = list(range(size))
        weights = [1.0] * size
    elif method == Sample.Method.SIMPLE:
        positions = simple_random_sample(size, want, random_state=seed).tolist()
        weights = [size / want] * want
    elif method == Sample.Method.SYSTEMATIC:
        positions = systematic_sample(size, want, random_state=seed).tolist()
        weights = [size / want] * want
    else:
        try:
            drawn = stratified_sample(
                labels,
                want,
                method=allocation,  # type: ignore[arg-type]
                minimum=minimum,
                random_state=seed,
            )
        except ValueError as exc:
            raise SampleError(str(exc)) from None
        weight_of = {str(a.stratum): a.weight for a in drawn.allocation}
        # The allocation counts each stratum in first-seen order, as Counter would.
        population_counts = {a.stratum: a.population_n for a in drawn.allocation}
        positions = drawn.indices.tolist()
        weights = [weight_of[labels[i]] for i in positions]
    channels = [c.split(":")[0] for c in wave.channels]
    table = (
        representativeness(
            population_counts or Counter(labels),
            Counter([labels[i] for i in positions]),
        )
        if strata
        else ()
    )
    rows = frame_rows.rows
    interactions = frame_rows.interactions
    with transaction.atomic():
        sample = Sample.objects.create(
            wave=wave,
            frame=frame,
            method=method,
            allocation=allocation if method == Sample.Method.STRATIFIED else "",
            minimum_per_stratum=minimum,
            strata=list(strata),
            filters=_jsonable(filters or {}),
            requested_n=n,
            seed=seed,
            population_n=population,
            eligible_n=size,
            n=len(positions),
            exclusions={
                reason: excluded.get(reason, 0)
                for reason in (
                    *EXCLUSION_REASONS,
                    *sorted(set(excluded) - set(EXCLUSION_REASONS)),
                )
            },
            representativeness=[
                {
                    "stratum": str(r.stratum),
                    "population_n": r.population_n,
                    "population_share": r.population_share,
                    "sample_n": r.sample_n,
                    "sample_share": r.sample_share,
                    "difference": r.difference,
                }
                for r in table
            ],
            created_by=created_by,
            created_at=drawn_at,
        )
        sample_id = sample.pk
        members = [
            (
                sample_id,
                rows[i][0],
                rows[i][1] if interactions else None,
                labels[i],
                weight,
                channel_for(channels, email=rows[i][3], phone=rows[i][4]) or "",
            )
            for i, weight in zip(positions, weights, strict=True)
        ]
        _insert_members(members)
    return sample


MEMBER_COLUMNS = (
    "sample_id", "customer_id", "interaction_id", "stratum", "weight", "channel",
)  # fmt: skip


def _insert_members(members: list[tuple[Any, ...]]) -> None:
    """Insert sample members: COPY on PostgreSQL, ``executemany`` elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(insert_sql(SampleMember, MEMBER_COLUMNS), members)
            return
        # executemany sends one statement per row (pipelined); COPY streams them.
        names = ", ".join(f'"{column}"' for column in MEMBER_COLUMNS)
        table = SampleMember._meta.db_table
        with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for member in members:
                copy.write_row(member)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def set_contact_rule(*, days: int, survey_id: int | None = None) -> ContactRule:
    """Set the contact-frequency rule (global when ``survey_id`` is None)."""
    if survey_id is None:
        rule = ContactRule.objects.filter(survey__isnull=True).first()
        if rule is None:
            return ContactRule.objects.create(days=days)
        rule.days = days
        rule.save(update_fields=["days"])
        return rule
    rule, _created = ContactRule.objects.update_or_create(
        survey_id=survey_id, defaults={"days": days}
    )
    return rule

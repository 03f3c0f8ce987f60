from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from satisfy.distribution.models import Invitation
from satisfy.org.models import Agent, OrgUnit
from satisfy.reports.models import PendingRollup
from satisfy.reports.rollups import queue_rollup
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.answers import AnswerValue
from satisfy.surveys.definition import visible_questions
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

AnswersByQuestion = Mapping[str, tuple[AnswerValue, ...]]


class ResponseClosedError(Exception):
    """The response is already complete, or the survey no longer takes answers."""


def _answer_rows(response: SurveyResponse, answers: AnswersByQuestion) -> list[Answer]:
    return [
        Answer(
            response=response,
            question_code=value.question_code,
            item_code=value.item_code,
            part=value.part,
            choice_code=value.choice_code,
            value=value.value,
            text_value=value.text,
            is_na=value.is_na,
        )
        for values in answers.values()
        for value in values
    ]


def _snapshot(
    *, survey: Survey, invitation: Invitation | None, anonymous: bool
) -> dict[str, object]:
    """The dimensions a response keeps, taken now so later re-organisation never rewrites them."""
    unit: OrgUnit | None = survey.unit
    agent: Agent | None = None
    queue = ""
    segment = ""
    customer = None
    interaction = None
    if invitation is not None:
        unit = invitation.unit or unit
        agent = invitation.agent
        interaction = invitation.interaction
        if interaction is not None:
            queue = interaction.queue
        if invitation.customer is not None:
            segment = invitation.customer.segment
            customer = None if anonymous else invitation.customer
    return {
        "unit": unit,
        "unit_path": unit.path if unit is not None else "",
        "agent": agent,
        "queue": queue,
        "customer_segment": segment,
        "interaction": None if anonymous else interaction,
        "customer": customer,
    }


def start_response(
    *,
    survey: Survey,
    key: str,
    invitation: Invitation | None = None,
    language: str = "en",
    channel: str = SurveyResponse.Channel.WEB,
    now: datetime | None = None,
) -> SurveyResponse:
    """Return the response for ``key``, creating it on first visit (resume otherwise)."""
    existing = SurveyResponse.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not survey.is_open or survey.current_version is None:
        raise ResponseClosedError("This survey is not taking answers.")
    version = survey.current_version
    started_at = now or timezone.now()
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                version=version,
                key=key,
                invitation=invitation,
                language=language,
                channel=channel,
                started_at=started_at,
                updated_at=started_at,
                **_snapshot(
                    survey=survey, invitation=invitation, anonymous=version.is_anonymous
                ),
            )
            if invitation is not None:
                Invitation.objects.filter(
                    pk=invitation.pk, started_at__isnull=True
                ).update(started_at=started_at, status=Invitation.Status.STARTED)
    except IntegrityError:
        # Two tabs raced to create the same response: the other one won.
        return SurveyResponse.objects.get(key=key)
    return response


@transaction.atomic
def save_page(
    *,
    response: SurveyResponse,
    question_codes: Iterable[str],
    answers: AnswersByQuestion,
    pages_done: int,
    language: str | None = None,
    now: datetime | None = None,
) -> SurveyResponse:
    """Store one page's answers, replacing earlier answers to the same questions."""
    locked = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if locked.status == SurveyResponse.Status.COMPLETE:
        raise ResponseClosedError("This response is already complete.")
    codes = list(question_codes)
    Answer.objects.filter(response=locked, question_code__in=codes).delete()
    Answer.objects.bulk_create(_answer_rows(locked, answers))
    locked.pages_done = max(locked.pages_done, pages_done)
    locked.updated_at = now or timezone.now()
    fields = ["pages_done", "updated_at"]
    if language:
        locked.language = language
        fields.append("language")
    locked.save(update_fields=fields)
    return locked


def stored_answers(response: SurveyResponse) -> dict[str, tuple[AnswerValue, ...]]:
    """The response's answers grouped by question code, as answer values."""
    grouped: dict[str, list[AnswerValue]] = {}
    for row in response.answers.all():
        grouped.setdefault(row.question_code, []).append(
            AnswerValue(
                question_code=row.question_code,
                item_code=row.item_code,
                part=row.part,
                choice_code=row.choice_code,
                value=row.value,
                text=row.text_value,
                is_na=row.is_na,
            )
        )
    return {code: tuple(values) for code, values in grouped.items()}


@transaction.atomic
def complete_response(*, response: SurveyResponse, now: datetime | None = None) -> bool:
    """Mark the response complete; False when it already was (double submit, replay)."""
    completed_at = now or timezone.now()
    definition = version_definition(response.version)
    answers = stored_answers(response)
    visible = {q.code for q in visible_questions(definition.questions(), answers)}
    hidden = [code for code in answers if code not in visible]
    updated = SurveyResponse.objects.filter(
        pk=response.pk, status=SurveyResponse.Status.PARTIAL
    ).update(
        status=SurveyResponse.Status.COMPLETE,
        completed_at=completed_at,
        updated_at=completed_at,
    )
    if not updated:
        return False
    if hidden:
        # Answers left behind on a path the respondent later turned away from.
        Answer.objects.filter(response=response, question_code__in=hidden).delete()
    if response.invitation_id is not None:
        Invitation.objects.filter(pk=response.invitation_id).update(
            completed_at=completed_at, status=Invitation.Status.COMPLETED
        )
    queue_rollup(response.pk)  # same transaction: counted exactly once, by a fold
    return True


def submit_response(
    *,
    survey: Survey,
    answers: AnswersByQuestion,
    idempotency_key: str,
    invitation: Invitation | None = None,
    language: str = "en",
    channel: str = SurveyResponse.Channel.API,
    unit: OrgUnit | None = None,
    agent: Agent | None = None,
    now: datetime | None = None,
) -> tuple[SurveyResponse, bool]:
    """Store a whole, already validated response in one go (API and collecting channels).

    Returns ``(response, created)``; a repeated idempotency key (or a second answer to
    the same invitation) returns the first response unchanged. ``unit`` and ``agent``
    override the snapshot taken from the invitation or the survey.

    One INSERT of a complete response and one of its answers (on PostgreSQL one
    statement for both and the rollup queue row): the unique key decides races, so no
    read comes first on the common path. A new response comes back with its answers
    in ``response.answers.all()`` (no read either).
    """
    key = (
        f"inv:{invitation.pk}"
        if invitation is not None
        else f"api:{survey.pk}:{idempotency_key}"
    )
    version = survey.current_version
    if not survey.is_open or version is None:
        existing = SurveyResponse.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        raise ResponseClosedError("This survey is not taking answers.")
    at = now or timezone.now()
    snapshot = _snapshot(
        survey=survey, invitation=invitation, anonymous=version.is_anonymous
    )
    if unit is not None:
        snapshot.update(unit=unit, unit_path=unit.path)
    if agent is not None:
        snapshot["agent"] = agent
    response = SurveyResponse(
        survey=survey,
        version=version,
        key=key,
        invitation=invitation,
        language=language,
        channel=channel,
        status=SurveyResponse.Status.COMPLETE,
        started_at=at,
        updated_at=at,
        completed_at=at,
        pages_done=len(version_definition(version).pages),
        **snapshot,
    )
    try:
        with transaction.atomic():
            if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
                rows = _insert_in_one_statement(response, answers)
            else:
                response.save(force_insert=True)
                rows = Answer.objects.bulk_create(_answer_rows(response, answers))
                queue_rollup(response.pk)
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).update(
                    started_at=at, completed_at=at, status=Invitation.Status.COMPLETED
                )
    except IntegrityError:
        # The same key was stored first (a retry, or a concurrent twin).
        return SurveyResponse.objects.get(key=key), False
    _remember_answers(response, rows)
    return response, True


def _column(field: Any) -> str:
    return str(connections[DEFAULT_DB_ALIAS].ops.quote_name(field.column))


@cache
def _one_statement() -> tuple[str, list[Any], list[Any]]:
    """The SQL of ``_insert_in_one_statement`` and the fields of its parameters."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    response_fields = [
        f for f in SurveyResponse._meta.concrete_fields if not f.primary_key
    ]
    answer_fields = [
        f
        for f in Answer._meta.concrete_fields
        if not f.primary_key and f.name != "response"
    ]
    response_pk = _column(SurveyResponse._meta.pk)
    answer_pk = _column(Answer._meta.pk)
    answer_columns = ", ".join(_column(f) for f in answer_fields)
    cells = ", ".join(f"cell.{_column(f)}" for f in answer_fields)
    # varchar[] rather than varchar(64)[]: no silent truncation, as bulk_create.
    arrays = ", ".join(
        f"(%s)::{str(f.db_type(connection)).split('(')[0]}[]" for f in answer_fields
    )
    sql = f"""
        WITH new_response AS (
            INSERT INTO {quote(SurveyResponse._meta.db_table)}
                ({", ".join(_column(f) for f in response_fields)})
            VALUES ({", ".join(["%s"] * len(response_fields))})
            RETURNING {response_pk}
        ), new_answers AS (
            INSERT INTO {quote(Answer._meta.db_table)}
                ({_column(Answer._meta.get_field("response"))}, {answer_columns})
            SELECT new_response.{response_pk}, {cells}
            FROM new_response,
                UNNEST({arrays}) WITH ORDINALITY AS cell({answer_columns}, n)
            ORDER BY cell.n
            RETURNING {answer_pk}
        ), queued AS (
            INSERT INTO {quote(PendingRollup._meta.db_table)}
                ({_column(PendingRollup._meta.get_field("response"))})
            SELECT {response_pk} FROM new_response
        )
        SELECT (SELECT {response_pk} FROM new_response),
            ARRAY(SELECT {answer_pk} FROM new_answers ORDER BY {answer_pk})
    """  # noqa: S608 - names from the models' metadata, values are parameters
    return sql, response_fields, answer_fields


def _insert_in_one_statement(
    response: SurveyResponse, answers: AnswersByQuestion
) -> list[Answer]:
    """PostgreSQL: INSERT the response, its answers and its rollup queue row at once.

    What ``response.save()``, ``Answer.objects.bulk_create`` (UNNEST of one array per
    column) and ``reports.rollups.queue_rollup`` do, as one statement of data-modifying
    CTEs: one round trip and no query compiling. A key already stored fails the whole
    statement with an IntegrityError, as the first INSERT did. Columns and values come
    from the models' fields, prepared as the ORM prepares them.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    sql, response_fields, answer_fields = _one_statement()
    rows = _answer_rows(response, answers)
    params: list[Any] = [
        f.get_db_prep_save(f.pre_save(response, True), connection)
        for f in response_fields
    ]
    params += [
        [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows]
        for f in answer_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        response_id, answer_ids = cursor.fetchone()
    response.pk = response_id
    response._state.adding = False
    response._state.db = connection.alias
    for row, answer_id in zip(rows, answer_ids, strict=True):
        row.pk = answer_id
        row.response_id = response_id
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _remember_answers(response: SurveyResponse, rows: list[Answer]) -> None:
    """Let ``response.answers.all()`` return the rows just inserted, without a read.

    The same cache ``prefetch_related`` fills; the rows are in insertion (pk) order.
    """
    answers = response.answers.all()
    answers._result_cache = rows
    answers._prefetch_done = True  # type: ignore[attr-defined]
    response._prefetched_objects_cache = {"answers": answers}  # type: ignore[attr-defined]

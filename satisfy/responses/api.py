"""Responses: submit a whole response from a collecting channel, read, export as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.distribution.models import Invitation
from satisfy.org.models import Agent, OrgUnit
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.responses.queries import get_response_for_user, responses_for_user
from satisfy.responses.services import ResponseClosedError, submit_response
from satisfy.surveys.answers import api_key, cells, parse_answers
from satisfy.surveys.api import UnitRef, request_user
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import can_manage_survey, get_survey_for_user
from satisfy.surveys.services import version_definition

router = Router(tags=["responses"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
Channel = Literal["web", "email", "sms", "ivr", "api", "kiosk"]


class AgentRef(Schema):
    id: int
    code: str
    name: str


class AnswerOut(Schema):
    question: str = Field(alias="question_code")
    item: str = Field(alias="item_code")
    part: str
    choice: str = Field(alias="choice_code")
    value: float | None
    text: str = Field(alias="text_value")
    is_na: bool


class ResponseOut(Schema):
    id: int
    survey: str
    version: int
    status: str
    language: str
    channel: str
    started_at: datetime
    completed_at: datetime | None
    unit: UnitRef | None
    unit_path: str
    agent: AgentRef | None
    queue: str
    customer_segment: str
    interaction_id: int | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_survey(obj: SurveyResponse) -> str:
        return obj.survey.slug

    @staticmethod
    def resolve_version(obj: SurveyResponse) -> int:
        return obj.version.number

    @staticmethod
    def resolve_answers(obj: SurveyResponse) -> list[Answer]:
        return list(obj.answers.all())


class ResponseIn(Schema):
    answers: dict[str, Any] = Field(
        description=(
            "Question code -> answer: a number or choice code, a list of choice "
            'codes, a text, {item: value}, {item: {"expectation": v, '
            '"perception": v}}, or "na".'
        )
    )
    language: str = Field("en", max_length=10)
    channel: Channel = "api"
    idempotency_key: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description=f"Or the {IDEMPOTENCY_HEADER} header; a repeat returns the first response.",
    )
    invitation_token: str | None = Field(None, max_length=64)
    unit: int | str | None = Field(
        None,
        description=(
            "The unit the answers are about (id or code), when it is not the "
            "invitation's or the survey's: a unit in the survey's subtree."
        ),
    )
    agent: str | None = Field(
        None,
        max_length=64,
        description=(
            "The agent's employee code, when the answers are about one agent; the "
            "unit defaults to the agent's."
        ),
    )


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(
        [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    )


def _overrides(
    survey: Survey, payload: ResponseIn
) -> tuple[OrgUnit | None, Agent | None]:
    """The unit and agent named in the body, checked against the survey's subtree.

    Only units under the survey's unit (and agents working in them) are accepted:
    a survey's administrator cannot file answers about another branch.
    """
    unit: OrgUnit | None = None
    agent: Agent | None = None
    root = survey.unit.path
    if payload.unit is not None:
        lookup = (
            {"pk": payload.unit}
            if isinstance(payload.unit, int)
            else {"code": payload.unit}
        )
        unit = OrgUnit.objects.filter(path__startswith=root, **lookup).first()
        if unit is None:
            raise _field_error(
                "unit", f"No unit {payload.unit!r} under the survey's unit."
            )
    if payload.agent is not None:
        agent = (
            Agent.objects.select_related("unit")
            .filter(code=payload.agent, unit__path__startswith=root)
            .first()
        )
        if agent is None:
            raise _field_error(
                "agent", f"No agent {payload.agent!r} under the survey's unit."
            )
        if unit is None:
            unit = agent.unit
    return unit, agent


def _ordered_answers() -> Prefetch[Any, Any, Any]:
    return Prefetch(
        "answers",
        queryset=Answer.objects.order_by("question_code", "item_code", "part", "pk"),
    )


def _order_new_answers(response: SurveyResponse) -> None:
    """Put the answers ``submit_response`` just inserted in ``_ordered_answers``' order.

    They are in memory already (in pk order), so a stable sort on the codes gives the
    order the database read would: codes are ASCII (``[a-z0-9_]``), compared byte by
    byte as SQLite and a C-collation PostgreSQL do.
    """
    cache: dict[str, Any] = getattr(response, "_prefetched_objects_cache", {})
    answers = cache.get("answers")
    if answers is None:  # not filled by submit_response: read them
        prefetch_related_objects([response], _ordered_answers())
        return
    answers._result_cache = sorted(
        answers, key=lambda row: (row.question_code, row.item_code, row.part)
    )


def _with_answers(rows: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
    """Everything ResponseOut reads, in three queries whatever the number of rows."""
    return rows.select_related("survey", "version", "unit", "agent").prefetch_related(
        _ordered_answers()
    )


def _attach_known(
    response: SurveyResponse,
    *,
    survey: Survey,
    invitation: Invitation | None,
    unit: OrgUnit | None = None,
    agent: Agent | None = None,
) -> None:
    """Point a new response at the rows this request already loaded (saves reads).

    Only when the ids match, so the snapshot the service wrote is what is shown.
    """
    known: list[tuple[str, Any]] = [
        ("survey", survey),
        ("version", survey.current_version),
        ("unit", survey.unit),
    ]
    if invitation is not None:
        known += [("unit", invitation.unit), ("agent", invitation.agent)]
    known += [("unit", unit), ("agent", agent)]
    for name, row in known:
        if row is not None and getattr(response, f"{name}_id") == row.pk:
            setattr(response, name, row)


def _survey_to_submit(user: User, slug: str) -> Survey:
    """``get_survey_for_user`` for the hot submit path: the same 404s, a cheaper query.

    The survey is read by its unique slug and the scope is checked in Python with
    ``Scope.touches_unit_path``, the rule ``surveys_for_user`` puts in SQL (inside
    the user's subtrees or above them). The JSON definitions are not loaded: the
    parsed definition comes from ``version_definition``'s cache (which reads it
    once per process and version).
    """
    try:
        survey = (
            Survey.objects.select_related("unit", "current_version")
            .defer("draft_definition", "current_version__definition")
            .get(slug=slug)
        )
    except Survey.DoesNotExist:
        raise Http404("No such survey.") from None
    if not scope_for_user(user).touches_unit_path(survey.unit.path):
        raise Http404("No such survey.")
    return survey


def _idempotency_key(request: HttpRequest, payload: ResponseIn) -> str:
    header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    body = payload.idempotency_key
    if header and body and header != body:
        raise ValidationError(
            [
                {
                    "loc": ["header", IDEMPOTENCY_HEADER],
                    "msg": "The header and the body's idempotency_key differ.",
                    "type": "value_error",
                }
            ]
        )
    key = body or header
    if not key or len(key) > 100:
        raise ValidationError(
            [
                {
                    "loc": ["body", "idempotency_key"],
                    "msg": (
                        f"Send an idempotency_key (or the {IDEMPOTENCY_HEADER} "
                        "header) of 1 to 100 characters."
                    ),
                    "type": "missing",
                }
            ]
        )
    return key


def _invitation(survey: Survey, token: str | None) -> Invitation | None:
    if token is None:
        return None
    invitation = (
        Invitation.objects.select_related("unit", "agent", "customer", "interaction")
        .filter(survey=survey, token=token)
        .first()
    )
    problem = ""
    if invitation is None:
        problem = "No such invitation for this survey."
    elif invitation.completed_at is None and invitation.expires_at <= timezone.now():
        problem = "This invitation has expired."
    elif invitation.status == Invitation.Status.OPTED_OUT:
        problem = "The customer opted out of this invitation."
    if problem:
        raise ValidationError(
            [
                {
                    "loc": ["body", "invitation_token"],
                    "msg": problem,
                    "type": "value_error",
                }
            ]
        )
    return invitation


@router.post(
    "/surveys/{slug}/responses",
    response={200: ResponseOut, 201: ResponseOut},
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": False,
                "schema": {"type": "string", "maxLength": 100},
            }
        ]
    },
)
def submit(
    request: HttpRequest, slug: str, payload: ResponseIn
) -> Status[SurveyResponse]:
    """Store a complete response collected elsewhere (IVR, SMS, kiosk, partner systems).

    201 the first time; a repeat with the same idempotency key (or invitation)
    answers 200 with the first response and stores nothing. Invalid answers are
    422 with one error per question, and nothing is stored.
    """
    user = request_user(request)
    survey = _survey_to_submit(user, slug)
    if not can_manage_survey(user, survey):
        raise PermissionDenied(
            "Only administrators of the survey's unit may submit responses."
        )
    key = _idempotency_key(request, payload)
    invitation = _invitation(survey, payload.invitation_token)
    unit, agent = _overrides(survey, payload)
    version = survey.current_version
    if not survey.is_open or version is None:
        raise HttpError(409, "This survey is not taking answers.")
    definition = version_definition(version)
    answers, errors = parse_answers(
        definition, payload.answers, language=payload.language
    )
    if errors:
        raise ValidationError(
            [
                {
                    "loc": ["body", "answers", *code.split(".")],
                    "msg": text,
                    "type": "answer_error",
                }
                for code, text in errors.items()
            ]
        )
    try:
        response, created = submit_response(
            survey=survey,
            answers=answers,
            idempotency_key=key,
            invitation=invitation,
            language=payload.language,
            channel=payload.channel,
            unit=unit,
            agent=agent,
        )
    except ResponseClosedError as exc:
        raise HttpError(409, str(exc)) from None
    if not created:
        return Status(
            200, _with_answers(SurveyResponse.objects.all()).get(pk=response.pk)
        )
    _attach_known(
        response, survey=survey, invitation=invitation, unit=unit, agent=agent
    )
    _order_new_answers(response)
    return Status(201, response)


@router.get("/surveys/{slug}/responses", response=list[ResponseOut])
@paginate(LimitOffsetPagination)
def list_responses(request: HttpRequest, slug: str) -> QuerySet[SurveyResponse]:
    """The survey's responses the caller may read, newest first, with their answers."""
    user = request_user(request)
    survey = get_survey_for_user(user, slug)
    return _with_answers(responses_for_user(user, survey=survey)).order_by(
        "-started_at", "-pk"
    )


@router.get("/responses/{response_id}", response=ResponseOut)
def get_response(request: HttpRequest, response_id: int) -> SurveyResponse:
    """One response with its answers and snapshot dimensions."""
    found = get_response_for_user(request_user(request), response_id)
    return _with_answers(SurveyResponse.objects.all()).get(pk=found.pk)


# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

FIXED_COLUMNS = (
    "response_id",
    "survey",
    "version",
    "status",
    "language",
    "channel",
    "started_at",
    "completed_at",
    "unit",
    "unit_path",
    "agent",
    "queue",
    "customer_segment",
    "interaction_id",
)


def safe_cell(text: str) -> str:
    """Neutralise a text that a spreadsheet would evaluate (CSV/formula injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _cell(values: list[Answer]) -> str:
    """One answer cell: numbers as numbers, choice codes and texts escaped."""
    parts: list[str] = []
    for answer in values:
        if answer.value is not None and answer.choice_code in (
            "",
            _number(answer.value),
        ):
            # A number we format ourselves cannot be a formula, so a
            # negative scale point stays a number.
            parts.append(_number(answer.value))
        elif answer.choice_code:
            parts.append(safe_cell(answer.choice_code))
        else:
            parts.append(safe_cell(answer.text_value))
    return ";".join(parts)


def answer_columns(survey: Survey) -> list[str]:
    """One column per question, item and part, over every published version in order."""
    columns: dict[str, None] = {}
    for version in survey.versions.order_by("number"):
        for question in version_definition(version).questions():
            for item, part in cells(question):
                columns.setdefault(api_key(question, item, part), None)
    return list(columns)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_rows(
    survey: Survey, rows: Iterable[SurveyResponse], columns: list[str]
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(name) for name in (*FIXED_COLUMNS, *columns)])
    for response in rows:
        by_column: dict[str, list[Answer]] = {}
        for answer in response.answers.all():
            column = ".".join(
                p for p in (answer.question_code, answer.item_code, answer.part) if p
            )
            by_column.setdefault(column, []).append(answer)
        fixed = [
            str(response.pk),
            survey.slug,
            str(response.version.number),
            response.status,
            response.language,
            response.channel,
            response.started_at.isoformat(),
            response.completed_at.isoformat() if response.completed_at else "",
            response.unit.code if response.unit else "",
            response.unit_path,
            response.agent.code if response.agent else "",
            response.queue,
            response.customer_segment,
            str(response.interaction_id or ""),
        ]
        yield writer.writerow(
            [
                *(safe_cell(text) for text in fixed),
                *(_cell(by_column.get(column, [])) for column in columns),
            ]
        )


@router.get("/surveys/{slug}/responses/export")
def export_responses(
    request: HttpRequest, slug: str, format: Literal["csv"] = "csv"
) -> StreamingHttpResponse:
    """Every response the caller may read, one row each and one column per answer cell.

    Streams as it reads, so a large survey never sits in memory. Cells that a
    spreadsheet would run as a formula are prefixed with ``'``.
    """
    user = request_user(request)
    survey = get_survey_for_user(user, slug)
    rows = (
        responses_for_user(user, survey=survey)
        .prefetch_related("answers")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    stream = _csv_rows(survey, rows, answer_columns(survey))
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{survey.slug}-responses.csv"'
    )
    return response

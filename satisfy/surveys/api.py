"""Templates and surveys: list, create, edit the draft, publish a new version."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Body, Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.org.models import OrgUnit
from satisfy.surveys import services
from satisfy.surveys.definition import (
    SurveyDefinition,
    definition_from_dict,
    definition_to_dict,
    list_templates,
    load_template,
    translate,
)
from satisfy.surveys.models import Survey, SurveyVersion
from satisfy.surveys.queries import (
    can_manage_survey,
    get_survey_for_user,
    surveys_for_user,
)

router = Router(tags=["surveys"])

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"


def request_user(request: HttpRequest) -> User:
    """The signed-in caller; every route of the API requires authentication."""
    return cast(User, request.user)


def request_language(request: HttpRequest, language: str | None) -> str:
    """The ``?language=`` asked for, else the request's negotiated language."""
    return language or getattr(request, "LANGUAGE_CODE", "") or "en"


class TemplateOut(Schema):
    code: str
    version: str
    title: str
    category: str
    languages: list[str]
    question_count: int


class UnitRef(Schema):
    id: int
    code: str
    name: str


class VersionOut(Schema):
    number: int
    published_at: datetime
    is_anonymous: bool
    allows_public_link: bool


class SurveyOut(Schema):
    slug: str
    title: str
    status: str
    unit: UnitRef
    template_code: str
    template_version: str
    current_version: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_current_version(obj: Survey) -> int | None:
        version = obj.current_version
        return version.number if version is not None else None


def _may_manage(survey: Survey, context: dict[str, Any]) -> bool:
    """can_manage_survey for the request's user, computed once per survey object."""
    cached: bool | None = getattr(survey, "_api_can_manage", None)
    if cached is None:
        cached = can_manage_survey(request_user(context["request"]), survey)
        survey._api_can_manage = cached  # type: ignore[attr-defined]
    return cached


class SurveyDetailOut(SurveyOut):
    versions: list[VersionOut]
    definition: dict[str, Any] | None = Field(
        description="The current published version's definition (null before publishing)."
    )
    draft: dict[str, Any] | None = Field(
        description="The working copy; shown to the survey's administrators only."
    )
    can_manage: bool

    @staticmethod
    def resolve_versions(obj: Survey) -> list[SurveyVersion]:
        return list(obj.versions.order_by("number"))

    @staticmethod
    def resolve_definition(obj: Survey) -> dict[str, Any] | None:
        version = obj.current_version
        return version.definition if version is not None else None

    @staticmethod
    def resolve_draft(obj: Survey, context: dict[str, Any]) -> dict[str, Any] | None:
        return obj.draft_definition if _may_manage(obj, context) else None

    @staticmethod
    def resolve_can_manage(obj: Survey, context: dict[str, Any]) -> bool:
        return _may_manage(obj, context)


class SurveyIn(Schema):
    template: str = Field(description="Code of a built-in template, e.g. post-contact.")
    slug: str = Field(pattern=SLUG_PATTERN)
    unit: int | str = Field(description="The owning org unit's id or code.")
    title: str = Field("", max_length=300)


def _template_out(definition: SurveyDefinition, language: str) -> dict[str, Any]:
    return {
        "code": definition.code,
        "version": definition.version,
        "title": translate(definition.title, language),
        "category": definition.category,
        "languages": list(definition.languages),
        "question_count": sum(1 for _ in definition.questions()),
    }


@router.get("/templates", response=list[TemplateOut], tags=["templates"])
def list_survey_templates(
    request: HttpRequest, language: str | None = None
) -> list[dict[str, Any]]:
    """The built-in survey templates, titles in ``language`` (else English)."""
    chosen = request_language(request, language)
    return [_template_out(definition, chosen) for definition in list_templates()]


@router.get("/templates/{code}", response=dict[str, Any], tags=["templates"])
def get_survey_template(request: HttpRequest, code: str) -> dict[str, Any]:
    """One template's full definition, in the authoring format (all languages)."""
    try:
        definition = load_template(code)
    except KeyError:
        raise Http404("No such template.") from None
    return definition_to_dict(definition)


def _unit_for_new_survey(user: User, unit: int | str) -> OrgUnit:
    """The unit by id or code; 404 outside the caller's scope, 403 without admin rights."""
    scope = scope_for_user(user)
    lookup = {"pk": unit} if isinstance(unit, int) else {"code": unit}
    found = OrgUnit.objects.filter(**lookup).first()
    if found is None or not (
        scope.can_read_unit_path(found.path) or scope.can_manage_unit_path(found.path)
    ):
        raise Http404("No such unit.")
    if not scope.can_manage_unit_path(found.path):
        raise PermissionDenied(
            "Only administrators of this unit may create surveys in it."
        )
    return found


@router.post("/surveys", response={201: SurveyDetailOut})
def create_survey(request: HttpRequest, payload: SurveyIn) -> tuple[int, Survey]:
    """Create a draft survey from a template in a unit the caller administers."""
    user = request_user(request)
    unit = _unit_for_new_survey(user, payload.unit)
    try:
        with transaction.atomic():
            survey = services.create_survey_from_template(
                template_code=payload.template,
                slug=payload.slug,
                unit=unit,
                created_by=user,
                title=payload.title,
            )
    except KeyError:
        raise ValidationError(
            [
                {
                    "loc": ["body", "payload", "template"],
                    "msg": f"No built-in template {payload.template!r}.",
                    "type": "value_error",
                }
            ]
        ) from None
    except IntegrityError:
        raise HttpError(409, f"A survey with slug {payload.slug!r} exists.") from None
    return 201, survey


@router.get("/surveys", response=list[SurveyOut])
@paginate(LimitOffsetPagination)
def list_surveys(request: HttpRequest) -> QuerySet[Survey]:
    """Surveys the caller may see, newest first; empty without a role."""
    return surveys_for_user(request_user(request))


@router.get("/surveys/{slug}", response=SurveyDetailOut)
def get_survey(request: HttpRequest, slug: str) -> Survey:
    """One survey: status, versions, the current definition (and the draft for admins)."""
    return get_survey_for_user(request_user(request), slug)


def _managed_survey(user: User, slug: str) -> Survey:
    survey = get_survey_for_user(user, slug)
    if not can_manage_survey(user, survey):
        raise PermissionDenied(
            "Only administrators of the survey's unit may change it."
        )
    return survey


@router.put("/surveys/{slug}/draft", response=SurveyDetailOut)
def replace_draft(
    request: HttpRequest, slug: str, definition: Body[dict[str, Any]]
) -> Survey:
    """Replace the working copy with a definition; 422 lists every problem, nothing stored."""
    user = request_user(request)
    survey = _managed_survey(user, slug)
    parsed = definition_from_dict(definition, filename=survey.slug)
    return services.update_draft(survey=survey, definition=parsed)


@router.post("/surveys/{slug}/publish", response={201: VersionOut})
def publish(request: HttpRequest, slug: str) -> tuple[int, SurveyVersion]:
    """Freeze the draft into a new immutable version and open the survey."""
    user = request_user(request)
    survey = _managed_survey(user, slug)
    try:
        version = services.publish_survey(survey=survey, published_by=user)
    except services.SurveyStateError as exc:
        raise HttpError(409, str(exc)) from None
    return 201, version

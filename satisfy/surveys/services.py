from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.org.models import OrgUnit
from satisfy.surveys.definition import (
    SurveyDefinition,
    definition_from_dict,
    definition_to_dict,
    load_definition,
    load_template,
    translate,
)
from satisfy.surveys.models import Survey, SurveyVersion, VersionQuestion


class SurveyStateError(ValueError):
    """The survey is not in a state that allows the operation."""


@transaction.atomic
def create_survey(
    *,
    definition: SurveyDefinition,
    slug: str,
    unit: OrgUnit,
    created_by: User | None,
    title: str = "",
) -> Survey:
    """Create a draft survey from a validated definition."""
    return Survey.objects.create(
        slug=slug,
        title=title or translate(definition.title, definition.default_language),
        unit=unit,
        template_code=definition.code,
        template_version=definition.version,
        draft_definition=definition_to_dict(definition),
        created_by=created_by,
    )


def create_survey_from_template(
    *,
    template_code: str,
    slug: str,
    unit: OrgUnit,
    created_by: User | None,
    title: str = "",
) -> Survey:
    """Create a draft survey from a built-in template (KeyError for an unknown code)."""
    return create_survey(
        definition=load_template(template_code),
        slug=slug,
        unit=unit,
        created_by=created_by,
        title=title,
    )


def import_survey(
    *, text: str, filename: str, slug: str, unit: OrgUnit, created_by: User | None
) -> Survey:
    """Create a draft survey from a YAML/JSON definition file (DefinitionError on bad input)."""
    definition = load_definition(text, filename=filename)
    return create_survey(
        definition=definition, slug=slug, unit=unit, created_by=created_by
    )


@transaction.atomic
def update_draft(*, survey: Survey, definition: SurveyDefinition) -> Survey:
    """Replace the working copy; published versions are untouched."""
    survey.draft_definition = definition_to_dict(definition)
    survey.save(update_fields=["draft_definition", "updated_at"])
    return survey


@transaction.atomic
def publish_survey(*, survey: Survey, published_by: User | None) -> SurveyVersion:
    """Freeze the working copy into a new immutable version and open the survey."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyStateError("A closed survey cannot be published; reopen it first.")
    definition = definition_from_dict(survey.draft_definition, filename=survey.slug)
    stored: dict[str, Any] = definition_to_dict(definition)
    last = survey.versions.order_by("-number").first()
    version = SurveyVersion.objects.create(
        survey=survey,
        number=1 if last is None else last.number + 1,
        definition=stored,
        is_anonymous=definition.anonymous,
        allows_public_link=definition.allow_public_link,
        published_at=timezone.now(),
        published_by=published_by,
    )
    VersionQuestion.objects.bulk_create(
        VersionQuestion(
            version=version,
            code=question.code,
            kind=str(question.type),
            dimension=question.dimension or "",
            position=position,
            scale_min=question.min_value,
            scale_max=question.max_value,
            is_reversed=question.reversed,
        )
        for position, question in enumerate(definition.questions())
    )
    survey.current_version = version
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["current_version", "status", "updated_at"])
    return version


@transaction.atomic
def close_survey(*, survey: Survey) -> Survey:
    """Stop accepting answers; everything collected stays."""
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    return survey


# Published versions never change, so their parsed definitions can be kept. The key
# includes the publication time so that a reused primary key (tests, restores) never
# returns another version's definition.
_VERSION_CACHE: dict[tuple[int, str], SurveyDefinition] = {}
_VERSION_CACHE_SIZE = 256


def version_definition(version: SurveyVersion) -> SurveyDefinition:
    """The frozen definition of a published version (parsed once per process)."""
    key = (version.pk, version.published_at.isoformat())
    found = _VERSION_CACHE.get(key)
    if found is None:
        found = definition_from_dict(
            version.definition, filename=f"survey version {version.pk}"
        )
        if len(_VERSION_CACHE) >= _VERSION_CACHE_SIZE:
            _VERSION_CACHE.clear()
        _VERSION_CACHE[key] = found
    return found

"""What a ``/s/<key>`` address points at, and the response key it stands for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, F, Value, When
from django.http import HttpRequest

from satisfy.distribution.models import Invitation
from satisfy.responses.models import SurveyResponse
from satisfy.surveys.models import Survey

PUBLIC_SESSION_KEY = "satisfy_public_responses"
"""Session entry: survey id -> the random part of this browser's public response key."""

# An invitation in one of these states has not been opened yet.
_UNOPENED = (
    Invitation.Status.QUEUED,
    Invitation.Status.SENT,
    Invitation.Status.DELIVERED,
    Invitation.Status.BOUNCED,
)


@dataclass(frozen=True, slots=True)
class Link:
    """What a ``/s/<key>`` address points at."""

    key: str
    survey: Survey
    invitation: Invitation | None


def resolve_link(key: str) -> Link | None:
    """The invitation with this token, else the survey with this public slug."""
    invitation = (
        Invitation.objects.select_related("survey", "survey__current_version")
        .filter(token=key)
        .first()
    )
    if invitation is not None:
        return Link(key=key, survey=invitation.survey, invitation=invitation)
    survey = Survey.objects.select_related("current_version").filter(slug=key).first()
    if survey is None or survey.current_version is None:
        return None
    if not survey.current_version.allows_public_link:
        return None
    return Link(key=key, survey=survey, invitation=None)


def is_expired(invitation: Invitation, now: datetime) -> bool:
    return invitation.expires_at <= now or invitation.status in (
        Invitation.Status.EXPIRED,
        Invitation.Status.OPTED_OUT,
    )


def _public_secret(request: HttpRequest, survey: Survey, *, create: bool) -> str:
    secrets_by_survey: dict[str, str] = dict(
        request.session.get(PUBLIC_SESSION_KEY, {})
    )
    secret = secrets_by_survey.get(str(survey.pk), "")
    if not secret and create:
        secret = secrets.token_urlsafe(24)
        secrets_by_survey[str(survey.pk)] = secret
        request.session[PUBLIC_SESSION_KEY] = secrets_by_survey
    return secret


def response_key(request: HttpRequest, link: Link, *, create: bool) -> str:
    if link.invitation is not None:
        return f"inv:{link.invitation.pk}"
    secret = _public_secret(request, link.survey, create=create)
    return f"pub:{secret}" if secret else ""


def existing_response(request: HttpRequest, link: Link) -> SurveyResponse | None:
    key = response_key(request, link, create=False)
    if not key:
        return None
    return SurveyResponse.objects.select_related("version").filter(key=key).first()


def record_open(invitation: Invitation, now: datetime) -> None:
    """First open of the link: stamp ``opened_at``; move the status on if it lags."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=now,
        status=Case(
            When(status__in=_UNOPENED, then=Value(Invitation.Status.OPENED)),
            default=F("status"),
        ),
    )

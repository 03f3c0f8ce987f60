"""Taking a survey on the web: personal invitation links and public links.

``/s/<token>`` opens a personal invitation (response key ``inv:<invitation id>``);
``/s/<slug>`` opens a survey's public link when its current version allows one
(response key ``pub:<random>``, the random part kept in this browser's session).
Answers are saved page by page, so a respondent who leaves comes back to the page
where they stopped. Completing twice (two tabs, a double click, a replayed POST)
leaves one response: the key is unique and ``complete_response`` reports a repeat.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, F, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from satisfy.distribution.models import Invitation
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import (
    ResponseClosedError,
    complete_response,
    save_page,
    start_response,
    stored_answers,
)
from satisfy.responses.views.rendering import (
    QuestionView,
    error_links,
    form_values,
    question_view,
)
from satisfy.surveys.answers import AnswerValue, cells, field_name, parse_page
from satisfy.surveys.definition import (
    Page,
    Question,
    SurveyDefinition,
    normalize_language,
    translate,
    visible_questions,
)
from satisfy.surveys.models import Survey, SurveyVersion
from satisfy.surveys.services import version_definition

Answers = Mapping[str, tuple[AnswerValue, ...]]

PUBLIC_SESSION_KEY = "satisfy_public_responses"
"""Session entry: survey id -> the random part of this browser's public response key."""

LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文", "es": "Español"}

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

    @property
    def is_public(self) -> bool:
        return self.invitation is None


def django_language(language: str) -> str:
    """Django's spelling of a survey language (``zh-Hans`` -> ``zh-hans``)."""
    return language.lower()


def _resolve(key: str) -> Link | None:
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


def _is_expired(invitation: Invitation, now: datetime) -> bool:
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


def _response_key(request: HttpRequest, link: Link, *, create: bool) -> str:
    if link.invitation is not None:
        return f"inv:{link.invitation.pk}"
    secret = _public_secret(request, link.survey, create=create)
    return f"pub:{secret}" if secret else ""


def _existing_response(request: HttpRequest, link: Link) -> SurveyResponse | None:
    key = _response_key(request, link, create=False)
    if not key:
        return None
    return SurveyResponse.objects.select_related("version").filter(key=key).first()


def _record_open(invitation: Invitation, now: datetime) -> None:
    """First open of the link: stamp ``opened_at``; move the status on if it lags."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=now,
        status=Case(
            When(status__in=_UNOPENED, then=Value(Invitation.Status.OPENED)),
            default=F("status"),
        ),
    )


def _language(
    definition: SurveyDefinition,
    *candidates: str | None,
) -> str:
    """The first candidate the survey is written in, else its default language."""
    for candidate in candidates:
        if not candidate:
            continue
        language = normalize_language(candidate)
        if language is not None and language in definition.languages:
            return language
    return definition.default_language


def _visible_codes(definition: SurveyDefinition, answers: Answers) -> set[str]:
    """Codes of the questions shown, given the answers (chains of conditions collapse)."""
    return {
        question.code for question in visible_questions(definition.questions(), answers)
    }


def _visible_pages(definition: SurveyDefinition, shown: set[str]) -> list[int]:
    """Indexes of the pages with at least one question to show."""
    return [
        index
        for index, page in enumerate(definition.pages)
        if any(question.code in shown for question in page.questions)
    ]


def _resume_index(
    definition: SurveyDefinition, shown: set[str], pages_done: int
) -> int:
    """The first visible page not yet submitted, else the last visible page."""
    visible = _visible_pages(definition, shown)
    if not visible:
        return 0
    return next((index for index in visible if index >= pages_done), visible[-1])


def _pages_ahead(
    definition: SurveyDefinition, index: int, shown: set[str], answers: Answers
) -> list[int]:
    """Pages after ``index`` that are shown, or may be once this page is answered.

    A page may still appear when one of its questions depends on a question that
    is on this page or later and not answered yet.
    """
    page_of = {
        question.code: number
        for number, page in enumerate(definition.pages)
        for question in page.questions
    }
    ahead = []
    for number in range(index + 1, len(definition.pages)):
        for question in definition.pages[number].questions:
            condition = question.show_if
            if question.code in shown or (
                condition is not None
                and page_of.get(condition.question, -1) >= index
                and not answers.get(condition.question)
            ):
                ahead.append(number)
                break
    return ahead


def _field_names(question: Question) -> set[str]:
    """Every form field name a question uses, and its code (errors are keyed by these)."""
    names = {question.code}
    for item, part in cells(question):
        names.add(field_name(question, item, part))
    return names


def _merged(
    answers: Answers, page: Page, new: Answers
) -> dict[str, tuple[AnswerValue, ...]]:
    """Stored answers with this page's answers replaced by ``new``."""
    here = {question.code for question in page.questions}
    merged = {code: values for code, values in answers.items() if code not in here}
    merged.update(new)
    return merged


def _first_incomplete_page(
    definition: SurveyDefinition, answers: Answers, language: str
) -> int | None:
    """The first visible page whose stored answers would not pass validation."""
    shown = _visible_codes(definition, answers)
    kept = {code: values for code, values in answers.items() if code in shown}
    for index in _visible_pages(definition, shown):
        page = definition.pages[index]
        _parsed, errors = parse_page(
            page, form_values(page, kept), previous=kept, language=language
        )
        if errors:
            return index
    return None


def _page_url(key: str, index: int, language: str) -> str:
    query = urlencode({"page": index + 1, "lang": language})
    return f"{reverse('responses:take', args=[key])}?{query}"


def _thanks_url(key: str, language: str) -> str:
    query = urlencode({"lang": language})
    return f"{reverse('responses:thanks', args=[key])}?{query}"


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render in the survey's language (or the browser's) with ``<html lang>`` set."""
    html_language = language or translation.get_language() or "en"
    with translation.override(django_language(html_language)):
        response = render(
            request,
            template,
            {"html_language": html_language, **context},
            status=status,
        )
    response["Content-Language"] = html_language
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """Unknown, expired or disabled links: one page, 404, in the browser's language.

    It shows nothing about the link, so a stranger cannot tell a mistyped token
    from an expired one.
    """
    return _render(request, "responses/unavailable.html", {}, status=404)


def _closed(
    request: HttpRequest, definition: SurveyDefinition | None, language: str | None
) -> HttpResponse:
    title = translate(definition.title, language or "en") if definition else ""
    return _render(
        request,
        "responses/closed.html",
        {"survey_title": title},
        language=language,
        status=410,
    )


def _already_answered(
    request: HttpRequest, definition: SurveyDefinition, language: str
) -> HttpResponse:
    return _render(
        request,
        "responses/already_answered.html",
        {"survey_title": translate(definition.title, language)},
        language=language,
    )


def _language_links(
    request: HttpRequest, definition: SurveyDefinition, current: str, page: int | None
) -> list[dict[str, Any]]:
    links = []
    for language in definition.languages:
        query: dict[str, Any] = {"lang": language}
        if page is not None:
            query["page"] = page + 1
        links.append(
            {
                "code": language,
                "name": LANGUAGE_NAMES.get(language, language),
                "url": f"{request.path}?{urlencode(query)}",
                "is_current": language == current,
            }
        )
    return links


def _render_page(
    request: HttpRequest,
    *,
    link: Link,
    definition: SurveyDefinition,
    index: int,
    shown: set[str],
    answers: Answers,
    values: Mapping[str, Sequence[str]],
    errors: Mapping[str, str],
    language: str,
    revealed: bool = False,
) -> HttpResponse:
    """One page of questions; ``shown`` are the codes of the questions to display."""
    page = definition.pages[index]
    before = [number for number in _visible_pages(definition, shown) if number < index]
    ahead = _pages_ahead(definition, index, shown, answers)
    questions: list[QuestionView] = [
        question_view(question, values=values, errors=errors, language=language)
        for question in page.questions
        if question.code in shown
    ]
    position = len(before) + 1
    is_last = not ahead
    total = position + len(ahead)
    context = {
        "survey_title": translate(definition.title, language),
        "intro": translate(definition.intro, language) if position == 1 else "",
        "is_anonymous": definition.anonymous,
        "page_title": translate(page.title, language),
        "questions": questions,
        "shown": " ".join(question.code for question in questions),
        "errors": error_links(questions, errors),
        "revealed": revealed,
        "position": position,
        "total": total,
        "page_number": index + 1,
        "has_back": position > 1,
        "is_last": is_last,
        "language": language,
        "languages": _language_links(request, definition, language, index)
        if len(definition.languages) > 1
        else [],
        "action": reverse("responses:take", args=[link.key]),
    }
    return _render(request, "responses/page.html", context, language=language)


def _page_from_query(raw: str | None, definition: SurveyDefinition) -> int | None:
    try:
        number = int(raw or "")
    except ValueError:
        return None
    if 1 <= number <= len(definition.pages):
        return number - 1
    return None


def _see_other(url: str) -> HttpResponse:
    """Redirect after a POST so that reloading never re-submits the form."""
    return HttpResponseRedirect(url, status=303)


@dataclass(slots=True)
class _Visit:
    """Everything one request to ``/s/<key>`` works with."""

    link: Link
    definition: SurveyDefinition
    language: str
    response: SurveyResponse | None
    answers: Answers
    shown: set[str]
    resume: int


@require_http_methods(["GET", "HEAD", "POST"])
def take_survey(request: HttpRequest, key: str) -> HttpResponse:
    """Show a page of the survey (GET) or save it and move on (POST)."""
    now = timezone.now()
    link = _resolve(key)
    if link is None:
        return unavailable(request)
    invitation = link.invitation
    asked = request.POST.get("lang") or request.GET.get("lang")
    response = _existing_response(request, link)
    if response is not None and response.status == SurveyResponse.Status.COMPLETE:
        definition = version_definition(response.version)
        language = _language(definition, asked, response.language)
        if request.method == "POST":
            return _see_other(_thanks_url(key, language))
        return _already_answered(request, definition, language)
    if invitation is not None and _is_expired(invitation, now):
        return unavailable(request)
    version: SurveyVersion | None = (
        response.version if response is not None else link.survey.current_version
    )
    if version is None:
        return _closed(request, None, None)
    definition = version_definition(version)
    language = _language(
        definition,
        asked,
        response.language if response is not None else None,
        invitation.language if invitation is not None else None,
    )
    if not link.survey.is_open:
        return _closed(request, definition, language)
    answers: Answers = stored_answers(response) if response is not None else {}
    shown = _visible_codes(definition, answers)
    visit = _Visit(
        link=link,
        definition=definition,
        language=language,
        response=response,
        answers=answers,
        shown=shown,
        resume=_resume_index(
            definition, shown, response.pages_done if response is not None else 0
        ),
    )
    if request.method == "POST":
        return _submit(request, visit, now)
    if invitation is not None and request.method == "GET":
        _record_open(invitation, now)
    if response is not None and asked and language != response.language:
        save_page(
            response=response,
            question_codes=(),
            answers={},
            pages_done=0,
            language=language,
            now=now,
        )
    return _show(request, visit)


def _show(request: HttpRequest, visit: _Visit) -> HttpResponse:
    definition = visit.definition
    wanted = _page_from_query(request.GET.get("page"), definition)
    if wanted is None and "page" not in request.GET:
        wanted = visit.resume
    if (
        wanted is None
        or wanted > visit.resume
        or wanted not in _visible_pages(definition, visit.shown)
    ):
        return HttpResponseRedirect(
            _page_url(visit.link.key, visit.resume, visit.language)
        )
    return _render_page(
        request,
        link=visit.link,
        definition=definition,
        index=wanted,
        shown=visit.shown,
        answers=visit.answers,
        values=form_values(definition.pages[wanted], visit.answers),
        errors={},
        language=visit.language,
    )


def _submit(request: HttpRequest, visit: _Visit, now: datetime) -> HttpResponse:
    definition, language, key = visit.definition, visit.language, visit.link.key
    index = _page_from_query(request.POST.get("page"), definition)
    if (
        index is None
        or index > visit.resume
        or index not in _visible_pages(definition, visit.shown)
    ):
        return _see_other(_page_url(key, visit.resume, language))
    page = definition.pages[index]
    previous = {
        code: values for code, values in visit.answers.items() if code in visit.shown
    }
    parsed, errors = parse_page(
        page, request.POST, previous=previous, language=language
    )
    after = _visible_codes(definition, _merged(previous, page, parsed))

    if request.POST.get("action") == "back":
        return _back(visit, index, page, parsed, errors, now)

    # Questions that an answer on this same page has just brought into view: show
    # them first instead of complaining that they were not answered.
    # Without the page's own list (a form posted from elsewhere) nothing counts as new.
    was_shown = set(request.POST.get("shown", "").split())
    revealed = {
        question.code
        for question in page.questions
        if "shown" in request.POST
        and question.code in after
        and question.code not in was_shown
    }
    if revealed or errors:
        hidden_names: set[str] = set()
        for question in page.questions:
            if question.code in revealed:
                hidden_names |= _field_names(question)
        return _render_page(
            request,
            link=visit.link,
            definition=definition,
            index=index,
            shown=after,
            answers=_merged(previous, page, parsed),
            values={name: request.POST.getlist(name) for name in request.POST},
            errors={
                name: text for name, text in errors.items() if name not in hidden_names
            },
            language=language,
            revealed=bool(revealed),
        )

    response = visit.response
    try:
        if response is None:
            response = start_response(
                survey=visit.link.survey,
                key=_response_key(request, visit.link, create=True),
                invitation=visit.link.invitation,
                language=language,
                now=now,
            )
        if response.status == SurveyResponse.Status.COMPLETE:
            return _see_other(_thanks_url(key, language))
        response = save_page(
            response=response,
            question_codes=_codes(page),
            answers=parsed,
            pages_done=index + 1,
            language=language,
            now=now,
        )
    except ResponseClosedError:
        if response is not None:
            return _see_other(_thanks_url(key, language))
        return _closed(request, definition, language)

    answers = _merged(previous, page, parsed)
    later = [i for i in _visible_pages(definition, after) if i > index]
    if later:
        return _see_other(_page_url(key, later[0], language))
    incomplete = _first_incomplete_page(definition, answers, language)
    if incomplete is not None:
        return _see_other(_page_url(key, incomplete, language))
    complete_response(response=response, now=now)
    return _see_other(_thanks_url(key, language))


def _codes(page: Page) -> list[str]:
    return [question.code for question in page.questions]


def _back(
    visit: _Visit,
    index: int,
    page: Page,
    parsed: Answers,
    errors: Mapping[str, str],
    now: datetime,
) -> HttpResponse:
    """Go to the previous page, keeping whatever on this page was valid."""
    earlier = [i for i in _visible_pages(visit.definition, visit.shown) if i < index]
    target = earlier[-1] if earlier else index
    if visit.response is not None:
        keep = [
            question.code
            for question in page.questions
            if question.code in parsed and not _field_names(question) & set(errors)
        ]
        try:
            save_page(
                response=visit.response,
                question_codes=keep,
                answers={code: parsed[code] for code in keep},
                pages_done=0,
                language=visit.language,
                now=now,
            )
        except ResponseClosedError:
            return _see_other(_thanks_url(visit.link.key, visit.language))
    return _see_other(_page_url(visit.link.key, target, visit.language))


@require_http_methods(["GET", "HEAD"])
def thank_you(request: HttpRequest, key: str) -> HttpResponse:
    """The survey's closing words, once the response is complete."""
    link = _resolve(key)
    if link is None:
        return unavailable(request)
    response = _existing_response(request, link)
    if response is None or response.status != SurveyResponse.Status.COMPLETE:
        return HttpResponseRedirect(reverse("responses:take", args=[key]))
    definition = version_definition(response.version)
    language = _language(definition, request.GET.get("lang"), response.language)
    return _render(
        request,
        "responses/thanks.html",
        {
            "survey_title": translate(definition.title, language),
            "thank_you": translate(definition.thank_you, language),
        },
        language=language,
    )

"""Taking a survey on the web: personal invitation links and public links.

``/s/<token>`` opens a personal invitation (response key ``inv:<invitation id>``);
``/s/<slug>`` opens a survey's public link when its current version allows one
(response key ``pub:<random>``, the random part kept in this browser's session).
Answers are saved page by page, so a respondent who leaves comes back to the page
where they stopped. Completing twice (two tabs, a double click, a replayed POST)
leaves one response: the key is unique and ``complete_response`` reports a repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import (
    ResponseClosedError,
    complete_response,
    save_page,
    start_response,
    stored_answers,
)
from satisfy.responses.views.common import (
    LANGUAGE_NAMES,
    render_in,
    unavailable,
)
from satisfy.responses.views.links import (
    Link,
    existing_response,
    is_expired,
    record_open,
    resolve_link,
    response_key,
)
from satisfy.responses.views.navigation import (
    field_names,
    first_incomplete_page,
    merged,
    pages_ahead,
    resume_index,
    visible_codes,
    visible_pages,
)
from satisfy.responses.views.rendering import (
    QuestionView,
    error_links,
    form_values,
    question_view,
)
from satisfy.surveys.answers import AnswerValue, parse_page
from satisfy.surveys.definition import (
    Page,
    SurveyDefinition,
    normalize_language,
    translate,
)
from satisfy.surveys.models import SurveyVersion
from satisfy.surveys.services import version_definition

Answers = Mapping[str, tuple[AnswerValue, ...]]


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


def _page_url(key: str, index: int, language: str) -> str:
    query = urlencode({"page": index + 1, "lang": language})
    return f"{reverse('responses:take', args=[key])}?{query}"


def _thanks_url(key: str, language: str) -> str:
    query = urlencode({"lang": language})
    return f"{reverse('responses:thanks', args=[key])}?{query}"


def _closed(
    request: HttpRequest, definition: SurveyDefinition | None, language: str | None
) -> HttpResponse:
    title = translate(definition.title, language or "en") if definition else ""
    return render_in(
        request,
        "responses/closed.html",
        {"survey_title": title},
        language=language,
        status=410,
    )


def _already_answered(
    request: HttpRequest, definition: SurveyDefinition, language: str
) -> HttpResponse:
    return render_in(
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
    before = [number for number in visible_pages(definition, shown) if number < index]
    ahead = pages_ahead(definition, index, shown, answers)
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
    return render_in(request, "responses/page.html", context, language=language)


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
    link = resolve_link(key)
    if link is None:
        return unavailable(request)
    invitation = link.invitation
    asked = request.POST.get("lang") or request.GET.get("lang")
    response = existing_response(request, link)
    if response is not None and response.status == SurveyResponse.Status.COMPLETE:
        definition = version_definition(response.version)
        language = _language(definition, asked, response.language)
        if request.method == "POST":
            return _see_other(_thanks_url(key, language))
        return _already_answered(request, definition, language)
    if invitation is not None and is_expired(invitation, now):
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
    shown = visible_codes(definition, answers)
    visit = _Visit(
        link=link,
        definition=definition,
        language=language,
        response=response,
        answers=answers,
        shown=shown,
        resume=resume_index(
            definition, shown, response.pages_done if response is not None else 0
        ),
    )
    if request.method == "POST":
        return _submit(request, visit, now)
    if invitation is not None and request.method == "GET":
        record_open(invitation, now)
    if (
        request.method == "GET"
        and response is not None
        and asked
        and language != response.language
    ):
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
        or wanted not in visible_pages(definition, visit.shown)
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
        or index not in visible_pages(definition, visit.shown)
    ):
        return _see_other(_page_url(key, visit.resume, language))
    page = definition.pages[index]
    previous = {
        code: values for code, values in visit.answers.items() if code in visit.shown
    }
    parsed, errors = parse_page(
        page, request.POST, previous=previous, language=language
    )
    after = visible_codes(definition, merged(previous, page, parsed))

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
                hidden_names |= field_names(question)
        return _render_page(
            request,
            link=visit.link,
            definition=definition,
            index=index,
            shown=after,
            answers=merged(previous, page, parsed),
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
                key=response_key(request, visit.link, create=True),
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

    answers = merged(previous, page, parsed)
    later = [i for i in visible_pages(definition, after) if i > index]
    if later:
        return _see_other(_page_url(key, later[0], language))
    incomplete = first_incomplete_page(definition, answers, language)
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
    earlier = [i for i in visible_pages(visit.definition, visit.shown) if i < index]
    target = earlier[-1] if earlier else index
    if visit.response is not None:
        keep = [
            question.code
            for question in page.questions
            if question.code in parsed and not field_names(question) & set(errors)
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
    link = resolve_link(key)
    if link is None:
        return unavailable(request)
    response = existing_response(request, link)
    if response is None or response.status != SurveyResponse.Status.COMPLETE:
        return HttpResponseRedirect(reverse("responses:take", args=[key]))
    definition = version_definition(response.version)
    language = _language(definition, request.GET.get("lang"), response.language)
    return render_in(
        request,
        "responses/thanks.html",
        {
            "survey_title": translate(definition.title, language),
            "thank_you": translate(definition.thank_you, language),
        },
        language=language,
    )

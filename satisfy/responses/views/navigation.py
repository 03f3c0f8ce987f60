"""Which pages and questions a respondent sees, given their answers so far.

Pure functions of the survey definition and the answers; no HTTP, no database.
"""

from __future__ import annotations

from collections.abc import Mapping

from satisfy.responses.views.rendering import form_values
from satisfy.surveys.answers import AnswerValue, cells, field_name, parse_page
from satisfy.surveys.definition import (
    Page,
    Question,
    SurveyDefinition,
    visible_questions,
)

Answers = Mapping[str, tuple[AnswerValue, ...]]


def visible_codes(definition: SurveyDefinition, answers: Answers) -> set[str]:
    """Codes of the questions shown, given the answers (chains of conditions collapse)."""
    return {
        question.code for question in visible_questions(definition.questions(), answers)
    }


def visible_pages(definition: SurveyDefinition, shown: set[str]) -> list[int]:
    """Indexes of the pages with at least one question to show."""
    return [
        index
        for index, page in enumerate(definition.pages)
        if any(question.code in shown for question in page.questions)
    ]


def resume_index(definition: SurveyDefinition, shown: set[str], pages_done: int) -> int:
    """The first visible page not yet submitted, else the last visible page."""
    visible = visible_pages(definition, shown)
    if not visible:
        return 0
    return next((index for index in visible if index >= pages_done), visible[-1])


def pages_ahead(
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


def field_names(question: Question) -> set[str]:
    """Every form field name a question uses, and its code (errors are keyed by these)."""
    names = {question.code}
    for item, part in cells(question):
        names.add(field_name(question, item, part))
    return names


def merged(
    answers: Answers, page: Page, new: Answers
) -> dict[str, tuple[AnswerValue, ...]]:
    """Stored answers with this page's answers replaced by ``new``."""
    here = {question.code for question in page.questions}
    merged = {code: values for code, values in answers.items() if code not in here}
    merged.update(new)
    return merged


def first_incomplete_page(
    definition: SurveyDefinition, answers: Answers, language: str
) -> int | None:
    """The first visible page whose stored answers would not pass validation."""
    shown = visible_codes(definition, answers)
    kept = {code: values for code, values in answers.items() if code in shown}
    for index in visible_pages(definition, shown):
        page = definition.pages[index]
        _parsed, errors = parse_page(
            page, form_values(page, kept), previous=kept, language=language
        )
        if errors:
            return index
    return None

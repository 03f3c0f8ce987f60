"""Display logic: which questions a respondent sees, given earlier answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .model import Question

if TYPE_CHECKING:
    from satisfy.surveys.answers import AnswerValue

AnswerSet = Sequence["AnswerValue"]
"""The answers to one question (several for multiple choice and item questions)."""


def is_visible(question: Question, answers: Mapping[str, AnswerSet]) -> bool:
    """Whether ``question`` is shown, given the answers so far (by question code).

    A question without ``show_if`` is always shown. Otherwise the answer to the
    referenced question must have a choice code listed in ``equals`` (``"na"``
    included), or a value within ``[min, max]``. A referenced question that is
    unanswered, or hidden itself (absent from ``answers``), hides this one too.
    """
    condition = question.show_if
    if condition is None:
        return True
    for answer in answers.get(condition.question, ()):
        if answer.item_code:
            continue
        if answer.choice_code and answer.choice_code in condition.equals:
            return True
        if answer.value is None or (condition.min is None and condition.max is None):
            continue
        above = condition.min is None or answer.value >= condition.min
        below = condition.max is None or answer.value <= condition.max
        if above and below:
            return True
    return False


def visible_questions(
    questions: Iterable[Question], answers: Mapping[str, AnswerSet]
) -> list[Question]:
    """The questions shown, in order, given all answers so far.

    Answers to hidden questions are ignored, so a chain of conditions collapses
    as soon as one link is hidden.
    """
    shown: list[Question] = []
    kept: dict[str, AnswerSet] = {}
    for question in questions:
        if is_visible(question, kept):
            shown.append(question)
            if question.code in answers:
                kept[question.code] = answers[question.code]
    return shown

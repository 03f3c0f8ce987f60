"""Parse and validate respondents' answers against a survey definition.

Two entry points share one set of rules: :func:`parse_page` for a submitted web
form page and :func:`parse_answers` for a whole survey sent as JSON. Both return
answers as :class:`AnswerValue` tuples keyed by question code, and errors as
messages in the respondent's language. Pure Python: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from satisfy.surveys.definition import (
    Choice,
    Item,
    Page,
    Question,
    QuestionType,
    SurveyDefinition,
    is_visible,
    normalize_language,
)

FIELD_PREFIX = "q_"
FIELD_SEPARATOR = "__"


@dataclass(frozen=True, slots=True)
class AnswerValue:
    """One stored answer: a chosen point or option, a text, or "not applicable".

    A multiple-choice answer is one ``AnswerValue`` per chosen option; a matrix
    answer one per row (``item_code``); an expectation/perception answer one per
    row and part (``part`` is ``"expectation"`` or ``"perception"``).
    """

    question_code: str
    item_code: str = ""
    part: str = ""
    choice_code: str = ""
    value: float | None = None
    text: str = ""
    is_na: bool = False


Answers = dict[str, tuple[AnswerValue, ...]]
Errors = dict[str, str]

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "en": "Please choose an answer.",
        "zh-Hans": "请选择一个答案。",
        "es": "Por favor, elija una respuesta.",
    },
    "required_text": {
        "en": "Please write an answer.",
        "zh-Hans": "请填写您的回答。",
        "es": "Por favor, escriba una respuesta.",
    },
    "invalid_choice": {
        "en": "Choose one of the options.",
        "zh-Hans": "请从选项中选择。",
        "es": "Elija una de las opciones.",
    },
    "out_of_range": {
        "en": "Choose a value from {min} to {max}.",
        "zh-Hans": "请选择 {min} 到 {max} 之间的数值。",
        "es": "Elija un valor de {min} a {max}.",
    },
    "only_one": {
        "en": "Choose only one answer.",
        "zh-Hans": "只能选择一个答案。",
        "es": "Elija una sola respuesta.",
    },
    "min_choices": {
        "en": "Choose at least {n} options.",
        "zh-Hans": "请至少选择 {n} 项。",
        "es": "Elija al menos {n} opciones.",
    },
    "max_choices": {
        "en": "Choose at most {n} options.",
        "zh-Hans": "最多只能选择 {n} 项。",
        "es": "Elija como máximo {n} opciones.",
    },
    "na_exclusive": {
        "en": "“Not applicable” cannot be combined with other answers.",
        "zh-Hans": "“不适用”不能与其他答案同时选择。",
        "es": "«No aplica» no se puede combinar con otras respuestas.",
    },
    "too_long": {
        "en": "Please shorten your answer to at most {n} characters.",
        "zh-Hans": "回答最多 {n} 个字符，请精简。",
        "es": "Acorte su respuesta a {n} caracteres como máximo.",
    },
    "not_text": {
        "en": "Please write your answer as text.",
        "zh-Hans": "请以文字形式填写回答。",
        "es": "Escriba su respuesta como texto.",
    },
    "rows": {
        "en": "Answer each row separately.",
        "zh-Hans": "请对每一行分别作答。",
        "es": "Responda cada fila por separado.",
    },
    "parts": {
        "en": "Give both what you expected and what you experienced.",
        "zh-Hans": "请分别填写您的期望和实际感受。",
        "es": "Indique lo que esperaba y lo que recibió.",
    },
    "unknown_item": {
        "en": "Unknown row.",
        "zh-Hans": "未知的行。",
        "es": "Fila desconocida.",
    },
    "unknown_question": {
        "en": "Unknown question.",
        "zh-Hans": "未知的问题。",
        "es": "Pregunta desconocida.",
    },
    "hidden": {
        "en": "This question does not apply, given your other answers.",
        "zh-Hans": "根据您的其他回答，此问题不适用。",
        "es": "Esta pregunta no corresponde según sus otras respuestas.",
    },
}
"""Respondent-facing error messages in every supported language."""


def message(key: str, language: str, **params: object) -> str:
    """The message ``key`` in ``language`` (English if unknown), formatted with ``params``."""
    texts = MESSAGES[key]
    chosen = normalize_language(language) or "en"
    return texts.get(chosen, texts["en"]).format(**params)


def field_name(question: Question, item: Item | None = None, part: str = "") -> str:
    """The HTML form field name of a question, or of one row/part of it.

    ``q_overall``, ``q_grid__speed``, ``q_servqual__reliable__expectation``.
    Codes never contain ``__``, so names cannot collide.
    """
    name = FIELD_PREFIX + question.code
    if item is not None:
        name += FIELD_SEPARATOR + item.code
    if part:
        name += FIELD_SEPARATOR + part
    return name


def cells(question: Question) -> list[tuple[Item | None, str]]:
    """The (item, part) pairs answered separately: ``[(None, "")]`` for a plain question."""
    items: Sequence[Item | None] = question.items or (None,)
    return [(item, part) for item in items for part in question.parts]


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _form_values(form: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    if callable(getlist):
        got: Any = getlist(name)
    else:
        got = form.get(name, [])
    if got is None:
        return []
    if isinstance(got, str):
        return [got]
    return [str(v) for v in got]


class _QuestionParser:
    """Parse one question's raw string values, field by field."""

    def __init__(self, question: Question, language: str) -> None:
        self.question = question
        self.language = language
        self.errors: Errors = {}

    def error(self, name: str, key: str, **params: object) -> None:
        self.errors[name] = message(key, self.language, **params)

    def parse(self, values_for: Callable[[str], list[str]]) -> tuple[AnswerValue, ...]:
        question = self.question
        if question.type is QuestionType.TEXT:
            return self.text(values_for(field_name(question)))
        if question.type is QuestionType.MULTIPLE:
            return self.multiple(values_for(field_name(question)))
        answers: list[AnswerValue] = []
        for item, part in cells(question):
            name = field_name(question, item, part)
            answer = self.one(name, values_for(name), item, part)
            if answer is not None:
                answers.append(answer)
        return tuple(answers)

    def invalid(self, name: str) -> None:
        question = self.question
        if (
            question.is_scale
            and question.min_value is not None
            and question.max_value is not None
        ):
            self.error(
                name,
                "out_of_range",
                min=_number_text(question.min_value),
                max=_number_text(question.max_value),
            )
        else:
            self.error(name, "invalid_choice")

    def find(self, raw: str) -> Choice | None:
        question = self.question
        for choice in question.choices:
            if choice.code == raw:
                return choice
        if question.is_scale:
            try:
                number = float(raw)
            except ValueError:
                return None
            for choice in question.answer_choices:
                if choice.value == number:
                    return choice
        return None

    def one(
        self, name: str, raw_values: list[str], item: Item | None, part: str
    ) -> AnswerValue | None:
        question = self.question
        given = [value.strip() for value in raw_values if value.strip()]
        if len(set(given)) > 1:
            self.error(name, "only_one")
            return None
        if not given:
            if question.required:
                self.error(name, "required")
            return None
        choice = self.find(given[0])
        if choice is None:
            self.invalid(name)
            return None
        return AnswerValue(
            question_code=question.code,
            item_code=item.code if item is not None else "",
            part=part,
            choice_code=choice.code,
            value=choice.value,
            is_na=choice.is_na,
        )

    def multiple(self, raw_values: list[str]) -> tuple[AnswerValue, ...]:
        question = self.question
        name = field_name(question)
        chosen: list[Choice] = []
        for raw in raw_values:
            if not raw.strip():
                continue
            choice = self.find(raw.strip())
            if choice is None:
                self.error(name, "invalid_choice")
                return ()
            if choice not in chosen:
                chosen.append(choice)
        if not chosen:
            if question.required:
                self.error(name, "required")
            return ()
        if any(c.is_na for c in chosen):
            if len(chosen) > 1:
                self.error(name, "na_exclusive")
                return ()
        else:
            if question.min_choices is not None and len(chosen) < question.min_choices:
                self.error(name, "min_choices", n=question.min_choices)
                return ()
            if question.max_choices is not None and len(chosen) > question.max_choices:
                self.error(name, "max_choices", n=question.max_choices)
                return ()
        # keep the definition's order, whatever order the browser sent
        ordered = [c for c in question.choices if c in chosen]
        return tuple(
            AnswerValue(
                question_code=question.code,
                choice_code=c.code,
                value=c.value,
                is_na=c.is_na,
            )
            for c in ordered
        )

    def text(self, raw_values: list[str]) -> tuple[AnswerValue, ...]:
        question = self.question
        name = field_name(question)
        given = [v for v in raw_values if v.strip()]
        if len(given) > 1:
            self.error(name, "only_one")
            return ()
        text = given[0] if given else ""
        text = (
            text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
        )
        if not text:
            if question.required:
                self.error(name, "required_text")
            return ()
        if question.max_length is not None and len(text) > question.max_length:
            self.error(name, "too_long", n=question.max_length)
            return ()
        return (AnswerValue(question_code=question.code, text=text),)


def _parse_question(
    question: Question, values_for: Callable[[str], list[str]], language: str
) -> tuple[tuple[AnswerValue, ...], Errors]:
    parser = _QuestionParser(question, language)
    answers = parser.parse(values_for)
    return answers, parser.errors


def parse_page(
    page: Page,
    form: Mapping[str, Sequence[str]],
    *,
    previous: Mapping[str, tuple[AnswerValue, ...]],
    language: str,
) -> tuple[dict[str, tuple[AnswerValue, ...]], dict[str, str]]:
    """Validate one submitted page of a web survey.

    Parameters
    ----------
    page
        The page that was shown.
    form
        ``request.POST`` or any ``name -> list of strings`` mapping; field names
        come from :func:`field_name`. A ``QueryDict`` works as is (``getlist``).
    previous
        Answers from earlier pages, by question code, for display logic.
        Answers to this page's questions in it are ignored (the page replaces them).
    language
        Language of the error messages (``"en"``, ``"zh-Hans"``/``"zh-hans"``, ``"es"``).

    Returns
    -------
    answers, errors
        ``answers`` has one entry per visible question of the page that has no
        error: a tuple of :class:`AnswerValue` (empty when an optional question
        was left blank). Hidden questions are absent. ``errors`` maps a field name
        to a message for the respondent.
    """
    chosen = normalize_language(language) or "en"
    known: dict[str, tuple[AnswerValue, ...]] = dict(previous)
    answers: Answers = {}
    errors: Errors = {}
    for question in page.questions:
        known.pop(question.code, None)
    for question in page.questions:
        if not is_visible(question, known):
            continue
        values, question_errors = _parse_question(
            question, lambda name: _form_values(form, name), chosen
        )
        if question_errors:
            errors.update(question_errors)
            continue
        answers[question.code] = values
        known[question.code] = values
    return answers, errors


def api_key(question: Question, item: Item | None = None, part: str = "") -> str:
    """The key of an error in :func:`parse_answers`: ``code``, ``code.item``, ``code.item.part``."""
    return ".".join(p for p in (question.code, item.code if item else "", part) if p)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _number_text(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    return None


def _from_json(
    question: Question, value: Any, language: str
) -> tuple[dict[str, list[str]], Errors]:
    """Turn one JSON answer into form-like values, or shape errors keyed by API key."""
    form: dict[str, list[str]] = {}
    errors: Errors = {}
    name = field_name(question)
    if value is None:
        return form, errors
    if question.type is QuestionType.TEXT:
        if isinstance(value, str):
            form[name] = [value]
        else:
            errors[question.code] = message("not_text", language)
        return form, errors
    if question.type is QuestionType.MULTIPLE:
        listed = [value] if isinstance(value, str) else value
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            errors[question.code] = message("invalid_choice", language)
        else:
            form[name] = list(listed)
        return form, errors
    if not question.items:
        text = _scalar_text(value)
        if text is None:
            parser = _QuestionParser(question, language)
            parser.invalid(question.code)
            errors.update(parser.errors)
        else:
            form[name] = [text]
        return form, errors
    if not isinstance(value, dict):
        errors[question.code] = message("rows", language)
        return form, errors
    items = {item.code: item for item in question.items}
    for item_code, item_value in value.items():
        item = items.get(item_code)
        if item is None:
            errors[f"{question.code}.{item_code}"] = message("unknown_item", language)
            continue
        if question.type is QuestionType.EXPECTATION_PERCEPTION:
            if not isinstance(item_value, dict) or set(item_value) - set(
                question.parts
            ):
                errors[api_key(question, item)] = message("parts", language)
                continue
            pairs = [(part, item_value.get(part)) for part in question.parts]
        else:
            pairs = [("", item_value)]
        for part, cell in pairs:
            if cell is None:
                continue
            text = _scalar_text(cell)
            if text is None:
                parser = _QuestionParser(question, language)
                parser.invalid(api_key(question, item, part))
                errors.update(parser.errors)
            else:
                form[field_name(question, item, part)] = [text]
    return form, errors


def _lookup(form: Mapping[str, list[str]]) -> Callable[[str], list[str]]:
    def values_for(name: str) -> list[str]:
        return form.get(name, [])

    return values_for


def parse_answers(
    defn: SurveyDefinition, data: Mapping[str, Any], *, language: str
) -> tuple[dict[str, tuple[AnswerValue, ...]], dict[str, str]]:
    """Validate a whole survey's answers sent as JSON.

    ``data`` maps question code to: a number or choice code (scales, single
    choice), a list of choice codes (multiple), a string (text), ``{item: value}``
    (matrix, importance with items), ``{item: {"expectation": v, "perception": v}}``
    (expectation_perception), or ``"na"`` for not applicable. ``null`` or a missing
    key means unanswered.

    Returns ``(answers, errors)`` as :func:`parse_page` does, for the whole survey;
    errors are keyed ``"code"``, ``"code.item"`` or ``"code.item.part"``. Unknown
    question codes, and answers to questions hidden by display logic, are errors.
    """
    chosen = normalize_language(language) or "en"
    known_codes = set(defn.question_codes)
    errors: Errors = {}
    for code in data:
        if code not in known_codes:
            errors[str(code)] = message("unknown_question", chosen)
    answers: Answers = {}
    for question in defn.questions():
        value = data.get(question.code)
        if not is_visible(question, answers):
            if value is not None:
                errors[question.code] = message("hidden", chosen)
            continue
        form, shape_errors = _from_json(question, value, chosen)
        keys = {
            field_name(question, item, part): api_key(question, item, part)
            for item, part in cells(question)
        }
        values, question_errors = _parse_question(question, _lookup(form), chosen)
        # A badly shaped cell is reported once, not again as "missing".
        value_errors = {
            keys.get(name, question.code): text
            for name, text in question_errors.items()
            if not any(
                keys.get(name, question.code) == bad
                or keys.get(name, question.code).startswith(bad + ".")
                for bad in shape_errors
            )
        }
        if shape_errors or value_errors:
            errors.update(shape_errors)
            errors.update(value_errors)
            continue
        answers[question.code] = values
    return answers, errors


__all__ = [
    "MESSAGES",
    "AnswerValue",
    "api_key",
    "cells",
    "field_name",
    "message",
    "parse_answers",
    "parse_page",
]

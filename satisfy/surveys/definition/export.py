"""Turn a definition back into plain data, JSON or YAML.

The output is explicit: default wording (CSAT labels, the "not applicable" label,
the thank-you text...) is written out, so a stored definition does not change
when Satisfy's defaults change.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml

from .fields import TYPE_FIELDS
from .model import (
    LANGUAGES,
    Choice,
    Condition,
    Question,
    QuestionType,
    SurveyDefinition,
    Text,
)

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _text(text: Text) -> dict[str, str]:
    ordered = {language: text[language] for language in LANGUAGES if language in text}
    ordered.update({k: v for k, v in text.items() if k not in ordered})
    return ordered


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _choice(choice: Choice) -> dict[str, Any]:
    data: dict[str, Any] = {"code": choice.code, "label": _text(choice.label)}
    if choice.value is not None:
        data["value"] = _number(choice.value)
    return data


def _condition(condition: Condition) -> dict[str, Any]:
    data: dict[str, Any] = {"question": condition.question}
    if condition.equals:
        data["equals"] = list(condition.equals)
    if condition.min is not None:
        data["min"] = _number(condition.min)
    if condition.max is not None:
        data["max"] = _number(condition.max)
    return data


def has_point_labels(question: Question) -> bool:
    """Whether a scale's points carry words rather than just their numbers."""
    return any(dict(c.label) != {"en": c.code} for c in question.answer_choices)


def question_to_dict(question: Question) -> dict[str, Any]:
    """One question in the authoring format."""
    allowed = TYPE_FIELDS[question.type]
    data: dict[str, Any] = {
        "code": question.code,
        "type": question.type.value,
        "text": _text(question.text),
    }
    if question.help:
        data["help"] = _text(question.help)
    data["required"] = question.required
    if question.dimension is not None:
        data["dimension"] = question.dimension
    if question.show_if is not None:
        data["show_if"] = _condition(question.show_if)
    if question.type is QuestionType.CES:
        data["ces_version"] = question.ces_version
    if (
        question.is_scale
        and question.min_value is not None
        and question.max_value is not None
    ):
        data["min_value"] = _number(question.min_value)
        data["max_value"] = _number(question.max_value)
        if has_point_labels(question):
            data["labels"] = [_text(c.label) for c in question.answer_choices]
    elif "choices" in allowed:
        data["choices"] = [_choice(c) for c in question.answer_choices]
    if question.min_label:
        data["min_label"] = _text(question.min_label)
    if question.max_label:
        data["max_label"] = _text(question.max_label)
    if "top_box" in allowed and question.top_box is not None:
        data["top_box"] = question.top_box
    if "reversed" in allowed and question.reversed:
        data["reversed"] = True
    if question.items:
        data["items"] = [
            {"code": item.code, "label": _text(item.label)}
            | ({"dimension": item.dimension} if item.dimension else {})
            for item in question.items
        ]
    if question.type is QuestionType.EXPECTATION_PERCEPTION:
        data["expectation_label"] = _text(question.expectation_label)
        data["perception_label"] = _text(question.perception_label)
    if question.type is QuestionType.MULTIPLE:
        if question.min_choices is not None:
            data["min_choices"] = question.min_choices
        if question.max_choices is not None:
            data["max_choices"] = question.max_choices
    if question.type is QuestionType.TEXT:
        data["max_length"] = question.max_length
        data["multiline"] = question.multiline
    if "allow_na" in allowed:
        data["allow_na"] = question.allow_na
        na = question.na_choice
        if na is not None:
            data["na_label"] = _text(na.label)
    return data


def definition_to_dict(defn: SurveyDefinition) -> dict[str, Any]:
    """The definition as plain JSON-compatible data; ``definition_from_dict`` reverses it."""
    data: dict[str, Any] = {
        "code": defn.code,
        "version": defn.version,
        "title": _text(defn.title),
    }
    for name in ("description", "intro", "thank_you"):
        text: Text = getattr(defn, name)
        if text:
            data[name] = _text(text)
    data["languages"] = list(defn.languages)
    data["default_language"] = defn.default_language
    data["anonymous"] = defn.anonymous
    data["allow_public_link"] = defn.allow_public_link
    data["ivr_key_layout"] = defn.ivr_key_layout
    if defn.category:
        data["category"] = defn.category
    if defn.tags:
        data["tags"] = list(defn.tags)
    if defn.template:
        data["template"] = defn.template
    data["pages"] = [
        {"code": page.code}
        | ({"title": _text(page.title)} if page.title else {})
        | {"questions": [question_to_dict(q) for q in page.questions]}
        for page in defn.pages
    ]
    return data


def dump_definition(defn: SurveyDefinition, *, format: Literal["yaml", "json"]) -> str:
    """Export a definition as YAML (Chinese stays readable) or JSON text."""
    data = definition_to_dict(defn)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if format == "yaml":
        return yaml.safe_dump(
            data,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=100,
        )
    raise ValueError(f"unknown format {format!r}; use 'yaml' or 'json'")

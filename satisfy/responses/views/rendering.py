"""What a survey page shows: questions turned into plain values for the templates.

Every text authored in a survey is translated here and handed to the templates as a
plain ``str``; Django's autoescape then escapes it (nothing is marked safe).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from satisfy.surveys.answers import AnswerValue, field_name
from satisfy.surveys.definition import (
    Item,
    Page,
    Question,
    QuestionType,
    translate,
)

FormValues = Mapping[str, Sequence[str]]
"""Field name -> submitted values, as ``request.POST.lists()`` gives them."""

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

# Scales shown as a row of numbered boxes when their choices carry no words of their own.
_BOX_TYPES = frozenset(
    {
        QuestionType.NPS,
        QuestionType.RATING,
        QuestionType.SCALE,
        QuestionType.CSAT,
        QuestionType.CES,
        QuestionType.IMPORTANCE,
    }
)


def element_id(*parts: str) -> str:
    """An HTML id built from field names and codes (letters, digits, ``-``, ``_``)."""
    return "-".join(_ID_UNSAFE.sub("-", part).strip("-") for part in parts if part)


@dataclass(frozen=True, slots=True)
class OptionView:
    """One radio button or checkbox."""

    id: str
    value: str
    label: str
    checked: bool
    is_na: bool


@dataclass(frozen=True, slots=True)
class FieldView:
    """One HTML field: a radio group, a checkbox group or a text box."""

    name: str
    id: str
    """Id of the first control, the target of the error summary's link."""
    label: str
    label_id: str
    options: tuple[OptionView, ...]
    na_option: OptionView | None
    text: str
    error: str
    error_id: str

    @property
    def describedby(self) -> str:
        return self.error_id if self.error else ""


@dataclass(frozen=True, slots=True)
class RowView:
    """One item of a matrix (one field) or of an expectation/perception question (two)."""

    label: str
    label_id: str
    fields: tuple[FieldView, ...]

    @property
    def error(self) -> str:
        return next((field.error for field in self.fields if field.error), "")


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question ready for ``responses/_question.html``.

    ``layout`` picks the template block: ``boxes`` (a row of numbered boxes),
    ``list`` (one radio or checkbox per line), ``text``, ``matrix`` or ``pairs``
    (expectation and perception per item).
    """

    code: str
    id: str
    layout: str
    input_type: str
    text: str
    help: str
    help_id: str
    required: bool
    min_label: str
    max_label: str
    ends_id: str
    fields: tuple[FieldView, ...]
    rows: tuple[RowView, ...]
    columns: tuple[str, ...]
    points: int
    max_length: int | None
    multiline: bool
    error: str
    error_id: str

    @property
    def has_error(self) -> bool:
        return bool(self.error) or any(field.error for field in self.fields)

    @property
    def describedby(self) -> str:
        ids = [self.help_id if self.help else "", self.ends_id if self.ends else ""]
        ids.append(self.error_id if self.error else "")
        if not self.rows and self.fields and self.fields[0].error:
            ids.append(self.fields[0].error_id)
        return " ".join(i for i in ids if i)

    @property
    def ends(self) -> bool:
        return bool(self.min_label or self.max_label)

    @property
    def field(self) -> FieldView:
        return self.fields[0]


@dataclass(frozen=True, slots=True)
class ErrorLink:
    """One line of the error summary at the top of the page."""

    target_id: str
    message: str
    question: str = ""


def form_values(
    page: Page, answers: Mapping[str, Sequence[AnswerValue]]
) -> dict[str, list[str]]:
    """The form a respondent would submit to reproduce their stored answers."""
    values: dict[str, list[str]] = {}
    for question in page.questions:
        for value in answers.get(question.code, ()):
            item = question.item(value.item_code) if value.item_code else None
            name = field_name(question, item, value.part)
            if question.type is QuestionType.TEXT:
                values.setdefault(name, []).append(value.text)
            elif value.is_na and not value.choice_code:
                values.setdefault(name, []).append("na")
            else:
                values.setdefault(name, []).append(value.choice_code)
    return values


def _is_box_scale(question: Question) -> bool:
    if question.type not in _BOX_TYPES or question.has_items:
        return False
    if question.type is QuestionType.NPS:
        return True
    return all(
        not choice.label
        or all(label.strip() in {choice.code, ""} for label in choice.label.values())
        for choice in question.answer_choices
    )


def _field(
    question: Question,
    *,
    item: Item | None,
    part: str,
    label: str,
    values: FormValues,
    errors: Mapping[str, str],
    language: str,
) -> FieldView:
    name = field_name(question, item, part)
    base = element_id("q", name)
    chosen = set(values.get(name, ()))
    options: list[OptionView] = []
    na_option: OptionView | None = None
    for choice in question.choices:
        option = OptionView(
            id=element_id(base, choice.code),
            value=choice.code,
            label=translate(choice.label, language) or choice.code,
            checked=choice.code in chosen,
            is_na=choice.is_na,
        )
        if choice.is_na:
            na_option = option
        else:
            options.append(option)
    text_values = values.get(name, ())
    first_id = options[0].id if options else base
    return FieldView(
        name=name,
        id=first_id,
        label=label,
        label_id=element_id(base, "label"),
        options=tuple(options),
        na_option=na_option,
        text=text_values[0] if text_values else "",
        error=errors.get(name, ""),
        error_id=element_id(base, "error"),
    )


def _part_label(question: Question, part: str, language: str) -> str:
    if part == "expectation":
        return translate(question.expectation_label, language) or _("What I expected")
    if part == "perception":
        return translate(question.perception_label, language) or _("What I experienced")
    return ""


def question_view(
    question: Question,
    *,
    values: FormValues,
    errors: Mapping[str, str],
    language: str,
) -> QuestionView:
    """Turn one question and the current form values into display values."""
    base = element_id("q", question.code)
    fields: list[FieldView] = []
    rows: list[RowView] = []
    if question.has_items:
        layout = (
            "pairs"
            if question.type is QuestionType.EXPECTATION_PERCEPTION
            else "matrix"
        )
        for item in question.items:
            row_fields = tuple(
                _field(
                    question,
                    item=item,
                    part=part,
                    label=_part_label(question, part, language)
                    or translate(item.label, language),
                    values=values,
                    errors=errors,
                    language=language,
                )
                for part in question.parts
            )
            rows.append(
                RowView(
                    label=translate(item.label, language),
                    label_id=element_id(base, item.code, "label"),
                    fields=row_fields,
                )
            )
            fields.extend(row_fields)
    else:
        if question.type is QuestionType.TEXT:
            layout = "text"
        elif _is_box_scale(question):
            layout = "boxes"
        else:
            layout = "list"
        fields.append(
            _field(
                question,
                item=None,
                part="",
                label="",
                values=values,
                errors=errors,
                language=language,
            )
        )
    columns = tuple(
        translate(choice.label, language) or choice.code
        for choice in question.answer_choices
    )
    own_error = errors.get(question.code, "")
    if own_error and any(field.name == question.code for field in fields):
        own_error = ""  # shown beside the field already
    return QuestionView(
        code=question.code,
        id=base,
        layout=layout,
        input_type="checkbox" if question.type is QuestionType.MULTIPLE else "radio",
        text=translate(question.text, language),
        help=translate(question.help, language),
        help_id=element_id(base, "help"),
        required=question.required,
        min_label=translate(question.min_label, language),
        max_label=translate(question.max_label, language),
        ends_id=element_id(base, "ends"),
        fields=tuple(fields),
        rows=tuple(rows),
        columns=columns,
        points=len(question.answer_choices),
        max_length=question.max_length,
        multiline=question.multiline,
        error=own_error,
        error_id=element_id(base, "error"),
    )


def _labelled_fields(view: QuestionView) -> list[tuple[str, FieldView]]:
    """Each field with the words that say which one it is, for the error summary."""
    if not view.rows:
        return [(view.text, field) for field in view.fields]
    labelled = []
    for row in view.rows:
        for field in row.fields:
            about = f"{view.text} – {row.label}"
            if view.layout == "pairs":
                about += f" ({field.label})"
            labelled.append((about, field))
    return labelled


def error_links(
    questions: Sequence[QuestionView], errors: Mapping[str, str]
) -> list[ErrorLink]:
    """The error summary: one link per message, in page order, to the field concerned."""
    links: list[ErrorLink] = []
    seen: set[str] = set()
    for view in questions:
        if view.error:
            links.append(
                ErrorLink(
                    target_id=view.field.id, message=view.error, question=view.text
                )
            )
        for label, field in _labelled_fields(view):
            if field.error:
                links.append(
                    ErrorLink(target_id=field.id, message=field.error, question=label)
                )
            seen.add(field.name)
        seen.add(view.code)
    links.extend(
        ErrorLink(target_id="questions", message=message)
        for name, message in errors.items()
        if name not in seen
    )
    return links

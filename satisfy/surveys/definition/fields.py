"""Which fields each part of a definition accepts, and the limits on their values."""

from __future__ import annotations

from .model import QuestionType

TAG_PATTERN_TEXT = "lower-case letters, digits, '-' or '_'"
MAX_SCALE_POINTS = 11
MAX_TEXT_LENGTH = 10_000
DEFAULT_TEXT_LENGTH = 2_000


SURVEY_FIELDS = (
    "code",
    "version",
    "title",
    "description",
    "intro",
    "thank_you",
    "languages",
    "default_language",
    "anonymous",
    "allow_public_link",
    "ivr_key_layout",
    "category",
    "tags",
    "template",
    "pages",
)
PAGE_FIELDS = ("code", "title", "questions")
CHOICE_FIELDS = ("code", "label", "value")
ITEM_FIELDS = ("code", "label", "dimension")
CONDITION_FIELDS = ("question", "equals", "min", "max")

COMMON_QUESTION_FIELDS = (
    "code",
    "type",
    "text",
    "help",
    "required",
    "dimension",
    "show_if",
)
SCALE_FIELDS = (
    "min_value",
    "max_value",
    "labels",
    "min_label",
    "max_label",
    "allow_na",
    "na_label",
    "reversed",
    "top_box",
)
TYPE_FIELDS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.RATING: SCALE_FIELDS,
    QuestionType.SCALE: SCALE_FIELDS,
    QuestionType.CSAT: SCALE_FIELDS,
    QuestionType.IMPORTANCE: (*SCALE_FIELDS, "items"),
    QuestionType.NPS: (
        *("min_value", "max_value", "labels", "min_label", "max_label"),
        *("allow_na", "na_label"),
    ),
    QuestionType.CES: (
        *("ces_version", "min_value", "max_value", "labels", "min_label"),
        *("max_label", "allow_na", "na_label", "top_box"),
    ),
    QuestionType.SINGLE: ("choices", "allow_na", "na_label"),
    QuestionType.MULTIPLE: (
        "choices",
        "allow_na",
        "na_label",
        "min_choices",
        "max_choices",
    ),
    QuestionType.TEXT: ("max_length", "multiline"),
    QuestionType.MATRIX: (*SCALE_FIELDS, "items", "choices"),
    QuestionType.EXPECTATION_PERCEPTION: (
        "items",
        "min_value",
        "max_value",
        "labels",
        "min_label",
        "max_label",
        "expectation_label",
        "perception_label",
        "allow_na",
        "na_label",
    ),
}
"""Fields each question type accepts besides :data:`COMMON_QUESTION_FIELDS`."""

ALL_QUESTION_FIELDS = frozenset(COMMON_QUESTION_FIELDS).union(*TYPE_FIELDS.values())

DEFAULT_RANGES: dict[QuestionType, tuple[int, int]] = {
    QuestionType.RATING: (1, 5),
    QuestionType.SCALE: (1, 5),
    QuestionType.CSAT: (1, 5),
    QuestionType.IMPORTANCE: (1, 5),
    QuestionType.NPS: (0, 10),
    QuestionType.MATRIX: (1, 5),
    QuestionType.EXPECTATION_PERCEPTION: (1, 7),
}
CES_RANGES = {1: (1, 5), 2: (1, 7)}

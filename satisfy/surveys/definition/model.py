"""The survey definition: frozen dataclasses describing a questionnaire.

A definition is plain data. It is built by :func:`load_definition` or
:func:`definition_from_dict`, which validate everything first; the dataclasses
themselves only normalise their containers (lists to tuples, dicts to
:class:`Translations`) so that a definition is immutable, hashable and comparable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "es")
"""Languages a survey text may be written in; English is always required."""

FALLBACK_LANGUAGE = "en"

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
"""Codes of pages, questions, choices, items and dimensions."""

SURVEY_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
"""Codes of surveys and templates (slugs, e.g. ``post-contact``)."""

VERSION_PATTERN = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")

NA_CODE = "na"
"""Choice code of the "don't know / not applicable" answer."""

EXPECTATION = "expectation"
PERCEPTION = "perception"
PARTS: tuple[str, str] = (EXPECTATION, PERCEPTION)
"""The two answers of each item of an ``expectation_perception`` question."""

STANDARD_DIMENSIONS: tuple[str, ...] = (
    "overall",
    "access",
    "resolution",
    "treatment",
    "loyalty",
    "value",
    "expectation",
    "effort",
    "quality",
)
"""Dimension tags with a shared meaning across templates; any other code is allowed."""

IvrKeyLayout = Literal["ascending", "descending"]
IVR_KEY_LAYOUTS: tuple[str, ...] = ("ascending", "descending")

Text = Mapping[str, str]
"""A text in several languages: language code -> string."""


class Translations(Mapping[str, str]):
    """An immutable, hashable ``language -> text`` mapping.

    Equal to any mapping with the same items, so ``Translations({"en": "Hi"}) ==
    {"en": "Hi"}`` holds.
    """

    __slots__ = ("_items",)

    def __init__(
        self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()
    ) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, str], ...] = tuple(
            (str(k), str(v)) for k, v in pairs
        )

    def __getitem__(self, key: str) -> str:
        for language, value in self._items:
            if language == key:
                return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (language for language, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Translations({dict(self._items)!r})"


EMPTY_TEXT = Translations()

_LANGUAGE_ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
}


def normalize_language(language: str) -> str | None:
    """The member of :data:`LANGUAGES` meant by ``language``, or ``None``.

    Accepts Django's lower-case codes (``zh-hans``), underscores (``zh_Hans``),
    regional variants (``es-MX`` -> ``es``) and ``zh``/``zh-CN`` for simplified
    Chinese.
    """
    wanted = language.strip().replace("_", "-").lower()
    for known in LANGUAGES:
        if known.lower() == wanted:
            return known
    if wanted in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[wanted]
    base = wanted.split("-")[0]
    for known in LANGUAGES:
        if known.lower() == base:
            return known
    return None


def translate(text: Text, language: str) -> str:
    """The text in ``language``, else in English, else in the first language given.

    Returns ``""`` for an empty text. ``language`` is matched leniently (see
    :func:`normalize_language`).
    """
    if not text:
        return ""
    wanted = normalize_language(language) or language
    if wanted in text:
        return text[wanted]
    if FALLBACK_LANGUAGE in text:
        return text[FALLBACK_LANGUAGE]
    return next(iter(text.values()))


def _text(value: Text) -> Translations:
    return value if isinstance(value, Translations) else Translations(value)


class QuestionType(StrEnum):
    """What kind of answer a question asks for."""

    RATING = "rating"
    SCALE = "scale"
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"
    MATRIX = "matrix"
    EXPECTATION_PERCEPTION = "expectation_perception"
    IMPORTANCE = "importance"


SCALE_TYPES: frozenset[QuestionType] = frozenset(
    {
        QuestionType.RATING,
        QuestionType.SCALE,
        QuestionType.NPS,
        QuestionType.CSAT,
        QuestionType.CES,
        QuestionType.IMPORTANCE,
        QuestionType.EXPECTATION_PERCEPTION,
    }
)
"""Types whose choices are generated from ``min_value..max_value`` (a matrix may be too)."""

ITEM_TYPES: frozenset[QuestionType] = frozenset(
    {QuestionType.MATRIX, QuestionType.EXPECTATION_PERCEPTION, QuestionType.IMPORTANCE}
)
"""Types that may (importance) or must (matrix, expectation_perception) have items."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer option. For numeric scales ``code`` is ``str(int(value))``."""

    code: str
    label: Text
    value: float | None
    is_na: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", _text(self.label))


@dataclass(frozen=True, slots=True)
class Item:
    """A row of a matrix, importance or expectation/perception question."""

    code: str
    label: Text
    dimension: str | None = None
    """Overrides the question's dimension for this row (e.g. a SERVQUAL item)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", _text(self.label))


@dataclass(frozen=True, slots=True)
class Condition:
    """Show a question only if an earlier answer matches.

    The condition holds when the answer to ``question`` has a choice code in
    ``equals``, or a numeric value within ``[min, max]`` (either bound may be
    open). An unanswered or hidden ``question`` never matches.
    """

    question: str
    equals: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "equals", tuple(self.equals))


@dataclass(frozen=True, slots=True)
class Question:
    """A question with its answer options, already expanded.

    ``choices`` holds every allowed answer of a closed question: for scale types
    (rating, scale, nps, csat, ces, importance, expectation_perception and numeric
    matrices) one :class:`Choice` per point with ``code == str(int(value))``,
    followed by the ``"na"`` choice when ``allow_na`` is set.
    """

    code: str
    type: QuestionType
    text: Text
    help: Text = EMPTY_TEXT
    required: bool = True
    dimension: str | None = None
    choices: tuple[Choice, ...] = ()
    items: tuple[Item, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    min_label: Text = EMPTY_TEXT
    max_label: Text = EMPTY_TEXT
    allow_na: bool = False
    ces_version: int | None = None
    reversed: bool = False
    """Lower is better (CES 1.0 effort); analytics must flip the scale."""
    top_box: int | None = None
    """How many of the best points count as "satisfied" (CSAT-like use)."""
    show_if: Condition | None = None
    max_length: int | None = None
    multiline: bool = True
    min_choices: int | None = None
    max_choices: int | None = None
    expectation_label: Text = EMPTY_TEXT
    perception_label: Text = EMPTY_TEXT

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", QuestionType(self.type))
        for name in (
            "text",
            "help",
            "min_label",
            "max_label",
            "expectation_label",
            "perception_label",
        ):
            object.__setattr__(self, name, _text(getattr(self, name)))
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "items", tuple(self.items))

    @property
    def is_closed(self) -> bool:
        """Whether the answer is picked from ``choices`` (everything but text)."""
        return self.type is not QuestionType.TEXT

    @property
    def is_scale(self) -> bool:
        """Whether ``choices`` are consecutive numeric points from min to max."""
        return self.type in SCALE_TYPES or (
            self.type is QuestionType.MATRIX and self.min_value is not None
        )

    @property
    def is_numeric(self) -> bool:
        """Whether every non-NA choice carries a numeric value."""
        answer_choices = self.answer_choices
        return bool(answer_choices) and all(c.value is not None for c in answer_choices)

    @property
    def has_items(self) -> bool:
        """Whether answers are given per item (row)."""
        return bool(self.items)

    @property
    def parts(self) -> tuple[str, ...]:
        """``("expectation", "perception")`` for expectation_perception, else ``("",)``."""
        if self.type is QuestionType.EXPECTATION_PERCEPTION:
            return PARTS
        return ("",)

    @property
    def answer_choices(self) -> tuple[Choice, ...]:
        """The choices without the "not applicable" one."""
        return tuple(c for c in self.choices if not c.is_na)

    @property
    def na_choice(self) -> Choice | None:
        """The "not applicable" choice (code ``"na"``), if allowed."""
        return next((c for c in self.choices if c.is_na), None)

    @property
    def scale_points(self) -> int | None:
        """Number of points of a scale question (11 for NPS), else ``None``."""
        return len(self.answer_choices) if self.is_scale else None

    @property
    def top_box_values(self) -> tuple[float, ...]:
        """Values counted as "satisfied" by ``top_box`` (the lowest ones if reversed)."""
        if self.top_box is None or not self.is_scale:
            return ()
        values = sorted(c.value for c in self.answer_choices if c.value is not None)
        chosen = values[: self.top_box] if self.reversed else values[-self.top_box :]
        return tuple(chosen)

    def choice(self, code: str) -> Choice:
        """The choice with ``code``; raises ``KeyError``."""
        for candidate in self.choices:
            if candidate.code == code:
                return candidate
        raise KeyError(f"question {self.code!r} has no choice {code!r}")

    def item(self, code: str) -> Item:
        """The item with ``code``; raises ``KeyError``."""
        for candidate in self.items:
            if candidate.code == code:
                return candidate
        raise KeyError(f"question {self.code!r} has no item {code!r}")

    def item_dimension(self, item: Item) -> str | None:
        """The dimension of one item: its own, else the question's."""
        return item.dimension or self.dimension


@dataclass(frozen=True, slots=True)
class Page:
    """One screen of questions."""

    code: str
    title: Text
    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _text(self.title))
        object.__setattr__(self, "questions", tuple(self.questions))


@dataclass(frozen=True, slots=True)
class SurveyDefinition:
    """A complete questionnaire: texts, pages and questions, in up to three languages."""

    code: str
    version: str
    title: Text
    pages: tuple[Page, ...]
    description: Text = EMPTY_TEXT
    intro: Text = EMPTY_TEXT
    thank_you: Text = EMPTY_TEXT
    languages: tuple[str, ...] = ("en",)
    default_language: str = "en"
    anonymous: bool = False
    allow_public_link: bool = False
    ivr_key_layout: IvrKeyLayout = "ascending"
    category: str = ""
    tags: tuple[str, ...] = ()
    template: str = ""
    """Code of the library template this survey was built from ("" if none)."""

    def __post_init__(self) -> None:
        for name in ("title", "description", "intro", "thank_you"):
            object.__setattr__(self, name, _text(getattr(self, name)))
        object.__setattr__(self, "pages", tuple(self.pages))
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "tags", tuple(self.tags))

    def questions(self) -> Iterator[Question]:
        """Every question, in page order."""
        for page in self.pages:
            yield from page.questions

    def question(self, code: str) -> Question:
        """The question with ``code``; raises ``KeyError``."""
        for candidate in self.questions():
            if candidate.code == code:
                return candidate
        raise KeyError(f"survey {self.code!r} has no question {code!r}")

    def page(self, code: str) -> Page:
        """The page with ``code``; raises ``KeyError``."""
        for candidate in self.pages:
            if candidate.code == code:
                return candidate
        raise KeyError(f"survey {self.code!r} has no page {code!r}")

    def page_of(self, question_code: str) -> Page:
        """The page holding a question; raises ``KeyError``."""
        for candidate in self.pages:
            if any(q.code == question_code for q in candidate.questions):
                return candidate
        raise KeyError(f"survey {self.code!r} has no question {question_code!r}")

    @property
    def question_codes(self) -> tuple[str, ...]:
        """Every question code, in page order."""
        return tuple(q.code for q in self.questions())


def ivr_keys(
    question: Question, layout: IvrKeyLayout = "ascending"
) -> dict[str, Choice]:
    """Telephone keypad digit -> choice for a question asked by IVR.

    ``ascending`` puts the first choice (the lowest value) on key 1,
    ``descending`` puts the last (highest) there. The "not applicable" choice,
    if any, is key 0. Raises ``ValueError`` for text, item questions and
    questions with more than nine answer choices (e.g. NPS, which needs the
    0–10 digits entered as numbers instead).
    """
    if not question.is_closed or question.has_items:
        raise ValueError(
            f"question {question.code!r} cannot be answered with one key press"
        )
    ordered: Sequence[Choice] = question.answer_choices
    if len(ordered) > 9:
        raise ValueError(
            f"question {question.code!r} has {len(ordered)} choices; a keypad has nine keys"
        )
    if layout == "descending":
        ordered = tuple(reversed(ordered))
    elif layout != "ascending":
        raise ValueError(
            f"unknown IVR key layout {layout!r}; use one of {IVR_KEY_LAYOUTS}"
        )
    keys = {str(i): choice for i, choice in enumerate(ordered, start=1)}
    na = question.na_choice
    if na is not None:
        keys["0"] = na
    return keys

"""Read and validate survey definitions written in YAML or JSON.

Every problem is collected before anything is raised, so an author sees them all
at once, each with the file, line and field path (``pages[0].questions[2].code``,
indexes counted from 0).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from . import defaults
from .fields import (
    ALL_QUESTION_FIELDS,
    CES_RANGES,
    CHOICE_FIELDS,
    COMMON_QUESTION_FIELDS,
    CONDITION_FIELDS,
    DEFAULT_RANGES,
    DEFAULT_TEXT_LENGTH,
    ITEM_FIELDS,
    MAX_SCALE_POINTS,
    MAX_TEXT_LENGTH,
    PAGE_FIELDS,
    SURVEY_FIELDS,
    TAG_PATTERN_TEXT,
    TYPE_FIELDS,
)
from .model import (
    CODE_PATTERN,
    EMPTY_TEXT,
    IVR_KEY_LAYOUTS,
    LANGUAGES,
    NA_CODE,
    SURVEY_CODE_PATTERN,
    VERSION_PATTERN,
    Choice,
    Condition,
    Item,
    IvrKeyLayout,
    Page,
    Question,
    QuestionType,
    SurveyDefinition,
    Translations,
)
from .problems import DefinitionError, Path, Problem, format_path
from .source import Source, parse_yaml


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _int_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


class _Checker:
    """Validate plain data and build the frozen definition, collecting problems."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("en",)
        self.question_lines: dict[str, int | None] = {}

    # -- reporting

    def line(self, path: Path) -> int | None:
        while True:
            if path in self.source.lines:
                return self.source.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: Path, message: str) -> None:
        self.problems.append(
            Problem(self.source.filename, self.line(path), format_path(path), message)
        )

    # -- shapes

    def mapping(self, value: Any, path: Path) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.error(path, f"must be a mapping of fields, not {_describe(value)}")
        return None

    def fields(
        self,
        data: Mapping[str, Any],
        path: Path,
        allowed: Collection[str],
        required: Collection[str] = (),
        *,
        known: Collection[str] = (),
        kind: str = "",
    ) -> None:
        for key in data:
            if key in allowed:
                continue
            if key in known:
                self.error((*path, key), f"field {key!r} does not apply to {kind}")
                continue
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.error((*path, key), f"unknown field {key!r}{hint}")
        for key in required:
            if data.get(key) is None:
                self.error((*path, key), "is required")

    def listing(self, value: Any, path: Path) -> list[Any] | None:
        if isinstance(value, list):
            return value
        self.error(path, f"must be a list, not {_describe(value)}")
        return None

    # -- scalars

    def string(self, value: Any, path: Path) -> str | None:
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float) and path in self.source.raw:
            return self.source.raw[path]
        self.error(path, f"must be text, not {_describe(value)}")
        return None

    def code(
        self, value: Any, path: Path, *, pattern: Any = CODE_PATTERN
    ) -> str | None:
        text = self.string(value, path)
        if text is None:
            return None
        if pattern is SURVEY_CODE_PATTERN:
            rule = "a lower-case letter, then lower-case letters, digits or '-'"
        else:
            rule = "a lower-case letter, then lower-case letters, digits or '_'"
        if not pattern.match(text) or "__" in text:
            self.error(
                path, f"{text!r} is not a valid code: use {rule}, at most 64 characters"
            )
            return None
        return text

    def boolean(self, value: Any, path: Path, default: bool) -> bool:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.error(path, f"must be true or false, not {_describe(value)}")
        return default

    def number(self, value: Any, path: Path) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number, not {_describe(value)}")
            return None
        if not math.isfinite(value):
            self.error(path, "must be a finite number")
            return None
        return float(value)

    def integer(self, value: Any, path: Path) -> int | None:
        number = self.number(value, path)
        if number is None:
            return None
        if not number.is_integer():
            self.error(path, f"must be a whole number, not {value!r}")
            return None
        return int(number)

    def text(self, value: Any, path: Path, *, required: bool = False) -> Translations:
        if value is None or value == {}:
            if required:
                self.error(path, "is required")
            return EMPTY_TEXT
        if isinstance(value, bool | int | float) and path in self.source.raw:
            value = self.source.raw[path]
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.error(
                path,
                f"must be text or a mapping of language to text, not {_describe(value)}",
            )
            return EMPTY_TEXT
        texts: dict[str, str] = {}
        for language, string in value.items():
            item_path = (*path, language)
            if language not in LANGUAGES:
                close = [
                    known
                    for known in LANGUAGES
                    if known.lower() == str(language).lower()
                ]
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.error(
                    item_path,
                    f"unknown language {language!r}{hint} (supported: {', '.join(LANGUAGES)})",
                )
                continue
            checked = self.string(string, item_path)
            if checked is None:
                continue
            if not checked.strip():
                self.error(item_path, "must not be empty")
                continue
            texts[language] = checked
        missing = [language for language in self.languages if language not in value]
        if "en" not in value and "en" not in missing:
            missing.insert(0, "en")
        for language in missing:
            name = "English" if language == "en" else language
            self.error(path, f"missing the {name} text")
        return Translations(
            (language, texts[language]) for language in LANGUAGES if language in texts
        )

    # -- survey

    def survey(self, data: Any) -> SurveyDefinition | None:
        root = self.mapping(data, ())
        if root is None:
            return None
        self.fields(root, (), SURVEY_FIELDS, ("code", "version", "pages"))
        self.languages = self.survey_languages(root.get("languages"), ("languages",))
        default_language = "en"
        if root.get("default_language") is not None:
            chosen = self.string(root["default_language"], ("default_language",))
            if chosen is not None and chosen not in self.languages:
                self.error(
                    ("default_language",),
                    f"{chosen!r} is not one of the survey's languages ({', '.join(self.languages)})",
                )
            elif chosen is not None:
                default_language = chosen
        code = None
        if root.get("code") is not None:
            code = self.code(root["code"], ("code",), pattern=SURVEY_CODE_PATTERN)
        version = None
        if root.get("version") is not None:
            version = self.string(root["version"], ("version",))
            if version is not None and not VERSION_PATTERN.match(version):
                self.error(("version",), f'{version!r} is not a version such as "1.0"')
        title = self.text(root.get("title"), ("title",), required=True)
        description = self.text(root.get("description"), ("description",))
        intro = self.text(root.get("intro"), ("intro",))
        thank_you = (
            self.text(root.get("thank_you"), ("thank_you",)) or defaults.THANK_YOU
        )
        anonymous = self.boolean(root.get("anonymous"), ("anonymous",), False)
        public = self.boolean(
            root.get("allow_public_link"), ("allow_public_link",), False
        )
        layout: IvrKeyLayout = "ascending"
        if root.get("ivr_key_layout") is not None:
            chosen = self.string(root["ivr_key_layout"], ("ivr_key_layout",))
            if chosen in IVR_KEY_LAYOUTS:
                layout = cast("IvrKeyLayout", chosen)
            elif chosen is not None:
                self.error(
                    ("ivr_key_layout",),
                    f"{chosen!r} is not a key layout; use one of {', '.join(IVR_KEY_LAYOUTS)}",
                )
        category = self.tag(root.get("category"), ("category",))
        tags: list[str] = []
        if root.get("tags") is not None:
            for index, value in enumerate(self.listing(root["tags"], ("tags",)) or []):
                tag = self.tag(value, ("tags", index))
                if tag and tag in tags:
                    self.error(("tags", index), f"duplicate tag {tag!r}")
                elif tag:
                    tags.append(tag)
        template = ""
        if root.get("template") is not None:
            template = (
                self.code(root["template"], ("template",), pattern=SURVEY_CODE_PATTERN)
                or ""
            )
        pages = self.pages(root.get("pages"))
        if self.problems or code is None or version is None:
            return None
        return SurveyDefinition(
            code=code,
            version=version,
            title=title,
            description=description,
            intro=intro,
            thank_you=thank_you,
            languages=self.languages,
            default_language=default_language,
            anonymous=anonymous,
            allow_public_link=public,
            pages=tuple(pages),
            ivr_key_layout=layout,
            category=category,
            tags=tuple(tags),
            template=template,
        )

    def tag(self, value: Any, path: Path) -> str:
        if value is None:
            return ""
        text = self.string(value, path)
        if text is None:
            return ""
        if (
            not text
            or len(text) > 64
            or any(not (c.isdigit() or "a" <= c <= "z" or c in "-_") for c in text)
        ):
            self.error(path, f"{text!r} must be 1–64 {TAG_PATTERN_TEXT}")
            return ""
        return text

    def survey_languages(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is None:
            return ("en",)
        listed = self.listing(value, path)
        if listed is None:
            return ("en",)
        languages: list[str] = []
        for index, item in enumerate(listed):
            language = self.string(item, (*path, index))
            if language is None:
                continue
            if language not in LANGUAGES:
                self.error(
                    (*path, index),
                    f"unknown language {language!r} (supported: {', '.join(LANGUAGES)})",
                )
            elif language in languages:
                self.error((*path, index), f"duplicate language {language!r}")
            else:
                languages.append(language)
        if "en" not in languages:
            self.error(path, "must include 'en': English text is always required")
            languages.insert(0, "en")
        return tuple(languages)

    def pages(self, value: Any) -> list[Page]:
        path: Path = ("pages",)
        listed = self.listing(value, path) if value is not None else None
        if listed is None:
            return []
        if not listed:
            self.error(path, "must have at least one page")
        pages: list[Page] = []
        page_lines: dict[str, int | None] = {}
        questions: list[tuple[Question, Path]] = []
        conditions: list[tuple[int, Path]] = []
        for index, raw_page in enumerate(listed):
            page_path: Path = (*path, index)
            data = self.mapping(raw_page, page_path)
            if data is None:
                continue
            self.fields(data, page_path, PAGE_FIELDS, ("code", "questions"))
            code = (
                self.code(data["code"], (*page_path, "code"))
                if data.get("code") is not None
                else None
            )
            if code is not None:
                if code in page_lines:
                    self.error(
                        (*page_path, "code"),
                        f"duplicate page code {code!r} (first used on line {page_lines[code]})",
                    )
                page_lines.setdefault(code, self.line((*page_path, "code")))
            title = self.text(data.get("title"), (*page_path, "title"))
            page_questions: list[Question] = []
            raw_questions = data.get("questions")
            listed_questions = (
                self.listing(raw_questions, (*page_path, "questions"))
                if raw_questions is not None
                else None
            )
            if listed_questions is not None and not listed_questions:
                self.error((*page_path, "questions"), "must have at least one question")
            for q_index, raw_question in enumerate(listed_questions or []):
                q_path: Path = (*page_path, "questions", q_index)
                question = self.question(raw_question, q_path)
                if question is None:
                    continue
                if question.show_if is not None:
                    conditions.append((len(questions), q_path))
                questions.append((question, q_path))
                page_questions.append(question)
            if code is not None:
                pages.append(
                    Page(code=code, title=title, questions=tuple(page_questions))
                )
        self.check_conditions(questions, conditions)
        return pages

    # -- questions

    def question(self, value: Any, path: Path) -> Question | None:
        data = self.mapping(value, path)
        if data is None:
            return None
        code = (
            self.code(data["code"], (*path, "code"))
            if data.get("code") is not None
            else None
        )
        if code is not None:
            if code in self.question_lines:
                first = self.question_lines[code]
                self.error(
                    (*path, "code"),
                    f"duplicate question code {code!r} (first used on line {first})",
                )
            else:
                self.question_lines[code] = self.line((*path, "code"))
        qtype: QuestionType | None = None
        if data.get("type") is not None:
            name = self.string(data["type"], (*path, "type"))
            if name is not None:
                try:
                    qtype = QuestionType(name)
                except ValueError:
                    names = [t.value for t in QuestionType]
                    close = difflib.get_close_matches(name, names, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    self.error(
                        (*path, "type"),
                        f"unknown question type {name!r}{hint} (one of {', '.join(names)})",
                    )
        if qtype is None:
            self.fields(data, path, ALL_QUESTION_FIELDS, ("code", "type"))
            self.text(data.get("text"), (*path, "text"), required=True)
            return None
        allowed = (*COMMON_QUESTION_FIELDS, *TYPE_FIELDS[qtype])
        self.fields(
            data,
            path,
            allowed,
            ("code", "type"),
            known=ALL_QUESTION_FIELDS,
            kind=f"{qtype.value} questions",
        )
        text = self.text(data.get("text"), (*path, "text"), required=True)
        help_text = self.text(data.get("help"), (*path, "help"))
        required = self.boolean(data.get("required"), (*path, "required"), True)
        dimension = None
        if data.get("dimension") is not None:
            dimension = self.code(data["dimension"], (*path, "dimension"))
        show_if = self.condition(data.get("show_if"), (*path, "show_if"))
        if code is None:
            return None
        common: dict[str, Any] = {
            "code": code,
            "type": qtype,
            "text": text,
            "help": help_text,
            "required": required,
            "dimension": dimension,
            "show_if": show_if,
        }
        if qtype is QuestionType.TEXT:
            return self.text_question(data, path, common)
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            return self.choice_question(data, path, common)
        return self.scale_question(data, path, common)

    def text_question(
        self, data: Mapping[str, Any], path: Path, common: dict[str, Any]
    ) -> Question:
        max_length = DEFAULT_TEXT_LENGTH
        if data.get("max_length") is not None:
            given = self.integer(data["max_length"], (*path, "max_length"))
            if given is not None and not 1 <= given <= MAX_TEXT_LENGTH:
                self.error(
                    (*path, "max_length"),
                    f"must be from 1 to {MAX_TEXT_LENGTH}, not {given}",
                )
            elif given is not None:
                max_length = given
        multiline = self.boolean(data.get("multiline"), (*path, "multiline"), True)
        return Question(**common, max_length=max_length, multiline=multiline)

    def na_choice(
        self, data: Mapping[str, Any], path: Path
    ) -> tuple[bool, tuple[Choice, ...]]:
        allow_na = self.boolean(data.get("allow_na"), (*path, "allow_na"), False)
        label = self.text(data.get("na_label"), (*path, "na_label"))
        if label and not allow_na:
            self.error((*path, "na_label"), "is only used with allow_na: true")
        if not allow_na:
            return False, ()
        return True, (Choice(NA_CODE, label or defaults.NA_LABEL, None, is_na=True),)

    def explicit_choices(self, value: Any, path: Path, *, minimum: int) -> list[Choice]:
        listed = self.listing(value, path) if value is not None else None
        if listed is None:
            if value is None:
                self.error(path, "is required")
            return []
        if len(listed) < minimum:
            self.error(path, f"must have at least {minimum} choices")
        choices: list[Choice] = []
        seen: dict[str, int | None] = {}
        for index, raw in enumerate(listed):
            c_path: Path = (*path, index)
            data = self.mapping(raw, c_path)
            if data is None:
                continue
            self.fields(data, c_path, CHOICE_FIELDS, ("code",))
            code = (
                self.code(data["code"], (*c_path, "code"))
                if data.get("code") is not None
                else None
            )
            label = self.text(data.get("label"), (*c_path, "label"), required=True)
            number = self.number(data.get("value"), (*c_path, "value"))
            if code == NA_CODE:
                self.error(
                    (*c_path, "code"),
                    f"{NA_CODE!r} is reserved for 'not applicable'; use allow_na: true instead",
                )
                continue
            if code is None:
                continue
            if code in seen:
                self.error(
                    (*c_path, "code"),
                    f"duplicate choice code {code!r} (first used on line {seen[code]})",
                )
                continue
            seen[code] = self.line((*c_path, "code"))
            choices.append(Choice(code, label, number))
        return choices

    def items(self, value: Any, path: Path, *, required: bool) -> list[Item]:
        if value is None:
            if required:
                self.error(path, "is required")
            return []
        listed = self.listing(value, path)
        if listed is None:
            return []
        if not listed:
            self.error(path, "must have at least one item")
        items: list[Item] = []
        seen: dict[str, int | None] = {}
        for index, raw in enumerate(listed):
            i_path: Path = (*path, index)
            data = self.mapping(raw, i_path)
            if data is None:
                continue
            self.fields(data, i_path, ITEM_FIELDS, ("code",))
            code = (
                self.code(data["code"], (*i_path, "code"))
                if data.get("code") is not None
                else None
            )
            label = self.text(data.get("label"), (*i_path, "label"), required=True)
            dimension = None
            if data.get("dimension") is not None:
                dimension = self.code(data["dimension"], (*i_path, "dimension"))
            if code is None:
                continue
            if code in seen:
                self.error(
                    (*i_path, "code"),
                    f"duplicate item code {code!r} (first used on line {seen[code]})",
                )
                continue
            seen[code] = self.line((*i_path, "code"))
            items.append(Item(code, label, dimension))
        return items

    def choice_question(
        self, data: Mapping[str, Any], path: Path, common: dict[str, Any]
    ) -> Question:
        qtype: QuestionType = common["type"]
        choices = self.explicit_choices(
            data.get("choices"), (*path, "choices"), minimum=2
        )
        allow_na, na = self.na_choice(data, path)
        extra: dict[str, Any] = {}
        if qtype is QuestionType.MULTIPLE:
            low = self.integer(data.get("min_choices"), (*path, "min_choices"))
            high = self.integer(data.get("max_choices"), (*path, "max_choices"))
            if low is not None and not 1 <= low <= max(len(choices), 1):
                self.error(
                    (*path, "min_choices"),
                    f"must be from 1 to {len(choices)}, not {low}",
                )
            if high is not None and not 1 <= high <= max(len(choices), 1):
                self.error(
                    (*path, "max_choices"),
                    f"must be from 1 to {len(choices)}, not {high}",
                )
            if low is not None and high is not None and low > high:
                self.error(
                    (*path, "min_choices"), f"{low} is more than max_choices ({high})"
                )
            extra = {"min_choices": low, "max_choices": high}
        return Question(**common, choices=(*choices, *na), allow_na=allow_na, **extra)

    def scale_range(
        self,
        data: Mapping[str, Any],
        path: Path,
        qtype: QuestionType,
        ces_version: int | None,
    ) -> tuple[int, int] | None:
        if qtype is QuestionType.CES:
            fixed: tuple[int, int] | None = CES_RANGES.get(ces_version or 2)
        elif qtype is QuestionType.NPS:
            fixed = DEFAULT_RANGES[qtype]
        else:
            fixed = None
        default = fixed or DEFAULT_RANGES.get(qtype, (1, 5))
        low = self.integer(data.get("min_value"), (*path, "min_value"))
        high = self.integer(data.get("max_value"), (*path, "max_value"))
        if fixed is not None:
            what = f"CES {ces_version or 2}" if qtype is QuestionType.CES else "NPS"
            for key, given, wanted in (
                ("min_value", low, fixed[0]),
                ("max_value", high, fixed[1]),
            ):
                if given is not None and given != wanted:
                    self.error(
                        (*path, key),
                        f"{what} is always {fixed[0]}–{fixed[1]}; {key} must be {wanted}, not {given}",
                    )
            return fixed
        if data.get("min_value") is not None and low is None:
            return None
        if data.get("max_value") is not None and high is None:
            return None
        low = default[0] if low is None else low
        high = default[1] if high is None else high
        if low >= high:
            self.error(
                (*path, "min_value"),
                f"min_value ({low}) must be less than max_value ({high})",
            )
            return None
        if high - low + 1 > MAX_SCALE_POINTS:
            self.error(
                (*path, "max_value"),
                f"a scale from {low} to {high} has {high - low + 1} points; at most {MAX_SCALE_POINTS} are allowed",
            )
            return None
        return low, high

    def scale_question(
        self, data: Mapping[str, Any], path: Path, common: dict[str, Any]
    ) -> Question:
        qtype: QuestionType = common["type"]
        ces_version = None
        if qtype is QuestionType.CES:
            ces_version = 2
            if data.get("ces_version") is not None:
                given = self.integer(data["ces_version"], (*path, "ces_version"))
                if given is not None and given not in CES_RANGES:
                    self.error(
                        (*path, "ces_version"),
                        f"must be 1 (effort, 1–5) or 2 (agreement, 1–7), not {given}",
                    )
                elif given is not None:
                    ces_version = given
        items: list[Item] = []
        if qtype in (
            QuestionType.MATRIX,
            QuestionType.EXPECTATION_PERCEPTION,
            QuestionType.IMPORTANCE,
        ):
            items = self.items(
                data.get("items"),
                (*path, "items"),
                required=qtype is not QuestionType.IMPORTANCE,
            )
        allow_na, na = self.na_choice(data, path)
        extra: dict[str, Any] = {}
        if qtype is QuestionType.EXPECTATION_PERCEPTION:
            extra["expectation_label"] = (
                self.text(data.get("expectation_label"), (*path, "expectation_label"))
                or defaults.EXPECTATION_LABEL
            )
            extra["perception_label"] = (
                self.text(data.get("perception_label"), (*path, "perception_label"))
                or defaults.PERCEPTION_LABEL
            )
        min_label = self.text(data.get("min_label"), (*path, "min_label"))
        max_label = self.text(data.get("max_label"), (*path, "max_label"))
        reversed_ = self.boolean(
            data.get("reversed"), (*path, "reversed"), ces_version == 1
        )

        if qtype is QuestionType.MATRIX and data.get("choices") is not None:
            for key in ("min_value", "max_value", "labels", "top_box"):
                if data.get(key) is not None:
                    self.error(
                        (*path, key), "give either choices or a numeric scale, not both"
                    )
            choices = self.explicit_choices(
                data["choices"], (*path, "choices"), minimum=2
            )
            return Question(
                **common,
                choices=(*choices, *na),
                items=tuple(items),
                allow_na=allow_na,
                min_label=min_label,
                max_label=max_label,
                reversed=reversed_,
                **extra,
            )

        bounds = self.scale_range(data, path, qtype, ces_version)
        labels: Sequence[Translations] | None = self.scale_labels(
            data.get("labels"), (*path, "labels"), bounds
        )
        if bounds is None:
            return Question(**common)
        low, high = bounds
        points = high - low + 1
        if labels is None:
            labels = self.default_labels(qtype, ces_version, points)
        if qtype is QuestionType.NPS:
            min_label = min_label or defaults.NPS_MIN_LABEL
            max_label = max_label or defaults.NPS_MAX_LABEL
        if qtype is QuestionType.EXPECTATION_PERCEPTION:
            min_label = min_label or defaults.AGREE_MIN_LABEL
            max_label = max_label or defaults.AGREE_MAX_LABEL
        choices = [
            Choice(
                str(value),
                labels[index] if labels else Translations({"en": str(value)}),
                float(value),
            )
            for index, value in enumerate(range(low, high + 1))
        ]
        top_box = 2 if qtype is QuestionType.CSAT and points > 2 else None
        if data.get("top_box") is not None:
            given = self.integer(data["top_box"], (*path, "top_box"))
            if given is not None and not 1 <= given < points:
                self.error(
                    (*path, "top_box"),
                    f"must be from 1 to {points - 1} on a {points}-point scale, not {given}",
                )
            elif given is not None:
                top_box = given
        return Question(
            **common,
            choices=(*choices, *na),
            items=tuple(items),
            min_value=float(low),
            max_value=float(high),
            min_label=min_label,
            max_label=max_label,
            allow_na=allow_na,
            ces_version=ces_version,
            reversed=reversed_,
            top_box=top_box,
            **extra,
        )

    def scale_labels(
        self, value: Any, path: Path, bounds: tuple[int, int] | None
    ) -> list[Translations] | None:
        if value is None:
            return None
        listed = self.listing(value, path)
        if listed is None:
            return None
        labels = [
            self.text(item, (*path, index), required=True)
            for index, item in enumerate(listed)
        ]
        if bounds is not None and len(labels) != bounds[1] - bounds[0] + 1:
            self.error(
                path,
                f"has {len(labels)} labels for {bounds[1] - bounds[0] + 1} points ({bounds[0]}–{bounds[1]})",
            )
            return None
        return labels

    @staticmethod
    def default_labels(
        qtype: QuestionType, ces_version: int | None, points: int
    ) -> Sequence[Translations] | None:
        if qtype is QuestionType.CES:
            return defaults.CES1_LABELS if ces_version == 1 else defaults.CES2_LABELS
        if qtype is QuestionType.CSAT and points == 5:
            return defaults.CSAT_LABELS_5
        if qtype is QuestionType.IMPORTANCE and points == 5:
            return defaults.IMPORTANCE_LABELS_5
        return None

    # -- display logic

    def condition(self, value: Any, path: Path) -> Condition | None:
        if value is None:
            return None
        data = self.mapping(value, path)
        if data is None:
            return None
        self.fields(data, path, CONDITION_FIELDS, ("question",))
        question = (
            self.code(data["question"], (*path, "question"))
            if data.get("question") is not None
            else None
        )
        equals: list[str] = []
        raw_equals = data.get("equals")
        if raw_equals is not None:
            if isinstance(raw_equals, list):
                for index, item in enumerate(raw_equals):
                    text = self.string(item, (*path, "equals", index))
                    if text is not None:
                        equals.append(text)
                if not raw_equals:
                    self.error((*path, "equals"), "must list at least one choice code")
            else:
                text = self.string(raw_equals, (*path, "equals"))
                if text is not None:
                    equals.append(text)
        low = self.number(data.get("min"), (*path, "min"))
        high = self.number(data.get("max"), (*path, "max"))
        if raw_equals is None and data.get("min") is None and data.get("max") is None:
            self.error(path, "needs equals, min or max")
        if low is not None and high is not None and low > high:
            self.error(
                (*path, "min"),
                f"min ({_int_text(low)}) is more than max ({_int_text(high)})",
            )
        if question is None:
            return None
        return Condition(question=question, equals=tuple(equals), min=low, max=high)

    def check_conditions(
        self, questions: list[tuple[Question, Path]], conditions: list[tuple[int, Path]]
    ) -> None:
        position = {q.code: i for i, (q, _) in enumerate(questions)}
        for index, path in conditions:
            question = questions[index][0]
            condition = question.show_if
            assert condition is not None  # noqa: S101 - only questions with show_if are listed
            c_path: Path = (*path, "show_if", "question")
            target_index = position.get(condition.question)
            if target_index is None:
                self.error(c_path, f"unknown question {condition.question!r}")
                continue
            if target_index >= index:
                what = "itself" if target_index == index else "a later question"
                self.error(
                    c_path,
                    f"{condition.question!r} is {what}; show_if may only refer to an earlier question",
                )
                continue
            target = questions[target_index][0]
            if not target.is_closed or target.has_items:
                self.error(
                    c_path,
                    f"{condition.question!r} is a {target.type.value} question; show_if needs a "
                    "single-answer question without items",
                )
                continue
            codes = [choice.code for choice in target.choices]
            for e_index, code in enumerate(condition.equals):
                if code not in codes:
                    self.error(
                        (*path, "show_if", "equals", e_index)
                        if (*path, "show_if", "equals", e_index) in self.source.lines
                        else (*path, "show_if", "equals"),
                        f"{code!r} is not a choice of {condition.question!r} ({', '.join(codes)})",
                    )
            if (
                condition.min is not None or condition.max is not None
            ) and not target.is_numeric:
                self.error(
                    (*path, "show_if"),
                    f"min/max need a numeric question; {condition.question!r} has no values",
                )


# ------------------------------------------------------------------------ public API


def load_definition(text: str, *, filename: str = "<string>") -> SurveyDefinition:
    """Parse and validate a survey written in YAML (or JSON, which is YAML).

    Raises :class:`DefinitionError` listing every problem with its line.
    """
    data, source, problems = parse_yaml(text, filename)
    if data is None and problems:
        raise DefinitionError(problems)
    checker = _Checker(source)
    checker.problems.extend(problems)
    definition = checker.survey(data)
    if checker.problems or definition is None:
        raise DefinitionError(
            checker.problems or [Problem(filename, None, "", "invalid definition")]
        )
    return definition


def definition_from_dict(
    data: Mapping[str, Any], *, filename: str = "<dict>"
) -> SurveyDefinition:
    """Validate plain data (e.g. JSON stored in the database) and build the definition.

    Raises :class:`DefinitionError`; problems carry no line numbers.
    """
    checker = _Checker(Source(filename))
    payload: Any = data
    definition = checker.survey(
        dict(payload) if isinstance(payload, Mapping) else payload
    )
    if checker.problems or definition is None:
        raise DefinitionError(
            checker.problems or [Problem(filename, None, "", "invalid definition")]
        )
    return definition

"""Satisfy's survey definition format: model, validation, export and templates.

Pure Python (no Django), so it can be used and tested on its own. The authoring
reference is ``docs/survey-format.md``.
"""

from __future__ import annotations

from .export import (
    definition_to_dict,
    dump_definition,
    has_point_labels,
    question_to_dict,
)
from .fields import ALL_QUESTION_FIELDS, TYPE_FIELDS
from .library import list_templates, load_template, template_codes
from .loader import definition_from_dict, load_definition
from .logic import AnswerSet, is_visible, visible_questions
from .model import (
    CODE_PATTERN,
    EMPTY_TEXT,
    ITEM_TYPES,
    IVR_KEY_LAYOUTS,
    LANGUAGES,
    NA_CODE,
    PARTS,
    SCALE_TYPES,
    STANDARD_DIMENSIONS,
    SURVEY_CODE_PATTERN,
    Choice,
    Condition,
    Item,
    IvrKeyLayout,
    Page,
    Question,
    QuestionType,
    SurveyDefinition,
    Text,
    Translations,
    ivr_keys,
    normalize_language,
    translate,
)
from .problems import DefinitionError, Problem, format_path

__all__ = [
    "ALL_QUESTION_FIELDS",
    "CODE_PATTERN",
    "EMPTY_TEXT",
    "ITEM_TYPES",
    "IVR_KEY_LAYOUTS",
    "LANGUAGES",
    "NA_CODE",
    "PARTS",
    "SCALE_TYPES",
    "STANDARD_DIMENSIONS",
    "SURVEY_CODE_PATTERN",
    "TYPE_FIELDS",
    "AnswerSet",
    "Choice",
    "Condition",
    "DefinitionError",
    "Item",
    "IvrKeyLayout",
    "Page",
    "Problem",
    "Question",
    "QuestionType",
    "SurveyDefinition",
    "Text",
    "Translations",
    "definition_from_dict",
    "definition_to_dict",
    "dump_definition",
    "format_path",
    "has_point_labels",
    "is_visible",
    "ivr_keys",
    "list_templates",
    "load_definition",
    "load_template",
    "normalize_language",
    "question_to_dict",
    "template_codes",
    "translate",
    "visible_questions",
]

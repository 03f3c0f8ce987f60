"""The built-in template library: YAML files in ``satisfy/surveys/library/``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .loader import load_definition
from .model import SurveyDefinition
from .problems import DefinitionError, Problem

LIBRARY_PACKAGE = "satisfy.surveys.library"


@lru_cache(maxsize=1)
def _templates() -> tuple[SurveyDefinition, ...]:
    found: list[SurveyDefinition] = []
    problems: list[Problem] = []
    for entry in sorted(
        resources.files(LIBRARY_PACKAGE).iterdir(), key=lambda e: e.name
    ):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        filename = f"{LIBRARY_PACKAGE.replace('.', '/')}/{entry.name}"
        try:
            definition = load_definition(
                entry.read_text(encoding="utf-8"), filename=filename
            )
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        stem = entry.name.rsplit(".", 1)[0]
        if definition.code != stem:
            problems.append(
                Problem(
                    filename,
                    None,
                    "code",
                    f"{definition.code!r} must match the file name {stem!r}",
                )
            )
        found.append(definition)
    if problems:
        raise DefinitionError(problems)
    return tuple(sorted(found, key=lambda d: d.code))


def list_templates() -> list[SurveyDefinition]:
    """Every built-in template, sorted by code."""
    return list(_templates())


def template_codes() -> list[str]:
    """The codes of the built-in templates, sorted."""
    return [definition.code for definition in _templates()]


def load_template(code: str) -> SurveyDefinition:
    """The built-in template with ``code``; raises ``KeyError`` naming the known codes."""
    for definition in _templates():
        if definition.code == code:
            return definition
    known = ", ".join(template_codes())
    raise KeyError(f"no built-in survey template {code!r}; the templates are: {known}")

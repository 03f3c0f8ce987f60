"""``satisfy templates list|show|validate``: the survey template library, no database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satisfy.surveys.definition import (
    LANGUAGES,
    DefinitionError,
    Question,
    SurveyDefinition,
    dump_definition,
    list_templates,
    load_definition,
    load_template,
    translate,
)


class Command(BaseCommand):
    help = (
        "List the built-in survey templates, show one (as an outline, YAML or JSON), "
        "or validate survey definition files. Needs no database."
    )
    requires_system_checks: tuple[str, ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser(
            "list", help="one template per line: code, version, title"
        )
        listing.add_argument("--language", default="en", choices=LANGUAGES)
        show = actions.add_parser("show", help="print one template")
        show.add_argument("code", help="template code, e.g. post-contact")
        show.add_argument("--language", default="en", choices=LANGUAGES)
        show.add_argument(
            "--format",
            default="text",
            choices=("text", "yaml", "json"),
            help="text: a readable outline in --language (default); yaml/json: the full definition",
        )
        validate = actions.add_parser(
            "validate", help="check survey definition files (YAML or JSON)"
        )
        validate.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self.list_templates(options["language"])
        elif action == "show":
            self.show(options["code"], options["language"], options["format"])
        else:
            self.validate(options["files"])

    def list_templates(self, language: str) -> None:
        for defn in list_templates():
            self.stdout.write(
                f"{defn.code}\t{defn.version}\t{translate(defn.title, language)}"
            )

    def show(self, code: str, language: str, output: str) -> None:
        try:
            defn = load_template(code)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        if output == "yaml":
            self.stdout.write(dump_definition(defn, format="yaml"), ending="")
        elif output == "json":
            self.stdout.write(dump_definition(defn, format="json"), ending="")
        else:
            self.stdout.write(outline(defn, language), ending="")

    def validate(self, files: list[str]) -> None:
        failed = 0
        problems = 0
        for name in files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.stderr.write(f"{name}: cannot read the file: {exc}")
                failed += 1
                problems += 1
                continue
            try:
                defn = load_definition(text, filename=name)
            except DefinitionError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                failed += 1
                problems += len(exc.problems)
                continue
            count = len(defn.question_codes)
            self.stdout.write(
                f"{name}: ok ({defn.code} {defn.version}, {count} questions)"
            )
        if failed:
            raise CommandError(
                f"{problems} problem(s) in {failed} of {len(files)} file(s)"
            )


def outline(defn: SurveyDefinition, language: str) -> str:
    """A readable outline of a survey in one language."""
    lines = [
        f"{defn.code} {defn.version}: {translate(defn.title, language)}",
        f"languages: {', '.join(defn.languages)}; "
        f"{'anonymous' if defn.anonymous else 'not anonymous'}; "
        f"public link {'allowed' if defn.allow_public_link else 'not allowed'}",
    ]
    if defn.description:
        lines.append(translate(defn.description, language))
    number = 0
    for index, page in enumerate(defn.pages, start=1):
        title = translate(page.title, language)
        lines += ["", f"Page {index} ({page.code})" + (f": {title}" if title else "")]
        for question in page.questions:
            number += 1
            lines += _question_lines(question, number, language)
    return "\n".join(lines) + "\n"


def _question_lines(question: Question, number: int, language: str) -> list[str]:
    facts = [question.type.value]
    if question.dimension:
        facts.append(f"dimension {question.dimension}")
    facts.append("required" if question.required else "optional")
    if question.show_if is not None:
        condition = question.show_if
        rules = [f"= {', '.join(condition.equals)}"] if condition.equals else []
        if condition.min is not None and condition.max is not None:
            rules.append(f"from {condition.min:g} to {condition.max:g}")
        elif condition.min is not None:
            rules.append(f">= {condition.min:g}")
        elif condition.max is not None:
            rules.append(f"<= {condition.max:g}")
        facts.append(f"shown if {condition.question} {' or '.join(rules)}")
    lines = [f"  {number}. {question.code} [{'; '.join(facts)}]"]
    lines.append(f"     {translate(question.text, language)}")
    for item in question.items:
        lines.append(f"     - {item.code}: {translate(item.label, language)}")
    if question.choices:
        shown = " | ".join(
            f"{c.code} {translate(c.label, language)}" for c in question.choices
        )
        lines.append(f"     {shown}")
    return lines

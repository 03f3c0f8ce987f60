from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satisfy.org.models import OrgUnit
from satisfy.surveys.definition import (
    DefinitionError,
    definition_from_dict,
    dump_definition,
)
from satisfy.surveys.models import Survey
from satisfy.surveys.services import (
    SurveyStateError,
    create_survey_from_template,
    import_survey,
    publish_survey,
    version_definition,
)


def _unit(code: str | None) -> OrgUnit:
    if code:
        try:
            return OrgUnit.objects.get(code=code)
        except OrgUnit.DoesNotExist:
            raise CommandError(f"No org unit with code {code!r}.") from None
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise CommandError("There is no org unit yet: run `satisfy createadmin` first.")
    return root


def _survey(slug: str) -> Survey:
    try:
        return Survey.objects.get(slug=slug)
    except Survey.DoesNotExist:
        raise CommandError(f"No survey with slug {slug!r}.") from None


class Command(BaseCommand):
    help = "Create, publish, export or import surveys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, parser_class=CommandParser
        )
        create = sub.add_parser("create", help="create a draft survey from a template")
        create.add_argument("--template", required=True)
        create.add_argument("--slug", required=True)
        create.add_argument(
            "--unit", help="owning org unit code (default: the company)"
        )
        create.add_argument("--title", default="")
        publish = sub.add_parser("publish", help="publish the draft as a new version")
        publish.add_argument("slug")
        export = sub.add_parser(
            "export", help="write a survey definition as YAML or JSON"
        )
        export.add_argument("slug")
        export.add_argument("--format", choices=["yaml", "json"], default="yaml")
        export.add_argument(
            "--version", type=int, help="a published version (default: draft)"
        )
        export.add_argument("--out", help="file to write (default: standard output)")
        imp = sub.add_parser(
            "import", help="create a draft survey from a YAML/JSON file"
        )
        imp.add_argument("file")
        imp.add_argument("--slug", required=True)
        imp.add_argument("--unit")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            if Survey.objects.filter(slug=options["slug"]).exists():
                raise CommandError(
                    f"A survey with slug {options['slug']!r} already exists."
                )
            try:
                survey = create_survey_from_template(
                    template_code=options["template"],
                    slug=options["slug"],
                    unit=_unit(options["unit"]),
                    created_by=None,
                    title=options["title"],
                )
            except KeyError as error:
                raise CommandError(
                    str(error.args[0] if error.args else error)
                ) from None
            self.stdout.write(f"Created draft survey {survey.slug!r} ({survey.title}).")
        elif action == "publish":
            survey = _survey(options["slug"])
            try:
                version = publish_survey(survey=survey, published_by=None)
            except SurveyStateError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Published {survey.slug!r} version {version.number}.")
        elif action == "export":
            survey = _survey(options["slug"])
            if options["version"] is None:
                definition = definition_from_dict(
                    survey.draft_definition, filename=survey.slug
                )
            else:
                found = survey.versions.filter(number=options["version"]).first()
                if found is None:
                    raise CommandError(
                        f"{survey.slug!r} has no version {options['version']}."
                    )
                definition = version_definition(found)
            text = dump_definition(definition, format=options["format"])
            if options["out"]:
                Path(options["out"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {options['out']}.")
            else:
                self.stdout.write(text, ending="")
        elif action == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            if Survey.objects.filter(slug=options["slug"]).exists():
                raise CommandError(
                    f"A survey with slug {options['slug']!r} already exists."
                )
            try:
                survey = import_survey(
                    text=path.read_text(encoding="utf-8"),
                    filename=str(path),
                    slug=options["slug"],
                    unit=_unit(options["unit"]),
                    created_by=None,
                )
            except DefinitionError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Imported draft survey {survey.slug!r} from {path}.")

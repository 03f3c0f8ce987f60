from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.distribution.models import Wave
from satisfy.org.models import OrgUnit
from satisfy.reports.analysis import wave_comparison
from satisfy.reports.exports import FontMissingError, safe_cell
from satisfy.reports.queries import Filters, Period
from satisfy.reports.services import FORMATS, render_report
from satisfy.surveys.models import Survey


def _date(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"{name} must be a date like 2026-05-01, not {raw!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Write a survey's report (the dashboard's tables and charts, plus raw data for "
        "xlsx/csv/sav) to a file: satisfy report --survey SLUG --format xlsx --out FILE"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--survey", required=True, help="survey slug")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--unit", help="unit code or id (its subtree)")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--compare-wave",
            type=int,
            help="wave number: the report covers this wave and prints its change "
            "against the wave before it",
        )
        parser.add_argument(
            "--as-user",
            help="username whose scope the report uses (default: the first superuser "
            "or administrator; the command line is trusted)",
        )

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}.")
            return user
        user = (
            User.objects.filter(Q(is_superuser=True) | Q(roles__role="admin"))
            .order_by("-is_superuser", "pk")
            .first()
        )
        if user is None:
            raise CommandError("No administrator exists; pass --as-user USERNAME.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.filter(slug=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey with the slug {options['survey']!r}.")
        if survey.current_version is None:
            raise CommandError(f"The survey {survey.slug!r} is not published.")
        user = self._user(options["as_user"])
        end = _date(options["end"], "--to") if options["end"] else timezone.localdate()
        start = (
            _date(options["start"], "--from")
            if options["start"]
            else end.replace(year=end.year - 1)
        )
        if start > end:
            raise CommandError(f"--from {start} is after --to {end}.")
        unit = None
        if options["unit"]:
            raw = options["unit"]
            unit = OrgUnit.objects.filter(
                Q(code=raw) | Q(pk=int(raw) if raw.isdigit() else -1)
            ).first()
            if unit is None:
                raise CommandError(f"No unit with the code or id {raw!r}.")
        wave_id = None
        if options["compare_wave"] is not None:
            wave = Wave.objects.filter(
                survey=survey, number=options["compare_wave"]
            ).first()
            if wave is None:
                raise CommandError(
                    f"The survey has no wave number {options['compare_wave']}."
                )
            wave_id = wave.pk
            previous = (
                Wave.objects.filter(survey=survey, number__lt=wave.number)
                .order_by("-number")
                .first()
            )
            if previous is not None:
                rows = wave_comparison(
                    user=user,
                    survey=survey,
                    filters=Filters(Period(start, end), unit),
                    wave_a=previous,
                    wave_b=wave,
                )
                self.stdout.write(f"Wave {wave.number} against wave {previous.number}:")
                for row in rows[:4]:
                    if row.change is not None:
                        self.stdout.write(
                            f"  {safe_cell(row.label)}: {row.change.difference:+.1f} "
                            f"(p = {row.change.p_value:.3f})"
                        )
        filters = Filters(Period(start, end), unit, wave_id=wave_id)
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            result = render_report(
                user=user,
                survey=survey,
                filters=filters,
                fmt=options["format"],
                out=out,
            )
        except FontMissingError as exc:
            raise CommandError(str(exc)) from None
        if result.total_raw and result.raw_rows != result.total_raw:
            raise CommandError(
                f"Only {result.raw_rows} of {result.total_raw} responses were written."
            )
        what = (
            f"{result.raw_rows} responses"
            if options["format"] in {"csv", "sav", "xlsx"}
            else f"{result.rows} table rows"
        )
        self.stdout.write(f"Wrote {out} ({what}).")
        for note in result.notes:
            self.stdout.write(f"  {note}")

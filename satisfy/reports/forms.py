from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satisfy.org.models import Agent, OrgUnit
from satisfy.reports.queries import Filters, Period
from satisfy.responses.models import SurveyResponse

DEFAULT_DAYS = 91


class ResultsFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Unit"),
        required=False,
        empty_label=_("Everything I can see"),
    )
    agent = forms.ModelChoiceField(
        queryset=Agent.objects.none(),
        label=_("Agent"),
        required=False,
        empty_label=_("All agents"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    queue = forms.CharField(label=_("Queue"), required=False, max_length=50)
    segment = forms.CharField(
        label=_("Customer segment"), required=False, max_length=50
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    trend = forms.ChoiceField(
        label=_("Trend by"),
        required=False,
        choices=[("auto", _("Automatic")), ("week", _("Week")), ("month", _("Month"))],
    )
    q = forms.CharField(label=_("Comments containing"), required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        agents: QuerySet[Agent] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        if isinstance(unit_field, forms.ModelChoiceField):
            unit_field.queryset = units.order_by("path")
        agent_field = self.fields["agent"]
        if isinstance(agent_field, forms.ModelChoiceField):
            agent_field.queryset = (
                agents if agents is not None else Agent.objects.none()
            ).order_by("name")
        channel = self.fields["channel"]
        if isinstance(channel, forms.ChoiceField):
            channel.choices = [("", _("All channels")), *SurveyResponse.Channel.choices]
        language = self.fields["language"]
        if isinstance(language, forms.ChoiceField):
            language.choices = [
                ("", _("All languages")),
                ("en", "English"),
                ("zh-Hans", "简体中文"),
                ("es", "Español"),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        end: date = data.get("end") or today
        start: date = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(
                _("The start date must be on or before the end date.")
            )
        if (end - start).days > 3660:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        data["start"], data["end"] = start, end
        return data

    def filters(self, *, wave_id: int | None = None) -> Filters:
        """The validated filters (call after ``is_valid()``)."""
        d = self.cleaned_data
        return Filters(
            period=Period(d["start"], d["end"]),
            unit=d.get("unit"),
            agent=d.get("agent"),
            channel=d.get("channel") or "",
            queue=(d.get("queue") or "").strip(),
            segment=(d.get("segment") or "").strip(),
            language=d.get("language") or "",
            wave_id=wave_id,
        )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("xlsx", "Excel (.xlsx)"),
            ("pdf", "PDF"),
            ("docx", "Word (.docx)"),
            ("csv", "CSV"),
            ("sav", "SPSS (.sav)"),
        ],
    )


class GradeForm(forms.Form):
    """Cut-offs for the average-score report: 'A' from 85, 'B' from 70, … (0–100)."""

    cutoffs = forms.CharField(
        label=_("Grade cut-offs"),
        required=False,
        initial="A:85,B:70,C:55,D:0",
        help_text=_("Grade:lowest score, from best to worst, e.g. A:85,B:70,C:55,D:0"),
    )

    def clean_cutoffs(self) -> list[tuple[str, float]]:
        raw = self.cleaned_data.get("cutoffs") or "A:85,B:70,C:55,D:0"
        out: list[tuple[str, float]] = []
        for part in raw.split(","):
            name, sep, value = part.strip().partition(":")
            try:
                cut = float(value)
            except ValueError:
                raise forms.ValidationError(
                    _("Write each cut-off as Grade:number, e.g. A:85.")
                ) from None
            if not sep or not name.strip() or not 0 <= cut <= 100:
                raise forms.ValidationError(
                    _("Write each cut-off as Grade:number between 0 and 100.")
                )
            out.append((name.strip(), cut))
        cuts = [c for _n, c in out]
        if cuts != sorted(cuts, reverse=True):
            raise forms.ValidationError(
                _("List the grades from the best to the worst.")
            )
        return out

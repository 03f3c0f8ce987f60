from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from satisfy.org.models import OrgUnit
from satisfy.surveys.models import Survey


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OperationsFilterForm(forms.Form):
    start = _date(_("From"))
    end = _date(_("To"))
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Unit"),
        required=False,
        empty_label=_("Everything I can see"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    queue = forms.ChoiceField(label=_("Queue / type"), required=False)
    interval = forms.TypedChoiceField(
        label=_("Interval"),
        choices=[(15, _("15 minutes")), (30, _("30 minutes")), (60, _("1 hour"))],
        coerce=int,
        initial=30,
        required=False,
    )
    answer_within = forms.FloatField(
        label=_("Answered within (s)"),
        min_value=0,
        max_value=3600,
        required=False,
        initial=20,
    )
    target = forms.FloatField(
        label=_("Service-level target %"),
        min_value=1,
        max_value=99,
        required=False,
        initial=80,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        queues: list[str],
        channels: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        channel_field = self.fields["channel"]
        if isinstance(channel_field, forms.ChoiceField):
            channel_field.choices = [("", _("All channels")), *channels]
        unit_field = self.fields["unit"]
        if isinstance(unit_field, forms.ModelChoiceField):
            unit_field.queryset = units.order_by("path")
        queue_field = self.fields["queue"]
        if isinstance(queue_field, forms.ChoiceField):
            queue_field.choices = [("", _("All queues"))] + [(q, q) for q in queues]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return data


class LinkFilterForm(forms.Form):
    survey = forms.ModelChoiceField(
        queryset=Survey.objects.none(), label=_("Survey"), required=False
    )
    start = _date(_("Interactions from"))
    end = _date(_("To"))

    def __init__(self, *args: Any, surveys: QuerySet[Survey], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survey_field = self.fields["survey"]
        if isinstance(survey_field, forms.ModelChoiceField):
            survey_field.queryset = surveys
            survey_field.empty_label = _("The survey with most linked answers")

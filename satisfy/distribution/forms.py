from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satisfy.analytics.sampling import ALLOCATIONS
from satisfy.distribution.models import Sample

CHANNEL_CHOICES = [
    ("email", _("Email")),
    ("sms", _("SMS")),
    ("web", _("Web link")),
    ("qr", _("QR code")),
    ("short_code", _("Short code")),
]
ALLOCATION_LABELS = {
    "proportional": _("Proportional"),
    "equal": _("Equal per stratum"),
    "minimum": _("Proportional with a minimum"),
}


class WaveForm(forms.Form):
    survey = forms.ChoiceField(label=_("Survey"))
    name = forms.CharField(label=_("Name"), max_length=200)
    channels = forms.MultipleChoiceField(
        label=_("Channels, in order of preference"),
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    sms_mode = forms.ChoiceField(
        label=_("SMS asks"),
        choices=[
            ("link", _("with a link to the web survey")),
            ("reply", _("one question answered by reply")),
        ],
        initial="link",
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reminder_days = forms.CharField(
        label=_("Reminders after (days, comma-separated)"), required=False, initial="3"
    )

    def __init__(
        self, *args: Any, surveys: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survey"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = surveys

    def clean_reminder_days(self) -> list[int]:
        raw: str = self.cleaned_data["reminder_days"]
        try:
            days = [
                int(part) for part in raw.replace(";", ",").split(",") if part.strip()
            ]
        except ValueError:
            raise forms.ValidationError(
                _("Write whole days separated by commas, e.g. 3, 7.")
            ) from None
        if any(day < 1 for day in days):
            raise forms.ValidationError(_("Reminders are sent at least one day later."))
        return days


class SampleForm(forms.Form):
    frame = forms.ChoiceField(label=_("Frame"), choices=Sample.Frame.choices)
    method = forms.ChoiceField(
        label=_("Method"), choices=Sample.Method.choices, initial="stratified"
    )
    n = forms.IntegerField(label=_("Sample size"), min_value=1, required=False)
    strata = forms.CharField(
        label=_("Strata (attributes, comma-separated)"),
        required=False,
        help_text=_("e.g. region, tier — or agent, queue for interactions"),
    )
    allocation = forms.ChoiceField(
        label=_("Allocation"),
        choices=[(a, ALLOCATION_LABELS.get(a, a)) for a in ALLOCATIONS],
    )
    minimum = forms.IntegerField(label=_("Minimum per stratum"), min_value=0, initial=0)
    seed = forms.IntegerField(label=_("Seed (blank: random, recorded)"), required=False)

    def clean_strata(self) -> list[str]:
        raw: str = self.cleaned_data["strata"]
        return [part.strip() for part in raw.split(",") if part.strip()]

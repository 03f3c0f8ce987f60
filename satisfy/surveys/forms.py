from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from satisfy.accounts.queries import Scope
from satisfy.org.models import OrgUnit
from satisfy.surveys.models import Survey


def manageable_units(scope: Scope) -> QuerySet[OrgUnit]:
    q = Q(pk__in=[])
    for prefix in scope.manage_paths:
        q |= Q(path__startswith=prefix)
    return OrgUnit.objects.filter(q).order_by("path")


class NewSurveyForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=80,
        help_text=_("Letters, digits and dashes; it appears in the public link."),
    )
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Owning unit")
    )

    def __init__(
        self, *args: Any, templates: list[tuple[str, str]], scope: Scope, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)  # noqa: S101 - declared above
        template_field.choices = templates
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        unit_field.queryset = manageable_units(scope)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Survey.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("A survey with this short name already exists.")
            )
        return slug

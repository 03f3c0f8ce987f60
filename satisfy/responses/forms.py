"""Forms of the respondent pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satisfy.distribution.codes import normalise_short_code

INVALID_CODE = _("That code is not valid. Please check it and try again.")
TOO_MANY_CODES = _(
    "Too many codes were tried from this connection. "
    "Please wait %(minutes)d minutes and try again."
)


class ShortCodeForm(forms.Form):
    """A short code as a person types it: any case, with dashes or spaces."""

    code = forms.CharField(
        label=_("Survey code"),
        max_length=40,
        help_text=_("The code is on your receipt or in the message we sent you."),
        error_messages={"required": _("Please enter your survey code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_short_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(INVALID_CODE, code="invalid")
        return code

"""Typing a short code (from a receipt, an SMS or a phone call) to open a survey."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from satisfy.distribution.models import Invitation
from satisfy.responses.forms import INVALID_CODE, ShortCodeForm
from satisfy.responses.views.common import LANGUAGE_NAMES, render_in
from satisfy.surveys.definition import LANGUAGES, normalize_language


def _page_language(request: HttpRequest) -> str:
    asked = normalize_language(
        request.GET.get("lang") or request.POST.get("lang") or ""
    )
    if asked is not None:
        return asked
    return normalize_language(translation.get_language() or "en") or "en"


@require_http_methods(["GET", "HEAD", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Ask for a short code; a valid one that exists leads to its survey link.

    A mistyped code (wrong check character) and a well-formed code that matches no
    invitation get the same message, so the page does not tell which codes exist.
    """
    language = _page_language(request)
    if request.method == "POST":
        form = ShortCodeForm(request.POST)
        if form.is_valid():
            invitation = (
                Invitation.objects.filter(short_code=form.cleaned_data["code"])
                .only("token")
                .first()
            )
            if invitation is not None:
                target = reverse("responses:take", args=[invitation.token])
                if request.POST.get("lang"):
                    target += "?" + urlencode({"lang": language})
                return HttpResponseRedirect(target, status=303)
            form.add_error("code", INVALID_CODE)
    else:
        form = ShortCodeForm()
    languages = [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": f"{request.path}?{urlencode({'lang': code})}",
            "is_current": code == language,
        }
        for code in LANGUAGES
    ]
    return render_in(
        request,
        "responses/short_code.html",
        {"form": form, "languages": languages, "language": language},
        language=language,
    )

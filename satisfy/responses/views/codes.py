"""Typing a short code (from a receipt, an SMS or a phone call) to open a survey."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from satisfy.distribution.models import Invitation
from satisfy.responses.forms import INVALID_CODE, TOO_MANY_CODES, ShortCodeForm
from satisfy.responses.views.common import LANGUAGE_NAMES, django_language, render_in
from satisfy.surveys.definition import LANGUAGES, normalize_language


def _page_language(request: HttpRequest) -> str:
    asked = normalize_language(
        request.GET.get("lang") or request.POST.get("lang") or ""
    )
    if asked is not None:
        return asked
    return normalize_language(translation.get_language() or "en") or "en"


def _attempts_key(request: HttpRequest) -> str:
    return f"satisfy:code-attempts:{request.META.get('REMOTE_ADDR', '')}"


def _blocked(request: HttpRequest) -> bool:
    return bool(cache.get(_attempts_key(request), 0) >= settings.SATISFY_CODE_ATTEMPTS)


def _count_failure(request: HttpRequest) -> None:
    """One more wrong code from this client, in a window that starts at its first."""
    key = _attempts_key(request)
    if cache.add(key, 1, timeout=settings.SATISFY_CODE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.SATISFY_CODE_WINDOW_SECONDS)


@require_http_methods(["GET", "HEAD", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Ask for a short code; a valid one that exists leads to its survey link.

    A mistyped code (wrong check character) and a well-formed code that matches no
    invitation get the same message, so the page does not tell which codes exist.
    A client that typed ``SATISFY_CODE_ATTEMPTS`` wrong codes within the window is
    answered 429 without a lookup until the window ends (codes cannot be guessed by
    trying many).
    """
    language = _page_language(request)
    status = 200
    if request.method == "POST":
        form = ShortCodeForm(request.POST)
        if _blocked(request):
            minutes = max(1, settings.SATISFY_CODE_WINDOW_SECONDS // 60)
            with translation.override(django_language(language)):
                message = TOO_MANY_CODES % {"minutes": minutes}
            form = ShortCodeForm()  # the typed code is not looked up, nor shown again
            form.errors["code"] = form.error_class([message])
            status = 429
        elif form.is_valid():
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
            _count_failure(request)
        elif form.data.get("code", "").strip():
            _count_failure(request)
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
        status=status,
    )

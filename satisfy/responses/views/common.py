"""Rendering shared by the respondent pages: language, ``<html lang>``, the 404 page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文", "es": "Español"}
"""Each survey language in its own words, for the language switch."""


def django_language(language: str) -> str:
    """Django's spelling of a survey language (``zh-Hans`` -> ``zh-hans``)."""
    return language.lower()


def render_in(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render in the survey's language (or the browser's) with ``<html lang>`` set."""
    html_language = language or translation.get_language() or "en"
    with translation.override(django_language(html_language)):
        response = render(
            request,
            template,
            {"html_language": html_language, **context},
            status=status,
        )
    response["Content-Language"] = html_language
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """Unknown, expired or disabled links: one page, 404, in the browser's language.

    It shows nothing about the link, so a stranger cannot tell a mistyped token
    from an expired one.
    """
    return render_in(request, "responses/unavailable.html", {}, status=404)

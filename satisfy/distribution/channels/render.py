"""Render customer messages from the per-language templates (en, zh-Hans, es)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.template import engines
from django.template.backends.django import Template
from django.utils import timezone
from django.utils.html import escape

from satisfy.distribution.codes import format_short_code
from satisfy.distribution.config import setting_str, site_url
from satisfy.surveys.definition import (
    Question,
    SurveyDefinition,
    normalize_language,
    translate,
)

MESSAGE_LANGUAGES = ("en", "zh-Hans", "es")


def message_language(language: str) -> str:
    """The template language for a customer's language (English when unsupported)."""
    known = normalize_language(language or "en")
    return known if known in MESSAGE_LANGUAGES else "en"


@lru_cache(maxsize=64)
def _template(language: str, name: str) -> Template:
    template = engines["django"].get_template(
        f"distribution/messages/{language}/{name}"
    )
    assert isinstance(template, Template)  # noqa: S101 - the Django engine's type
    return template


def reply_question(definition: SurveyDefinition) -> Question | None:
    """The question an SMS reply answers: the first single-answer numeric scale."""
    for question in definition.questions():
        if question.is_scale and not question.has_items and question.is_numeric:
            return question
    return None


def survey_link(token: str) -> str:
    return f"{site_url()}/s/{token}"


def unsubscribe_link(token: str) -> str:
    return f"{site_url()}/distribution/u/{token}"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


_TOKEN = "\x00token\x00"  # noqa: S105 - a placeholder, not a secret
_CODE = "\x00code\x00"
_NAME = "\x00name\x00"
_skeletons: dict[tuple[object, ...], tuple[SurveyDefinition, Rendered]] = {}


def render_message(
    *,
    definition: SurveyDefinition,
    channel: str,
    language: str,
    token: str,
    short_code: str,
    customer_name: str,
    closes_at: datetime,
    is_reminder: bool = False,
    sms_mode: str = "link",
) -> Rendered:
    """Subject, text and HTML of an invitation or reminder in the customer's language.

    Templates are rendered once per survey, language and variant with placeholders
    for the personal parts (token, code, name), which are then filled in: a wave of
    100,000 invitations renders a handful of templates, not 300,000.
    """
    key = (
        id(definition),
        channel,
        message_language(language),
        bool(customer_name),
        timezone.localtime(closes_at).date(),
        is_reminder,
        sms_mode,
        site_url(),
    )
    cached = _skeletons.get(key)
    if cached is None or cached[0] is not definition:
        if len(_skeletons) > 512:
            _skeletons.clear()
        skeleton = _render_uncached(
            definition=definition,
            channel=channel,
            language=language,
            token=_TOKEN,
            short_code=_CODE,
            customer_name=_NAME if customer_name else "",
            closes_at=closes_at,
            is_reminder=is_reminder,
            sms_mode=sms_mode,
        )
        _skeletons[key] = (definition, skeleton)
    else:
        skeleton = cached[1]
    code = format_short_code(short_code)

    def fill(text: str, name: str) -> str:
        return text.replace(_TOKEN, token).replace(_CODE, code).replace(_NAME, name)

    return Rendered(
        subject=fill(skeleton.subject, customer_name),
        text=fill(skeleton.text, customer_name),
        html=fill(skeleton.html, escape(customer_name)),
    )


def _render_uncached(
    *,
    definition: SurveyDefinition,
    channel: str,
    language: str,
    token: str,
    short_code: str,
    customer_name: str,
    closes_at: datetime,
    is_reminder: bool = False,
    sms_mode: str = "link",
) -> Rendered:
    """Render the templates for real (called once per variant by render_message)."""
    lang = message_language(language)
    context: dict[str, Any] = {
        "survey_title": translate(definition.title, lang),
        "customer_name": customer_name,
        "link": survey_link(token),
        "short_code": short_code
        if short_code == _CODE
        else format_short_code(short_code),
        "code_url": f"{site_url()}/c",
        "unsubscribe_url": unsubscribe_link(token),
        "closes_on": timezone.localtime(closes_at).date().isoformat(),
        "is_reminder": is_reminder,
        "sender_name": setting_str("SATISFY_SENDER_NAME", "Satisfy"),
    }
    if channel == "email":
        return Rendered(
            subject=" ".join(
                _template(lang, "email_subject.txt").render(context).split()
            ),
            text=_template(lang, "email.txt").render(context).strip() + "\n",
            html=_template(lang, "email.html").render(context),
        )
    if channel == "sms":
        if sms_mode == "reply":
            question = reply_question(definition)
            if question is None:
                raise ValueError(
                    "this survey has no question that can be answered by SMS reply"
                )
            choices = question.answer_choices
            context.update(
                question_text=translate(question.text, lang),
                reply_min=choices[0].code,
                reply_max=choices[-1].code,
                min_label=translate(question.min_label, lang)
                or translate(choices[0].label, lang)
                or choices[0].code,
                max_label=translate(question.max_label, lang)
                or translate(choices[-1].label, lang)
                or choices[-1].code,
            )
            text = _template(lang, "sms_reply.txt").render(context)
        else:
            text = _template(lang, "sms_link.txt").render(context)
        return Rendered(subject="", text=" ".join(text.split()), html="")
    raise ValueError(f"channel {channel!r} sends no message")

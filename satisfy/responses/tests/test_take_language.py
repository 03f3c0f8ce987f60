"""The survey speaks the respondent's language, and ?lang= switches it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.responses.models import SurveyResponse

PAGE_1 = {
    "page": "1",
    "q_csat_overall": "4",
    "q_access": "4",
    "q_resolution": "4",
    "q_treatment": "4",
    "q_ces": "4",
}


def test_the_invitation_language_is_the_default(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey(), language="zh-Hans")

    html = client.get(f"/s/{invitation.token}").text

    assert '<html lang="zh-Hans">' in html
    assert "服务满意度回访" in html
    assert "总体而言，您对本次服务满意吗？" in html
    assert "非常满意" in html


def test_lang_switches_the_texts_and_is_stored_on_the_response(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given: started in English
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, {**PAGE_1, "lang": "en"})

    # when
    html = client.get(f"{url}?lang=zh-Hans&page=2").text
    later = client.get(url).text

    # then
    assert '<html lang="zh-Hans">' in html
    assert "您有多大可能向朋友或同事推荐我们？" in html
    assert "完全不可能" in html
    assert SurveyResponse.objects.get().language == "zh-Hans"
    assert "您有多大可能向朋友或同事推荐我们？" in later


def test_validation_messages_follow_the_language(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())

    reply = client.post(f"/s/{invitation.token}", {"page": "1", "lang": "es"})

    assert '<html lang="es">' in reply.text
    assert "Por favor, elija una respuesta." in reply.text


def test_a_language_the_survey_lacks_falls_back_to_its_default(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())

    html = client.get(f"/s/{invitation.token}?lang=fr").text

    assert '<html lang="en">' in html
    assert "How did we do?" in html


def test_the_language_links_point_at_the_same_page(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())

    html = client.get(f"/s/{invitation.token}").text

    assert f'href="/s/{invitation.token}?lang=es&amp;page=1" lang="es"' in html
    assert 'aria-current="true">English</a>' in html

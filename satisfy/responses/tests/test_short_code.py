"""Typing a short code at /c leads to the survey; a mistyped one says so, and no more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from satisfy.distribution.codes import ALPHABET, CHECK_ALPHABET, format_short_code

INVALID = "That code is not valid. Please check it and try again."


@pytest.fixture
def invitation(
    make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> Any:
    return make_invitation(survey=make_survey())


def _wrong_check(code: str) -> str:
    wrong = next(
        char for char in CHECK_ALPHABET if char != code[-1] and char in ALPHABET
    )
    return code[:-1] + wrong


def test_the_form_asks_for_a_code(client: Client) -> None:
    reply = client.get("/c")

    assert reply.status_code == 200
    assert '<label for="id_code">' in reply.text
    assert 'name="csrfmiddlewaretoken"' in reply.text
    assert 'autocomplete="off"' in reply.text


def test_a_good_code_leads_to_the_survey(client: Client, invitation: Any) -> None:
    reply = client.post("/c", {"code": invitation.short_code})

    assert reply.status_code == 303
    assert reply["Location"] == f"/s/{invitation.token}"


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: format_short_code(code),
        lambda code: " " + " ".join(format_short_code(code).lower()) + " ",
        lambda code: code.replace("0", "o").replace("1", "l"),
        lambda code: code.replace("1", "I").replace("0", "O"),
    ],
    ids=["lower-case", "dash", "spaces", "o-and-l", "capital-i-and-o"],
)
def test_a_mistyped_but_recognisable_code_is_accepted(
    client: Client, invitation: Any, typed: Callable[[str], str]
) -> None:
    reply = client.post("/c", {"code": typed(invitation.short_code)})

    assert reply.status_code == 303
    assert reply["Location"] == f"/s/{invitation.token}"


def test_a_wrong_check_character_is_refused_without_a_hint(
    client: Client, invitation: Any
) -> None:
    reply = client.post("/c", {"code": _wrong_check(invitation.short_code)})

    assert reply.status_code == 200
    assert INVALID in reply.text
    assert 'aria-invalid="true"' in reply.text
    assert 'class="error-summary"' in reply.text
    assert invitation.token not in reply.text


def test_a_well_formed_code_that_matches_nothing_gets_the_same_answer(
    client: Client, invitation: Any
) -> None:
    from satisfy.distribution.codes import new_short_code

    other = new_short_code()
    while other == invitation.short_code:
        other = new_short_code()

    unknown = client.post("/c", {"code": other})
    mistyped = client.post("/c", {"code": _wrong_check(invitation.short_code)})

    assert unknown.status_code == mistyped.status_code == 200
    assert INVALID in unknown.text
    assert _error_part(unknown.text) == _error_part(mistyped.text)


def _error_part(html: str) -> str:
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]


def test_an_empty_code_asks_for_one(client: Client) -> None:
    reply = client.post("/c", {"code": "  "})

    assert reply.status_code == 200
    assert "Please enter your survey code." in reply.text


def test_the_code_page_speaks_the_chosen_language(client: Client) -> None:
    reply = client.get("/c?lang=zh-Hans")

    assert '<html lang="zh-Hans">' in reply.text
    assert 'lang="zh-Hans" hreflang="zh-Hans" aria-current="true"' in reply.text


def test_a_client_that_tries_many_wrong_codes_must_wait(
    client: Client, invitation: Any, settings: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.SATISFY_CODE_ATTEMPTS = 3
    good = format_short_code(invitation.short_code)
    for _ in range(3):
        r = client.post("/c", {"code": _wrong_check(invitation.short_code)})
        assert r.status_code == 200
        assert INVALID in r.content.decode()
    # now even the right code is not looked up until the window ends
    r = client.post("/c", {"code": good})
    assert r.status_code == 429
    assert "Too many codes were tried" in r.content.decode()
    assert "15 minutes" in r.content.decode()
    # another client is not affected
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/c", {"code": good}).status_code == 303
    cache.clear()
    assert client.post("/c", {"code": good}).status_code == 303


def test_a_right_code_does_not_count_against_the_client(
    client: Client, invitation: Any, settings: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.SATISFY_CODE_ATTEMPTS = 2
    good = format_short_code(invitation.short_code)
    for _ in range(4):
        assert client.post("/c", {"code": good}).status_code == 303
    cache.clear()

"""The satisfaction-link sentences follow the user's language (library templates via Django's gettext).

The catalogs may not have the new templates translated yet, so the test gives the
zh-hans translation object a few entries of its own (wrapping Django's real lookup):
what is checked is the path request → LocaleMiddleware → Django ``gettext`` → the
library's templates and the app's lever phrases, with the values filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.translation import trans_real

from satisfy.accounts.models import User
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.definition import QuestionType
from satisfy.surveys.services import version_definition

pytestmark = pytest.mark.django_db

CHINESE = {
    "%(metric)s falls from %(before)s to %(after)s when %(lever)s (%(difference)s, "
    "%(level)s CI %(interval)s; n = %(n_without)s and %(n_with)s).": (
        "当%(lever)s时，%(metric)s 从 %(before)s 降至 %(after)s（%(difference)s，"
        "%(level)s 置信区间 %(interval)s；n = %(n_without)s 和 %(n_with)s）。"
    ),
    "%(value)s points": "%(value)s 个百分点",
    "%(low)s to %(high)s points": "%(low)s 至 %(high)s 个百分点",
    "the issue was not resolved": "问题未解决",
    "resolved": "已解决",
    "not resolved": "未解决",
}


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """zh-hans knows CHINESE on top of its catalog; other languages are untouched."""
    original = trans_real.DjangoTranslation.gettext

    def gettext(self: trans_real.DjangoTranslation, message: str) -> str:
        if self.language() == "zh-hans" and message in CHINESE:
            return CHINESE[message]
        return str(original(self, message))

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)


def _answers(definition: Any, good: bool) -> dict[str, Any]:
    """Top (or bottom) answer to every rated question of the post-contact survey."""
    data: dict[str, Any] = {}
    for q in definition.questions():
        if q.type == QuestionType.TEXT or q.show_if is not None:
            continue
        if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            choice = q.answer_choices[0].code
            data[q.code] = [choice] if q.type == QuestionType.MULTIPLE else choice
            continue
        points = sorted(int(c.value) for c in q.answer_choices if c.value is not None)
        data[q.code] = points[-1] if good else points[0]
    return data


@pytest.fixture
def linked(
    make_survey: Callable[..., Any], make_interaction: Callable[..., Any]
) -> None:
    """15 resolved contacts rated at the top, 15 unresolved ones at the bottom."""
    survey = make_survey()
    definition = version_definition(survey.current_version)
    for i in range(30):
        resolved = i % 2 == 0
        interaction = make_interaction(is_resolved=resolved)
        answers, errors = parse_answers(
            definition, _answers(definition, resolved), language="en"
        )
        assert errors == {}
        response, _created = submit_response(
            survey=survey, answers=answers, idempotency_key=f"r{i}"
        )
        response.interaction = interaction
        response.save(update_fields=["interaction"])


def test_the_page_speaks_the_users_language(
    linked: None, chinese: None, client: Client, alice: User
) -> None:
    client.force_login(alice)

    english = client.get("/operations/satisfaction/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/operations/satisfaction/").content.decode()

    assert (
        "CSAT falls from 100% to 0% when the issue was not resolved (-100 points"
        in english
    )
    assert "当问题未解决时，CSAT 从 100% 降至 0%（-100 个百分点，95% 置信区间 " in html
    assert "个百分点；n = 15 和 15）。" in html
    assert "CSAT falls from" not in html


def test_group_labels_are_translated_and_keep_their_order(
    linked: None, chinese: None, client: Client, alice: User
) -> None:
    client.force_login(alice)
    english = client.get("/operations/satisfaction/")
    client.cookies["django_language"] = "zh-hans"
    chinese_page = client.get("/operations/satisfaction/")

    def groups(response: Any) -> list[str]:
        panel = next(
            p for p in response.context["panels"] if p["dimension"] == "resolution"
        )
        return [g.group for g in panel["groups"]]

    assert groups(english) == ["resolved", "not resolved"]
    assert groups(chinese_page) == ["已解决", "未解决"]
    assert "<td>未解决</td>" in chinese_page.content.decode()

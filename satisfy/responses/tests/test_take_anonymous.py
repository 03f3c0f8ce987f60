"""An anonymous survey taken through a personal link keeps no identity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.customers.models import Customer
from satisfy.responses.models import SurveyResponse
from satisfy.surveys.definition import load_definition
from satisfy.surveys.services import create_survey, publish_survey

ANONYMOUS = """\
code: staff-pulse
version: "1"
title: {en: Staff pulse}
anonymous: true
allow_public_link: true
pages:
  - code: main
    title: {en: Main}
    questions:
      - {code: overall, type: csat, text: {en: How satisfied are you at work?}}
"""


def test_an_anonymous_response_stores_no_customer_and_no_interaction(
    client: Client, org: Org, alice: User, make_invitation: Callable[..., Any]
) -> None:
    # given
    survey = create_survey(
        definition=load_definition(ANONYMOUS),
        slug="staff-pulse",
        unit=org.company,
        created_by=alice,
    )
    publish_survey(survey=survey, published_by=alice)
    survey.refresh_from_db()
    customer = Customer.objects.create(external_id="c-1", name="Dana", segment="gold")
    invitation = make_invitation(survey=survey, customer=customer)

    # when
    page = client.get(f"/s/{invitation.token}")
    done = client.post(f"/s/{invitation.token}", {"page": "1", "q_overall": "4"})

    # then
    assert "This survey is anonymous" in page.text
    assert "Dana" not in page.text
    assert done.status_code == 303
    response = SurveyResponse.objects.get()
    assert response.status == SurveyResponse.Status.COMPLETE
    assert response.customer is None
    assert response.interaction is None
    for session in Session.objects.all():
        assert "Dana" not in str(session.get_decoded())
        assert "c-1" not in str(session.get_decoded())

from __future__ import annotations

import pytest

from satisfy.customers.models import Customer
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import (
    ResponseClosedError,
    complete_response,
    save_page,
    start_response,
    submit_response,
)
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.services import version_definition

FULL = {
    "csat_overall": 4,
    "access": 4,
    "resolution": "na",
    "treatment": 5,
    "ces": 6,
    "nps": 10,
    "repurchase": 4,
}


def _answers(survey, data):
    answers, errors = parse_answers(
        version_definition(survey.current_version), data, language="en"
    )
    assert errors == {}
    return answers


def test_same_idempotency_key_stores_one_response(make_survey):
    survey = make_survey()
    answers = _answers(survey, FULL)
    first, created = submit_response(
        survey=survey, answers=answers, idempotency_key="k1"
    )
    again, created_again = submit_response(
        survey=survey, answers=answers, idempotency_key="k1"
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert SurveyResponse.objects.count() == 1
    assert first.status == SurveyResponse.Status.COMPLETE
    assert {a.question_code for a in first.answers.all()} == set(FULL)
    assert first.answers.get(question_code="resolution").is_na


def test_completing_twice_counts_once_and_locks_the_response(
    make_survey, make_invitation
):
    survey = make_survey()
    invitation = make_invitation(survey=survey)
    response = start_response(
        survey=survey, key=f"inv:{invitation.pk}", invitation=invitation
    )
    assert complete_response(response=response) is True
    assert complete_response(response=response) is False
    with pytest.raises(ResponseClosedError):
        save_page(response=response, question_codes=["nps"], answers={}, pages_done=1)
    invitation.refresh_from_db()
    assert invitation.status == "completed"


def test_response_snapshots_the_invitation_dimensions(
    make_survey, make_invitation, org
):
    survey = make_survey()
    customer = Customer.objects.create(external_id="c1", segment="gold")
    invitation = make_invitation(survey=survey, customer=customer)
    response = start_response(
        survey=survey, key=f"inv:{invitation.pk}", invitation=invitation
    )
    assert response.unit == org.north_team
    assert response.unit_path == org.north_team.path
    assert response.agent == org.carol_agent
    assert response.customer == customer
    assert response.customer_segment == "gold"


def test_anonymous_versions_never_store_identity(make_survey, make_invitation):
    survey = make_survey(template="agent-enps", slug="pulse")
    assert survey.current_version.is_anonymous
    customer = Customer.objects.create(external_id="c2", segment="staff")
    invitation = make_invitation(survey=survey, customer=customer)
    response = start_response(
        survey=survey, key=f"inv:{invitation.pk}", invitation=invitation
    )
    assert response.customer is None
    assert response.interaction is None


def test_a_draft_survey_takes_no_answers(make_survey):
    survey = make_survey(publish=False)
    with pytest.raises(ResponseClosedError):
        start_response(survey=survey, key="pub:x")


def test_a_submitted_response_is_stored_as_it_is_returned(make_survey, make_invitation):
    # On PostgreSQL the response, its answers and its rollup queue row are one
    # statement: every column must hold what the ORM would have written.
    from satisfy.reports.models import PendingRollup
    from satisfy.responses.models import Answer

    survey = make_survey()
    invitation = make_invitation(survey=survey)
    answers = _answers(survey, {**FULL, "comment": "Fine, 'quoted' and ; odd"})

    response, created = submit_response(
        survey=survey,
        answers=answers,
        idempotency_key="ignored-with-an-invitation",
        invitation=invitation,
        language="es",
        channel="sms",
    )

    assert created
    assert not response._state.adding
    stored = SurveyResponse.objects.get(pk=response.pk)
    for field in SurveyResponse._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(response, field.attname), (
            field.name
        )
    assert stored.key == f"inv:{invitation.pk}"
    assert stored.agent_id == invitation.agent_id
    assert stored.pages_done == len(version_definition(survey.current_version).pages)

    def cells(rows):
        return [
            (a.pk, a.response_id, a.question_code, a.item_code, a.part,
             a.choice_code, a.value, a.text_value, a.is_na)
            for a in rows
        ]  # fmt: skip

    in_memory = sorted(cells(response.answers.all()))
    assert in_memory == cells(Answer.objects.filter(response=stored).order_by("pk"))
    assert len(in_memory) == len(FULL) + 1
    assert PendingRollup.objects.filter(response_id=response.pk).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == "completed"

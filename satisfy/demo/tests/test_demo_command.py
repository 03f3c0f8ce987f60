from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg
from django.test import override_settings
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from satisfy.accounts.models import RoleAssignment, User
from satisfy.accounts.queries import scope_for_user
from satisfy.customers.models import Customer
from satisfy.demo import synth
from satisfy.demo.loader import SURVEY_SLUG, demo_counts
from satisfy.distribution.models import Invitation
from satisfy.interactions.models import Interaction
from satisfy.org.models import Agent, OrgUnit
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

SMALL = 0.01
SHARED = 0.04


def run_demo(settings: SettingsWrapper, tmp_path: Path, **options: object) -> str:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out, **{"scale": SMALL, **options})
    return out.getvalue()


@pytest.fixture(scope="module")
def built(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """One demo for the read-only tests, rolled back afterwards (like setUpTestData)."""
    data_dir = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("demo", no_serve=True, scale=SHARED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_builds_counts_in_proportion(built: str) -> None:
    output = built
    counts = demo_counts()
    assert counts["org units"] == 1 + 2 + 4 + 12
    assert counts["agents"] == 120
    assert counts["customers"] == round(synth.BASE_CUSTOMERS * SHARED)
    assert counts["interactions"] == round(synth.BASE_INTERACTIONS * SHARED)
    # about half of the interactions are invited, a third of those complete
    assert 0.35 < counts["invitations"] / counts["interactions"] < 0.65
    assert 0.2 < counts["complete responses"] / counts["invitations"] < 0.45
    assert 0 < counts["partial responses"] < counts["complete responses"]
    # the dashboard's rollups were rebuilt for the bulk-loaded responses
    from satisfy.reports.models import DailyUnitRollup

    version = Survey.objects.get(slug=SURVEY_SLUG).current_version
    assert DailyUnitRollup.objects.filter(version=version).exists()
    assert "/s/" in output
    assert f"/s/{SURVEY_SLUG}" in output
    assert "alice" in output


@pytest.mark.django_db
def test_responses_keep_the_services_invariants(built: str) -> None:
    survey = Survey.objects.get(slug=SURVEY_SLUG)
    version = survey.current_version
    assert version is not None
    questions = {q.code: q for q in version_definition(version).questions()}

    responses = SurveyResponse.objects.select_related(
        "invitation", "interaction", "unit"
    )
    for response in responses:
        invitation = response.invitation
        assert invitation is not None
        assert response.key == f"inv:{invitation.pk}"
        assert response.version_id == version.pk
        assert response.survey_id == survey.pk
        assert response.interaction_id == invitation.interaction_id
        assert response.customer_id == invitation.customer_id
        assert response.agent_id == invitation.agent_id
        assert response.unit_id == invitation.unit_id
        assert response.unit is not None
        assert response.unit_path == response.unit.path
        assert response.language == invitation.language
        assert response.interaction is not None
        assert response.queue == response.interaction.queue
        assert invitation.started_at == response.started_at
        assert response.started_at > response.interaction.arrived_at
        if response.status == SurveyResponse.Status.COMPLETE:
            assert invitation.status == Invitation.Status.COMPLETED
            assert response.completed_at == invitation.completed_at
            assert response.completed_at is not None
            assert response.completed_at > response.started_at
            assert response.pages_done == len(version_definition(version).pages)
        else:
            assert response.completed_at is None
            assert invitation.status in {
                Invitation.Status.STARTED,
                Invitation.Status.EXPIRED,
            }

    answers = Answer.objects.all()
    assert answers.exists()
    for answer in answers:
        question = questions[answer.question_code]
        if question.code == "comment":
            assert answer.text_value
            assert answer.choice_code == ""
            continue
        choice = question.choice(answer.choice_code)
        assert answer.value == choice.value
        assert answer.is_na == choice.is_na
    # every complete response answers every required question
    complete = SurveyResponse.objects.filter(status=SurveyResponse.Status.COMPLETE)
    required = {code for code, q in questions.items() if q.required}
    for response in complete.prefetch_related("answers")[:50]:
        assert required <= {a.question_code for a in response.answers.all()}


@pytest.mark.django_db
def test_abandoned_interactions_get_no_invitation(built: str) -> None:
    abandoned = Interaction.objects.exclude(outcome=Interaction.Outcome.ANSWERED)
    assert abandoned.exists()
    assert not Invitation.objects.filter(interaction__in=abandoned).exists()
    assert not abandoned.exclude(agent=None).exists()
    invited_customers = Customer.objects.filter(
        pk__in=Invitation.objects.values("customer")
    )
    assert not invited_customers.filter(has_consent=False).exists()
    languages = set(Invitation.objects.values_list("language", flat=True))
    assert languages == {"en", "zh-Hans", "es"}


@pytest.mark.django_db
def test_the_documented_ground_truth_shows_in_the_answers(built: str) -> None:
    access = Answer.objects.filter(
        question_code="access", is_na=False, response__status="complete"
    )
    short = access.filter(
        response__interaction__channel="voice",
        response__interaction__wait_seconds__lt=60,
    ).aggregate(mean=Avg("value"))["mean"]
    long = access.filter(
        response__interaction__channel="voice",
        response__interaction__wait_seconds__gt=120,
    ).aggregate(mean=Avg("value"))["mean"]
    assert short - long > 0.3

    resolution = Answer.objects.filter(
        question_code="resolution", is_na=False, response__status="complete"
    )
    resolved = resolution.filter(response__interaction__is_resolved=True)
    unresolved = resolution.filter(response__interaction__is_resolved=False)
    gap = (
        resolved.aggregate(m=Avg("value"))["m"]
        - unresolved.aggregate(m=Avg("value"))["m"]
    )
    assert gap > 1.2  # the model says 2.2 on the latent scale, less after rounding

    overall = Answer.objects.filter(question_code="csat_overall")
    overall_gap = (
        overall.filter(response__interaction__is_resolved=True).aggregate(
            m=Avg("value")
        )["m"]
        - overall.filter(response__interaction__is_resolved=False).aggregate(
            m=Avg("value")
        )["m"]
    )
    assert 0.5 < overall_gap < gap


@pytest.mark.django_db
def test_personas_see_what_their_roles_allow(built: str) -> None:
    alice, bob, carol, dave, erin = (
        User.objects.get(username=name)
        for name in ("alice", "bob", "carol", "dave", "erin")
    )
    northgate = OrgUnit.objects.get(code=synth.BRANCHES[0][0])
    company = OrgUnit.objects.get(code=synth.COMPANY[0])

    assert alice.is_staff
    assert alice.is_superuser
    assert scope_for_user(alice).can_manage_unit_path(company.path)
    assert scope_for_user(bob).unit_paths == (northgate.path,)
    bob_units = OrgUnit.objects.filter(scope_for_user(bob).unit_q("path"))
    assert {u.code for u in bob_units} == {
        northgate.code,
        *(f"{northgate.code}-{kind}" for kind, _name in synth.TEAM_KINDS),
    }
    bob_responses = SurveyResponse.objects.filter(
        scope_for_user(bob).unit_q("unit_path")
    )
    assert 0 < bob_responses.count() < SurveyResponse.objects.count()
    assert all(
        path.startswith(northgate.path)
        for path in bob_responses.values_list("unit_path", flat=True)
    )

    carol_agent = Agent.objects.get(user=carol)
    assert carol_agent.code == synth.PERSONA_AGENT_CODE
    assert scope_for_user(carol).agent_ids == (carol_agent.pk,)
    assert scope_for_user(carol).unit_paths == ()
    assert scope_for_user(dave).unit_paths == ("/",)
    assert RoleAssignment.objects.filter(
        user=erin, role="auditor", unit=company
    ).exists()
    assert not erin.is_staff

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg
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

SMALL = 0.02


def run_demo(settings: SettingsWrapper, tmp_path: Path, **options: object) -> str:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out, **{"scale": SMALL, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_it_builds_counts_in_proportion(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    # when
    output = run_demo(settings, tmp_path)

    # then
    counts = demo_counts()
    assert counts["org units"] == 1 + 2 + 4 + 12
    assert counts["agents"] == 120
    assert counts["customers"] == round(synth.BASE_CUSTOMERS * SMALL)
    assert counts["interactions"] == round(synth.BASE_INTERACTIONS * SMALL)
    # about half of the interactions are invited, a third of those complete
    assert 0.35 < counts["invitations"] / counts["interactions"] < 0.65
    assert 0.2 < counts["complete responses"] / counts["invitations"] < 0.45
    assert 0 < counts["partial responses"] < counts["complete responses"]
    assert "/s/" in output
    assert f"/s/{SURVEY_SLUG}" in output
    assert "alice" in output


@pytest.mark.django_db
def test_responses_keep_the_services_invariants(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    run_demo(settings, tmp_path)
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
def test_abandoned_interactions_get_no_invitation(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    run_demo(settings, tmp_path)

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
def test_the_documented_ground_truth_shows_in_the_answers(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    run_demo(settings, tmp_path, scale=0.05)
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
def test_personas_see_what_their_roles_allow(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    run_demo(settings, tmp_path)
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


@pytest.mark.django_db
def test_rerun_keeps_the_demo_and_reset_rebuilds_it(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    # given
    run_demo(settings, tmp_path)
    first = demo_counts()
    logins = tmp_path / "demo-logins.txt"
    first_logins = logins.read_text(encoding="utf-8")
    alice_pk = User.objects.get(username="alice").pk

    # when
    output = run_demo(settings, tmp_path)

    # then
    assert "already built" in output
    assert demo_counts() == first
    assert logins.read_text(encoding="utf-8") == first_logins

    # when
    output = run_demo(settings, tmp_path, reset=True)

    # then
    assert demo_counts() == first
    assert User.objects.get(username="alice").pk != alice_pk
    assert logins.read_text(encoding="utf-8") != first_logins
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    password = logins.read_text(encoding="utf-8").split("alice", 1)[1].split()[0]
    assert password in output
    assert User.objects.get(username="alice").check_password(password)


@pytest.mark.django_db
def test_reset_leaves_other_data_alone(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    # given: the demo and another organisation's invitation to a demo customer
    from satisfy.distribution.services import create_invitation
    from satisfy.org.services import create_unit
    from satisfy.surveys.services import create_survey_from_template

    run_demo(settings, tmp_path)
    other_unit = create_unit(
        name="Other Co", code="other-co", kind=OrgUnit.Kind.COMPANY
    )
    other_survey = create_survey_from_template(
        template_code="post-contact",
        slug="other-survey",
        unit=other_unit,
        created_by=None,
    )
    demo_customer = Customer.objects.filter(external_id__startswith="demo-").first()
    invitation = create_invitation(survey=other_survey, customer=demo_customer)

    # when
    run_demo(settings, tmp_path, reset=True)

    # then: the other organisation's rows survive; the link to the old demo is cleared
    invitation.refresh_from_db()
    assert invitation.customer_id is None
    assert Survey.objects.filter(slug="other-survey").exists()
    assert demo_counts()["interactions"] == round(synth.BASE_INTERACTIONS * SMALL)


@pytest.mark.django_db
def test_reset_refuses_when_other_data_protect_a_demo_row(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    # given: another survey's invitation keeps a demo agent (a protected reference)
    from satisfy.distribution.services import create_invitation
    from satisfy.org.services import create_unit
    from satisfy.surveys.services import create_survey_from_template

    run_demo(settings, tmp_path)
    before = demo_counts()
    other_unit = create_unit(
        name="Other Co", code="other-co", kind=OrgUnit.Kind.COMPANY
    )
    other_survey = create_survey_from_template(
        template_code="post-contact",
        slug="other-survey",
        unit=other_unit,
        created_by=None,
    )
    create_invitation(survey=other_survey, agent=Agent.objects.first())

    # when / then
    with pytest.raises(CommandError, match="Other data still refer to the demo"):
        run_demo(settings, tmp_path, reset=True)
    assert demo_counts() == before

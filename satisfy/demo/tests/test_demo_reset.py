from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from satisfy.accounts.models import User
from satisfy.customers.models import Customer
from satisfy.demo import synth
from satisfy.demo.loader import demo_counts
from satisfy.org.models import Agent, OrgUnit
from satisfy.surveys.models import Survey

SMALL = 0.01


def run_demo(settings: SettingsWrapper, tmp_path: Path, **options: object) -> str:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out, **{"scale": SMALL, **options})
    return out.getvalue()


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

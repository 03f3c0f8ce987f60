from __future__ import annotations

import pytest

from satisfy.analytics import csat, nps
from satisfy.reports.rollups import rebuild_rollups
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.services import version_definition


def _answers(overall: int, recommend: int) -> dict[str, object]:
    return {
        "csat_overall": overall,
        "access": 4,
        "resolution": 4,
        "treatment": "na",
        "ces": 5,
        "nps": recommend,
        "repurchase": 4,
        "comment": f"overall {overall}",
    }


@pytest.fixture
def answered(make_survey, org):
    """Twelve answers in the North team, six in the South team."""
    survey = make_survey()
    definition = version_definition(survey.current_version)
    plan = [
        (org.north_team, o, r)
        for o, r in zip(
            [5, 5, 4, 4, 3, 2, 5, 4, 1, 5, 4, 3],
            [10, 9, 8, 6, 3, 9, 10, 7, 0, 9, 9, 5],
            strict=True,
        )
    ]
    plan += [
        (org.south_team, o, r)
        for o, r in zip([1, 2, 2, 3, 1, 5], [0, 1, 5, 6, 2, 10], strict=True)
    ]
    for i, (unit, overall, recommend) in enumerate(plan):
        answers, errors = parse_answers(
            definition, _answers(overall, recommend), language="en"
        )
        assert errors == {}
        response, _ = submit_response(
            survey=survey, answers=answers, idempotency_key=f"k{i}"
        )
        SurveyResponse.objects.filter(pk=response.pk).update(
            unit=unit, unit_path=unit.path
        )
    # the snapshot was rewritten behind the services' back: rebuild, as an operator would
    rebuild_rollups()
    return survey, plan


def test_cards_show_the_library_numbers(client, alice, answered):
    survey, plan = answered
    client.force_login(alice)
    r = client.get(f"/surveys/{survey.slug}/results/")
    assert r.status_code == 200
    cards = {card["kind"]: card["result"] for card in r.context["cards"]}
    assert cards["csat"] == csat([o for _u, o, _r in plan])
    assert cards["nps"] == nps([rec for _u, _o, rec in plan])
    assert cards["csat"].n == 18
    page = r.content.decode()
    assert f"{cards['nps'].value:.1f}" in page


def test_treatment_not_applicable_is_outside_the_base(client, alice, answered):
    survey, _plan = answered
    client.force_login(alice)
    r = client.get(f"/surveys/{survey.slug}/results/")
    treatment = next(q for q in r.context["questions"] if q["code"] == "treatment")
    assert treatment["n"] == 0
    assert treatment["n_na"] == 18


def test_bob_sees_only_the_north_branch(client, bob, answered):
    survey, plan = answered
    client.force_login(bob)
    r = client.get(f"/surveys/{survey.slug}/results/")
    cards = {card["kind"]: card["result"] for card in r.context["cards"]}
    north = [o for u, o, _r in plan if u.code == "north-cards"]
    assert cards["csat"] == csat(north)
    assert "overall 1" in r.content.decode()  # a North comment
    names = [row["unit"].name for row in r.context["breakdown"]]
    assert "South Coast" not in names


def test_small_groups_are_suppressed(client, alice, answered, org):
    survey, _plan = answered
    client.force_login(alice)
    r = client.get(f"/surveys/{survey.slug}/results/?unit={org.south.pk}")
    # South has 6 answers (>= 5) in total, the team below it is shown with its n
    assert r.context["n_responses"] == 6
    r = client.get(f"/surveys/{survey.slug}/results/?unit={org.company.pk}")
    rows = {row["unit"].name: row for row in r.context["breakdown"]}
    assert rows["North"]["n"] == 12
    assert not rows["North"]["suppressed"]


def test_impossible_dates_are_a_form_error(client, alice, answered):
    survey, _plan = answered
    client.force_login(alice)
    r = client.get(f"/surveys/{survey.slug}/results/?start=2026-05-01&end=2026-01-01")
    assert r.status_code == 200
    assert "on or before" in r.content.decode()


def test_no_matching_answers_is_an_empty_state(client, alice, answered):
    survey, _plan = answered
    client.force_login(alice)
    r = client.get(f"/surveys/{survey.slug}/results/?start=2001-01-01&end=2001-01-31")
    assert r.status_code == 200
    assert "No completed responses match" in r.content.decode()


def test_strangers_get_404(client, mallory, answered, bob, org):
    survey, _plan = answered
    client.force_login(mallory)
    assert client.get(f"/surveys/{survey.slug}/results/").status_code == 404
    client.force_login(bob)
    # a unit outside bob's scope is as unknown as one that does not exist
    assert (
        client.get(f"/surveys/{survey.slug}/results/?unit={org.south.pk}").status_code
        == 404
    )
    assert client.get(f"/surveys/{survey.slug}/results/?unit=99999").status_code == 404

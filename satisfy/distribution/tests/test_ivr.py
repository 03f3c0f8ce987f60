"""Post-call IVR: VoiceXML and TwiML documents, DTMF answers, key layouts."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from satisfy.distribution.models import IvrConfig, IvrSession
from satisfy.distribution.tests.conftest import IVR_KEY
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.models import Survey

VXML = "{http://www.w3.org/2001/vxml}"
SRGS = "{http://www.w3.org/2001/06/grammar}"


@pytest.fixture
def survey(make_survey: Callable[..., Survey]) -> Survey:
    return make_survey(slug="after-call")


def _xml(response: Any) -> ElementTree.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output


def _path(url: str) -> str:
    return url.replace("http://testserver", "")


def _find(element: ElementTree.Element, path: str) -> ElementTree.Element:
    found = element.find(path)
    assert found is not None, path
    return found


def _submit_url(root: ElementTree.Element) -> str:
    return _path(_find(root, f"{VXML}form/{VXML}block/{VXML}submit").get("next") or "")


def _action(twiml: ElementTree.Element) -> str:
    return _path(_find(twiml, "Gather").get("action") or "")


def _say(element: ElementTree.Element) -> str:
    return _find(element, "Say").text or ""


def test_voicexml_document_is_valid_xml_with_one_dtmf_field_per_question(
    client: Client, survey: Survey
) -> None:
    root = _xml(
        client.get(
            f"/api/v1/distribution/ivr/after-call/voicexml?key={IVR_KEY}&call_id=c1&lang=es"
        )
    )

    assert root.tag == f"{VXML}vxml"
    assert root.get("version") == "2.1"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es-ES"
    fields = root.findall(f"{VXML}form/{VXML}field")
    names = [f.get("name") for f in fields]
    # csat, access, resolution, treatment, repurchase fit a keypad; NPS (11) and CES (7)?
    assert names[0] == "opt_in"
    assert "q_csat_overall" in names
    assert "q_nps" not in names  # eleven options do not fit nine keys
    csat = fields[names.index("q_csat_overall")]
    items = [
        i.text
        for i in csat.findall(f"{SRGS}grammar/{SRGS}rule/{SRGS}one-of/{SRGS}item")
    ]
    assert items == ["1", "2", "3", "4", "5"]
    assert _find(csat, f"{SRGS}grammar").get("mode") == "dtmf"
    prompt = _find(csat, f"{VXML}prompt").text or ""
    assert "Para Muy insatisfecho, pulse 1." in prompt
    submit = _find(root, f"{VXML}form/{VXML}block/{VXML}submit")
    assert "q_csat_overall" in (submit.get("namelist") or "")
    assert IvrSession.objects.get(call_id="c1").state == IvrSession.State.OFFERED


def test_voicexml_submission_stores_the_answers_through_the_layout(
    client: Client, survey: Survey
) -> None:
    # given: the survey's layout is ascending (key 1 = lowest value)
    root = _xml(
        client.get(
            f"/api/v1/distribution/ivr/after-call/voicexml?key={IVR_KEY}&call_id=c2"
        )
    )
    submit_url = _submit_url(root)
    fields = [f.get("name") for f in root.findall(f"{VXML}form/{VXML}field")][1:]

    # when: the caller pressed 5 for every question
    done = _xml(
        client.post(
            _path(submit_url),
            {"call_id": "c2", "opt_in": "1", **dict.fromkeys(fields, "5")},
        )
    )

    # then
    assert done.find(f"{VXML}form/{VXML}block/{VXML}exit") is not None
    session = IvrSession.objects.get(call_id="c2")
    assert session.state == IvrSession.State.COMPLETED
    response = SurveyResponse.objects.get(key=f"inv:{session.invitation_id}")
    assert response.status == SurveyResponse.Status.COMPLETE
    assert response.channel == SurveyResponse.Channel.IVR
    assert (
        Answer.objects.get(response=response, question_code="csat_overall").value == 5.0
    )


def test_descending_layout_maps_key_1_to_the_top_answer(
    client: Client, survey: Survey
) -> None:
    IvrConfig.objects.create(survey=survey, counterbalance=False)
    root = _xml(
        client.get(
            f"/api/v1/distribution/ivr/after-call/voicexml?key={IVR_KEY}&call_id=c3"
        )
    )
    session = IvrSession.objects.get(call_id="c3")
    session.layout = "descending"
    session.save(update_fields=["layout"])
    submit_url = _submit_url(root)

    client.post(
        _path(submit_url), {"call_id": "c3", "opt_in": "1", "q_csat_overall": "1"}
    )

    response = SurveyResponse.objects.get(key=f"inv:{session.invitation_id}")
    assert (
        Answer.objects.get(response=response, question_code="csat_overall").value == 5.0
    )
    assert response.status == SurveyResponse.Status.PARTIAL  # hung up after one answer


def test_declining_the_offer_is_counted(client: Client, survey: Survey) -> None:
    root = _xml(
        client.get(
            f"/api/v1/distribution/ivr/after-call/voicexml?key={IVR_KEY}&call_id=c4"
        )
    )
    submit_url = _submit_url(root)
    client.post(submit_url, {"call_id": "c4", "opt_in": "2"})
    assert IvrSession.objects.get(call_id="c4").state == IvrSession.State.DECLINED
    assert SurveyResponse.objects.count() == 0


def test_twiml_flow_offer_questions_and_goodbye(client: Client, survey: Survey) -> None:
    # when: the call ends and the platform asks what to do
    offer = _xml(
        client.post(
            f"/api/v1/distribution/ivr/after-call/twiml?key={IVR_KEY}",
            {"CallSid": "CA1", "From": "+447700900001"},
        )
    )
    assert offer.tag == "Response"
    gather = _find(offer, "Gather")
    assert gather.get("numDigits") == "1"
    assert "Press 1 for yes" in _say(gather)

    # the caller accepts, then answers every question with key 4
    step = _xml(client.post(_action(offer), {"Digits": "1", "CallSid": "CA1"}))
    asked = 0
    while step.find("Gather") is not None:
        asked += 1
        step = _xml(client.post(_action(step), {"Digits": "4"}))
    assert step.find("Hangup") is not None
    assert asked >= 4
    session = IvrSession.objects.get(call_id="CA1")
    assert session.state == IvrSession.State.COMPLETED
    assert set(session.keys.values()) == {"4"}


def test_twiml_repeats_a_question_after_a_wrong_key(
    client: Client, survey: Survey
) -> None:
    offer = _xml(
        client.post(
            f"/api/v1/distribution/ivr/after-call/twiml?key={IVR_KEY}",
            {"CallSid": "CA2"},
        )
    )
    first = _xml(client.post(_action(offer), {"Digits": "1"}))
    again = _xml(client.post(_action(first), {"Digits": "9"}))
    assert "not one of the options" in _say(again)
    assert _action(again) == _action(first)


def test_ivr_urls_need_the_key(client: Client, survey: Survey) -> None:
    assert (
        client.get("/api/v1/distribution/ivr/after-call/voicexml?call_id=x").status_code
        == 401
    )
    assert (
        client.get(
            "/api/v1/distribution/ivr/after-call/voicexml?key=wrong&call_id=x"
        ).status_code
        == 401
    )
    assert (
        client.get(
            f"/api/v1/distribution/ivr/nope/voicexml?key={IVR_KEY}&call_id=x"
        ).status_code
        == 404
    )


def test_counterbalancing_records_layouts_and_estimates_their_effect(
    client: Client, survey: Survey, alice: Any
) -> None:
    # given: counterbalancing on; callers press 1 by habit half the time
    client.force_login(alice)
    assert (
        client.put(
            "/api/v1/distribution/surveys/after-call/ivr",
            {"counterbalance": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    client.logout()
    rng = random.Random(4)
    for call in range(60):
        root = _xml(
            client.get(
                f"/api/v1/distribution/ivr/after-call/voicexml?key={IVR_KEY}&call_id=k{call}"
            )
        )
        submit_url = _submit_url(root)
        key = "1" if rng.random() < 0.5 else rng.choice("2345")
        client.post(
            _path(submit_url),
            {"call_id": f"k{call}", "opt_in": "1", "q_csat_overall": key},
        )
    layouts = set(IvrSession.objects.values_list("layout", flat=True))
    assert layouts == {"ascending", "descending"}
    assert IvrSession.objects.filter(is_randomised=True).count() == 60

    # when
    client.force_login(alice)
    report = client.get(
        "/api/v1/distribution/surveys/after-call/ivr?question=csat_overall"
    ).json()

    # then: key 1 means "very dissatisfied" ascending and "very satisfied" descending
    assert report["offered"] == 60
    assert report["opted_in"] == 60
    effect = report["layout_effect"]
    assert effect["n_ascending"] + effect["n_descending"] == 60
    assert effect["difference"] < 0
    assert effect["ci_low"] < effect["difference"] < effect["ci_high"]

"""Post-call IVR surveys: sessions, counterbalanced key layouts, DTMF answers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.customers.normalise import InvalidValueError, normalise_phone
from satisfy.distribution.channels.ivr import ivr_questions
from satisfy.distribution.models import Invitation, IvrConfig, IvrSession
from satisfy.distribution.services.invitations import create_invitation
from satisfy.interactions.models import Interaction
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import complete_response, save_page, start_response
from satisfy.surveys.answers import AnswerValue
from satisfy.surveys.definition import (
    IvrKeyLayout,
    Question,
    SurveyDefinition,
    ivr_keys,
)
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition


class IvrError(ValueError):
    """The call cannot be surveyed (survey closed, unknown call)."""


def session_definition(session: IvrSession) -> SurveyDefinition:
    wave = session.invitation.wave
    version = wave.version if wave is not None else session.survey.current_version
    if version is None:
        raise IvrError("the survey is not published")
    return version_definition(version)


def choose_layout(
    survey: Survey, definition: SurveyDefinition
) -> tuple[IvrKeyLayout, bool]:
    """The survey's layout, or a random one per call when counterbalancing is on."""
    config = IvrConfig.objects.filter(survey=survey).first()
    if config is not None and config.counterbalance:
        layout: IvrKeyLayout = (
            "ascending" if secrets.randbelow(2) == 0 else "descending"
        )
        return layout, True
    return definition.ivr_key_layout, False


def start_call(
    *,
    survey: Survey,
    call_id: str,
    language: str = "en",
    caller: str = "",
    interaction_id: str = "",
    now: datetime | None = None,
) -> IvrSession:
    """The survey is offered on this call (once per call id)."""
    at = now or timezone.now()
    existing = (
        IvrSession.objects.filter(call_id=call_id).select_related("invitation").first()
    )
    if existing is not None:
        return existing
    if not survey.is_open or survey.current_version is None:
        raise IvrError("this survey is not taking answers")
    definition = version_definition(survey.current_version)
    layout, randomised = choose_layout(survey, definition)
    customer = None
    if caller:
        try:
            customer = Customer.objects.filter(phone=normalise_phone(caller)).first()
        except InvalidValueError:
            customer = None
    interaction = (
        Interaction.objects.filter(external_id=interaction_id).first()
        if interaction_id
        else None
    )
    try:
        with transaction.atomic():
            invitation = create_invitation(
                survey=survey,
                channel=Invitation.Channel.IVR,
                language=language,
                customer=customer,
                interaction=interaction,
                address=caller[:254],
                status=Invitation.Status.SENT,
                now=at,
            )
            return IvrSession.objects.create(
                call_id=call_id,
                survey=survey,
                invitation=invitation,
                layout=layout,
                is_randomised=randomised,
                language=language,
                offered_at=at,
            )
    except IntegrityError:
        return IvrSession.objects.get(call_id=call_id)


def _answer(question: Question, layout: str, digit: str) -> AnswerValue | None:
    key_layout: IvrKeyLayout = "descending" if layout == "descending" else "ascending"
    choice = ivr_keys(question, key_layout).get(digit)
    if choice is None:
        return None
    return AnswerValue(
        question_code=question.code,
        choice_code=choice.code,
        value=choice.value,
        is_na=choice.is_na,
    )


def _response(session: IvrSession, at: datetime) -> SurveyResponse:
    return start_response(
        survey=session.survey,
        key=session.invitation.response_key,
        invitation=session.invitation,
        language=session.language,
        channel=SurveyResponse.Channel.IVR,
        now=at,
    )


@transaction.atomic
def opt_in(
    *, session: IvrSession, accepted: bool, now: datetime | None = None
) -> IvrSession:
    """The caller pressed 1 (yes) or anything else (no) at the offer."""
    at = now or timezone.now()
    session = IvrSession.objects.select_for_update().get(pk=session.pk)
    if session.state != IvrSession.State.OFFERED:
        return session
    if not accepted:
        session.state = IvrSession.State.DECLINED
        session.save(update_fields=["state"])
        return session
    session.state = IvrSession.State.STARTED
    session.opted_in_at = at
    session.started_at = at
    session.save(update_fields=["state", "opted_in_at", "started_at"])
    _response(session, at)
    return session


@dataclass(frozen=True, slots=True)
class StepResult:
    """After a key press: the next question index, or None when the survey is done."""

    session: IvrSession
    next_index: int | None
    accepted: bool


@transaction.atomic
def press_key(
    *, session: IvrSession, index: int, digit: str, now: datetime | None = None
) -> StepResult:
    """Record the key pressed for question ``index`` (TwiML flow, one request per key)."""
    at = now or timezone.now()
    session = (
        IvrSession.objects.select_for_update()
        .select_related("invitation", "survey")
        .get(pk=session.pk)
    )
    questions = ivr_questions(session_definition(session))
    if session.state != IvrSession.State.STARTED or not 0 <= index < len(questions):
        return StepResult(session, None, False)
    question = questions[index]
    answer = _answer(question, session.layout, digit)
    if answer is None:
        return StepResult(session, index, False)
    response = _response(session, at)
    save_page(
        response=response,
        question_codes=[question.code],
        answers={question.code: (answer,)},
        pages_done=0,
        now=at,
    )
    session.keys = {**session.keys, question.code: digit}
    fields = ["keys"]
    next_index: int | None = index + 1
    if index + 1 >= len(questions):
        complete_response(response=response, now=at)
        session.state = IvrSession.State.COMPLETED
        session.completed_at = at
        fields += ["state", "completed_at"]
        next_index = None
    session.save(update_fields=fields)
    return StepResult(session, next_index, True)


@transaction.atomic
def submit_keys(
    *,
    session: IvrSession,
    opt_in_key: str,
    keys: Mapping[str, str],
    now: datetime | None = None,
) -> IvrSession:
    """Record a whole VoiceXML submission (all keys at once, or what a hang-up left)."""
    at = now or timezone.now()
    session = opt_in(session=session, accepted=opt_in_key == "1", now=at)
    if session.state != IvrSession.State.STARTED:
        return session
    questions = ivr_questions(session_definition(session))
    answers: dict[str, tuple[AnswerValue, ...]] = {}
    pressed: dict[str, str] = {}
    for question in questions:
        digit = (keys.get(question.code) or "").strip()
        answer = _answer(question, session.layout, digit) if digit else None
        if answer is not None:
            answers[question.code] = (answer,)
            pressed[question.code] = digit
    response = _response(session, at)
    if answers:
        save_page(
            response=response,
            question_codes=list(answers),
            answers=answers,
            pages_done=0,
            now=at,
        )
    session.keys = pressed
    fields = ["keys"]
    if len(answers) == len(questions):
        complete_response(response=response, now=at)
        session.state = IvrSession.State.COMPLETED
        session.completed_at = at
        fields += ["state", "completed_at"]
    session.save(update_fields=fields)
    return session

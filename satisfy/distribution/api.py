"""Waves, samples, response rates, the post-contact trigger, QR codes and webhooks.

Staff routes use the API's normal authentication. Provider webhooks (SMS, IVR)
have no user: SMS webhooks carry an HMAC signature, IVR URLs a shared key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.distribution import queries, services
from satisfy.distribution.channels import ivr as ivr_docs
from satisfy.distribution.channels.web import invitation_qr, public_link, qr_code
from satisfy.distribution.config import setting_str
from satisfy.distribution.models import IvrSession, PostContactRule, Sample, Wave
from satisfy.distribution.services import ivr as ivr_service
from satisfy.interactions.models import Interaction
from satisfy.surveys.definition import IvrKeyLayout, translate
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import can_manage_survey, get_survey_for_user

logger = logging.getLogger(__name__)
router = Router(tags=["distribution"])
SIGNATURE_WINDOW_SECONDS = 300


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(
        [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    )


# --- waves -----------------------------------------------------------------


class WaveIn(Schema):
    survey: str = Field(description="survey slug")
    name: str = Field(min_length=1, max_length=200)
    channels: list[str] = Field(min_length=1)
    starts_at: datetime
    closes_at: datetime
    reminder_days: list[int] = Field(default_factory=list)
    sms_mode: str = "link"
    unit: int | None = None


class SampleOut(Schema):
    id: int
    frame: str
    method: str
    allocation: str
    strata: list[str]
    seed: int
    population_n: int
    eligible_n: int
    n: int
    exclusions: dict[str, int]
    representativeness: list[dict[str, Any]]
    created_at: datetime


class WaveOut(Schema):
    id: int
    survey: str
    number: int
    name: str
    version: int
    unit: int
    channels: list[str]
    status: str
    starts_at: datetime
    closes_at: datetime
    reminder_days: list[int]

    @staticmethod
    def resolve_survey(obj: Wave) -> str:
        return obj.survey.slug

    @staticmethod
    def resolve_version(obj: Wave) -> int:
        return obj.version.number

    @staticmethod
    def resolve_unit(obj: Wave) -> int:
        return obj.unit_id


class SampleIn(Schema):
    method: str = Field(description="all, simple, systematic or stratified")
    n: int | None = Field(default=None, ge=1)
    frame: str = "customers"
    strata: list[str] = Field(default_factory=list)
    allocation: str = "proportional"
    minimum: int = Field(default=0, ge=0)
    seed: int | None = None
    filters: dict[str, Any] = Field(default_factory=dict)


class LaunchOut(Schema):
    created: int
    already_invited: int


class RateOut(Schema):
    key: str
    invited: int
    queued: int
    sent: int
    delivered: int
    bounced: int
    opened: int
    started: int
    completed: int
    expired: int
    opted_out: int
    failed: int
    response_rate: float | None
    completion_rate: float | None


def _managed_wave(request: HttpRequest, wave_id: int) -> Wave:
    wave = queries.get_wave_for_user(_user(request), wave_id)
    if not queries.can_manage_wave(_user(request), wave):
        raise PermissionDenied("Only administrators of the wave's unit may do this.")
    return wave


@router.get("/waves", response=list[WaveOut])
def list_waves(request: HttpRequest, survey: str | None = None) -> Any:
    waves = queries.waves_for_user(_user(request)).order_by("survey__slug", "number")
    if survey:
        waves = waves.filter(survey__slug=survey)
    return waves


@router.post("/waves", response={201: WaveOut})
def create_wave(request: HttpRequest, payload: WaveIn) -> Status[Wave]:
    user = _user(request)
    survey = get_survey_for_user(user, payload.survey)
    if not can_manage_survey(user, survey):
        raise PermissionDenied(
            "Only administrators of the survey's unit may plan waves."
        )
    unit = None
    if payload.unit is not None:
        from satisfy.org.queries import get_unit_for_user

        unit = get_unit_for_user(user, payload.unit)
        if not scope_for_user(user).can_manage_unit_path(unit.path):
            raise PermissionDenied("You do not administer that unit.")
    try:
        wave = services.create_wave(
            survey=survey,
            name=payload.name,
            channels=payload.channels,
            starts_at=payload.starts_at,
            closes_at=payload.closes_at,
            reminder_days=payload.reminder_days,
            unit=unit,
            sms_mode=payload.sms_mode,
            created_by=user,
        )
    except services.WaveError as exc:
        raise _invalid("channels", str(exc)) from None
    return Status(201, wave)


@router.get("/waves/{int:wave_id}", response=WaveOut)
def get_wave(request: HttpRequest, wave_id: int) -> Wave:
    return queries.get_wave_for_user(_user(request), wave_id)


@router.get("/waves/{int:wave_id}/samples", response=list[SampleOut])
def list_samples(request: HttpRequest, wave_id: int) -> Any:
    wave = queries.get_wave_for_user(_user(request), wave_id)
    return wave.samples.order_by("created_at")


@router.post("/waves/{int:wave_id}/samples", response={201: SampleOut})
def draw_sample(
    request: HttpRequest, wave_id: int, payload: SampleIn
) -> Status[Sample]:
    wave = _managed_wave(request, wave_id)
    try:
        sample = services.draw_sample(
            wave=wave,
            method=payload.method,
            n=payload.n,
            frame=payload.frame,
            strata=payload.strata,
            allocation=payload.allocation,
            minimum=payload.minimum,
            seed=payload.seed,
            filters=payload.filters,
            created_by=_user(request),
        )
    except services.SampleError as exc:
        raise _invalid("method", str(exc)) from None
    return Status(201, sample)


@router.post("/waves/{int:wave_id}/launch", response=LaunchOut)
def launch_wave(request: HttpRequest, wave_id: int) -> Any:
    wave = _managed_wave(request, wave_id)
    try:
        return services.launch_wave(wave=wave)
    except services.WaveError as exc:
        raise HttpError(409, str(exc)) from None


@router.post("/waves/{int:wave_id}/close", response=WaveOut)
def close_wave(request: HttpRequest, wave_id: int) -> Wave:
    return services.close_wave(wave=_managed_wave(request, wave_id))


def _rates(rows: list[queries.FunnelRow]) -> list[dict[str, Any]]:
    return [{name: getattr(row, name) for name in RateOut.model_fields} for row in rows]


@router.get("/waves/{int:wave_id}/rates", response=list[RateOut])
def wave_rates(request: HttpRequest, wave_id: int, by: str | None = None) -> Any:
    """Funnel and response rate of a wave, overall or by channel, unit, stratum, agent."""
    user = _user(request)
    wave = queries.get_wave_for_user(user, wave_id)
    try:
        rows = queries.funnel(queries.wave_invitations_for_user(user, wave), by=by)
    except ValueError as exc:
        raise ValidationError(
            [{"loc": ["query", "by"], "msg": str(exc), "type": "value_error"}]
        ) from None
    return _rates(rows)


@router.get("/surveys/{slug}/rates", response=list[RateOut])
def survey_rates(request: HttpRequest, slug: str, by: str = "wave") -> Any:
    """Response rates of every wave (repeated evaluation) of a survey, or another breakdown."""
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    try:
        rows = queries.funnel(
            queries.invitations_for_user(user).filter(survey=survey), by=by
        )
    except ValueError as exc:
        raise ValidationError(
            [{"loc": ["query", "by"], "msg": str(exc), "type": "value_error"}]
        ) from None
    return _rates(rows)


# --- IVR reports ---------------------------------------------------------------


class IvrReportOut(Schema):
    offered: int
    opted_in: int
    started: int
    completed: int
    declined: int
    layout_effect: dict[str, Any] | None


@router.get("/surveys/{slug}/ivr", response=IvrReportOut)
def ivr_report(request: HttpRequest, slug: str, question: str | None = None) -> Any:
    """IVR funnel and, with ``question``, the key-layout effect on that question."""
    survey = get_survey_for_user(_user(request), slug)
    funnel = queries.ivr_funnel(survey)
    effect: dict[str, Any] | None = None
    if question:
        try:
            result = queries.ivr_layout_effect(survey, question)
        except ValueError as exc:
            effect = {"error": str(exc)}
        else:
            effect = {
                "question": question,
                "mean_ascending": result.mean_a,
                "mean_descending": result.mean_b,
                "difference": result.difference,
                "ci_low": result.ci_low,
                "ci_high": result.ci_high,
                "p_value": result.p_value,
                "n_ascending": result.n_a,
                "n_descending": result.n_b,
            }
    return {
        "offered": funnel.offered,
        "opted_in": funnel.opted_in,
        "started": funnel.started,
        "completed": funnel.completed,
        "declined": funnel.declined,
        "layout_effect": effect,
    }


class IvrConfigIn(Schema):
    counterbalance: bool


@router.put("/surveys/{slug}/ivr", response=IvrConfigIn)
def set_ivr_config(request: HttpRequest, slug: str, payload: IvrConfigIn) -> Any:
    """Turn counterbalanced key layouts on or off for a survey's IVR calls."""
    from satisfy.distribution.models import IvrConfig

    survey = get_survey_for_user(_user(request), slug)
    if not can_manage_survey(_user(request), survey):
        raise PermissionDenied("Only administrators of the survey's unit may do this.")
    config, _created = IvrConfig.objects.update_or_create(
        survey=survey, defaults={"counterbalance": payload.counterbalance}
    )
    return config


# --- QR codes -------------------------------------------------------------------


def _qr_response(data: bytes, kind: str) -> HttpResponse:
    content_type = "image/svg+xml" if kind == "svg" else "image/png"
    return HttpResponse(data, content_type=content_type)


@router.get("/invitations/{int:invitation_id}/qr.{kind}")
def invitation_qr_code(
    request: HttpRequest, invitation_id: int, kind: str
) -> HttpResponse:
    """QR code of one personal invitation (to print on a receipt)."""
    if kind not in {"svg", "png"}:
        raise Http404("No such image.")
    invitation = (
        queries.invitations_for_user(_user(request)).filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return _qr_response(invitation_qr(invitation.token, kind=kind), kind)


@router.get("/surveys/{slug}/qr.{kind}")
def survey_qr_code(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """QR code of a survey's public link (kiosk posters)."""
    if kind not in {"svg", "png"}:
        raise Http404("No such image.")
    survey = get_survey_for_user(_user(request), slug)
    version = survey.current_version
    if version is None or not version.allows_public_link:
        raise HttpError(409, "This survey has no public link.")
    return _qr_response(qr_code(public_link(survey.slug), kind=kind), kind)


# --- post-contact trigger -------------------------------------------------------


class RuleIn(Schema):
    survey: str
    name: str = Field(min_length=1, max_length=200)
    channel: str = "sms"
    sms_mode: str = "link"
    delay_seconds: int = Field(default=300, ge=0)
    sample_rate: float = Field(default=1.0, ge=0, le=1)
    outcomes: list[str] = Field(default_factory=lambda: ["answered"])
    queues: list[str] = Field(default_factory=list)
    interaction_channels: list[str] = Field(default_factory=list)
    min_days_between: int = Field(default=30, ge=0)


class RuleOut(RuleIn):
    id: int
    is_active: bool

    @staticmethod
    def resolve_survey(obj: PostContactRule) -> str:
        return obj.survey.slug


@router.post("/rules", response={201: RuleOut})
def create_rule(request: HttpRequest, payload: RuleIn) -> Status[PostContactRule]:
    """A post-contact rule: which ended interactions get a survey, how and when."""
    user = _user(request)
    survey = get_survey_for_user(user, payload.survey)
    if not can_manage_survey(user, survey):
        raise PermissionDenied(
            "Only administrators of the survey's unit may add rules."
        )
    if payload.channel not in {"email", "sms", "web"}:
        raise _invalid("channel", "post-contact invitations go by email, sms or web")
    bad = [o for o in payload.outcomes if o not in Interaction.Outcome.values]
    if bad:
        raise _invalid(
            "outcomes", f"unknown outcomes {bad}; use {Interaction.Outcome.values}"
        )
    rule = PostContactRule.objects.create(
        survey=survey, **payload.dict(exclude={"survey"}), seed=f"rule-{time.time_ns()}"
    )
    return Status(201, rule)


class InteractionEndIn(Schema):
    external_id: str = Field(min_length=1, max_length=100)
    ended_at: datetime
    arrived_at: datetime | None = None
    channel: str = "voice"
    queue: str = ""
    outcome: str = "answered"
    customer_external_id: str = ""
    customer_phone: str = ""
    customer_email: str = ""
    agent_code: str = ""
    unit_code: str = ""


class DecisionOut(Schema):
    rule: int
    selected: bool
    reason: str
    invitation: int | None
    send_at: datetime | None


class InteractionEndOut(Schema):
    interaction: int
    decisions: list[DecisionOut]


@router.post("/interactions/ended", response=InteractionEndOut)
def interaction_ended(
    request: HttpRequest, payload: InteractionEndIn
) -> dict[str, Any]:
    """Register the end of an interaction; matching rules decide whether to survey it."""
    if not scope_for_user(_user(request)).can_manage_any:
        raise PermissionDenied("Only administrators may register interactions.")
    if payload.outcome not in Interaction.Outcome.values:
        raise _invalid("outcome", f"use one of {Interaction.Outcome.values}")
    if payload.channel not in Interaction.Channel.values:
        raise _invalid("channel", f"use one of {Interaction.Channel.values}")
    interaction, decisions = services.register_interaction_end(
        end=services.InteractionEnd(**payload.dict())
    )
    out = []
    for decision in decisions:
        message = decision.invitation.messages.first() if decision.invitation else None
        out.append(
            {
                "rule": decision.rule.pk,
                "selected": decision.is_selected,
                "reason": decision.reason,
                "invitation": decision.invitation.pk if decision.invitation else None,
                "send_at": message.due_at if message else None,
            }
        )
    return {"interaction": interaction.pk, "decisions": out}


# --- provider webhooks -----------------------------------------------------------


def verify_signature(request: HttpRequest, secret_name: str) -> None:
    """Check ``X-Satisfy-Signature: sha256=<hex HMAC of "<timestamp>.<body>">``."""
    secret = setting_str(secret_name)
    if not secret:
        logger.error("%s is not set: refusing webhook calls", secret_name)
        raise HttpError(503, "Webhooks are not configured.")
    timestamp = request.headers.get("X-Satisfy-Timestamp", "")
    signature = request.headers.get("X-Satisfy-Signature", "")
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        raise HttpError(401, "Missing or bad webhook signature.") from None
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    )
    if age > SIGNATURE_WINDOW_SECONDS or not hmac.compare_digest(
        f"sha256={expected.hexdigest()}", signature
    ):
        raise HttpError(401, "Missing or bad webhook signature.")


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Headers a sender puts on a webhook call (used by tests and the docs)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        secret.encode(), ts.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return {"X-Satisfy-Timestamp": ts, "X-Satisfy-Signature": f"sha256={digest}"}


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise HttpError(400, "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise HttpError(400, "The body must be a JSON object.")
    return data


class InboundOut(Schema):
    id: str
    outcome: str
    duplicate: bool


@router.post("/webhooks/sms/inbound", auth=None, response=InboundOut)
def sms_inbound(request: HttpRequest) -> dict[str, Any]:
    """An SMS reply: ``{"id", "from", "text", "received_at"?}``, HMAC-signed."""
    verify_signature(request, "SATISFY_SMS_WEBHOOK_SECRET")
    data = _json_body(request)
    message_id, sender, text = (
        str(data.get("id") or ""),
        str(data.get("from") or ""),
        data.get("text"),
    )
    if not message_id or not sender or not isinstance(text, str):
        raise ValidationError(
            [
                {
                    "loc": ["body"],
                    "msg": "id, from and text are required",
                    "type": "value_error",
                }
            ]
        )
    record, created = services.receive_sms(
        provider_message_id=message_id[:200], sender=sender, body=text
    )
    return {
        "id": record.provider_message_id,
        "outcome": record.outcome,
        "duplicate": not created,
    }


class ReceiptOut(Schema):
    event_id: str
    duplicate: bool


@router.post("/webhooks/sms/status", auth=None, response=ReceiptOut)
def sms_status(request: HttpRequest) -> dict[str, Any]:
    """A delivery receipt: ``{"event_id", "message_id", "status"}`` (delivered, bounced…)."""
    verify_signature(request, "SATISFY_SMS_WEBHOOK_SECRET")
    data = _json_body(request)
    event_id, message_id, status = (
        str(data.get(k) or "") for k in ("event_id", "message_id", "status")
    )
    if not event_id or not message_id:
        raise ValidationError(
            [
                {
                    "loc": ["body"],
                    "msg": "event_id and message_id are required",
                    "type": "value_error",
                }
            ]
        )
    try:
        created = services.record_receipt(
            event_id=event_id[:200], provider_message_id=message_id[:200], status=status
        )
    except ValueError as exc:
        raise ValidationError(
            [{"loc": ["body", "status"], "msg": str(exc), "type": "value_error"}]
        ) from None
    return {"event_id": event_id, "duplicate": not created}


# --- IVR (VoiceXML and TwiML) ---------------------------------------------------------


def _check_ivr_key(request: HttpRequest) -> None:
    secret = setting_str("SATISFY_IVR_WEBHOOK_SECRET")
    if not secret:
        raise HttpError(503, "IVR is not configured.")
    if not hmac.compare_digest(request.GET.get("key", ""), secret):
        raise HttpError(401, "Missing or bad IVR key.")


def _param(request: HttpRequest, *names: str) -> str:
    for name in names:
        value = request.POST.get(name) or request.GET.get(name)
        if value:
            return value.strip()
    return ""


def _xml(document: bytes) -> HttpResponse:
    return HttpResponse(document, content_type="application/xml; charset=utf-8")


def _open_survey(slug: str) -> Survey:
    survey = (
        Survey.objects.filter(slug=slug)
        .select_related("current_version", "unit")
        .first()
    )
    if survey is None:
        raise Http404("No such survey.")
    return survey


def _session(call_id: str) -> IvrSession:
    session = (
        IvrSession.objects.filter(call_id=call_id)
        .select_related(
            "invitation", "invitation__wave", "survey", "survey__current_version"
        )
        .first()
    )
    if session is None:
        raise Http404("No such call.")
    return session


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    key = setting_str("SATISFY_IVR_WEBHOOK_SECRET")
    return (
        request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs=kwargs))
        + f"?key={key}"
    )


def _start(request: HttpRequest, slug: str) -> IvrSession:
    _check_ivr_key(request)
    survey = _open_survey(slug)
    call_id = _param(
        request, "CallSid", "call_id", "session.connection.ccxml.sessionid"
    )
    if not ivr_docs.CALL_ID_PATTERN.match(call_id or ""):
        raise ValidationError(
            [
                {
                    "loc": ["query", "call_id"],
                    "msg": "a call id is required",
                    "type": "value_error",
                }
            ]
        )
    try:
        return ivr_service.start_call(
            survey=survey,
            call_id=call_id,
            language=_param(request, "lang", "language") or "en",
            caller=_param(request, "From", "caller"),
            interaction_id=_param(request, "interaction"),
        )
    except ivr_service.IvrError as exc:
        raise HttpError(409, str(exc)) from None


@router.api_operation(
    ["GET", "POST"], "/ivr/{slug}/voicexml", auth=None, url_name="ivr_voicexml"
)
def ivr_voicexml(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole post-call survey as one VoiceXML 2.1 document."""
    session = _start(request, slug)
    definition = ivr_service.session_definition(session)
    return _xml(
        ivr_docs.voicexml_survey(
            definition=definition,
            layout="descending" if session.layout == "descending" else "ascending",
            language=session.language,
            call_id=session.call_id,
            submit_url=_url(request, "ivr_voicexml_submit", call_id=session.call_id),
        )
    )


@router.post(
    "/ivr/voicexml/{call_id}/submit", auth=None, url_name="ivr_voicexml_submit"
)
def ivr_voicexml_submit(request: HttpRequest, call_id: str) -> HttpResponse:
    """The VoiceXML ``<submit>`` target: opt_in and q_<code> keys."""
    _check_ivr_key(request)
    session = _session(call_id)
    keys = {
        name[2:]: str(request.POST.get(name, ""))
        for name in request.POST
        if name.startswith("q_")
    }
    session = ivr_service.submit_keys(
        session=session, opt_in_key=_param(request, "opt_in"), keys=keys
    )
    definition = ivr_service.session_definition(session)
    if session.state == IvrSession.State.DECLINED:
        text = ivr_docs.prompt("goodbye", session.language)
    else:
        text = translate(definition.thank_you, session.language) or ivr_docs.prompt(
            "thanks", session.language
        )
    return _xml(ivr_docs.voicexml_goodbye(text, session.language))


@router.api_operation(
    ["GET", "POST"], "/ivr/{slug}/twiml", auth=None, url_name="ivr_twiml"
)
def ivr_twiml(request: HttpRequest, slug: str) -> HttpResponse:
    """TwiML: offer the survey at the end of a call (``CallSid``, ``From``)."""
    session = _start(request, slug)
    return _xml(
        ivr_docs.twiml_gather(
            text=ivr_docs.prompt("offer", session.language),
            language=session.language,
            action_url=_url(
                request, "ivr_twiml_step", call_id=session.call_id, step="offer"
            ),
        )
    )


@router.post("/ivr/twiml/{call_id}/{step}", auth=None, url_name="ivr_twiml_step")
def ivr_twiml_step(request: HttpRequest, call_id: str, step: str) -> HttpResponse:
    """One key press (``Digits``) for the offer or question number ``step``."""
    _check_ivr_key(request)
    session = _session(call_id)
    digits = _param(request, "Digits")
    language = session.language
    questions = ivr_docs.ivr_questions(ivr_service.session_definition(session))

    def ask(index: int, before: str = "") -> HttpResponse:
        layout: IvrKeyLayout = (
            "descending" if session.layout == "descending" else "ascending"
        )
        return _xml(
            ivr_docs.twiml_gather(
                text=ivr_docs.question_prompt(questions[index], layout, language),
                language=language,
                action_url=_url(
                    request, "ivr_twiml_step", call_id=call_id, step=str(index)
                ),
                before=before,
            )
        )

    if step == "offer":
        if session.state == IvrSession.State.OFFERED:
            session = ivr_service.opt_in(session=session, accepted=digits == "1")
        if session.state != IvrSession.State.STARTED or not questions:
            return _xml(
                ivr_docs.twiml_hangup(ivr_docs.prompt("goodbye", language), language)
            )
        return ask(0)
    if not step.isdigit():
        raise Http404("No such step.")
    index = int(step)
    if not digits:
        # Silence: the Redirect brought us back; end rather than loop forever.
        return _xml(
            ivr_docs.twiml_hangup(ivr_docs.prompt("goodbye", language), language)
        )
    result = ivr_service.press_key(session=session, index=index, digit=digits)
    if not result.accepted:
        if result.next_index is None:
            return _xml(
                ivr_docs.twiml_hangup(ivr_docs.prompt("goodbye", language), language)
            )
        return ask(index, before=ivr_docs.prompt("invalid", language))
    if result.next_index is None:
        definition = ivr_service.session_definition(session)
        text = translate(definition.thank_you, language) or ivr_docs.prompt(
            "thanks", language
        )
        return _xml(ivr_docs.twiml_hangup(text, language))
    return ask(result.next_index)

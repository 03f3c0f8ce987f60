"""Load the synthetic contact centre into the database, and remove it again.

The data are drawn by :mod:`satisfy.demo.synth`; this module turns them into rows
with ``bulk_create`` in one transaction, so a build is all or nothing. Org units,
personas and the survey go through the apps' services; the bulk rows (customers,
interactions, invitations, responses, answers) are written directly but keep the
invariants those services keep (see ``docs/demo.md``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from satisfy.accounts.models import RoleAssignment, User
from satisfy.customers.models import Customer
from satisfy.demo import synth
from satisfy.demo.agent_states import delete_agent_states, insert_agent_states
from satisfy.demo.bulk import Timeline, delete_rows, ids_by_key, insert_rows
from satisfy.demo.personas import (
    PERSONA_EMAIL_DOMAIN,
    PERSONAS,
    Login,
    PersonaExistsError,
    create_personas,
)
from satisfy.distribution.codes import new_short_code, new_token
from satisfy.distribution.models import Invitation
from satisfy.interactions.models import Interaction
from satisfy.interactions.next_contacts import rebuild_all as rebuild_next_contacts
from satisfy.interactions.rollups import rebuild_all as rebuild_interaction_rollups
from satisfy.org.models import Agent, OrgUnit
from satisfy.org.services import create_unit
from satisfy.reports.rollups import rebuild_rollups
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.definition import Question, SurveyDefinition
from satisfy.surveys.models import Survey, SurveyVersion
from satisfy.surveys.services import (
    create_survey_from_template,
    publish_survey,
    version_definition,
)

TEMPLATE_CODE = "post-contact"
SURVEY_SLUG = "acme-post-contact"
EXTERNAL_ID_PREFIX = "demo-"

Progress = Callable[[str], None]


class DemoError(Exception):
    """The demo cannot be built or removed; the message says why."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    counts: dict[str, int]
    logins: tuple[Login, ...]
    """Empty when the demo already existed (passwords are only known at build time)."""
    survey_slug: str
    sample_token: str
    sample_short_code: str
    seconds: float


def _quiet(_message: str) -> None:
    return None


class _Clock:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.start = time.perf_counter()

    def step(self, label: str, count: int | None = None) -> None:
        amount = f"{count:>8,}" if count is not None else " " * 8
        self.progress(
            f"  {label:<24}{amount}   {time.perf_counter() - self.start:5.1f} s"
        )

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def demo_exists() -> bool:
    """Whether the demo organisation is in the database."""
    return OrgUnit.objects.filter(code=synth.COMPANY[0]).exists()


def demo_counts() -> dict[str, int]:
    """Row counts of the demo, by kind."""
    company = OrgUnit.objects.filter(code=synth.COMPANY[0]).first()
    if company is None:
        return {}
    responses = SurveyResponse.objects.filter(survey__slug=SURVEY_SLUG)
    return {
        "org units": OrgUnit.objects.filter(path__startswith=company.path).count(),
        "agents": Agent.objects.filter(unit__path__startswith=company.path).count(),
        "customers": Customer.objects.filter(
            external_id__startswith=EXTERNAL_ID_PREFIX
        ).count(),
        "interactions": Interaction.objects.filter(
            external_id__startswith=EXTERNAL_ID_PREFIX
        ).count(),
        "invitations": Invitation.objects.filter(survey__slug=SURVEY_SLUG).count(),
        "complete responses": responses.filter(
            status=SurveyResponse.Status.COMPLETE
        ).count(),
        "partial responses": responses.filter(
            status=SurveyResponse.Status.PARTIAL
        ).count(),
        "answers": Answer.objects.filter(response__survey__slug=SURVEY_SLUG).count(),
    }


def sample_invitation(*, now: datetime | None = None) -> Invitation | None:
    """A recent invitation that is still waiting for an answer (for trying the survey)."""
    return (
        Invitation.objects.filter(
            survey__slug=SURVEY_SLUG,
            status__in=[Invitation.Status.SENT, Invitation.Status.DELIVERED],
            expires_at__gt=now or timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


# Building ----------------------------------------------------------------------------
def _org(data: synth.DemoData, clock: _Clock) -> tuple[dict[str, OrgUnit], list[Agent]]:
    units: dict[str, OrgUnit] = {}
    for plan in data.units:
        parent = units[plan.parent_code] if plan.parent_code else None
        units[plan.code] = create_unit(
            name=plan.name, code=plan.code, kind=plan.kind, parent=parent
        )
    clock.step("org units", len(units))
    agents = Agent.objects.bulk_create(
        (Agent(code=a.code, name=a.name, unit=units[a.team_code]) for a in data.agents),
    )
    clock.step("agents", len(agents))
    return units, agents


def _survey(
    *, company: OrgUnit, alice: User, first_day: datetime
) -> tuple[Survey, SurveyVersion]:
    survey = create_survey_from_template(
        template_code=TEMPLATE_CODE, slug=SURVEY_SLUG, unit=company, created_by=alice
    )
    version = publish_survey(survey=survey, published_by=alice)
    # The demo's history starts 13 weeks ago: the survey was published before it.
    published_at = first_day - timedelta(days=1)
    SurveyVersion.objects.filter(pk=version.pk).update(published_at=published_at)
    Survey.objects.filter(pk=survey.pk).update(
        created_at=published_at - timedelta(days=1)
    )
    survey.refresh_from_db()
    return survey, SurveyVersion.objects.get(pk=version.pk)


def _customers(
    data: synth.DemoData, timeline: Timeline, units: dict[str, OrgUnit], clock: _Clock
) -> list[int]:
    table = data.customers
    branch_ids = [units[branch[0]].pk for branch in synth.BRANCHES]
    opted_out_at = timeline.required(np.array([-30 * 86400.0]))[0]
    # Customers were imported into Satisfy before the first interaction.
    created_at = timeline.required(np.array([-60 * 86400.0]))[0]
    external_ids = [
        f"{EXTERNAL_ID_PREFIX}c{index + 1:06d}" for index in range(len(table))
    ]
    rows = [
        (
            external_ids[index],
            table.name[index],
            f"c{index + 1:06d}@example.com",
            f"+1555{index + 1:07d}",
            synth.LANGUAGES[table.language[index]],
            synth.SEGMENTS[table.segment[index]],
            {
                "region": synth.REGIONS[table.region[index]][1],
                "tier": synth.TIERS[table.tier[index]],
                "consumption_level": synth.CONSUMPTION_LEVELS[table.consumption[index]],
            },
            bool(table.has_consent[index]),
            opted_out_at if table.is_opted_out[index] else None,
            created_at,
            branch_ids[table.branch[index]],
        )
        for index in range(len(table))
    ]
    columns = (
        "external_id",
        "name",
        "email",
        "phone",
        "language",
        "segment",
        "attributes",
        "has_consent",
        "opted_out_at",
        "created_at",
        "unit",
    )
    insert_rows(Customer, columns, rows)
    ids = ids_by_key(Customer, "external_id", EXTERNAL_ID_PREFIX)
    clock.step("customers", len(rows))
    return [ids[external_id] for external_id in external_ids]


def _interactions(
    data: synth.DemoData,
    timeline: Timeline,
    units: dict[str, OrgUnit],
    agents: list[Agent],
    customer_ids: list[int],
    clock: _Clock,
) -> tuple[list[int], list[int]]:
    """Insert the interactions; return their ids and their units' ids.

    NULL means "not recorded" (the interactions app's convention): an abandoned
    call has no talk, hold, after-call work, transfers or resolution; only voice
    has an IVR; a call abandoned in the IVR never queued.
    """
    table = data.interactions
    answered_mask = table.is_answered
    voice = table.channel == 0
    in_ivr_only = table.outcome == 2
    queued = table.arrived + table.ivr
    arrived = timeline.required(table.arrived)
    ivr_exited = timeline.at(np.where(voice & ~in_ivr_only, queued, np.nan))
    queue_started = timeline.at(np.where(~in_ivr_only, queued, np.nan))
    answered = timeline.at(np.where(answered_mask, queued + table.wait, np.nan))
    ended = timeline.required(np.where(answered_mask, table.ended, queued + table.wait))

    def recorded(values: np.ndarray, where: np.ndarray) -> list[float | None]:
        return [
            round(float(v), 1) if ok else None
            for v, ok in zip(values.tolist(), where.tolist(), strict=True)
        ]

    team_units = [units[code].pk for code in data.teams]
    unit_ids = [team_units[team] for team in table.team.tolist()]
    external_ids = [
        f"{EXTERNAL_ID_PREFIX}i{index + 1:07d}" for index in range(len(table))
    ]
    customer_keys = [
        f"{EXTERNAL_ID_PREFIX}c{c + 1:06d}" for c in table.customer.tolist()
    ]
    queue = table.queue.tolist()
    reason = table.reason.tolist()
    rows = list(
        zip(
            external_ids,
            [synth.CHANNELS[c] for c in table.channel.tolist()],
            [synth.QUEUES[q] for q in queue],
            unit_ids,
            [agents[a].pk if a >= 0 else None for a in table.agent.tolist()],
            [agents[a].code if a >= 0 else "" for a in table.agent.tolist()],
            [customer_ids[c] for c in table.customer.tolist()],
            customer_keys,
            arrived,
            ivr_exited,
            queue_started,
            answered,
            ended,
            recorded(table.ivr, voice),
            recorded(table.wait, ~in_ivr_only),
            recorded(table.talk, answered_mask),
            recorded(table.hold, answered_mask & voice),
            recorded(table.after_call_work, answered_mask),
            [synth.OUTCOMES[o] for o in table.outcome.tolist()],
            [
                t if ok else None
                for t, ok in zip(
                    table.transfers.tolist(), answered_mask.tolist(), strict=True
                )
            ],
            [
                e if ok else None
                for e, ok in zip(
                    table.is_escalated.tolist(), answered_mask.tolist(), strict=True
                )
            ],
            [synth.REASONS[q][r] for q, r in zip(queue, reason, strict=True)],
            [None if r < 0 else bool(r) for r in table.resolved.tolist()],
            strict=True,
        )
    )
    columns = (
        "external_id",
        "channel",
        "queue",
        "unit",
        "agent",
        "agent_key",
        "customer",
        "customer_key",
        "arrived_at",
        "ivr_exited_at",
        "queue_started_at",
        "answered_at",
        "ended_at",
        "ivr_seconds",
        "wait_seconds",
        "talk_seconds",
        "hold_seconds",
        "after_call_work_seconds",
        "outcome",
        "transfers",
        "is_escalated",
        "reason_code",
        "is_resolved",
    )
    insert_rows(Interaction, columns, rows)
    ids = ids_by_key(Interaction, "external_id", EXTERNAL_ID_PREFIX)
    clock.step("interactions", len(rows))
    return [ids[external_id] for external_id in external_ids], unit_ids


def _unique_codes(count: int) -> tuple[list[str], list[str]]:
    """Fresh tokens and short codes, unique among themselves and in the database."""
    seen = set(Invitation.objects.values_list("short_code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = new_short_code()
        if code not in seen:
            seen.add(code)
            codes.append(code)
    tokens = [new_token() for _ in range(count)]
    if len(set(tokens)) != count:  # 192 random bits: practically impossible
        raise DemoError("Two invitation tokens clashed; run the demo again.")
    return tokens, codes


@dataclass(frozen=True, slots=True)
class _InvitationRows:
    ids: list[int]
    language: list[str]
    channel: list[str]
    unit_ids: list[int]
    agent_ids: list[int | None]
    interaction_ids: list[int]


def _invitations(
    data: synth.DemoData,
    timeline: Timeline,
    survey: Survey,
    interaction_ids: list[int],
    interaction_units: list[int],
    customer_ids: list[int],
    agents: list[Agent],
    clock: _Clock,
) -> _InvitationRows:
    table = data.invitations
    tokens, codes = _unique_codes(len(table))
    source = table.interaction.tolist()
    customer = data.interactions.customer[table.interaction].tolist()
    agent_index = data.interactions.agent[table.interaction].tolist()
    language = [synth.LANGUAGES[i] for i in data.customers.language[customer].tolist()]
    channel = [synth.INVITATION_CHANNELS[c] for c in table.channel.tolist()]
    unit_ids = [interaction_units[i] for i in source]
    agent_ids = [agents[a].pk if a >= 0 else None for a in agent_index]
    invited = [interaction_ids[i] for i in source]
    address = [
        f"c{c + 1:06d}@example.com"
        if kind == "email"
        else f"+1555{c + 1:07d}"
        if kind == "sms"
        else ""
        for c, kind in zip(customer, channel, strict=True)
    ]
    status = [synth.INVITATION_STATUSES[s] for s in table.status.tolist()]
    expires = timeline.required(table.expires)
    expired = [
        moment if state == Invitation.Status.EXPIRED else None
        for moment, state in zip(expires, status, strict=True)
    ]
    rows = list(
        zip(
            [survey.pk] * len(table),
            tokens,
            codes,
            channel,
            language,
            status,
            [customer_ids[c] for c in customer],
            invited,
            unit_ids,
            agent_ids,
            address,
            ["link" if kind == "sms" else "" for kind in channel],
            timeline.required(table.created),
            timeline.at(table.sent),
            timeline.at(table.delivered),
            timeline.at(table.bounced),
            timeline.at(table.opened),
            timeline.at(table.started),
            timeline.at(table.completed),
            expired,
            expires,
            strict=True,
        )
    )
    columns = (
        "survey",
        "token",
        "short_code",
        "channel",
        "language",
        "status",
        "customer",
        "interaction",
        "unit",
        "agent",
        "address",
        "sms_mode",
        "created_at",
        "sent_at",
        "delivered_at",
        "bounced_at",
        "opened_at",
        "started_at",
        "completed_at",
        "expired_at",
        "expires_at",
    )
    insert_rows(Invitation, columns, rows)
    by_token = dict(Invitation.objects.filter(survey=survey).values_list("token", "pk"))
    clock.step("invitations", len(rows))
    return _InvitationRows(
        ids=[int(by_token[token]) for token in tokens],
        language=language,
        channel=channel,
        unit_ids=unit_ids,
        agent_ids=agent_ids,
        interaction_ids=invited,
    )


def _question_plan(definition: SurveyDefinition) -> list[list[Question]]:
    """The questions of each page; checks the template still fits the generator."""
    known = set(synth.QUESTION_ORDER)
    codes = set(definition.question_codes)
    if codes != known:
        raise DemoError(
            f"The {TEMPLATE_CODE!r} template has questions {sorted(codes)}, but the demo "
            f"generates {sorted(known)}; update satisfy/demo/synth.py."
        )
    return [list(page.questions) for page in definition.pages]


AnswerRow = tuple[int, str, str, str, str, float | None, str, bool]
ANSWER_COLUMNS = (
    "response",
    "question_code",
    "item_code",
    "part",
    "choice_code",
    "value",
    "text_value",
    "is_na",
)


def _answer_rows(
    response_id: int,
    index: int,
    questions: Sequence[Question],
    table: synth.ResponseTable,
) -> list[AnswerRow]:
    rows: list[AnswerRow] = []
    for question in questions:
        if question.code == "comment":
            text = table.comments[index]
            if text:
                rows.append((response_id, question.code, "", "", "", None, text, False))
            continue
        if table.is_na[question.code][index]:
            na = question.na_choice
            if na is None:
                raise DemoError(
                    f"Question {question.code!r} has no 'not applicable' choice."
                )
            rows.append(
                (response_id, question.code, "", "", na.code, na.value, "", True)
            )
            continue
        value = float(table.scores[question.code][index])
        choice = next((c for c in question.answer_choices if c.value == value), None)
        if choice is None:
            raise DemoError(
                f"Question {question.code!r} has no choice with value {value:g}."
            )
        rows.append(
            (response_id, question.code, "", "", choice.code, choice.value, "", False)
        )
    return rows


def _responses(
    data: synth.DemoData,
    timeline: Timeline,
    survey: Survey,
    version: SurveyVersion,
    invitations: _InvitationRows,
    customer_ids: list[int],
    units_by_id: dict[int, OrgUnit],
    clock: _Clock,
) -> None:
    table = data.responses
    pages = _question_plan(version_definition(version))
    pages_done = (
        np.where(table.is_complete, len(pages), np.floor(table.progress * len(pages)))
        .astype(np.int64)
        .tolist()
    )
    source = data.invitations.interaction[table.invitation]
    customer = data.interactions.customer[source].tolist()
    queue = data.interactions.queue[source].tolist()
    segment = data.customers.segment[data.interactions.customer[source]].tolist()
    anonymous = version.is_anonymous
    keys: list[str] = []
    rows = []
    for index, invitation in enumerate(table.invitation.tolist()):
        key = f"inv:{invitations.ids[invitation]}"
        keys.append(key)
        unit_id = invitations.unit_ids[invitation]
        rows.append(
            (
                survey.pk,
                version.pk,
                key,
                invitations.ids[invitation],
                (
                    SurveyResponse.Status.COMPLETE.value
                    if table.is_complete[index]
                    else SurveyResponse.Status.PARTIAL.value
                ),
                invitations.language[invitation],
                invitations.channel[invitation],
                pages_done[index],
                unit_id,
                units_by_id[unit_id].path,
                invitations.agent_ids[invitation],
                synth.QUEUES[queue[index]],
                synth.SEGMENTS[segment[index]],
                None if anonymous else invitations.interaction_ids[invitation],
                None if anonymous else customer_ids[customer[index]],
            )
        )
    times = zip(
        timeline.required(table.started),
        timeline.required(table.updated),
        timeline.at(table.completed),
        strict=True,
    )
    full_rows = [row + moments for row, moments in zip(rows, times, strict=True)]
    columns = (
        "survey",
        "version",
        "key",
        "invitation",
        "status",
        "language",
        "channel",
        "pages_done",
        "unit",
        "unit_path",
        "agent",
        "queue",
        "customer_segment",
        "interaction",
        "customer",
        "started_at",
        "updated_at",
        "completed_at",
    )
    insert_rows(SurveyResponse, columns, full_rows)
    by_key = dict(SurveyResponse.objects.filter(survey=survey).values_list("key", "pk"))
    clock.step("responses", len(full_rows))
    answers: list[AnswerRow] = []
    for index, key in enumerate(keys):
        for page in pages[: pages_done[index]]:
            answers.extend(_answer_rows(int(by_key[key]), index, page, table))
    insert_rows(Answer, ANSWER_COLUMNS, answers)
    clock.step("answers", len(answers))


@transaction.atomic
def build_demo(
    *,
    seed: int = synth.DEFAULT_SEED,
    scale: float = 1.0,
    progress: Progress = _quiet,
    now: datetime | None = None,
) -> DemoSummary:
    """Build the demo contact centre in the database (DemoError when it already exists)."""
    clock = _Clock(progress)
    if demo_exists():
        raise DemoError(
            "The demo is already in this database; use --reset to rebuild it."
        )
    moment = now or timezone.now()
    first_day = timezone.localdate(moment) - timedelta(days=synth.DAYS)
    timeline = Timeline(first_day)
    data = synth.generate(
        seed=seed,
        scale=scale,
        first_day=first_day,
        now_seconds=timeline.seconds_of(moment),
        ttl_days=settings.SATISFY_INVITATION_TTL_DAYS,
    )
    clock.step("generated data set")
    units, agents = _org(data, clock)
    try:
        users, logins = create_personas(units, agents)
    except PersonaExistsError as error:
        raise DemoError(str(error)) from error
    clock.step("personas", len(users))
    first_moment = timeline.required(np.array([0.0]))[0]
    survey, version = _survey(
        company=units[synth.COMPANY[0]], alice=users["alice"], first_day=first_moment
    )
    clock.step("survey published", 1)
    customer_ids = _customers(data, timeline, units, clock)
    interaction_ids, interaction_units = _interactions(
        data, timeline, units, agents, customer_ids, clock
    )
    clock.step("agent states", insert_agent_states(data, timeline, units, agents))
    invitations = _invitations(
        data,
        timeline,
        survey,
        interaction_ids,
        interaction_units,
        customer_ids,
        agents,
        clock,
    )
    units_by_id = {unit.pk: unit for unit in units.values()}
    _responses(
        data, timeline, survey, version, invitations, customer_ids, units_by_id, clock
    )
    # The bulk rows skipped responses.services, which keeps the dashboard's rollups.
    rollups = rebuild_rollups(survey_ids=[survey.pk])
    clock.step("dashboard rollups", rollups.detail_rows + rollups.unit_rows)
    # The bulk interactions skipped the importer, which keeps the KPI rollups.
    kpi_rollups = rebuild_interaction_rollups()
    clock.step("KPI rollups", kpi_rollups.rows + kpi_rollups.agent_rows)
    # ... and each contact's gap to its customer's next contact (FCR and ACR).
    clock.step("next contacts", rebuild_next_contacts().changed)
    sample = sample_invitation(now=moment)
    return DemoSummary(
        counts=demo_counts(),
        logins=logins,
        survey_slug=survey.slug,
        sample_token=sample.token if sample else "",
        sample_short_code=sample.short_code if sample else "",
        seconds=clock.elapsed,
    )


@transaction.atomic
def delete_demo(*, progress: Progress = _quiet) -> None:
    """Remove every demo row: the Acme organisation and what hangs off it, demo
    customers and interactions, and the personas. Other data are left alone."""
    try:
        _delete_rows(_Clock(progress))
    except (ProtectedError, RestrictedError) as error:
        rows = (
            error.protected_objects
            if isinstance(error, ProtectedError)
            else error.restricted_objects
        )
        blockers = sorted({str(obj._meta.verbose_name) for obj in rows})
        raise DemoError(
            "Other data still refer to the demo ("
            + ", ".join(blockers)
            + "); delete them first, or use a fresh data directory."
        ) from error


def _delete_rows(clock: _Clock) -> None:
    company = OrgUnit.objects.filter(code=synth.COMPANY[0]).first()
    tree = (
        OrgUnit.objects.filter(path__startswith=company.path)
        if company
        else OrgUnit.objects.none()
    )
    surveys = Survey.objects.filter(
        models.Q(slug=SURVEY_SLUG) | models.Q(unit__in=tree)
    )
    delete_rows(Answer.objects.filter(response__survey__in=surveys))
    delete_rows(SurveyResponse.objects.filter(survey__in=surveys))
    delete_rows(Invitation.objects.filter(survey__in=surveys))
    surveys.update(current_version=None)
    SurveyVersion.objects.filter(survey__in=surveys).delete()
    surveys.delete()
    clock.step("removed survey data")
    delete_rows(
        Interaction.objects.filter(
            models.Q(external_id__startswith=EXTERNAL_ID_PREFIX)
            | models.Q(unit__in=tree)
        )
    )
    delete_rows(Customer.objects.filter(external_id__startswith=EXTERNAL_ID_PREFIX))
    delete_agent_states(tree)
    clock.step("removed interactions")
    User.objects.filter(
        username__in=[p.username for p in PERSONAS],
        email__endswith=f"@{PERSONA_EMAIL_DOMAIN}",
    ).delete()
    Agent.objects.filter(unit__in=tree).delete()
    RoleAssignment.objects.filter(unit__in=tree).delete()
    for unit in sorted(tree, key=lambda u: u.depth, reverse=True):
        unit.delete()
    clock.step("removed organisation")

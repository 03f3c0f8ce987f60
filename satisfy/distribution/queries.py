"""Reads: waves and invitations a user may see, funnels and response rates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.analytics.sampling import LayoutEffect, key_layout_effect
from satisfy.distribution.models import Invitation, IvrSession, Wave
from satisfy.responses.models import Answer
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import surveys_for_user

BREAKDOWNS = {
    "channel": "channel",
    "unit": "unit__name",
    "stratum": "stratum",
    "agent": "agent__code",
    "wave": "wave__number",
    "language": "language",
}


def waves_for_user(user: User) -> QuerySet[Wave]:
    """Waves of surveys the user may see."""
    return Wave.objects.filter(survey__in=surveys_for_user(user)).select_related(
        "survey", "version", "unit"
    )


def get_wave_for_user(user: User, wave_id: int) -> Wave:
    """The wave, or 404 when it does not exist or its survey is outside the scope."""
    try:
        return waves_for_user(user).get(pk=wave_id)
    except Wave.DoesNotExist:
        raise Http404("No such wave.") from None


def can_manage_wave(user: User, wave: Wave) -> bool:
    """Drawing samples and launching: administrators of the wave's unit."""
    return scope_for_user(user).can_manage_unit_path(wave.unit.path)


def invitations_for_user(user: User) -> QuerySet[Invitation]:
    """Invitations in the user's units (agents: their own interactions)."""
    scope = scope_for_user(user)
    return Invitation.objects.filter(
        scope.results_q(unit_path_field="unit__path", agent_field="agent_id")
    )


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """Invitation counts by status reached, with rates (shares in [0, 1])."""

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

    @property
    def reached(self) -> int:
        """Sent and not bounced: the base of the response rate."""
        return self.sent - self.bounced

    @property
    def response_rate(self) -> float | None:
        return self.completed / self.reached if self.reached else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.started if self.started else None


def _counts() -> dict[str, Count]:
    status = Invitation.Status
    return {
        "invited": Count("pk"),
        "queued": Count("pk", filter=Q(status=status.QUEUED)),
        "sent": Count("pk", filter=Q(sent_at__isnull=False)),
        "delivered": Count("pk", filter=Q(delivered_at__isnull=False)),
        "bounced": Count("pk", filter=Q(bounced_at__isnull=False)),
        "opened": Count("pk", filter=Q(opened_at__isnull=False)),
        "started": Count("pk", filter=Q(started_at__isnull=False)),
        "completed": Count("pk", filter=Q(completed_at__isnull=False)),
        "expired": Count("pk", filter=Q(status=status.EXPIRED)),
        "opted_out": Count("pk", filter=Q(status=status.OPTED_OUT)),
        "failed": Count("pk", filter=Q(status=status.FAILED)),
    }


def funnel(
    invitations: QuerySet[Invitation], *, by: str | None = None
) -> list[FunnelRow]:
    """Funnel counts overall (``by=None``) or per channel, unit, stratum, agent, wave."""
    if by is None:
        totals = invitations.aggregate(**_counts())
        return [FunnelRow(key="all", **totals)]
    if by not in BREAKDOWNS:
        raise ValueError(f"break down by one of {', '.join(BREAKDOWNS)}, not {by!r}")
    field = BREAKDOWNS[by]
    rows = invitations.order_by().values(field).annotate(**_counts()).order_by(field)
    return [
        FunnelRow(
            key="" if row[field] is None else str(row[field]),
            **{k: row[k] for k in _counts()},
        )
        for row in rows
    ]


def wave_invitations_for_user(user: User, wave: Wave) -> QuerySet[Invitation]:
    """The wave's invitations the user may see."""
    return invitations_for_user(user).filter(wave=wave)


@dataclass(frozen=True, slots=True)
class IvrFunnel:
    offered: int
    opted_in: int
    started: int
    completed: int
    declined: int


def ivr_funnel(survey: Survey) -> IvrFunnel:
    """Post-call IVR funnel of a survey: offered → opted in → started → completed."""
    totals = IvrSession.objects.filter(survey=survey).aggregate(
        offered=Count("pk"),
        opted_in=Count("pk", filter=Q(opted_in_at__isnull=False)),
        started=Count("pk", filter=Q(started_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        declined=Count("pk", filter=Q(state=IvrSession.State.DECLINED)),
    )
    return IvrFunnel(**totals)


def ivr_layout_effect(
    survey: Survey, question_code: str, *, alpha: float = 0.05
) -> LayoutEffect:
    """Ascending minus descending mean score among calls with a random layout.

    Raises ValueError when either layout has fewer than two answers.
    """
    rows = Answer.objects.filter(
        question_code=question_code,
        is_na=False,
        value__isnull=False,
        response__invitation__ivr_session__survey=survey,
        response__invitation__ivr_session__is_randomised=True,
    ).values_list("response__invitation__ivr_session__layout", "value")
    groups: dict[str, list[float]] = {"ascending": [], "descending": []}
    for layout, value in rows:
        if layout in groups and value is not None:
            groups[layout].append(value)
    return key_layout_effect(groups["ascending"], groups["descending"], alpha=alpha)

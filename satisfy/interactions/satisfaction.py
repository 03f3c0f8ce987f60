"""The satisfaction link: survey answers joined to the interactions they rate.

Completed responses the user may see, with an interaction, become plain arrays (one
value per response: CSAT top box, NPS rating, CES, CSI 0–100, and the wait,
transfers, resolution, channel, queue and hour of its interaction). The library's
``satisfy.analytics.ops_link`` turns them into satisfaction by group, lever effects
with intervals, and the plain sentences shown on the page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satisfy.accounts.models import User
from satisfy.analytics.ops_link import (
    GroupMean,
    GroupNps,
    GroupShare,
    LeverEffect,
    describe_duration,
    explain_levers,
    mean_by_group,
    mean_effect,
    nps_by_group,
    nps_effect,
    rank_levers,
    share_by_group,
    share_effect,
    wait_bucket_labels,
    wait_buckets,
)
from satisfy.analytics.scales import equal_interval_score
from satisfy.interactions.models import Interaction
from satisfy.interactions.queries import Period
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.responses.queries import responses_for_user
from satisfy.surveys.definition import Question, QuestionType, SurveyDefinition
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

Group = GroupShare | GroupNps | GroupMean

#: Channels whose wait is a queue wait in seconds (e-mail's is a reply time).
REALTIME_CHANNELS = (
    Interaction.Channel.VOICE,
    Interaction.Channel.CHAT,
    Interaction.Channel.SOCIAL,
    Interaction.Channel.SMS,
    Interaction.Channel.WEB,
)
CSI_DIMENSIONS = {"overall", "access", "resolution", "treatment", "quality", "value"}
#: Wait thresholds (seconds) tried as levers: "the wait passes 1 / 2 / 5 minutes".
WAIT_LEVERS_SECONDS = (60.0, 120.0, 300.0)
MIN_GROUP_N = 10


@dataclass(frozen=True, slots=True)
class MetricLink:
    """One metric (CSAT, NPS, CES or CSI) by every operational dimension."""

    metric: str
    kind: str  # "share", "nps" or "mean"
    n: int
    by: dict[str, tuple[GroupShare | GroupNps | GroupMean, ...]]
    effects: tuple[LeverEffect, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SatisfactionLink:
    """Everything the satisfaction-link page and API show."""

    survey: Survey | None
    n_responses: int
    metrics: tuple[MetricLink, ...] = ()
    headline: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def _first(definition: SurveyDefinition, kind: QuestionType) -> Question | None:
    found = [q for q in definition.questions() if q.type == kind and not q.items]
    overall = [q for q in found if q.dimension == "overall"]
    candidates = overall or found
    return candidates[0] if candidates else None


def _points(question: Question) -> tuple[float, float]:
    values = [float(c.value) for c in question.answer_choices if c.value is not None]
    return min(values), max(values)


def linked_surveys(user: User) -> list[tuple[Survey, int]]:
    """Surveys with complete responses linked to an interaction, most responses first."""
    rows = (
        responses_for_user(user)
        .filter(status=SurveyResponse.Status.COMPLETE, interaction__isnull=False)
        .values("survey")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    counts = {r["survey"]: r["n"] for r in rows}
    surveys = Survey.objects.filter(pk__in=list(counts)).select_related(
        "current_version"
    )
    return sorted(((s, counts[s.pk]) for s in surveys), key=lambda p: -p[1])


def _groups(
    wait: npt.NDArray[np.float64],
    realtime: npt.NDArray[np.bool_],
    transfers: npt.NDArray[np.float64],
    resolved: npt.NDArray[np.float64],
    channel: npt.NDArray[Any],
    queue: npt.NDArray[Any],
    hour: npt.NDArray[np.int64],
) -> dict[str, tuple[npt.NDArray[np.bool_], npt.NDArray[Any]]]:
    """Dimension -> (which responses have a label, label per response)."""
    labels_wait = np.full(wait.shape[0], "", dtype=object)
    if realtime.any():
        labels_wait[realtime] = wait_buckets(wait[realtime])
    t_known = ~np.isnan(transfers)
    t_label = np.where(
        transfers >= 2, "2 or more", np.where(transfers >= 1, "1", "none")
    ).astype(object)
    r_known = ~np.isnan(resolved)
    r_label = np.where(resolved > 0, "resolved", "not resolved").astype(object)
    hours = np.array([f"{h:02d}:00" for h in hour.tolist()], dtype=object)
    return {
        "wait": (realtime, labels_wait),
        "transfers": (t_known, t_label),
        "resolution": (r_known, r_label),
        "channel": (np.ones(channel.shape[0], dtype=np.bool_), channel),
        "queue": (queue != "", queue),
        "hour": (np.ones(hour.shape[0], dtype=np.bool_), hours),
    }


def _levers(
    wait: npt.NDArray[np.float64],
    realtime: npt.NDArray[np.bool_],
    transfers: npt.NDArray[np.float64],
    resolved: npt.NDArray[np.float64],
    escalated: npt.NDArray[np.float64],
) -> list[tuple[str, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]:
    """(phrase, responses in the comparison, exposed) for each operational lever.

    The phrase completes the library's "... when %(lever)s" sentences, in the
    active language.
    """
    out = []
    for edge in WAIT_LEVERS_SECONDS:
        duration = describe_duration(edge, ngettext=ngettext)
        phrase = _("the wait passes %(duration)s") % {"duration": duration}
        out.append((phrase, realtime, wait > edge))
    known = ~np.isnan(transfers)
    out.append((_("the contact was transferred"), known, np.nan_to_num(transfers) > 0))
    known = ~np.isnan(resolved)
    out.append((_("the issue was not resolved"), known, np.nan_to_num(resolved) == 0))
    known = ~np.isnan(escalated)
    out.append((_("the contact was escalated"), known, np.nan_to_num(escalated) > 0))
    return out


def _effects(
    kind: str,
    metric: str,
    values: npt.NDArray[Any],
    has: npt.NDArray[np.bool_],
    levers: list[tuple[str, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]],
    alpha: float,
) -> list[LeverEffect]:
    found = []
    for phrase, base, exposed in levers:
        use = base & has
        e = exposed[use]
        if e.sum() < MIN_GROUP_N or (~e).sum() < MIN_GROUP_N:
            continue
        v = values[use]
        if kind == "share":
            found.append(share_effect(v, e, metric=metric, lever=phrase, alpha=alpha))
        elif kind == "nps":
            found.append(nps_effect(v, e, metric=metric, lever=phrase, alpha=alpha))
        else:
            found.append(mean_effect(v, e, metric=metric, lever=phrase, alpha=alpha))
    return rank_levers(found)


def satisfaction_link(
    user: User,
    *,
    survey: Survey | None = None,
    period: Period | None = None,
    alpha: float = 0.05,
) -> SatisfactionLink:
    """CSAT, NPS, CES and CSI by wait, transfers, resolution, channel, queue and hour.

    Uses complete responses the user may see whose interaction is known (and arrived
    within ``period``); ``survey`` defaults to the one with most such responses. The
    question codes come from the survey's current version (codes are stable across
    versions). CSI per response is the mean of its answered overall/ART items on
    0–100. Effects compare responses with and without each condition; they are
    associations, not proven causes.
    """
    if survey is None:
        linked = linked_surveys(user)
        if not linked:
            return SatisfactionLink(None, 0)
        survey = linked[0][0]
    version = survey.current_version
    if version is None:
        return SatisfactionLink(survey, 0)
    definition = version_definition(version)
    questions = {
        "CSAT": _first(definition, QuestionType.CSAT),
        "NPS": _first(definition, QuestionType.NPS),
        "CES": _first(definition, QuestionType.CES),
    }
    csi_items = [
        q
        for q in definition.questions()
        if q.type in {QuestionType.CSAT, QuestionType.SCALE, QuestionType.RATING}
        and not q.items
        and (q.dimension or "") in CSI_DIMENSIONS
    ]
    responses = responses_for_user(user, survey=survey).filter(
        status=SurveyResponse.Status.COMPLETE, interaction__isnull=False
    )
    if period is not None:
        start, end = period.bounds()
        responses = responses.filter(
            interaction__arrived_at__gte=start, interaction__arrived_at__lt=end
        )
    facts = list(
        responses.order_by("pk").values_list(
            "pk",
            "interaction__wait_seconds",
            "interaction__transfers",
            "interaction__is_resolved",
            "interaction__is_escalated",
            "interaction__channel",
            "interaction__queue",
            "interaction__arrived_at",
        )
    )
    n = len(facts)
    if n == 0:
        return SatisfactionLink(survey, 0)
    position = {row[0]: i for i, row in enumerate(facts)}
    codes = {q.code for q in questions.values() if q is not None}
    codes |= {q.code for q in csi_items}
    answers: dict[str, npt.NDArray[np.float64]] = {
        code: np.full(n, np.nan) for code in codes
    }
    rows = Answer.objects.filter(
        response__in=responses.values("pk"),
        question_code__in=sorted(codes),
        item_code="",
        is_na=False,
        value__isnull=False,
    ).values_list("response_id", "question_code", "value")
    for response_id, code, value in rows.iterator(chunk_size=20_000):
        i = position.get(response_id)
        if i is not None and value is not None:
            answers[code][i] = float(value)

    def column(index: int) -> list[Any]:
        return [row[index] for row in facts]

    def numbers(values: list[Any]) -> npt.NDArray[np.float64]:
        return np.array(
            [np.nan if v is None else float(v) for v in values], dtype=np.float64
        )

    tz = timezone.get_current_timezone()
    wait = numbers(column(1))
    channel = np.array(column(5), dtype=object)
    realtime = np.isin(channel, list(REALTIME_CHANNELS)) & ~np.isnan(wait)
    wait = np.nan_to_num(wait)
    transfers = numbers(column(2))
    resolved = numbers(column(3))
    escalated = numbers(column(4))
    queue = np.array(column(6), dtype=object)
    hour = np.array([timezone.localtime(a, tz).hour for a in column(7)], dtype=np.int64)
    groups = _groups(wait, realtime, transfers, resolved, channel, queue, hour)
    levers = _levers(wait, realtime, transfers, resolved, escalated)

    metrics: list[MetricLink] = []
    per_metric: list[tuple[str, str, npt.NDArray[Any], npt.NDArray[np.bool_]]] = []
    csat_q = questions["CSAT"]
    if csat_q is not None:
        low, high = _points(csat_q)
        top = csat_q.top_box or 2
        raw = answers[csat_q.code]
        has = ~np.isnan(raw)
        good = raw <= low + top - 1 if csat_q.reversed else raw >= high - top + 1
        per_metric.append(("CSAT", "share", good, has))
    nps_q = questions["NPS"]
    if nps_q is not None:
        raw = answers[nps_q.code]
        per_metric.append(("NPS", "nps", np.nan_to_num(raw), ~np.isnan(raw)))
    ces_q = questions["CES"]
    if ces_q is not None:
        raw = answers[ces_q.code]
        per_metric.append(("CES", "mean", np.nan_to_num(raw), ~np.isnan(raw)))
    if csi_items:
        scores = np.full((n, len(csi_items)), np.nan)
        for j, q in enumerate(csi_items):
            low, high = _points(q)
            scores[:, j] = equal_interval_score(
                answers[q.code], int(low), int(high), reverse=q.reversed
            )
        has = (~np.isnan(scores)).any(axis=1)
        safe = np.where(np.isnan(scores), 0.0, scores)
        counts = (~np.isnan(scores)).sum(axis=1)
        means = np.where(counts > 0, safe.sum(axis=1) / np.maximum(counts, 1), 0.0)
        per_metric.append(("CSI", "mean", means, has))

    for metric, kind, values, has in per_metric:
        by: dict[str, Any] = {}
        for dimension, (known, labels) in groups.items():
            use = known & has
            if not use.any():
                continue
            v, g = values[use], labels[use]
            if kind == "share":
                by[dimension] = share_by_group(v, g, alpha=alpha)
            elif kind == "nps":
                by[dimension] = nps_by_group(v, g, alpha=alpha)
            else:
                by[dimension] = mean_by_group(v, g, alpha=alpha)
        effects = _effects(kind, metric, values, has, levers, alpha)
        sentences = tuple(explain_levers(effects, gettext=_)) if effects else ()
        metrics.append(
            MetricLink(metric, kind, int(has.sum()), by, tuple(effects), sentences)
        )
    headline: list[str] = []
    for m in metrics:
        if m.metric in ("CSAT", "CES") and m.effects:
            # explain_levers says only levers beyond the noise (or that none is)
            headline.extend(m.sentences[:3])
    return SatisfactionLink(survey, n, tuple(metrics), tuple(headline))


def _steps(dimension: str) -> list[tuple[str, str]] | None:
    """Group keys of an ordered dimension, in order, with their label for people."""
    if dimension == "wait":
        keys = wait_bucket_labels()
        return list(
            zip(keys, wait_bucket_labels(gettext=_, ngettext=ngettext), strict=True)
        )
    if dimension == "transfers":
        return [("none", _("none")), ("1", "1"), ("2 or more", _("2 or more"))]
    if dimension == "resolution":
        return [("resolved", _("resolved")), ("not resolved", _("not resolved"))]
    return None


def display_groups(dimension: str, groups: Sequence[Group]) -> list[Group]:
    """Groups in their natural order (waits, transfers) with labels in the user's language.

    The library's group keys are English words (the API serves them as keys); the
    page shows them translated.
    """
    steps = _steps(dimension)
    if steps is None:
        return list(groups)
    order = {key: i for i, (key, _label) in enumerate(steps)}
    labels = dict(steps)
    ordered = sorted(groups, key=lambda g: order.get(g.group, len(order)))
    return [dataclasses.replace(g, group=labels.get(g.group, g.group)) for g in ordered]


__all__ = [
    "MetricLink",
    "SatisfactionLink",
    "display_groups",
    "linked_surveys",
    "satisfaction_link",
]

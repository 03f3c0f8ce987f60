from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.interactions import charts, queries
from satisfy.interactions.forms import LinkFilterForm, OperationsFilterForm
from satisfy.interactions.models import Interaction, InteractionImport
from satisfy.interactions.occupancy import occupancy_context
from satisfy.interactions.operations import (
    SERVICE_LEVEL_VARIANT,
    Settings,
    default_period,
    operations_report,
)
from satisfy.interactions.rollups import distinct_values
from satisfy.interactions.satisfaction import (
    display_groups,
    linked_surveys,
    satisfaction_link,
)
from satisfy.org.queries import units_for_user
from satisfy.surveys.models import Survey

#: What handling time is made of, as the AHT card says it.
AHT_PARTS = {
    "talk": gettext_lazy("talk"),
    "hold": gettext_lazy("hold"),
    "after_call_work": gettext_lazy("after-call work"),
}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _imports(user: User) -> list[InteractionImport]:
    """The latest imports into units the user administers."""
    scope = scope_for_user(user)
    if not scope.can_manage_any:
        return []
    return list(
        InteractionImport.objects.filter(_manage_q(scope.manage_paths)).select_related(
            "unit"
        )[:5]
    )


def _manage_q(paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for prefix in paths:
        q |= Q(unit__path__startswith=prefix)
    return q


@login_required
def operations(request: HttpRequest) -> HttpResponse:
    """Arrivals, service level and abandonment per interval; queues, agents, staffing."""
    user = _user(request)
    units = units_for_user(user)
    requested_unit = request.GET.get("unit", "")
    if requested_unit and not (
        requested_unit.isdigit() and units.filter(pk=int(requested_unit)).exists()
    ):
        raise Http404("No such unit.")  # outside the scope looks like nonexistent
    everything = queries.Selection.for_user(user)
    queues = distinct_values(everything, "queue")
    present = set(distinct_values(everything, "channel"))
    channels = [
        (c, str(label)) for c, label in Interaction.Channel.choices if c in present
    ]
    # Queue KPIs mix badly across channels (an e-mail "wait" is hours): one channel
    # by default, voice when there is any.
    initial_channel = "voice" if "voice" in present and len(present) > 1 else ""
    form = OperationsFilterForm(
        request.GET or None,
        units=units,
        queues=queues,
        channels=channels,
        initial={"channel": initial_channel},
    )
    context: dict[str, Any] = {"form": form}
    if request.GET and not form.is_valid():
        return render(request, "interactions/operations.html", context)
    data: dict[str, Any] = (
        form.cleaned_data if request.GET else {"channel": initial_channel}
    )
    # A selection rather than a queryset: the KPI rollups can answer it.
    rows = queries.Selection.for_user(
        user,
        channel=data.get("channel") or "",
        unit_path=data["unit"].path if data.get("unit") is not None else "",
        queue=data.get("queue") or "",
    )
    fallback = default_period(rows)
    period = queries.Period(
        data.get("start") or fallback.start, data.get("end") or fallback.end
    )
    if period.end < period.start:
        period = queries.Period(period.end, period.end)
    answer_within = data.get("answer_within")
    settings = Settings(
        interval_minutes=data.get("interval") or 30,
        answer_within_seconds=20.0 if answer_within is None else answer_within,
        target_service_level=(data.get("target") or 80.0) / 100,
    )
    report = operations_report(rows, period=period, settings=settings)
    labels = [r.label for r in report.intervals]
    every = max(1, -(-len(labels) // 12))  # at most 12 labels on the axis
    context.update(
        occupancy_context(
            user, unit=data.get("unit"), period=period, report=report, every=every
        )
    )
    context.update(
        {
            "report": report,
            "period": period,
            "variant": SERVICE_LEVEL_VARIANT,
            "sl_variants": report.total.service_level.variants,
            "has_data": report.total.offered > 0 or bool(report.outcomes),
            "aht_parts": " + ".join(
                str(AHT_PARTS.get(part, part)) for part in report.total.aht_components
            ),
            "imports": _imports(user),
            "arrivals_chart": charts.chart(
                labels,
                [
                    charts.Series(
                        _("Offered calls per day"),
                        [r.arrivals_per_day for r in report.intervals],
                    )
                ],
                title=_("Arrivals per interval (average day)"),
                label_every=every,
            ),
            "service_chart": charts.chart(
                labels,
                [
                    charts.Series(
                        _("Service level"),
                        [r.service_level for r in report.intervals],
                        colour=charts.COLOURS[2],
                        kind="line",
                    ),
                    charts.Series(
                        _("Abandonment"),
                        [r.kpis.abandonment_rate for r in report.intervals],
                        colour=charts.COLOURS[3],
                        kind="line",
                    ),
                ],
                title=_("Service level and abandonment per interval"),
                percent=True,
                y_max=1.0,
                target=settings.target_service_level,
                label_every=every,
            ),
            "staffing_chart": charts.chart(
                labels,
                [
                    charts.Series(
                        _("Agents needed"),
                        [
                            r.staffing.agents if r.staffing else None
                            for r in report.intervals
                        ],
                        colour=charts.COLOURS[0],
                    ),
                    charts.Series(
                        _("Scheduled (with shrinkage)"),
                        [
                            r.staffing.scheduled_agents if r.staffing else None
                            for r in report.intervals
                        ],
                        colour=charts.COLOURS[1],
                    ),
                ],
                title=_("Staffing plan per interval"),
                label_every=every,
            ),
        }
    )
    return render(request, "interactions/operations.html", context)


@login_required
def satisfaction(request: HttpRequest) -> HttpResponse:
    """Which operational levers move satisfaction most, in plain words."""
    user = _user(request)
    linked = linked_surveys(user)
    surveys = Survey.objects.filter(pk__in=[s.pk for s, _n in linked])
    form = LinkFilterForm(request.GET or None, surveys=surveys)
    context: dict[str, Any] = {"form": form}
    if request.GET and not form.is_valid():
        return render(request, "interactions/satisfaction.html", context)
    data = form.cleaned_data if request.GET else {}
    period = (
        queries.Period(data["start"], data["end"])
        if data.get("start") and data.get("end")
        else None
    )
    link = satisfaction_link(user, survey=data.get("survey"), period=period)
    panels = []
    titles = {
        "wait": _("By wait"),
        "transfers": _("By transfers"),
        "resolution": _("By resolution"),
        "channel": _("By channel"),
        "queue": _("By queue"),
        "hour": _("By hour of arrival"),
    }
    for metric in link.metrics:
        for dimension, groups in metric.by.items():
            ordered = display_groups(dimension, groups)
            percent = metric.kind == "share"
            panels.append(
                {
                    "metric": metric.metric,
                    "dimension": dimension,
                    "title": f"{metric.metric} · {titles.get(dimension, dimension)}",
                    "groups": ordered,
                    "percent": percent,
                    "chart": charts.interval_ranges(
                        [(g.group, g.value, g.ci_low, g.ci_high) for g in ordered],
                        title=f"{metric.metric} {titles.get(dimension, dimension)}",
                        percent=percent,
                    ),
                }
            )
    context.update({"link": link, "panels": panels, "period": period})
    return render(request, "interactions/satisfaction.html", context)

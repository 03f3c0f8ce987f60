"""The interaction KPI rollups give exactly what the raw rows give, and stay current.

Every comparison runs the same read twice, once from the rollups and once from the
raw ``Interaction`` rows (``use_rollups=False``), and asserts the summaries are
equal field by field (counts and float sums alike). Run on SQLite and, with
``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.interactions import queries
from satisfy.interactions.models import (
    ROLLUP_ANSWER_WITHIN,
    ROLLUP_SHORT_ABANDON,
    Interaction,
    InteractionAgentRollup,
    InteractionRollup,
    PendingInteractionDay,
)
from satisfy.interactions.rollups import (
    distinct_values,
    fold_pending_days,
    rebuild_all,
    rollup_outcome_counts,
    rollup_summaries,
)
from satisfy.interactions.services import InteractionEvent, record_interaction_event

WAITS = [None, 0.0, 2.0, 3.0, 4.5, 5.0, 7.25, 10.0, 15.0, 20.0, 30.5, 61.0, 400.0]
OUTCOMES = ["answered"] * 6 + ["abandoned_queue"] * 3 + ["abandoned_ivr", "callback"]


def _varied(org: Org, *, n: int = 600, seed: int = 7) -> None:
    """Calls over nine days (around the US DST change), every unit, agent and kind
    of missing value; durations are whole or binary-fraction seconds."""
    rng = np.random.default_rng(seed)
    units = [org.north_team, org.south_team, org.north_branch, None]
    agents = [
        (org.carol_agent, "C1"),
        (org.south_agent, ""),
        (None, "EXT7"),
        (None, ""),
    ]
    start = datetime(2024, 3, 6, tzinfo=ZoneInfo("UTC"))
    rows = []
    for i in range(n):
        agent, key = agents[int(rng.integers(len(agents)))]
        outcome = OUTCOMES[int(rng.integers(len(OUTCOMES)))]
        rows.append(
            Interaction(
                external_id=f"r-{i}",
                channel=["voice", "voice", "chat"][int(rng.integers(3))],
                queue=["cards", "loans", ""][int(rng.integers(3))],
                unit=units[int(rng.integers(len(units)))],
                agent=agent if outcome == "answered" else None,
                agent_key=key if outcome == "answered" else "",
                arrived_at=start + timedelta(seconds=int(rng.integers(9 * 86_400))),
                wait_seconds=WAITS[int(rng.integers(len(WAITS)))],
                talk_seconds=None
                if rng.random() < 0.2
                else float(rng.integers(30, 900)),
                hold_seconds=None if rng.random() < 0.5 else float(rng.integers(60)),
                after_call_work_seconds=None
                if rng.random() < 0.3
                else float(rng.integers(90)) + 0.5,
                outcome=outcome,
                transfers=[None, 0, 0, 1, 2][int(rng.integers(5))],
                is_escalated=[None, False, False, True][int(rng.integers(4))],
            )
        )
    Interaction.objects.bulk_create(rows)


def _same(selection: queries.Selection, **read: Any) -> None:
    rolled = queries.queue_summaries(selection, **read)
    raw = queries.queue_summaries(selection, use_rollups=False, **read)
    assert rolled == raw
    direct = rollup_summaries(selection, **read)
    assert direct is not None, f"the rollups should answer {read}"
    assert direct == raw


GROUPINGS: list[tuple[str, ...]] = [
    (),
    ("day",),
    ("day", "queue"),
    ("slot",),
    ("day", "slot"),
    ("hour", "channel"),
    ("weekday",),
    ("queue", "channel", "unit"),
    ("agent",),
    ("day", "agent"),
    ("unit", "agent", "queue"),
]


@pytest.mark.django_db
def test_every_grouping_and_threshold_matches_the_raw_rows(org: Org) -> None:
    # given
    _varied(org)
    rebuild_all()
    everything = queries.Selection()

    # then
    for by, t in itertools.product(GROUPINGS, ROLLUP_ANSWER_WITHIN):
        _same(everything, by=by, answer_within_seconds=t)
    for by, t, s in itertools.product(GROUPINGS, (10, 20, 60), ROLLUP_SHORT_ABANDON):
        _same(everything, by=by, answer_within_seconds=t, short_abandon_seconds=s)
    assert queries.outcome_counts(everything) == queries.outcome_counts(
        everything, use_rollups=False
    )


@pytest.mark.django_db
def test_scopes_filters_and_periods_match_the_raw_rows(
    org: Org, alice: User, bob: User, carol: User, mallory: User
) -> None:
    # given
    _varied(org, seed=11)
    rebuild_all()
    periods = [
        None,
        queries.Period(date(2024, 3, 7), date(2024, 3, 7)),
        queries.Period(date(2024, 3, 8), date(2024, 3, 12)),
    ]
    filters: list[dict[str, Any]] = [
        {},
        {"unit_path": org.north.path},
        {"queue": "cards", "channel": "voice"},
        {"unit_path": org.south_team.path, "queue": "loans"},
    ]

    # then
    for user, period, extra in itertools.product(
        (alice, bob, carol, mallory), periods, filters
    ):
        selection = queries.Selection.for_user(user, period=period, **extra)
        for by in GROUPINGS:
            if selection.needs_agent and {"slot", "hour"} & set(by):
                continue  # the agent role's time-of-day reads go to the raw rows
            _same(selection, by=by, answer_within_seconds=20, short_abandon_seconds=5)
        assert queries.outcome_counts(selection) == queries.outcome_counts(
            selection, use_rollups=False
        )
        assert rollup_outcome_counts(selection) is not None
        for field in ("queue", "channel"):
            raw = selection.interactions().values_list(field, flat=True)
            assert distinct_values(selection, field) == sorted(set(raw) - {""})
    # carol (an agent) sees her own calls: the agent table answers
    carol_calls = queries.Selection.for_user(carol)
    assert carol_calls.needs_agent
    total = queries.queue_summaries(carol_calls)[()]
    assert (
        total.answered
        == Interaction.objects.filter(agent=org.carol_agent, outcome="answered").count()
    )


@pytest.mark.django_db
def test_interval_summaries_match_the_raw_rows(org: Org) -> None:
    _varied(org, seed=3)
    rebuild_all()
    for minutes, by_day in itertools.product((15, 30, 60), (False, True)):
        read: dict[str, Any] = {"interval_minutes": minutes, "by_day": by_day}
        assert queries.interval_summaries(
            queries.Selection(), **read
        ) == queries.interval_summaries(queries.Selection(), use_rollups=False, **read)


@pytest.mark.django_db
def test_reads_the_rollups_cannot_answer_fall_back_to_the_raw_rows(
    org: Org, carol: User
) -> None:
    # given
    _varied(org, n=200)
    rebuild_all()
    everything = queries.Selection()
    cases: list[tuple[queries.Selection, dict[str, Any]]] = [
        (everything, {"answer_within_seconds": 25}),  # threshold not kept
        (everything, {"short_abandon_seconds": 4}),  # short threshold not kept
        (everything, {"by": ("hour", "minute")}),  # minute grain
        (everything, {"by": ("slot", "agent")}),  # no slot x agent table
        (queries.Selection.for_user(carol), {"by": ("slot",)}),  # agent scope
    ]

    # then
    for selection, read in cases:
        assert rollup_summaries(selection, **read) is None
        assert queries.queue_summaries(selection, **read) == queries.queue_summaries(
            selection.interactions(), **read
        )


@pytest.mark.django_db
@override_settings(TIME_ZONE="America/New_York")
def test_days_and_slots_follow_the_site_time_zone(org: Org) -> None:
    # given: nine days around the 10 March 2024 change to daylight saving time
    _varied(org, seed=5)
    with timezone.override("America/New_York"):
        rebuild_all()

        # then
        for by in (("day",), ("day", "slot"), ("weekday", "hour"), ("agent", "day")):
            _same(queries.Selection(), by=by, answer_within_seconds=30)
        first = queries.queue_summaries(queries.Selection(), by=("day",))
        assert min(first)[0] == date(2024, 3, 5)  # 6 March 00:00 UTC is the 5th there

    # a read in another current time zone does not use the rollups
    with timezone.override("UTC"):
        assert rollup_summaries(queries.Selection(), by=("day",)) is None


@pytest.mark.django_db
def test_live_events_mark_days_that_the_next_read_folds(org: Org) -> None:
    # given
    _varied(org, n=100)
    rebuild_all()
    everything = queries.Selection()
    before = queries.queue_summaries(everything, by=("day",))

    # when: a new call arrives, and an old call's arrival moves to another day
    for event, at in (
        ("arrived", "2024-03-07T09:00:00Z"),
        ("answered", "2024-03-07T09:00:12Z"),
    ):
        record_interaction_event(
            event=InteractionEvent(
                external_id="live-1",
                event=event,
                at=datetime.fromisoformat(at),
                unit_code=org.north_team.code,
                queue="cards",
            )
        )
    moved = (
        Interaction.objects.filter(outcome="answered").order_by("arrived_at").first()
    )
    assert moved is not None
    old_day = timezone.localdate(moved.arrived_at)
    record_interaction_event(
        event=InteractionEvent(
            external_id=moved.external_id,
            event="arrived",
            at=moved.arrived_at - timedelta(days=3),
        )
    )

    # then
    assert PendingInteractionDay.objects.count() >= 2
    after = queries.queue_summaries(everything, by=("day",))
    assert PendingInteractionDay.objects.count() == 0
    assert after == queries.queue_summaries(everything, by=("day",), use_rollups=False)
    assert after != before
    day = (date(2024, 3, 7),)
    assert after[day].answered == before[day].answered + 1 - (old_day == day[0])
    assert (old_day - timedelta(days=3),) in after
    assert fold_pending_days() == 0


@pytest.mark.django_db
def test_the_rebuild_command_replaces_stale_rows(org: Org) -> None:
    # given: rows written behind the rollups' back
    _varied(org, n=150)
    assert not InteractionRollup.objects.exists()

    # when
    call_command("rebuild_interaction_rollups", verbosity=0)

    # then
    assert InteractionRollup.objects.exists()
    assert InteractionAgentRollup.objects.exists()
    _same(queries.Selection(), by=("day", "queue"), answer_within_seconds=20)
    rows = InteractionRollup.objects.count()
    call_command("rebuild_interaction_rollups", verbosity=0)
    assert InteractionRollup.objects.count() == rows  # replaced, not added


@pytest.mark.django_db
def test_the_demo_build_leaves_the_rollups_current(
    settings: Any, tmp_path: Any
) -> None:
    from satisfy.demo.loader import build_demo

    settings.DATA_DIR = tmp_path
    build_demo(scale=0.01)

    assert not PendingInteractionDay.objects.exists()
    everything = queries.Selection()
    assert rollup_summaries(everything, by=("day", "queue")) is not None
    _same(everything, by=("day", "queue"), answer_within_seconds=20)
    _same(everything, by=("agent",), answer_within_seconds=30)
    assert queries.outcome_counts(everything) == queries.outcome_counts(
        everything, use_rollups=False
    )

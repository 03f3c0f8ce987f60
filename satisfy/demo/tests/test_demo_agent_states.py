"""The demo's agent states: consistent with its interactions, usable for occupancy."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Count
from pytest_django.fixtures import Settings as SettingsWrapper

from satisfy.analytics.contact_centre import (
    STATE_CLASSES,
    check_state_intervals,
    occupancy_by_group,
)
from satisfy.demo import synth
from satisfy.demo.agent_states import CLASSES, NAMES, plan_agent_states
from satisfy.interactions.models import AgentStateInterval, Interaction
from satisfy.interactions.occupancy import state_columns, summarise
from satisfy.interactions.queries import Period


@pytest.fixture(scope="module")
def data() -> synth.DemoData:
    return synth.generate(
        seed=synth.DEFAULT_SEED,
        scale=0.1,
        first_day=date(2024, 1, 1),
        now_seconds=synth.DAYS * 86400.0,
        ttl_days=14,
    )


def test_plan_follows_the_interactions(data: synth.DemoData) -> None:
    agent, state, start, end = plan_agent_states(data.interactions, seed=data.seed)
    check_state_intervals(agent, start, end)  # no overlap, none reversed
    table = data.interactions
    answered = table.is_answered & (table.agent >= 0)
    talk = state == NAMES.index("Talk")
    # one talk record per answered contact, as long as its talk time
    assert int(talk.sum()) == int((answered & (table.talk > 0)).sum())
    assert np.sort(end[talk] - start[talk]) == pytest.approx(
        np.sort(table.talk[answered & (table.talk > 0)])
    )
    hold = state == NAMES.index("Hold")
    assert (end[hold] - start[hold]).sum() == pytest.approx(table.hold[answered].sum())
    # every agent who answered has states, nobody else
    assert set(agent.tolist()) == set(table.agent[answered].tolist())


def test_plan_gives_a_plausible_occupancy(data: synth.DemoData) -> None:
    agent, state, start, end = plan_agent_states(data.interactions, seed=data.seed)
    classes = np.array([STATE_CLASSES.index(c) for c in CLASSES])[state]
    [total] = occupancy_by_group(
        np.zeros(agent.size, dtype=np.int64), 1, classes, end - start, agent
    )
    assert total.occupancy is not None
    assert 0.5 < total.occupancy < 0.9
    assert total.not_ready_seconds > 0
    assert total.agents == len(set(agent.tolist()))


def test_plan_is_reproducible(data: synth.DemoData) -> None:
    first = plan_agent_states(data.interactions, seed=data.seed)
    again = plan_agent_states(data.interactions, seed=data.seed)
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.django_db
def test_demo_stores_states_and_reset_removes_them(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, scale=0.01, stdout=io.StringIO())
    stored = AgentStateInterval.objects.count()
    assert stored > Interaction.objects.filter(outcome="answered").count()
    per_agent = AgentStateInterval.objects.values("agent").annotate(n=Count("pk"))
    assert all(row["agent"] is not None for row in per_agent)
    first = AgentStateInterval.objects.order_by("started_at").first()
    last = AgentStateInterval.objects.order_by("-ended_at").first()
    assert first is not None
    assert last is not None
    period = Period(first.started_at.date(), last.ended_at.date())
    total = summarise(state_columns(AgentStateInterval.objects.all(), period))[()]
    assert total.occupancy is not None
    assert 0.4 < total.occupancy < 0.95
    call_command("demo", no_serve=True, scale=0.01, reset=True, stdout=io.StringIO())
    assert AgentStateInterval.objects.count() == stored

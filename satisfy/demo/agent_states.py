"""Agent-state records for the demo, consistent with its interactions.

Each answered interaction becomes the agent's talk (its talk seconds), hold (its
hold seconds, when any) and after-call work (its ACW seconds), starting when it
was answered; a contact that would start while the agent is still busy with the
previous one starts when that one ends (chats and e-mails overlap in the data;
here an agent does one thing at a time). Before each contact the agent waits in
``Available``: an exponential wait whose mean makes the target occupancy ρ hold on
average, with ρ rising with the team's load in that hour (0.45 when quiet, up to
0.92 in the busiest hours), capped by the gap to the previous contact. The rest
of a gap is ``Break`` (5–20 minutes), ``Back office`` (longer; not ready), or
folded into ``Available`` (under 5 minutes). A gap of more than four hours ends
the shift: the agent is logged out (no record) until the next one, which starts
with a few minutes available. See ``docs/demo.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet
from numpy.typing import NDArray

from satisfy.demo import synth
from satisfy.demo.bulk import BATCH_SIZE, Timeline, delete_rows
from satisfy.interactions.models import AgentStateInterval
from satisfy.org.models import Agent, OrgUnit

SEED_OFFSET = 7_411
"""Added to the demo seed, so states are reproducible without touching ``synth``."""
SHIFT_GAP_SECONDS = 4 * 3600.0
SHORT_GAP_SECONDS = 5 * 60.0
BREAK_MAX_SECONDS = 20 * 60.0
LEAD_IN_SECONDS = (3 * 60.0, 15 * 60.0)

AVAILABLE, TALK, HOLD, ACW, BREAK, BACK_OFFICE = range(6)
NAMES = ("Available", "Talk", "Hold", "ACW", "Break", "Back office")
CLASSES = (
    "available",
    "talk",
    "hold",
    "after_call_work",
    "not_ready",
    "not_ready",
)


def _target_occupancy(
    table: synth.InteractionTable,
    answered: NDArray[np.int64],
    start: NDArray[np.float64],
) -> NDArray[np.float64]:
    """ρ per contact from its team's contacts in the same hour of the same day."""
    hour = (start // 3600).astype(np.int64)
    team = table.team[answered]
    key = team * (int(hour.max()) + 1 if hour.size else 1) + hour
    _u, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    load = counts[inverse.reshape(-1)].astype(np.float64)
    out: NDArray[np.float64] = np.clip(0.45 + 0.06 * load, 0.45, 0.92)
    return out


def plan_agent_states(
    table: synth.InteractionTable, *, seed: int
) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]
]:
    """``(agent, state, start, end)`` of every record, in seconds after ``first_day``.

    Records of one agent never overlap; ``state`` indexes ``NAMES``.
    """
    rng = np.random.default_rng(seed + SEED_OFFSET)
    answered = np.flatnonzero(table.is_answered & (table.agent >= 0))
    begin = (table.arrived + table.ivr + table.wait)[answered]
    order = np.lexsort((begin, table.agent[answered]))
    answered, begin = answered[order], begin[order]
    agent = table.agent[answered]
    talk = table.talk[answered]
    hold = table.hold[answered]
    acw = table.after_call_work[answered]
    handling = talk + hold + acw
    rho = _target_occupancy(table, answered, begin)
    wait_draw = rng.exponential(1.0, size=answered.size) * handling * (1 - rho) / rho
    lead_in = rng.uniform(*LEAD_IN_SECONDS, size=answered.size)

    # One contact after another per agent (a contact waits for the previous one).
    start = begin.copy()
    agent_list = agent.tolist()
    start_list = start.tolist()
    handling_list = handling.tolist()
    busy_until = -np.inf
    previous = -1
    for i, a in enumerate(agent_list):
        if a != previous:
            busy_until = -np.inf
            previous = a
        if start_list[i] < busy_until:
            start_list[i] = busy_until
        busy_until = start_list[i] + handling_list[i]
    start = np.asarray(start_list)
    end = start + handling
    # Every boundary is computed once and shared by the records on both sides,
    # so records touch exactly and never overlap by a rounding error.
    new_agent = np.r_[True, agent[1:] != agent[:-1]]
    prev_end = np.where(new_agent, -np.inf, np.r_[-np.inf, end[:-1]])
    gap = start - prev_end
    new_shift = new_agent | (gap > SHIFT_GAP_SECONDS)
    avail_lo = np.where(
        new_shift, start - lead_in, np.maximum(start - wait_draw, prev_end)
    )
    fold = ~new_shift & (avail_lo - prev_end < SHORT_GAP_SECONDS)
    avail_lo = np.where(fold, prev_end, avail_lo)
    has_rest = ~new_shift & (avail_lo > prev_end)
    talk_end = start + talk
    hold_end = talk_end + hold

    pieces: list[
        tuple[NDArray[np.bool_], int, NDArray[np.float64], NDArray[np.float64]]
    ] = [
        # (which contacts, state, start, end)
        (has_rest, BREAK, prev_end, avail_lo),
        (start > avail_lo, AVAILABLE, avail_lo, start),
        (talk > 0, TALK, start, talk_end),
        (hold > 0, HOLD, talk_end, hold_end),
        (end > hold_end, ACW, hold_end, end),
    ]
    agents_out, states_out, starts_out, ends_out = [], [], [], []
    for mask, state, lo, hi in pieces:
        states = np.full(int(mask.sum()), state, dtype=np.int64)
        if state == BREAK:
            states[(hi - lo)[mask] > BREAK_MAX_SECONDS] = BACK_OFFICE
        agents_out.append(agent[mask])
        states_out.append(states)
        starts_out.append(lo[mask])
        ends_out.append(hi[mask])
    a = np.concatenate(agents_out).astype(np.int64)
    s = np.concatenate(starts_out)
    e = np.concatenate(ends_out)
    st = np.concatenate(states_out)
    order = np.lexsort((s, a))
    return a[order], st[order], s[order], e[order]


def _utc_text(timeline: Timeline, seconds: NDArray[np.float64]) -> list[str]:
    """Seconds after ``first_day`` midnight (local wall clock) as UTC text.

    Vectorised twin of ``Timeline.at``: ``YYYY-MM-DD HH:MM:SS``, the text
    both SQLite (Django's own format) and PostgreSQL (a session in UTC) read.
    """
    # whole seconds: Django's text format on SQLite has no fraction then
    local = timeline.origin + np.round(seconds).astype("timedelta64[s]")
    index = pd.DatetimeIndex(local)
    if str(timeline.zone) != "UTC":
        index = (
            index.tz_localize(
                timeline.zone,
                ambiguous=np.ones(len(index), dtype=np.bool_),  # fold=0, as Timeline.at
                nonexistent="shift_forward",
            )
            .tz_convert("UTC")
            .tz_localize(None)
        )
    text = np.datetime_as_string(index.to_numpy(dtype="datetime64[s]"), unit="s")
    out: list[str] = np.char.replace(text, "T", " ").tolist()
    return out


def insert_agent_states(
    data: synth.DemoData,
    timeline: Timeline,
    units: dict[str, OrgUnit],
    agents: Sequence[Agent],
) -> int:
    """Insert the demo's agent-state records; return how many.

    Straight to the table (COPY on PostgreSQL, batched executemany elsewhere):
    ``bulk.insert_rows`` converts each datetime in Python, which would double the
    time of this, the demo's largest table.
    """
    agent, state, start, end = plan_agent_states(data.interactions, seed=data.seed)
    team_unit = [units[a.team_code].pk for a in data.agents]
    agent_ids = [a.pk for a in agents]
    agent_codes = [a.code for a in agents]
    agent_index = agent.tolist()
    state_index = state.tolist()
    rows = list(
        zip(
            [agent_ids[i] for i in agent_index],
            [agent_codes[i] for i in agent_index],
            [team_unit[i] for i in agent_index],
            [NAMES[s] for s in state_index],
            [CLASSES[s] for s in state_index],
            _utc_text(timeline, start),
            _utc_text(timeline, end),
            strict=True,
        )
    )
    table = AgentStateInterval._meta.db_table
    names = ", ".join(
        connection.ops.quote_name(c)
        for c in (
            "agent_id",
            "agent_key",
            "unit_id",
            "state",
            "state_class",
            "started_at",
            "ended_at",
            "queue",
        )
    )
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            with raw.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, ""))
        else:
            sql = f"INSERT INTO {quoted} ({names}) VALUES (%s, %s, %s, %s, %s, %s, %s, '')"  # noqa: S608
            for offset in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(sql, rows[offset : offset + BATCH_SIZE])
    return len(rows)


def delete_agent_states(tree: QuerySet[OrgUnit]) -> None:
    """Remove the demo's agent-state records (those in the demo's unit tree)."""
    delete_rows(AgentStateInterval.objects.filter(unit__in=tree))

"""The stored gap to each customer's next contact, and FCR/ACR from SQL aggregates.

``queries.resolution_report`` counts ``Interaction.next_contact_seconds`` in SQL; these
tests check that it gives exactly what the former Python path gave (kept below as
``_former_python_report``) and what the library computes from the raw arrays, and
that imports, live events and the rebuild keep the column equal to a computation
from scratch.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Max

from satisfy.accounts.models import User
from satisfy.analytics.contact_centre import (
    active_contact_resolution,
    repeat_contacts,
)
from satisfy.conftest import Org
from satisfy.customers.models import Customer
from satisfy.formats.interactions_csv import read_interactions
from satisfy.interactions import queries
from satisfy.interactions.models import Interaction
from satisfy.interactions.next_contacts import rebuild_all, refresh_customers
from satisfy.interactions.queries import EpochSeconds, Period, Selection
from satisfy.interactions.services import (
    InteractionEvent,
    import_interactions,
    record_interaction_event,
)

START = datetime(2024, 5, 1, tzinfo=UTC)
DAY = 86_400

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ references


def _former_python_report(
    interactions: queries.Source, *, period: Period, window_days: float = 7.0
) -> queries.ResolutionReport:
    """``queries.resolution_report`` before the SQL aggregate (numpy + the library).

    Verbatim but for ``order_by("pk")`` (was ``order_by()``): with ties in arrival
    times the library keeps the input order, which must be deterministic here.
    """
    interactions = queries._raw(
        interactions.with_period(None)
        if isinstance(interactions, Selection)
        else interactions
    )
    start, end = period.bounds()
    rows = (
        interactions.filter(
            arrived_at__gte=start, arrived_at__lt=end + timedelta(days=window_days)
        )
        .annotate(_epoch=EpochSeconds("arrived_at"))
        .values_list(
            "customer_key",
            "customer_id",
            "_epoch",
            "outcome",
            "agent_key",
            "agent_id",
            "is_resolved",
        )
    )
    data = list(rows.order_by("pk"))
    last = interactions.aggregate(last=Max("arrived_at"))["last"]
    if not data or last is None:
        empty = repeat_contacts([], [], window_days=window_days)
        return queries.ResolutionReport(empty, (), 0, 0)
    keys, ids, epochs, outcome, agent_key, agent_id, resolved = zip(*data, strict=True)
    customers = [
        key or (f"customer:{cid}" if cid is not None else "")
        for key, cid in zip(keys, ids, strict=True)
    ]
    seconds = np.array(epochs, dtype=np.float64)
    data_end = min(last.timestamp(), (end + timedelta(days=window_days)).timestamp())
    inside = (seconds < end.timestamp()) & (seconds + window_days * 86_400 <= data_end)
    answered = np.array([o == Interaction.Outcome.ANSWERED for o in outcome]) & inside
    repeat = repeat_contacts(
        customers,
        seconds,
        window_days=window_days,
        data_end_seconds=data_end,
        is_handled=answered,
    )
    agents = np.array(
        [
            (key or (f"agent:{aid}" if aid is not None else "")) if ok else ""
            for key, aid, ok in zip(agent_key, agent_id, answered, strict=True)
        ],
        dtype=object,
    )
    acr = active_contact_resolution(
        agents, customers, seconds, window_days=window_days, data_end_seconds=data_end
    )
    flags = [
        r for r, ok in zip(resolved, answered, strict=True) if ok and r is not None
    ]
    return queries.ResolutionReport(repeat, acr, sum(1 for r in flags if r), len(flags))


def _library_report(
    selection: Selection, *, period: Period, window_days: float
) -> queries.ResolutionReport:
    """The library on the raw arrays of EVERY stored contact, the base being the
    selection's answered contacts: a repeat is any later contact of the customer,
    in or out of the selection (docs/metrics.md)."""
    in_base = set(
        selection.with_period(None).interactions().values_list("pk", flat=True)
    )
    rows = list(
        Interaction.objects.annotate(_epoch=EpochSeconds("arrived_at"))
        .values_list(
            "pk",
            "arrived_at",
            "customer_key",
            "customer_id",
            "_epoch",
            "outcome",
            "agent_key",
            "agent_id",
            "is_resolved",
        )
        .order_by("pk")
    )
    if not rows:
        empty = repeat_contacts([], [], window_days=window_days)
        return queries.ResolutionReport(empty, (), 0, 0)
    pks, arrivals, keys, ids, epochs, outcome, agent_key, agent_id, resolved = zip(
        *rows, strict=True
    )
    start, end = period.bounds()
    last = Interaction.objects.aggregate(last=Max("arrived_at"))["last"]
    data_end = min(last.timestamp(), (end + timedelta(days=window_days)).timestamp())
    customers = [
        key or (f"customer:{cid}" if cid is not None else "")
        for key, cid in zip(keys, ids, strict=True)
    ]
    seconds = np.array(epochs, dtype=np.float64)
    # the period starts at ``start``, a datetime comparison as in the query
    arrived = [t >= start for t in arrivals]
    base = (
        np.array([pk in in_base for pk in pks])
        & np.array(arrived)
        & np.array([o == Interaction.Outcome.ANSWERED for o in outcome])
        & (seconds < end.timestamp())
        & (seconds + window_days * 86_400 <= data_end)
    )
    repeat = repeat_contacts(
        customers,
        seconds,
        window_days=window_days,
        data_end_seconds=data_end,
        is_handled=base,
    )
    agents = np.array(
        [
            (key or (f"agent:{aid}" if aid is not None else "")) if ok else ""
            for key, aid, ok in zip(agent_key, agent_id, base, strict=True)
        ],
        dtype=object,
    )
    acr = active_contact_resolution(
        agents, customers, seconds, window_days=window_days, data_end_seconds=data_end
    )
    flags = [r for r, ok in zip(resolved, base, strict=True) if ok and r is not None]
    return queries.ResolutionReport(repeat, acr, sum(1 for r in flags if r), len(flags))


def _gaps_from_scratch() -> dict[int, float | None]:
    """Each contact's gap to its customer's next one, computed in numpy."""
    rows: list[tuple[Any, ...]] = list(
        Interaction.objects.annotate(_epoch=EpochSeconds("arrived_at"))
        .values_list("pk", "customer_key", "customer_id", "arrived_at", "_epoch")
        .order_by("pk")
    )
    out: dict[int, float | None] = {pk: None for pk, *_ in rows}
    by_customer: dict[str, list[tuple[datetime, int, float]]] = {}
    for pk, key, cid, arrived, epoch in rows:
        who = key or (f"customer:{cid}" if cid is not None else "")
        if who:
            by_customer.setdefault(who, []).append((arrived, pk, epoch))
    for contacts in by_customer.values():
        contacts.sort()
        for (_t, pk, epoch), (_t2, _pk2, following) in itertools.pairwise(contacts):
            out[pk] = following - epoch
    return out


def _gaps_by_name() -> dict[str, float | None]:
    """Stored gaps by external id, to the millisecond (SQLite's epochs, like the
    former path's, are off by a few microseconds: 3599.99998 for an hour)."""
    return {
        name: None if gap is None else round(gap, 3)
        for name, gap in Interaction.objects.values_list(
            "external_id", "next_contact_seconds"
        )
    }


def _stored_gaps() -> dict[int, float | None]:
    return dict(Interaction.objects.values_list("pk", "next_contact_seconds"))


# ------------------------------------------------------------------------ data


def _varied_contacts(org: Org, seed: int = 7, n: int = 700) -> None:
    """Contacts over 40 days: several channels, units and agents; ties; customers
    known by key, by Customer row only, or not at all; exact window-length gaps;
    contacts at and near midnight of the period ends. Written in bulk, then the
    column is rebuilt (what the demo does)."""
    rng = np.random.default_rng(seed)
    known = [
        Customer.objects.create(external_id=f"CRM{i}", name=f"c{i}") for i in range(6)
    ]
    units = [org.north_team, org.south_team, org.north_branch, org.south_branch]
    channels = ["voice", "voice", "chat", "email", "branch"]
    agents: list[tuple[Any, str]] = [
        (org.carol_agent, "carol"),
        (org.south_agent, ""),  # by id only: label "agent:<id>"
        (None, "X9"),  # a source key without an Agent row
        (None, f"agent:{org.carol_agent.pk}"),  # a key equal to carol's id label
        (None, ""),  # answered by nobody known
    ]
    seconds = rng.integers(0, 40 * DAY, n).astype(np.int64)
    seconds[::11] = seconds[1::11][: len(seconds[::11])]  # exact ties
    seconds[5:60:9] = 20 * DAY  # midnight of a period's end
    seconds[6:60:9] = 20 * DAY - 1
    made = []
    for i in range(n):
        kind = rng.integers(0, 10)
        customer, key = None, ""
        if kind < 6:
            key = f"K{int(rng.integers(0, 60))}"
        elif kind == 6:
            customer = known[int(rng.integers(0, len(known)))]  # no key: by id
        elif kind == 7:
            customer = known[0]
            key = f"customer:{known[1].pk}"  # the same identity as known[1]'s id
        agent, agent_key = agents[int(rng.integers(0, len(agents)))]
        outcome = str(
            rng.choice(
                ["answered"] * 5 + ["abandoned_queue", "abandoned_ivr", "callback"]
            )
        )
        made.append(
            Interaction(
                external_id=f"v-{i}",
                channel=channels[int(rng.integers(0, len(channels)))],
                queue=str(rng.choice(["cards", "loans"])),
                unit=agent.unit if agent is not None else units[i % len(units)],
                agent=agent if outcome == "answered" else None,
                agent_key=agent_key if outcome == "answered" else "",
                customer=customer,
                customer_key=key,
                arrived_at=START + timedelta(seconds=int(seconds[i])),
                outcome=outcome,
                is_resolved=[None, True, False][int(rng.integers(0, 3))],
            )
        )
    # Gaps of exactly 1, 3 and 7 days, and just over: the window's edge.
    for days in (1, 3, 7):
        for extra, tag in ((0, "on"), (1, "past")):
            first = START + timedelta(days=3, hours=days)
            made += [
                Interaction(
                    external_id=f"edge-{days}-{tag}-{j}",
                    unit=org.north_team,
                    agent=org.carol_agent,
                    agent_key="carol",
                    customer_key=f"E{days}{tag}",
                    arrived_at=first + timedelta(days=days * j, seconds=extra * j),
                    outcome="answered",
                )
                for j in range(2)
            ]
    Interaction.objects.bulk_create(made)
    rebuild_all()


PERIODS = [
    Period(date(2024, 5, 1), date(2024, 6, 9)),  # everything
    Period(date(2024, 5, 8), date(2024, 5, 20)),  # ends at the midnight contacts
    Period(date(2024, 5, 30), date(2024, 6, 9)),  # near the data's end
    Period(date(2024, 7, 1), date(2024, 7, 9)),  # after the data
]


# ----------------------------------------------------------------------- tests


@pytest.mark.parametrize("window_days", [1, 2.5, 3, 7.0])
def test_sql_report_equals_the_former_python_path(org: Org, window_days: float) -> None:
    # given
    _varied_contacts(org)

    for period in PERIODS:
        for source in (Selection(), Interaction.objects.all()):
            # when
            got = queries.resolution_report(
                source, period=period, window_days=window_days
            )

            # then
            assert got == _former_python_report(
                source, period=period, window_days=window_days
            )
    whole = queries.resolution_report(
        Selection(), period=PERIODS[0], window_days=window_days
    )
    assert whole.repeat.evaluable > 100
    assert 0 < whole.repeat.repeats < whole.repeat.evaluable
    assert whole.repeat.unidentified > 0
    assert {a.agent for a in whole.agents} == {
        "carol",
        "X9",
        f"agent:{org.carol_agent.pk}",
        f"agent:{org.south_agent.pk}",
    }
    assert whole.flagged_known > whole.flagged_resolved > 0


def test_scoped_reports_equal_the_library_on_every_contact(
    org: Org, alice: User, bob: User, carol: User
) -> None:
    # given
    _varied_contacts(org, seed=11)
    selections = {
        "alice": Selection.for_user(alice),
        "bob (North branch)": Selection.for_user(bob),
        "carol (her own)": Selection.for_user(carol),
        "voice only": Selection(channel="voice"),
        "loans queue": Selection(queue="loans"),
        "north team": Selection(unit_path=org.north_team.path),
    }
    for window_days in (3, 7.0):
        for period in PERIODS[:3]:
            for name, selection in selections.items():
                # when
                got = queries.resolution_report(
                    selection, period=period, window_days=window_days
                )

                # then
                expected = _library_report(
                    selection, period=period, window_days=window_days
                )
                assert got == expected, (name, period, window_days)
    carol_only = queries.resolution_report(
        Selection.for_user(carol), period=PERIODS[0], window_days=7
    )
    assert [a.agent for a in carol_only.agents] == ["carol"]
    assert carol_only.repeat.evaluable > 0


def test_a_repeat_outside_the_scope_still_counts(
    org: Org, bob: User, carol: User
) -> None:
    # given: carol answers K1 on day 0; K1 calls the South branch (outside bob's
    # and carol's scope) by chat the next day; both well before the data end
    def contact(name: str, day: int, **fields: Any) -> Interaction:
        fields.setdefault("customer_key", "K1")
        return Interaction(
            external_id=name,
            arrived_at=START + timedelta(days=day, hours=10),
            outcome="answered",
            **fields,
        )

    Interaction.objects.bulk_create(
        [
            contact("first", 0, unit=org.north_team, agent=org.carol_agent),
            contact("again", 1, unit=org.south_team, channel="chat"),
            contact("later", 30, unit=org.north_team, customer_key="other"),
        ]
    )
    rebuild_all()
    period = Period(date(2024, 5, 1), date(2024, 5, 7))

    for user in (bob, carol):
        # when
        report = queries.resolution_report(
            Selection.for_user(user), period=period, window_days=7
        )

        # then: the call back counts against carol's first contact
        assert (report.repeat.evaluable, report.repeat.repeats) == (1, 1)
        assert report.repeat.fcr_rate == 0.0
        assert [(a.agent, a.evaluable, a.resolved) for a in report.agents] == [
            (f"agent:{org.carol_agent.pk}", 1, 0)
        ]
    # The former Python path read only the scope's contacts, so it missed it (here
    # bob's scope has a later contact, so its data end left day 0 evaluable).
    former = _former_python_report(
        Selection.for_user(bob), period=period, window_days=7
    )
    assert (former.repeat.evaluable, former.repeat.repeats) == (1, 0)


def test_the_column_holds_the_gap_to_the_next_contact(org: Org) -> None:
    # given: ties, an unidentified caller, a keyless customer, two channels
    known = Customer.objects.create(external_id="CRM-A")
    at = START + timedelta(hours=9)
    rows = [
        ("a1", "A", None, at),
        ("a2", "A", None, at),  # the same second as a1
        ("a3", "A", None, at + timedelta(minutes=90)),
        ("u1", "", None, at),
        ("u2", "", None, at + timedelta(minutes=1)),
        ("k1", "", known, at + timedelta(days=2)),
        ("k2", f"customer:{known.pk}", None, at + timedelta(days=3)),
    ]
    Interaction.objects.bulk_create(
        Interaction(
            external_id=name,
            customer_key=key,
            customer=customer,
            arrived_at=arrived,
            channel="voice" if i % 2 else "chat",
            unit=org.north_team,
        )
        for i, (name, key, customer, arrived) in enumerate(rows)
    )

    # when
    result = rebuild_all()

    # then
    gaps = _gaps_by_name()
    assert gaps == {
        "a1": 0.0,
        "a2": 5400.0,
        "a3": None,
        "u1": None,
        "u2": None,
        "k1": 86_400.0,
        "k2": None,
    }
    assert (result.customers, result.changed) == (2, 3)
    assert rebuild_all().changed == 0  # nothing left to change


def _csv(tmp_path: Path, name: str, rows: list[tuple[str, str, str, str]]) -> Path:
    path = tmp_path / name
    lines = ["external_id,arrived_at,outcome,wait_seconds,channel,customer_id,agent"]
    lines += [
        f"{ext},{when},answered,5,{channel},{customer},carol"
        for ext, when, channel, customer in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_imports_keep_the_column_of_every_contact_of_their_customers(
    tmp_path: Path, org: Org
) -> None:
    # given: a first file
    first = _csv(
        tmp_path,
        "first.csv",
        [
            ("f1", "2024-05-01 10:00:00", "voice", "A"),
            ("f2", "2024-05-05 10:00:00", "voice", "A"),
            ("f3", "2024-05-02 09:00:00", "chat", "B"),
            ("f4", "2024-05-02 09:00:00", "voice", ""),
        ],
    )
    import_interactions(records=read_interactions(first), default_unit=org.company)
    assert _stored_gaps() == _gaps_from_scratch()

    # when: a second file with contacts between, before and after the stored ones,
    # ties with them, and a new customer
    second = _csv(
        tmp_path,
        "second.csv",
        [
            ("s1", "2024-05-03 10:00:00", "email", "A"),
            ("s2", "2024-04-30 08:00:00", "voice", "B"),
            ("s3", "2024-05-02 09:00:00", "voice", "B"),
            ("s4", "2024-05-09 12:00:00", "chat", "C"),
        ],
    )
    import_interactions(records=read_interactions(second), default_unit=org.company)

    # then
    gaps = _gaps_by_name()
    assert gaps["f1"] == 2 * DAY  # now followed by s1
    assert gaps["s1"] == 2 * DAY
    assert gaps["s2"] == 2 * DAY + 3600
    assert gaps["f3"] == 0.0  # tied with s3, which has the larger id
    assert gaps["s3"] is None
    assert gaps["f4"] is None
    assert gaps["s4"] is None
    assert _stored_gaps() == _gaps_from_scratch()
    assert rebuild_all().changed == 0


def _event(name: str, kind: str, at: datetime, **fields: Any) -> None:
    record_interaction_event(
        event=InteractionEvent(
            external_id=name, event=kind, at=at, unit_code="north-cards", **fields
        )
    )


def test_live_events_keep_the_new_and_the_previous_contact(org: Org) -> None:
    # given: two stored calls of customer A, the second one without a next contact
    at = START + timedelta(hours=9)
    _event("e1", "arrived", at, customer_key="A", channel="voice")
    _event("e2", "arrived", at + timedelta(days=2), customer_key="A")
    gaps = _gaps_by_name()
    assert (gaps["e1"], gaps["e2"]) == (2 * DAY, None)

    # when: a chat arrives between them, then later events of it change nothing
    _event("e3", "arrived", at + timedelta(days=1), customer_key="A", channel="chat")
    _event("e3", "answered", at + timedelta(days=1, minutes=1), agent_code="carol")
    _event("e3", "ended", at + timedelta(days=1, minutes=9))

    # then
    gaps = _gaps_by_name()
    assert (gaps["e1"], gaps["e3"], gaps["e2"]) == (DAY, DAY, None)
    assert _stored_gaps() == _gaps_from_scratch()

    # when: the chat's arrival moves before e1, and e2 turns out to be customer B
    _event("e3", "arrived", at - timedelta(hours=1))
    _event("e2", "queued", at + timedelta(days=2, seconds=5), customer_key="B")

    # then
    gaps = _gaps_by_name()
    assert (gaps["e3"], gaps["e1"], gaps["e2"]) == (3600.0, None, None)
    assert _stored_gaps() == _gaps_from_scratch()


def test_the_rebuild_command_repairs_the_column_chunk_by_chunk(
    org: Org, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: correct values, then damage written behind the services' back
    _varied_contacts(org, seed=3, n=200)
    expected = _gaps_from_scratch()
    assert _stored_gaps() == expected
    Interaction.objects.filter(pk__in=list(expected)[::3]).update(
        next_contact_seconds=-1.0
    )
    Interaction.objects.filter(pk__in=list(expected)[1::3]).update(
        next_contact_seconds=None
    )

    # when
    call_command("rebuild_next_contacts", chunk_customers=5)

    # then
    assert _stored_gaps() == expected
    out = capsys.readouterr().out
    assert "Recomputed the next contacts of" in out
    assert "rows changed" in out


def test_refreshing_no_customer_writes_nothing(org: Org) -> None:
    assert refresh_customers([None, ""]) == 0
    report = queries.resolution_report(Selection(), period=PERIODS[0], window_days=7)
    assert report == _former_python_report(
        Selection(), period=PERIODS[0], window_days=7
    )
    assert report.repeat.evaluable == 0
    assert report.agents == ()

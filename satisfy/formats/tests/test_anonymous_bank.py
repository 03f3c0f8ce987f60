"""The real Anonymous Bank log, February 1999.

Data: Anonymous Bank call-center data, Technion Service Enterprise Engineering (SEE)
Center, organised by Ilan Guedj and Avishai Mandelbaum (documentation "Anonymous Bank
Call-Center Data", 9 Feb 2000). Copy from GitHub mtpa/mtpa (T. W. Miller, *Modeling
Techniques in Predictive Analytics*, Pearson 2015, chapter 6), described in
shared/data/callcenter/README.md.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from satisfy.analytics.contact_centre import queue_kpis, summarise_queue
from satisfy.analytics.staffing import erlang_c
from satisfy.formats.anonymous_bank import read_anonymous_bank


@pytest.fixture(scope="module")
def records(request):
    path = request.getfixturevalue("february")
    return read_anonymous_bank(path)


# Figures stated in shared/data/callcenter/README.md (checked against the file there).
def test_counts_match_the_readme(records):
    assert records.rows_read == 33_344  # "33,344 records + 1 header line"
    assert len(records) + records.excluded["phantom"] == 33_344
    outcomes = Counter(records.outcome)
    # "1,941 rows are HANG without ever queuing, i.e. abandoned in the VRU"
    assert outcomes["abandoned_ivr"] == 1_941
    # "491 rows are AGENT with server = NO_SERVER"
    assert int(((records.outcome == "answered") & (records.agent == "")).sum()) == 491


def test_priorities_match_the_readme(records):
    # "Counts in this file: 0 = 19,602, 1 = 4,623, 2 = 9,119" (PHANTOM rows included)
    counts = Counter(records.extra["priority"].tolist())
    phantom = records.excluded["phantom"]
    assert counts[0] + counts[1] + counts[2] + phantom == 19_602 + 4_623 + 9_119


def test_outcome_counts(records):
    # Counted from the file (AGENT 27,162, HANG 5,904, PHANTOM 278); HANG splits into
    # 1,941 IVR abandons (README) and 3,963 queue abandons.
    outcomes = Counter(records.outcome)
    assert records.excluded == {"phantom": 278}
    assert outcomes["answered"] == 27_162
    assert outcomes["abandoned_queue"] == 3_963


def test_negative_ivr_times_are_reported_by_row_and_the_calls_kept(records):
    # README: 25 negative vru_time values, 23 after PHANTOM removal ("MTPA drops the 23
    # that remain"). They are vru_exit a few seconds to minutes *before* vru_entry in
    # mid-day (e.g. 9:48:14 -> 9:47:17), so not midnight wraps: kept, IVR time unknown.
    negative = [w for w in records.warnings if w.column == "vru_time"]
    assert len(negative) == 23
    assert negative[0].row == 2047
    assert negative[0].value == "-57"
    assert int(np.isnan(records.ivr_seconds).sum()) == 23


def test_midnight_wraps_are_not_errors(records):
    # README: "There are also 16 wraps in service times"; their end is on the next day.
    answered = records.outcome == "answered"
    crosses = answered & (
        records.ended_at.astype("datetime64[D]")
        > records.arrived_at.astype("datetime64[D]")
    )
    assert int(crosses.sum()) >= 16
    assert (records.ended_at >= records.arrived_at).all()
    assert (records.talk_seconds[answered] >= 0).all()


# Reference: T. W. Miller, *Modeling Techniques in Predictive Analytics* (Pearson 2015),
# chapter 6, program chapter_6_program.R (GitHub mtpa/mtpa, MTPA_Chapter_6): drop PHANTOM
# calls and negative vru_time rows, take the four Wednesdays of February 1999, arrival
# rate = calls per hour of vru_entry / 4, service rate 15 calls/hour per agent, and the
# smallest number of servers with Erlang C probability of waiting <= 0.5. Published
# result (comment in the program): 1 1 1 0 1 1 1 4 8 9 10 9 8 16 10 10 6 7 8 8 6 6 5 4.
def test_it_reproduces_the_mtpa_wednesday_staffing(records):
    keep = ~np.isnan(records.ivr_seconds)
    day = records.arrived_at.astype("datetime64[D]")
    weekday = (day.astype(np.int64) + 4) % 7  # 1970-01-01 was a Thursday; 0 = Sunday
    wednesday = keep & (weekday == 3)
    assert len(np.unique(day[wednesday])) == 4
    hour = (records.arrived_at - day).astype(np.int64) // 3600
    rate = np.bincount(hour[wednesday], minlength=24) / 4
    needed = []
    for calls_per_hour in rate:
        traffic, agents, p_wait = calls_per_hour / 15, 0, 1.0
        while calls_per_hour and p_wait > 0.5:
            agents += 1
            p_wait = erlang_c(traffic, agents) if traffic < agents else 1.0
        needed.append(agents)
    assert needed == [
        1,
        1,
        1,
        0,
        1,
        1,
        1,
        4,
        8,
        9,
        10,
        9,
        8,
        16,
        10,
        10,
        6,
        7,
        8,
        8,
        6,
        6,
        5,
        4,
    ]


def test_queue_kpis_of_february(records):
    # Independent check, not a published value: the KPIs equal a direct count.
    q = np.isin(records.outcome, ("answered", "abandoned_queue"))
    answered = records.outcome[q] == "answered"
    waits = records.wait_seconds[q]
    k = queue_kpis(
        summarise_queue(waits, answered, talk_seconds=records.talk_seconds[q])
    )
    assert (k.offered, k.answered, k.abandoned) == (31_125, 27_162, 3_963)
    assert k.asa_seconds == pytest.approx(waits[answered].mean())
    assert k.abandonment_rate == pytest.approx(3_963 / 31_125)
    assert k.aht_seconds == pytest.approx(records.talk_seconds[q][answered].mean())
    # Brown et al. (2005, JASA 100:36-50) describe this bank's 1999 queue as heavily
    # loaded with sizeable abandonment; February is consistent with that picture.
    assert k.abandonment_rate is not None
    assert 0.05 < k.abandonment_rate < 0.25


def test_unidentified_customers_are_blank(records):
    # README: customer_id 0 = not identified (96.6 % of non-queued calls).
    not_queued = np.isnat(records.queue_started_at)
    share = (records.customer_id[not_queued] == "").mean()
    assert share > 0.95

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satisfy.analytics import csat, csi, nps
from satisfy.reports.dashboard import build_dashboard
from satisfy.reports.models import (
    RESPONSES,
    DailyRollup,
    DailyUnitRollup,
    PendingRollup,
)
from satisfy.reports.queries import Filters, Period, Source
from satisfy.reports.rollups import check_rollups, fold_pending_rollups, rebuild_rollups
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import complete_response


def _stored(model):
    return sorted(
        model.objects.values_list(
            *([f.name for f in model._meta.fields if f.name not in {"id"}])
        )
    )


def test_completed_responses_wait_in_the_queue_until_a_fold(dataset):
    # every response completed through the services is queued, not yet counted
    assert PendingRollup.objects.count() == 80
    assert not DailyUnitRollup.objects.exists()
    assert fold_pending_rollups() == 80
    assert not PendingRollup.objects.exists()
    assert fold_pending_rollups() == 0
    responses = DailyUnitRollup.objects.filter(question_code=RESPONSES)
    assert sum(r.c0 for r in responses) == 80


def test_a_rebuild_leaves_queued_responses_to_the_fold(dataset):
    # half the queue is folded, then a rebuild runs: nothing may count twice
    fold_pending_rollups(limit=40)
    rebuild_rollups()
    assert PendingRollup.objects.count() == 40
    assert check_rollups().ok  # folds the rest, then compares with the answers


def test_incremental_rollups_equal_a_rebuild_from_the_answers(dataset):
    fold_pending_rollups()
    before_detail = _stored(DailyRollup)
    before_unit = _stored(DailyUnitRollup)
    assert check_rollups().ok
    rebuild_rollups()
    assert _stored(DailyRollup) == before_detail
    assert _stored(DailyUnitRollup) == before_unit
    responses = DailyUnitRollup.objects.filter(question_code=RESPONSES)
    assert sum(r.c0 for r in responses) == 80


def test_completing_twice_counts_once(dataset):
    response = SurveyResponse.objects.filter(status="complete").first()
    assert response is not None
    assert complete_response(response=response) is False
    assert check_rollups().ok


def test_check_finds_tampering_and_rebuild_repairs_it(dataset):
    fold_pending_rollups()
    row = DailyUnitRollup.objects.exclude(question_code=RESPONSES).first()
    assert row is not None
    row.c3 += 1
    row.save()
    out = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("check_rollups", stdout=out)
    assert "stored" in out.getvalue()
    call_command("rebuild_rollups", stdout=StringIO())
    out = StringIO()
    call_command("check_rollups", stdout=out)
    assert "agree" in out.getvalue()


def test_rollups_and_raw_answers_give_the_library_numbers(dataset, alice):
    ds = dataset
    end = ds.now.date()
    period = Period(end - timedelta(days=60), end)
    source = Source(alice, ds.survey, Filters(period))
    from_rollups = source.histograms()
    assert not source.used_raw
    raw = Source(alice, ds.survey, Filters(period, language="")).responses()
    from satisfy.reports.queries import raw_histograms

    assert {k: v.tolist() for k, v in raw_histograms(raw).items()} == {
        k: v.tolist() for k, v in from_rollups.items()
    }
    dash = build_dashboard(user=alice, survey=ds.survey, filters=Filters(period))
    cards = {c.kind: c.result for c in dash.cards}
    assert cards["csat"] == csat(ds.values("csat_overall"))
    assert cards["nps"] == nps(ds.values("nps"))
    # per-item scores equal the library's on the raw answers
    treatment = [v for v in ds.values("treatment") if v != "na"]
    dims = {d["code"]: d["score"] for d in dash.dimensions}
    assert dims["treatment"].value == pytest.approx(csi([[v] for v in treatment]).value)


def test_a_raw_only_filter_gives_the_same_numbers_as_rollups(dataset, alice):
    ds = dataset
    end = ds.now.date()
    period = Period(end - timedelta(days=60), end)
    es = build_dashboard(
        user=alice, survey=ds.survey, filters=Filters(period, language="es")
    )
    assert es.source == "answers"
    cards = {c.kind: c.result for c in es.cards}
    assert cards["csat"] == csat(ds.values("csat_overall", language="es"))
    # the channel filter is served by the detail rollups
    sms = build_dashboard(
        user=alice, survey=ds.survey, filters=Filters(period, channel="sms")
    )
    assert sms.source == "rollups"
    cards = {c.kind: c.result for c in sms.cards}
    assert cards["nps"] == nps(ds.values("nps", channel="sms"))

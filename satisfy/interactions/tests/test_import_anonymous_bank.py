"""The February 1999 Anonymous Bank log imported into the database.

Data: Anonymous Bank call-center data, Technion Service Enterprise Engineering
Center (I. Guedj, A. Mandelbaum), 1999; used with acknowledgement of the source.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from satisfy.analytics.contact_centre import queue_kpis
from satisfy.conftest import Org
from satisfy.filecli import kpi
from satisfy.formats.anonymous_bank import read_anonymous_bank
from satisfy.formats.interactions_csv import InteractionFileError
from satisfy.interactions import queries
from satisfy.interactions.models import Interaction, InteractionImport
from satisfy.interactions.services import import_interactions
from satisfy.interactions.tests.conftest import FEBRUARY


def _cli_report(path: Path, by: str) -> dict[str, Any]:
    args = kpi._parser().parse_args(
        ["--data", str(path), "--format", "anonymous-bank", "--by", by]
    )
    assert isinstance(args, argparse.Namespace)
    return kpi.compute(read_anonymous_bank(path), args)


@pytest.mark.django_db(transaction=False)
def test_kpis_from_the_database_equal_the_librarys_on_the_file(
    shared_data: Path, org: Org
) -> None:
    # given
    path = shared_data / FEBRUARY
    records = read_anonymous_bank(path)

    # when
    result = import_interactions(records=records, default_unit=org.north_branch)

    # then: every non-PHANTOM call stored, PHANTOM and IVR abandons counted
    assert result.imported == len(records) == Interaction.objects.count()
    assert result.excluded["phantom"] == records.excluded["phantom"] > 0
    stored_ivr = Interaction.objects.filter(outcome="abandoned_ivr").count()
    assert result.excluded["abandoned_ivr"] == stored_ivr > 0
    batch = InteractionImport.objects.get()
    assert batch.excluded == result.excluded
    assert batch.warning_count == len(records.warnings)

    # then: the queue KPIs by day x type from SQL equal the file's, group by group
    report = _cli_report(path, "date,queue")
    rows = Interaction.objects.all()
    by_group = queries.queue_summaries(rows, by=("day", "queue"))
    assert len(by_group) == len(report["groups"])
    for (day, queue), summary in by_group.items():
        expected = report["groups"][f"{day.isoformat()}|{queue}"]
        got = queue_kpis(summary)
        assert (got.offered, got.answered, got.abandoned) == (
            expected["offered"],
            expected["answered"],
            expected["abandoned"],
        )
        for v in got.service_level.variants:
            assert v.value == pytest.approx(expected["service_level"][v.name], abs=1e-6)
        assert got.asa_seconds == pytest.approx(expected["asa_seconds"], abs=1e-3)
        assert got.aht_seconds == pytest.approx(expected["aht_seconds"], abs=1e-3)
    total = queue_kpis(
        queries.merge_summaries(by_group.values(), answer_within_seconds=20)
    )
    assert total.offered == report["offered"]
    assert total.abandonment_rate == pytest.approx(report["abandonment_rate"], abs=1e-6)
    assert total.aht_components == tuple(report["aht_components"])
    assert total.transfer_rate is None  # the log has no transfers

    # then: FCR by the repeat-contact method: the same base as the file run, with
    # the contacts whose 7-day window runs past the data's end left out
    period = queries.Period(*_month(records))
    resolution = queries.resolution_report(rows, period=period, window_days=7)
    flags_base = report["repeat_contacts"]
    assert 0 < resolution.repeat.evaluable <= flags_base["evaluable"]
    assert resolution.repeat.contacts < flags_base["contacts"]
    assert resolution.repeat.fcr_rate is not None
    assert 0 < resolution.repeat.fcr_rate < 1


def _month(records: Any) -> tuple[Any, Any]:
    days = records.arrived_at.astype("datetime64[D]")
    return (days.min().astype(object), days.max().astype(object))


def test_intervals_from_the_database_equal_the_files(
    shared_data: Path, org: Org
) -> None:
    path = shared_data / FEBRUARY
    records = read_anonymous_bank(path)
    import_interactions(records=records, default_unit=org.north_branch)
    report = _cli_report(path, "interval")

    got = queries.interval_summaries(
        Interaction.objects.all(), interval_minutes=30, by_day=True
    )

    expected = {
        key: group for key, group in report["groups"].items() if group["offered"]
    }
    assert len(got) == len(expected)
    for (day, minute), summary in got.items():
        key = f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00"
        assert summary.offered == expected[key]["offered"]
        assert summary.answered_within == expected[key]["answered_within"]


def test_a_second_import_of_the_same_file_is_refused_and_stores_nothing(
    shared_data: Path, org: Org
) -> None:
    records = read_anonymous_bank(shared_data / FEBRUARY)
    import_interactions(records=records, default_unit=org.north_branch)
    before = Interaction.objects.count()

    with pytest.raises(InteractionFileError) as caught:
        import_interactions(records=records, default_unit=org.north_branch)

    assert Interaction.objects.count() == before
    assert InteractionImport.objects.count() == 1
    assert caught.value.total_issues == len(records)
    assert caught.value.issues[0].column == "external_id"
    assert "already stored" in caught.value.issues[0].message
    assert np.all([i.row >= 2 for i in caught.value.issues])

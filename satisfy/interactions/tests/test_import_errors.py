"""Bad interaction files: every problem by row and column, and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from satisfy.conftest import Org
from satisfy.formats.interactions_csv import InteractionFileError, read_interactions
from satisfy.interactions.models import Interaction, InteractionImport
from satisfy.interactions.services import import_interactions

GOOD = (
    "external_id,arrived_at,outcome,wait_seconds,talk_seconds,queue,agent\n"
    "c1,2024-03-04 10:00:00,answered,12,180,cards,carol\n"
    "c2,2024-03-04 10:05:00,abandoned_queue,95,,cards,\n"
    "c3,2024-03-04 10:07:00,answered,3,240,cards,sam\n"
)


def _write(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_stored_with_units_from_the_agents(
    tmp_path: Path, org: Org
) -> None:
    records = read_interactions(_write(tmp_path, GOOD))

    result = import_interactions(records=records, default_unit=org.company)

    assert result.imported == 3
    c1 = Interaction.objects.get(external_id="c1")
    assert (c1.agent, c1.unit) == (org.carol_agent, org.north_team)
    assert c1.agent_key == "carol"
    c2 = Interaction.objects.get(external_id="c2")
    assert (c2.agent, c2.unit, c2.talk_seconds) == (None, org.company, None)
    assert Interaction.objects.get(external_id="c3").unit == org.south_team


def test_missing_columns_list_what_is_expected_and_found(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,start,result\nc1,2024-03-04 10:00,answered\n")

    with pytest.raises(InteractionFileError) as caught:
        read_interactions(path)

    message = str(caught.value)
    assert "wait_seconds" in message
    assert "arrived_at" in message
    assert "'id', 'start', 'result'" in message


def test_bad_times_and_negative_durations_are_reported_by_row_and_nothing_is_stored(
    tmp_path: Path, org: Org
) -> None:
    path = _write(
        tmp_path,
        GOOD
        + "c4,yesterday,answered,10,100,cards,\nc5,2024-03-04 11:00,answered,-4,100,cards,\n",
    )

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_interactions", str(path), "--format", "csv", "--unit", "acme"
        )

    text = str(caught.value)
    assert "row 5, column 'arrived_at' ('yesterday')" in text
    assert "row 6, column 'wait_seconds' ('-4'): negative duration" in text
    assert "nothing was stored" in text
    assert Interaction.objects.count() == 0
    assert InteractionImport.objects.count() == 0


def test_unknown_units_and_repeated_ids_are_reported_by_row(
    tmp_path: Path, org: Org
) -> None:
    path = _write(
        tmp_path,
        "external_id,arrived_at,outcome,wait_seconds,unit\n"
        "a,2024-03-04 10:00,answered,1,north-cards\n"
        "b,2024-03-04 10:01,answered,1,nowhere\n"
        "a,2024-03-04 10:02,answered,1,north-cards\n",
    )
    records = read_interactions(path)

    with pytest.raises(InteractionFileError) as caught:
        import_interactions(records=records)

    issues = {(i.row, i.column): i.message for i in caught.value.issues}
    assert issues[(3, "unit")] == "no org unit with this code exists"
    assert issues[(4, "external_id")] == "external id repeats an earlier row"
    assert Interaction.objects.count() == 0


def test_rows_without_any_unit_need_one_for_the_file(tmp_path: Path, org: Org) -> None:
    path = _write(
        tmp_path,
        "external_id,arrived_at,outcome,wait_seconds\nx,2024-03-04 10:00,answered,1\n",
    )

    with pytest.raises(InteractionFileError) as caught:
        import_interactions(records=read_interactions(path))

    assert "--unit CODE" in caught.value.issues[0].message
    assert Interaction.objects.count() == 0


def test_the_command_imports_with_a_mapping_and_prints_a_summary(
    tmp_path: Path, org: Org, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write(
        tmp_path,
        "Call;Start;Result;Queue time;Talk\n"
        "k1;04/03/2024 10:00:00;ANS;12;180\n"
        "k2;04/03/2024 23:59:00;ABN;40;\n",
    )
    mapping = _write(
        tmp_path,
        "columns:\n  external_id: Call\n  arrived_at: Start\n  outcome: Result\n"
        "  wait_seconds: Queue time\n  talk_seconds: Talk\n"
        "outcome_values:\n  ANS: answered\n  ABN: abandoned_queue\n"
        'datetime_format: "%d/%m/%Y %H:%M:%S"\n',
        "map.yaml",
    )

    call_command(
        "import_interactions",
        str(data),
        "--format",
        "csv",
        "--map",
        str(mapping),
        "--unit",
        "north-central",
    )

    out = capsys.readouterr()
    assert "Imported 2 interactions from calls.csv" in out.out
    assert "stored 2 of 2 (100%)" in out.err
    k2 = Interaction.objects.get(external_id="k2")
    assert (k2.outcome, k2.wait_seconds, k2.unit) == (
        "abandoned_queue",
        40.0,
        org.north_branch,
    )
    assert k2.arrived_at.isoformat() == "2024-03-04T23:59:00+00:00"

"""Generic interaction files: CSV or XLSX with a YAML column mapping."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from satisfy.formats.interactions_csv import (
    InteractionFileError,
    load_mapping,
    read_interactions,
)

MAPPING = """
columns:
  external_id: Call ID
  arrived_at: Start
  wait_seconds: Queue time
  talk_seconds: Talk
  hold_seconds: Hold
  after_call_work_seconds: Wrap
  outcome: Result
  queue: Skill
  agent: Agent
  customer_id: Caller
  transfers: Transfers
  is_resolved: Resolved
outcome_values:
  ANS: answered
  ABN: abandoned_queue
  IVR: abandoned_ivr
datetime_format: "%d/%m/%Y %H:%M:%S"
"""

CSV = """Call ID;Start;Queue time;Talk;Hold;Wrap;Result;Skill;Agent;Caller;Transfers;Resolved
c1;01/03/2024 09:00:05;12;300;20;30;ANS;billing;carol;cust-1;0;yes
c2;01/03/2024 09:01:00;95;;;;ABN;billing;;cust-2;;
c3;01/03/2024 09:02:00;;;;;IVR;;;;;
"""


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text(MAPPING)
    return load_mapping(path)


def test_it_reads_a_mapped_csv(tmp_path, mapping):
    path = tmp_path / "calls.csv"
    path.write_text(CSV)
    r = read_interactions(path, mapping)
    assert r.outcome.tolist() == ["answered", "abandoned_queue", "abandoned_ivr"]
    assert r.wait_seconds[:2].tolist() == [12.0, 95.0]
    assert r.after_call_work_seconds[0] == 30.0
    assert r.is_resolved[0] == 1.0
    assert np.isnan(r.is_resolved[1])
    assert str(r.arrived_at[0]) == "2024-03-01T09:00:05"
    assert r.channel.tolist() == ["voice"] * 3
    assert next(r.rows())["agent"] == "carol"


def test_it_reads_the_same_data_from_xlsx(tmp_path, mapping):
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in CSV.strip().splitlines():
        ws.append([v if v else None for v in line.split(";")])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    r = read_interactions(path, mapping)
    assert r.format == "interactions-xlsx"
    assert r.talk_seconds[0] == 300.0
    assert r.outcome.tolist()[1] == "abandoned_queue"


def test_identity_mapping_without_a_map(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("arrived_at,outcome,wait_seconds\n2024-03-01T09:00:00,answered,3\n")
    r = read_interactions(path)
    assert r.external_id.tolist() == ["row-2"]


def test_misnamed_columns_list_what_is_expected_and_found(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("arrival,outcome,wait\n2024-03-01T09:00:00,answered,3\n")
    with pytest.raises(InteractionFileError) as exc:
        read_interactions(path)
    message = str(exc.value)
    assert "arrived_at" in message
    assert "wait_seconds" in message
    assert "found columns: 'arrival', 'outcome', 'wait'" in message


def test_every_bad_value_is_reported_and_nothing_imported(tmp_path, mapping):
    path = tmp_path / "calls.csv"
    path.write_text(
        CSV.splitlines()[0]
        + "\n"
        + "c1;31/02/2024 09:00:05;12;300;;;ANS;;;;;\n"
        + "c2;01/03/2024 09:01:00;-4;;;;ABN;;;;;\n"
        + "c3;01/03/2024 09:02:00;7;abc;;;XYZ;;;;;maybe\n"
    )
    with pytest.raises(InteractionFileError) as exc:
        read_interactions(path, mapping)
    found = {(i.row, i.column) for i in exc.value.issues}
    assert found == {
        (2, "Start"),
        (3, "Queue time"),
        (4, "Talk"),
        (4, "Result"),
        (4, "Resolved"),
    }
    assert exc.value.total_issues == 5


def test_mapping_with_unknown_fields_is_rejected(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("columns:\n  arrival: Start\n")
    with pytest.raises(InteractionFileError, match="unknown field"):
        load_mapping(path)

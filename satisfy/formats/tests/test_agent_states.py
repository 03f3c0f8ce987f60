"""Agent-state files: CSV or XLSX, column and state-name mapping, errors by row."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from satisfy.analytics.contact_centre import STATE_CLASSES
from satisfy.formats.agent_states import (
    AgentStateFileError,
    load_agent_state_mapping,
    read_agent_states,
)

# An Avaya-like export: semicolons, day-first times, its own state names.
AVAYA_MAPPING = """
columns:
  agent: Login ID
  state: Agent State
  start: From
  duration_seconds: Secs
  unit: Split
states:
  AVAIL: available
  ACD: talk
  ACW: after_call_work
  AUX 2: not_ready
  "AUX 0": not_ready
datetime_format: "%d/%m/%Y %H:%M:%S"
"""

AVAYA = """Login ID;Agent State;From;Secs;Split
4711;AVAIL;04/03/2024 08:50:00;1200;north
4711;ACD;04/03/2024 09:10:00;900;north
4711;Hold;04/03/2024 09:25:00;180;north
4711;ACW;04/03/2024 09:28:00;240;north
4711;AUX 2;04/03/2024 09:32:00;780;north
"""


def test_mapped_avaya_like_file(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text(AVAYA)
    mapping = tmp_path / "avaya.yaml"
    mapping.write_text(AVAYA_MAPPING)
    rec = read_agent_states(data, load_agent_state_mapping(mapping))
    assert len(rec) == 5
    assert rec.format == "agent-states-csv"
    assert rec.source_row.tolist() == [2, 3, 4, 5, 6]
    assert rec.agent.tolist() == ["4711"] * 5
    assert rec.unit.tolist() == ["north"] * 5
    assert rec.state_class_name.tolist() == [
        "available",
        "talk",
        "hold",
        "after_call_work",
        "not_ready",
    ]
    assert str(rec.start[1]) == "2024-03-04T09:10:00"
    assert str(rec.end[4]) == "2024-03-04T09:45:00"
    assert (rec.end_seconds - rec.start_seconds).tolist() == [1200, 900, 180, 240, 780]


def test_our_headers_and_genesys_like_names_without_mapping(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text(
        "agent,state,start,end,queue\n"
        "ann,Idle,2024-03-04T08:00:00,2024-03-04T08:05:00,billing\n"
        "ann,Interacting,2024-03-04T08:05:00,2024-03-04T08:12:00,billing\n"
        "ann,Not Ready,2024-03-04T08:12:00,2024-03-04T08:20:00,\n"
        "ann,Offline,2024-03-04T08:20:00,2024-03-04T09:00:00,\n"
    )
    rec = read_agent_states(data)
    assert [STATE_CLASSES[c] for c in rec.state_class] == [
        "available",
        "talk",
        "not_ready",
        "logged_out",
    ]
    assert rec.queue.tolist() == ["billing", "billing", "", ""]


def test_xlsx_with_datetime_cells(tmp_path):
    import datetime as dt

    def naive(y: int, mo: int, d: int, h: int, mi: int) -> dt.datetime:
        # a spreadsheet cell holds wall-clock time without a zone
        return dt.datetime(y, mo, d, h, mi)  # noqa: DTZ001

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["agent", "state", "start", "end"])
    ws.append(["bo", "talk", naive(2024, 3, 4, 23, 50), naive(2024, 3, 5, 0, 20)])
    ws.append(["bo", "ready", naive(2024, 3, 5, 0, 20), naive(2024, 3, 5, 0, 30)])
    path = tmp_path / "states.xlsx"
    wb.save(path)
    rec = read_agent_states(path)
    assert rec.format == "agent-states-xlsx"
    assert (rec.end_seconds - rec.start_seconds).tolist() == [1800, 600]


def test_every_problem_by_row_and_column(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text(
        "agent,state,start,end\n"
        "ann,talk,2024-03-04 09:00:00,2024-03-04 09:10:00\n"  # 2 ok
        "ann,Snoozing,2024-03-04 09:10:00,2024-03-04 09:20:00\n"  # 3 unknown state
        "ann,idle,2024-03-04 09:15:00,2024-03-04 09:30:00\n"  # 4 overlaps 3
        "bob,talk,2024-03-04 10:00:00,2024-03-04 09:00:00\n"  # 5 reversed
        "bob,talk,yesterday,2024-03-04 11:00:00\n"  # 6 bad time
        ",idle,2024-03-04 12:00:00,2024-03-04 12:10:00\n"  # 7 no agent
    )
    with pytest.raises(AgentStateFileError) as err:
        read_agent_states(data)
    issues = {(i.row, i.column): i for i in err.value.issues}
    assert "unknown state" in issues[(3, "state")].message
    assert issues[(3, "state")].value == "Snoozing"
    assert "still in the state of row 3" in issues[(4, "start")].message
    assert "'ann'" in issues[(4, "start")].message
    assert issues[(5, "end")].message == "ends before it starts"
    assert "not a date-time" in issues[(6, "start")].message
    assert issues[(7, "agent")].message == "agent is required"
    assert (2, "state") not in issues
    assert err.value.total_issues == 5
    assert str(data) in str(err.value)


def test_negative_and_missing_durations(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text(
        "agent,state,start,duration_seconds\n"
        "ann,talk,2024-03-04 09:00:00,-5\n"
        "ann,talk,2024-03-04 09:10:00,\n"
        "ann,talk,2024-03-04 09:20:00,ten\n"
    )
    with pytest.raises(AgentStateFileError) as err:
        read_agent_states(data)
    messages = {i.row: i.message for i in err.value.issues}
    assert messages == {
        2: "negative duration",
        3: "duration is required",
        4: "not a number",
    }


def test_missing_columns_say_what_is_expected_and_found(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text("who,what,when\nann,talk,2024-03-04 09:00:00\n")
    with pytest.raises(AgentStateFileError) as err:
        read_agent_states(data)
    message = str(err.value)
    assert "agent, state, start, end (or duration_seconds)" in message
    assert "found columns: 'who', 'what', 'when'" in message


def test_mapping_errors(tmp_path):
    bad_class = tmp_path / "a.yaml"
    bad_class.write_text("states:\n  AUX 9: sleeping\n")
    with pytest.raises(AgentStateFileError, match="'AUX 9' -> 'sleeping'"):
        load_agent_state_mapping(bad_class)
    bad_field = tmp_path / "b.yaml"
    bad_field.write_text("columns:\n  person: Agent\n")
    with pytest.raises(AgentStateFileError, match=r"unknown field.*person"):
        load_agent_state_mapping(bad_field)
    bad_key = tmp_path / "c.yaml"
    bad_key.write_text("stats:\n  x: talk\n")
    with pytest.raises(AgentStateFileError, match=r"unknown key.*stats"):
        load_agent_state_mapping(bad_key)
    with pytest.raises(AgentStateFileError, match="cannot read"):
        load_agent_state_mapping(tmp_path / "missing.yaml")


def test_states_only_mapping_with_our_headers(tmp_path):
    data = tmp_path / "states.csv"
    data.write_text(
        "agent,state,start,end\nann,AUX 7,2024-03-04 09:00:00,2024-03-04 09:05:00\n"
    )
    rec = read_agent_states(data, {"states": {"aux 7": "talk"}})
    assert rec.state_class.tolist() == [STATE_CLASSES.index("talk")]
    assert np.isin(rec.state_class, [1]).all()

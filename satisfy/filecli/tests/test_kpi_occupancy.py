"""``satisfy kpi --agent-states``: occupancy overall and per agent / interval.

The states are the hand-worked day of the library tests: agent a1 from 08:50 to
10:00 (handling 1320 s, available 2100 s, break 780 s), agent a2 talking across
midnight (1800 s) and then idle (600 s).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from satisfy.filecli.kpi import main

STATES = """agent,state,start,end
a1,Available,2024-03-04 08:50:00,2024-03-04 09:10:00
a1,Talk,2024-03-04 09:10:00,2024-03-04 09:25:00
a1,Hold,2024-03-04 09:25:00,2024-03-04 09:28:00
a1,Wrap,2024-03-04 09:28:00,2024-03-04 09:32:00
a1,Break,2024-03-04 09:32:00,2024-03-04 09:45:00
a1,Idle,2024-03-04 09:45:00,2024-03-04 10:00:00
a2,Talk,2024-03-04 23:50:00,2024-03-05 00:20:00
a2,Idle,2024-03-05 00:20:00,2024-03-05 00:30:00
"""
CALLS = """external_id,arrived_at,outcome,wait_seconds,talk_seconds,hold_seconds,after_call_work_seconds,agent
c1,2024-03-04 09:09:50,answered,10,900,180,240,a1
c2,2024-03-04 23:49:30,answered,30,1800,0,0,a2
c3,2024-03-04 09:40:00,abandoned_queue,50,,,,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS)
    states = tmp_path / "states.csv"
    states.write_text(STATES)
    return calls, states


def run(capsys: Any, *argv: str) -> dict[str, Any]:
    assert main([*argv, "--json"]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_overall_occupancy_with_its_base(capsys, files):
    calls, states = files
    out = run(
        capsys, "--data", str(calls), "--format", "csv", "--agent-states", str(states)
    )
    occ = out["occupancy"]
    assert occ["handling_seconds"] == 1320 + 1800
    assert occ["available_seconds"] == 2100 + 600
    assert occ["agents"] == 2
    assert occ["value"] == pytest.approx(3120 / 5820, abs=1e-6)
    assert occ["not_ready_seconds"] == 780
    assert occ["logged_in_seconds"] == 4200 + 2400
    assert occ["utilisation"] == pytest.approx(3120 / 6600, abs=1e-6)
    assert occ["records"] == 8
    assert (occ["first"], occ["last"]) == ("2024-03-04 08:50:00", "2024-03-05 00:30:00")
    # the queue KPIs are unchanged by the states
    assert (out["offered"], out["answered"]) == (3, 2)


def test_by_agent_and_interval(capsys, files):
    calls, states = files
    out = run(
        capsys,
        "--data",
        str(calls),
        "--format",
        "csv",
        "--agent-states",
        str(states),
        "--by",
        "agent,interval",
    )
    groups = out["groups"]
    cell = groups["a1|2024-03-04T09:00:00"]
    assert cell["offered"] == 1
    assert cell["occupancy"]["value"] == pytest.approx(2 / 3, abs=1e-6)
    assert cell["occupancy"]["handling_seconds"] == 1200
    # logged in without calls: a group with occupancy and no offered calls
    quiet = groups["a1|2024-03-04T09:30:00"]
    assert quiet["offered"] == 0
    assert quiet["key"] == {"agent": "a1", "interval": "2024-03-04T09:30:00"}
    assert quiet["occupancy"]["value"] == pytest.approx(120 / 1020, abs=1e-6)
    # across midnight: both days
    assert groups["a2|2024-03-04T23:30:00"]["occupancy"]["handling_seconds"] == 600
    after = groups["a2|2024-03-05T00:00:00"]["occupancy"]
    assert (after["handling_seconds"], after["available_seconds"]) == (1200, 600)
    # the abandoned call has no agent and no state time
    assert groups["|2024-03-04T09:30:00"]["occupancy"]["value"] is None


def test_by_date_and_hour(capsys, files):
    calls, states = files
    out = run(
        capsys,
        "--data",
        str(calls),
        "--format",
        "csv",
        "--agent-states",
        str(states),
        "--by",
        "date,hour",
        "--interval-minutes",
        "15",
    )
    nine = out["groups"]["2024-03-04|9"]["occupancy"]
    assert nine["handling_seconds"] == 1320
    assert nine["available_seconds"] == 600 + 900
    assert out["groups"]["2024-03-05|0"]["occupancy"]["agents"] == 1


def test_groups_the_states_cannot_have(capsys, files):
    calls, states = files
    out = run(
        capsys,
        "--data",
        str(calls),
        "--format",
        "csv",
        "--agent-states",
        str(states),
        "--by",
        "queue",
    )
    assert "not per group" in out["occupancy"]["groups"]
    assert all("occupancy" not in g for g in out["groups"].values())
    assert out["occupancy"]["value"] == pytest.approx(3120 / 5820, abs=1e-6)


def test_state_mapping_file(capsys, files, tmp_path):
    calls, _states = files
    states = tmp_path / "genesys.csv"
    states.write_text(
        "User;Presence;Begin;Seconds\n"
        "a1;On Queue Idle;2024-03-04 09:00:00;600\n"
        "a1;Interacting;2024-03-04 09:10:00;1200\n"
        "a1;Meal;2024-03-04 09:30:00;1800\n"
    )
    mapping = tmp_path / "genesys.yaml"
    mapping.write_text(
        "columns: {agent: User, state: Presence, start: Begin, duration_seconds: Seconds}\n"
        "states: {On Queue Idle: available}\n"
    )
    out = run(
        capsys,
        "--data",
        str(calls),
        "--format",
        "csv",
        "--agent-states",
        str(states),
        "--agent-states-map",
        str(mapping),
    )
    assert out["occupancy"]["value"] == pytest.approx(1200 / 1800, abs=1e-6)
    assert out["occupancy"]["not_ready_seconds"] == 1800


def test_bad_state_file_lists_rows_and_exits_2(capsys, files, tmp_path):
    calls, _states = files
    states = tmp_path / "bad.csv"
    states.write_text(
        "agent,state,start,end\n"
        "a1,talk,2024-03-04 09:00:00,2024-03-04 09:10:00\n"
        "a1,idle,2024-03-04 09:05:00,2024-03-04 09:20:00\n"
        "a1,Snooze,2024-03-04 09:20:00,2024-03-04 09:30:00\n"
    )
    code = main(
        ["--data", str(calls), "--format", "csv", "--agent-states", str(states)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err
    assert "row 4, column 'state' ('Snooze'): unknown state" in err
    assert "row 3, column 'start'" in err
    assert "agent 'a1' is still in the state of row 2" in err


def test_map_without_states_and_missing_file(capsys, files, tmp_path):
    calls, _states = files
    assert (
        main(
            [
                "--data",
                str(calls),
                "--format",
                "csv",
                "--agent-states-map",
                str(tmp_path / "m.yaml"),
            ]
        )
        == 2
    )
    assert "--agent-states-map needs --agent-states" in capsys.readouterr().err
    assert (
        main(
            [
                "--data",
                str(calls),
                "--format",
                "csv",
                "--agent-states",
                str(tmp_path / "none.csv"),
            ]
        )
        == 2
    )
    assert "none.csv: no such file" in capsys.readouterr().err


def test_text_output_names_the_base(capsys, files):
    calls, states = files
    assert (
        main(["--data", str(calls), "--format", "csv", "--agent-states", str(states)])
        == 0
    )
    out = capsys.readouterr().out
    assert "occupancy (agent states): 53.6%" in out
    assert "2 agents" in out

"""Agent-state records: import (all or nothing), occupancy on the page and in the API.

Hand-worked on 2024-03-04 (UTC, the test time zone):

carol (North)  10:00–10:20 available, 10:20–10:35 talk, 10:35–10:40 wrap,
               10:40–10:50 break     → handling 1200 s, available 1200 s → 0.5
sam (South)    10:00–10:45 talk, 10:45–11:00 idle → 2700 / 3600 = 0.75
both           (1200 + 2700) / (2400 + 3600) = 0.65

In the 10:00–10:30 interval carol has 1200 s available and 600 s talk (1/3), sam
1800 s talk, so together 2400 / 3600 = 2/3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from satisfy.conftest import Org
from satisfy.formats.agent_states import AgentStateFileError, read_agent_states
from satisfy.interactions.models import AgentStateInterval, InteractionImport
from satisfy.interactions.services.agent_states import import_agent_states

STATES = """agent,state,start,end
carol,Available,2024-03-04 10:00:00,2024-03-04 10:20:00
carol,Talk,2024-03-04 10:20:00,2024-03-04 10:35:00
carol,Wrap,2024-03-04 10:35:00,2024-03-04 10:40:00
carol,Break,2024-03-04 10:40:00,2024-03-04 10:50:00
sam,ACD,2024-03-04 10:00:00,2024-03-04 10:45:00
sam,Idle,2024-03-04 10:45:00,2024-03-04 11:00:00
"""
DAY = {"start": "2024-03-04", "end": "2024-03-04"}


def _file(tmp_path: Path, text: str, name: str = "states.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def states(org: Org, tmp_path: Path) -> InteractionImport:
    result = import_agent_states(records=read_agent_states(_file(tmp_path, STATES)))
    return result.batch


def test_import_stores_every_record_with_agent_and_unit(
    org: Org, states: InteractionImport
) -> None:
    rows = AgentStateInterval.objects.order_by("agent_key", "started_at")
    assert rows.count() == 6
    assert states.format == "agent-states-csv"
    assert states.imported == 6
    carol = [r for r in rows if r.agent_key == "carol"]
    assert {r.agent_id for r in carol} == {org.carol_agent.pk}
    assert {r.unit_id for r in carol} == {org.north_team.pk}  # the agent's team
    assert [r.state_class for r in carol] == [
        "available",
        "talk",
        "after_call_work",
        "not_ready",
    ]
    assert carol[1].state == "Talk"
    assert carol[0].started_at.isoformat() == "2024-03-04T10:00:00+00:00"
    assert {r.import_batch_id for r in rows} == {states.pk}


def test_a_bad_row_stores_nothing(org: Org, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "agent,state,start,end,unit\n"
        "carol,talk,2024-03-04 10:00:00,2024-03-04 10:10:00,\n"
        "sam,talk,2024-03-04 10:00:00,2024-03-04 10:10:00,south-loans\n"
        "carol,idle,2024-03-04 10:10:00,2024-03-04 10:20:00,nowhere\n",
    )
    with pytest.raises(AgentStateFileError) as err:
        import_agent_states(records=read_agent_states(path))
    [issue] = err.value.issues
    assert (issue.row, issue.column, issue.value) == (4, "unit", "nowhere")
    assert "no org unit" in issue.message
    assert AgentStateInterval.objects.count() == 0
    assert InteractionImport.objects.count() == 0


def test_importing_the_same_period_twice_is_refused(
    org: Org, states: InteractionImport, tmp_path: Path
) -> None:
    again = _file(
        tmp_path,
        "agent,state,start,end\n"
        "sam,idle,2024-03-04 11:00:00,2024-03-04 11:10:00\n"  # touches: fine
        "carol,talk,2024-03-04 10:30:00,2024-03-04 10:32:00\n",  # inside
        "again.csv",
    )
    with pytest.raises(AgentStateFileError) as err:
        import_agent_states(records=read_agent_states(again))
    [issue] = err.value.issues
    assert issue.row == 3
    assert "already stored" in issue.message
    assert "2024-03-04 10:20:00" in issue.message  # the stored talk record
    assert AgentStateInterval.objects.count() == 6


def test_command_with_unit_for_unknown_agents_and_state_map(
    org: Org, tmp_path: Path, capsys: Any
) -> None:
    path = _file(
        tmp_path,
        "Login;Mode;From;Secs\n"
        "4711;AUX 3;2024-03-04 09:00:00;600\n"
        "4711;AVAIL;2024-03-04 09:10:00;300\n",
    )
    mapping = _file(
        tmp_path,
        "columns: {agent: Login, state: Mode, start: From, duration_seconds: Secs}\n"
        "states: {AUX 3: not_ready, AVAIL: available}\n",
        "avaya.yaml",
    )
    call_command(
        "import_agent_states",
        str(path),
        "--map",
        str(mapping),
        "--unit",
        "north-cards",
        "--quiet",
    )
    assert "Imported 2 agent-state records of 1 agents" in capsys.readouterr().out
    rows = list(AgentStateInterval.objects.order_by("started_at"))
    assert [r.agent_id for r in rows] == [None, None]
    assert [r.agent_key for r in rows] == ["4711", "4711"]
    assert {r.unit_id for r in rows} == {org.north_team.pk}
    assert rows[1].ended_at.isoformat() == "2024-03-04T09:15:00+00:00"


def test_command_errors_list_rows_and_store_nothing(org: Org, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "agent,state,start,end\n"
        "ghost,talk,2024-03-04 09:00:00,2024-03-04 09:10:00\n"
        "carol,dozing,2024-03-04 09:00:00,2024-03-04 09:10:00\n",
    )
    with pytest.raises(CommandError) as err:
        call_command("import_agent_states", str(path), "--quiet")
    message = str(err.value)
    assert "row 3, column 'state' ('dozing'): unknown state" in message
    assert "nothing was stored" in message
    with pytest.raises(CommandError, match="no org unit with code 'mars'"):
        call_command("import_agent_states", str(path), "--unit", "mars")
    fixed = _file(
        tmp_path,
        "agent,state,start,end\nghost,talk,2024-03-04 09:00,2024-03-04 09:10\n",
    )
    with pytest.raises(CommandError, match="no unit: give a unit column"):
        call_command("import_agent_states", str(fixed), "--quiet")
    assert AgentStateInterval.objects.count() == 0


# --- the operations page -----------------------------------------------------


def _page(client: Client, user: Any, **params: Any) -> Any:
    client.force_login(user)
    return client.get("/operations/", {**DAY, **params})


def test_alice_sees_occupancy_card_interval_column_and_agents(
    client: Client, alice: Any, calls: Any, states: InteractionImport
) -> None:
    r = _page(client, alice)
    assert r.status_code == 200
    html = r.content.decode()
    occupancy = r.context["occupancy"]
    assert occupancy.total.occupancy == pytest.approx(0.65)
    assert occupancy.total.handling_seconds == 3900
    assert occupancy.total.agents == 2
    assert 'id="occupancy-card"' in html
    assert "Occupancy measured" in html
    assert "Occupancy per interval: planned and measured" in html
    [(row, cell, staffed)] = r.context["interval_rows"]
    assert row.label == "10:00"
    assert cell.occupancy == pytest.approx(2 / 3)
    assert cell.agents == 2
    # 10:00–10:30: carol 1800 s handling or available, sam 1800 s, on 1 day
    assert staffed == pytest.approx(2.0)
    assert ">2.0<" in html
    assert ">0.667<" in html  # the measured column
    table = html[html.index('id="agent-occupancy"') :]
    table = table[: table.index("</table>")]
    assert "Carol Díaz" in table
    assert "Sam Lee" in table
    assert ">0.750<" in table
    assert ">0.500<" in table
    assert 'id="occupancy-hint"' not in html


def test_bob_sees_only_his_subtrees_agents(
    client: Client, bob: Any, calls: Any, states: InteractionImport
) -> None:
    r = _page(client, bob)
    html = r.content.decode()
    occupancy = r.context["occupancy"]
    assert occupancy.total.occupancy == pytest.approx(0.5)
    assert occupancy.total.agents == 1
    assert [a.label for a in occupancy.agents] == ["Carol Díaz"]
    assert "Sam Lee" not in html
    cell = r.context["interval_rows"][0][1]
    assert cell.occupancy == pytest.approx(1 / 3)


def test_carol_sees_her_own_occupancy(
    client: Client, carol: Any, calls: Any, states: InteractionImport
) -> None:
    occupancy = _page(client, carol).context["occupancy"]
    assert [a.label for a in occupancy.agents] == ["Carol Díaz"]


def test_unit_filter_applies_to_occupancy(
    client: Client, alice: Any, org: Org, calls: Any, states: InteractionImport
) -> None:
    occupancy = _page(client, alice, unit=org.south_branch.pk).context["occupancy"]
    assert occupancy.total.occupancy == pytest.approx(0.75)


def test_without_states_the_columns_are_hidden_and_a_hint_shown(
    client: Client, alice: Any, calls: Any
) -> None:
    r = _page(client, alice)
    html = r.content.decode()
    assert r.context["occupancy"] is None
    assert 'id="occupancy-hint"' in html
    assert "satisfy import_agent_states FILE" in html
    assert "Occupancy measured" not in html
    assert 'id="agent-occupancy"' not in html


# --- the API -----------------------------------------------------------------


def _api(client: Client, user: Any, **params: Any) -> Any:
    client.force_login(user)
    r = client.get("/api/v1/interactions/kpis", {**DAY, **params})
    assert r.status_code == 200, r.content
    return r.json()


def test_api_total_and_groups_by_agent(
    client: Client, alice: Any, org: Org, calls: Any, states: InteractionImport
) -> None:
    body = _api(client, alice, by="agent")
    occ = body["occupancy"]
    assert occ["occupancy"] == pytest.approx(0.65)
    assert occ["handling_seconds"] == 3900
    assert occ["available_seconds"] == 1200 + 900
    assert occ["agents"] == 2
    assert occ["records"] == 6
    by_agent = {g["key"]["agent_key"]: g for g in occ["groups"]}
    assert by_agent["carol"]["key"]["agent"] == org.carol_agent.pk
    assert by_agent["carol"]["occupancy"] == pytest.approx(0.5)
    assert by_agent["sam"]["occupancy"] == pytest.approx(0.75)
    assert by_agent["carol"]["not_ready_seconds"] == 600


def test_api_groups_by_interval_match_the_queue_groups(
    client: Client, alice: Any, calls: Any, states: InteractionImport
) -> None:
    body = _api(client, alice, by="interval")
    queue_keys = [g["key"] for g in body["groups"]]
    occ = {g["key"]["interval"]: g for g in body["occupancy"]["groups"]}
    assert {"interval": "10:00"} in queue_keys
    assert occ["10:00"]["occupancy"] == pytest.approx(2 / 3)
    assert occ["10:30"]["handling_seconds"] == 600 + 900  # carol wrap+talk, sam talk
    assert occ["10:30"]["available_seconds"] == 900


def test_api_scoped_for_bob_and_empty_without_states(
    client: Client, bob: Any, mallory: Any, calls: Any, states: InteractionImport
) -> None:
    occ = _api(client, bob, by="queue")["occupancy"]
    assert occ["occupancy"] == pytest.approx(0.5)
    assert occ["agents"] == 1
    assert occ["groups"] is None
    assert "carry no queue" in occ["groups_note"]
    assert _api(client, mallory)["occupancy"] is None


def test_api_without_states_has_no_occupancy(
    client: Client, alice: Any, calls: Any
) -> None:
    assert _api(client, alice)["occupancy"] is None

"""Anonymous Bank parsing rules on small hand-written logs (format of the Technion SEE
Center "Anonymous Bank" data, I. Guedj and A. Mandelbaum, 1999)."""

from __future__ import annotations

import numpy as np
import pytest

from satisfy.formats.anonymous_bank import COLUMNS, read_anonymous_bank
from satisfy.formats.interactions_csv import InteractionFileError

HEADER = "\t".join(COLUMNS)


def row(**overrides: str) -> str:
    values = {
        "vru+line": "AA0101",
        "call_id": "1",
        "customer_id": "123",
        "priority": "2",
        "type": "PS",
        "date": "990201",
        "vru_entry": "10:00:00",
        "vru_exit": "10:00:10",
        "vru_time": "10",
        "q_start": "10:00:10",
        "q_exit": "10:00:40",
        "q_time": "30",
        "outcome": "AGENT",
        "ser_start": "10:00:40",
        "ser_exit": "10:03:40",
        "ser_time": "180",
        "server": "DORIT",
    }
    values.update(overrides)
    return "\t".join(values[c] for c in COLUMNS)


def write(tmp_path, *rows: str, crlf: bool = True):
    path = tmp_path / "log.txt"
    eol = "\r\n" if crlf else "\n"
    path.write_bytes((eol.join([HEADER, *rows]) + eol).encode())
    return path


def test_outcomes_waits_and_talk_time(tmp_path):
    path = write(
        tmp_path,
        row(),
        row(
            call_id="2",
            outcome="HANG",
            ser_start="0:00:00",
            ser_exit="0:00:00",
            ser_time="0",
            server="NO_SERVER",
        ),
        row(
            call_id="3",
            outcome="HANG",
            q_start="0:00:00",
            q_exit="0:00:00",
            q_time="0",
            ser_start="0:00:00",
            ser_exit="0:00:00",
            ser_time="0",
            server="NO_SERVER",
            customer_id="0",
        ),
        row(call_id="4", outcome="PHANTOM"),
        row(call_id="5", q_start="0:00:00", q_exit="0:00:00", q_time="0"),
    )
    r = read_anonymous_bank(path)
    assert r.excluded == {"phantom": 1}
    assert r.outcome.tolist() == [
        "answered",
        "abandoned_queue",
        "abandoned_ivr",
        "answered",
    ]
    assert r.wait_seconds[:2].tolist() == [30.0, 30.0]
    assert np.isnan(r.wait_seconds[2])
    assert r.wait_seconds[3] == 0.0  # served without queueing
    assert r.talk_seconds[0] == 180.0
    assert np.isnan(r.talk_seconds[1])
    assert r.customer_id.tolist()[2] == ""
    assert r.agent.tolist() == ["DORIT", "", "", "DORIT"]
    assert r.source_row.tolist() == [2, 3, 4, 6]
    assert str(r.arrived_at[0]) == "1999-02-01T10:00:00"


def test_midnight_wrap_puts_the_end_on_the_next_day(tmp_path):
    path = write(
        tmp_path,
        row(
            vru_entry="23:59:32",
            vru_exit="23:59:44",
            vru_time="12",
            q_start="0:00:00",
            q_exit="0:00:00",
            q_time="0",
            ser_start="23:59:43",
            ser_exit="0:01:28",
            ser_time="105",
        ),
        crlf=False,
    )
    r = read_anonymous_bank(path)
    assert r.warnings == ()
    assert str(r.ended_at[0]) == "1999-02-02T00:01:28"
    assert r.talk_seconds[0] == 105


def test_negative_ivr_time_is_a_warning_not_an_error(tmp_path):
    path = write(
        tmp_path,
        row(
            vru_entry="9:48:14",
            vru_exit="9:47:17",
            vru_time="-57",
            q_start="9:47:17",
            q_exit="9:47:47",
            ser_start="9:47:47",
            ser_exit="9:50:47",
        ),
    )
    r = read_anonymous_bank(path)
    assert len(r) == 1
    assert [(w.row, w.column, w.value) for w in r.warnings] == [(2, "vru_time", "-57")]
    assert np.isnan(r.ivr_seconds[0])


def test_unparseable_times_and_negative_waits_are_reported_by_row(tmp_path):
    path = write(
        tmp_path,
        row(),
        row(call_id="2", q_exit="10:0x:40"),
        row(call_id="3", q_time="-5"),
    )
    with pytest.raises(InteractionFileError) as exc:
        read_anonymous_bank(path)
    issues = {(i.row, i.column) for i in exc.value.issues}
    assert issues == {(3, "q_exit"), (4, "q_time")}
    assert "row 3, column 'q_exit'" in str(exc.value)
    assert "negative duration" in " ".join(i.message for i in exc.value.issues)


def test_missing_columns_list_expected_and_found(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("call_id\tdate\toutcome\n1\t990201\tAGENT\n")
    with pytest.raises(
        InteractionFileError,
        match=r"missing column\(s\) vru\+line.*found: call_id date outcome",
    ):
        read_anonymous_bank(path)


def test_space_separated_copies_are_read(tmp_path):
    path = tmp_path / "spaces.txt"
    path.write_text(
        "\n".join([HEADER.replace("\t", " "), row().replace("\t", "  ")]) + "\n"
    )
    assert len(read_anonymous_bank(path)) == 1

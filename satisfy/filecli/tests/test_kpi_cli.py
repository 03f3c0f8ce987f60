"""``satisfy kpi`` on files. The February 1999 log is the Technion SEE Center
"Anonymous Bank" call-center data (I. Guedj, A. Mandelbaum), used with acknowledgement."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from satisfy.filecli.kpi import main

_SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


@pytest.fixture
def february() -> Path:
    base = Path(os.environ.get("SATISFY_SHARED_DATA", _SHARED))
    path = base / "callcenter" / "data_anonymous_bank_february.txt"
    if not path.is_file():
        pytest.skip(f"Anonymous Bank February file not found at {path}")
    return path


def run(capsys, *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_february_counts_and_kpis(capsys, february):
    out = run(capsys, "--data", str(february), "--format", "anonymous-bank", "--json")
    assert out["calls"] == 33_344
    assert out["excluded"]["phantom"] == 278
    assert out["excluded"]["abandoned_ivr"] == 1_941  # README: HANG without queueing
    assert out["offered"] == 33_344 - 278 - 1_941
    assert (out["answered"], out["abandoned"]) == (27_162, 3_963)
    assert set(out["service_level"]) == {
        "abandoned_as_met",
        "abandoned_ignored",
        "abandoned_as_missed",
        "abandoned_missed_after_threshold",
    }
    sl = out["service_level"]
    # the ordering every worked example shows: ignoring abandons flatters the most
    assert (
        sl["abandoned_as_missed"]
        < sl["abandoned_missed_after_threshold"]
        < sl["abandoned_ignored"]
    )
    assert out["aht_components"] == ["talk"]
    assert out["asa_seconds"] > 0
    assert out["abandonment_rate"] == pytest.approx(3_963 / 31_125, abs=1e-6)
    assert out["warnings"]["count"] == 23


def test_groups_by_type_and_day(capsys, february):
    out = run(
        capsys,
        "--data",
        str(february),
        "--format",
        "anonymous-bank",
        "--by",
        "type,date",
        "--json",
    )
    assert out["group_by"] == ["queue", "date"]
    groups = out["groups"]
    assert groups["PS|1999-02-01"]["key"] == {"queue": "PS", "date": "1999-02-01"}
    assert sum(g["offered"] for g in groups.values()) == out["offered"]
    assert sum(g["excluded"]["abandoned_ivr"] for g in groups.values()) == 1_941


def test_short_abandon_and_threshold_options(capsys, february):
    out = run(
        capsys,
        "--data", str(february), "--format", "anonymous-bank",
        "--answer-within", "30", "--short-abandon", "5", "--json",
    )  # fmt: skip
    assert out["answer_within_seconds"] == 30
    assert out["excluded"]["short_abandon"] > 0
    assert out["offered"] + out["excluded"]["short_abandon"] == 31_125


def test_csv_with_mapping(capsys, tmp_path):
    data = tmp_path / "calls.csv"
    data.write_text(
        "id,start,queue_s,talk,result,skill\n"
        "1,2024-03-01 09:00:00,5,100,ANS,billing\n"
        "2,2024-03-01 09:10:00,50,200,ANS,billing\n"
        "3,2024-03-01 09:20:00,70,,ABN,sales\n"
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns: {external_id: id, arrived_at: start, wait_seconds: queue_s, "
        "talk_seconds: talk, outcome: result, queue: skill}\n"
        "outcome_values: {ANS: answered, ABN: abandoned_queue}\n"
    )
    out = run(
        capsys,
        "--data",
        str(data),
        "--format",
        "csv",
        "--map",
        str(mapping),
        "--by",
        "queue,hour",
        "--json",
    )
    assert (out["offered"], out["answered"], out["abandoned"]) == (3, 2, 1)
    assert out["asa_seconds"] == 27.5
    assert out["aht_seconds"] == 150.0
    assert out["service_level"]["abandoned_as_missed"] == pytest.approx(1 / 3, abs=1e-6)
    assert set(out["groups"]) == {"billing|9", "sales|9"}


def test_misnamed_columns_give_one_line_and_exit_2(capsys, tmp_path):
    data = tmp_path / "calls.csv"
    data.write_text("when,result\n2024-03-01 09:00:00,answered\n")
    assert main(["--data", str(data), "--format", "csv", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "calls.csv" in err
    assert "found columns: 'when', 'result'" in err


def test_bad_value_names_file_row_and_column(capsys, tmp_path):
    data = tmp_path / "calls.csv"
    data.write_text(
        "arrived_at,outcome,wait_seconds\n2024-03-01 09:00:00,answered,-3\n"
    )
    assert main(["--data", str(data), "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "row 2, column 'wait_seconds'" in err
    assert "negative duration" in err


def test_missing_file_and_unknown_group_key(capsys, tmp_path):
    assert (
        main(["--data", str(tmp_path / "nope.txt"), "--format", "anonymous-bank"]) == 2
    )
    assert "no such file" in capsys.readouterr().err
    data = tmp_path / "calls.csv"
    data.write_text("arrived_at,outcome,wait_seconds\n2024-03-01 09:00:00,answered,3\n")
    assert main(["--data", str(data), "--format", "csv", "--by", "planet"]) == 2
    assert "unknown key 'planet'" in capsys.readouterr().err


def test_february_fcr_leaves_out_every_contact_whose_window_is_not_observed(
    capsys, february
):
    # The log ends on 28 February 1999: every answered call of the last 7 days is
    # right-censored, repeat seen or not (of 27,162 answered calls 8,806 are
    # evaluable: the others have no customer id or a window not observed). The
    # older rule kept the 1,595 of those whose repeat was already seen, which gave
    # a repeat rate biased upwards (FCR 0.3197 on 10,401 instead of 0.3776).
    out = run(capsys, "--data", str(february), "--format", "anonymous-bank", "--json")
    rc = out["repeat_contacts"]
    assert (rc["contacts"], rc["evaluable"], rc["repeats"]) == (27_162, 8_806, 5_481)
    assert rc["fcr_rate"] == pytest.approx(1 - 5_481 / 8_806, abs=1e-6)
    assert rc["fcr_ci_low"] < rc["fcr_rate"] < rc["fcr_ci_high"]

"""``satisfy staffing``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from satisfy.filecli.staffing import main


def run(capsys, *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


# Reference: CRAN ErlangC 0.1.0 README (100 calls / 30 min, AHT 180 s, 80/20):
# 14 agents, service level 0.88835, P(wait) 0.1741319, ASA 7.8359 s, occupancy 0.7142857.
def test_it_prints_every_field(capsys):
    out = run(
        capsys,
        "--calls", "100", "--interval-seconds", "1800", "--aht-seconds", "180",
        "--target", "0.8", "--answer-within", "20", "--json",
    )  # fmt: skip
    assert out["agents"] == 14
    assert out["scheduled_agents"] == 14
    assert out["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert out["probability_wait"] == pytest.approx(0.1741319, abs=5e-8)
    assert out["asa_seconds"] == pytest.approx(7.835937, abs=1e-6)
    assert out["occupancy"] == pytest.approx(0.7142857, abs=5e-8)
    assert out["traffic_erlangs"] == 10.0


# Reference: call-center-tools (PyPI) README: 1000 calls/h, AHT 120 s, 80/20, max
# occupancy 85 %, shrinkage 30 % -> 40 agents, 58 with shrinkage.
def test_occupancy_cap_then_shrinkage(capsys):
    out = run(
        capsys,
        "--calls", "1000", "--interval-seconds", "3600", "--aht-seconds", "120",
        "--target", "0.8", "--answer-within", "20",
        "--max-occupancy", "0.85", "--shrinkage", "0.3", "--json",
    )  # fmt: skip
    assert (out["agents"], out["scheduled_agents"], out["binding"]) == (
        40,
        58,
        "max_occupancy",
    )


def test_overloaded_agents_give_a_clear_message(capsys):
    code = main(
        [
            "--calls",
            "100",
            "--interval-seconds",
            "1800",
            "--aht-seconds",
            "180",
            "--agents",
            "9",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "overloaded" in err
    assert "10.00 erlangs" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--calls", "10", "--aht-seconds", "0"], "--aht-seconds"),
        (["--calls", "10", "--aht-seconds", "60", "--shrinkage", "1"], "--shrinkage"),
        (
            ["--calls", "10", "--aht-seconds", "60", "--target", "1.5"],
            "target_service_level",
        ),
        (["--calls", "-1", "--aht-seconds", "60"], "--calls"),
    ],
)
def test_bad_input_exits_2(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_text_output(capsys):
    assert main(["--calls", "100", "--aht-seconds", "180"]) == 0
    assert "agents on the phones" in capsys.readouterr().out

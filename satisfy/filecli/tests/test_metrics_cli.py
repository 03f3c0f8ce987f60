"""``satisfy metrics`` end to end on temporary CSV files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from satisfy.analytics import Scale, ces, csat, csi, nps
from satisfy.filecli.metrics import main, parse_scale

ANSWERS = """id,recommend,overall,effort,branch,weight,q1,q2
1,10,5,7,north,1.0,5,4
2,9,4,6,north,2.0,4,
3,6,2,2,south,1.0,2,3
4,,5,5,south,1.5,,
5,8,3,4,north,0.5,3,3
6,99,1,1,south,1.0,1,2
"""


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main([*argv, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    result: dict[str, Any] = json.loads(out.out)
    return result


def test_nps_json_matches_the_library(answers, capsys):
    out = run_json(
        capsys,
        "--data",
        str(answers),
        "--column",
        "recommend",
        "--kind",
        "nps",
        "--na",
        "99",
    )
    ref = nps([10, 9, 6, 8])
    assert {"value", "n", "ci_low", "ci_high", "method"} <= set(out)
    assert out["value"] == pytest.approx(ref.value)
    assert out["ci_low"] == pytest.approx(ref.ci_low)
    assert out["n"] == 4
    assert out["n_na"] == 1
    assert out["n_missing"] == 1
    assert out["promoters"] == pytest.approx(0.5)


def test_csat_by_group_with_weights(answers, capsys):
    out = run_json(
        capsys,
        "--data",
        str(answers),
        "--column",
        "overall",
        "--kind",
        "csat",
        "--by",
        "branch",
        "--weight",
        "weight",
    )
    assert set(out["groups"]) == {"north", "south"}
    north = csat([5, 4, 3], weights=[1.0, 2.0, 0.5])
    assert out["groups"]["north"]["value"] == pytest.approx(north.value)
    assert out["groups"]["north"]["weighted"] is True
    total = csat([5, 4, 2, 5, 3, 1], weights=[1.0, 2.0, 1.0, 1.5, 0.5, 1.0])
    assert out["total"]["value"] == pytest.approx(total.value)
    assert out["total"]["n_effective"] == pytest.approx(total.n_effective)


def test_csat_top_and_scale_options(answers, capsys):
    out = run_json(
        capsys,
        "--data",
        str(answers),
        "--column",
        "effort",
        "--kind",
        "csat",
        "--scale",
        "1-7",
        "--top",
        "3",
        "--alpha",
        "0.1",
    )
    ref = csat(
        [7, 6, 2, 5, 4, 1],
        scale=Scale(1, 7),
        top=3,
        alpha=0.1,
    )
    assert out["value"] == pytest.approx(ref.value)
    assert out["ci_high"] == pytest.approx(ref.ci_high)
    assert out["alpha"] == 0.1


def test_ces_versions(answers, capsys):
    v2 = run_json(capsys, "--data", str(answers), "--column", "effort", "--kind", "ces")
    assert v2["value"] == pytest.approx(ces([7, 6, 2, 5, 4, 1]).value)
    assert v2["version"] == 2
    v1 = run_json(
        capsys,
        "--data",
        str(answers),
        "--column",
        "overall",
        "--kind",
        "ces",
        "--ces-version",
        "1",
    )
    assert v1["agree"] == pytest.approx(ces([5, 4, 2, 5, 3, 1], version=1).agree)


def test_csi_over_several_columns(answers, capsys):
    out = run_json(capsys, "--data", str(answers), "--column", "q1,q2", "--kind", "csi")
    nan = float("nan")
    ref = csi([[5.0, 4.0], [4.0, nan], [2.0, 3.0], [3.0, 3.0], [1.0, 2.0]])
    assert out["value"] == pytest.approx(ref.value)
    assert out["ci_low"] == pytest.approx(ref.ci_low)
    assert out["n"] == 5
    assert out["n_missing"] == 1
    by = run_json(
        capsys,
        "--data",
        str(answers),
        "--column",
        "q1,q2",
        "--kind",
        "csi",
        "--by",
        "branch",
    )
    assert set(by["groups"]) == {"north", "south"}


def test_readable_table(answers, capsys):
    code = main(
        [
            "--data",
            str(answers),
            "--column",
            "recommend",
            "--kind",
            "nps",
            "--na",
            "99",
            "--by",
            "branch",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "promoters %" in out
    assert "north" in out
    assert "total" in out
    assert "n_missing (blank): 1" in out


@pytest.mark.parametrize(
    ("csv_text", "argv", "message"),
    [
        (
            "x\n5\nabc\n",
            ["--column", "x", "--kind", "csat"],
            "row 2 (file line 3), column 'x': value 'abc' is not a number",
        ),
        (
            "x\n5\n4.5\n",
            ["--column", "x", "--kind", "csat"],
            "row 2 (file line 3), column 'x': value 4.5 is not a whole code",
        ),
        (
            "x\n5\n11\n",
            ["--column", "x", "--kind", "nps"],
            "row 2 (file line 3), column 'x': value 11 is outside the scale",
        ),
        (
            "x,w\n5,1\n4,-2\n",
            ["--column", "x", "--kind", "csat", "--weight", "w"],
            "row 2 (file line 3), column 'w': weight -2 is negative",
        ),
        (
            "x,w\n5,0\n4,0\n",
            ["--column", "x", "--kind", "csat", "--weight", "w"],
            "all weights of the answered rows are zero",
        ),
        (
            "x,y\n5,2\n4,11\n",
            ["--column", "x,y", "--kind", "csi"],
            "row 2 (file line 3), column 'y': value 11 is outside the scale",
        ),
        (
            "x,g\n5,a\n4,\n",
            ["--column", "x", "--kind", "csat", "--by", "g"],
            "row 2 (file line 3), column 'g': the group label is blank",
        ),
        ("x\n\n\n", ["--column", "x", "--kind", "csat"], "column 'x' has no answers"),
        (
            "x\n99\n",
            ["--column", "x", "--kind", "nps", "--na", "99"],
            "no answers on the scale",
        ),
        (
            "x\n5\n",
            ["--column", "y", "--kind", "csat"],
            "column 'y' not found (columns: x)",
        ),
        ("", ["--column", "x", "--kind", "csat"], "the file is empty"),
    ],
)
def test_bad_input_is_one_line_with_file_row_and_column(
    tmp_path, capsys, csv_text, argv, message
):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text, encoding="utf-8")
    code = main(["--data", str(path), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert str(path) in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--kind", "csat", "--scale", "five"],
            "--scale 'five' must look like MIN-MAX",
        ),
        (["--kind", "nps", "--scale", "1-5"], "NPS is defined on 0-10 only"),
        (["--kind", "csat", "--alpha", "1.5"], "--alpha 1.5"),
        (["--kind", "csat", "--na", "3"], "--na: NA code 3 lies inside the scale"),
    ],
)
def test_bad_options_name_the_option(tmp_path, capsys, argv, message):
    path = tmp_path / "ok.csv"
    path.write_text("x\n5\n", encoding="utf-8")
    assert main(["--data", str(path), "--column", "x", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_missing_file(tmp_path, capsys):
    code = main(
        ["--data", str(tmp_path / "nope.csv"), "--column", "x", "--kind", "nps"]
    )
    assert code == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_bad_option_exits_2_without_traceback(capsys):
    assert main(["--data", "x.csv", "--column", "x", "--kind", "bogus"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1-5", (1, 5)), ("0..10", (0, 10)), ("-3-3", (-3, 3)), ("1–7", (1, 7))],
)
def test_parse_scale(text, expected):
    assert parse_scale(text) == expected


def test_console_script_runs_without_django(answers):
    import subprocess
    import sys

    code = (
        "import sys; from satisfy.cli import main; "
        f"rc = main(['metrics', '--data', {str(answers)!r}, '--column', 'overall', '--kind', 'csat', '--json']); "
        "assert 'django' not in sys.modules, 'django was imported'; sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n"] == 6


def _shared_data_dir() -> Path:
    from satisfy.analytics.tests.conftest import shared_data_dir

    return shared_data_dir()


@pytest.mark.skipif(
    not (_shared_data_dir() / "survey-anchors" / "satisfaction.csv").is_file(),
    reason="reference data ../shared/data not found",
)
def test_real_bank_survey_file(capsys):
    # given the bank satisfaction survey (R plspm::satisfaction, 250 rows, 0-10)
    path = _shared_data_dir() / "survey-anchors" / "satisfaction.csv"
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    loy1 = [int(r["loy1"]) for r in rows]
    sat = [[float(r[c]) for c in ("sat1", "sat2", "sat3")] for r in rows]
    # when
    out = run_json(capsys, "--data", str(path), "--column", "loy1", "--kind", "nps")
    by = run_json(
        capsys,
        "--data",
        str(path),
        "--column",
        "sat1,sat2,sat3",
        "--kind",
        "csi",
        "--scale",
        "0-10",
        "--by",
        "gender",
    )
    # then the file path gives what the library gives on the same numbers
    assert out["n"] == 250
    assert out["value"] == pytest.approx(nps(loy1).value)
    assert by["total"]["value"] == pytest.approx(csi(sat, scale=Scale(0, 10)).value)
    assert set(by["groups"]) == {"female", "male"}

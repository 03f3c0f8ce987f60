from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from satisfy.filecli.analyze import main

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("SATISFY_SHARED_DATA", REPO.parent / "shared" / "data"))
ANCHORS = SHARED / "survey-anchors"

ECSI_YAML = """\
blocks:            # latent variable: its indicators (columns)
  Image: [IMAG1, IMAG2, IMAG3, IMAG4, IMAG5]
  Expectation: [CUEX1, CUEX2, CUEX3]
  Quality: [PERQ1, PERQ2, PERQ3, PERQ4, PERQ5, PERQ6, PERQ7]
  Value: [PERV1, PERV2]
  Satisfaction: [CUSA1, CUSA2, CUSA3]
  Complaints: [CUSCO]
  Loyalty: [CUSL1, CUSL2, CUSL3]
paths:             # from: [to, ...]
  Image: [Expectation, Satisfaction, Loyalty]
  Expectation: [Quality, Value, Satisfaction]
  Quality: [Value, Satisfaction]
  Value: [Satisfaction]
  Satisfaction: [Complaints, Loyalty]
  Complaints: [Loyalty]
modes: {Image: A}
scale: {min: 1, max: 10}
"""


@pytest.fixture
def anchors() -> Path:
    if not ANCHORS.is_dir():
        pytest.skip(f"reference data not found at {ANCHORS} (set SATISFY_SHARED_DATA)")
    return ANCHORS


def _run(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> tuple[int, dict[str, Any], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in argv else {}), err


def _write_answers(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    n = 150
    access = rng.integers(1, 6, n)
    resolution = np.clip(access + rng.integers(-1, 2, n), 1, 5)
    treatment = rng.integers(1, 6, n)
    overall = np.clip(
        np.round(
            0.2 * access + 0.6 * resolution + 0.3 * treatment + rng.normal(0, 0.6, n)
        ),
        1,
        5,
    )
    lines = ["csat_overall,access,resolution,treatment"]
    lines += [
        f"{int(o)},{a},{r},{t}"
        for o, a, r, t in zip(overall, access, resolution, treatment, strict=True)
    ]
    lines[5] = "4,,3,2"  # a missing answer
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_drivers_json_gives_shares_of_r2(
    capsys: pytest.CaptureFixture[str], anchors: Path
) -> None:
    code, out, _ = _run(
        capsys,
        [
            "drivers",
            "--data",
            str(anchors / "mtcars.csv"),
            "--target",
            "mpg",
            "--drivers",
            "am,cyl,carb",
            "--json",
        ],
    )
    assert code == 0
    assert out["method"] == "lmg"
    assert out["r2"] == pytest.approx(0.8113023, abs=5e-8)  # domir vignette
    assert out["importance"]["cyl"] == pytest.approx(
        0.5143698, abs=5e-8
    )  # domir "Standardized"
    assert sum(out["importance"].values()) == pytest.approx(1.0)


def test_drivers_with_bootstrap_and_relative_weights(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = _write_answers(tmp_path)
    argv = [
        "drivers",
        "--data",
        str(data),
        "--target",
        "csat_overall",
        "--drivers",
        "access,resolution,treatment",
    ]
    code, out, _ = _run(
        capsys,
        [
            *argv,
            "--method",
            "relative-weights",
            "--bootstrap",
            "50",
            "--seed",
            "2",
            "--json",
        ],
    )
    assert code == 0
    assert out["n_dropped"] == 1
    assert out["ranking"][0] == "resolution"
    lo, hi = out["bootstrap"]["importance"]["resolution"]
    assert lo <= out["importance"]["resolution"] <= hi
    code, _, _ = _run(capsys, argv)  # plain text works too
    assert code == 0


def test_pls_json_reproduces_smartpls_paths(
    capsys: pytest.CaptureFixture[str], anchors: Path, tmp_path: Path
) -> None:
    model = tmp_path / "ecsi.yaml"
    model.write_text(ECSI_YAML)
    code, out, _ = _run(
        capsys,
        [
            "pls",
            "--data",
            str(anchors / "mobi.csv"),
            "--model",
            str(model),
            "--scheme",
            "path",
            "--tol",
            "1e-12",
            "--max-iter",
            "300",
            "--json",
        ],
    )
    assert code == 0
    # SmartPLS 2.0.M3, semPLS tests/SmartPLS/results/ecsi/pathWeighting/pathCoefficients.txt
    assert out["paths"]["Image -> Expectation"] == pytest.approx(0.50491393, abs=5e-8)
    assert out["paths"]["Satisfaction -> Loyalty"] == pytest.approx(
        0.48547762, abs=5e-8
    )
    assert set(out) >= {
        "paths",
        "r2",
        "weights",
        "loadings",
        "effects",
        "reliability",
        "gof",
        "index",
    }
    assert 0 < out["index"]["Satisfaction"] < 100
    assert (
        out["effects"]["Image -> Loyalty"]["total"]
        > out["effects"]["Image -> Loyalty"]["direct"]
    )


def test_pls_raw_scale_and_built_in_model(
    capsys: pytest.CaptureFixture[str], anchors: Path
) -> None:
    code, out, _ = _run(
        capsys,
        [
            "pls",
            "--data",
            str(anchors / "mobi.csv"),
            "--model",
            "ecsi",
            "--no-standardize",
            "--json",
        ],
    )
    assert code == 0
    assert out["standardized"] is False
    assert out["index_scale"] == {"min": 1.0, "max": 10.0}


def test_pls_bootstrap_in_parallel(
    capsys: pytest.CaptureFixture[str], anchors: Path
) -> None:
    code, out, _ = _run(
        capsys,
        [
            "pls",
            "--data",
            str(anchors / "mobi.csv"),
            "--model",
            "ecsi",
            "--bootstrap",
            "30",
            "--jobs",
            "2",
            "--seed",
            "1",
            "--json",
        ],
    )
    assert code == 0
    boot = out["bootstrap"]["paths"]["Quality -> Satisfaction"]
    assert boot["ci_low"] < out["paths"]["Quality -> Satisfaction"] < boot["ci_high"]


def test_gaps_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "sq.csv").write_text(
        "E1,P1,E2,P2\n7,5,6,6\n6,6,6,5\n7,4,7,7\n5,5,7,6\n6,5,6,6\n"
    )
    (tmp_path / "pairs.yaml").write_text(
        "pairs:\n  reliability_1: {expectation: E1, perception: P1}\n  reliability_2: [E2, P2]\n"
        "dimensions:\n  Reliability: [reliability_1, reliability_2]\n"
    )
    code, out, _ = _run(
        capsys,
        [
            "gaps",
            "--data",
            str(tmp_path / "sq.csv"),
            "--pairs",
            str(tmp_path / "pairs.yaml"),
            "--json",
        ],
    )
    assert code == 0
    assert out["items"]["reliability_1"]["gap"] == pytest.approx(-1.2)
    assert out["items"]["reliability_1"]["n"] == 5
    assert "Reliability" in out["dimensions"]
    assert out["summary"].startswith("The largest shortfall is Reliability")


def test_ipa_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = _write_answers(tmp_path)
    code, out, _ = _run(
        capsys,
        [
            "ipa",
            "--data",
            str(data),
            "--target",
            "csat_overall",
            "--drivers",
            "access,resolution,treatment",
            "--scale",
            "1,5",
            "--json",
        ],
    )
    assert code == 0
    assert out["summary"].startswith("Resolution is the strongest driver")
    assert set(out["items"]["access"]) >= {"importance", "performance", "quadrant"}


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["--drivers", "access,speed"], "no column named 'speed'"),
        (["--drivers", "access,access"], "appear twice"),
    ],
)
def test_bad_driver_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv_tail: list[str],
    message: str,
) -> None:
    data = _write_answers(tmp_path)
    code, _, err = _run(
        capsys,
        [
            "drivers",
            "--data",
            str(data),
            "--target",
            "csat_overall",
            *argv_tail,
            "--json",
        ],
    )
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_non_numeric_cell_names_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("y,a,b\n1,2,3\n2,x,4\n3,4,5\n")
    code, _, err = _run(
        capsys, ["drivers", "--data", str(path), "--target", "y", "--drivers", "a,b"]
    )
    assert code == 2
    assert "row 3, column 'a': 'x' is not a number" in err


def test_constant_column_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "const.csv"
    path.write_text("y,a,b\n1,2,3\n2,2,4\n3,2,5\n4,2,1\n")
    code, _, err = _run(
        capsys, ["drivers", "--data", str(path), "--target", "y", "--drivers", "a,b"]
    )
    assert code == 2
    assert "Column 'a' is constant" in err


def test_model_with_a_cycle_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "d.csv").write_text("a,b\n1,2\n2,3\n3,3\n4,5\n")
    (tmp_path / "m.yaml").write_text(
        "blocks: {A: [a], B: [b]}\npaths: {A: [B], B: [A]}\n"
    )
    code, _, err = _run(
        capsys,
        ["pls", "--data", str(tmp_path / "d.csv"), "--model", str(tmp_path / "m.yaml")],
    )
    assert code == 2
    assert "cycle" in err


def test_model_with_an_empty_block_and_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "d.csv").write_text("a,b\n1,2\n2,3\n3,3\n4,5\n")
    (tmp_path / "m.yaml").write_text("blocks: {A: [a], B: []}\npaths: {A: [B]}\n")
    code, _, err = _run(
        capsys,
        ["pls", "--data", str(tmp_path / "d.csv"), "--model", str(tmp_path / "m.yaml")],
    )
    assert code == 2
    assert "Block 'B' is empty" in err
    code, _, err = _run(
        capsys,
        [
            "pls",
            "--data",
            str(tmp_path / "nope.csv"),
            "--model",
            str(tmp_path / "m.yaml"),
        ],
    )
    assert code == 2


def test_gaps_unit_against_the_rest_of_the_company(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "u.csv").write_text(
        "branch,csat_overall\nNorth,5\nNorth,4\nNorth,5\nSouth,3\nSouth,2\nSouth,3\nEast,3\n"
    )
    (tmp_path / "u.yaml").write_text(
        "unit: {column: branch, value: North, scores: [csat_overall]}\n"
    )
    argv = [
        "gaps",
        "--data",
        str(tmp_path / "u.csv"),
        "--pairs",
        str(tmp_path / "u.yaml"),
    ]
    code, out, _ = _run(capsys, [*argv, "--json"])
    assert code == 0
    g = out["unit"]["scores"]["csat_overall"]
    assert (g["n_unit"], g["n_rest"]) == (3, 4)
    assert g["difference"] == pytest.approx(14 / 3 - 11 / 4)
    assert _run(capsys, argv)[0] == 0
    (tmp_path / "u.yaml").write_text(
        "unit: {column: branch, value: West, scores: [csat_overall]}\n"
    )
    code, _, err = _run(capsys, argv)
    assert code == 2
    assert "no row has branch = 'West'" in err


def test_the_satisfy_command_dispatches_analyze(tmp_path: Path) -> None:
    import subprocess
    import sys

    data = _write_answers(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "satisfy.cli",
            "analyze",
            "drivers",
            "--data",
            str(data),
            "--target",
            "csat_overall",
            "--drivers",
            "access,resolution,treatment",
            "--method",
            "regression",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["importance_unit"] == "standardised coefficient"
    assert out["importance"]["resolution"] == out["coefficients"]["resolution"]


def test_weight_column_is_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = _write_answers(tmp_path)
    lines = data.read_text().splitlines()
    weighted = tmp_path / "weighted.csv"
    weighted.write_text(
        "\n".join(
            [lines[0] + ",w"]
            + [f"{row},{1 + k % 3}" for k, row in enumerate(lines[1:])]
        )
        + "\n"
    )
    code, out, _ = _run(
        capsys,
        [
            "drivers",
            "--data",
            str(weighted),
            "--target",
            "csat_overall",
            "--drivers",
            "access,resolution,treatment",
            "--weight",
            "w",
            "--json",
        ],
    )
    assert code == 0
    assert out["weighted"] is True
    assert out["n_effective"] < out["n"]

"""The ``templates`` management command: list, show and validate, without a database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satisfy.surveys.definition import load_definition, load_template, template_codes


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("templates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_list_prints_code_version_and_title_per_line():
    out, _ = run("list")

    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == template_codes()
    assert "post-contact\t1.0\tHow did we do?" in lines


def test_list_in_chinese():
    out, _ = run("list", "--language", "zh-Hans")

    assert "post-contact\t1.0\t服务满意度回访" in out.splitlines()


def test_show_prints_a_readable_outline_in_the_chosen_language():
    out, _ = run("show", "complaint-handling", "--language", "es")

    assert out.startswith("complaint-handling 1.0: Su reclamación\n")
    assert "unresolved_reason [text; optional; shown if resolved = partly, no]" in out
    assert "¿Se ha resuelto su reclamación?" in out
    assert "- speed: El tiempo que tardamos en tramitar su reclamación" in out


def test_show_describes_numeric_display_rules():
    out, _ = run("show", "relationship-nps")

    assert "improve [text; optional; shown if nps <= 8]" in out
    assert "valued_most [text; optional; shown if nps >= 9]" in out


@pytest.mark.parametrize("output", ["yaml", "json"])
def test_show_exports_a_definition_that_loads_back(output):
    out, _ = run("show", "post-contact", "--format", output)

    assert load_definition(out) == load_template("post-contact")
    if output == "json":
        assert json.loads(out)["code"] == "post-contact"
    else:
        assert "总体而言" in out


def test_show_unknown_template_fails_with_the_known_codes():
    with pytest.raises(
        CommandError, match=r"no built-in survey template 'nope'.*post-contact"
    ):
        run("show", "nope")


def test_validate_accepts_good_files(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "code: demo\nversion: '1'\ntitle: Demo\npages:\n"
        "  - code: p\n    questions:\n      - {code: q, type: nps, text: Recommend}\n",
        encoding="utf-8",
    )

    out, err = run("validate", str(good))

    assert out == f"{good}: ok (demo 1, 1 questions)\n"
    assert err == ""


def test_validate_reports_problems_with_file_line_and_field(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "code: demo\nversion: '1'\ntitle: Demo\npages: [{code: p, questions: "
        "[{code: q, type: csat, text: Q}]}]\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: demo\nversion: '1'\ntitle: Demo\npages:\n  - code: p\n    questions:\n"
        "      - code: q\n        type: csat\n        text: Q\n        colour: red\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"^2 problem\(s\) in 2 of 3 file\(s\)$"):
        call_command(
            "templates",
            "validate",
            str(good),
            str(bad),
            str(tmp_path / "missing.yaml"),
            stdout=out,
            stderr=err,
        )

    assert f"{good}: ok" in out.getvalue()
    assert (
        f"{bad}:10: pages[0].questions[0].colour: unknown field 'colour'"
        in err.getvalue()
    )
    assert "missing.yaml: cannot read the file" in err.getvalue()

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satisfy.surveys.models import Survey


def test_create_publish_export_import(org, tmp_path):
    out = StringIO()
    call_command(
        "survey", "create", "--template", "post-contact", "--slug", "calls", stdout=out
    )
    call_command("survey", "publish", "calls", stdout=out)
    target = tmp_path / "calls.yaml"
    call_command(
        "survey", "export", "calls", "--version", "1", "--out", str(target), stdout=out
    )
    call_command("survey", "import", str(target), "--slug", "calls-copy", stdout=out)
    copy = Survey.objects.get(slug="calls-copy")
    assert copy.unit == org.company
    assert copy.draft_definition == Survey.objects.get(slug="calls").draft_definition


def test_import_reports_file_line_and_field(org, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: x\nversion: '1'\ntitle: {en: X}\npages: 12\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("survey", "import", str(bad), "--slug", "bad", stdout=StringIO())
    assert f"{bad}:4" in str(error.value)
    assert "pages" in str(error.value)
    assert not Survey.objects.filter(slug="bad").exists()


def test_unknown_template_is_a_clear_error(org):
    with pytest.raises(CommandError, match="nope"):
        call_command(
            "survey", "create", "--template", "nope", "--slug", "x", stdout=StringIO()
        )

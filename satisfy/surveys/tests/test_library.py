"""The built-in templates load, are complete in every language and keep their codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from satisfy.surveys.definition import (
    LANGUAGES,
    QuestionType,
    Text,
    definition_to_dict,
    list_templates,
    load_definition,
    load_template,
    template_codes,
)

TEMPLATES = list_templates()


def test_the_library_holds_the_expected_templates():
    assert template_codes() == [
        "agent-enps",
        "ces",
        "complaint-handling",
        "ecsi",
        "hospital-inpatient",
        "hospital-outpatient",
        "post-contact",
        "relationship-nps",
        "servqual-bank",
    ]


def test_unknown_template_raises_a_helpful_key_error():
    with pytest.raises(
        KeyError,
        match="no built-in survey template 'nope'; the templates are: agent-enps",
    ):
        load_template("nope")


def _texts(value: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every language->text mapping in a definition dict (keys are language codes)."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES):
            yield path, value
            return
        for key, child in value.items():
            yield from _texts(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, f"{path}[{index}]")


@pytest.mark.parametrize("defn", TEMPLATES, ids=lambda d: d.code)
def test_every_text_is_in_all_three_languages(defn):
    assert defn.languages == LANGUAGES
    found = list(_texts(definition_to_dict(defn), defn.code))
    assert len(found) > 10
    for path, text in found:
        assert list(text) == list(LANGUAGES), path
        assert all(value.strip() for value in text.values()), path


@pytest.mark.parametrize("defn", TEMPLATES, ids=lambda d: d.code)
def test_codes_are_unique_and_closed_questions_have_a_dimension_or_are_follow_ups(defn):
    codes = [q.code for q in defn.questions()]
    assert len(codes) == len(set(codes))
    for question in defn.questions():
        assert len({c.code for c in question.choices}) == len(question.choices)
        assert len({i.code for i in question.items}) == len(question.items)
        if question.is_scale:
            has_dimension = question.dimension is not None or all(
                item.dimension for item in question.items
            )
            assert has_dimension, f"{defn.code}.{question.code} has no dimension"


def test_template_texts_are_translated_not_copied():
    for defn in TEMPLATES:
        for question in defn.questions():
            text: Text = question.text
            assert text["zh-Hans"] != text["en"], f"{defn.code}.{question.code}"


def test_post_contact_has_the_agreed_question_codes():
    defn = load_template("post-contact")

    assert defn.question_codes == (
        "csat_overall",
        "access",
        "resolution",
        "treatment",
        "ces",
        "nps",
        "repurchase",
        "comment",
    )
    assert len(defn.pages) <= 2
    assert defn.anonymous is False
    assert defn.allow_public_link is True
    kinds = {
        q.code: (q.type, q.dimension, q.scale_points, q.allow_na)
        for q in defn.questions()
    }
    assert kinds["csat_overall"] == (QuestionType.CSAT, "overall", 5, False)
    assert kinds["access"] == (QuestionType.SCALE, "access", 5, True)
    assert kinds["resolution"] == (QuestionType.SCALE, "resolution", 5, True)
    assert kinds["treatment"] == (QuestionType.SCALE, "treatment", 5, True)
    assert kinds["ces"] == (QuestionType.CES, "effort", 7, False)
    assert defn.question("ces").ces_version == 2
    assert kinds["nps"] == (QuestionType.NPS, "loyalty", 11, False)
    assert kinds["repurchase"][:3] == (QuestionType.SCALE, "loyalty", 5)
    assert defn.question("comment").type is QuestionType.TEXT
    assert defn.question("comment").required is False
    assert defn.question("access").choices[0].label["en"] == "Very dissatisfied"


def test_ecsi_uses_the_mobi_item_codes_on_one_to_ten():
    defn = load_template("ecsi")
    mobi_columns = (
        [f"imag{i}" for i in range(1, 6)]
        + [f"cuex{i}" for i in range(1, 4)]
        + [f"perq{i}" for i in range(1, 8)]
        + [
            "perv1",
            "perv2",
            "cusa1",
            "cusa2",
            "cusa3",
            "cusco",
            "cusl1",
            "cusl2",
            "cusl3",
        ]
    )

    assert list(defn.question_codes) == mobi_columns
    for question in defn.questions():
        assert (question.min_value, question.max_value) == (1.0, 10.0)
    blocks = {q.code: q.dimension for q in defn.questions()}
    assert blocks["imag1"] == "image"
    assert blocks["cuex3"] == "expectation"
    assert blocks["perq7"] == "quality"
    assert blocks["perv2"] == "value"
    assert blocks["cusa1"] == "satisfaction"
    assert blocks["cusco"] == "complaints"
    assert blocks["cusl3"] == "loyalty"


def test_servqual_has_22_items_in_five_dimensions():
    defn = load_template("servqual-bank")

    gap_questions = [
        q for q in defn.questions() if q.type is QuestionType.EXPECTATION_PERCEPTION
    ]

    assert [q.dimension for q in gap_questions] == [
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    ]
    assert [len(q.items) for q in gap_questions] == [4, 5, 4, 4, 5]
    assert all((q.min_value, q.max_value) == (1.0, 7.0) for q in gap_questions)
    assert defn.question("importance").type is QuestionType.IMPORTANCE


def test_complaint_handling_asks_why_only_when_unresolved():
    defn = load_template("complaint-handling")

    condition = defn.question("unresolved_reason").show_if

    assert condition is not None
    assert condition.question == "resolved"
    assert "no" in condition.equals
    assert "yes" not in condition.equals


def test_agent_survey_is_anonymous_with_enps():
    defn = load_template("agent-enps")

    assert defn.anonymous is True
    assert defn.question("enps").type is QuestionType.NPS


def test_the_library_uses_every_question_type_and_display_logic():
    used = {q.type for d in TEMPLATES for q in d.questions()}
    assert used >= set(QuestionType) - {QuestionType.RATING}
    assert sum(q.show_if is not None for d in TEMPLATES for q in d.questions()) >= 3
    assert any(q.allow_na for d in TEMPLATES for q in d.questions())


def test_template_files_also_parse_without_libyaml():
    # The pure-Python parser is stricter (a "?" ends a plain text inside { }).
    for entry in resources.files("satisfy.surveys.library").iterdir():
        if entry.name.endswith(".yaml"):
            assert yaml.load(entry.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def test_the_example_in_the_format_reference_loads():
    reference = Path(__file__).resolve().parents[3] / "docs" / "survey-format.md"
    if not reference.exists():
        pytest.skip("docs/ is not installed with the package")
    text = reference.read_text(encoding="utf-8")
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", text, re.DOTALL)

    assert example is not None
    defn = load_definition(example.group(1), filename="docs/survey-format.md")
    assert defn.question_codes == ("csat_overall", "resolved", "why_not")

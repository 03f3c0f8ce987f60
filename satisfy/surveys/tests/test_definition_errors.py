"""Invalid definitions are rejected with every problem located by file, line and field."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from satisfy.surveys.definition import (
    DefinitionError,
    Problem,
    definition_from_dict,
    load_definition,
)

HEADER = """\
code: demo
version: "1.0"
title: Demo
pages:
  - code: main
    questions:
"""


def survey(questions: str, header: str = HEADER) -> str:
    return (
        header
        + textwrap.indent(textwrap.dedent(questions).strip("\n"), "      ")
        + "\n"
    )


def problems(text: str, filename: str = "survey.yaml") -> list[Problem]:
    with pytest.raises(DefinitionError) as info:
        load_definition(text, filename=filename)
    return info.value.problems


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_it_reports_an_unknown_question_field_with_a_suggestion():
    text = survey("""
        - code: overall
          type: csat
          text: How satisfied are you?
          requird: false
    """)

    problem = only(problems(text))

    assert problem.file == "survey.yaml"
    assert problem.line == line_of(text, "requird")
    assert problem.field == "pages[0].questions[0].requird"
    assert "unknown field 'requird'" in problem.message
    assert "did you mean 'required'" in problem.message


def test_it_reports_an_unknown_top_level_field():
    text = "titel: x\n" + survey("- {code: a, type: nps, text: Recommend}")

    found = problems(text)

    assert [(p.line, p.field) for p in found] == [(1, "titel")]


def test_it_says_when_a_field_belongs_to_another_question_type():
    text = survey("""
        - code: recommend
          type: nps
          text: Recommend us?
          top_box: 2
    """)

    problem = only(problems(text))

    assert problem.line == line_of(text, "top_box")
    assert problem.message == "field 'top_box' does not apply to nps questions"


def test_it_reports_duplicate_question_codes_across_pages():
    text = survey(
        """
        - {code: overall, type: csat, text: One}
        """
    ) + textwrap.indent(
        "- code: second\n  questions:\n    - {code: overall, type: csat, text: Two}\n",
        "  ",
    )

    problem = only(problems(text))

    assert problem.field == "pages[1].questions[0].code"
    assert problem.line == line_of(text, "code: overall", 2)
    assert f"first used on line {line_of(text, 'code: overall')}" in problem.message


def test_it_reports_duplicate_choice_and_item_codes():
    text = survey("""
        - code: colour
          type: single
          text: Colour?
          choices:
            - {code: red, label: Red}
            - {code: red, label: Also red}
        - code: grid
          type: matrix
          text: Rate
          items:
            - {code: speed, label: Speed}
            - {code: speed, label: Speed again}
    """)

    found = problems(text)

    assert [(p.field, p.line) for p in found] == [
        ("pages[0].questions[0].choices[1].code", line_of(text, "Also red")),
        ("pages[0].questions[1].items[1].code", line_of(text, "Speed again")),
    ]
    assert "duplicate choice code 'red'" in found[0].message
    assert "duplicate item code 'speed'" in found[1].message


def test_it_reports_duplicate_page_codes_and_yaml_duplicate_keys():
    text = textwrap.dedent("""\
        code: demo
        version: "1.0"
        title: Demo
        title: Again
        pages:
          - code: main
            questions: [{code: a, type: nps, text: A}]
          - code: main
            questions: [{code: b, type: nps, text: B}]
    """)

    found = problems(text)

    assert (found[0].line, found[0].field) == (
        4,
        "",
    )
    assert "duplicate field 'title' (first given on line 3)" in found[0].message
    assert found[1].field == "pages[1].code"
    assert found[1].line == 8


@pytest.mark.parametrize(
    "bad_code", ["Overall", "1st", "with-dash", "a__b", "x" * 65, "ünï"]
)
def test_it_rejects_bad_codes(bad_code):
    text = survey(f"""
        - code: "{bad_code}"
          type: csat
          text: Hi
    """)

    problem = only(problems(text))

    assert problem.field == "pages[0].questions[0].code"
    assert "is not a valid code" in problem.message


def test_it_rejects_the_reserved_na_choice_code():
    text = survey("""
        - code: colour
          type: single
          text: Colour?
          choices:
            - {code: red, label: Red}
            - {code: na, label: Not applicable}
    """)

    problem = only(problems(text))

    assert problem.field == "pages[0].questions[0].choices[1].code"
    assert "allow_na" in problem.message


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ("min_value: 5\nmax_value: 1", "min_value", "must be less than max_value"),
        ("min_value: 0\nmax_value: 20", "max_value", "at most 11 are allowed"),
        ("min_value: 1.5", "min_value", "must be a whole number"),
        ("top_box: 5", "top_box", "must be from 1 to 4"),
        ("labels: [a, b, c]", "labels", "has 3 labels for 5 points"),
    ],
)
def test_it_rejects_bad_scale_ranges(fields, field, message):
    text = survey(
        "- code: rate\n  type: scale\n  text: Rate us\n" + textwrap.indent(fields, "  ")
    )

    problem = only(problems(text))

    assert problem.field == f"pages[0].questions[0].{field}"
    assert problem.line == line_of(text, field.split(".")[0] + ":")
    assert message in problem.message


def test_nps_and_ces_ranges_are_fixed():
    text = survey("""
        - {code: recommend, type: nps, text: Recommend, max_value: 5}
        - {code: effort, type: ces, ces_version: 1, text: Effort, max_value: 7}
        - {code: effort3, type: ces, ces_version: 3, text: Effort}
    """)

    found = problems(text)

    assert [p.field for p in found] == [
        "pages[0].questions[0].max_value",
        "pages[0].questions[1].max_value",
        "pages[0].questions[2].ces_version",
    ]
    assert "NPS is always 0–10" in found[0].message
    assert "CES 1 is always 1–5" in found[1].message


def test_show_if_may_not_refer_to_a_later_question():
    text = survey("""
        - code: why
          type: text
          text: Why?
          show_if: {question: resolved, equals: "no"}
        - code: resolved
          type: single
          text: Resolved?
          choices: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}]
    """)

    problem = only(problems(text))

    assert problem.field == "pages[0].questions[0].show_if.question"
    assert problem.line == line_of(text, "show_if")
    assert "later question" in problem.message


@pytest.mark.parametrize(
    ("condition", "field", "message"),
    [
        (
            "{question: missing, equals: x}",
            "show_if.question",
            "unknown question 'missing'",
        ),
        ("{question: why, equals: x}", "show_if.question", "is itself"),
        (
            "{question: resolved, equals: maybe}",
            "show_if.equals",
            "'maybe' is not a choice",
        ),
        ("{question: resolved, min: 1}", "show_if", "need a numeric question"),
        ("{question: comment, equals: x}", "show_if.question", "is a text question"),
        ("{question: resolved}", "show_if", "needs equals, min or max"),
        ("{question: score, min: 5, max: 1}", "show_if.min", "is more than max"),
        ("{question: resolved, equal: x}", "show_if.equal", "did you mean 'equals'"),
    ],
)
def test_it_rejects_bad_show_if_rules(condition, field, message):
    text = survey(f"""
        - code: resolved
          type: single
          text: Resolved?
          choices: [{{code: "yes", label: "Yes"}}, {{code: "no", label: "No"}}]
        - {{code: score, type: nps, text: Score}}
        - {{code: comment, type: text, text: Comment, required: false}}
        - code: why
          type: text
          text: Why?
          show_if: {condition}
    """)

    found = problems(text)

    assert any(
        p.field == f"pages[0].questions[3].{field}" and message in p.message
        for p in found
    ), [str(p) for p in found]
    assert all(p.line == line_of(text, "show_if") for p in found)


def test_it_reports_yaml_syntax_errors_with_their_line():
    text = "code: demo\nversion: '1.0'\ntitle: [unclosed\npages: []\n"

    problem = only(problems(text, filename="broken.yaml"))

    assert problem.file == "broken.yaml"
    assert problem.line == 4
    assert problem.message.startswith("invalid YAML")
    assert str(problem).startswith("broken.yaml:4: invalid YAML")


def test_a_question_mark_in_flow_style_loads_or_gets_a_hint():
    # libyaml reads "us?" as text; the pure-Python parser stops at "?" in { }
    text = survey("- {code: a, type: nps, text: Recommend us?, required: true}")

    if yaml.__with_libyaml__:
        assert load_definition(text).question("a").text == {"en": "Recommend us?"}
    else:
        problem = only(problems(text))
        assert problem.line == line_of(text, "Recommend")
        assert "put the text in quotes" in problem.message


def test_it_hints_at_quoting_texts_with_a_colon():
    text = survey("- code: a\n  type: nps\n  text: Note: be honest\n")

    problem = only(problems(text))

    assert problem.line == line_of(text, "Note")
    assert "must be put in quotes" in problem.message


def test_it_hints_at_tabs():
    text = "code: demo\npages:\n\t- code: x\n"

    problem = only(problems(text))

    assert problem.line == 3
    assert "not tabs" in problem.message


def test_it_reports_bad_indentation_as_yaml_error():
    text = "code: demo\n  version: 1\n"

    assert only(problems(text)).line == 2


def test_it_rejects_an_empty_document():
    assert only(problems("")).message == "the document is empty"


@pytest.mark.parametrize(
    ("yaml_value", "field", "message"),
    [
        ("required: maybe", "required", "must be true or false, not the text 'maybe'"),
        ("allow_na: 1", "allow_na", "must be true or false, not the number 1"),
        (
            "help: [a, b]",
            "help",
            "must be text or a mapping of language to text, not a list",
        ),
        ("min_value: one", "min_value", "must be a number, not the text 'one'"),
        ("help: {fr: Bonjour}", "help.fr", "unknown language 'fr'"),
        ("help: {zh-hans: 你好}", "help.zh-hans", "did you mean 'zh-Hans'?"),
        ("help: {en: ''}", "help.en", "must not be empty"),
        ("dimension: Overall", "dimension", "is not a valid code"),
    ],
)
def test_it_reports_wrong_types(yaml_value, field, message):
    text = survey(f"""
        - code: rate
          type: scale
          text: Rate us
          {yaml_value}
    """)

    found = problems(text)

    assert any(
        p.field == f"pages[0].questions[0].{field}" and message in p.message
        for p in found
    ), [str(p) for p in found]
    assert found[0].line == line_of(text, yaml_value.split(":")[0] + ":")


def test_pages_and_questions_must_be_lists_of_mappings():
    text = "code: demo\nversion: '1.0'\ntitle: Demo\npages:\n  - code: main\n    questions: nope\n"

    problem = only(problems(text))

    assert (problem.line, problem.field) == (6, "pages[0].questions")
    assert "must be a list" in problem.message


def test_it_reports_unknown_question_types_with_a_suggestion():
    text = survey("- {code: a, type: multi, text: Pick}")

    problem = only(problems(text))

    assert problem.field == "pages[0].questions[0].type"
    assert "did you mean 'multiple'?" in problem.message


def test_it_requires_text_in_every_listed_language_and_always_english():
    header = HEADER.replace(
        "title: Demo", "title: {zh-Hans: 演示, es: Demo}\nlanguages: [en, zh-Hans, es]"
    )
    text = survey(
        "- {code: a, type: nps, text: {en: Recommend us, es: Recomiéndenos}}", header
    )

    found = problems(text)

    assert [(p.field, p.message) for p in found] == [
        ("title", "missing the English text"),
        ("pages[0].questions[0].text", "missing the zh-Hans text"),
    ]


def test_languages_must_be_supported_and_include_english():
    header = HEADER.replace(
        "title: Demo", "title: Demo\nlanguages: [fr, es]\ndefault_language: de"
    )
    text = survey("- {code: a, type: nps, text: {en: A, es: B}}", header)

    found = problems(text)

    messages = [(p.field, p.message) for p in found]
    assert (
        "languages[0]",
        "unknown language 'fr' (supported: en, zh-Hans, es)",
    ) in messages
    assert (
        "languages",
        "must include 'en': English text is always required",
    ) in messages
    assert any(field == "default_language" for field, _ in messages)


def test_it_reports_missing_required_fields():
    text = "version: '1.0'\npages:\n  - questions:\n      - {type: csat}\n"

    found = problems(text)

    assert {(p.field, p.message) for p in found} >= {
        ("code", "is required"),
        ("title", "is required"),
        ("pages[0].code", "is required"),
        ("pages[0].questions[0].code", "is required"),
        ("pages[0].questions[0].text", "is required"),
    }
    assert next(p for p in found if p.field == "pages[0].questions[0].code").line == 4


def test_it_reports_all_problems_at_once():
    text = survey("""
        - {code: a, type: nps, text: A, colour: red}
        - {code: a, type: csat, text: B}
        - {code: c, type: bogus, text: C}
    """)

    assert len(problems(text)) == 3


def test_error_message_lists_every_problem_as_file_line_field():
    text = survey("- {code: a, type: nps, text: A, colour: red}")

    with pytest.raises(DefinitionError) as info:
        load_definition(text, filename="x.yaml")

    assert str(info.value) == (
        f"x.yaml:{line_of(text, 'colour')}: pages[0].questions[0].colour: unknown field 'colour'"
    )
    assert isinstance(info.value, ValueError)


def test_problems_from_dicts_have_no_line():
    with pytest.raises(DefinitionError) as info:
        definition_from_dict(
            {"code": "demo", "version": "1.0", "title": "T", "pages": "x"}
        )

    assert [str(p) for p in info.value.problems] == [
        "<dict>: pages: must be a list, not the text 'x'"
    ]


def test_a_version_must_look_like_a_version():
    found = problems(
        survey("- {code: a, type: nps, text: A}").replace('"1.0"', "latest")
    )

    assert [(p.line, p.field) for p in found] == [(2, "version")]


def test_recursive_and_huge_alias_documents_are_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 7):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"

    assert only(problems(bomb)).message == "the document is too large"


@pytest.mark.parametrize(
    "tagged",
    [
        'code: !!python/object/apply:os.system ["echo hi"]',
        "code: !custom x",
        "code: !!binary aGk=",
        "pages: !!set {a, b}",
    ],
)
def test_yaml_tags_are_refused(tagged):
    found = problems(tagged + "\n")

    assert any(
        p.field == tagged.split(":")[0] and "are not supported" in p.message
        for p in found
    )


def test_dates_written_as_versions_are_kept_as_text():
    found = problems("code: demo\nversion: 2024-01-01\n")

    assert any(
        p.message == "'2024-01-01' is not a version such as \"1.0\"" for p in found
    )


def test_merge_keys_are_not_supported():
    text = "base: &b {code: demo}\n<<: *b\n"

    assert any("merge keys" in p.message for p in problems(text))


def test_multiple_choice_limits_must_fit_the_choices():
    text = survey("""
        - code: pick
          type: multiple
          text: Pick
          min_choices: 3
          max_choices: 2
          choices: [{code: a, label: A}, {code: b, label: B}]
    """)

    found = problems(text)

    assert [p.field for p in found] == [
        "pages[0].questions[0].min_choices",
        "pages[0].questions[0].min_choices",
    ]


def test_text_length_limits_are_checked():
    text = survey("- {code: c, type: text, text: C, max_length: 0}")

    assert only(problems(text)).message == "must be from 1 to 10000, not 0"


def test_matrix_needs_items_and_one_kind_of_scale():
    text = survey("""
        - code: grid
          type: matrix
          text: Grid
          min_value: 1
          choices: [{code: a, label: A}, {code: b, label: B}]
        - {code: grid2, type: expectation_perception, text: Gap}
    """)

    found = problems(text)

    assert [(p.field, p.message) for p in found] == [
        ("pages[0].questions[0].items", "is required"),
        (
            "pages[0].questions[0].min_value",
            "give either choices or a numeric scale, not both",
        ),
        ("pages[0].questions[1].items", "is required"),
    ]


def test_single_choice_needs_two_choices_and_labels():
    text = survey("""
        - code: pick
          type: single
          text: Pick
          choices:
            - {code: only}
    """)

    found = problems(text)

    assert [(p.field, p.message) for p in found] == [
        ("pages[0].questions[0].choices", "must have at least 2 choices"),
        ("pages[0].questions[0].choices[0].label", "is required"),
    ]


def test_na_label_without_allow_na_is_an_error():
    text = survey("- {code: a, type: csat, text: A, na_label: Skip}")

    assert only(problems(text)).message == "is only used with allow_na: true"

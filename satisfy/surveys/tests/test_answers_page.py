"""Parsing a submitted survey page: every question type, NA, required, display logic."""

from __future__ import annotations

import pytest

from satisfy.surveys.answers import AnswerValue, field_name, parse_page
from satisfy.surveys.definition import is_visible, load_definition, visible_questions

SURVEY = """\
code: all-types
version: "1"
title: {en: All types, zh-Hans: 所有题型, es: Todos los tipos}
languages: [en, zh-Hans, es]
pages:
  - code: first
    questions:
      - {code: overall, type: csat, allow_na: true, text: {en: Overall, zh-Hans: 总体, es: General}}
      - {code: stars, type: rating, required: false, text: {en: Stars, zh-Hans: 星级, es: Estrellas}}
      - {code: recommend, type: nps, text: {en: Recommend, zh-Hans: 推荐, es: Recomendar}}
      - {code: effort, type: ces, required: false, text: {en: Effort, zh-Hans: 费力, es: Esfuerzo}}
      - code: resolved
        type: single
        text: {en: Resolved, zh-Hans: 解决, es: Resuelto}
        choices:
          - {code: yes, value: 1, label: {en: "Yes", zh-Hans: 是, es: Sí}}
          - {code: no, value: 0, label: {en: "No", zh-Hans: 否, es: "No"}}
      - code: why
        type: text
        max_length: 10
        text: {en: Why, zh-Hans: 为什么, es: Por qué}
        show_if: {question: resolved, equals: no}
      - code: channels
        type: multiple
        required: false
        max_choices: 2
        allow_na: true
        text: {en: Channels, zh-Hans: 渠道, es: Canales}
        choices:
          - {code: phone, label: {en: Phone, zh-Hans: 电话, es: Teléfono}}
          - {code: chat, label: {en: Chat, zh-Hans: 在线, es: Chat}}
          - {code: email, label: {en: Email, zh-Hans: 邮件, es: Correo}}
  - code: second
    questions:
      - code: grid
        type: matrix
        allow_na: true
        text: {en: Grid, zh-Hans: 表格, es: Tabla}
        items:
          - {code: speed, label: {en: Speed, zh-Hans: 速度, es: Rapidez}}
          - {code: courtesy, label: {en: Courtesy, zh-Hans: 礼貌, es: Cortesía}}
      - code: gap
        type: expectation_perception
        text: {en: Gap, zh-Hans: 差距, es: Brecha}
        items: [{code: reliable, label: {en: Reliable, zh-Hans: 可靠, es: Fiable}}]
      - code: weights
        type: importance
        required: false
        text: {en: Importance, zh-Hans: 重要性, es: Importancia}
        items: [{code: price, label: {en: Price, zh-Hans: 价格, es: Precio}}]
      - code: promoter_praise
        type: text
        required: false
        show_if: {question: recommend, min: 9}
        text: {en: Praise, zh-Hans: 表扬, es: Elogio}
"""

DEFN = load_definition(SURVEY)
FIRST, SECOND = DEFN.pages

GOOD_FIRST = {
    "q_overall": ["4"],
    "q_recommend": ["10"],
    "q_resolved": ["yes"],
}


def parse_first(form, language="en"):
    return parse_page(FIRST, form, previous={}, language=language)


def test_field_names():
    grid = DEFN.question("grid")
    gap = DEFN.question("gap")

    assert field_name(DEFN.question("overall")) == "q_overall"
    assert field_name(grid, grid.item("speed")) == "q_grid__speed"
    assert (
        field_name(gap, gap.item("reliable"), "expectation")
        == "q_gap__reliable__expectation"
    )


def test_it_parses_scales_and_single_choices():
    answers, errors = parse_first(GOOD_FIRST | {"q_effort": ["6"]})

    assert errors == {}
    assert answers["overall"] == (AnswerValue("overall", choice_code="4", value=4.0),)
    assert answers["recommend"] == (
        AnswerValue("recommend", choice_code="10", value=10.0),
    )
    assert answers["effort"] == (AnswerValue("effort", choice_code="6", value=6.0),)
    assert answers["resolved"] == (
        AnswerValue("resolved", choice_code="yes", value=1.0),
    )


def test_optional_blank_questions_are_present_but_empty_and_hidden_ones_absent():
    answers, errors = parse_first(GOOD_FIRST)

    assert errors == {}
    assert answers["stars"] == ()
    assert answers["channels"] == ()
    assert "why" not in answers


def test_it_accepts_not_applicable():
    answers, errors = parse_first(GOOD_FIRST | {"q_overall": ["na"]})

    assert errors == {}
    assert answers["overall"] == (AnswerValue("overall", choice_code="na", is_na=True),)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Please choose an answer."),
        ("zh-hans", "请选择一个答案。"),
        ("es", "Por favor, elija una respuesta."),
    ],
)
def test_required_questions_need_an_answer_in_the_respondents_language(
    language, message
):
    answers, errors = parse_first(
        {"q_recommend": ["7"], "q_resolved": ["no"]}, language
    )

    assert errors == {"q_overall": message, "q_why": _required_text(language)}
    assert "overall" not in answers
    assert answers["recommend"][0].value == 7.0


def _required_text(language):
    return {
        "en": "Please write an answer.",
        "zh-hans": "请填写您的回答。",
        "es": "Por favor, escriba una respuesta.",
    }[language]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q_overall", "6", "Choose a value from 1 to 5."),
        ("q_overall", "0", "Choose a value from 1 to 5."),
        ("q_overall", "four", "Choose a value from 1 to 5."),
        ("q_overall", "4.5", "Choose a value from 1 to 5."),
        ("q_recommend", "11", "Choose a value from 0 to 10."),
        ("q_recommend", "na", "Choose a value from 0 to 10."),
        ("q_effort", "8", "Choose a value from 1 to 7."),
        ("q_resolved", "maybe", "Choose one of the options."),
        ("q_channels", "fax", "Choose one of the options."),
    ],
)
def test_it_rejects_values_outside_the_choices(field, value, message):
    answers, errors = parse_first(GOOD_FIRST | {field: [value]})

    assert errors == {field: message}
    assert field.removeprefix("q_") not in answers


def test_numbers_written_as_floats_are_matched_to_their_point():
    answers, errors = parse_first(GOOD_FIRST | {"q_overall": [" 4.0 "]})

    assert errors == {}
    assert answers["overall"][0].choice_code == "4"


def test_two_values_for_a_single_answer_field_are_rejected():
    _, errors = parse_first(GOOD_FIRST | {"q_overall": ["4", "5"]})

    assert errors == {"q_overall": "Choose only one answer."}


def test_multiple_choice_gives_one_answer_per_choice_in_definition_order():
    answers, errors = parse_first(
        GOOD_FIRST | {"q_channels": ["chat", "phone", "chat"]}
    )

    assert errors == {}
    assert [a.choice_code for a in answers["channels"]] == ["phone", "chat"]
    assert all(
        a.question_code == "channels" and a.value is None for a in answers["channels"]
    )


def test_multiple_choice_limits_and_exclusive_not_applicable():
    _, too_many = parse_first(GOOD_FIRST | {"q_channels": ["chat", "phone", "email"]})
    _, mixed = parse_first(GOOD_FIRST | {"q_channels": ["chat", "na"]}, "es")
    answers, alone = parse_first(GOOD_FIRST | {"q_channels": ["na"]})

    assert too_many == {"q_channels": "Choose at most 2 options."}
    assert mixed == {
        "q_channels": "«No aplica» no se puede combinar con otras respuestas."
    }
    assert alone == {}
    assert answers["channels"] == (
        AnswerValue("channels", choice_code="na", is_na=True),
    )


def test_display_logic_shows_the_follow_up_on_the_same_page():
    answers, errors = parse_first(
        GOOD_FIRST | {"q_resolved": ["no"], "q_why": ["Slow\r\nreply"]}
    )

    assert errors == {}
    assert answers["why"] == (AnswerValue("why", text="Slow\nreply"),)


def test_answers_to_hidden_questions_are_ignored():
    answers, errors = parse_first(GOOD_FIRST | {"q_why": ["ignored"]})

    assert errors == {}
    assert "why" not in answers


def test_texts_longer_than_max_length_are_rejected_in_chinese():
    _, errors = parse_first(
        GOOD_FIRST | {"q_resolved": ["no"], "q_why": ["x" * 11]}, "zh-Hans"
    )

    assert errors == {"q_why": "回答最多 10 个字符，请精简。"}


def test_text_strips_nul_characters_and_whitespace():
    answers, _ = parse_first(
        GOOD_FIRST | {"q_resolved": ["no"], "q_why": ["  a\x00b  "]}
    )

    assert answers["why"][0].text == "ab"


def test_matrix_and_expectation_perception_give_one_answer_per_cell():
    form = {
        "q_grid__speed": ["5"],
        "q_grid__courtesy": ["na"],
        "q_gap__reliable__expectation": ["7"],
        "q_gap__reliable__perception": ["5"],
        "q_weights__price": ["4"],
    }

    answers, errors = parse_page(
        SECOND,
        form,
        previous={"recommend": (AnswerValue("recommend", "", "", "3", 3.0),)},
        language="en",
    )

    assert errors == {}
    assert answers["grid"] == (
        AnswerValue("grid", item_code="speed", choice_code="5", value=5.0),
        AnswerValue("grid", item_code="courtesy", choice_code="na", is_na=True),
    )
    assert answers["gap"] == (
        AnswerValue("gap", "reliable", "expectation", "7", 7.0),
        AnswerValue("gap", "reliable", "perception", "5", 5.0),
    )
    assert answers["weights"] == (AnswerValue("weights", "price", "", "4", 4.0),)
    assert "promoter_praise" not in answers


def test_required_matrix_rows_and_parts_are_reported_per_field():
    answers, errors = parse_page(
        SECOND,
        {"q_grid__speed": ["9"], "q_gap__reliable__perception": ["5"]},
        previous={},
        language="en",
    )

    assert errors == {
        "q_grid__speed": "Choose a value from 1 to 5.",
        "q_grid__courtesy": "Please choose an answer.",
        "q_gap__reliable__expectation": "Please choose an answer.",
    }
    assert answers == {"weights": ()}


def test_display_logic_uses_answers_from_earlier_pages():
    previous = {"recommend": (AnswerValue("recommend", choice_code="9", value=9.0),)}
    form = {
        "q_grid__speed": ["5"],
        "q_grid__courtesy": ["4"],
        "q_gap__reliable__expectation": ["7"],
        "q_gap__reliable__perception": ["5"],
        "q_promoter_praise": ["Great"],
    }

    answers, errors = parse_page(SECOND, form, previous=previous, language="en")

    assert errors == {}
    assert answers["promoter_praise"] == (AnswerValue("promoter_praise", text="Great"),)


def test_a_resubmitted_page_ignores_its_own_earlier_answers():
    previous = {"resolved": (AnswerValue("resolved", choice_code="no", value=0.0),)}

    answers, errors = parse_page(FIRST, GOOD_FIRST, previous=previous, language="en")

    assert errors == {}
    assert "why" not in answers


class FakeQueryDict(dict[str, list[str]]):
    """Like Django's QueryDict: item access gives the last value, getlist all."""

    def __getitem__(self, key):
        return super().__getitem__(key)[-1]

    def getlist(self, key):
        return list(self.get(key, []))

    def get(self, key, default=None):
        return super().get(key, default)


def test_query_dict_like_forms_work():
    form = FakeQueryDict(GOOD_FIRST | {"q_channels": ["chat", "email"]})

    answers, errors = parse_first(form)

    assert errors == {}
    assert [a.choice_code for a in answers["channels"]] == ["chat", "email"]


def test_plain_string_form_values_are_accepted():
    answers, errors = parse_first(
        {"q_overall": "5", "q_recommend": "0", "q_resolved": "yes"}
    )

    assert errors == {}
    assert answers["overall"][0].value == 5.0


def test_is_visible_and_chained_conditions():
    why = DEFN.question("why")
    resolved_no = {"resolved": (AnswerValue("resolved", choice_code="no", value=0.0),)}

    assert is_visible(DEFN.question("overall"), {})
    assert not is_visible(why, {})
    assert is_visible(why, resolved_no)
    assert [q.code for q in visible_questions(DEFN.questions(), resolved_no)].count(
        "why"
    ) == 1
    assert "promoter_praise" not in [
        q.code for q in visible_questions(DEFN.questions(), {})
    ]

"""Valid definitions load into frozen dataclasses with defaults filled in."""

from __future__ import annotations

import dataclasses

import pytest

from satisfy.surveys.definition import (
    Choice,
    Condition,
    Question,
    QuestionType,
    Translations,
    ivr_keys,
    load_definition,
    normalize_language,
    translate,
)

SURVEY = """\
code: acme-support
version: "2.1"
title:
  en: Acme support
  zh-Hans: Acme 客服
languages: [en, zh-Hans]
default_language: zh-Hans
pages:
  - code: main
    title: {en: About your call, zh-Hans: 关于您的来电}
    questions:
      - code: overall
        type: csat
        text: {en: Satisfied, zh-Hans: 满意吗？}
      - code: recommend
        type: nps
        text: {en: Recommend, zh-Hans: 推荐}
        allow_na: true
      - code: effort
        type: ces
        ces_version: 1
        text: {en: Effort, zh-Hans: 费力程度}
      - code: resolved
        type: single
        text: {en: Resolved, zh-Hans: 解决了吗}
        choices:
          - {code: yes, value: 1, label: {en: "Yes", zh-Hans: 是}}
          - {code: no, value: 0, label: {en: "No", zh-Hans: 否}}
      - code: why
        type: text
        required: false
        text: {en: Why, zh-Hans: 为什么}
        show_if: {question: resolved, equals: no}
      - code: grid
        type: matrix
        text: {en: Rate, zh-Hans: 评分}
        items:
          - {code: speed, label: {en: Speed, zh-Hans: 速度}}
          - {code: courtesy, label: {en: Courtesy, zh-Hans: 礼貌}, dimension: treatment}
        dimension: quality
      - code: gap
        type: expectation_perception
        text: {en: Gap, zh-Hans: 差距}
        items: [{code: reliable, label: {en: Reliable, zh-Hans: 可靠}}]
      - code: channels
        type: multiple
        required: false
        text: {en: Channels, zh-Hans: 渠道}
        max_choices: 2
        choices:
          - {code: phone, label: {en: Phone, zh-Hans: 电话}}
          - {code: chat, label: {en: Chat, zh-Hans: 在线}}
          - {code: email, label: {en: Email, zh-Hans: 邮件}}
"""


@pytest.fixture(scope="module")
def defn():
    return load_definition(SURVEY)


def test_it_loads_survey_fields(defn):
    assert defn.code == "acme-support"
    assert defn.version == "2.1"
    assert defn.languages == ("en", "zh-Hans")
    assert defn.default_language == "zh-Hans"
    assert defn.anonymous is False
    assert defn.allow_public_link is False
    assert defn.ivr_key_layout == "ascending"
    assert translate(defn.thank_you, "es") == "Gracias por su opinión."
    assert defn.question_codes == (
        "overall",
        "recommend",
        "effort",
        "resolved",
        "why",
        "grid",
        "gap",
        "channels",
    )


def test_csat_gets_five_labelled_points_and_top_two_box(defn):
    question = defn.question("overall")

    assert question.type is QuestionType.CSAT
    assert [c.code for c in question.choices] == ["1", "2", "3", "4", "5"]
    assert [c.value for c in question.choices] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert translate(question.choices[4].label, "zh-Hans") == "非常满意"
    assert question.top_box == 2
    assert question.top_box_values == (4.0, 5.0)
    assert question.scale_points == 5
    assert question.is_closed
    assert question.is_scale
    assert question.is_numeric


def test_nps_has_eleven_points_and_an_na_choice_last(defn):
    question = defn.question("recommend")

    assert [c.code for c in question.answer_choices] == [str(v) for v in range(11)]
    assert question.scale_points == 11
    assert question.choices[-1] == Choice(
        "na", question.choices[-1].label, None, is_na=True
    )
    assert question.na_choice is question.choices[-1]
    assert translate(question.min_label, "en") == "Not at all likely"
    assert question.top_box is None


def test_ces_version_one_is_reversed_five_points(defn):
    question = defn.question("effort")

    assert question.ces_version == 1
    assert question.reversed is True
    assert (question.min_value, question.max_value) == (1.0, 5.0)
    assert translate(question.choices[0].label, "en") == "Very low effort"


def test_yes_and_no_codes_stay_text(defn):
    question = defn.question("resolved")

    assert [c.code for c in question.choices] == ["yes", "no"]
    assert defn.question("why").show_if == Condition("resolved", ("no",))


def test_matrix_items_inherit_the_question_dimension(defn):
    question = defn.question("grid")

    assert [i.code for i in question.items] == ["speed", "courtesy"]
    assert question.item_dimension(question.item("speed")) == "quality"
    assert question.item_dimension(question.item("courtesy")) == "treatment"
    assert question.scale_points == 5
    assert question.has_items


def test_expectation_perception_defaults(defn):
    question = defn.question("gap")

    assert (question.min_value, question.max_value) == (1.0, 7.0)
    assert question.parts == ("expectation", "perception")
    assert translate(question.expectation_label, "en") == "What I expected"


def test_definitions_are_frozen_and_hashable(defn):
    with pytest.raises(dataclasses.FrozenInstanceError):
        defn.code = "other"
    assert hash(defn) == hash(load_definition(SURVEY))
    assert defn == load_definition(SURVEY)


def test_question_lookup_raises_key_error(defn):
    with pytest.raises(KeyError, match="no question 'missing'"):
        defn.question("missing")
    assert defn.page_of("why").code == "main"


def test_json_is_accepted():
    text = (
        '{"code": "j", "version": "1", "title": "J", "pages": [{"code": "p", "questions": '
        '[{"code": "q", "type": "rating", "text": "Stars", "max_value": 10}]}]}'
    )

    question = load_definition(text).question("q")

    assert question.scale_points == 10
    assert question.choices[0].label == {"en": "1"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-Hans", "你好"),
        ("zh-hans", "你好"),
        ("zh_CN", "你好"),
        ("es-MX", "Hola"),
        ("fr", "Hello"),
    ],
)
def test_translate_falls_back_to_english(language, expected):
    text = Translations({"en": "Hello", "zh-Hans": "你好", "es": "Hola"})

    assert translate(text, language) == expected


def test_translate_falls_back_to_the_first_text_then_empty():
    assert translate({"es": "Hola"}, "zh-Hans") == "Hola"
    assert translate({}, "en") == ""
    assert normalize_language("de") is None


def test_translations_compare_equal_to_dicts_and_are_hashable():
    text = Translations({"en": "Hi", "es": "Hola"})

    assert text == {"es": "Hola", "en": "Hi"}
    assert hash(text) == hash(Translations({"es": "Hola", "en": "Hi"}))
    assert list(text) == ["en", "es"]


def test_questions_built_in_code_normalise_their_containers():
    question = Question(
        code="q",
        type=QuestionType.TEXT,
        text={"en": "Q"},
        choices=[],  # type: ignore[arg-type]
    )

    assert isinstance(question.text, Translations)
    assert question.choices == ()
    assert hash(question)


def test_ivr_keys_follow_the_layout(defn):
    question = defn.question("overall")

    ascending = ivr_keys(question, "ascending")
    descending = ivr_keys(question, "descending")

    assert ascending["1"].code == "1"
    assert descending["1"].code == "5"
    with pytest.raises(ValueError, match="nine keys"):
        ivr_keys(defn.question("recommend"))
    assert ivr_keys(defn.question("effort"))["5"].value == 5.0


def test_ivr_keys_put_na_on_zero():
    defn = load_definition(
        "code: x\nversion: '1'\ntitle: X\npages: [{code: p, questions: "
        "[{code: q, type: csat, text: Q, allow_na: true}]}]\n"
    )

    assert ivr_keys(defn.question("q"))["0"].is_na

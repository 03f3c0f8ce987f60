"""Validating a whole survey's answers sent as JSON."""

from __future__ import annotations

from typing import Any

import pytest

from satisfy.surveys.answers import MESSAGES, AnswerValue, message, parse_answers
from satisfy.surveys.definition import LANGUAGES, load_template

POST_CONTACT = load_template("post-contact")
COMPLAINT = load_template("complaint-handling")
SERVQUAL = load_template("servqual-bank")
CES = load_template("ces")

GOOD = {
    "csat_overall": 5,
    "access": "na",
    "resolution": 4,
    "treatment": 5.0,
    "ces": 6,
    "nps": 9,
    "repurchase": "5",
    "comment": "Quick and friendly.",
}


def test_every_message_exists_in_every_language():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
    assert message("out_of_range", "es", min=1, max=5) == "Elija un valor de 1 a 5."
    assert message("required", "fr") == "Please choose an answer."


def test_it_parses_a_complete_post_contact_survey():
    answers, errors = parse_answers(POST_CONTACT, GOOD, language="en")

    assert errors == {}
    assert answers["csat_overall"] == (
        AnswerValue("csat_overall", choice_code="5", value=5.0),
    )
    assert answers["access"] == (AnswerValue("access", choice_code="na", is_na=True),)
    assert answers["treatment"][0].choice_code == "5"
    assert answers["repurchase"][0].value == 5.0
    assert answers["comment"] == (AnswerValue("comment", text="Quick and friendly."),)
    assert list(answers) == list(POST_CONTACT.question_codes)


def test_missing_required_answers_and_unknown_questions_are_errors():
    data = {key: value for key, value in GOOD.items() if key != "nps"} | {
        "colour": "red"
    }

    answers, errors = parse_answers(POST_CONTACT, data, language="zh-Hans")

    assert errors == {"nps": "请选择一个答案。", "colour": "未知的问题。"}
    assert "nps" not in answers


@pytest.mark.parametrize(
    ("value", "message_text"),
    [
        (11, "Choose a value from 0 to 10."),
        (-1, "Choose a value from 0 to 10."),
        (9.5, "Choose a value from 0 to 10."),
        (True, "Choose a value from 0 to 10."),
        ([9], "Choose a value from 0 to 10."),
        ({"x": 1}, "Choose a value from 0 to 10."),
        ("na", "Choose a value from 0 to 10."),
        (float("nan"), "Choose a value from 0 to 10."),
    ],
)
def test_bad_nps_values_are_rejected(value, message_text):
    _, errors = parse_answers(POST_CONTACT, GOOD | {"nps": value}, language="en")

    assert errors == {"nps": message_text}


def test_none_means_unanswered():
    answers, errors = parse_answers(
        POST_CONTACT, GOOD | {"comment": None}, language="en"
    )

    assert errors == {}
    assert answers["comment"] == ()


def test_text_must_be_a_string():
    _, errors = parse_answers(POST_CONTACT, GOOD | {"comment": 42}, language="es")

    assert errors == {"comment": "Escriba su respuesta como texto."}


def complaint(**overrides):
    data = {
        "handling": {
            "acknowledgement": 4,
            "speed": 3,
            "fairness": "na",
            "communication": 5,
            "staff": 5,
        },
        "resolved": "yes",
        "csat_overall": 4,
        "repurchase": 4,
    }
    return data | overrides


def test_matrix_answers_come_per_row():
    answers, errors = parse_answers(COMPLAINT, complaint(), language="en")

    assert errors == {}
    assert answers["handling"][0] == AnswerValue(
        "handling", item_code="acknowledgement", choice_code="4", value=4.0
    )
    assert answers["handling"][2] == AnswerValue(
        "handling", item_code="fairness", choice_code="na", is_na=True
    )
    assert "unresolved_reason" not in answers


def test_matrix_errors_are_keyed_by_row_and_all_reported():
    rows = complaint()["handling"] | {"speed": 9, "colour": 1}
    del rows["staff"]

    _, errors = parse_answers(COMPLAINT, complaint(handling=rows), language="en")

    assert errors == {
        "handling.colour": "Unknown row.",
        "handling.speed": "Choose a value from 1 to 5.",
        "handling.staff": "Please choose an answer.",
    }


def test_matrix_needs_a_mapping():
    _, errors = parse_answers(COMPLAINT, complaint(handling=4), language="en")

    assert errors == {"handling": "Answer each row separately."}


def test_display_logic_shows_the_follow_up_only_when_unresolved():
    answers, errors = parse_answers(
        COMPLAINT,
        complaint(resolved="no", unresolved_reason="Still waiting for the refund."),
        language="en",
    )

    assert errors == {}
    assert answers["resolved"] == (
        AnswerValue("resolved", choice_code="no", value=0.0),
    )
    assert answers["unresolved_reason"][0].text == "Still waiting for the refund."


def test_answering_a_hidden_question_is_an_error():
    _, errors = parse_answers(
        COMPLAINT, complaint(unresolved_reason="x"), language="en"
    )

    assert errors == {
        "unresolved_reason": "This question does not apply, given your other answers."
    }


def test_unknown_single_choice():
    _, errors = parse_answers(COMPLAINT, complaint(resolved="maybe"), language="en")

    assert errors == {"resolved": "Choose one of the options."}


def servqual_answers(**overrides):
    data: dict[str, Any] = {}
    for question in SERVQUAL.questions():
        if question.type == "expectation_perception":
            data[question.code] = {
                item.code: {"expectation": 7, "perception": 5}
                for item in question.items
            }
    data["importance"] = {
        item.code: 5 for item in SERVQUAL.question("importance").items
    }
    data["csat_overall"] = 4
    data["nps"] = 8
    return data | overrides


def test_expectation_perception_answers_come_per_item_and_part():
    answers, errors = parse_answers(SERVQUAL, servqual_answers(), language="en")

    assert errors == {}
    assert answers["tangibles"][:2] == (
        AnswerValue("tangibles", "modern_equipment", "expectation", "7", 7.0),
        AnswerValue("tangibles", "modern_equipment", "perception", "5", 5.0),
    )
    assert len(answers["reliability"]) == 10
    assert answers["importance"][0] == AnswerValue(
        "importance", "tangibles", "", "5", 5.0
    )


def test_expectation_perception_errors_name_the_part():
    tangibles = servqual_answers()["tangibles"] | {
        "modern_equipment": {"expectation": 8, "perception": 5},
        "neat_employees": {"perception": "na"},
        "appealing_facilities": 4,
    }

    _, errors = parse_answers(
        SERVQUAL, servqual_answers(tangibles=tangibles), language="en"
    )

    assert errors == {
        "tangibles.modern_equipment.expectation": "Choose a value from 1 to 7.",
        "tangibles.appealing_facilities": "Give both what you expected and what you experienced.",
        "tangibles.neat_employees.expectation": "Please choose an answer.",
    }


def test_expectation_perception_missing_part_is_required():
    tangibles = servqual_answers()["tangibles"] | {
        "neat_employees": {"perception": "na"}
    }

    _, errors = parse_answers(
        SERVQUAL, servqual_answers(tangibles=tangibles), language="en"
    )

    assert errors == {
        "tangibles.neat_employees.expectation": "Please choose an answer."
    }


def test_multiple_choice_takes_a_list_and_display_logic_on_a_range():
    data = {
        "ces": 3,
        "resolved": "partly",
        "contacts": "twice",
        "hard_parts": ["transferred", "waiting"],
        "drivers": {
            "easy_to_find": 2,
            "no_repeat": 1,
            "clear_next_steps": "na",
            "quick": 3,
        },
    }

    answers, errors = parse_answers(CES, data, language="en")

    assert errors == {}
    assert [a.choice_code for a in answers["hard_parts"]] == ["waiting", "transferred"]
    _, errors = parse_answers(CES, data | {"ces": 7}, language="en")
    assert errors == {
        "hard_parts": "This question does not apply, given your other answers."
    }
    _, errors = parse_answers(CES, data | {"hard_parts": [1]}, language="en")
    assert errors == {"hard_parts": "Choose one of the options."}

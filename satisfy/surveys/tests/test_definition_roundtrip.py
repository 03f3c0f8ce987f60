"""Definitions survive export and import: dict, JSON and YAML round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfy.surveys.definition import (
    LANGUAGES,
    QuestionType,
    definition_from_dict,
    definition_to_dict,
    dump_definition,
    list_templates,
    load_definition,
)


@pytest.mark.parametrize("defn", list_templates(), ids=lambda d: d.code)
def test_templates_round_trip_through_dict_json_and_yaml(defn):
    stored = json.loads(json.dumps(definition_to_dict(defn)))

    assert definition_from_dict(stored) == defn
    assert load_definition(dump_definition(defn, format="json")) == defn
    assert load_definition(dump_definition(defn, format="yaml")) == defn


def test_yaml_export_keeps_chinese_readable():
    defn = next(d for d in list_templates() if d.code == "post-contact")

    text = dump_definition(defn, format="yaml")

    assert "总体而言，您对本次服务满意吗？" in text
    assert "\\u" not in text
    assert "code: 'no'" not in text  # no stray quoting of ordinary codes
    assert json.loads(dump_definition(defn, format="json"))["code"] == "post-contact"


def test_export_is_explicit_about_default_wording():
    defn = load_definition(
        "code: x\nversion: '1'\ntitle: X\npages: [{code: p, questions: "
        "[{code: q, type: csat, text: Q, allow_na: true}]}]\n"
    )

    question = definition_to_dict(defn)["pages"][0]["questions"][0]

    assert question["labels"][0] == {
        "en": "Very dissatisfied",
        "zh-Hans": "非常不满意",
        "es": "Muy insatisfecho",
    }
    assert question["top_box"] == 2
    assert question["na_label"]["en"] == "Don't know / not applicable"


def test_unknown_export_format_is_rejected():
    with pytest.raises(ValueError, match="unknown format"):
        dump_definition(list_templates()[0], format="xml")  # type: ignore[arg-type]


# -- property: any valid definition built from parts survives both round trips

codes = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
words = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "Zs", "P"),
        exclude_characters="\x85\u2028\u2029",
    ),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s.strip())


@st.composite
def texts(draw: st.DrawFn) -> dict[str, str]:
    return {language: draw(words) for language in LANGUAGES}


@st.composite
def questions(draw: st.DrawFn, code: str) -> dict[str, Any]:
    qtype = draw(st.sampled_from(list(QuestionType)))
    data: dict[str, Any] = {
        "code": code,
        "type": qtype.value,
        "text": draw(texts()),
        "required": draw(st.booleans()),
    }
    if draw(st.booleans()):
        data["dimension"] = draw(codes)
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choice_codes = draw(
            st.lists(
                codes.filter(lambda c: c != "na"), min_size=2, max_size=5, unique=True
            )
        )
        data["choices"] = [
            {"code": c, "label": draw(texts())}
            | ({"value": draw(st.integers(-5, 5))} if draw(st.booleans()) else {})
            for c in choice_codes
        ]
    if qtype in (
        QuestionType.MATRIX,
        QuestionType.EXPECTATION_PERCEPTION,
        QuestionType.IMPORTANCE,
    ):
        item_codes = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
        data["items"] = [{"code": c, "label": draw(texts())} for c in item_codes]
    if qtype in (QuestionType.RATING, QuestionType.SCALE, QuestionType.MATRIX):
        low = draw(st.integers(-3, 2))
        high = draw(st.integers(low + 1, low + 10))
        data["min_value"], data["max_value"] = low, high
        if draw(st.booleans()):
            data["labels"] = [draw(texts()) for _ in range(high - low + 1)]
        if draw(st.booleans()):
            data["top_box"] = draw(st.integers(1, high - low))
        data["reversed"] = draw(st.booleans())
    if qtype is QuestionType.CES:
        data["ces_version"] = draw(st.sampled_from([1, 2]))
    if qtype is QuestionType.TEXT:
        data["max_length"] = draw(st.integers(1, 10_000))
    elif draw(st.booleans()):
        data["allow_na"] = True
        if draw(st.booleans()):
            data["na_label"] = draw(texts())
    return data


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    question_codes = draw(st.lists(codes, min_size=1, max_size=6, unique=True))
    return {
        "code": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
        "version": draw(st.sampled_from(["1", "1.0", "2.3.1"])),
        "title": draw(texts()),
        "languages": list(LANGUAGES),
        "anonymous": draw(st.booleans()),
        "ivr_key_layout": draw(st.sampled_from(["ascending", "descending"])),
        "pages": [
            {
                "code": "main",
                "questions": [draw(questions(code)) for code in question_codes],
            }
        ],
    }


@settings(max_examples=40, deadline=None)
@given(definitions())
def test_any_valid_definition_round_trips(data):
    defn = definition_from_dict(data)

    assert (
        definition_from_dict(json.loads(json.dumps(definition_to_dict(defn)))) == defn
    )
    assert load_definition(dump_definition(defn, format="yaml")) == defn
    assert load_definition(dump_definition(defn, format="json")) == defn

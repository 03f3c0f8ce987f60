"""The gap table (SERVQUAL) and the ECSI index model pages, on answers stored through the services."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.definition import QuestionType
from satisfy.surveys.services import version_definition


def _answers(definition, values):
    """A valid whole-survey answer: ``values(question, item, part)`` gives each number."""
    data: dict[str, Any] = {}
    for q in definition.questions():
        if q.type == QuestionType.TEXT or q.show_if is not None:
            continue
        if q.type == QuestionType.EXPECTATION_PERCEPTION:
            data[q.code] = {
                i.code: {p: values(q, i, p) for p in ("expectation", "perception")}
                for i in q.items
            }
        elif q.items:
            data[q.code] = {i.code: values(q, i, "") for i in q.items}
        elif q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            choice = q.answer_choices[0].code
            data[q.code] = [choice] if q.type == QuestionType.MULTIPLE else choice
        else:
            data[q.code] = values(q, None, "")
    return data


def _store(survey, rows):
    definition = version_definition(survey.current_version)
    for i, row in enumerate(rows):
        answers, errors = parse_answers(
            definition, _answers(definition, row), language="en"
        )
        assert errors == {}
        submit_response(survey=survey, answers=answers, idempotency_key=f"r{i}")


def _clip(value, low, high):
    return int(min(high, max(low, round(value))))


def test_servqual_gaps_show_where_perception_falls_short(client, alice, make_survey):
    survey = make_survey(template="servqual-bank", slug="bank-quality")
    rng = np.random.default_rng(7)

    def row(seed):
        def values(q, item, part):
            low, high = int(q.min_value or 1), int(q.max_value or 7)
            if part == "expectation":
                return _clip(6 + rng.normal(0, 0.5), low, high)
            if part == "perception":
                shortfall = 2 if q.code == "reliability" else 0
                return _clip(6 - shortfall + rng.normal(0, 0.5), low, high)
            return _clip((low + high) / 2 + rng.normal(0, 1), low, high)

        return values

    _store(survey, [row(i) for i in range(25)])
    client.force_login(alice)
    r = client.get("/surveys/bank-quality/results/gaps/")
    assert r.status_code == 200
    gaps = r.context["gaps"]
    assert gaps.n == 25
    reliability = next(
        g for _label, g in gaps.dimension_rows if g.name == "reliability"
    )
    assert reliability.gap < -1.5
    assert reliability.ci_high < 0
    assert "<svg" in r.content.decode()


def test_ecsi_index_model_gives_0_to_100_indices_and_a_path_diagram(
    client, alice, make_survey
):
    survey = make_survey(template="ecsi", slug="relationship")
    rng = np.random.default_rng(11)
    blocks = {
        "imag": 5,
        "cuex": 3,
        "perq": 7,
        "perv": 2,
        "cusa": 3,
        "cusco": 1,
        "cusl": 3,
    }

    def row(_i):
        image = rng.normal()
        quality = 0.6 * image + rng.normal(0, 0.8)
        latent = {
            "imag": image,
            "cuex": 0.5 * image + rng.normal(0, 0.9),
            "perq": quality,
            "perv": 0.6 * quality + rng.normal(0, 0.8),
        }
        latent["cusa"] = (
            0.3 * image + 0.5 * quality + 0.2 * latent["perv"] + rng.normal(0, 0.5)
        )
        latent["cusco"] = 0.5 * latent["cusa"] + rng.normal(0, 0.8)
        latent["cusl"] = 0.6 * latent["cusa"] + rng.normal(0, 0.7)

        def values(q, _item, _part):
            block = next(b for b in blocks if q.code.startswith(b))
            return _clip(6.5 + 1.5 * latent[block] + rng.normal(0, 0.7), 1, 10)

        return values

    _store(survey, [row(i) for i in range(60)])
    client.force_login(alice)
    r = client.get("/surveys/relationship/results/index/")
    assert r.status_code == 200
    index = r.context["index"]
    assert index.n == 60
    values = {name: value for name, value, _r2 in index.rows}
    assert 0 < values["Satisfaction"] < 100
    assert index.result.path("Quality", "Satisfaction") > 0
    assert "<svg" in r.content.decode()


def test_reports_without_the_questions_say_so(client, alice, make_survey):
    make_survey()
    client.force_login(alice)
    assert (
        "SERVQUAL" in client.get("/surveys/after-call/results/gaps/").content.decode()
    )
    assert "ECSI" in client.get("/surveys/after-call/results/index/").content.decode()


@pytest.mark.parametrize("page", ["gaps", "index"])
def test_strangers_get_404(client, mallory, make_survey, page):
    make_survey()
    client.force_login(mallory)
    assert client.get(f"/surveys/after-call/results/{page}/").status_code == 404

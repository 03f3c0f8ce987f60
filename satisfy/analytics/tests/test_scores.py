"""Scores: definitions, base rules, intervals and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from satisfy.analytics import (
    CES1_SCALE,
    AnswerSummary,
    GroupedSummary,
    NPSResult,
    Scale,
    bottom_box,
    ces,
    csat,
    csi,
    distribution,
    mean_score,
    nps,
    top_box,
    wilson_interval,
)


def test_nps_counts_promoters_passives_detractors():
    # given 3 promoters (9, 10, 10), 2 passives (7, 8), 3 detractors (0, 5, 6)
    r = nps([9, 10, 10, 7, 8, 0, 5, 6])
    # then
    assert isinstance(r, NPSResult)
    assert r.value == pytest.approx(0.0)
    assert (r.promoters, r.passives, r.detractors) == (0.375, 0.25, 0.375)
    assert r.n == 8
    assert r.method == "wald"
    assert r.metric == "nps"


def test_nps_interval_is_the_multinomial_wald():
    r = nps([10] * 50 + [8] * 30 + [3] * 20)
    se = math.sqrt((0.5 + 0.2 - 0.3**2) / 100)
    assert r.value == pytest.approx(30.0)
    assert r.se == pytest.approx(100 * se)
    assert r.ci_low == pytest.approx(100 * (0.3 - 1.959963984540054 * se))


def test_nps_excludes_na_codes_from_the_base():
    r = nps([10, 9, 0, 99, 99], na_codes=[99])
    assert r.n == 3
    assert r.n_na == 2
    assert r.value == pytest.approx(100 / 3)


def test_nps_methods_and_clipping():
    r = nps([10, 10, 10], method="adjusted-wald")
    assert r.value == 100.0
    assert r.ci_high <= 100.0
    assert r.ci_low < 100.0
    b = nps([10, 9, 8, 6, 3] * 20, method="bootstrap", random_state=3)
    assert b.ci_low < b.value < b.ci_high
    with pytest.raises(ValueError, match="method"):
        nps([10], method="exact")


def test_csat_is_the_top_two_box_percentage_by_default():
    # domain.md: 40% very satisfied + 40% satisfied -> CSAT 80%
    r = csat([5] * 4 + [4] * 4 + [3, 1])
    assert r.value == pytest.approx(80.0)
    low, high = wilson_interval(8, 10)
    assert (r.ci_low, r.ci_high) == pytest.approx((100 * low, 100 * high))


def test_csat_top_k_and_scale_are_configurable():
    r = csat([7, 6, 5, 1], scale=Scale(1, 7), top=3)
    assert r.value == pytest.approx(75.0)
    assert csat([1, 2, 5], scale=CES1_SCALE, top=1).value == pytest.approx(100 / 3)


def test_top_and_bottom_box_are_shares():
    assert top_box([5, 5, 4, 1]).value == 0.5
    assert bottom_box([5, 5, 4, 1], k=2).value == 0.25
    with pytest.raises(ValueError, match="box size"):
        top_box([1, 2], k=5)


def test_distribution_shows_every_point_and_na():
    d = distribution([1, 1, 3, 98], na_codes=[98])
    assert d.points == (1, 2, 3, 4, 5)
    assert d.counts == (2, 0, 1, 0, 0)
    assert d.shares[0] == pytest.approx(2 / 3)
    assert d.n == 3
    assert d.na_counts == {98.0: 1}
    assert sum(d.shares) == pytest.approx(1.0)
    json.dumps(d.to_dict())


def test_mean_score_t_interval_and_single_answer():
    r = mean_score([1, 2, 3, 4, 5])
    assert r.value == 3.0
    assert r.df == 4
    assert r.se == pytest.approx(math.sqrt(2.5 / 5))
    one = mean_score([4])
    assert (one.ci_low, one.ci_high) == (1.0, 5.0)
    assert one.to_dict()["se"] is None


def test_ces_versions():
    r2 = ces([7, 6, 5, 4, 1])
    assert r2.version == 2
    assert r2.value == pytest.approx(4.6)
    assert r2.agree == pytest.approx(0.6)
    assert r2.agree_ci_low < 0.6 < r2.agree_ci_high
    r1 = ces([1, 2, 2, 5], version=1)
    assert r1.metric == "ces1"
    assert r1.agree == pytest.approx(0.75)  # low effort = 1-2, lower is better
    with pytest.raises(ValueError, match="version"):
        ces([1], version=3)


def test_csi_equal_interval_mapping_over_mixed_scales():
    # item 1 on 1-4 (codes 1..4 -> 0, 33.3, 66.7, 100), item 2 on 0-10
    data = np.array([[4, 10], [1, 5], [3, 0]], dtype=float)
    r = csi(data, scale=[Scale(1, 4), Scale(0, 10)])
    item1 = (100 + 0 + 200 / 3) / 3
    item2 = (100 + 50 + 0) / 3
    assert r.items == pytest.approx((item1, item2))
    assert r.value == pytest.approx((item1 + item2) / 2)
    assert r.n == 3


def test_csi_item_weights_and_missing_items():
    data = [[5.0, 1.0], [5.0, float("nan")], [5.0, 1.0]]
    r = csi(data, item_weights=[3, 1])
    assert r.items == (100.0, 0.0)
    assert r.value == pytest.approx(75.0)
    assert r.item_n == (3, 2)


def test_csi_single_item_interval_matches_mean_on_0_100():
    answers = [1, 2, 3, 4, 5, 5, 4]
    r = csi(answers)
    m = mean_score(answers)
    assert r.value == pytest.approx((m.value - 1) * 25)
    assert r.ci_low == pytest.approx((m.ci_low - 1) * 25)


def test_csi_from_separate_item_summaries_is_conservative():
    rng = np.random.default_rng(0)
    data = rng.integers(1, 6, size=(200, 3)).astype(float)
    exact = csi(data)
    parts = [AnswerSummary.from_values(data[:, j], scale=Scale(1, 5)) for j in range(3)]
    loose = csi(parts)
    assert loose.value == pytest.approx(exact.value)
    assert loose.se >= exact.se
    assert "conservative" in loose.method


def test_weighted_results_report_kish_diagnostics():
    w = [1, 1, 1, 3]
    r = csat([5, 5, 1, 1], weights=w)
    assert r.weighted
    assert r.value == pytest.approx(100 * 2 / 6)
    assert r.n == 4
    assert r.n_effective == pytest.approx(36 / 12)
    assert r.design_effect == pytest.approx(4 / 3)


def test_grouped_scores_match_per_unit_scores():
    values = [10, 9, 0, 7, 10, 3, 8, 8]
    units = ["a", "a", "a", "b", "b", "c", "c", "c"]
    g = GroupedSummary.from_values(values, units, scale=Scale(0, 10))
    res = nps(g)
    assert res.labels == ("a", "b", "c")
    for label in ("a", "b", "c"):
        own = [v for v, u in zip(values, units, strict=True) if u == label]
        assert res[label] == nps(own)
    assert set(res.to_dict()) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            [1, 2, 6],
            r"value 6 at position 2 is outside the scale CSAT \(1–5\) and is not one of its NA codes \(99\)",
        ),
        ([1, 2.5], r"value 2.5 at position 1 is not a whole code"),
        ([1, "good"], r"value 'good' at position 1 is not a number"),
        ([1, float("nan")], r"value nan at position 1 is not a number"),
        ([], r"no answers on the scale"),
        ([99, 99], r"no answers on the scale"),
    ],
)
def test_bad_answers_raise_a_sentence(values, message):
    with pytest.raises(ValueError, match=message):
        csat(values, na_codes=[99])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1, -1, 1], r"weight -1 at position 1 is negative"),
        ([0, 0, 0], r"all weights are zero"),
        ([1, float("nan"), 1], r"weight nan at position 1 is not a finite number"),
        ([1, 1], r"weights has 2 values but there are 3 answers"),
    ],
)
def test_bad_weights_raise_a_sentence(weights, message):
    with pytest.raises(ValueError, match=message):
        nps([10, 9, 3], weights=weights)


def test_results_are_frozen_and_serialisable():
    r = nps([10, 9, 3])
    with pytest.raises(AttributeError):
        r.value = 1.0  # type: ignore[misc]
    out = json.loads(json.dumps(r.to_dict()))
    assert {"value", "n", "ci_low", "ci_high", "method", "promoters"} <= set(out)


def test_grouped_to_dict_equals_each_result_to_dict():
    g = GroupedSummary.from_values(
        [10, 9, 0, 7, 10, 3, 4], ["a", "a", "a", "b", "b", "c", "c"], scale=Scale(0, 10)
    )
    for scores in (
        nps(g),
        csat(g, scale=Scale(0, 10)),
        ces(g, scale=Scale(0, 10)),
        csi(g),
    ):
        assert scores.to_dict() == {str(k): r.to_dict() for k, r in scores.items()}

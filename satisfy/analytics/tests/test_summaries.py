"""Mergeable summaries: raw answers and summaries give identical scores (hypothesis)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfy.analytics import (
    CSAT_SCALE,
    NPS_SCALE,
    AnswerSummary,
    GroupedSummary,
    ItemsSummary,
    Scale,
    ces,
    csat,
    csi,
    distribution,
    mean_score,
    nps,
    top_box,
)

nps_answers = st.lists(st.integers(0, 10), min_size=1, max_size=60)
five_point = st.lists(st.integers(1, 5), min_size=2, max_size=60)
positive_weights = st.floats(0.05, 20.0, allow_nan=False, allow_infinity=False)


@given(nps_answers, nps_answers)
def test_merging_summaries_equals_pooling_answers(a, b):
    merged = AnswerSummary.from_values(a, scale=NPS_SCALE) + AnswerSummary.from_values(
        b, scale=NPS_SCALE
    )
    assert merged == AnswerSummary.from_values(a + b, scale=NPS_SCALE)
    assert nps(merged) == nps(a + b)


@given(five_point)
def test_every_score_accepts_raw_answers_or_a_summary(values):
    s = AnswerSummary.from_values(values, scale=CSAT_SCALE)
    assert csat(s) == csat(values)
    assert top_box(s) == top_box(values)
    assert mean_score(s) == mean_score(values)
    assert csi(s) == csi(values)
    assert distribution(s) == distribution(values)


@given(st.lists(st.integers(1, 7), min_size=2, max_size=40))
def test_ces_from_summary_is_identical(values):
    s = AnswerSummary.from_values(values, scale=Scale(1, 7))
    assert ces(s) == ces(values)


@given(nps_answers, st.data())
def test_weights_of_one_give_the_unweighted_result(values, data):
    plain = nps(values)
    weighted = nps(values, weights=[1.0] * len(values))
    assert weighted.weighted
    assert not plain.weighted
    for field in ("value", "ci_low", "ci_high", "se", "n_effective"):
        assert getattr(weighted, field) == pytest.approx(
            getattr(plain, field), abs=1e-9
        )
    assert weighted.design_effect == pytest.approx(1.0)


@given(five_point)
def test_weights_of_one_give_the_unweighted_mean_and_csat(values):
    ones = [1.0] * len(values)
    for score in (csat, mean_score, csi):
        a, b = score(values), score(values, weights=ones)
        assert (b.value, b.ci_low, b.ci_high) == pytest.approx(
            (a.value, a.ci_low, a.ci_high), abs=1e-9
        )


@given(
    st.lists(st.tuples(st.integers(0, 10), positive_weights), min_size=1, max_size=50)
)
def test_scores_stay_within_their_bounds(pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    r = nps(values, weights=weights)
    assert -100 <= r.ci_low <= r.value <= r.ci_high <= 100
    assert 0 <= r.promoters <= 1
    assert 0 <= r.detractors <= 1
    assert r.promoters + r.passives + r.detractors == pytest.approx(1.0)
    assert 1 <= r.n_effective <= r.n + 1e-9
    c = csat(values, scale=Scale(0, 10), top=3, weights=weights)
    assert 0 <= c.ci_low <= c.value <= c.ci_high <= 100
    m = mean_score(values, scale=Scale(0, 10), weights=weights)
    assert 0 <= m.ci_low <= m.value <= m.ci_high <= 10


@given(
    st.lists(st.tuples(st.integers(0, 10), positive_weights), min_size=2, max_size=40)
)
def test_weighted_summaries_merge(pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    half = len(values) // 2
    parts = AnswerSummary.from_values(
        values[:half], scale=NPS_SCALE, weights=weights[:half]
    ) + AnswerSummary.from_values(
        values[half:], scale=NPS_SCALE, weights=weights[half:]
    )
    whole = nps(values, weights=weights)
    merged = nps(parts)
    assert (merged.value, merged.ci_low, merged.ci_high) == pytest.approx(
        (whole.value, whole.ci_low, whole.ci_high), abs=1e-9
    )


@given(nps_answers, nps_answers)
def test_subtracting_a_part_gives_the_rest(a, b):
    sa = AnswerSummary.from_values(a, scale=NPS_SCALE)
    sb = AnswerSummary.from_values(b, scale=NPS_SCALE)
    assert (sa + sb) - sb == sa


@given(st.lists(st.sampled_from([1, 2, 3, 4, 5, 98, 99]), min_size=1, max_size=40))
def test_json_round_trip_keeps_everything(values):
    scale = Scale(1, 5, na_codes=(98, 99))
    s = AnswerSummary.from_values(values, scale=scale)
    back = AnswerSummary.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back == s
    assert back.n_na == sum(v > 5 for v in values)


def test_weighted_json_round_trip():
    s = AnswerSummary.from_values([1, 5, 5], scale=Scale(1, 5), weights=[0.5, 2, 1])
    back = AnswerSummary.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back == s
    assert csat(back) == csat(s)


def test_merging_different_scales_is_refused():
    a = AnswerSummary.from_values([1], scale=Scale(1, 5))
    b = AnswerSummary.from_values([1], scale=Scale(1, 7))
    with pytest.raises(ValueError, match="different scales"):
        a + b


def test_sum_of_many_summaries():
    parts = [AnswerSummary.from_values([d % 11], scale=NPS_SCALE) for d in range(30)]
    assert sum(parts).n == 30  # type: ignore[union-attr]


@given(
    st.lists(st.integers(0, 10), min_size=1, max_size=80),
    st.lists(st.sampled_from(["north", "south", "east"]), min_size=80, max_size=80),
)
def test_grouped_summary_adds_up_to_the_total(values, groups):
    groups = groups[: len(values)]
    g = GroupedSummary.from_values(values, groups, scale=NPS_SCALE)
    assert g.total() == AnswerSummary.from_values(values, scale=NPS_SCALE)
    assert sum(s for _, s in g.items()) == g.total()
    res = nps(g)
    for label, summary in g.items():
        assert res[label] == nps(summary)


def test_grouped_summary_from_rollups():
    a = AnswerSummary.from_values([10, 9], scale=NPS_SCALE)
    b = AnswerSummary.from_values([1, 9, 99], scale=Scale(0, 10, na_codes=(99,)))
    g = GroupedSummary.from_summaries({"a": a, "b": b})
    assert g["b"].n_na == 1
    assert nps(g)["a"] == nps(a)


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 5)),
            st.one_of(st.none(), st.integers(0, 10)),
        ),
        min_size=6,
        max_size=40,
    )
)
def test_item_summaries_merge(rows):
    data = np.array(
        [[np.nan if a is None else a, np.nan if b is None else b] for a, b in rows]
    )
    scales = [Scale(1, 5), Scale(0, 10)]
    answered = ~np.isnan(data)
    if (answered.sum(axis=0) < 2).any():
        return
    half = len(rows) // 2
    merged = ItemsSummary.from_matrix(
        data[:half], scales=scales
    ) + ItemsSummary.from_matrix(data[half:], scales=scales)
    whole = csi(data, scale=scales)
    parts = csi(merged)
    assert parts.value == pytest.approx(whole.value, abs=1e-9)
    assert parts.se == pytest.approx(whole.se, abs=1e-9)
    assert (
        ItemsSummary.from_dict(json.loads(json.dumps(merged.to_dict()))).n == merged.n
    )

"""Satisfaction by operational lever: groups, effects with intervals, plain sentences."""

from __future__ import annotations

import numpy as np
import pytest

from satisfy.analytics.ops_link import (
    LeverEffect,
    describe_duration,
    describe_lever_effect,
    explain_levers,
    mean_by_group,
    mean_effect,
    nps_by_group,
    nps_effect,
    share_by_group,
    share_effect,
    wait_buckets,
)


# Reference: R package contingencytables (Fagerland, Lydersen & Laake, *Statistical
# Analysis of Contingency Tables*, 2017), tests/testthat/test-ch4.R:
#   Newcombe_hybrid_score_CI_2x2(perondi_2004)  # matrix(c(7, 27, 1, 33), byrow = TRUE)
#   -> "estimate = 0.1765 (95% CI 0.0189 to 0.3404)"
def test_share_effect_matches_contingencytables_newcombe():
    successes = [1] * 7 + [0] * 27 + [1] * 1 + [0] * 33
    exposed = [True] * 34 + [False] * 34
    e = share_effect(successes, exposed, metric="CSAT", lever="x")
    assert round(e.difference, 4) == 0.1765
    assert round(e.ci_low, 4) == 0.0189
    assert round(e.ci_high, 4) == 0.3404
    assert e.method == "newcombe"


# Independent computation (scipy's Welch t-test), not a published value.
def test_mean_effect_matches_scipy_welch():
    from scipy import stats

    rng = np.random.default_rng(3)
    a, b = rng.normal(5, 1, 40), rng.normal(4.2, 2, 25)
    e = mean_effect(
        np.r_[a, b],
        np.r_[np.ones(40, bool), np.zeros(25, bool)],
        metric="CES",
        lever="x",
    )
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert e.ci_low == pytest.approx(ci.low)
    assert e.ci_high == pytest.approx(ci.high)


def test_nps_effect_difference_and_interval():
    ratings = [10, 10, 9, 8, 3] * 20 + [9, 7, 6, 5, 2] * 20
    exposed = [False] * 100 + [True] * 100
    e = nps_effect(ratings, exposed, lever="the call was transferred")
    assert e.baseline_value == pytest.approx(40.0)
    assert e.exposed_value == pytest.approx(-40.0)
    assert e.difference == pytest.approx(-80.0)
    assert e.ci_low < -80 < e.ci_high
    assert e.is_distinguishable


def test_wait_buckets_use_inclusive_upper_edges():
    labels = wait_buckets([0, 30, 31, 60, 120, 121, 300, 301]).tolist()
    assert labels == [
        "up to 30 seconds",
        "up to 30 seconds",
        "30 seconds to 1 minute",
        "30 seconds to 1 minute",
        "1 to 2 minutes",
        "2 to 5 minutes",
        "2 to 5 minutes",
        "over 5 minutes",
    ]
    with pytest.raises(ValueError, match="increasing"):
        wait_buckets([1], edges=[60, 30])


def test_csat_by_wait_bucket_end_to_end():
    # given: 200 quick answers (CSAT 86 %) and 100 long waits (CSAT 61 %)
    waits = np.r_[np.full(200, 20.0), np.full(100, 200.0)]
    satisfied = np.r_[
        np.ones(172, bool), np.zeros(28, bool), np.ones(61, bool), np.zeros(39, bool)
    ]
    # when
    table = {g.group: g for g in share_by_group(satisfied, wait_buckets(waits))}
    effect = share_effect(
        satisfied,
        waits > 120,
        metric="CSAT",
        lever=f"the wait passes {describe_duration(120)}",
    )
    # then
    assert table["up to 30 seconds"].value == pytest.approx(0.86)
    assert table["2 to 5 minutes"].n == 100
    sentence = describe_lever_effect(effect)
    assert sentence.startswith(
        "CSAT falls from 86% to 61% when the wait passes 2 minutes (-25 points, 95% CI"
    )
    assert sentence.endswith("n = 200 and 100).")


def test_levers_are_ranked_and_noise_is_called_noise():
    big = LeverEffect(
        "CSAT",
        "the call was transferred",
        "share",
        0.8,
        0.55,
        900,
        100,
        -0.25,
        -0.35,
        -0.15,
        0.05,
        "newcombe",
    )
    mid = LeverEffect(
        "CSAT",
        "the issue was not resolved",
        "share",
        0.8,
        0.7,
        700,
        300,
        -0.10,
        -0.16,
        -0.04,
        0.05,
        "newcombe",
    )
    noise = LeverEffect(
        "CSAT",
        "it was a Monday",
        "share",
        0.8,
        0.78,
        800,
        200,
        -0.02,
        -0.08,
        0.04,
        0.05,
        "newcombe",
    )
    sentences = explain_levers([noise, mid, big])
    assert len(sentences) == 2
    assert "transferred" in sentences[0]
    assert "not resolved" in sentences[1]
    assert "within the noise" in describe_lever_effect(noise)
    assert explain_levers([noise]) == [
        "None of the operational levers examined moves CSAT by more than the noise in these responses."
    ]


def test_group_tables_for_means_and_nps():
    means = {
        g.group: g
        for g in mean_by_group([70, 80, 90, 50], ["chat", "chat", "chat", "voice"])
    }
    assert means["chat"].value == 80.0
    low, high = means["chat"].ci_low, means["chat"].ci_high
    assert low is not None
    assert high is not None
    assert low < 80 < high
    assert means["voice"].ci_low is None  # one answer: no interval, not NaN
    nps = {g.group: g for g in nps_by_group([10, 9, 0, 7], ["a", "a", "a", "b"])}
    assert nps["a"].value == pytest.approx(100 / 3)
    assert nps["b"].value == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: share_effect([1, 0], [True, True], metric="m", lever="l"),
            "both groups",
        ),
        (
            lambda: share_effect([1, 2], [True, False], metric="m", lever="l"),
            "true/false",
        ),
        (
            lambda: mean_effect([1.0, np.nan], [True, False], metric="m", lever="l"),
            "missing",
        ),
        (lambda: nps_by_group([11], ["a"]), "0 to 10"),
        (lambda: share_by_group([1, 0], ["a"]), "one label per response"),
    ],
)
def test_bad_input_raises_a_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_wait_bucket_labels_follow_the_buckets_in_order() -> None:
    from satisfy.analytics.ops_link import wait_bucket_labels

    labels = wait_bucket_labels()
    waits = [1.0, 31.0, 61.0, 121.0, 301.0]
    assert wait_buckets(waits).tolist() == labels
    assert wait_bucket_labels([90, 3600]) == [
        "up to 1.5 minutes",
        "1.5 minutes to 1 hour",
        "over 1 hour",
    ]

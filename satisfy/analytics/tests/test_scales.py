"""Scales and the equal-interval 0–100 mapping."""

from __future__ import annotations

import pytest

from satisfy.analytics import CES1_SCALE, NPS_SCALE, Scale, equal_interval_score


def test_equal_interval_mapping_of_four_options():
    # domain.md: 4 options -> 0, 33.3, 66.7, 100
    assert equal_interval_score([1, 2, 3, 4], 1, 4).tolist() == pytest.approx(
        [0, 100 / 3, 200 / 3, 100]
    )


# R plspm::mobile is exactly round((mobi - 1) * 100 / 9, 2) (survey-anchors README),
# i.e. the equal-interval mapping of the 1-10 ECSI items.
def test_equal_interval_mapping_matches_plspm_mobile_rule(shared_data):
    import csv

    with (shared_data / "survey-anchors" / "mobi.csv").open() as fh:
        row = next(csv.DictReader(fh))
    value = float(row["CUSA1"])
    assert Scale(1, 10).to_score([value])[0] == pytest.approx((value - 1) * 100 / 9)


def test_reversed_scale_puts_best_at_100():
    assert CES1_SCALE.to_score([1, 5]).tolist() == [100.0, 0.0]
    assert CES1_SCALE.top_codes(2) == (1, 2)
    assert CES1_SCALE.bottom_codes(1) == (5,)
    assert NPS_SCALE.top_codes(2) == (9, 10)


def test_labelled_scale_encodes_labels_and_na():
    s = Scale.labelled(["Bad", "OK", "Good"], na_labels=["Don't know", "N/A"])
    assert s.encode(["Good", "N/A", "Bad"]).tolist() == [3.0, 98.0, 1.0]
    with pytest.raises(ValueError, match="'Great' at position 0 is not a label"):
        s.encode(["Great"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 5, "high": 5}, "at least two codes"),
        ({"low": 1.5, "high": 5}, "not an integer"),
        ({"low": 1, "high": 5, "na_codes": (3,)}, "inside the scale"),
        ({"low": 1, "high": 3, "labels": ("a", "b")}, "3 codes but 2 labels"),
    ],
)
def test_bad_scales(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Scale(**kwargs)


def test_a_low_high_pair_stands_for_a_scale():
    from satisfy.analytics import AnswerSummary, csat, csi, mean_score

    assert csat([7, 6, 1], scale=(1, 7), top=2).value == pytest.approx(200 / 3)
    assert mean_score([0, 10], scale=(0, 10)).value == 5.0
    assert csi([[1, 10], [7, 4]], scale=(1, 10)).value == pytest.approx(50.0)
    assert csi([[1, 10]], scale=[(1, 10), (0, 10)]).items == (0.0, 100.0)
    assert AnswerSummary.from_values([3], scale=(1, 5)).n == 1
    with pytest.raises(ValueError, match="must be a Scale or a"):
        csat([1], scale=(1.5, 5))  # type: ignore[arg-type]

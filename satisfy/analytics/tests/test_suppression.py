"""Minimum-n and complementary suppression."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satisfy.analytics import suppress


def test_small_cells_are_hidden_with_a_complement():
    r = suppress([120, 3, 40, 57], min_n=5)
    assert r.primary.tolist() == [False, True, False, False]
    # with only one hidden cell the total would reveal it: hide the next smallest
    assert r.complementary.tolist() == [False, False, True, False]
    assert r.apply(["a", "b", "c", "d"]) == ["a", None, None, "d"]


def test_two_small_cells_protect_each_other():
    r = suppress([2, 3, 40, 57])
    assert r.hidden.tolist() == [True, True, False, False]
    assert not r.complementary.any()


def test_threshold_is_configurable_and_zero_cells_stay_visible():
    assert suppress([0, 9, 30], min_n=10).hidden.tolist() == [False, True, True]
    assert suppress([0, 9, 30], min_n=10, hide_zeros=True).primary.tolist() == [
        True,
        True,
        False,
    ]
    assert not suppress([4, 30], totals=False).complementary.any()


def test_a_lone_small_cell_forces_the_total_to_be_hidden():
    r = suppress([3, 0, 0])
    assert r.hidden_totals.tolist() == [True]


def test_table_rows_and_columns_are_protected():
    counts = np.array([[20, 3, 15], [30, 25, 40], [12, 18, 22]])
    r = suppress(counts)
    hidden = r.hidden
    for line in list(hidden) + list(hidden.T):
        assert line.sum() != 1


@given(
    st.lists(
        st.lists(st.integers(0, 40), min_size=2, max_size=5), min_size=2, max_size=5
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_no_line_is_left_with_a_single_hidden_cell(rows):
    counts = np.array(rows)
    r = suppress(counts)
    rows_n, cols_n = counts.shape
    for i in range(rows_n):
        assert r.hidden[i].sum() != 1 or r.hidden_totals[i]
    for j in range(cols_n):
        assert r.hidden[:, j].sum() != 1 or r.hidden_totals[rows_n + j]
    assert (r.primary == ((counts > 0) & (counts < 5))).all()


@pytest.mark.parametrize(
    ("counts", "kwargs", "message"),
    [
        ([1, -2], {}, "whole numbers ≥ 0"),
        ([1.5, 2], {}, "whole numbers ≥ 0"),
        ([1, 2], {"min_n": 0}, "min_n"),
        ([[[1]]], {}, "vector or a matrix"),
    ],
)
def test_bad_input(counts, kwargs, message):
    with pytest.raises(ValueError, match=message):
        suppress(counts, **kwargs)

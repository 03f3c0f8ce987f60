"""Agent states → seconds per class, interval and agent → occupancy.

The hand-worked day (half-hour intervals, seconds after midnight):

agent A  08:50–09:10 available, 09:10–09:25 talk, 09:25–09:28 hold,
         09:28–09:32 wrap, 09:32–09:45 break, 09:45–10:00 available
agent B  23:50–00:20 talk (crosses midnight into day 2), 00:20–00:30 idle

A, 09:00–09:30: available 600, talk 900, hold 180, wrap 120 → 1200 / 1800 = 2/3
A, 09:30–10:00: wrap 120, break 780, available 900 → 120 / 1020
A, whole day: handling 1320, available 2100 (600 + 600 + 900) → 1320 / 3420
B, 23:30 on day 1: talk 600; 00:00 on day 2: talk 1200, idle 600 → 2/3
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from satisfy.analytics.contact_centre import (
    STATE_CLASSES,
    AgentStateError,
    OccupancySummary,
    agent_occupancy,
    check_state_intervals,
    classify_states,
    find_overlaps,
    group_index,
    occupancy_by_group,
    split_at_intervals,
)


def hm(h: int, m: int, day: int = 0) -> int:
    return day * 86400 + h * 3600 + m * 60


AGENTS = ["A"] * 6 + ["B"] * 2
STATES = ["Available", "Talk", "Hold", "Wrap-up", "Break", "available", "ACD", "Idle"]
STARTS = [
    hm(8, 50),
    hm(9, 10),
    hm(9, 25),
    hm(9, 28),
    hm(9, 32),
    hm(9, 45),
    hm(23, 50),
    hm(0, 20, 1),
]
ENDS = [
    hm(9, 10),
    hm(9, 25),
    hm(9, 28),
    hm(9, 32),
    hm(9, 45),
    hm(10, 0),
    hm(0, 20, 1),
    hm(0, 30, 1),
]


def table(interval_minutes: int = 30) -> dict[tuple[Any, ...], OccupancySummary]:
    classes = classify_states(STATES)
    check_state_intervals(AGENTS, STARTS, ENDS)
    pieces = split_at_intervals(STARTS, ENDS, interval_minutes=interval_minutes)
    agent = np.asarray(AGENTS, dtype=object)[pieces.record]
    index, labels = group_index(agent, pieces.interval_start)
    summaries = occupancy_by_group(
        index, len(labels), classes[pieces.record], pieces.seconds, agent
    )
    return dict(zip(labels, summaries, strict=True))


def test_classes_of_the_hand_worked_states():
    names = [STATE_CLASSES[c] for c in classify_states(STATES)]
    assert names == [
        "available",
        "talk",
        "hold",
        "after_call_work",
        "not_ready",
        "available",
        "talk",
        "available",
    ]


def test_hand_worked_half_hours():
    cells = table(30)
    a0900 = cells[("A", hm(9, 0))]
    assert a0900.available_seconds == 600
    assert (a0900.talk_seconds, a0900.hold_seconds) == (900, 180)
    assert a0900.after_call_work_seconds == 120
    assert a0900.occupancy == pytest.approx(2 / 3)
    assert a0900.agents == 1
    a0930 = cells[("A", hm(9, 30))]
    assert a0930.after_call_work_seconds == 120
    assert a0930.not_ready_seconds == 780
    assert a0930.occupancy == pytest.approx(120 / 1020)
    assert a0930.utilisation == pytest.approx(120 / 1800)
    assert cells[("A", hm(8, 30))].available_seconds == 600
    assert cells[("A", hm(8, 30))].occupancy == 0.0


def test_midnight_crossing_is_split_into_both_days():
    cells = table(30)
    before = cells[("B", hm(23, 30))]
    after = cells[("B", hm(0, 0, 1))]
    assert before.talk_seconds == 600
    assert after.talk_seconds == 1200
    assert after.available_seconds == 600
    assert after.occupancy == pytest.approx(2 / 3)
    # the average-day slot (time of day) of the second piece is 00:00
    assert hm(0, 0, 1) % 86400 == 0


def test_whole_day_per_agent_and_overall():
    classes = classify_states(STATES)
    seconds = np.subtract(ENDS, STARTS).astype(float)
    index, labels = group_index(np.asarray(AGENTS))
    a, b = occupancy_by_group(index, len(labels), classes, seconds, AGENTS)
    assert a.handling_seconds == 1320
    assert a.available_seconds == 2100
    assert a.occupancy == pytest.approx(1320 / 3420)
    assert a.logged_in_seconds == 4200  # 08:50 to 10:00
    assert b.occupancy == pytest.approx(1800 / 2400)
    [total] = occupancy_by_group(np.zeros(8, int), 1, classes, seconds, AGENTS)
    assert total.agents == 2
    assert total.occupancy == pytest.approx((1320 + 1800) / (3420 + 2400))
    # the older two-array helper agrees
    assert agent_occupancy(
        [a.handling_seconds, b.handling_seconds],
        [a.available_seconds, b.available_seconds],
    ) == pytest.approx(total.occupancy)


@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_splitting_keeps_every_second(minutes):
    pieces = split_at_intervals(STARTS, ENDS, interval_minutes=minutes)
    per_record = np.bincount(pieces.record, weights=pieces.seconds, minlength=8)
    assert per_record.tolist() == np.subtract(ENDS, STARTS).astype(float).tolist()
    assert (pieces.interval_start % (minutes * 60) == 0).all()
    # each piece lies inside its interval
    assert (pieces.seconds <= minutes * 60).all()


def test_hour_intervals():
    cells = table(60)
    a09 = cells[("A", hm(9, 0))]
    # 09:00–10:00: available 600 + 900, talk 900, hold 180, wrap 240, break 780
    assert a09.handling_seconds == 1320
    assert a09.available_seconds == 1500
    assert a09.not_ready_seconds == 780


def test_record_on_a_boundary_stays_in_one_interval():
    pieces = split_at_intervals([1800], [3600], interval_minutes=30)
    assert pieces.interval_start.tolist() == [1800]
    assert pieces.seconds.tolist() == [1800.0]


def test_zero_length_records_give_no_piece_and_no_agent():
    pieces = split_at_intervals([100, 200], [100, 300], interval_minutes=15)
    assert pieces.record.tolist() == [1]
    [s] = occupancy_by_group([0, 0], 1, [1, 0], [0.0, 100.0], ["X", "Y"])
    assert s.agents == 1


def test_logged_out_time_is_not_logged_in():
    [s] = occupancy_by_group([0, 0], 1, [5, 1], [3600.0, 60.0], ["X", "Y"])
    assert s.logged_out_seconds == 3600
    assert s.logged_in_seconds == 60
    assert s.agents == 1
    assert s.occupancy == 1.0


def test_no_handling_nor_available_time_has_no_occupancy():
    [s] = occupancy_by_group([0], 1, [4], [900.0], ["X"])
    assert s.occupancy is None
    assert s.utilisation == 0.0
    [empty] = occupancy_by_group([], 1, [], [], [])
    assert empty.occupancy is None
    assert empty.utilisation is None
    assert empty.agents == 0


def test_overlap_names_agent_and_both_rows():
    with pytest.raises(AgentStateError) as err:
        check_state_intervals(
            ["A", "B", "A", "A"],
            [0, 0, 600, 100],
            [900, 900, 700, 200],
            rows=[2, 3, 4, 5],
        )
    problems = err.value.problems
    # rows 5 and 4 both start inside row 2 (which lasts until 900)
    assert any("agent 'A': rows 2 and 5 overlap" in p for p in problems)
    assert any("agent 'A': rows 2 and 4 overlap" in p for p in problems)
    assert not any("'B'" in p for p in problems)


def test_touching_records_do_not_overlap():
    check_state_intervals(["A", "A", "A"], [60, 0, 120], [120, 60, 180])


def test_reversed_record_is_reported():
    with pytest.raises(AgentStateError, match=r"agent 'A': row 7 ends \(50\) before"):
        check_state_intervals(["A"], [100], [50], rows=[7])


def test_unknown_state_names_are_listed_with_position():
    with pytest.raises(AgentStateError) as err:
        classify_states(["talk", "AUX 7", "talk", "AUX 7", "Snoozing"])
    message = str(err.value)
    assert "'AUX 7' (first at position 1, 2 records)" in message
    assert "'Snoozing' (first at position 4, 1 records)" in message


def test_mapping_adds_and_overrides_names():
    codes = classify_states(
        ["AUX 7", "Busy"], mapping={"aux-7": "talk", "busy": "not_ready"}
    )
    assert [STATE_CLASSES[c] for c in codes] == ["talk", "not_ready"]


def test_mapping_to_an_unknown_class_is_rejected():
    with pytest.raises(AgentStateError, match="unknown classes"):
        classify_states(["x"], mapping={"x": "sleeping"})


def test_bad_interval_length_and_reversed_split():
    with pytest.raises(ValueError, match="interval_minutes"):
        split_at_intervals([0], [10], interval_minutes=20)
    with pytest.raises(ValueError, match="ends before it starts"):
        split_at_intervals([10], [0])


def test_lenient_classification_marks_unknown_names():
    codes = classify_states(["talk", "nap", "idle"], strict=False)
    assert codes.tolist() == [1, -1, 0]


def test_find_overlaps_pairs_each_record_with_the_one_it_overlaps():
    # A: 0–900 then 100–200 and 600–700 inside it, then 900–950 touching
    later, earlier = find_overlaps(
        ["A", "A", "A", "A", "B"], [0, 100, 600, 900, 50], [900, 200, 700, 950, 60]
    )
    assert sorted(zip(later.tolist(), earlier.tolist(), strict=True)) == [
        (1, 0),
        (2, 0),
    ]


def test_touching_records_at_epoch_scale_with_fractions_do_not_overlap():
    # boundaries shared by two records, computed once, at epoch magnitudes
    t0 = 1_709_539_200.0 + np.cumsum(np.full(200, 37.3))
    agents = np.repeat(["A", "B"], 100)
    starts = np.r_[t0[:99], 0.0, t0[100:199], 0.0]
    ends = np.r_[t0[1:100], 1.0, t0[101:200], 1.0]
    check_state_intervals(agents, starts, ends)
    later, _earlier = find_overlaps(agents, starts, ends)
    assert later.size == 0

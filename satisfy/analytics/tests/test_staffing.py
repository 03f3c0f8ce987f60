"""Erlang B / Erlang C staffing against published values."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satisfy.analytics.staffing import (
    erlang_b,
    erlang_c,
    queue_performance,
    required_agents,
    staffing_by_interval,
    traffic_erlangs,
)


# Reference: CRAN package ErlangC 0.1.0 (Damonsoul, 2024), README example
#   erlang_c(100, duration(30, "minutes"), duration(180, "seconds"),
#            duration(20, "seconds"), 14)
#   -> traffic_intensity 10, wait_probability 0.1741319, service_level 0.88835,
#      average_speed_of_answer 7.83593701177724 s, occupancy 0.7142857
#   https://cran.r-project.org/web/packages/ErlangC/readme/README.html
# (The inputs are those of callcentrehelper.com's "Erlang C Formula - Made Simple With an
# Easy Worked Example": 100 calls per 30 min, AHT 180 s, 80/20, 85 % max occupancy,
# 30 % shrinkage; we take the numbers from the CRAN README, where they are printed.)
def test_erlang_c_matches_cran_erlangc_readme():
    r = queue_performance(
        calls=100,
        interval_seconds=1800,
        aht_seconds=180,
        agents=14,
        answer_within_seconds=20,
    )
    assert r.traffic_erlangs == pytest.approx(10.0)
    assert r.probability_wait == pytest.approx(0.1741319, abs=5e-8)
    assert r.service_level == pytest.approx(0.88835, abs=5e-6)
    assert r.asa_seconds == pytest.approx(7.83593701177724, rel=1e-12)
    assert r.occupancy == pytest.approx(0.7142857, abs=5e-8)
    assert 1 - r.probability_wait == pytest.approx(
        0.8258681, abs=5e-8
    )  # immediate answer


# Reference: same README, calculate_agents(100 calls, 30 min, 180 s, 20 s,
#   require_service_level = 0.8, max_occupancy = 0.85, shrinkage = 0.3) -> agents 14
#   (the package reports agents before shrinkage; 14 / 0.7 = 20 scheduled).
def test_required_agents_matches_cran_erlangc_readme():
    r = required_agents(
        calls=100,
        interval_seconds=1800,
        aht_seconds=180,
        target_service_level=0.8,
        answer_within_seconds=20,
        max_occupancy=0.85,
        shrinkage=0.3,
    )
    assert r.agents == 14
    assert r.binding == "service_level"
    assert r.scheduled_agents == 20


# Reference: call-center-tools (PyPI) README, calc_staffing(calls_per_hour=1000, aht=120,
#   max_occupancy=0.85, target_answer_time=20, target_service_level=0.8, shrinkage=0.3)
#   -> traffic 33.333 erlangs, waiting probability 19.07 %, service level 93.72 %,
#      ASA 3.43 s, occupancy 83.33 %, agents 40, agents + shrinkage 58.
#   https://pypi.org/project/call-center-tools/
def test_required_agents_matches_call_center_tools_readme():
    r = required_agents(
        calls=1000,
        interval_seconds=3600,
        aht_seconds=120,
        target_service_level=0.8,
        answer_within_seconds=20,
        max_occupancy=0.85,
        shrinkage=0.3,
    )
    assert r.traffic_erlangs == pytest.approx(33.333, abs=5e-4)
    assert round(r.probability_wait * 100, 2) == 19.07
    assert round(r.service_level * 100, 2) == 93.72
    assert round(r.asa_seconds, 2) == 3.43
    assert round(r.occupancy * 100, 2) == 83.33
    assert r.agents == 40
    assert r.scheduled_agents == 58
    # the occupancy cap, not the service level, sets the number
    assert r.binding == "max_occupancy"
    assert r.agents_for_service_level < 40


# Reference: Westbay Engineers, Erlang calculator manual, "How much traffic can a trunk
# group handle?" (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm):
# 15 lines at 1 % blocking can be offered 8.108 erlangs (Erlang B).
def test_erlang_b_matches_the_westbay_worked_example():
    assert erlang_b(8.108, 15) == pytest.approx(0.01, abs=5e-5)
    assert erlang_b(8.2, 15) > 0.01 > erlang_b(8.0, 15)


def _erlang_b_exact(a: Fraction, n: int) -> Fraction:
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


def _erlang_c_exact(a: Fraction, n: int) -> Fraction:
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


# Independent computation (exact rational arithmetic of the textbook factorial formula),
# not a published value: checks that the recursion is the same function.
@given(st.integers(1, 60), st.fractions(min_value=0, max_value=80, max_denominator=20))
def test_erlang_b_recursion_equals_the_factorial_formula(n, a):
    assert erlang_b(float(a), n) == pytest.approx(
        float(_erlang_b_exact(a, n)), rel=1e-9
    )


@given(st.integers(1, 60), st.fractions(min_value=0, max_value=1, max_denominator=50))
def test_erlang_c_equals_the_factorial_formula(n, share):
    a = share * n * Fraction(99, 100)
    assert erlang_c(float(a), n) == pytest.approx(
        float(_erlang_c_exact(a, n)), rel=1e-9, abs=1e-15
    )


def test_it_handles_thousands_of_agents_without_overflow():
    pw = erlang_c(9_500.0, 10_000)
    assert 0.0 <= pw < 1e-6
    assert math.isfinite(erlang_b(50_000.0, 50_500))


@given(st.floats(0.1, 200), st.integers(0, 30))
def test_service_level_rises_with_agents(traffic, extra):
    n = math.floor(traffic) + 1 + extra
    kwargs = {
        "interval_seconds": 3600.0,
        "aht_seconds": 300.0,
        "answer_within_seconds": 20.0,
    }
    calls = traffic * 3600 / 300
    low = queue_performance(calls=calls, agents=n, **kwargs)
    high = queue_performance(calls=calls, agents=n + 1, **kwargs)
    assert high.service_level >= low.service_level - 1e-12
    assert high.probability_wait <= low.probability_wait + 1e-12


def test_overloaded_queue_raises_a_sentence():
    with pytest.raises(ValueError, match="queue grows without bound"):
        erlang_c(10.0, 10)
    with pytest.raises(ValueError, match="erlangs"):
        queue_performance(
            calls=200,
            interval_seconds=1800,
            aht_seconds=180,
            agents=15,
            answer_within_seconds=20,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target_service_level": 1.0}, "target_service_level"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"aht_seconds": 0.0}, "aht_seconds"),
        ({"calls": -1.0}, "calls"),
        ({"interval_seconds": float("nan")}, "interval_seconds"),
    ],
)
def test_bad_inputs_raise(kwargs, message):
    base = {
        "calls": 100.0,
        "interval_seconds": 1800.0,
        "aht_seconds": 180.0,
        "target_service_level": 0.8,
        "answer_within_seconds": 20.0,
    }
    with pytest.raises(ValueError, match=message):
        required_agents(**{**base, **kwargs})


def test_staffing_by_interval_gives_zero_agents_for_empty_intervals():
    results = staffing_by_interval(
        [0, 100, 200],
        interval_seconds=1800,
        aht_seconds=[180, 180, 200],
        target_service_level=0.8,
        answer_within_seconds=20,
    )
    third = required_agents(
        calls=200,
        interval_seconds=1800,
        aht_seconds=200,
        target_service_level=0.8,
        answer_within_seconds=20,
    )
    assert [r.agents for r in results] == [0, 14, third.agents]
    assert results[0].binding == "no_calls"
    assert results[2].traffic_erlangs == pytest.approx(
        traffic_erlangs(200, interval_seconds=1800, aht_seconds=200)
    )

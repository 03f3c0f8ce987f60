from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from satisfy.conftest import Org
from satisfy.distribution.models import SampleMember
from satisfy.distribution.services import (
    SampleError,
    create_invitation,
    draw_sample,
    launch_wave,
    set_contact_rule,
)
from satisfy.interactions.models import Interaction


def _population(make_customer: Callable[..., Any]) -> None:
    for i in range(60):
        make_customer(
            attributes={"region": "north", "tier": "gold" if i % 3 == 0 else "silver"}
        )
    for _i in range(30):
        make_customer(attributes={"region": "south", "tier": "silver"})
    for _i in range(10):
        make_customer(attributes={"region": "east", "tier": "gold"})


def test_stratified_sample_is_proportional_and_reproducible(
    make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    # given
    _population(make_customer)
    wave = make_wave()

    # when
    first = draw_sample(wave=wave, method="stratified", n=20, strata=["region"], seed=7)
    again_wave = make_wave(name="Same seed")
    again = draw_sample(
        wave=again_wave, method="stratified", n=20, strata=["region"], seed=7
    )

    # then
    counts = Counter(
        SampleMember.objects.filter(sample=first).values_list("stratum", flat=True)
    )
    assert counts == {"north": 12, "south": 6, "east": 2}
    assert sorted(first.members.values_list("customer_id", flat=True)) == sorted(
        again.members.values_list("customer_id", flat=True)
    )
    shares = {row["stratum"]: row for row in first.representativeness}
    assert shares["north"]["population_share"] == pytest.approx(0.6)
    assert shares["north"]["sample_share"] == pytest.approx(0.6)
    assert {m.weight for m in first.members.filter(stratum="east")} == {5.0}


def test_equal_allocation_over_two_attributes_reports_representativeness(
    make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    _population(make_customer)
    wave = make_wave()

    sample = draw_sample(
        wave=wave,
        method="stratified",
        n=16,
        strata=["region", "tier"],
        allocation="equal",
        seed=1,
    )

    counts = Counter(sample.members.values_list("stratum", flat=True))
    assert counts == {
        "north|gold": 4,
        "north|silver": 4,
        "south|silver": 4,
        "east|gold": 4,
    }
    east = next(r for r in sample.representativeness if r["stratum"] == "east|gold")
    assert east["sample_share"] == pytest.approx(0.25)
    assert east["population_share"] == pytest.approx(0.10)


def test_exclusions_are_counted_by_reason(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    make_survey: Callable[..., Any],
) -> None:
    # given: 10 fine customers and one of each excluded kind
    for _i in range(10):
        make_customer()
    make_customer(opted_out_at=timezone.now())
    make_customer(has_consent=False)
    make_customer(email="")
    recent = make_customer()
    other = make_survey(slug="other-survey")
    create_invitation(
        survey=other, customer=recent, now=timezone.now() - timedelta(days=3)
    )
    set_contact_rule(days=30)
    wave = make_wave(channels=("email",))
    already = make_customer()
    first = draw_sample(wave=wave, method="all")
    assert first.n == 11
    # when: a top-up sample for the same wave
    make_customer()
    topup = draw_sample(wave=wave, method="all")

    # then
    assert first.exclusions == {
        "opted_out": 2,
        "no_contact": 1,
        "recently_surveyed": 1,
        "already_in_wave": 0,
    }
    assert topup.n == 1
    assert topup.exclusions["already_in_wave"] == 11
    assert already.pk in set(first.members.values_list("customer_id", flat=True))


def test_per_survey_contact_rule_only_counts_that_survey(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    make_survey: Callable[..., Any],
) -> None:
    wave = make_wave()
    survey = wave.survey
    other = make_survey(slug="other")
    a, b = make_customer(), make_customer()
    create_invitation(
        survey=survey, customer=a, now=timezone.now() - timedelta(days=10)
    )
    create_invitation(survey=other, customer=b, now=timezone.now() - timedelta(days=10))
    set_contact_rule(days=60, survey_id=survey.pk)

    sample = draw_sample(wave=wave, method="all")

    assert sample.exclusions["recently_surveyed"] == 1
    assert list(sample.members.values_list("customer_id", flat=True)) == [b.pk]


def test_sms_plan_needs_a_phone_and_link_channels_reach_everyone(
    make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    make_customer(phone="")
    make_customer(email="")
    sms = draw_sample(wave=make_wave(channels=("sms",)), method="all")
    fallback = draw_sample(wave=make_wave(channels=("email", "qr")), method="all")

    assert sms.n == 1
    assert sms.exclusions["no_contact"] == 1
    assert sorted(fallback.members.values_list("channel", flat=True)) == ["email", "qr"]


def test_interaction_frame_with_at_least_n_per_agent(
    org: Org, make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    # given: carol handled 40 calls, sam 4
    now = timezone.now()
    for i in range(44):
        agent = org.carol_agent if i < 40 else org.south_agent
        Interaction.objects.create(
            external_id=f"call-{i}",
            agent=agent,
            unit=agent.unit,
            customer=make_customer(unit=agent.unit),
            arrived_at=now - timedelta(hours=i + 1),
            outcome="answered" if i != 5 else "abandoned_queue",
        )
    wave = make_wave()

    # when
    sample = draw_sample(
        wave=wave,
        frame="interactions",
        method="stratified",
        n=10,
        strata=["agent"],
        allocation="minimum",
        minimum=3,
        seed=3,
        filters={"outcome": ["answered"]},
    )

    # then
    counts = Counter(sample.members.values_list("stratum", flat=True))
    assert counts == {"carol": 7, "sam": 3}
    assert sample.population_n == 43
    assert all(m.interaction_id for m in sample.members.all())
    result = launch_wave(wave=wave)
    assert result.created == 10


def test_bad_requests_say_why(make_wave: Callable[..., Any]) -> None:
    wave = make_wave()
    with pytest.raises(SampleError, match="stratum attribute"):
        draw_sample(wave=wave, method="stratified", n=5)
    with pytest.raises(SampleError, match="sample size"):
        draw_sample(wave=wave, method="simple")
    with pytest.raises(SampleError, match="unknown sampling method"):
        draw_sample(wave=wave, method="quota", n=3)

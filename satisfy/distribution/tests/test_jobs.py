"""The periodic job: open scheduled waves, send, remind, close and expire."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from satisfy.distribution.models import Invitation, Wave
from satisfy.distribution.services import draw_sample, launch_wave
from satisfy.distribution.tasks import tick


def _at(moment: Any) -> Any:
    """Move the clock the services read (no time-machine package in this project)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_scheduled_wave_runs_its_whole_life_on_the_tick(
    make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    # given: a wave that starts tomorrow
    for _i in range(3):
        make_customer()
    start = timezone.now() + timedelta(days=1)
    wave = make_wave(
        starts_at=start, closes_at=start + timedelta(days=10), reminder_days=(3,)
    )
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    assert Wave.objects.get().status == Wave.Status.SCHEDULED

    # when / then: nothing goes out before the start
    assert tick.call_local()["sent"] == 0
    with _at(start + timedelta(minutes=1)):
        summary = tick.call_local()
    assert summary["opened"] == 1
    assert summary["sent"] == 3
    with _at(start + timedelta(days=4)):
        assert tick.call_local()["reminders"] == 3
    with _at(start + timedelta(days=11)):
        summary = tick.call_local()
    assert summary["closed"] == 1
    assert summary["expired"] == 3
    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}


def test_send_invitations_command(
    make_customer: Callable[..., Any], make_wave: Callable[..., Any], capsys: Any
) -> None:
    make_customer()
    wave = make_wave()
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    call_command("send_invitations")
    assert "sent 1 (0 already delivered)" in capsys.readouterr().out


def test_sending_is_throttled_per_channel() -> None:
    from satisfy.distribution.services.sending import Throttle

    throttle = Throttle(50)
    started = time.monotonic()
    for _i in range(11):
        throttle.wait()
    assert time.monotonic() - started >= 0.19  # ten intervals of 20 ms

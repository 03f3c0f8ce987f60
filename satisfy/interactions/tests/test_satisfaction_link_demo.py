"""The satisfaction link on the demo recovers the demo's documented ground truth.

docs/demo.md, "Ground truth": an unresolved issue costs 1.49 points of overall
satisfaction (the largest lever), each transfer about 0.15, and every minute of wait
beyond 2 minutes 0.075; waits under 2 minutes do not matter.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from satisfy.accounts.models import User
from satisfy.interactions.satisfaction import MetricLink, satisfaction_link

SCALE = 0.2  # 10,000 interactions, about 1,600 completed responses


@pytest.fixture
def demo(settings: SettingsWrapper, tmp_path: Path, db: None) -> None:
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, scale=SCALE, stdout=io.StringIO())


def _metric(name: str, metrics: tuple[MetricLink, ...]) -> MetricLink:
    return next(m for m in metrics if m.metric == name)


def test_unresolved_issues_move_csat_most_then_waits_past_two_minutes(
    demo: None,
) -> None:
    # when
    link = satisfaction_link(User.objects.get(username="alice"))

    # then: every lever lowers CSAT; "not resolved" is the biggest, clearly
    csat = _metric("CSAT", link.metrics)
    effects = {e.lever: e for e in csat.effects}
    unresolved = effects["the issue was not resolved"]
    assert unresolved.is_distinguishable
    assert unresolved.difference < -0.4
    assert csat.effects[0] is unresolved
    assert csat.sentences[0].startswith("CSAT falls from")
    assert "when the issue was not resolved" in csat.sentences[0]
    transferred = effects["the contact was transferred"]
    assert transferred.ci_high < 0
    assert abs(transferred.difference) < abs(unresolved.difference)

    # then: waits matter only past 2 minutes (CSI, which uses the access item, shows
    # it most precisely)
    csi = _metric("CSI", link.metrics)
    csi_effects = {e.lever: e for e in csi.effects}
    assert csi_effects["the wait passes 2 minutes"].ci_high < 0
    assert csi_effects["the wait passes 5 minutes"].difference < (
        csi_effects["the wait passes 2 minutes"].difference
    )
    by_wait = {g.group: g for g in csi.by["wait"]}
    short, medium = by_wait["up to 30 seconds"], by_wait["1 to 2 minutes"]
    assert medium.ci_low is not None
    assert medium.ci_high is not None
    assert medium.ci_low < short.value < medium.ci_high  # no effect under 2 minutes
    assert by_wait["over 5 minutes"].value < by_wait["2 to 5 minutes"].value

    # then: bob reads only the answers about his branch's interactions
    northgate = satisfaction_link(User.objects.get(username="bob"))
    assert 0 < northgate.n_responses < link.n_responses


def test_the_page_says_it_in_plain_words(demo: None, client: Client) -> None:
    client.force_login(User.objects.get(username="alice"))

    r = client.get("/operations/satisfaction/")

    html = r.content.decode()
    assert r.status_code == 200
    assert "In plain words" in html
    assert "CSAT falls from" in html
    assert "when the issue was not resolved" in html
    assert html.count("<svg") >= 6

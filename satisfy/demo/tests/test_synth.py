from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from satisfy.demo import synth

FIRST_DAY = date(2024, 3, 4)
NOW = synth.DAYS * 86400.0 + 10 * 3600.0


@pytest.fixture(scope="module")
def data() -> synth.DemoData:
    return synth.generate(first_day=FIRST_DAY, now_seconds=NOW)


def test_the_same_seed_gives_the_same_data() -> None:
    a = synth.generate(first_day=FIRST_DAY, now_seconds=NOW, scale=0.05)
    b = synth.generate(first_day=FIRST_DAY, now_seconds=NOW, scale=0.05)
    c = synth.generate(first_day=FIRST_DAY, now_seconds=NOW, scale=0.05, seed=1)
    assert np.array_equal(a.interactions.arrived, b.interactions.arrived)
    assert a.responses.comments == b.responses.comments
    assert not np.array_equal(
        a.interactions.arrived[:100], c.interactions.arrived[:100]
    )


def test_full_scale_has_the_advertised_size(data: synth.DemoData) -> None:
    assert len(data.customers) == 10_000
    assert len(data.interactions) == 50_000
    assert 7_000 < data.responses.is_complete.sum() < 9_000
    assert len(data.agents) == 120


def test_arrivals_peak_on_weekday_mornings(data: synth.DemoData) -> None:
    voice = data.interactions.arrived[data.interactions.channel == 0]
    hour = (voice % 86400) // 3600
    weekday = (np.floor(voice / 86400).astype(int) + FIRST_DAY.weekday()) % 7
    assert (hour[weekday < 5] == 11).sum() > 2 * (hour[weekday < 5] == 8).sum()
    assert (weekday == 0).sum() > 3 * (weekday == 6).sum()
    assert not ((hour < 8) | (hour >= 20)).any()  # the phone lines are closed at night


def test_waits_are_longer_at_peak_and_cause_abandonment(data: synth.DemoData) -> None:
    it = data.interactions
    voice = it.channel == 0
    hour = (it.arrived % 86400) // 3600
    peak = voice & np.isin(hour, (10, 11)) & it.is_answered
    quiet = voice & np.isin(hour, (18, 19)) & it.is_answered
    assert it.wait[peak].mean() > 1.5 * it.wait[quiet].mean()
    abandon_rate = (it.outcome[voice] != 0).mean()
    assert 0.03 < abandon_rate < 0.15
    assert (it.agent[~it.is_answered] == -1).all()


def test_latent_scores_follow_the_documented_coefficients(data: synth.DemoData) -> None:
    # Regress the latent items on the model's inputs: the coefficients come back.
    r, it, m = data.responses, data.interactions, synth.MODEL
    source = data.invitations.interaction[r.invitation]
    voice_chat = it.channel[source] < 2
    excess_wait = np.maximum(0.0, it.wait[source] / 60.0 - m.access_free_wait_minutes)
    unresolved = (it.resolved[source] == 0).astype(float)
    transfers = it.transfers[source].astype(float)
    rows = voice_chat
    design = np.column_stack(
        [np.ones(rows.sum()), excess_wait[rows], transfers[rows], unresolved[rows]]
    )
    coef = np.linalg.lstsq(design, data.latent["access"][rows], rcond=None)[0]
    assert coef[1] == pytest.approx(m.access_per_wait_minute, abs=0.05)
    coef = np.linalg.lstsq(design, data.latent["resolution"][rows], rcond=None)[0]
    assert coef[3] == pytest.approx(m.resolution_unresolved, abs=0.1)
    assert coef[2] == pytest.approx(m.resolution_per_transfer, abs=0.1)
    items = np.column_stack(
        [
            np.ones(len(r)),
            data.latent["access"],
            data.latent["resolution"],
            data.latent["treatment"],
            unresolved,
        ]
    )
    coef = np.linalg.lstsq(items, data.latent["csat_overall"], rcond=None)[0]
    assert coef[1:] == pytest.approx(
        [
            m.overall_weight_access,
            m.overall_weight_resolution,
            m.overall_weight_treatment,
            m.overall_unresolved,
        ],
        abs=0.03,
    )


def test_observed_drivers_match_the_documented_table(data: synth.DemoData) -> None:
    # docs/demo.md, "Drivers of overall": the three rows of the table at scale 1.
    from satisfy.analytics import key_drivers

    r = data.responses
    codes = ["csat_overall", "access", "resolution", "treatment"]
    rows = r.is_complete.copy()
    for code in codes:
        rows &= ~np.isnan(r.scores[code])
    values = {code: r.scores[code][rows] for code in codes}
    design = np.column_stack([np.ones(rows.sum())] + [values[c] for c in codes[1:]])
    raw = np.linalg.lstsq(design, values["csat_overall"], rcond=None)[0][1:]
    assert raw == pytest.approx([0.23, 0.58, 0.26], abs=0.01)
    result = key_drivers(values, "csat_overall", codes[1:], method="lmg")
    beta = [result.coefficients[c] for c in codes[1:]]
    assert beta == pytest.approx([0.19, 0.73, 0.22], abs=0.01)
    shares = [result.shares[c] for c in codes[1:]]
    assert shares == pytest.approx([0.12, 0.76, 0.12], abs=0.01)


def test_agent_effects_show_in_treatment(data: synth.DemoData) -> None:
    r, it = data.responses, data.interactions
    agent = it.agent[data.invitations.interaction[r.invitation]]
    effect = np.array([a.treatment_effect for a in data.agents])
    treatment = r.scores["treatment"]
    ok = ~np.isnan(treatment)
    means = np.array(
        [treatment[ok & (agent == j)].mean() for j in range(len(data.agents))]
    )
    assert np.corrcoef(means, effect)[0, 1] > 0.6


def test_comments_match_the_score(data: synth.DemoData) -> None:
    r = data.responses
    overall = r.scores["csat_overall"]
    negative = {
        t
        for lang in synth_templates()
        for t in lang["neg_wait"] + lang["neg_unresolved"]
    }
    for comment, score in zip(r.comments, overall.tolist(), strict=True):
        if comment in negative:
            assert score <= 3
    assert sum(1 for c in r.comments if c) > 0.2 * r.is_complete.sum()


def synth_templates() -> list[dict[str, tuple[str, ...]]]:
    from satisfy.demo.comments import TEMPLATES

    return list(TEMPLATES.values())

"""A small, varied data set answered through the real services (so rollups update)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from satisfy.distribution.models import Wave
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.services import version_definition


@pytest.fixture(autouse=True)
def _huey_immediate() -> Iterator[None]:
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


@dataclass
class Dataset:
    survey: Any
    rows: list[dict[str, Any]]
    waves: list[Any]
    now: datetime

    def values(self, code: str, **where: Any) -> list[Any]:
        return [
            r["answers"][code]
            for r in self.rows
            if all(r[k] == v for k, v in where.items())
        ]


@pytest.fixture
def dataset(make_survey: Any, make_invitation: Any, org: Any) -> Dataset:
    """80 responses over 60 days: two teams, two agents, three channels, two waves."""
    survey = make_survey()
    definition = version_definition(survey.current_version)
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    waves = [
        Wave.objects.create(
            survey=survey,
            version=survey.current_version,
            number=i,
            name=f"Wave {i}",
            unit=org.company,
            starts_at=now - timedelta(days=70 - 30 * i),
            closes_at=now - timedelta(days=40 - 30 * i),
        )
        for i in (1, 2)
    ]
    rng = np.random.default_rng(7)
    rows: list[dict[str, Any]] = []
    channels = ["web", "email", "sms"]
    for i in range(80):
        north = i % 3 != 0
        unit = org.north_team if north else org.south_team
        agent = org.carol_agent if north else org.south_agent
        channel = channels[i % 3]
        language = "es" if i % 4 == 0 else "en"
        day = now - timedelta(days=int(i * 60 / 80))
        wave = waves[1] if day > now - timedelta(days=30) else waves[0]
        base = 4 if north else 3
        overall = int(np.clip(base + rng.integers(-2, 2), 1, 5))
        answers = {
            "csat_overall": overall,
            "access": int(np.clip(overall + rng.integers(-1, 2), 1, 5)),
            "resolution": int(np.clip(overall + rng.integers(-1, 2), 1, 5)),
            "treatment": "na"
            if i % 10 == 0
            else int(np.clip(overall + rng.integers(-1, 2), 1, 5)),
            "ces": int(np.clip(overall + 2 + rng.integers(-1, 2), 1, 7)),
            "nps": int(np.clip(overall * 2 + rng.integers(-1, 2), 0, 10)),
            "repurchase": int(np.clip(overall + rng.integers(-1, 1), 1, 5)),
            "comment": f"=cmd|' /C calc'!A0 comment {i}"
            if i == 5
            else f"comment {i} 服务很好",
        }
        parsed, errors = parse_answers(definition, answers, language=language)
        assert errors == {}
        invitation = make_invitation(
            survey=survey,
            unit=unit,
            agent=agent,
            language=language,
            wave=wave,
            channel=channel,
            now=day - timedelta(hours=2),
        )
        submit_response(
            survey=survey,
            answers=parsed,
            idempotency_key=f"d{i}",
            invitation=invitation,
            language=language,
            channel=channel,
            now=day,
        )
        rows.append(
            {
                "unit": unit.code,
                "north": north,
                "agent": agent.pk,
                "channel": channel,
                "language": language,
                "day": day,
                "wave": wave.number,
                "answers": answers,
            }
        )
    return Dataset(survey, rows, waves, now)


def period_query(ds: Dataset, days: int = 61) -> str:
    end = timezone.localdate(ds.now)
    start = end - timedelta(days=days - 1)
    return f"start={start.isoformat()}&end={end.isoformat()}"

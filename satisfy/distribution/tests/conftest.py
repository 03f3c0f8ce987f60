"""Fixtures for distribution tests: customers, waves, outbox folders, huey."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from satisfy.conftest import Org

WEBHOOK_SECRET = "test-webhook-secret"
IVR_KEY = "test-ivr-key"


@pytest.fixture(autouse=True)
def _distribution_settings(settings: Any, tmp_path: Path) -> None:
    """Outboxes in a temporary folder, secrets set, no throttling, no real worker."""
    settings.SATISFY_SMS_OUTBOX_DIR = str(tmp_path / "outbox" / "sms")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SATISFY_SMS_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.SATISFY_IVR_WEBHOOK_SECRET = IVR_KEY
    settings.SATISFY_SEND_RATE_SMS = "0"
    settings.SATISFY_SMS_PROVIDER = "file"
    settings.SITE_URL = "https://survey.example.com"


@pytest.fixture(autouse=True)
def _huey_immediate() -> Iterator[None]:
    """Run huey tasks in-process (memory storage) so no worker is ever needed."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def make_customer(org: Org) -> Callable[..., Any]:
    from satisfy.customers.models import Customer

    counter = iter(range(1, 1_000_000))

    def make(**fields: Any) -> Customer:
        number = next(counter)
        defaults: dict[str, Any] = {
            "external_id": f"C{number:05d}",
            "name": f"Customer {number}",
            "email": f"c{number}@example.com",
            "phone": f"+4477009{number:05d}",
            "unit": org.north_branch,
        }
        defaults.update(fields)
        return Customer.objects.create(**defaults)

    return make


@pytest.fixture
def make_wave(make_survey: Callable[..., Any], alice: Any) -> Callable[..., Any]:
    from satisfy.distribution.services import create_wave

    surveys: list[Any] = []

    def make(
        *, survey: Any = None, channels: tuple[str, ...] = ("email",), **kwargs: Any
    ) -> Any:
        if survey is None:
            if not surveys:
                surveys.append(make_survey())
            survey = surveys[0]
        now = timezone.now()
        fields: dict[str, Any] = {
            "name": "Spring",
            "starts_at": now - timedelta(minutes=1),
            "closes_at": now + timedelta(days=14),
            "reminder_days": (3,),
            "created_by": alice,
        }
        fields.update(kwargs)
        return create_wave(survey=survey, channels=channels, **fields)

    return make

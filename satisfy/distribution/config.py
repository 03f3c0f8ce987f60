"""Distribution settings: read from Django settings, else the environment.

The names (all optional) are listed in docs/distribution.md; tests override them
with pytest-django's ``settings`` fixture.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def setting_str(name: str, default: str = "") -> str:
    """A setting, else the environment, else ``default``; empty counts as unset."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name) or default
    return str(value)


def setting_float(name: str, default: float) -> float:
    raw = setting_str(name, "")
    return float(raw) if raw else default


def setting_int(name: str, default: int) -> int:
    raw = setting_str(name, "")
    return int(raw) if raw else default


def outbox_dir(channel: str) -> Path:
    """Where the file outbox of a channel writes (``DATA_DIR/outbox/<channel>``)."""
    configured = setting_str(f"SATISFY_{channel.upper()}_OUTBOX_DIR", "")
    return (
        Path(configured) if configured else Path(settings.DATA_DIR) / "outbox" / channel
    )


def send_rate(channel: str) -> float:
    """Messages per second one worker sends on ``channel``; 0 means no limit."""
    defaults = {"email": 0.0, "sms": 20.0}
    return setting_float(
        f"SATISFY_SEND_RATE_{channel.upper()}", defaults.get(channel, 0.0)
    )


def lease_seconds() -> int:
    """How long a claimed message stays reserved before another worker may retry it."""
    return setting_int("SATISFY_SEND_LEASE_SECONDS", 300)


def max_attempts() -> int:
    return setting_int("SATISFY_SEND_MAX_ATTEMPTS", 6)


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")

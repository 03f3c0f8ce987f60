from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from types import TracebackType

from satisfy.distribution.config import setting_str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A rendered message ready for a provider; ``idempotency_key`` never repeats."""

    idempotency_key: str
    channel: str
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The provider accepted the message; ``duplicate`` when it had it already."""

    provider_message_id: str
    duplicate: bool = False


class ChannelError(Exception):
    """Sending failed."""


class TransientChannelError(ChannelError):
    """Worth retrying later: provider down, timeout, rate limited, 4xx SMTP reply."""


class PermanentChannelError(ChannelError):
    """Retrying will not help: bad address, rejected content, 5xx SMTP reply."""


class ChannelAdapter(ABC):
    """Sends messages on one channel. Use as a context manager around a batch."""

    channel: str = ""

    def open(self) -> None:  # noqa: B027 - optional hook
        """Open a connection for a batch (SMTP); most adapters need nothing."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Close what ``open`` opened."""

    def __enter__(self) -> ChannelAdapter:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Deliver one message or raise a :class:`ChannelError`."""


def get_adapter(channel: str) -> ChannelAdapter:
    """The configured adapter for a channel (``SATISFY_SMS_PROVIDER``: file or http)."""
    if channel == "email":
        from satisfy.distribution.channels.email import EmailAdapter

        return EmailAdapter()
    if channel == "sms":
        from satisfy.distribution.channels.sms import FileSmsAdapter, HttpSmsAdapter

        provider = setting_str("SATISFY_SMS_PROVIDER", "") or (
            "http" if setting_str("SATISFY_SMS_URL", "") else "file"
        )
        if provider == "http":
            return HttpSmsAdapter.from_settings()
        return FileSmsAdapter()
    raise ValueError(f"channel {channel!r} has no sending adapter")

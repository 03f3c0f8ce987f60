from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from satisfy.distribution.channels.base import (
    ChannelAdapter,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    TransientChannelError,
)
from satisfy.distribution.config import outbox_dir, setting_float, setting_str


class FileSmsAdapter(ChannelAdapter):
    """Writes each SMS as ``<idempotency key>.json`` in the SMS outbox folder.

    The file is created exclusively, so a message re-sent after a crash finds its
    file and is reported as a duplicate instead of written twice.
    """

    channel = "sms"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or outbox_dir("sms")

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{message.idempotency_key}.json"
        payload = json.dumps(
            {
                "id": message.idempotency_key,
                "to": message.recipient,
                "text": message.body_text,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return DeliveryResult(
                provider_message_id=f"file:{message.idempotency_key}", duplicate=True
            )
        except OSError as exc:
            raise TransientChannelError(f"cannot write the SMS outbox: {exc}") from exc
        try:
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        return DeliveryResult(provider_message_id=f"file:{message.idempotency_key}")


class HttpSmsAdapter(ChannelAdapter):
    """A JSON-over-HTTP SMS gateway.

    ``POST <url>`` with ``{"to", "from", "text", "reference"}``, the header
    ``Idempotency-Key`` and either a bearer token or basic auth; the reply is
    ``{"id": "<provider message id>"}``. 5xx, 429 and network errors are
    transient; other 4xx are permanent.
    """

    channel = "sms"

    def __init__(
        self,
        *,
        url: str,
        token: str = "",
        username: str = "",
        password: str = "",
        sender: str = "",
        timeout_seconds: float = 10.0,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"SATISFY_SMS_URL must be an http(s) URL, not {url!r}")
        self.url = url
        self.token = token
        self.username = username
        self.password = password
        self.sender = sender
        self.timeout_seconds = timeout_seconds

    @classmethod
    def from_settings(cls) -> HttpSmsAdapter:
        return cls(
            url=setting_str("SATISFY_SMS_URL"),
            token=setting_str("SATISFY_SMS_TOKEN"),
            username=setting_str("SATISFY_SMS_USERNAME"),
            password=setting_str("SATISFY_SMS_PASSWORD"),
            sender=setting_str("SATISFY_SMS_FROM"),
            timeout_seconds=setting_float("SATISFY_SMS_TIMEOUT_SECONDS", 10.0),
        )

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        body = json.dumps(
            {
                "to": message.recipient,
                "from": self.sender,
                "text": message.body_text,
                "reference": message.idempotency_key,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        elif self.username:
            pair = base64.b64encode(
                f"{self.username}:{self.password}".encode()
            ).decode()
            request.add_header("Authorization", f"Basic {pair}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as reply:  # noqa: S310
                data = json.loads(reply.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code in (408, 429):
                raise TransientChannelError(
                    f"SMS provider answered {exc.code}"
                ) from exc
            raise PermanentChannelError(
                f"SMS provider refused the message ({exc.code})"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientChannelError(f"SMS provider unreachable: {exc}") from exc
        except ValueError as exc:
            raise TransientChannelError(
                "SMS provider sent a reply that is not JSON"
            ) from exc
        provider_id = str(data.get("id") or data.get("message_id") or "")
        if not provider_id:
            raise TransientChannelError("SMS provider reply has no message id")
        return DeliveryResult(
            provider_message_id=provider_id, duplicate=bool(data.get("duplicate"))
        )

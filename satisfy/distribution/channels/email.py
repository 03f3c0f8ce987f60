from __future__ import annotations

import contextlib
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from satisfy.distribution.channels.base import (
    ChannelAdapter,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    TransientChannelError,
)
from satisfy.distribution.config import setting_str


class EmailAdapter(ChannelAdapter):
    """Django's e-mail backend: the file outbox by default, SMTP when EMAIL_HOST is set.

    One connection per batch. The Message-ID is derived from the idempotency key,
    so a message re-sent after a crash carries the same id and receivers can drop
    the copy.
    """

    channel = "email"

    def __init__(self, backend: BaseEmailBackend | None = None) -> None:
        self.connection = backend or get_connection(fail_silently=False)
        self.domain = setting_str("SATISFY_MESSAGE_ID_DOMAIN", "satisfy.invalid")

    def open(self) -> None:
        try:
            self.connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientChannelError(
                f"cannot connect to the mail server: {exc}"
            ) from exc

    def close(self) -> None:
        # The server may already have gone away; there is nothing left to flush.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        message_id = f"<{message.idempotency_key}@{self.domain}>"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.recipient],
            headers={**message.headers, "Message-ID": message_id},
            connection=self.connection,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if all(400 <= code < 500 for code in codes):
                raise TransientChannelError(f"recipient deferred: {codes}") from exc
            raise PermanentChannelError(f"recipient refused: {codes}") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise TransientChannelError(f"SMTP {exc.smtp_code}") from exc
            raise PermanentChannelError(f"SMTP {exc.smtp_code}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            # The connection broke: reopen for the next message.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.close()
            raise TransientChannelError(f"mail server error: {exc}") from exc
        if not sent:
            raise TransientChannelError("the mail backend did not send the message")
        return DeliveryResult(provider_message_id=message_id)

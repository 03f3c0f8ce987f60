from __future__ import annotations

import contextlib
import functools
import re
import secrets
import smtplib
from collections.abc import Iterator
from email.header import Header
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

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
        # Over SMTP the MIME text is written here (see _mime_bytes); the other
        # backends (file outbox, memory in tests) get Django's message objects.
        self.smtp = self.connection if type(self.connection) is SmtpBackend else None
        self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")

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
        if self.smtp is not None:
            raw = _mime_bytes(message, message_id, self.sender)
            if raw is not None:
                return self._send_raw(self.smtp, message, message_id, raw)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.recipient],
            headers={**message.headers, "Message-ID": message_id},
            connection=self.connection,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        with _smtp_errors(self):
            sent = email.send(fail_silently=False)
        if not sent:
            raise TransientChannelError("the mail backend did not send the message")
        return DeliveryResult(provider_message_id=message_id)

    def _send_raw(
        self,
        backend: SmtpBackend,
        message: OutgoingMessage,
        message_id: str,
        raw: bytes,
    ) -> DeliveryResult:
        """Hand ready MIME bytes to the SMTP connection of Django's backend."""
        with _smtp_errors(self):
            if backend.connection is None:
                backend.open()  # after a broken connection, as Django's send would
            smtp = backend.connection
            if smtp is None:
                raise TransientChannelError("no connection to the mail server")
            smtp.sendmail(self.sender, [message.recipient], raw)
        return DeliveryResult(provider_message_id=message_id)


@contextlib.contextmanager
def _smtp_errors(adapter: EmailAdapter) -> Iterator[None]:
    """SMTP failures as channel errors: 4xx transient, 5xx permanent."""
    try:
        yield
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
            adapter.connection.close()
        raise TransientChannelError(f"mail server error: {exc}") from exc


# What Django's EmailMultiAlternatives would put on the wire, without building the
# email package's objects for every message (they cost more than the rest of the
# delivery). Only the plain case: an ASCII recipient that needs no quoting, ASCII
# extra headers, a text and an HTML part with lines of at most 998 bytes. Anything
# else goes through Django.
_SIMPLE_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONGEST_LINE = 998  # RFC 5322; Django switches to quoted-printable beyond


@functools.lru_cache(maxsize=256)
def _subject(subject: str) -> str | None:
    """The encoded Subject header value (an RFC 2047 word when not ASCII)."""
    if "\n" in subject or "\r" in subject:
        return None  # Django refuses it with BadHeaderError
    charset = None if subject.isascii() else "utf-8"
    return Header(subject, charset, header_name="Subject").encode(linesep="\r\n")


def _part(content_type: str, body: str) -> bytes | None:
    lines = _LINE_BREAK.split(body)
    data = "\r\n".join(lines).encode("utf-8", "strict")
    if any(len(line.encode("utf-8")) > _LONGEST_LINE for line in lines):
        return None
    encoding = "7bit" if body.isascii() else "8bit"
    return (
        f'Content-Type: {content_type}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode("ascii") + data


def _mime_bytes(message: OutgoingMessage, message_id: str, sender: str) -> bytes | None:
    """A multipart/alternative message as bytes, or None to let Django build it."""
    subject = _subject(message.subject)
    if (
        subject is None
        or not message.body_html
        or not _SIMPLE_ADDRESS.fullmatch(message.recipient)
        or not sender.isascii()
        or any(
            not (name + value).isascii() or "\n" in value or "\r" in value
            for name, value in message.headers.items()
        )
    ):
        return None
    try:
        text = _part("text/plain", message.body_text)
        html = _part("text/html", message.body_html)
    except UnicodeEncodeError:  # a lone surrogate: let Django report it
        return None
    if text is None or html is None:
        return None
    boundary = f"==============={secrets.randbits(62):019d}=="
    if boundary.encode("ascii") in text or boundary.encode("ascii") in html:
        return None
    headers = [
        f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
        "MIME-Version: 1.0",
        f"Subject: {subject}",
        f"From: {sender}",
        f"To: {message.recipient}",
        f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
        *(_folded(name, value) for name, value in message.headers.items()),
        f"Message-ID: {message_id}",
    ]
    delimiter = f"--{boundary}\r\n".encode("ascii")
    return b"".join(
        [
            "\r\n".join(headers).encode("ascii"),
            b"\r\n\r\n",
            delimiter,
            text,
            b"\r\n",
            delimiter,
            html,
            f"\r\n--{boundary}--\r\n".encode("ascii"),
        ]
    )


def _folded(name: str, value: str) -> str:
    """``Name: value``, the value on a continuation line when the line is long."""
    line = f"{name}: {value}"
    return line if len(line) <= 78 else f"{name}:\r\n {value}"

"""Channels behind one adapter interface: email, SMS, and links (web, short code, QR).

IVR is a conversation, not a message: ``channels.ivr`` renders VoiceXML and TwiML.
"""

from __future__ import annotations

from satisfy.distribution.channels.base import (
    ChannelAdapter,
    ChannelError,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    TransientChannelError,
    get_adapter,
)

__all__ = [
    "ChannelAdapter",
    "ChannelError",
    "DeliveryResult",
    "OutgoingMessage",
    "PermanentChannelError",
    "TransientChannelError",
    "get_adapter",
]

"""Web link, short code and QR code (SVG or PNG) for kiosks and receipts."""

from __future__ import annotations

import io

import segno

from satisfy.distribution.channels.render import survey_link
from satisfy.distribution.config import site_url


def public_link(slug: str) -> str:
    """The public link of a survey that allows one (kiosk, receipt)."""
    return f"{site_url()}/s/{slug}"


def qr_code(data: str, *, kind: str = "svg", scale: int = 4) -> bytes:
    """A QR code (error correction M) as SVG or PNG bytes."""
    if kind not in {"svg", "png"}:
        raise ValueError(f"QR codes are made as svg or png, not {kind!r}")
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(
            buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title="QR code"
        )
    else:
        code.save(buffer, kind="png", scale=scale)
    return buffer.getvalue()


def invitation_qr(token: str, *, kind: str = "svg", scale: int = 4) -> bytes:
    """QR code of a personal invitation link."""
    return qr_code(survey_link(token), kind=kind, scale=scale)

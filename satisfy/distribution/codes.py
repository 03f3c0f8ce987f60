"""Invitation tokens and human-typable short codes."""

from __future__ import annotations

import secrets

# Crockford base32: no I, L, O, U; the check alphabet adds five symbols (mod 37).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
_DECODE = {char: index for index, char in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
SHORT_CODE_LENGTH = 8


def new_token() -> str:
    """A URL-safe secret with 192 random bits."""
    return secrets.token_urlsafe(24)


def _check_symbol(body: str) -> str:
    number = 0
    for char in body:
        number = number * 32 + _DECODE[char]
    return CHECK_ALPHABET[number % 37]


def new_short_code() -> str:
    """Eight random Crockford base32 characters (40 bits) plus a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(SHORT_CODE_LENGTH))
    return body + _check_symbol(body)


def normalise_short_code(raw: str) -> str | None:
    """Clean what a person typed (case, dashes, spaces, O/0, I/L/1); None when invalid."""
    cleaned = "".join(raw.split()).replace("-", "").upper()
    if len(cleaned) != SHORT_CODE_LENGTH + 1:
        return None
    body, check = cleaned[:-1], cleaned[-1]
    if any(char not in _DECODE for char in body):
        return None
    body = "".join(ALPHABET[_DECODE[char]] for char in body)
    if check not in CHECK_ALPHABET and check in _DECODE:
        check = ALPHABET[_DECODE[check]]
    if _check_symbol(body) != check:
        return None
    return body + check


def format_short_code(code: str) -> str:
    """Show a short code in two groups for reading aloud: ``ABCD-EFGH7``."""
    return f"{code[:4]}-{code[4:]}"

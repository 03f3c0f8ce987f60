"""Invitation tokens and human-typable short codes."""

from __future__ import annotations

import secrets

# Crockford base32: no I, L, O, U. The check character is drawn from the same 32
# symbols (Luhn mod 32), so a code never contains a symbol that is hard to type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET
_DECODE = {char: index for index, char in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
SHORT_CODE_LENGTH = 8


def new_token() -> str:
    """A URL-safe secret with 192 random bits."""
    return secrets.token_urlsafe(24)


def _check_symbol(body: str) -> str:
    """Luhn mod N check character: catches every single wrong character and most swaps."""
    base = len(ALPHABET)
    total = 0
    for position, char in enumerate(reversed(body)):
        addend = _DECODE[char] * (2 if position % 2 == 0 else 1)
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def new_short_code() -> str:
    """Eight random Crockford base32 characters (40 bits) plus a Luhn check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(SHORT_CODE_LENGTH))
    return body + _check_symbol(body)


def normalise_short_code(raw: str) -> str | None:
    """Clean what a person typed (case, dashes, spaces, O/0, I/L/1); None when invalid."""
    cleaned = "".join(raw.split()).replace("-", "").upper()
    if len(cleaned) != SHORT_CODE_LENGTH + 1:
        return None
    if any(char not in _DECODE for char in cleaned):
        return None
    cleaned = "".join(ALPHABET[_DECODE[char]] for char in cleaned)
    body, check = cleaned[:-1], cleaned[-1]
    if _check_symbol(body) != check:
        return None
    return body + check


def format_short_code(code: str) -> str:
    """Show a short code in two groups for reading aloud: ``ABCD-EFGH7``."""
    return f"{code[:4]}-{code[4:]}"

"""Clean contact details the way they are stored: lower-case e-mail, E.164 phone."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

EMAIL_PATTERN = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
E164_PATTERN = re.compile(r"^\+[1-9][0-9]{6,14}$")
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "t", "si", "sí", "s", "是", "x", "on"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "f", "否", "off"})


class InvalidValueError(ValueError):
    """A value that cannot be stored; the message says why, for an import report."""


def normalise_email(raw: str) -> str:
    """Lower-case, trimmed e-mail; ``""`` for blank; InvalidValueError when malformed."""
    value = raw.strip().lower()
    if not value:
        return ""
    if len(value) > 254 or not EMAIL_PATTERN.match(value):
        raise InvalidValueError(f"{raw.strip()!r} is not an e-mail address")
    return value


@lru_cache(maxsize=65536)
def _parse_phone(value: str, region: str) -> str:
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        if not region and not value.startswith(("+", "00")):
            raise InvalidValueError(
                f"{value!r} has no country code; write it as +<country><number> "
                "or give a default region"
            ) from None
        raise InvalidValueError(f"{value!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValueError(
            f"{value!r} is not a valid phone number for its country"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str, *, region: str = "") -> str:
    """The number in E.164 (``+4420…``); ``""`` for blank; InvalidValueError otherwise.

    Numbers already written in E.164 are checked for a known country calling code
    and length only (fast path for big files); anything else — spaces, brackets,
    national formats with ``region`` (``GB``, ``CN``, ``ES``…) — goes through
    libphonenumber's full validation.
    """
    value = raw.strip()
    if not value:
        return ""
    if E164_PATTERN.match(value):
        for length in (1, 2, 3):
            if int(value[1 : 1 + length]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return value
        raise InvalidValueError(f"{value!r} has an unknown country calling code")
    if value.startswith("00"):
        value = "+" + value[2:]
    return _parse_phone(value, region.upper())


def parse_flag(raw: str) -> bool | None:
    """yes/no in English, Spanish or Chinese (and 1/0, true/false); None for blank."""
    value = raw.strip().lower()
    if not value:
        return None
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise InvalidValueError(f"{raw.strip()!r} is not yes or no")

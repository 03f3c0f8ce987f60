"""Understand an SMS reply: a number (digits, full-width digits, words) or an opt-out.

English, Chinese and Spanish. Pure Python; the webhook decides what to do with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

OPT_OUT_WORDS = frozenset(
    {
        # English (CTIA / carrier standard keywords)
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "opt out",
        # Chinese
        "退订", "退定", "取消", "td", "t", "退出", "拒收",
        # Spanish
        "baja", "alto", "parar", "cancelar", "detener", "darse de baja",
    }
)  # fmt: skip

NUMBER_WORDS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    # Spanish
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    # Chinese
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "貳": 2, "贰": 2, "三": 3,
    "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9, "十": 10, "拾": 10,
}  # fmt: skip

_FILLER = re.compile(r"[\s.,;:!?¡¿。，、；：！？\"'()（）\[\]【】«»“”‘’-]+")
_ZH_SUFFIX = re.compile(r"(分|号|號|星|颗|顆)$")
_SPANISH_SUFFIX = re.compile(r"^(un|el|la|nota|puntuacion|puntuación)\s+")


@dataclass(frozen=True, slots=True)
class ParsedReply:
    """``kind`` is ``answer`` (with ``number``), ``opt_out`` or ``unknown``."""

    kind: Literal["answer", "opt_out", "unknown"]
    number: int | None = None


def _clean(text: str) -> str:
    # NFKC turns full-width digits and letters (１２３, ＳＴＯＰ) into ASCII.
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return _FILLER.sub(" ", folded).strip()


def parse_reply(text: str) -> ParsedReply:
    """Read an SMS reply.

    >>> parse_reply(" 5 ").number, parse_reply("４").number, parse_reply("cinco").number
    (5, 4, 5)
    >>> parse_reply("五分").number, parse_reply("10").number
    (5, 10)
    >>> parse_reply("STOP").kind, parse_reply("退订").kind, parse_reply("Baja").kind
    ('opt_out', 'opt_out', 'opt_out')
    >>> parse_reply("what is this?").kind
    'unknown'
    """
    cleaned = _clean(text)
    if not cleaned:
        return ParsedReply("unknown")
    if cleaned in OPT_OUT_WORDS or cleaned.split(" ")[0] in {
        "stop",
        "baja",
        "退订",
        "unsubscribe",
    }:
        return ParsedReply("opt_out")
    if cleaned.isdigit() and len(cleaned) <= 2:
        return ParsedReply("answer", int(cleaned))
    cleaned = _SPANISH_SUFFIX.sub("", cleaned)
    cleaned = _ZH_SUFFIX.sub("", cleaned).strip()
    if cleaned.isdigit() and len(cleaned) <= 2:
        return ParsedReply("answer", int(cleaned))
    if cleaned in NUMBER_WORDS:
        return ParsedReply("answer", NUMBER_WORDS[cleaned])
    return ParsedReply("unknown")

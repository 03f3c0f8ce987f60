"""Reading SMS replies in English, Chinese and Spanish."""

from __future__ import annotations

import pytest

from satisfy.distribution.replies import parse_reply


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("5", 5),
        (" 4. ", 4),
        ("10", 10),
        ("０", 0),
        ("３", 3),
        ("five", 5),
        ("Three!", 3),
        ("cuatro", 4),
        ("Un cinco", 5),
        ("五", 5),
        ("四分", 4),
        ("十", 10),
    ],
)
def test_numbers(text: str, number: int) -> None:
    reply = parse_reply(text)
    assert reply.kind == "answer"
    assert reply.number == number


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop please",
        "Unsubscribe",
        "ＳＴＯＰ",
        "退订",
        "TD",
        "BAJA",
        "baja.",
        "Cancelar",
    ],
)
def test_opt_out_keywords(text: str) -> None:
    assert parse_reply(text).kind == "opt_out"


@pytest.mark.parametrize(
    "text", ["", "   ", "hello", "123", "maybe 5 or 6", "😀", "5/5"]
)
def test_everything_else_is_unknown(text: str) -> None:
    assert parse_reply(text).kind == "unknown"

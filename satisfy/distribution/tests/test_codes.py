from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from satisfy.distribution.codes import (
    ALPHABET,
    format_short_code,
    new_short_code,
    new_token,
    normalise_short_code,
)


def test_tokens_carry_at_least_128_random_bits():
    token = new_token()
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert len({new_token() for _ in range(1000)}) == 1000


def test_short_codes_round_trip_through_human_typing():
    code = new_short_code()
    assert len(code) == 9
    typed = format_short_code(code).lower().replace("0", "o").replace("1", "l")
    assert normalise_short_code(f"  {typed} ") == code


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.integers(0, 7), st.data())
def test_check_character_catches_any_single_substitution(body, position, data):
    valid = next(
        c for c in (body + check for check in ALPHABET) if normalise_short_code(c) == c
    )
    replacement = data.draw(
        st.sampled_from([c for c in ALPHABET if c != body[position]])
    )
    typo = valid[:position] + replacement + valid[position + 1 :]
    assert normalise_short_code(typo) is None


def test_rejects_wrong_length_and_foreign_characters():
    assert normalise_short_code("ABC") is None
    assert normalise_short_code("ABCD-EFGH!") is None
    assert normalise_short_code("") is None


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.integers(0, 6))
def test_check_character_catches_most_neighbour_swaps(body, position):
    valid = next(
        c for c in (body + k for k in ALPHABET) if normalise_short_code(c) == c
    )
    a, b = valid[position], valid[position + 1]
    swapped = valid[:position] + b + a + valid[position + 2 :]
    # Luhn mod N misses only the swap of the two symbols whose doubled values wrap
    # to each other (0 and Z); every other neighbour swap is caught.
    if a != b and {a, b} != {"0", "Z"}:
        assert normalise_short_code(swapped) is None

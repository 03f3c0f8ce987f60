"""The library's sentences, in English or in whatever language the caller translates to.

The ``describe_*`` functions (and ``explain_levers``) write plain-language
sentences. Each takes an optional ``gettext`` (and, where a count decides the
wording, ``ngettext``); by default they write English. The web app passes
Django's ``gettext``/``ngettext``, so the sentences follow the user's language;
the library itself never imports Django.

Rules for every sentence the library writes:

- a template is a *complete* sentence (or a self-contained phrase such as
  "%(value)s out of 100") with named ``%(name)s`` placeholders, so a translator can
  move every value and never has to glue fragments in English word order;
- it is written as a string literal right inside ``gettext("...")`` or
  ``ngettext("...", "...", n)`` (the describer's parameters), or inside
  :func:`gettext_noop` where it is stored before use. These are keywords GNU
  ``xgettext`` (and so Django's ``makemessages``) extracts by default, so the
  templates reach the app's catalogs with no extra tooling (``docs/translating.md``);
- values are formatted (numbers rounded, signs, thousands separators) *before*
  they are substituted, and labels passed in by the caller are already translated;
- the translated template is filled with ``%``; a literal percent sign is ``%%``.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "Gettext",
    "NGettext",
    "english",
    "english_plural",
    "gettext_noop",
    "join_list",
    "join_or",
]

#: ``gettext(message) -> translated message``.
Gettext = Callable[[str], str]
#: ``ngettext(singular, plural, n) -> translated form for n``.
NGettext = Callable[[str, str, int], str]


def gettext_noop(message: str) -> str:
    """Mark a template for extraction where it is stored before it is translated.

    >>> gettext_noop("No gap.")
    'No gap.'
    """
    return message


def english(message: str) -> str:
    """The default ``gettext``: the English template itself.

    >>> english("%(n)s answers") % {"n": 3}
    '3 answers'
    """
    return message


def english_plural(singular: str, plural: str, n: int) -> str:
    """The default ``ngettext``: English has one form for 1 and one for the rest.

    >>> english_plural("%(n)s area", "%(n)s areas", 2) % {"n": 2}
    '2 areas'
    """
    return singular if n == 1 else plural


def join_or(words: list[str], gettext: Gettext = english) -> str:
    """``"A or B or C"`` with the translated "or" template.

    >>> join_or(["CSAT", "NPS", "CES"])
    'CSAT or NPS or CES'
    """
    text = words[0]
    for word in words[1:]:
        text = gettext("%(first)s or %(second)s") % {"first": text, "second": word}
    return text


def join_list(words: list[str], gettext: Gettext = english) -> str:
    """``"A, B, C"`` with the translated list template.

    >>> join_list(["Resolution", "Access"])
    'Resolution, Access'
    """
    text = words[0]
    for word in words[1:]:
        # Translators: two items of a list of names (Chinese uses 、).
        text = gettext("%(first)s, %(second)s") % {"first": text, "second": word}
    return text

"""The Chinese and Spanish catalogs are complete, compiled, and used by the pages.

The catalog checks read the ``.po`` files with a small stdlib parser (no polib at
run time), so they guard every future ``makemessages`` run: an entry left empty or
fuzzy, a placeholder lost in translation, or a ``.mo`` not recompiled fails here.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from satisfy.accounts.models import User

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGS = {"zh_Hans": 1, "es": 2}
"""Each translated locale and its number of plural forms."""

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\{ *\w+ *\}\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"'), body
    assert body.endswith('"'), body
    out = body[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), out)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a ``.po`` file (the header is the entry with an empty msgid)."""
    entries: list[Entry] = []
    current = Entry()
    key = ""
    started = False

    def finish() -> None:
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = Entry(), False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("#,"):
            if started and key.startswith("msgstr"):
                finish()
            current.flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            if started and key.startswith("msgstr"):
                finish()
        elif line.startswith('"'):
            value = _unquote(line)
            if key == "msgid":
                current.msgid += value
            elif key == "msgid_plural":
                current.msgid_plural += value
            elif key == "msgctxt":
                current.msgctxt += value
            else:
                index = int(key[7:-1]) if key.startswith("msgstr[") else 0
                current.msgstr[index] += value
        else:
            key, _, rest = line.partition(" ")
            if key in ("msgctxt", "msgid") and started and current.msgstr:
                finish()
            if not started:
                current.line, started = number, True
            value = _unquote(rest)
            if key == "msgid":
                current.msgid = value
            elif key == "msgid_plural":
                current.msgid_plural = value
            elif key == "msgctxt":
                current.msgctxt = value
            elif key == "msgstr":
                current.msgstr[0] = value
            elif key.startswith("msgstr["):
                current.msgstr[int(key[7:-1])] = value
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


def _messages(locale: str) -> list[Entry]:
    return [e for e in parse_po(_po(locale)) if e.msgid]


def _po(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def _placeholders(text: str) -> Counter[str]:
    return Counter(m.replace(" ", "") for m in PLACEHOLDER.findall(text))


@pytest.mark.parametrize("locale", CATALOGS)
def test_the_catalog_has_the_interface_strings(locale: str) -> None:
    messages = _messages(locale)

    assert len(messages) > 400
    assert {"Surveys", "Response rate", "Enter your survey code"} <= {
        e.msgid for e in messages
    }


@pytest.mark.parametrize("locale", CATALOGS)
def test_every_message_is_translated_and_not_fuzzy(locale: str) -> None:
    problems = []
    for entry in parse_po(_po(locale)):
        where = f"{locale}/django.po:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is fuzzy")
        if entry.msgid and not all(v.strip() for v in entry.msgstr.values()):
            problems.append(f"{where} has no translation")

    assert problems == []


@pytest.mark.parametrize(("locale", "nplurals"), CATALOGS.items())
def test_plural_forms_match_the_language(locale: str, nplurals: int) -> None:
    header = next(e for e in parse_po(_po(locale)) if not e.msgid).msgstr[0]
    plurals = [e for e in _messages(locale) if e.msgid_plural]

    assert f"nplurals={nplurals};" in header.replace(" ", "")
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize("locale", CATALOGS)
def test_placeholders_survive_translation(locale: str) -> None:
    problems = []
    for entry in _messages(locale):
        expected = _placeholders(entry.msgid_plural or entry.msgid)
        if entry.msgid_plural:
            # The singular may name the same placeholders as the plural, or fewer.
            assert set(_placeholders(entry.msgid)) <= set(expected), entry.msgid
        for index, text in entry.msgstr.items():
            if _placeholders(text) != expected:
                problems.append(
                    f"{locale}/django.po:{entry.line} msgstr[{index}] {text!r}: "
                    f"placeholders {dict(_placeholders(text))} "
                    f"instead of {dict(expected)}"
                )

    assert problems == []


@pytest.mark.parametrize("locale", CATALOGS)
def test_the_compiled_catalog_matches_the_po_file(locale: str) -> None:
    # `satisfy compilemessages` forgotten after an edit shows up here.
    mo = _po(locale).with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in _messages(locale):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            got = [
                compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 5)
            ]
            want = [entry.msgstr[0], entry.msgstr[len(entry.msgstr) - 1]]
        else:
            got = [compiled.gettext(key)]
            want = [entry.msgstr[0]]
        if got != want:
            stale.append(entry.msgid)

    assert stale == []


def test_the_parser_reads_plurals_flags_and_continuation_lines(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(n)s row"\n'
        'msgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s fila"\nmsgstr[1] ""\n"%(n)s filas"\n\n'
        'msgid "Say \\"hi\\""\nmsgstr ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "ido"\n',
        encoding="utf-8",
    )

    header, plural, empty = parse_po(po)

    assert "nplurals=2" in header.msgstr[0]
    assert plural.flags == {"fuzzy", "python-format"}
    assert plural.msgstr == {0: "%(n)s fila", 1: "%(n)s filas"}
    assert empty.msgid == 'Say "hi"'
    assert empty.msgstr == {0: ""}


# Pages


def _get(client: Client, url: str, language: str) -> str:
    reply = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert reply.status_code == 200
    return reply.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-Hans", ["首页", "欢迎，alice", "从模板新建问卷", "全部问卷", "退出登录"]),
        ("zh-CN,zh;q=0.9", ["首页", "欢迎，alice"]),
        (
            "es",
            [
                "Inicio",
                "Bienvenido/a, alice",
                "Nueva encuesta a partir",
                "Cerrar sesión",
            ],
        ),
        ("es-ES,es;q=0.9,en;q=0.5", ["Inicio", "Todas las encuestas"]),
    ],
)
def test_the_home_page_follows_the_browser_language(
    client: Client, alice: User, language: str, expected: list[str]
) -> None:
    client.force_login(alice)

    html = _get(client, "/", language)

    for text in expected:
        assert text in html
    assert "Sign out" not in html


def test_english_stays_the_default(client: Client, alice: User) -> None:
    client.force_login(alice)

    html = client.get("/").text

    assert "Welcome, alice" in html
    assert "Sign out" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["<h1>问卷</h1>", "模板", "版本", "进行中", "草稿"]),
        ("es", ["<h1>Encuestas</h1>", "Plantilla", "Versión", "Abierta", "Borrador"]),
    ],
)
def test_the_survey_list_speaks_the_chosen_language(
    client: Client,
    alice: User,
    make_survey: Callable[..., Any],
    language: str,
    expected: list[str],
) -> None:
    # given: an open survey and a draft; the language chosen in the menu
    make_survey(slug="after-call")
    make_survey(slug="next-quarter", publish=False)
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": language, "next": "/surveys/"})

    # when
    html = client.get("/surveys/").text

    # then: headings and the model's status choices are translated
    for text in expected:
        assert text in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_the_language_cookie_is_enough(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    html = client.get("/surveys/").text

    assert "Todavía no hay encuestas que pueda ver." in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-Hans", ["输入您的问卷码", "问卷码", "开始填写问卷", "例如：ABCD-EFGH7。"]),
        ("es", ["Introduzca su código de encuesta", "Empezar la encuesta"]),
    ],
)
def test_the_short_code_page_speaks_the_browser_language(
    client: Client, language: str, expected: list[str]
) -> None:
    html = _get(client, "/c", language)

    for text in expected:
        assert text in html
    assert "Start the survey" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-Hans", "该问卷码无效。请核对后重试。"), ("es", "Ese código no es válido.")],
)
def test_a_wrong_code_is_explained_in_the_browser_language(
    client: Client, language: str, expected: str
) -> None:
    reply = client.post("/c", {"code": "ABCD-EFGH7"}, HTTP_ACCEPT_LANGUAGE=language)

    assert expected in reply.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-Hans", "页面未找到"), ("es", "Página no encontrada")],
)
def test_the_not_found_page_is_translated(
    client: Client, alice: User, language: str, expected: str
) -> None:
    client.force_login(alice)

    reply = client.get("/surveys/no-such-survey/", HTTP_ACCEPT_LANGUAGE=language)

    assert reply.status_code == 404
    assert expected in reply.text

"""The gap and index summaries follow the user's language (library templates via Django's gettext).

The catalogs may not have the new templates translated yet, so the test gives the
zh-hans translation object a few entries of its own (wrapping Django's real lookup)
and checks the path request → LocaleMiddleware → Django ``gettext``/``pgettext`` →
the library's templates, with the values and the translated labels filled in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.utils.html import escape
from django.utils.translation import trans_real

from satisfy.reports.tests.test_structure_pages import _clip, _store

pytestmark = pytest.mark.django_db

CHINESE = {
    "The largest shortfall is %(label)s: %(actual)s is %(gap)s points below "
    "%(reference)s (%(level)s%% interval %(low)s to %(high)s, n = %(n)s).": (
        "差距最大的是%(label)s：%(actual)s 比%(reference)s 低 %(gap)s 分"
        "（%(level)s%% 区间 %(low)s 至 %(high)s，n = %(n)s）。"
    ),
    "expectation": "期望",
    "perception": "感知",
    "The %(outcome)s index is %(value)s out of 100 (n = %(n)s).": (
        "%(outcome)s指数为 %(value)s（满分 100，n = %(n)s）。"
    ),
    "ECSI latent variable\x04Satisfaction": "满意度",
}


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """zh-hans knows CHINESE on top of its catalog; other languages are untouched."""
    original = trans_real.DjangoTranslation.gettext

    def gettext(self: trans_real.DjangoTranslation, message: str) -> str:
        if self.language() == "zh-hans" and message in CHINESE:
            return CHINESE[message]
        return str(original(self, message))

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)


def test_gap_summary_in_chinese(client, alice, make_survey, chinese) -> None:
    survey = make_survey(template="servqual-bank", slug="bank-quality")
    rng = np.random.default_rng(7)

    def values(q: Any, _item: Any, part: str) -> int:
        low, high = int(q.min_value or 1), int(q.max_value or 7)
        if part == "expectation":
            return int(_clip(6 + rng.normal(0, 0.3), low, high))
        if part == "perception":
            mean = 3 if q.code == "reliability" else 6
            return int(_clip(mean + rng.normal(0, 0.3), low, high))
        return int(_clip((low + high) / 2 + rng.normal(0, 1), low, high))

    _store(survey, [values] * 25)
    client.force_login(alice)

    english = client.get("/surveys/bank-quality/results/gaps/").context["gaps"]
    client.cookies["django_language"] = "zh-hans"
    r = client.get("/surveys/bank-quality/results/gaps/")

    gaps = r.context["gaps"]

    def reliability(report: Any) -> str:
        return str(
            next(lbl for lbl, g in report.dimension_rows if g.name == "reliability")
        )

    assert english.summary.startswith(
        f"The largest shortfall is {reliability(english)}: perception is "
    )
    assert gaps.summary.startswith(f"差距最大的是{reliability(gaps)}：感知 比期望 低 ")
    assert "n = 25）。" in gaps.summary
    assert escape(gaps.summary) in r.content.decode()


def test_index_summary_in_chinese(client, alice, make_survey, chinese) -> None:
    survey = make_survey(template="ecsi", slug="relationship")
    rng = np.random.default_rng(11)

    def row(_i: int) -> Any:
        level = rng.normal()

        def values(q: Any, _item: Any, _part: str) -> int:
            return int(_clip(6.5 + 1.5 * level + rng.normal(0, 0.7), 1, 10))

        return values

    _store(survey, [row(i) for i in range(40)])
    client.force_login(alice)

    first = client.get("/surveys/relationship/results/index/")
    english, english_page = first.context["index"], first.content.decode()
    client.cookies["django_language"] = "zh-hans"
    r = client.get("/surveys/relationship/results/index/")

    index = r.context["index"]
    value = f"{index.result.index['Satisfaction']:.1f}"
    assert english.summary.startswith(
        f"The Satisfaction index is {value} out of 100 (n = 40)."
    )
    assert index.summary.startswith(f"满意度指数为 {value}（满分 100，n = 40）。")
    page = r.content.decode()
    assert escape(index.summary) in page
    # the table, the paths and the path diagram name the latent variable too
    assert f'<td>满意度</td><td class="num">{value}</td>' in page
    assert "满意度 → " in page
    assert " → 满意度" in page
    assert ">满意度<" in index.svg
    assert "<td>Satisfaction</td>" in english_page

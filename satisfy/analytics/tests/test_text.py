"""The library's sentences go through the caller's gettext/ngettext, template by template.

A fake translation wraps every template in ⟦…⟧ and records it. Exercising every
branch of every describer must (1) leave no text outside a wrapped template (so no
English fragment bypasses gettext), (2) keep the values in place, and (3) use
exactly the templates a gettext extractor finds in the library's source: each is a
string literal inside ``gettext(...)``/``ngettext(...)``/``gettext_noop(...)``, the
keywords Django's ``makemessages`` passes to xgettext by default.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from satisfy.analytics.acsi import describe_index
from satisfy.analytics.charts_drivers import (
    driver_chart_svg,
    gap_chart_svg,
    ipa_chart_svg,
    path_diagram_svg,
    quadrant_names,
)
from satisfy.analytics.drivers import key_drivers
from satisfy.analytics.gaps import describe_gaps, gap_analysis
from satisfy.analytics.ipa import describe_drivers, importance_performance
from satisfy.analytics.ops_link import (
    LeverEffect,
    describe_duration,
    describe_lever_effect,
    explain_levers,
    wait_bucket_labels,
    wait_buckets,
)
from satisfy.analytics.pls import PathModel, PLSResult, pls_path_model

LIBRARY = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": 1, "gettext_noop": 1, "ngettext": 2}


class FakeCatalog:
    """gettext/ngettext that wrap each template in ⟦…⟧ and remember it."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def gettext(self, message: str) -> str:
        self.seen.add(message)
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.seen.update((singular, plural))
        return f"⟦{singular if n == 1 else plural}⟧"


def outside_templates(text: str) -> str:
    """What is left after removing every ⟦…⟧ (nested ones included)."""
    depth, out = 0, []
    for ch in text:
        if ch == "⟦":
            depth += 1
        elif ch == "⟧":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    assert depth == 0, text
    return "".join(out)


def assert_all_translated(text: str) -> None:
    assert outside_templates(text).strip() == "", text


def library_templates() -> set[str]:
    """String literals passed to gettext/ngettext/gettext_noop in the library (not tests)."""
    found: set[str] = set()
    for path in LIBRARY.rglob("*.py"):
        if "tests" in path.relative_to(LIBRARY).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in KEYWORDS:
                continue
            for arg in node.args[: KEYWORDS[name]]:
                where = f"{path.name}:{node.lineno}: {name}()"
                assert isinstance(arg, ast.Constant), f"{where} needs a literal"
                assert isinstance(arg.value, str), f"{where} needs a string"
                found.add(arg.value)
    return found


def fitted_index() -> PLSResult:
    rng = np.random.default_rng(3)
    f = rng.normal(size=300)
    g = 0.7 * f + rng.normal(scale=0.7, size=300)
    h = 0.6 * g + rng.normal(scale=0.8, size=300)

    def items(factor: np.ndarray) -> list[np.ndarray]:
        return [
            np.clip(np.round(6 + 1.5 * factor + rng.normal(size=300)), 1, 10)
            for _ in range(2)
        ]

    d = dict(
        zip(
            ["q1", "q2", "s1", "s2", "l1", "l2"],
            items(f) + items(g) + items(h),
            strict=True,
        )
    )
    model = PathModel(
        blocks={
            "Quality": ("q1", "q2"),
            "Satisfaction": ("s1", "s2"),
            "Loyalty": ("l1", "l2"),
        },
        paths=(("Quality", "Satisfaction"), ("Satisfaction", "Loyalty")),
        scale_min=1,
        scale_max=10,
    )
    return pls_path_model(d, model)


def every_sentence(t: FakeCatalog) -> list[str]:
    """Every branch of every describer, through the fake catalog."""
    out: list[str] = []
    imp = {"access": 0.2, "resolution": 0.5, "treatment": 0.3}
    perf = {"access": 80.0, "resolution": 60.0, "treatment": 76.0}
    low = importance_performance(imp, perf, performance_scale=(0, 100), target="CSAT")
    high = importance_performance(
        imp, {"access": 50.0, "resolution": 90.0, "treatment": 40.0}
    )
    two_focus = importance_performance(
        {"a": 0.4, "b": 0.4, "c": 0.1, "d": 0.1},
        {"a": 10.0, "b": 20.0, "c": 80.0, "d": 90.0},
    )
    alone = importance_performance({"a": 1.0}, {"a": 3.2}, importance_measure="beta")
    for ipa in (low, high, two_focus, alone):
        out.append(describe_drivers(ipa, gettext=t.gettext, ngettext=t.ngettext))
    out.append(
        describe_drivers(low, target_label="", gettext=t.gettext, ngettext=t.ngettext)
    )

    short = {
        "E1": [7, 6, 7, 5, 6],
        "P1": [5, 6, 4, 5, 4],
        "E2": [4, 5, 3, 4, 4],
        "P2": [6, 6, 7, 6, 7],
    }
    same = {"E1": [5, 6, 7, 5, 6], "P1": [5, 6, 7, 5, 6]}
    for data, pairs in (
        (short, {"r": ("E1", "P1"), "e": ("E2", "P2")}),
        (same, {"r": ("E1", "P1")}),
    ):
        out.append(describe_gaps(gap_analysis(data, pairs), gettext=t.gettext))

    fit = fitted_index()
    out.append(describe_index(fit, gettext=t.gettext))
    bare = dataclasses.replace(fit, index={}, r2={}, converged=False)
    out.append(describe_index(bare, gettext=t.gettext))

    def effect(kind: str, diff: float, lo: float, hi: float) -> LeverEffect:
        return LeverEffect(
            "M", "⟦lever⟧", kind, 0.5, 0.5 + diff, 100, 50, diff, lo, hi, 0.05, "x"
        )

    for kind in ("share", "nps", "mean"):
        for diff, lo, hi in ((-0.2, -0.3, -0.1), (0.2, 0.1, 0.3), (0.01, -0.1, 0.1)):
            out.append(
                describe_lever_effect(effect(kind, diff, lo, hi), gettext=t.gettext)
            )
    noise = [
        effect("share", 0.01, -0.1, 0.1),
        dataclasses.replace(effect("share", 0.0, -0.1, 0.1), metric="N"),
    ]
    out.extend(explain_levers(noise, gettext=t.gettext))
    out.extend(explain_levers([], gettext=t.gettext))
    for seconds in (1, 45, 60, 90, 3600, 7200):
        out.append(describe_duration(seconds, ngettext=t.ngettext))
    out.extend(
        wait_bucket_labels([30, 60, 120], gettext=t.gettext, ngettext=t.ngettext)
    )
    out.extend(chart_texts(t, low, fit))
    return out


def _svg_texts(svg: str) -> list[str]:
    """The words an SVG chart shows (its <text> and <title> elements)."""

    return [html.unescape(m) for m in re.findall(r">([^<>]+)</(?:text|title)>", svg)]


def chart_texts(t: FakeCatalog, ipa: Any, fit: PLSResult) -> list[str]:
    """The chart titles, axes and quadrant names: every one through the catalog."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(60, 2))
    y = x @ [0.6, 0.3] + rng.normal(scale=0.5, size=60)
    drivers = key_drivers({"y": y, "a": x[:, 0], "b": x[:, 1]}, "y", ["a", "b"])
    gaps = gap_analysis({"E": [7, 6, 7, 5], "P": [5, 6, 4, 5]}, {"q": ("E", "P")})
    raw = dataclasses.replace(fit, standardized=False)
    untitled = dataclasses.replace(ipa, target=None)
    svgs = [
        driver_chart_svg(drivers, gettext=t.gettext),
        ipa_chart_svg(ipa, gettext=t.gettext),
        ipa_chart_svg(untitled, gettext=t.gettext),
        gap_chart_svg(gaps, gettext=t.gettext),
        path_diagram_svg(fit, gettext=t.gettext),
        path_diagram_svg(raw, gettext=t.gettext),
    ]
    out = list(quadrant_names(t.gettext).values())
    for svg in svgs:
        # the titles, subtitles, axes and quadrant names (not the data labels)
        out.extend(
            text
            for text in _svg_texts(svg)
            if text.startswith("⟦") or any(w in text for w in ("Key", "Gap", "Path"))
        )
    return out


def test_every_template_goes_through_gettext() -> None:
    t = FakeCatalog()
    for sentence in every_sentence(t):
        assert_all_translated(sentence)
    # every template the library can write was used, and nothing else
    assert t.seen == library_templates()


def test_values_stay_in_place_after_translation() -> None:
    t = FakeCatalog()
    r = importance_performance(
        {"access": 0.2, "resolution": 0.5, "treatment": 0.3},
        {"access": 80.0, "resolution": 60.0, "treatment": 76.0},
        performance_scale=(0, 100),
        target="CSAT",
    )
    text = describe_drivers(
        r, labels={"resolution": "解决"}, gettext=t.gettext, ngettext=t.ngettext
    )
    assert (
        "⟦解决 is the strongest driver of CSAT (⟦50% of the explained variation⟧).⟧"
        in text
    )
    assert (
        "⟦It scores ⟦60 out of 100⟧, 18 points below the other drivers' average (78).⟧"
        in text
    )
    assert "⟦Focus area: 解决 (important, but performing below the rest).⟧" in text


def test_a_translation_may_reorder_the_values() -> None:
    chinese = {
        "%(metric)s falls from %(before)s to %(after)s when %(lever)s (%(difference)s, "
        "%(level)s CI %(interval)s; n = %(n_without)s and %(n_with)s).": (
            "当%(lever)s时，%(metric)s 从 %(before)s 降至 %(after)s（%(difference)s，"
            "%(level)s 置信区间 %(interval)s；n = %(n_without)s 和 %(n_with)s）。"
        ),
        "%(value)s points": "%(value)s 个百分点",
        "%(low)s to %(high)s points": "%(low)s 至 %(high)s 个百分点",
    }
    e = LeverEffect(
        "CSAT",
        "等待超过 2 分钟",
        "share",
        0.86,
        0.61,
        1204,
        310,
        -0.25,
        -0.31,
        -0.19,
        0.05,
        "newcombe",
    )
    assert describe_lever_effect(e, gettext=lambda s: chinese.get(s, s)) == (
        "当等待超过 2 分钟时，CSAT 从 86% 降至 61%（-25 个百分点，95% 置信区间 -31 至 -19 个百分点；"
        "n = 1,204 和 310）。"
    )


def test_default_output_is_english() -> None:
    e = LeverEffect(
        "CES",
        "the contact was transferred",
        "mean",
        2.1,
        3.4,
        80,
        40,
        1.3,
        0.9,
        1.7,
        0.05,
        "welch",
    )
    assert describe_lever_effect(e) == (
        "CES rises from 2.1 to 3.4 when the contact was transferred "
        "(+1.3, 95% CI 0.9 to 1.7; n = 80 and 40)."
    )
    assert explain_levers([]) == [
        "None of the operational levers examined moves satisfaction by more than "
        "the noise in these responses."
    ]
    assert describe_duration(1) == "1 second"
    assert describe_duration(3600) == "1 hour"
    assert describe_duration(5400) == "1.5 hours"
    # the group labels stay English whatever the app's language (they are keys)
    assert wait_buckets([200]).tolist() == ["2 to 5 minutes"]


def test_gap_summary_keeps_hyphens_in_labels() -> None:
    t = gap_analysis(
        {"E1": [7, 6, 7, 5, 6], "P1": [5, 6, 4, 5, 4]}, {"follow_up": ("E1", "P1")}
    )
    text = describe_gaps(t, labels={"follow_up": "Follow-up"})
    assert text.startswith(
        "The largest shortfall is Follow-up: perception is 1.40 points"
    )
    assert "(95% interval −3.07 to 0.27, n = 5)" in text


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext not installed"
)
def test_xgettext_with_djangos_keywords_extracts_exactly_these_templates() -> None:
    # the keyword list of django.core.management.commands.makemessages (domain "django")
    files = sorted(
        str(p)
        for p in LIBRARY.rglob("*.py")
        if "tests" not in p.relative_to(LIBRARY).parts
    )
    po = subprocess.run(
        [
            "xgettext", "--language=Python", "--from-code=UTF-8", "--no-wrap", "--output=-",
            "--keyword=gettext_noop", "--keyword=gettext_lazy", "--keyword=ngettext_lazy:1,2",
            "--keyword=pgettext:1c,2", "--keyword=npgettext:1c,2,3",
            "--keyword=pgettext_lazy:1c,2", "--keyword=npgettext_lazy:1c,2,3", *files,
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    ids = {
        m.replace('\\"', '"')
        for m in re.findall(r'^msgid(?:_plural)? "(.+)"$', po, flags=re.MULTILINE)
    }
    assert ids == library_templates()

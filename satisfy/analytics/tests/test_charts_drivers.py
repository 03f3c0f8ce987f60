from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np

from satisfy.analytics.charts_drivers import (
    driver_chart_svg,
    gap_chart_svg,
    ipa_chart_svg,
    path_diagram_svg,
)
from satisfy.analytics.drivers import key_drivers
from satisfy.analytics.gaps import gap_analysis
from satisfy.analytics.ipa import importance_performance
from satisfy.analytics.pls import PathModel, pls_path_model


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    return root


def test_all_charts_are_well_formed_and_escape_labels() -> None:
    rng = np.random.default_rng(0)
    f = rng.normal(size=100)
    d = {
        "y": f + rng.normal(size=100),
        "a": f + rng.normal(size=100),
        "b": rng.normal(size=100),
    }
    labels = {"a": 'Wait <2 min> & "fast"'}
    drv = key_drivers(d, "y", ["a", "b"], bootstrap=20, random_state=1)
    ipa = importance_performance(
        drv.shares, {"a": 60.0, "b": 80.0}, performance_scale=(0, 100)
    )
    gaps = gap_analysis({"E": [7, 6, 7, 5], "P": [5, 6, 4, 5]}, {"a": ("E", "P")})
    model = PathModel(
        blocks={"A": ("a",), "Y": ("y",), "B": ("b",)}, paths=(("A", "Y"), ("B", "Y"))
    )
    pls = pls_path_model(d, model, bootstrap=20, random_state=1)
    for svg in (
        driver_chart_svg(drv, labels=labels),
        ipa_chart_svg(ipa, labels=labels),
        gap_chart_svg(gaps, labels=labels),
        path_diagram_svg(pls, labels={"A": "<A>"}),
    ):
        root = _parse(svg)
        texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
        assert "<script" not in svg
        assert "Wait <2 min>" in texts or "<A>" in texts


def test_path_diagram_uses_given_positions_and_names_missing_ones() -> None:
    import pytest

    rng = np.random.default_rng(1)
    f = rng.normal(size=60)
    d = {"a": f + rng.normal(size=60), "b": f + rng.normal(size=60)}
    pls = pls_path_model(
        d, PathModel(blocks={"A": ("a",), "B": ("b",)}, paths=(("A", "B"),))
    )
    svg = path_diagram_svg(
        pls, positions={"A": (0.0, 0.0), "B": (1.0, 1.0)}, width=400, height=300
    )
    _parse(svg)
    with pytest.raises(ValueError, match="No position given for B"):
        path_diagram_svg(pls, positions={"A": (0.0, 0.0)})

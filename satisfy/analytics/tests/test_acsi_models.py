from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from satisfy.analytics.acsi import (
    ACSI_MODEL,
    ECSI_MODEL,
    POST_CONTACT_DRIVERS,
    describe_index,
    match_columns,
)
from satisfy.analytics.pls import pls_path_model

TEMPLATE_CODES = (
    [f"imag{i}" for i in range(1, 6)]
    + [f"cuex{i}" for i in range(1, 4)]
    + [f"perq{i}" for i in range(1, 8)]
    + ["perv1", "perv2", "cusa1", "cusa2", "cusa3", "cusco", "cusl1", "cusl2", "cusl3"]
)


def test_ecsi_uses_the_template_codes_and_standard_paths() -> None:
    assert sorted(ECSI_MODEL.indicators) == sorted(TEMPLATE_CODES)
    assert len(ECSI_MODEL.paths) == 12
    assert ("Complaints", "Loyalty") in ECSI_MODEL.paths
    assert (ECSI_MODEL.scale_min, ECSI_MODEL.scale_max) == (1.0, 10.0)


def test_acsi_is_ecsi_without_image() -> None:
    assert "Image" not in ACSI_MODEL.blocks
    assert set(ACSI_MODEL.paths) == {p for p in ECSI_MODEL.paths if "Image" not in p}


def test_match_columns_is_case_insensitive_and_names_gaps() -> None:
    upper = match_columns(ECSI_MODEL, [c.upper() for c in TEMPLATE_CODES])
    assert upper.blocks["Image"][0] == "IMAG1"
    assert match_columns(ECSI_MODEL, str.upper) == upper
    with pytest.raises(ValueError, match="cusco"):
        match_columns(ECSI_MODEL, [c for c in TEMPLATE_CODES if c != "cusco"])


def test_post_contact_driver_spec() -> None:
    assert POST_CONTACT_DRIVERS.drivers == ("access", "resolution", "treatment")
    assert POST_CONTACT_DRIVERS.scales["nps"] == (0.0, 10.0)


def test_ecsi_index_on_mobi(shared_data: Path) -> None:
    mobi = pd.read_csv(shared_data / "survey-anchors" / "mobi.csv", index_col=0)
    res = pls_path_model(mobi, match_columns(ECSI_MODEL, mobi.columns))
    # plspm's 0–100 'mobile' data is round((mobi - 1) * 100 / 9, 2), so the index of a
    # single-item block is its 0–100 mean (independent check, not a published number)
    assert res.index["Complaints"] == pytest.approx(
        ((mobi["CUSCO"] - 1) * 100 / 9).mean()
    )
    text = describe_index(res)
    assert text.startswith("The Satisfaction index is 72.5 out of 100 (n = 250).")
    assert "Quality" in text

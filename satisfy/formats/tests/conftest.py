from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[3]


def shared_data_dir() -> Path:
    """Reference data beside the checkout (``../shared/data``), or $SATISFY_SHARED_DATA."""
    env = os.environ.get("SATISFY_SHARED_DATA")
    return Path(env) if env else _REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"reference data not found at {path} (set SATISFY_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def february(shared_data: Path) -> Path:
    path = shared_data / "callcenter" / "data_anonymous_bank_february.txt"
    if not path.is_file():
        pytest.skip(f"Anonymous Bank February file not found at {path}")
    return path

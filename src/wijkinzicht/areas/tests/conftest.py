"""Fixtures shared by the area tests."""

import pytest

from wijkinzicht.areas.services import kwb_import


@pytest.fixture
def amsterdam_both_codes(amsterdam, cbs_dir):
    """KWB 2017 (old codes) and 2024 (new codes, since the 2023 re-coding)."""
    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    return amsterdam

"""Shared pytest fixtures: the real CBS files shipped in data/cbs, users with roles."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "cbs"


@pytest.fixture(scope="session")
def cbs_dir() -> Path:
    return DATA

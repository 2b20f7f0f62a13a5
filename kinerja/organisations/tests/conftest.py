"""Fixtures shared by the organisation tests."""

import pytest

from .lines import build_org


@pytest.fixture
def org(world):
    """The fixture agency of the reporting-line tests (see lines.py)."""
    return build_org(world)

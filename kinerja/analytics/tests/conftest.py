"""Shared fixtures of the analytics tests: the planning tests' fixtures (``plan``, ``pk``,
``scopes``, ``rl``), on which every part builds its small world. Each part keeps its own
fixtures in a module of its own (``dashboard_fixtures.py``, ``warning_fixtures.py``,
``reports_fixtures.py``), imported by its tests; add shared ones here, never replace the file.
"""

from kinerja.analytics.tests.dashboard_fixtures import c, dash  # noqa: F401 - fixtures
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401 - fixtures
from kinerja.performance.tests.realisation_fixtures import rl_fixture  # noqa: F401 - fixture

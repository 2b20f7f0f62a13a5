"""The evaluation pages wired to the curve, the unit predikat and the objections: the curve
panel on Team evaluations (count, limits, room, a breach in red), the Unit predikat pages (open,
recommend, set with a reason, finalise against the curve with a justification, a stale version,
scope, export), the objection panel (the last day, object, the decision), Objections to decide,
the reopening, the objections across agencies; a fixed number of queries whatever the size.
Indonesian by default.

The fixture ``s`` (test_skp): agency A in 2024, Budi heads it (the leader one level up of its
division SMA), Hartono heads the division and rates Siti."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Evaluation, Objection, PredikatDistribution, UnitPredikat

from .test_evaluation import as_kabid
from .test_objections import final_evaluation
from .test_skp import s  # noqa: F401 - the s fixture
from .test_unit_predikat import opened, rated, set_to

TEAM = reverse("performance:evaluation_team")
MINE = reverse("performance:evaluation_mine")
UNITS = reverse("performance:unit_predikat_list")
TO_DECIDE = reverse("performance:objection_decide_list")
OVERRIDES = reverse("performance:evaluation_overrides")


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _text(response) -> str:
    return response.content.decode()


# The curve panel -----------------------------------------------------------------------------


def test_the_curve_panel_shows_each_band_and_a_breach_in_red(s, client):
    division = s.world.division_a
    rated(s, division, "baik", n=3)
    up = set_to(s, opened(s), "baik")
    client.force_login(s.kabid_user)  # Hartono heads the division
    text = _text(client.get(TEAM, {"year": 2024, "when": "1"}))
    assert text.count('data-testid="curve-panel"') == 1
    assert text.count('data-testid="curve-band"') >= 2
    # 3 staff, baik at most 2: one over, red, with the rule's message in Indonesian.
    assert 'class="text-danger"' in text and 'data-testid="curve-breaches"' in text
    assert "paling banyak 2 dari 3" in text.lower() or "2 dari 3" in text
    assert up.get_predikat_display() in text
    # Another sub-period: the unit predikat is not opened.
    text = _text(client.get(TEAM, {"year": 2024, "when": "2"}))
    assert 'data-testid="curve-band"' not in text and 'data-testid="curve-panel"' in text
    # Siti heads nothing: no panel.
    client.force_login(s.siti_user)
    assert 'data-testid="curve-panel"' not in _text(client.get(TEAM, {"year": 2024, "when": "1"}))

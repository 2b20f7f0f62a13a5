"""The action plan of an agreement as a workbook: one row per action with its schedule, in
the columns the action-plan importer reads, so an exported file imports again unchanged."""

from __future__ import annotations

import io

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .models import Agreement, Period
from .selectors_actions import plan_actions

MAX_SUB_PERIODS = 12
BASE_COLUMNS = (
    ("agreement", "ID PK"),
    ("indicator_code", "Kode Indikator"),
    ("code", "Kode Aksi"),
    ("parent_code", "Kode Aksi Induk"),
    ("position", "Urutan"),
    ("text", "Rencana Aksi"),
    ("unit_code", "Kode Unit Penanggung Jawab"),
    ("program_code", "Kode Program"),
    ("activity_code", "Kode Kegiatan"),
    ("sub_activity_code", "Kode Sub Kegiatan"),
    ("budget", "Pagu"),
    ("spending", "Realisasi Anggaran"),
    ("funding_source", "Sumber Dana"),
)
TITLE = _("Action plan")


def schedule_columns(n: int) -> list[tuple[str, str]]:
    """The columns of sub-period ``n``: its planned output and its weight."""
    return [(f"output_{n}", f"Keluaran {n}"), (f"weight_{n}", f"Bobot {n}")]


def export_action_plan(agreement: Agreement) -> bytes:
    period = Period.objects.filter(instansi_id=agreement.instansi_id, year=agreement.year).first()
    count = period.sub_periods.count() if period else 0
    columns = list(BASE_COLUMNS)
    for n in range(1, count + 1):
        columns += schedule_columns(n)
    wb = Workbook()
    ws = wb.active
    ws.title = "Rencana Aksi"
    ws.append([label for _, label in columns])
    actions = plan_actions(agreement)
    codes = {a.pk: a.code for a in actions}
    indicators = dict(agreement.targets.values_list("pk", "target__indicator__code"))
    for a in sorted(actions, key=lambda a: (a.level, a.position, a.code)):
        row = {
            "agreement": agreement.pk,
            "indicator_code": indicators[a.agreement_target_id],
            "code": a.code,
            "parent_code": codes.get(a.parent_id, ""),
            "position": a.position,
            "text": a.text,
            "unit_code": a.unit.code,
            "program_code": a.program_code,
            "activity_code": a.activity_code,
            "sub_activity_code": a.sub_activity_code,
            "budget": a.budget,
            "spending": a.spending,
            "funding_source": a.funding_source,
        }
        for s in a.schedule.all():
            row[f"output_{s.sub_period.number}"] = s.planned_output
            row[f"weight_{s.sub_period.number}"] = s.weight
        ws.append([_cell(row.get(name, "")) for name, _label in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula
    return value

"""The load_demo step of the action plans: 2 to 4 actions under each target of every current
agreement of a year, each with SIPD tags, a budget ceiling, a funding source and a schedule
over the year's sub-periods. A draft's actions go through the services (each with its audit
event); an agreement past the draft no longer changes through them, so its plan is checked by
the same rules and written in bulk with one audit event per action. Registered from
`PerformanceConfig.ready()` after the "planning" step."""

from __future__ import annotations

import zlib
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_many
from kinerja.core.scope import Action as Perm
from kinerja.core.scope import Grant, Scope
from kinerja.organisations.models import OrgUnit

from .models import Action, ActionProgress, ActionSchedule, Agreement, Period
from .services import actions as svc

ACTIONS = (
    "Penyusunan rencana kerja dan petunjuk teknis",
    "Sosialisasi program kepada pemangku kepentingan",
    "Pelaksanaan kegiatan di lapangan",
    "Monitoring dan evaluasi capaian",
)
OUTPUTS = ("Dokumen rencana", "Kegiatan terlaksana", "Laporan kemajuan", "Laporan akhir")
SOURCES = ("apbd", "apbd", "apbn", "dak", "blud")


def _weights(n: int) -> list[Decimal]:
    """100 split over ``n`` sub-periods, two decimals, the rest on the last."""
    share = (Decimal(100) / n).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [share] * (n - 1) + [Decimal(100) - share * (n - 1)]


def _stable(row) -> int:
    """A number of the agreement target that survives a reset (its ids do not): from the
    agreement's unit, year and revision and the row's indicator code."""
    key = f"{row.agreement.unit_id and row.agreement.unit.code}|{row.agreement.year}|"
    key += f"{row.agreement.revision}|{row.target.indicator.code}"
    return zlib.crc32(key.encode())


def _plan(row, i: int, sub_periods) -> tuple[dict, list[dict]]:
    seed = _stable(row) * 7 + i
    bidang = 1 + seed % 5
    program = f"{1 + seed % 3}.{bidang:02d}.{2 + seed % 6:02d}"
    activity = f"{program}.{1 + seed % 2}.{1 + seed % 9:02d}"
    data = {
        "code": f"{row.position}.{i + 1}",
        "position": i + 1,
        "text": ACTIONS[i % len(ACTIONS)],
        "program_code": program,
        "activity_code": activity,
        "sub_activity_code": f"{activity}.{1 + seed % 12:02d}",
        "budget": Decimal(25_000_000 * (1 + seed % 8)),
        "spending": Decimal(0),
        "funding_source": SOURCES[seed % len(SOURCES)],
    }
    weights = _weights(len(sub_periods))
    schedule = [
        {
            "sub_period": s.number,
            "planned_output": OUTPUTS[min(k * len(OUTPUTS) // len(sub_periods), 3)],
            "weight": w,
        }
        for k, (s, w) in enumerate(zip(sub_periods, weights, strict=True))
    ]
    return data, schedule


def demo_actions(instansi, year: int) -> int:
    """Add an action plan under each target of the year's current agreements that have none;
    return the number of actions added."""
    period = Period.objects.filter(instansi=instansi, year=year).first()
    if period is None:
        return 0
    sub_periods = list(period.sub_periods.order_by("number"))
    call = {
        "actor": None,
        "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Perm.ALL),)),
    }
    agreements = (
        Agreement.objects.filter(instansi=instansi, year=year, is_current=True)
        .exclude(actions__isnull=False)
        .select_related("unit")
    )
    first_agency = (
        OrgUnit.objects.filter(instansi=instansi, parent__isnull=True).order_by("path").first()
    )
    added = 0
    bulk: list[tuple[Action, list[dict]]] = []
    for agreement in agreements:
        unit = agreement.unit
        for row in agreement.targets.order_by("position", "pk").select_related(
            "agreement__unit", "target__indicator"
        ):
            owner = unit or row.target.indicator.unit or first_agency  # the province's: an agency
            if owner is None:
                continue
            for i in range(2 + _stable(row) % 3):
                data, schedule = _plan(row, i, sub_periods)
                data["unit"] = owner
                if agreement.is_draft:
                    svc.action_create(**call, agreement_target=row, data=data, schedule=schedule)
                else:
                    action = Action(
                        instansi_id=instansi.pk, agreement=agreement, agreement_target=row
                    )
                    svc._clean_action(action, agreement, data)
                    svc.clean_schedule(agreement, schedule)
                    bulk.append((action, schedule))
                added += 1
    if bulk:
        Action.objects.bulk_create([a for a, _s in bulk])
        numbers = {s.number: s for s in sub_periods}
        ActionSchedule.objects.bulk_create(
            ActionSchedule(
                action=a,
                sub_period=numbers[r["sub_period"]],
                planned_output=r["planned_output"],
                weight=r["weight"],
            )
            for a, rows in bulk
            for r in rows
        )
        record_many(
            actor=None,
            action="action.create",
            instansi_id=instansi.pk,
            reason="load_demo",
            entries=(
                {
                    "target_type": "performance.action",
                    "target_id": a.pk,
                    "target_repr": str(a),
                    "unit_id": a.unit_id,
                    "unit_path": a.unit.path,
                    "changes": {"agreement": [None, a.agreement_id], "code": [None, a.code]},
                }
                for a, _rows in bulk
            ),
        )
    return added


def demo_actions_run(ctx) -> str:
    """The action plans of the current year's and the demo's other years' agreements."""
    instansi = ctx.instansi
    years = sorted(
        set(Agreement.objects.filter(instansi=instansi).values_list("year", flat=True))
        | {timezone.localdate().year}
    )
    added = sum(demo_actions(instansi, year) for year in years)
    return _("%(n)d actions added") % {"n": added}


def demo_actions_wipe(ctx) -> str:
    """Remove the instansi's action plans (their audit events stay)."""
    instansi = ctx.instansi
    ActionProgress.objects.filter(action__instansi=instansi).delete()
    ActionSchedule.objects.filter(action__instansi=instansi).delete()
    count = 0
    for level in (3, 2, 1):
        count += (
            Action.objects.filter(instansi=instansi, level=level)
            .delete()[1]
            .get("performance.Action", 0)
        )
    return _("removed %(n)d actions") % {"n": count}

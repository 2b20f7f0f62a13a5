"""The load_demo step of the action plans of the 2023 refreshment ("Refreshment Manajemen
Pemerintah Tahun 2023", its 61 heads of agency enrolled by the earlier training steps).

Everything goes through the services, replayed on the day each thing happened
(`services.action_plans.as_of`): on the event's last day each participant writes a plan
linked to 1 or 2 targets of their own 2023 agreement (PK), or to a result of their 2023 SKP
when they hold no agreement, with three milestones through 2023, and submits it. The mentor
defaults to the superior from the reporting lines (one person for all the heads); on
16 January the organiser delegates the mentors by agency to three senior heads of the
Setda's bureaus standing in for the Sekda's assistants (the demo's organisation has no
assistant posts), each bureau head keeping the default mentor for their own plan. The mentor
approves; progress is reported in March, June and November (each report a feedback entry on
the SKP); the reviews at 3, 6 and 12 months (April 2023, July 2023, January 2024) come from
the participant, the mentor and, for every third plan, an invited peer, with about 70 %, 65 %
and 60 % of the plans on track. A head who left the service before a review gives none.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import Employee

from .action_plan_rules import review_due
from .choices import ParticipantStatus
from .models import ActionPlan, Event, Participant, ProgressUpdate
from .selectors_action_plans import own_targets
from .services import action_plans as svc

TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
ON_TRACK = {3: 70, 6: 65, 12: 60}  # percent of the plans on track at each review
MENTOR_BUREAUS = 3  # the bureau heads standing in for the Sekda's assistants
PLANS = (
    "Percepatan layanan {area} berbasis digital",
    "Penguatan kolaborasi lintas sektor untuk {area}",
    "Budaya kerja berorientasi hasil di {area}",
    "Inovasi pelayanan publik {area} tanpa tatap muka",
)
CHANGES = (
    "Waktu layanan turun setengahnya dan setiap permohonan dapat dilacak daring.",
    "Setiap program prioritas punya mitra dan indikator bersama yang dipantau triwulanan.",
    "Setiap bidang menyusun target triwulanan dan membahas capaiannya dalam dialog kinerja.",
)
MILESTONES = (
    ("Rancangan dan SK tim aksi perubahan", dt.date(2023, 3, 31)),
    ("Uji coba dan sosialisasi kepada pemangku kepentingan", dt.date(2023, 6, 30)),
    ("Penerapan penuh dan evaluasi", dt.date(2023, 12, 15)),
)
PROGRESS_DAYS = (dt.date(2023, 3, 20), dt.date(2023, 6, 20), dt.date(2023, 11, 30))


def _stable(text: str) -> int:
    return zlib.crc32(text.encode())


def _organiser(instansi_id: int) -> Scope:
    return Scope(instansi_id=instansi_id, grants=(Grant(frozenset({Action.MANAGE_TRAINING})),))


def _as(employee_id: int, instansi_id: int) -> Scope:
    return Scope(instansi_id=instansi_id, employee_id=employee_id)


def _event(instansi) -> Event | None:
    return Event.objects.filter(instansi=instansi, title=TITLE).first()


def demo_action_plans_run(ctx) -> str:
    instansi = ctx.instansi
    event = _event(instansi)
    if event is None:
        return _("no 2023 refreshment event: no action plans")
    if ActionPlan.objects.filter(participant__event=event).exists():
        return _("action plans already there")
    parts = list(
        Participant.objects.filter(event=event)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .select_related("employee", "agency", "unit")
        .order_by("agency__sort_key", "pk")
    )
    iid = instansi.pk
    written = []
    with svc.as_of(event.ends_on):
        for i, part in enumerate(parts):
            scope = _as(part.employee_id, iid)
            area = part.unit_name.replace("Dinas ", "").replace("Badan ", "") or "perangkat daerah"
            plan = svc.action_plan_write(
                actor=None,
                scope=scope,
                participant=part,
                title=PLANS[i % len(PLANS)].format(area=area)[:300],
                change=CHANGES[i % len(CHANGES)],
            )
            targets, results = own_targets(part.employee_id, event.year)
            targets = list(targets[:2])
            count = 1 + _stable(part.employee.nip or str(part.pk)) % 2
            for row in targets[:count]:
                svc.action_plan_link(actor=None, scope=scope, plan=plan, agreement_target=row)
            if not targets:
                first = results.first()
                if first is not None:
                    svc.action_plan_link(actor=None, scope=scope, plan=plan, plan_result=first)
            link = plan.links.order_by("pk").first()
            for n, (title, due) in enumerate(MILESTONES):
                svc.milestone_add(
                    actor=None,
                    scope=scope,
                    plan=plan,
                    title=title,
                    due_on=due,
                    link=link if n == 0 else None,
                )
            if link is not None:
                svc.action_plan_submit(actor=None, scope=scope, plan=plan)
                written.append(plan)
    # The organiser shares the mentoring among three bureau heads of the Setda.
    bureaus = [p for p in parts if p.unit.parent_id is not None][:MENTOR_BUREAUS]
    own = {p.agency_id for p in bureaus}
    mentors = {}
    agencies = sorted({p.agency_id for p in parts} - own)
    for n, agency_id in enumerate(agencies):
        if bureaus:
            mentors[agency_id] = bureaus[n % len(bureaus)].employee
    # The bureau heads' own plans: the Sekda (head of the Setda) when the lines name nobody.
    sekda = (
        Employee.objects.filter(
            position__unit_id=bureaus[0].unit.parent_id, position__is_head=True, is_active=True
        ).first()
        if bureaus
        else None
    )
    if sekda is not None and any(p.mentor_id is None for p in written if p.participant in bureaus):
        mentors.update({agency_id: sekda for agency_id in own})
    if mentors:
        with svc.as_of(dt.date(2023, 1, 16)):
            svc.mentor_delegate(
                actor=None,
                scope=_organiser(iid),
                event=event,
                mentors=mentors,
                reason="Satu atasan tidak dapat membina 61 kepala perangkat daerah: pembinaan "
                "dibagi kepada kepala biro senior di Sekretariat Daerah.",
            )
    approved = []
    with svc.as_of(dt.date(2023, 1, 20)):
        for plan in written:
            plan.refresh_from_db()
            if plan.mentor_id:
                svc.action_plan_approve(actor=None, scope=_as(plan.mentor_id, iid), plan=plan)
                approved.append(plan)
    active = set(
        Employee.objects.filter(instansi=instansi, is_active=True).values_list("pk", flat=True)
    )
    _progress(approved, iid)
    _reviews(approved, event, iid, active)
    return _("%(plans)d action plans, %(approved)d approved") % {
        "plans": len(written),
        "approved": len(approved),
    }


def _on_track(plans: list[ActionPlan], month: int) -> set[int]:
    """The plans on track at ``month``: the share of `ON_TRACK`, chosen by a stable order."""
    ranked = sorted(plans, key=lambda p: _stable(f"{p.participant.employee_id}|{month}"))
    return {p.pk for p in ranked[: round(len(plans) * ON_TRACK[month] / 100)]}


def _progress(plans: list[ActionPlan], iid: int) -> None:
    good = _on_track(plans, 6)
    for n, day in enumerate(PROGRESS_DAYS):
        with svc.as_of(day):
            for plan in plans:
                milestones = list(plan.milestones.order_by("position"))
                percent = 100 if plan.pk in good else (60 if n < 2 else 70)
                evidence = (
                    "Notulen rapat tim dan laporan kemajuan"
                    if n < 2
                    else "Laporan pelaksanaan aksi perubahan"
                )
                svc.progress_update(
                    actor=None,
                    scope=_as(plan.participant.employee_id, iid),
                    milestone=milestones[n],
                    percent=percent,
                    evidence=evidence,
                )


def _reviews(plans: list[ActionPlan], event, iid: int, active: set[int]) -> None:
    """Self and mentor for every plan; an invited peer (the next plan's participant) for every
    third. On track: self and mentor say so (the peer behind: still 2 of 3). Not on track: the
    mentor and the peer say behind or stalled (1 of 2 is a tie: not on track)."""
    for month in (3, 6, 12):
        good = _on_track(plans, month)
        day = review_due(event, month) - dt.timedelta(days=3)
        with svc.as_of(day):
            for n, plan in enumerate(plans):
                me = plan.participant.employee_id
                peer = plans[(n + 1) % len(plans)].participant.employee_id if n % 3 == 0 else None
                if peer in (me, plan.mentor_id):
                    peer = None
                if peer is not None and peer in active:
                    svc.review_invite(
                        actor=None, scope=_as(me, iid), plan=plan, month=month, peer=peer
                    )
                else:
                    peer = None
                on = plan.pk in good
                mentor_says = "behind"
                if on:
                    mentor_says = "ahead" if n % 4 == 0 else "on_track"
                answers = [
                    (me, "on_track" if on or n % 2 else "behind"),
                    (plan.mentor_id, mentor_says),
                ]
                if peer is not None:
                    answers.append((peer, "behind" if on else "stalled"))
                for who, progress in answers:
                    if who is None or who not in active:
                        continue
                    svc.review_submit(
                        actor=None,
                        scope=_as(who, iid),
                        plan=plan,
                        month=month,
                        progress=progress,
                        comment=_comment(progress),
                    )


def _comment(progress: str) -> str:
    return {
        "ahead": "Melampaui jadwal; hasil sudah dirasakan pengguna layanan.",
        "on_track": "Sesuai rencana; tonggak capaian terpenuhi.",
        "behind": "Tertinggal dari jadwal; perlu dukungan anggaran dan SDM.",
        "stalled": "Belum bergerak sejak tinjauan sebelumnya.",
    }[progress]


def demo_action_plans_wipe(ctx) -> str:
    """Remove the event's action plans and the SKP feedback entries their progress wrote
    (their audit events stay)."""
    from kinerja.performance.models import PlanDialogue

    event = _event(ctx.instansi)
    if event is None:
        return _("no action plans")
    feedback = list(
        ProgressUpdate.objects.filter(milestone__action_plan__participant__event=event)
        .exclude(feedback=None)
        .values_list("feedback_id", flat=True)
    )
    count = (
        ActionPlan.objects.filter(participant__event=event)
        .delete()[1]
        .get("training.ActionPlan", 0)
    )
    PlanDialogue.objects.filter(pk__in=feedback).delete()
    return _("removed %(n)d action plans") % {"n": count}

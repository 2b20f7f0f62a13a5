"""The load_demo step of collaborations: a handful of targets of the demo agencies shared
across agencies, with invitations accepted (each with its supporting result), declined with
a reason, and still open. Written through the services, so each row has its audit event.

Registered from `PerformanceConfig.ready()` after the "planning" step, whose targets it
shares; it is wiped before them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit

from . import aggregates
from .models import Collaboration, CollaborationMember, Goal, Target
from .services import collaboration as services

# (title, shared indicator, [(member agency, weight, answer, (supporting indicator, its
# target) when accepted or the reason when declined)])
DEMO = (
    (
        "Pendidikan menengah yang sehat dan inklusif",
        "IKU-DINDIK-01",
        [
            ("Dinas Kesehatan", "30", "accept", ("Persentase SMA/SMK dengan UKS aktif", "75")),
            (
                "Dinas Sosial",
                "20",
                "accept",
                ("Persentase anak putus sekolah yang kembali bersekolah", "60"),
            ),
        ],
    ),
    (
        "Percepatan penurunan stunting",
        "IKU-DINKES-01",
        [
            (
                "Dinas Sosial",
                "25",
                "accept",
                ("Persentase keluarga miskin berisiko stunting yang mendapat bantuan", "80"),
            ),
            ("Dinas Pendidikan", "15", None, ""),
        ],
    ),
    (
        "Layanan perizinan terpadu berbasis elektronik",
        "DISKOMINFO-01",
        [
            (
                "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                "40",
                "decline",
                "Sistem perizinan mengikuti OSS nasional; tidak ada target daerah tersendiri.",
            ),
        ],
    ),
)


def demo_collaborations(instansi, year: int) -> dict[str, int]:
    """Share the demo agencies' targets of ``year``; return how many of each were made."""
    call = {
        "actor": None,
        "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),)),
    }
    agencies = {u.name: u for u in OrgUnit.objects.filter(instansi=instansi, parent__isnull=True)}
    counts = {"collaborations": 0, "accepted": 0, "declined": 0, "invited": 0}
    for title, code, members in DEMO:
        target = (
            Target.objects.filter(instansi=instansi, year=year, indicator__code=code)
            .select_related("indicator__unit")
            .first()
        )
        if target is None or hasattr(target, "collaboration"):
            continue
        collab = services.collaboration_create(
            **call, instansi=instansi, data={"target": target, "title": title}
        )
        counts["collaborations"] += 1
        for number, (name, weight, answer, text) in enumerate(members, start=1):
            unit = agencies.get(name)
            goal = Goal.objects.filter(unit=unit, level="agency_target").order_by("code").first()
            if unit is None or goal is None:
                continue
            member = services.collaboration_invite(
                **call, collaboration=collab, version=collab.version, unit=unit, weight=weight
            )
            collab.refresh_from_db()
            if answer == "accept":
                services.collaboration_accept(
                    **call,
                    member=member,
                    version=collab.version,
                    data={
                        "goal": goal,
                        "code": f"{code}-KOL{number}",
                        "name": text[0],
                        "value": text[1],
                    },
                )
                counts["accepted"] += 1
            elif answer == "decline":
                services.collaboration_decline(
                    **call, member=member, version=collab.version, reason=text
                )
                counts["declined"] += 1
            else:
                counts["invited"] += 1
            collab.refresh_from_db()
    return counts


@aggregates.batched
def demo_collaborations_run(ctx) -> str:
    """Share the demo targets of the current year (2026 when the plan has none for it)."""
    instansi = ctx.instansi
    existing = Collaboration.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d collaborations already") % {"n": existing}
    year = timezone.localdate().year
    if not Target.objects.filter(instansi=instansi, year=year).exists():
        year = 2026
    counts = demo_collaborations(instansi, year)
    return (
        _(
            "%(collaborations)d collaborations: %(accepted)d invitations accepted, %(declined)d "
            "declined, %(invited)d waiting"
        )
        % counts
    )


def demo_collaborations_wipe(ctx) -> str:
    """Remove the instansi's collaborations (the supporting results go with the plan)."""
    instansi = ctx.instansi
    CollaborationMember.objects.filter(collaboration__instansi=instansi).delete()
    n, _x = Collaboration.objects.filter(instansi=instansi).delete()
    return _("removed %(n)d collaborations") % {"n": n}

"""The demo's AKIP step (``load_demo``, order 140, after the agreements, action plans and
evaluations): the worksheets of the demo's first year for a handful of agencies, started with
the system's suggestions; one (Dinas Pendidikan) answered in full, finalised, with
recommendations and the agency's follow-ups; and that agency's worksheet of this year, whose
suggestions read last year's recommendations. Everything goes through the services; the
grades the system does not suggest follow a fixed pattern, so every run is the same."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import Agreement

from . import lke_rules, services
from .models import Answer, Evaluation, FollowUp, Recommendation

DATA = Path(__file__).resolve().parent / "data"


def _spec() -> dict:
    return json.loads((DATA / "demo_akip.json").read_text(encoding="utf-8"))


def _first_year() -> int:
    raw = json.loads(
        (Path(__file__).resolve().parents[1] / "performance" / "data" / "demo_plan.json").read_text(
            encoding="utf-8"
        )
    )
    return int(raw["periods"]["first_year"])


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def demo_akip_run(ctx) -> str:
    instansi = ctx.instansi
    spec = _spec()
    year = _first_year()
    this_year = timezone.localdate().year
    inspector = _user("inspektorat")
    scope = Scope(
        instansi_id=instansi.pk,
        grants=(Grant(actions=Action.ALL, role="inspektorat"),),
        user_id=getattr(inspector, "pk", None),
    )
    with_pk = set(
        Agreement.objects.filter(instansi=instansi, year=year, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    agencies = [
        a
        for a in OrgUnit.objects.filter(instansi=instansi, parent__isnull=True).order_by("sort_key")
        if a.pk in with_pk
    ]
    final = next((a for a in agencies if a.name == spec["final_agency"]), None)
    chosen = agencies[: spec["agencies"]]
    if final is not None and final not in chosen:
        chosen = [final, *chosen[: spec["agencies"] - 1]]
    started = 0
    for index, agency in enumerate(chosen):
        if Evaluation.objects.filter(agency=agency, year=year).exists():
            continue
        budget = None
        if index == spec["late_budget"]["agency_index"]:
            budget = dt.date.fromisoformat(
                f"{year - 1}-{spec['late_budget']['budget_approved_on']}"
            )
        services.evaluation_start(
            actor=inspector,
            scope=scope,
            agency=agency,
            year=year,
            budget_approved_on=budget,
            as_of=dt.date(year + 1, 3, 31),
        )
        started += 1
    recs = 0
    if final is not None:
        evaluation = Evaluation.objects.get(agency=final, year=year)
        if not evaluation.is_final:
            _answer_all(evaluation, spec, inspector, scope)
            services.evaluation_finalise(actor=inspector, scope=scope, evaluation=evaluation)
        if not evaluation.recommendations.exists():
            recs = _recommend(evaluation, spec, inspector, scope, final)
        if (
            this_year > year
            and not Evaluation.objects.filter(agency=final, year=this_year).exists()
        ):
            services.evaluation_start(actor=inspector, scope=scope, agency=final, year=this_year)
            started += 1
    return _("%(n)d worksheets started, %(r)d recommendations") % {"n": started, "r": recs}


def _answer_all(evaluation: Evaluation, spec: dict, actor, scope: Scope) -> None:
    p = lke_rules.policy(evaluation.policy_version)
    rows = {a.criterion: a for a in evaluation.answers.all()}
    pattern = spec["pattern"]
    for i, code in enumerate(p.criteria):
        row = rows.get(code)
        if row is not None and row.source == "answered":
            continue
        if row is not None and row.suggested_grade:
            services.answer_set(
                actor=actor,
                scope=scope,
                evaluation=evaluation,
                criterion=code,
                grade=row.suggested_grade,
            )
            continue
        services.answer_set(
            actor=actor,
            scope=scope,
            evaluation=evaluation,
            criterion=code,
            grade=pattern[i % len(pattern)],
            evidence_note=spec["evidence"],
        )


def _recommend(evaluation: Evaluation, spec: dict, actor, scope: Scope, agency: OrgUnit) -> int:
    today = timezone.localdate()
    admin = _user("admin.pendidikan")
    agency_scope = Scope(
        instansi_id=agency.instansi_id,
        grants=(
            Grant(
                actions=frozenset({Action.MANAGE_PLANS}), unit_path=agency.path, role="opd_admin"
            ),
        ),
        user_id=getattr(admin, "pk", None),
    )
    for item in spec["recommendations"]:
        rec = services.recommendation_add(
            actor=actor,
            scope=scope,
            evaluation=evaluation,
            component=item["component"],
            criterion=item.get("criterion", ""),
            text=item["text"],
            due_on=today + dt.timedelta(days=item["due_days"]),
            responsible_unit=agency,
        )
        for note in item["follow_ups"]:
            services.follow_up_add(
                actor=admin, scope=agency_scope, recommendation=rec, on=today, note=note
            )
        if item.get("close") == "done":
            services.recommendation_update(
                actor=actor,
                scope=scope,
                recommendation=rec,
                data={"status": "done", "status_note": "Tindak lanjut telah diverifikasi."},
            )
    return len(spec["recommendations"])


def demo_akip_wipe(ctx) -> str:
    """Remove the instansi's worksheets (their audit events stay)."""
    instansi = ctx.instansi
    FollowUp.objects.filter(recommendation__instansi=instansi).delete()
    Recommendation.objects.filter(instansi=instansi).delete()
    Answer.objects.filter(evaluation__instansi=instansi).delete()
    count = Evaluation.objects.filter(instansi=instansi).delete()[1].get("akip.Evaluation", 0)
    return _("removed %(n)d worksheets") % {"n": count}

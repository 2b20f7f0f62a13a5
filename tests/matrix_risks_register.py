"""The risk register's rows (kinerja/risks): pages and API.

Readers: whoever reads the plans through a unit or across the instansi (leadership, Bappeda,
BKD, BPSDM, the inspektorat, the system administrator, agency A's head and administrator);
the evaluator (a post grant) and the employee read none. Writers: manage_plans over the risk's
unit (agency A's administrator; Bappeda and the system administrator everywhere); the head of
agency reads. Targets: "a" a risk (with a mitigation) of agency A's target and a target of
agency A with no risk, "b" the same in agency B (the risk's title carries LEAK_MARK), "x" the
other instansi's."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from tests.matrix_base import LEAK_MARK, SEE_B, WIDE, Row

READERS = WIDE | {"opd_head", "opd_admin"}
MANAGERS = {"system_admin", "bappeda", "opd_admin"}
WIDE_MANAGERS = {"system_admin", "bappeda"}
READ = {"a": READERS, "b": WIDE, "x": set()}
MANAGE = {"a": MANAGERS, "b": WIDE_MANAGERS, "x": set()}


def extend(world, objects) -> None:
    from kinerja.organisations.models import Position
    from kinerja.performance.models import Goal, Indicator, Target
    from kinerja.risks.models import Mitigation, Risk

    def make(key, agency, title):
        instansi = agency.instansi
        goal = Goal.objects.create(
            instansi=instansi,
            code=f"RSK-{key}",
            name=f"Sasaran risiko {key}",
            level="agency_objective",
            unit=agency,
        )
        targets = []
        for n in (1, 2):
            indicator = Indicator.objects.create(
                instansi=instansi,
                goal=goal,
                unit=agency,
                code=f"RSK-{key}-{n}",
                name=f"Indikator risiko {key} {n}",
                measure_unit="persen",
                control_level="outcome",
            )
            targets.append(
                Target.objects.create(
                    instansi=instansi, indicator=indicator, year=2026, shape="value", value=90
                )
            )
        head = Position.objects.filter(unit=agency, is_head=True).order_by("pk").first()
        risk = Risk.objects.create(
            instansi=instansi,
            target=targets[0],
            unit=agency,
            year=2026,
            title=title,
            category="performance",
            cause="Penyebab uji",
            impact_description="Dampak uji",
            likelihood=4,
            impact=5,
            level=20,
            owner_position=head,
            identified_on=dt.date(2026, 3, 1),
        )
        mitigation = Mitigation.objects.create(
            risk=risk, action="Mitigasi uji", responsible_name="Bidang", due_on=dt.date(2026, 7, 1)
        )
        objects[key].update(
            {
                "risk": risk.pk,
                "risk_mitigation": mitigation.pk,
                "risk_free_target": targets[1].pk,
                "risk_kind": "target",
                "risk_owner": head.pk if head else "",
            }
        )

    make("a", world.agency_a, "Risiko uji Dinas Pendidikan")
    make("b", world.agency_b, LEAK_MARK)  # exactly the mark: the export checks its cells
    make("x", world.agency_x, "Risiko uji Kota Malang")


def _risk_field(field):
    def read(objs, role):
        from kinerja.risks.models import Risk

        return Risk.objects.filter(pk=objs["risk"]).values_list(field, flat=True).first()

    return read


def _mitigation_field(field):
    def read(objs, role):
        from kinerja.risks.models import Mitigation

        return (
            Mitigation.objects.filter(pk=objs["risk_mitigation"])
            .values_list(field, flat=True)
            .first()
        )

    return read


def _risks_of_free_target(objs, role):
    from kinerja.risks.models import Risk

    return Risk.objects.filter(target_id=objs["risk_free_target"]).count()


def _mitigation_count(objs, role):
    from kinerja.risks.models import Mitigation

    return Mitigation.objects.filter(risk_id=objs["risk"]).count()


def _const(value):
    return lambda objs, role: value


def _api_titles(response, client, objs, role):
    titles = {r["title"] for r in response.json()["results"]}
    assert any(LEAK_MARK in t for t in titles) == (role in SEE_B), role


def _heatmap_book(response, client, objs, role):
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    total = rows[6][-1]  # the live risks within reach: A's, and B's for the wide readers
    assert total == (2 if role in SEE_B else 1), (role, total)


RISK_FORM = {
    "title": "Risiko baru uji",
    "category": "performance",
    "cause": "Penyebab",
    "impact_description": "Dampak",
    "likelihood": "3",
    "impact": "3",
    "identified_on": "2026-03-01",
}
RISK_API = {
    "title": "Risiko API uji",
    "category": "performance",
    "cause": "Penyebab",
    "impact_description": "Dampak",
    "likelihood": 3,
    "impact": 3,
}
MITIGATION_FORM = {"action": "Aksi uji", "responsible_name": "Bidang", "due_on": "2026-08-01"}

ROWS = [
    Row("risks:risk_list", "get", {"-": READERS}, training=True, leak_check=True),
    Row("risks:risk_export", "get", {"-": READERS}, training=True, xlsx=True),
    Row("risks:heatmap", "get", {"-": READERS}, training=True),
    Row("risks:heatmap_export", "get", {"-": READERS}, training=True, verify=_heatmap_book),
    Row("risks:risk_pick", "get", {"-": MANAGERS}, training=True),
    Row(
        "risks:risk_create",
        "get",
        MANAGE,
        kwargs={"kind": "risk_kind", "pk": "risk_free_target"},
        training=True,
    ),
    Row(
        "risks:risk_create",
        "post",
        MANAGE,
        data=RISK_FORM,
        ok=(302,),
        state=_risks_of_free_target,
        expect=_const(1),
        kwargs={"kind": "risk_kind", "pk": "risk_free_target"},
        training=True,
    ),
    Row(
        "risks:risk_from_target",
        "get",
        MANAGE,
        kwargs={"target": "risk_free_target"},
        training=True,
    ),
    Row(
        "risks:risk_from_target",
        "post",
        MANAGE,
        data={"projected_percent": "72", "threshold": "90"},
        ok=(302,),
        state=_risks_of_free_target,
        expect=_const(1),
        kwargs={"target": "risk_free_target"},
        training=True,
    ),
    Row("risks:risk_detail", "get", READ, kwargs={"pk": "risk"}, training=True),
    Row("risks:risk_update", "get", MANAGE, kwargs={"pk": "risk"}, training=True),
    Row(
        "risks:risk_update",
        "post",
        MANAGE,
        data={**RISK_FORM, "title": "Judul diubah", "status": "open"},
        ok=(302,),
        state=_risk_field("title"),
        expect=_const("Judul diubah"),
        kwargs={"pk": "risk"},
        training=True,
    ),
    Row("risks:risk_close", "get", MANAGE, kwargs={"pk": "risk"}, training=True),
    Row(
        "risks:risk_close",
        "post",
        MANAGE,
        data={"status": "closed", "reason": "Sudah tertangani", "closed_on": "2026-09-01"},
        ok=(302,),
        state=_risk_field("status"),
        expect=_const("closed"),
        kwargs={"pk": "risk"},
        training=True,
    ),
    Row("risks:mitigation_create", "get", MANAGE, kwargs={"pk": "risk"}, training=True),
    Row(
        "risks:mitigation_create",
        "post",
        MANAGE,
        data=MITIGATION_FORM,
        ok=(302,),
        state=_mitigation_count,
        expect=_const(2),
        kwargs={"pk": "risk"},
        training=True,
    ),
    Row("risks:mitigation_update", "get", MANAGE, kwargs={"pk": "risk_mitigation"}, training=True),
    Row(
        "risks:mitigation_update",
        "post",
        MANAGE,
        data={**MITIGATION_FORM, "status": "in_progress", "progress_percent": "50"},
        ok=(302,),
        state=_mitigation_field("status"),
        expect=_const("in_progress"),
        kwargs={"pk": "risk_mitigation"},
        training=True,
    ),
    # API
    Row("api:risk-list", "get", {"-": READERS}, api=True, training=True, verify=_api_titles),
    Row(
        "api:risk-list",
        "post",
        MANAGE,
        api=True,
        data=lambda objs, role: {**RISK_API, "target": objs["risk_free_target"]},
        ok=(201,),
        outside=400,
        state=_risks_of_free_target,
        expect=_const(1),
        training=True,
    ),
    Row("api:risk-detail", "get", READ, api=True, kwargs={"pk": "risk"}, training=True),
    Row(
        "api:risk-detail",
        "patch",
        MANAGE,
        api=True,
        data={"likelihood": 2},
        state=_risk_field("likelihood"),
        expect=_const(2),
        kwargs={"pk": "risk"},
        training=True,
    ),
    Row(
        "api:risk-close",
        "post",
        MANAGE,
        api=True,
        data={"status": "accepted", "reason": "Dalam selera risiko"},
        state=_risk_field("status"),
        expect=_const("accepted"),
        kwargs={"pk": "risk"},
        training=True,
    ),
    Row(
        "api:risk-from-target",
        "post",
        MANAGE,
        api=True,
        data=lambda objs, role: {
            "target": objs["risk_free_target"],
            "projected_percent": "72",
            "threshold": "90",
        },
        ok=(201,),
        outside=400,
        state=_risks_of_free_target,
        expect=_const(1),
        training=True,
    ),
    Row("api:risk-mitigation-list", "get", {"-": READERS}, api=True, training=True),
    Row(
        "api:risk-mitigation-list",
        "post",
        MANAGE,
        api=True,
        data=lambda objs, role: {**MITIGATION_FORM, "risk": objs["risk"]},
        ok=(201,),
        outside=400,
        state=_mitigation_count,
        expect=_const(2),
        training=True,
    ),
    Row(
        "api:risk-mitigation-detail",
        "get",
        READ,
        api=True,
        kwargs={"pk": "risk_mitigation"},
        training=True,
    ),
    Row(
        "api:risk-mitigation-detail",
        "patch",
        MANAGE,
        api=True,
        data={"status": "done"},
        state=_mitigation_field("status"),
        expect=_const("done"),
        kwargs={"pk": "risk_mitigation"},
        training=True,
    ),
]

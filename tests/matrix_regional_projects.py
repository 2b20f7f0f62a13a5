"""The regional app's rows (Perpres 80/2019 areas and projects): its pages and API.

Readers: every role holding `view_planning` (the instansi-wide roles, a head of agency, an
agency administrator, an evaluator); an employee without a grant is refused (403). Writers:
the project office (`manage_goals` across the instansi: Bappeda, the system administrator);
the lead agency's administrator also reports progress and sets milestones' actual dates of the
projects its agency leads (target "a": agency A leads; "b": agency B leads, and agency A's
administrator, who may report elsewhere, is refused with 403 since the project is in read
reach). Another instansi's area, project, milestone or evidence answers 404, or "not found"
(400) when the payload names it. An agency's duties page: the instansi-wide roles any agency,
a head or administrator of agency A their own (agency B's is out of reach, 404).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.core.files.base import ContentFile

from tests.matrix_base import Row

READ = {
    "system_admin",
    "leadership",
    "bappeda",
    "bkd",
    "bpsdm",
    "inspektorat",
    "opd_head",
    "opd_admin",
    "evaluator",
}
OFFICE = {"system_admin", "bappeda"}
REPORT_A = OFFICE | {"opd_admin"}
WIDE = {"system_admin", "leadership", "bappeda", "bkd", "bpsdm", "inspektorat"}
EVIDENCE = b"%PDF-1.4 laporan kemajuan\n"


def extend(world, objects) -> None:
    from kinerja.regional.models import (
        DevelopmentArea,
        Milestone,
        ProgressUpdate,
        Project,
    )

    def area(instansi, code, abbr):
        return DevelopmentArea.objects.create(
            instansi=instansi,
            code=code,
            abbreviation=abbr,
            name=code.title(),
            role="priority",
            published_projects=77,
            order=1,
        )

    def project(area_, lead, code):
        made = Project.objects.create(
            instansi=area_.instansi,
            code=code,
            name=f"Proyek {code}",
            area=area_,
            category="road",
            funding="apbn",
            investment_rp=1_000_000_000,
            lead_agency=lead,
            phase="p1",
            status="construction",
            start_date=dt.date(2021, 1, 1),
        )
        milestone = Milestone.objects.create(
            project=made, name="Konstruksi dimulai", planned_date=dt.date(2021, 6, 1), order=1
        )
        update = ProgressUpdate(
            project=made, date=dt.date(2022, 1, 1), percent=20, status="construction"
        )
        update.evidence_file.save("laporan.pdf", ContentFile(EVIDENCE), save=False)
        update.save()
        return made, milestone, update

    gks = area(world.instansi, "gerbangkertosusila", "GKS")
    other = area(world.other_instansi, "kawasan-malang-raya", "MLG")
    made = {
        "a": (gks, world.agency_a, *project(gks, world.agency_a, "GKS-901")),
        "b": (gks, world.agency_b, *project(gks, world.agency_b, "GKS-902")),
        "x": (other, world.agency_x, *project(other, world.agency_x, "MLG-901")),
    }
    for target, (area_, agency, proj, milestone, update) in made.items():
        objects[target].update(
            {
                "area_code": area_.code,
                "area_pk": gks.pk,
                "agency": agency.pk,
                "agency_a": world.agency_a.pk,
                "project": proj.pk,
                "milestone": milestone.pk,
                "progress": update.pk,
            }
        )
    for target in ("-", "own"):
        objects[target].update(
            {
                "area_pk": gks.pk,
                "agency_a": world.agency_a.pk,
                "project": made["a"][2].pk,
                "milestone": made["a"][3].pk,
                "progress": made["a"][4].pk,
            }
        )


def _project_named(objs, role):
    from kinerja.regional.models import Project

    return Project.objects.filter(pk=objs["project"]).values_list("name", flat=True).first()


def _new_project(objs, role):
    from kinerja.regional.models import Project

    return Project.objects.filter(code="GKS-950").exists()


def _milestones(objs, role):
    from kinerja.regional.models import Milestone

    return Milestone.objects.filter(project_id=objs["project"]).count()


def _actual(objs, role):
    from kinerja.regional.models import Milestone

    return Milestone.objects.filter(pk=objs["milestone"]).values_list("actual_date", flat=True)[0]


def _updates(objs, role):
    from kinerja.regional.models import ProgressUpdate

    return ProgressUpdate.objects.filter(project_id=objs["project"]).count()


def _form(objs, role):
    return {
        "code": "GKS-950",
        "name": "Proyek Matriks",
        "area": objs["area_pk"],
        "category": "road",
        "funding": "apbn",
        "investment_rp": "1000",
        "lead_agency": objs["agency_a"],
        "phase": "p2",
        "status": "planning",
        "land_status": "unknown",
    }


def _api_project(objs, role):
    return {
        "code": "GKS-950",
        "name": "Proyek Matriks",
        "area": "gerbangkertosusila",
        "category": "road",
        "funding": "apbn",
        "lead_agency": objs["agency_a"],
        "phase": "p2",
    }


def _status_book(response, client, objs, role):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "Status", role


def _project_book(response, client, objs, role):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "Kode Proyek", role


ON_PROJECT = {"a": READ, "x": set()}
PROGRESS = {"date": "2023-03-31", "percent": "35", "status": "construction"}
MILESTONE = {"name": "Pengadaan lahan", "planned_date": "2021-03-01"}
MILESTONE_EDIT = {
    "name": "Konstruksi dimulai",
    "planned_date": "2021-06-01",
    "actual_date": "2021-07-01",
}

ROWS = [
    Row("regional:area_list", "get", {"-": READ}, training=True),
    Row("regional:area_detail", "get", ON_PROJECT, kwargs={"code": "area_code"}, training=True),
    Row(
        "regional:area_status_xlsx",
        "get",
        ON_PROJECT,
        kwargs={"code": "area_code"},
        training=True,
        verify=_status_book,
    ),
    Row("regional:project_list", "get", {"-": READ}, training=True),
    Row("regional:project_export", "get", {"-": READ}, training=True, verify=_project_book),
    Row("regional:project_create", "get", {"-": OFFICE}, training=True),
    Row(
        "regional:project_create",
        "post",
        {"-": OFFICE},
        data=_form,
        ok=(302,),
        state=_new_project,
        expect=lambda objs, role: True,
        training=True,
    ),
    Row(
        "regional:project_detail",
        "get",
        {"a": READ, "b": READ, "x": set()},
        kwargs={"pk": "project"},
        training=True,
    ),
    Row(
        "regional:project_update",
        "get",
        {"a": OFFICE, "x": set()},
        kwargs={"pk": "project"},
        training=True,
    ),
    Row(
        "regional:project_update",
        "post",
        {"a": OFFICE, "x": set()},
        kwargs={"pk": "project"},
        data=lambda objs, role: {**_form(objs, role), "code": "GKS-901", "name": "Nama Baru"},
        ok=(302,),
        state=_project_named,
        expect=lambda objs, role: "Nama Baru",
        training=True,
    ),
    Row(
        "regional:milestone_add",
        "post",
        {"a": OFFICE, "x": set()},
        kwargs={"pk": "project"},
        data=MILESTONE,
        ok=(302,),
        state=_milestones,
        expect=lambda objs, role: 2,
        training=True,
    ),
    # Agency A's administrator reports on A's projects only; B's is in read reach: 403.
    Row(
        "regional:milestone_update",
        "get",
        {"a": REPORT_A, "b": OFFICE},
        kwargs={"pk": "milestone"},
        outside=403,
        training=True,
    ),
    Row(
        "regional:milestone_update",
        "post",
        {"a": REPORT_A, "b": OFFICE},
        kwargs={"pk": "milestone"},
        data=MILESTONE_EDIT,
        ok=(302,),
        outside=403,
        state=_actual,
        expect=lambda objs, role: dt.date(2021, 7, 1),
        training=True,
    ),
    Row(
        "regional:progress_add",
        "post",
        {"a": REPORT_A, "b": OFFICE},
        kwargs={"pk": "project"},
        data=PROGRESS,
        ok=(302,),
        outside=403,
        state=_updates,
        expect=lambda objs, role: 2,
        training=True,
    ),
    Row(
        "regional:progress_evidence",
        "get",
        ON_PROJECT,
        kwargs={"pk": "progress"},
        body=EVIDENCE,
        training=True,
    ),
    Row("regional:agency_duties_index", "get", {"-": READ}, ok=(200, 302), training=True),
    Row(
        "regional:agency_duties",
        "get",
        {"a": WIDE | {"opd_head", "opd_admin"}, "b": WIDE, "x": set()},
        kwargs={"pk": "agency"},
        training=True,
    ),
    # API
    Row("api:regional-area-list", "get", {"-": READ}, api=True, training=True),
    Row(
        "api:regional-area-detail",
        "get",
        ON_PROJECT,
        api=True,
        kwargs={"code": "area_code"},
        training=True,
    ),
    Row("api:regional-project-list", "get", {"-": READ}, api=True, training=True),
    Row(
        "api:regional-project-list",
        "post",
        {"-": OFFICE},
        api=True,
        data=_api_project,
        ok=(201,),
        state=_new_project,
        expect=lambda objs, role: True,
        training=True,
    ),
    Row(
        "api:regional-project-detail",
        "get",
        ON_PROJECT,
        api=True,
        kwargs={"pk": "project"},
        training=True,
    ),
    Row(
        "api:regional-project-detail",
        "patch",
        {"a": OFFICE, "x": set()},
        api=True,
        kwargs={"pk": "project"},
        data={"name": "Nama Baru"},
        state=_project_named,
        expect=lambda objs, role: "Nama Baru",
        training=True,
    ),
    Row("api:regional-milestone-list", "get", {"-": READ}, api=True, training=True),
    Row(
        "api:regional-milestone-list",
        "post",
        {"a": OFFICE, "x": set()},
        api=True,
        data=lambda objs, role: {**MILESTONE, "project": objs["project"]},
        ok=(201,),
        outside=400,
        state=_milestones,
        expect=lambda objs, role: 2,
        training=True,
    ),
    Row(
        "api:regional-milestone-detail",
        "get",
        ON_PROJECT,
        api=True,
        kwargs={"pk": "milestone"},
        training=True,
    ),
    Row(
        "api:regional-milestone-detail",
        "patch",
        {"a": REPORT_A, "b": OFFICE},
        api=True,
        kwargs={"pk": "milestone"},
        data={"actual_date": "2021-07-01"},
        outside=403,
        state=_actual,
        expect=lambda objs, role: dt.date(2021, 7, 1),
        training=True,
    ),
    Row("api:regional-progress-update-list", "get", {"-": READ}, api=True, training=True),
    Row(
        "api:regional-progress-update-list",
        "post",
        {"a": REPORT_A, "b": OFFICE},
        api=True,
        data=lambda objs, role: {**PROGRESS, "project": objs["project"]},
        ok=(201,),
        outside=403,
        state=_updates,
        expect=lambda objs, role: 2,
        training=True,
    ),
    Row(
        "api:regional-progress-update-detail",
        "get",
        ON_PROJECT,
        api=True,
        kwargs={"pk": "progress"},
        training=True,
    ),
]

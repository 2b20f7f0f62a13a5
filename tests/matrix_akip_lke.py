"""The AKIP evaluation's rows: the overview and its workbook, the worksheet of an agency and
year, its start, answers, refresh and finalisation, the recommendations and follow-ups, and
the API. Readers: the Inspektorat and the system administrator (who fill the sheets), the
leadership and Bappeda across the instansi, an agency's head and administrator their own
agency (agency A); BKD, BPSDM, the evaluator and the employee none (403). Writers: the
Inspektorat and the system administrator; follow-ups: agency A's head and administrator (and
the system administrator). A sheet of another agency or instansi answers 404.

`extend` writes per target a draft worksheet of last year (every criterion answered BB by the
evaluator, so it can be finalised) with one recommendation; "a" is agency A's, "b" agency B's
(its recommendation's text marks it: B_MARK), "x" the other instansi's."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.utils import timezone

from tests.matrix_base import Row

READERS = {"system_admin", "inspektorat", "leadership", "bappeda", "opd_head", "opd_admin"}
WIDE = {"system_admin", "inspektorat", "leadership", "bappeda"}
EVAL = {"system_admin", "inspektorat"}
FOLLOW_A = {"system_admin", "opd_head", "opd_admin"}
ON_SHEET = {"a": READERS, "b": WIDE, "x": set()}
WRITE = {"a": EVAL, "b": EVAL, "x": set()}
FOLLOW = {"a": FOLLOW_A, "b": {"system_admin"}, "x": set()}
B_MARK = "Rekomendasi uji Dinas Kesehatan"
NEW_TEXT = "Rekomendasi baru uji"


def _year() -> int:
    return timezone.localdate().year - 1


def extend(world, objects):
    from kinerja.akip.lke_rules import policy_for_year
    from kinerja.akip.models import Answer, Evaluation, Recommendation

    year = _year()
    p = policy_for_year(year)
    now = timezone.now()
    for target, agency in (("a", world.agency_a), ("b", world.agency_b), ("x", world.agency_x)):
        evaluation = Evaluation.objects.create(
            instansi_id=agency.instansi_id, agency=agency, year=year, policy_version=p.version
        )
        Answer.objects.bulk_create(
            Answer(
                evaluation=evaluation,
                criterion=code,
                grade="BB",
                source="answered",
                evidence_note="dokumen",
                answered_at=now,
            )
            for code in p.criteria
        )
        rec = Recommendation.objects.create(
            instansi_id=agency.instansi_id,
            evaluation=evaluation,
            component="1",
            text=B_MARK if target == "b" else f"Rekomendasi uji {agency.name}",
            due_on=timezone.localdate() + dt.timedelta(days=30),
            responsible_unit=agency,
        )
        objects[target].update(
            akip_eval=evaluation.pk,
            akip_agency=agency.pk,
            akip_year=year,
            akip_start_year=year - 1,
            akip_rec=rec.pk,
            akip_code="1.1.1",
        )
    objects["-"].update(objects["a"])


def _count_evaluations(objs, role):
    from kinerja.akip.models import Evaluation

    return Evaluation.objects.filter(
        agency_id=objs["akip_agency"], year=objs["akip_start_year"]
    ).count()


def _status(objs, role):
    from kinerja.akip.models import Evaluation

    return Evaluation.objects.get(pk=objs["akip_eval"]).status


def _budget(objs, role):
    from kinerja.akip.models import Evaluation

    return Evaluation.objects.get(pk=objs["akip_eval"]).budget_approved_on


def _grade(objs, role):
    from kinerja.akip.models import Answer

    return Answer.objects.get(evaluation_id=objs["akip_eval"], criterion="1.1.1").grade


def _new_recs(objs, role):
    from kinerja.akip.models import Recommendation

    return Recommendation.objects.filter(evaluation_id=objs["akip_eval"], text=NEW_TEXT).count()


def _rec_text(objs, role):
    from kinerja.akip.models import Recommendation

    return Recommendation.objects.get(pk=objs["akip_rec"]).text


def _follow_ups(objs, role):
    from kinerja.akip.models import FollowUp

    return FollowUp.objects.filter(recommendation_id=objs["akip_rec"]).count()


def _const(value):
    return lambda objs, role: value


def _budget_day(objs, role):
    return dt.date(objs["akip_year"], 1, 10)


def _budget_data(objs, role):
    return {"budget_approved_on": _budget_day(objs, role).isoformat()}


def _rec_data(objs, role):
    return {
        "evaluation": objs["akip_eval"],
        "component": "1",
        "criterion": "",
        "text": NEW_TEXT,
        "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "responsible_unit": objs["akip_agency"],
    }


def _edit_data(objs, role):
    return {**_rec_data(objs, role), "status": "open", "status_note": ""}


FOLLOW_DATA = {"note": "Sudah ditindaklanjuti", "evidence_link": ""}


def _follow_data(objs, role):
    return {**FOLLOW_DATA, "on": timezone.localdate().isoformat()}


def _shows_b(response, client, objs, role):
    body = response.content.decode()
    assert ("Dinas Kesehatan" in body) == (role in WIDE), role


def _workbook(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert ("Dinas Kesehatan" in cells) == (role in WIDE), role
    assert "Dinas Pendidikan" in cells


def _sheet_book(response, client, objs, role):
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:3] == ("1", "Perencanaan Kinerja", 30), rows[1]
    assert rows[-1][1] in {"Total", "Nilai prediksi", "Predicted score"}


def _lists_b(response, client, objs, role):
    body = response.content.decode()
    assert (B_MARK in body) == (role in WIDE), role


SHEET = {"agency": "akip_agency", "year": "akip_year"}
EVALUATION = {"pk": "akip_eval"}
REC = {"pk": "akip_rec"}

ROWS = [
    Row("akip:overview", "get", {"-": READERS}, training=True, verify=_shows_b),
    Row("akip:overview_xlsx", "get", {"-": READERS}, training=True, verify=_workbook),
    Row("akip:sheet", "get", ON_SHEET, kwargs=SHEET, training=True),
    Row("akip:sheet_xlsx", "get", ON_SHEET, kwargs=SHEET, training=True, verify=_sheet_book),
    Row(
        "akip:evaluation_start",
        "post",
        WRITE,
        kwargs={"agency": "akip_agency", "year": "akip_start_year"},
        ok=(302,),
        state=_count_evaluations,
        expect=_const(1),
        training=True,
    ),
    Row(
        "akip:evaluation_refresh",
        "post",
        WRITE,
        kwargs=EVALUATION,
        data=_budget_data,
        ok=(302,),
        state=_budget,
        expect=_budget_day,
        training=True,
    ),
    Row(
        "akip:evaluation_finalise",
        "post",
        WRITE,
        kwargs=EVALUATION,
        ok=(302,),
        state=_status,
        expect=_const("final"),
        training=True,
    ),
    Row(
        "akip:answer_set",
        "get",
        WRITE,
        kwargs={"pk": "akip_eval", "code": "akip_code"},
        training=True,
    ),
    Row(
        "akip:answer_set",
        "post",
        WRITE,
        kwargs={"pk": "akip_eval", "code": "akip_code"},
        data={"grade": "A", "evidence_note": "bukti baru"},
        ok=(302,),
        state=_grade,
        expect=_const("A"),
        training=True,
    ),
    Row("akip:recommendation_add", "get", WRITE, kwargs=EVALUATION, training=True),
    Row(
        "akip:recommendation_add",
        "post",
        WRITE,
        kwargs=EVALUATION,
        data=_rec_data,
        ok=(302,),
        state=_new_recs,
        expect=_const(1),
        training=True,
    ),
    Row("akip:recommendation_list", "get", {"-": READERS}, training=True, verify=_lists_b),
    Row("akip:recommendation_detail", "get", ON_SHEET, kwargs=REC, training=True),
    Row("akip:recommendation_edit", "get", WRITE, kwargs=REC, training=True),
    Row(
        "akip:recommendation_edit",
        "post",
        WRITE,
        kwargs=REC,
        data=_edit_data,
        ok=(302,),
        state=_rec_text,
        expect=_const(NEW_TEXT),
        training=True,
    ),
    Row(
        "akip:follow_up_add",
        "post",
        FOLLOW,
        kwargs=REC,
        data=_follow_data,
        ok=(302,),
        state=_follow_ups,
        expect=_const(1),
        training=True,
    ),
    # API
    Row(
        "api:akip-evaluation-list", "get", {"-": READERS}, api=True, training=True, verify=_shows_b
    ),
    Row(
        "api:akip-evaluation-list",
        "post",
        WRITE,
        api=True,
        data=lambda objs, role: {"agency": objs["akip_agency"], "year": objs["akip_start_year"]},
        ok=(201,),
        state=_count_evaluations,
        expect=_const(1),
        outside=400,
        training=True,
    ),
    Row("api:akip-evaluation-detail", "get", ON_SHEET, api=True, kwargs=EVALUATION, training=True),
    Row(
        "api:akip-evaluation-answers",
        "post",
        WRITE,
        api=True,
        kwargs=EVALUATION,
        data={"criterion": "1.1.1", "grade": "A", "evidence_note": "bukti baru"},
        state=_grade,
        expect=_const("A"),
        training=True,
    ),
    Row(
        "api:akip-evaluation-refresh",
        "post",
        WRITE,
        api=True,
        kwargs=EVALUATION,
        data=_budget_data,
        state=_budget,
        expect=_budget_day,
        training=True,
    ),
    Row(
        "api:akip-evaluation-finalise",
        "post",
        WRITE,
        api=True,
        kwargs=EVALUATION,
        state=_status,
        expect=_const("final"),
        training=True,
    ),
    Row(
        "api:akip-recommendation-list",
        "get",
        {"-": READERS},
        api=True,
        training=True,
        verify=_lists_b,
    ),
    Row(
        "api:akip-recommendation-list",
        "post",
        WRITE,
        api=True,
        data=_rec_data,
        ok=(201,),
        state=_new_recs,
        expect=_const(1),
        outside=400,
        training=True,
    ),
    Row("api:akip-recommendation-detail", "get", ON_SHEET, api=True, kwargs=REC, training=True),
    Row(
        "api:akip-recommendation-detail",
        "patch",
        WRITE,
        api=True,
        kwargs=REC,
        data={"text": NEW_TEXT},
        state=_rec_text,
        expect=_const(NEW_TEXT),
        training=True,
    ),
    Row(
        "api:akip-recommendation-follow-ups",
        "post",
        FOLLOW,
        api=True,
        kwargs=REC,
        data=_follow_data,
        ok=(201,),
        state=_follow_ups,
        expect=_const(1),
        training=True,
    ),
]

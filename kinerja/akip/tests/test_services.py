"""The AKIP services: start with suggestions, answer (a change keeps the suggestion), finalise
(every criterion answered, then nothing changes), recommendations and follow-ups; every
refusal in Indonesian, writing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.akip import services as svc
from kinerja.akip.models import Answer, Evaluation, FollowUp, Recommendation
from kinerja.audit.models import AuditEvent

AS_OF = dt.date(2024, 3, 31)


def refused(field, call, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return " ".join(info.value.message_dict[field])


def start(k, role="inspektorat", agency=None, **kw):
    w = k.world
    return svc.evaluation_start(
        actor=w.users[role],
        scope=k.scopes[role],
        agency=agency or w.agency_a,
        year=2023,
        as_of=AS_OF,
        **kw,
    )


def answer(k, evaluation, code, grade, role="inspektorat", **kw):
    return svc.answer_set(
        actor=k.world.users[role],
        scope=k.scopes[role],
        evaluation=evaluation,
        criterion=code,
        grade=grade,
        **kw,
    )


def test_start_fills_the_suggestions_and_refuses_others_in_indonesian(akip):
    with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
        start(akip, role="bappeda")
    with pytest.raises(PermissionDenied):
        start(akip, role="opd_admin")
    assert "puncak struktur" in refused("agency", start, k=akip, agency=akip.world.division_a)
    evaluation = start(akip)
    assert evaluation.policy_version == "88-2021" and evaluation.status == "draft"
    rows = {a.criterion: a for a in evaluation.answers.all()}
    assert rows["1.1.6"].grade == "BB" and rows["1.1.6"].source == "suggested"
    assert rows["3.1.5"].grade == "" and rows["3.1.5"].prefilled_from
    assert "sudah memiliki evaluasi" in refused("year", start, k=akip)
    assert Evaluation.objects.count() == 1
    event = AuditEvent.objects.get(action="akip.evaluation.start")
    assert event.changes["suggested"]["1.1.6"] == "BB"


def test_an_answer_needs_evidence_unless_it_confirms_and_a_change_keeps_the_suggestion(akip):
    evaluation = start(akip)
    assert "bukti" in refused(
        "evidence_note", answer, k=akip, evaluation=evaluation, code="1.1.1", grade="B"
    )
    assert "Pilih salah satu" in refused(
        "grade", answer, k=akip, evaluation=evaluation, code="1.1.1", grade="Z"
    )
    assert "Tidak ada kriteria" in refused(
        "criterion", answer, k=akip, evaluation=evaluation, code="9.9.9", grade="B"
    )
    assert "http" in refused(
        "evidence_link",
        answer,
        k=akip,
        evaluation=evaluation,
        code="1.1.1",
        grade="B",
        evidence_link="javascript:alert(1)",
    )
    confirmed = answer(akip, evaluation, "1.1.6", "BB")
    assert (confirmed.source, confirmed.suggested_grade) == ("answered", "BB")
    changed = answer(akip, evaluation, "1.1.6", "A", evidence_note="PK dan PK tahun lalu tepat")
    assert (changed.grade, changed.suggested_grade) == ("A", "BB")
    assert "5 Januari 2023" in changed.prefilled_from
    with pytest.raises(PermissionDenied):
        answer(akip, evaluation, "1.1.1", "B", role="leadership", evidence_note="x")
    assert Answer.objects.filter(evaluation=evaluation, source="answered").count() == 1


def test_finalise_needs_every_criterion_answered_then_nothing_changes(akip):
    evaluation = start(akip)
    message = refused(
        "answers",
        svc.evaluation_finalise,
        actor=akip.world.users["inspektorat"],
        scope=akip.scopes["inspektorat"],
        evaluation=evaluation,
    )
    assert message.startswith("80 kriteria belum dijawab: 1.1.1, 1.1.2")
    assert "dan 70 lainnya" in message
    from kinerja.akip.lke_rules import policy

    for code in policy("88-2021").criteria:
        answer(akip, evaluation, code, "BB" if code != "1.1.6" else "B", evidence_note="dokumen")
    final = svc.evaluation_finalise(
        actor=akip.world.users["inspektorat"],
        scope=akip.scopes["inspektorat"],
        evaluation=evaluation,
    )
    # 1.1 Keberadaan: six at 80 and one at 70 -> 78.57.. % of 6 = 4.71; the rest at 80 %.
    assert (final.status, final.score, final.predikat) == ("final", D("79.91"), "BB")
    assert "sudah final" in refused(
        "status", answer, k=akip, evaluation=final, code="1.1.1", grade="A", evidence_note="x"
    )
    assert Answer.objects.get(evaluation=final, criterion="1.1.1").grade == "BB"


def test_recommendations_and_follow_ups(akip):
    w = akip.world
    evaluation = start(akip)
    due = timezone.localdate() + dt.timedelta(days=30)
    add = dict(
        actor=w.users["inspektorat"],
        scope=akip.scopes["inspektorat"],
        evaluation=evaluation,
        component="1",
        text="Perbaiki indikator SMART",
        due_on=due,
        responsible_unit=w.division_a,
    )
    assert "komponen" in refused(
        "criterion", svc.recommendation_add, **{**add, "criterion": "2.1.1"}
    )
    assert "perangkat daerah" in refused(
        "responsible_unit", svc.recommendation_add, **{**add, "responsible_unit": w.agency_b}
    )
    assert "lampau" in refused(
        "due_on",
        svc.recommendation_add,
        **{**add, "due_on": timezone.localdate() - dt.timedelta(days=1)},
    )
    rec = svc.recommendation_add(**add, criterion="1.2.4")
    update = dict(
        actor=w.users["inspektorat"], scope=akip.scopes["inspektorat"], recommendation=rec
    )
    assert "tindak lanjut" in refused(
        "status", svc.recommendation_update, **update, data={"status": "done"}
    )
    assert "alasan" in refused(
        "status_note", svc.recommendation_update, **update, data={"status": "dropped"}
    )
    follow = dict(recommendation=rec, on=timezone.localdate(), note="Indikator direviu")
    with pytest.raises(PermissionDenied, match="kepala atau administrator"):
        svc.follow_up_add(actor=w.users["bappeda"], scope=akip.scopes["bappeda"], **follow)
    assert "masa depan" in refused(
        "on",
        svc.follow_up_add,
        actor=w.users["opd_admin"],
        scope=akip.scopes["opd_admin"],
        **{**follow, "on": timezone.localdate() + dt.timedelta(days=1)},
    )
    svc.follow_up_add(actor=w.users["opd_admin"], scope=akip.scopes["opd_admin"], **follow)
    rec.refresh_from_db()
    assert rec.status == "in_progress"
    done = svc.recommendation_update(**update, data={"status": "done"})
    assert (done.status, done.closed_on) == ("done", timezone.localdate())
    assert "ditutup" in refused(
        "note",
        svc.follow_up_add,
        actor=w.users["opd_head"],
        scope=akip.scopes["opd_head"],
        **follow,
    )
    assert FollowUp.objects.count() == 1 and Recommendation.objects.count() == 1

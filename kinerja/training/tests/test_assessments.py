"""Pre- and post-test scores: the service's rules, the Excel import's per-row errors and its
round trip, and the learning summary's numbers."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.imports.readers import read_table
from kinerja.organisations.tests.factories import EmployeeFactory
from kinerja.training.assessment_io import AssessmentReport, assessment_import
from kinerja.training.models import Assessment, TrainingType
from kinerja.training.selectors_feedback import learning_summary, post_test_taken
from kinerja.training.services import feedback as svc
from kinerja.training.tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the pages speak Indonesian by default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def event(world):
    return EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)


@pytest.fixture
def org(world):
    return world.users["bpsdm"]


def _set(org, participant, kind, **data):
    return svc.assessment_set(
        actor=org, scope=scope_for(org), participant=participant, kind=kind, data=data
    )


def test_learning_summary_gain_and_means(world, event, org):
    one = ParticipantFactory(event=event, employee=world.staff_a)
    two = ParticipantFactory(event=event, employee=world.staff_b)
    three = ParticipantFactory(event=event, employee=EmployeeFactory(unit=world.division_a))
    _set(org, one, "pre", knowledge="60")
    _set(org, one, "post", knowledge="75")
    _set(org, two, "pre", knowledge="50")
    _set(org, two, "post", knowledge="80.5")
    _set(org, three, "pre", knowledge="70")  # no post: no gain, not in the means
    summary = learning_summary(event)
    rows = {r["participant_id"]: r for r in summary["participants"]}
    assert rows[one.pk]["gain"] == Decimal("15.00")
    assert rows[two.pk]["gain"] == Decimal("30.50")
    assert rows[three.pk]["gain"] is None and rows[three.pk]["post"] is None
    assert summary["n"] == 2
    assert summary["mean_pre"] == Decimal("55.00")
    assert summary["mean_post"] == Decimal("77.75")  # (75 + 80.5) / 2
    assert summary["mean_gain"] == Decimal("22.75")
    assert "skill" not in summary  # the refresher asks for knowledge only
    assert post_test_taken([one.pk, two.pk, three.pk]) == {one.pk, two.pk}


@pytest.mark.parametrize("value", ["100.01", "-1", "abc", "1e3"])
def test_a_score_out_of_range_is_refused(world, event, org, value):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    with pytest.raises(ValidationError, match="0 to 100"):
        _set(org, part, "pre", knowledge=value)
    assert not Assessment.objects.exists()


def test_the_edges_of_the_range_are_taken(world, event, org):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    assert _set(org, part, "pre", knowledge="0").knowledge == Decimal("0")
    assert _set(org, part, "post", knowledge="100").knowledge == Decimal("100")


def test_skill_and_attitude_only_where_the_type_asks(world, org):
    refresher = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part = ParticipantFactory(event=refresher, employee=world.staff_a)
    with pytest.raises(ValidationError, match="does not ask for skill"):
        _set(org, part, "pre", knowledge="60", skill="70")
    pka = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        training_type=TrainingType.objects.get(code="pka"),
    )
    p2 = ParticipantFactory(event=pka, employee=world.staff_a)
    _set(org, p2, "pre", knowledge="60", skill="70", attitude="80")
    _set(org, p2, "post", knowledge="70", skill="78", attitude="84")
    summary = learning_summary(pka)
    assert summary["skill"]["mean_gain"] == Decimal("8.00")
    assert summary["attitude"]["mean_gain"] == Decimal("4.00")


def test_only_the_organiser_enters_scores(world, event):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    user = world.users["opd_admin"]
    with pytest.raises(PermissionDenied):
        svc.assessment_set(
            actor=user, scope=scope_for(user), participant=part, kind="pre", data={"knowledge": 1}
        )


def _xlsx(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def _import(org, event, rows, dry_run=False):
    table = read_table(_xlsx(rows), "nilai.xlsx")
    return assessment_import(
        actor=org, scope=scope_for(org), event=event, table=table, dry_run=dry_run
    )


HEAD = ["NIP", "Nama", "Tes", "Pengetahuan"]


def test_import_reports_each_bad_row_and_saves_nothing(world, event, org):
    ParticipantFactory(event=event, employee=world.staff_a)
    outsider = EmployeeFactory(unit=world.division_a)
    rows = [
        HEAD,
        [world.staff_a.nip, "x", "pre", 60],
        ["199901012020011999", "", "pre", 60],  # unknown NIP
        [outsider.nip, "", "pre", 60],  # not a participant
        [world.staff_a.nip, "", "post", 101],  # out of range
        [world.staff_a.nip, "", "pre", 62],  # duplicate of row 2
    ]
    outcome = _import(org, event, rows)
    assert not outcome.valid
    found = {(e.row, e.column): e.message for e in outcome.errors}
    assert "No employee with the NIP" in found[(3, "nip")]
    assert "not a participant of this event" in found[(4, "nip")]
    assert "0 to 100" in found[(5, "knowledge")]
    assert "more than once" in found[(6, "nip, kind")]
    assert not Assessment.objects.exists()


def test_import_dry_run_then_import_and_round_trip(world, event, org):
    a = ParticipantFactory(event=event, employee=world.staff_a)
    b = ParticipantFactory(event=event, employee=world.staff_b)
    rows = [
        HEAD,
        [world.staff_a.nip, "", "pre", 60],
        [world.staff_a.nip, "", "post", "75.5"],
        [world.staff_b.nip, "", "pre", 55],
    ]
    dry = _import(org, event, rows, dry_run=True)
    assert dry.valid and dry.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert not Assessment.objects.exists()
    done = _import(org, event, rows)
    assert done.valid and Assessment.objects.count() == 3
    assert Assessment.objects.get(participant=a, kind="post").knowledge == Decimal("75.50")
    # the export in the same layout imports again unchanged
    workbook = openpyxl.load_workbook(io.BytesIO(AssessmentReport(event).to_xlsx()))
    exported = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert exported[0] == ["NIP", "Nama", "Tes", "Pengetahuan", "Keterampilan", "Sikap"]
    again = _import(org, event, exported)
    assert again.valid, again.errors
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 4}
    # an absent column keeps what is stored; a present one changes
    _import(org, event, [["NIP", "Tes", "Keterampilan"], [world.staff_b.nip, "pre", ""]])
    assert Assessment.objects.get(participant=b, kind="pre").knowledge == Decimal("55")


def test_the_scores_page_imports_and_exports(world, event, org, client):
    ParticipantFactory(event=event, employee=world.staff_a)
    client.force_login(org)
    url = reverse("training:test_scores_import", kwargs={"pk": event.pk})
    upload = _xlsx([HEAD, [world.staff_a.nip, "", "pre", 101]])
    upload.name = "nilai.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert "0 to 100" in response.content.decode() or "0 sampai 100" in response.content.decode()
    export = client.get(reverse("training:test_scores_export", kwargs={"pk": event.pk}))
    assert export.status_code == 200
    client.force_login(world.users["opd_admin"])
    assert client.get(reverse("training:test_scores", kwargs={"pk": event.pk})).status_code == 403


def test_the_api_writes_for_the_organiser_and_reads_own_for_a_participant(
    world, event, org, client
):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    other = ParticipantFactory(event=event, employee=world.staff_b)
    client.force_login(org)
    url = reverse("api:training-assessment-list")
    for p in (part, other):
        response = client.post(
            url,
            {"participant": p.pk, "kind": "pre", "knowledge": "64"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    bad = client.post(
        url,
        {"participant": part.pk, "kind": "pre", "knowledge": "140"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    client.force_login(world.users["employee"])  # staff_a
    data = client.get(url, HTTP_ACCEPT="application/json").json()
    assert [r["participant"] for r in data["results"]] == [part.pk]
    refused = client.post(
        url,
        {"participant": part.pk, "kind": "post", "knowledge": "99"},
        content_type="application/json",
    )
    assert refused.status_code == 403

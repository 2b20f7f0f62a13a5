"""The ledger's pages and API with concrete numbers: my hours, the shortfall (scoped, filtered,
exported), the entry form, the records API and the demo step."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.training.demo_ledger import REFRESHMENT_TITLE, demo_ledger_run, demo_ledger_wipe
from kinerja.training.models import Attendance, DevelopmentRecord
from kinerja.training.tests.factories import (
    DevelopmentRecordFactory,
    EventFactory,
    ParticipantFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def test_my_hours_shows_the_total_against_the_minimum(world, login):
    DevelopmentRecordFactory(employee=world.staff_a, year=2023, hours=Decimal("12.5"))
    DevelopmentRecordFactory(employee=world.staff_b, year=2023, hours=Decimal("30"))
    client = login(world.users["employee"])
    body = client.get(reverse("training:hours_mine") + "?year=2023").content.decode()
    assert 'data-testid="hours-total">12,50<' in body
    assert body.count('data-testid="hours-record"') == 1
    assert 'aria-valuenow="62"' in body


def test_the_shortfall_page_filters_by_agency_and_forecast(world, login):
    DevelopmentRecordFactory(employee=world.staff_a, year=THIS_YEAR, hours=Decimal("20"))
    client = login(world.users["bkd"])
    url = reverse("training:hours_shortfall")
    body = client.get(f"{url}?year={THIS_YEAR}").content.decode()
    assert "Rina Wulandari" in body and "Budi Santoso" in body
    assert "Siti Aminah" not in body  # exactly 20 JP
    assert "Agus Salim" not in body  # non-ASN: the minimum does not apply
    body = client.get(f"{url}?year={THIS_YEAR}&agency={world.agency_a.pk}").content.decode()
    assert "Budi Santoso" in body and "Rina Wulandari" not in body
    body = client.get(f"{url}?year={THIS_YEAR}&forecast=unreachable").content.decode()
    assert body.count('data-testid="shortfall-row"') == 2  # Budi and Rina, nothing enrolled
    response = client.get(reverse("training:hours_shortfall_export") + f"?year={THIS_YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert {r[1] for r in rows[1:]} == {"Budi Santoso", "Rina Wulandari"}
    assert rows[1][6] == 20


def test_the_shortfall_page_is_refused_to_an_employee(world, login):
    client = login(world.users["employee"])
    assert client.get(reverse("training:hours_shortfall")).status_code == 403


def test_the_entry_form_records_two_seminar_days_as_eight_jp(world, login):
    client = login(world.users["opd_admin"])
    data = {
        "nip": world.staff_a.nip,
        "training_type": "seminar",
        "title": "Seminar Inovasi Daerah",
        "starts_on": "2023-06-01",
        "ends_on": "2023-06-02",
        "quantity": "2",
        "quantity_unit": "seminar_day",
    }
    response = client.post(reverse("training:hours_record_new"), data)
    assert response.status_code == 302
    assert DevelopmentRecord.objects.get().hours == Decimal("8.00")
    response = client.post(
        reverse("training:hours_record_new"),
        {**data, "quantity_unit": "jp", "ends_on": "2023-05-01"},
    )
    assert response.status_code == 400
    assert DevelopmentRecord.objects.count() == 1


def test_the_api_lists_filters_and_creates(world, login):
    DevelopmentRecordFactory(employee=world.staff_a, year=2022)
    DevelopmentRecordFactory(employee=world.staff_a, year=2023)
    DevelopmentRecordFactory(employee=world.staff_b, year=2023)
    client = login(world.users["opd_admin"])
    url = reverse("api:training-development-record-list")
    data = client.get(f"{url}?year=2023").json()
    assert [r["nip"] for r in data["results"]] == [world.staff_a.nip]
    response = client.post(
        url,
        {
            "employee": world.staff_a.pk,
            "training_type": "coaching",
            "title": "Coaching Kinerja",
            "starts_on": "2023-09-01",
            "quantity": "3",
            "quantity_unit": "coaching_session",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["hours"] == "6.00"
    shortfall = client.get(
        reverse("api:training-hours-shortfall-list") + f"?year=2023&agency={world.agency_a.pk}"
    ).json()
    totals = {r["name"]: r["total"] for r in shortfall["results"]}
    assert totals == {"Budi Santoso": "0.00", "Siti Aminah": "16.00"}
    bad = client.get(reverse("api:training-hours-shortfall-list") + f"?agency={world.agency_b.pk}")
    assert bad.status_code == 400


def test_the_demo_step_writes_a_sample_and_the_refreshment_records(world):
    event = EventFactory(
        instansi=world.instansi, organiser_unit=world.agency_a, title=REFRESHMENT_TITLE
    )
    part = ParticipantFactory(event=event, employee=world.head_a)
    Attendance.objects.create(
        instansi=world.instansi,
        participant=part,
        session=SessionFactory(event=event),
        status="present",
        jp=Decimal("2"),
    )
    ctx = SimpleNamespace(instansi=world.instansi)
    demo_ledger_run(ctx)
    sample = DevelopmentRecord.objects.filter(source="imported")
    assert sample.exists() and set(sample.values_list("employee__status", flat=True)) == {"pns"}
    assert DevelopmentRecord.objects.get(source="event").hours == Decimal("2.00")
    count = DevelopmentRecord.objects.count()
    demo_ledger_run(ctx)  # again: nothing added
    assert DevelopmentRecord.objects.count() == count
    demo_ledger_wipe(ctx)
    assert not DevelopmentRecord.objects.exists()


def test_the_shortfall_page_reads_the_same_number_of_queries_for_more_staff(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.organisations.tests.factories import EmployeeFactory

    client = login(world.users["bkd"])
    url = reverse("training:hours_shortfall") + f"?year={THIS_YEAR}"
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(12):
        employee = EmployeeFactory(unit=world.division_a, name=f"Pegawai Uji {i}")
        DevelopmentRecordFactory(employee=employee, year=THIS_YEAR, hours=Decimal(i))
    with CaptureQueriesContext(connection) as more:
        body = client.get(url).content.decode()
    assert body.count('data-testid="shortfall-row"') == 12 + 3  # and Budi, Siti, Rina
    assert len(more.captured_queries) == len(few.captured_queries)


def test_an_entered_record_is_edited_and_removed_an_event_record_is_not(world, login):
    entered = DevelopmentRecordFactory(employee=world.staff_a)
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    Attendance.objects.create(
        instansi=world.instansi,
        participant=part,
        session=SessionFactory(event=event),
        status="present",
        jp=Decimal("2"),
    )
    from kinerja.training.services.ledger import record_from_event

    from_event = record_from_event(part)
    client = login(world.users["opd_admin"])
    form = {
        "training_type": "benchmarking",
        "title": "Studi Tiru Mal Pelayanan Publik",
        "starts_on": "2023-07-04",
        "ends_on": "2023-07-05",
        "quantity": "2",
        "quantity_unit": "benchmarking_day",
    }
    url = reverse("training:hours_record_edit", args=[entered.pk])
    assert client.post(url, form).status_code == 302
    entered.refresh_from_db()
    assert (entered.hours, entered.route, entered.version) == (Decimal("16.00"), "non_classical", 2)
    url = reverse("training:hours_record_edit", args=[from_event.pk])
    assert client.post(url, form).status_code == 400
    url = reverse("training:hours_record_delete", args=[from_event.pk])
    client.post(url)
    assert DevelopmentRecord.objects.filter(pk=from_event.pk).exists()
    client.post(reverse("training:hours_record_delete", args=[entered.pk]), {"reason": "Dobel"})
    assert not DevelopmentRecord.objects.filter(pk=entered.pk).exists()
    # Agency B's record: not found for agency A's administrator.
    other = DevelopmentRecordFactory(employee=world.staff_b)
    url = reverse("training:hours_record_edit", args=[other.pk])
    assert client.get(url).status_code == 404

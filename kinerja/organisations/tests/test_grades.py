"""Grade and rank (golongan/pangkat) by status, its TMT, and the migration of free-text grades."""

import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.organisations import services
from kinerja.organisations.choices import grade_choices, grade_status, grades
from kinerja.organisations.models import Assignment, Employee
from kinerja.organisations.nip import make_nip

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kinerja.organisations.migrations.0005_grades_kinds_sort_keys")


def test_the_grade_table_holds_17_pns_grades_with_pangkat_and_17_pppk_grades():
    table = grades()
    pns = [g for g in table.values() if g.status == "pns"]
    pppk = [g for g in table.values() if g.status == "pppk"]
    assert (len(pns), len(pppk)) == (17, 17)
    assert (pns[0].code, pns[0].pangkat) == ("I/a", "Juru Muda")
    assert (pns[-1].code, pns[-1].pangkat) == ("IV/e", "Pembina Utama")
    assert table["III/a"].label == "III/a Penata Muda"
    assert table["IV/d"].pangkat == "Pembina Utama Madya"
    assert [g.code for g in pppk][:3] == ["I", "II", "III"] and pppk[-1].code == "XVII"
    assert (grade_status("IX"), grade_status("II/c"), grade_status("III/f")) == (
        "pppk",
        "pns",
        None,
    )
    groups = dict(grade_choices())
    assert len(groups) == 2 and sum(len(v) for v in groups.values()) == 34


@pytest.mark.parametrize(
    "status, grade, message",
    [
        ("pppk", "III/a", "III/a adalah golongan PNS"),
        ("pns", "IX", "IX adalah golongan PPPK"),
        ("non_asn", "II/a", "Pegawai non-ASN tidak memiliki golongan"),
    ],
)
def test_a_grade_of_the_other_status_is_refused_in_indonesian(world, status, grade, message):
    bkd = world.users["bkd"]
    data = {"grade": grade, "status": status}
    if status == "pppk":
        data["nip"] = make_nip(dt.date(1985, 3, 14), dt.date(2021, 1, 1), "m", 5)
        data["nip"] = f"{data['nip'][:12]}21{data['nip'][14:]}"
    if status == "non_asn":
        data["nip"] = None
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        services.employee_update(actor=bkd, scope=scope_for(bkd), employee=world.staff_b, data=data)
    assert message in caught.value.message_dict["grade"][0]
    world.staff_b.refresh_from_db()
    assert world.staff_b.grade == ""


def test_a_valid_grade_and_its_tmt_are_kept_and_audited(world):
    bkd = world.users["bkd"]
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.staff_b,
        data={"grade": "III/c", "grade_tmt": dt.date(2022, 4, 1)},
    )
    staff = Employee.objects.get(pk=world.staff_b.pk)
    assert (staff.grade, staff.grade_tmt) == ("III/c", dt.date(2022, 4, 1))
    assert services.grade_label(staff.grade) == "III/c Penata"
    from kinerja.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="employee.update").latest("pk")
    assert event.changes["grade_tmt"][1] == "2022-04-01"


def test_a_tmt_without_a_grade_is_refused(world):
    bkd = world.users["bkd"]
    with pytest.raises(ValidationError) as caught:
        services.employee_update(
            actor=bkd,
            scope=scope_for(bkd),
            employee=world.staff_b,
            data={"grade_tmt": dt.date(2022, 4, 1)},
        )
    assert "grade_tmt" in caught.value.message_dict


def test_the_post_tmt_is_the_open_assignment_start(world):
    """The TMT of the post is not stored twice: it is the start of the open assignment."""
    bkd = world.users["bkd"]
    Employee.objects.filter(pk=world.head_a.pk).update(position=None)  # the head post is free
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.staff_a,
        data={"unit": world.agency_a, "position": world.head_pos_a},
        effective=dt.date(2024, 10, 1),
    )
    open_ = Assignment.objects.get(employee=world.staff_a, valid_to__isnull=True)
    assert open_.valid_from == dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    "text, status, code",
    [
        ("III/a", "pns", "III/a"),
        ("III a", "pns", "III/a"),
        ("iii/A", "pns", "III/a"),
        ("3/b", "pns", "III/b"),
        ("IVc", "pns", "IV/c"),
        ("IV-e", "pns", "IV/e"),
        ("Gol. II/d", "pns", "II/d"),
        ("Penata Muda Tingkat I", "pns", "III/b"),
        ("Pembina Tk. I", "pns", "IV/b"),
        ("IX", "pppk", "IX"),
        ("9", "pppk", "IX"),
        ("xvii", "pppk", "XVII"),
        ("", "pns", ""),
        ("III/a", "pppk", None),  # a PNS grade on a PPPK: blank
        ("IX", "pns", None),
        ("18", "pppk", None),
        ("III/f", "pns", None),
        ("golongan tiga", "pns", None),
        ("II/a", "non_asn", None),
    ],
)
def test_the_migration_maps_free_text_grades(text, status, code):
    assert migration.normalise_grade(text, status) == code


def test_the_migration_rewrites_and_counts(world, capsys):
    from django.apps import apps

    Employee.objects.filter(pk=world.staff_a.pk).update(grade="3/a")
    Employee.objects.filter(pk=world.staff_b.pk).update(grade="gol. tiga")  # fits varchar(10)
    Employee.objects.filter(pk=world.head_a.pk).update(grade="IX")  # a PNS holding a PPPK grade
    migration.grades_forward(apps, None)
    grades_now = dict(Employee.objects.values_list("name", "grade"))
    assert grades_now["Siti Aminah"] == "III/a"
    assert grades_now["Rina Wulandari"] == "" and grades_now["Budi Santoso"] == ""
    out = capsys.readouterr().out
    assert "1 not a known grade" in out and "1 of the other status" in out


def test_the_employee_page_shows_grade_pangkat_tmts_and_retirement(world, login, monkeypatch):
    from django.urls import reverse

    from kinerja.organisations import retirement

    monkeypatch.setattr(retirement, "today", lambda: dt.date(2026, 11, 28))
    Employee.objects.filter(pk=world.head_a.pk).update(grade="IV/c", grade_tmt=dt.date(2021, 4, 1))
    Assignment.objects.create(
        instansi=world.instansi,
        employee=world.head_a,
        unit=world.agency_a,
        position=world.head_pos_a,
        valid_from=dt.date(2019, 1, 2),
    )
    client = login(world.users["bkd"])
    with translation.override("id"):
        body = client.get(
            reverse("organisations:employee_detail", args=[world.head_a.pk]),
            HTTP_ACCEPT_LANGUAGE="id",
        ).content.decode()
    assert "IV/c Pembina Utama Muda" in body and "1 April 2021" in body
    assert "2 Januari 2019" in body  # the post's TMT: the open assignment's start
    # Born 14 March 1985, a JPT Pratama (BUP 60): retires at the end of March 2045.
    assert "usia 60, pada 31 Maret 2045" in body

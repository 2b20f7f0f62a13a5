"""The write pages: edit and add employees, edit units and add sub-units, through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.organisations.choices import EmployeeStatus, UnitKind
from kinerja.organisations.models import Assignment, Employee, OrgUnit
from kinerja.organisations.nip import make_nip

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages follow the language the user chose (a cookie), not the browser's header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _employee_post(employee, **changes):
    """The edit form as the browser would send it, unchanged but for ``changes``."""
    data = {
        "name": employee.name,
        "front_title": employee.front_title,
        "back_title": employee.back_title,
        "status": employee.status,
        "nip": employee.nip or "",
        "grade": employee.grade,
        "email": employee.email,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "is_active": "on" if employee.is_active else "",
        "effective": "",
        "reason": "",
    }
    data.update(changes)
    if not data["is_active"]:
        del data["is_active"]  # an unticked checkbox is not sent
    return data


def _url(name, *args):
    return reverse(name, args=args)


# Edit employee ---------------------------------------------------------------------------------


def test_opd_admin_edits_email(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:employee_update", world.staff_a.pk)
    assert client.get(url, headers=EN).status_code == 200
    response = client.post(url, _employee_post(world.staff_a, email="siti@jatimprov.go.id"))
    assert response.status_code == 302
    assert response["Location"] == world.staff_a.get_absolute_url()
    world.staff_a.refresh_from_db()
    assert world.staff_a.email == "siti@jatimprov.go.id"
    events = AuditEvent.objects.filter(action="employee.update")
    assert events.count() == 1
    assert events.get().changes["email"][1] == "siti@jatimprov.go.id"
    page = client.get(response["Location"], headers=EN).content.decode()
    assert "The employee has been saved." in page


def test_transfer_with_effective_date_keeps_history(world, login):
    Assignment.objects.create(
        instansi=world.instansi,
        employee=world.staff_a,
        unit=world.division_a,
        position=world.staff_pos_a,
        valid_from=dt.date(2020, 1, 1),
    )
    client = login(world.users["opd_admin"])
    response = client.post(
        _url("organisations:employee_update", world.staff_a.pk),
        _employee_post(
            world.staff_a,
            unit=world.agency_a.pk,
            position="",
            effective="2025-07-01",
            reason="Mutasi",
        ),
    )
    assert response.status_code == 302
    history = list(Assignment.objects.filter(employee=world.staff_a).order_by("valid_from"))
    assert len(history) == 2
    assert history[0].valid_to == dt.date(2025, 6, 30)  # its last day
    assert history[1].unit == world.agency_a
    assert history[1].valid_from == dt.date(2025, 7, 1)
    assert history[1].valid_to is None
    world.staff_a.refresh_from_db()
    assert world.staff_a.unit == world.agency_a


def test_opd_admin_cannot_reach_other_agency_employee(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:employee_update", world.staff_b.pk)
    assert client.get(url).status_code == 404
    response = client.post(url, _employee_post(world.staff_b, email="x@example.org"))
    assert response.status_code == 404
    world.staff_b.refresh_from_db()
    assert world.staff_b.email != "x@example.org"
    assert not AuditEvent.objects.exists()


def test_leadership_may_view_but_not_edit(world, login):
    client = login(world.users["leadership"])
    assert client.get(_url("organisations:employee_update", world.staff_a.pk)).status_code == 403
    detail = client.get(world.staff_a.get_absolute_url(), headers=EN).content.decode()
    assert _url("organisations:employee_update", world.staff_a.pk) not in detail


def test_edit_button_shows_for_changers(world, login):
    client = login(world.users["opd_admin"])
    detail = client.get(world.staff_a.get_absolute_url(), headers=EN).content.decode()
    assert _url("organisations:employee_update", world.staff_a.pk) in detail


def test_bad_nip_is_shown_and_nothing_written(world, login):
    old_nip = world.staff_a.nip
    client = login(world.users["opd_admin"])
    response = client.post(
        _url("organisations:employee_update", world.staff_a.pk),
        _employee_post(world.staff_a, nip="19850314200501100", email="baru@jatimprov.go.id"),
        headers=EN,
    )
    assert response.status_code == 400
    assert "NIP must be exactly 18 digits." in response.content.decode()
    assert "is-invalid" in response.content.decode()
    world.staff_a.refresh_from_db()
    assert world.staff_a.nip == old_nip
    assert world.staff_a.email == ""
    assert not AuditEvent.objects.exists()


def test_service_error_is_mapped_onto_the_field(world, login):
    """A non-ASN employee has no NIP: the service says so, on the NIP field, and saves nothing."""
    client = login(world.users["opd_admin"])
    response = client.post(
        _url("organisations:employee_update", world.staff_a.pk),
        _employee_post(world.staff_a, status=EmployeeStatus.NON_ASN),
        headers=EN,
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["nip"] == ["Non-ASN staff have no NIP."]
    world.staff_a.refresh_from_db()
    assert world.staff_a.status == EmployeeStatus.PNS
    assert not AuditEvent.objects.exists()


# Add employee ----------------------------------------------------------------------------------


def _new_employee(world, **changes):
    data = {
        "name": "Wahyu Prasetyo",
        "status": EmployeeStatus.PNS,
        "nip": make_nip(dt.date(1990, 2, 3), dt.date(2015, 3, 1), "m", 12),
        "grade": "III/a",
        "email": "wahyu@jatimprov.go.id",
        "unit": world.division_a.pk,
        "position": world.staff_pos_a.pk,
        "start_date": "2025-01-02",
    }
    data.update(changes)
    return data


def test_opd_admin_adds_employee(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:employee_create")
    assert client.get(url).status_code == 200
    response = client.post(url, _new_employee(world))
    employee = Employee.objects.get(name="Wahyu Prasetyo")
    assert response.status_code == 302
    assert response["Location"] == employee.get_absolute_url()
    assert employee.instansi == world.instansi
    assert employee.unit == world.division_a
    assert employee.birth_date == dt.date(1990, 2, 3)  # from the NIP, by the service
    assigned = Assignment.objects.get(employee=employee)
    assert assigned.valid_to is None
    assert assigned.valid_from == dt.date(2025, 1, 2)
    assert AuditEvent.objects.filter(action="employee.create").count() == 1


def test_other_agency_unit_is_not_a_choice(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:employee_create")
    form = client.get(url).context["form"]
    assert set(form.fields["unit"].queryset) == {world.agency_a, world.division_a}
    response = client.post(url, _new_employee(world, unit=world.agency_b.pk, position=""))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Employee.objects.filter(name="Wahyu Prasetyo").exists()


def test_add_employee_button_and_right(world, login):
    admin = login(world.users["opd_admin"])
    page = admin.get(_url("organisations:employee_list"), headers=EN).content.decode()
    assert _url("organisations:employee_create") in page
    viewer = login(world.users["leadership"])
    page = viewer.get(_url("organisations:employee_list"), headers=EN).content.decode()
    assert _url("organisations:employee_create") not in page
    assert viewer.get(_url("organisations:employee_create")).status_code == 403


# Units -----------------------------------------------------------------------------------------


def test_opd_admin_adds_sub_unit(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:unit_create", world.agency_a.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "DIKBUD-SMK",
            "name": "Bidang SMK",
            "kind": UnitKind.DIVISION,
            "valid_from": "2025-01-01",
        },
    )
    unit = OrgUnit.objects.get(code="DIKBUD-SMK")
    assert response.status_code == 302
    assert response["Location"] == unit.get_absolute_url()
    assert unit.parent == world.agency_a
    assert unit.path.startswith(world.agency_a.path)
    assert unit.agency == world.agency_a
    assert AuditEvent.objects.filter(action="unit.create").count() == 1


def test_opd_admin_cannot_add_sub_unit_to_other_agency(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:unit_create", world.agency_b.pk)
    assert client.get(url).status_code == 404
    data = {"code": "DINKES-X", "name": "X", "kind": UnitKind.DIVISION}
    assert client.post(url, data).status_code == 404
    assert not OrgUnit.objects.filter(code="DINKES-X").exists()


def test_opd_admin_renames_unit(world, login):
    client = login(world.users["opd_admin"])
    url = _url("organisations:unit_update", world.division_a.pk)
    form = client.get(url).context["form"]
    # Only agency A is a possible parent: not the division itself, not agency B.
    assert list(form.fields["parent"].queryset) == [world.agency_a]
    response = client.post(
        url,
        {
            "name": "Bidang Pembinaan SMA",
            "kind": UnitKind.DIVISION,
            "parent": world.agency_a.pk,
            "valid_from": "2020-01-01",
            "reason": "Perubahan nomenklatur",
        },
    )
    assert response.status_code == 302
    world.division_a.refresh_from_db()
    assert world.division_a.name == "Bidang Pembinaan SMA"
    event = AuditEvent.objects.get(action="unit.update")
    assert event.reason == "Perubahan nomenklatur"


def test_unit_buttons_follow_the_right(world, login):
    edit = _url("organisations:unit_update", world.division_a.pk)
    add = _url("organisations:unit_create", world.division_a.pk)
    admin_page = login(world.users["opd_admin"]).get(world.division_a.get_absolute_url())
    assert edit in admin_page.content.decode() and add in admin_page.content.decode()
    viewer_page = login(world.users["leadership"]).get(world.division_a.get_absolute_url())
    assert edit not in viewer_page.content.decode()
    assert add not in viewer_page.content.decode()


# One NIP normaliser: the pages take a NIP the way the product prints it ----------------------

PRINTED_NIP = "19750315 200501 1 002"
STORED_NIP = "197503152005011002"


def test_add_employee_form_takes_the_printed_nip(world, login):
    client = login(world.users["opd_admin"])

    response = client.post(
        _url("organisations:employee_create"), _new_employee(world, nip=PRINTED_NIP)
    )

    assert response.status_code == 302
    employee = Employee.objects.get(name="Wahyu Prasetyo")
    assert employee.nip == STORED_NIP
    assert employee.birth_date == dt.date(1975, 3, 15)


def test_edit_employee_form_takes_a_pasted_nip_with_nbsp_and_apostrophe(world, login):
    client = login(world.users["opd_admin"])
    # Born on the factory's birth date (1985-03-14), appointed January 2010, male, number 77.
    pasted = "'19850314\u00a0201001\u00a01\u00a0077 "

    response = client.post(
        _url("organisations:employee_update", world.staff_a.pk),
        _employee_post(world.staff_a, nip=pasted),
    )

    assert response.status_code == 302
    world.staff_a.refresh_from_db()
    assert world.staff_a.nip == "198503142010011077"


def test_nip_field_leaves_room_for_the_printed_form(world, login):
    client = login(world.users["opd_admin"])
    page = client.get(_url("organisations:employee_create")).content.decode()

    assert 'maxlength="18"' not in page
    assert 'maxlength="40"' in page


def test_non_ascii_digits_in_the_nip_are_named_in_indonesian(world, login, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client = login(world.users["opd_admin"])

    response = client.post(
        _url("organisations:employee_create"), _new_employee(world, nip="١٩٧٥٠٣١٥٢٠٠٥٠١١٠٠٢")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["nip"] == [
        "NIP harus ditulis dengan angka 0-9 saja; NIP ini memuat angka aksara lain "
        "(misalnya angka Arab-India atau angka lebar penuh)."
    ]
    assert not Employee.objects.filter(name="Wahyu Prasetyo").exists()


@pytest.mark.parametrize("typed", ["19750315 2005", PRINTED_NIP, "NIP. 19750315 200501"])
def test_employee_search_page_finds_a_spaced_nip_prefix(world, login, typed):
    world.staff_a.nip = STORED_NIP
    world.staff_a.save()
    client = login(world.users["bkd"])

    page = client.get(_url("organisations:employee_list"), {"q": typed}).content.decode()

    assert "1 employee" in page
    assert "Siti Aminah" in page


def test_employee_search_page_names_non_ascii_digits(world, login, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client = login(world.users["bkd"])

    page = client.get(_url("organisations:employee_list"), {"q": "١٩٧٥٠٣١٥"}).content.decode()

    assert "NIP harus ditulis dengan angka 0-9 saja" in page
    assert "0 pegawai" in page


def test_employee_list_says_why_a_unit_filter_is_refused(world, login):
    client = login(world.users["bkd"])

    page = client.get(
        _url("organisations:employee_list"), {"unit": "99999999999999999999"}
    ).content.decode()

    assert "Give an id: a whole number from 1 to 9223372036854775807." in page

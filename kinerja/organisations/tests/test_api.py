"""The /api/v1/ organisation endpoints: scoping, writes through the services, clear 4xx errors."""

import datetime as dt

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position
from kinerja.organisations.nip import make_nip
from kinerja.organisations.tests.factories import EmployeeFactory

EMPLOYEES = "/api/v1/employees/"
UNITS = "/api/v1/units/"
POSITIONS = "/api/v1/positions/"
REGIONS = "/api/v1/regions/"

NEW_NIP = make_nip(dt.date(1992, 7, 9), dt.date(2019, 3, 1), "f", 12)


@pytest.fixture
def api(world):
    """Return a client signed in (by session) as the named role of the fixture province."""

    def _api(role: str, language: str = "id") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(world.users[role])
        return client

    return _api


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def new_employee(unit, **extra) -> dict:
    return {"name": "Sri Rahayu", "status": "pns", "nip": NEW_NIP, "unit": unit, **extra}


# Reading within the scope


def test_opd_admin_lists_only_own_agency_employees(api, world):
    response = api("opd_admin").get(EMPLOYEES)

    assert response.json()["count"] == 2
    assert names(response) == ["Budi Santoso", "Siti Aminah"]


def test_bkd_lists_the_whole_instansi_but_not_another_one(api, world):
    response = api("bkd").get(EMPLOYEES)

    assert response.json()["count"] == 4
    assert names(response) == ["Agus Salim", "Budi Santoso", "Rina Wulandari", "Siti Aminah"]
    assert "Dewi Lestari" not in names(response)


def test_employee_role_sees_only_their_own_record(api, world):
    client = api("employee")

    assert names(client.get(EMPLOYEES)) == ["Siti Aminah"]
    assert client.get(f"{EMPLOYEES}{world.head_a.pk}/").status_code == 404


def test_employee_representation_has_unit_position_and_nip(api, world):
    data = api("bkd").get(f"{EMPLOYEES}{world.staff_a.pk}/").json()

    assert data["nip"] == world.staff_a.nip
    assert len(data["nip"]) == 18
    assert data["unit"] == {"id": world.division_a.pk, "code": "DIKBUD-SMA", "name": "Bidang SMA"}
    assert data["position"] == {
        "id": world.staff_pos_a.pk,
        "code": "DIKBUD-SMA-01",
        "title": "Analis SMA",
    }
    assert data["status"] == "pns"


def test_non_asn_employee_has_null_nip(api, world):
    data = api("bkd").get(f"{EMPLOYEES}{world.honorer_b.pk}/").json()

    assert data["status"] == "non_asn"
    assert data["nip"] is None
    assert data["position"] is None


def test_another_agency_employee_is_not_found(api, world):
    client = api("opd_admin")

    assert client.get(f"{EMPLOYEES}{world.staff_b.pk}/").status_code == 404
    assert client.get(f"{EMPLOYEES}{world.staff_x.pk}/").status_code == 404


def test_another_instansi_employee_is_not_found_even_for_bkd(api, world):
    assert api("bkd").get(f"{EMPLOYEES}{world.staff_x.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=non_asn&unit={agency_b}", ["Agus Salim"]),
        ("status=pns&unit={agency_b}", ["Rina Wulandari"]),
        ("status=non_asn&unit={agency_a}", []),
        ("unit={agency_a}", ["Budi Santoso", "Siti Aminah"]),  # the division is included
        ("unit={division_a}", ["Siti Aminah"]),
        ("status=pns", ["Budi Santoso", "Rina Wulandari", "Siti Aminah"]),
        ("q=siti", ["Siti Aminah"]),
        ("q=Analis", ["Siti Aminah"]),
        ("unit={agency_x}", []),  # another instansi's unit narrows to nothing
    ],
)
def test_employee_filters(api, world, query, expected):
    ids = {k: getattr(world, k).pk for k in ("agency_a", "agency_b", "division_a", "agency_x")}

    assert names(api("bkd").get(f"{EMPLOYEES}?{query.format(**ids)}")) == expected


def test_employee_search_by_nip_prefix(api, world):
    response = api("bkd").get(EMPLOYEES, {"q": world.staff_b.nip[:14]})

    assert "Rina Wulandari" in names(response)
    assert "Agus Salim" not in names(response)


def test_employee_filters_stay_inside_the_scope(api, world):
    response = api("opd_admin").get(EMPLOYEES, {"unit": world.agency_b.pk})

    assert response.json()["count"] == 0


def test_employees_ordering(api, world):
    response = api("bkd").get(EMPLOYEES, {"ordering": "-name"})

    assert [r["name"] for r in response.json()["results"]] == [
        "Siti Aminah",
        "Rina Wulandari",
        "Budi Santoso",
        "Agus Salim",
    ]


def test_employee_list_queries_do_not_grow_with_rows(
    api, world, django_assert_max_num_queries, monkeypatch
):
    # The queries of computing the page (a kept page is read without them: test_kept_pages).
    monkeypatch.setattr("kinerja.organisations.api.views.kept", lambda _n, compute, **_k: compute())
    client = api("bkd")
    client.get(EMPLOYEES)  # warm up the session and the scope
    for _ in range(12):
        EmployeeFactory(unit=world.division_a, position=world.staff_pos_a)

    # 8, and at most 5 for the page's superiors (posts, lines, acting and definitive holders,
    # their posts), whatever the number of rows.
    with django_assert_max_num_queries(13):
        response = client.get(EMPLOYEES)

    assert response.json()["count"] == 16


def test_units_and_positions_are_scoped(api, world):
    client = api("opd_admin")

    units = client.get(UNITS).json()
    positions = client.get(POSITIONS).json()

    assert [u["code"] for u in units["results"]] == ["DIKBUD", "DIKBUD-SMA"]
    assert units["results"][1]["agency"]["code"] == "DIKBUD"
    assert units["results"][1]["parent"]["code"] == "DIKBUD"
    assert [p["code"] for p in positions["results"]] == ["DIKBUD-KADIS", "DIKBUD-SMA-01"]
    assert client.get(f"{UNITS}{world.agency_b.pk}/").status_code == 404


def test_unit_filters(api, world):
    client = api("bkd")

    assert client.get(UNITS, {"parent": world.agency_a.pk}).json()["count"] == 1
    assert client.get(UNITS, {"q": "kesehatan"}).json()["results"][0]["code"] == "DINKES"
    assert client.get(UNITS, {"kind": "bidang"}).json()["count"] == 1
    assert client.get(UNITS).json()["count"] == 3


def test_regions_are_read_only_reference_data(api, world):
    client = api("employee")

    response = client.get(REGIONS, {"q": "35"})

    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == "35"
    assert client.post(REGIONS, {"code": "36", "name": "Banten"}).status_code == 405


# Writing through the services


def test_opd_admin_creates_an_employee_by_codes(api, world):
    response = api("opd_admin").post(
        EMPLOYEES,
        new_employee("DIKBUD-SMA", position="DIKBUD-SMA-01", instansi=world.other_instansi.pk),
        format="json",
    )

    assert response.status_code == 201, response.content
    employee = Employee.objects.get(nip=NEW_NIP)
    assert response.json()["id"] == employee.pk
    assert response.json()["unit"]["code"] == "DIKBUD-SMA"
    # The instansi is the caller's, whatever the payload says; birth date and sex from the NIP.
    assert employee.instansi_id == world.instansi.pk
    assert employee.birth_date == dt.date(1992, 7, 9)
    assert employee.sex == "f"
    assert Assignment.objects.filter(employee=employee, valid_to__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="employee.create")
    assert event.target_id == str(employee.pk)
    assert event.actor == world.users["opd_admin"]


def test_creating_an_employee_in_another_agency_unit_is_not_found(api, world):
    client = api("opd_admin", language="en")
    before = Employee.objects.count()

    by_id = client.post(EMPLOYEES, new_employee(world.agency_b.pk), format="json")
    by_code = client.post(EMPLOYEES, new_employee("DINKES"), format="json")
    other_instansi = client.post(EMPLOYEES, new_employee(world.agency_x.pk), format="json")

    assert by_id.status_code == 400
    assert by_id.json() == {"unit": [f'No org unit "{world.agency_b.pk}" was found.']}
    assert by_code.json() == {"unit": ['No org unit "DINKES" was found.']}
    assert other_instansi.status_code == 400
    assert "Dinas Kesehatan" not in by_id.content.decode()
    assert Employee.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_position_of_another_agency_is_not_found(api, world):
    b_position = Position.objects.create(
        instansi=world.instansi,
        unit=world.agency_b,
        code="DINKES-01",
        title="Perawat",
        kind="fungsional",
    )

    response = api("opd_admin").post(
        EMPLOYEES, new_employee("DIKBUD", position=b_position.pk), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["position"]
    assert not Employee.objects.filter(nip=NEW_NIP).exists()


def test_bad_nip_gives_a_field_error_and_writes_nothing(api, world):
    before = Employee.objects.count()

    response = api("opd_admin").post(
        EMPLOYEES, new_employee("DIKBUD", nip="19920709"), format="json"
    )

    assert response.status_code == 400
    with translation.override("id"):
        expected = translation.gettext("NIP must be exactly 18 digits.")
    assert response.json() == {"nip": [expected]}
    assert Employee.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_bad_nip_message_in_english_on_request(api, world):
    response = api("opd_admin", language="en").post(
        EMPLOYEES, new_employee("DIKBUD", nip="199213092019032012"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"nip": ["NIP digits 1-8 must be a real birth date (YYYYMMDD)."]}


def test_service_rule_errors_come_back_as_field_errors(api, world):
    # A well-formed NIP whose sex digit contradicts the given sex: the service's rule.
    response = api("opd_admin", language="en").post(
        EMPLOYEES, new_employee("DIKBUD", sex="m"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"sex": ["The sex does not match the NIP."]}
    assert not Employee.objects.filter(nip=NEW_NIP).exists()


def test_non_asn_needs_no_nip(api, world):
    response = api("opd_admin").post(
        EMPLOYEES, {"name": "Joko", "status": "non_asn", "unit": "DIKBUD"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["nip"] is None


def test_employee_needs_a_unit_or_a_position(api, world):
    response = api("opd_admin", language="en").post(
        EMPLOYEES, {"name": "Joko", "status": "non_asn"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"unit": ["This field is required."]}


def test_patch_of_another_agency_employee_is_not_found(api, world):
    response = api("opd_admin").patch(
        f"{EMPLOYEES}{world.staff_b.pk}/", {"name": "Diubah"}, format="json"
    )

    assert response.status_code == 404
    world.staff_b.refresh_from_db()
    assert world.staff_b.name == "Rina Wulandari"
    assert not AuditEvent.objects.exists()


def test_patch_deactivates_an_employee_and_is_audited(api, world):
    response = api("opd_admin").patch(
        f"{EMPLOYEES}{world.staff_a.pk}/",
        {"is_active": False, "reason": "Pensiun"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active is False
    event = AuditEvent.objects.get(action="employee.update")
    assert event.changes == {"is_active": [True, False]}
    assert event.reason == "Pensiun"


def test_transfer_by_patch_opens_a_new_assignment(api, world):
    Assignment.objects.create(
        instansi=world.instansi,
        employee=world.staff_a,
        unit=world.division_a,
        position=world.staff_pos_a,
        valid_from=dt.date(2020, 1, 1),
    )

    response = api("opd_admin").patch(
        f"{EMPLOYEES}{world.staff_a.pk}/",
        {"unit": "DIKBUD", "position": None, "effective_date": "2024-07-01"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["unit"]["code"] == "DIKBUD"
    history = Assignment.objects.filter(employee=world.staff_a).order_by("valid_from")
    assert [(a.unit.code, a.valid_from, a.valid_to) for a in history] == [
        ("DIKBUD-SMA", dt.date(2020, 1, 1), dt.date(2024, 6, 30)),
        ("DIKBUD", dt.date(2024, 7, 1), None),
    ]


def test_transfer_to_another_agency_is_not_found(api, world):
    response = api("opd_admin").patch(
        f"{EMPLOYEES}{world.staff_a.pk}/", {"unit": world.agency_b.pk}, format="json"
    )

    assert response.status_code == 400
    world.staff_a.refresh_from_db()
    assert world.staff_a.unit_id == world.division_a.pk


def test_employees_cannot_be_deleted(api, world):
    response = api("system_admin").delete(f"{EMPLOYEES}{world.staff_a.pk}/")

    assert response.status_code == 405
    assert Employee.objects.filter(pk=world.staff_a.pk).exists()


@pytest.mark.parametrize("role", ["inspektorat", "leadership", "opd_head", "employee"])
def test_read_only_roles_get_403_and_nothing_is_written(api, world, role):
    client = api(role)
    before = Employee.objects.count()

    created = client.post(EMPLOYEES, new_employee("DIKBUD"), format="json")
    changed = client.patch(f"{EMPLOYEES}{world.staff_a.pk}/", {"name": "X"}, format="json")
    unit = client.post(UNITS, {"code": "BARU", "name": "Baru", "kind": "dinas"}, format="json")

    assert (created.status_code, changed.status_code, unit.status_code) == (403, 403, 403)
    assert Employee.objects.count() == before
    world.staff_a.refresh_from_db()
    assert world.staff_a.name == "Siti Aminah"
    assert not AuditEvent.objects.exists()


def test_forbidden_message_is_indonesian_by_default_and_english_on_request(api, world):
    indonesian = api("inspektorat").post(EMPLOYEES, {}, format="json")
    english = api("inspektorat", language="en").post(EMPLOYEES, {}, format="json")

    assert indonesian.json() == {"detail": "Anda tidak memiliki izin untuk melakukan tindakan ini."}
    assert english.json() == {"detail": "You do not have permission to perform this action."}


def test_bkd_creates_an_employee_in_any_agency(api, world):
    response = api("bkd").post(EMPLOYEES, new_employee("DINKES"), format="json")

    assert response.status_code == 201, response.content
    assert Employee.objects.get(nip=NEW_NIP).unit == world.agency_b


def test_unit_create_update_and_close(api, world):
    client = api("opd_admin")

    created = client.post(
        UNITS,
        {
            "code": "DIKBUD-SMK",
            "name": "Bidang SMK",
            "kind": "bidang",
            "parent": "DIKBUD",
            "valid_from": "2024-01-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    unit = OrgUnit.objects.get(code="DIKBUD-SMK")
    assert created.json()["agency"]["code"] == "DIKBUD"
    assert created.json()["depth"] == 1
    assert unit.path.startswith(world.agency_a.path)

    renamed = client.patch(f"{UNITS}{unit.pk}/", {"name": "Bidang Pendidikan SMK"}, format="json")
    assert renamed.json()["name"] == "Bidang Pendidikan SMK"

    closed = client.post(
        f"{UNITS}{unit.pk}/close/",
        {"valid_to": "2025-12-31", "successor": "DIKBUD-SMA", "reason": "Digabung"},
        format="json",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["valid_to"] == "2025-12-31"
    assert list(world.division_a.predecessors.all()) == [unit]
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "unit.create",
        "unit.update",
        "unit.close",
    ]


def test_closing_a_unit_with_active_employees_is_refused(api, world):
    response = api("opd_admin", language="en").post(
        f"{UNITS}{world.division_a.pk}/close/",
        {"valid_to": "2025-12-31", "reason": "Dibubarkan"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Move the unit's employees before closing it."]}
    world.division_a.refresh_from_db()
    assert world.division_a.valid_to is None


def test_closing_needs_a_reason(api, world):
    response = api("bkd", language="en").post(
        f"{UNITS}{world.agency_b.pk}/close/", {"valid_to": "2025-12-31"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"reason": ["Give the reason for closing the unit."]}


def test_closing_another_agency_unit_is_not_found(api, world):
    response = api("opd_admin").post(
        f"{UNITS}{world.agency_b.pk}/close/",
        {"valid_to": "2025-12-31", "reason": "x"},
        format="json",
    )

    assert response.status_code == 404
    world.agency_b.refresh_from_db()
    assert world.agency_b.valid_to is None


def test_units_cannot_be_deleted(api, world):
    assert api("system_admin").delete(f"{UNITS}{world.agency_b.pk}/").status_code == 405


def test_unit_under_another_agency_is_not_found(api, world):
    response = api("opd_admin").post(
        UNITS,
        {"code": "DINKES-X", "name": "X", "kind": "bidang", "parent": "DINKES"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["parent"]
    assert not OrgUnit.objects.filter(code="DINKES-X").exists()


def test_position_create_and_update(api, world):
    client = api("opd_admin")

    created = client.post(
        POSITIONS,
        {
            "code": "DIKBUD-SMA-KABID",
            "title": "Kepala Bidang SMA",
            "kind": "administrator",
            "eselon": "III.a",
            "is_head": True,
            "unit": world.division_a.pk,
            "reports_to": "DIKBUD-KADIS",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["reports_to"] == {
        "id": world.head_pos_a.pk,
        "code": "DIKBUD-KADIS",
        "title": "Kepala Dinas Pendidikan",
    }
    pk = created.json()["id"]

    changed = client.patch(f"{POSITIONS}{pk}/", {"is_active": False}, format="json")

    assert changed.status_code == 200
    assert Position.objects.get(pk=pk).is_active is False
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "position.create",
        "position.update",
    ]


def test_position_in_another_agency_unit_is_not_found(api, world):
    response = api("opd_admin").post(
        POSITIONS,
        {"code": "DINKES-02", "title": "Bidan", "kind": "fungsional", "unit": "DINKES"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]
    assert not Position.objects.filter(code="DINKES-02").exists()


def test_a_code_that_differs_only_by_case_is_refused_with_the_constraints_message(api, world):
    client = api("opd_admin", language="en")
    unit = client.post(
        UNITS,
        {"code": "dikbud-sma", "name": "Bidang Lain", "kind": "bidang", "parent": "DIKBUD"},
        format="json",
    )
    position = client.post(
        POSITIONS,
        {"code": "dikbud-kadis", "title": "Kepala", "kind": "pelaksana", "unit": "DIKBUD-SMA"},
        format="json",
    )
    assert (unit.status_code, position.status_code) == (400, 400)
    assert "A unit with this code already exists." in unit.content.decode()
    assert "A position with this code already exists." in position.content.decode()
    assert OrgUnit.objects.filter(code__iexact="dikbud-sma").count() == 1


# One NIP normaliser: the API takes a NIP the way the product prints it

PRINTED_NIP = "19750315 200501 1 002"
STORED_NIP = "197503152005011002"
ARABIC_INDIC_NIP = "١٩٧٥٠٣١٥٢٠٠٥٠١١٠٠٢"


def test_api_creates_an_employee_from_a_printed_nip(api, world):
    response = api("opd_admin").post(
        EMPLOYEES, new_employee("DIKBUD", nip=PRINTED_NIP), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["nip"] == STORED_NIP
    employee = Employee.objects.get(nip=STORED_NIP)
    assert employee.birth_date == dt.date(1975, 3, 15)


def test_api_changes_a_nip_given_with_dots_and_a_nbsp(api, world):
    # Born on the factory's birth date (1985-03-14), appointed January 2010, male, number 77.
    response = api("opd_admin").patch(
        f"{EMPLOYEES}{world.staff_a.pk}/",
        {"nip": "\u00a019850314.201001.1.077 "},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["nip"] == "198503142010011077"
    world.staff_a.refresh_from_db()
    assert world.staff_a.nip == "198503142010011077"


def test_api_refuses_a_duplicate_nip_however_it_is_spaced(api, world):
    spaced = f"{world.staff_b.nip[:8]} {world.staff_b.nip[8:14]} {world.staff_b.nip[14:]}"
    before = Employee.objects.count()

    response = api("bkd").post(EMPLOYEES, new_employee("DIKBUD", nip=spaced), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["nip"]
    assert Employee.objects.count() == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            "NIP harus ditulis dengan angka 0-9 saja; NIP ini memuat angka aksara lain "
            "(misalnya angka Arab-India atau angka lebar penuh).",
        ),
        (
            "en",
            "NIP must be written with the digits 0-9 only; it contains digits of another "
            "script (for example Arabic-Indic or full-width digits).",
        ),
    ],
)
def test_api_names_non_ascii_digits_in_a_nip(api, world, language, expected):
    response = api("opd_admin", language=language).post(
        EMPLOYEES, new_employee("DIKBUD", nip=ARABIC_INDIC_NIP), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"nip": [expected]}
    assert not AuditEvent.objects.exists()


def test_api_says_a_nip_excel_made_a_number_has_lost_digits(api, world):
    response = api("opd_admin", language="en").post(
        EMPLOYEES, new_employee("DIKBUD", nip=1.97503152005011e17), format="json"
    )

    assert response.status_code == 400
    assert "Format the NIP column as Text" in response.json()["nip"][0]


def test_api_search_finds_an_employee_by_a_spaced_nip_prefix(api, world):
    world.staff_a.nip = STORED_NIP
    world.staff_a.save()

    spaced = api("bkd").get(EMPLOYEES, {"q": "19750315 2005"})
    printed = api("bkd").get(EMPLOYEES, {"q": PRINTED_NIP})

    assert names(spaced) == ["Siti Aminah"]
    assert names(printed) == ["Siti Aminah"]


def test_api_search_names_non_ascii_digits(api, world):
    response = api("bkd", language="en").get(EMPLOYEES, {"q": "١٩٧٥٠٣١٥"})

    assert response.status_code == 400
    assert response.json()["q"][0].startswith("NIP must be written with the digits 0-9 only")


# Bad input never gives a server error

HUGE = "99999999999999999999"  # 20 digits: beyond a 64-bit integer


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{UNITS}?parent={HUGE}", "parent"),
        (f"{UNITS}?agency={HUGE}", "agency"),
        (f"{POSITIONS}?unit={HUGE}", "unit"),
        (f"{EMPLOYEES}?unit={HUGE}", "unit"),
        (f"{EMPLOYEES}?unit=1.5", "unit"),
    ],
)
def test_id_filter_beyond_64_bits_is_a_400_with_a_message(api, world, url, field):
    response = api("system_admin", language="en").get(url)

    assert response.status_code == 400
    assert response.json() == {field: ["Give an id: a whole number from 1 to 9223372036854775807."]}


@pytest.mark.parametrize(
    "url", [f"{EMPLOYEES}{HUGE}/", f"{UNITS}{HUGE}/close/", f"{REGIONS}{HUGE}/"]
)
def test_id_in_the_path_beyond_64_bits_is_a_400_with_a_message(api, world, url):
    client = api("system_admin", language="en")
    response = client.post(url, {}, format="json") if url.endswith("close/") else client.get(url)

    assert response.status_code == 400
    assert response.json() == {"detail": "An id is a whole number from 1 to 9223372036854775807."}


def test_an_address_matching_no_route_answers_json(api, world):
    response = api("system_admin", language="en").get(f"{EMPLOYEES}0.5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_deeply_nested_json_is_a_400(api, world):
    body = "[" * 100_000 + "]" * 100_000

    response = api("opd_admin", language="en").post(
        EMPLOYEES, body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body is nested too deeply (more than 32 levels)."
    }


def test_json_nested_within_the_limit_is_judged_by_the_fields(api, world):
    nested = {"name": [[[["Sri"]]]], "status": "pns", "nip": NEW_NIP, "unit": "DIKBUD"}

    response = api("opd_admin", language="en").post(EMPLOYEES, nested, format="json")

    assert response.status_code == 400
    assert response.json() == {"name": ["Not a valid string."]}


def test_nul_character_in_a_query_parameter_is_a_400(api, world):
    client = api("system_admin", language="en")

    response = client.get(f"{EMPLOYEES}?ordering=name%00")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address contains a NUL character (code 0), which no field accepts."
    }


@pytest.mark.parametrize("unit", ["²", "9" * 5000, "١"])
def test_unit_written_as_odd_digits_is_not_found_not_a_server_error(api, world, unit):
    response = api("opd_admin", language="en").post(EMPLOYEES, new_employee(unit), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_nul_character_in_a_json_body_is_a_400_before_any_lookup(api, world):
    # On PostgreSQL the unit lookup by code once failed on the NUL: a server error.
    response = api("opd_admin", language="en").post(
        EMPLOYEES, new_employee("DIK\x00BUD"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body contains a NUL character (code 0), which no field accepts."
    }
    assert not Employee.objects.filter(nip=NEW_NIP).exists()


def test_nul_character_in_a_multipart_unit_code_is_not_found(api, world):
    response = api("opd_admin", language="en").patch(
        f"{EMPLOYEES}{world.staff_a.pk}/", {"unit": "DIK\x00BUD"}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_schema_documents_the_error_answers(world):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()

    detail = schema["paths"]["/api/v1/employees/{id}/"]["patch"]
    listing = schema["paths"]["/api/v1/employees/"]["get"]
    create = schema["paths"]["/api/v1/employees/"]["post"]
    assert set(detail["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(listing["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(create["responses"]) == {"201", "400", "401", "403"}
    body = detail["responses"]["400"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ValidationError"}
    not_found = detail["responses"]["404"]["content"]["application/json"]["schema"]
    assert schema["components"]["schemas"][not_found["$ref"].rsplit("/", 1)[1]]["required"] == [
        "detail"
    ]
    path_id = next(p for p in detail["parameters"] if p["name"] == "id")
    assert path_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_brief_forms_read_from_attributes_equal_the_brief_serializers(world):
    from kinerja.organisations.api.serializers import (
        PositionBriefSerializer,
        RegionBriefSerializer,
        UnitBriefSerializer,
        brief,
    )
    from kinerja.organisations.models import Region

    region = Region.objects.create(code="35.73", name="Kota Malang", level="city")
    for obj, serializer in (
        (world.agency_a, UnitBriefSerializer),
        (world.head_pos_a, PositionBriefSerializer),
        (region, RegionBriefSerializer),
    ):
        assert brief(obj, serializer) == serializer(obj).data
    assert brief(world.division_a, UnitBriefSerializer) == {
        "id": world.division_a.pk,
        "code": "DIKBUD-SMA",
        "name": "Bidang SMA",
    }

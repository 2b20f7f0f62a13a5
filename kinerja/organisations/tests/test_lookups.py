"""Forms that fit the data: the employee form's unit and post are searchable selects fed by scoped
lookups; the list's unit filter holds only the top of the reach. And what the list, its API and
its exports carry: OPD, pangkat/golongan, eselon and post, and the nominatif."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from kinerja.organisations.choices import EmployeeStatus
from kinerja.organisations.display import grade_label, person_name
from kinerja.organisations.lookups import LOOKUP_LIMIT
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _options(html: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) of each option of the select named ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [
        (value, label.strip())
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    ]


def _lookup(client, name, **params):
    response = client.get(reverse(f"organisations:{name}"), params)
    assert response.status_code == 200, response.status_code
    return response.json()


def _texts(client, name, **params):
    return [r["text"] for r in _lookup(client, name, **params)["results"]]


def _new_employee(world, **changes):
    return {
        "name": "Wahyu Prasetyo",
        "status": EmployeeStatus.PNS,
        "nip": make_nip(dt.date(1990, 2, 3), dt.date(2015, 3, 1), "m", 12),
        "grade": "III/a",
        "email": "",
        "unit": world.division_a.pk,
        "position": world.staff_pos_a.pk,
        "start_date": "2025-01-02",
        **changes,
    }


# The form page holds only the chosen values -------------------------------------------------------


def test_edit_form_renders_only_the_current_unit_and_post(world, login):
    client = login(world.users["bkd"])  # reaches every unit and post of the instansi

    html = client.get(reverse("organisations:employee_update", args=[world.staff_a.pk])).content
    html = html.decode()

    assert _options(html, "unit") == [
        ("", "---------"),
        (str(world.division_a.pk), "Bidang SMA (DIKBUD-SMA)"),
    ]
    assert _options(html, "position") == [
        ("", "---------"),
        (str(world.staff_pos_a.pk), "Analis SMA · Bidang SMA"),
    ]
    assert 'data-lookup-url="/org/employees/lookup/units/"' in html
    assert 'data-lookup-depends="id_unit"' in html
    assert "vendor/tom-select-2.6.2/js/tom-select.complete.min.js" in html
    assert "Dinas Kesehatan" not in html


def test_add_form_renders_no_unit_or_post(world, login):
    html = login(world.users["bkd"]).get(reverse("organisations:employee_create")).content.decode()

    assert _options(html, "unit") == [("", "---------")]
    assert _options(html, "position") == [("", "---------")]


def test_unit_form_loads_no_lookup_script(world, login):
    client = login(world.users["bkd"])
    html = client.get(reverse("organisations:unit_update", args=[world.division_a.pk])).content

    assert b"tom-select" not in html


def test_a_post_of_another_agency_posted_by_hand_is_refused(world, login):
    pos_b = PositionFactory(unit=world.agency_b, code="DINKES-01")
    client = login(world.users["opd_admin"])

    response = client.post(
        reverse("organisations:employee_create"), _new_employee(world, position=pos_b.pk)
    )

    assert response.status_code == 400
    assert "position" in response.context["form"].errors
    assert not Employee.objects.filter(name="Wahyu Prasetyo").exists()


# The search without JavaScript: a round trip that saves nothing ---------------------------------


def test_no_js_unit_search_offers_the_matches_and_keeps_what_was_typed(world, login):
    client = login(world.users["opd_admin"])

    response = client.post(
        reverse("organisations:employee_create"),
        {"name": "Wahyu Prasetyo", "status": "non_asn", "unit_q": "sma", "_lookup": "unit"},
    )

    assert response.status_code == 200
    assert not Employee.objects.filter(name="Wahyu Prasetyo").exists()
    html = response.content.decode()
    assert _options(html, "unit") == [
        ("", "---------"),
        (str(world.division_a.pk), "Bidang SMA (DIKBUD-SMA)"),
    ]
    assert 'name="unit_q" value="sma"' in html
    assert 'value="Wahyu Prasetyo"' in html
    assert "1 match: choose it in the list above." in html
    assert "is-invalid" not in html  # nothing was checked yet


def test_no_js_post_search_keeps_to_the_chosen_unit(world, login):
    client = login(world.users["opd_admin"])
    url = reverse("organisations:employee_create")

    response = client.post(url, {"unit": world.division_a.pk, "_lookup": "position"})
    assert _options(response.content.decode(), "position") == [
        ("", "---------"),
        (str(world.staff_pos_a.pk), "Analis SMA · Bidang SMA"),
    ]
    # The chosen unit is kept as the select's value.
    assert (str(world.division_a.pk), "Bidang SMA (DIKBUD-SMA)") in _options(
        response.content.decode(), "unit"
    )

    # A unit out of reach is no filter: the search runs over the posts in reach (not B's).
    PositionFactory(unit=world.agency_b, code="DINKES-01", title="Analis Kesehatan")
    response = client.post(
        url, {"unit": world.agency_b.pk, "position_q": "analis", "_lookup": "position"}
    )
    assert [label for _v, label in _options(response.content.decode(), "position")] == [
        "---------",
        "Analis SMA · Bidang SMA",
    ]


def test_no_js_edit_search_keeps_the_untouched_fields(world, login):
    client = login(world.users["opd_admin"])
    url = reverse("organisations:employee_update", args=[world.staff_a.pk])

    response = client.post(
        url,
        {
            "name": "Siti Aminah Baru",
            "status": world.staff_a.status,
            "unit_q": "dinas",
            "_lookup": "unit",
        },
    )

    assert response.status_code == 200
    world.staff_a.refresh_from_db()
    assert world.staff_a.name == "Siti Aminah"  # nothing saved
    html = response.content.decode()
    assert 'value="Siti Aminah Baru"' in html
    assert _options(html, "unit")[1:] == [(str(world.agency_a.pk), "Dinas Pendidikan (DIKBUD)")]


# The lookups -------------------------------------------------------------------------------------


def test_unit_lookup_offers_the_units_the_caller_may_assign_to(world, login):
    OrgUnitFactory(
        instansi=world.instansi,
        parent=world.agency_a,
        code="DIKBUD-OLD",
        name="Bidang Lama",
        valid_to=dt.date(2021, 1, 1),
    )
    admin = login(world.users["opd_admin"])

    found = _lookup(admin, "employee_unit_lookup")
    assert found == {
        "results": [
            {
                "value": world.agency_a.pk,
                "text": "Dinas Pendidikan (DIKBUD)",
                "hint": "",
                "keywords": "",
            },
            {
                "value": world.division_a.pk,
                "text": "Bidang SMA (DIKBUD-SMA)",
                "hint": "Dinas Pendidikan",
                "keywords": "",
            },
        ],
        "more": False,
    }  # not the closed unit, not agency B
    assert _texts(admin, "employee_unit_lookup", q="dikbud-sma") == ["Bidang SMA (DIKBUD-SMA)"]
    assert _texts(admin, "employee_unit_lookup", q="Kesehatan") == []

    bkd = login(world.users["bkd"])
    assert _texts(bkd, "employee_unit_lookup", q="dinas") == [
        "Dinas Pendidikan (DIKBUD)",  # tree order: agency A was made first
        "Dinas Kesehatan (DINKES)",
    ]
    assert "Disdik Malang (DISDIK-MLG)" not in _texts(bkd, "employee_unit_lookup", q="dis")


def test_unit_lookup_returns_at_most_the_limit_and_says_there_are_more(world, login):
    for n in range(LOOKUP_LIMIT + 1):
        OrgUnitFactory(
            instansi=world.instansi,
            parent=world.agency_a,
            code=f"SEKSI-{n:02d}",
            name=f"Seksi {n:02d}",
        )
    client = login(world.users["opd_admin"])

    found = _lookup(client, "employee_unit_lookup", q="seksi")
    assert len(found["results"]) == LOOKUP_LIMIT == 30
    assert found["more"] is True
    assert found["results"][0]["text"] == "Seksi 00 (SEKSI-00)"
    assert _lookup(client, "employee_unit_lookup", q="seksi 3")["more"] is False


def test_unit_lookup_costs_the_same_for_few_or_many_units(world, login):
    client = login(world.users["opd_admin"])
    url = reverse("organisations:employee_unit_lookup")
    client.get(url)  # the caller's scope is then kept: both requests below read it the same way
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        OrgUnitFactory(instansi=world.instansi, parent=world.agency_a, code=f"S-{n:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_position_lookup_keeps_to_the_unit_and_to_active_posts(world, login):
    PositionFactory(
        unit=world.division_a, code="DIKBUD-SMA-09", title="Analis Lama", is_active=False
    )
    PositionFactory(unit=world.agency_b, code="DINKES-01", title="Analis Kesehatan")
    client = login(world.users["opd_admin"])
    name = "employee_position_lookup"

    assert _lookup(client, name, unit=world.division_a.pk) == {
        "results": [
            {
                "value": world.staff_pos_a.pk,
                "text": "Analis SMA · Bidang SMA",
                "hint": "DIKBUD-SMA-01",
                "keywords": "DIKBUD-SMA-01",
            }
        ],
        "more": False,
    }
    assert _texts(client, name, unit=world.agency_a.pk) == [
        "Kepala Dinas Pendidikan · Dinas Pendidikan"
    ]
    assert [r["hint"] for r in _lookup(client, name, unit=world.agency_a.pk)["results"]] == [
        "DIKBUD-KADIS · II.a"
    ]
    assert _texts(client, name, q="kadis") == ["Kepala Dinas Pendidikan · Dinas Pendidikan"]
    assert _texts(client, name, q="analis") == ["Analis SMA · Bidang SMA"]  # not B's, not retired
    assert _texts(client, name, unit=world.agency_b.pk) == []
    assert _texts(client, name, unit="abc") == []
    assert _texts(client, name, unit="9" * 30) == []


def test_lookups_need_the_right_somewhere(world, login, client):
    assert client.get(reverse("organisations:employee_unit_lookup")).status_code == 302
    leadership = login(world.users["leadership"])  # views everyone, changes no one
    assert leadership.get(reverse("organisations:employee_unit_lookup")).status_code == 403
    assert leadership.get(reverse("organisations:employee_position_lookup")).status_code == 403
    assert _texts(leadership, "employee_filter_unit_lookup", q="dinas kes") == [
        "Dinas Kesehatan (DINKES)"
    ]


def test_lookup_search_text_is_cut_to_a_sane_length(world, login):
    client = login(world.users["opd_admin"])
    assert _texts(client, "employee_unit_lookup", q="x" * 5000) == []


# List page, API and exports --------------------------------------------------------------------


def _with_rank(world):
    world.head_a.grade = "IV/c"
    world.head_a.front_title = "Dr."
    world.head_a.back_title = "M.Pd."
    world.head_a.save()
    world.staff_a.grade = "III/b"
    world.staff_a.save()


def test_display_helpers():
    assert grade_label(Employee(grade="IV/a")) == "IV/a Pembina"
    assert grade_label(Employee(grade="IX")) == "IX"  # PPPK grades have no pangkat
    assert grade_label(Employee(grade="X/z")) == "X/z"  # not in the table: as stored
    assert grade_label(Employee(grade="")) == ""
    assert person_name("Dr.", "Siti Aminah", "S.Pd.") == "Dr. Siti Aminah, S.Pd."
    assert person_name("", "Siti Aminah", "") == "Siti Aminah"
    assert Employee(front_title="Ir.", name="Budi", back_title="").display_name == "Ir. Budi"


def test_employee_list_shows_grade_post_eselon_unit_and_agency(world, login):
    _with_rank(world)
    response = login(world.users["opd_admin"]).get(
        reverse("organisations:employee_list"), headers=EN
    )
    html = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows[1:]
    ]
    budi = next(c for c in cells if c[0].startswith("Dr. Budi"))
    assert budi[2:6] == [
        "IV/c Pembina Utama Muda",
        "Kepala Dinas Pendidikan",
        "II.a",
        "Dinas Pendidikan",
    ]
    assert budi[6] == "Dinas Pendidikan"
    siti = next(c for c in cells if c[0].startswith("Siti"))
    assert siti[2:7] == [
        "III/b Penata Muda Tingkat I",
        "Analis SMA",
        "—",
        "Bidang SMA",
        "Dinas Pendidikan",
    ]
    for header in ("Rank/grade", "Eselon", "Agency (OPD)"):
        assert f">{header}</th>" in html


def test_employee_list_queries_do_not_grow_with_rows(world, login):
    client = login(world.users["bkd"])
    url = reverse("organisations:employee_list")
    client.get(url, headers=EN)  # warm: what is kept until a write (kinerja.audit.freshness)
    with CaptureQueriesContext(connection) as few:
        client.get(url, headers=EN)
    for n in range(10):
        unit = OrgUnitFactory(instansi=world.instansi, parent=world.agency_b, code=f"K-{n}")
        EmployeeFactory(unit=unit, position=PositionFactory(unit=unit, eselon="IV.a"))
    with CaptureQueriesContext(connection) as many:
        client.get(url, headers=EN)
    assert len(many) == len(few)


def test_api_carries_agency_eselon_and_grade_label(world):
    _with_rank(world)
    client = APIClient()
    client.force_authenticate(world.users["opd_admin"])

    body = client.get(reverse("api:employee-detail", args=[world.head_a.pk])).json()

    assert body["agency"] == {"id": world.agency_a.pk, "code": "DIKBUD", "name": "Dinas Pendidikan"}
    assert body["eselon"] == "II.a"
    assert (body["grade"], body["grade_label"]) == ("IV/c", "IV/c Pembina Utama Muda")
    siti = client.get(reverse("api:employee-detail", args=[world.staff_a.pk])).json()
    assert siti["agency"]["code"] == "DIKBUD"
    assert siti["eselon"] == ""
    honorer = APIClient()
    honorer.force_authenticate(world.users["bkd"])
    agus = honorer.get(reverse("api:employee-detail", args=[world.honorer_b.pk])).json()
    assert agus["eselon"] == ""  # no post
    assert agus["agency"]["code"] == "DINKES"
    # A partial update answers with every field too (DRF skips defaults in partial updates).
    patched = honorer.patch(
        reverse("api:employee-detail", args=[world.honorer_b.pk]),
        {"email": "agus@example.org", "reason": "Email baru"},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["eselon"], patched.json()["email"]) == ("", "agus@example.org")


def _nominatif(client, **params):
    response = client.get(reverse("organisations:employee_nominatif"), params, headers=EN)
    assert response.status_code == 200
    return response


def test_nominatif_columns_numbering_and_scope(world, login):
    _with_rank(world)
    response = _nominatif(login(world.users["opd_admin"]))

    assert 'filename="nominatif-pegawai-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Nominal roll"
    assert rows == [
        ["No.", "NIP", "Name", "Rank/grade", "Position", "Unit", "Agency (OPD)"],
        [
            1,
            world.head_a.nip,
            "Dr. Budi Santoso, M.Pd.",
            "IV/c Pembina Utama Muda",
            "Kepala Dinas Pendidikan",
            "Dinas Pendidikan",
            "Dinas Pendidikan",
        ],
        [
            2,
            world.staff_a.nip,
            "Siti Aminah",
            "III/b Penata Muda Tingkat I",
            "Analis SMA",
            "Bidang SMA",
            "Dinas Pendidikan",
        ],
    ]


def test_nominatif_in_indonesian(world, login, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client = login(world.users["opd_admin"])
    response = client.get(reverse("organisations:employee_nominatif"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(values_only=True)) == (
        "No.",
        "NIP",
        "Nama",
        "Pangkat/Gol.",
        "Jabatan",
        "Unit kerja",
        "Perangkat Daerah (OPD)",
    )
    assert sheet.title == "Nominatif"


def test_nominatif_follows_the_filters_and_the_sort_and_writes_csv(world, login):
    client = login(world.users["bkd"])

    response = _nominatif(client, status="non_asn", format="csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [["1", "", "Agus Salim", "", "", "Dinas Kesehatan", "Dinas Kesehatan"]]

    response = _nominatif(client, sort="-name", unit=world.agency_a.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Siti Aminah",
        "Budi Santoso",
    ]


def test_exports_cost_the_same_queries_for_few_or_many_rows(world, login):
    client = login(world.users["bkd"])
    client.get(reverse("organisations:employee_export"), headers=EN)  # the caller's scope kept
    counts = {}
    for label in ("few", "many"):
        if label == "many":
            for n in range(12):
                unit = OrgUnitFactory(instansi=world.instansi, parent=world.agency_b, code=f"Q-{n}")
                EmployeeFactory(unit=unit, position=PositionFactory(unit=unit))
        for name in ("employee_nominatif", "employee_export"):
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse(f"organisations:{name}"), headers=EN)
            counts[label, name] = len(queries)
    assert counts["few", "employee_nominatif"] == counts["many", "employee_nominatif"]
    assert counts["few", "employee_export"] == counts["many", "employee_export"]


def test_nominatif_button_carries_the_filters(world, login):
    client = login(world.users["bkd"])
    html = client.get(
        reverse("organisations:employee_list"), {"status": "pns"}, headers=EN
    ).content.decode()
    assert f'href="{reverse("organisations:employee_nominatif")}?status=pns"' in html


def test_the_schema_says_eselon_is_text_and_superior_a_person(world):
    """The fuzz holds responses to the schema: a misplaced decorator once typed eselon."""
    client = APIClient()
    client.force_authenticate(world.users["bkd"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    employee = schema["components"]["schemas"]["Employee"]["properties"]

    assert employee["eselon"]["type"] == "string"
    assert "Superior" in json.dumps(employee["superior"])

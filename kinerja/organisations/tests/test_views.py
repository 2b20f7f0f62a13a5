"""The organisation pages: who sees what, the HTMX fragments and the exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.organisations import services
from kinerja.organisations.choices import EmployeeStatus
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

HX = {"HX-Request": "true"}
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages follow the language the user chose (a cookie), not the browser's header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _get(client, name, *args, data=None, headers=None):
    return client.get(reverse(name, args=args), data or {}, headers={**EN, **(headers or {})})


# Unit tree -------------------------------------------------------------------------------------


def test_tree_of_opd_admin_shows_only_their_agency(world, login):
    response = _get(login(world.users["opd_admin"]), "organisations:unit_tree")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dinas Pendidikan" in body
    assert "Dinas Kesehatan" not in body
    assert "1 agency" in body
    # The agency has a sub-unit, so it opens lazily with htmx.
    assert reverse("organisations:unit_children", args=[world.agency_a.pk]) in body


def test_tree_of_bkd_shows_both_agencies_with_headcounts(world, login):
    response = _get(login(world.users["bkd"]), "organisations:unit_tree")
    body = response.content.decode()
    assert "Dinas Pendidikan" in body and "Dinas Kesehatan" in body
    assert "Disdik Malang" not in body  # another instansi
    assert "2 agencies" in body
    # Dinas Pendidikan: Budi in the agency and Siti in its division.
    assert body.count("2 employees") == 2  # A (sub-units counted) and B (Rina, Agus)


def test_tree_roots_are_the_topmost_visible_units(world, login):
    """A head whose role is granted on the division sees the division as the root, not the
    whole agency."""
    from kinerja.accounts.models import RoleAssignment, User
    from kinerja.accounts.roles import Role

    user = User.objects.create_user(username="kabid", password="x", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=user, role=Role.OPD_HEAD, instansi=world.instansi, unit=world.division_a
    )
    response = _get(login(user), "organisations:unit_tree")
    body = response.content.decode()
    assert "Bidang SMA" in body
    assert "Dinas Pendidikan" not in body


def test_tree_needs_view_org(world, login):
    response = _get(login(world.users["employee"]), "organisations:unit_tree")
    assert response.status_code == 403


def test_pages_need_login(client, world):
    response = client.get(reverse("organisations:unit_tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unit_children_partial(world, login):
    client = login(world.users["opd_admin"])
    response = _get(client, "organisations:unit_children", world.agency_a.pk, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bidang SMA" in body
    assert "<html" not in body
    assert "1 employee" in body  # Siti
    # Without htmx the address sends the browser to the unit's page.
    plain = _get(client, "organisations:unit_children", world.agency_a.pk)
    assert plain.status_code == 302
    assert plain["Location"] == world.agency_a.get_absolute_url()


def test_unit_children_of_another_agency_is_404(world, login):
    client = login(world.users["opd_admin"])
    response = _get(client, "organisations:unit_children", world.agency_b.pk, headers=HX)
    assert response.status_code == 404


def test_tree_search_is_a_partial_and_stays_in_scope(world, login):
    client = login(world.users["opd_admin"])
    response = _get(client, "organisations:unit_tree", data={"q": "dinas"}, headers=HX)
    body = response.content.decode()
    assert "<html" not in body
    assert "1 unit found" in body
    assert "Dinas Pendidikan" in body
    assert "Dinas Kesehatan" not in body
    by_code = _get(client, "organisations:unit_tree", data={"q": "sma"}, headers=HX)
    assert "Bidang SMA" in by_code.content.decode()


# Unit detail -----------------------------------------------------------------------------------


def test_unit_detail_shows_head_sub_units_positions_and_headcount(world, login):
    response = _get(login(world.users["opd_admin"]), "organisations:unit_detail", world.agency_a.pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="unit-head"' in body
    assert "Budi Santoso" in body
    assert "Kepala Dinas Pendidikan" in body
    assert "II.a" in body
    assert "Bidang SMA" in body
    assert 'data-testid="count-pns">2<' in body
    assert 'data-testid="count-non_asn">0<' in body


def test_unit_detail_outside_scope_is_404(world, login):
    client = login(world.users["opd_admin"])
    assert _get(client, "organisations:unit_detail", world.agency_b.pk).status_code == 404
    assert _get(client, "organisations:unit_detail", world.agency_x.pk).status_code == 404


def test_unit_history_only_for_audit_viewers(world, login):
    services.unit_update(
        actor=world.users["opd_admin"],
        scope=_scope(world.users["opd_admin"]),
        unit=world.division_a,
        data={"name": "Bidang Pembinaan SMA"},
        reason="Perubahan SOTK",
    )
    admin = _get(login(world.users["opd_admin"]), "organisations:unit_detail", world.division_a.pk)
    body = admin.content.decode()
    assert "Change history" in body
    assert "unit.update" in body
    assert "Bidang SMA" in body and "Bidang Pembinaan SMA" in body
    assert "Perubahan SOTK" in body
    # Leadership reads the organisation but not its audit trail.
    leader = _get(
        login(world.users["leadership"]), "organisations:unit_detail", world.division_a.pk
    )
    assert leader.status_code == 200
    assert "unit.update" not in leader.content.decode()


def _scope(user):
    from kinerja.accounts.scope import scope_for

    return scope_for(user)


# Employee list ---------------------------------------------------------------------------------


def test_employee_list_of_opd_admin(world, login):
    response = _get(login(world.users["opd_admin"]), "organisations:employee_list")
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 employees" in body
    assert "Budi Santoso" in body and "Siti Aminah" in body
    assert "Rina Wulandari" not in body
    assert "Dewi Lestari" not in body
    assert "<html" in body
    assert reverse("organisations:employee_export") in body


def test_employee_list_partial_on_htmx(world, login):
    client = login(world.users["bkd"])
    response = _get(client, "organisations:employee_list", data={"status": "non_asn"}, headers=HX)
    body = response.content.decode()
    assert "<html" not in body
    assert "1 employee" in body
    assert "Agus Salim" in body
    assert "Rina Wulandari" not in body
    # The export buttons follow the filters (an out-of-band swap).
    assert 'hx-swap-oob="true"' in body
    assert "status=non_asn" in body
    assert "HX-Request" in response["Vary"]


def test_employee_list_filters_by_nip_prefix_and_unit_subtree(world, login):
    client = login(world.users["bkd"])
    nip = world.staff_a.nip
    by_nip = _get(client, "organisations:employee_list", data={"q": nip[:14]}).content.decode()
    assert "Siti Aminah" in by_nip
    by_unit = _get(
        client, "organisations:employee_list", data={"unit": world.agency_a.pk}
    ).content.decode()
    assert "2 employees" in by_unit  # the agency and its division
    assert "Rina Wulandari" not in by_unit


def test_employee_list_foreign_unit_filter_reveals_nothing(world, login):
    client = login(world.users["opd_admin"])
    body = _get(
        client, "organisations:employee_list", data={"unit": world.agency_b.pk}
    ).content.decode()
    assert "0 employees" in body
    assert "Rina Wulandari" not in body


def test_employee_list_sorts_and_pages(world, login):
    for n in range(55):
        EmployeeFactory(unit=world.agency_b, name=f"Zaenal {n:02d}")
    client = login(world.users["bkd"])
    first = _get(client, "organisations:employee_list", data={"sort": "-name"}).content.decode()
    assert "59 employees" in first
    assert first.index("Zaenal 54") < first.index("Zaenal 53")
    assert "page 1 of 2" in first
    second = _get(
        client, "organisations:employee_list", data={"sort": "name", "page": 2}
    ).content.decode()
    # Agus, Budi, Rina, Siti and Zaenal 00..45 fill page 1; page 2 holds Zaenal 46..54.
    assert "Zaenal 46" in second and "Zaenal 54" in second
    assert "Zaenal 45" not in second
    assert "Showing 51 to 59 of 59" in second


def test_employee_list_needs_view_people(world, login):
    response = _get(login(world.users["employee"]), "organisations:employee_list")
    assert response.status_code == 403


# Export ----------------------------------------------------------------------------------------


def _sheet_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    return ws, [list(row) for row in ws.iter_rows(values_only=True)]


def test_export_xlsx_of_opd_admin_holds_only_their_agency(world, login):
    response = _get(login(world.users["opd_admin"]), "organisations:employee_export")
    assert response.status_code == 200
    assert 'attachment; filename="pegawai-' in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    ws, rows = _sheet_rows(response)
    assert rows[0] == [
        "NIP",
        "Nama",
        "Status",
        "Kode Unit",
        "Unit",
        "Kode Jabatan",
        "Jabatan",
        "Gelar Depan",
        "Gelar Belakang",
        "Jenis Kelamin",
        "Tanggal Lahir",
        "Golongan",
        "TMT Golongan",
        "Email",
        "Tanggal Mulai",
        "Aktif",
        "Eselon",
        "OPD",
    ]
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:R3"
    names = sorted(row[1] for row in rows[1:])
    assert names == ["Budi Santoso", "Siti Aminah"]
    siti = next(row for row in rows[1:] if row[1] == "Siti Aminah")
    assert siti[0] == world.staff_a.nip
    assert siti[2:7] == ["PNS", "DIKBUD-SMA", "Bidang SMA", "DIKBUD-SMA-01", "Analis SMA"]
    assert siti[15] == "yes"
    assert siti[16:] == [None, "Dinas Pendidikan"]  # her post has no eselon; agency A
    budi = next(row for row in rows[1:] if row[1] == "Budi Santoso")
    assert budi[16:] == ["II.a", "Dinas Pendidikan"]


def test_export_follows_the_filters(world, login):
    client = login(world.users["bkd"])
    response = _get(client, "organisations:employee_export", data={"status": "non_asn"})
    _ws, rows = _sheet_rows(response)
    assert [row[1] for row in rows[1:]] == ["Agus Salim"]
    assert rows[1][0] is None or rows[1][0] == ""  # non-ASN staff have no NIP


def test_export_csv(world, login):
    client = login(world.users["bkd"])
    response = _get(client, "organisations:employee_export", data={"format": "csv", "sort": "nip"})
    assert response["Content-Type"].startswith("text/csv")
    assert '.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "NIP"
    assert sorted(row[1] for row in rows[1:]) == [
        "Agus Salim",
        "Budi Santoso",
        "Rina Wulandari",
        "Siti Aminah",
    ]


def test_export_keeps_a_formula_looking_name_as_text(world, login):
    EmployeeFactory(unit=world.agency_a, name="=HYPERLINK(1)")
    client = login(world.users["opd_admin"])
    _ws, rows = _sheet_rows(_get(client, "organisations:employee_export"))
    assert "=HYPERLINK(1)" in [row[1] for row in rows]
    response = _get(client, "organisations:employee_export", data={"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_export_needs_export_right(world, login):
    response = _get(login(world.users["employee"]), "organisations:employee_export")
    assert response.status_code == 403


def test_export_reads_rows_in_one_query_without_instances(world, login, django_assert_num_queries):
    for n in range(300):
        EmployeeFactory(
            unit=world.division_a,
            name=f"Pegawai {n:03d}",
            status=EmployeeStatus.PPPK if n % 3 else EmployeeStatus.PNS,
        )
    from kinerja.accounts.scope import scope_for
    from kinerja.organisations.models import Employee
    from kinerja.organisations.reports import EmployeeReport

    report = EmployeeReport(Employee.objects.within(scope_for(world.users["opd_admin"])))
    with django_assert_num_queries(1):
        rows = list(report.rows())
    assert len(rows) == 302
    assert sum(1 for row in rows if row[2] == "PPPK") == 200


# Employee detail and "my record" ---------------------------------------------------------------


def test_employee_detail_splits_the_nip(world, login):
    response = _get(
        login(world.users["opd_admin"]), "organisations:employee_detail", world.staff_a.pk
    )
    assert response.status_code == 200
    body = response.content.decode()
    nip = world.staff_a.nip
    assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in body
    assert "14 March 1985" in body  # the birth date in the NIP
    assert "Male" in body
    assert "Analis SMA" in body
    assert "Assignment history" in body


def test_employee_detail_shows_transfer_history(world, login):
    admin = world.users["bkd"]
    new_unit = OrgUnitFactory(
        instansi=world.instansi, parent=world.agency_a, code="DIKBUD-SMK", name="Bidang SMK"
    )
    import datetime as dt

    services.employee_update(
        actor=admin,
        scope=_scope(admin),
        employee=world.staff_a,
        data={"unit": new_unit, "position": None},
        reason="Mutasi",
        effective=dt.date(2030, 1, 2),
    )
    body = _get(login(admin), "organisations:employee_detail", world.staff_a.pk).content.decode()
    history = body[body.index("Assignment history") : body.index('id="history"')]
    assert "Bidang SMK" in history
    assert "2 January 2030" in history
    audit = body[body.index('id="history"') :]
    assert "employee.update" in audit  # BKD may view the audit
    assert "Mutasi" in audit
    # The change names the units, not their keys.
    assert "<del>Bidang SMA</del> → <strong>Bidang SMK</strong>" in audit


def test_employee_detail_outside_scope_is_404(world, login):
    client = login(world.users["opd_admin"])
    assert _get(client, "organisations:employee_detail", world.staff_b.pk).status_code == 404
    assert _get(client, "organisations:employee_detail", world.staff_x.pk).status_code == 404


def test_employee_sees_own_record_only(world, login):
    client = login(world.users["employee"])
    me = _get(client, "organisations:employee_me")
    assert me.status_code == 302
    assert me["Location"] == reverse("organisations:employee_detail", args=[world.staff_a.pk])
    own = _get(client, "organisations:employee_detail", world.staff_a.pk)
    assert own.status_code == 200
    assert "Siti Aminah" in own.content.decode()
    assert 'id="history"' not in own.content.decode()  # no view_audit for plain employees
    other = _get(client, "organisations:employee_detail", world.head_a.pk)
    assert other.status_code == 404


def test_employee_me_without_record_is_404(world, login):
    assert _get(login(world.users["bkd"]), "organisations:employee_me").status_code == 404


# Language --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "word"), [("id", "Pegawai"), ("en", "Employees")])
def test_language_switch_changes_the_page(world, login, language, word):
    client = login(world.users["bkd"])
    response = client.post(
        reverse("set_language"),
        {"language": language, "next": reverse("organisations:employee_list")},
    )
    assert response.status_code == 302
    body = client.get(reverse("organisations:employee_list")).content.decode()
    assert f"<title>{word} · Kinerja</title>" in body

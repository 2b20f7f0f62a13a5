"""The unit, position and employee importers: rules, scope, upserts and bulk writes."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.organisations.importers import EmployeeImporter, PositionImporter, UnitImporter
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position
from kinerja.organisations.nip import make_nip

HEADER = ["nip", "name", "status", "unit_code", "position_code"]
NIP_1 = make_nip(dt.date(1990, 1, 2), dt.date(2015, 3, 1), "m", 1)
NIP_2 = make_nip(dt.date(1991, 6, 30), dt.date(2016, 1, 1), "f", 2)
NIP_3 = make_nip(dt.date(1992, 12, 1), dt.date(2019, 2, 1), "f", 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(user, rows, importer=EmployeeImporter, *, dry_run=False, data=None, name="staff.xlsx"):
    data = data if data is not None else xlsx(rows)
    table = read_table(io.BytesIO(data), name)
    return import_run(
        actor=user, scope=scope_for(user), importer=importer, table=table, dry_run=dry_run
    )


def three_rows():
    return [
        HEADER,
        [NIP_1, "Andi Wijaya", "pns", "DIKBUD-SMA", "DIKBUD-SMA-01"],
        [NIP_2, "Sri Rahayu", "PNS", "DIKBUD", ""],
        [NIP_3, "Dewi Kartika", "pppk", "DINKES", None],
    ]


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


def test_a_valid_file_creates_employees_assignments_and_audit_events(world):
    employees, assignments = Employee.objects.count(), Assignment.objects.count()
    events = AuditEvent.objects.count()

    outcome = run(world.users["bkd"], three_rows())

    assert outcome.valid, errors_of(outcome)
    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert Employee.objects.count() == employees + 3
    assert Assignment.objects.count() == assignments + 3
    andi = Employee.objects.get(nip=NIP_1)
    assert (andi.unit, andi.position) == (world.division_a, world.staff_pos_a)
    assert (andi.birth_date, andi.sex) == (dt.date(1990, 1, 2), "m")  # from the NIP
    assert andi.assignments.get().valid_to is None
    assert Employee.objects.get(nip=NIP_2).sex == "f"
    assert AuditEvent.objects.count() == events + 4  # the file, then one per created row
    event = AuditEvent.objects.get(action="import.employees")
    assert event.target_type == "imports.importjob"
    rows = AuditEvent.objects.filter(action="import.employees.create")
    assert sorted(rows.values_list("target_repr", flat=True)) == [
        "Andi Wijaya",
        "Dewi Kartika",
        "Sri Rahayu",
    ]
    assert event.changes == {"created": 3, "updated": 0, "unchanged": 0, "rows": 3}
    assert event.instansi_id == world.instansi.pk


def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_is_written(world):
    rows = three_rows()
    rows[2][0] = "199113312016011002"  # 31 December is fine, month 13 is not
    rows[3][3] = "DINSOS"
    employees, events = Employee.objects.count(), AuditEvent.objects.count()

    outcome = run(world.users["bkd"], rows)

    assert not outcome.valid
    assert errors_of(outcome) == [
        (3, "nip", "NIP digits 1-8 must be a real birth date (YYYYMMDD)."),
        (4, "unit_code", "Unknown unit code 'DINSOS'."),
    ]
    assert Employee.objects.count() == employees
    assert AuditEvent.objects.count() == events


def test_missing_and_unknown_columns_are_refused_by_name(world):
    rows = [["Namanya", "Nama", "STATUS", "Unit Code", "foo"], ["x", "Andi", "pns", "DIKBUD", "1"]]

    outcome = run(world.users["bkd"], rows)

    assert errors_of(outcome) == [
        (1, "Namanya", "Unknown column: 'Namanya'"),
        (1, "foo", "Unknown column: 'foo'"),
        (1, "NIP", "Required column missing: NIP"),
    ]


def test_a_column_named_twice_by_label_and_field_name_is_refused(world):
    rows = [
        ["NIP", "Nama", "name", "Status", "Kode Unit"],
        [NIP_1, "Andi", "Andi", "pns", "DIKBUD"],
    ]
    assert errors_of(run(world.users["bkd"], rows)) == [(1, "name", "Column 'name' appears twice.")]


def test_headers_match_in_any_case_and_spacing(world):
    rows = three_rows()
    rows[0] = ["NIP", "Name", "Status", "Unit Code", "POSITION_CODE"]
    assert run(world.users["bkd"], rows).counts["created"] == 3


def test_opd_admin_of_a_cannot_import_into_b_or_touch_b_staff(world):
    rows = [
        HEADER,
        [NIP_1, "Andi Wijaya", "pns", "DIKBUD-SMA", ""],
        [NIP_3, "Dewi Kartika", "pppk", "DINKES", ""],
        [world.staff_b.nip, "Someone Else", "pns", "DIKBUD", ""],
        [world.staff_x.nip, "Other Instansi", "pns", "DIKBUD", ""],
    ]

    outcome = run(world.users["opd_admin"], rows)

    elsewhere = (
        "This NIP is already registered. Transfers of employees between agencies are handled "
        "by BKD."
    )
    # Out of scope reads as unknown; a NIP of another agency or instansi gets one neutral text.
    assert errors_of(outcome) == [
        (3, "unit_code", "Unknown unit code 'DINKES'."),
        (4, "nip", elsewhere),
        (5, "nip", elsewhere),
    ]
    assert "Rina" not in str(errors_of(outcome))
    assert "Kesehatan" not in str(errors_of(outcome))
    assert not Employee.objects.filter(nip=NIP_1).exists()


def test_reimporting_the_same_file_changes_nothing(world):
    user = world.users["bkd"]
    run(user, three_rows())
    assignments = Assignment.objects.count()

    outcome = run(user, three_rows())

    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert Assignment.objects.count() == assignments


def test_a_changed_unit_updates_the_employee_and_transfers_the_assignment(world):
    user = world.users["bkd"]
    rows = three_rows()
    run(user, rows)
    rows = [
        HEADER + ["start_date"],
        [NIP_2, "Sri Rahayu Ningsih", "pns", "DIKBUD-SMA", "DIKBUD-SMA-01", "2030-07-01"],
    ]

    outcome = run(user, rows)

    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    sri = Employee.objects.get(nip=NIP_2)
    assert (sri.name, sri.unit, sri.position) == (
        "Sri Rahayu Ningsih",
        world.division_a,
        world.staff_pos_a,
    )
    history = list(sri.assignments.order_by("valid_from").values_list("unit__code", "valid_to"))
    assert history == [("DIKBUD", dt.date(2030, 6, 30)), ("DIKBUD-SMA", None)]  # last day


def test_a_transfer_before_the_current_post_began_is_refused(world):
    user = world.users["bkd"]
    run(user, [HEADER + ["start_date"], [NIP_1, "Andi", "pns", "DIKBUD", "", "2024-05-01"]])

    outcome = run(
        user, [HEADER + ["start_date"], [NIP_1, "Andi", "pns", "DIKBUD-SMA", "", "2024-04-30"]]
    )

    assert errors_of(outcome) == [
        (2, "valid_from", "A transfer cannot take effect before the current post began.")
    ]


def test_employee_rules_are_the_forms_rules(world):
    rows = [
        HEADER + ["sex", "email"],
        [NIP_1, "Andi", "pns", "DIKBUD", "DIKBUD-SMA-01", "", ""],  # position of another unit
        [NIP_2, "Sri", "pns", "DIKBUD", "", "m", ""],  # the NIP says female
        ["", "Agus", "pns", "DIKBUD", "", "", ""],  # a PNS needs a NIP
        [NIP_3, "Tono", "non_asn", "DIKBUD", "", "", ""],  # non-ASN staff have none
        ["", "Rudi", "honorer", "DIKBUD", "", "", "rudi@"],
    ]

    outcome = run(world.users["bkd"], rows)

    assert errors_of(outcome) == [
        (2, "position_code", "The position belongs to another unit."),
        (3, "sex", "The sex does not match the NIP."),
        (4, "nip", "A PNS or PPPK employee needs an 18-digit NIP."),
        (5, "nip", "Non-ASN staff have no NIP."),
        (6, "status", "'honorer' is not one of: pns, pppk, non_asn."),
        (6, "email", "Enter a valid email address."),
    ]


def test_duplicate_nips_and_empty_required_cells_are_errors(world):
    rows = [
        HEADER,
        [NIP_1, "Andi", "pns", "DIKBUD", ""],
        [NIP_1, "Andi W", "pns", "DIKBUD", ""],
        [NIP_2, "  ", "pns", "DIKBUD", ""],
        [None, None, None, None, None],
    ]

    outcome = run(world.users["bkd"], rows)

    assert errors_of(outcome) == [
        (3, "nip", f"NIP {NIP_1} appears more than once in the file (first in row 2)."),
        (4, "name", "This column must be filled."),
    ]


def test_a_nip_typed_as_a_number_is_refused_before_excel_rounding_hurts(world):
    rows = [HEADER, [int(NIP_1), "Andi", "pns", "DIKBUD", ""]]
    (error,) = run(world.users["bkd"], rows).errors
    assert (error.row, error.column) == (2, "nip")
    assert "as text" in error.message


def test_non_asn_staff_are_matched_by_name_and_unit(world):
    user = world.users["bkd"]
    rows = [
        HEADER + ["sex", "birth_date"],
        ["", "Agus Salim", "Non-ASN", "DINKES", "", "L", "01/01/1990"],
        ["", "Wati", "non_asn", "DINKES", "", "P", "1995-02-03"],
    ]

    outcome = run(user, rows)

    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 1}
    wati = Employee.objects.get(name="Wati")
    assert (wati.nip, wati.sex, wati.birth_date) == (None, "f", dt.date(1995, 2, 3))
    assert run(user, rows).counts == {"created": 0, "updated": 0, "unchanged": 2}
    # Case and spacing do not make another person; the new spelling is stored.
    rows[1][1] = "AGUS  salim"
    assert run(user, rows).counts == {"created": 0, "updated": 1, "unchanged": 1}
    assert Employee.objects.filter(name__iexact="agus  salim").count() == 1


def test_a_dry_run_counts_but_writes_nothing(world):
    employees, events = Employee.objects.count(), AuditEvent.objects.count()
    outcome = run(world.users["bkd"], three_rows(), dry_run=True)
    assert (outcome.valid, outcome.counts["created"]) == (True, 3)
    assert (Employee.objects.count(), AuditEvent.objects.count()) == (employees, events)


def test_csv_with_bom_and_semicolons_imports(world):
    text = "\ufeffnip;name;status;unit_code\r\n" + f"{NIP_1};Andi Wijaya;pns;DIKBUD-SMA\r\n"
    text += f'{NIP_2};"Sri; Rahayu";pns;DIKBUD\r\n'
    outcome = run(world.users["bkd"], None, data=text.encode(), name="staff.csv")
    assert outcome.counts["created"] == 2, errors_of(outcome)
    assert Employee.objects.get(nip=NIP_2).name == "Sri; Rahayu"


# --- units ---------------------------------------------------------------------------------

UNIT_HEADER = ["code", "name", "kind", "parent_code"]


def test_units_are_placed_in_the_tree_parents_before_children(world):
    rows = [
        UNIT_HEADER,
        ["DIKBUD-SMK-1", "Seksi Kurikulum SMK", "seksi", "DIKBUD-SMK"],  # parent comes later
        ["DIKBUD-SMK", "Bidang SMK", "bidang", "DIKBUD"],
        ["BPBD", "Badan Penanggulangan Bencana", "badan", ""],
    ]

    outcome = run(world.users["bkd"], rows, UnitImporter)

    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0}, errors_of(outcome)
    smk = OrgUnit.objects.get(code="DIKBUD-SMK")
    seksi = OrgUnit.objects.get(code="DIKBUD-SMK-1")
    bpbd = OrgUnit.objects.get(code="BPBD")
    assert smk.path == f"{world.agency_a.path}{smk.pk:08d}."
    assert seksi.path == f"{smk.path}{seksi.pk:08d}."
    assert (smk.depth, seksi.depth, bpbd.depth) == (1, 2, 0)
    assert (smk.agency_id, seksi.agency_id, bpbd.agency_id) == (
        world.agency_a.pk,
        world.agency_a.pk,
        bpbd.pk,
    )
    assert bpbd.path == f"{bpbd.pk:08d}."
    assert OrgUnit.objects.subtree_of(world.agency_a).filter(code="DIKBUD-SMK-1").exists()


def test_unit_import_respects_scope_and_refuses_circles(world):
    rows = [
        UNIT_HEADER,
        ["DIKBUD-X", "X", "seksi", "DIKBUD-Y"],
        ["DIKBUD-Y", "Y", "seksi", "DIKBUD-X"],
        ["DINKES-1", "Bidang", "bidang", "DINKES"],
        ["BARU", "Badan Baru", "badan", ""],
        ["DIKBUD", "Dinas Pendidikan", "dinas", "DINKES"],
    ]

    outcome = run(world.users["opd_admin"], rows, UnitImporter)

    assert errors_of(outcome) == [
        (2, "parent_code", "The parent units of this unit form a circle."),
        (3, "parent_code", "The parent units of this unit form a circle."),
        (4, "parent_code", "Unknown unit code 'DINKES'."),
        (
            5,
            "parent_code",
            "Only an administrator of the whole instansi may add an agency; fill in parent_code.",
        ),
        (6, "parent_code", "To move a unit under another parent, edit it on its page."),
    ]


def test_existing_units_are_updated_by_code(world):
    rows = [
        UNIT_HEADER + ["short_name"],
        ["DIKBUD-SMA", "Bidang SMA", "bidang", "DIKBUD", "SMA"],
        ["DIKBUD", "Dinas Pendidikan", "dinas", "", ""],
    ]
    outcome = run(world.users["opd_admin"], rows, UnitImporter)
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 1}, errors_of(outcome)
    world.division_a.refresh_from_db()
    assert world.division_a.short_name == "SMA"


# --- positions -----------------------------------------------------------------------------

POSITION_HEADER = ["code", "title", "unit_code", "kind", "is_head", "reports_to_code"]


def test_positions_link_to_bosses_in_the_file_and_keep_one_head_per_unit(world):
    rows = [
        POSITION_HEADER,
        ["SMA-STAF", "Pengolah Data", "DIKBUD-SMA", "pelaksana", "tidak", "SMA-KABID"],
        ["SMA-KABID", "Kepala Bidang SMA", "DIKBUD-SMA", "administrator", "ya", "DIKBUD-KADIS"],
        ["DIKBUD-SEK", "Sekretaris", "DIKBUD", "administrator", "yes", ""],
    ]
    user = world.users["opd_admin"]

    outcome = run(user, rows, PositionImporter)

    assert errors_of(outcome) == [
        (4, "is_head", "Unit DIKBUD already has a head position (DIKBUD-KADIS).")
    ]
    rows[3][4] = "no"
    outcome = run(user, rows, PositionImporter)
    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0}, errors_of(outcome)
    staff = Position.objects.get(code="SMA-STAF")
    assert staff.reports_to.code == "SMA-KABID"
    assert staff.reports_to.reports_to == world.head_pos_a
    assert run(user, rows, PositionImporter).counts["unchanged"] == 3


# --- a column absent from the file keeps what is stored ----------------------------------------


def csv_file(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_file_without_the_position_column_keeps_every_position(world):
    """The issue's file: nip,name,status,unit_code for staff who hold posts."""
    staff = [world.head_a, world.staff_a, world.staff_b]
    lines = ["nip,name,status,unit_code"]
    lines += [f"{e.nip},{e.name},pns,{e.unit.code}" for e in staff]
    positions = {e.pk: e.position_id for e in staff}
    assignments = Assignment.objects.count()

    outcome = run(world.users["bkd"], None, data=csv_file(lines), name="staff.csv")

    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}, errors_of(outcome)
    after = dict(Employee.objects.filter(pk__in=positions).values_list("pk", "position_id"))
    assert after == positions
    assert after[world.staff_a.pk] == world.staff_pos_a.pk
    assert Assignment.objects.count() == assignments

    # The export's headers, with the position's title but not its code: still no change.
    lines[0] = "NIP,Nama,Status,Kode Unit,Jabatan"
    lines[1:] = [f"{line},Some Title" for line in lines[1:]]
    outcome = run(world.users["bkd"], None, data=csv_file(lines), name="staff.csv")
    assert outcome.counts["unchanged"] == 3, errors_of(outcome)
    assert Assignment.objects.count() == assignments


def test_an_empty_cell_in_a_present_column_clears_only_where_allowed(world):
    siti = world.staff_a
    siti.back_title, siti.grade = "S.E.", "III/b"
    siti.save()
    header = ["nip", "name", "status", "unit_code", "position_code", "back_title", "is_active"]
    rows = [header, [siti.nip, siti.name, "pns", "DIKBUD-SMA", "", "", "ya"]]

    outcome = run(world.users["bkd"], rows)

    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}, errors_of(outcome)
    siti.refresh_from_db()
    # The emptied post and title are cleared (a transfer out of the post); grade stays.
    assert (siti.position, siti.back_title, siti.grade) == (None, "", "III/b")
    assert siti.assignments.filter(valid_to__isnull=True).get().position is None
    # "active" cannot be blank: an empty cell there is an error, not a silent change.
    rows[1][6] = ""
    assert errors_of(run(world.users["bkd"], rows)) == [
        (2, "is_active", "This column must be filled.")
    ]


def test_a_unit_file_without_parent_code_updates_without_moving_and_clears_present_cells(world):
    world.division_a.short_name = "SMA"
    world.division_a.save()
    rows = [["code", "name", "kind", "short_name"], ["DIKBUD-SMA", "Bidang SMA Baru", "bidang", ""]]

    outcome = run(world.users["opd_admin"], rows, UnitImporter)

    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}, errors_of(outcome)
    world.division_a.refresh_from_db()
    assert (world.division_a.name, world.division_a.short_name) == ("Bidang SMA Baru", "")
    assert world.division_a.parent == world.agency_a


def test_a_position_file_without_reports_to_keeps_the_link(world):
    world.staff_pos_a.reports_to = world.head_pos_a
    world.staff_pos_a.save()
    rows = [
        ["code", "title", "unit_code", "kind"],
        ["DIKBUD-SMA-01", "Analis SMA", "DIKBUD-SMA", "pelaksana"],
    ]

    outcome = run(world.users["opd_admin"], rows, PositionImporter)

    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 1}, errors_of(outcome)
    world.staff_pos_a.refresh_from_db()
    assert world.staff_pos_a.reports_to == world.head_pos_a


# --- all of a row's errors in one pass ---------------------------------------------------------


def test_every_error_of_a_row_is_reported_with_the_cell_as_typed(world):
    rows = [
        HEADER,
        ["12345", "Andi", "pns", "DINSOS", ""],  # a bad NIP and an unknown unit
        [NIP_2, "Sri", "honorer", "DINSOS", "NOPE"],  # a bad status, unit and position
    ]

    outcome = run(world.users["bkd"], rows)

    assert [(e.row, e.column, e.message, e.value) for e in outcome.errors] == [
        (2, "unit_code", "Unknown unit code 'DINSOS'.", "DINSOS"),
        (2, "nip", "NIP must be exactly 18 digits.", "12345"),
        (3, "status", "'honorer' is not one of: pns, pppk, non_asn.", "honorer"),
        (3, "unit_code", "Unknown unit code 'DINSOS'.", "DINSOS"),
        (3, "position_code", "Unknown position code 'NOPE'.", "NOPE"),
    ]


# --- scope in every lookup, codes regardless of case -------------------------------------------


def test_a_post_cannot_report_to_another_agencys_post(world):
    from kinerja.organisations.tests.factories import PositionFactory

    PositionFactory(unit=world.agency_b, code="DINKES-KADIS", title="Kepala Dinkes", is_head=True)
    rows = [POSITION_HEADER, ["SMA-STAF", "Staf", "DIKBUD-SMA", "pelaksana", "no", "DINKES-KADIS"]]

    outcome = run(world.users["opd_admin"], rows, PositionImporter)

    assert errors_of(outcome) == [(2, "reports_to_code", "Unknown position code 'DINKES-KADIS'.")]
    assert not Position.objects.filter(code="SMA-STAF").exists()


def test_out_of_scope_codes_read_as_unknown_and_taken_codes_say_nothing_more(world):
    from kinerja.organisations.tests.factories import PositionFactory

    PositionFactory(unit=world.agency_b, code="DINKES-01", title="Dokter Ahli")
    employees = [HEADER, [NIP_1, "Andi", "pns", "DIKBUD", "DINKES-01"]]
    positions = [POSITION_HEADER, ["dinkes-01", "Analis", "DIKBUD", "pelaksana", "no", ""]]
    units = [UNIT_HEADER, ["dinkes", "Dinas Baru", "bidang", "DIKBUD"]]
    user = world.users["opd_admin"]

    assert errors_of(run(user, employees)) == [
        (2, "position_code", "Unknown position code 'DINKES-01'.")
    ]
    taken = "This code is already in use in the instansi; choose another."
    assert errors_of(run(user, positions, PositionImporter)) == [(2, "code", taken)]
    assert errors_of(run(user, units, UnitImporter)) == [(2, "code", taken)]


def test_codes_match_regardless_of_case(world):
    user = world.users["opd_admin"]
    rows = [HEADER, [NIP_1, "Andi", "pns", "dikbud-sma", "dikbud-sma-01"]]
    assert run(user, rows).counts["created"] == 1
    assert Employee.objects.get(nip=NIP_1).position == world.staff_pos_a

    units = [UNIT_HEADER, ["dikbud-sma", "Bidang SMA", "bidang", "dikbud"]]
    assert run(user, units, UnitImporter).counts == {"created": 0, "updated": 0, "unchanged": 1}
    assert OrgUnit.objects.filter(code__iexact="dikbud-sma").count() == 1

    twice = [
        POSITION_HEADER,
        ["SMA-02", "Staf", "DIKBUD-SMA", "pelaksana", "no", ""],
        ["sma-02", "Staf", "DIKBUD-SMA", "pelaksana", "no", ""],
    ]
    assert errors_of(run(user, twice, PositionImporter)) == [
        (3, "code", "sma-02 appears more than once in the file (first in row 2).")
    ]


def test_the_database_refuses_a_code_that_differs_only_by_case(world):
    from django.core.exceptions import ValidationError

    from kinerja.organisations import services

    with pytest.raises(ValidationError) as caught:
        services.unit_create(
            actor=world.users["bkd"],
            scope=scope_for(world.users["bkd"]),
            instansi=world.instansi,
            data={
                "code": "dikbud-sma",
                "name": "Bidang Lain",
                "kind": "bidang",
                "parent": world.agency_a,
            },
        )
    assert caught.value.messages == ["A unit with this code already exists."]
    with pytest.raises(ValidationError) as caught:
        services.position_create(
            actor=world.users["bkd"],
            scope=scope_for(world.users["bkd"]),
            instansi=world.instansi,
            data={
                "code": "Dikbud-Kadis",
                "title": "X",
                "kind": "pelaksana",
                "unit": world.agency_a,
            },
        )
    assert caught.value.messages == ["A position with this code already exists."]


# --- per-row audit entries -----------------------------------------------------------------


@pytest.fixture
def audit_entries(monkeypatch):
    """Collect the importer's audit entries when the engine commits."""
    from kinerja.imports import engine

    captured: list[dict] = []
    commit = engine._commit

    def spy(*, run, **kwargs):
        commit(run=run, **kwargs)
        captured[:] = list(run.audit_entries())

    monkeypatch.setattr(engine, "_commit", spy)
    return captured


def test_employee_import_lists_one_audit_entry_per_created_or_changed_row(world, audit_entries):
    rows = [
        HEADER,
        [NIP_1, "Andi", "pns", "DIKBUD-SMA", "DIKBUD-SMA-01"],
        [world.staff_a.nip, "Siti Aminah Putri", "pns", "DIKBUD-SMA", "DIKBUD-SMA-01"],
        [world.head_a.nip, world.head_a.name, "pns", "DIKBUD", "DIKBUD-KADIS"],  # unchanged
    ]

    outcome = run(world.users["bkd"], rows)

    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 1}, errors_of(outcome)
    created, updated = audit_entries
    andi = Employee.objects.get(nip=NIP_1)
    assert (created["action"], created["target_id"], created["target_repr"]) == (
        "create",
        andi.pk,
        "Andi",
    )
    assert created["target_type"] == "organisations.employee"
    assert (created["unit_id"], created["unit_path"]) == (
        world.division_a.pk,
        world.division_a.path,
    )
    changes = json.loads(created["changes"])  # written as canonical text at once
    assert changes["position"] == [None, world.staff_pos_a.pk]
    assert changes["sex"] == [None, "m"]
    assert changes["nip"] == [None, NIP_1]
    assert changes["is_active"] == [None, True]
    assert (updated["action"], updated["target_id"]) == ("update", world.staff_a.pk)
    assert updated["changes"] == {"name": ["Siti Aminah", "Siti Aminah Putri"]}


def test_unit_and_position_imports_list_their_audit_entries(world, audit_entries):
    user = world.users["opd_admin"]
    units = [
        UNIT_HEADER + ["short_name"],
        ["DIKBUD-SMK", "Bidang SMK", "bidang", "DIKBUD", ""],
        ["DIKBUD-SMA", "Bidang SMA", "bidang", "DIKBUD", "SMA"],
    ]
    assert run(user, units, UnitImporter).valid
    smk = OrgUnit.objects.get(code="DIKBUD-SMK")
    assert [(e["action"], e["target_id"], e["unit_path"]) for e in audit_entries] == [
        ("create", smk.pk, smk.path),
        ("update", world.division_a.pk, world.division_a.path),
    ]
    assert audit_entries[1]["changes"] == {"short_name": ["", "SMA"]}

    positions = [
        POSITION_HEADER,
        ["SMA-KABID", "Kepala Bidang SMA", "DIKBUD-SMA", "administrator", "ya", "DIKBUD-KADIS"],
        ["DIKBUD-SMA-01", "Analis SMA", "DIKBUD-SMA", "pelaksana", "tidak", "SMA-KABID"],
    ]
    assert run(user, positions, PositionImporter).valid
    kabid = Position.objects.get(code="SMA-KABID")
    created, linked = audit_entries
    assert (created["action"], created["target_id"]) == ("create", kabid.pk)
    assert created["changes"]["reports_to"] == [None, world.head_pos_a.pk]
    assert (linked["action"], linked["target_id"]) == ("update", world.staff_pos_a.pk)
    assert linked["changes"] == {"reports_to": [None, kabid.pk]}


def test_a_nip_written_as_printed_or_with_dots_matches_the_stored_employee(world):
    nip = world.staff_a.nip
    printed = f"\u00a0{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]} "
    rows = [
        ["nip", "name", "status", "unit_code"],
        [printed, "Siti Aminah Baru", "pns", "DIKBUD-SMA"],
    ]

    outcome = run(world.users["bkd"], rows)

    assert outcome.valid, errors_of(outcome)
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    world.staff_a.refresh_from_db()
    assert world.staff_a.name == "Siti Aminah Baru"

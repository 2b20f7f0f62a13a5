"""The development-hours ledger's rows of the permission matrix: my hours, the shortfall and its
export, the records list, the exports (importer layout, national layout), the entry form and the
API. ``extend`` gives each target a record of its person (agency A's staff_a, agency B's staff_b
"Rina Wulandari", the other instansi's staff_x), so the lists' leak checks have B's row to hide."""

from __future__ import annotations

from decimal import Decimal

from kinerja.training.models import DevelopmentRecord, TrainingType
from tests.matrix_base import (
    CHANGERS_A,
    CHANGERS_WIDE,
    IN_A,
    SEE_B,
    SIGNED_IN,
    VIEWERS,
    Row,
)

TITLE = "Seminar Uji Matriks"


def extend(world, objects) -> None:
    from kinerja.training.tests.factories import DevelopmentRecordFactory

    for target, employee in (("a", world.staff_a), ("b", world.staff_b), ("x", world.staff_x)):
        record = DevelopmentRecordFactory(employee=employee, hours=Decimal("8"))
        objects[target]["ledger_record"] = record.pk
        objects[target]["ledger_employee"] = employee.pk
        objects[target]["ledger_nip"] = employee.nip
    TrainingType.objects.get_or_create(
        code="seminar",
        defaults={"name": "Seminar", "route": "non_classical", "siasn_record": "kursus"},
    )


def _entered(objs, role):
    return DevelopmentRecord.objects.filter(
        employee_id=objs["ledger_employee"], title=TITLE
    ).count()


def _one(objs, role):
    return 1


def _form(objs, role):
    return {
        "nip": objs["ledger_nip"],
        "training_type": "seminar",
        "title": TITLE,
        "starts_on": "2023-05-10",
        "ends_on": "2023-05-11",
        "quantity": "2",
        "quantity_unit": "seminar_day",
    }


def _certificate(objs, role):
    return DevelopmentRecord.objects.get(pk=objs["ledger_record"]).certificate_number


def _edited(objs, role):
    return "MATRIKS/1"


def _edit_form(objs, role):
    data = _form(objs, role)
    data.pop("nip")
    return {**data, "certificate_number": "MATRIKS/1"}


def _kept(objs, role):
    return DevelopmentRecord.objects.filter(pk=objs["ledger_record"]).count()


def _gone(objs, role):
    return 0


def _api_form(objs, role):
    data = _form(objs, role)
    data.pop("nip")
    return {**data, "employee": objs["ledger_employee"]}


ROWS = [
    Row("training:hours_mine", "get", {"-": SIGNED_IN}, training=True),
    Row("training:hours_shortfall", "get", {"-": VIEWERS}, leak_check=True, training=True),
    Row("training:hours_shortfall_export", "get", {"-": VIEWERS}, xlsx=True, training=True),
    Row("training:hours_records", "get", {"-": VIEWERS}, leak_check=True, training=True),
    Row("training:hours_records_export", "get", {"-": VIEWERS}, xlsx=True, training=True),
    Row("training:hours_national_export", "get", {"-": VIEWERS}, training=True),
    Row("training:hours_record_new", "get", {"-": CHANGERS_A}, training=True),
    Row(
        "training:hours_record_new",
        "post",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE},
        data=_form,
        ok=(302,),
        state=_entered,
        expect=_one,
        outside=400,  # a NIP out of reach: "no employee with this NIP" on the form
        training=True,
    ),
    Row(
        "training:hours_record_edit",
        "get",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "ledger_record"},
        training=True,
    ),
    Row(
        "training:hours_record_edit",
        "post",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "ledger_record"},
        data=_edit_form,
        ok=(302,),
        state=_certificate,
        expect=_edited,
        training=True,
    ),
    Row(
        "training:hours_record_delete",
        "post",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "ledger_record"},
        data={"reason": "Uji"},
        ok=(302,),
        state=_kept,
        expect=_gone,
        training=True,
    ),
    Row(
        "api:training-development-record-list",
        "get",
        {"-": SIGNED_IN},
        api=True,
        leak_check=True,
        training=True,
    ),
    Row(
        "api:training-development-record-list",
        "post",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE},
        api=True,
        data=_api_form,
        ok=(201,),
        state=_entered,
        expect=_one,
        outside=400,
        training=True,
    ),
    Row(
        "api:training-development-record-detail",
        "get",
        {"a": IN_A, "b": SEE_B, "x": set()},
        api=True,
        kwargs={"pk": "ledger_record"},
        training=True,
    ),
    Row(
        "api:training-hours-shortfall-list",
        "get",
        {"-": VIEWERS},
        api=True,
        leak_check=True,
        training=True,
    ),
]

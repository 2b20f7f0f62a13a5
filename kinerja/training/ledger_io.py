"""The development-hours ledger to and from a workbook.

- `DevelopmentRecordImporter` (registered with `kinerja.imports`): a row with ``ID`` changes
  that record (entered or imported ones only; a row of an event's or mentoring's record must be
  left as exported), a row without adds a record of the employee named by ``NIP``. A column
  absent from the file keeps what is stored. A row that changes nothing is "unchanged", so an
  exported list imports again unchanged. Each write goes through the ledger services (checked and
  audited as on the entry form); any error writes nothing.
- `DevelopmentRecordReport`: the records in the importer's layout.
- `NationalReport`: the records in the field layout of the national civil-service system's
  training-history records, one of its two record kinds ("diklat", formal training; "kursus",
  course) per file (see docs/training-ledger.md for what is confirmed).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.excel import Report
from kinerja.core.scope import Action
from kinerja.imports import register
from kinerja.imports.base import Importer
from kinerja.imports.columns import Column, as_text, date, readonly, text
from kinerja.organisations.models import Employee
from kinerja.organisations.validators import normalise_nip

from .choices import RecordSource
from .models import DevelopmentRecord, TrainingType
from .services import ledger as services

__all__ = ["DevelopmentRecordImporter", "DevelopmentRecordReport", "NationalReport"]

DATA_FIELDS = (
    "year",
    "training_type",
    "title",
    "organiser",
    "starts_on",
    "ends_on",
    "quantity",
    "quantity_unit",
    "certificate_number",
)
NEEDED_FOR_NEW = ("training_type", "title", "starts_on", "quantity")


def parse_id(cell: Any) -> int:
    value = as_text(cell)
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise ValidationError(_("'%(value)s' is not an id.") % {"value": value})
    return int(value)


def parse_year(cell: Any) -> int:
    value = as_text(cell)
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise ValidationError(_("Give a year of four digits."))
    return int(value)


def parse_nip(cell: Any) -> str:
    value = normalise_nip(cell)
    if not (len(value) == 18 and value.isdigit()):
        raise ValidationError(_("A NIP has 18 digits."))
    return value


def parse_number(cell: Any) -> str:
    if isinstance(cell, bool):
        raise ValidationError(_("Give a number."))
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    return as_text(cell)


@register
class DevelopmentRecordImporter(Importer):
    kind = "development_records"
    label = gettext_lazy("Development hours")
    description = gettext_lazy(
        "Other training of employees for the development-hours ledger: by the employee's NIP, "
        "the training type's code, the title, the first and last day and the quantity in its "
        "unit (jp, seminar_day, coaching_session, mentoring_session, benchmarking_day), "
        "converted to lesson hours by the rules in force. A row with an ID changes that record; "
        "a row the same as what is stored is left alone, so an exported list imports again "
        "unchanged."
    )
    key = ("id",)
    checks_partial_rows = False
    columns = (
        Column(
            name="id",
            parse=parse_id,
            blank=True,
            label="ID",
            help=gettext_lazy("The record's id, as exported; empty for a new record"),
        ),
        Column(
            name="nip",
            parse=parse_nip,
            required=True,
            label="NIP",
            example="198001012005011001",
            help=gettext_lazy("The employee's NIP"),
        ),
        readonly("employee_name", "Nama Pegawai"),
        Column(
            name="year",
            parse=parse_year,
            blank=True,
            label="Tahun",
            example=2023,
            help=gettext_lazy("The ledger year (empty: the year of the last day)"),
        ),
        Column(
            name="training_type",
            parse=text(),
            label="Kode Jenis Pelatihan",
            example="seminar",
            help=gettext_lazy("The training type's code"),
        ),
        readonly("training_type_name", "Jenis Pelatihan"),
        readonly("route", "Jalur"),
        Column(
            name="title",
            parse=text(),
            label="Nama Pelatihan",
            example="Seminar Nasional Pelayanan Publik",
            help=gettext_lazy("The training's title"),
        ),
        Column(
            name="organiser",
            parse=text(),
            blank=True,
            label="Penyelenggara",
            example="BPSDM Provinsi",
            help=gettext_lazy("The organising institution"),
        ),
        Column(
            name="starts_on",
            parse=date,
            label="Tanggal Mulai",
            example="2023-05-10",
            help=gettext_lazy("The first day"),
        ),
        Column(
            name="ends_on",
            parse=date,
            blank=True,
            label="Tanggal Selesai",
            example="2023-05-11",
            help=gettext_lazy("The last day (empty: the first day)"),
        ),
        Column(
            name="quantity",
            parse=parse_number,
            label="Jumlah",
            example="2",
            help=gettext_lazy("How much, in the unit of the next column"),
        ),
        Column(
            name="quantity_unit",
            parse=text(),
            blank=True,
            label="Satuan",
            example="seminar_day",
            help=gettext_lazy(
                "jp (empty), seminar_day, coaching_session, mentoring_session or benchmarking_day"
            ),
        ),
        readonly("hours", "JP"),
        Column(
            name="certificate_number",
            parse=text(),
            blank=True,
            label="Nomor Sertifikat",
            example="",
            help=gettext_lazy("The certificate's number"),
        ),
        readonly("source", "Sumber"),
    )
    field_columns = {"hours": "quantity", "route": "training_type"}

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        return values.get("id")

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        scope = self.ctx.scope
        nips = set()
        for cell in column("nip"):
            try:
                nips.add(parse_nip(cell))
            except (ValidationError, TypeError):
                continue
        self.employees = {
            e.nip: e
            for e in Employee.objects.within(scope, Action.VIEW_PEOPLE)
            .filter(nip__in=nips)
            .select_related("unit")
        }
        ids = set()
        for cell in column("id"):
            try:
                ids.add(parse_id(cell))
            except (ValidationError, TypeError):
                continue
        self.records = {
            r.pk: r
            for r in DevelopmentRecord.objects.within(scope)
            .filter(pk__in=ids)
            .select_related("employee__unit", "training_type")
        }
        self.types = {t.code.casefold(): t for t in TrainingType.objects.all()}
        self.creates: list[tuple[Employee, dict[str, Any]]] = []
        self.updates: list[tuple[DevelopmentRecord, dict[str, Any]]] = []
        self.unchanged = 0

    def _data(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {}
        for field in DATA_FIELDS:
            if field not in self.ctx.present:
                continue
            value = values.get(field)
            if field == "training_type" and value is not None:
                found = self.types.get(str(value).casefold())
                if found is None:
                    raise ValidationError(
                        {
                            "training_type": _("No training type with the code %(code)s.")
                            % {"code": value}
                        }
                    )
                value = found
            data[field] = value
        return data

    def check(self, row: int, values: dict[str, Any]) -> None:
        employee = self.employees.get(values["nip"])
        if employee is None:
            raise ValidationError(
                {
                    "nip": _("No employee with the NIP %(nip)s within your reach.")
                    % {"nip": values["nip"]}
                }
            )
        data = self._data(values)
        pk = values.get("id")
        if pk is None:
            missing = [f for f in NEEDED_FOR_NEW if data.get(f) in (None, "")]
            if missing:
                raise ValidationError({f: _("A new record needs this column.") for f in missing})
            if not services.may_enter(self.ctx.scope, employee):
                raise ValidationError(
                    {"nip": _("You may not keep this employee's development hours.")}
                )
            services.clean_record(data)
            self.creates.append((employee, data))
            return
        stored = self.records.get(pk)
        if stored is None:
            raise ValidationError({"id": _("No record with the id %(id)s.") % {"id": pk}})
        if stored.employee_id != employee.pk:
            raise ValidationError({"nip": _("The record belongs to another employee.")})
        merged = {**_stored_data(stored), **data}
        if "year" not in data and ({"starts_on", "ends_on"} & set(data)):
            merged.pop("year")
        fields = services.clean_record(merged)
        if all(getattr(stored, name) == value for name, value in fields.items()):
            self.unchanged += 1
            return
        if stored.source not in services.EDITABLE_SOURCES:
            raise ValidationError(
                {"id": _("This record comes from an event or mentoring: change it there.")}
            )
        if not services.may_enter(self.ctx.scope, employee):
            raise ValidationError({"nip": _("You may not keep this employee's development hours.")})
        self.updates.append((stored, data))

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        call = {"actor": self.ctx.actor, "scope": self.ctx.scope}
        try:
            for employee, data in self.creates:
                services.development_record_create(
                    **call, employee=employee, data=data, source=RecordSource.IMPORTED
                )
            for stored, data in self.updates:
                services.development_record_update(**call, record_=stored, data=data)
        except PermissionDenied as exc:  # checked above; a grant ended meanwhile
            raise ValidationError(str(exc)) from None


def _stored_data(stored: DevelopmentRecord) -> dict[str, Any]:
    return {
        "year": stored.year,
        "training_type": stored.training_type,
        "title": stored.title,
        "organiser": stored.organiser,
        "starts_on": stored.starts_on,
        "ends_on": stored.ends_on,
        "quantity": stored.quantity,
        "quantity_unit": stored.quantity_unit,
        "certificate_number": stored.certificate_number,
    }


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{Decimal(number).normalize():f}"


class DevelopmentRecordReport(Report):
    """Records in the importer's layout: the same headers, so the file imports again."""

    title = gettext_lazy("Development hours")
    columns = tuple(column.header for column in DevelopmentRecordImporter.columns)
    widths = (8, 20, 30, 7, 18, 30, 14, 40, 30, 14, 14, 8, 18, 8, 20, 12)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        routes = dict(DevelopmentRecord._meta.get_field("route").flatchoices)
        sources = dict(DevelopmentRecord._meta.get_field("source").flatchoices)
        rows = self.queryset.order_by("agency_id", "employee__name", "starts_on", "pk").values_list(
            "pk",
            "employee__nip",
            "employee__name",
            "year",
            "training_type__code",
            "training_type__name",
            "route",
            "title",
            "organiser",
            "starts_on",
            "ends_on",
            "quantity",
            "quantity_unit",
            "hours",
            "certificate_number",
            "source",
        )
        for (
            pk,
            nip,
            name,
            year,
            code,
            type_name,
            route,
            title,
            organiser,
            starts,
            ends,
            quantity,
            unit,
            hours,
            certificate,
            source,
        ) in rows.iterator():
            yield (
                pk,
                nip or "",
                name,
                year,
                code,
                type_name,
                str(routes.get(route, route)),
                title,
                organiser,
                starts,
                ends,
                _plain(quantity),
                unit,
                _plain(hours),
                certificate,
                str(sources.get(source, source)),
            )


# The national training-history records, as this platform reads the public client code of the
# national civil-service system (see docs/training-ledger.md). "nip" stands where the national
# system keys the person by its own id (pnsOrangId), which this platform does not hold.
NATIONAL_LAYOUTS: dict[str, tuple[str, ...]] = {
    "diklat": (
        "nip",
        "latihanStrukturalId",
        "latihanStrukturalNama",
        "nomor",
        "tanggal",
        "tanggalSelesai",
        "tahun",
        "institusiPenyelenggara",
        "jumlahJam",
    ),
    "kursus": (
        "nip",
        "jenisDiklatId",
        "jenisKursusSertipikat",
        "namaKursus",
        "nomorSertipikat",
        "tanggalKursus",
        "tanggalSelesaiKursus",
        "tahunKursus",
        "institusiPenyelenggara",
        "jumlahJam",
    ),
}
NATIONAL_KINDS = tuple(NATIONAL_LAYOUTS)


class NationalReport(Report):
    """Records of one national record kind (the training type's ``siasn_record``) in the
    national field layout; dates as the national system writes them (DD-MM-YYYY), hours as a
    number, the training type's national code (empty until an administrator sets it)."""

    widths = (20, 16, 40, 24, 12, 12, 8, 36, 10)

    def __init__(self, queryset: QuerySet, kind: str) -> None:
        self.kind = kind
        self.queryset = queryset.filter(training_type__siasn_record=kind)
        self.columns = NATIONAL_LAYOUTS[kind]
        self.title = f"riwayat-{kind}"

    def rows(self) -> Iterator[tuple]:
        rows = self.queryset.order_by("employee__nip", "starts_on", "pk").values_list(
            "employee__nip",
            "training_type__siasn_code",
            "training_type__name",
            "title",
            "certificate_number",
            "starts_on",
            "ends_on",
            "year",
            "organiser",
            "hours",
        )
        for (
            nip,
            code,
            type_name,
            title,
            certificate,
            starts,
            ends,
            year,
            organiser,
            hours,
        ) in rows.iterator():
            if self.kind == "diklat":
                yield (
                    nip or "",
                    code,
                    title,
                    certificate,
                    f"{starts:%d-%m-%Y}",
                    f"{ends:%d-%m-%Y}",
                    year,
                    organiser,
                    _plain(hours),
                )
            else:
                yield (
                    nip or "",
                    code,
                    type_name,
                    title,
                    certificate,
                    f"{starts:%d-%m-%Y}",
                    f"{ends:%d-%m-%Y}",
                    year,
                    organiser,
                    _plain(hours),
                )

"""Exports of the organisation registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.core.excel import Report

from .choices import EmployeeStatus, Sex
from .display import GRADE_LABEL_FIELDS, grade_label, person_name
from .importers import EmployeeImporter


class EmployeeReport(Report):
    """The employees of a (scoped, filtered, ordered) queryset, one row each.

    The layout is the employee importer's: the same columns in the same order under the same
    headers, values written as the importer reads them (status and sex by their labels, yes/no
    in the current language, the NIP as text), so an exported file imports again unchanged.
    The start date is left empty: it only dates a transfer, and an old date would back-date one.
    """

    title = _("Employees")
    columns = tuple(column.header for column in EmployeeImporter.columns)
    widths = (22, 30, 10, 18, 36, 20, 36, 12, 14, 14, 14, 10, 14, 28, 14, 8, 8, 36)

    def __init__(self, queryset: QuerySet, *, chunk_size: int = 2000) -> None:
        self.queryset = queryset
        self.chunk_size = chunk_size

    def rows(self) -> Iterator[tuple]:
        statuses = {value: str(label) for value, label in EmployeeStatus.choices}
        sexes = {value: str(label) for value, label in Sex.choices}
        yes, no = gettext("yes"), gettext("no")
        values = self.queryset.values_list(
            "nip",
            "name",
            "status",
            "unit__code",
            "unit__name",
            "position__code",
            "position__title",
            "front_title",
            "back_title",
            "sex",
            "birth_date",
            "grade",
            "grade_tmt",
            "email",
            "is_active",
            "position__eselon",
            "unit__agency__name",
        )
        for (
            nip,
            name,
            status,
            unit_code,
            unit_name,
            position_code,
            position_title,
            front,
            back,
            sex,
            birth_date,
            grade,
            grade_tmt,
            email,
            active,
            eselon,
            agency_name,
        ) in values.iterator(chunk_size=self.chunk_size):
            yield (
                nip or "",
                name,
                statuses.get(status, status),
                unit_code,
                unit_name,
                position_code or "",
                position_title or "",
                front,
                back,
                sexes.get(sex, ""),
                birth_date,
                grade,
                grade_tmt,
                email,
                None,  # start date
                yes if active else no,
                eselon or "",
                agency_name,
            )


class NominatifReport(Report):
    """A nominatif (list of names) of a (scoped, filtered, ordered) queryset: No., NIP, Nama,
    Pangkat/Gol, Jabatan, Unit, OPD, one row per employee.

    Names carry their academic titles; Pangkat/Gol is `grade_label`. One query, read in chunks,
    so neither queries nor memory grow with the rows.
    """

    title = _("Nominal roll")
    columns = (
        _("No."),
        _("NIP"),
        _("Name"),
        _("Rank/grade"),
        _("Position"),
        _("Unit"),
        _("Agency (OPD)"),
    )
    widths = (7, 22, 40, 18, 44, 40, 40)

    def __init__(self, queryset: QuerySet, *, chunk_size: int = 2000) -> None:
        self.queryset = queryset
        self.chunk_size = chunk_size

    def rows(self) -> Iterator[tuple]:
        values = self.queryset.values_list(
            "nip",
            "front_title",
            "name",
            "back_title",
            "position__title",
            "unit__name",
            "unit__agency__name",
            *GRADE_LABEL_FIELDS,
            named=True,
        )
        for number, row in enumerate(values.iterator(chunk_size=self.chunk_size), start=1):
            yield (
                number,
                row.nip or "",
                person_name(row.front_title, row.name, row.back_title),
                grade_label(row),
                row.position__title or "",
                row.unit__name,
                row.unit__agency__name,
            )


class RetirementReport(Report):
    """Civil servants reaching the retirement age (BUP): the rows of `retirement.reaching_bup`,
    in its order (soonest first), with the dates each reaches it."""

    title = _("Retirement (BUP)")
    columns = (
        _("NIP"),
        _("Name"),
        _("Status"),
        _("Unit"),
        _("Position"),
        _("Grade (golongan)"),
        _("Birth date"),
        _("Retirement age"),
        _("Retires on"),
        _("Pension from"),
    )
    widths = (22, 30, 10, 36, 36, 12, 14, 10, 14, 14)

    def __init__(self, queryset: QuerySet, *, today, chunk_size: int = 2000) -> None:
        self.queryset = queryset
        self.today = today
        self.chunk_size = chunk_size

    def rows(self) -> Iterator[tuple]:
        from .retirement import retirement_date

        statuses = {value: str(label) for value, label in EmployeeStatus.choices}
        values = self.queryset.values_list(
            "nip",
            "name",
            "status",
            "unit__name",
            "position__title",
            "grade",
            "birth_date",
            "bup_age",
        )
        for nip, name, status, unit, post, grade, birth, age in values.iterator(
            chunk_size=self.chunk_size
        ):
            when = retirement_date(birth, age)
            yield (
                nip,
                name,
                statuses.get(status, status),
                unit,
                post or "",
                grade,
                birth,
                age,
                when,
                when + dt.timedelta(days=1),
            )

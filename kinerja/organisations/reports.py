"""Exports of the organisation registry."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.core.excel import Report

from .choices import EmployeeStatus


class EmployeeReport(Report):
    """The employees of a (scoped, filtered, ordered) queryset, one row each."""

    title = _("Employees")
    columns = (
        _("NIP"),
        _("Name"),
        _("Status"),
        _("Unit code"),
        _("Unit"),
        _("Position"),
        _("Grade"),
        _("Active"),
    )
    widths = (22, 36, 10, 18, 40, 40, 10, 8)

    def __init__(self, queryset: QuerySet, *, chunk_size: int = 2000) -> None:
        self.queryset = queryset
        self.chunk_size = chunk_size

    def rows(self) -> Iterator[tuple]:
        statuses = {value: str(label) for value, label in EmployeeStatus.choices}
        yes, no = gettext("Yes"), gettext("No")
        values = self.queryset.values_list(
            "nip",
            "front_title",
            "name",
            "back_title",
            "status",
            "unit__code",
            "unit__name",
            "position__title",
            "grade",
            "is_active",
        )
        for (
            nip,
            front,
            name,
            back,
            status,
            unit_code,
            unit_name,
            position,
            grade,
            active,
        ) in values.iterator(chunk_size=self.chunk_size):
            full = f"{front} {name}" if front else name
            if back:
                full = f"{full}, {back}"
            yield (
                nip or "",
                full,
                statuses.get(status, status),
                unit_code,
                unit_name,
                position or "",
                grade,
                yes if active else no,
            )

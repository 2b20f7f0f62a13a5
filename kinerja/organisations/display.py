"""How an employee's name and grade are written on pages, in the API and in exports.

One place each, so that every list, export and report writes them alike. ``grade_label`` is the
one to change when grades become validated golongan codes with their pangkat names
("Pembina, IV/a"); it reads only the attributes named in ``GRADE_LABEL_FIELDS``, so an export
can pass a row of ``values_list(*GRADE_LABEL_FIELDS, ..., named=True)`` instead of an employee.
"""

from __future__ import annotations

from typing import Any

GRADE_LABEL_FIELDS = ("grade",)


def grade_label(employee: Any) -> str:
    """The pangkat/golongan column: for now the grade as stored ("III/a"), or "" when none."""
    return employee.grade or ""


def person_name(front_title: str, name: str, back_title: str) -> str:
    """A name with its academic titles, as Indonesian lists write it: "Dr. Siti Aminah, S.Pd."."""
    full = " ".join(part for part in (front_title, name) if part)
    return f"{full}, {back_title}" if back_title else full

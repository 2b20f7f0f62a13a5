"""How an employee's name and grade are written on pages, in the API and in exports.

One place each, so that every list, export and report writes them alike. ``grade_label`` writes
a golongan code with its pangkat ("III/a Penata Muda"; PPPK grades as they are); it reads only
the attributes named in ``GRADE_LABEL_FIELDS``, so an export can pass a row of
``values_list(*GRADE_LABEL_FIELDS, ..., named=True)`` instead of an employee.
"""

from __future__ import annotations

from typing import Any

from .choices import grades

GRADE_LABEL_FIELDS = ("grade",)


def grade_label(employee: Any) -> str:
    """The pangkat/golongan column: "III/a Penata Muda", "IX", a code not in the table as
    stored, or "" when none."""
    return grade_text(employee.grade or "")


def grade_text(code: str) -> str:
    """A golongan code as people read it (see `grade_label`)."""
    spec = grades().get(code)
    return spec.label if spec else code


def person_name(front_title: str, name: str, back_title: str) -> str:
    """A name with its academic titles, as Indonesian lists write it: "Dr. Siti Aminah, S.Pd."."""
    full = " ".join(part for part in (front_title, name) if part)
    return f"{full}, {back_title}" if back_title else full

"""Assignments end on their last day, as every other dated row does.

Until now the services and the employee importer closed an assignment on the day the next post
started (an exclusive end), while units, role grants, reporting lines and acting assignments
keep the last day (inclusive). This moves the closed assignments to the inclusive convention:

- A closed assignment followed by another of the same employee that starts on its ``valid_to``
  was written that way: its end moves back one day, to the day before the next post began.
- Such an assignment that also began that day never was in force (a same-day correction): it is
  deleted. The employee's audit events still tell the placement and its correction.
- Any other closed assignment is left as it is (no service wrote it; already a last day).

Reversing moves the ends forward again (the deleted same-day rows do not come back).
"""

import datetime as dt

from django.db import migrations
from django.db.models import Exists, OuterRef

BATCH = 1000
ONE_DAY = dt.timedelta(days=1)


def _shift(Assignment, rows, days: int) -> int:
    batch, changed = [], 0
    for pk, end in rows:
        batch.append(Assignment(pk=pk, valid_to=end + dt.timedelta(days=days)))
        if len(batch) >= BATCH:
            Assignment.objects.bulk_update(batch, ["valid_to"])
            changed += len(batch)
            batch = []
    Assignment.objects.bulk_update(batch, ["valid_to"])
    return changed + len(batch)


def to_last_day(apps, schema_editor):
    Assignment = apps.get_model("organisations", "Assignment")
    successor = Assignment.objects.filter(
        employee_id=OuterRef("employee_id"), valid_from=OuterRef("valid_to")
    ).exclude(pk=OuterRef("pk"))
    written = Assignment.objects.filter(valid_to__isnull=False).filter(Exists(successor))
    never, rows = [], []
    for pk, start, end in written.values_list("pk", "valid_from", "valid_to").iterator(
        chunk_size=2000
    ):
        if start == end:
            never.append(pk)
        else:
            rows.append((pk, end))
    for start in range(0, len(never), BATCH):
        Assignment.objects.filter(pk__in=never[start : start + BATCH]).delete()
    shifted = _shift(Assignment, rows, -1)
    if shifted or never:
        print(
            f"\n  assignments: {shifted} now end on their last day, "
            f"{len(never)} same-day placements (never in force) removed"
        )


def to_next_start(apps, schema_editor):
    Assignment = apps.get_model("organisations", "Assignment")
    # The successor starts the day after the end: compare in Python (no date arithmetic in SQL
    # that reads the same on SQLite and PostgreSQL).
    starts = {}
    for employee_id, start in Assignment.objects.values_list("employee_id", "valid_from"):
        starts.setdefault(employee_id, set()).add(start)
    rows = [
        (pk, end)
        for pk, employee_id, end in Assignment.objects.filter(valid_to__isnull=False)
        .values_list("pk", "employee_id", "valid_to")
        .iterator(chunk_size=2000)
        if end + ONE_DAY in starts.get(employee_id, ())
    ]
    _shift(Assignment, rows, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0009_search_trigram"),
    ]

    operations = [
        migrations.RunPython(to_last_day, to_next_start, elidable=False),
    ]

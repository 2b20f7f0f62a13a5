"""Unit paths widen from six to eight digits a step (`kinerja.core.paths`), so ids past
999,999 fit. Every unit's path is rewritten; role grants read their unit's path at each
request, so nothing else holds a copy to rewrite. Audit events keep the six-digit paths they
were sealed with (they are append-only); scoped reads of the trail match both formats.
"""

from django.db import migrations

BATCH = 2000
WIDE, NARROW = 8, 6  # digits a step after and before (fixed here: the migration must not drift)


def _ids(path):
    return [int(part) for part in path.split(".") if part]


def _rewrite(apps, convert):
    OrgUnit = apps.get_model("organisations", "OrgUnit")
    units = OrgUnit.objects.order_by("pk").only("pk", "path")
    last = 0
    while True:
        batch = list(units.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for unit in batch:
            unit.path = convert(unit.path)
        OrgUnit.objects.bulk_update(batch, ["path"])
        last = batch[-1].pk


def widen(apps, schema_editor):
    _rewrite(apps, lambda path: "".join(f"{pk:0{WIDE}d}." for pk in _ids(path)))


def narrow(apps, schema_editor):
    def convert(path):
        parts = _ids(path)
        if any(pk >= 10**NARROW for pk in parts):
            raise RuntimeError(f"Unit path {path} holds an id past six digits: cannot narrow it.")
        return "".join(f"{pk:0{NARROW}d}." for pk in parts)

    _rewrite(apps, convert)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_effective_dated"),
    ]

    operations = [
        migrations.RunPython(widen, narrow, elidable=False),
    ]

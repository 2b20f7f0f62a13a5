"""Existing data to the new rules: grades to codes, unit kinds, sort keys.

- Grades: free text ("III a", "3/a", "iii/A", "Penata Muda", "9" for a PPPK) becomes the code
  ("III/a", "IX"). A grade that matches no code, or that belongs to the other status (a PNS
  grade on a PPPK employee), or any grade on non-ASN staff, is left blank; the counts are printed.
- Unit kinds: a top-level secretariat named "... DPRD" becomes Sekretariat DPRD, one named
  "Sekretariat Daerah ..." the Setda; Satpol PP typed as a Dinas becomes Satpol PP; a hospital
  whose name does not start with "RSUD" a specialist hospital; a Seksi named "Subbagian ..." a
  Subbagian; a Bidang named "Bagian ..." a Bagian; an UPT named "Cabang Dinas ..." a Cabang Dinas.
- Sort keys: every unit's, as `services.unit_sort_key` computes it (the rule is copied here as
  it stood, so the migration does not change when the code does).

Reversing maps the new kinds back to the old ones and leaves grades and keys as they are.
"""

import re

from django.db import migrations

PNS_PANGKAT = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
ROMAN = (
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII".split()
)  # PPPK grades I to XVII
BY_PANGKAT = {name.lower(): code for code, name in PNS_PANGKAT.items()}
PNS_RE = re.compile(r"^(IV|III|II|I|[1-4])\s*[/.\-\s]?\s*([A-E])$", re.IGNORECASE)
PPPK_RE = re.compile(r"^([IVX]+|\d{1,2})$", re.IGNORECASE)

# The official order of unit kinds as of this migration (UnitKind's declaration order).
KIND_ORDER = (
    "setda setwan inspektorat dinas badan rsud rs_khusus satpol_pp biro sekretariat bidang "
    "bagian cabdin upt subbagian seksi"
).split()
SORT_CODE_CHARS = 24
SORT_KEY_LENGTH = 500


def normalise_grade(text, status):
    """Return the grade code for ``text`` held by an employee of ``status``, or None."""
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text:
        return ""
    if status == "non_asn":
        return None
    # "Penata Muda III/a", "III/a (Penata Muda)": the code part decides; a pangkat alone too.
    pangkat = BY_PANGKAT.get(text.lower().replace("tk. i", "tingkat i").replace("tk.i", "tingkat i"))
    if pangkat:
        return pangkat if status == "pns" else None
    found = re.search(r"(IV|III|II|I|[1-4])\s*[/.\-]?\s*([A-E])\b", text, re.IGNORECASE)
    if found and not PPPK_RE.match(text):
        roman = found.group(1).upper()
        roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(roman, roman)
        code = f"{roman}/{found.group(2).lower()}"
        return code if code in PNS_PANGKAT and status == "pns" else None
    single = PPPK_RE.match(text)
    if single:
        value = single.group(1).upper()
        if value.isdigit():
            value = ROMAN[int(value) - 1] if 1 <= int(value) <= len(ROMAN) else ""
        return value if value in ROMAN and status == "pppk" else None
    return None


def grades_forward(apps, schema_editor):
    Employee = apps.get_model("organisations", "Employee")
    unknown = mismatched = changed = 0
    batch = []
    for pk, status, grade in Employee.objects.exclude(grade="").values_list(
        "pk", "status", "grade"
    ).iterator():
        code = normalise_grade(grade, status)
        if code is None:
            # Known text of the other status counts apart from text that is no grade at all.
            other = "pppk" if status == "pns" else "pns"
            if status != "non_asn" and normalise_grade(grade, other):
                mismatched += 1
            else:
                unknown += 1
            code = ""
        if code != grade:
            changed += 1
            batch.append(Employee(pk=pk, grade=code))
        if len(batch) >= 2000:
            Employee.objects.bulk_update(batch, ["grade"])
            batch = []
    if batch:
        Employee.objects.bulk_update(batch, ["grade"])
    if unknown or mismatched:
        print(
            f"\n  grades: {changed} rewritten as codes; {unknown} not a known grade and "
            f"{mismatched} of the other status (PNS/PPPK) left blank"
        )


def kinds_forward(apps, schema_editor):
    OrgUnit = apps.get_model("organisations", "OrgUnit")
    units = OrgUnit.objects
    units.filter(parent__isnull=True, kind="sekretariat", name__icontains="DPRD").update(
        kind="setwan"
    )
    units.filter(
        parent__isnull=True, kind="sekretariat", name__istartswith="Sekretariat Daerah"
    ).update(kind="setda")
    units.filter(kind="dinas", name__istartswith="Satuan Polisi Pamong Praja").update(
        kind="satpol_pp"
    )
    units.filter(kind="dinas", short_name__iexact="Satpol PP").update(kind="satpol_pp")
    units.filter(kind="rsud").exclude(name__istartswith="RSUD").exclude(
        name__istartswith="RSU "
    ).update(kind="rs_khusus")
    units.filter(kind="seksi", name__istartswith="Subbagian").update(kind="subbagian")
    units.filter(kind="bidang", name__istartswith="Bagian").update(kind="bagian")
    units.filter(kind="upt", name__istartswith="Cabang Dinas").update(kind="cabdin")


def kinds_backward(apps, schema_editor):
    OrgUnit = apps.get_model("organisations", "OrgUnit")
    for new, old in (
        ("setwan", "sekretariat"),
        ("setda", "sekretariat"),
        ("satpol_pp", "dinas"),
        ("rs_khusus", "rsud"),
        ("subbagian", "seksi"),
        ("bagian", "bidang"),
        ("cabdin", "upt"),
    ):
        OrgUnit.objects.filter(kind=new).update(kind=old)


def segment(kind, code):
    rank = KIND_ORDER.index(kind) + 1 if kind in KIND_ORDER else 99
    chars = "".join(f"{ord(c) - 32:02d}" for c in code.upper()[:SORT_CODE_CHARS])
    return f"{rank:02d}{chars}00"


def sort_keys_forward(apps, schema_editor):
    OrgUnit = apps.get_model("organisations", "OrgUnit")
    keys = {}
    batch = []
    for unit in OrgUnit.objects.only("pk", "parent_id", "kind", "code", "depth").order_by(
        "depth", "pk"
    ):
        key = (keys.get(unit.parent_id, "") + segment(unit.kind, unit.code))[:SORT_KEY_LENGTH]
        keys[unit.pk] = unit.sort_key = key
        batch.append(unit)
    OrgUnit.objects.bulk_update(batch, ["sort_key"], batch_size=500)


def forward(apps, schema_editor):
    grades_forward(apps, schema_editor)
    kinds_forward(apps, schema_editor)
    sort_keys_forward(apps, schema_editor)


def backward(apps, schema_editor):
    kinds_backward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_grades_tmt_sort_key")]

    operations = [migrations.RunPython(forward, backward)]

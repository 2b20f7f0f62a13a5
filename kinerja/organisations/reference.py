"""Load the real reference data that ships with the project: East Java's regions and instansi."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import InstansiKind, RegionLevel
from .models import Instansi, Region
from .validators import REGION_CODE_RE

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "regions_jatim.csv"

JATIM_CODE = "jatim"
JATIM_NAME = "Pemerintah Provinsi Jawa Timur"
JATIM_REGION = "35"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str


def read_regions(path: Path = REGIONS_CSV) -> list[RegionRow]:
    """Read and check the region file: one province, then its regencies (01-69) and cities (71-99).

    Raise ValueError naming the line of a code that does not fit its level, since public seed
    files are known to carry wrong codes.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [
            RegionRow(r["code"].strip(), r["name"].strip(), r["kind"].strip())
            for r in csv.DictReader(handle)
        ]
    provinces = [r for r in rows if r.level == RegionLevel.PROVINCE]
    if len(provinces) != 1:
        raise ValueError(
            _("%(file)s: expected one province row, found %(n)d.")
            % {"file": path.name, "n": len(provinces)}
        )
    province = provinces[0].code
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not REGION_CODE_RE.match(row.code) or row.code in seen:
            raise ValueError(
                _("%(file)s line %(line)d: bad or repeated code %(code)r.")
                % {"file": path.name, "line": line, "code": row.code}
            )
        seen.add(row.code)
        if row.level == RegionLevel.PROVINCE:
            continue
        prefix, _dot, number = row.code.partition(".")
        ok_level = (row.level == RegionLevel.REGENCY and 1 <= int(number or 0) <= 69) or (
            row.level == RegionLevel.CITY and 71 <= int(number or 0) <= 99
        )
        if prefix != province or len(number) != 2 or not ok_level:
            raise ValueError(
                _(
                    "%(file)s line %(line)d: %(code)s %(name)s is not a %(level)s code of province "
                    "%(province)s."
                )
                % {
                    "file": path.name,
                    "line": line,
                    "code": row.code,
                    "name": row.name,
                    "level": row.level,
                    "province": province,
                }
            )
    return rows


@transaction.atomic
def load_regions(path: Path = REGIONS_CSV) -> tuple[int, int]:
    """Create or update the province and its regencies and cities; return (created, updated)."""
    rows = read_regions(path)
    existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    created = updated = 0
    province = None
    for row in sorted(rows, key=lambda r: len(r.code)):  # the province first: it is the parent
        parent = None if row.level == RegionLevel.PROVINCE else province
        region = existing.get(row.code)
        if region is None:
            region = Region.objects.create(
                code=row.code, name=row.name, level=row.level, parent=parent
            )
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            row.name,
            row.level,
            getattr(parent, "pk", None),
        ):
            region.name, region.level, region.parent = row.name, row.level, parent
            region.save(update_fields=["name", "level", "parent"])
            updated += 1
        if row.level == RegionLevel.PROVINCE:
            province = region
    return created, updated


def ensure_jatim() -> tuple[Instansi, bool]:
    """Return the East Java provincial government (the demo tenant), creating it if missing."""
    region = Region.objects.filter(code=JATIM_REGION).first()
    if region is None:
        load_regions()
        region = Region.objects.get(code=JATIM_REGION)
    return Instansi.objects.get_or_create(
        code=JATIM_CODE,
        defaults={"name": JATIM_NAME, "kind": InstansiKind.PROVINCE, "region": region},
    )

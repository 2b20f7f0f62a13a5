"""The project list to and from a workbook (Perpres 80/2019 annex layout).

`ProjectImporter` (registered with `kinerja.imports`): one row per project, keyed by its code;
a row with a known code changes that project, a new code adds one. A column absent from the
file keeps what is stored; an empty cell of a present column clears where clearing is allowed.
Each row is checked with the model's own rules (the forms and the API use the same) and the
lookups below; any error writes nothing. The writes go through the services (audited).

`ProjectReport` writes the same layout, so an exported list imports again unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.excel import Report
from kinerja.core.scope import Action
from kinerja.imports import register
from kinerja.imports.base import Importer
from kinerja.imports.columns import Column, as_text, for_field, readonly, text
from kinerja.organisations.models import OrgUnit

from .. import services
from ..choices import RegionRole
from ..models import DevelopmentArea, Project, ProjectAgency, ProjectRegion

__all__ = ["ProjectImporter", "ProjectReport"]

FIELDS = (
    "name",
    "area",
    "category",
    "description",
    "funding",
    "investment_rp",
    "lead_agency",
    "phase",
    "land_status",
    "readiness_met",
    "priority_criteria",
    "status",
    "start_date",
    "synthetic",
)
NEEDED_FOR_NEW = ("name", "area", "category", "funding", "lead_agency", "phase")
RELATIONS = ("collaborators", "location_regions", "supporting_regions")
_GROUPED = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")


def parse_list(cell: Any) -> list[str]:
    """Codes separated by semicolons, commas or line breaks."""
    return [p.strip() for p in re.split(r"[;,\n]", as_text(cell)) if p.strip()]


def parse_rupiah(cell: Any) -> int:
    """A whole number of rupiah: 8300000000000, "8.300.000.000.000" or "Rp 8.300.000.000.000";
    never negative."""
    if isinstance(cell, bool):
        raise ValidationError(_("Give a whole number of rupiah."))
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell.is_integer():
            raise ValidationError(_("Give a whole number of rupiah."))
        value = int(cell)
    else:
        raw = as_text(cell).replace("Rp", "").replace("rp", "").replace(" ", "")
        if _GROUPED.match(raw):
            raw = raw.replace(".", "").replace(",", "")
        if not re.fullmatch(r"-?\d+", raw):
            raise ValidationError(_("Give a whole number of rupiah."))
        value = int(raw)
    if value < 0:
        raise ValidationError(_("The investment cannot be negative."))
    return value


def _choice(name: str, label: str, **kw: Any) -> Column:
    return for_field(Project, name, label=label, required=False, blank=False, **kw)


@register
class ProjectImporter(Importer):
    kind = "regional_projects"
    label = gettext_lazy("Perpres 80/2019 projects")
    description = gettext_lazy(
        "The strategic projects of the development areas, one row per project keyed by its "
        "code: the area (code, abbreviation or name), category, funding scheme, investment in "
        "rupiah, the lead agency's unit code, the collaborating agencies' and the regions' codes "
        "separated by semicolons, phase, status, land status, readiness and prioritisation "
        "criteria (codes). A row the same as what is stored is left alone, so an exported list "
        "imports again unchanged. Only the project office (Bappeda) may import."
    )
    key = ("code",)
    checks_partial_rows = True
    columns = (
        Column(
            name="code",
            parse=text(Project._meta.get_field("code").validators),
            required=True,
            label="Kode Proyek",
            example="GKS-001",
            help=gettext_lazy("The project's code"),
        ),
        Column(
            name="name",
            parse=text(Project._meta.get_field("name").validators),
            label="Nama Proyek",
            example="Surabaya Regional Railway Line",
            help=gettext_lazy("The project's name"),
        ),
        Column(
            name="area",
            parse=text(),
            label="Kawasan",
            example="GKS",
            help=gettext_lazy("The development area: its code, abbreviation or name"),
        ),
        _choice("category", "Kategori", example="railway"),
        _choice(
            "funding",
            "Skema Pendanaan",
            example="KPBU",
            aliases={"swasta": "private", "apbn/apbd": "apbn_apbd", "bumn/bumd": "bumn_bumd"},
        ),
        Column(
            name="investment_rp",
            parse=parse_rupiah,
            blank=True,
            label="Nilai Investasi (Rp)",
            example=8300000000000,
            help=gettext_lazy("In rupiah, a whole number; empty when not published"),
        ),
        Column(
            name="lead_agency",
            parse=text(),
            label="Kode Perangkat Daerah Pengampu",
            example="OPD20",
            help=gettext_lazy("The lead agency's unit code"),
        ),
        readonly("lead_agency_name", "Perangkat Daerah Pengampu"),
        Column(
            name="collaborators",
            parse=parse_list,
            blank=True,
            label="Kode Perangkat Daerah Mitra",
            example="OPD33; OPD44",
            help=gettext_lazy("The collaborating agencies' unit codes, separated by semicolons"),
        ),
        Column(
            name="location_regions",
            parse=parse_list,
            blank=True,
            label="Kode Wilayah Lokasi",
            example="35.78; 35.15",
            help=gettext_lazy("Kemendagri codes of the regencies and cities where it stands"),
        ),
        Column(
            name="supporting_regions",
            parse=parse_list,
            blank=True,
            label="Kode Wilayah Pendukung",
            example="35.25",
            help=gettext_lazy("Kemendagri codes of the regencies and cities that support it"),
        ),
        _choice("phase", "Tahap", example="P1"),
        _choice("status", "Status", example="planning"),
        _choice("land_status", "Status Lahan", example="unknown"),
        Column(
            name="readiness_met",
            parse=parse_list,
            blank=True,
            label="Kriteria Kesiapan",
            example="feasibility_study; environmental_approval",
            help=gettext_lazy("Codes of the readiness criteria met, separated by semicolons"),
        ),
        Column(
            name="priority_criteria",
            parse=parse_list,
            blank=True,
            label="Kriteria Prioritas",
            example="economic_growth; connectivity",
            help=gettext_lazy("Codes of the prioritisation criteria, separated by semicolons"),
        ),
        for_field(Project, "start_date", label="Tanggal Mulai", example="2021-03-01"),
        for_field(
            Project, "synthetic", label="Sintetis", example="tidak", required=False, blank=False
        ),
        for_field(Project, "description", label="Keterangan", example=""),
    )

    def row_key(self, values: dict[str, Any]):
        code = values.get("code")
        return code.casefold() if code else None

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        scope = self.ctx.scope
        self.allowed = services.may_manage(scope)
        self.projects = {
            p.code.casefold(): p
            for p in Project.objects.within(scope)
            .select_related("area", "lead_agency")
            .prefetch_related(
                Prefetch(
                    "project_regions", queryset=ProjectRegion.objects.select_related("region")
                ),
                Prefetch("collaborations", queryset=ProjectAgency.objects.select_related("agency")),
            )
        }
        self.areas: dict[str, DevelopmentArea] = {}
        for area in DevelopmentArea.objects.within(scope):
            for spelling in (area.code, area.abbreviation, area.name):
                self.areas[spelling.casefold()] = area
        self.agencies = {
            u.code.casefold(): u
            for u in OrgUnit.objects.within(scope, Action.VIEW_ORG).filter(parent__isnull=True)
        }
        codes = set()
        for name in ("location_regions", "supporting_regions"):
            for cell in column(name):
                if cell not in (None, ""):
                    codes.update(parse_list(cell))
        self.regions = services.regions_by_code(codes)
        self.creates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.updates: list[tuple[Project, dict[str, Any], dict[str, Any]]] = []
        self.unchanged = 0

    def _data(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        present = self.ctx.present
        data: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in FIELDS:
            if field not in present or field in self.bad:
                continue
            value = values.get(field)
            if field == "area" and value is not None:
                found = self.areas.get(str(value).casefold())
                if found is None:
                    errors["area"] = _("No development area %(value)s.") % {"value": value}
                    continue
                value = found
            elif field == "lead_agency" and value is not None:
                found = self.agencies.get(str(value).casefold())
                if found is None:
                    errors["lead_agency"] = services.unknown_agency_error(value)
                    continue
                value = found
            elif field in ("readiness_met", "priority_criteria"):
                value = value or []
            elif field == "description":
                value = value or ""
            data[field] = value
        return data, errors

    def _relations(self, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
        present = self.ctx.present
        out: dict[str, Any] = {}
        if "collaborators" in present and "collaborators" not in self.bad:
            units = []
            for code in values.get("collaborators") or []:
                unit = self.agencies.get(code.casefold())
                if unit is None:
                    errors["collaborators"] = services.unknown_agency_error(code)
                    break
                units.append(unit)
            out["collaborators"] = units
        for name, role in (
            ("location_regions", RegionRole.LOCATION),
            ("supporting_regions", RegionRole.SUPPORTING),
        ):
            if name in present and name not in self.bad:
                codes = values.get(name) or []
                unknown = [c for c in codes if c not in self.regions]
                if unknown:
                    errors[name] = services.unknown_region_error(unknown[0])
                out[name] = {c: role for c in codes}
        return out

    def check(self, row: int, values: dict[str, Any]) -> None:
        if not self.allowed:
            raise ValidationError(
                {"code": _("Only the Perpres 80/2019 project office (Bappeda) may do this.")}
            )
        data, errors = self._data(values)
        relations = self._relations(values, errors)
        stored = self.projects.get(values["code"].casefold()) if values.get("code") else None
        if stored is None:
            missing = [f for f in NEEDED_FOR_NEW if data.get(f) in (None, "") and f not in errors]
            missing = [f for f in missing if f not in self.bad]
            errors.update({f: _("A new project needs this column.") for f in missing})
        if errors:
            raise ValidationError(errors)
        if self.bad:
            return  # the parse errors are reported; nothing more to check on this row
        candidate = Project(instansi_id=self.ctx.instansi_id, code=values["code"])
        if stored is not None:
            for field in FIELDS:
                setattr(candidate, field, getattr(stored, field))
            candidate.pk = stored.pk
        for field, value in data.items():
            setattr(candidate, field, value)
        candidate.full_clean(validate_unique=False, validate_constraints=False)
        regions = self._merged_regions(stored, relations)
        if stored is None:
            self.creates.append(
                ({**data, "code": values["code"]}, {**relations, "regions": regions})
            )
            return
        if self._same(stored, data, relations, regions):
            self.unchanged += 1
            return
        self.updates.append((stored, data, {**relations, "regions": regions}))

    def _merged_regions(self, stored: Project | None, relations: dict[str, Any]):
        if "location_regions" not in relations and "supporting_regions" not in relations:
            return None
        current = {pr.region.code: pr.role for pr in stored.project_regions.all()} if stored else {}
        for name, role in (
            ("location_regions", RegionRole.LOCATION),
            ("supporting_regions", RegionRole.SUPPORTING),
        ):
            if name in relations:
                current = {c: r for c, r in current.items() if r != role}
                current.update(relations[name])
        return current

    def _same(self, stored: Project, data: dict[str, Any], relations, regions) -> bool:
        for field, value in data.items():
            old = getattr(stored, f"{field}_id") if field in ("area", "lead_agency") else None
            if field in ("area", "lead_agency"):
                if old != value.pk:
                    return False
            elif getattr(stored, field) != value:
                return False
        if "collaborators" in relations:
            now = {c.agency_id for c in stored.collaborations.all()}
            new = {u.pk for u in relations["collaborators"] if u.pk != stored.lead_agency_id}
            if now != new:
                return False
        if regions is not None:
            now = {pr.region.code: pr.role for pr in stored.project_regions.all()}
            if now != regions:
                return False
        return True

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        call = {"actor": self.ctx.actor, "scope": self.ctx.scope}
        try:
            for data, rel in self.creates:
                services.project_create(
                    **call,
                    data=data,
                    regions=rel["regions"],
                    collaborators=rel.get("collaborators"),
                )
            for stored, data, rel in self.updates:
                services.project_update(
                    **call,
                    project=stored,
                    data=data,
                    regions=rel["regions"],
                    collaborators=rel.get("collaborators"),
                    reason=_("Imported from a workbook."),
                )
        except PermissionDenied as exc:  # checked above; a grant ended meanwhile
            raise ValidationError(str(exc)) from None


def _label(choices: dict, value: str) -> str:
    return str(choices.get(value, value))


class ProjectReport(Report):
    """Projects in the importer's layout: the same headers, so the file imports again."""

    title = gettext_lazy("Perpres 80/2019 projects")
    columns = tuple(column.header for column in ProjectImporter.columns)
    widths = (12, 40, 22, 20, 14, 20, 14, 36, 24, 20, 20, 10, 16, 22, 30, 30, 14, 10, 30)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        flat = {
            name: dict(Project._meta.get_field(name).flatchoices)
            for name in ("category", "funding", "phase", "status", "land_status")
        }
        projects = (
            self.queryset.select_related("area", "lead_agency")
            .prefetch_related(
                Prefetch(
                    "project_regions", queryset=ProjectRegion.objects.select_related("region")
                ),
                Prefetch("collaborations", queryset=ProjectAgency.objects.select_related("agency")),
            )
            .order_by("area__order", "code")
        )
        for p in projects:
            regions = sorted(p.project_regions.all(), key=lambda r: r.region.code)
            yield (
                p.code,
                p.name,
                p.area.abbreviation,
                _label(flat["category"], p.category),
                _label(flat["funding"], p.funding),
                p.investment_rp,
                p.lead_agency.code,
                p.lead_agency.name,
                "; ".join(sorted(c.agency.code for c in p.collaborations.all())),
                "; ".join(r.region.code for r in regions if r.role == RegionRole.LOCATION),
                "; ".join(r.region.code for r in regions if r.role == RegionRole.SUPPORTING),
                _label(flat["phase"], p.phase),
                _label(flat["status"], p.status),
                _label(flat["land_status"], p.land_status),
                "; ".join(p.readiness_met or []),
                "; ".join(p.priority_criteria or []),
                p.start_date,
                "ya" if p.synthetic else "tidak",
                p.description,
            )

"""The cascade health pages (``/dashboards/cascade-health/``): the instansi overview (the
findings per agency and per check, sortable, with its Excel table), an agency's findings
(filter by check and severity, paged, Excel) and the province's own plan (agency id 0).

Readers: see `kinerja.analytics.selectors_health.may_read_health`; anyone else gets 403, an
agency the reader does not reach (another agency, another instansi's) 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import View

from kinerja.audit.freshness import kept
from kinerja.core.excel import Report, export_response

from ..health_rules import CHECK_CODES, CHECK_LABELS, SEVERITY_LABELS, Finding, health_policy
from ..selectors_dashboards import agency_in_reach
from ..selectors_health import (
    PROVINCE,
    agencies_for,
    chosen_year,
    health_report,
    may_read_health,
    reads_all,
    years_for,
)

SORTS = ("name", "total", *CHECK_CODES)


@dataclass
class OverviewRow:
    id: int
    code: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(code, 0) for code in CHECK_CODES]


def _choice(request) -> tuple[list[int], int | None, str | None]:
    """The instansi's years, the year of the report, and a message when the one asked for is
    not a year of the instansi's periods (the default year is shown instead). The years are
    kept until the next audited write."""
    wanted = request.GET.get("year", "").strip()
    instansi_id = request.scope.instansi_id
    years, year = kept(
        "analytics.health_year",
        lambda: (years_for(instansi_id), chosen_year(instansi_id, wanted)),
        scope=request.scope,
        request=request,
        parts=(wanted,),
    )
    error = None
    if wanted and str(year) != wanted:
        error = gettext("“%(value)s” is not a year with a period; showing %(year)s.") % {
            "value": wanted[:20],
            "year": year or "—",
        }
    return years, year, error


def _year(request) -> tuple[int | None, str | None]:
    """The year of the report, and a message when the one asked for is not a year of the
    instansi's periods (the default year is shown instead)."""
    _years, year, error = _choice(request)
    return year, error


def overview_rows(request, year: int) -> list[OverviewRow]:
    """One row per agency the reader reaches (in the official order), and the province's own
    plan first for an instansi-wide reader."""
    scope = request.scope
    report = health_report(scope, year, request=request)
    counts = report.counts()
    empty = dict.fromkeys(CHECK_CODES, 0)
    rows = []
    if reads_all(scope):
        rows.append(
            OverviewRow(
                PROVINCE,
                "",
                gettext("Province (RPJMD)"),
                counts.get(PROVINCE, dict(empty)),
            )
        )
    for agency in agencies_for(scope):
        rows.append(
            OverviewRow(agency.pk, agency.code, agency.name, counts.get(agency.pk, dict(empty)))
        )
    return rows


def valid_sort(sort: str) -> str:
    """``sort`` when it names a column (``-`` first for descending), else ""."""
    return sort if sort.lstrip("-") in SORTS else ""


def sort_rows(rows: list[OverviewRow], sort: str) -> tuple[list[OverviewRow], str]:
    """Sort by ``sort`` (a column; ``-`` first for descending). Unknown keys sort by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if not valid_sort(sort):
        return rows, ""
    if key == "name":
        ordered = sorted(rows, key=lambda r: r.name.lower(), reverse=descending)
    elif key == "total":
        ordered = sorted(rows, key=lambda r: (r.total, r.name.lower()), reverse=descending)
    else:
        ordered = sorted(
            rows, key=lambda r: (r.counts.get(key, 0), r.name.lower()), reverse=descending
        )
    return ordered, sort


class _HealthMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_read_health(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HealthOverviewView(_HealthMixin, View):
    """The findings per agency and per check: for Bappeda and the instansi-wide readers every
    agency and the province's own plan; for a head or an agency administrator their own."""

    def get(self, request):
        years, year, error = _choice(request)
        sort = valid_sort(request.GET.get("sort", "")) if year is not None else ""

        def build() -> dict:
            rows = sort_rows(overview_rows(request, year), sort)[0] if year is not None else []
            totals = {code: sum(r.counts.get(code, 0) for r in rows) for code in CHECK_CODES}
            return {
                "rows": rows,
                "totals": [totals[code] for code in CHECK_CODES],
                "total": sum(totals.values()),
            }

        # Built only when the page's table is not kept yet ({% kept %} in the template).
        built = SimpleLazyObject(build)
        return render(
            request,
            "analytics/health_overview.html",
            {
                "year": year,
                "years": years,
                "error": error,
                # Callables: the template calls them when it reads them.
                "rows": lambda: built["rows"],
                "sort": sort,
                "checks": [(code, CHECK_LABELS[code]) for code in CHECK_CODES],
                "totals": lambda: built["totals"],
                "total": lambda: built["total"],
                "nav_active": "cascade_health",
            },
        )


class OverviewReport(Report):
    title = gettext_lazy("Cascade health")
    widths = (14, 40)

    def __init__(self, rows: list[OverviewRow], year: int):
        self._rows = rows
        self.year = year
        self.columns = [
            gettext_lazy("Code"),
            gettext_lazy("Agency"),
            *(CHECK_LABELS[c] for c in CHECK_CODES),
            gettext_lazy("Total"),
        ]

    def rows(self):
        for r in self._rows:
            yield (r.code, r.name, *r.cells, r.total)


class HealthOverviewExportView(_HealthMixin, View):
    def get(self, request):
        year, _error = _year(request)
        if year is None:
            raise Http404
        rows, _sort = sort_rows(overview_rows(request, year), request.GET.get("sort", ""))
        return export_response(OverviewReport(rows, year), filename=f"kesehatan-kaskade-{year}")


# An agency's findings ----------------------------------------------------------------------


def _agency(request, pk: int):
    """The agency (or PROVINCE, as None) the reader may open; 404 otherwise. Looked up once
    per reach until the next audited write."""
    if pk == PROVINCE:
        if not reads_all(request.scope):
            raise Http404
        return None
    agency = agency_in_reach(request.scope, pk, request, agencies=agencies_for)
    if agency is None:
        raise Http404
    return agency


def filtered(findings: list[Finding], get) -> tuple[list[Finding], dict[str, str], list[str]]:
    """The findings of the check and severity asked for, the filters kept, and a message per
    filter that is not one of the choices (that filter is then ignored)."""
    errors = []
    chosen = {}
    check = get.get("check", "")
    if check and check not in CHECK_CODES:
        errors.append(gettext("“%(value)s” is not a check.") % {"value": check[:40]})
    elif check:
        chosen["check"] = check
        findings = [f for f in findings if f.check == check]
    severity = get.get("severity", "")
    if severity and severity not in SEVERITY_LABELS:
        errors.append(gettext("“%(value)s” is not a severity.") % {"value": severity[:40]})
    elif severity:
        chosen["severity"] = severity
        findings = [f for f in findings if f.severity == severity]
    return findings, chosen, errors


def _findings(request, year: int | None, agency) -> list[Finding]:
    if year is None:
        return []
    report = health_report(request.scope, year, agency=agency, request=request)
    return report.for_agency(agency.pk if agency else PROVINCE)


def _counts(findings: list[Finding]) -> list[tuple[str, Any, int]]:
    counts = {code: 0 for code in CHECK_CODES}
    for f in findings:
        counts[f.check] += 1
    return [(code, CHECK_LABELS[code], counts[code]) for code in CHECK_CODES]


def agency_findings(request, pk: int) -> dict[str, Any]:
    year, error = _year(request)
    agency = _agency(request, pk)
    findings = _findings(request, year, agency)
    shown, chosen, errors = filtered(findings, request.GET)
    if error:
        errors.insert(0, error)
    return {
        "year": year,
        "agency": agency,
        "agency_id": agency.pk if agency else PROVINCE,
        "agency_name": agency.name if agency else gettext("Province (RPJMD)"),
        "findings": shown,
        "counts": _counts(findings),
        "total": len(findings),
        "chosen": chosen,
        "errors": errors,
    }


class HealthAgencyView(_HealthMixin, View):
    def get(self, request, pk):
        years, year, error = _choice(request)
        agency = _agency(request, pk)
        # The filters and their messages read the query string only.
        _none, chosen, errors = filtered([], request.GET)
        if error:
            errors.insert(0, error)

        def build() -> dict:
            findings = _findings(request, year, agency)
            shown = filtered(findings, request.GET)[0]
            page_size = health_policy(year)["page_size"] if year else 50
            return {
                "page_obj": Paginator(shown, page_size).get_page(request.GET.get("page")),
                "counts": _counts(findings),
                "total": len(findings),
            }

        # Built only when the page's findings are not kept yet ({% kept %} in the template).
        built = SimpleLazyObject(build)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "analytics/health_agency.html",
            {
                "year": year,
                "agency": agency,
                "agency_id": agency.pk if agency else PROVINCE,
                "agency_name": agency.name if agency else gettext("Province (RPJMD)"),
                # Callables: the template calls them when it reads them.
                "page_obj": lambda: built["page_obj"],
                "counts": lambda: built["counts"],
                "total": lambda: built["total"],
                "chosen": chosen,
                "errors": errors,
                "query": query.urlencode(),
                "years": years,
                "checks": [(code, CHECK_LABELS[code]) for code in CHECK_CODES],
                "severities": list(SEVERITY_LABELS.items()),
                "nav_active": "cascade_health",
            },
        )


class FindingsReport(Report):
    title = gettext_lazy("Findings")
    widths = (16, 12, 36, 14, 60, 70, 50)
    columns = (
        gettext_lazy("Check"),
        gettext_lazy("Severity"),
        gettext_lazy("Finding"),
        gettext_lazy("Object"),
        gettext_lazy("Name"),
        gettext_lazy("Message"),
        gettext_lazy("Where to fix it"),
    )

    def __init__(self, findings: list[Finding], base: str):
        self.findings = findings
        self.base = base

    def rows(self):
        for f in self.findings:
            yield (
                f.check_label,
                f.severity_label,
                f.kind_label,
                f.object_id,
                f.label,
                f.message,
                self.base + f.fix_url,
            )


class HealthAgencyExportView(_HealthMixin, View):
    def get(self, request, pk):
        context = agency_findings(request, pk)
        if context["year"] is None:
            raise Http404
        base = request.build_absolute_uri("/")[:-1]
        name = f"kesehatan-kaskade-{context['agency'].code if context['agency'] else 'provinsi'}"
        return export_response(
            FindingsReport(context["findings"], base), filename=f"{name}-{context['year']}"
        )

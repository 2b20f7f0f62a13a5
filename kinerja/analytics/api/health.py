"""``GET /api/v1/cascade-health/`` (the findings per agency and per check) and
``GET /api/v1/cascade-health/{agency id}/`` (an agency's findings, paged; 0 is the province's
own plan), with the pages' scoping (`kinerja.analytics.selectors_health`): readers only (403
otherwise), an agency out of reach 404. Bad filters answer 400 with a message per field."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..health_rules import CHECK_CODES, CHECK_LABELS, SEVERITY_LABELS, health_policy
from ..selectors_health import (
    PROVINCE,
    agencies_for,
    chosen_year,
    health_report,
    may_read_health,
    reads_all,
    years_for,
)

YEAR = OpenApiParameter("year", int, description="The year (a period of the instansi).")


def _year(request) -> int:
    wanted = request.query_params.get("year", "").strip()
    year = chosen_year(request.scope.instansi_id, wanted)
    if wanted and str(year) != wanted:
        raise ValidationError(
            {"year": [gettext("“%(value)s” is not a year with a period.") % {"value": wanted[:20]}]}
        )
    if year is None:
        raise Http404
    return year


def _checks():
    return [{"code": code, "label": str(CHECK_LABELS[code])} for code in CHECK_CODES]


class _Health(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_read_health(request.scope):
            raise PermissionDenied


class HealthSummaryView(_Health):
    @extend_schema(
        operation_id="cascade_health_summary",
        tags=["cascade-health"],
        summary="Cascade health: the findings per agency and per check",
        description="For Bappeda, leadership, the inspectorate and the system administrator "
        "every agency and the province's own plan (id 0); for a head of agency or an agency "
        "administrator their own agency. `checks` lists the seven checks; each agency has "
        "`counts` per check and `total`.",
        parameters=[YEAR],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        year = _year(request)
        report = health_report(request.scope, year, request=request)
        counts = report.counts()
        empty = dict.fromkeys(CHECK_CODES, 0)
        rows = []
        if reads_all(request.scope):
            rows.append({"id": PROVINCE, "code": "", "name": "RPJMD", "province": True})
        for agency in agencies_for(request.scope):
            rows.append({"id": agency.pk, "code": agency.code, "name": agency.name})
        for row in rows:
            row["counts"] = counts.get(row["id"], dict(empty))
            row["total"] = sum(row["counts"].values())
        totals = {code: sum(r["counts"][code] for r in rows) for code in CHECK_CODES}
        return Response(
            {
                "year": year,
                "years": years_for(request.scope.instansi_id),
                "checks": _checks(),
                "agencies": rows,
                "totals": totals,
                "total": sum(totals.values()),
            }
        )


class HealthAgencyView(_Health):
    @extend_schema(
        operation_id="cascade_health_agency",
        tags=["cascade-health"],
        summary="Cascade health: an agency's findings",
        description="The findings of one agency (0: the province's own plan), most severe "
        "first, paged by `page` (the policy's page size). Each finding has its `check`, "
        "`kind`, `severity`, the object (`object_type`, `object_id`, `label`), the `message` "
        "in the caller's language and `fix_url`, the page where it is fixed.",
        parameters=[
            YEAR,
            OpenApiParameter("check", str, enum=list(CHECK_CODES)),
            OpenApiParameter("severity", str, enum=list(SEVERITY_LABELS)),
            OpenApiParameter("page", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        if pk == PROVINCE:
            if not reads_all(request.scope):
                raise Http404
            agency = None
        else:
            agency = agencies_for(request.scope).filter(pk=pk).first()
            if agency is None:
                raise Http404
        params = request.query_params
        errors = {}
        check = params.get("check", "")
        if check and check not in CHECK_CODES:
            errors["check"] = [gettext("“%(value)s” is not a check.") % {"value": check[:40]}]
        severity = params.get("severity", "")
        if severity and severity not in SEVERITY_LABELS:
            errors["severity"] = [
                gettext("“%(value)s” is not a severity.") % {"value": severity[:40]}
            ]
        page = params.get("page", "1")
        if not (page.isascii() and page.isdigit() and int(page) >= 1):
            errors["page"] = [gettext("Give a page number from 1.")]
        if errors:
            raise ValidationError(errors)
        year = _year(request)
        report = health_report(request.scope, year, agency=agency, request=request)
        findings = report.for_agency(agency.pk if agency else PROVINCE)
        counts = dict.fromkeys(CHECK_CODES, 0)
        for f in findings:
            counts[f.check] += 1
        if check:
            findings = [f for f in findings if f.check == check]
        if severity:
            findings = [f for f in findings if f.severity == severity]
        size = int(health_policy(year)["page_size"])
        number = int(page)
        chunk = findings[(number - 1) * size : number * size]
        return Response(
            {
                "year": year,
                "agency": {
                    "id": agency.pk if agency else PROVINCE,
                    "code": agency.code if agency else "",
                    "name": agency.name if agency else "RPJMD",
                },
                "counts": counts,
                "count": len(findings),
                "page": number,
                "pages": max(1, -(-len(findings) // size)),
                "results": [
                    {
                        "check": f.check,
                        "kind": f.kind,
                        "severity": f.severity,
                        "object_type": f.object_type,
                        "object_id": f.object_id,
                        "label": f.label,
                        "message": f.message,
                        "fix_url": request.build_absolute_uri(f.fix_url),
                    }
                    for f in chunk
                ],
            }
        )
